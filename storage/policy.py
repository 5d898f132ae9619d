"""Data-loss prevention rules kept in the store: where exports may go, bulk-access alerts,
second-administrator approval of large exports, and their thresholds.

- **Destinations**: an allow-list of folders kept by administrators (resolved real paths; a
  destination must be one of them or inside one, after resolving symbolic links). Removable
  drives are refused even when listed (``storage.drives``).
- **Bulk access**: every read or export of students is accounted per user (distinct students,
  ``student_access``). More than ``bulk_alert_students`` distinct students read (or exported)
  by one user within ``bulk_alert_minutes`` raises an alert: audited, and shown to every
  administrator until each has acknowledged it (:func:`pending_alerts`, :func:`acknowledge`).
  One alert per user and kind per window, however long the burst goes on.
- **Approval**: an export of more than ``export_approval_students`` students needs a second
  administrator's approval, bound to the kind, destination, recipient and the exact students,
  valid for :data:`APPROVAL_VALID_HOURS` hours and used once.
"""

from __future__ import annotations

import hashlib
import json
import os
import secrets
import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

from storage import drives
from storage.clock import now_iso
from storage.errors import InputError, NotFoundError, PolicyError
from storage.store import Store

# --- thresholds (settings) ------------------------------------------------------------------

THRESHOLD_DEFAULTS: dict[str, int] = {
    "bulk_alert_students": 200,  # more than this many distinct students …
    "bulk_alert_minutes": 10,  # … by one user within this many minutes raises an alert
    "export_approval_students": 200,  # an export of more students needs a second administrator
}
_LIMITS = {"bulk_alert_students": (1, 1_000_000), "bulk_alert_minutes": (1, 24 * 60),
           "export_approval_students": (0, 1_000_000)}
APPROVAL_VALID_HOURS = 24


def threshold(store: Store, name: str) -> int:
    row = store.query_one("SELECT value FROM meta WHERE key = ?", (f"setting.{name}",))
    return int(row["value"]) if row is not None else THRESHOLD_DEFAULTS[name]


def thresholds(store: Store) -> dict[str, int]:
    return {name: threshold(store, name) for name in THRESHOLD_DEFAULTS}


def set_threshold(store: Store, name: str, value: int) -> None:
    store.require_admin("policy.threshold")
    if name not in THRESHOLD_DEFAULTS:
        raise InputError(
            "policy.threshold_unknown",
            f"しきい値「{name}」はありません({', '.join(THRESHOLD_DEFAULTS)})",
            f"Unknown threshold '{name}' ({', '.join(THRESHOLD_DEFAULTS)})",
        )
    low, high = _LIMITS[name]
    if not low <= value <= high:
        raise InputError(
            "policy.threshold_invalid",
            f"{name} は {low}〜{high} の範囲で指定してください",
            f"{name} must be between {low} and {high}",
        )
    with store.transaction():
        store.execute(
            "INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
            (f"setting.{name}", str(value)),
        )
        store.audit("policy.threshold", name=name, value=value)


# --- refusals -------------------------------------------------------------------------------


def refuse(store: Store, code: str, ja: str, en: str, **detail: object) -> PolicyError:
    """Audit a refusal and return the error to raise (``raise refuse(...)``)."""
    store.audit_refusal(code=code, **detail)
    return PolicyError(code, ja, en)


# --- export destinations --------------------------------------------------------------------


@dataclass(frozen=True)
class Destination:
    path: Path
    note: str
    added_by: str
    added_at: str


def _real_dir(path: Path) -> Path | None:
    try:
        real = Path(os.path.realpath(Path(path).expanduser(), strict=True))
    except (OSError, ValueError):
        return None
    return real if real.is_dir() else None


def _inspect_removable(path: Path) -> bool | None:
    """True/False, or None when the drive cannot be inspected."""
    try:
        return drives.default_inspector().is_removable(path)
    except (drives.DriveUnknown, OSError):
        return None


def allow_destination(store: Store, path: Path, note: str = "") -> Destination:
    """Put a folder on the allow-list (stored as its resolved real path)."""
    store.require_admin("policy.allow_destination")
    real = _real_dir(path)
    if real is None:
        raise InputError(
            "policy.destination_missing",
            f"フォルダ {path} がありません(先に作成してください)",
            f"The folder {path} does not exist (create it first)",
        )
    if real.parent == real:
        raise refuse(
            store, "policy.destination_too_broad",
            f"ドライブ全体({real})は出力先にできません。専用のフォルダを指定してください",
            f"A whole drive ({real}) cannot be an export destination; name a dedicated folder",
            operation="policy.allow_destination", destination=str(real),
        )
    if real == store.path.resolve() or store.path.resolve() in real.parents:
        raise refuse(
            store, "policy.destination_in_store",
            "学籍ストアのフォルダの中は出力先にできません",
            "A folder inside the store cannot be an export destination",
            operation="policy.allow_destination", destination=str(real),
        )
    removable = _inspect_removable(real)
    if removable is not False:
        raise _removable_refusal(store, real, removable, "policy.allow_destination")
    with store.transaction():
        store.execute(
            "INSERT INTO export_destinations (path, note, added_by, added_at) VALUES (?, ?, ?, ?) "
            "ON CONFLICT (path) DO UPDATE SET note = excluded.note",
            (str(real), note.strip(), store.user.login, now_iso()),
        )
        store.audit("policy.allow_destination", path=str(real), note=note.strip())
    return next(d for d in list_destinations(store) if d.path == real)


def list_destinations(store: Store) -> list[Destination]:
    rows = store.query("SELECT path, note, added_by, added_at FROM export_destinations ORDER BY path")
    return [Destination(Path(r["path"]), r["note"], r["added_by"], r["added_at"]) for r in rows]


def remove_destination(store: Store, path: Path) -> None:
    store.require_admin("policy.remove_destination")
    real = _real_dir(path)
    candidates = {str(path), str(Path(path).expanduser().absolute())} | ({str(real)} if real else set())
    marks = ",".join("?" * len(candidates))
    found = store.query(f"SELECT path FROM export_destinations WHERE path IN ({marks})", sorted(candidates))
    if not found:
        raise NotFoundError(
            "policy.destination_unknown",
            f"{path} は出力先の一覧にありません",
            f"{path} is not on the list of export destinations",
        )
    with store.transaction():
        for row in found:
            store.execute("DELETE FROM export_destinations WHERE path = ?", (row["path"],))
            store.audit("policy.remove_destination", path=row["path"])


def _removable_refusal(store: Store, real: Path, removable: bool | None, operation: str) -> PolicyError:
    if removable is None:
        return refuse(
            store, "policy.drive_unknown",
            f"{real} が取り外し可能なドライブかどうか確認できないため、出力できません",
            f"Cannot tell whether {real} is on a removable drive, so nothing is written there",
            operation=operation, destination=str(real),
        )
    return refuse(
        store, "policy.removable_drive",
        f"{real} は取り外し可能なドライブ(USBメモリ・SDカード等)です。個人情報は書き出せません",
        f"{real} is on a removable drive (USB stick, SD card…); personal data cannot be written there",
        operation=operation, destination=str(real),
    )


def check_destination(store: Store, destination: Path, *, operation: str = "export") -> Path:
    """The resolved real folder if an export may be written there; else a refusal (audited)."""
    real = _real_dir(destination)
    if real is None:
        raise refuse(
            store, "policy.destination_missing",
            f"出力先のフォルダ {destination} がありません",
            f"The destination folder {destination} does not exist",
            operation=operation, destination=str(destination),
        )
    allowed = False
    for entry in list_destinations(store):
        entry_real = _real_dir(entry.path)
        # the entry as stored and as it resolves now must agree: a listed folder replaced by
        # a symbolic link elsewhere does not carry its permission along
        if entry_real is None or entry_real != entry.path:
            continue
        if real == entry_real or entry_real in real.parents:
            allowed = True
            break
    if not allowed:
        raise refuse(
            store, "policy.destination_not_allowed",
            f"{real} は許可された出力先ではありません(管理者が `gakuseki policy allow-destination` で登録します)",
            f"{real} is not an allowed export destination "
            "(an administrator adds it with `gakuseki policy allow-destination`)",
            operation=operation, destination=str(real),
        )
    removable = _inspect_removable(real)
    if removable is not False:
        raise _removable_refusal(store, real, removable, operation)
    return real


# --- bulk access accounting and alerts --------------------------------------------------------


def _epoch() -> float:
    return time.time()


@dataclass(frozen=True)
class Alert:
    id: int
    at: str
    actor: str
    kind: str  # "read" or "export"
    students: int
    threshold: int
    minutes: int


def record_access(store: Store, kind: str, student_ids: Iterable[int]) -> Alert | None:
    """Account that the current user read (or exported) these students; raise an alert when
    more than the threshold of distinct students were touched within the window."""
    if kind not in ("read", "export"):
        raise ValueError(kind)
    ids = sorted({int(i) for i in student_ids})
    if not ids:
        return None
    now = _epoch()
    month = datetime.fromtimestamp(now).strftime("%Y-%m")
    actor = store.user.login
    with store.transaction():
        store.execute(  # one statement for thousands of ids (json_each), not a Python loop
            "INSERT INTO student_access (actor, kind, month, student_id, first_at, last_at) "
            "SELECT ?, ?, ?, value, ?, ? FROM json_each(?) WHERE true "
            "ON CONFLICT (actor, kind, month, student_id) DO UPDATE SET last_at = excluded.last_at",
            (actor, kind, month, now, now, json.dumps(ids)),
        )
        limit = threshold(store, "bulk_alert_students")
        minutes = threshold(store, "bulk_alert_minutes")
        since = now - minutes * 60
        row = store.query_one(
            "SELECT count(DISTINCT student_id) AS n FROM student_access WHERE actor = ? AND kind = ? AND last_at >= ?",
            (actor, kind, since),
        )
        count = int(row["n"])
        if count <= limit:
            return None
        recent = store.query_one(
            "SELECT 1 FROM access_alerts WHERE actor = ? AND kind = ? AND at_epoch >= ?", (actor, kind, since)
        )
        if recent is not None:
            return None
        at = now_iso()
        cur = store.execute(
            "INSERT INTO access_alerts (at, at_epoch, actor, kind, students, threshold, minutes) "
            "VALUES (?, ?, ?, ?, ?, ?, ?)",
            (at, now, actor, kind, count, limit, minutes),
        )
        alert = Alert(int(cur.lastrowid), at, actor, kind, count, limit, minutes)
        store.audit(
            "access.alert", alert_id=alert.id, user=actor, kind=kind, students=count, threshold=limit, minutes=minutes
        )
    return alert


def audit_read(store: Store, view: str, student_ids: Sequence[int], **detail: object) -> None:
    """Every read of personal data: one audit entry and the bulk-access accounting, together."""
    with store.transaction():
        store.audit("students.read", view=view, count=len(student_ids), **detail)
        record_access(store, "read", student_ids)


def _alert(row: object) -> Alert:
    r = row
    return Alert(
        int(r["id"]), str(r["at"]), str(r["actor"]), str(r["kind"]),  # type: ignore[index]
        int(r["students"]), int(r["threshold"]), int(r["minutes"]),  # type: ignore[index]
    )


_ALERT_SQL = "SELECT id, at, actor, kind, students, threshold, minutes FROM access_alerts"


def pending_alerts(store: Store) -> list[Alert]:
    """Alerts this administrator has not acknowledged yet (oldest first); none for teachers."""
    if not store.user.is_admin:
        return []
    if store.user.id == 0:  # the recovery-key session: everything nobody has acknowledged
        rows = store.query(
            _ALERT_SQL + " WHERE id NOT IN (SELECT alert_id FROM access_alert_acks) ORDER BY id"
        )
    else:
        rows = store.query(
            _ALERT_SQL + " WHERE id NOT IN (SELECT alert_id FROM access_alert_acks WHERE user_id = ?) "
            "AND at >= (SELECT created_at FROM users WHERE id = ?) ORDER BY id",
            (store.user.id, store.user.id),
        )
    return [_alert(r) for r in rows]


def acknowledge(store: Store, alert_ids: Sequence[int] | None = None) -> int:
    """Mark alerts as seen by this administrator (all pending ones when ``alert_ids`` is None)."""
    store.require_admin("policy.acknowledge_alerts")
    pending = {a.id for a in pending_alerts(store)}
    chosen = sorted(pending if alert_ids is None else pending & set(alert_ids))
    if not chosen:
        return 0
    with store.transaction():
        if store.user.id != 0:
            at = now_iso()
            for alert_id in chosen:
                store.execute(
                    "INSERT OR IGNORE INTO access_alert_acks (alert_id, user_id, at) VALUES (?, ?, ?)",
                    (alert_id, store.user.id, at),
                )
        store.audit("access.alert_ack", alerts=chosen)
    return len(chosen)


def alerts_between(store: Store, start: str, end: str) -> list[Alert]:
    """Alerts with ``start <= at < end`` (ISO text, for the access report)."""
    store.require_admin("policy.alerts")
    rows = store.query(_ALERT_SQL + " WHERE at >= ? AND at < ? ORDER BY id", (start, end))
    return [_alert(r) for r in rows]


# --- second-administrator approval of large exports ----------------------------------------


@dataclass(frozen=True)
class Approval:
    token: str
    requested_by: str
    requested_at: str
    kind: str
    file_name: str
    destination: str
    recipient: str
    reason: str
    students: int
    status: str
    decided_by: str | None
    decided_at: str | None


def students_digest(student_ids: Iterable[int]) -> str:
    ids = sorted({int(i) for i in student_ids})
    return hashlib.sha256(",".join(map(str, ids)).encode("ascii")).hexdigest()


def needs_approval(store: Store, student_count: int) -> bool:
    return student_count > threshold(store, "export_approval_students")


_APPROVAL_SQL = (
    "SELECT token, requested_by, requested_at, kind, file_name, destination, recipient, reason, students, "
    "status, decided_by, decided_at, students_sha256 FROM export_approvals"
)


def _approval(r: object) -> Approval:
    row = r
    return Approval(*(row[k] for k in (  # type: ignore[index]
        "token", "requested_by", "requested_at", "kind", "file_name", "destination", "recipient", "reason",
        "students", "status", "decided_by", "decided_at",
    )))


def request_approval(
    store: Store,
    *,
    kind: str,
    file_name: str,
    destination: Path,
    recipient: str,
    reason: str,
    student_ids: Sequence[int],
) -> Approval:
    """Ask a second administrator to approve an export; returns the pending request."""
    store.require_admin("export.request_approval")
    token = secrets.token_hex(4).upper()
    ids = sorted({int(i) for i in student_ids})
    with store.transaction():
        store.execute(
            "INSERT INTO export_approvals (token, requested_by, requested_at, kind, file_name, destination, "
            "recipient, reason, students, students_sha256) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (token, store.user.login, now_iso(), kind, file_name, str(destination), recipient, reason.strip(),
             len(ids), students_digest(ids)),
        )
        store.audit(
            "export.approval_request", token=token, kind=kind, destination=str(destination),
            recipient=recipient, students=len(ids), reason=reason.strip(),
        )
    return get_approval(store, token)


def get_approval(store: Store, token: str) -> Approval:
    row = store.query_one(_APPROVAL_SQL + " WHERE token = ?", (token.strip().upper(),))
    if row is None:
        raise NotFoundError(
            "policy.approval_unknown", f"承認依頼「{token}」はありません", f"No approval request '{token}'"
        )
    return _approval(row)


def list_approvals(store: Store, status: str | None = "pending") -> list[Approval]:
    store.require_admin("policy.approvals")
    if status is None:
        rows = store.query(_APPROVAL_SQL + " ORDER BY requested_at DESC")
    else:
        rows = store.query(_APPROVAL_SQL + " WHERE status = ? ORDER BY requested_at DESC", (status,))
    return [_approval(r) for r in rows]


def decide(store: Store, token: str, *, approve: bool) -> Approval:
    """A second administrator approves (or rejects) a pending export request."""
    store.require_admin("export.approve")
    found = get_approval(store, token)
    if found.requested_by == store.user.login or store.user.id == 0:
        raise refuse(
            store, "policy.approval_self",
            "出力の承認は、依頼した人とは別の管理者が本人のパスフレーズで開いて行います",
            "An export must be approved by a different administrator, unlocked with their own passphrase",
            operation="export.approve", token=found.token,
        )
    if found.status != "pending":
        raise refuse(
            store, "policy.approval_not_pending",
            f"承認依頼「{found.token}」は処理済みです({found.status})",
            f"Approval request '{found.token}' was already decided ({found.status})",
            operation="export.approve", token=found.token,
        )
    status = "approved" if approve else "rejected"
    with store.transaction():
        store.execute(
            "UPDATE export_approvals SET status = ?, decided_by = ?, decided_at = ? WHERE token = ?",
            (status, store.user.login, now_iso(), found.token),
        )
        store.audit(f"export.{'approve' if approve else 'reject'}", token=found.token, requested_by=found.requested_by,
                    kind=found.kind, students=found.students, recipient=found.recipient)
    return get_approval(store, found.token)


def check_approval(
    store: Store, token: str, *, kind: str, destination: Path, recipient: str, student_ids: Sequence[int]
) -> Approval:
    """``token`` if it approves exactly this export by this user, else a refusal (audited)."""
    try:
        found = get_approval(store, token)
    except NotFoundError:
        raise refuse(
            store, "policy.approval_invalid", f"承認「{token}」はありません", f"No approval '{token}'",
            operation="export", token=token,
        ) from None
    row = store.query_one("SELECT students_sha256 FROM export_approvals WHERE token = ?", (found.token,))
    problems = []
    if found.status != "approved":
        problems.append(f"status {found.status}")
    if found.requested_by != store.user.login:
        problems.append("requested by another user")
    if (found.kind, found.destination, found.recipient) != (kind, str(destination), recipient):
        problems.append("kind, destination or recipient differ")
    if row["students_sha256"] != students_digest(student_ids):
        problems.append("different students")
    if found.decided_at is not None and datetime.fromisoformat(found.decided_at) + timedelta(
        hours=APPROVAL_VALID_HOURS
    ) < datetime.now().astimezone():
        problems.append("expired")
    if problems:
        raise refuse(
            store, "policy.approval_invalid",
            f"承認「{found.token}」はこの出力には使えません({', '.join(problems)})",
            f"Approval '{found.token}' does not cover this export ({', '.join(problems)})",
            operation="export", token=found.token,
        )
    return found


def mark_approval_used(store: Store, token: str) -> None:
    """After :func:`check_approval`, inside the transaction that audits the export."""
    with store.transaction():
        cur = store.execute(
            "UPDATE export_approvals SET status = 'used', used_at = ? WHERE token = ? AND status = 'approved'",
            (now_iso(), token.strip().upper()),
        )
        if cur.rowcount != 1:
            raise PolicyError(
                "policy.approval_invalid", f"承認「{token}」は使用済みです", f"Approval '{token}' was already used"
            )
