"""Month end: the homeroom teacher closes the month (月末締め), the principal countersigns it
(校長検印) after seeing the totals. Both are signed records (storage.attendance.records)
naming every sealed sheet of the month by (date, revision, hash) and the class totals.

A month's state is derived, never stored: *closed* while the latest close still names the
month's current sheets, *countersigned* while a countersign covers that close. Corrections stay
possible after a close or a countersign (a correction is itself a signed revision, 訂正印), but
then the month is *open* again with ``changed_after_close`` (and ``corrected_after_countersign``)
set: the teacher closes it again and the principal countersigns the new close. Old closes and
countersigns stay in the chain as history. A sealed school year refuses all of this.
"""

from __future__ import annotations

import calendar as pycalendar
from dataclasses import dataclass, field, replace
from datetime import date
from typing import TYPE_CHECKING

from storage import classes, signing, users
from storage.attendance import records, setup
from storage.attendance.missing import unsealed_days
from storage.attendance.records import COUNTERSIGN, MONTH_CLOSE, Record
from storage.attendance.sheets import require_reader
from storage.attendance.summary import Totals, statuses
from storage.clock import school_year_of
from storage.errors import InputError, PolicyError

if TYPE_CHECKING:
    from storage.store import Store

OPEN = "open"
CLOSED = "closed"
COUNTERSIGNED = "countersigned"
_STATE_JA = {OPEN: "未締め", CLOSED: "担任締め済み", COUNTERSIGNED: "校長検印済み"}


@dataclass(frozen=True)
class MonthState:
    class_id: int
    class_label: str
    year: int  # calendar year and month
    month: int
    state: str  # open | closed | countersigned
    closed_by: str | None = None  # login of the latest close that still holds
    closed_by_name: str | None = None
    closed_at: str | None = None
    close_hash: str | None = None  # pass to countersign_month(expected_close_hash=…)
    countersigned_by: str | None = None
    countersigned_by_name: str | None = None
    countersigned_at: str | None = None
    countersign_hash: str | None = None
    changed_after_close: bool = False  # closed once, then corrected (or a day added): close again
    corrected_after_countersign: bool = False  # … after a countersign: countersign again too
    year_sealed: bool = False
    school_days: int = 0
    missing_days: tuple[date, ...] = ()  # school days not sealed yet (closing needs none)
    sheets: tuple[tuple[str, int, str], ...] = ()  # (date, revision, hash) of each sealed day
    totals: Totals = field(default_factory=Totals)  # the class's totals for the month
    students: int = 0

    @property
    def period(self) -> str:
        return f"{self.year}-{self.month:02d}"

    @property
    def label_ja(self) -> str:
        return _STATE_JA[self.state] + ("(締め後に訂正あり)" if self.changed_after_close else "")

    @property
    def label_en(self) -> str:
        base = {OPEN: "open", CLOSED: "closed by teacher", COUNTERSIGNED: "countersigned"}[self.state]
        return base + (" (corrected after close)" if self.changed_after_close else "")


def _bounds(year: int, month: int) -> tuple[date, date]:
    try:
        return date(year, month, 1), date(year, month, pycalendar.monthrange(year, month)[1])
    except (ValueError, pycalendar.IllegalMonthError) as exc:
        raise InputError(
            "attendance.month_invalid", f"{year}年{month}月は正しくありません", f"Invalid month {year}-{month}"
        ) from exc


def parse_month(text: str) -> tuple[int, int]:
    """'2025-06' → (2025, 6)."""
    try:
        year, month = (int(p) for p in text.strip().split("-"))
        _bounds(year, month)
    except (ValueError, InputError) as exc:
        raise InputError(
            "attendance.month_invalid", f"月「{text}」が正しくありません(YYYY-MM)", f"Invalid month '{text}' (YYYY-MM)"
        ) from exc
    return year, month


def _current_sheets(store: Store, class_id: int, start: date, end: date) -> list[tuple[str, int, str]]:
    rows = store.query(
        "SELECT s.date, s.revision, s.hash FROM attendance_sheets s WHERE s.class_id = ? AND s.date BETWEEN ? AND ? "
        "AND s.revision = (SELECT max(x.revision) FROM attendance_sheets x WHERE x.class_id = s.class_id "
        "AND x.date = s.date) ORDER BY s.date",
        (class_id, start.isoformat(), end.isoformat()),
    )
    return [(str(r[0]), int(r[1]), str(r[2])) for r in rows]


def _covered(record: Record) -> list[tuple[str, int, str]]:
    return [(str(d), int(r), str(h)) for d, r, h in record.body.get("sheets", [])]


def _state(store: Store, class_id: int, year: int, month: int, *, with_totals: bool = True) -> MonthState:
    info = classes.get_class(store, class_id)
    start, end = _bounds(year, month)
    period = f"{year}-{month:02d}"
    sheets = _current_sheets(store, class_id, start, end)
    gaps = tuple(d for d, _n, _m in unsealed_days(store, class_id, start, end))
    found = records.records(store, class_id=class_id, period=period)
    closes = [r for r in found if r.kind == MONTH_CLOSE]
    counters = [r for r in found if r.kind == COUNTERSIGN]
    names = {int(r["id"]): str(r["display_name"]) for r in store.query("SELECT id, display_name FROM users")}
    totals = Totals()
    students: set[int] = set()
    days = 0
    if with_totals:
        by_day = statuses(store, class_id, start, end)
        days = len(by_day)
        for by_student in by_day.values():
            for sid, st in by_student.items():
                totals.add(st.status, sealed=st.sealed)
                students.add(sid)
    open_state = MonthState(
        class_id=class_id,
        class_label=info.label,
        year=year,
        month=month,
        state=OPEN,
        year_sealed=records.year_sealed(store, school_year_of(start)),
        school_days=days,
        missing_days=gaps,
        sheets=tuple(sheets),
        totals=totals,
        students=len(students),
    )
    last = closes[-1] if closes else None
    if last is None or gaps or _covered(last) != sheets:
        return replace(open_state, changed_after_close=last is not None, corrected_after_countersign=bool(counters))
    closed = replace(
        open_state,
        state=CLOSED,
        closed_by=last.signer_login,
        closed_by_name=names.get(last.signer_id),
        closed_at=last.signed_at,
        close_hash=last.hash,
    )
    sign = next((c for c in reversed(counters) if c.body.get("close") == last.hash), None)
    if sign is None:
        return closed
    return replace(
        closed,
        state=COUNTERSIGNED,
        countersigned_by=sign.signer_login,
        countersigned_by_name=names.get(sign.signer_id),
        countersigned_at=sign.signed_at,
        countersign_hash=sign.hash,
    )


def month_state(store: Store, class_id: int, year: int, month: int) -> MonthState:
    """The month's state for a class, with its totals (readers of the register)."""
    require_reader(store, class_id, "attendance.month_state")
    return _state(store, class_id, year, month)


def month_states(store: Store, class_id: int, school_year: int) -> list[MonthState]:
    """April to March of 年度 ``school_year``: each month's state (without totals, for a strip)."""
    require_reader(store, class_id, "attendance.month_state")
    months = [(school_year, m) for m in range(4, 13)] + [(school_year + 1, m) for m in range(1, 4)]
    return [_state(store, class_id, y, m, with_totals=False) for y, m in months]


def close_month(store: Store, class_id: int, year: int, month: int) -> MonthState:
    """The homeroom teacher closes the month: every school day must be sealed (the error names
    the days that are not). Signed with the teacher's key."""
    info = classes.get_class(store, class_id)
    start, _end = _bounds(year, month)
    records.require_year_open(store, start, "attendance.close")
    if info.homeroom_login is None:
        raise setup.no_homeroom(info.label)
    if info.homeroom_login != store.user.login:
        store.audit_refusal(operation="attendance.close", class_id=class_id, period=f"{year}-{month:02d}")
        raise PolicyError(
            "policy.not_homeroom",
            f"月末の締めは {info.label} の担任({info.homeroom_login})が行います",
            f"Only {info.label}'s homeroom teacher ({info.homeroom_login}) closes the month",
        )
    setup.require_calendar(store, school_year_of(start))
    key = signing.private_key(store)
    with store.transaction():
        state = _state(store, class_id, year, month)
        if state.missing_days:
            shown = "、".join(f"{d:%m/%d}" for d in state.missing_days[:10])
            more = f" ほか{len(state.missing_days) - 10}日" if len(state.missing_days) > 10 else ""
            raise InputError(
                "attendance.days_unsealed",
                f"{info.label} {year}年{month}月はまだ押印していない授業日があるため締められません: {shown}{more}",
                f"{info.label} {state.period} cannot be closed: school days not sealed yet: "
                f"{', '.join(d.isoformat() for d in state.missing_days)}",
                fix="attendance_day",
            )
        if state.state != OPEN:
            raise InputError(
                "attendance.month_closed",
                f"{info.label} {year}年{month}月は既に締めてあります({state.label_ja})",
                f"{info.label} {state.period} is already closed ({state.label_en})",
            )
        body = {"sheets": [list(s) for s in state.sheets], "totals": state.totals.to_json(), "students": state.students}
        records.append(store, MONTH_CLOSE, state.period, body, key, class_id=class_id, class_label=info.label)
    return _state(store, class_id, year, month)


def countersign_month(
    store: Store, class_id: int, year: int, month: int, *, expected_close_hash: str | None = None
) -> MonthState:
    """The principal (校長) countersigns a closed month with their own key. The record covers the
    month's sheet hashes, the close and the totals. Pass the ``close_hash`` of the
    :class:`MonthState` that was shown: if the month changed since, it is refused."""
    info = classes.get_class(store, class_id)
    start, _end = _bounds(year, month)
    period = f"{year}-{month:02d}"
    if not users.is_principal(store):
        store.audit_refusal(operation="attendance.countersign", class_id=class_id, period=period)
        raise PolicyError(
            "policy.principal_only",
            "校長検印は校長に指定された管理者だけが行えます(`gakuseki user principal LOGIN` で指定)",
            "Only the administrator flagged as principal countersigns (set with `gakuseki user principal LOGIN`)",
            fix="principal",
        )
    records.require_year_open(store, start, "attendance.countersign")
    key = signing.private_key(store)
    with store.transaction():
        state = _state(store, class_id, year, month)
        if state.state == OPEN:
            raise InputError(
                "attendance.month_not_closed",
                f"{info.label} {year}年{month}月は担任がまだ締めていません"
                + (
                    "(締め後に訂正があったため、担任がもう一度締める必要があります)"
                    if state.changed_after_close
                    else ""
                ),
                f"{info.label} {period} has not been closed by the homeroom teacher"
                + (
                    " (it was corrected after the close: the teacher closes it again)"
                    if state.changed_after_close
                    else ""
                ),
            )
        if state.state == COUNTERSIGNED:
            raise InputError(
                "attendance.month_countersigned",
                f"{info.label} {year}年{month}月は既に検印済みです",
                f"{info.label} {period} is already countersigned",
            )
        if expected_close_hash is not None and expected_close_hash != state.close_hash:
            raise InputError(
                "attendance.month_changed",
                "表示した後にこの月の出席簿が変わりました。もう一度確認してから検印してください",
                "The month changed after it was shown; review it again before countersigning",
            )
        if state.closed_by == store.user.login:
            store.audit_refusal(
                operation="attendance.countersign", class_id=class_id, period=period, reason="own close"
            )
            raise PolicyError(
                "policy.countersign_own",
                "自分で締めた月には検印できません",
                "You cannot countersign a month you closed yourself",
            )
        [close] = [
            r
            for r in records.records(store, kind=MONTH_CLOSE, class_id=class_id, period=period)
            if r.hash == state.close_hash
        ]
        body = {
            "close": close.hash,
            "sheets": [list(s) for s in state.sheets],
            "totals": state.totals.to_json(),
            "students": state.students,
        }
        records.append(store, COUNTERSIGN, period, body, key, class_id=class_id, class_label=info.label, refers=close)
    return _state(store, class_id, year, month)
