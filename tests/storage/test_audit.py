"""The audit log is append-only and its hash chain names the first tampered entry."""

from __future__ import annotations

from pathlib import Path

import pytest

from storage import audit, users
from storage.db import DatabaseError
from storage.store import Store
from tests.conftest import PASSPHRASE
from tests.storage.helpers import raw_connection


def _fill(store: Store) -> None:
    for n in range(5):
        users.add_user(store, f"teacher{n}", "teacher", f"先生{n}", "teacher-passphrase")


def test_a_fresh_chain_verifies(store: Store) -> None:
    _fill(store)
    result = audit.verify(store)
    assert result.ok
    assert result.entries >= 6


def test_triggers_refuse_update_and_delete_even_with_the_key(store: Store, store_dir: Path) -> None:
    _fill(store)
    store.close()
    conn = raw_connection(store_dir, "admin", PASSPHRASE)
    with pytest.raises(DatabaseError, match="append-only"):
        conn.execute("UPDATE audit_log SET actor = 'nobody' WHERE seq = 2")
    with pytest.raises(DatabaseError, match="append-only"):
        conn.execute("DELETE FROM audit_log WHERE seq = 2")
    conn.close()


def _tamper(store_dir: Path, sql: str) -> None:
    conn = raw_connection(store_dir, "admin", PASSPHRASE)
    conn.execute("DROP TRIGGER audit_log_no_update")
    conn.execute("DROP TRIGGER audit_log_no_delete")
    conn.execute(sql)
    conn.close()


def test_an_edited_entry_is_named(store: Store, store_dir: Path) -> None:
    _fill(store)
    store.close()
    _tamper(store_dir, "UPDATE audit_log SET detail = '{\"login\":\"someone-else\"}' WHERE seq = 4")
    with Store.open(store_dir, "admin", PASSPHRASE) as again:
        result = audit.verify(again)
    assert not result.ok
    assert result.bad_seq == 4
    assert "4" in result.reason_en


def test_a_deleted_entry_is_named(store: Store, store_dir: Path) -> None:
    _fill(store)
    store.close()
    _tamper(store_dir, "DELETE FROM audit_log WHERE seq = 3")
    with Store.open(store_dir, "admin", PASSPHRASE) as again:
        result = audit.verify(again)
    assert not result.ok
    assert result.bad_seq == 3


def test_a_rewritten_hash_is_caught_at_the_next_entry(store: Store, store_dir: Path) -> None:
    _fill(store)
    store.close()
    # the attacker recomputes entry 2's own hash after editing it; entry 3 no longer links
    conn = raw_connection(store_dir, "admin", PASSPHRASE)
    conn.execute("DROP TRIGGER audit_log_no_update")
    row = conn.execute("SELECT * FROM audit_log WHERE seq = 2").fetchone()
    detail = '{"login":"forged"}'
    digest = audit.entry_hash(row["prev_hash"], 2, row["at"], row["actor"], row["action"], detail)
    conn.execute("UPDATE audit_log SET detail = ?, hash = ? WHERE seq = 2", (detail, digest))
    conn.close()
    with Store.open(store_dir, "admin", PASSPHRASE) as again:
        result = audit.verify(again)
    assert not result.ok
    assert result.bad_seq == 3


def test_unlock_and_lock_are_recorded(store: Store, store_dir: Path) -> None:
    store.close()
    with Store.open(store_dir, "admin", PASSPHRASE) as again:
        actions = [e.action for e in reversed(audit.entries(again))]
    assert actions[:2] == ["store.create", "lock"]
    assert actions[-1] == "unlock"
