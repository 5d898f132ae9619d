"""Low-level SQLCipher connection: open sequence, error mapping and numbered migrations."""

from __future__ import annotations

import re
from importlib import metadata, resources
from pathlib import Path
from typing import Any

import sqlcipher3

from storage.errors import DamagedError

Row = sqlcipher3.Row
DatabaseError = sqlcipher3.DatabaseError
IntegrityError = sqlcipher3.IntegrityError

_DAMAGE = re.compile(r"not a database|malformed|corrupt|disk image|hmac", re.IGNORECASE)


def damaged(path: Path, detail: str = "") -> DamagedError:
    suffix = f" ({detail})" if detail else ""
    return DamagedError(
        "store.damaged",
        f"データベース {path} が破損しています。バックアップから復元してください{suffix}",
        f"The store {path} is damaged; restore it from a backup{suffix}",
    )


def is_damage(exc: BaseException) -> bool:
    return isinstance(exc, sqlcipher3.DatabaseError) and bool(_DAMAGE.search(str(exc)))


def connect(db_path: Path, key: bytes) -> Any:
    """Open ``db_path`` with the raw 256-bit ``key`` in the order SQLCipher recommends.

    Raises DamagedError when the key is right (it came out of an authenticated key slot)
    but the file cannot be read.
    """
    conn = sqlcipher3.connect(str(db_path), isolation_level=None, check_same_thread=True)
    try:
        conn.row_factory = sqlcipher3.Row
        conn.execute("PRAGMA cipher_log_level = NONE")
        conn.execute(f"PRAGMA key = \"x'{key.hex()}'\"")
        conn.execute("PRAGMA cipher_memory_security = ON")
        conn.execute("SELECT count(*) FROM sqlite_master").fetchone()  # first read: key check
        conn.execute("PRAGMA foreign_keys = ON")
        conn.execute("PRAGMA journal_mode = WAL").fetchone()
        conn.execute("PRAGMA synchronous = FULL")
        conn.execute("PRAGMA temp_store = MEMORY")
        conn.execute("PRAGMA secure_delete = ON")
        conn.execute("PRAGMA busy_timeout = 5000")
    except sqlcipher3.DatabaseError as exc:
        conn.close()
        raise damaged(db_path) from exc
    return conn


def integrity_problems(conn: Any) -> list[str]:
    """Pages whose HMAC fails (SQLCipher) plus SQLite's own quick check."""
    problems = [str(r[0]) for r in conn.execute("PRAGMA cipher_integrity_check").fetchall()]
    quick = [str(r[0]) for r in conn.execute("PRAGMA quick_check").fetchall()]
    return problems + [q for q in quick if q != "ok"]


# --- migrations ---------------------------------------------------------------------


def migration_scripts() -> list[tuple[int, str, str]]:
    """(number, name, sql) of every bundled migration, in order."""
    found = []
    for entry in resources.files("storage.migrations").iterdir():
        match = re.fullmatch(r"(\d{4})_(\w+)\.sql", entry.name)
        if match:
            found.append((int(match.group(1)), match.group(2), entry.read_text(encoding="utf-8")))
    found.sort()
    numbers = [n for n, _, _ in found]
    if numbers != list(range(1, len(found) + 1)):
        raise RuntimeError(f"migrations must be numbered 1..N without gaps, got {numbers}")
    return found


def schema_version(conn: Any) -> int:
    return int(conn.execute("PRAGMA user_version").fetchone()[0])


def latest_version() -> int:
    return len(migration_scripts())


def app_version() -> str:
    """This program's version (package metadata), recorded in the stores it migrates."""
    try:
        return metadata.version("gakuseki")
    except metadata.PackageNotFoundError:
        return "0+unknown"


def migrate(conn: Any) -> list[int]:
    """Apply every migration above ``PRAGMA user_version``, each in its own transaction, and
    record which version of the app last migrated the store (meta ``migrated_by``)."""
    applied = []
    current = schema_version(conn)
    for number, _name, sql in migration_scripts():
        if number <= current:
            continue
        try:
            conn.executescript(f"BEGIN IMMEDIATE;\n{sql}\nPRAGMA user_version = {number};\nCOMMIT;")
        except BaseException:
            if conn.in_transaction:
                conn.execute("ROLLBACK")
            raise
        applied.append(number)
    if applied:
        conn.execute(
            "INSERT INTO meta (key, value) VALUES ('migrated_by', ?) "
            "ON CONFLICT (key) DO UPDATE SET value = excluded.value",
            (f"{app_version()} (schema {applied[-1]})",),
        )
    return applied

