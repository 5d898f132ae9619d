"""What the 出席簿 month grid shows: students × days, seals, corrections, totals, verified."""

from __future__ import annotations

import calendar as pycalendar
import itertools
from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING

from storage import classes, policy
from storage.attendance import calendar, chain, codes
from storage.attendance.sheets import require_reader
from storage.attendance.summary import DayStatus, Totals, roster_members, statuses

if TYPE_CHECKING:
    from storage.store import Store


@dataclass(frozen=True)
class Change:
    """An earlier value of a cell, shown struck through, and the correction that replaced it."""

    status: str
    symbol: str
    note: str
    revision: int  # the revision that held this value
    corrected_in: int  # the revision that replaced it
    corrected_by: str  # login
    corrected_by_name: str
    corrected_at: str
    reason: str


@dataclass(frozen=True)
class Cell:
    status: str
    symbol: str
    note: str
    sealed: bool
    marked: bool  # False: a default (出席 / 学級閉鎖) nobody has marked yet
    history: tuple[Change, ...] = ()  # oldest first


@dataclass(frozen=True)
class Day:
    date: date
    kind: str  # school_day | holiday | school_closure | none (not in the calendar)
    note: str
    closure: str | None  # 学級閉鎖 reason, if the class is closed that day
    sealed: bool
    revision: int | None  # current revision when sealed
    sealed_by: str | None  # login of the signer of the current revision
    sealed_at: str | None

    @property
    def is_school_day(self) -> bool:
        return self.kind == "school_day"


@dataclass(frozen=True)
class Row:
    student_id: int
    attendance_no: int
    name: str
    kana: str
    cells: dict[date, Cell]  # school days on which the student is enrolled
    totals: Totals


@dataclass(frozen=True)
class MonthGrid:
    class_id: int
    class_label: str
    year: int
    month: int
    days: list[Day]  # every calendar day of the month
    rows: list[Row]
    history: list[tuple[date, int, int, Change]]  # (day, student id, 出席番号, change), by time
    verified: bool  # every sealed sheet of the month verifies, including its chain link
    problem: str | None  # one line naming the failing sheet when not verified
    totals: Totals = field(default_factory=Totals)  # the class's sum
    symbols: dict[str, str] = field(default_factory=dict)


def month_grid(store: Store, class_id: int, year: int, month: int, *, today: date | None = None) -> MonthGrid:
    """The month's register for a class (calendar year and month). Reading writes nothing but
    one audit entry; totals count school days up to ``today`` (default: the real today)."""
    require_reader(store, class_id, "attendance.read")
    info = classes.get_class(store, class_id)
    start = date(year, month, 1)
    end = date(year, month, pycalendar.monthrange(year, month)[1])
    shown = codes.symbols(store)
    kinds = calendar.calendar_kinds(store, start, end)
    closed = calendar.closures(store, class_id, start, end)
    current = statuses(store, class_id, start, end)

    sheets: dict[date, list[tuple[int, str, str, str, str, dict[int, tuple[str, str]]]]] = {}
    users = {
        int(r["id"]): (str(r["login"]), str(r["display_name"]))
        for r in store.query("SELECT id, login, display_name FROM users")
    }
    entries: dict[int, dict[int, tuple[str, str]]] = {}
    for r in store.conn.execute(
        "SELECT e.sheet_id, e.student_id, e.status, e.note FROM attendance_entries e "
        "JOIN attendance_sheets s ON s.id = e.sheet_id WHERE s.class_id = ? AND s.date BETWEEN ? AND ? "
        "AND EXISTS (SELECT 1 FROM "
        "attendance_sheets x WHERE x.class_id = s.class_id AND x.date = s.date AND x.revision > 0)",
        (class_id, start.isoformat(), end.isoformat()),
    ):
        entries.setdefault(int(r[0]), {})[int(r[1])] = (str(r[2]), str(r[3]))
    for r in store.query(
        "SELECT id, date, revision, signer_id, signed_at, reason FROM attendance_sheets "
        "WHERE class_id = ? AND date BETWEEN ? AND ? ORDER BY date, revision",
        (class_id, start.isoformat(), end.isoformat()),
    ):
        login, name = users.get(int(r["signer_id"]), ("?", "?"))
        sheets.setdefault(date.fromisoformat(r["date"]), []).append(
            (
                int(r["revision"]),
                login,
                name,
                str(r["signed_at"]),
                str(r["reason"] or ""),
                entries.get(int(r["id"]), {}),
            )
        )

    days: list[Day] = []
    for n in range(1, end.day + 1):
        day = date(year, month, n)
        kind, note = kinds.get(day, ("none", ""))
        revs = sheets.get(day)
        last = revs[-1] if revs else None
        days.append(
            Day(
                day,
                kind,
                note,
                closed.get(day),
                last is not None,
                last[0] if last else None,
                last[1] if last else None,
                last[3] if last else None,
            )
        )

    # Corrections: per day, per student, the values each revision replaced.
    history: list[tuple[date, int, int, Change]] = []
    changes: dict[tuple[date, int], list[Change]] = {}
    for day, revs in sheets.items():
        for older, newer in itertools.pairwise(revs):
            for sid, (status, note) in older[5].items():
                if newer[5].get(sid) != (status, note):
                    change = Change(
                        status,
                        shown.get(status, status),
                        note,
                        older[0],
                        newer[0],
                        newer[1],
                        newer[2],
                        newer[3],
                        newer[4],
                    )
                    changes.setdefault((day, sid), []).append(change)

    members = roster_members(store, class_id, start, end)
    people = {
        int(r["id"]): r
        for r in store.query(
            f"SELECT id, family_name, given_name, family_kana, given_kana FROM students WHERE id IN "
            f"({','.join('?' * len(members)) or 'NULL'})",
            [m[0] for m in members],
        )
    }
    limit = min(end, today or date.today())
    rows: list[Row] = []
    numbers: dict[int, int] = {}
    class_totals = Totals()
    seen: set[int] = set()
    for sid, no, _since, _to in members:
        numbers.setdefault(sid, no)
        if sid in seen:
            continue
        seen.add(sid)
        cells: dict[date, Cell] = {}
        totals = Totals()
        for day, by_student in current.items():
            st: DayStatus | None = by_student.get(sid)
            if st is None:
                continue
            cells[day] = Cell(
                st.status,
                shown.get(st.status, st.status),
                st.note,
                st.sealed,
                st.marked,
                tuple(changes.get((day, sid), ())),
            )
            if day <= limit:
                totals.add(st.status, sealed=st.sealed)
        class_totals.merge(totals)
        person = people.get(sid)
        name = f"{person['family_name']} {person['given_name']}" if person else ""
        kana = f"{person['family_kana']} {person['given_kana']}" if person else ""
        rows.append(Row(sid, no, name, kana, cells, totals))
    for (day, sid), items in changes.items():
        history.extend((day, sid, numbers.get(sid, 0), c) for c in items)
    history.sort(key=lambda h: (h[3].corrected_at, h[0], h[2]))

    verification = chain.verify_range(store, class_id, start, end)
    policy.audit_read(
        store, "attendance grid", [r.student_id for r in rows], class_id=class_id, month=f"{year}-{month:02d}"
    )
    return MonthGrid(
        class_id,
        info.label,
        year,
        month,
        days,
        rows,
        history,
        verification.ok,
        None if verification.ok else verification.message,
        class_totals,
        shown,
    )
