"""Power cuts and full disks: kill -9 in the middle of imports and seals, then reopen.

Each operation must be wholly there or wholly absent, the store must open, and the audit
and attendance chains must verify.
"""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time
from datetime import date, timedelta
from pathlib import Path

import pytest

from storage import attendance, audit, classes, crypto, imports, students, users
from storage.errors import InputError
from storage.store import Store
from tests.conftest import PASSPHRASE, ROOT
from tests.storage.crash_worker import FIRST_DAY, ROWS, TEACHER

KILLS = 8


def _create(path: Path) -> Store:
    store, _ = Store.create(
        path, school_name="停電小学校", school_code_value="B113212345602", admin_login="admin", admin_name="",
        admin_passphrase=PASSPHRASE, kdf=crypto.MINIMUM_KDF,
    )
    return store


def _kill_at_random(args: list[str], rng: random.Random) -> int:
    """Start the worker, wait until it has committed at least once, SIGKILL it at a random moment."""
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    with subprocess.Popen(
        [sys.executable, "-m", "tests.storage.crash_worker", *args],
        cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    ) as proc:
        assert proc.stdout is not None
        first = proc.stdout.readline()  # one commit done: the worker is in its write loop
        if not first:
            proc.wait(timeout=30)
            pytest.fail(proc.stderr.read() if proc.stderr else "the worker died")
        time.sleep(rng.uniform(0.0, 0.4))  # the random moment of the power cut
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=30)
    return proc.returncode


def test_killed_imports_are_whole_or_absent(tmp_path: Path) -> None:
    path = tmp_path / "school"
    _create(path).close()
    rng = random.Random(20261123)
    for _ in range(KILLS):
        assert _kill_at_random(["import", str(path)], rng) == -signal.SIGKILL
        with Store.open(path, "admin", PASSPHRASE) as store:
            assert audit.verify(store).ok
            count = len(students.list_students(store, view="crash test"))
            commits = store.query_one("SELECT count(*) AS n FROM imports")["n"]
            assert count == commits * ROWS  # no half import
            audited = [e for e in audit.entries(store, limit=100_000) if e.action == "import.commit"]
            assert len(audited) == commits


def test_killed_seals_leave_a_verifiable_chain(tmp_path: Path) -> None:
    path = tmp_path / "school"
    store = _create(path)
    with store:
        users.add_user(store, "tanaka", "teacher", "田中", TEACHER)
        info = classes.add_class(store, 2025, 1, "1", "tanaka")
        ids = [
            students.add_student(store, students.StudentData("佐藤", f"花{i}", "さとう", "はな", "女", "2018-06-01"))
            for i in range(25)
        ]
        classes.enrol(store, info.id, ids, "2025-04-01")
        days = [FIRST_DAY + timedelta(days=d) for d in range(400) if (FIRST_DAY + timedelta(days=d)).weekday() < 5]
        attendance.set_days(store, days, "school_day")
    rng = random.Random(7)
    for _ in range(KILLS):
        assert _kill_at_random(["seal", str(path), str(info.id)], rng) == -signal.SIGKILL
        with Store.open(path, "tanaka", TEACHER) as reopened:
            result = attendance.verify(reopened)
            assert result.ok, result.message
            assert audit.verify(reopened).ok
            sealed = reopened.query("SELECT DISTINCT date FROM attendance_sheets")
            for row in sealed:  # every sealed sheet has all its entries
                day = date.fromisoformat(row["date"])
                grid = attendance.month_grid(reopened, info.id, day.year, day.month)
                assert all(r.cells[day].sealed for r in grid.rows)


def test_a_full_disk_is_a_clear_message_and_nothing_half_written(store: Store) -> None:
    students.add_student(store, students.StudentData("山田", "一", "やまだ", "はじめ", "男", "2019-05-05"))
    pages = store.query_one("PRAGMA page_count")[0]
    store.conn.execute(f"PRAGMA max_page_count = {pages + 2}")  # the disk is (nearly) full
    rows = [
        imports.ImportRow(1, n, students.StudentData("田中", f"次郎{n}", "たなか", "じろう", "男", "2019-06-06",
                                                     address="長い住所" * 50))
        for n in range(200)
    ]
    with pytest.raises(InputError) as caught:
        imports.commit_import(store, file_name="big.tif", file_sha256="00" * 32, pages=1, rows=rows)
    assert caught.value.code == "store.disk_full"
    assert "full" in str(caught.value)
    store.conn.execute("PRAGMA max_page_count = 1073741823")
    assert len(students.list_students(store, view="test")) == 1
    assert store.query_one("SELECT count(*) AS n FROM imports")["n"] == 0
    assert audit.verify(store).ok


def test_a_read_only_store_is_a_clear_message_and_nothing_changes(store: Store) -> None:
    students.add_student(store, students.StudentData("山田", "一", "やまだ", "はじめ", "男", "2019-05-05"))
    store.conn.execute("PRAGMA query_only = ON")  # as on a read-only share or a locked-down file
    with pytest.raises(InputError) as caught:
        students.add_student(store, students.StudentData("田中", "二", "たなか", "じろう", "男", "2019-06-06"))
    assert caught.value.code == "store.read_only"
    assert "read-only" in str(caught.value)
    store.conn.execute("PRAGMA query_only = OFF")
    assert [s.family_name for s in students.list_students(store, view="test")] == ["山田"]
