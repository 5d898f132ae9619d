"""Build a OneRoster 1.2 bulk CSV package (Japan Profile) from the store, as zip bytes.

What goes in: the school year (academicSessions), the board and the school (orgs), one
homeroom course per grade (courses), the year's homeroom classes (classes), the students
currently enrolled in them and the staff (users, roles), homeroom enrollments with 出席番号
(enrollments) and the students' birth date and sex (demographics). Contact details, guardians
and addresses are never exported. Files with no rows are marked ``absent`` and left out.
"""

from __future__ import annotations

import csv
import io
import re
import unicodedata
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from storage.errors import InputError, NotFoundError
from storage.oneroster import profile
from storage.oneroster.ids import IdBook
from storage.reports import Payload
from storage.store import Store

ZIP_TIME = (1980, 1, 1, 0, 0, 0)  # fixed: the same records give the same bytes
SYSTEM_NAME = "Gakuseki"
_HALF_KANA = re.compile(r"[\uff61-\uff9f]+")
_SPACES = re.compile(r"[\r\n\t\v\f\u2028\u2029]+")


def clean(value: object) -> str:
    """A CSV field: half-width katakana widened, no line breaks or tabs."""
    if value is None:
        return ""
    text = str(value)
    text = _HALF_KANA.sub(lambda m: unicodedata.normalize("NFKC", m.group()), text)
    return _SPACES.sub(" ", text).strip()


def grade_code(school_code: str, grade: int) -> str:
    """P1–P6 / J1–J3 for a grade of this kind of school (from the 学校コード's first two characters)."""
    kind = school_code[:2]
    if kind == "B1" and 1 <= grade <= 6:
        return f"P{grade}"
    if kind in ("C1", "D2") and 1 <= grade <= 3:
        return f"J{grade}"
    if kind == "C2" and 1 <= grade <= 9:
        return f"P{grade}" if grade <= 6 else f"J{grade - 6}"
    raise InputError(
        "oneroster.grade_unsupported",
        f"学校種 {kind} の {grade}年 は OneRoster Japan Profile の学年(P1–P6, J1–J3)で表せません",
        f"Grade {grade} of school kind {kind} has no Japan Profile grade (P1–P6, J1–J3)",
    )


def district_name_for(school_name: str) -> str:
    """'○○市立第一小学校' → '○○市教育委員会' (a board template may name it instead)."""
    match = re.match(r"(.+?[都道府県市区町村])立", school_name)
    return f"{match.group(1)}教育委員会" if match else "教育委員会"


def split_name(display: str) -> tuple[str, str]:
    parts = unicodedata.normalize("NFKC", display).split(maxsplit=1)
    if len(parts) == 2:
        return parts[0], parts[1]
    return display.strip(), display.strip()


def csv_bytes(header: Sequence[str], rows: Sequence[Sequence[str]]) -> bytes:
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\r\n", quoting=csv.QUOTE_MINIMAL)
    writer.writerow(header)
    writer.writerows(rows)
    return buf.getvalue().encode("utf-8")


@dataclass(frozen=True)
class Tables:
    """Rows per file as dicts keyed by column; missing columns are written empty."""

    rows: dict[str, list[dict[str, str]]]
    student_ids: tuple[int, ...]


def collect(store: Store, year: int, variant: profile.Variant, *, district_name: str | None = None) -> Tables:
    """Read the store into OneRoster rows (sourcedIds from the id book, saved at the end)."""
    ids = IdBook(store)
    school = store.query_one("SELECT name, school_code FROM school WHERE id = 1")
    code = str(school["school_code"])
    year_row = store.query_one("SELECT year, start_date, end_date FROM academic_years WHERE year = ?", (year,))
    if year_row is None:
        raise NotFoundError(
            "oneroster.year_missing", f"{year}年度の学級がありません", f"There are no classes in school year {year}"
        )
    session = ids.get("session", f"year:{year}")
    district = ids.get("org", "district")
    school_id = ids.get("org", "school")
    rows: dict[str, list[dict[str, str]]] = {f: [] for f in profile.FILES}
    rows["academicSessions"].append(
        {
            "sourcedId": session,
            "title": f"{year}年度",
            "type": "schoolYear",
            "startDate": f"{year}-04-01",
            "endDate": f"{year + 1}-03-31",
            "schoolYear": str(year),
        }
    )
    rows["orgs"].append(
        {"sourcedId": district, "name": clean(district_name or district_name_for(school["name"])), "type": "district"}
    )
    rows["orgs"].append(
        {
            "sourcedId": school_id,
            "name": clean(school["name"]),
            "type": "school",
            "identifier": code,
            "parentSourcedId": district,
        }
    )
    class_rows = store.query(
        "SELECT c.id, c.grade, c.name, c.homeroom_user_id FROM classes c JOIN academic_years y ON y.id = c.year_id "
        "WHERE y.year = ? ORDER BY c.grade, c.name",
        (year,),
    )
    course_ids: dict[int, str] = {}
    class_ids: dict[int, str] = {}
    class_grade: dict[int, str] = {}
    homeroom: dict[int, int | None] = {}
    for c in class_rows:
        grade = int(c["grade"])
        g = grade_code(code, grade)
        if grade not in course_ids:
            course_ids[grade] = ids.get("course", f"year:{year}:grade:{grade}")
            rows["courses"].append(
                {
                    "sourcedId": course_ids[grade],
                    "schoolYearSourcedId": session,
                    "title": f"{year}年度 {grade}年 学級",
                    "courseCode": f"HR-{g}",
                    "grades": g,
                    "orgSourcedId": school_id,
                }
            )
        cid = int(c["id"])
        class_ids[cid] = ids.get("class", cid)
        class_grade[cid] = g
        homeroom[cid] = c["homeroom_user_id"]
        name = str(c["name"])
        rows["classes"].append(
            {
                "sourcedId": class_ids[cid],
                "title": clean(f"{grade}年{name}組" if name.isdigit() else f"{grade}年{name}"),
                "grades": g,
                "courseSourcedId": course_ids[grade],
                "classCode": clean(f"{grade}-{name}"),
                "classType": "homeroom",
                "schoolSourcedId": school_id,
                "termSourcedIds": session,
            }
        )
    members: list[Any] = []
    if class_ids:
        marks = ",".join("?" * len(class_ids))
        members = store.query(
            "SELECT s.id, s.family_name, s.given_name, s.family_kana, s.given_kana, s.sex, s.birth_date, "
            "s.student_number, m.class_id, m.attendance_no, m.from_date FROM class_memberships m "
            f"JOIN students s ON s.id = m.student_id WHERE m.class_id IN ({marks}) AND m.to_date IS NULL "
            "AND s.status IN ('planned', 'enrolled') ORDER BY m.class_id, m.attendance_no, s.id",
            list(class_ids),
        )
    student_ids: list[int] = []
    for m in members:
        sid = int(m["id"])
        if sid in student_ids:
            continue
        student_ids.append(sid)
        user = ids.get("user", f"student:{sid}")
        cid = int(m["class_id"])
        rows["users"].append(
            {
                "sourcedId": user,
                "enabledUser": "true",
                "username": clean(m["student_number"]) or user,
                "givenName": clean(m["given_name"]),
                "familyName": clean(m["family_name"]),
                "identifier": clean(m["student_number"]),
                "grades": class_grade[cid],
                "userMasterIdentifier": ids.get("user_master", f"student:{sid}"),
                "preferredGivenName": clean(m["given_name"]),
                "preferredFamilyName": clean(m["family_name"]),
                "primaryOrgSourcedId": school_id,
                "metadata.jp.kanaGivenName": clean(m["given_kana"]),
                "metadata.jp.kanaFamilyName": clean(m["family_kana"]),
                "metadata.jp.homeClass": class_ids[cid],
                "metadata.jp.kanaPreferredFamilyName": clean(m["family_kana"]),
                "metadata.jp.kanaPreferredGivenName": clean(m["given_kana"]),
            }
        )
        rows["roles"].append(
            {
                "sourcedId": ids.get("role", f"student:{sid}"),
                "userSourcedId": user,
                "roleType": "primary",
                "role": "student",
                "orgSourcedId": school_id,
            }
        )
        rows["enrollments"].append(
            {
                "sourcedId": ids.get("enrollment", f"student:{sid}:class:{cid}"),
                "classSourcedId": class_ids[cid],
                "schoolSourcedId": school_id,
                "userSourcedId": user,
                "role": "student",
                "primary": "false",
                "beginDate": str(m["from_date"]),
                variant.shusseki_no: str(int(m["attendance_no"])),
                variant.public_flg: "true",
            }
        )
        rows["demographics"].append(
            {
                "sourcedId": user,
                "birthDate": str(m["birth_date"]),
                "sex": {"男": "male", "女": "female"}.get(str(m["sex"]), "unspecified"),
            }
        )
    staff = store.query(
        "SELECT id, login, display_name, role FROM users WHERE active = 1 ORDER BY id"
    )
    teaching: dict[int, list[int]] = {}
    if class_ids:
        marks = ",".join("?" * len(class_ids))
        for r in store.query(
            f"SELECT class_id, user_id FROM class_teachers WHERE class_id IN ({marks}) ORDER BY class_id, user_id",
            list(class_ids),
        ):
            teaching.setdefault(int(r["user_id"]), []).append(int(r["class_id"]))
    for u in staff:
        uid = int(u["id"])
        user = ids.get("user", f"staff:{uid}")
        family, given = split_name(str(u["display_name"]))
        rows["users"].append(
            {
                "sourcedId": user,
                "enabledUser": "true",
                "username": clean(u["login"]),
                "givenName": clean(given),
                "familyName": clean(family),
                "userMasterIdentifier": ids.get("user_master", f"staff:{uid}"),
                "preferredGivenName": clean(given),
                "preferredFamilyName": clean(family),
                "primaryOrgSourcedId": school_id,
            }
        )
        rows["roles"].append(
            {
                "sourcedId": ids.get("role", f"staff:{uid}"),
                "userSourcedId": user,
                "roleType": "primary",
                "role": "siteAdministrator" if u["role"] == "administrator" else "teacher",
                "orgSourcedId": school_id,
            }
        )
        for cid in teaching.get(uid, []):
            rows["enrollments"].append(
                {
                    "sourcedId": ids.get("enrollment", f"staff:{uid}:class:{cid}"),
                    "classSourcedId": class_ids[cid],
                    "schoolSourcedId": school_id,
                    "userSourcedId": user,
                    "role": "teacher",
                    "primary": "true" if homeroom.get(cid) == uid else "false",
                    variant.public_flg: "true",
                }
            )
    ids.save()
    return Tables(rows, tuple(student_ids))


def package(tables: Tables, variant: profile.Variant) -> bytes:
    """The zip: manifest.csv first, then each file with rows in manifest order."""
    present = [f for f in profile.FILES if tables.rows[f]]
    manifest = [
        ["manifest.version", "1.0"],
        ["oneroster.version", variant.oneroster_version],
        *[[f"file.{f}", "bulk" if f in present else "absent"] for f in profile.FILES],
        ["source.systemName", SYSTEM_NAME],
        ["source.systemCode", "gakuseki"],
    ]
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as zf:

        def put(name: str, data: bytes) -> None:
            info = zipfile.ZipInfo(name, date_time=ZIP_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            zf.writestr(info, data)

        put("manifest.csv", csv_bytes(["propertyName", "value"], manifest))
        for f in present:
            header = variant.columns(f)
            put(f"{f}.csv", csv_bytes(header, [[r.get(c, "") for c in header] for r in tables.rows[f]]))
    return out.getvalue()


def current_variant(store: Store) -> str:
    row = store.query_one("SELECT variant FROM oneroster_profile WHERE id = 1")
    return str(row["variant"]) if row is not None else profile.DEFAULT_VARIANT


def set_variant(store: Store, variant: str, *, source: str = "setting") -> None:
    """Choose the OneRoster variant exports use (administrators; audited)."""
    from storage.clock import now_iso

    store.require_admin("oneroster.profile")
    profile.get_variant(variant)
    with store.transaction():
        store.execute(
            "INSERT INTO oneroster_profile (id, variant, source, set_by, set_at) VALUES (1, ?, ?, ?, ?) "
            "ON CONFLICT (id) DO UPDATE SET variant = excluded.variant, source = excluded.source, "
            "set_by = excluded.set_by, set_at = excluded.set_at",
            (variant, source, store.user.login, now_iso()),
        )
        store.audit("oneroster.profile", variant=variant, source=source)


def build_bulk(store: Store, year: int, *, variant: str | None = None) -> Payload:
    """The OneRoster bulk zip for 年度 ``year`` (administrators). New sourcedIds are kept in
    the store, so the next export of the same records uses the same ids."""
    store.require_admin("export.oneroster")
    from storage import templates  # late: templates validates variants with this package

    chosen = profile.get_variant(variant or current_variant(store))
    with store.transaction():
        tables = collect(store, year, chosen, district_name=templates.export_options(store).get("district_name"))
        store.audit(
            "students.read",
            view="oneroster export",
            count=len(tables.student_ids),
            year=year,
            variant=chosen.key,
        )
    data = package(tables, chosen)
    from storage.oneroster.validate import check

    check(data, chosen.key)  # never hand out a package the importers would reject
    code = store.query_one("SELECT school_code FROM school WHERE id = 1")["school_code"]
    users = len(tables.rows["users"])
    return Payload(data, f"oneroster_{code}_{year}.zip", "oneroster", users, tables.student_ids)
