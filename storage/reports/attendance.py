"""指導要録「出欠の記録」 per student and year, and the monthly class summary, as CSV.

Both are built from the register (sealed days with their latest revision; days not yet sealed
count with their marks and are reported as 未押印 in 備考). Symbols are those in force (the
installed board template's, else the built-in ones), so the month summary looks like the
school's paper register.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import date

from storage import classes
from storage.attendance import codes, grid
from storage.attendance.summary import Totals, memberships, statuses, year_bounds
from storage.errors import InputError, NotFoundError
from storage.reports import Payload, new_export_id
from storage.reports.csvfile import school_encoding, write_csv
from storage.store import Store

RECORD_HEADER = (
    "年度",
    "学年",
    "組",
    "出席番号",
    "学籍番号",
    "氏名",
    "授業日数",
    "出席停止・忌引等の日数",
    "出席しなければならない日数",
    "欠席日数",
    "出席日数",
    "備考",
)
TOTAL_LABELS = (
    "授業日数",
    "出席停止・忌引等の日数",
    "出席しなければならない日数",
    "欠席日数",
    "出席日数",
    "遅刻",
    "早退",
)
SCHOOL_MONTHS = (4, 5, 6, 7, 8, 9, 10, 11, 12, 1, 2, 3)


@dataclass
class DayMark:
    date: date
    status: str
    symbol: str
    note: str
    sealed: bool


@dataclass
class StudentYear:
    """One student's attendance over a 年度 (all classes of that year)."""

    student_id: int
    name: str = ""
    kana: str = ""
    student_number: str = ""
    grade: int = 0
    class_name: str = ""
    class_label: str = ""
    attendance_no: int = 0
    since: str = ""
    months: dict[int, Totals] = field(default_factory=dict)
    year: Totals = field(default_factory=Totals)
    by_code: Counter[str] = field(default_factory=Counter)
    marks: list[DayMark] = field(default_factory=list)  # days not simply 出席

    def remarks(self) -> str:
        """備考: 出席停止・忌引等 by kind, 遅刻・早退, and a warning for unsealed days."""
        parts = [
            f"{c.label}{self.by_code[c.code]}日"
            for c in codes.CODES
            if c.category == codes.EXCUSED and self.by_code[c.code]
        ]
        if self.year.late:
            parts.append(f"遅刻{self.year.late}回")
        if self.year.early_leave:
            parts.append(f"早退{self.year.early_leave}回")
        if self.year.unsealed_days:
            parts.append(f"未押印{self.year.unsealed_days}日を含む")
        return "、".join(parts)

    def totals_row(self, totals: Totals | None = None) -> list[int]:
        t = totals or self.year
        return [t.lesson_days, t.excused_days, t.required_days, t.absent_days, t.present_days, t.late, t.early_leave]


def _require_export_reader(store: Store, operation: str) -> None:
    store.require_admin(operation)


def student_years(
    store: Store,
    year: int,
    *,
    class_id: int | None = None,
    student_id: int | None = None,
    until: date | None = None,
) -> list[StudentYear]:
    """Every student of 年度 ``year`` (or one class or one student), counted up to ``until``
    (default today). Administrators; the read is audited."""
    _require_export_reader(store, "report.attendance")
    start, end = year_bounds(year)
    last = min(end, until or date.today())
    shown = codes.symbols(store)
    infos = [c for c in classes.list_classes(store, year) if class_id is None or c.id == class_id]
    if class_id is not None and not infos:
        raise NotFoundError("class.missing", f"{year}年度にその学級はありません", f"No such class in {year}")
    found: dict[int, StudentYear] = {}
    for info in infos:
        for sid, no, since, _to in memberships(store, info.id, start, end):
            if student_id is not None and sid != student_id:
                continue
            rec = found.setdefault(sid, StudentYear(sid))
            if since.isoformat() >= rec.since:  # the latest class of the year names the student
                rec.since = since.isoformat()
                rec.grade, rec.class_name, rec.class_label, rec.attendance_no = info.grade, info.name, info.label, no
        if last < start:
            continue
        for day, by_student in statuses(store, info.id, start, last).items():
            for sid, st in by_student.items():
                current = found.get(sid)
                if current is None:
                    continue
                rec = current
                rec.months.setdefault(day.month, Totals()).add(st.status, sealed=st.sealed)
                rec.by_code[st.status] += 1
                if st.status != codes.DEFAULT or st.note:
                    rec.marks.append(DayMark(day, st.status, shown.get(st.status, ""), st.note, st.sealed))
    if student_id is not None and not found:
        raise NotFoundError(
            "student.not_in_year",
            f"その児童生徒は{year}年度の学級にいません",
            f"That student is in no class of school year {year}",
        )
    if found:
        marks = ",".join("?" * len(found))
        for r in store.query(
            "SELECT id, family_name, given_name, family_kana, given_kana, student_number FROM students "
            f"WHERE id IN ({marks})",
            list(found),
        ):
            rec = found[int(r["id"])]
            rec.name = f"{r['family_name']} {r['given_name']}"
            rec.kana = f"{r['family_kana']} {r['given_kana']}"
            rec.student_number = str(r["student_number"] or "")
    for rec in found.values():
        for totals in rec.months.values():
            rec.year.merge(totals)
        rec.marks.sort(key=lambda m: m.date)
    store.audit("students.read", view="attendance record", count=len(found), year=year, class_id=class_id)
    return sorted(found.values(), key=lambda r: (r.grade, r.class_name, r.attendance_no, r.student_id))


def attendance_record_csv(
    store: Store,
    year: int,
    *,
    class_id: int | None = None,
    until: date | None = None,
    encoding: str | None = None,
) -> Payload:
    """指導要録「出欠の記録」: one row per student of the year (or of one class)."""
    found = student_years(store, year, class_id=class_id, until=until)
    rows = [
        [year, r.grade, r.class_name, r.attendance_no, r.student_number, r.name, *r.totals_row()[:5], r.remarks()]
        for r in found
    ]
    data = write_csv(RECORD_HEADER, rows, encoding=school_encoding(store, encoding))
    scope = f"_class{class_id}" if class_id is not None else ""
    export_id = new_export_id()
    return Payload(
        data,
        f"shidou_youroku_shukketsu_{year}{scope}_{export_id}.csv",
        "attendance_record",
        len(rows),
        tuple(r.student_id for r in found),
        export_id,
    )


def calendar_year(school_year: int, month: int) -> int:
    if not 1 <= month <= 12:
        raise InputError("date.month_invalid", "月は1〜12で指定してください", "The month must be 1 to 12")
    return school_year if month >= 4 else school_year + 1


def month_grid(
    store: Store, class_id: int, school_year: int, month: int, *, today: date | None = None
) -> grid.MonthGrid:
    """The register's month for 年度 ``school_year`` (administrators, for reports)."""
    _require_export_reader(store, "report.attendance_month")
    return grid.month_grid(store, class_id, calendar_year(school_year, month), month, today=today)


def legend(symbols: dict[str, str]) -> str:
    return "、".join(f"{symbols[c.code]}={c.label}" for c in codes.CODES if symbols.get(c.code))


def monthly_summary_csv(
    store: Store,
    class_id: int,
    school_year: int,
    month: int,
    *,
    today: date | None = None,
    encoding: str | None = None,
) -> Payload:
    """The class's month: one row per student with each day's symbol and the month's totals,
    then the class total and the legend of symbols."""
    g = month_grid(store, class_id, school_year, month, today=today)
    days = list(g.days)
    header = ["出席番号", "氏名", *[f"{d.date.day}日" for d in days], *TOTAL_LABELS]
    rows: list[list[object]] = []
    for r in g.rows:
        cells = [r.cells[d.date].symbol if d.date in r.cells else "" for d in days]
        t = r.totals
        rows.append(
            [r.attendance_no, r.name, *cells, t.lesson_days, t.excused_days, t.required_days, t.absent_days,
             t.present_days, t.late, t.early_leave]
        )
    t = g.totals
    rows.append(
        ["", "学級計", *["" for _ in days], t.lesson_days, t.excused_days, t.required_days, t.absent_days,
         t.present_days, t.late, t.early_leave]
    )
    rows.append(["", f"凡例: {legend(g.symbols)}"])
    if not g.verified:
        rows.append(["", f"注意: 署名の検証に失敗しました ({g.problem})"])
    data = write_csv(header, rows, encoding=school_encoding(store, encoding))
    export_id = new_export_id()
    return Payload(
        data,
        f"attendance_{g.class_label}_{g.year}-{g.month:02d}_{export_id}.csv",
        "attendance_month",
        len(g.rows),
        tuple(r.student_id for r in g.rows),
        export_id,
    )
