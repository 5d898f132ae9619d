"""Retention: what falls due per rule, and purges that are signed, audited and leave the
audit and attendance chains verifiable."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from pyrage import x25519

from storage import attendance, audit, backup, classes, policy, recipients, retention, students, users
from storage.errors import InputError, PolicyError
from storage.store import Store
from tests.conftest import PASSPHRASE
from tests.storage.helpers import raw_connection

TEACHER = "tanaka-passphrase"
OLD = [date(2018, 6, d) for d in (4, 5, 6)]  # school year 2018: due after 2024-03-31
NEW = [date(2025, 6, d) for d in (2, 3)]
TODAY = date(2025, 6, 30)


@pytest.fixture
def school(store: Store, store_dir: Path) -> tuple[Path, list[int]]:
    users.add_user(store, "tanaka", "teacher", "田中", TEACHER)
    old = classes.add_class(store, 2018, 1, "1", "tanaka")
    new = classes.add_class(store, 2025, 1, "1", "tanaka")
    ids = [
        students.add_student(store, students.StudentData("山田", f"花子{i}", "やまだ", "はなこ", "女", "2012-05-05"))
        for i in range(3)
    ]
    classes.enrol(store, old.id, ids[:2], "2018-04-01")
    classes.enrol(store, new.id, ids[2:], "2025-04-01")
    attendance.set_days(store, OLD + NEW, "school_day")
    store.close()
    with Store.open(store_dir, "tanaka", TEACHER) as teacher:
        for day in OLD:
            attendance.seal(teacher, old.id, day)
        attendance.correct(teacher, old.id, OLD[0], {ids[0]: ("absent_sick", "")}, "診断書")
        for day in NEW:
            attendance.seal(teacher, new.id, day)
    return store_dir, ids


def _admin(path: Path) -> Store:
    return Store.open(path, "admin", PASSPHRASE)


def test_report_lists_what_fell_due(school: tuple[Path, list[int]]) -> None:
    path, _ids = school
    with _admin(path) as store:
        found = {r.kind: r for r in retention.report(store, today=TODAY)}
        assert found["attendance"].held == 6 and found["attendance"].due == 4
        assert found["attendance"].purgeable == 4 and found["attendance"].years == (2018,)
        assert found["student_record"].due == 0
        assert found["audit"].purgeable == 0
        assert any(e.action == "retention.report" for e in audit.entries(store, limit=5))
        nothing = {r.kind: r for r in retention.report(store, today=date(2024, 3, 31))}
        assert nothing["attendance"].due == 0


def test_a_purge_is_signed_audited_and_the_chains_still_verify(school: tuple[Path, list[int]]) -> None:
    path, _ids = school
    with _admin(path) as store:
        done = retention.purge(store, kinds=["attendance"], today=TODAY)
        assert [(p.kind, p.count, p.years) for p in done] == [("attendance", 4, (2018,))]
        assert len(store.query("SELECT id FROM attendance_sheets")) == 2
        assert audit.verify(store).ok
        checked = attendance.verify(store)
        assert checked.ok, checked.message
        assert retention.verify_purges(store).ok
        entry = next(e for e in audit.entries(store, limit=5) if e.action == "retention.purge")
        assert entry.detail["kind"] == "attendance" and entry.detail["years"] == [2018]
        assert entry.detail["record_hash"] == done[0].record_hash
        assert retention.purge(store, kinds=["attendance"], today=TODAY) == []  # idempotent
    with _admin(path) as store:  # the chain goes on from the checkpoint
        info = classes.list_classes(store, 2025)[0]
        attendance.set_days(store, [date(2025, 6, 4)], "school_day")
    with Store.open(path, "tanaka", TEACHER) as teacher:
        attendance.seal(teacher, info.id, date(2025, 6, 4))
        assert attendance.verify(teacher).ok
        assert attendance.verify_range(teacher, info.id, date(2025, 6, 1), date(2025, 6, 30)).ok


def test_the_newest_sheet_and_sheets_before_unexpired_ones_stay(school: tuple[Path, list[int]]) -> None:
    path, _ids = school
    with _admin(path) as store:
        found = {r.kind: r for r in retention.report(store, today=date(2040, 1, 1))}
        assert found["attendance"].due == 6 and found["attendance"].purgeable == 5  # the head stays


def test_an_altered_purge_record_breaks_the_chain(school: tuple[Path, list[int]]) -> None:
    path, _ids = school
    with _admin(path) as store:
        retention.purge(store, kinds=["attendance"], today=TODAY)
    conn = raw_connection(path, "admin", PASSPHRASE)
    conn.execute("DROP TRIGGER retention_purges_no_update")
    conn.execute(
        "UPDATE retention_purges SET canonical = CAST(replace(CAST(canonical AS TEXT), '2018', '2019') AS BLOB)"
    )
    conn.close()
    with _admin(path) as store:
        assert not retention.verify_purges(store).ok
        assert not attendance.verify(store).ok


def test_sheets_deleted_without_a_purge_record_are_caught(school: tuple[Path, list[int]]) -> None:
    path, _ids = school
    conn = raw_connection(path, "admin", PASSPHRASE)
    conn.execute("PRAGMA foreign_keys = OFF")
    conn.execute("DROP TRIGGER attendance_entries_no_delete")
    conn.execute("DROP TRIGGER attendance_sheets_no_delete")
    conn.execute(
        "DELETE FROM attendance_entries WHERE sheet_id IN (SELECT id FROM attendance_sheets WHERE chain_seq <= 2)"
    )
    conn.execute("DELETE FROM attendance_sheets WHERE chain_seq <= 2")
    conn.close()
    with _admin(path) as store:
        assert not attendance.verify(store).ok


def test_only_an_administrator_with_a_signing_key_purges(school: tuple[Path, list[int]], tmp_path: Path) -> None:
    path, _ids = school
    with Store.open(path, "tanaka", TEACHER) as teacher:
        with pytest.raises(PolicyError):
            retention.purge(teacher, today=TODAY)
        with pytest.raises(PolicyError):
            retention.report(teacher, today=TODAY)
    with _admin(path) as store:
        key = store.replace_recovery_key()
    with Store.open_with_recovery(path, key) as recovery:
        with pytest.raises(PolicyError) as caught:
            retention.purge(recovery, today=TODAY)
        assert caught.value.code == "signing.no_key"
        assert len(recovery.query("SELECT id FROM attendance_sheets")) == 6


def test_student_records_go_twenty_years_after_leaving(store: Store) -> None:
    left = students.add_student(store, students.StudentData("佐藤", "一", "さとう", "はじめ", "男", "1990-05-05"))
    kept = students.add_student(store, students.StudentData("佐藤", "二", "さとう", "じろう", "男", "2000-05-05"))
    with store.transaction():
        store.execute("UPDATE students SET status = 'graduated', left_on = '2003-03-20' WHERE id = ?", (left,))
        store.execute("UPDATE students SET status = 'graduated', left_on = '2012-03-20' WHERE id = ?", (kept,))
    found = {r.kind: r for r in retention.report(store, today=TODAY)}
    assert found["student_record"].due == 1 and found["student_record"].years == (2003,)
    done = retention.purge(store, kinds=["student_record"], today=TODAY)
    assert [(p.kind, p.count) for p in done] == [("student_record", 1)]
    assert [r["id"] for r in store.query("SELECT id FROM students")] == [kept]
    assert audit.verify(store).ok and retention.verify_purges(store).ok


def test_images_of_reviewed_drafts_go(store: Store) -> None:
    with store.transaction():
        for status in ("committed", "open"):
            cur = store.execute(
                "INSERT INTO import_drafts (file_name, file_sha256, pages, rows, flagged, result, status, created_by, "
                "created_at, updated_at) VALUES ('fax.tif', ?, 1, 0, 0, '{}', ?, 'admin', '2025-04-01T09:00:00+09:00', "
                "'2025-04-01T09:00:00+09:00')",
                ("00" * 32, status),
            )
            store.execute("INSERT INTO import_draft_pages (draft_id, page, image) VALUES (?, 1, x'89504e47')",
                          (cur.lastrowid,))
    found = {r.kind: r for r in retention.report(store, today=TODAY)}
    assert (found["ledger_images"].held, found["ledger_images"].due) == (2, 1)
    done = retention.purge(store, kinds=["ledger_images"], today=TODAY)
    assert [(p.kind, p.count) for p in done] == [("ledger_images", 1)]
    assert store.query_one("SELECT count(*) AS n FROM import_draft_pages")["n"] == 1


def test_periods_can_be_lengthened_not_shortened(store: Store) -> None:
    with pytest.raises(InputError):
        retention.set_years(store, "attendance", 4)
    retention.set_years(store, "attendance", 10)
    assert retention.years_for(store, "attendance") == 10
    with pytest.raises(InputError):
        retention.purge(store, kinds=["audit"])


def test_a_backup_after_a_purge_restores_and_verifies(school: tuple[Path, list[int]], tmp_path: Path) -> None:
    path, _ids = school
    identity = x25519.Identity.generate()
    out = tmp_path / "out"
    out.mkdir()
    with _admin(path) as store:
        retention.purge(store, today=TODAY)
        policy.allow_destination(store, out)
        recipients.add(store, "backup", str(identity.to_public()))
        backup.configure(store, recipient="backup")
        made = backup.create(store, destination=out)
        recovery = store.replace_recovery_key()
    # the recovery slot in the backup is the one from before replace: use a fresh backup
    with _admin(path) as store:
        made = backup.create(store, destination=out)
    done = backup.restore(made.path, tmp_path / "restored", identities=[identity], recovery_key=recovery)
    with Store.open(done.store_path, "admin", PASSPHRASE) as restored:
        assert attendance.verify(restored).ok and audit.verify(restored).ok
