"""Time stamps as the store writes them: local time with offset, millisecond precision."""

from __future__ import annotations

from datetime import date, datetime


def now_iso() -> str:
    return datetime.now().astimezone().isoformat(timespec="milliseconds")


def school_year_of(day: date) -> int:
    """The 年度 a day belongs to (April to March)."""
    return day.year if day.month >= 4 else day.year - 1
