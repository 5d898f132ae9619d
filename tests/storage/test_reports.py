"""指導要録「出欠の記録」 and monthly summary CSVs, CSV neutralisation, and the PDF reports."""

from __future__ import annotations

import csv
import io
import shutil
import subprocess
from datetime import date
from pathlib import Path

import pytest

from storage import attendance, classes, students, users
from storage.errors import InputError, PolicyError
from storage.reports import Payload, csvfile, pdf
from storage.reports import attendance as report
from storage.store import Store

TEACHER = "tanaka-passphrase"
DAYS = [date(2025, 6, d) for d in (2, 3, 4, 5, 6, 9, 10)]
TODAY = date(2025, 6, 30)


@pytest.fixture
def school(store: Store, store_dir: Path) -> tuple[int, list[int]]:
    users.add_user(store, "tanaka", "teacher", "田中 一郎", TEACHER)
    info = classes.add_class(store, 2025, 1, "1", "tanaka")
    people = [
        ("山田", "花子", "やまだ", "はなこ", "女"),
        ("佐藤", "太郎", "さとう", "たろう", "男"),
        ("=HYPERLINK(1)", "一", "すずき", "はじめ", "男"),
    ]
    ids = [
        students.add_student(store, students.StudentData(f, g, fk, gk, s, "2018-06-01"))
        for f, g, fk, gk, s in people
    ]
    classes.enrol(store, info.id, ids, "2025-04-01", kana_order=False)
    attendance.set_days(store, DAYS, "school_day")
    attendance.set_class_closure(store, info.id, DAYS[6], "インフルエンザ")
    with Store.open(store_dir, "tanaka", TEACHER) as t:
        attendance.mark(t, info.id, DAYS[0], ids[0], "absent_sick", "発熱")
        attendance.mark(t, info.id, DAYS[1], ids[0], "mourning")
        attendance.mark(t, info.id, DAYS[1], ids[1], "late")
        attendance.mark(t, info.id, DAYS[2], ids[1], "suspended")
        for day in DAYS[:5]:
            attendance.seal(t, info.id, day)
    return info.id, ids


def _rows(p: Payload, encoding: str = "utf-8-sig") -> list[list[str]]:
    return list(csv.reader(io.StringIO(p.payload.decode(encoding), newline="")))


# --- neutralisation ---------------------------------------------------------------------------


@pytest.mark.parametrize("cell", ["=1+2", "+81", "-3", "@SUM(A1)", "\tx", "\rx"])
def test_formula_starts_are_neutralised(cell: str) -> None:
    assert csvfile.neutralise(cell).startswith("'")
    text = csvfile.write_csv(["a"], [[cell]]).decode("utf-8-sig")
    assert list(csv.reader(io.StringIO(text)))[1][0].startswith("'")


def test_plain_cells_and_numbers_are_kept() -> None:
    assert csvfile.neutralise("山田") == "山田"
    assert csvfile.neutralise(-3) == "-3"  # a number is not a formula
    assert csvfile.neutralise("a\nb") == "a b"
    assert csvfile.write_csv(["a"], [["山"]], encoding="cp932") == "a\r\n山\r\n".encode("cp932")
    with pytest.raises(InputError):
        csvfile.write_csv(["a"], [["𠮷"]], encoding="cp932")


# --- 指導要録「出欠の記録」 ------------------------------------------------------------------------


def test_attendance_record_csv(store: Store, school: tuple[int, list[int]]) -> None:
    _class_id, ids = school
    built = report.attendance_record_csv(store, 2025, until=TODAY)
    rows = _rows(built)
    assert rows[0] == list(report.RECORD_HEADER)
    by_name = {r[5]: r for r in rows[1:]}
    hanako = by_name["山田 花子"]
    # 7 school days; 忌引 and 学級閉鎖 excused; 1 illness absence
    assert hanako[6:11] == ["7", "2", "5", "1", "4"]
    assert "忌引1日" in hanako[11] and "学級閉鎖1日" in hanako[11] and "未押印" in hanako[11]
    taro = by_name["佐藤 太郎"]
    assert taro[6:11] == ["7", "2", "5", "0", "5"] and "遅刻1回" in taro[11] and "出席停止1日" in taro[11]
    assert "'=HYPERLINK(1) 一" in by_name  # neutralised name
    assert built.rows == 3 and sorted(built.student_ids) == sorted(ids)
    assert built.kind == "attendance_record" and built.export_id in built.file_name
    cp = report.attendance_record_csv(store, 2025, until=TODAY, encoding="cp932")
    assert _rows(cp, "cp932")[1] == rows[1]


def test_monthly_summary_csv(store: Store, school: tuple[int, list[int]]) -> None:
    class_id, _ids = school
    built = report.monthly_summary_csv(store, class_id, 2025, 6, today=TODAY)
    rows = _rows(built)
    header = rows[0]
    assert header[:3] == ["出席番号", "氏名", "1日"] and header[-7:] == list(report.TOTAL_LABELS)
    first = rows[1]
    assert first[header.index("2日")] == "病" and first[header.index("3日")] == "忌"
    assert first[header.index("10日")] == "／"  # class closure
    assert rows[-2][1].startswith("凡例") or rows[-1][1].startswith("凡例")
    total = next(r for r in rows if r[1] == "学級計")
    assert total[-7:] == ["21", "5", "16", "1", "15", "1", "0"]


def test_reports_are_for_administrators(store: Store, store_dir: Path, school: tuple[int, list[int]]) -> None:
    class_id, _ids = school
    with Store.open(store_dir, "tanaka", TEACHER) as t:
        with pytest.raises(PolicyError):
            report.attendance_record_csv(t, 2025)
        with pytest.raises(PolicyError):
            pdf.roster_pdf(t, class_id)


# --- PDFs -------------------------------------------------------------------------------------


def _pages(data: bytes, tmp_path: Path) -> list[str]:
    if shutil.which("pdftotext") is None:
        pytest.skip("needs poppler-utils")
    path = tmp_path / "r.pdf"
    path.write_bytes(data)
    text = subprocess.run(["pdftotext", "-raw", str(path), "-"], capture_output=True, check=True, text=True).stdout
    return [p for p in text.split("\f") if p.strip()]


def _fonts(data: bytes, tmp_path: Path) -> str:
    path = tmp_path / "f.pdf"
    path.write_bytes(data)
    return subprocess.run(["pdffonts", str(path)], capture_output=True, check=True, text=True).stdout


def test_pdfs_have_japanese_font_and_a_watermark_on_every_page(
    store: Store, school: tuple[int, list[int]], tmp_path: Path
) -> None:
    class_id, ids = school
    built = [
        pdf.roster_pdf(store, class_id),
        pdf.monthly_attendance_pdf(store, class_id, 2025, 6, today=TODAY),
        pdf.student_record_pdf(store, 2025, student_id=ids[0], until=TODAY),
        pdf.student_record_pdf(store, 2025, class_id=class_id, until=TODAY),
    ]
    for p in built:
        assert p.payload.startswith(b"%PDF") and p.export_id in p.file_name
        pages = _pages(p.payload, tmp_path)
        assert pages
        for page in pages:
            assert p.export_id in page and "admin" in page
        fonts = _fonts(p.payload, tmp_path)
        assert "IPAex" in fonts and " yes " in fonts  # embedded
    roster, month, one, every = built
    assert "山田 花子" in _pages(roster.payload, tmp_path)[0]
    assert "病" in _pages(month.payload, tmp_path)[0]
    assert "出欠の記録" in _pages(one.payload, tmp_path)[0] and "発熱" in _pages(one.payload, tmp_path)[0]
    assert len(_pages(every.payload, tmp_path)) == 3  # one student per page
    with pytest.raises(InputError):
        pdf.student_record_pdf(store, 2025)


def test_cp932_problems_are_reported_with_their_rows_before_anything_is_written() -> None:
    from storage.errors import InputError
    from storage.reports.csvfile import write_csv

    rows = [["1", "髙橋", "ok"], ["2", "𠮷田", "x"], ["3", "﨑山", "y"], ["4", "𠮷野", "z"]]
    with pytest.raises(InputError) as caught:
        write_csv(["no", "name", "note"], rows, encoding="cp932")
    message = str(caught.value)
    assert "2 row(s)" in message
    assert "2: 𠮷" in message and "4: 𠮷" in message
    data = write_csv(["no", "name", "note"], rows[:1] + rows[2:3], encoding="cp932")
    assert data.decode("cp932").splitlines()[1] == "1,髙橋,ok"
    assert write_csv(["name"], [["𠮷田"]]).startswith("\ufeff".encode())  # UTF-8 with BOM by default
