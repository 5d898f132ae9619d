"""`gakuseki board keygen|sign-template` and `gakuseki template trust-board|install|list`."""

from __future__ import annotations

import io
import json
import shutil
import zipfile
from pathlib import Path

from storage.templates import DEFAULT_SOURCE
from tests.cli.conftest import Run


def test_board_signs_school_trusts_and_installs(cli_store: Path, tmp_path: Path, gakuseki: Run) -> None:
    keys = tmp_path / "keys"
    made = gakuseki("board", "keygen", "--out", str(keys))
    assert made.returncode == 0, made.stderr
    assert (keys / "board_private.pem").stat().st_mode & 0o077 == 0
    src = tmp_path / "src"
    shutil.copytree(DEFAULT_SOURCE, src)
    meta = json.loads((src / "template.json").read_text(encoding="utf-8"))
    meta.update(id="jp.example-city", version=2)
    (src / "template.json").write_text(json.dumps(meta), encoding="utf-8")
    (src / "attendance.json").write_text('{"symbols": {"absent_sick": "病欠"}}', encoding="utf-8")
    pkg = tmp_path / "city.gkt"
    signed = gakuseki("board", "sign-template", str(src), "--key", str(keys / "board_private.pem"), "--out", str(pkg))
    assert signed.returncode == 0, signed.stderr

    store = ["--store", str(cli_store)]
    # not trusted yet: refused by policy
    untrusted = gakuseki(*store, "template", "install", str(pkg))
    assert untrusted.returncode == 5 and len(untrusted.stderr.strip().splitlines()) == 1
    assert gakuseki(*store, "template", "trust-board", str(keys / "board_public.pem")).returncode == 0

    # altered: exit 4
    altered = tmp_path / "altered.gkt"
    buf = io.BytesIO()
    with zipfile.ZipFile(pkg) as src_zip, zipfile.ZipFile(buf, "w") as dst:
        for info in src_zip.infolist():
            data = src_zip.read(info)
            if info.filename == "attendance.json":
                data = data.replace("病欠".encode(), b"X")
            dst.writestr(info, data)
    altered.write_bytes(buf.getvalue())
    bad = gakuseki(*store, "template", "install", str(altered))
    assert bad.returncode == 4 and len(bad.stderr.strip().splitlines()) == 1

    ok = gakuseki(*store, "template", "install", str(pkg))
    assert ok.returncode == 0, ok.stderr
    again = gakuseki(*store, "template", "install", str(pkg))
    assert again.returncode == 5 and "version" in again.stderr
    listed = gakuseki(*store, "template", "list", "--json")
    assert listed.returncode == 0
    data = json.loads(listed.stdout)
    assert data["templates"][0]["template_id"] == "jp.example-city" and len(data["board_keys"]) == 1
