"""The encrypted school store: one SQLCipher database plus its key-slot file, in one folder.

A :class:`Store` is an unlocked session: the connection, the database key (to add key
slots) and the user acting. Domain modules (``storage.users``, ``storage.students``,
``storage.audit`` …) are functions over a Store. Every write goes through
``with store.transaction():``.
"""

from __future__ import annotations

import contextlib
import os
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from storage import audit, crypto, db, school_code, session_lock, signing, site
from storage.clock import now_iso
from storage.errors import AuthError, DamagedError, InputError, NotFoundError, PolicyError
from storage.keyslots import RECOVERY, USER, KeySlotFile
from storage.validation import check_login, check_passphrase

DB_NAME = "store.db"
SLOTS_NAME = "keyslots.json"
RECOVERY_ACTOR = "(recovery)"


@dataclass(frozen=True)
class User:
    id: int
    login: str
    display_name: str
    role: str

    @property
    def is_admin(self) -> bool:
        return self.role == "administrator"


def store_exists(path: Path) -> bool:
    return (path / SLOTS_NAME).is_file() and (path / DB_NAME).is_file()


def _missing(path: Path) -> NotFoundError:
    return NotFoundError(
        "store.missing",
        f"{path} に学籍ストアがありません。`gakuseki init` で作成してください",
        f"No Gakuseki store at {path}; create one with `gakuseki init`",
    )


def _wrong_passphrase(login: str) -> AuthError:
    return AuthError(
        "auth.wrong_passphrase",
        f"ユーザー「{login}」のパスフレーズが違います",
        f"Wrong passphrase for user '{login}'",
    )


class Store:
    """An unlocked store. Create with :meth:`create`, :meth:`open` or :meth:`open_with_recovery`."""

    def __init__(
        self,
        path: Path,
        conn: Any,
        db_key: bytes,
        slots: KeySlotFile,
        user: User,
        signing_secret: bytes | None = None,
    ) -> None:
        self.path = path
        #: wraps the user's Ed25519 key (storage.signing); None for the recovery-key session
        self.signing_secret = signing_secret
        self.conn = conn
        self._db_key = db_key
        self.slots = slots
        self.user = user
        self._depth = 0
        self._refusals: list[dict[str, Any]] = []
        self._session = session_lock.SessionLock()  # held while unlocked (storage.session_lock)

    # -- lifecycle ----------------------------------------------------------------------

    @classmethod
    def create(
        cls,
        path: Path,
        *,
        school_name: str,
        school_code_value: str,
        admin_login: str,
        admin_name: str,
        admin_passphrase: str,
        kdf: crypto.KdfParams | None = None,
    ) -> tuple[Store, str]:
        """A new store with its first administrator. Returns the store and the recovery key."""
        kdf = kdf or crypto.PRODUCTION_KDF
        code = school_code.validate(school_code_value)
        name = school_name.strip()
        if not name:
            raise InputError("school.name_empty", "学校名を入力してください", "Enter the school name")
        check_login(admin_login)
        check_passphrase(admin_passphrase)
        if (path / SLOTS_NAME).exists() or (path / DB_NAME).exists():
            raise InputError(
                "store.exists",
                f"{path} には既に学籍ストアがあります",
                f"A Gakuseki store already exists at {path}",
            )
        path.mkdir(parents=True, exist_ok=True, mode=0o700)
        with contextlib.suppress(OSError):
            path.chmod(0o700)
        db_key = crypto.new_db_key()
        recovery_key = crypto.new_recovery_key()
        slots = KeySlotFile.new(path / SLOTS_NAME)
        secret = signing.put_slot(slots, admin_login, db_key, admin_passphrase, kdf)
        slots.put(RECOVERY, "", db_key, recovery_key, kdf)
        conn = db.connect(path / DB_NAME, db_key)
        with contextlib.suppress(OSError):
            (path / DB_NAME).chmod(0o600)
        db.migrate(conn)
        now = now_iso()
        conn.execute("BEGIN IMMEDIATE")
        conn.execute("INSERT INTO meta (key, value) VALUES ('store_id', ?)", (slots.store_id,))
        conn.execute("INSERT INTO meta (key, value) VALUES ('created_at', ?)", (now,))
        conn.execute(
            "INSERT INTO school (id, name, school_code, created_at) VALUES (1, ?, ?, ?)", (name, code, now)
        )
        cur = conn.execute(
            "INSERT INTO users (login, display_name, role, created_at) VALUES (?, ?, 'administrator', ?)",
            (admin_login, admin_name.strip() or admin_login, now),
        )
        conn.execute("COMMIT")
        slots.save()
        user = User(int(cur.lastrowid), admin_login, admin_name.strip() or admin_login, "administrator")
        store = cls(path, conn, db_key, slots, user, secret)
        store._session = session_lock.shared(path)
        with store.transaction():
            key_id = signing.issue_key(store, user.id, secret, audit=False)
            store.audit("store.create", school=name, school_code=code, admin=admin_login, signing_key=key_id)
        return store, recovery_key

    @classmethod
    def open(cls, path: Path, login: str, passphrase: str) -> Store:
        """Unlock as ``login``. Wrong passphrases are slowed down and audited at the next unlock."""
        return cls._locked(path, lambda: cls._open(path, login, passphrase))

    @classmethod
    def _locked(cls, path: Path, opener: Callable[[], Store]) -> Store:
        """Open while holding the store's shared session lock (a restore is refused while it is held)."""
        lock = session_lock.shared(path)
        try:
            store = opener()
        except BaseException:
            lock.release()
            raise
        store._session = lock
        return store

    @classmethod
    def _open(cls, path: Path, login: str, passphrase: str) -> Store:
        slots = cls._load_slots(path)
        delay = slots.delay_before_attempt(login)
        if delay > 0:
            time.sleep(delay)
        slot = slots.find(USER, login)
        # auth.other_machine (a copied store) is raised before any guess is counted
        opened = signing.unlock_slot(slots, slot, passphrase) if slot is not None else None
        if opened is None:
            slots.record_failure(login)
            if slot is None:
                raise AuthError(
                    "auth.unknown_user",
                    f"ユーザー「{login}」はこのストアを開けません(未登録または削除済み)",
                    f"User '{login}' cannot open this store (unknown or removed)",
                )
            raise _wrong_passphrase(login)
        db_key, secret = opened.db_key, opened.signing_secret
        conn = cls._connect(path, db_key)
        row = conn.execute(
            "SELECT id, login, display_name, role, active FROM users WHERE login = ?", (login,)
        ).fetchone()
        if row is None or not row["active"]:
            conn.close()
            raise AuthError(
                "auth.removed_user",
                f"ユーザー「{login}」は削除されています",
                f"User '{login}' has been removed",
            )
        user = User(row["id"], row["login"], row["display_name"], row["role"])
        store = cls(path, conn, db_key, slots, user, secret)
        if opened.rebound:  # a slot from before site binding, bound now (saved by _after_unlock)
            store.audit("keyslot.bind", login=login, machine_id=slots.find(USER, login).site)  # type: ignore[union-attr]
        store._after_unlock(login)
        return store

    @classmethod
    def open_with_recovery(cls, path: Path, recovery_key: str) -> Store:
        """Unlock with the administrator recovery key (acts as an administrator; audited)."""
        return cls._locked(path, lambda: cls._open_with_recovery(path, recovery_key))

    @classmethod
    def _open_with_recovery(cls, path: Path, recovery_key: str) -> Store:
        slots = cls._load_slots(path)
        key_text = crypto.normalise_recovery_key(recovery_key)
        slot = slots.find(RECOVERY)
        delay = slots.delay_before_attempt(RECOVERY_ACTOR)
        if delay > 0:
            time.sleep(delay)
        db_key = slots.open_slot(slot, key_text) if slot is not None else None
        if db_key is None:
            slots.record_failure(RECOVERY_ACTOR)
            raise AuthError(
                "auth.wrong_recovery_key",
                "回復キーが違います",
                "Wrong recovery key",
            )
        conn = cls._connect(path, db_key)
        store = cls(path, conn, db_key, slots, User(0, RECOVERY_ACTOR, "回復キー", "administrator"))
        here = site.current().machine_id
        elsewhere = slots.bound_elsewhere(here)
        if elsewhere:
            # The store was copied or moved to this computer (or this account's machine secret
            # was lost). Users' slots stay bound to the old computer: an administrator resets
            # their passphrases here (storage.users.change_passphrase), which binds them anew.
            store.audit(
                "store.moved",
                machine_id=here,
                from_machine_ids=sorted({s.site for s in slots.slots if s.site and s.site != here}),
                users_to_reset=elsewhere,
            )
        store._after_unlock(RECOVERY_ACTOR, method="recovery_key")
        return store

    @staticmethod
    def _load_slots(path: Path) -> KeySlotFile:
        if not store_exists(path):
            raise _missing(path)
        return KeySlotFile.load(path / SLOTS_NAME)

    @staticmethod
    def _connect(path: Path, db_key: bytes) -> Any:
        conn = db.connect(path / DB_NAME, db_key)
        try:
            _check_and_migrate(conn, path)
        except BaseException as exc:
            conn.close()
            if db.is_damage(exc):
                raise db.damaged(path / DB_NAME) from exc
            raise
        return conn

    def _after_unlock(self, login: str, method: str = "passphrase") -> None:
        pending = self.slots.take_pending_failures()
        self.slots.clear_failures(login)
        with self.transaction():
            for failed_login, times in sorted(pending.items()):
                for at in times:
                    self.audit("unlock.failed", login=failed_login, at_epoch=round(at, 3))
            self.audit("unlock", method=method)
        self.slots.save()

    def close(self) -> None:
        """Lock: audit, checkpoint the WAL and close the connection."""
        if self.conn is None:
            return
        with contextlib.suppress(DamagedError, db.DatabaseError):
            self.audit("lock")
            self.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        self.conn.close()
        self.conn = None
        self._db_key = b""
        self._session.release()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- queries and transactions -------------------------------------------------------

    @contextlib.contextmanager
    def transaction(self) -> Iterator[None]:
        """One atomic unit of work; nested calls become savepoints."""
        self._require_open()
        name = f"sp{self._depth}"
        try:
            self.conn.execute("BEGIN IMMEDIATE" if self._depth == 0 else f"SAVEPOINT {name}")
        except db.DatabaseError as exc:
            raise self._map(exc) from exc
        self._depth += 1
        try:
            yield
        except BaseException:
            self._depth -= 1
            if self.conn.in_transaction:  # SQLite may already have rolled back (disk full, I/O error)
                if self._depth == 0:
                    self.conn.execute("ROLLBACK")
                else:
                    self.conn.execute(f"ROLLBACK TO {name}")
                    self.conn.execute(f"RELEASE {name}")
            if self._depth == 0 and self._refusals:
                self._flush_refusals()
            raise
        self._depth -= 1
        try:
            self.conn.execute("COMMIT" if self._depth == 0 else f"RELEASE {name}")
        except db.DatabaseError as exc:
            if self._depth == 0 and self.conn.in_transaction:
                self.conn.execute("ROLLBACK")
            raise self._map(exc) from exc
        if self._depth == 0 and self._refusals:
            self._flush_refusals()

    def execute(self, sql: str, params: Sequence[Any] | dict[str, Any] = ()) -> Any:
        """Run a write; must be inside :meth:`transaction`."""
        self._require_open()
        if self._depth == 0:
            raise RuntimeError("writes must run inside store.transaction()")
        try:
            return self.conn.execute(sql, params)
        except db.DatabaseError as exc:
            raise self._map(exc) from exc

    def query(self, sql: str, params: Sequence[Any] | dict[str, Any] = ()) -> list[Any]:
        self._require_open()
        try:
            return list(self.conn.execute(sql, params).fetchall())
        except db.DatabaseError as exc:
            raise self._map(exc) from exc

    def query_one(self, sql: str, params: Sequence[Any] | dict[str, Any] = ()) -> Any:
        found = self.query(sql, params)
        return found[0] if found else None

    def _map(self, exc: BaseException) -> BaseException:
        if db.is_damage(exc):
            return db.damaged(self.path / DB_NAME)
        if isinstance(exc, db.DatabaseError) and "disk is full" in str(exc):
            return InputError(
                "store.disk_full",
                f"{self.path} のディスクがいっぱいです。何も書き込んでいません。"
                "空き容量を作ってから、もう一度行ってください",
                f"The disk holding {self.path} is full; nothing was written. Free some space and try again",
            )
        if isinstance(exc, db.DatabaseError) and "readonly" in str(exc).replace(" ", "").lower():
            return InputError(
                "store.read_only",
                f"{self.path} に書き込めません(読み取り専用)",
                f"The store at {self.path} is read-only",
            )
        return exc

    def _require_open(self) -> None:
        if self.conn is None:
            raise PolicyError("store.locked", "ストアはロックされています", "The store is locked")

    # -- audit and roles ------------------------------------------------------------------

    def audit(self, action: str, **detail: Any) -> None:
        with self.transaction():
            audit.append(self, action, detail)

    def audit_refusal(self, **detail: Any) -> None:
        """Audit a refused operation so that it stays in the log even when the caller's
        transaction rolls back because of the refusal: inside a transaction it is written
        right after the outermost one ends."""
        if self._depth == 0:
            self.audit("policy.refused", **detail)
        else:
            self._refusals.append(detail)

    def _flush_refusals(self) -> None:
        pending, self._refusals = self._refusals, []
        for detail in pending:
            self.audit("policy.refused", **detail)

    def require_admin(self, operation: str) -> None:
        """Refuse (and audit) a non-administrator calling an administrator operation."""
        if self.user.is_admin:
            return
        self.audit_refusal(operation=operation, role=self.user.role)
        raise PolicyError(
            "policy.admin_only",
            f"この操作({operation})は管理者のみが行えます",
            f"Only an administrator may do this ({operation})",
        )

    # -- key slots ------------------------------------------------------------------------

    def put_user_slot(
        self,
        login: str,
        passphrase: str,
        kdf: crypto.KdfParams | None = None,
        before_save: Callable[[bytes], None] | None = None,
    ) -> bytes:
        """Add or rewrite ``login``'s slot; returns its signing secret (see storage.signing),
        which ``before_save`` receives before the slot file is written."""
        existing = self.slots.find(USER, login)
        params = kdf or (existing.kdf if existing else crypto.PRODUCTION_KDF)
        secret = signing.put_slot(self.slots, login, self._db_key, passphrase, params)
        if before_save is not None:
            before_save(secret)
        self.slots.save()
        return secret

    def remove_user_slot(self, login: str) -> bool:
        removed = self.slots.remove(USER, login)
        self.slots.save()
        return removed

    def replace_recovery_key(self) -> str:
        self.require_admin("recovery.replace")
        key = crypto.new_recovery_key()
        existing = self.slots.find(RECOVERY)
        self.slots.put(RECOVERY, "", self._db_key, key, existing.kdf if existing else crypto.PRODUCTION_KDF)
        self.slots.save()
        self.audit("recovery.replace")
        return key

    @property
    def store_id(self) -> str:
        return self.slots.store_id

    # -- backups (storage.backup) -----------------------------------------------------------

    def snapshot(self, target: Path) -> None:
        """A consistent copy of the committed database at ``target`` (SQLite online backup API),
        encrypted with the same key; nothing in the clear touches the disk."""
        self._require_open()
        if self._depth:
            raise RuntimeError("snapshot() must run outside store.transaction()")
        copy = db.connect(target, self._db_key)
        try:
            self.conn.backup(copy)
            copy.execute("PRAGMA journal_mode = DELETE").fetchone()  # one self-contained file
        finally:
            copy.close()

    def subkey(self, label: str) -> bytes:
        """A 32-byte key for ``label`` derived from the database key (see :func:`derive_subkey`)."""
        self._require_open()
        return derive_subkey(self._db_key, label)


def derive_subkey(db_key: bytes, label: str) -> bytes:
    """HKDF-SHA256 of the database key for one purpose (e.g. the backup manifest's MAC)."""
    from cryptography.hazmat.primitives import hashes
    from cryptography.hazmat.primitives.kdf.hkdf import HKDF

    return HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=f"gakuseki-subkey-v1|{label}".encode()).derive(
        db_key
    )


def _check_and_migrate(conn: Any, path: Path) -> None:
    """Refuse a store from a newer app or with damaged pages; bring an older one up to date."""
    version = db.schema_version(conn)
    latest = db.latest_version()
    if version > latest:
        raise InputError(
            "store.too_new",
            "このストアは新しいバージョンの学籍で作成されています。アプリを更新してください",
            "This store was written by a newer version of Gakuseki; update the app",
        )
    problems = db.integrity_problems(conn)
    if problems:
        raise db.damaged(path / DB_NAME, problems[0])
    if version < latest:
        db.migrate(conn)


def default_store_path() -> Path:
    """Where the school's store lives unless ``--store`` says otherwise."""
    env = os.environ.get("GAKUSEKI_STORE")
    if env:
        return Path(env)
    import platformdirs

    return Path(platformdirs.user_data_dir("gakuseki", appauthor=False)) / "store"
