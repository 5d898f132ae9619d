"""A name cell's text as read: cleaned, its doubtful characters named, and kana compared.

``name_value`` cleans a read name and says why it may be wrong (characters no name has, a
name-form variant the models cannot read, kana before kanji); ``check_variants`` tells 高 from 髙 by
the printed glyph; ``voicing_only`` compares two kana reads modulo voicing marks and size.
"""

from __future__ import annotations

import unicodedata
from itertools import pairwise

from . import fields as fl
from . import reading, variants
from .errors import FieldError
from .model import Gray


def kana_base(s: str) -> str:
    """Kana without voicing marks and with small kana made large: ザ→サ, パ→ハ, ョ→ヨ."""
    marks = "\u3099\u309a"
    return small_made_large("".join(ch for ch in unicodedata.normalize("NFD", fl.to_katakana(s)) if ch not in marks))


def small_made_large(s: str) -> str:
    """Katakana with small kana made large (ョ→ヨ), voicing marks kept."""
    return s.translate(_SMALL_KANA)


_SMALL_KANA = str.maketrans("ァィゥェォッャュョヮヵヶ", "アイウエオツヤユヨワカケ")


def voicing_only(a: str, b: str) -> bool:
    """Two kana reads that differ only in dakuten / handakuten / small kana."""
    return a != b and len(a) == len(b) and kana_base(a) == kana_base(b)


_NAME_BAD = set("0123456789０１２３４５６７８９!?()[]{}<>|/\\\"'`~@#$%^&*_=+;:,.、。・「」『』【】〔〕-ー—")


# characters whose name-form variant (髙, 﨑, 𠮷) the stock jpn model cannot output: the printed name
# may hold the variant, so a person must look.  邉 and 邊 are told apart by a few pixels: at fax
# resolution both models read 邉 as 邊.
VARIANT_PRONE = set("高崎吉邊邉")


_COMMON_FORMS = str.maketrans("髙﨑𠮷邉", "高崎吉邊")


# a name's flags that say only that its form (高 or 髙, 崎 or 﨑) is a person's question: its reading
# is the common form's
FORM_ONLY_REASONS = (("name.variant_glyph",), ("name.variant_possible",))


def common_form(s: str) -> str:
    """``s`` with each name-form variant (髙, 﨑, 𠮷, 邉) written in its common form: the dictionaries
    know 髙橋 by 高橋's reading, and two reads that differ only there are a question for the glyph."""
    return s.translate(_COMMON_FORMS)


def name_value(raw: str) -> tuple[str, list[str]]:
    s = fl.fix_lookalikes("".join(fl.clean_text(raw).split()))
    reasons: list[str] = []
    if s and (any(c in _NAME_BAD or c.isascii() for c in s)):
        reasons.append("name.bad_char")
    if any(c in VARIANT_PRONE for c in s):
        reasons.append("name.variant_possible")
    if mixed_script(s) and not (reading.is_name(s, "名") or reading.is_name(s, "姓") or reading.is_person(s)):
        # kana before kanji (も海 for 七海): a misread more often than a name like さや香
        reasons.append("name.mixed_script")
    return s, reasons


def mixed_script(s: str) -> bool:
    """A kana followed by a kanji (も海); kanji then kana (木村あすか) is an ordinary name."""

    def kana(c: str) -> bool:
        return "\u3041" <= c <= "\u30ff" and c not in "ーヶ"

    def kanji(c: str) -> bool:
        return "\u3400" <= c <= "\u9fff" or "\uf900" <= c <= "\ufaff"

    return any(kana(a) and kanji(b) for a, b in pairwise(s))


def check_variants(value: str, reasons: list[str], image: Gray | None) -> tuple[str, list[str]]:
    """Tell 高 from 髙 (崎/﨑, 邊/邉) by the printed glyph; the flag stays unless every form is clear.

    A glyph that matches the variant puts the variant in the value (still flagged: the models
    cannot read it, so a person confirms); one that clearly matches the common form clears the flag.
    """
    if "name.variant_possible" not in reasons or image is None:
        return value, reasons
    chars = list(value)
    settled = True
    changed = False
    for k, ch in enumerate(value):
        if ch not in VARIANT_PRONE:
            continue
        form = variants.decide(image, value, k)
        if form is None:
            settled = False
        elif form != ch:
            chars[k] = form
            changed = True
    if changed:
        return "".join(chars), [*(r for r in reasons if r != "name.variant_possible"), "name.variant_glyph"]
    if settled:
        return value, [r for r in reasons if r != "name.variant_possible"]
    return value, reasons


def kana_value(raw: str) -> tuple[str, list[str]]:
    try:
        return fl.parse_kana(raw), []
    except FieldError as exc:
        return "".join(fl.clean_text(raw).split()), [exc.code]
