"""Dictionary readings of kanji names (Sudachi, Apache-2.0), used only to confirm what the OCR read.

A name's ふりがな and its kanji are read from different parts of the cell by the OCR; when the
reading of the read kanji in the dictionary equals the read kana, both are very likely right.  A
name with an unusual reading simply finds no confirmation (it stays flagged); nothing is ever
filled in from the dictionary alone.

The dictionary is SudachiDict "core" (``sudachidict_core``), memory-mapped and loaded once per
process; without it (a broken install) every check answers "cannot tell", so fields stay flagged.
"""

from __future__ import annotations

import re
import threading
from functools import lru_cache
from typing import Any

from . import wards

_lock = threading.Lock()
_tok: list[Any] = []


def _tokenizer() -> Any | None:
    with _lock:
        if not _tok:
            try:
                from sudachipy import Dictionary, SplitMode

                _tok.append((Dictionary(dict="core").tokenizer(mode=SplitMode.C), SplitMode.C))
            except Exception:  # a missing or damaged dictionary: no opinion, never a crash
                _tok.append(None)
        return _tok[0]


def available() -> bool:
    """The reading dictionary could be loaded."""
    return _tokenizer() is not None


def is_kanji(ch: str) -> bool:
    """A CJK ideograph (incl. extension A and the compatibility forms such as 﨑) or 々."""
    return "\u3400" <= ch <= "\u9fff" or "\uf900" <= ch <= "\ufaff" or ch == "々"


_DOUBLED = re.compile(r"([\u4e00-\u9fff])\1")


def kanji_read_twice(text: str) -> tuple[int, str] | None:
    """Where ``text`` writes a kanji twice running (上上野台: 0) and ``text`` with it once (上野台); None
    when it writes none so.  A model reads one kanji twice on a standard fax's doubled scan lines;
    names and places repeat a kanji with 々 (佐々木), seldom by writing it again."""
    m = _DOUBLED.search(text)
    return None if m is None else (m.start(), text[: m.start()] + text[m.start() + 1 :])


def kanji_put_for_another(a: str, b: str) -> int | None:
    """Where ``a`` and ``b``, of one length, differ by one kanji put for another (栖本 / 橋本: 0); None
    when they differ elsewhere too, or not in a kanji."""
    if len(a) != len(b):
        return None
    diff = [i for i, (x, y) in enumerate(zip(a, b, strict=True)) if x != y]
    return diff[0] if len(diff) == 1 and is_kanji(a[diff[0]]) and is_kanji(b[diff[0]]) else None


def _morphemes(text: str) -> list[tuple[str, str, bool, tuple[str, ...]]] | None:
    """(surface, katakana reading, out-of-vocabulary, part of speech) of each word of ``text``."""
    t = _tokenizer()
    if t is None:
        return None
    tok, mode = t
    with _lock:
        try:
            ms = tok.tokenize(text, mode)
            return [(m.surface(), m.reading_form(), m.is_oov(), tuple(m.part_of_speech())) for m in ms]
        except Exception:
            return None


@lru_cache(maxsize=4096)
def reading(name: str) -> str | None:
    """Katakana reading of a kanji name, or None when the dictionary does not know every part."""
    if not name or len(name) > 8:
        return None
    parts = _morphemes(name)
    if not parts:
        return None
    out = []
    for _surface, kana, oov, _pos in parts:
        if oov or not kana or any(is_kanji(c) for c in kana):
            return None
        out.append(kana)
    return "".join(out) or None


@lru_cache(maxsize=4096)
def text_cost(text: str) -> int | None:
    """How unlikely ``text`` is as Japanese: the cost of the dictionary's best split into words (lower is
    likelier; 横浜市青葉区 costs far less than the misread 横浜市膏蘇区).  None without a dictionary."""
    t = _tokenizer()
    if t is None or not text:
        return None
    tok, mode = t
    with _lock:
        try:
            return int(tok.tokenize(text, mode).get_internal_cost())
        except Exception:
            return None


def confirms(name: str, kana: str) -> bool:
    """The dictionary reading of ``name`` is exactly ``kana`` (katakana)."""
    r = reading(name)
    return r is not None and r == kana


def _one_word(s: str) -> tuple[str, ...] | None:
    """The part of speech of ``s`` when the dictionary holds it whole as one known word."""
    if not s or len(s) > 8:
        return None
    parts = _morphemes(s)
    if parts is None or len(parts) != 1:
        return None
    surface, _kana, oov, pos = parts[0]
    return pos if surface == s and not oov else None


@lru_cache(maxsize=4096)
def is_name(s: str, part: str) -> bool:
    """The dictionary holds ``s`` whole as a person's family name (``part`` "姓") or given name ("名")."""
    pos = _one_word(s)
    return pos is not None and pos[1:4] == ("固有名詞", "人名", part)


def is_proper_noun(s: str) -> bool:
    """The dictionary holds ``s`` whole as one proper noun (由美 and 正和 are, whatever their tag)."""
    pos = _one_word(s)
    return pos is not None and pos[1:2] == ("固有名詞",)


def is_person(s: str) -> bool:
    """``s`` splits into a dictionary family name followed by a dictionary given name (渡辺里佳)."""
    return any(is_name(s[:i], "姓") and is_name(s[i:], "名") for i in range(1, len(s)))


def odd_kana_name(s: str) -> bool:
    """A name written in hiragana (a school's: ひまわり, はなぞの, にじいろ) that reads as no word but as
    bits of grammar (はなやぞの: はな・や・ぞ・の; はなでの; あおそら): an OCR slip more likely than a name.
    No dictionary: no opinion."""
    if len(s) < 3 or not re.fullmatch(r"[\u3041-\u3096ー]+", s) or _one_word(s) is not None:
        return False
    parts = _morphemes(s)
    if parts is None:
        return False
    grammar = sum(1 for _surface, _kana, oov, pos in parts if oov or pos[0] in _GRAMMAR)
    return grammar >= 2


_GRAMMAR = ("助詞", "助動詞", "感動詞")


def is_place(s: str) -> bool:
    """The dictionary holds ``s`` whole as a place name (夷隅 is one; 実隅 is a given name)."""
    pos = _one_word(s)
    return pos is not None and pos[1:3] == ("固有名詞", "地名")


def is_word(s: str) -> bool:
    """The dictionary holds ``s`` as one word (place names such as 狛江, 檜原, 横芝光 are words)."""
    return _one_word(s) is not None


PREFECTURES = (
    "北海道", "青森県", "岩手県", "宮城県", "秋田県", "山形県", "福島県", "茨城県",
    "栃木県", "群馬県", "埼玉県", "千葉県", "東京都", "神奈川県", "新潟県", "富山県",
    "石川県", "福井県", "山梨県", "長野県", "岐阜県", "静岡県", "愛知県", "三重県",
    "滋賀県", "京都府", "大阪府", "兵庫県", "奈良県", "和歌山県", "鳥取県", "島根県",
    "岡山県", "広島県", "山口県", "徳島県", "香川県", "愛媛県", "高知県", "福岡県",
    "佐賀県", "長崎県", "熊本県", "大分県", "宮崎県", "鹿児島県", "沖縄県",
)
_MUNI_RE = re.compile(r"(?:[^0-9]+?郡)?([^0-9]+?)[市区町村]")
_WARD_RE = re.compile(r"([^0-9市区町村]{1,5})区")


def municipality(address: str) -> tuple[str, int] | None:
    """The stem of an address's first municipality (狛江 of 狛江市…) and where the municipality ends."""
    s = address
    off = 0
    for p in PREFECTURES:
        if s.startswith(p):
            off = len(p)
            break
    m = _MUNI_RE.match(s, off)
    if m is None:
        return None
    return m.group(1), m.end()


def known_municipality(address: str) -> bool | None:
    """True: its municipality is a dictionary word (a designated city's ward: one of the city's wards,
    :mod:`ocr.wards`); False: it is not; None: cannot tell (kana in it, a one-character name, no
    municipality found)."""
    mu = municipality(address)
    if mu is None or not available():
        return None  # no dictionary: no opinion (never "unknown")
    stem, end = mu
    if (known := wards.ward_known(address, mu)) is not None:
        return known  # a designated city's ward: its list decides (縁区 is a word, 横浜市 has no such ward)
    if len(stem) < 2 or any(not is_kanji(c) for c in stem):
        return None
    # 狛江 is a word; 東大和 and 江戸川 are words only with their suffix (東大和市, 江戸川区)
    suffix = address[end - 1]
    if suffix in "市区":
        # a city or ward is a place name, as itself or with its suffix (328 cities and the 23 wards
        # checked): 川白 is a word, a family name, and 川白市 a misread of 川口市.  Towns and villages
        # are often named like families (小川町, 本埜村): any word will do for them
        if not (is_place(stem) or is_place(stem + suffix) or is_word(stem + suffix)):
            return False
    elif not (is_word(stem) or is_word(stem + suffix)):
        return False
    ward = _WARD_RE.match(address, end) if address[end - 1] == "市" else None
    if ward is not None and all(is_kanji(c) for c in ward.group(1)):
        # a city's ward (川崎市宮前区): a word too (富前区 is a misread)
        return is_word(ward.group(1)) or is_word(ward.group(1) + "区")
    return True
