"""Japan's 2,000 most common family names (resources/names/surnames.tsv: 佐藤 to 脇本, the name, about
how many people bear it, its reading), used to offer a common family name for a misread one that the
printed glyph bears out; never to clear a flag.  Rare family names are real too: a name missing here
is not wrong, it only finds no offer.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from .reading import kanji_put_for_another

TABLE = Path(__file__).resolve().parents[1] / "resources" / "names" / "surnames.tsv"


@lru_cache(maxsize=1)
def _table() -> dict[str, tuple[int, str]]:
    """name: (people, reading in katakana); empty when the file is missing or unreadable."""
    out: dict[str, tuple[int, str]] = {}
    try:
        text = TABLE.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return out
    for line in text.splitlines():
        parts = line.split("\t")
        if len(parts) == 3 and parts[1].isdigit():
            out[parts[0]] = (int(parts[1]), parts[2])
    return out


def available() -> bool:
    return bool(_table())


def is_common(name: str) -> bool:
    return name in _table()


def reading(name: str) -> str | None:
    """The reading of a common family name, in katakana."""
    got = _table().get(name)
    return None if got is None else got[1]


def one_kanji_away(name: str) -> tuple[tuple[int, str], ...]:
    """The common family names written like ``name`` but for one kanji put for another (栖本: 橋本,
    坂本 …), each with the position of the kanji that differs."""
    return tuple((i, cand) for cand in _table() if (i := kanji_put_for_another(cand, name)) is not None)
