"""Year end (年度末): an administrator seals the school year; from then on nothing of that year
can be marked, sealed, corrected, closed, countersigned, or moved in the calendar or the class
memberships, until the principal reopens it with a reason (a signed, audited record).

Sealing needs every school day of every class sealed and every month with school days
countersigned. The seal record signs the number of the year's sheets, a digest of their hashes
and the head of the sheet chain; ``attendance verify`` fails if a sheet of a sealed year is
added or replaced. ``attendance_sealed_years`` (with triggers) keeps the lock below the app too.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

from storage import classes, signing, users
from storage.attendance import records, setup
from storage.attendance.missing import unsealed_days
from storage.attendance.month_close import COUNTERSIGNED, _state
from storage.attendance.records import YEAR_REOPEN, YEAR_SEAL
from storage.errors import InputError, PolicyError

if TYPE_CHECKING:
    from storage.store import Store


@dataclass(frozen=True)
class YearEvent:
    kind: str  # year_seal | year_reopen
    by: str  # login
    at: str
    reason: str | None
    hash: str


@dataclass(frozen=True)
class YearState:
    year: int
    sealed: bool
    history: tuple[YearEvent, ...]  # seals and reopenings, oldest first

    @property
    def sealed_by(self) -> str | None:
        return self.history[-1].by if self.sealed else None

    @property
    def sealed_at(self) -> str | None:
        return self.history[-1].at if self.sealed else None


def year_state(store: Store, year: int) -> YearState:
    found = [r for r in records.records(store, period=str(year)) if r.kind in (YEAR_SEAL, YEAR_REOPEN)]
    history = tuple(YearEvent(r.kind, r.signer_login, r.signed_at, r.reason, r.hash) for r in found)
    return YearState(year, records.year_sealed(store, year), history)


def seal_year(store: Store, year: int, *, today: date | None = None) -> YearState:
    """Seal 年度 ``year`` (administrators, own key), once the year is over."""
    store.require_admin("attendance.seal_year")
    start, end = records.year_bounds(year)
    if (today or date.today()) <= end:
        raise PolicyError(
            "attendance.year_not_over",
            f"{year}年度は {end} まで続きます。封印は年度が終わってから行います",
            f"School year {year} runs until {end}; seal it after it ends",
        )
    if records.year_sealed(store, year):
        raise InputError(
            "attendance.year_already_sealed", f"{year}年度は既に封印済みです", f"School year {year} is already sealed"
        )
    setup.require_calendar(store, year)
    gaps: list[str] = []
    unsigned: list[str] = []
    for info in classes.list_classes(store, year):
        for day, _students, _marked in unsealed_days(store, info.id, start, end):
            gaps.append(f"{info.label} {day}")
        for y, m in [(year, m) for m in range(4, 13)] + [(year + 1, m) for m in range(1, 4)]:
            state = _state(store, info.id, y, m, with_totals=False)
            if state.sheets and state.state != COUNTERSIGNED:
                unsigned.append(f"{info.label} {state.period}")
    if gaps:
        raise InputError(
            "attendance.days_unsealed",
            f"{year}年度には押印されていない授業日が {len(gaps)} 日あります(例: {'、'.join(gaps[:5])})。"
            "`gakuseki attendance missing` で一覧できます",
            f"School year {year} has {len(gaps)} school days not sealed (e.g. {', '.join(gaps[:5])}); "
            "list them with `gakuseki attendance missing`",
            fix="attendance_day",
        )
    if unsigned:
        raise InputError(
            "attendance.months_not_countersigned",
            f"{year}年度には校長検印のない月があります: {'、'.join(unsigned[:12])}",
            f"School year {year} has months not countersigned: {', '.join(unsigned[:12])}",
        )
    key = signing.private_key(store)
    with store.transaction():
        rows = store.query(
            "SELECT chain_seq, hash FROM attendance_sheets WHERE date BETWEEN ? AND ?",
            (start.isoformat(), end.isoformat()),
        )
        head = store.query_one("SELECT chain_seq, hash FROM attendance_sheets ORDER BY chain_seq DESC LIMIT 1")
        body = {
            "year": year,
            "from": start.isoformat(),
            "to": end.isoformat(),
            "sheets": len(rows),
            "digest": records.sheets_digest([str(r["hash"]) for r in rows]),
            "head_seq": 0 if head is None else int(head["chain_seq"]),
            "head_hash": None if head is None else str(head["hash"]),
        }
        record = records.append(store, YEAR_SEAL, str(year), body, key)
        store.execute(
            "INSERT INTO attendance_sealed_years (year, start_date, end_date, record_id) VALUES (?, ?, ?, ?)",
            (year, start.isoformat(), end.isoformat(), record.id),
        )
    return year_state(store, year)


def reopen_year(store: Store, year: int, reason: str) -> YearState:
    """The principal reopens a sealed year, with a reason (signed and audited). Seal it again
    with :func:`seal_year` after the change."""
    if not users.is_principal(store):
        store.audit_refusal(operation="attendance.reopen_year", year=year)
        raise PolicyError(
            "policy.principal_only",
            "年度末封印の解除は校長に指定された管理者だけが行えます",
            "Only the administrator flagged as principal may reopen a sealed year",
            fix="principal",
        )
    reason = reason.strip()
    if not reason:
        raise InputError(
            "attendance.reason_missing", "封印を解除する理由を入力してください", "Give the reason for reopening"
        )
    if not records.year_sealed(store, year):
        raise InputError(
            "attendance.year_not_sealed", f"{year}年度は封印されていません", f"School year {year} is not sealed"
        )
    key = signing.private_key(store)
    with store.transaction():
        seal = [r for r in records.records(store, kind=YEAR_SEAL, period=str(year))][-1]
        records.append(
            store, YEAR_REOPEN, str(year), {"year": year, "seal": seal.hash}, key, refers=seal, reason=reason
        )
        store.execute("DELETE FROM attendance_sealed_years WHERE year = ?", (year,))
    return year_state(store, year)
