"""Project-wide test set-up: offscreen Qt, fast key derivation for in-process stores."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
PASSPHRASE = "correct horse battery"


@pytest.fixture(autouse=True)
def _fast_kdf(monkeypatch: pytest.MonkeyPatch) -> None:
    """In-process stores use the minimum Argon2id cost so the suite stays fast.

    CLI tests run the real command in a subprocess and so use the production cost.
    """
    from storage import crypto

    monkeypatch.setattr(crypto, "PRODUCTION_KDF", crypto.MINIMUM_KDF)


@pytest.fixture(autouse=True)
def _machine_secret(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Each test runs on its own "computer": a machine secret (storage.site) in a tmp folder,
    never the real per-user one. CLI subprocesses get the same folder (tests/cli/conftest.py)."""
    folder = tmp_path / "machine-secret"
    monkeypatch.setenv("GAKUSEKI_MACHINE_SECRET_DIR", str(folder))
    return folder


@pytest.fixture
def store_dir(tmp_path: Path) -> Path:
    return tmp_path / "school"


@pytest.fixture
def store(store_dir: Path) -> Iterator[object]:
    from storage.store import Store

    opened, _recovery = Store.create(
        store_dir,
        school_name="テスト市立第一小学校",
        school_code_value="B113212345602",
        admin_login="admin",
        admin_name="管理 太郎",
        admin_passphrase=PASSPHRASE,
    )
    yield opened
    opened.close()
