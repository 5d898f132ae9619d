"""The kanji spellings of Japanese given and family names, looked up by reading.

From JMnedict (EDRDG, CC BY-SA 4.0), cut down by ``resources/names/build_name_readings.py``: given
names only in the kanji a child's name may be registered with, family names in any.  Used to offer
the spelling of a misread name that its ふりがな and the printed glyphs agree on; never to clear a flag.
"""

from __future__ import annotations

import gzip
from array import array
from bisect import bisect_left
from functools import lru_cache
from pathlib import Path

TABLE = Path(__file__).resolve().parents[1] / "resources" / "names" / "name_readings.tsv.gz"
PARTS = {"family": "f", "given": "g"}


class _Table:
    """The table's sorted lines, kept as the UTF-8 text and the offset of each line (about 5 MB in
    memory rather than 18 as a tuple of strings); UTF-8 sorts bytes as the code points they spell."""

    def __init__(self, text: bytes) -> None:
        self.text = text
        starts = [0]
        at = text.find(b"\n")
        while at != -1:
            starts.append(at + 1)
            at = text.find(b"\n", at + 1)
        if starts[-1] == len(text):
            starts.pop()
        self.starts = array("I", starts)

    def __len__(self) -> int:
        return len(self.starts)

    def __getitem__(self, i: int) -> bytes:
        start = self.starts[i]
        end = self.text.find(b"\n", start)
        return self.text[start : end if end != -1 else len(self.text)]


@lru_cache(maxsize=1)
def _table() -> _Table:
    """Read once; empty when the file is missing or unreadable."""
    try:
        with gzip.open(TABLE, "rb") as f:
            return _Table(f.read())
    except (OSError, EOFError):
        return _Table(b"")


def _katakana(s: str) -> str:
    return "".join(chr(ord(c) + 0x60) if "ぁ" <= c <= "ゖ" else c for c in s)


def spellings(reading: str, part: str) -> tuple[str, ...]:
    """The spellings of a ``part`` ("family" or "given") name read ``reading`` (hiragana or katakana)."""
    if not reading or part not in PARTS:
        return ()
    key = f"{PARTS[part]}\t{_katakana(reading)}\t".encode()
    table = _table()
    i = bisect_left(table, key)
    if i < len(table) and (line := table[i]).startswith(key):
        return tuple(line[len(key) :].decode("utf-8").split(" "))
    return ()
