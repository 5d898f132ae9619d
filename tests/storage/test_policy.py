"""Bulk access: more than the threshold of students read (or exported) by one user within the
window raises an audited alert that every administrator sees at their next unlock."""

from __future__ import annotations

from pathlib import Path

import pytest

from storage import audit, classes, policy, students, users
from storage.errors import PolicyError
from storage.store import Store
from tests.conftest import PASSPHRASE

TEACHER = "teacher-passphrase"


def _school(store: Store, n: int) -> tuple[int, list[int]]:
    info = classes.add_class(store, 2026, 1, "1")
    with store.transaction():
        ids = [
            students.add_student(
                store, students.StudentData("山田", f"花子{i}", "やまだ", "はなこ", "女", "2019-05-05")
            )
            for i in range(n)
        ]
        classes.enrol(store, info.id, ids, "2026-04-01")
    return info.id, ids


def test_thresholds_have_defaults_and_are_settings(store: Store) -> None:
    assert policy.thresholds(store) == {
        "bulk_alert_students": 200, "bulk_alert_minutes": 10, "export_approval_students": 200,
    }
    policy.set_threshold(store, "bulk_alert_students", 30)
    assert policy.threshold(store, "bulk_alert_students") == 30
    assert [e.detail for e in audit.entries(store) if e.action == "policy.threshold"] == [
        {"name": "bulk_alert_students", "value": 30}
    ]


def test_reading_more_than_the_threshold_raises_one_alert_shown_to_every_admin(
    store: Store, store_dir: Path
) -> None:
    policy.set_threshold(store, "bulk_alert_students", 5)
    class_id, ids = _school(store, 8)
    users.add_user(store, "kocho", "administrator", "校長", "second-admin-pass")
    users.add_user(store, "tanaka", "teacher", "田中", TEACHER)
    classes.assign_teacher(store, class_id, "tanaka")
    store.close()
    with Store.open(store_dir, "tanaka", TEACHER) as teacher:
        for student_id in ids[:4]:  # 4 distinct students: below the threshold
            students.get_student(teacher, student_id, view="test")
        assert policy.pending_alerts(teacher) == []  # teachers are not shown alerts
        students.list_students(teacher, class_id=class_id, view="test")  # 8 distinct: alert
        students.list_students(teacher, class_id=class_id, view="test")  # same window: no second alert
    for login, passphrase in (("admin", PASSPHRASE), ("kocho", "second-admin-pass")):
        with Store.open(store_dir, login, passphrase) as admin:
            [alert] = policy.pending_alerts(admin)
            assert (alert.actor, alert.kind, alert.students, alert.threshold) == ("tanaka", "read", 8, 5)
            assert policy.acknowledge(admin) == 1
            assert policy.pending_alerts(admin) == []
    with Store.open(store_dir, "admin", PASSPHRASE) as admin:
        assert policy.pending_alerts(admin) == []  # acknowledged: not shown again
        [entry] = [e for e in audit.entries(admin) if e.action == "access.alert"]
        assert entry.actor == "tanaka"
        assert entry.detail["students"] == 8


def test_rereading_the_same_students_is_not_bulk_access(store: Store) -> None:
    policy.set_threshold(store, "bulk_alert_students", 5)
    class_id, _ids = _school(store, 5)
    for _ in range(10):
        students.list_students(store, class_id=class_id, view="test")
    assert policy.pending_alerts(store) == []


def test_the_window_slides(store: Store, monkeypatch: pytest.MonkeyPatch) -> None:
    policy.set_threshold(store, "bulk_alert_students", 3)
    _class_id, ids = _school(store, 6)
    clock = [1_800_000_000.0]
    monkeypatch.setattr(policy, "_epoch", lambda: clock[0])
    for student_id in ids[:3]:
        students.get_student(store, student_id, view="test")
    clock[0] += 11 * 60  # after the 10-minute window
    for student_id in ids[3:]:
        students.get_student(store, student_id, view="test")
    assert policy.pending_alerts(store) == []
    students.get_student(store, ids[0], view="test")  # 4 distinct within 10 minutes
    assert [a.students for a in policy.pending_alerts(store)] == [4]


def test_a_teacher_reads_only_assigned_classes(store: Store, store_dir: Path) -> None:
    mine, _ = _school(store, 2)
    other = classes.add_class(store, 2026, 1, "2")
    users.add_user(store, "tanaka", "teacher", "田中", TEACHER)
    classes.assign_teacher(store, mine, "tanaka")
    store.close()
    with Store.open(store_dir, "tanaka", TEACHER) as teacher:
        assert len(students.list_students(teacher, view="test")) == 2
        with pytest.raises(PolicyError) as caught:
            students.list_students(teacher, class_id=other.id, view="test")
        assert caught.value.exit_code == 5
        with pytest.raises(PolicyError):
            classes.add_class(teacher, 2026, 2, "1")
    with Store.open(store_dir, "admin", PASSPHRASE) as admin:
        refused = [e for e in audit.entries(admin) if e.action == "policy.refused"]
        assert {e.actor for e in refused} == {"tanaka"}
        assert len(refused) == 2


def test_the_monthly_access_report(store: Store, store_dir: Path) -> None:
    from datetime import date

    from storage import report
    from storage.errors import AuthError

    policy.set_threshold(store, "bulk_alert_students", 2)
    class_id, _ids = _school(store, 3)
    users.add_user(store, "tanaka", "teacher", "田中", TEACHER)
    classes.assign_teacher(store, class_id, "tanaka")
    store.close()
    with pytest.raises(AuthError):
        Store.open(store_dir, "tanaka", "wrong guess!")
    with Store.open(store_dir, "tanaka", TEACHER) as teacher:
        students.list_students(teacher, class_id=class_id, view="test")
        students.list_students(teacher, class_id=class_id, view="test")
        with pytest.raises(PolicyError):
            report.access_report(teacher, 2026, 4)
    today = date.today()
    with Store.open(store_dir, "admin", PASSPHRASE) as admin:
        made = report.access_report(admin, today.year, today.month)
        tanaka = next(u for u in made.users if u.login == "tanaka")
        assert (tanaka.students_read, tanaka.views, tanaka.refusals, tanaka.role) == (3, 2, 1, "teacher")
        assert [(a.actor, a.students) for a in made.alerts] == [("tanaka", 3)]
        assert [f.login for f in made.failed_unlocks] == ["tanaka"]
        assert made.to_json()["month"] == f"{today:%Y-%m}"
        assert report.access_report(admin, 2001, 1).users == []
