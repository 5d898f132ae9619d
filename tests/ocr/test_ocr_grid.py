"""Grid detection and normalisation on generated ledgers: fonts, column orders, fax modes, skew, photos."""

from __future__ import annotations

import random
from pathlib import Path

import generator as gen
import numpy as np
import pytest

from ocr.grid import detect_grid
from ocr.load import read_raw_pages
from ocr.normalise import normalise

CASES = [
    # mode, font, seed (column order and header wording follow from the seed)
    ("fax_fine", "gothic", 11),
    ("fax_fine", "mincho", 12),
    ("fax_standard", "gothic", 13),
    ("fax_standard", "mincho", 14),
    ("scan", "mincho", 15),
    ("photo", "gothic", 16),
]


def _spec(mode: str, font: str, seed: int) -> gen.Spec:
    rng = random.Random(seed)
    spec = gen.random_spec(rng, seed, mode, rows=6)
    spec.font = font
    spec.rows_per_page = [6]
    if mode == "scan":
        spec.fmt = "png"
        spec.skew = 4.0 if seed % 2 else -4.0
    return spec


@pytest.mark.parametrize(("mode", "font", "seed"), CASES)
def test_grid_has_every_column_and_row(tmp_path: Path, mode: str, font: str, seed: int) -> None:
    spec = _spec(mode, font, seed)
    path = gen.generate(tmp_path, 0, seed, mode, spec=spec)
    raws = read_raw_pages(path)
    assert len(raws) == 1
    page = normalise(raws[0])
    tp = detect_grid(page)
    assert tp is not None
    assert tp.grid.n_cols == len(spec.columns)
    assert tp.grid.n_rows == 6 + 1  # header + rows
    # rules are parallel to the image axes after deskew/rectification
    assert abs(page.skew_deg) < 6


def test_a_header_row_on_a_grey_ground_keeps_its_rules_and_loses_its_dots(tmp_path: Path) -> None:
    """A shaded header (網掛け) reaches a fax as text in a field of dots: the dots are no thick rule
    through the middle of the row, and the engine is shown the header text without them."""
    import cv2

    spec = _spec("fax_fine", "gothic", 42)
    spec.extra["header_shade"] = 0.3
    path = gen.generate(tmp_path, 0, 42, "fax_fine", spec=spec)
    page = normalise(read_raw_pages(path)[0])
    tp = detect_grid(page)
    assert tp is not None
    assert tp.grid.n_cols == len(spec.columns) and tp.grid.n_rows == 6 + 1
    x0, y0, x1, y1 = tp.grid.cell_box(0, 1)
    head = tp.text_ink[y0:y1, x0:x1]
    n, _, stats, _ = cv2.connectedComponentsWithStats(head, connectivity=8)
    assert n > 1 and (stats[1:, cv2.CC_STAT_AREA] <= 12).sum() < 20  # the text stays, the dots go
    assert tp.gray is not page.gray and (tp.gray[y0:y1, x0:x1] < 128).sum() == (head > 0).sum()
    # a plain row is shown to the engine as scanned
    bx0, by0, bx1, by1 = tp.grid.cell_box(3, 1)
    assert np.array_equal(tp.gray[by0:by1, bx0:bx1], page.gray[by0:by1, bx0:bx1])


def test_a_grey_header_that_a_scan_turns_solid_keeps_its_two_rules_and_its_text() -> None:
    """A scan (here a 225-dpi PDF page, its header row and four rows cut from it) whose flat grey header ground
    the threshold takes for ink: the ground is one solid band, whose edges are the header's rules (not
    one thick rule at its middle, which put the header and the first pupil in one row and lost him),
    and in it the text is found again as what is darker than the ground."""
    from PIL import Image

    from ocr.model import RawPage

    img = np.asarray(Image.open(Path(__file__).parent / "data" / "scan_solid_grey_header.png").convert("L"))
    page = normalise(RawPage(number=1, image=img, dpi_x=300, dpi_y=300))
    assert page.binary[70:120, 300:400].mean() > 200  # the ground did come out solid
    tp = detect_grid(page)
    assert tp is not None
    assert tp.grid.n_rows == 4 + 1 and tp.grid.n_cols == 6  # header + the rows, every column
    ys = tp.grid.ys
    assert ys[1] - ys[0] < 1.2 * (ys[2] - ys[1])  # the header row is one row high
    x0, y0, x1, y1 = tp.grid.cell_box(0, 2)  # 生徒氏名
    head = tp.text_ink[y0 + 5 : y1 - 5, x0 + 5 : x1 - 5]
    assert 0.02 < (head > 0).mean() < 0.3  # text, not a solid ground
    assert float(np.median(tp.gray[y0 + 5 : y1 - 5, x0 + 5 : x1 - 5])) == 255  # shown to the engine on white


def test_standard_fax_pixels_become_square(tmp_path: Path) -> None:
    spec = _spec("fax_standard", "gothic", 21)
    path = gen.generate(tmp_path, 0, 21, "fax_standard", spec=spec)
    raw = read_raw_pages(path)[0]
    assert (raw.dpi_x, raw.dpi_y) == (204.0, 98.0)
    assert raw.image.shape[0] < raw.image.shape[1] / 2  # half-height raster on disk
    page = normalise(raw)
    h, w = page.gray.shape
    # A4 landscape at ~300 dpi: 3508 x 2480 (ratio 1.414)
    assert abs(w / h - 297 / 210) < 0.03
    assert 3300 < w < 3700


def test_fine_fax_is_one_bit_group4(tmp_path: Path) -> None:
    from PIL import Image

    path = gen.generate(tmp_path, 0, 22, "fax_fine", spec=_spec("fax_fine", "mincho", 22))
    with Image.open(path) as im:
        assert im.mode == "1"
        assert im.info.get("compression") == "group4"


def test_photo_sheet_is_found_and_rectified(tmp_path: Path) -> None:
    spec = _spec("photo", "mincho", 23)
    path = gen.generate(tmp_path, 0, 23, "photo", spec=spec)
    page = normalise(read_raw_pages(path)[0])
    assert page.rectified
    # the desk is gone: the border of the rectified page is paper-bright
    border = np.concatenate([page.gray[:20].ravel(), page.gray[-20:].ravel()])
    assert float(np.median(border)) > 200


def test_blank_page_has_no_grid() -> None:
    from ocr.model import Page

    white = np.full((1000, 1400), 255, np.uint8)
    page = Page(number=1, gray=white, binary=np.zeros_like(white), dpi=300)
    assert detect_grid(page) is None


def test_stray_specks_beside_the_text_are_dropped_but_strokes_and_dots_stay() -> None:
    from PIL import Image, ImageDraw, ImageFont

    from ocr.fonts import japanese_fonts
    from ocr.segment import drop_stray_specks

    fonts = [p for p in japanese_fonts() if p.name.startswith("ipaex")]
    if not fonts:
        pytest.fail("IPAex fonts are installed by the set-up command")
    im = Image.new("L", (400, 80), 0)
    d = ImageDraw.Draw(im)
    d.text((60, 15), "三浦.一", font=ImageFont.truetype(str(fonts[0]), 40), fill=255)
    mask = np.asarray(im, dtype=np.uint8).copy()
    text = mask.copy()
    mask[30:34, 5:9] = 255  # fax noise left of the text
    mask[40:44, 380:384] = 255  # and right of it
    out = drop_stray_specks(mask)
    assert out[:, :20].max() == 0 and out[:, 370:].max() == 0
    # every stroke of 三 (flat, at the start), the full stop and the trailing 一 survive
    assert np.array_equal(out, text)


def test_a_glyph_broken_into_specks_after_the_text_is_kept_whole() -> None:
    from ocr.segment import drop_stray_specks

    mask = np.zeros((60, 300), np.uint8)
    mask[5:55, 20:60] = 255  # a tall glyph
    for x in (66, 76, 86, 96):  # a faint 一 in four pieces, each smaller than a speck's limit
        mask[30:33, x : x + 8] = 255
    mask[30:33, 250:254] = 255  # noise far to the right
    out = drop_stray_specks(mask)
    assert out[30:33, 66:104].sum() == mask[30:33, 66:104].sum()
    assert out[:, 240:].max() == 0


def test_a_faint_dash_a_third_of_a_glyph_after_the_text_is_kept_but_not_a_row_of_specks_above_it() -> None:
    from ocr.segment import drop_stray_specks

    mask = np.zeros((60, 300), np.uint8)
    mask[10:46, 20:56] = 255  # 陽, 36 pixels tall
    for x in (66, 77, 88):  # 一 in three short pieces, 10 px (more than a quarter glyph) after it
        mask[27:30, x : x + 8] = 255
    out = drop_stray_specks(mask)
    assert out[27:30, 66:95].sum() == mask[27:30, 66:95].sum()
    # the same run of pieces level with the top of the text is no 一: it stays noise
    high = np.zeros((60, 300), np.uint8)
    high[10:46, 20:56] = 255
    for x in (66, 77, 88):
        high[10:13, x : x + 8] = 255
    assert drop_stray_specks(high)[:, 60:].max() == 0


def test_a_faint_one_faxed_as_dots_and_dashes_survives_the_page_and_cell_speck_filters() -> None:
    """健一 in Mincho on a fine fax: the 一 arrives as a 3×2 dot, two single pixels, a 3×3 dot and a
    10×4 dash with a 9-pixel gap.  Each dot alone is fax noise; in a level row after the text they are
    the stroke, which the engine must see (else 健 is read, a real name, and not flagged)."""
    from ocr.grid import clean_text_ink
    from ocr.segment import drop_stray_specks

    ink = np.zeros((120, 400), np.uint8)
    ink[40:77, 60:97] = 255  # 健, 37 pixels tall
    one = [(103, 58, 3, 2), (108, 59, 1, 1), (111, 59, 1, 1), (114, 57, 3, 3), (126, 56, 10, 4)]
    for x, y, w, h in one:
        ink[y : y + h, x : x + w] = 255
    for x, y in ((300, 20), (330, 90), (250, 100)):  # lone specks elsewhere
        ink[y, x] = 255
    no_rules = np.zeros_like(ink)
    text = clean_text_ink(ink, no_rules, no_rules)
    assert all(text[y : y + h, x : x + w].all() for x, y, w, h in one)
    assert text[20, 300] == 0 and text[90, 330] == 0 and text[100, 250] == 0
    cell = drop_stray_specks(text[30:90, 50:200])
    assert cell[26:30, 76:86].all() and cell[28, 53:56].all()  # the dash and the first dot stay
    # the ragged lower edge of a ruled line is no stroke: dropped as before
    rule = np.zeros_like(ink)
    rule[10:13, :] = 255
    fringe = ink.copy()
    fringe[10:13, :] = 255
    for x in range(150, 190, 5):
        fringe[16:18, x : x + 2] = 255
    assert clean_text_ink(fringe, rule, np.zeros_like(ink))[14:20, 150:190].max() == 0


@pytest.mark.parametrize("angle", [-8.0, -5.0, 2.5, 5.0, 8.0])
def test_skew_of_a_ruled_sheet_is_found_beyond_the_five_degrees_a_scanner_allows(angle: float) -> None:
    """A scan fed crooked (up to ±5°) on top of a crooked fax printout (the fixtures' own ±3°)."""
    import cv2

    from ocr.normalise import estimate_skew

    ink = np.zeros((1200, 1700), np.uint8)
    for y in range(200, 1000, 60):
        ink[y : y + 3, 150:1550] = 255
    for x in range(150, 1560, 200):
        ink[200:983, x : x + 3] = 255
    m = cv2.getRotationMatrix2D((850, 600), angle, 1.0)
    rotated = cv2.warpAffine(ink, m, (1700, 1200), flags=cv2.INTER_NEAREST, borderValue=0)
    assert abs(estimate_skew(rotated) + angle) < 0.3


def test_component_labels_fit_in_16_bits_or_fall_back_to_32() -> None:
    """A page's specks are labelled in 16 bits (half the memory); a page of more than 65,535 of them (a
    scan of dotted grey everywhere) is labelled in 32 bits, the same components either way."""
    from ocr.grid import components

    few = np.zeros((300, 300), np.uint8)
    few[::30, ::30] = 255
    labels, stats = components(few)
    assert labels.dtype == np.uint16 and len(stats) == 100 + 1
    many = np.zeros((1000, 1000), np.uint8)
    many[::3, ::3] = 255
    labels, stats = components(many)
    assert labels.dtype == np.int32 and len(stats) == 334 * 334 + 1
