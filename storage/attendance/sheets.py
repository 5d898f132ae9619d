"""Marking, sealing (押印) and correcting (訂正印) a class's daily attendance sheet.

- Unsealed marks are ordinary rows in ``attendance_marks``, editable until the day is sealed.
- Sealing signs the day's full sheet: every student enrolled in the class on that date
  (dated ``class_memberships``) in 出席番号 order. A student without a mark gets 出席, or
  学級閉鎖 on a class-closure day; defaults are applied only here, never written by reading.
  The marks are consumed: the sealed sheet is the record from then on.
- A correction is a new signed revision of the whole sheet naming the revision it corrects
  (by hash) and a reason; earlier revisions stay, so the history is complete.
- Who may keep a class's register: its homeroom teacher and users assigned to the class
  (``class_teachers``, set by an administrator). Administrators may read every register.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

from storage import classes, signing
from storage.attendance import calendar, canonical, codes, records, setup
from storage.attendance.canonical import Entry
from storage.clock import now_iso, school_year_of
from storage.errors import InputError, PolicyError

if TYPE_CHECKING:
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    from storage.store import Store


@dataclass(frozen=True)
class SheetRef:
    """A sealed sheet as people name it: class, date and revision (0 = the original seal)."""

    class_id: int
    class_label: str
    date: str
    revision: int
    seq: int
    hash: str

    @property
    def name_ja(self) -> str:
        return f"{self.class_label} {self.date} 第{self.revision}版"

    @property
    def name_en(self) -> str:
        return f"{self.class_label} {self.date} revision {self.revision}"


# --- rights ------------------------------------------------------------------------------


def can_keep(store: Store, class_id: int) -> bool:
    row = store.query_one(
        "SELECT 1 FROM classes c WHERE c.id = ? AND (c.homeroom_user_id = ? OR EXISTS "
        "(SELECT 1 FROM class_teachers t WHERE t.class_id = c.id AND t.user_id = ?))",
        (class_id, store.user.id, store.user.id),
    )
    return row is not None


def require_keeper(store: Store, class_id: int, operation: str) -> None:
    if can_keep(store, class_id):
        return
    store.audit_refusal(operation=operation, class_id=class_id)
    row = store.query_one(
        "SELECT homeroom_user_id IS NULL AND NOT EXISTS (SELECT 1 FROM class_teachers t WHERE t.class_id = c.id) "
        "FROM classes c WHERE c.id = ?",
        (class_id,),
    )
    if row is not None and row[0]:
        label = classes.get_class(store, class_id).label
        raise PolicyError(
            "policy.attendance_no_teacher",
            f"{label} には担任も担当者も設定されていないため、出席簿をつけられません。"
            "管理者が「管理」の「担任と校長」で担任を設定してください",
            f"{label} has no homeroom or assigned teacher, so nobody can keep its register; "
            "an administrator sets one on the Admin page (homeroom teachers and principal)",
            fix="homeroom",
        )
    raise PolicyError(
        "policy.attendance_not_assigned",
        "この学級の出席簿をつける権限がありません(学級担任または担当者のみ)",
        "You may not keep this class's register (homeroom or assigned teachers only)",
    )


def require_reader(store: Store, class_id: int, operation: str) -> None:
    if store.user.is_admin:
        return
    require_keeper(store, class_id, operation)


# --- reading -------------------------------------------------------------------------------


def roster(store: Store, class_id: int, day: date) -> list[tuple[int, int]]:
    """(student id, 出席番号) of the students enrolled in the class on ``day``."""
    text = day.isoformat()
    rows = store.query(
        "SELECT student_id, attendance_no FROM class_memberships WHERE class_id = ? AND from_date <= ? "
        "AND (to_date IS NULL OR to_date >= ?) ORDER BY attendance_no, student_id",
        (class_id, text, text),
    )
    return [(int(r["student_id"]), int(r["attendance_no"])) for r in rows]


def drafts(store: Store, class_id: int, day: date) -> dict[int, tuple[str, str]]:
    rows = store.query(
        "SELECT student_id, status, note FROM attendance_marks WHERE class_id = ? AND date = ?",
        (class_id, day.isoformat()),
    )
    return {int(r["student_id"]): (str(r["status"]), str(r["note"])) for r in rows}


def latest_sheet(store: Store, class_id: int, day: date) -> SheetRef | None:
    row = store.query_one(
        "SELECT revision, chain_seq, hash FROM attendance_sheets WHERE class_id = ? AND date = ? "
        "ORDER BY revision DESC LIMIT 1",
        (class_id, day.isoformat()),
    )
    if row is None:
        return None
    label = classes.get_class(store, class_id).label
    return SheetRef(
        class_id, label, day.isoformat(), int(row["revision"]), int(row["chain_seq"]), str(row["hash"])
    )


def sheet_entries(store: Store, class_id: int, day: date, revision: int) -> list[Entry]:
    rows = store.query(
        "SELECT e.student_id, e.attendance_no, e.status, e.note FROM attendance_entries e "
        "JOIN attendance_sheets s ON s.id = e.sheet_id "
        "WHERE s.class_id = ? AND s.date = ? AND s.revision = ? "
        "ORDER BY e.attendance_no, e.student_id",
        (class_id, day.isoformat(), revision),
    )
    return [
        Entry(int(r["student_id"]), int(r["attendance_no"]), str(r["status"]), str(r["note"])) for r in rows
    ]


# --- marking -----------------------------------------------------------------------------------


def _require_school_day(store: Store, day: date) -> None:
    if not calendar.is_school_day(store, day):
        setup.require_calendar(store, school_year_of(day))  # nothing set up at all: say so
        raise InputError(
            "attendance.not_school_day",
            f"{day} は授業日ではありません(学校暦を確認してください)",
            f"{day} is not a school day (see the school calendar)",
            fix="calendar",
        )


def _sealed_error(label: str, day: date) -> PolicyError:
    return PolicyError(
        "attendance.sealed",
        f"{label} {day} は押印済みです。訂正は `attendance correct` で理由を添えて行ってください",
        f"{label} {day} is sealed; correct it with `attendance correct` and a reason",
    )


def mark_many(
    store: Store, class_id: int, day: date | str, marks: Mapping[int, tuple[str, str] | None]
) -> None:
    """Set (or with None clear) unsealed marks: student id → (status code, note)."""
    when = calendar.parse_date(day)
    require_keeper(store, class_id, "attendance.mark")
    records.require_year_open(store, when, "attendance.mark")
    _require_school_day(store, when)
    info = classes.get_class(store, class_id)
    if latest_sheet(store, class_id, when) is not None:
        raise _sealed_error(info.label, when)
    members = dict(roster(store, class_id, when))
    for student_id, value in marks.items():
        if student_id not in members:
            raise InputError(
                "attendance.not_enrolled",
                f"児童生徒 {student_id} は {when} に {info.label} に在籍していません"
                "(在籍は管理者が「名簿」の学級編成で登録します)",
                f"Student {student_id} is not enrolled in {info.label} on {when} "
                "(an administrator enrols students in the roster's class settings)",
                fix="class_membership",
            )
        if value is not None:
            codes.get(value[0])
    now = now_iso()
    with store.transaction():
        for student_id, value in marks.items():
            if value is None:
                store.execute(
                    "DELETE FROM attendance_marks WHERE class_id = ? AND date = ? AND student_id = ?",
                    (class_id, when.isoformat(), student_id),
                )
            else:
                store.execute(
                    "INSERT INTO attendance_marks "
                    "(class_id, date, student_id, status, note, marked_by, marked_at) "
                    "VALUES (?, ?, ?, ?, ?, ?, ?) "
                    "ON CONFLICT (class_id, date, student_id) DO UPDATE SET "
                    "status = excluded.status, note = excluded.note, marked_by = excluded.marked_by, "
                    "marked_at = excluded.marked_at",
                    (class_id, when.isoformat(), student_id, value[0], value[1].strip(), store.user.id, now),
                )
        store.audit(
            "attendance.mark",
            class_id=class_id,
            date=when.isoformat(),
            marks={str(k): (v[0] if v else None) for k, v in sorted(marks.items())},
        )


def mark(store: Store, class_id: int, day: date | str, student_id: int, status: str, note: str = "") -> None:
    mark_many(store, class_id, day, {student_id: (status, note)})


def student_by_number(store: Store, class_id: int, day: date | str, number: int) -> int:
    """The student with 出席番号 ``number`` in the class on ``day``."""
    when = calendar.parse_date(day)
    for student_id, no in roster(store, class_id, when):
        if no == number:
            return student_id
    raise InputError(
        "attendance.no_such_number",
        f"{when} に出席番号 {number} の児童生徒はいません",
        f"No student with attendance number {number} on {when}",
        fix="class_membership",
    )


# --- sealing and correcting ----------------------------------------------------------------------


def _append(
    store: Store,
    class_id: int,
    when: date,
    entries: list[Entry],
    key: tuple[str, Ed25519PrivateKey],
    *,
    corrects: SheetRef | None = None,
    corrects_id: int | None = None,
    reason: str | None = None,
) -> SheetRef:
    """Sign and chain one sheet (the caller holds the transaction)."""
    key_id, private = key
    info = classes.get_class(store, class_id)
    head = store.query_one("SELECT chain_seq, hash FROM attendance_sheets ORDER BY chain_seq DESC LIMIT 1")
    seq = 1 if head is None else int(head["chain_seq"]) + 1
    prev = canonical.genesis_hash(store.store_id) if head is None else str(head["hash"])
    school = store.query_one("SELECT school_code FROM school WHERE id = 1")
    revision = 0 if corrects is None else corrects.revision + 1
    signed = canonical.SignedSheet(
        store=store.store_id,
        school=str(school["school_code"]),
        seq=seq,
        prev=prev,
        class_id=class_id,
        class_label=info.label,
        date=when.isoformat(),
        revision=revision,
        corrects_revision=None if corrects is None else corrects.revision,
        corrects_hash=None if corrects is None else corrects.hash,
        reason=reason,
        entries=tuple(entries),
        signer_user=store.user.id,
        signer_login=store.user.login,
        key_id=key_id,
        signed_at=now_iso(),
    )
    data = canonical.encode(signed)
    digest = canonical.sheet_hash(data)
    cur = store.execute(
        "INSERT INTO attendance_sheets (chain_seq, class_id, date, revision, corrects_id, reason, "
        "signer_id, key_id, signed_at, prev_hash, hash, canonical, signature) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (
            seq,
            class_id,
            signed.date,
            revision,
            corrects_id,
            reason,
            store.user.id,
            key_id,
            signed.signed_at,
            prev,
            digest,
            data,
            private.sign(data),
        ),
    )
    sheet_id = int(cur.lastrowid)
    store.conn.executemany(
        "INSERT INTO attendance_entries (sheet_id, student_id, attendance_no, status, note) "
        "VALUES (?, ?, ?, ?, ?)",
        [(sheet_id, e.student_id, e.attendance_no, e.status, e.note) for e in entries],
    )
    store.audit(
        "attendance.seal" if corrects is None else "attendance.correct",
        class_id=class_id,
        date=signed.date,
        revision=revision,
        seq=seq,
        hash=digest,
    )
    return SheetRef(class_id, info.label, signed.date, revision, seq, digest)


def seal(store: Store, class_id: int, day: date | str) -> SheetRef:
    """Sign the day's sheet for the class (homeroom or assigned teacher, own key)."""
    when = calendar.parse_date(day)
    require_keeper(store, class_id, "attendance.seal")
    records.require_year_open(store, when, "attendance.seal")
    _require_school_day(store, when)
    info = classes.get_class(store, class_id)
    key = signing.private_key(store)  # before the transaction: a refusal is audited
    with store.transaction():
        if latest_sheet(store, class_id, when) is not None:
            raise _sealed_error(info.label, when)
        members = roster(store, class_id, when)
        if not members:
            raise setup.no_students(info.label, when)
        marks = drafts(store, class_id, when)
        stray = set(marks) - {sid for sid, _ in members}
        if stray:
            raise InputError(
                "attendance.not_enrolled",
                f"{when} に在籍していない児童生徒の記録があります: {sorted(stray)}",
                f"There are marks for students not enrolled on {when}: {sorted(stray)}",
            )
        closed = when in calendar.closures(store, class_id, when, when)
        default = (codes.CLOSURE if closed else codes.DEFAULT, "")
        entries = [Entry(sid, no, *marks.get(sid, default)) for sid, no in members]
        ref = _append(store, class_id, when, entries, key)
        store.execute(
            "DELETE FROM attendance_marks WHERE class_id = ? AND date = ?", (class_id, when.isoformat())
        )
    return ref


def correct(
    store: Store, class_id: int, day: date | str, changes: Mapping[int, tuple[str, str]], reason: str
) -> SheetRef:
    """A signed revision of a sealed day: student id → (status, note), with the reason."""
    when = calendar.parse_date(day)
    require_keeper(store, class_id, "attendance.correct")
    records.require_year_open(store, when, "attendance.correct")
    reason = reason.strip()
    if not reason:
        raise InputError(
            "attendance.reason_missing", "訂正の理由を入力してください", "Give the reason for the correction"
        )
    for status, _note in changes.values():
        codes.get(status)
    key = signing.private_key(store)
    with store.transaction():
        latest = latest_sheet(store, class_id, when)
        if latest is None:
            raise InputError(
                "attendance.not_sealed",
                f"{when} はまだ押印されていません。訂正ではなく記入してください",
                f"{when} is not sealed yet; mark it instead of correcting",
            )
        row = store.query_one(
            "SELECT id FROM attendance_sheets WHERE class_id = ? AND date = ? AND revision = ?",
            (class_id, when.isoformat(), latest.revision),
        )
        current = sheet_entries(store, class_id, when, latest.revision)
        known = {e.student_id for e in current}
        unknown = set(changes) - known
        if unknown:
            raise InputError(
                "attendance.not_on_sheet",
                f"訂正する児童生徒 {sorted(unknown)} はこの日の出席簿にいません",
                f"Students {sorted(unknown)} are not on that day's sheet",
            )
        entries = [
            Entry(e.student_id, e.attendance_no, *changes[e.student_id]) if e.student_id in changes else e
            for e in current
        ]
        entries = [Entry(e.student_id, e.attendance_no, e.status, e.note.strip()) for e in entries]
        if entries == current:
            raise InputError(
                "attendance.no_change", "訂正内容が元と同じです", "The correction changes nothing"
            )
        return _append(
            store, class_id, when, entries, key, corrects=latest, corrects_id=int(row["id"]), reason=reason
        )
