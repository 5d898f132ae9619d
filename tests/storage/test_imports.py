"""Ledger imports: drafts, duplicates, and a commit that stores all rows or none."""

from __future__ import annotations

import pytest

from storage import audit, imports, students
from storage.errors import InputError
from storage.store import Store


def _result(rows: list[dict[str, str]], flagged: set[tuple[int, str]] = frozenset()) -> dict[str, object]:
    return {
        "file": "ledger.tif",
        "pages": 1,
        "records": [
            {
                "page": 1,
                "row": n,
                "fields": {
                    k: {"value": v, "confidence": 0.9, "needs_review": (n, k) in flagged, "bbox": [0, 0, 10, 10]}
                    for k, v in row.items()
                },
            }
            for n, row in enumerate(rows, start=1)
        ],
    }


ROWS = [
    {"family_name": "山田", "given_name": "花子", "family_kana": "ヤマダ", "given_kana": "ハナコ", "sex": "女",
     "birth_date": "2019-05-01", "guardian": "山田 一郎", "phone": "03-1234-5678"},
    {"family_name": "鈴木", "given_name": "翔", "family_kana": "すずき", "given_kana": "しょう", "sex": "男",
     "birth_date": "2019-07-07"},
]


def _rows(result: dict[str, object]) -> list[imports.ImportRow]:
    return [
        imports.ImportRow(r["page"], r["row"], imports.to_student_data(imports.record_values(r)))  # type: ignore[index]
        for r in result["records"]  # type: ignore[attr-defined]
    ]


def test_draft_round_trip_counts_flags_and_keeps_images(store: Store) -> None:
    result = _result(ROWS, {(2, "given_name")})
    draft_id = imports.save_draft(store, file_name="ledger.tif", file_sha256="ab" * 32, result=result,
                                  page_images=[b"\x89PNG page one"])
    [info] = imports.list_drafts(store)
    assert (info.rows, info.flagged) == (2, 1)
    _, loaded = imports.load_draft(store, draft_id)
    assert loaded == result
    assert imports.page_image(store, draft_id, 1) == b"\x89PNG page one"
    assert students.list_students(store, view="test") == []  # nothing stored before commit


def test_commit_stores_all_rows_in_one_audited_step_and_drops_the_draft(store: Store) -> None:
    result = _result(ROWS)
    draft_id = imports.save_draft(store, file_name="ledger.tif", file_sha256="ab" * 32, result=result,
                                  page_images=[b"png"])
    summary = imports.commit_import(store, file_name="ledger.tif", file_sha256="ab" * 32, pages=1,
                                    rows=_rows(result), draft_id=draft_id)
    assert (summary.added, summary.merged, summary.skipped) == (2, 0, 0)
    names = sorted(s.full_name for s in students.list_students(store, view="test"))
    assert names == ["山田 花子", "鈴木 翔"]
    assert imports.list_drafts(store) == []
    assert imports.page_image(store, draft_id, 1) is None
    commits = [e for e in audit.entries(store) if e.action == "import.commit"]
    assert commits[0].detail["file"] == "ledger.tif"
    assert commits[0].detail["rows"] == [[1, 1], [1, 2]]


def test_one_invalid_row_stores_nothing_and_names_the_row(store: Store) -> None:
    bad = [ROWS[0], {**ROWS[1], "birth_date": "平成31年5月1日"}]
    with pytest.raises(InputError) as caught:
        imports.commit_import(store, file_name="x.tif", file_sha256="00" * 32, pages=1, rows=_rows(_result(bad)))
    assert "row 2" in str(caught.value)
    assert students.list_students(store, view="test") == []


def test_duplicates_by_name_or_kana_and_birth_date_can_be_merged_or_skipped(store: Store) -> None:
    existing = students.add_student(
        store, students.StudentData("山田", "花子", "やまだ", "はなこ", "女", "2019-05-01")
    )
    kana_twin = {**ROWS[0], "family_name": "山多"}  # OCR got the kanji wrong, kana and birth match
    candidates = [imports.to_student_data(v) for v in (ROWS[0], kana_twin, ROWS[1])]
    found = imports.find_duplicates(store, candidates)
    assert set(found) == {0, 1}
    assert found[0][0].id == existing
    rows = _rows(_result([ROWS[0], kana_twin]))
    decided = [
        imports.ImportRow(1, 1, rows[0].data, imports.Decision("merge", existing)),
        imports.ImportRow(1, 2, rows[1].data, imports.Decision("skip")),
    ]
    summary = imports.commit_import(store, file_name="y.tif", file_sha256="11" * 32, pages=1, rows=decided)
    assert (summary.added, summary.merged, summary.skipped) == (0, 1, 1)
    [only] = students.list_students(store, view="test")
    assert only.guardian_name == "山田 一郎"  # merged from the ledger
    assert only.phone is not None


def test_a_clean_ledger_with_a_column_left_unread_waits_as_a_draft(store: Store) -> None:
    """Every value confident, but one column's header could not be read: its values are on the paper
    and not in the rows, so a person must see the ledger before anything is stored."""
    from app.ledger_flow import Extraction, import_extraction

    warned = {**_result(ROWS), "warnings": ["1ページ: 左から7列目の見出しが読めず… / page 1: …"]}
    outcome = import_extraction(store, Extraction("ledger.tif", "ab" * 32, warned, (b"png",)))
    assert outcome.draft_id is not None and outcome.summary is None
    assert students.list_students(store, view="test") == []
    clean = import_extraction(store, Extraction("other.tif", "cd" * 32, _result(ROWS), (b"png",)))
    assert clean.summary is not None and clean.summary.added == 2


def test_a_clean_ledger_without_a_column_the_store_needs_waits_as_a_draft_to_fill_in(store: Store) -> None:
    """A board's ledger printed without ふりがな: every value read is sure, but the store needs the
    kana, so the import neither fails at row 1 nor loses the reading: it is a draft whose kana
    cells are flagged for the reviewer, offered the dictionary reading of the name."""
    from app.ledger_flow import Extraction, import_extraction

    no_kana = [{k: v for k, v in r.items() if not k.endswith("_kana")} for r in ROWS]
    result = {**_result(no_kana), "records": [{**r, "missing": ["family_kana", "given_kana"]}
                                              for r in _result(no_kana)["records"]]}  # type: ignore[attr-defined]
    ready = imports.with_required_cells(result)  # as extract_for_review hands it over
    outcome = import_extraction(store, Extraction("ledger.tif", "ab" * 32, ready, (b"png",)))
    assert outcome.draft_id is not None and outcome.summary is None
    assert outcome.flagged == 4  # two kana cells in each of the two rows
    _, draft = imports.load_draft(store, outcome.draft_id)
    kana = draft["records"][0]["fields"]["family_kana"]  # 山田: the dictionary reading is offered
    assert kana["value"] == "ヤマダ" and kana["needs_review"] and kana["reasons"] == [imports.KANA_FROM_DICTIONARY]
    assert students.list_students(store, view="test") == []
