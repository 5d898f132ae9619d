"""Two reads of a phone number or a date a digit apart: the printed digits say which was printed."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from conftest import ScriptedEngine
from PIL import Image, ImageDraw, ImageFont

from ocr import digit_glyphs
from ocr.engine import TwoPassEngine
from ocr.fonts import japanese_fonts
from ocr.model import Cell, OcrText, RawPage
from ocr.pipeline import Context, PageWork, stage_recheck

FONTS = [p for p in japanese_fonts() if p.name.startswith("ipaex")]
needs_fonts = pytest.mark.skipif(not FONTS, reason="IPAex fonts not installed")


def _number(text: str, font_path: str, standard_fax: bool = False) -> np.ndarray:
    """A phone cell as printed (the font's own spacing), optionally through a standard-mode fax."""
    font = ImageFont.truetype(font_path, 36)
    im = Image.new("L", (40 + 22 * len(text), 60), 255)
    ImageDraw.Draw(im).text((12, 10), text, font=font, fill=0)
    if standard_fax:  # half the rows, 1-bit, stretched back smoothly as the normalise stage does
        w, h = im.size
        im = im.resize((w, h // 2), Image.Resampling.BILINEAR).point(lambda v: 0 if v < 200 else 255)
        im = im.resize((w, h), Image.Resampling.BILINEAR).point(lambda v: 0 if v < 160 else 255)
    return np.asarray(im, dtype=np.uint8)


@needs_fonts
@pytest.mark.parametrize("font", FONTS, ids=lambda p: p.name)
@pytest.mark.parametrize("fax", [False, True], ids=["clean", "standard_fax"])
@pytest.mark.parametrize(
    ("printed", "other"),
    [("03-5186-7072", "03-5186-7078"), ("090-2072-3634", "090-2072-3034"), ("045-951-6520", "045-953-6520")],
)
def test_the_printed_digits_pick_the_read_that_was_printed(font: object, fax: bool, printed: str, other: str) -> None:
    image = _number(printed, str(font), fax)
    digits, wrong = printed.replace("-", ""), other.replace("-", "")
    assert len(digit_glyphs.digit_glyphs(image)) == len(digits)  # the hyphens are no digits
    assert digit_glyphs.pick_digits(image, digits, wrong) == 0
    assert digit_glyphs.pick_digits(image, wrong, digits) == 1


@needs_fonts
def test_reads_of_another_length_or_glyphs_that_do_not_count_out_decide_nothing() -> None:
    image = _number("03-5186-7072", str(FONTS[0]))
    assert digit_glyphs.pick_digits(image, "0351867072", "035186707") is None
    smudged = image.copy()
    smudged[28:32, :] = 0  # a line through the digits: one glyph
    assert digit_glyphs.pick_digits(smudged, "0351867072", "0351867078") is None


@needs_fonts
def test_a_sure_number_the_larger_model_reads_otherwise_is_settled_by_its_digits_or_flagged() -> None:
    """Every phone cell is asked of the second model too; two valid numbers a digit apart are settled by
    the printed digits, a garbled second read is no disagreement."""
    printed = _number("03-5186-7072", str(FONTS[0]))
    cells = tuple(Cell(page=1, row=r, kind="phone", bbox=(0, 0, 1, 1), image=printed) for r in (1, 2, 3))
    sure = [OcrText(t, 0.97, 0.95) for t in ("03-5186-7078", "03-5186-7072", "03-5186-7072")]
    second = ScriptedEngine([["03-5186-7072", "03-5186-7078", "03-.5186.70722"]])
    ctx = Context(file="x", engine=TwoPassEngine(ScriptedEngine(), second), synonyms={})
    raw = RawPage(number=1, image=printed, dpi_x=300, dpi_y=300)
    out = stage_recheck(PageWork(raw=raw, cells=cells, texts=tuple(sure)), ctx).texts
    # the first model's 8 is a 2 on the page: the second read is taken; the other way round, the first
    assert (out[0].text, out[0].agreed) == ("03-5186-7072", True)
    assert (out[1].text, out[1].agreed) == ("03-5186-7072", True)
    assert out[2].text == "03-5186-7072" and out[2].agreed is None


# phone cells of a scanned VL Gothic ledger, as the extractor cut them, with the two models' reads: the
# fast model reads VL's dotted 0 as 9 (980-1813-2030 for 080-1813-2030), the larger one reads it right
VL_PHONES = [
    ("98018132030", "08018132030"),
    ("98061779294", "08061779294"),
    ("99071932828", "09071932828"),
    ("98012883141", "08012883141"),
    ("99021032390", "09021032390"),
    ("98974949938", "08074949938"),
]


def _vl_phone(i: int) -> np.ndarray:
    path = Path(__file__).parent / "data" / f"vl_gothic_phone_{i}.png"
    return np.asarray(Image.open(path).convert("L"), dtype=np.uint8)


def test_a_digit_no_system_font_draws_alike_is_told_by_the_pages_own_digits() -> None:
    """VL Gothic's 0 has a dot in it: drawn in the system fonts, neither 0 nor 9 is clearly it.  The
    page's own digits, where the two models read the same digit (the 0 in 2030, the 9s of 9294), say
    that the first glyph of 980-1813-2030 is a 0."""
    own = digit_glyphs.page_digits((_vl_phone(i), a, b) for i, (a, b) in enumerate(VL_PHONES, start=1) if i > 1)
    assert len(own["0"]) >= digit_glyphs.PAGE_DIGITS_MIN and len(own["9"]) >= digit_glyphs.PAGE_DIGITS_MIN
    image = _vl_phone(1)
    fast, larger = VL_PHONES[0]
    assert digit_glyphs.pick_digits(image, fast, larger) is None  # the fonts cannot tell
    assert digit_glyphs.pick_digits(image, fast, larger, own) == 1
    assert digit_glyphs.pick_digits(image, larger, fast, own) == 0
    # a digit the page shows too rarely is still compared with the fonts: with no page digits, no say
    assert digit_glyphs.pick_digits(image, fast, larger, {"0": own["0"][:1], "9": own["9"]}) is None


@needs_fonts
def test_two_date_reads_a_digit_apart_are_told_by_the_digits_the_letters_and_dots_aside() -> None:
    image = _number("H30.6.11", str(FONTS[0]))
    assert digit_glyphs.pick_digits(image, "H39.6.11", "H30.6.11") == 1
    # reads that differ in more than digits decide nothing
    assert digit_glyphs.pick_digits(image, "H39.6.11", "R30.6.11") is None


def test_a_page_whose_phone_numbers_lose_their_dotted_zeros_to_the_fast_model_is_settled_by_its_own_digits() -> None:
    """At the recheck: every phone cell read 98… / 99… by the fast model (no such number) and 08… / 09…
    by the larger one; the page's digits bear out the larger model's, which is taken, no longer disputed."""
    images = [_vl_phone(i) for i in range(1, len(VL_PHONES) + 1)]
    cells = tuple(Cell(page=1, row=r, kind="phone", bbox=(0, 0, 1, 1), image=im) for r, im in enumerate(images, 1))
    hyphened = [f"{d[:3]}-{d[3:7]}-{d[7:]}" for d in (b for _a, b in VL_PHONES)]
    firsts = [OcrText(f"{a[:3]}-{a[3:7]}-{a[7:]}", 0.9, 0.8) for a, _b in VL_PHONES]
    ctx = Context(file="x", engine=TwoPassEngine(ScriptedEngine(), ScriptedEngine([hyphened])), synonyms={})
    raw = RawPage(number=1, image=images[0], dpi_x=300, dpi_y=300)
    out = stage_recheck(PageWork(raw=raw, cells=cells, texts=tuple(firsts)), ctx).texts
    assert [(t.text, t.agreed) for t in out[:5]] == [(h, True) for h in hyphened[:5]]
