"""School days not sealed yet (未入力・未押印の日), per class: the "missing attendance" view,
and what month close and year seal check. Also the set-up checks that turn a bare refusal into
a message saying what is missing and where it is fixed (``StoreError.fix``)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

from storage import classes
from storage.attendance import calendar, records
from storage.attendance.setup import FIXES, calendar_missing, no_homeroom, no_students, require_calendar
from storage.attendance.summary import memberships
from storage.clock import school_year_of
from storage.errors import InputError, StoreError

if TYPE_CHECKING:
    from storage.store import Store

__all__ = [
    "FIXES",
    "MissingDay",
    "calendar_missing",
    "missing",
    "no_homeroom",
    "no_students",
    "require_calendar",
    "setup_problems",
    "unsealed_days",
]


@dataclass(frozen=True)
class MissingDay:
    """A school day of a class not sealed yet; ``marked`` students already have a mark."""

    class_id: int
    class_label: str
    date: date
    students: int
    marked: int


def setup_problems(store: Store, class_id: int, day: date) -> list[StoreError]:
    """What keeps a class's register from being kept on ``day`` (empty when nothing): the
    calendar, the homeroom teacher, the students. For a banner with a button per ``fix``."""
    info = classes.get_class(store, class_id)
    found: list[StoreError] = []
    try:
        require_calendar(store, school_year_of(day))
    except InputError as exc:
        found.append(exc)
    if info.homeroom_login is None:
        found.append(no_homeroom(info.label))
    if not memberships(store, class_id, day, day):
        found.append(no_students(info.label, day))
    return found


def unsealed_days(store: Store, class_id: int, start: date, end: date) -> list[tuple[date, int, int]]:
    """(day, students enrolled, students marked) for the class's school days in [start, end]
    with students but no sealed sheet."""
    days = calendar.school_days(store, start, end)
    if not days:
        return []
    members = memberships(store, class_id, start, end)
    sealed = {
        str(r[0])
        for r in store.conn.execute(
            "SELECT DISTINCT date FROM attendance_sheets WHERE class_id = ? AND date BETWEEN ? AND ?",
            (class_id, start.isoformat(), end.isoformat()),
        )
    }
    marked: dict[str, int] = {
        str(r[0]): int(r[1])
        for r in store.conn.execute(
            "SELECT date, count(*) FROM attendance_marks WHERE class_id = ? AND date BETWEEN ? AND ? GROUP BY date",
            (class_id, start.isoformat(), end.isoformat()),
        )
    }
    found = []
    for day in days:
        if day.isoformat() in sealed:
            continue
        enrolled = len({sid for sid, _no, since, to in members if since <= day <= to})
        if enrolled:
            found.append((day, enrolled, marked.get(day.isoformat(), 0)))
    return found


def missing(store: Store, date: date | None = None, *, today: date | None = None) -> list[MissingDay]:
    """Classes and school days not sealed yet, by day then class: ``date`` alone, or every school
    day of the current school year up to ``today`` (default: the real today). Administrators
    see every class; teachers the classes they keep. Sealed years have none. Raises the
    actionable ``attendance.calendar_missing`` when the school year has no calendar."""
    from storage.attendance.sheets import can_keep

    until = today or date_today()
    if date is not None:
        year, start, end = school_year_of(date), date, date
    else:
        year = school_year_of(until)
        start, end = records.year_bounds(year)[0], until
    require_calendar(store, year)
    if records.year_sealed(store, year) or end < start:
        return []
    found: list[MissingDay] = []
    for info in classes.list_classes(store, year):
        if not store.user.is_admin and not can_keep(store, info.id):
            continue
        for day, students, marked in unsealed_days(store, info.id, start, end):
            found.append(MissingDay(info.id, info.label, day, students, marked))
    found.sort(key=lambda m: (m.date, m.class_label))
    return found


def date_today() -> date:
    return date.today()
