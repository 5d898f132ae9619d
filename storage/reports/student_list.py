"""The student list (児童生徒名簿) as CSV: class, number, names, readings, sex, birth date."""

from __future__ import annotations

from storage import students
from storage.reports import Payload, new_export_id
from storage.reports.csvfile import school_encoding, write_csv
from storage.store import Store

COLUMNS = ("class", "attendance_no", "family_name", "given_name", "family_kana", "given_kana", "sex", "birth_date")


def student_list_csv(
    store: Store, *, class_id: int | None = None, encoding: str | None = None, view: str = "export students"
) -> Payload:
    """Every student of the school (or of one class); the read is audited like any other."""
    found = students.list_students(store, class_id=class_id, view=view)
    data = write_csv(
        COLUMNS,
        (
            [s.class_label or "", s.attendance_no or "", s.family_name, s.given_name, s.family_kana,
             s.given_kana, s.sex, s.birth_date]
            for s in found
        ),
        encoding=school_encoding(store, encoding),
    )
    scope = f"_class{class_id}" if class_id is not None else ""
    export_id = new_export_id()
    return Payload(data, f"students{scope}_{export_id}.csv", "csv", len(found), tuple(s.id for s in found), export_id)
