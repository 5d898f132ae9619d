"""Test helpers that reach under the store's API, as an attacker with the key would."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from storage import db
from storage.keyslots import USER, KeySlotFile
from storage.store import DB_NAME, SLOTS_NAME


def raw_connection(store_dir: Path, login: str, passphrase: str) -> Any:
    """A plain SQLCipher connection with the real key: bypasses every rule of the app."""
    slots = KeySlotFile.load(store_dir / SLOTS_NAME)
    slot = slots.find(USER, login)
    assert slot is not None
    key = slots.open_slot(slot, passphrase)
    assert key is not None
    return db.connect(store_dir / DB_NAME, key)
