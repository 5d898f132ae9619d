"""Benchmark of the signed attendance register.

A school of 600 students (15 classes of 40) over 200 school days: every day of every class
marked and sealed, then

- seal_ms: sealing one class's day (its own transaction, committed), median over the classes;
- verify_year_s: `attendance.verify` over the whole year's chain (3000 sheets);
- grid_ms: loading one class's month grid, median of 5.

Run: ``.venv/bin/python bench/attendance.py [--students 600] [--days 200]``. The last line is
``seal_ms=… verify_year_s=… grid_ms=…`` (targets ≤ 50, ≤ 2, ≤ 100). Key derivation uses the
minimum Argon2id cost: unlocking is not what is measured here.
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from storage import attendance, classes, crypto, students, users
from storage.attendance import calendar
from storage.store import Store

PASS = "bench-passphrase"
RARE = ["absent_sick", "absent_accident", "late", "early_leave", "suspended", "mourning"]


def build(path: Path, n_students: int, n_days: int, per_class: int = 40) -> tuple[list[int], list[date]]:
    crypto.PRODUCTION_KDF = crypto.MINIMUM_KDF
    admin, _ = Store.create(
        path,
        school_name="ベンチ小学校",
        school_code_value="B113212345602",
        admin_login="admin",
        admin_name="",
        admin_passphrase=PASS,
        kdf=crypto.MINIMUM_KDF,
    )
    with admin:
        users.add_user(admin, "bench", "teacher", "担任", PASS)
        days = calendar.default_school_days(2025)[:n_days]
        attendance.set_days(admin, days, "school_day")
        class_ids = []
        with admin.transaction():
            for c in range((n_students + per_class - 1) // per_class):
                info = classes.add_class(admin, 2025, 1 + c // 5, str(1 + c % 5), "bench")
                data = students.StudentData("山田", "花子", "やまだ", "はなこ", "女", "2019-05-05")
                ids = [students.add_student(admin, data, source="bench") for _ in range(per_class)]
                classes.enrol(admin, info.id, ids, "2025-04-01", kana_order=False)
                class_ids.append(info.id)
    return class_ids, days


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--students", type=int, default=600)
    parser.add_argument("--days", type=int, default=200)
    parser.add_argument("--store", type=Path, default=None, help="folder to keep (default: temporary)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        path = args.store or Path(tmp) / "school"
        started = time.perf_counter()
        class_ids, days = build(path, args.students, args.days)
        rng = random.Random(2)
        teacher = Store.open(path, "bench", PASS)
        seal_times: list[float] = []
        with teacher:
            for n, day in enumerate(days):
                last = n == len(days) - 1
                with teacher.transaction():  # set-up: one commit per day for the whole school
                    for class_id in class_ids:
                        members = attendance.sheets.roster(teacher, class_id, day)
                        marks = {sid: (rng.choice(RARE), "") for sid, _ in members if rng.random() < 0.05}
                        if marks:
                            attendance.mark_many(teacher, class_id, day, marks)
                        if not last:
                            attendance.seal(teacher, class_id, day)
                if last:
                    for class_id in class_ids:  # measured: each seal is its own committed transaction
                        t0 = time.perf_counter()
                        attendance.seal(teacher, class_id, day)
                        seal_times.append(time.perf_counter() - t0)
            built = time.perf_counter() - started
            t0 = time.perf_counter()
            result = attendance.verify(teacher)
            verify_s = time.perf_counter() - t0
            assert result.ok, result.message
            month = days[len(days) // 2]
            grid_times = []
            for _ in range(5):
                t0 = time.perf_counter()
                grid = attendance.month_grid(teacher, class_ids[0], month.year, month.month)
                grid_times.append(time.perf_counter() - t0)
            assert grid.verified and len(grid.rows) == 40
        print(
            f"set-up {built:.1f} s: {len(class_ids)} classes, {args.students} students, {len(days)} days, "
            f"{result.sheets} sheets; seal max {max(seal_times) * 1000:.1f} ms"
        )
        print(
            f"seal_ms={statistics.median(seal_times) * 1000:.1f} verify_year_s={verify_s:.2f} "
            f"grid_ms={statistics.median(grid_times) * 1000:.1f}"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
