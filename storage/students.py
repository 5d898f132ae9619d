"""Students: validated with the same field parsers as the OCR pipeline, every read audited."""

from __future__ import annotations

import unicodedata
from dataclasses import asdict, dataclass, fields
from typing import Any

from ocr import fields as parse
from ocr.errors import FieldError
from storage import classes, policy
from storage.clock import now_iso
from storage.errors import InputError, NotFoundError, PolicyError
from storage.store import Store

STATUSES = ("planned", "enrolled", "left", "graduated")


@dataclass(frozen=True)
class StudentData:
    """What a person types or the OCR produced, before validation (all text)."""

    family_name: str
    given_name: str
    family_kana: str
    given_kana: str
    sex: str
    birth_date: str
    guardian_name: str = ""
    address: str = ""
    phone: str = ""
    previous_school: str = ""
    student_number: str = ""
    status: str = "enrolled"


@dataclass(frozen=True)
class Student:
    id: int
    family_name: str
    given_name: str
    family_kana: str
    given_kana: str
    sex: str
    birth_date: str
    guardian_name: str | None
    address: str | None
    phone: str | None
    previous_school: str | None
    student_number: str | None
    status: str
    class_label: str | None = None
    attendance_no: int | None = None

    @property
    def full_name(self) -> str:
        return f"{self.family_name} {self.given_name}"

    @property
    def full_kana(self) -> str:
        return f"{self.family_kana} {self.given_kana}"

    def to_json(self) -> dict[str, Any]:
        return asdict(self)


_LABELS = {
    "family_name": ("姓", "family name"),
    "given_name": ("名", "given name"),
    "family_kana": ("せい(ふりがな)", "family name kana"),
    "given_kana": ("めい(ふりがな)", "given name kana"),
    "sex": ("性別", "sex"),
    "birth_date": ("生年月日", "birth date"),
    "phone": ("電話番号", "phone"),
    "status": ("在籍状況", "status"),
}


def _field_error(name: str, value: str, exc: Exception) -> InputError:
    ja, en = _LABELS.get(name, (name, name))
    return InputError(
        f"student.{name}_invalid",
        f"{ja}「{value}」が正しくありません: {exc}",
        f"Invalid {en} '{value}': {exc}",
    )


def _clean_name(value: str) -> str:
    return "".join(unicodedata.normalize("NFKC", value).split())


def validate(data: StudentData) -> dict[str, Any]:
    """Column values ready to store, or InputError naming the first bad field."""
    out: dict[str, Any] = {}
    for name in ("family_name", "given_name"):
        value = _clean_name(getattr(data, name))
        if not value:
            raise _field_error(name, value, ValueError("empty"))
        out[name] = value
    try:
        current = "family_kana"
        out["family_kana"] = parse.parse_kana(data.family_kana)
        current = "given_kana"
        out["given_kana"] = parse.parse_kana(data.given_kana)
        current = "sex"
        out["sex"] = parse.parse_sex(data.sex)
        current = "birth_date"
        out["birth_date"] = parse.parse_date(data.birth_date).isoformat()
        current = "phone"
        out["phone"] = parse.parse_phone(data.phone) if data.phone.strip() else None
    except (FieldError, ValueError) as exc:
        raise _field_error(current, getattr(data, current), exc) from exc
    if data.status not in STATUSES:
        raise _field_error("status", data.status, ValueError("/".join(STATUSES)))
    out["status"] = data.status
    for name in ("guardian_name", "address", "previous_school", "student_number"):
        value = unicodedata.normalize("NFKC", getattr(data, name)).strip()
        out[name] = value or None
    return out


def validate_birth_date(text: str) -> str:
    try:
        return parse.parse_date(text).isoformat()
    except (FieldError, ValueError) as exc:
        raise _field_error("birth_date", text, exc) from exc


def add_student(store: Store, data: StudentData, *, source: str = "manual") -> int:
    store.require_admin("student.add")
    values = validate(data)
    now = now_iso()
    values.update(created_at=now, updated_at=now)
    columns = ", ".join(values)
    marks = ", ".join("?" * len(values))
    with store.transaction():
        cur = store.execute(f"INSERT INTO students ({columns}) VALUES ({marks})", list(values.values()))
        student_id = int(cur.lastrowid)
        store.audit("student.add", student_id=student_id, source=source)
    return student_id


def update_student(store: Store, student_id: int, data: StudentData) -> None:
    """Replace a student's fields (validated); the audit entry names the changed fields."""
    before = get_student(store, student_id, view="edit")
    values = validate(data)
    changed = [k for k, v in values.items() if getattr(before, k) != v]
    if not changed:
        return
    values["updated_at"] = now_iso()
    assignments = ", ".join(f"{k} = ?" for k in values)
    with store.transaction():
        store.execute(f"UPDATE students SET {assignments} WHERE id = ?", [*values.values(), student_id])
        store.audit("student.edit", student_id=student_id, fields=changed)


def matches(student: Student, query: str) -> bool:
    """Search as a teacher types: kanji or kana (hiragana and katakana alike), no spaces."""
    text = _clean_name(query)
    if not text:
        return True
    kana = parse.to_katakana(text)
    return (
        text in student.family_name + student.given_name
        or kana in student.family_kana + student.given_kana
        or text == (student.student_number or "")
    )


_SELECT = """
SELECT s.*, m.attendance_no, c.grade, c.name AS class_name, m.class_id
FROM students s
LEFT JOIN class_memberships m ON m.student_id = s.id AND m.to_date IS NULL
LEFT JOIN classes c ON c.id = m.class_id
"""


def _student(row: Any) -> Student:
    label = None
    if row["grade"] is not None:
        label = classes.ClassInfo(0, 0, int(row["grade"]), str(row["class_name"]), None).label
    names = {f.name for f in fields(Student)} - {"class_label", "attendance_no"}
    return Student(**{n: row[n] for n in names}, class_label=label, attendance_no=row["attendance_no"])


def list_students(
    store: Store,
    *,
    class_id: int | None = None,
    status: str | None = None,
    search: str | None = None,
    view: str,
) -> list[Student]:
    """Students the current user may read, filtered; the read is audited with ``view`` and count."""
    where: list[str] = []
    params: list[Any] = []
    visible = classes.visible_class_ids(store)
    if class_id is not None:
        if visible is not None and class_id not in visible:
            store.audit_refusal(operation="students.read", class_id=class_id)
            raise PolicyError(
                "policy.class_not_assigned",
                "担当していない学級の児童生徒は表示できません",
                "You may only read the students of classes assigned to you",
            )
        where.append("m.class_id = ?")
        params.append(class_id)
    elif visible is not None:
        where.append(f"m.class_id IN ({','.join('?' * len(visible)) or 'NULL'})")
        params.extend(sorted(visible))
    if status is not None:
        where.append("s.status = ?")
        params.append(status)
    if search:
        text = _clean_name(search)
        kana = parse.to_katakana(text)
        where.append(
            "(s.family_name || s.given_name LIKE ? OR s.family_kana || s.given_kana LIKE ? OR s.student_number = ?)"
        )
        params.extend([f"%{text}%", f"%{kana}%", text])
    sql = _SELECT + (" WHERE " + " AND ".join(where) if where else "")
    sql += " ORDER BY c.grade, c.name, m.attendance_no, s.family_kana, s.given_kana, s.id"
    found = [_student(r) for r in store.query(sql, params)]
    policy.audit_read(store, view, [s.id for s in found], class_id=class_id, search=bool(search))
    return found


def get_student(store: Store, student_id: int, *, view: str) -> Student:
    row = store.query_one(_SELECT + " WHERE s.id = ?", (student_id,))
    if row is None:
        raise NotFoundError("student.missing", "その児童生徒はいません", "No such student")
    visible = classes.visible_class_ids(store)
    if visible is not None and row["class_id"] not in visible:
        store.audit_refusal(operation="student.read", student_id=student_id)
        raise PolicyError(
            "policy.class_not_assigned",
            "担当していない学級の児童生徒は表示できません",
            "You may only read the students of classes assigned to you",
        )
    policy.audit_read(store, view, [student_id], student_id=student_id)
    return _student(row)
