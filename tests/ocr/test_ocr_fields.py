"""Parsers and validators: dates (eras, short forms, Western), kana, phones, sex, names."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ocr import fields as fl
from ocr.dates import cohort_of, in_cohort, parse_date, salvage_date
from ocr.errors import FieldError

FW = str.maketrans("0123456789", "０１２３４５６７８９")


def era_of(d: date) -> tuple[str, str, int]:
    if d >= date(2019, 5, 1):
        return "令和", "R", d.year - 2018
    if d >= date(1989, 1, 8):
        return "平成", "H", d.year - 1988
    return "昭和", "S", d.year - 1925


dates = st.dates(min_value=date(1927, 1, 1), max_value=date(2040, 12, 31))


@given(dates, st.booleans())
def test_era_full_form_round_trips(d: date, fullwidth: bool) -> None:
    era, _, y = era_of(d)
    ys = "元" if y == 1 else str(y)
    text = f"{era}{ys}年{d.month}月{d.day}日"
    if fullwidth:
        text = text.translate(FW)
    assert parse_date(text) == d


@given(dates, st.sampled_from(["H", "[I", "晶", "口", ""]), st.sampled_from(["年", "征", "企"]))
def test_salvaged_era_date_with_garbled_kanji(d: date, day_mark: str, year_mark: str) -> None:
    era, _, y = era_of(d)
    text = f"{era}{y}{year_mark}{d.month}月{d.day}{day_mark}"
    assert salvage_date(text) == d


@pytest.mark.parametrize("text", ["平成30年10月4f1", "平成31年月511", "平成30年5月0日", "30年1月1日", ""])
def test_date_salvage_refuses_what_it_cannot_tell(text: str) -> None:
    assert salvage_date(text) is None


@given(dates)
def test_short_form_round_trips(d: date) -> None:
    _, letter, y = era_of(d)
    assert parse_date(f"{letter}{y}.{d.month}.{d.day}") == d


@given(dates, st.sampled_from(["/", "-", "."]))
def test_western_round_trips(d: date, sep: str) -> None:
    assert parse_date(f"{d.year}{sep}{d.month:02d}{sep}{d.day:02d}") == d
    assert parse_date(f"{d.year}年{d.month}月{d.day}日") == d


@pytest.mark.parametrize(
    "text, code",
    [
        ("平成31年5月1日", "date.after_era"),
        ("令和元年4月30日", "date.before_era"),
        ("昭和64年1月8日", "date.after_era"),
        ("平成30年2月30日", "date.invalid"),
        ("H30.13.1", "date.invalid"),
        ("平成0年1月1日", "date.era_year"),
        ("2018/02/30", "date.invalid"),
        ("あいう", "date.format"),
        ("", "date.empty"),
    ],
)
def test_impossible_dates_raise(text: str, code: str) -> None:
    with pytest.raises(FieldError) as info:
        parse_date(text)
    assert info.value.code == code


def test_era_boundaries_and_gannen() -> None:
    assert parse_date("平成31年4月30日") == date(2019, 4, 30)
    assert parse_date("令和元年5月1日") == date(2019, 5, 1)
    assert parse_date("R1.5.1") == date(2019, 5, 1)
    assert parse_date("H30.4.2") == date(2018, 4, 2)
    assert parse_date("Ｈ３０．４．２") == date(2018, 4, 2)
    assert parse_date("2018/04/02") == date(2018, 4, 2)


def test_cohort_is_april_2_to_april_1() -> None:
    assert cohort_of(date(2018, 4, 2)) == 2018
    assert cohort_of(date(2019, 4, 1)) == 2018
    assert cohort_of(date(2018, 4, 1)) == 2017
    assert in_cohort(date(2019, 4, 1), 2018)
    assert not in_cohort(date(2019, 4, 2), 2018)


kana_text = st.text(
    alphabet=st.characters(min_codepoint=0x3042, max_codepoint=0x3093), min_size=1, max_size=8
)


@given(kana_text)
def test_kana_hiragana_and_katakana_store_as_one_script(s: str) -> None:
    kata = fl.to_katakana(s)
    if s[0] in "ぁぃぅぇぉっゃゅょゎん":
        with pytest.raises(FieldError):
            fl.parse_kana(s)
        return
    assert fl.parse_kana(s) == kata
    assert fl.parse_kana(kata) == kata
    assert fl.parse_kana(" ".join(s)) == kata  # OCR's spaces are dropped
    assert fl.parse_kana(s, script="hiragana") == s


@given(kana_text, st.sampled_from(["山", "A", "1", "・", "。"]))
def test_kana_with_other_characters_is_rejected(s: str, bad: str) -> None:
    with pytest.raises(FieldError):
        fl.parse_kana(s + bad)


def test_halfwidth_katakana_is_normalised() -> None:
    assert fl.parse_kana("ｻﾄｳ") == "サトウ"


@given(st.sampled_from(["090", "080", "070"]), st.integers(1000, 9999), st.integers(0, 9999))
def test_mobile_numbers_validate(prefix: str, a: int, b: int) -> None:
    text = f"{prefix}-{a:04d}-{b:04d}"
    assert fl.parse_phone(text) == text
    assert fl.parse_phone(text.translate(FW).replace("-", "ー")) == text
    assert fl.parse_phone(text.replace("-", "")) == text
    assert fl.parse_phone(text + " .") == text  # a speck after the number is not part of it
    assert fl.parse_phone(text + "『") == text
    assert fl.parse_phone(text.replace("-", ".", 1)) == text  # a faint hyphen read as a dot


@pytest.mark.parametrize("text", ["03-1234-5678", "045-814-6924", "0466-21-9674", "06-5209-4314"])
def test_fixed_line_numbers_keep_their_printed_form(text: str) -> None:
    assert fl.parse_phone(text) == text


@pytest.mark.parametrize("text", ["", "12345", "090-1234-567", "abc-defg-hijk", "+1 202 555 0199", "0120-12"])
def test_bad_phone_numbers_raise(text: str) -> None:
    with pytest.raises(FieldError):
        fl.parse_phone(text)


@pytest.mark.parametrize(
    ("read", "number"),
    [("945-794-7158", "045-794-7158"), ("93-5512-9007", "03-5512-9007"), ("980-9671-5624", "080-9671-5624")],
)
def test_a_leading_zero_read_as_another_digit_is_put_back(read: str, number: str) -> None:
    # a dotted zero (VL Gothic) read as 9: the number as read is no Japanese number
    with pytest.raises(FieldError):
        fl.parse_phone(read)
    assert fl.salvage_phone(read) == number


@pytest.mark.parametrize("read", ["045-794-7158", "989-5391-1553", "9809-2115-30999", "abc", ""])
def test_a_phone_is_salvaged_only_when_a_zero_in_front_makes_it_valid(read: str) -> None:
    # one that starts with 0 already, or that a first 0 does not make valid, is left as it is
    assert fl.salvage_phone(read) is None


@given(st.text(max_size=4))
def test_sex_accepts_only_male_or_female(s: str) -> None:
    try:
        v = fl.parse_sex(s)
    except FieldError as exc:
        assert exc.code == "sex.invalid"
    else:
        assert v in ("男", "女")


def test_split_name_at_printed_gap() -> None:
    assert fl.split_name("佐藤　淳") == ("佐藤", "淳")
    assert fl.split_name("長谷川 陽一") == ("長谷川", "陽一")
    with pytest.raises(FieldError) as info:
        fl.split_name("佐藤淳")
    assert info.value.code == "name.no_gap"


def test_clean_text_drops_spaces_between_japanese_only() -> None:
    assert fl.clean_text("横浜 市 中 区 氏家 28 丁目") == "横浜市中区氏家28丁目"
    assert fl.clean_text("ABC DEF") == "ABC DEF"


@pytest.mark.parametrize("text, value", [("1", 1), ("０１２", 12), (" 7 ", 7)])
def test_row_numbers(text: str, value: int) -> None:
    assert fl.parse_no(text) == value


def test_row_number_rejects_text() -> None:
    with pytest.raises(FieldError):
        fl.parse_no("十")


@pytest.mark.parametrize(
    "addr",
    [
        "横浜市都筑区一ツ橋40丁目11番4号",
        "杉並区阿佐谷1-2-3",
        "町田市本町1234番地",
        "柏市若葉3丁目19番",
        "府中市本町2番地5",
    ],
)
def test_plausible_addresses_raise_no_doubt(addr: str) -> None:
    assert fl.address_doubts(addr) == []


@pytest.mark.parametrize(
    ("addr", "code"),
    [
        ("藤沢市本町7丁目6番12旨", "address.pattern"),  # 号 misread
        ("市川市旭町6下8番10号", "address.pattern"),  # 丁目 misread
        ("横浜市中区本町2丁目4番20号|", "address.bad_char"),
        ("若葉2丁目4番20号", "address.no_municipality"),
        ("横浜市中区本町", "address.no_number"),
    ],
)
def test_implausible_addresses_are_doubted(addr: str, code: str) -> None:
    assert code in fl.address_doubts(addr)


def test_school_names_end_like_schools() -> None:
    assert fl.school_doubts("さくら保育園") == [] and fl.school_doubts("上吉羽小学校") == []
    assert "school.pattern" in fl.school_doubts("ひまわり幼然国")
    assert "school.bad_char" in fl.school_doubts("わかば保育所1")


@pytest.mark.parametrize(
    ("read", "fixed"),
    [
        ("横浜市緑区長間24丁目10畳6号", "横浜市緑区長間24丁目10番6号"),
        ("山武郡横芝光町豊町7丁目22番18旨", "山武郡横芝光町豊町7丁目22番18号"),
        ("府中市1丁目2番地3", "府中市1丁目2番地3"),  # 番地 is a form of its own
        ("府中市1丁目2-3", "府中市1丁目2-3"),
    ],
)
def test_address_block_slots_are_ban_and_go(read: str, fixed: str) -> None:
    assert fl.fix_lookalikes(read, address=True) == fixed


@pytest.mark.parametrize("read", ["越谷市本町4一目23番1号", "松戸市中央4]目23番1号", "越谷市東町4」目23番1号"])
def test_chome_misread_after_a_number_is_chome(read: str) -> None:
    assert "4丁目23番1号" in fl.fix_lookalikes(read, address=True)


@pytest.mark.parametrize(
    ("read", "shown"),
    [
        ("町田市南町5一日13番8号", "町田市南町5丁目13番8号"),
        ("越谷市東町1一21席10日", "越谷市東町1丁目21番10号"),
        ("市川市旭町6下日8番10", "市川市旭町6丁目8番10号"),  # 号 lost
        ("藤沢市本町7丁116帯12旨", "藤沢市本町7丁目6番12号"),  # 目 read 11
    ],
)
def test_a_garbled_block_part_is_offered_in_its_form_and_flagged(read: str, shown: str) -> None:
    from ocr import places

    value, reasons = places.parse_address(read)
    assert value == shown and "address.block_repaired" in reasons


@pytest.mark.parametrize(
    "read", ["府中市若利3日3番17人9", "西東京市本町1112番7", "港区芝1-2-3", "新宿区高輪19丁目18番5号"]
)
def test_a_block_part_with_numbers_not_apart_as_its_form_puts_them_is_not_rewritten(read: str) -> None:
    from ocr import places

    value, reasons = places.parse_address(read)
    assert value == read and "address.block_repaired" not in reasons
