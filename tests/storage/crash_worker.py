"""A process the crash-safety tests kill with SIGKILL at random moments.

    python -m tests.storage.crash_worker import|seal STORE_DIR

It repeats one kind of write forever (a 30-row ledger import, or sealing the next day)
and prints a line after every commit, so the parent knows the process was busy writing.
"""

from __future__ import annotations

import sys
from datetime import date, timedelta
from pathlib import Path

from storage import attendance, imports, students
from storage.store import Store

PASSPHRASE = "correct horse battery"
TEACHER = "tanaka-passphrase"
ROWS = 30
FIRST_DAY = date(2025, 4, 7)


def _rows(batch: int) -> list[imports.ImportRow]:
    return [
        imports.ImportRow(
            1,
            n + 1,
            students.StudentData(
                "山田", f"太郎{batch}x{n}", "やまだ", "たろう", "男", "2019-05-05", address=f"本町{batch}-{n}",
            ),
        )
        for n in range(ROWS)
    ]


def run_imports(path: Path) -> None:
    with Store.open(path, "admin", PASSPHRASE) as store:
        batch = 0
        while True:
            imports.commit_import(
                store, file_name=f"ledger{batch}.tif", file_sha256=f"{batch:064x}", pages=1, rows=_rows(batch)
            )
            batch += 1
            print(f"committed {batch}", flush=True)


def run_seals(path: Path, class_id: int) -> None:
    with Store.open(path, "tanaka", TEACHER) as store:
        day = FIRST_DAY
        while True:
            if attendance.is_school_day(store, day) and attendance.latest_sheet(store, class_id, day) is None:
                ids = [r.student_id for r in attendance.month_grid(store, class_id, day.year, day.month).rows]
                attendance.mark_many(store, class_id, day, {ids[0]: ("absent_sick", "")})
                attendance.seal(store, class_id, day)
                print(f"sealed {day}", flush=True)
            day += timedelta(days=1)


if __name__ == "__main__":
    mode, folder = sys.argv[1], Path(sys.argv[2])
    if mode == "import":
        run_imports(folder)
    else:
        run_seals(folder, int(sys.argv[3]))
