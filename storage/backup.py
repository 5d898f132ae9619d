"""Backups of the whole store, scheduled backups, and restore.

**What a backup is.** An age file (``gakuseki-backup-<store>-<time>.gkbak.age``) encrypted to
the school's backup recipient (an age X25519 public key registered with ``gakuseki recipient
add``) and written through :func:`storage.exports.export_file`: administrators only, an
allow-listed folder that is not a removable drive, atomic, never in the clear, audited. Inside
(an uncompressed tar, so ``age -d -i key.txt FILE | tar x`` opens it by hand too):

- ``manifest.json``: time, app and schema version, store id, school, row counts per table, the
  heads of the audit and attendance chains, the SHA-256 of the two other members, and an
  HMAC over all of that keyed from the database key (so only someone holding the store's key
  can make a manifest that restore accepts);
- ``store.db``: a consistent snapshot (SQLite online backup API) still encrypted by SQLCipher
  with the store's key;
- ``keyslots.json``: the key slots, so that the recovery key opens the snapshot.

Decrypting a backup therefore needs the backup identity (the age private key, kept by the
school's backup officer) *and* the store's recovery key: either alone is useless.

**Restore** (:func:`restore`) decrypts, checks the manifest and digests, opens the snapshot in
a temporary folder beside the target with the recovery key, checks the manifest's MAC, the
row counts and the audit and attendance chains, and only then moves the current store aside
(``<store>.before-restore-<time>``) and renames the verified copy into place. Users' key slots
are bound to the computer that made them (``storage.site``): on another computer users cannot
open the restored store with their passphrases; an administrator opens it with the recovery key
and resets their passphrases.

**Scheduled backups** (for the GUI's timer): :func:`settings`, :func:`configure`, :func:`due`,
:func:`run_scheduled` (back up, then keep the newest ``keep`` backups in the destination:
only files this app wrote, known by name and by the SHA-256 recorded in the ``backups`` table).
"""

from __future__ import annotations

import contextlib
import dataclasses
import hashlib
import hmac
import io
import json
import os
import re
import secrets
import shutil
import tarfile
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import pyrage
import rfc8785
from pyrage import x25519

from storage import attendance, audit, db, exports, policy, recipients, session_lock, site
from storage.clock import now_iso
from storage.errors import AuthError, DamagedError, InputError, NotFoundError, PolicyError, StoreError
from storage.keyslots import RECOVERY, KeySlotFile
from storage.store import DB_NAME, RECOVERY_ACTOR, SLOTS_NAME, Store, User, derive_subkey

FORMAT = "gakuseki-backup"
VERSION = 1
KIND = "backup"
MANIFEST_NAME = "manifest.json"
MEMBERS = (MANIFEST_NAME, DB_NAME, SLOTS_NAME)
SUFFIX = ".gkbak"
NAME_PATTERN = re.compile(r"gakuseki-backup-([0-9a-f]{8})-(\d{8}-\d{6})(?:-\d+)?\.gkbak\.age")
MAX_MANIFEST_BYTES = 256 * 1024
MAX_MEMBER_BYTES = 8 * 1024**3
DEFAULT_REASON = "定期バックアップ / scheduled backup"
IDENTITY_ENV = "GAKUSEKI_BACKUP_IDENTITY"
RECOVERY_ENV = "GAKUSEKI_RECOVERY_KEY"
#: tables whose row counts the manifest records (and restore checks), when present
COUNTED = (
    "users", "students", "classes", "class_memberships", "audit_log", "attendance_sheets", "attendance_entries",
    "signing_keys", "import_drafts", "imports", "retention_purges",
)
_MAC_LABEL = "backup-manifest-v1"

SETTING_DEFAULTS: dict[str, str] = {
    "backup_destination": "",
    "backup_recipient": "",
    "backup_interval_hours": "24",
    "backup_keep": "7",
}


# --- the manifest --------------------------------------------------------------------------


@dataclass(frozen=True)
class FileDigest:
    sha256: str
    bytes: int


@dataclass(frozen=True)
class ChainHead:
    seq: int
    hash: str


@dataclass(frozen=True)
class Manifest:
    created_at: str
    app_version: str
    schema_version: int
    store_id: str
    school_code: str
    school_name: str
    created_by: str
    rows: Mapping[str, int]
    files: Mapping[str, FileDigest]
    audit_head: ChainHead | None
    attendance_head: ChainHead | None
    mac: str = ""

    def body(self) -> dict[str, Any]:
        """Everything but the MAC, as JSON."""
        return {
            "format": FORMAT,
            "version": VERSION,
            "created_at": self.created_at,
            "app_version": self.app_version,
            "schema_version": self.schema_version,
            "store_id": self.store_id,
            "school_code": self.school_code,
            "school_name": self.school_name,
            "created_by": self.created_by,
            "rows": dict(self.rows),
            "files": {name: {"sha256": d.sha256, "bytes": d.bytes} for name, d in self.files.items()},
            "audit_head": _head_json(self.audit_head),
            "attendance_head": _head_json(self.attendance_head),
        }

    def to_bytes(self) -> bytes:
        return bytes(rfc8785.dumps({**self.body(), "mac": self.mac}))

    def expected_mac(self, db_key: bytes) -> str:
        key = derive_subkey(db_key, f"{_MAC_LABEL}|{self.store_id}")
        return hmac.new(key, bytes(rfc8785.dumps(self.body())), hashlib.sha256).hexdigest()


def _head_json(head: ChainHead | None) -> dict[str, Any] | None:
    return None if head is None else {"seq": head.seq, "hash": head.hash}


def _bad_manifest(why: str) -> DamagedError:
    return DamagedError(
        "backup.manifest_damaged",
        f"バックアップの目録(manifest)が壊れているか、学籍のバックアップではありません({why})",
        f"The backup's manifest is damaged or this is not a Gakuseki backup ({why})",
    )


_HEX64 = re.compile(r"[0-9a-f]{64}")
_UUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")


def _text(data: Mapping[str, Any], key: str, limit: int = 400) -> str:
    value = data.get(key)
    if not isinstance(value, str) or len(value) > limit:
        raise _bad_manifest(f"{key}")
    return value


def _count(value: Any, what: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= 2**53:
        raise _bad_manifest(what)
    return value


def _head(value: Any, what: str) -> ChainHead | None:
    if value is None:
        return None
    if not isinstance(value, dict) or set(value) != {"seq", "hash"}:
        raise _bad_manifest(what)
    digest = value["hash"]
    if not isinstance(digest, str) or not _HEX64.fullmatch(digest):
        raise _bad_manifest(what)
    seq = _count(value["seq"], what)
    if seq < 1:
        raise _bad_manifest(what)
    return ChainHead(seq, digest)


def parse_manifest(data: bytes) -> Manifest:
    """The manifest in ``data`` (outside data), or DamagedError (exit 4) saying what is wrong;
    InputError (exit 2) for a backup format newer than this app."""
    if len(data) > MAX_MANIFEST_BYTES:
        raise _bad_manifest("too large")
    try:
        parsed = json.loads(data.decode("utf-8"))
    except (UnicodeDecodeError, ValueError, RecursionError) as exc:
        raise _bad_manifest("not JSON") from exc
    if not isinstance(parsed, dict) or parsed.get("format") != FORMAT:
        raise _bad_manifest("format")
    version = parsed.get("version")
    if isinstance(version, int) and not isinstance(version, bool) and version > VERSION:
        raise InputError(
            "backup.too_new",
            "このバックアップは新しいバージョンの学籍で作成されています。アプリを更新してください",
            "This backup was made by a newer version of Gakuseki; update the app",
        )
    if version != VERSION or isinstance(version, bool):
        raise _bad_manifest("version")
    store_id = _text(parsed, "store_id", 36)
    if not _UUID.fullmatch(store_id):
        raise _bad_manifest("store_id")
    created_at = _text(parsed, "created_at", 64)
    try:
        datetime.fromisoformat(created_at)
    except ValueError as exc:
        raise _bad_manifest("created_at") from exc
    rows_in = parsed.get("rows")
    if not isinstance(rows_in, dict) or len(rows_in) > 200:
        raise _bad_manifest("rows")
    rows: dict[str, int] = {}
    for table, n in rows_in.items():
        if not re.fullmatch(r"[a-z_][a-z0-9_]{0,62}", table):
            raise _bad_manifest("rows")
        rows[table] = _count(n, "rows")
    files_in = parsed.get("files")
    if not isinstance(files_in, dict) or set(files_in) != {DB_NAME, SLOTS_NAME}:
        raise _bad_manifest("files")
    files: dict[str, FileDigest] = {}
    for name, entry in files_in.items():
        if not isinstance(entry, dict) or set(entry) != {"sha256", "bytes"}:
            raise _bad_manifest("files")
        digest = entry["sha256"]
        if not isinstance(digest, str) or not _HEX64.fullmatch(digest):
            raise _bad_manifest("files")
        files[name] = FileDigest(digest, _count(entry["bytes"], "files"))
    if "audit_head" not in parsed or "attendance_head" not in parsed:
        raise _bad_manifest("chain heads")
    mac = _text(parsed, "mac", 64)
    if not _HEX64.fullmatch(mac):
        raise _bad_manifest("mac")
    return Manifest(
        created_at=created_at,
        app_version=_text(parsed, "app_version", 64),
        schema_version=_count(parsed.get("schema_version"), "schema_version"),
        store_id=store_id,
        school_code=_text(parsed, "school_code", 13),
        school_name=_text(parsed, "school_name", 200),
        created_by=_text(parsed, "created_by", 64),
        rows=rows,
        files=files,
        audit_head=_head(parsed.get("audit_head"), "audit_head"),
        attendance_head=_head(parsed.get("attendance_head"), "attendance_head"),
        mac=mac,
    )


# --- the container (tar) ---------------------------------------------------------------------


def pack(members: Mapping[str, bytes]) -> bytes:
    out = io.BytesIO()
    with tarfile.open(fileobj=out, mode="w", format=tarfile.PAX_FORMAT) as tar:
        for name in MEMBERS:
            data = members[name]
            info = tarfile.TarInfo(name)
            info.size = len(data)
            info.mode = 0o600
            tar.addfile(info, io.BytesIO(data))
    return out.getvalue()


def _bad_container(why: str) -> DamagedError:
    return DamagedError(
        "backup.damaged",
        f"バックアップファイルが壊れています({why})",
        f"The backup file is damaged ({why})",
    )


def unpack(data: bytes) -> dict[str, bytes]:
    """The three members of a decrypted backup (outside data), or DamagedError."""
    found: dict[str, bytes] = {}
    try:
        with tarfile.open(fileobj=io.BytesIO(data), mode="r:") as tar:
            for info in tar:
                if not info.isreg() or info.name not in MEMBERS or info.name in found:
                    raise _bad_container(f"unexpected member {info.name[:80]!r}")
                if info.size > MAX_MEMBER_BYTES:
                    raise _bad_container("member too large")
                handle = tar.extractfile(info)
                if handle is None:
                    raise _bad_container("unreadable member")
                found[info.name] = handle.read()
    except (tarfile.TarError, EOFError, OSError, ValueError, UnicodeError) as exc:
        raise _bad_container("not a backup archive") from exc
    missing = [m for m in MEMBERS if m not in found]
    if missing:
        raise _bad_container(f"missing {', '.join(missing)}")
    return found


# --- settings ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class BackupSettings:
    destination: Path | None
    recipient: str | None
    interval_hours: int
    keep: int

    @property
    def configured(self) -> bool:
        return self.destination is not None and self.recipient is not None


def _setting(store: Store, key: str) -> str:
    row = store.query_one("SELECT value FROM meta WHERE key = ?", (f"setting.{key}",))
    return str(row["value"]) if row is not None else SETTING_DEFAULTS[key]


def settings(store: Store) -> BackupSettings:
    """Where and to whom scheduled backups go, how often (hours) and how many are kept."""
    destination = _setting(store, "backup_destination")
    recipient = _setting(store, "backup_recipient")
    return BackupSettings(
        Path(destination) if destination else None,
        recipient or None,
        int(_setting(store, "backup_interval_hours")),
        int(_setting(store, "backup_keep")),
    )


def configure(
    store: Store,
    *,
    destination: Path | None = None,
    recipient: str | None = None,
    interval_hours: int | None = None,
    keep: int | None = None,
) -> BackupSettings:
    """Change the backup settings (administrators; audited). ``None`` keeps a value."""
    store.require_admin("backup.configure")
    values: dict[str, str] = {}
    if destination is not None:
        values["backup_destination"] = str(policy.check_destination(store, destination, operation="backup.configure"))
    if recipient is not None:
        values["backup_recipient"] = recipients.get(store, recipient).name
    if interval_hours is not None:
        if not 1 <= interval_hours <= 24 * 31:
            raise InputError(
                "backup.interval_invalid",
                "バックアップの間隔は1〜744時間で指定してください",
                "The backup interval must be between 1 and 744 hours",
            )
        values["backup_interval_hours"] = str(interval_hours)
    if keep is not None:
        if not 1 <= keep <= 1000:
            raise InputError(
                "backup.keep_invalid",
                "残すバックアップの数は1〜1000で指定してください",
                "The number of backups to keep must be between 1 and 1000",
            )
        values["backup_keep"] = str(keep)
    with store.transaction():
        for key, value in values.items():
            store.execute(
                "INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                (f"setting.{key}", value),
            )
        store.audit("backup.configure", **values)
    return settings(store)


def last_backup_at(store: Store) -> datetime | None:
    row = store.query_one("SELECT max(created_at) AS at FROM backups")
    return datetime.fromisoformat(row["at"]) if row is not None and row["at"] else None


def due(store: Store, now: datetime | None = None) -> bool:
    """True when scheduled backups are configured, this session may make one (an
    administrator) and the last backup is older than the configured interval."""
    if not store.user.is_admin:
        return False
    chosen = settings(store)
    if not chosen.configured:
        return False
    last = last_backup_at(store)
    if last is None:
        return True
    current = now or datetime.now().astimezone()
    return current - last >= timedelta(hours=chosen.interval_hours)


# --- making a backup -------------------------------------------------------------------------------


@dataclass(frozen=True)
class BackupResult:
    path: Path
    manifest: Manifest


def _no_backup_recipient() -> PolicyError:
    return PolicyError(
        "backup.no_recipient",
        "バックアップの受取先が決まっていません。`gakuseki backup --set --recipient NAME` で登録してください",
        "No backup recipient is set; choose one with `gakuseki backup --set --recipient NAME`",
    )


def _table_names(conn: Any) -> set[str]:
    return {str(r[0]) for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}


def _rows(conn: Any) -> dict[str, int]:
    present = _table_names(conn)
    return {t: int(conn.execute(f"SELECT count(*) FROM {t}").fetchone()[0]) for t in COUNTED if t in present}


def _chain_head(conn: Any, sql: str) -> ChainHead | None:
    row = conn.execute(sql).fetchone()
    return None if row is None else ChainHead(int(row[0]), str(row[1]))


def _audit_head(conn: Any) -> ChainHead | None:
    return _chain_head(conn, "SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1")


def _attendance_head(conn: Any) -> ChainHead | None:
    return _chain_head(conn, "SELECT chain_seq, hash FROM attendance_sheets ORDER BY chain_seq DESC LIMIT 1")


def _app_version() -> str:
    from importlib import metadata

    try:
        return metadata.version("gakuseki")
    except metadata.PackageNotFoundError:
        return "0+unknown"


def _sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _file_name(store: Store, when: datetime) -> str:
    return f"gakuseki-backup-{store.store_id[:8]}-{when:%Y%m%d-%H%M%S}-{when.microsecond // 1000:03d}{SUFFIX}"


def create(
    store: Store,
    *,
    destination: Path,
    recipient: str | None = None,
    reason: str = DEFAULT_REASON,
    approval: str | None = None,
) -> BackupResult:
    """Back the whole store up into ``destination`` (administrators; see the module doc).

    To the school's backup recipient (the setting, or ``recipient`` if it names the same key)
    the backup is not a per-student export (no approval, no bulk-access accounting); to any
    other registered recipient it counts as an export of every student, with the usual
    approval rule."""
    store.require_admin("backup.create")
    configured = settings(store).recipient
    chosen_name = recipient or configured
    if chosen_name is None:
        raise _no_backup_recipient()
    try:
        chosen = recipients.get(store, chosen_name)
    except NotFoundError:
        chosen = None
    designated = chosen is not None and configured is not None and chosen.name == configured
    when = datetime.now().astimezone()
    with contextlib.ExitStack() as stack:
        work = stack.enter_context(_private_dir(store.path))
        snapshot = work / DB_NAME
        store.snapshot(snapshot)
        conn = db.connect(snapshot, _db_key_of(store))
        try:
            conn.execute("PRAGMA journal_mode = DELETE").fetchone()
            rows = _rows(conn)
            audit_head, attendance_head = _audit_head(conn), _attendance_head(conn)
            schema = db.schema_version(conn)
            school = conn.execute("SELECT name, school_code FROM school WHERE id = 1").fetchone()
            ids = [int(r[0]) for r in conn.execute("SELECT id FROM students ORDER BY id")]
        finally:
            conn.close()
        db_bytes = snapshot.read_bytes()
    slots_bytes = store.path.joinpath(SLOTS_NAME).read_bytes()
    manifest = Manifest(
        created_at=when.isoformat(timespec="milliseconds"),
        app_version=_app_version(),
        schema_version=schema,
        store_id=store.store_id,
        school_code=str(school["school_code"]),
        school_name=str(school["name"]),
        created_by=store.user.login,
        rows=rows,
        files={
            DB_NAME: FileDigest(_sha(db_bytes), len(db_bytes)),
            SLOTS_NAME: FileDigest(_sha(slots_bytes), len(slots_bytes)),
        },
        audit_head=audit_head,
        attendance_head=attendance_head,
    )
    manifest = dataclasses.replace(manifest, mac=manifest.expected_mac(_db_key_of(store)))
    manifest_bytes = manifest.to_bytes()
    payload = pack({MANIFEST_NAME: manifest_bytes, DB_NAME: db_bytes, SLOTS_NAME: slots_bytes})
    name = _file_name(store, when)
    path = exports.export_file(
        store, payload=payload, file_name=name, destination=destination, recipient=chosen_name,
        reason=reason, kind=KIND, rows=rows.get("students", 0),
        student_ids=[] if designated else ids, approval=approval,
    )
    try:
        data = path.read_bytes()
        with store.transaction():
            store.execute(
                "INSERT INTO backups (file_name, destination, sha256, bytes, manifest_sha256, recipient, created_by, "
                "created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                (path.name, str(path.parent), _sha(data), len(data), _sha(manifest_bytes),
                 chosen.name if chosen else chosen_name, store.user.login, manifest.created_at),
            )
            store.audit(
                "backup.create", file=path.name, destination=str(path.parent), manifest_sha256=_sha(manifest_bytes),
                schema_version=schema, rows=rows, audit_head=audit_head.seq if audit_head else 0,
                attendance_head=attendance_head.seq if attendance_head else 0,
            )
    except BaseException:
        with contextlib.suppress(OSError):
            path.unlink()
        raise
    return BackupResult(path, manifest)


def _db_key_of(store: Store) -> bytes:
    return store._db_key  # the backup opens its own snapshot with it


@contextlib.contextmanager
def _private_dir(parent: Path) -> Iterator[Path]:
    """A fresh 0700 folder inside ``parent`` (same volume), removed afterwards."""
    folder = parent / f".backup-{secrets.token_hex(6)}"
    folder.mkdir(mode=0o700)
    try:
        yield folder
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def run_scheduled(store: Store) -> Path:
    """One scheduled backup with the configured settings, then prune to the newest ``keep``.
    Returns the new file. Raises PolicyError when backups are not configured."""
    chosen = settings(store)
    if chosen.destination is None:
        raise PolicyError(
            "backup.not_configured",
            "バックアップ先が決まっていません。`gakuseki backup --set --to DIR` で登録してください",
            "No backup destination is set; choose one with `gakuseki backup --set --to DIR`",
        )
    if chosen.recipient is None:
        raise _no_backup_recipient()
    made = create(store, destination=chosen.destination, recipient=chosen.recipient)
    prune(store, chosen.destination, chosen.keep)
    return made.path


def prune(store: Store, destination: Path, keep: int) -> list[Path]:
    """Remove all but the newest ``keep`` backups of this store in ``destination``: only files
    named like this app's backups whose content is a backup recorded in the ``backups`` table."""
    store.require_admin("backup.prune")
    folder = policy.check_destination(store, destination, operation="backup.prune")
    pattern_prefix = store.store_id[:8]
    known = {
        (str(r["file_name"]), str(r["sha256"])): int(r["id"])
        for r in store.query("SELECT id, file_name, sha256 FROM backups WHERE removed_at IS NULL")
    }
    ours: list[tuple[str, Path, int]] = []
    for entry in folder.iterdir():
        match = NAME_PATTERN.fullmatch(entry.name)
        if match is None or match.group(1) != pattern_prefix or not entry.is_file() or entry.is_symlink():
            continue
        row_id = known.get((entry.name, _sha(entry.read_bytes())))
        if row_id is not None:
            ours.append((entry.name, entry, row_id))
    ours.sort(reverse=True)  # names carry the time: newest first
    removed: list[Path] = []
    for _name, path, row_id in ours[max(keep, 1):]:
        try:
            path.unlink()
        except OSError:
            continue
        with store.transaction():
            store.execute("UPDATE backups SET removed_at = ? WHERE id = ?", (now_iso(), row_id))
        removed.append(path)
    if removed:
        store.audit("backup.prune", destination=str(folder), files=[p.name for p in removed], keep=keep)
    return removed


# --- restore ----------------------------------------------------------------------------------------


def load_identities(text: str) -> list[x25519.Identity]:
    """The age identities (``AGE-SECRET-KEY-1…`` lines) in an identity file's text."""
    found = []
    for line in text.splitlines():
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        try:
            found.append(x25519.Identity.from_str(line))
        except (pyrage.IdentityError, ValueError) as exc:
            raise InputError(
                "backup.identity_invalid",
                "バックアップの秘密鍵(age の AGE-SECRET-KEY-…)として読めません",
                "Not an age identity (AGE-SECRET-KEY-…) for the backup",
            ) from exc
    if not found:
        raise InputError(
            "backup.identity_invalid",
            "バックアップの秘密鍵(age の AGE-SECRET-KEY-…)がありません",
            "No age identity (AGE-SECRET-KEY-…) for the backup",
        )
    return found


@dataclass(frozen=True)
class Opened:
    """A backup decrypted, unpacked and checked against its manifest (nothing written yet)."""

    manifest: Manifest
    members: dict[str, bytes]


def open_backup(path: Path, identities: Sequence[x25519.Identity]) -> Opened:
    """Decrypt and unpack ``path``; check the manifest's digests and store id."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise InputError(
            "backup.unreadable",
            f"バックアップファイル {path} を読めません: {exc.strerror or exc}",
            f"Cannot read the backup file {path}: {exc.strerror or exc}",
        ) from exc
    try:
        plain = pyrage.decrypt(data, list(identities))
    except (pyrage.DecryptError, ValueError) as exc:
        raise DamagedError(
            "backup.undecryptable",
            "バックアップを復号できません(この秘密鍵あての暗号化ではないか、ファイルが壊れています)",
            "Cannot decrypt the backup (not encrypted to this identity, or the file is damaged)",
        ) from exc
    members = unpack(plain)
    manifest = parse_manifest(members[MANIFEST_NAME])
    for name in (DB_NAME, SLOTS_NAME):
        expected = manifest.files[name]
        if _sha(members[name]) != expected.sha256 or len(members[name]) != expected.bytes:
            raise DamagedError(
                "backup.digest_mismatch",
                f"バックアップの {name} が目録と一致しません(破損または改ざん)",
                f"The backup's {name} does not match its manifest (damaged or tampered)",
            )
    try:
        slots_id = json.loads(members[SLOTS_NAME].decode("utf-8")).get("store_id")
    except (UnicodeDecodeError, ValueError, AttributeError) as exc:
        raise _bad_container("key slots unreadable") from exc
    if slots_id != manifest.store_id:
        raise _tampered("the key slots belong to another store")
    return Opened(manifest, members)


def _tampered(why: str) -> DamagedError:
    return DamagedError(
        "backup.tampered",
        f"バックアップの内容が目録と食い違っています(改ざんまたは別のストアの混入: {why})",
        f"The backup's content contradicts its manifest (tampered or mixed with another store: {why})",
    )


@dataclass(frozen=True)
class RestoreResult:
    store_path: Path
    kept_aside: Path | None
    manifest: Manifest
    #: users whose key slots are bound to another computer: they cannot open the restored
    #: store with their passphrase; an administrator opens it with the recovery key and resets them
    users_to_reset: tuple[str, ...]


def _verify_snapshot(folder: Path, opened: Opened, recovery_key: str) -> Store:
    """Open the snapshot in ``folder`` with the recovery key and check everything; the open
    (unaudited) session on success."""
    from storage import crypto

    manifest = opened.manifest
    slots = KeySlotFile.load(folder / SLOTS_NAME)
    slot = slots.find(RECOVERY)
    db_key = slots.open_slot(slot, crypto.normalise_recovery_key(recovery_key)) if slot is not None else None
    if db_key is None:
        raise AuthError(
            "backup.wrong_recovery_key",
            "回復キーがこのバックアップのストアのものではありません",
            "The recovery key is not the one of this backup's store",
        )
    conn = db.connect(folder / DB_NAME, db_key)
    try:
        _check_snapshot(conn, manifest, db_key)
    except BaseException:
        conn.close()
        raise
    session = Store(folder, conn, db_key, slots, User(0, RECOVERY_ACTOR, "回復キー", "administrator"))
    try:
        _check_chains(session)
    except BaseException:
        conn.close()
        raise
    return session


def _check_snapshot(conn: Any, manifest: Manifest, db_key: bytes) -> None:
    if not hmac.compare_digest(manifest.expected_mac(db_key), manifest.mac):
        raise _tampered("manifest MAC")
    problems = db.integrity_problems(conn)
    if problems:
        raise _bad_container(f"database: {problems[0][:120]}")
    version = db.schema_version(conn)
    if version != manifest.schema_version:
        raise _tampered("schema version")
    if version > db.latest_version():
        raise InputError(
            "backup.too_new",
            "このバックアップは新しいバージョンの学籍で作成されています。アプリを更新してください",
            "This backup was made by a newer version of Gakuseki; update the app",
        )
    meta = conn.execute("SELECT value FROM meta WHERE key = 'store_id'").fetchone()
    if meta is None or meta[0] != manifest.store_id:
        raise _tampered("store id")
    school = conn.execute("SELECT name, school_code FROM school WHERE id = 1").fetchone()
    if school is None or (school[0], school[1]) != (manifest.school_name, manifest.school_code):
        raise _tampered("school")
    counted = _rows(conn)
    for table, n in manifest.rows.items():
        if counted.get(table) != n:
            raise _tampered(f"{table}: {counted.get(table)} rows, manifest {n}")
    if _audit_head(conn) != manifest.audit_head or _attendance_head(conn) != manifest.attendance_head:
        raise _tampered("chain heads")
    if version < db.latest_version():
        db.migrate(conn)


def _check_chains(session: Store) -> None:
    checked = audit.verify(session)
    if not checked.ok:
        raise DamagedError(
            "backup.audit_broken",
            f"バックアップの監査ログの連鎖が壊れています: {checked.reason_ja}",
            f"The backup's audit chain is broken: {checked.reason_en}",
        )
    sheets = attendance.verify(session)
    if not sheets.ok:
        raise DamagedError(
            "backup.attendance_broken",
            f"バックアップの出席簿の連鎖が壊れています: {sheets.message}",
            f"The backup's attendance chain is broken: {sheets.message}",
        )


def verify(path: Path, identities: Sequence[x25519.Identity], recovery_key: str, *, work: Path) -> Manifest:
    """Check a backup completely (decrypt, manifest, MAC, rows, chains) in a temporary folder
    inside ``work``; writes nothing else. Returns its manifest."""
    opened = open_backup(path, identities)
    with _private_dir(work) as folder:
        _write_members(folder, opened)
        session = _verify_snapshot(folder, opened, recovery_key)
        session.conn.close()
    return opened.manifest


def _write_members(folder: Path, opened: Opened) -> None:
    for name in (DB_NAME, SLOTS_NAME):
        fd = os.open(folder / name, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0), 0o600)
        with os.fdopen(fd, "wb") as handle:
            handle.write(opened.members[name])
            handle.flush()
            os.fsync(handle.fileno())


def _current_store_id(store_path: Path) -> str | None:
    try:
        return KeySlotFile.load(store_path / SLOTS_NAME).store_id
    except (OSError, StoreError):
        return None


def _fsync_dir(folder: Path) -> None:
    with contextlib.suppress(OSError):
        dfd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(dfd)
        finally:
            os.close(dfd)


def restore(
    path: Path, store_path: Path, *, identities: Sequence[x25519.Identity], recovery_key: str
) -> RestoreResult:
    """Verify the backup at ``path`` completely, then put it in place of ``store_path``, keeping
    the current store (if any) aside as ``<store>.before-restore-<time>``.

    Refuses (PolicyError ``backup.foreign``) a backup of another store when ``store_path``
    holds a store whose key slots can still be read."""
    store_path = store_path.absolute()
    # nobody may have the store open while it is replaced (a window, a command): refused, not waited for
    with session_lock.exclusive(store_path):
        return _restore(path, store_path, identities, recovery_key)


def _restore(
    path: Path, store_path: Path, identities: Sequence[x25519.Identity], recovery_key: str
) -> RestoreResult:
    opened = open_backup(path, identities)
    manifest = opened.manifest
    current_id = _current_store_id(store_path)
    if current_id is not None and current_id != manifest.store_id:
        raise PolicyError(
            "backup.foreign",
            f"このバックアップは別のストア(学校コード {manifest.school_code}、{manifest.school_name})のものです。"
            f"{store_path} のストアは置き換えません。新しいフォルダに復元してください",
            f"This backup belongs to another store (school code {manifest.school_code}, {manifest.school_name}); "
            f"the store at {store_path} is not replaced. Restore it into a new folder",
        )
    parent = store_path.parent
    parent.mkdir(parents=True, exist_ok=True)
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
    aside = parent / f"{store_path.name}.before-restore-{stamp}"
    counter = 1
    while aside.exists():
        counter += 1
        aside = parent / f"{store_path.name}.before-restore-{stamp}-{counter}"
    folder = parent / f".{store_path.name}.restore-{secrets.token_hex(6)}"
    folder.mkdir(mode=0o700)
    try:
        _write_members(folder, opened)
        session = _verify_snapshot(folder, opened, recovery_key)
        here = site.current().machine_id
        to_reset = tuple(session.slots.bound_elsewhere(here))
        try:
            session.audit(
                "store.restore", backup_file=path.name, backup_created_at=manifest.created_at,
                backup_created_by=manifest.created_by, manifest_sha256=_sha(opened.members[MANIFEST_NAME]),
                kept_aside=str(aside) if store_path.exists() else None, machine_id=here,
                users_to_reset=list(to_reset),
            )
        finally:
            session.close()
        for leftover in ("-wal", "-shm"):
            with contextlib.suppress(FileNotFoundError):
                (folder / (DB_NAME + leftover)).unlink()
        kept: Path | None = None
        if store_path.exists():
            store_path.rename(aside)
            kept = aside
        try:
            folder.rename(store_path)
        except BaseException:
            if kept is not None:
                aside.rename(store_path)
            raise
        _fsync_dir(parent)
    except BaseException:
        shutil.rmtree(folder, ignore_errors=True)
        raise
    return RestoreResult(store_path, kept, manifest, to_reset)
