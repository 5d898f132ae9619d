"""学校コード (MEXT school code): 13 characters with a check digit."""

from __future__ import annotations

import re
import unicodedata

from storage.errors import InputError

_KINDS = {"A1", "A2", "B1", "C1", "C2", "D1", "D2", "E1", "F1", "F2", "G1", "H1", "H2"}
_SHAPE = re.compile(r"([A-H][0-9])([0-9]{2})([1-3])([1-9][0-9]{6})([0-9])")


def check_digit(first12: str) -> int:
    """Check digit over the 12 characters before it (leading letter A–H read as 01–08)."""
    digits = f"{ord(first12[0]) - ord('A') + 1:02d}" + first12[1:]
    total = 0
    for index, char in enumerate(digits):
        product = int(char) * (1 if index % 2 == 0 else 2)
        total += product // 10 + product % 10
    return (10 - total % 10) % 10


def _invalid(code: str, why_ja: str, why_en: str) -> InputError:
    return InputError(
        "school.code_invalid",
        f"学校コード「{code}」が正しくありません: {why_ja}",
        f"School code '{code}' is invalid: {why_en}",
    )


def validate(text: str) -> str:
    """The canonical code (upper case, half-width), or InputError saying what is wrong."""
    code = unicodedata.normalize("NFKC", text).strip().upper().replace("-", "").replace(" ", "")
    if len(code) != 13:
        raise _invalid(code, "13文字ではありません", "it must have 13 characters")
    match = _SHAPE.fullmatch(code)
    if match is None or match.group(1) not in _KINDS:
        raise _invalid(code, "学校種・都道府県・設置区分・学校番号の形式が違います", "wrong format")
    if not 1 <= int(match.group(2)) <= 47:
        raise _invalid(code, "都道府県番号は01〜47です", "the prefecture number must be 01–47")
    if check_digit(code[:12]) != int(code[12]):
        raise _invalid(code, "チェックディジットが一致しません", "the check digit does not match")
    return code
