"""出力 through the widgets: a reason is required, and the file written is readable only with
the recipient's key."""

from __future__ import annotations

import zipfile
from io import BytesIO
from pathlib import Path

import pyrage

from app.gui.db import DbThread
from app.gui.main_window import MainWindow
from tests.gui.conftest import allowed_folder, unlock, wait_db


def test_export_oneroster_encrypted_to_the_recipient(
    qtbot, window: MainWindow, db: DbThread, school: Path, tmp_path: Path
) -> None:
    outbox = tmp_path / "board-outbox"
    identity = allowed_folder(school, outbox, "教育委員会")
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
    outbox = tmp_path / "board-outbox"
    identity = allowed_folder(school, outbox, "教育委員会")
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
