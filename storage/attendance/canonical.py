"""The signed form of a day's sheet: RFC 8785 canonical JSON, kept byte for byte.

Signing and hashing use the stored bytes; verification parses them to compare with the
table columns but never re-serialises. ``hash`` = SHA-256 of the canonical bytes; each
sheet names the previous sheet's hash (``prev``) and its place (``seq``) in the school's
chain, which starts at a genesis hash derived from the store id.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, replace
from typing import Any

import rfc8785

TYPE = "gakuseki.attendance.sheet"
VERSION = 1


def genesis_hash(store_id: str) -> str:
    return hashlib.sha256(f"gakuseki-attendance-genesis|{store_id}".encode()).hexdigest()


def sheet_hash(canonical: bytes) -> str:
    return hashlib.sha256(canonical).hexdigest()


@dataclass(frozen=True)
class Entry:
    student_id: int
    attendance_no: int
    status: str
    note: str = ""

    def to_json(self) -> dict[str, Any]:
        return {
            "student": self.student_id,
            "no": self.attendance_no,
            "status": self.status,
            "note": self.note,
        }


@dataclass(frozen=True)
class SignedSheet:
    """What a sheet's canonical bytes say."""

    store: str
    school: str
    seq: int
    prev: str
    class_id: int
    class_label: str
    date: str
    revision: int
    corrects_revision: int | None
    corrects_hash: str | None
    reason: str | None
    entries: tuple[Entry, ...]
    signer_user: int
    signer_login: str
    key_id: str
    signed_at: str


def encode(sheet: SignedSheet) -> bytes:
    corrects = (
        None
        if sheet.corrects_hash is None
        else {"revision": sheet.corrects_revision, "hash": sheet.corrects_hash}
    )
    payload: dict[str, Any] = {
        "type": TYPE,
        "v": VERSION,
        "store": sheet.store,
        "school": sheet.school,
        "seq": sheet.seq,
        "prev": sheet.prev,
        "class": {"id": sheet.class_id, "label": sheet.class_label},
        "date": sheet.date,
        "revision": sheet.revision,
        "corrects": corrects,
        "reason": sheet.reason,
        "entries": [e.to_json() for e in sheet.entries],
        "signer": {"user": sheet.signer_user, "login": sheet.signer_login, "key": sheet.key_id},
        "signed_at": sheet.signed_at,
    }
    return bytes(rfc8785.dumps(payload))


def decode(canonical: bytes) -> SignedSheet:
    """Parse stored bytes; raises ValueError (or KeyError/TypeError) if they are not a sheet."""
    sheet, raw = load(canonical)
    entries = tuple(Entry(int(e["student"]), int(e["no"]), str(e["status"]), str(e["note"])) for e in raw)
    return replace(sheet, entries=entries)


def load(canonical: bytes) -> tuple[SignedSheet, list[Any]]:
    """The sheet without its entries, and the entries as parsed JSON (fast path for verifying)."""
    data = json.loads(canonical.decode("utf-8"))
    if data.get("type") != TYPE or data.get("v") != VERSION:
        raise ValueError("not an attendance sheet")
    corrects = data["corrects"]
    return SignedSheet(
        store=str(data["store"]),
        school=str(data["school"]),
        seq=int(data["seq"]),
        prev=str(data["prev"]),
        class_id=int(data["class"]["id"]),
        class_label=str(data["class"]["label"]),
        date=str(data["date"]),
        revision=int(data["revision"]),
        corrects_revision=None if corrects is None else int(corrects["revision"]),
        corrects_hash=None if corrects is None else str(corrects["hash"]),
        reason=data["reason"],
        entries=(),
        signer_user=int(data["signer"]["user"]),
        signer_login=str(data["signer"]["login"]),
        key_id=str(data["signer"]["key"]),
        signed_at=str(data["signed_at"]),
    ), list(data["entries"])
