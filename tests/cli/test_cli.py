"""The command line: its names, output and exit codes are a contract for scripts."""

from __future__ import annotations

import json
import re
from pathlib import Path

from storage.store import DB_NAME
from tests.cli.conftest import Run

STUDENT = [
    "--family", "山田", "--given", "花子", "--family-kana", "やまだ", "--given-kana", "ハナコ",
    "--sex", "女", "--birth-date", "平成31年4月2日", "--phone", "03-1234-5678",
]


def test_init_prints_a_recovery_key_in_groups(tmp_path: Path, gakuseki: Run) -> None:
    done = gakuseki(
        "--store", str(tmp_path / "s"), "init", "--school", "第一小", "--school-code", "B113212345602",
        "--admin", "admin",
    )
    assert done.returncode == 0, done.stderr
    assert re.search(r"([0-9A-Z]{4}-){8}[0-9A-Z]{4}", done.stdout)


def test_init_refuses_a_bad_school_code(tmp_path: Path, gakuseki: Run) -> None:
    done = gakuseki(
        "--store", str(tmp_path / "s"), "init", "--school", "第一小", "--school-code", "B113212345603",
        "--admin", "admin",
    )
    assert done.returncode == 2
    assert "check digit" in done.stderr
    assert "Traceback" not in done.stderr
    assert not (tmp_path / "s").exists()


def test_users_add_list_passwd_remove(cli_store: Path, gakuseki: Run) -> None:
    store = ["--store", str(cli_store)]
    assert gakuseki(*store, "user", "add", "tanaka", "--role", "teacher", "--name", "田中 一郎").returncode == 0
    listing = gakuseki(*store, "user", "list")
    assert listing.returncode == 0
    assert listing.stdout.splitlines() == ["admin\tadministrator\tadmin", "tanaka\tteacher\t田中 一郎"]
    teacher = {"GAKUSEKI_USER": "tanaka", "GAKUSEKI_PASSPHRASE": "new-user-passphrase"}
    changed = gakuseki(*store, "user", "passwd", "tanaka", env={**teacher, "GAKUSEKI_NEW_PASSPHRASE": "tanaka-2nd"})
    assert changed.returncode == 0, changed.stderr
    assert gakuseki(*store, "user", "list", env=teacher).returncode == 3
    assert gakuseki(*store, "user", "remove", "tanaka").returncode == 0
    gone = gakuseki(*store, "user", "list", env={"GAKUSEKI_USER": "tanaka", "GAKUSEKI_PASSPHRASE": "tanaka-2nd"})
    assert gone.returncode == 3
    assert "tanaka" in gone.stderr


def test_students_add_and_list_json(cli_store: Path, gakuseki: Run) -> None:
    store = ["--store", str(cli_store)]
    added = gakuseki(*store, "students", "add", *STUDENT)
    assert added.returncode == 0, added.stderr
    listed = gakuseki(*store, "students", "list", "--json")
    assert listed.returncode == 0, listed.stderr
    [student] = json.loads(listed.stdout)
    assert student["family_name"] == "山田"
    assert student["family_kana"] == "ヤマダ"
    assert student["birth_date"] == "2019-04-02"


def test_invalid_student_input_is_one_clear_line(cli_store: Path, gakuseki: Run) -> None:
    bad = [*STUDENT[:-4], "--birth-date", "平成31年5月1日"]  # that date does not exist
    done = gakuseki("--store", str(cli_store), "students", "add", *bad)
    assert done.returncode == 2
    assert len(done.stderr.strip().splitlines()) == 1
    assert "生年月日" in done.stderr


def test_wrong_passphrase_exits_3_without_traceback(cli_store: Path, gakuseki: Run) -> None:
    done = gakuseki("--store", str(cli_store), "students", "list", env={"GAKUSEKI_PASSPHRASE": "wrong wrong"})
    assert done.returncode == 3
    assert "admin" in done.stderr
    assert "Traceback" not in done.stderr


def test_teacher_refused_admin_operation_exits_5(cli_store: Path, gakuseki: Run) -> None:
    store = ["--store", str(cli_store)]
    gakuseki(*store, "user", "add", "tanaka", "--role", "teacher", "--name", "田中")
    teacher = {"GAKUSEKI_USER": "tanaka", "GAKUSEKI_PASSPHRASE": "new-user-passphrase"}
    done = gakuseki(*store, "user", "add", "mallory", "--role", "administrator", "--name", "M", env=teacher)
    assert done.returncode == 5
    assert "administrator" in done.stderr


def test_damaged_store_exits_4(cli_store: Path, gakuseki: Run) -> None:
    for _ in range(3):
        gakuseki("--store", str(cli_store), "students", "add", *STUDENT)
    path = cli_store / DB_NAME
    data = bytearray(path.read_bytes())
    data[len(data) // 2] ^= 0xFF
    path.write_bytes(bytes(data))
    done = gakuseki("--store", str(cli_store), "students", "list")
    assert done.returncode == 4
    assert "damaged" in done.stderr
    assert "Traceback" not in done.stderr


def test_audit_verify_passes_then_names_a_tampered_entry(cli_store: Path, gakuseki: Run) -> None:
    from tests.conftest import PASSPHRASE
    from tests.storage.helpers import raw_connection

    ok = gakuseki("--store", str(cli_store), "audit", "verify")
    assert ok.returncode == 0, ok.stderr
    conn = raw_connection(cli_store, "admin", PASSPHRASE)
    conn.execute("DROP TRIGGER audit_log_no_update")
    conn.execute("UPDATE audit_log SET actor = 'ghost' WHERE seq = 2")
    conn.close()
    bad = gakuseki("--store", str(cli_store), "audit", "verify")
    assert bad.returncode == 4
    assert "entry 2" in bad.stdout


def test_missing_store_and_bad_usage_exit_2(tmp_path: Path, gakuseki: Run) -> None:
    assert gakuseki("--store", str(tmp_path / "none"), "students", "list").returncode == 2
    assert gakuseki("students", "frobnicate").returncode == 2
    assert gakuseki("--version").returncode == 0


def test_doctor_reports_each_check(gakuseki: Run) -> None:
    done = gakuseki("doctor")
    assert "Tesseract" in done.stdout
    assert "SQLCipher 4" in done.stdout
    assert done.returncode in (0, 1)
