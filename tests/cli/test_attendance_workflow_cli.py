"""`gakuseki attendance close|countersign|state|seal-year|reopen-year|missing`, `user principal`:
one line per error with exit codes 2 (input), 5 (policy)."""

from __future__ import annotations

import json
from pathlib import Path

from tests.cli.conftest import Run
from tests.conftest import PASSPHRASE

TEACHER = {"GAKUSEKI_USER": "tanaka", "GAKUSEKI_PASSPHRASE": "new-user-passphrase"}
KOCHO = {"GAKUSEKI_USER": "kocho", "GAKUSEKI_PASSPHRASE": "new-user-passphrase"}


def _one_line(done: object) -> None:
    err = done.stderr.strip().splitlines()  # type: ignore[attr-defined]
    assert len(err) == 1 and "Traceback" not in done.stderr, done.stderr  # type: ignore[attr-defined]


def test_close_countersign_missing_and_year_seal(cli_store: Path, gakuseki: Run) -> None:
    store = ["--store", str(cli_store)]
    from storage import classes, students, users
    from storage.store import Store

    with Store.open(cli_store, "admin", PASSPHRASE) as admin:
        users.add_user(admin, "tanaka", "teacher", "田中", "new-user-passphrase")
        users.add_user(admin, "kocho", "administrator", "校長", "new-user-passphrase")
        info = classes.add_class(admin, 2025, 1, "1", "tanaka")
        data = students.StudentData("髙橋", "𠮷子", "たかはし", "よしこ", "女", "2019-05-05")
        ids = [students.add_student(admin, data) for _ in range(2)]
        classes.enrol(admin, info.id, ids, "2025-04-01", kana_order=False)

    # the calendar is not set up: say so, and how to fix it
    nocal = gakuseki(*store, "attendance", "missing", "--date", "2025-06-02")
    assert nocal.returncode == 2
    _one_line(nocal)
    assert "学校暦が設定されていません" in nocal.stderr and "--default-year 2025" in nocal.stderr

    cal = gakuseki(*store, "attendance", "calendar", "--from", "2025-06-02", "--to", "2025-06-03")
    assert cal.returncode == 0, cal.stderr
    missing = gakuseki(*store, "attendance", "missing", "--date", "2025-06-02", "--json")
    assert missing.returncode == 0, missing.stderr
    assert json.loads(missing.stdout) == [
        {"class": "1年1組", "class_id": info.id, "date": "2025-06-02", "students": 2, "marked": 0}
    ]

    early = gakuseki(*store, "attendance", "close", "--class", "1-1", "--month", "2025-06", env=TEACHER)
    assert early.returncode == 2
    _one_line(early)
    assert "2025-06-02" in early.stderr and "2025-06-03" in early.stderr
    for day in ("2025-06-02", "2025-06-03"):
        done = gakuseki(*store, "attendance", "seal", "--class", "1-1", "--date", day, env=TEACHER)
        assert done.returncode == 0, done.stderr
    closed = gakuseki(*store, "attendance", "close", "--class", "1-1", "--month", "2025-06", env=TEACHER)
    assert closed.returncode == 0, closed.stderr

    notyet = gakuseki(*store, "attendance", "countersign", "--class", "1-1", "--month", "2025-06", env=KOCHO)
    assert notyet.returncode == 5
    _one_line(notyet)
    assert "user principal" in notyet.stderr
    flagged = gakuseki(*store, "user", "principal", "kocho")
    assert flagged.returncode == 0, flagged.stderr
    bad_month = gakuseki(*store, "attendance", "countersign", "--class", "1-1", "--month", "2025-13", env=KOCHO)
    assert bad_month.returncode == 2
    _one_line(bad_month)
    signed = gakuseki(*store, "attendance", "countersign", "--class", "1-1", "--month", "2025-06", env=KOCHO)
    assert signed.returncode == 0, signed.stderr
    assert "欠席 0" in signed.stdout
    state = gakuseki(*store, "attendance", "state", "--class", "1-1", "--year", "2025")
    assert "2025-06\tcountersigned" in state.stdout

    early_seal = gakuseki(*store, "attendance", "seal-year", "--year", "2025")
    assert early_seal.returncode in (0, 5)  # refused with 5 until 2026-04-01
    if early_seal.returncode == 5:
        _one_line(early_seal)
    reopen = gakuseki(*store, "attendance", "reopen-year", "--year", "2025", "--reason", "x")
    assert reopen.returncode == 5  # admin is not the principal
    _one_line(reopen)
    ok = gakuseki(*store, "attendance", "verify")
    assert ok.returncode == 0, ok.stdout + ok.stderr
