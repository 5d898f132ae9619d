"""Header keywords and synonyms map columns in any order."""

from __future__ import annotations

import itertools

import pytest

from ocr.header import DEFAULT_SYNONYMS, map_columns, merge_synonyms

BASE = ["番号", "ふりがな", "児童氏名", "性別", "生年月日", "保護者氏名", "現住所", "連絡先", "出身園"]
ROLES = ["no", "kana", "name", "sex", "birth_date", "guardian", "address", "phone", "previous_school"]


@pytest.mark.parametrize("perm", list(itertools.islice(itertools.permutations(range(len(BASE))), 0, 720, 90)))
def test_any_column_order(perm: tuple[int, ...]) -> None:
    texts = [BASE[i] for i in perm]
    cmap = map_columns(texts, DEFAULT_SYNONYMS)
    assert {c: r for c, r in cmap.columns} == {k: ROLES[i] for k, i in enumerate(perm)}


@pytest.mark.parametrize(
    ("text", "role"),
    [
        ("No.", "no"),
        ("ふりがな／氏名", "kana_name"),
        ("フリガナ/氏名", "kana_name"),
        ("生徒氏名", "name"),
        ("氏名", "name"),
        ("フリガナ", "kana"),
        ("電話番号", "phone"),
        ("電話", "phone"),
        ("住所", "address"),
        ("出身小学校", "previous_school"),
        ("出身校", "previous_school"),
        ("保護者", "guardian"),
        ("生年月曰", "birth_date"),
        ("性 別", "sex"),
    ],
)
def test_synonyms_and_ocr_noise(text: str, role: str) -> None:
    cmap = map_columns(
        ["番号", text, "性別", "生年月日"] if role not in ("no", "sex", "birth_date") else [text],
        DEFAULT_SYNONYMS,
    )
    assert role in cmap.roles()


def test_guardian_name_is_not_the_child_name() -> None:
    cmap = map_columns(["保護者氏名", "氏名"], DEFAULT_SYNONYMS)
    assert cmap.roles() == {"guardian": 0, "name": 1}


def test_a_misread_guardian_header_does_not_take_the_pupils_names() -> None:
    """保護者氏名 faxed in Mincho and read 保護着氏名, 氏名 read 長名 (a standard-mode fax): the column
    headed 保護… is still the guardian's, and the pupils' names stay in their own column; mapped the
    other way round, every guardian's given name was stored as the child's, unflagged."""
    header = ["No.", "フリ ガ ナ", "長 名", "性別", "生 條 月 日", "保護 着 氏 名", "住所", "連絡 先"]
    cols = dict(map_columns(header, DEFAULT_SYNONYMS).columns)
    assert cols[5] == "guardian" and cols[2] == "name"


def test_a_name_header_starting_with_ho_is_the_guardians_though_the_rest_is_dots() -> None:
    """保護者氏名 read 保科午氏名 through a fax's dotted grey ground: no header of a pupil's name starts with
    保, so the column is the guardian's (it took the pupils' names' place, and their ふりがな column,
    holding names too, lost them)."""
    header = ["No", "ふり が な プ 包 名", "性", "生年 崩 日", "保科 午 氏 名", "中 住所"]
    cols = dict(map_columns(header, DEFAULT_SYNONYMS).columns)
    assert cols[4] == "guardian" and "name" not in cols.values()
    assert dict(map_columns(["児童氏名", "保護者氏名"], DEFAULT_SYNONYMS).columns) == {0: "name", 1: "guardian"}


def test_board_template_synonyms() -> None:
    syn = merge_synonyms({"previous_school": ["就学前の所属"], "family_name": ["こどものなまえ"]})
    cmap = map_columns(["こどものなまえ", "就学前の所属"], syn)
    assert cmap.roles() == {"name": 0, "previous_school": 1}


def test_unknown_headers_map_nothing() -> None:
    cmap = map_columns(["", ""], DEFAULT_SYNONYMS)
    assert cmap.columns == ()
