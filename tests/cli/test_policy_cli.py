"""`gakuseki policy|recipient|export|audit report`: refusals exit 5 with one clear line."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pyrage
from pyrage import x25519

from tests.cli.conftest import Run

STUDENT = [
    "--family", "鷺ノ宮", "--given", "花子", "--family-kana", "さぎのみや", "--given-kana", "はなこ",
    "--sex", "女", "--birth-date", "2019-05-05",
]


def _one_line_refusal(done: object) -> None:
    assert done.returncode == 5, done.stderr  # type: ignore[attr-defined]
    assert len(done.stderr.strip().splitlines()) == 1  # type: ignore[attr-defined]
    assert "Traceback" not in done.stderr  # type: ignore[attr-defined]


def test_allow_list_recipient_export_and_report(cli_store: Path, tmp_path: Path, gakuseki: Run) -> None:
    store = ["--store", str(cli_store)]
    out = tmp_path / "to-board"
    out.mkdir()
    identity = x25519.Identity.generate()
    bad = gakuseki(*store, "recipient", "add", "board", "AGE-SECRET-KEY-1XYZ")
    assert bad.returncode == 2
    assert "age" in bad.stderr
    assert gakuseki(*store, "recipient", "add", "board", str(identity.to_public())).returncode == 0
    allowed = gakuseki(*store, "policy", "allow-destination", str(out), "--note", "教育委員会")
    assert allowed.returncode == 0, allowed.stderr
    listed = gakuseki(*store, "policy", "list")
    assert str(out.resolve()) in listed.stdout
    assert str(identity.to_public()) in listed.stdout
    assert "bulk_alert_students\t200" in listed.stdout
    assert gakuseki(*store, "students", "add", *STUDENT).returncode == 0

    exported = gakuseki(*store, "export", "students", "--to", str(out), "--recipient", "board", "--reason", "転出")
    assert exported.returncode == 0, exported.stderr
    [written] = list(out.iterdir())
    assert written.name.endswith(".csv.age")
    assert "鷺ノ宮".encode() not in written.read_bytes()
    assert "鷺ノ宮" in pyrage.decrypt(written.read_bytes(), [identity]).decode("utf-8-sig")

    elsewhere = tmp_path / "desktop"
    elsewhere.mkdir()
    off_list = gakuseki(*store, "export", "students", "--to", str(elsewhere), "--recipient", "board", "--reason", "x")
    _one_line_refusal(off_list)
    assert "allowed" in off_list.stderr
    no_reason = gakuseki(*store, "export", "students", "--to", str(out), "--recipient", "board", "--reason", " ")
    _one_line_refusal(no_reason)

    month = date.today().strftime("%Y-%m")
    report = gakuseki(*store, "audit", "report", "--month", month, "--json")
    assert report.returncode == 0, report.stderr
    data = json.loads(report.stdout)
    [admin] = [u for u in data["users"] if u["login"] == "admin"]
    assert admin["students_exported"] == 1
    assert admin["export_files"] == 1
    assert admin["refusals"] == 2
    assert data["exports"][0]["recipient"] == "board"
    text = gakuseki(*store, "audit", "report", "--month", month)
    assert text.returncode == 0
    assert "admin" in text.stdout


def test_a_teacher_is_refused_policy_and_export_commands(cli_store: Path, tmp_path: Path, gakuseki: Run) -> None:
    store = ["--store", str(cli_store)]
    assert gakuseki(*store, "user", "add", "tanaka", "--role", "teacher", "--name", "田中").returncode == 0
    teacher = {"GAKUSEKI_USER": "tanaka", "GAKUSEKI_PASSPHRASE": "new-user-passphrase"}
    for command in (
        ["policy", "allow-destination", str(tmp_path)],
        ["policy", "list"],
        ["recipient", "add", "me", str(x25519.Identity.generate().to_public())],
        ["export", "students", "--to", str(tmp_path), "--recipient", "x", "--reason", "x"],
        ["audit", "report", "--month", "2026-04"],
    ):
        done = gakuseki(*store, *command, env=teacher)
        _one_line_refusal(done)
        assert "administrator" in done.stderr
