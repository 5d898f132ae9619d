"""Demo attendance: a school calendar for the year and one month kept and sealed by the
homeroom teachers (each opens the store with their own passphrase, so each signs with
their own key)."""

from __future__ import annotations

import random
from datetime import date, timedelta

from storage import classes
from storage.attendance import calendar, sheets
from storage.clock import school_year_of
from storage.store import Store

_RARE = [
    ("absent_sick", "発熱"),
    ("absent_sick", ""),
    ("absent_accident", "家庭の事情"),
    ("late", ""),
    ("early_leave", "通院"),
    ("mourning", ""),
]


def demo_month(today: date) -> tuple[date, date]:
    """The last full month of the current school year, or this April up to yesterday."""
    first_of_this = today.replace(day=1)
    previous_end = first_of_this - timedelta(days=1)
    year = school_year_of(today)
    if school_year_of(previous_end) == year:
        return previous_end.replace(day=1), previous_end
    return first_of_this, max(first_of_this, today - timedelta(days=1))


def fill(admin: Store, passphrase: str, *, today: date | None = None, seed: int = 20260401) -> int:
    """Calendar, one closure day and a month of sealed sheets; returns the sheets sealed."""
    rng = random.Random(seed)
    today = today or date.today()
    year = school_year_of(today)
    calendar.set_days(admin, calendar.default_school_days(year), "school_day", "標準")
    start, end = demo_month(today)
    days = calendar.school_days(admin, start, end)
    class_list = [c for c in classes.list_classes(admin, year) if c.homeroom_login]
    if days and len(class_list) > 1:
        calendar.set_class_closure(admin, class_list[1].id, days[len(days) // 2], "インフルエンザ")
    sealed = 0
    for info in class_list:
        assert info.homeroom_login is not None
        with Store.open(admin.path, info.homeroom_login, passphrase) as teacher, teacher.transaction():
            for day in days:
                members = sheets.roster(teacher, info.id, day)
                marks = {sid: rng.choice(_RARE) for sid, _no in members if rng.random() < 0.04}
                if marks:
                    sheets.mark_many(teacher, info.id, day, marks)
                sheets.seal(teacher, info.id, day)
                sealed += 1
            if days and members:
                sid = members[0][0]
                sheets.correct(teacher, info.id, days[0], {sid: ("late", "")}, "連絡帳で遅刻と確認")
    return sealed
