"""Numbered migrations run from an empty store and are idempotent."""

from __future__ import annotations

from pathlib import Path

from storage import crypto, db


def _schema(conn: object) -> list[tuple[str, str]]:
    rows = conn.execute("SELECT name, sql FROM sqlite_master ORDER BY name").fetchall()  # type: ignore[attr-defined]
    return [(r[0], r[1]) for r in rows]


def test_migrations_run_from_empty_and_are_idempotent(tmp_path: Path) -> None:
    conn = db.connect(tmp_path / "empty.db", crypto.new_db_key())
    assert db.schema_version(conn) == 0
    applied = db.migrate(conn)
    assert applied == list(range(1, db.latest_version() + 1))
    assert db.schema_version(conn) == db.latest_version()
    schema = _schema(conn)
    assert {"students", "users", "audit_log", "classes", "class_memberships"} <= {name for name, _ in schema}
    assert db.migrate(conn) == []
    assert _schema(conn) == schema
    conn.close()


def test_migration_numbers_have_no_gaps() -> None:
    numbers = [n for n, _, _ in db.migration_scripts()]
    assert numbers == list(range(1, len(numbers) + 1))


def test_the_store_records_the_app_version_that_migrated_it(tmp_path: Path) -> None:
    conn = db.connect(tmp_path / "s.db", crypto.new_db_key())
    db.migrate(conn)
    row = conn.execute("SELECT value FROM meta WHERE key = 'migrated_by'").fetchone()
    assert row is not None
    assert row[0].startswith(db.app_version())
    assert f"schema {db.latest_version()}" in row[0]
    conn.close()


def test_a_store_from_a_newer_version_is_refused_clearly(tmp_path: Path) -> None:
    import pytest

    from storage.errors import InputError
    from storage.store import Store
    from tests.conftest import PASSPHRASE
    from tests.storage.helpers import raw_connection

    path = tmp_path / "school"
    Store.create(path, school_name="未来小学校", school_code_value="B113212345602", admin_login="admin",
                 admin_name="", admin_passphrase=PASSPHRASE)[0].close()
    conn = raw_connection(path, "admin", PASSPHRASE)
    conn.execute(f"PRAGMA user_version = {db.latest_version() + 1}")
    conn.close()
    with pytest.raises(InputError) as caught:
        Store.open(path, "admin", PASSPHRASE)
    assert caught.value.code == "store.too_new"
    assert "newer version" in str(caught.value)
