"""The signed attendance register: keys, marking, sealing, corrections, summaries, grid."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from storage import attendance, audit, classes, signing, students, users
from storage.attendance import codes
from storage.db import DatabaseError
from storage.errors import InputError, PolicyError
from storage.store import Store
from tests.conftest import PASSPHRASE
from tests.storage.helpers import raw_connection

TEACHER = "tanaka-passphrase"
OTHER = "suzuki-passphrase"
YEAR = 2025
WEEK1 = [date(2025, 6, d) for d in (2, 3, 4, 5, 6)]
WEEK2 = [date(2025, 6, d) for d in (9, 10, 11, 12, 13)]
TODAY = date(2025, 6, 30)


def _school(store: Store, n_students: int = 5) -> tuple[int, int, list[int]]:
    users.add_user(store, "tanaka", "teacher", "田中", TEACHER)
    users.add_user(store, "suzuki", "teacher", "鈴木", OTHER)
    one = classes.add_class(store, YEAR, 1, "1", "tanaka")
    two = classes.add_class(store, YEAR, 1, "2", "suzuki")
    ids = [
        students.add_student(
            store,
            students.StudentData(
                "山田", f"花子{i}", "やまだ", f"はなこ{'あいうえおかきくけこ'[i % 10]}", "女", "2019-05-05"
            ),
        )
        for i in range(n_students)
    ]
    classes.enrol(store, one.id, ids, f"{YEAR}-04-01", kana_order=False)
    attendance.set_days(store, WEEK1 + WEEK2, "school_day")
    return one.id, two.id, ids


@pytest.fixture
def school(store: Store, store_dir: Path) -> tuple[Path, int, int, list[int]]:
    one, two, ids = _school(store)
    store.close()
    return store_dir, one, two, ids


def _as(store_dir: Path, login: str) -> Store:
    return Store.open(store_dir, login, {"tanaka": TEACHER, "suzuki": OTHER, "admin": PASSPHRASE}[login])


# --- keys ---------------------------------------------------------------------------------------


def test_every_user_gets_a_wrapped_signing_key(school: tuple[Path, int, int, list[int]]) -> None:
    store_dir, *_ = school
    with _as(store_dir, "admin") as admin:
        rows = admin.query(
            "SELECT u.login, k.wrapped_private, k.valid_to "
            "FROM signing_keys k JOIN users u ON u.id = k.user_id"
        )
        assert sorted(r["login"] for r in rows) == ["admin", "suzuki", "tanaka"]
        assert all(r["wrapped_private"] is not None and r["valid_to"] is None for r in rows)
        assert admin.signing_secret is not None
        # the admin can unlock the store, but not a teacher's private key
        teacher_id = admin.query_one("SELECT id FROM users WHERE login = 'tanaka'")["id"]
        row = admin.query_one(
            "SELECT key_id, wrapped_private FROM signing_keys WHERE user_id = ?", (teacher_id,)
        )
        assert (
            signing._unwrap(
                admin, teacher_id, row["key_id"], bytes(row["wrapped_private"]), admin.signing_secret
            )
            is None
        )


def test_own_passphrase_change_rewraps_and_reset_rotates(school: tuple[Path, int, int, list[int]]) -> None:
    store_dir, one, _two, _ids = school
    with _as(store_dir, "tanaka") as teacher:
        first = signing.private_key(teacher)[0]
        attendance.seal(teacher, one, WEEK1[0])
        users.change_passphrase(teacher, "tanaka", "tanaka-second")
        assert signing.private_key(teacher)[0] == first  # same session keeps signing
    with Store.open(store_dir, "tanaka", "tanaka-second") as teacher:
        assert signing.private_key(teacher)[0] == first
        attendance.seal(teacher, one, WEEK1[1])
    with _as(store_dir, "admin") as admin:
        users.change_passphrase(admin, "tanaka", "reset-by-admin")
        keys = admin.query(
            "SELECT key_id, valid_to, wrapped_private FROM signing_keys WHERE user_id = "
            "(SELECT id FROM users WHERE login = 'tanaka') ORDER BY id"
        )
        assert len(keys) == 2
        assert (
            keys[0]["key_id"] == first
            and keys[0]["valid_to"] is not None
            and keys[0]["wrapped_private"] is None
        )
    with Store.open(store_dir, "tanaka", "reset-by-admin") as teacher:
        assert signing.private_key(teacher)[0] != first
        attendance.seal(teacher, one, WEEK1[2])
        result = attendance.verify(teacher)
        assert result.ok, result.message
        assert result.sheets == 3


def test_recovery_session_cannot_seal(store_dir: Path) -> None:
    created, recovery_key = Store.create(
        store_dir,
        school_name="回復小",
        school_code_value="F112310102342",
        admin_login="admin",
        admin_name="",
        admin_passphrase=PASSPHRASE,
    )
    one, _two, _ids = _school(created)
    classes.assign_teacher(created, one, "admin")
    created.close()
    with Store.open_with_recovery(store_dir, recovery_key) as recovered, pytest.raises(PolicyError) as caught:
        classes.assign_teacher(recovered, one, "admin")
        recovered.user = recovered.user.__class__(1, "admin", "x", "administrator")  # even posing as admin
        attendance.seal(recovered, one, WEEK1[0])
    assert caught.value.code == "signing.no_key"


# --- marking and sealing ----------------------------------------------------------------------------


def test_mark_seal_defaults_and_immutability(school: tuple[Path, int, int, list[int]]) -> None:
    store_dir, one, _two, ids = school
    with _as(store_dir, "tanaka") as teacher:
        attendance.mark(teacher, one, WEEK1[0], ids[1], "absent_sick", "発熱")
        attendance.mark(teacher, one, WEEK1[0], ids[2], "late")
        before = teacher.query("SELECT * FROM attendance_marks ORDER BY student_id")
        attendance.month_grid(teacher, one, 2025, 6, today=TODAY)  # reopening writes no marks
        assert [tuple(r) for r in teacher.query("SELECT * FROM attendance_marks ORDER BY student_id")] == [
            tuple(r) for r in before
        ]
        ref = attendance.seal(teacher, one, WEEK1[0])
        assert (ref.class_label, ref.date, ref.revision) == ("1年1組", "2025-06-02", 0)
        entries = attendance.sheet_entries(teacher, one, WEEK1[0], 0)
        assert [e.status for e in entries] == ["present", "absent_sick", "late", "present", "present"]
        assert entries[1].note == "発熱"
        assert teacher.query("SELECT * FROM attendance_marks") == []
        with pytest.raises(PolicyError) as caught:
            attendance.mark(teacher, one, WEEK1[0], ids[0], "mourning")
        assert caught.value.code == "attendance.sealed"
        with pytest.raises(PolicyError):
            attendance.seal(teacher, one, WEEK1[0])
        with pytest.raises(InputError):
            attendance.seal(teacher, one, date(2025, 6, 7))  # a Saturday, not in the calendar
    conn = raw_connection(store_dir, "admin", PASSPHRASE)
    for sql in (
        "UPDATE attendance_sheets SET date = '2025-06-03'",
        "DELETE FROM attendance_sheets",
        "UPDATE attendance_entries SET status = 'present'",
        "DELETE FROM attendance_entries",
    ):
        with pytest.raises(DatabaseError, match="immutable"):
            conn.execute(sql)
    conn.close()


def test_other_teacher_is_refused_and_it_is_audited(school: tuple[Path, int, int, list[int]]) -> None:
    store_dir, one, _two, ids = school
    with _as(store_dir, "suzuki") as other:
        with pytest.raises(PolicyError):
            attendance.mark(other, one, WEEK1[0], ids[0], "absent_sick")
        with pytest.raises(PolicyError):
            attendance.seal(other, one, WEEK1[0])
        with pytest.raises(PolicyError):
            attendance.month_grid(other, one, 2025, 6)
    with _as(store_dir, "admin") as admin:
        refused = [e for e in audit.entries(admin) if e.action == "policy.refused"]
        assert {e.detail["operation"] for e in refused} >= {"attendance.mark", "attendance.seal"}
        assert all(e.actor == "suzuki" for e in refused)


def test_status_accepts_code_symbol_and_label(store: Store) -> None:
    assert codes.parse_status("病") == "absent_sick"
    assert codes.parse_status("欠席（病気）") == "absent_sick"
    assert codes.parse_status("チ") == "late"
    assert codes.parse_status("／") == "class_closure"
    assert codes.parse_status("early_leave") == "early_leave"
    codes.install_symbols(store, {"late": "遅"})
    assert codes.symbols(store)["late"] == "遅"
    assert codes.parse_status("遅", store) == "late"
    with pytest.raises(InputError):
        codes.parse_status("??")


# --- corrections -----------------------------------------------------------------------------------


def test_corrections_keep_the_full_history(school: tuple[Path, int, int, list[int]]) -> None:
    store_dir, one, _two, ids = school
    with _as(store_dir, "tanaka") as teacher:
        attendance.mark(teacher, one, WEEK1[0], ids[1], "absent_sick")
        attendance.seal(teacher, one, WEEK1[0])
        with pytest.raises(InputError):
            attendance.correct(teacher, one, WEEK1[0], {ids[1]: ("absent_accident", "")}, reason=" ")
        first = attendance.correct(
            teacher, one, WEEK1[0], {ids[1]: ("absent_accident", "")}, "保護者より連絡"
        )
        second = attendance.correct(
            teacher, one, WEEK1[0], {ids[1]: ("suspended", "インフルエンザ")}, "診断書"
        )
        assert (first.revision, second.revision) == (1, 2)
        grid = attendance.month_grid(teacher, one, 2025, 6, today=TODAY)
    assert grid.verified, grid.problem
    row = next(r for r in grid.rows if r.student_id == ids[1])
    cell = row.cells[WEEK1[0]]
    assert (cell.status, cell.symbol, cell.note, cell.sealed) == ("suspended", "停", "インフルエンザ", True)
    assert [(c.status, c.revision, c.corrected_in, c.reason, c.corrected_by) for c in cell.history] == [
        ("absent_sick", 0, 1, "保護者より連絡", "tanaka"),
        ("absent_accident", 1, 2, "診断書", "tanaka"),
    ]
    assert len(grid.history) == 2
    day = grid.days[1]
    assert (day.date, day.sealed, day.revision, day.sealed_by) == (WEEK1[0], True, 2, "tanaka")


# --- summaries --------------------------------------------------------------------------------------


def test_summary_matches_a_hand_computed_case(school: tuple[Path, int, int, list[int]]) -> None:
    store_dir, one, _two, ids = school
    with _as(store_dir, "admin") as admin:
        attendance.set_class_closure(admin, one, WEEK2[0], "インフルエンザ")
        attendance.set_class_closure(admin, one, WEEK2[1], "インフルエンザ")
    a, b = ids[0], ids[1]
    plan = {
        WEEK1[0]: {a: "absent_sick", b: "late"},
        WEEK1[1]: {a: "suspended", b: "early_leave"},
        WEEK1[2]: {a: "suspended", b: "absent_accident"},
        WEEK1[3]: {a: "mourning"},
        WEEK1[4]: {b: "deemed_present"},
        WEEK2[2]: {a: "late", b: "late"},
    }
    with _as(store_dir, "tanaka") as teacher:
        for day in WEEK1 + WEEK2:
            marks = plan.get(day, {})
            if marks:
                attendance.mark_many(teacher, one, day, {s: (st, "") for s, st in marks.items()})
            if day < WEEK2[3]:
                attendance.seal(teacher, one, day)
        attendance.mark(teacher, one, WEEK2[4], b, "absent_sick")  # unsealed, counted and flagged
        summary = {s.student_id: s for s in attendance.summarise(teacher, one, YEAR, until=TODAY)}
    # 10 school days; 2 class-closure days for everyone.
    sa = summary[a].year
    assert (sa.lesson_days, sa.excused_days, sa.required_days, sa.absent_days, sa.present_days) == (
        10,
        5,
        5,
        1,
        4,
    )
    assert (sa.late, sa.early_leave, sa.unsealed_days) == (1, 0, 2)
    sb = summary[b].year
    assert (sb.lesson_days, sb.excused_days, sb.required_days, sb.absent_days, sb.present_days) == (
        10,
        2,
        8,
        2,
        6,
    )
    assert (sb.late, sb.early_leave) == (2, 1)
    sc = summary[ids[2]].year
    assert (sc.lesson_days, sc.excused_days, sc.absent_days, sc.present_days) == (10, 2, 0, 8)
    assert list(summary[a].months) == [6]
    # the month grid shows the same totals and the closure days
    with _as(store_dir, "tanaka") as teacher:
        grid = attendance.month_grid(teacher, one, 2025, 6, today=TODAY)
    row_a = next(r for r in grid.rows if r.student_id == a)
    assert row_a.totals.to_json() == sa.to_json()
    assert row_a.cells[WEEK2[0]].status == "class_closure"
    assert row_a.cells[WEEK2[4]].marked is False and row_a.cells[WEEK2[4]].sealed is False


def test_summary_counts_only_enrolled_days(store: Store, store_dir: Path) -> None:
    one, _two, ids = _school(store)
    late_comer = students.add_student(
        store, students.StudentData("佐藤", "蓮", "さとう", "れん", "男", "2019-04-10")
    )
    classes.enrol(store, one, [late_comer], "2025-06-09")
    store.close()
    with _as(store_dir, "tanaka") as teacher:
        for day in WEEK1 + WEEK2:
            attendance.seal(teacher, one, day)
        found = {s.student_id: s.year for s in attendance.summarise(teacher, one, YEAR, until=TODAY)}
    assert found[late_comer].lesson_days == 5
    assert found[ids[0]].lesson_days == 10


def test_default_calendar_skips_weekends_and_holidays() -> None:
    days = attendance.default_school_days(2025)
    assert 190 <= len(days) <= 210
    assert all(d.weekday() < 5 for d in days)
    assert date(2025, 4, 7) in days
    assert date(2025, 5, 5) not in days  # こどもの日
    assert date(2025, 5, 6) not in days  # 振替休日
    assert date(2025, 9, 23) not in days  # 秋分の日
    assert date(2026, 1, 12) not in days  # 成人の日


def test_a_user_without_a_key_gets_one_at_first_seal(school: tuple[Path, int, int, list[int]]) -> None:
    store_dir, one, _two, _ids = school
    conn = raw_connection(store_dir, "admin", PASSPHRASE)  # as if the account predates signing keys
    conn.execute("DROP TRIGGER signing_keys_no_delete")
    conn.execute("DELETE FROM signing_keys WHERE user_id = (SELECT id FROM users WHERE login = 'tanaka')")
    conn.close()
    with _as(store_dir, "tanaka") as teacher:
        attendance.seal(teacher, one, WEEK1[0])
        assert attendance.verify(teacher).ok


def test_the_calendar_cannot_change_under_a_sealed_day(school: tuple[Path, int, int, list[int]]) -> None:
    store_dir, one, _two, _ids = school
    with _as(store_dir, "tanaka") as teacher:
        attendance.seal(teacher, one, WEEK1[0])
    with _as(store_dir, "admin") as admin:
        with pytest.raises(PolicyError):
            attendance.set_days(admin, [WEEK1[0]], "holiday")
        with pytest.raises(PolicyError):
            attendance.set_class_closure(admin, one, WEEK1[0], "後から")
        attendance.set_class_closure(admin, one, WEEK1[1], "インフルエンザ")
