"""The model fine-tuned on standard-mode faxes: which pages it reads, how its reads are checked, and that
the shipped file reads what a standard fax leaves of a Mincho name."""

from __future__ import annotations

import importlib.util
import subprocess
import sys
from dataclasses import replace
from pathlib import Path

import cv2
import generator
import numpy as np
import pytest
from conftest import PROJECT_ROOT, ScriptedEngine, has_tesseract
from PIL import Image, ImageDraw, ImageFont

from ocr import crosscheck
from ocr.engine import FAX_MODEL, CellRequest, TesserocrEngine, TwoPassEngine, fax_model_dir, system_tessdata_dir
from ocr.model import BBox, Cell, FieldValue, OcrText, RawPage
from ocr.pipeline import Context, PageWork, _page_context, stage_recheck
from ocr.segment import STANDARD_FAX_LINE_H, TARGET_LINE_H, render, tight

MINCHO = "/usr/share/fonts/opentype/ipaexfont-mincho/ipaexm.ttf"
needs_tesserocr = pytest.mark.skipif(
    importlib.util.find_spec("tesserocr") is None or not has_tesseract(), reason="tesserocr not installed"
)


def _raw(dpi_x: float, dpi_y: float) -> RawPage:
    return RawPage(number=1, image=np.full((10, 10), 255, np.uint8), dpi_x=dpi_x, dpi_y=dpi_y)


@pytest.mark.parametrize(
    ("dpi", "standard"),
    [((204, 98), True), ((200, 100), True), ((204, 196), False), ((300, 300), False), ((100, 100), False)],
)
def test_standard_mode_is_told_by_its_half_height_rows(dpi: tuple[int, int], standard: bool) -> None:
    assert _raw(*dpi).standard_fax is standard


def test_only_standard_fax_pages_get_the_fax_model_first() -> None:
    fast, large, fax = ScriptedEngine(), ScriptedEngine(), ScriptedEngine()
    eng = TwoPassEngine(fast, large, fax)
    ctx = Context(file="x", engine=eng, synonyms={})
    std = _page_context(ctx, _raw(204, 98)).engine
    assert isinstance(std, TwoPassEngine)
    assert std.primary is fax and std.secondary is large and std.confirm_text
    assert _page_context(ctx, _raw(204, 196)).engine is eng
    # without a fax model every page is read as before, but for the height its text is drawn at
    plain = Context(file="x", engine=TwoPassEngine(fast, large), synonyms={})
    assert _page_context(plain, _raw(204, 98)).engine is plain.engine


def test_a_standard_fax_pages_text_is_drawn_smaller_for_the_engine() -> None:
    ctx = Context(file="x", engine=ScriptedEngine(), synonyms={})
    assert _page_context(ctx, _raw(204, 98)).line_h == STANDARD_FAX_LINE_H < TARGET_LINE_H
    assert _page_context(ctx, _raw(204, 196)).line_h == TARGET_LINE_H
    assert _page_context(ctx, _raw(300, 300)).line_h == TARGET_LINE_H
    page = np.full((120, 300), 255, np.uint8)
    page[40:80, 50:250] = 0  # a 40-pixel line of ink
    ink = tight(np.where(page < 128, 255, 0).astype(np.uint8), 0, 0)
    assert ink is not None
    for h in (STANDARD_FAX_LINE_H, TARGET_LINE_H):
        drawn = render(page, ink, line_h=h)
        rows = np.nonzero((drawn < 128).any(axis=1))[0]
        assert abs(len(rows) - h) <= 1


def test_on_a_standard_fax_a_sure_name_is_still_confirmed_by_the_second_model() -> None:
    img = np.full((40, 80), 255, np.uint8)
    box: BBox = (0, 0, 80, 40)
    cells = tuple(Cell(page=1, row=1, kind=k, bbox=box, image=img) for k in ("given_name", "family_name"))
    sure = (OcrText("和世", 0.97, 0.95), OcrText("山田", 0.97, 0.95))
    second = ScriptedEngine([["和也", "山田"]])
    w = PageWork(raw=_raw(204, 98), cells=cells, texts=sure)
    fax_page = Context(file="x", engine=TwoPassEngine(ScriptedEngine(), second, confirm_text=True), synonyms={})
    out = stage_recheck(w, fax_page).texts
    assert out[0].agreed is False and out[0].text == "和世"  # flagged; the fax model's read is shown
    assert out[1].agreed is True
    # the same sure read on another page is not asked about
    other = Context(file="x", engine=TwoPassEngine(ScriptedEngine(), ScriptedEngine()), synonyms={})
    assert stage_recheck(w, other).texts[0].agreed is None


def _standard_fax_line(text: str) -> np.ndarray:
    """``text`` in Mincho about as the engine gets it from a standard fax: printed at 300 dpi, sampled as
    the generator's sending machine does at 204x98 dpi in 1 bit (without its noise), brought back to
    square pixels and cut to a line as high as the pipeline draws a standard fax's text."""
    font = ImageFont.truetype(MINCHO, 40)
    img = Image.new("L", (44 * len(text) + 60, 90), 255)
    ImageDraw.Draw(img).text((30, 20), text, font=font, fill=0)
    a = cv2.GaussianBlur(np.asarray(img, dtype=np.uint8), (0, 0), generator.FAX_BLUR)
    fax = cv2.resize(a, None, fx=204 / 300, fy=98 / 300, interpolation=cv2.INTER_AREA)
    fax = np.where(fax < generator.FAX_THRESHOLD, 0, 255).astype(np.uint8)
    back = cv2.resize(fax, (a.shape[1], a.shape[0]), interpolation=cv2.INTER_LINEAR)
    back = np.where(back < 128, 0, 255).astype(np.uint8)
    ys, xs = np.nonzero(back < 128)
    crop = back[ys.min() : ys.max() + 1, xs.min() : xs.max() + 1]
    k = STANDARD_FAX_LINE_H / crop.shape[0]
    crop = cv2.resize(crop, None, fx=k, fy=k, interpolation=cv2.INTER_AREA)
    pad = max(10, int(0.4 * STANDARD_FAX_LINE_H))
    return np.asarray(cv2.copyMakeBorder(crop, pad, pad, pad, pad, cv2.BORDER_CONSTANT, value=255), dtype=np.uint8)


@needs_tesserocr
def test_the_shipped_fax_model_reads_a_standard_fax_name() -> None:
    where = fax_model_dir()
    assert where is not None, "resources/tessdata/jpn_fax.traineddata is missing"
    eng = TesserocrEngine(FAX_MODEL, tessdata_dir=where, threads=1)
    try:
        printed = ("鈴木", "智也", "佐藤 花子", "090-1234-5678")
        got = eng.read_batch([CellRequest(_standard_fax_line(t)) for t in printed])
    finally:
        eng.close()
    # the stock fast model reads the first 鈴不
    assert [g.text.replace(" ", "") for g in got] == [t.replace(" ", "") for t in printed]


@pytest.mark.skipif(not has_tesseract() or system_tessdata_dir() is None, reason="no Tesseract")
def test_the_fast_models_weights_come_out_as_floats_that_read_alike(tmp_path: Path) -> None:
    """The model builder's first step: Debian's integer LSTM rewritten with float weights still reads."""
    sys.path.insert(0, str(PROJECT_ROOT / "resources" / "tessdata"))
    from build_fax_model import lstm_to_float

    fast = system_tessdata_dir()
    assert fast is not None
    parts = tmp_path / "parts"
    parts.mkdir()
    subprocess.run(["combine_tessdata", "-u", str(fast / "jpn.traineddata"), f"{parts}/jpn."], check=True,
                   capture_output=True)  # fmt: skip
    lstm = parts / "jpn.lstm"
    lstm.write_bytes(lstm_to_float(lstm.read_bytes()))
    assert lstm.stat().st_size > 4 * (fast / "jpn.traineddata").stat().st_size // 3  # 8-byte weights now
    subprocess.run(["combine_tessdata", f"{parts}/jpn."], check=True, capture_output=True)
    line = tmp_path / "line.png"
    font = ImageFont.truetype(MINCHO, 40)
    img = Image.new("L", (360, 80), 255)
    ImageDraw.Draw(img).text((20, 15), "佐藤 花子", font=font, fill=0)
    img.save(line)
    out = subprocess.run(
        ["tesseract", str(line), "-", "--psm", "7", "-l", "jpn", "--tessdata-dir", str(parts)],
        check=True, capture_output=True, text=True,
    )  # fmt: skip
    assert out.stdout.replace(" ", "").strip() == "佐藤花子"


def _fv(value: str) -> FieldValue:
    return FieldValue(value=value, confidence=0.97, needs_review=False, page=1, bbox=(0, 0, 1, 1))


def test_on_a_standard_fax_a_name_its_kana_do_not_read_is_flagged() -> None:
    # both models agreed on 山日 (山口 with its strokes lost) beside a clear ヤマグチ
    row = {"family_name": _fv("山日"), "family_kana": _fv("ヤマグチ"), "given_name": _fv("花子"),
           "given_kana": _fv("ハナコ")}  # fmt: skip
    out = crosscheck.flag_names_the_kana_do_not_confirm(row)
    assert out["family_name"].needs_review and out["family_kana"].needs_review
    assert not out["given_name"].needs_review and not out["given_kana"].needs_review
    assert "kana.reading_mismatch" in out["family_name"].reasons
    right = crosscheck.flag_names_the_kana_do_not_confirm({**row, "family_name": _fv("山口")})
    assert not right["family_name"].needs_review
    # ふりがな offered from the dictionary (the read ones were flagged) confirm nothing
    offered = replace(_fv("ヤマヒ"), needs_review=True, reasons=("ocr.models_disagree", "kana.from_dictionary"))
    assert crosscheck.flag_names_the_kana_do_not_confirm({**row, "family_kana": offered})["family_name"].needs_review


def test_on_a_standard_fax_without_kana_a_one_kanji_given_name_that_may_have_lost_its_flat_kanji_is_flagged() -> None:
    out = crosscheck.flag_one_kanji_given_without_kana({"family_name": _fv("松本"), "given_name": _fv("陽")})
    assert out["given_name"].needs_review and "name.flat_kanji_lost" in out["given_name"].reasons
    assert not crosscheck.flag_one_kanji_given_without_kana({"given_name": _fv("陽子")})["given_name"].needs_review
    assert not crosscheck.flag_one_kanji_given_without_kana({"given_name": _fv("翼")})["given_name"].needs_review
    # with ふりがな the reading tells (the rule above)
    with_kana = crosscheck.flag_one_kanji_given_without_kana({"given_name": _fv("陽"), "given_kana": _fv("ヨウ")})
    assert not with_kana["given_name"].needs_review
