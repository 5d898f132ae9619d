"""Two valid phone numbers a digit apart: the printed digits say which was printed."""

from __future__ import annotations

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
