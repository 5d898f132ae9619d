"""The kanji spellings of Japanese given and family names, looked up by reading.

From JMnedict (EDRDG, CC BY-SA 4.0), cut down by ``resources/names/build_name_readings.py``: given
names only in the kanji a child's name may be registered with, family names in any.  Used to offer
the spelling of a misread name that its ふりがな and the printed glyphs agree on; never to clear a flag.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from functools import lru_cache
from pathlib import Path

from .fields import to_katakana
from .reading import is_kanji
from .sorted_lines import SortedLines

TABLE = Path(__file__).resolve().parents[1] / "resources" / "names" / "name_readings.tsv.gz"
PARTS = {"family": "f", "given": "g"}
# ruby on a fax gains a kana as often as it loses one (ツバパサ for ツバサ): ふりがな this long are also
# looked up with each kana dropped
DROPPED_KANA_MIN = 4


@lru_cache(maxsize=1)
def _table() -> SortedLines:
    """Read once (about 5 MB in memory); empty when the file is missing or unreadable."""
    return SortedLines.read(TABLE)


def available() -> bool:
    return len(_table()) > 0


def spellings(reading: str, part: str) -> tuple[str, ...]:
    """The spellings of a ``part`` ("family" or "given") name read ``reading`` (hiragana or katakana)."""
    if not reading or part not in PARTS:
        return ()
    key = f"{PARTS[part]}\t{to_katakana(reading)}\t".encode()
    line = _table().first_with(key)
    return () if line is None else tuple(line[len(key) :].decode("utf-8").split(" "))


def with_a_kana_dropped(kana: str) -> Iterator[str]:
    """``kana`` with each of its kana left out in turn (ツバパサ: バパサ, ツパサ, ツバサ, ツバパ)."""
    return (kana[:i] + kana[i + 1 :] for i in range(len(kana)))


def given_known(name: str) -> bool | None:
    """``name`` is written so as a given name (in the name dictionary); None without the table."""
    table = _table()
    return table.has(f"s\t{name}".encode()) if len(table) else None


@lru_cache(maxsize=1)
def _given_name_kanji() -> tuple[dict[str, int], tuple[str, ...]]:
    """Each kanji of the dictionary's given names with its rank by how often it spells one (子 0, 美 1 …
    裕 109 … 容 442), and the given names of one kanji; built once, when first asked."""
    names = _table().block(b"s\t").decode("utf-8").replace("s\t", "")
    counts = Counter(ch for ch in names if is_kanji(ch))
    singles = tuple(n for n in names.split("\n") if len(n) == 1 and is_kanji(n))
    return {ch: rank for rank, (ch, _n) in enumerate(counts.most_common())}, singles


def common_in_given_names(ch: str) -> bool:
    """``ch`` is one of the COMMON_GIVEN_KANJI kanji that spell the most given names (恵, 裕, 舞)."""
    return _given_name_kanji()[0].get(ch, COMMON_GIVEN_KANJI) < COMMON_GIVEN_KANJI


COMMON_GIVEN_KANJI = 300


@lru_cache(maxsize=64)  # a doubted guardian's 由美 recurs down the page; a look-up scans ~7,000 lines
def given_one_kanji_away(name: str) -> tuple[tuple[int, str], ...]:
    """The given names written like ``name`` but for one kanji put for another (吉介: 亮介, 圭介 …), each
    with the position of the kanji that differs (a one-kanji name such as 舞: every other one-kanji name,
    some 1,500)."""
    out: list[tuple[int, str]] = []
    table = _table()
    if len(name) == 1 and is_kanji(name):
        return tuple((0, c) for c in _given_name_kanji()[1] if c != name)
    for i, ch in enumerate(name):
        if not is_kanji(ch):
            continue
        if i == 0:  # the names ending like it: by the backwards lines
            rest = name[1:][::-1]
            found = (line[2:].decode("utf-8")[::-1] for line in table.starting(f"r\t{rest}".encode()))
        else:
            found = (line[2:].decode("utf-8") for line in table.starting(f"s\t{name[:i]}".encode()))
        for cand in found:
            same_rest = cand[:i] == name[:i] and cand[i + 1 :] == name[i + 1 :]
            if len(cand) == len(name) and same_rest and cand[i] != ch and is_kanji(cand[i]):
                out.append((i, cand))
    return tuple(out)

