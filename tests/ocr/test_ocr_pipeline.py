"""The pipeline with a fake engine (structure, progress, cancel, JSON shape) and the real one end to end."""

from __future__ import annotations

import importlib.util
import json
import random
from pathlib import Path
from types import ModuleType
from typing import Any

import generator as gen
import pytest
from conftest import FIXTURES, SAMPLES, SCORER, ScriptedEngine, has_tesseract

import ocr
from ocr.model import FIELD_NAMES

needs_tesseract = pytest.mark.skipif(not has_tesseract(), reason="tesseract is a system requirement")


def _scorer() -> ModuleType:
    spec = importlib.util.spec_from_file_location("shared_score", SCORER)
    assert spec is not None and spec.loader is not None
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def _score(truth_dir: Path, pred_dir: Path) -> dict[str, Any]:
    """Per-document figures with the shared scorer's own normalisation and alignment."""
    sc = _scorer()
    tot = {"fields": 0, "correct": 0, "silent": 0, "flagged": 0, "rows": 0, "matched": 0}
    for tf in sorted(truth_dir.glob("*.json")):
        truth = json.loads(tf.read_text(encoding="utf-8"))
        pf = pred_dir / tf.name
        pred = json.loads(pf.read_text(encoding="utf-8"))["records"] if pf.exists() else []
        pairs = sc.align(truth["records"], pred)
        tot["rows"] += len(truth["records"])
        tot["matched"] += len(pairs)
        for i, rec in enumerate(truth["records"]):
            vals, flagged = sc.flat(pred[pairs[i]]) if i in pairs else ({}, set())
            for f in sc.FIELDS:
                if f not in rec:
                    continue
                tot["fields"] += 1
                ok = sc.norm(f, vals.get(f)) == sc.norm(f, rec[f])
                tot["correct"] += ok
                tot["flagged"] += f in flagged
                tot["silent"] += (not ok) and f not in flagged
    n = max(tot["fields"], 1)
    return {
        "accuracy": tot["correct"] / n,
        "silent": tot["silent"] / n,
        "review": tot["flagged"] / n,
        "rows": tot["rows"],
        "matched": tot["matched"],
    }


def _ledger(tmp_path: Path, seed: int = 31, rows: int = 4) -> tuple[Path, gen.Spec]:
    rng = random.Random(seed)
    spec = gen.random_spec(rng, seed, "fax_fine", rows=rows)
    spec.rows_per_page = [rows]
    spec.columns = ["no", "kana", "name", "sex", "birth_date"]
    spec.headers = {"no": "番号", "kana": "ふりがな", "name": "氏名", "sex": "性別", "birth_date": "生年月日"}
    return gen.generate(tmp_path, 0, seed, "fax_fine", spec=spec), spec


def test_fake_engine_drives_the_stages(tmp_path: Path) -> None:
    path, spec = _ledger(tmp_path)
    header = [spec.headers[c] for c in spec.columns]
    engine = ScriptedEngine([header], default="")
    seen: list[tuple[int, int]] = []
    res = ocr.extract_file(path, engine=engine, progress=lambda d, t, m: seen.append((d, t)))
    assert seen == [(0, 1), (1, 1)]
    assert len(res.records) == 4
    out = res.to_json()
    assert out["file"] == path.name and out["pages"] == 1
    page = res.pages[0].gray
    for rec in out["records"]:
        assert set(rec["fields"]) == {
            "no",
            "family_name",
            "given_name",
            "family_kana",
            "given_kana",
            "sex",
            "birth_date",
        }
        for f in rec["fields"].values():
            x0, y0, x1, y1 = f["bbox"]
            assert 0 <= x0 < x1 <= page.shape[1] and 0 <= y0 < y1 <= page.shape[0]
            # the fake engine read nothing: every field must be flagged, never silently empty
            assert f["needs_review"] is True
    assert set(out["records"][0]["fields"]) <= set(FIELD_NAMES)
    # the columns this ledger does not print are named on every record, for a person to supply
    absent = ["guardian", "address", "phone", "previous_school"]
    for rec in out["records"]:
        assert rec["missing"] == absent
        assert set(absent) <= set(rec["needs_review"]) and set(rec["needs_review"]) <= set(FIELD_NAMES)


def test_fake_engine_values_are_parsed_and_validated(tmp_path: Path) -> None:
    path, spec = _ledger(tmp_path, rows=1)
    header = [spec.headers[c] for c in spec.columns]
    # data cells in segment order: no, family_kana, given_kana, family_name, given_name, sex, birth_date
    data = ["1", "さとう", "じゅん", "佐藤", "淳", "男", "平成31年5月1日"]
    res = ocr.extract_file(path, engine=ScriptedEngine([header, data]))
    f = res.records[0].fields
    assert f["family_kana"].value == "サトウ" and not f["family_kana"].needs_review
    assert f["family_name"].value == "佐藤" and f["given_name"].value == "淳"
    assert f["sex"].value == "男"
    assert f["birth_date"].needs_review and "date.after_era" in f["birth_date"].reasons


def test_cancel_raises(tmp_path: Path) -> None:
    path, _ = _ledger(tmp_path)
    with pytest.raises(ocr.Cancelled) as info:
        ocr.extract_file(path, engine=ScriptedEngine(), cancel=lambda: True)
    assert info.value.code == "ocr.cancelled"


def test_load_pages_matches_bbox_space(tmp_path: Path) -> None:
    path, spec = _ledger(tmp_path)
    header = [spec.headers[c] for c in spec.columns]
    res = ocr.extract_file(path, engine=ScriptedEngine([header]))
    pages = ocr.load_pages(path)
    assert len(pages) == 1 and pages[0].shape == res.pages[0].gray.shape


@needs_tesseract
def test_sample_fax_end_to_end() -> None:
    res = ocr.extract_file(SAMPLES / "sample_fax.tif")
    truth = json.loads((SAMPLES / "sample_fax.tif.json").read_text(encoding="utf-8"))
    assert len(res.records) == len(truth["records"])


@needs_tesseract
@pytest.mark.slow
def test_fixtures_accuracy_floors(tmp_path: Path) -> None:
    """A sample of the shared fixtures (both layouts, fax and scan) through the real engine."""
    names = [
        "dev_000_fax_fine_A.tif",
        "dev_003_scan_fine_A.png",
        "dev_010_fax_fine_B.tif",
        "dev_005_scan_fine_B.pdf",
    ]
    truth = tmp_path / "truth"
    given = tmp_path / "truth-as-given"
    pred = tmp_path / "pred"
    for d in (truth, given, pred):
        d.mkdir()
    engine = ocr.engine.default_engine()
    for n in names:
        t = json.loads((FIXTURES / f"{n}.json").read_text(encoding="utf-8"))
        (given / f"{n}.json").write_text(json.dumps(t, ensure_ascii=False), encoding="utf-8")
        if t.get("layout") == "B":
            # layout B prints no 出身園 column although its truth has one: the field stays absent and
            # the record lists it as missing (needs_review), so score the readable fields without it
            for rec in t["records"]:
                rec.pop("previous_school", None)
        (truth / f"{n}.json").write_text(json.dumps(t, ensure_ascii=False), encoding="utf-8")
        res = ocr.extract_file(FIXTURES / n, engine=engine)
        (pred / f"{n}.json").write_text(json.dumps(res.to_json(), ensure_ascii=False), encoding="utf-8")
    s = _score(truth, pred)
    assert s["matched"] == s["rows"]
    # measured 98.4 % / 0.0 % silent / 3.9 % review (round 5: Sudachi readings, glyph checks;
    # round 4: 97.3 % / 0.19 % / 8.6 %); against the truth as given: 93.9 % / 0.0 % / 8.3 %
    assert s["accuracy"] >= 0.97, s
    assert s["silent"] <= 0.005, s
    assert s["review"] <= 0.07, s
    # against the truth as given, the column B lacks is flagged, never a silent error
    s = _score(given, pred)
    assert s["silent"] <= 0.005, s


# unseen ledgers: other fonts, layouts and modes from the generator (fixed seeds, one page each)
GENERATED = [(41, "fax_fine", "mincho"), (42, "fax_fine", "gothic"), (43, "scan", "mincho")]


@needs_tesseract
@pytest.mark.slow
def test_generated_ledgers_floors(tmp_path: Path) -> None:
    truth = tmp_path / "truth"
    pred = tmp_path / "pred"
    pred.mkdir()
    engine = ocr.engine.default_engine()
    for seed, mode, font in GENERATED:
        rng = random.Random(seed)
        spec = gen.random_spec(rng, seed, mode, rows=8)
        spec.rows_per_page = [8]
        spec.font = font
        path = gen.generate(truth, 0, seed, mode, spec=spec)
        res = ocr.extract_file(path, engine=engine)
        (pred / f"{path.name}.json").write_text(json.dumps(res.to_json(), ensure_ascii=False), encoding="utf-8")
    s = _score(truth, pred)
    assert s["matched"] == s["rows"], s
    assert s["accuracy"] >= GEN_FLOORS["accuracy"], s
    assert s["silent"] <= GEN_FLOORS["silent"], s
    assert s["review"] <= GEN_FLOORS["review"], s


# measured 95.3 % / 0.0 % silent / 16.4 % review (round 5; round 4: 87.5 % / 0.0 % / 24.2 %)
GEN_FLOORS = {"accuracy": 0.93, "silent": 0.005, "review": 0.20}


@needs_tesseract
@pytest.mark.slow
def test_layout_a_fixture_has_few_silent_errors(tmp_path: Path) -> None:
    n = "dev_000_fax_fine_A.tif"
    (tmp_path / "t").mkdir()
    (tmp_path / "p").mkdir()
    (tmp_path / "t" / f"{n}.json").write_bytes((FIXTURES / f"{n}.json").read_bytes())
    res = ocr.extract_file(FIXTURES / n)
    (tmp_path / "p" / f"{n}.json").write_text(json.dumps(res.to_json(), ensure_ascii=False), encoding="utf-8")
    s = _score(tmp_path / "t", tmp_path / "p")
    # measured 97.7 % / 0.0 % silent (round 4)
    assert s["accuracy"] >= 0.97, s
    assert s["silent"] <= 0.01, s


def _rec(row: int, no: int | None, flagged: bool = False, **text: str) -> Any:
    from ocr.model import FieldValue, Record

    fields = {"no": FieldValue(no, 0.9, flagged, 1, (0, 0, 1, 1), reasons=("no.format",) if flagged else ())}
    for k, v in text.items():
        fields[k] = FieldValue(v, 0.99, False, 1, (0, 0, 1, 1))
    return Record(page=1, row=row, fields=fields)


def test_row_number_between_sure_neighbours_is_settled() -> None:
    from ocr.rows import validate_records

    out = validate_records([_rec(1, 1), _rec(2, None, flagged=True), _rec(3, 3), _rec(4, 7)])
    assert out[1].fields["no"].value == 2 and not out[1].fields["no"].needs_review
    # the last row, with one confirmed neighbour before it (the other was unreadable): corrected, but a
    # person looks
    assert out[3].fields["no"].value == 4 and out[3].fields["no"].needs_review
    # the first or last row of a page beside two confirmed numbers in sequence: settled
    out = validate_records([_rec(1, None, flagged=True), _rec(2, 2), _rec(3, 3), _rec(4, 9, flagged=True)])
    assert [r.fields["no"].value for r in out] == [1, 2, 3, 4]
    assert not any(r.fields["no"].needs_review for r in out)


def test_reading_shorter_than_the_name_is_flagged() -> None:
    from ocr.rows import validate_records

    out = validate_records([_rec(1, 1, family_name="佐々木", family_kana="サキ", given_name="翼", given_kana="ツバサ")])
    f = out[0].fields
    assert "kana.length" in f["family_kana"].reasons and "kana.length" in f["family_name"].reasons
    assert not f["given_kana"].needs_review


def test_a_guardian_of_another_name_flags_the_family_name_only_when_the_furigana_do_not_confirm_it() -> None:
    from dataclasses import replace

    from ocr.rows import validate_records

    # 木村 read beside ふりがな キムラ: the guardian's 本村 is the misread, only it is flagged
    (r,) = validate_records([_rec(1, 1, family_name="木村", family_kana="キムラ", guardian="本村明")])
    assert r.fields["guardian"].needs_review and "name.guardian_mismatch" in r.fields["guardian"].reasons
    assert not r.fields["family_name"].needs_review
    # the ふりがな are not its reading, or are doubted themselves: both names are flagged
    (r,) = validate_records([_rec(1, 1, family_name="三清", family_kana="ミウラ", guardian="三浦智也")])
    assert r.fields["family_name"].needs_review and r.fields["guardian"].needs_review
    doubted = _rec(1, 1, family_name="三清", family_kana="サンセイ", guardian="三浦智也")
    kana = replace(doubted.fields["family_kana"], needs_review=True, reasons=("ocr.models_disagree",))
    (r,) = validate_records([replace(doubted, fields={**doubted.fields, "family_kana": kana})])
    assert r.fields["family_name"].needs_review


def test_a_scan_that_misstates_its_resolution_is_read_at_sheet_size(tmp_path: Path) -> None:
    """A 150-dpi scan saved as "300 dpi" claims a 6-inch sheet; it is taken as the A4 ledger it is,
    so its text is as large as on any other page (PDF page drawn A4-sized, PNG resolution re-guessed);
    a PDF page claiming a sheet larger than A3 is drawn A3-sized."""
    import numpy as np
    from PIL import Image

    from ocr.load import read_raw_pages

    img = Image.fromarray(np.full((1240, 1754), 255, np.uint8))
    img.save(tmp_path / "small.pdf", "PDF", resolution=300)
    img.save(tmp_path / "small.png", dpi=(300, 300))
    img.save(tmp_path / "right.png", dpi=(150, 150))
    (pdf,) = read_raw_pages(tmp_path / "small.pdf")
    assert max(pdf.image.shape) == 3508 and pdf.dpi_x == 300
    (png,) = read_raw_pages(tmp_path / "small.png")
    assert round(png.dpi_x) == 150 and not png.photo_hint
    (right,) = read_raw_pages(tmp_path / "right.png")
    assert round(right.dpi_x) == 150
    # a 400-dpi A4 scan saved as "150 dpi" claims a 31-inch page, 62 million pixels at 300 dpi: it is
    # drawn A3-sized, the largest a ledger is, instead of being refused as too large
    img = Image.fromarray(np.full((3306, 4677), 255, np.uint8))
    img.save(tmp_path / "large.pdf", "PDF", resolution=150)
    (large,) = read_raw_pages(tmp_path / "large.pdf")
    assert max(large.image.shape) == 4961 and large.dpi_x == 300


def test_an_a3_sheet_scanned_at_600_dpi_is_read_at_300(tmp_path: Path) -> None:
    """A school copier's A3 scan at 600 dpi (69.6 million pixels) was refused as too large; it is read,
    drawn at 300 dpi as soon as it is decoded (the JPEG decoder itself draws it smaller) with its
    content where it was.  A 1-bit scan is kept as it is: a bilevel page is normalised apart."""
    import numpy as np
    from PIL import Image

    from ocr.load import read_raw_pages

    a3 = np.full((7016, 9921), 245, np.uint8)  # paper as a scanner sees it: not pure white
    a3[1000:1200, 2000:6000] = 20  # a bar 4000 px long at 600 dpi
    Image.fromarray(a3).save(tmp_path / "a3.png", dpi=(600, 600))
    Image.fromarray(a3).convert("RGB").save(tmp_path / "a3.jpg", dpi=(600, 600), quality=85)
    for name in ("a3.png", "a3.jpg"):
        (page,) = read_raw_pages(tmp_path / name)
        assert round(page.dpi_x) == round(page.dpi_y) == 300
        assert abs(page.image.shape[0] - 3508) <= 1 and abs(page.image.shape[1] - 4961) <= 1
        ys, xs = np.nonzero(page.image < 128)
        assert abs(int(xs.min()) - 1000) <= 2 and abs(int(xs.max()) - 2999) <= 2 and abs(int(ys.min()) - 500) <= 2
    Image.fromarray(np.where(a3 < 128, 0, 255).astype(np.uint8)).convert("1").save(
        tmp_path / "a3.tif", dpi=(600, 600), compression="group4"
    )
    (bilevel,) = read_raw_pages(tmp_path / "a3.tif")
    assert round(bilevel.dpi_x) == 600 and bilevel.image.shape == (7016, 9921)


@needs_tesseract
def test_a_sheet_fed_upside_down_or_sideways_is_read_turned(tmp_path: Path) -> None:
    """A fax fed the wrong way round arrives upside down; a landscape ledger scanned upright lies on
    its side.  Both are read like the upright sheet, and every bbox refers to the turned page."""
    from PIL import Image

    rng = random.Random(7)
    spec = gen.random_spec(rng, 7, "fax_fine", rows=6)
    spec.rows_per_page = [3, 3]
    spec.rare = False
    path = gen.generate(tmp_path, 0, 7, "fax_fine", spec=spec)
    truth = json.loads(Path(f"{path}.json").read_text(encoding="utf-8"))
    want = [(r["family_name"], r["given_name"]) for r in truth["records"]]

    upright = ocr.extract_file(path)
    assert [(r.fields["family_name"].value, r.fields["given_name"].value) for r in upright.records] == want

    with Image.open(path) as im:
        dpi = im.info["dpi"]
        pages = []
        for i in range(im.n_frames):
            im.seek(i)
            pages.append(im.copy())
    # page 1 on its side (resolution turned with it), page 2 upside down: its header row is there, but
    # even read as a continuation of page 1's table its columns run backwards
    turned = tmp_path / "turned.tif"
    pages[0].rotate(90, expand=True).save(
        turned, save_all=True, append_images=[pages[1].rotate(180)], dpi=(dpi[1], dpi[0]), compression="group4"
    )
    res = ocr.extract_file(turned)
    got = [(r.fields["family_name"].value, r.fields["given_name"].value) for r in res.records]
    assert got == [(r.fields["family_name"].value, r.fields["given_name"].value) for r in upright.records]
    assert [p.quarter_turns for p in res.pages] == [3, 2]
    for rec in res.records:
        page = res.pages[rec.page - 1].gray
        x0, y0, x1, y1 = rec.fields["family_name"].bbox
        assert 0 <= x0 < x1 <= page.shape[1] and 0 <= y0 < y1 <= page.shape[0]
    assert ocr.load_pages(turned)[0].shape != res.pages[0].gray.shape  # the app shows the turned page


@needs_tesseract
@pytest.mark.parametrize(("seed", "mode"), [(101, "fax_fine"), (105, "fax_standard")])
def test_a_header_printed_on_a_grey_ground_is_read_through_the_dots_a_fax_makes_of_it(
    tmp_path: Path, seed: int, mode: str
) -> None:
    """網掛け: a fax turns the header's grey ground into clumps of dots around bold text.  The pages are
    read (not refused for want of a header) and no column is left unread."""
    spec = gen.random_spec(random.Random(seed), seed, mode)
    spec.font = "gothic"
    spec.extra["header_shade"] = 0.3
    path = gen.generate(tmp_path / "in", 0, seed, mode, spec=spec)
    res = ocr.extract_file(path)
    truth = json.loads(Path(f"{path}.json").read_text(encoding="utf-8"))
    assert len(res.records) == len(truth["records"])
    present = {f for f in FIELD_NAMES if f in truth["records"][0]}
    unread = {f for rec in res.records for f in rec.missing} & present
    # a header the dots still hide on one page is named by the same column on the other page
    assert not unread and not res.warnings, (unread, res.warnings)
    out = tmp_path / "out"
    out.mkdir()
    (out / f"{path.name}.json").write_text(json.dumps(res.to_json(), ensure_ascii=False), encoding="utf-8")
    figures = _score(tmp_path / "in", out)
    assert figures["silent"] <= 0.02, figures


@needs_tesseract
def test_a_column_of_peoples_names_under_an_unread_header_beside_the_pupils_names_is_the_guardians(
    tmp_path: Path,
) -> None:
    """保護者氏名 lost (here: printed blank; on a fax, a dotted grey ground): the column holds a family name
    and a given name in each row, beside the column named 児童氏名, so it is the guardians', read as such
    rather than left out with a warning."""
    rng = random.Random(35)
    spec = gen.random_spec(rng, 35, "fax_fine", rows=5)
    spec.rows_per_page = [5]
    spec.columns = ["no", "kana", "name", "sex", "guardian"]
    spec.headers = {"no": "番号", "kana": "ふりがな", "name": "児童氏名", "sex": "性別", "guardian": ""}
    path = gen.generate(tmp_path, 0, 35, "fax_fine", spec=spec)
    truth = json.loads(Path(f"{path}.json").read_text(encoding="utf-8"))["records"]
    res = ocr.extract_file(path)
    assert res.warnings == () and len(res.records) == len(truth)
    got = [_scorer().norm("guardian", r.fields["guardian"].value) for r in res.records]
    want = [_scorer().norm("guardian", t["guardian"]) for t in truth]
    assert sum(g == w for g, w in zip(got, want, strict=True)) >= 4
    assert all("guardian" not in r.missing for r in res.records)


@needs_tesseract
@pytest.mark.parametrize(("head", "warned"), [("", True), ("摘要", False)])
def test_readings_under_an_unread_name_header_are_not_taken_for_the_names(
    tmp_path: Path, head: str, warned: bool
) -> None:
    """A ふりがな column beside a column whose header names no field: the readings stay readings and
    the names are reported missing, for a person to fill in, rather than filled with the readings.  A
    header that could not be read (here: none) is reported; one read as a word (摘要) is a column the
    store does not take."""
    rng = random.Random(33)
    spec = gen.random_spec(rng, 33, "fax_fine", rows=4)
    spec.rows_per_page = [4]
    spec.columns = ["no", "kana", "name", "sex", "birth_date"]
    spec.headers = {"no": "番号", "kana": "ふりがな", "name": head, "sex": "性別", "birth_date": "生年月日"}
    spec.kana_script = "hiragana"
    path = gen.generate(tmp_path, 0, 33, "fax_fine", spec=spec)
    truth = json.loads(Path(f"{path}.json").read_text(encoding="utf-8"))["records"]
    res = ocr.extract_file(path)
    assert len(res.records) == len(truth)
    # the teacher is told which column was left out, not that the ledger has no names
    if warned:
        assert len(res.warnings) == 1 and "左から3列目" in res.warnings[0] and "column 3" in res.warnings[0]
    else:
        assert res.warnings == ()
    for rec, want in zip(res.records, truth, strict=True):
        assert "family_name" in rec.missing and "given_name" in rec.missing
        assert "family_name" not in rec.fields
        assert _scorer().norm("family_kana", rec.fields["family_kana"].value) == _scorer().norm(
            "family_kana", want["family_kana"]
        )


@needs_tesseract
def test_names_printed_without_a_gap_are_cut_by_their_reading(tmp_path: Path) -> None:
    """鈴木花子 under すずき　はなこ: the printed gap is missing, the ふりがな's is not.  Names are cut where the
    dictionary reading of the first part is the family ふりがな; a name cut any other way is flagged."""
    rng = random.Random(35)
    spec = gen.random_spec(rng, 35, "fax_fine", rows=6)
    spec.rows_per_page = [6]
    spec.font = "gothic"
    spec.columns = ["no", "kana", "name", "sex", "birth_date"]
    spec.headers = {"no": "番号", "kana": "ふりがな", "name": "氏名", "sex": "性別", "birth_date": "生年月日"}
    spec.extra["name_gap"] = ""
    path = gen.generate(tmp_path, 0, 35, "fax_fine", spec=spec)
    truth = json.loads(Path(f"{path}.json").read_text(encoding="utf-8"))["records"]
    res = ocr.extract_file(path)
    assert len(res.records) == len(truth)
    right = 0
    for rec, want in zip(res.records, truth, strict=True):
        got = (rec.fields["family_name"].value, rec.fields["given_name"].value)
        if got == (want["family_name"], want["given_name"]):
            right += 1
        else:
            assert rec.fields["family_name"].needs_review and rec.fields["given_name"].needs_review
    assert right >= len(truth) - 1


@needs_tesseract
def test_a_ledger_printed_without_furigana_or_row_numbers_gives_those_fields_as_missing(tmp_path: Path) -> None:
    """Boards differ in which columns they print: without ふりがな and 番号 the names and the rest are
    read as usual, and the missing fields are absent from every record and listed as missing (the
    import then asks for the ふりがな the store needs)."""
    path = gen.generate(tmp_path, 0, 41, "fax_fine", rows=6, without=("kana", "no"))
    truth = json.loads(Path(f"{path}.json").read_text(encoding="utf-8"))["records"]
    assert "family_kana" not in truth[0] and "no" not in truth[0]
    out = ocr.extract_file(path).to_json()
    assert len(out["records"]) == len(truth)
    for rec in out["records"]:
        assert not {"no", "family_kana", "given_kana"} & set(rec["fields"])
        assert {"no", "family_kana", "given_kana"} <= set(rec["missing"])
    names = [(r["fields"]["family_name"]["value"], r["fields"]["given_name"]["value"]) for r in out["records"]]
    right = sum(1 for got, want in zip(names, truth, strict=True) if got == (want["family_name"], want["given_name"]))
    assert right >= len(truth) - 1


def test_a_column_whose_header_reads_differently_on_two_pages_is_flagged_on_both() -> None:
    """Page 1 read 保護者氏名 as a name header, page 2 read it right: which page is wrong cannot be told
    from the headers, so nothing taken from that column is trusted on either page."""
    from ocr.columns import flag_disputed_columns
    from ocr.model import ColumnMap, FieldValue, Grid, Record

    grid = Grid(page=1, xs=(0, 100, 400, 600, 900), ys=(0, 50, 100))

    def rec(page: int, **values: str) -> Record:
        fields = {k: FieldValue(v, 0.95, False, page, (0, 0, 1, 1)) for k, v in values.items()}
        return Record(page=page, row=1, fields=fields)

    one = ColumnMap(header_row=0, columns=((0, "no"), (1, "sex"), (3, "name")))
    two = ColumnMap(header_row=0, columns=((0, "no"), (1, "sex"), (2, "name"), (3, "guardian")))
    pages = [
        (rec(1, no="1", sex="女", family_name="岡田", given_name="洋子"),),
        (rec(2, no="2", sex="男", family_name="林", given_name="拓真", guardian="林修平"),),
    ]
    out, warnings = flag_disputed_columns(pages, [(0, one, grid), (1, two, grid)])
    first, second = out[0][0].fields, out[1][0].fields
    assert first["given_name"].needs_review and "header.pages_disagree" in first["given_name"].reasons
    assert second["guardian"].needs_review and not second["given_name"].needs_review
    assert not first["sex"].needs_review and not second["sex"].needs_review
    assert len(warnings) == 1 and "4列目" in warnings[0]
    # pages that agree (or tables of another layout) flag nothing
    same, none = flag_disputed_columns(pages, [(0, two, grid), (1, two, grid)])
    assert none == [] and not any(f.needs_review for recs in same for r in recs for f in r.fields.values())


def test_a_column_whose_header_reads_differently_is_read_as_the_role_its_text_bears_out() -> None:
    """Page 2 read the 電話番号 header as 番号: the column's text passes the phone number's check on both
    pages and the row number's on neither, so page 2's cells are read again as phone numbers, flagged
    (they went missing from page 2's records, as if the ledger printed none there)."""
    from ocr.columns import flag_disputed_columns, settle_disputed_roles
    from ocr.model import ColumnMap, FieldValue, Grid, Record
    from ocr.pipeline import _reparse

    grid = Grid(page=1, xs=(0, 100, 400, 600), ys=(0, 50, 100))

    def rec(page: int, row: int, **values: str) -> Record:
        fields = {k: FieldValue(v, 0.95, False, page, (0, 0, 1, 1), raw=v) for k, v in values.items()}
        return Record(page=page, row=row, fields=fields)

    one = ColumnMap(header_row=0, columns=((0, "sex"), (2, "phone")))
    two = ColumnMap(header_row=0, columns=((0, "sex"), (2, "no")))
    pages = [
        (rec(1, 1, sex="女", phone="03-3251-4293"), rec(1, 2, sex="男", phone="090-4463-9300")),
        (rec(2, 1, sex="男", no="080-6271-7270"), rec(2, 2, sex="女", no="045-929-5793")),
    ]
    maps = [(0, one, grid), (1, two, grid)]
    out, warnings = flag_disputed_columns(settle_disputed_roles(pages, maps, _reparse), maps)
    second = out[1][0]
    assert "no" not in second.fields and "no" in second.missing
    assert second.fields["phone"].value == "080-6271-7270" and second.fields["phone"].needs_review
    assert out[0][0].fields["phone"].needs_review and len(warnings) == 1
    # text that passes no check of the roles named is left as each page read it
    pages[1] = (rec(2, 1, sex="男", no="林"), rec(2, 2, sex="女", no="森"))
    kept = settle_disputed_roles(pages, maps, _reparse)
    assert kept[1][0].fields["no"].value == "林"


def _two_row_header_ledger(path: Path) -> list[dict[str, object]]:
    """A ledger whose 保護者 heading spans two columns (氏名, 電話番号) in a second header row."""
    from PIL import Image, ImageDraw, ImageFont

    font = "/usr/share/fonts/opentype/ipaexfont-gothic/ipaexg.ttf"
    big, small = ImageFont.truetype(font, 34), ImageFont.truetype(font, 30)
    widths = [120, 420, 380, 120, 380, 380, 400, 900]
    heads = ["番号", "ふりがな", "氏名", "性別", "生年月日", None, None, "住所"]
    people = [("山田", "太郎", "やまだ", "たろう", "男", "一郎", "03-1234-5678", "横浜市青葉区若葉1丁目2番3号"),
              ("鈴木", "花子", "すずき", "はなこ", "女", "次郎", "045-123-4567", "川崎市幸区本町2丁目3番4号"),
              ("佐藤", "健太", "さとう", "けんた", "男", "三郎", "090-1234-5678", "町田市中央3丁目4番5号"),
              ("田中", "結衣", "たなか", "ゆい", "女", "四郎", "080-2345-6789", "調布市東町4丁目5番6号")]
    rows = [
        (str(n), f"{fk}　{gk}", f"{f}　{g}", sex, f"平成30年{n + 4}月{n}日", f"{f}　{guardian}", phone, address)
        for n, (f, g, fk, gk, sex, guardian, phone, address) in enumerate(people, start=1)
    ]
    im = Image.new("L", (3508, 2480), 255)
    d = ImageDraw.Draw(im)
    xs = [150]
    for w in widths:
        xs.append(xs[-1] + w)
    ys = [300, 360, 420] + [420 + 120 * (i + 1) for i in range(len(rows))]
    for y in [ys[0], *ys[2:]]:
        d.line([(xs[0], y), (xs[-1], y)], fill=0, width=4)
    d.line([(xs[5], ys[1]), (xs[7], ys[1])], fill=0, width=4)  # under 保護者 only
    for i, x in enumerate(xs):
        d.line([(x, ys[1] if i == 6 else ys[0]), (x, ys[-1])], fill=0, width=4)

    def centred(text: str, a: int, b: int, top: int, bottom: int) -> None:
        d.text(((a + b - d.textlength(text, font=big)) / 2, (top + bottom) / 2 - 20), text, font=big, fill=0)

    for i, head in enumerate(heads):
        if head:
            centred(head, xs[i], xs[i + 1], ys[0], ys[2])
    centred("保護者", xs[5], xs[7], ys[0], ys[1])
    centred("氏名", xs[5], xs[6], ys[1], ys[2])
    centred("電話番号", xs[6], xs[7], ys[1], ys[2])
    for r, row in enumerate(rows):
        for i, text in enumerate(row):
            d.text((xs[i] + 20, ys[2] + 120 * r + 40), text, font=small, fill=0)
    im.save(path, dpi=(300, 300))
    return [{"family_name": p[0], "guardian": p[0] + p[5], "phone": p[6]} for p in people]


@needs_tesseract
def test_a_heading_over_two_columns_in_a_second_header_row_names_them(tmp_path: Path) -> None:
    """保護者 over 氏名 | 電話番号: the sub-column 氏名 holds the guardian, not the pupil."""
    want = _two_row_header_ledger(tmp_path / "two_rows.png")
    res = ocr.extract_file(tmp_path / "two_rows.png")
    assert not res.warnings
    got = [
        {
            "family_name": r.fields["family_name"].value,
            "guardian": str(r.fields["guardian"].value).replace(" ", ""),
            "phone": r.fields["phone"].value,
        }
        for r in res.records
    ]
    assert got == want
