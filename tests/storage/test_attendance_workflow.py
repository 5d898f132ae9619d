"""Issue 10: reopening keeps marks, dated membership, actionable errors, month close and
countersign, year seal and reopen, missing attendance."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from storage import attendance, audit, classes, students, users
from storage.attendance import records
from storage.db import DatabaseError
from storage.errors import InputError, PolicyError
from storage.store import Store
from tests.conftest import PASSPHRASE
from tests.storage.helpers import raw_connection

TEACHER = "tanaka-passphrase"
PRINCIPAL = "kocho-passphrase"
YEAR = 2025
JUNE = [date(2025, 6, d) for d in (2, 3, 4, 5, 6, 9, 10)]
JULY = [date(2025, 7, d) for d in (1, 2)]
AFTER_YEAR = date(2026, 4, 10)
PASSES = {"tanaka": TEACHER, "suzuki": TEACHER, "kocho": PRINCIPAL, "admin": PASSPHRASE}

School = tuple[Path, int, int, list[int]]


def _as(store_dir: Path, login: str) -> Store:
    return Store.open(store_dir, login, PASSES[login])


@pytest.fixture
def school(store: Store, store_dir: Path) -> School:
    users.add_user(store, "tanaka", "teacher", "田中", TEACHER)
    users.add_user(store, "suzuki", "teacher", "鈴木", TEACHER)
    users.add_user(store, "kocho", "administrator", "校長 一郎", PRINCIPAL)
    users.set_principal(store, "kocho")
    one = classes.add_class(store, YEAR, 1, "1", "tanaka")
    two = classes.add_class(store, YEAR, 1, "2", "suzuki")
    ids = [
        students.add_student(
            store, students.StudentData("山田", f"花子{i}", "やまだ", f"はなこ{'あいうえお'[i]}", "女", "2019-05-05")
        )
        for i in range(4)
    ]
    classes.enrol(store, one.id, ids, f"{YEAR}-04-01", kana_order=False)
    attendance.set_days(store, JUNE + JULY, "school_day")
    store.close()
    return store_dir, one.id, two.id, ids


def _seal_all(store_dir: Path, class_id: int, days: list[date], login: str = "tanaka") -> None:
    with _as(store_dir, login) as teacher:
        for day in days:
            attendance.seal(teacher, class_id, day)


# --- reopening never changes saved marks -----------------------------------------------------------


def test_reopening_a_day_never_changes_saved_marks(school: School) -> None:
    store_dir, one, _two, ids = school
    day = JUNE[0]
    with _as(store_dir, "tanaka") as teacher:
        attendance.mark(teacher, one, day, ids[1], "absent_sick", "発熱")
        attendance.mark(teacher, one, day, ids[2], "late")
        first = attendance.month_grid(teacher, one, 2025, 6)
        saved = [tuple(r) for r in teacher.query("SELECT * FROM attendance_marks ORDER BY student_id")]
    # close the register (lock the store) and open it again
    with _as(store_dir, "tanaka") as teacher:
        second = attendance.month_grid(teacher, one, 2025, 6)
        assert [tuple(r) for r in teacher.query("SELECT * FROM attendance_marks ORDER BY student_id")] == saved
    cells = [{r.student_id: r.cells[day] for r in g.rows} for g in (first, second)]
    assert cells[0] == cells[1]
    assert (cells[1][ids[1]].status, cells[1][ids[1]].note, cells[1][ids[1]].marked) == ("absent_sick", "発熱", True)
    assert (cells[1][ids[2]].status, cells[1][ids[2]].marked) == ("late", True)
    # defaults only for students with no mark, and never written
    assert (cells[1][ids[0]].status, cells[1][ids[0]].marked) == ("present", False)
    assert len(saved) == 2
    # sealing uses the saved marks; reopening the sealed day shows the same values
    with _as(store_dir, "tanaka") as teacher:
        attendance.seal(teacher, one, day)
    with _as(store_dir, "tanaka") as teacher:
        third = attendance.month_grid(teacher, one, 2025, 6)
    after = {r.student_id: r.cells[day] for r in third.rows}
    assert {s: (c.status, c.note) for s, c in after.items()} == {s: (c.status, c.note) for s, c in cells[0].items()}


# --- dated membership --------------------------------------------------------------------------------


def test_moving_a_student_keeps_sealed_months_and_they_verify(school: School) -> None:
    store_dir, one, two, ids = school
    _seal_all(store_dir, one, JUNE)
    with _as(store_dir, "tanaka") as teacher:
        before = attendance.month_grid(teacher, one, 2025, 6)
        sheet = attendance.latest_sheet(teacher, one, JUNE[0])
    with _as(store_dir, "admin") as admin:
        # back-dated into sealed days: refused, naming the day
        with pytest.raises(PolicyError) as caught:
            classes.move_student(admin, ids[3], two, "2025-06-01")
        assert caught.value.code == "class.membership_sealed" and caught.value.fix == "class_membership"
        [(mid, *_rest)] = classes.memberships_of(admin, ids[0])
        with pytest.raises(PolicyError):
            classes.set_membership_dates(admin, mid, "2025-06-05", None)  # would drop 06-02..04
        # after the sealed days: fine
        classes.move_student(admin, ids[3], two, "2025-06-11")
        classes.set_membership_dates(admin, mid, "2025-04-01", "2025-06-30")
        assert [m[1] for m in classes.memberships_of(admin, ids[3])] == [one, two]
        assert classes.student_class(admin, ids[3], date(2025, 6, 10)).id == one
        assert classes.student_class(admin, ids[3], date(2025, 7, 1)).id == two
        assert attendance.verify(admin).ok
        after = attendance.month_grid(admin, one, 2025, 6)
        assert attendance.latest_sheet(admin, one, JUNE[0]) == sheet
        july = attendance.month_grid(admin, one, 2025, 7)
        assert ids[3] not in {r.student_id for r in july.rows}
    assert [(r.student_id, r.attendance_no, r.cells) for r in after.rows] == [
        (r.student_id, r.attendance_no, r.cells) for r in before.rows
    ]
    assert after.verified


def test_a_sealed_month_keeps_its_roster_even_if_dates_were_edited_underneath(school: School) -> None:
    store_dir, one, _two, ids = school
    _seal_all(store_dir, one, JUNE[:2])
    conn = raw_connection(store_dir, "admin", PASSPHRASE)  # an older app or a direct edit
    conn.execute("UPDATE class_memberships SET from_date = '2025-07-01' WHERE student_id = ?", (ids[2],))
    conn.close()
    with _as(store_dir, "tanaka") as teacher:
        grid = attendance.month_grid(teacher, one, 2025, 6)
        summary = {s.student_id: s for s in attendance.summarise(teacher, one, YEAR, until=JUNE[1])}
    row = next(r for r in grid.rows if r.student_id == ids[2])
    assert sorted(row.cells) == JUNE[:2]  # the sealed days, as sealed; not the unsealed ones
    assert summary[ids[2]].year.lesson_days == 2
    assert grid.verified


# --- actionable errors -----------------------------------------------------------------------------


def test_setup_problems_say_what_is_missing_and_where_to_fix_it(store: Store) -> None:
    users.add_user(store, "tanaka", "teacher", "田中", TEACHER)
    bare = classes.add_class(store, YEAR, 2, "1")  # no homeroom, no students
    kept = classes.add_class(store, YEAR, 2, "2", "tanaka")
    classes.assign_teacher(store, bare.id, "admin")
    with pytest.raises(InputError) as caught:
        attendance.seal(store, bare.id, JUNE[0])
    assert caught.value.code == "attendance.calendar_missing" and caught.value.fix == "calendar"
    assert "学校暦が設定されていません" in caught.value.message_ja and "not set up" in caught.value.message_en
    with pytest.raises(InputError) as caught:
        attendance.missing(store, JUNE[0])
    assert caught.value.fix == "calendar"
    problems = attendance.setup_problems(store, bare.id, JUNE[0])
    assert [p.fix for p in problems] == ["calendar", "homeroom", "class_membership"]
    attendance.set_days(store, JUNE, "school_day")
    with pytest.raises(InputError) as caught:
        attendance.seal(store, bare.id, date(2025, 6, 7))
    assert caught.value.code == "attendance.not_school_day" and caught.value.fix == "calendar"
    with pytest.raises(InputError) as caught:
        attendance.seal(store, bare.id, JUNE[0])
    assert caught.value.code == "attendance.empty_class" and caught.value.fix == "class_membership"
    with pytest.raises(InputError) as caught:
        attendance.close_month(store, bare.id, 2025, 6)
    assert caught.value.code == "attendance.no_homeroom" and caught.value.fix == "homeroom"
    loner = students.add_student(store, students.StudentData("佐藤", "蓮", "さとう", "れん", "男", "2019-04-10"))
    with pytest.raises(InputError) as caught:
        classes.student_class(store, loner, JUNE[0])
    assert caught.value.code == "student.no_class" and caught.value.fix == "class_membership"
    store.close()
    with Store.open(store.path, "tanaka", TEACHER) as teacher:
        with pytest.raises(InputError) as caught:
            attendance.mark(teacher, kept.id, JUNE[0], loner, "late")
        assert caught.value.fix == "class_membership"


def test_a_class_nobody_keeps_says_so(store: Store) -> None:
    users.add_user(store, "tanaka", "teacher", "田中", TEACHER)
    bare = classes.add_class(store, YEAR, 2, "1")
    attendance.set_days(store, JUNE, "school_day")
    store.close()
    with Store.open(store.path, "tanaka", TEACHER) as teacher, pytest.raises(PolicyError) as caught:
        attendance.seal(teacher, bare.id, JUNE[0])
    assert caught.value.code == "policy.attendance_no_teacher" and caught.value.fix == "homeroom"


# --- month close and countersign ------------------------------------------------------------------------


def test_month_close_countersign_and_state(school: School) -> None:
    store_dir, one, _two, ids = school
    _seal_all(store_dir, one, JUNE[:-1])
    with _as(store_dir, "tanaka") as teacher:
        state = attendance.month_state(teacher, one, 2025, 6)
        assert (state.state, state.missing_days) == ("open", (JUNE[-1],))
        with pytest.raises(InputError) as caught:
            attendance.close_month(teacher, one, 2025, 6)
        assert caught.value.code == "attendance.days_unsealed" and "2025-06-10" in caught.value.message_en
        attendance.mark(teacher, one, JUNE[-1], ids[0], "absent_sick")
        attendance.seal(teacher, one, JUNE[-1])
        closed = attendance.close_month(teacher, one, 2025, 6)
        assert (closed.state, closed.closed_by, closed.closed_by_name) == ("closed", "tanaka", "田中")
        assert closed.totals.absent_days == 1 and closed.totals.lesson_days == 4 * len(JUNE)
        with pytest.raises(InputError):
            attendance.close_month(teacher, one, 2025, 6)
        with pytest.raises(PolicyError) as refused:
            attendance.countersign_month(teacher, one, 2025, 6)
        assert refused.value.code == "policy.principal_only" and refused.value.exit_code == 5
    with _as(store_dir, "admin") as admin, pytest.raises(PolicyError):  # an administrator, not 校長
        attendance.countersign_month(admin, one, 2025, 6)
    with _as(store_dir, "suzuki") as other, pytest.raises(PolicyError) as refused:
        attendance.close_month(other, one, 2025, 6)
    assert refused.value.code == "policy.not_homeroom"
    with _as(store_dir, "kocho") as kocho:
        shown = attendance.month_state(kocho, one, 2025, 6)
        assert shown.state == "closed" and shown.totals.absent_days == 1
        with pytest.raises(InputError) as caught:
            attendance.countersign_month(kocho, one, 2025, 6, expected_close_hash="0" * 64)
        assert caught.value.code == "attendance.month_changed"
        signed = attendance.countersign_month(kocho, one, 2025, 6, expected_close_hash=shown.close_hash)
        assert (signed.state, signed.countersigned_by, signed.countersigned_by_name) == (
            "countersigned",
            "kocho",
            "校長 一郎",
        )
        [record] = records.records(kocho, kind=records.COUNTERSIGN)
        assert [tuple(s) for s in record.body["sheets"]] == list(signed.sheets)
        assert record.body["close"] == shown.close_hash
        assert len(record.body["sheets"]) == len(JUNE)
        states = attendance.month_states(kocho, one, YEAR)
        assert [(s.month, s.state) for s in states][2:4] == [(6, "countersigned"), (7, "open")]
        result = attendance.verify(kocho)
        assert result.ok and result.records == 2, result.message
    # a correction after the countersign: allowed, but the month must be closed and countersigned again
    with _as(store_dir, "tanaka") as teacher:
        attendance.correct(teacher, one, JUNE[-1], {ids[0]: ("mourning", "")}, "忌引と判明")
        again = attendance.month_state(teacher, one, 2025, 6)
        assert (again.state, again.changed_after_close, again.corrected_after_countersign) == ("open", True, True)
        attendance.close_month(teacher, one, 2025, 6)
    with _as(store_dir, "kocho") as kocho:
        assert attendance.countersign_month(kocho, one, 2025, 6).state == "countersigned"
        assert attendance.verify(kocho).ok
        actions = [e.action for e in audit.entries(kocho)]
    assert actions.count("attendance.month_close") == 2 and actions.count("attendance.countersign") == 2


def test_tampering_with_a_record_names_it(school: School) -> None:
    store_dir, one, _two, _ids = school
    _seal_all(store_dir, one, JUNE)
    with _as(store_dir, "tanaka") as teacher:
        attendance.close_month(teacher, one, 2025, 6)
    conn = raw_connection(store_dir, "admin", PASSPHRASE)
    with pytest.raises(DatabaseError, match="immutable"):
        conn.execute("UPDATE attendance_records SET period = '2025-07'")
    conn.execute("DROP TRIGGER attendance_records_no_update")
    conn.execute(
        "UPDATE attendance_records SET canonical = CAST(replace(CAST(canonical AS TEXT), '2025-06', '2025-07') AS BLOB)"
    )
    conn.close()
    with _as(store_dir, "admin") as admin:
        result = attendance.verify(admin)
    assert not result.ok and result.record is not None
    assert "1年1組 2025-06" in result.message and "month close" in result.message


# --- year seal and reopen --------------------------------------------------------------------------


def test_year_seal_locks_everything_until_the_principal_reopens(school: School) -> None:
    store_dir, one, two, ids = school
    _seal_all(store_dir, one, JUNE + JULY)
    with _as(store_dir, "admin") as admin:
        with pytest.raises(PolicyError) as caught:
            attendance.seal_year(admin, YEAR, today=date(2026, 3, 1))
        assert caught.value.code == "attendance.year_not_over"
        with pytest.raises(InputError) as caught:
            attendance.seal_year(admin, YEAR, today=AFTER_YEAR)
        assert caught.value.code == "attendance.months_not_countersigned"
    with _as(store_dir, "tanaka") as teacher:
        attendance.close_month(teacher, one, 2025, 6)
        attendance.close_month(teacher, one, 2025, 7)
    with _as(store_dir, "kocho") as kocho:
        attendance.countersign_month(kocho, one, 2025, 6)
        attendance.countersign_month(kocho, one, 2025, 7)
    with _as(store_dir, "admin") as admin:
        state = attendance.seal_year(admin, YEAR, today=AFTER_YEAR)
        assert state.sealed and state.sealed_by == "admin"
        with pytest.raises(PolicyError) as caught:
            attendance.set_days(admin, [date(2025, 6, 11)], "school_day")
        assert caught.value.code == "attendance.year_sealed" and caught.value.fix == "year_reopen"
        with pytest.raises(PolicyError):
            classes.move_student(admin, ids[3], two, "2025-08-01")
        with pytest.raises(PolicyError):
            attendance.reopen_year(admin, YEAR, "理由")  # not the principal
    with _as(store_dir, "tanaka") as teacher:
        with pytest.raises(PolicyError) as caught:
            attendance.correct(teacher, one, JUNE[0], {ids[0]: ("late", "")}, "遅刻だった")
        assert caught.value.code == "attendance.year_sealed" and caught.value.exit_code == 5
        assert attendance.month_state(teacher, one, 2025, 6).year_sealed
        assert attendance.missing(teacher, JUNE[0]) == []
    conn = raw_connection(store_dir, "admin", PASSPHRASE)  # below the app, too
    with pytest.raises(DatabaseError, match="sealed"):
        conn.execute("INSERT INTO attendance_marks VALUES (?, '2025-06-02', ?, 'late', '', 1, 'x')", (one, ids[0]))
    conn.close()
    with _as(store_dir, "kocho") as kocho:
        with pytest.raises(InputError):
            attendance.reopen_year(kocho, YEAR, "  ")
        reopened = attendance.reopen_year(kocho, YEAR, "転入生の出欠記録漏れ")
        assert not reopened.sealed
        assert [(e.kind, e.reason) for e in reopened.history] == [
            ("year_seal", None),
            ("year_reopen", "転入生の出欠記録漏れ"),
        ]
        entry = [e for e in audit.entries(kocho) if e.action == "attendance.year_reopen"][-1]
        assert entry.detail["reason"] == "転入生の出欠記録漏れ" and entry.actor == "kocho"
    with _as(store_dir, "tanaka") as teacher:
        attendance.correct(teacher, one, JUNE[0], {ids[0]: ("late", "")}, "遅刻だった")
        assert attendance.verify(teacher).ok


def test_a_sheet_slipped_into_a_sealed_year_fails_verification(school: School) -> None:
    store_dir, one, _two, _ids = school
    _seal_all(store_dir, one, JUNE + JULY)
    with _as(store_dir, "tanaka") as teacher:
        attendance.close_month(teacher, one, 2025, 6)
        attendance.close_month(teacher, one, 2025, 7)
    with _as(store_dir, "kocho") as kocho:
        attendance.countersign_month(kocho, one, 2025, 6)
        attendance.countersign_month(kocho, one, 2025, 7)
    with _as(store_dir, "admin") as admin:
        attendance.seal_year(admin, YEAR, today=AFTER_YEAR)
        assert attendance.verify(admin).ok
    conn = raw_connection(store_dir, "admin", PASSPHRASE)  # an attacker lifts the lock row
    conn.execute("DELETE FROM attendance_sealed_years")
    conn.close()
    with _as(store_dir, "admin") as admin:
        attendance.set_days(admin, [date(2025, 6, 11)], "school_day")
    _seal_all(store_dir, one, [date(2025, 6, 11)])
    with _as(store_dir, "admin") as admin:
        result = attendance.verify(admin)
    assert not result.ok and "2025" in result.message and "added after the seal" in result.message


# --- missing attendance ---------------------------------------------------------------------------------


def test_missing_lists_unsealed_school_days_per_class(school: School) -> None:
    store_dir, one, two, ids = school
    with _as(store_dir, "admin") as admin:
        classes.move_student(admin, ids[3], two, "2025-06-09")
    _seal_all(store_dir, one, JUNE[:3])
    with _as(store_dir, "tanaka") as teacher:
        attendance.mark(teacher, one, JUNE[3], ids[0], "late")
        mine = attendance.missing(teacher, today=JUNE[4])
        assert [(m.class_id, m.date, m.marked) for m in mine] == [(one, JUNE[3], 1), (one, JUNE[4], 0)]
    with _as(store_dir, "admin") as admin:
        every = attendance.missing(admin, today=JUNE[-1])
        one_day = attendance.missing(admin, JUNE[-1])
        assert attendance.missing(admin, date(2025, 6, 7)) == []  # a Saturday
    assert [(m.class_label, m.date) for m in every if m.class_id == two] == [
        ("1年2組", JUNE[5]),
        ("1年2組", JUNE[6]),
    ]
    assert len([m for m in every if m.class_id == one]) == 4
    assert [(m.class_id, m.students) for m in one_day] == [(one, 3), (two, 1)]
