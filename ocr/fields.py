"""Field parsers and validators, shared by the pipeline, the GUI editor and the CLI.

Each ``parse_*`` returns the canonical value or raises :class:`~ocr.errors.FieldError`.
"""

from __future__ import annotations

import re
import unicodedata

import phonenumbers

from .dates import parse_date
from .errors import FieldError

__all__ = [
    "address_doubts",
    "clean_text",
    "fix_lookalikes",
    "parse_date",
    "parse_kana",
    "parse_no",
    "parse_phone",
    "parse_sex",
    "salvage_phone",
    "school_doubts",
    "school_kind_repair",
    "split_name",
    "to_katakana",
]

_SPACES = re.compile(r"[\s\u3000]+")
_KANA_RE = re.compile(r"^[\u3041-\u3096\u309d\u309e\u30a1-\u30fa\u30fc\u30fd\u30fe]+$")
_JP_CHAR = r"[\u3000-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff々〆ヶ]"
_JP_GAP = re.compile(rf"(?<={_JP_CHAR})\s+|\s+(?={_JP_CHAR})")


def clean_text(text: str) -> str:
    """NFKC, spaces next to Japanese characters removed (OCR inserts them), other runs collapsed."""
    s = unicodedata.normalize("NFKC", text).strip()
    s = _JP_GAP.sub("", s)
    return _SPACES.sub(" ", s)


_KANJI = r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff々]"
_NOT_KATA = r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff々\u3041-\u3096]"  # kanji or hiragana
# katakana (and the long-vowel mark) printed exactly like a kanji: between kanji/hiragana it is the kanji
_LOOKALIKE = {"ー": "一", "ニ": "二", "ロ": "口", "エ": "工", "ハ": "八"}
_LOOKALIKE_RE = re.compile(
    rf"(?:(?<={_NOT_KATA})|^)([{''.join(_LOOKALIKE)}])(?=(?:{_NOT_KATA}|[0-9]|ツ|ノ|ケ|ヶ|$))"
)
_CHOME_RE = re.compile(r"(?<=[0-9])(?:丁[日月自合目]|[一\]」｜|]目)")
# N丁目N?N? at the end of an address: the one-kanji slots can only be 番 and 号 (異, 當 / 旨, 晩 read)
_BLOCK_RE = re.compile(r"(?<=[0-9]丁目)([0-9]+)[\u4e00-\u9fff]([0-9]+)[\u4e00-\u9fff]$")


def fix_lookalikes(s: str, address: bool = False) -> str:
    """Kanji the OCR read as an identical-looking katakana (一ツ橋 read ーツ橋, 二つ室 read ニつ室).

    Only a lone lookalike with kanji, hiragana, digits or the place-name particles ツ ノ ケ next to
    it is changed; katakana words (ニセコ, ロード) keep theirs.  In addresses 丁日/丁月 after a
    number is 丁目 (no address has 丁日), and the one-kanji slots of a final N丁目N番N号 are 番 and 号.
    """
    out = _LOOKALIKE_RE.sub(lambda m: _LOOKALIKE[m.group(1)], s)
    if address:
        out = _CHOME_RE.sub("丁目", out)
        out = _BLOCK_RE.sub(r"\1番\2号", out)
    return out


def to_katakana(s: str) -> str:
    return "".join(chr(ord(c) + 0x60) if "\u3041" <= c <= "\u3096" else c for c in s)


def to_hiragana(s: str) -> str:
    return "".join(chr(ord(c) - 0x60) if "\u30a1" <= c <= "\u30f6" else c for c in s)


def parse_kana(text: str, script: str = "katakana") -> str:
    """Kana only (hiragana or katakana in, ``script`` out); raise FieldError otherwise."""
    s = "".join(unicodedata.normalize("NFKC", text).split())
    if not s:
        raise FieldError("kana.empty", "no reading")
    if not _KANA_RE.match(s):
        raise FieldError("kana.not_kana", f"{text!r} contains characters other than kana")
    if s[0] in "ーゝゞヽヾ" or s[0] in "ぁぃぅぇぉっゃゅょゎァィゥェォッャュョヮンん":
        raise FieldError("kana.bad_start", f"{text!r} cannot start a reading")
    if script == "hiragana":
        return to_hiragana(s)
    return to_katakana(s)


def parse_phone(text: str) -> str:
    """A Japanese phone number, returned in national format (e.g. 0466-21-9674)."""
    s = unicodedata.normalize("NFKC", text)
    s = "".join(s.split())
    s = re.sub(r"[ー―‐−–—~〜]", "-", s)
    s = s.replace("(", "-").replace(")", "-").strip("-")
    s = s.rstrip(".,、。・'`」『』「")  # a speck after the last digit (090-5853-0627., 080-4089-8107『)
    s = re.sub(r"(?<=[0-9])[.・,](?=[0-9])", "-", s)  # a faint hyphen read as a dot (03.4916-0654)
    if not re.fullmatch(r"\+?[0-9][0-9\-]{8,14}", s):
        raise FieldError("phone.format", f"{text!r} is not a phone number")
    try:
        num = phonenumbers.parse(s, "JP")
    except phonenumbers.NumberParseException as exc:
        raise FieldError("phone.format", f"{text!r} is not a phone number") from exc
    if not phonenumbers.is_valid_number_for_region(num, "JP"):
        raise FieldError("phone.invalid", f"{text!r} is not a valid Japanese number")
    formatted = str(phonenumbers.format_number(num, phonenumbers.PhoneNumberFormat.NATIONAL))
    digits = re.sub(r"\D", "", s)
    if "-" in s and re.sub(r"\D", "", formatted) == digits and s.count("-") == 2:
        return s
    return formatted


def salvage_phone(text: str) -> str | None:
    """A number whose leading 0 was misread (945-794-7158, 93-5512-9007: a dotted or slashed zero read
    as 9): every Japanese number written for dialling at home starts with 0, so the first digit is put
    back as 0 when that makes a valid number; None otherwise."""
    s = "".join(unicodedata.normalize("NFKC", text).split()).lstrip("(-")
    if not s or s[0] == "0" or not (s[0].isdigit() or s[0] in "OoDQ"):
        return None
    try:
        return parse_phone("0" + s[1:])
    except FieldError:
        return None


def parse_sex(text: str) -> str:
    s = "".join(unicodedata.normalize("NFKC", text).split())
    if s in ("男", "男子", "M", "m"):
        return "男"
    if s in ("女", "女子", "F", "f"):
        return "女"
    raise FieldError("sex.invalid", f"{text!r} is not 男 or 女")


def parse_no(text: str) -> int:
    s = "".join(unicodedata.normalize("NFKC", text).split()).rstrip(".")
    if not re.fullmatch(r"\d{1,4}", s):
        raise FieldError("no.format", f"{text!r} is not a row number")
    return int(s)


def split_name(text: str) -> tuple[str, str]:
    """Split "佐藤　淳" at its (first) space into family and given name."""
    s = unicodedata.normalize("NFKC", text).strip()
    parts = s.split()
    if len(parts) != 2:
        raise FieldError("name.no_gap", f"{text!r} has no single gap between family and given name")
    fam, giv = parts
    return fam, giv


# the block part of a Japanese address: 4丁目11番4号, 11番地4, 4-11-4, 1234番地
_ADDR_TAIL = re.compile(
    r"(?:[0-9]+丁目)?(?:[0-9]+番地?)?(?:[0-9]+号)?$|[0-9]+(?:-[0-9]+){1,3}$|[0-9]+番地[0-9]+$"
)
_ADDR_MUNI = re.compile(r"[都道府県市区町村郡]")
_ODD = re.compile(r"[A-Za-z!?*\\/|\[\]{}<>~^_=+@#$%&;:'\"`「」『』【】〔〕()・、。,.]")


def address_doubts(value: str) -> list[str]:
    """Why an address read may be wrong: no municipality, odd characters, a block part that is not
    ``N丁目N番N号`` / ``N番地N`` / ``N-N-N`` (a misread 号 or 番 breaks it).  Empty when it looks right.

    An address may go on with a building name; that is flagged too, so a person looks at it.
    """
    out = []
    if not _ADDR_MUNI.search(value):
        out.append("address.no_municipality")
    if _ODD.search(value):
        out.append("address.bad_char")
    m = re.search(r"[0-9]", value)
    if m is None:
        out.append("address.no_number")
    else:
        tail = value[m.start() :]
        if not tail or not _ADDR_TAIL.fullmatch(tail) or tail[-1] not in "0123456789号番地目":
            out.append("address.pattern")
    return out


_SCHOOL_END = ("園", "所", "校", "センター", "学園", "ルーム")
_ENCLOSED = re.compile("[\u56d7-\u571f]")  # kanji of the 囗 radical (國 團 圃 圓 …)
# the kinds of school a child comes from, as ledgers print them at the end of the name
SCHOOL_KINDS = ("認定こども園", "こども園", "保育園", "保育所", "幼稚園", "小学校", "中学校", "義務教育学校")


def school_kind(value: str) -> str | None:
    """The kind of school ``value`` ends in (認定こども園 before こども園), or None."""
    return next((k for k in sorted(SCHOOL_KINDS, key=len, reverse=True) if value.endswith(k)), None)


_LETTER_RE = re.compile(r"[\u3041-\u3096\u30a1-\u30fa\u30fc\u3400-\u9fff\uf900-\ufaff々]")


def has_letters(value: str) -> bool:
    """``value`` holds a kana or kanji (not only digits, Latin letters, brackets or specks)."""
    return _LETTER_RE.search(value) is not None


def school_kind_repair(value: str) -> str | None:
    """``value`` with the school kind at its end mended, when exactly one kind is one character away
    from how it ends (こども團 → こども園, 保膏園 → 保育園; 保育圃 could be 保育園 or 保育所: None)."""
    if value.endswith(SCHOOL_KINDS):
        return None
    found = set()
    for kind in SCHOOL_KINDS:
        n = len(kind)
        tail = value[-n:]
        if len(value) > n and sum(a != b for a, b in zip(tail, kind, strict=True)) == 1:
            found.add(value[:-n] + kind)
    if len(found) > 1 and _ENCLOSED.fullmatch(value[-1]):
        # 保育國: a last kanji inside 囗 is 園, not 所
        found = {v for v in found if v.endswith("園")}
    return found.pop() if len(found) == 1 else None


def school_doubts(value: str) -> list[str]:
    """A previous-school name should end like one (保育園, 保育所, 幼稚園, 小学校 …)."""
    out = []
    if not value.endswith(_SCHOOL_END):
        out.append("school.pattern")
    if _ODD.search(value) or re.search(r"[0-9]", value):
        out.append("school.bad_char")
    return out
