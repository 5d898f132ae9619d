"""Tampering with the sealed register is caught and the exact sheet is named."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from storage import attendance, signing
from storage.attendance import canonical, sheets
from storage.store import Store
from tests.conftest import PASSPHRASE
from tests.storage.helpers import raw_connection
from tests.storage.test_attendance import OTHER, TEACHER, WEEK1, WEEK2, _school

DAYS = WEEK1 + WEEK2


@pytest.fixture
def sealed(store: Store, store_dir: Path) -> tuple[Path, int, list[int]]:
    one, _two, ids = _school(store)
    store.close()
    with Store.open(store_dir, "tanaka", TEACHER) as teacher:
        for n, day in enumerate(DAYS):
            attendance.mark(teacher, one, day, ids[n % len(ids)], "absent_sick")
            attendance.seal(teacher, one, day)
        attendance.correct(teacher, one, DAYS[3], {ids[0]: ("late", "")}, "記入漏れ")
        assert attendance.verify(teacher).ok
    return store_dir, one, ids


def _verify(store_dir: Path) -> attendance.Verification:
    with Store.open(store_dir, "admin", PASSPHRASE) as admin:
        result = attendance.verify(admin)
    assert not result.ok
    assert result.failing is not None
    return result


@pytest.fixture
def raw(sealed: tuple[Path, int, list[int]]) -> Iterator[Any]:
    conn = raw_connection(sealed[0], "admin", PASSPHRASE)
    for name in (
        "attendance_sheets_no_update",
        "attendance_sheets_no_delete",
        "attendance_entries_no_update",
        "attendance_entries_no_delete",
    ):
        conn.execute(f"DROP TRIGGER {name}")
    yield conn
    conn.close()


def _named(result: attendance.Verification, day: date, revision: int = 0) -> None:
    assert result.failing is not None
    assert (result.failing.class_label, result.failing.date, result.failing.revision) == (
        "1年1組",
        day.isoformat(),
        revision,
    )
    assert day.isoformat() in result.message


def test_status_changed_through_raw_sql_is_named(sealed: tuple[Path, int, list[int]], raw: Any) -> None:
    raw.execute(
        "UPDATE attendance_entries SET status = 'present' WHERE status = 'absent_sick' AND sheet_id = "
        "(SELECT id FROM attendance_sheets WHERE date = ? AND revision = 0)",
        (DAYS[5].isoformat(),),
    )
    raw.close()
    result = _verify(sealed[0])
    _named(result, DAYS[5])
    assert "differs from the signed sheet" in result.reason_en


def test_signed_bytes_edited_with_the_hash_recomputed_fail_the_signature(
    sealed: tuple[Path, int, list[int]], raw: Any
) -> None:
    row = raw.execute(
        "SELECT id, canonical FROM attendance_sheets WHERE date = ?", (DAYS[6].isoformat(),)
    ).fetchone()
    forged = bytes(row["canonical"]).replace(b'"absent_sick"', b'"present"')
    raw.execute(
        "UPDATE attendance_sheets SET canonical = ?, hash = ? WHERE id = ?",
        (forged, canonical.sheet_hash(forged), row["id"]),
    )
    raw.close()
    result = _verify(sealed[0])
    _named(result, DAYS[6])
    assert "signature" in result.reason_en


def test_a_deleted_sheet_is_named(sealed: tuple[Path, int, list[int]], raw: Any) -> None:
    raw.execute(
        "DELETE FROM attendance_entries WHERE sheet_id = (SELECT id FROM attendance_sheets WHERE date = ?)",
        (DAYS[2].isoformat(),),
    )
    raw.execute("DELETE FROM attendance_sheets WHERE date = ?", (DAYS[2].isoformat(),))
    raw.close()
    result = _verify(sealed[0])
    _named(result, DAYS[2])
    assert "deleted" in result.reason_en


def test_deleting_the_newest_sheet_is_caught(sealed: tuple[Path, int, list[int]], raw: Any) -> None:
    last = raw.execute(
        "SELECT id, date, revision FROM attendance_sheets ORDER BY chain_seq DESC LIMIT 1"
    ).fetchone()
    raw.execute("DELETE FROM attendance_entries WHERE sheet_id = ?", (last["id"],))
    raw.execute("DELETE FROM attendance_sheets WHERE id = ?", (last["id"],))
    raw.close()
    result = _verify(sealed[0])
    _named(result, date.fromisoformat(last["date"]), last["revision"])
    assert "deleted" in result.reason_en


def test_two_swapped_sheets_are_named(sealed: tuple[Path, int, list[int]], raw: Any) -> None:
    a, b = (
        raw.execute(
            "SELECT id, chain_seq FROM attendance_sheets WHERE date = ? AND revision = 0", (d.isoformat(),)
        ).fetchone()
        for d in (DAYS[1], DAYS[4])
    )
    raw.execute("UPDATE attendance_sheets SET chain_seq = 1000000 WHERE id = ?", (a["id"],))
    raw.execute("UPDATE attendance_sheets SET chain_seq = ? WHERE id = ?", (a["chain_seq"], b["id"]))
    raw.execute("UPDATE attendance_sheets SET chain_seq = ? WHERE id = ?", (b["chain_seq"], a["id"]))
    raw.close()
    result = _verify(sealed[0])
    _named(result, DAYS[4])  # now in the place of the earlier one
    assert "out of place" in result.reason_en


def test_a_signature_from_another_users_key_is_named(sealed: tuple[Path, int, list[int]]) -> None:
    store_dir = sealed[0]
    with Store.open(store_dir, "suzuki", OTHER) as other:
        key_id, private = signing.private_key(other)
    conn = raw_connection(store_dir, "admin", PASSPHRASE)
    conn.execute("DROP TRIGGER attendance_sheets_no_update")
    row = conn.execute(
        "SELECT id, canonical FROM attendance_sheets WHERE date = ?", (DAYS[7].isoformat(),)
    ).fetchone()
    data = bytes(row["canonical"])
    conn.execute("UPDATE attendance_sheets SET signature = ? WHERE id = ?", (private.sign(data), row["id"]))
    conn.close()
    result = _verify(store_dir)
    _named(result, DAYS[7])
    assert "tanaka's key" in result.reason_en

    # Re-signed naming suzuki's key but still claiming tanaka as the signer.
    conn = raw_connection(store_dir, "admin", PASSPHRASE)
    sheet = canonical.decode(data)
    forged = canonical.encode(canonical.SignedSheet(**{**sheet.__dict__, "key_id": key_id}))
    conn.execute(
        "UPDATE attendance_sheets SET canonical = ?, hash = ?, signature = ?, key_id = ? WHERE id = ?",
        (forged, canonical.sheet_hash(forged), private.sign(forged), key_id, row["id"]),
    )
    conn.close()
    result = _verify(store_dir)
    _named(result, DAYS[7])
    assert "suzuki's key" in result.reason_en


def test_a_revision_pointing_at_the_wrong_sheet_is_named(sealed: tuple[Path, int, list[int]]) -> None:
    store_dir, one, _ids = sealed
    with Store.open(store_dir, "tanaka", TEACHER) as teacher:
        wrong = attendance.latest_sheet(teacher, one, DAYS[0])
        assert wrong is not None
        wrong_id = teacher.query_one("SELECT id FROM attendance_sheets WHERE hash = ?", (wrong.hash,))["id"]
        entries = attendance.sheet_entries(teacher, one, DAYS[8], 0)
        changed = [canonical.Entry(e.student_id, e.attendance_no, "mourning", "") for e in entries]
        with teacher.transaction():  # a properly signed revision of DAYS[8] that names DAYS[0]'s sheet
            sheets._append(
                teacher,
                one,
                DAYS[8],
                changed,
                signing.private_key(teacher),
                corrects=wrong,
                corrects_id=wrong_id,
                reason="偽の訂正",
            )
    result = _verify(store_dir)
    _named(result, DAYS[8], 1)
    assert "does not point at the sheet it corrects" in result.reason_en


def test_a_revision_relinked_through_raw_sql_is_named(sealed: tuple[Path, int, list[int]], raw: Any) -> None:
    other = raw.execute("SELECT id FROM attendance_sheets WHERE date = ?", (DAYS[0].isoformat(),)).fetchone()[
        "id"
    ]
    raw.execute("UPDATE attendance_sheets SET corrects_id = ? WHERE revision = 1", (other,))
    raw.close()
    result = _verify(sealed[0])
    _named(result, DAYS[3], 1)


def test_the_month_grid_loses_its_verified_mark(sealed: tuple[Path, int, list[int]], raw: Any) -> None:
    raw.execute(
        "UPDATE attendance_entries SET status = 'present' WHERE status = 'absent_sick' AND sheet_id = "
        "(SELECT id FROM attendance_sheets WHERE date = ?)",
        (DAYS[9].isoformat(),),
    )
    raw.close()
    with Store.open(sealed[0], "tanaka", TEACHER) as teacher:
        grid = attendance.month_grid(teacher, sealed[1], 2025, 6)
        may = attendance.month_grid(teacher, sealed[1], 2025, 5)
    assert not grid.verified
    assert grid.problem is not None and DAYS[9].isoformat() in grid.problem
    assert may.verified
