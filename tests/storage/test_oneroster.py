"""OneRoster 1.2 CSV (Japan Profile): the bulk package, stable ids, and the validator."""

from __future__ import annotations

import csv
import io
import re
import zipfile
from pathlib import Path

import pytest

from storage import classes, oneroster, students, users
from storage.errors import InputError, PolicyError
from storage.oneroster import profile
from storage.store import Store

YEAR = 2025
SPEC = Path(__file__).resolve().parents[3] / "shared" / "specs" / "oneroster"


def _school(store: Store) -> list[int]:
    users.add_user(store, "tanaka", "teacher", "田中 一郎", "tanaka-passphrase")
    one = classes.add_class(store, YEAR, 1, "1", "tanaka")
    two = classes.add_class(store, YEAR, 2, "さくら")
    ids = []
    for i, (family, given, fk, gk, sex) in enumerate(
        [
            ("山田", "花子", "やまだ", "はなこ", "女"),
            ("佐藤", "太郎", "さとう", "たろう", "男"),
            ("鈴木", "一", "すずき", "はじめ", "男"),
        ]
    ):
        ids.append(
            students.add_student(
                store, students.StudentData(family, given, fk, gk, sex, f"2018-0{i + 5}-01")
            )
        )
    classes.enrol(store, one.id, ids[:2], f"{YEAR}-04-01")
    classes.enrol(store, two.id, ids[2:], f"{YEAR}-04-01")
    return ids


def _files(data: bytes) -> dict[str, list[list[str]]]:
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        return {
            n.removesuffix(".csv"): list(csv.reader(io.StringIO(zf.read(n).decode("utf-8"), newline="")))
            for n in zf.namelist()
        }


def _replace(data: bytes, name: str, rows: list[list[str]] | None) -> bytes:
    """The package with ``name``.csv rewritten (or removed when rows is None)."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w") as dst:
        for info in src.infolist():
            if info.filename == f"{name}.csv":
                if rows is not None:
                    buf = io.StringIO()
                    csv.writer(buf, lineterminator="\r\n").writerows(rows)
                    dst.writestr(info.filename, buf.getvalue().encode("utf-8"))
            else:
                dst.writestr(info, src.read(info))
    return out.getvalue()


@pytest.fixture
def package(store: Store) -> bytes:
    _school(store)
    return oneroster.build_bulk(store, YEAR).payload


def test_bulk_package_passes_the_validator_and_has_the_national_shape(package: bytes) -> None:
    report = oneroster.validate(package, "jp-1.2.1")
    assert report.ok, report.problems
    files = _files(package)
    assert set(files) == {
        "manifest", "academicSessions", "orgs", "courses", "classes", "users", "roles", "enrollments",
        "demographics",
    }
    manifest = dict(files["manifest"][1:])
    assert files["manifest"][0] == ["propertyName", "value"]
    assert manifest["oneroster.version"] == "1.2"
    assert manifest["file.users"] == "bulk" and manifest["file.results"] == "absent"
    assert sum(k.startswith("file.") for k in manifest) == 21
    session = files["academicSessions"][1]
    assert session[3:7] == ["2025年度", "schoolYear", "2025-04-01", "2026-03-31"]
    orgs = {r[4]: r for r in files["orgs"][1:]}
    assert orgs["school"][5] == "B113212345602" and orgs["school"][6] == orgs["district"][0]
    header = files["users"][0]
    assert header[-7:] == [
        "metadata.jp.kanaGivenName", "metadata.jp.kanaFamilyName", "metadata.jp.kanaMiddleName",
        "metadata.jp.homeClass", "metadata.jp.kanaPreferredFamilyName", "metadata.jp.kanaPreferredGivenName",
        "metadata.jp.kanaPreferredMiddleName",
    ]
    hanako = next(dict(zip(header, r, strict=True)) for r in files["users"][1:] if r[6] == "花子")
    assert hanako["status"] == "" and hanako["dateLastModified"] == ""
    assert hanako["grades"] == "P1" and hanako["metadata.jp.kanaFamilyName"]
    grades = {r[4] for r in files["classes"][1:]}
    assert grades == {"P1", "P2"}
    enrol_header = files["enrollments"][0]
    assert enrol_header[-2:] == ["metadata.jp.ShussekiNo", "metadata.jp.PublicFlg"]
    numbers = sorted(r[-2] for r in files["enrollments"][1:] if r[6] == "student")
    assert numbers == ["1", "1", "2"]
    sexes = sorted(r[4] for r in files["demographics"][1:])
    assert sexes == ["female", "male", "male"]
    uuid4 = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}")
    for name, rows in files.items():
        if name != "manifest":
            assert all(uuid4.fullmatch(r[0]) for r in rows[1:]), name
    assert not any("\uff61" <= ch <= "\uff9f" for rows in files.values() for r in rows for c in r for ch in c)


def test_sourced_ids_are_stable_across_exports(store: Store) -> None:
    _school(store)
    first = oneroster.build_bulk(store, YEAR)
    second = oneroster.build_bulk(store, YEAR)
    assert first.payload == second.payload  # same records, same ids, same bytes
    assert len(first.student_ids) == 3
    students.add_student(store, students.StudentData("林", "凛", "はやし", "りん", "女", "2018-09-09"))
    third = _files(oneroster.build_bulk(store, YEAR).payload)
    before = {r[0] for r in _files(first.payload)["users"][1:]}
    assert before <= {r[0] for r in third["users"][1:]}


def test_headers_match_the_spec_tables() -> None:
    if not SPEC.is_dir():
        pytest.skip("spec tables not available")
    for file_name, variant in (("csv-tables-1.2.1.txt", "jp-1.2.1"), ("csv-tables-1.2.txt", "jp-1.1")):
        text = (SPEC / file_name).read_text(encoding="utf-8")
        tables: dict[str, list[str]] = {}
        current = ""
        for line in text.splitlines():
            match = re.match(r"## '(.+)\.csv'", line)
            if match:
                current = match.group(1)
                if current != "manifest":
                    tables[current] = []
            elif current == "manifest":
                if line.startswith("file."):
                    tables.setdefault("_manifest", []).append(line.split("|")[0].strip().rstrip("*")[5:])
            elif current and "|" in line:
                tables[current].append(line.split("|")[0].strip())
        v = profile.get_variant(variant)
        assert tables.pop("_manifest") == list(profile.FILES)
        for name, columns in tables.items():
            assert list(v.columns(name))[: len(columns)] == columns, name
            assert all(c.startswith("metadata.") for c in v.columns(name)[len(columns) :])


@pytest.mark.parametrize("variant", ["jp-1.1", "k12-1.0"])
def test_other_variants_build_and_validate(store: Store, variant: str) -> None:
    _school(store)
    data = oneroster.build_bulk(store, YEAR, variant=variant).payload
    assert oneroster.validate(data, variant).ok
    assert not oneroster.validate(data, "jp-1.2.1").ok
    files = _files(data)
    if variant == "k12-1.0":
        assert dict(files["manifest"][1:])["oneroster.version"] == "1.2_JP"
        assert files["enrollments"][0][-2:] == ["metadata.jp.shussekiNo", "metadata.jp.publicFlg"]
    else:
        assert "resourceSourcedIds" in files["users"][0]


def test_variant_is_a_setting(store: Store) -> None:
    _school(store)
    assert oneroster.current_variant(store) == "jp-1.2.1"
    oneroster.set_variant(store, "jp-1.1")
    assert oneroster.current_variant(store) == "jp-1.1"
    assert oneroster.validate(oneroster.build_bulk(store, YEAR).payload, "jp-1.1").ok
    with pytest.raises(InputError):
        oneroster.set_variant(store, "jp-9")


def test_teachers_may_not_build_exports(store: Store, store_dir: Path) -> None:
    _school(store)
    with Store.open(store_dir, "tanaka", "tanaka-passphrase") as teacher, pytest.raises(PolicyError):
        oneroster.build_bulk(teacher, YEAR)


# --- the validator rejects broken packages ----------------------------------------------------


def _problems(data: bytes) -> str:
    report = oneroster.validate(data, "jp-1.2.1")
    assert not report.ok
    return "\n".join(report.problems)


def test_rejects_swapped_header(package: bytes) -> None:
    rows = _files(package)["users"]
    rows = [[r[0], r[1], r[2], r[3], r[4], r[5], r[7], r[6], *r[8:]] for r in rows]  # givenName ↔ familyName
    assert "header column 7" in _problems(_replace(package, "users", rows))


def test_rejects_status_filled_in_bulk(package: bytes) -> None:
    rows = _files(package)["classes"]
    rows[1][1] = "active"
    assert "status must be empty in bulk mode" in _problems(_replace(package, "classes", rows))


def test_rejects_half_width_kana(package: bytes) -> None:
    rows = _files(package)["users"]
    col = rows[0].index("metadata.jp.kanaFamilyName")
    rows[1][col] = "ﾔﾏﾀﾞ"
    assert "half-width katakana" in _problems(_replace(package, "users", rows))


def test_rejects_bad_school_code(package: bytes) -> None:
    rows = _files(package)["orgs"]
    school = next(r for r in rows if r[4] == "school")
    school[5] = "B113212345603"  # wrong check digit
    assert "学校コード" in _problems(_replace(package, "orgs", rows))


def test_rejects_dangling_reference(package: bytes) -> None:
    rows = _files(package)["enrollments"]
    rows[1][3] = "00000000-0000-4000-8000-000000000000"
    assert "names no record in classes.csv" in _problems(_replace(package, "enrollments", rows))


def test_rejects_empty_file_marked_bulk_and_file_marked_absent(package: bytes) -> None:
    header = _files(package)["demographics"][:1]
    assert "must be marked absent" in _problems(_replace(package, "demographics", header))
    assert "not in the package" in _problems(_replace(package, "demographics", None))


def test_rejects_line_break_bad_grade_and_non_uuid(package: bytes) -> None:
    rows = _files(package)["classes"]
    rows[1][3] = "1年\n1組"
    rows[1][4] = "G1"
    rows[1][0] = "class-1"
    problems = _problems(_replace(package, "classes", rows))
    assert "line break" in problems and "P1–P6" in problems and "UUIDv4" in problems


def test_rejects_bad_school_year_session(package: bytes) -> None:
    rows = _files(package)["academicSessions"]
    rows[1][6] = "2026-04-01"
    assert "school year runs" in _problems(_replace(package, "academicSessions", rows))


def test_check_raises_one_line(package: bytes) -> None:
    rows = _files(package)["classes"]
    rows[1][1] = "active"
    with pytest.raises(InputError) as err:
        oneroster.check(_replace(package, "classes", rows), "jp-1.2.1")
    assert "\n" not in str(err.value)
