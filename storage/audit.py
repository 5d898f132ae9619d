"""Append-only, hash-chained audit log.

Each entry's hash is SHA-256 over the RFC 8785 canonical JSON of
``[prev_hash, seq, at, actor, action, detail]`` where ``detail`` is the stored canonical
JSON text. The first entry's ``prev_hash`` is derived from the store id, so entries cannot
be moved between stores. Triggers abort UPDATE and DELETE; :func:`verify` finds edits made
around them (with the key, through raw SQL).
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import rfc8785

from storage.clock import now_iso

if TYPE_CHECKING:
    from storage.store import Store


def genesis_hash(store_id: str) -> str:
    return hashlib.sha256(f"gakuseki-audit-genesis|{store_id}".encode()).hexdigest()


def entry_hash(prev_hash: str, seq: int, at: str, actor: str, action: str, detail: str) -> str:
    canonical = rfc8785.dumps([prev_hash, seq, at, actor, action, detail])
    return hashlib.sha256(canonical).hexdigest()


def append(store: Store, action: str, detail: dict[str, Any]) -> int:
    """Append one entry (the caller holds a transaction). Returns its sequence number."""
    last = store.query_one("SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1")
    seq = 1 if last is None else int(last["seq"]) + 1
    prev = genesis_hash(store.store_id) if last is None else str(last["hash"])
    at = now_iso()
    actor = store.user.login
    detail_text = rfc8785.dumps(detail).decode("utf-8")
    digest = entry_hash(prev, seq, at, actor, action, detail_text)
    store.execute(
        "INSERT INTO audit_log (seq, at, actor, action, detail, prev_hash, hash) VALUES (?, ?, ?, ?, ?, ?, ?)",
        (seq, at, actor, action, detail_text, prev, digest),
    )
    return seq


@dataclass(frozen=True)
class Entry:
    seq: int
    at: str
    actor: str
    action: str
    detail: dict[str, Any]


@dataclass(frozen=True)
class Verification:
    ok: bool
    entries: int
    bad_seq: int | None = None
    reason_ja: str = ""
    reason_en: str = ""


def verify(store: Store) -> Verification:
    """Walk the chain; report the first entry that was altered, removed or inserted."""
    expected_prev = genesis_hash(store.store_id)
    expected_seq = 1
    count = 0
    for row in store.query("SELECT seq, at, actor, action, detail, prev_hash, hash FROM audit_log ORDER BY seq"):
        seq = int(row["seq"])
        if seq != expected_seq:
            return Verification(
                False, count, expected_seq,
                f"記録 {expected_seq} が欠けています(次は {seq})",
                f"entry {expected_seq} is missing (next is {seq})",
            )
        if row["prev_hash"] != expected_prev:
            return Verification(
                False, count, seq,
                f"記録 {seq} の前の記録へのつながりが切れています(前の記録の削除または改ざん)",
                f"entry {seq} does not link to the entry before it (that entry was removed or altered)",
            )
        digest = entry_hash(row["prev_hash"], seq, row["at"], row["actor"], row["action"], row["detail"])
        if digest != row["hash"]:
            return Verification(
                False, count, seq,
                f"記録 {seq} の内容が改ざんされています",
                f"entry {seq} has been altered",
            )
        expected_prev = row["hash"]
        expected_seq += 1
        count += 1
    return Verification(True, count)


def entries(store: Store, *, since: str | None = None, limit: int = 1000) -> list[Entry]:
    """Newest first. Reading the log is itself an administrator operation."""
    store.require_admin("audit.read")
    sql = "SELECT seq, at, actor, action, detail FROM audit_log"
    params: list[Any] = []
    if since:
        sql += " WHERE at >= ?"
        params.append(since)
    sql += " ORDER BY seq DESC LIMIT ?"
    params.append(limit)
    return [
        Entry(int(r["seq"]), r["at"], r["actor"], r["action"], json.loads(r["detail"]))
        for r in store.query(sql, params)
    ]
