"""School years (年度), classes, teacher assignments and dated class memberships."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import date, timedelta

from storage.clock import school_year_of
from storage.errors import InputError, NotFoundError, PolicyError
from storage.store import Store


@dataclass(frozen=True)
class ClassInfo:
    id: int
    year: int
    grade: int
    name: str
    homeroom_login: str | None

    @property
    def label(self) -> str:
        """How a teacher writes it: 1年2組, or 1年さくら for a named class."""
        return f"{self.grade}年{self.name}組" if self.name.isdigit() else f"{self.grade}年{self.name}"


_SPEC = re.compile(r"(\d)\s*(?:年|-|/)\s*(.+?)\s*組?")


def parse_class_spec(text: str) -> tuple[int, str]:
    """'1-2', '1年2組', '１年２組' → (1, '2')."""
    match = _SPEC.fullmatch(unicodedata.normalize("NFKC", text).strip())
    if match is None:
        raise InputError(
            "class.spec_invalid",
            f"学級「{text}」の書き方が分かりません(例: 1-2 または 1年2組)",
            f"Cannot read class '{text}' (e.g. 1-2 or 1年2組)",
        )
    return int(match.group(1)), match.group(2)


def current_year() -> int:
    return school_year_of(date.today())


def ensure_year(store: Store, year: int) -> int:
    row = store.query_one("SELECT id FROM academic_years WHERE year = ?", (year,))
    if row is not None:
        return int(row["id"])
    store.require_admin("year.add")
    with store.transaction():
        cur = store.execute(
            "INSERT INTO academic_years (year, start_date, end_date) VALUES (?, ?, ?)",
            (year, f"{year}-04-01", f"{year + 1}-03-31"),
        )
        store.audit("year.add", year=year)
    return int(cur.lastrowid)


def add_class(store: Store, year: int, grade: int, name: str, homeroom_login: str | None = None) -> ClassInfo:
    store.require_admin("class.add")
    year_id = ensure_year(store, year)
    teacher_id = None
    if homeroom_login:
        row = store.query_one("SELECT id FROM users WHERE login = ? AND active = 1", (homeroom_login,))
        if row is None:
            raise NotFoundError(
                "user.missing", f"ユーザー「{homeroom_login}」はいません", f"No user '{homeroom_login}'"
            )
        teacher_id = int(row["id"])
    if store.query_one(
        "SELECT 1 FROM classes WHERE year_id = ? AND grade = ? AND name = ?", (year_id, grade, name)
    ):
        raise InputError("class.exists", "その学級は既にあります", "That class already exists")
    with store.transaction():
        cur = store.execute(
            "INSERT INTO classes (year_id, grade, name, homeroom_user_id) VALUES (?, ?, ?, ?)",
            (year_id, grade, name, teacher_id),
        )
        class_id = int(cur.lastrowid)
        if teacher_id is not None:
            store.execute("INSERT INTO class_teachers (class_id, user_id) VALUES (?, ?)", (class_id, teacher_id))
        store.audit("class.add", year=year, grade=grade, name=name, homeroom=homeroom_login)
    return get_class(store, class_id)


_CLASS_SQL = """
SELECT c.id, y.year, c.grade, c.name, u.login AS homeroom
FROM classes c JOIN academic_years y ON y.id = c.year_id LEFT JOIN users u ON u.id = c.homeroom_user_id
"""


def _info(row: object) -> ClassInfo:
    r = row  # sqlcipher3.Row
    return ClassInfo(int(r["id"]), int(r["year"]), int(r["grade"]), str(r["name"]), r["homeroom"])  # type: ignore[index]


def get_class(store: Store, class_id: int) -> ClassInfo:
    row = store.query_one(_CLASS_SQL + " WHERE c.id = ?", (class_id,))
    if row is None:
        raise NotFoundError("class.missing", "その学級はありません", "No such class")
    return _info(row)


def find_class(store: Store, spec: str, year: int | None = None) -> ClassInfo:
    grade, name = parse_class_spec(spec)
    year = year if year is not None else current_year()
    row = store.query_one(_CLASS_SQL + " WHERE y.year = ? AND c.grade = ? AND c.name = ?", (year, grade, name))
    if row is None:
        raise NotFoundError(
            "class.missing",
            f"{year}年度に学級「{spec}」はありません",
            f"There is no class '{spec}' in school year {year}",
        )
    return _info(row)


def list_classes(store: Store, year: int | None = None) -> list[ClassInfo]:
    if year is None:
        rows = store.query(_CLASS_SQL + " ORDER BY y.year, c.grade, c.name")
    else:
        rows = store.query(_CLASS_SQL + " WHERE y.year = ? ORDER BY c.grade, c.name", (year,))
    return [_info(r) for r in rows]


def visible_class_ids(store: Store) -> set[int] | None:
    """Classes whose students the current user may read; None means all (administrator)."""
    if store.user.is_admin:
        return None
    rows = store.query("SELECT class_id FROM class_teachers WHERE user_id = ?", (store.user.id,))
    return {int(r["class_id"]) for r in rows}


def assign_teacher(store: Store, class_id: int, login: str) -> None:
    store.require_admin("class.assign_teacher")
    row = store.query_one("SELECT id FROM users WHERE login = ? AND active = 1", (login,))
    if row is None:
        raise NotFoundError("user.missing", f"ユーザー「{login}」はいません", f"No user '{login}'")
    with store.transaction():
        store.execute(
            "INSERT OR IGNORE INTO class_teachers (class_id, user_id) VALUES (?, ?)", (class_id, int(row["id"]))
        )
        store.audit("class.assign_teacher", class_id=class_id, login=login)


def set_homeroom(store: Store, class_id: int, login: str) -> None:
    """Make ``login`` the class's homeroom teacher (who seals its register)."""
    store.require_admin("class.set_homeroom")
    row = store.query_one("SELECT id FROM users WHERE login = ? AND active = 1", (login,))
    if row is None:
        raise NotFoundError("user.missing", f"ユーザー「{login}」はいません", f"No user '{login}'")
    with store.transaction():
        store.execute("UPDATE classes SET homeroom_user_id = ? WHERE id = ?", (int(row["id"]), class_id))
        store.execute(
            "INSERT OR IGNORE INTO class_teachers (class_id, user_id) VALUES (?, ?)", (class_id, int(row["id"]))
        )
        store.audit("class.set_homeroom", class_id=class_id, login=login)


def enrol(store: Store, class_id: int, student_ids: list[int], from_date: str, *, kana_order: bool = True) -> None:
    """Put students into a class from ``from_date``; 出席番号 continue the class's numbering,
    in kana order of the newcomers by default."""
    store.require_admin("class.enrol")
    ids = list(dict.fromkeys(student_ids))
    if kana_order and ids:
        marks = ",".join("?" * len(ids))
        rows = store.query(
            f"SELECT id FROM students WHERE id IN ({marks}) ORDER BY family_kana, given_kana, id",
            ids,
        )
        ids = [int(r["id"]) for r in rows]
    try:
        start = date.fromisoformat(from_date)
    except ValueError as exc:
        raise InputError(
            "date.invalid", f"日付「{from_date}」が正しくありません", f"Invalid date '{from_date}'"
        ) from exc
    day_before = (start - timedelta(days=1)).isoformat()
    _require_year_open(store, start, "class.enrol")
    for student_id in ids:  # a move must not change who is on a sealed day's sheet
        before = _intervals(store, student_id)
        after = [
            (c, f, day_before if t is None and f <= day_before and _same_year(store, c, class_id) else t)
            for c, f, t in before
            if not (t is None and f > day_before and _same_year(store, c, class_id))
        ]
        _guard_sealed(store, student_id, before, [*after, (class_id, from_date, None)])
    with store.transaction():
        top = store.query_one(
            "SELECT coalesce(max(attendance_no), 0) AS n FROM class_memberships WHERE class_id = ? AND to_date IS NULL",
            (class_id,),
        )
        number = int(top["n"])
        for student_id in ids:
            store.execute(
                "UPDATE class_memberships SET to_date = ? WHERE student_id = ? AND to_date IS NULL AND class_id IN "
                "(SELECT id FROM classes WHERE year_id = (SELECT year_id FROM classes WHERE id = ?))",
                (day_before, student_id, class_id),
            )
            number += 1
            store.execute(
                "INSERT INTO class_memberships (class_id, student_id, attendance_no, from_date) VALUES (?, ?, ?, ?)",
                (class_id, student_id, number, from_date),
            )
        store.audit("class.enrol", class_id=class_id, students=len(ids), from_date=from_date)


# --- dated membership changes and sealed days ------------------------------------------------
#
# A sealed sheet lists the students enrolled that day; it is the record of that day. Editing
# enrollment dates or moving a student must not change who would be on any sealed day of any
# class (the grid and summaries show sealed days from their sheets anyway), so such a change is
# refused naming the day; in a sealed school year nothing changes.

Interval = tuple[int, str, str | None]  # (class id, from, to or None)


def _intervals(store: Store, student_id: int) -> list[Interval]:
    rows = store.query(
        "SELECT class_id, from_date, to_date FROM class_memberships WHERE student_id = ? ORDER BY from_date, id",
        (student_id,),
    )
    return [(int(r["class_id"]), str(r["from_date"]), r["to_date"]) for r in rows]


def _same_year(store: Store, one: int, other: int) -> bool:
    row = store.query_one(
        "SELECT (SELECT year_id FROM classes WHERE id = ?) = (SELECT year_id FROM classes WHERE id = ?)",
        (one, other),
    )
    return bool(row[0])


def _require_year_open(store: Store, day: date, operation: str) -> None:
    from storage.attendance import records

    records.require_year_open(store, day, operation)


def _covers(intervals: list[Interval], class_id: int, day: str) -> bool:
    return any(c == class_id and f <= day and (t is None or day <= t) for c, f, t in intervals)


def _guard_sealed(store: Store, student_id: int, before: list[Interval], after: list[Interval]) -> None:
    affected = sorted({c for c, _f, _t in before + after})
    if not affected:
        return
    marks = ",".join("?" * len(affected))
    for r in store.query(
        f"SELECT DISTINCT class_id, date FROM attendance_sheets WHERE class_id IN ({marks}) ORDER BY date",
        affected,
    ):
        class_id, day = int(r["class_id"]), str(r["date"])
        if _covers(before, class_id, day) != _covers(after, class_id, day):
            label = get_class(store, class_id).label
            store.audit_refusal(operation="class.membership", student_id=student_id, sealed=f"{label} {day}")
            raise PolicyError(
                "class.membership_sealed",
                f"この変更は押印済みの {label} {day} の在籍を変えるため行えません。"
                "押印済みの日より後の日付で異動・在籍期間を設定してください",
                f"This change would alter who was enrolled in {label} on the sealed day {day}; "
                "date the move or enrollment change after the sealed days",
                fix="class_membership",
            )


def memberships_of(store: Store, student_id: int) -> list[tuple[int, int, str, str | None, int]]:
    """(membership id, class id, from, to or None, 出席番号) of a student, oldest first."""
    rows = store.query(
        "SELECT id, class_id, from_date, to_date, attendance_no FROM class_memberships WHERE student_id = ? "
        "ORDER BY from_date, id",
        (student_id,),
    )
    return [
        (int(r["id"]), int(r["class_id"]), str(r["from_date"]), r["to_date"], int(r["attendance_no"])) for r in rows
    ]


def set_membership_dates(store: Store, membership_id: int, from_date: str, to_date: str | None) -> None:
    """Change when a student's membership of a class starts and ends (administrators). Refused
    when it would change the roster of a sealed day, or touches a sealed school year."""
    store.require_admin("class.membership_dates")
    row = store.query_one(
        "SELECT student_id, class_id, from_date, to_date FROM class_memberships WHERE id = ?", (membership_id,)
    )
    if row is None:
        raise NotFoundError("class.membership_missing", "その在籍記録はありません", "No such class membership")
    try:
        start = date.fromisoformat(from_date)
        end = date.fromisoformat(to_date) if to_date else None
    except ValueError as exc:
        raise InputError(
            "date.invalid", f"日付「{from_date}〜{to_date}」が正しくありません", f"Invalid dates {from_date}–{to_date}"
        ) from exc
    if end is not None and end < start:
        raise InputError(
            "class.membership_dates", "在籍の終了日が開始日より前です", "The membership ends before it starts"
        )
    for day in {start, date.fromisoformat(str(row["from_date"]))}:
        _require_year_open(store, day, "class.membership_dates")
    student_id = int(row["student_id"])
    before = _intervals(store, student_id)
    old = (int(row["class_id"]), str(row["from_date"]), row["to_date"])
    after = [i for i in before if i != old] + [(old[0], start.isoformat(), end.isoformat() if end else None)]
    _guard_sealed(store, student_id, before, after)
    with store.transaction():
        store.execute(
            "UPDATE class_memberships SET from_date = ?, to_date = ? WHERE id = ?",
            (start.isoformat(), end.isoformat() if end else None, membership_id),
        )
        store.audit(
            "class.membership_dates",
            membership_id=membership_id,
            student_id=student_id,
            from_date=start.isoformat(),
            to_date=end.isoformat() if end else None,
        )


def move_student(store: Store, student_id: int, to_class_id: int, from_date: str) -> None:
    """Move a student to another class of the same year from ``from_date`` (the old membership
    ends the day before; past months keep the old class). Same rules as :func:`enrol`."""
    enrol(store, to_class_id, [student_id], from_date, kana_order=False)


def student_class(store: Store, student_id: int, day: date) -> ClassInfo:
    """The class a student belongs to on ``day``; an actionable error when none."""
    text = day.isoformat()
    row = store.query_one(
        "SELECT class_id FROM class_memberships WHERE student_id = ? AND from_date <= ? "
        "AND (to_date IS NULL OR to_date >= ?) ORDER BY from_date DESC LIMIT 1",
        (student_id, text, text),
    )
    if row is None:
        raise InputError(
            "student.no_class",
            f"この児童生徒は {day} にどの学級にも在籍していません。管理者が「名簿」の学級編成で学級に入れてください",
            f"This student is in no class on {day}; "
            "an administrator puts them in a class in the roster's class settings",
            fix="class_membership",
        )
    return get_class(store, int(row["class_id"]))
