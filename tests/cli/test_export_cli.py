"""`gakuseki export oneroster|attendance-record|attendance-month|roster`: written only through the
data-loss-prevention path (allow-listed folder, encrypted to the recipient, audited)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pyrage
from pyrage import x25519

from storage import attendance, classes, oneroster, policy, recipients, students, users
from storage.store import Store
from tests.cli.conftest import Run
from tests.conftest import PASSPHRASE


def test_exports_are_encrypted_to_the_recipient_and_valid(cli_store: Path, tmp_path: Path, gakuseki: Run) -> None:
    identity = x25519.Identity.generate()
    out = tmp_path / "out"
    out.mkdir()
    with Store.open(cli_store, "admin", PASSPHRASE) as admin:
        users.add_user(admin, "tanaka", "teacher", "田中 一郎", "new-user-passphrase")
        info = classes.add_class(admin, 2025, 1, "1", "tanaka")
        ids = [
            students.add_student(
                admin, students.StudentData("山田", f"花子{i}", "やまだ", "はなこ", "女", "2018-05-05")
            )
            for i in range(3)
        ]
        classes.enrol(admin, info.id, ids, "2025-04-01")
        attendance.set_days(admin, [date(2025, 6, 2)], "school_day")
        policy.allow_destination(admin, out)
        recipients.add(admin, "board", str(identity.to_public()))
    store = ["--store", str(cli_store)]
    common = ["--to", str(out), "--recipient", "board", "--reason", "学習eポータル連携"]

    done = gakuseki(*store, "export", "oneroster", *common, "--year", "2025")
    assert done.returncode == 0, done.stderr
    path = Path(done.stdout.strip())
    assert path.parent == out and path.name.endswith(".zip.age")
    data = pyrage.decrypt(path.read_bytes(), [identity])
    assert data.startswith(b"PK") and oneroster.validate(data, "jp-1.2.1").ok
    assert not any(p.suffix == ".zip" for p in out.iterdir())  # never in the clear

    for args in (
        ["attendance-record", "--year", "2025"],
        ["attendance-month", "--class", "1-1", "--year", "2025", "--month", "6", "--format", "pdf"],
        ["roster", "--class", "1-1", "--year", "2025"],
    ):
        done = gakuseki(*store, "export", *args, *common)
        assert done.returncode == 0, (args, done.stderr)
        written = pyrage.decrypt(Path(done.stdout.strip()).read_bytes(), [identity])
        assert written.startswith(b"%PDF") or "出席日数".encode() in written

    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    refused = gakuseki(
        *store, "export", "oneroster", "--year", "2025", "--to", str(elsewhere), "--recipient", "board", "--reason", "x"
    )
    assert refused.returncode == 5 and len(refused.stderr.strip().splitlines()) == 1
    assert list(elsewhere.iterdir()) == []

    with Store.open(cli_store, "admin", PASSPHRASE) as admin:
        kinds = [
            r["detail"] for r in admin.query("SELECT detail FROM audit_log WHERE action = 'export.write' ORDER BY seq")
        ]
    assert len(kinds) == 4 and '"kind":"oneroster"' in kinds[0]
