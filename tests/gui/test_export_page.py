"""出力 through the widgets: a reason is required, and the file written is readable only with
the recipient's key."""

from __future__ import annotations

import zipfile
from io import BytesIO
from pathlib import Path

import pyrage

from app.gui.db import DbThread
from app.gui.main_window import MainWindow
from storage import policy, recipients
from storage.store import Store
from tests.conftest import PASSPHRASE
from tests.gui.conftest import unlock, wait_db


def _board_outbox(school: Path, tmp_path: Path) -> tuple[Path, pyrage.x25519.Identity]:
    """An allowed folder and the board's key, registered by the administrator."""
    outbox = tmp_path / "board-outbox"
    outbox.mkdir()
    identity = pyrage.x25519.Identity.generate()
    with Store.open(school, "admin", PASSPHRASE) as admin:
        policy.allow_destination(admin, outbox)
        recipients.add(admin, "教育委員会", str(identity.to_public()))
    return outbox, identity


def test_export_oneroster_encrypted_to_the_recipient(
    qtbot, window: MainWindow, db: DbThread, school: Path, tmp_path: Path
) -> None:
    outbox, identity = _board_outbox(school, tmp_path)
    unlock(qtbot, window)
    wait_db(qtbot, db)
    page = window.exports
    assert page.go.isEnabled()
    page.kind.setCurrentIndex(page.kind.findData("oneroster"))
    page.go.click()
    wait_db(qtbot, db)
    assert "理由" in page.message.text()  # no reason, no export
    assert list(outbox.iterdir()) == []
    page.reason.setText("学習eポータルへの名簿連携")
    page.go.click()
    wait_db(qtbot, db)
    [written] = list(outbox.iterdir())
    assert written.suffix == ".age"
    assert str(written) in page.message.text()
    data = written.read_bytes()
    assert b"manifest.csv" not in data  # encrypted, not a zip
    with zipfile.ZipFile(BytesIO(pyrage.decrypt(data, [identity]))) as package:
        assert "users.csv" in package.namelist()
        users_csv = package.read("users.csv").decode("utf-8-sig")
    assert "渡邉" in users_csv


def test_export_student_list_csv(qtbot, window: MainWindow, db: DbThread, school: Path, tmp_path: Path) -> None:
    outbox, identity = _board_outbox(school, tmp_path)
    unlock(qtbot, window)
    wait_db(qtbot, db)
    page = window.exports
    page.kind.setCurrentIndex(page.kind.findData("students_csv"))
    page.reason.setText("転出先への名簿")
    page.go.click()
    wait_db(qtbot, db)
    [written] = list(outbox.iterdir())
    text = pyrage.decrypt(written.read_bytes(), [identity]).decode("utf-8-sig")
    assert text.splitlines()[0].startswith("class,attendance_no,family_name")
    assert "渡邉" in text
