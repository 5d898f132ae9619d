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
