"""Set-up problems of the register as actionable errors: each says what is missing and carries
``fix`` (a key of :data:`FIXES`) so that screens can offer to open the place where it is fixed."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from storage.attendance import calendar, records
from storage.errors import InputError

if TYPE_CHECKING:
    from storage.store import Store

#: values of ``StoreError.fix`` raised by the register, for screens to open the right place
FIXES = {
    "calendar": "学校暦(出席簿の暦設定) / the school calendar",
    "homeroom": "学級の担任(名簿の学級編成) / the class's homeroom teacher",
    "class_membership": "学級の在籍(名簿の学級編成) / class membership",
    "attendance_day": "その学級・その日の出席簿 / that class and day in the register",
    "principal": "校長の指定(利用者の管理) / who is the principal",
    "year_reopen": "年度末封印の解除(校長) / reopening the sealed year (principal)",
}


def calendar_missing(year: int) -> InputError:
    return InputError(
        "attendance.calendar_missing",
        f"{year}年度の学校暦が設定されていません。管理者が「出席簿」の暦設定で授業日を登録してください"
        f"(`gakuseki attendance calendar --default-year {year}`)",
        f"The school calendar for school year {year} is not set up; an administrator registers the "
        f"school days in the register's calendar settings (`gakuseki attendance calendar --default-year {year}`)",
        fix="calendar",
    )


def require_calendar(store: Store, year: int) -> None:
    """InputError ``attendance.calendar_missing`` (fix "calendar") when the school year has no school day."""
    start, end = records.year_bounds(year)
    if not calendar.school_days(store, start, end)[:1]:
        raise calendar_missing(year)


def no_homeroom(label: str) -> InputError:
    return InputError(
        "attendance.no_homeroom",
        f"{label} には担任が設定されていません。管理者が「管理」の「担任と校長」で担任を設定してください",
        f"{label} has no homeroom teacher; an administrator sets one on the Admin page "
        "(homeroom teachers and principal)",
        fix="homeroom",
    )


def no_students(label: str, day: date) -> InputError:
    return InputError(
        "attendance.empty_class",
        f"{label} には {day} に在籍する児童生徒がいません。管理者が「名簿」の学級編成で在籍を登録してください",
        f"No students are enrolled in {label} on {day}; an administrator enrols them in the roster's class settings",
        fix="class_membership",
    )
