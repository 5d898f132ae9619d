"""Dictionary readings of kanji names (pykakasi), used only to confirm what the OCR read.

A name's ふりがな and its kanji are read from different parts of the cell by the OCR; when the
reading of the read kanji in the dictionary equals the read kana, both are very likely right.  A
name with an unusual reading simply finds no confirmation (it stays flagged); nothing is ever
filled in from the dictionary alone.
"""

from __future__ import annotations

import re
import threading
from functools import lru_cache
from typing import Any

_lock = threading.Lock()
_kks: list[Any] = []


def _kakasi() -> Any | None:
    with _lock:
        if not _kks:
            try:
                import pykakasi  # type: ignore[import-untyped,unused-ignore]

                _kks.append(pykakasi.kakasi())  # type: ignore[no-untyped-call,unused-ignore]
            except Exception:
                _kks.append(None)
        return _kks[0]


def _is_kanji(ch: str) -> bool:
    return "\u3400" <= ch <= "\u9fff" or "\uf900" <= ch <= "\ufaff" or ch == "々"


@lru_cache(maxsize=4096)
def reading(name: str) -> str | None:
    """Katakana reading of a kanji name, or None when the dictionary does not know every part."""
    if not name or len(name) > 8:
        return None
    kks = _kakasi()
    if kks is None:
        return None
    with _lock:
        try:
            parts = kks.convert(name)
        except Exception:
            return None
    out = []
    for p in parts:
        kana = p.get("kana", "")
        if not kana or any(_is_kanji(c) for c in kana):
            return None
        out.append(kana)
    res = "".join(out)
    return res or None


def confirms(name: str, kana: str) -> bool:
    """The dictionary reading of ``name`` is exactly ``kana`` (katakana)."""
    r = reading(name)
    return r is not None and r == kana


def is_word(s: str) -> bool:
    """The dictionary holds ``s`` as one word (place names such as 狛江, 檜原, 横芝光 are words)."""
    if not s or len(s) > 8:
        return False
    kks = _kakasi()
    if kks is None:
        return False
    with _lock:
        try:
            parts = kks.convert(s)
        except Exception:
            return False
    return len(parts) == 1 and parts[0].get("orig") == s


PREFECTURES = (
    "北海道", "青森県", "岩手県", "宮城県", "秋田県", "山形県", "福島県", "茨城県",
    "栃木県", "群馬県", "埼玉県", "千葉県", "東京都", "神奈川県", "新潟県", "富山県",
    "石川県", "福井県", "山梨県", "長野県", "岐阜県", "静岡県", "愛知県", "三重県",
    "滋賀県", "京都府", "大阪府", "兵庫県", "奈良県", "和歌山県", "鳥取県", "島根県",
    "岡山県", "広島県", "山口県", "徳島県", "香川県", "愛媛県", "高知県", "福岡県",
    "佐賀県", "長崎県", "熊本県", "大分県", "宮崎県", "鹿児島県", "沖縄県",
)
_MUNI_RE = re.compile(r"(?:[^0-9]+?郡)?([^0-9]+?)[市区町村]")


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
    """True: its municipality is a dictionary word; False: it is not; None: cannot tell (kana in it,
    a one-character name, no municipality found)."""
    mu = municipality(address)
    if mu is None or _kakasi() is None:
        return None  # no dictionary: no opinion (never "unknown")
    stem = mu[0]
    if len(stem) < 2 or any(not _is_kanji(c) for c in stem):
        return None
    return is_word(stem)
