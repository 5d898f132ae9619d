"""`gakuseki backup`, `gakuseki restore FILE --store PATH` and `gakuseki retention` as a person runs them."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

from pyrage import x25519

from storage import attendance, classes, policy, recipients, students, users
from storage.store import DB_NAME, Store
from tests.cli.conftest import Run
from tests.conftest import PASSPHRASE

TEACHER = "new-user-passphrase"


def _init(tmp_path: Path, gakuseki: Run) -> tuple[Path, str]:
    path = tmp_path / "school"
    done = gakuseki(
        "--store", str(path), "init", "--school", "テスト市立第一小学校", "--school-code", "B113212345602",
        "--admin", "admin", env={"GAKUSEKI_NEW_PASSPHRASE": PASSPHRASE},
    )
    assert done.returncode == 0, done.stderr
    recovery = re.search(r"^\s+(\S+)\s*$", done.stdout.split("Recovery key")[1], re.MULTILINE)
    assert recovery is not None
    return path, recovery.group(1)


def test_backup_damage_restore_drill(tmp_path: Path, gakuseki: Run) -> None:
    path, recovery = _init(tmp_path, gakuseki)
    identity = x25519.Identity.generate()
    key_file = tmp_path / "backup-key.txt"
    key_file.write_text(f"# backup officer\n{identity}\n", encoding="utf-8")
    out = tmp_path / "backups"
    out.mkdir()
    with Store.open(path, "admin", PASSPHRASE) as admin:
        users.add_user(admin, "tanaka", "teacher", "田中", TEACHER)
        info = classes.add_class(admin, 2025, 1, "1", "tanaka")
        ids = [
            students.add_student(
                admin, students.StudentData("山田", f"花子{i}", "やまだ", "はなこ", "女", "2018-05-05")
            )
            for i in range(4)
        ]
        classes.enrol(admin, info.id, ids, "2025-04-01")
        attendance.set_days(admin, [date(2025, 6, 2)], "school_day")
        policy.allow_destination(admin, out)
        recipients.add(admin, "backup", str(identity.to_public()))
    with Store.open(path, "tanaka", TEACHER) as teacher:
        attendance.seal(teacher, info.id, date(2025, 6, 2))
    store = ["--store", str(path)]

    as_teacher = {"GAKUSEKI_USER": "tanaka", "GAKUSEKI_PASSPHRASE": TEACHER}
    refused = gakuseki(*store, "backup", "--to", str(out), env=as_teacher)
    assert refused.returncode == 5, refused.stderr
    missing = gakuseki(*store, "backup", "--to", str(out))
    assert missing.returncode == 5 and "backup --set" in missing.stderr
    configured = gakuseki(*store, "backup", "--set", "--to", str(out), "--recipient", "backup", "--keep", "3")
    assert configured.returncode == 0, configured.stderr
    made = gakuseki(*store, "backup")
    assert made.returncode == 0, made.stderr
    file = next(out.iterdir())
    assert file.name.endswith(".gkbak.age") and str(file) in made.stdout
    status = gakuseki(*store, "backup", "--status")
    assert status.returncode == 0 and "いいえ / no" in status.stdout

    env = {"GAKUSEKI_RECOVERY_KEY": recovery}
    check = gakuseki("restore", str(file), "--store", str(path), "--identity", str(key_file), "--check", env=env)
    assert check.returncode == 0, check.stderr
    assert "students 4" in check.stdout

    # the store open elsewhere (here: this process, as the 学籍 window would): refused, nothing moves
    with Store.open(path, "admin", PASSPHRASE):
        busy = gakuseki("restore", str(file), "--store", str(path), "--identity", str(key_file), env=env)
    assert busy.returncode == 5 and "開かれています" in busy.stderr and "is open" in busy.stderr
    assert not list(tmp_path.glob("school.before-restore-*"))

    (path / DB_NAME).write_bytes(b"\0" * 4096)  # the live store is destroyed
    broken = gakuseki(*store, "students", "list")
    assert broken.returncode == 4

    no_key = gakuseki("restore", str(file), "--store", str(path), "--identity", str(key_file))
    assert no_key.returncode == 2 and "GAKUSEKI_RECOVERY_KEY" in no_key.stderr
    wrong = gakuseki("restore", str(file), "--store", str(path), "--identity", str(key_file),
                     env={"GAKUSEKI_RECOVERY_KEY": "AAAA-BBBB"})
    assert wrong.returncode in (2, 3), wrong.stderr

    done = gakuseki("restore", str(file), "--store", str(path), env={**env, "GAKUSEKI_BACKUP_IDENTITY": str(key_file)})
    assert done.returncode == 0, done.stderr
    assert "before-restore" in done.stdout
    listed = gakuseki(*store, "students", "list", "--json")
    assert listed.returncode == 0, listed.stderr
    assert listed.stdout.count("花子") == 4
    assert gakuseki(*store, "audit", "verify").returncode == 0
    verified = gakuseki(*store, "attendance", "verify")
    assert verified.returncode == 0, verified.stdout + verified.stderr

    tampered = tmp_path / "tampered.gkbak.age"
    data = bytearray(file.read_bytes())
    data[-50] ^= 1
    tampered.write_bytes(bytes(data))
    refused = gakuseki("restore", str(tampered), "--store", str(path), "--identity", str(key_file), env=env)
    assert refused.returncode == 4 and "/" in refused.stderr


def test_retention_report_and_purge_need_approval(tmp_path: Path, gakuseki: Run) -> None:
    path, _recovery = _init(tmp_path, gakuseki)
    store = ["--store", str(path)]
    report = gakuseki(*store, "retention", "report", "--json")
    assert report.returncode == 0, report.stderr
    assert '"attendance"' in report.stdout and '"student_record"' in report.stdout
    dry = gakuseki(*store, "retention", "purge")
    assert dry.returncode == 0 and "--approve" in dry.stdout
    purged = gakuseki(*store, "retention", "purge", "--approve")
    assert purged.returncode == 0, purged.stderr
    assert "Nothing to purge" in purged.stdout
    lower = gakuseki(*store, "retention", "set", "attendance", "3")
    assert lower.returncode == 2
