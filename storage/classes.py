"""School years (年度), classes, teacher assignments and dated class memberships."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import date, timedelta

from storage.clock import school_year_of
from storage.errors import InputError, NotFoundError
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
