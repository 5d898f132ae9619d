"""The school calendar, kept by administrators: school days, holidays, school closures
(臨時休業: not a school day) and 学級閉鎖 (a school day on which one class is closed)."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, timedelta
from typing import TYPE_CHECKING

from storage.attendance import records
from storage.clock import school_year_of
from storage.errors import InputError, PolicyError

if TYPE_CHECKING:
    from storage.store import Store

KINDS = ("school_day", "holiday", "school_closure")


def parse_date(text: str | date) -> date:
    if isinstance(text, date):
        return text
    try:
        return date.fromisoformat(text.strip())
    except ValueError as exc:
        raise InputError(
            "date.invalid",
            f"日付「{text}」が正しくありません(YYYY-MM-DD)",
            f"Invalid date '{text}' (YYYY-MM-DD)",
        ) from exc


def set_days(store: Store, days: Iterable[date | str], kind: str, note: str = "") -> int:
    """Mark days as school days, holidays or school closures (administrators)."""
    store.require_admin("calendar.set")
    if kind not in KINDS:
        raise InputError(
            "calendar.kind_invalid",
            f"暦の区分「{kind}」はありません({'/'.join(KINDS)})",
            f"Unknown calendar kind '{kind}' ({'/'.join(KINDS)})",
        )
    dates = sorted({parse_date(d).isoformat() for d in days})
    for year in sorted({school_year_of(date.fromisoformat(d)) for d in dates}):
        records.require_year_open(store, records.year_bounds(year)[0], "calendar.set")
    if kind != "school_day":
        _refuse_sealed(store, dates, "SELECT date FROM attendance_sheets WHERE date = ?")
    with store.transaction():
        for day in dates:
            store.execute(
                "INSERT INTO school_calendar (date, kind, note) VALUES (?, ?, ?) "
                "ON CONFLICT (date) DO UPDATE SET kind = excluded.kind, note = excluded.note",
                (day, kind, note),
            )
        if dates:
            store.audit("calendar.set", kind=kind, days=len(dates), first=dates[0], last=dates[-1])
    return len(dates)


def set_class_closure(
    store: Store, class_id: int, day: date | str, reason: str = "", *, closed: bool = True
) -> None:
    """Declare (or lift) 学級閉鎖 for a class on a school day (administrators)."""
    store.require_admin("calendar.class_closure")
    when = parse_date(day)
    records.require_year_open(store, when, "calendar.class_closure")
    if closed and not is_school_day(store, when):
        raise InputError(
            "calendar.not_school_day",
            f"{when} は授業日ではありません",
            f"{when} is not a school day",
        )
    _refuse_sealed(
        store,
        [when.isoformat()],
        f"SELECT date FROM attendance_sheets WHERE class_id = {int(class_id)} AND date = ?",
    )
    with store.transaction():
        if closed:
            store.execute(
                "INSERT INTO class_closures (class_id, date, reason) VALUES (?, ?, ?) "
                "ON CONFLICT (class_id, date) DO UPDATE SET reason = excluded.reason",
                (class_id, when.isoformat(), reason),
            )
        else:
            store.execute(
                "DELETE FROM class_closures WHERE class_id = ? AND date = ?", (class_id, when.isoformat())
            )
        store.audit("calendar.class_closure", class_id=class_id, date=when.isoformat(), closed=closed)


def _refuse_sealed(store: Store, dates: list[str], sql: str) -> None:
    """Sealed days keep their meaning: the calendar cannot be changed under them."""
    for day in dates:
        if store.query_one(sql + " LIMIT 1", (day,)) is not None:
            raise PolicyError(
                "calendar.day_sealed",
                f"{day} は押印済みの出席簿があるため、学校暦を変更できません",
                f"{day} has sealed attendance sheets; its calendar entry cannot change",
            )


def is_school_day(store: Store, day: date) -> bool:
    row = store.query_one("SELECT kind FROM school_calendar WHERE date = ?", (day.isoformat(),))
    return row is not None and row["kind"] == "school_day"


def school_days(store: Store, start: date, end: date) -> list[date]:
    rows = store.query(
        "SELECT date FROM school_calendar WHERE kind = 'school_day' AND date BETWEEN ? AND ? ORDER BY date",
        (start.isoformat(), end.isoformat()),
    )
    return [date.fromisoformat(r["date"]) for r in rows]


def calendar_kinds(store: Store, start: date, end: date) -> dict[date, tuple[str, str]]:
    rows = store.query(
        "SELECT date, kind, note FROM school_calendar WHERE date BETWEEN ? AND ?",
        (start.isoformat(), end.isoformat()),
    )
    return {date.fromisoformat(r["date"]): (str(r["kind"]), str(r["note"])) for r in rows}


def closures(store: Store, class_id: int, start: date, end: date) -> dict[date, str]:
    rows = store.query(
        "SELECT date, reason FROM class_closures WHERE class_id = ? AND date BETWEEN ? AND ?",
        (class_id, start.isoformat(), end.isoformat()),
    )
    return {date.fromisoformat(r["date"]): str(r["reason"]) for r in rows}


# --- a default calendar ---------------------------------------------------------------------

_TERMS = ((4, 7, 7, 19), (9, 1, 12, 24), (1, 8, 3, 24))  # (from month, day, to month, day)


def _nth_monday(year: int, month: int, n: int) -> date:
    first = date(year, month, 1)
    return first + timedelta(days=(7 - first.weekday()) % 7 + 7 * (n - 1))


def national_holidays(year: int) -> set[date]:
    """Japanese national holidays of a calendar year (祝日法; substitute days included)."""
    days = {
        date(year, 1, 1),
        date(year, 2, 11),
        date(year, 2, 23),
        date(year, 4, 29),
        date(year, 5, 3),
        date(year, 5, 4),
        date(year, 5, 5),
        date(year, 8, 11),
        date(year, 11, 3),
        date(year, 11, 23),
        _nth_monday(year, 1, 2),
        _nth_monday(year, 7, 3),
        _nth_monday(year, 9, 3),
        _nth_monday(year, 10, 2),
    }
    # Equinoxes (valid 1980–2099).
    spring = int(20.8431 + 0.242194 * (year - 1980) - (year - 1980) // 4)
    autumn = int(23.2488 + 0.242194 * (year - 1980) - (year - 1980) // 4)
    days |= {date(year, 3, spring), date(year, 9, autumn)}
    # A weekday squeezed between two holidays is a holiday (国民の休日).
    for day in list(days):
        gap = day + timedelta(days=2)
        if gap in days and (day + timedelta(days=1)).weekday() != 6:
            days.add(day + timedelta(days=1))
    # Substitute holiday: the next non-holiday after a Sunday holiday.
    for day in sorted(days):
        if day.weekday() == 6:
            sub = day + timedelta(days=1)
            while sub in days:
                sub += timedelta(days=1)
            days.add(sub)
    return days


def default_school_days(year: int) -> list[date]:
    """Weekdays of the three terms of 年度 ``year`` minus national holidays (a starting point
    an administrator then adjusts)."""
    holidays = national_holidays(year) | national_holidays(year + 1)
    found: list[date] = []
    for start_month, start_day, end_month, end_day in _TERMS:
        cal_year = year if start_month >= 4 else year + 1
        day = date(cal_year, start_month, start_day)
        end = date(cal_year, end_month, end_day)
        while day <= end:
            if day.weekday() < 5 and day not in holidays:
                found.append(day)
            day += timedelta(days=1)
    return found
