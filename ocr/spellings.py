"""The kanji spellings of Japanese given and family names, looked up by reading.

From JMnedict (EDRDG, CC BY-SA 4.0), cut down by ``resources/names/build_name_readings.py``: given
names only in the kanji a child's name may be registered with, family names in any.  Used to offer
the spelling of a misread name that its ふりがな and the printed glyphs agree on; never to clear a flag.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from .sorted_lines import SortedLines

TABLE = Path(__file__).resolve().parents[1] / "resources" / "names" / "name_readings.tsv.gz"
PARTS = {"family": "f", "given": "g"}


@lru_cache(maxsize=1)
def _table() -> SortedLines:
    """Read once (about 5 MB in memory); empty when the file is missing or unreadable."""
    return SortedLines.read(TABLE)


def _katakana(s: str) -> str:
    return "".join(chr(ord(c) + 0x60) if "ぁ" <= c <= "ゖ" else c for c in s)


def spellings(reading: str, part: str) -> tuple[str, ...]:
    """The spellings of a ``part`` ("family" or "given") name read ``reading`` (hiragana or katakana)."""
    if not reading or part not in PARTS:
        return ()
    key = f"{PARTS[part]}\t{_katakana(reading)}\t".encode()
    line = _table().first_with(key)
    return () if line is None else tuple(line[len(key) :].decode("utf-8").split(" "))
