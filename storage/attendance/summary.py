"""Totals in the categories of 指導要録「出欠の記録」, per student, month and year.

- 授業日数: school days on which the student was enrolled in the class (up to ``until``).
- 出席停止・忌引等の日数: 出席停止, 忌引, 学級閉鎖 (codes of category EXCUSED).
- 出席しなければならない日数 = 授業日数 − 出席停止・忌引等の日数.
- 欠席日数: 欠席(病気), 欠席(事故) (category ABSENT).
- 出席日数 = 出席しなければならない日数 − 欠席日数 (遅刻・早退・出席扱い count as present;
  遅刻 and 早退 are also counted separately).

A sealed day counts with its current (latest) revision; a day not sealed yet counts with its
unsealed marks and the defaults (出席, or 学級閉鎖 on a class-closure day), and is reported
in ``unsealed_days`` so that screens can warn.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING, Any

from storage import policy
from storage.attendance import calendar, codes
from storage.attendance.sheets import require_reader

if TYPE_CHECKING:
    from storage.store import Store


@dataclass
class Totals:
    lesson_days: int = 0  # 授業日数
    excused_days: int = 0  # 出席停止・忌引等の日数
    absent_days: int = 0  # 欠席日数
    late: int = 0  # 遅刻
    early_leave: int = 0  # 早退
    unsealed_days: int = 0

    @property
    def required_days(self) -> int:  # 出席しなければならない日数
        return self.lesson_days - self.excused_days

    @property
    def present_days(self) -> int:  # 出席日数
        return self.required_days - self.absent_days

    def add(self, status: str, *, sealed: bool) -> None:
        code = codes.get(status)
        self.lesson_days += 1
        if code.category == codes.EXCUSED:
            self.excused_days += 1
        elif code.category == codes.ABSENT:
            self.absent_days += 1
        self.late += int(code.late)
        self.early_leave += int(code.early)
        self.unsealed_days += int(not sealed)

    def merge(self, other: Totals) -> None:
        self.lesson_days += other.lesson_days
        self.excused_days += other.excused_days
        self.absent_days += other.absent_days
        self.late += other.late
        self.early_leave += other.early_leave
        self.unsealed_days += other.unsealed_days

    def to_json(self) -> dict[str, int]:
        return {
            "lesson_days": self.lesson_days,
            "excused_days": self.excused_days,
            "required_days": self.required_days,
            "absent_days": self.absent_days,
            "present_days": self.present_days,
            "late": self.late,
            "early_leave": self.early_leave,
            "unsealed_days": self.unsealed_days,
        }


LABELS_JA = {
    "lesson_days": "授業日数",
    "excused_days": "出席停止・忌引等の日数",
    "required_days": "出席しなければならない日数",
    "absent_days": "欠席日数",
    "present_days": "出席日数",
    "late": "遅刻",
    "early_leave": "早退",
    "unsealed_days": "未押印",
}


@dataclass
class StudentSummary:
    student_id: int
    attendance_no: int
    name: str
    months: dict[int, Totals] = field(default_factory=dict)  # calendar month → totals
    year: Totals = field(default_factory=Totals)

    def to_json(self) -> dict[str, Any]:
        return {
            "student_id": self.student_id,
            "attendance_no": self.attendance_no,
            "name": self.name,
            "year": self.year.to_json(),
            "months": {str(m): t.to_json() for m, t in self.months.items()},
        }


@dataclass(frozen=True)
class DayStatus:
    status: str
    note: str
    sealed: bool
    marked: bool  # False: a default not yet marked by anyone


def memberships(store: Store, class_id: int, start: date, end: date) -> list[tuple[int, int, date, date]]:
    """(student id, 出席番号, from, to) overlapping [start, end], clipped to it."""
    rows = store.query(
        "SELECT student_id, attendance_no, from_date, to_date FROM class_memberships WHERE class_id = ? "
        "AND from_date <= ? AND (to_date IS NULL OR to_date >= ?) ORDER BY attendance_no, student_id",
        (class_id, end.isoformat(), start.isoformat()),
    )
    return [
        (
            int(r["student_id"]),
            int(r["attendance_no"]),
            max(start, date.fromisoformat(r["from_date"])),
            min(end, date.fromisoformat(r["to_date"])) if r["to_date"] else end,
        )
        for r in rows
    ]


def roster_members(store: Store, class_id: int, start: date, end: date) -> list[tuple[int, int, date, date]]:
    """:func:`memberships`, plus the students on the class's sealed sheets in [start, end] that the
    memberships no longer list (their enrollment dates were edited later): a sealed month keeps
    the roster it was sealed with."""
    members = memberships(store, class_id, start, end)
    known = {m[0] for m in members}
    extra: dict[int, int] = {}
    for r in store.conn.execute(
        "SELECT DISTINCT e.student_id, e.attendance_no FROM attendance_entries e JOIN attendance_sheets s "
        "ON s.id = e.sheet_id WHERE s.class_id = ? AND s.date BETWEEN ? AND ? ORDER BY s.date",
        (class_id, start.isoformat(), end.isoformat()),
    ):
        if int(r[0]) not in known:
            extra.setdefault(int(r[0]), int(r[1]))
    members += [(sid, no, start, end) for sid, no in extra.items()]
    return sorted(members, key=lambda m: (m[1], m[0]))


def statuses(store: Store, class_id: int, start: date, end: date) -> dict[date, dict[int, DayStatus]]:
    """Every school day in [start, end] → student → current status (sealed, marked or default)."""
    days = calendar.school_days(store, start, end)
    closed = calendar.closures(store, class_id, start, end)
    sealed: dict[str, dict[int, DayStatus]] = defaultdict(dict)
    for r in store.conn.execute(
        "SELECT s.date, e.student_id, e.status, e.note FROM attendance_sheets s "
        "JOIN attendance_entries e ON e.sheet_id = s.id WHERE s.class_id = ? AND s.date BETWEEN ? AND ? "
        "AND s.revision = (SELECT max(x.revision) FROM attendance_sheets x WHERE x.class_id = s.class_id "
        "AND x.date = s.date)",
        (class_id, start.isoformat(), end.isoformat()),
    ):
        sealed[r[0]][int(r[1])] = DayStatus(str(r[2]), str(r[3]), True, True)
    marks: dict[str, dict[int, DayStatus]] = defaultdict(dict)
    for r in store.conn.execute(
        "SELECT date, student_id, status, note FROM attendance_marks "
        "WHERE class_id = ? AND date BETWEEN ? AND ?",
        (class_id, start.isoformat(), end.isoformat()),
    ):
        marks[r[0]][int(r[1])] = DayStatus(str(r[2]), str(r[3]), False, True)
    members = memberships(store, class_id, start, end)
    out: dict[date, dict[int, DayStatus]] = {}
    for day in days:
        text = day.isoformat()
        if text in sealed:
            out[day] = sealed[text]
            continue
        default = DayStatus(codes.CLOSURE if day in closed else codes.DEFAULT, "", False, False)
        drafts = marks.get(text, {})
        out[day] = {sid: drafts.get(sid, default) for sid, _no, since, to in members if since <= day <= to}
    return out


def year_bounds(year: int) -> tuple[date, date]:
    return date(year, 4, 1), date(year + 1, 3, 31)


def summarise(store: Store, class_id: int, year: int, *, until: date | None = None) -> list[StudentSummary]:
    """Per student of the class in 年度 ``year``: monthly and yearly totals up to ``until``
    (default today). The read of names is audited."""
    require_reader(store, class_id, "attendance.summary")
    start, end = year_bounds(year)
    end = min(end, until or date.today())
    found: dict[int, StudentSummary] = {}
    if end < start:
        return []
    members = roster_members(store, class_id, start, end)
    names = _names(store, [m[0] for m in members])
    for sid, no, _since, _to in members:
        found.setdefault(sid, StudentSummary(sid, no, names.get(sid, "")))
    for day, by_student in statuses(store, class_id, start, end).items():
        for sid, st in by_student.items():
            summary = found.get(sid)
            if summary is None:
                continue
            summary.months.setdefault(day.month, Totals()).add(st.status, sealed=st.sealed)
    for summary in found.values():
        for totals in summary.months.values():
            summary.year.merge(totals)
    policy.audit_read(store, "attendance summary", sorted(found), class_id=class_id, year=year)
    return sorted(found.values(), key=lambda s: (s.attendance_no, s.student_id))


def _names(store: Store, ids: list[int]) -> dict[int, str]:
    if not ids:
        return {}
    marks = ",".join("?" * len(ids))
    rows = store.query(
        f"SELECT id, family_name, given_name FROM students WHERE id IN ({marks})",
        ids,
    )
    return {int(r["id"]): f"{r['family_name']} {r['given_name']}" for r in rows}
