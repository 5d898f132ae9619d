"""The in-process engine (tesserocr) against the Tesseract CLI, kana splitting, lookalike kanji, header fallbacks."""

from __future__ import annotations

import importlib.util

import numpy as np
import pytest
from conftest import ScriptedEngine, has_tesseract
from PIL import Image, ImageDraw, ImageFont

from ocr import fields as fl
from ocr.columns import _infer_no_column, _reread_unmatched, _roles_by_content, borrowed_roles
from ocr.context import Context
from ocr.engine import CellRequest, OcrEngine, TesseractEngine, TwoPassEngine
from ocr.grid import TablePage
from ocr.model import ColumnMap, Grid, OcrText, Page
from ocr.segment import Ink, split_kana

GOTHIC = "/usr/share/fonts/opentype/ipaexfont-gothic/ipaexg.ttf"
needs_tesserocr = pytest.mark.skipif(
    importlib.util.find_spec("tesserocr") is None or not has_tesseract(), reason="tesserocr not installed"
)


def _line(text: str, size: int = 32) -> np.ndarray:
    font = ImageFont.truetype(GOTHIC, size)
    img = Image.new("L", (size * len(text) + 40, size + 30), 255)
    ImageDraw.Draw(img).text((20, 12), text, font=font, fill=0)
    return np.asarray(img, dtype=np.uint8)


@needs_tesserocr
def test_tesserocr_reads_like_the_cli() -> None:
    from ocr.engine import TesserocrEngine

    texts = ["090-1234-5678", "平成30年8月31日", "横浜市都筑区一ツ橋4丁目"]
    reqs = [CellRequest(_line(t)) for t in texts]
    warm = TesserocrEngine(threads=2)
    try:
        got = warm.read_batch(reqs)
    finally:
        warm.close()
    cli = TesseractEngine().read_batch(reqs)
    for t, a, b in zip(texts, got, cli, strict=True):
        assert "".join(a.text.split()) == t
        assert "".join(b.text.split()) == t
        assert 0.0 < a.confidence <= 1.0


@needs_tesserocr
def test_tesserocr_whitelist_and_empty_cell() -> None:
    from ocr.engine import TesserocrEngine

    eng = TesserocrEngine(threads=1)
    try:
        blank = np.full((60, 200), 255, np.uint8)
        out = eng.read_batch([CellRequest(_line("0312345678"), charset="0123456789-"), CellRequest(blank)])
    finally:
        eng.close()
    assert set(out[0].text.replace(" ", "")) <= set("0123456789-")
    # no ink: whatever Tesseract makes up carries no confidence (the pipeline never sends blank cells)
    assert out[1].confidence < 0.3


def _ink_from(text: str, size: int = 24) -> Ink:
    img = _line(text, size)
    mask = np.where(img < 128, 255, 0).astype(np.uint8)
    ys, xs = np.nonzero(mask)
    return Ink(int(xs.min()), int(ys.min()), mask[ys.min() : ys.max() + 1, xs.min() : xs.max() + 1])


@pytest.mark.parametrize(("family", "given"), [("おかだ", "あきら"), ("わたなべ", "ゆうき"), ("はやし", "あつし")])
def test_split_kana_finds_the_word_space(family: str, given: str) -> None:
    whole = _ink_from(family + "\u3000" + given)
    left_only = _ink_from(family)
    got = split_kana(whole)
    assert got is not None
    left, _right, _unsure = got
    # the left half is as wide as the family reading printed alone
    assert abs(left.mask.shape[1] - left_only.mask.shape[1]) <= 3


def test_split_kana_without_a_space_is_unsure_or_none() -> None:
    got = split_kana(_ink_from("わたなべゆうき"))
    assert got is None or got[2]


@pytest.mark.parametrize(
    ("raw", "address", "want"),
    [
        ("横浜市都筑区ーツ橋40丁目11番4号", True, "横浜市都筑区一ツ橋40丁目11番4号"),
        ("栄町ニつ室11丁目", True, "栄町二つ室11丁目"),
        ("元浅草14丁日17番9号", True, "元浅草14丁目17番9号"),
        ("健ー", False, "健一"),
        ("ニセコ町", True, "ニセコ町"),
        ("ひまわりセンター", False, "ひまわりセンター"),
        ("マリー", False, "マリー"),
        ("丁日", False, "丁日"),
    ],
)
def test_lookalike_kanji(raw: str, address: bool, want: str) -> None:
    assert fl.fix_lookalikes(raw, address=address) == want


def test_unreadable_header_is_read_again_by_the_second_model() -> None:
    first = ScriptedEngine()
    second = ScriptedEngine([["番号"]])
    eng: OcrEngine = TwoPassEngine(first, second)
    ctx = Context(file="x", engine=eng, synonyms={"no": ("番号",), "name": ("氏名",)})
    img = np.full((10, 10), 255, np.uint8)
    out = _reread_unmatched(["筑純", "氏名"], [0, 1], [CellRequest(img), CellRequest(img)], ctx)
    assert out == ["番号", "氏名"]
    assert second.calls == [1]  # only the unmatched cell was asked about


def test_narrow_first_column_without_header_is_the_number() -> None:
    grid = Grid(page=1, xs=(0, 50, 400, 500, 1000), ys=(0, 10, 20))
    cmap = ColumnMap(header_row=0, columns=((1, "name"), (2, "sex"), (3, "address")))
    assert _infer_no_column(cmap, grid).roles()["no"] == 0
    wide = Grid(page=1, xs=(0, 300, 400, 500, 1000), ys=(0, 10, 20))
    assert "no" not in _infer_no_column(cmap, wide).roles()


@pytest.mark.parametrize(
    ("a", "b", "want"),
    [
        ("タイキ", "ダイキ", True),
        ("チョ", "チヨ", True),
        ("ヤマサキ", "ヤマザキ", True),
        ("ヨウイウ", "ヨウイチ", False),
    ],
)
def test_kana_reads_differing_only_in_voicing(a: str, b: str, want: bool) -> None:
    from ocr.names import voicing_only

    assert voicing_only(a, b) is want


def test_two_reads_of_one_phone_number_or_date_agree_whatever_their_form() -> None:
    """The larger model writes digits circled (0⑨0-④④⑤①-⑧0⑦0) and the fast one a faint hyphen as
    ・: the same number or date is agreement, not a disagreement a person must settle."""
    from ocr.model import Cell, OcrText, RawPage
    from ocr.pipeline import PageWork, stage_recheck

    img = np.full((10, 10), 255, np.uint8)
    kinds = ("phone", "birth_date", "phone", "birth_date")
    cells = tuple(Cell(page=1, row=1, kind=k, bbox=(0, 0, 1, 1), image=img) for k in kinds)
    unsure = [OcrText(t, 0.7, 0.4) for t in ("090-4451・8070", "平成30年5月3日", "090-4451-8070", "2018/09/11")]
    # the larger model reads the slashes of a Western date as 7
    second = ScriptedEngine([["0⑨0-④④⑤①-⑧0⑦0", "H30.5.3", "090-4451-8076", "2018709711"]])
    ctx = Context(file="x", engine=TwoPassEngine(ScriptedEngine(), second), synonyms={})
    w = PageWork(raw=RawPage(number=1, image=img, dpi_x=300, dpi_y=300), cells=cells, texts=tuple(unsure))
    out = stage_recheck(w, ctx).texts
    assert out[0].agreed is True and out[1].agreed is True and out[3].agreed is True
    assert out[2].agreed is False  # one digit apart: a person looks


def _recheck_sure(kind: str, firsts: list[str], seconds: list[str]) -> list[OcrText]:
    """Cells of one ``kind`` the first model read sure, through the recheck stage with the second
    model scripted to read ``seconds``."""
    from ocr.model import Cell, RawPage
    from ocr.pipeline import PageWork, stage_recheck

    img = np.full((10, 10), 255, np.uint8)
    cells = tuple(Cell(page=1, row=r, kind=kind, bbox=(0, 0, 1, 1), image=img) for r in range(1, len(firsts) + 1))
    ctx = Context(file="x", engine=TwoPassEngine(ScriptedEngine(), ScriptedEngine([seconds])), synonyms={})
    sure = tuple(OcrText(t, 0.97, 0.95) for t in firsts)
    w = PageWork(raw=RawPage(number=1, image=img, dpi_x=300, dpi_y=300), cells=cells, texts=sure)
    return list(stage_recheck(w, ctx).texts)


def test_a_sure_date_is_asked_of_the_second_model_too_and_a_valid_other_date_flags_it() -> None:
    """Both models may be sure of a day with a digit dropped (平成30年8月3日 for 8月30日): every date cell
    is read by the larger model as well; another valid date is a disagreement, a garbled read is not."""
    out = _recheck_sure(
        "birth_date", ["平成30年8月3日", "2018/07/26", "平成30年5月1日"], ["平成30年8月30日", "2018/707/726", "H30.5.1"]
    )
    assert out[0].agreed is False and out[0].second == "平成30年8月30日"
    assert out[1].agreed is None  # the slashes read as 7: no date, no dispute
    assert out[2].agreed is True


def test_a_sure_guardian_the_larger_model_reads_as_another_person_is_flagged() -> None:
    """A guardian has no ふりがな to check it by: 加藤太朗 read sure from a skewed scan of 加藤太郎 was a
    silent error.  Every guardian cell is asked of the larger model too; another person's name is a
    dispute, a name-form variant (髙橋 / 高橋: the glyph's question) or a garbled read is not."""
    out = _recheck_sure("guardian", ["加藤 太朗", "高橋 洋子", "山田 花子"], ["加藤 太郎", "髙橋 洋子", "山田 花]"])
    assert out[0].agreed is False and out[0].second == "加藤 太郎"
    assert out[1].agreed is None and out[2].agreed is None


def test_a_doubtful_date_whose_other_read_only_garbled_the_era_letter_is_no_dispute() -> None:
    """H30.4.10 read unsurely, the larger model read 30.4.10 or H目31.3.11: alike from the first digit on,
    only one passes the date's check, so the two agree on it.  Junk after a digit (H30.4.1?) may hide a
    digit, and two valid dates (H30 / S30) are a dispute."""
    from ocr.model import Cell, RawPage
    from ocr.pipeline import PageWork, stage_recheck

    img = np.full((10, 10), 255, np.uint8)
    firsts = ["H30.4.10", "亘30.4.24", "H30.4.1", "H30.4.10"]
    seconds = ["30.4.10", "H30.4.24", "H30.4.1?", "S30.4.10"]
    cells = tuple(Cell(page=1, row=r, kind="birth_date", bbox=(0, 0, 1, 1), image=img) for r in range(1, 5))
    ctx = Context(file="x", engine=TwoPassEngine(ScriptedEngine(), ScriptedEngine([seconds])), synonyms={})
    unsure = tuple(OcrText(t, 0.7, 0.5) for t in firsts)
    w = PageWork(raw=RawPage(number=1, image=img, dpi_x=300, dpi_y=300), cells=cells, texts=unsure)
    out = stage_recheck(w, ctx).texts
    assert out[0].agreed is True and out[0].text == "H30.4.10"
    assert out[1].agreed is True and out[1].text == "H30.4.24"  # the larger model's read passes
    assert out[2].agreed is False and out[3].agreed is False


def test_a_school_kind_one_model_garbles_is_no_dispute() -> None:
    """The larger model reads the 園 of すみれこども園 as 囲 or 團 where the fast one read it whole:
    the school's name agrees and its kind is one of a few, so the cell is not a dispute; a
    disagreement in the name itself still is, and so is a name that is no word (きくら for さくら:
    both models misread the same faint kana)."""
    from ocr.model import Cell, RawPage
    from ocr.pipeline import PageWork, stage_recheck

    img = np.full((10, 10), 255, np.uint8)
    cells = tuple(Cell(page=1, row=r, kind="previous_school", bbox=(0, 0, 1, 1), image=img) for r in (1, 2, 3, 4))
    unsure = tuple(OcrText(t, 0.8, 0.5) for t in ("すみれこども園", "つくし保膏園", "すみれこども園", "きくら保育園"))
    second = ScriptedEngine([["す み れ こ ど も 囲", "つくし保育園", "すずみれこども団", "きくら保育團"]])
    ctx = Context(file="x", engine=TwoPassEngine(ScriptedEngine(), second), synonyms={})
    w = PageWork(raw=RawPage(number=1, image=img, dpi_x=300, dpi_y=300), cells=cells, texts=unsure)
    out = stage_recheck(w, ctx).texts
    assert out[0].agreed is True and out[0].text == "すみれこども園"
    assert out[1].agreed is True and out[1].text == "つくし保育園"  # the other model read the kind whole
    assert out[2].agreed is False and out[3].agreed is False


def _table(n_cols: int, n_rows: int) -> TablePage:
    """A ruled table whose every cell holds a blob of ink (what the engine reads is scripted)."""
    xs, ys = tuple(range(0, 200 * n_cols + 1, 200)), tuple(range(0, 80 * n_rows + 1, 80))
    ink = np.zeros((ys[-1], xs[-1]), np.uint8)
    for x in xs[:-1]:
        for y in ys[:-1]:
            ink[y + 30 : y + 50, x + 40 : x + 120] = 255
    page = Page(number=1, gray=np.where(ink > 0, 0, 255).astype(np.uint8), binary=ink, dpi=300.0)
    return TablePage(page=page, grid=Grid(page=1, xs=xs, ys=ys), text_ink=ink)


def test_columns_whose_header_was_not_read_are_told_by_their_content() -> None:
    """A shaded header a fax made dots of: 生年月日 not read at all, 性別 read as 性刷 and taken for
    the phone column.  Dates and 男/女 under them settle what the columns hold; names never do."""
    header = ["氏名", "保護者氏名", "", "性刷", ""]
    cmap = ColumnMap(header_row=0, columns=((0, "name"), (1, "guardian"), (3, "phone")))
    dates = ["", "平成30年5月1日", "2018/06/02", "H30.7.3", "平成30年8月4日"]
    sexes = ["", "男", "女", "女", "男"]
    names = ["", "山田 太郎", "佐藤 花子", "鈴木 一郎", "田中 次郎"]
    eng = ScriptedEngine([dates + sexes + names])
    syn = {"name": ("氏名",), "guardian": ("保護者氏名",), "phone": ("電話番号",)}
    ctx = Context(file="x", engine=eng, synonyms=syn)
    out = _roles_by_content(cmap, header, _table(5, 5), ctx)
    assert out.roles() == {"name": 0, "guardian": 1, "birth_date": 2, "sex": 3}
    # one header cell read as a date (a smudged 生年月日): that column stays unknown, the others are told
    eng = ScriptedEngine([["平成30年4月9日", *dates[1:], *sexes, *names]])
    out = _roles_by_content(cmap, header, _table(5, 5), Context(file="x", engine=eng, synonyms=syn))
    assert out.roles() == {"name": 0, "guardian": 1, "sex": 3}
    # the first row reads as a date under the dates and 男 above 男/女: it is a pupil's row, not a
    # header (a page continuing the last one's table); nothing changes
    eng = ScriptedEngine([["平成30年4月9日", *dates[1:], "男", *sexes[1:], *names]])
    assert _roles_by_content(cmap, header, _table(5, 5), Context(file="x", engine=eng, synonyms=syn)) == cmap


def test_a_column_unread_on_one_page_is_named_by_another_page_of_the_same_table() -> None:
    grid = Grid(page=1, xs=(0, 50, 400, 500, 1000), ys=(0, 10, 20))
    blotted = ColumnMap(header_row=0, columns=((0, "no"), (1, "name"), (2, "sex")))
    clear = ColumnMap(header_row=0, columns=((0, "no"), (1, "name"), (2, "sex"), (3, "guardian")))
    assert borrowed_roles(blotted, grid, [3], [(blotted, grid), (clear, grid)]) == ((3, "guardian"),)
    # another table (other widths), or a role the page already has, names nothing
    other = Grid(page=2, xs=(0, 300, 400, 500, 1000), ys=(0, 10, 20))
    assert borrowed_roles(blotted, grid, [3], [(clear, other)]) == ()
    sexless = ColumnMap(header_row=0, columns=((0, "no"), (1, "name"), (3, "sex")))
    assert borrowed_roles(sexless, grid, [2], [(ColumnMap(0, ((2, "sex"),)), grid)]) == ()


def test_a_column_headed_by_a_word_that_names_no_field_is_left_alone() -> None:
    """学区 over 桜台小学校: the header was read, it names a column the store does not take; its school
    names must not become the pupils' 出身園, and the engine is not even asked about it."""
    header = ["氏名", "保護者氏名", "学区"]
    cmap = ColumnMap(header_row=0, columns=((0, "name"), (1, "guardian")))
    eng = ScriptedEngine([["", "桜台小学校", "桜台小学校", "中央小学校", "桜台小学校"]])
    syn = {"name": ("氏名",), "guardian": ("保護者氏名",), "previous_school": ("出身園",)}
    out = _roles_by_content(cmap, header, _table(3, 5), Context(file="x", engine=eng, synonyms=syn))
    assert out == cmap and eng.calls == []
    # the same cells under a header that reads as no word (出考軸 for 出身園) are told
    eng = ScriptedEngine([["", "桜台保育園", "桜台保育園", "中央こども園", "桜台保育園"]])
    garbled = ["氏名", "保護者氏名", "出考軸"]
    out = _roles_by_content(cmap, garbled, _table(3, 5), Context(file="x", engine=eng, synonyms=syn))
    assert out.roles()["previous_school"] == 2
