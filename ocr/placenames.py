"""Japan's municipalities and town names, from Japan Post's postal code data (resources/places).

An address on a ledger names a municipality that exists (千代田区, 横浜市青葉区, 西多摩郡檜原村) and a town
that exists somewhere in Japan (皇居外苑, 大和田).  A read naming neither is misread somewhere; a name one
kanji away from exactly one real name (船横市: 船橋市) is offered that name, still flagged.
"""

from __future__ import annotations

import unicodedata
from functools import lru_cache
from pathlib import Path

import numpy as np
import numpy.typing as npt

from .reading import kanji_put_for_another
from .sorted_lines import SortedLines

TABLE = Path(__file__).resolve().parents[1] / "resources" / "places" / "places.tsv.gz"
_SPELLING = str.maketrans({"ヶ": "ケ", "ヵ": "カ", "の": "ノ", "ッ": "ツ"})


def norm(name: str) -> str:
    """A place name as the table writes it: NFKC, ケ for ヶ, ノ for の, ツ for ッ (一ッ橋, 一ツ橋)."""
    return unicodedata.normalize("NFKC", name).translate(_SPELLING)


@lru_cache(maxsize=1)
def _table() -> SortedLines:
    """The table's lines ``m``/``t`` TAB name, read once (about 2 MB); empty when the file is missing."""
    return SortedLines.read(TABLE)


def available() -> bool:
    return len(_table()) > 0


def _known(kind: str, name: str) -> bool | None:
    table = _table()
    return table.has(f"{kind}\t{norm(name)}".encode()) if len(table) else None


def municipality_known(name: str) -> bool | None:
    """``name`` (郡 and 区 included: 西多摩郡檜原村, 横浜市青葉区) is a municipality; None without the table."""
    return _known("m", name)


def former_municipality(name: str) -> bool:
    """``name`` (after its 郡, if any) was a municipality, or is a place so named, though none is today: a
    village merged away (印旛郡印旛村), a city since merged (浦和市).  Only designated cities have wards,
    and all of them still exist: a former city with a ward (川内市幸区) is a misread."""
    county, _, rest = norm(name).rpartition("郡")
    if county and not (_table().first_with(f"m\t{county}郡".encode()) or _known("o", county + "郡")):
        return False  # 実隅郡: no such county, then or now
    return bool(_known("o", rest))


def town_known(name: str) -> bool | None:
    """``name`` is a town name somewhere in Japan; None without the table."""
    return _known("t", name)


def town_common(name: str) -> bool:
    """``name`` is a town name 20 or more municipalities have (本町, 栄町, 新田)."""
    return bool(_known("c", name))


@lru_cache(maxsize=2)
def _by_length(kind: str) -> dict[int, npt.NDArray[np.uint32]]:
    """The table's names of a kind by their length, each a row of its code points, in the table's order:
    a kanji put for another is sought in all of them at once (the towns take about 1.5 MB)."""
    rows: dict[int, list[list[int]]] = {}
    for line in _table().starting(f"{kind}\t".encode()):
        name = line[2:].decode("utf-8")
        rows.setdefault(len(name), []).append([ord(c) for c in name])
    return {n: np.array(r, dtype=np.uint32) for n, r in rows.items()}


def one_kanji_away(name: str, kind: str) -> tuple[str, ...]:
    """The municipalities (``kind`` "m") or towns ("t") written like ``name`` but for one kanji put for
    another (船横市: 船橋市); the misread kanji and the real one are both kanji."""
    n = norm(name)
    names = _by_length(kind).get(len(n))
    if names is None:
        return ()
    one_off = np.flatnonzero((names != np.array([ord(c) for c in n], dtype=np.uint32)).sum(axis=1) == 1)
    cands = ("".join(map(chr, names[i])) for i in one_off)
    return tuple(c for c in cands if kanji_put_for_another(c, n) is not None)
