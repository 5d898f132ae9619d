"""Encryption is real: nothing readable on disk, damage is reported, not crashed on."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from storage import students
from storage.errors import DamagedError
from storage.store import DB_NAME, Store
from tests.conftest import PASSPHRASE

NAME = "鷺ノ宮"  # a distinctive family name to look for in raw bytes


def _add(store: Store, n: int = 40) -> None:
    with store.transaction():
        for i in range(n):
            students.add_student(
                store,
                students.StudentData(NAME, f"花子{i}", "さぎのみや", "はなこ", "女", "2019-05-05"),
            )


def _files(store_dir: Path) -> list[Path]:
    return [p for p in store_dir.iterdir() if p.name.startswith(DB_NAME)]


def test_the_database_file_is_not_plain_sqlite(store: Store, store_dir: Path) -> None:
    _add(store)
    with (store_dir / DB_NAME).open("rb") as handle:
        assert not handle.read(16).startswith(b"SQLite format 3")


def test_a_known_name_is_absent_from_the_database_wal_and_journal(store: Store, store_dir: Path) -> None:
    _add(store)
    wal = store_dir / f"{DB_NAME}-wal"
    assert wal.exists()  # checked while the store is open, with the WAL in use
    needles = [NAME.encode("utf-8"), NAME.encode("utf-16-le"), "サギノミヤ".encode()]
    for path in _files(store_dir):
        data = path.read_bytes()
        for needle in needles:
            assert needle not in data, f"{needle!r} readable in {path.name}"
    store.close()
    for path in _files(store_dir):
        assert NAME.encode("utf-8") not in path.read_bytes()


def test_plain_sqlite_cannot_read_it(store: Store, store_dir: Path) -> None:
    _add(store, 2)
    store.close()
    conn = sqlite3.connect(store_dir / DB_NAME)
    with pytest.raises(sqlite3.DatabaseError):
        conn.execute("SELECT * FROM students").fetchall()
    conn.close()


def test_one_flipped_byte_is_reported_as_damage(store: Store, store_dir: Path) -> None:
    _add(store, 200)
    store.close()
    path = store_dir / DB_NAME
    data = bytearray(path.read_bytes())
    page = 4096
    assert len(data) > 3 * page
    data[2 * page + 100] ^= 0x01  # a byte inside the third page
    path.write_bytes(bytes(data))
    with pytest.raises(DamagedError) as caught:
        Store.open(store_dir, "admin", PASSPHRASE)
    assert caught.value.exit_code == 4
    assert "damaged" in str(caught.value)
