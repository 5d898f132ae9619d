"""Check a OneRoster 1.2 CSV package against the rules the Japan Profile importers apply.

:func:`validate` returns every problem found (empty = valid); :func:`check` raises
InputError with the first few. The exporter's own output is checked before it is handed out.
"""

from __future__ import annotations

import csv
import io
import re
import zipfile
from dataclasses import dataclass, field
from datetime import date

from storage import school_code
from storage.errors import InputError, StoreError
from storage.oneroster import profile
from storage.oneroster.ids import UUID4

MAX_FILE_BYTES = 200 * 1024 * 1024
_HALF_KANA = re.compile(r"[\uff61-\uff9f]")
_KANA = re.compile(r"[\u3041-\u309f\u30a0-\u30ff\u3000 ]*")
_DATE_COLUMNS = frozenset({"startDate", "endDate", "beginDate", "birthDate", "assignDate", "dueDate", "scoreDate"})
_BOOLEAN_COLUMNS = frozenset({"enabledUser", "primary", "inProgress", "incomplete", "late", "missing"})
_ENUMS: dict[tuple[str, str], frozenset[str]] = {
    ("orgs", "type"): profile.ORG_TYPES,
    ("academicSessions", "type"): profile.SESSION_TYPES,
    ("enrollments", "role"): profile.ENROLLMENT_ROLES,
    ("roles", "role"): profile.ROLE_ROLES,
    ("roles", "roleType"): profile.ROLE_TYPES,
    ("demographics", "sex"): profile.SEXES,
    ("classes", "classType"): profile.CLASS_TYPES,
}
_GRADE_COLUMNS = {("users", "grades"), ("classes", "grades"), ("courses", "grades")}
_KANA_COLUMNS = (
    "metadata.jp.kanaGivenName",
    "metadata.jp.kanaFamilyName",
    "metadata.jp.kanaMiddleName",
    "metadata.jp.kanaPreferredFamilyName",
    "metadata.jp.kanaPreferredGivenName",
    "metadata.jp.kanaPreferredMiddleName",
)


@dataclass
class Report:
    variant: str
    problems: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems

    def add(self, where: str, message: str) -> None:
        self.problems.append(f"{where}: {message}")


def _is_date(text: str) -> bool:
    if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
        return False
    try:
        date.fromisoformat(text)
    except ValueError:
        return False
    return True


def _read_zip(data: bytes, report: Report) -> dict[str, bytes]:
    try:
        zf = zipfile.ZipFile(io.BytesIO(data))
    except zipfile.BadZipFile:
        report.add("package", "not a zip file")
        return {}
    files: dict[str, bytes] = {}
    known = {f"{f}.csv" for f in profile.FILES} | {"manifest.csv"}
    with zf:
        for info in zf.infolist():
            if info.is_dir() or "/" in info.filename or "\\" in info.filename:
                report.add(info.filename, "every file must be at the root of the zip")
                continue
            if info.filename not in known:
                report.add(info.filename, "not a OneRoster 1.2 file")
                continue
            if info.file_size > MAX_FILE_BYTES:
                report.add(info.filename, "too large")
                continue
            files[info.filename] = zf.read(info)
    return files


def _parse(name: str, raw: bytes, report: Report) -> list[list[str]] | None:
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        report.add(name, f"not UTF-8 (byte {exc.start})")
        return None
    text = text.removeprefix("\ufeff")
    try:
        rows = list(csv.reader(io.StringIO(text, newline=""), strict=True))
    except csv.Error as exc:
        report.add(name, f"not RFC 4180 CSV: {exc}")
        return None
    for n, row in enumerate(rows, start=1):
        for value in row:
            if "\r" in value or "\n" in value:
                report.add(f"{name}:{n}", "line break inside a field")
            if _HALF_KANA.search(value):
                report.add(f"{name}:{n}", f"half-width katakana in '{value}'")
    return rows


def _manifest(rows: list[list[str]], variant: profile.Variant, report: Report) -> dict[str, str]:
    if not rows or rows[0] != ["propertyName", "value"]:
        report.add("manifest.csv", "the header must be 'propertyName,value'")
        return {}
    props: dict[str, str] = {}
    for n, row in enumerate(rows[1:], start=2):
        if len(row) != 2:
            report.add(f"manifest.csv:{n}", "each row needs a property name and a value")
            continue
        if row[0] in props:
            report.add(f"manifest.csv:{n}", f"'{row[0]}' is given twice")
        props[row[0]] = row[1]
    if props.get("manifest.version") != "1.0":
        report.add("manifest.csv", "manifest.version must be 1.0")
    if props.get("oneroster.version") != variant.oneroster_version:
        report.add(
            "manifest.csv",
            f"oneroster.version is '{props.get('oneroster.version', '')}', "
            f"{variant.key} needs '{variant.oneroster_version}'",
        )
    for f in profile.FILES:
        mode = props.get(f"file.{f}")
        if mode is None:
            report.add("manifest.csv", f"file.{f} is missing")
        elif mode not in ("absent", "bulk", "delta"):
            report.add("manifest.csv", f"file.{f} must be absent, bulk or delta (not '{mode}')")
    for key in props:
        if key.startswith("file.") and key[5:] not in profile.FILES:
            report.add("manifest.csv", f"unknown file property '{key}'")
    return props


def _check_file(
    f: str,
    rows: list[list[str]],
    mode: str,
    variant: profile.Variant,
    report: Report,
) -> list[dict[str, str]]:
    name = f"{f}.csv"
    expected = list(variant.columns(f))
    header = rows[0] if rows else []
    if header != expected:
        for i, (want, got) in enumerate(zip(expected, header, strict=False)):
            if want != got:
                report.add(name, f"header column {i + 1} is '{got}', expected '{want}' (spec order)")
                break
        else:
            report.add(name, f"header has {len(header)} columns, expected {len(expected)}")
        return []
    if len(rows) < 2:
        report.add(name, "has no rows: it must be marked absent and left out")
        return []
    required = variant.required(f)
    records: list[dict[str, str]] = []
    seen: set[str] = set()
    for n, row in enumerate(rows[1:], start=2):
        where = f"{name}:{n}"
        if len(row) != len(header):
            report.add(where, f"{len(row)} fields, the header has {len(header)}")
            continue
        rec = dict(zip(header, row, strict=True))
        records.append(rec)
        if mode == "bulk":
            for col in ("status", "dateLastModified"):
                if rec[col]:
                    report.add(where, f"{col} must be empty in bulk mode")
        elif rec["status"] not in ("active", "tobedeleted"):
            report.add(where, "status must be active or tobedeleted in delta mode")
        for col in required:
            if not rec[col]:
                report.add(where, f"{col} is required")
        sid = rec["sourcedId"]
        if sid and not UUID4.fullmatch(sid):
            report.add(where, f"sourcedId '{sid}' is not a lower-case UUIDv4")
        if sid in seen:
            report.add(where, f"sourcedId '{sid}' is used twice")
        seen.add(sid)
        for col, value in rec.items():
            if not value:
                continue
            if col in _DATE_COLUMNS and not _is_date(value):
                report.add(where, f"{col} '{value}' is not a date (YYYY-MM-DD)")
            if col in _BOOLEAN_COLUMNS and value not in profile.BOOLEANS:
                report.add(where, f"{col} must be true or false")
            allowed = _ENUMS.get((f, col))
            if allowed is not None and value not in allowed:
                report.add(where, f"{col} '{value}' is not one of {', '.join(sorted(allowed))}")
            if (f, col) in _GRADE_COLUMNS:
                bad = [g for g in value.split(",") if g.strip() not in profile.GRADES]
                if bad:
                    report.add(where, f"grade '{bad[0]}' is not P1–P6 or J1–J3")
            if col == "userMasterIdentifier" and not UUID4.fullmatch(value):
                report.add(where, "userMasterIdentifier must be a UUIDv4")
            if col in _KANA_COLUMNS and not _KANA.fullmatch(value):
                report.add(where, f"{col} '{value}' is not kana")
            if col == "metadata.jp.specialNeeds" and value not in profile.BOOLEANS:
                report.add(where, "metadata.jp.specialNeeds must be true, false or empty")
            if col == variant.public_flg and value not in profile.BOOLEANS:
                report.add(where, f"{col} must be true or false")
            if col == variant.shusseki_no and not (value.isascii() and value.isdigit() and int(value) >= 1):
                report.add(where, f"{col} '{value}' is not a positive whole number")
        _check_values(f, rec, where, report)
    return records


def _check_values(f: str, rec: dict[str, str], where: str, report: Report) -> None:
    if f == "orgs" and rec["type"] == "school":
        try:
            canonical = school_code.validate(rec["identifier"])
        except StoreError:
            report.add(where, f"school identifier '{rec['identifier']}' is not a valid 13-character 学校コード")
        else:
            if canonical != rec["identifier"]:
                report.add(where, "the 学校コード must be written as 13 upper-case half-width characters")
    if f == "academicSessions" and rec["type"] == "schoolYear":
        year = rec["schoolYear"]
        if not re.fullmatch(r"\d{4}", year):
            report.add(where, f"schoolYear '{year}' is not a year")
            return
        y = int(year)
        if rec["title"] != f"{y}年度":
            report.add(where, f"title should be '{y}年度'")
        if rec["startDate"] != f"{y}-04-01" or rec["endDate"] != f"{y + 1}-03-31":
            report.add(where, f"a school year runs {y}-04-01 to {y + 1}-03-31")


def _references(tables: dict[str, list[dict[str, str]]], report: Report) -> None:
    ids = {f: {r["sourcedId"] for r in recs} for f, recs in tables.items()}
    schools = {r["sourcedId"] for r in tables.get("orgs", []) if r.get("type") == "school"}
    for (f, col), target in profile.REFERENCES.items():
        for n, rec in enumerate(tables.get(f, []), start=2):
            value = rec.get(col, "")
            if not value:
                continue
            for ref in value.split(","):
                ref = ref.strip()
                if not UUID4.fullmatch(ref):
                    report.add(f"{f}.csv:{n}", f"{col} '{ref}' is not a lower-case UUIDv4")
                elif ref not in ids.get(target, set()):
                    report.add(f"{f}.csv:{n}", f"{col} '{ref}' names no record in {target}.csv")
                elif col == "schoolSourcedId" and ref not in schools:
                    report.add(f"{f}.csv:{n}", f"{col} '{ref}' is not an org of type school")
    students = {r["userSourcedId"] for r in tables.get("roles", []) if r.get("role") == "student"}
    students |= {r["userSourcedId"] for r in tables.get("enrollments", []) if r.get("role") == "student"}
    for n, rec in enumerate(tables.get("users", []), start=2):
        if rec["sourcedId"] in students:
            for col in ("metadata.jp.kanaFamilyName", "metadata.jp.kanaGivenName"):
                if col in rec and not rec[col]:
                    report.add(f"users.csv:{n}", f"{col} is required for a student")
    for n, rec in enumerate(tables.get("enrollments", []), start=2):
        if rec.get("role") == "student":
            for col, value in rec.items():
                if col.lower() == "metadata.jp.shussekino" and not value:
                    report.add(f"enrollments.csv:{n}", f"{col} (出席番号) is required for a student")


def validate_with(data: bytes, variant: str) -> Report:
    """Every problem of the package ``data`` read as ``variant``."""
    chosen = profile.get_variant(variant)
    report = Report(chosen.key)
    files = _read_zip(data, report)
    if "manifest.csv" not in files:
        report.add("package", "manifest.csv is missing")
        return report
    manifest_rows = _parse("manifest.csv", files["manifest.csv"], report)
    props = _manifest(manifest_rows or [], chosen, report)
    tables: dict[str, list[dict[str, str]]] = {}
    for f in profile.FILES:
        mode = props.get(f"file.{f}", "absent")
        name = f"{f}.csv"
        if mode == "absent":
            if name in files:
                report.add(name, "is in the package but marked absent in the manifest")
            continue
        if name not in files:
            report.add(name, f"is marked {mode} in the manifest but not in the package")
            continue
        rows = _parse(name, files[name], report)
        if rows is not None:
            tables[f] = _check_file(f, rows, mode, chosen, report)
    _references(tables, report)
    return report


def validate(data: bytes, variant: str | None = None) -> Report:
    """Check ``data``; without ``variant``, the variant that fits best is reported."""
    if variant is not None:
        return validate_with(data, variant)
    reports = [validate_with(data, key) for key in profile.VARIANTS]
    return min(reports, key=lambda r: len(r.problems))


def check(data: bytes, variant: str | None = None) -> None:
    """InputError naming the first problems, if any."""
    report = validate(data, variant)
    if report.ok:
        return
    first = "; ".join(report.problems[:3])
    more = f"(ほか {len(report.problems) - 3} 件)" if len(report.problems) > 3 else ""
    more_en = f" (and {len(report.problems) - 3} more)" if len(report.problems) > 3 else ""
    raise InputError(
        "oneroster.invalid",
        f"OneRoster パッケージが規格に合いません: {first}{more}",
        f"The OneRoster package breaks the rules: {first}{more_en}",
    )
