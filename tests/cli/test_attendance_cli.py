"""`gakuseki attendance …`: mark, seal, correct, verify (exit 4 naming the sheet), summary."""

from __future__ import annotations

import json
from pathlib import Path

from tests.cli.conftest import Run
from tests.conftest import PASSPHRASE


def test_mark_seal_correct_verify_summary(cli_store: Path, gakuseki: Run, tmp_path: Path) -> None:
    store = ["--store", str(cli_store)]
    teacher = {"GAKUSEKI_USER": "tanaka", "GAKUSEKI_PASSPHRASE": "new-user-passphrase"}
    from storage import classes, students, users
    from storage.store import Store

    with Store.open(cli_store, "admin", PASSPHRASE) as admin:
        users.add_user(admin, "tanaka", "teacher", "田中", "new-user-passphrase")
        info = classes.add_class(admin, 2025, 1, "1", "tanaka")
        data = students.StudentData("山田", "花子", "やまだ", "はなこ", "女", "2019-05-05")
        ids = [students.add_student(admin, data) for _ in range(3)]
        classes.enrol(admin, info.id, ids, "2025-04-01", kana_order=False)
    cal = gakuseki(*store, "attendance", "calendar", "--from", "2025-06-02", "--to", "2025-06-06")
    assert cal.returncode == 0, cal.stderr

    marked = gakuseki(
        *store,
        "attendance",
        "mark",
        "--class",
        "1-1",
        "--date",
        "2025-06-02",
        "--student",
        "2",
        "--status",
        "病",
        env=teacher,
    )
    assert marked.returncode == 0, marked.stderr
    bad = gakuseki(
        *store,
        "attendance",
        "mark",
        "--class",
        "1-1",
        "--date",
        "2025-06-02",
        "--student",
        "2",
        "--status",
        "???",
        env=teacher,
    )
    assert bad.returncode == 2
    assert len(bad.stderr.strip().splitlines()) == 1
    for day in ("2025-06-02", "2025-06-03"):
        sealed = gakuseki(*store, "attendance", "seal", "--class", "1-1", "--date", day, env=teacher)
        assert sealed.returncode == 0, sealed.stderr
    refused = gakuseki(
        *store, "attendance", "seal", "--class", "1-1", "--date", "2025-06-04"
    )  # admin: no right
    assert refused.returncode == 5
    again = gakuseki(
        *store,
        "attendance",
        "mark",
        "--class",
        "1-1",
        "--date",
        "2025-06-02",
        "--student",
        "1",
        "--status",
        "late",
        env=teacher,
    )
    assert again.returncode == 5
    fixed = gakuseki(
        *store,
        "attendance",
        "correct",
        "--class",
        "1-1",
        "--date",
        "2025-06-02",
        "--student",
        "2",
        "--status",
        "忌引",
        "--reason",
        "連絡の行き違い",
        env=teacher,
    )
    assert fixed.returncode == 0, fixed.stderr
    ok = gakuseki(*store, "attendance", "verify")
    assert ok.returncode == 0, ok.stdout + ok.stderr

    summary = gakuseki(
        *store, "attendance", "summary", "--class", "1-1", "--year", "2025", "--json", env=teacher
    )
    assert summary.returncode == 0, summary.stderr
    data = json.loads(summary.stdout)
    second = data["students"][1]["year"]
    assert (second["lesson_days"], second["excused_days"], second["absent_days"], second["present_days"]) == (
        5,
        1,
        0,
        4,
    )
    assert second["unsealed_days"] == 3

    from tests.storage.helpers import raw_connection

    conn = raw_connection(cli_store, "admin", PASSPHRASE)
    conn.execute("DROP TRIGGER attendance_entries_no_update")
    conn.execute(
        "UPDATE attendance_entries SET status = 'absent_sick' WHERE sheet_id = "
        "(SELECT id FROM attendance_sheets WHERE date = '2025-06-03') AND attendance_no = 1"
    )
    conn.close()
    bad = gakuseki(*store, "attendance", "verify")
    assert bad.returncode == 4
    lines = bad.stdout.strip().splitlines()
    assert len(lines) == 1
    assert "1年1組 2025-06-03" in lines[0]
    assert "revision 0" in lines[0]
    assert "Traceback" not in bad.stderr


def test_demo_fills_and_seals_a_month(tmp_path: Path) -> None:
    from datetime import date

    from app.demo_data import build_demo
    from storage import attendance, classes
    from storage.attendance import demo
    from storage.store import Store

    build_demo(tmp_path / "demo", "demo-passphrase")
    start, _end = demo.demo_month(date.today())
    with Store.open(tmp_path / "demo", "tanaka", "demo-passphrase") as teacher:
        assert attendance.verify(teacher).ok
        [mine] = [c for c in classes.list_classes(teacher) if c.homeroom_login == "tanaka"]
        grid = attendance.month_grid(teacher, mine.id, start.year, start.month)
    assert grid.verified
    school_days = [d for d in grid.days if d.is_school_day and d.date < date.today()]
    assert school_days and all(d.sealed for d in school_days)
    assert {d.sealed_by for d in school_days} == {"tanaka"}
    assert len(grid.history) == 1
