"""A kana reading checked against the printed ふりがな, glyph by glyph.

The ふりがな line is cut into as many equal slots as the candidate has kana (ruby is spread evenly),
each slot's glyph is compared with the candidate's kana and with every kana it could be mistaken for
(voicing marks, small kana, another read at that place), drawn in the system's Japanese fonts.  Only a
candidate that wins clearly in every slot, with small kana the right size, is confirmed.
"""

from __future__ import annotations

from itertools import pairwise

import numpy as np

from .fields import to_hiragana
from .model import Gray
from .variants import glyph_likeness, pitch_cuts

MIN_SCORE = 0.55
MARGIN = 0.06
SMALL_MAX = 0.8  # a small kana is at most this share of the line's tallest glyph
LARGE_MIN = 0.8  # the large kana of a small/large pair at least this share

_GROUPS = [
    "カガ",
    "キギ",
    "クグ",
    "ケゲ",
    "コゴ",
    "サザ",
    "シジ",
    "スズ",
    "セゼ",
    "ソゾ",
    "タダ",
    "チヂ",
    "ツヅッ",
    "テデ",
    "トド",
    "ハバパ",
    "ヒビピ",
    "フブプ",
    "ヘベペ",
    "ホボポ",
    "ウヴゥ",
]
_GROUPS += ["アァ", "イィ", "エェ", "オォ", "ヤャ", "ユュ", "ヨョ", "ワヮ"]
_SMALL = set("ァィゥェォッャュョヮ")
_HAS_SMALL = dict(zip("アイウエオツヤユヨワ", "ァィゥェォッャュョヮ", strict=True))
_COUNTERPART = {**_HAS_SMALL, **{v: k for k, v in _HAS_SMALL.items()}}


def confusable(ch: str) -> set[str]:
    """Kana that differ from ``ch`` (katakana) only by voicing marks or size."""
    out: set[str] = set()
    for g in _GROUPS:
        if ch in g:
            out |= set(g)
    out.discard(ch)
    return out


def slots(ink: Gray, n: int) -> list[tuple[Gray, float]] | None:
    """The line's ink (255 = ink) cut into ``n`` glyphs at the emptiest columns near equal spacing,
    each with its ink height relative to the tallest glyph; None when the line cannot hold ``n``."""
    ys, xs = np.nonzero(ink)
    if len(xs) == 0 or n < 1:
        return None
    line = ink[ys.min() : ys.max() + 1, xs.min() : xs.max() + 1]
    h, w = line.shape
    pitch = w / n
    if not 0.5 * h <= pitch <= 3.5 * h:
        return None
    cuts = pitch_cuts((line > 0).sum(axis=0), n, 0.4)
    if cuts is None:
        return None
    parts = [line[:, a:b] for a, b in pairwise(cuts)]
    heights = []
    for p in parts:
        rows = np.nonzero(p.max(axis=1))[0]
        heights.append(float(rows.max() - rows.min() + 1) if len(rows) else 0.0)
    tallest = max(heights) or 1.0
    return [(p, hh / tallest) for p, hh in zip(parts, heights, strict=True)]


def _score(glyph: Gray, ch: str, hiragana: bool) -> float | None:
    return glyph_likeness(glyph, to_hiragana(ch) if hiragana else ch)


def _size_ok(ch: str, rel: float) -> bool:
    if ch in _SMALL:
        return rel <= SMALL_MAX
    if ch in _HAS_SMALL:
        return rel >= LARGE_MIN
    return True


def confirm(image: Gray, candidate: str, others: tuple[str, ...] = (), hiragana: bool = False) -> bool:
    """The printed kana of a one-line cell image (dark on light) are ``candidate`` (katakana)."""
    if not candidate or not all("ァ" <= c <= "ヶ" for c in candidate):
        return False
    ink = (image < 128).astype(np.uint8) * 255
    cut = slots(ink, len(candidate))
    if cut is None:
        return False
    for k, (ch, (glyph, rel)) in enumerate(zip(candidate, cut, strict=True)):
        size_in_doubt = ch in _SMALL or any(len(o) == len(candidate) and o[k] == _COUNTERPART.get(ch) for o in others)
        if size_in_doubt and not _size_ok(ch, rel):
            return False
        # size, not shape, tells ャ from ヤ (checked above): compare shapes with same-size kana only
        rivals = {c for c in confusable(ch) if (c in _SMALL) == (ch in _SMALL)}
        rivals |= {o[k] for o in others if len(o) == len(candidate) and o[k] != ch}
        rivals.discard(_COUNTERPART.get(ch, ""))
        best = _score(glyph, ch, hiragana)
        if best is None or best < MIN_SCORE:
            return False
        for r in rivals:
            s = _score(glyph, r, hiragana)
            if s is not None and best - s < MARGIN:
                return False
    return True


def likeness(image: Gray, candidate: str, hiragana: bool = False) -> float | None:
    """How well the printed kana of a one-line cell image look like ``candidate`` (katakana): the
    mean correlation of each even-pitch slot with the candidate's kana there, small kana the right
    size; None when the line cannot hold that many kana or a kana cannot be drawn."""
    if not candidate or not all("ァ" <= c <= "ヶ" for c in candidate):
        return None
    cut = slots((image < 128).astype(np.uint8) * 255, len(candidate))
    if cut is None:
        return None
    total = 0.0
    for ch, (glyph, rel) in zip(candidate, cut, strict=True):
        s = _score(glyph, ch, hiragana)
        if s is None:
            return None
        total += s if _size_ok(ch, rel) else s - MARGIN
    return total / len(candidate)


def size_twins(a: str, b: str) -> bool:
    """Two kana strings that differ only where one has a small kana and the other its large form (チョ /
    チヨ): what tells them apart is the printed size, which :func:`confirm` checks."""
    diff = [(x, y) for x, y in zip(a, b, strict=False) if x != y]
    return len(a) == len(b) and bool(diff) and all(_COUNTERPART.get(x) == y for x, y in diff)
