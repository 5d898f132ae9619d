"""Name-form kanji variants (髙/高, 﨑/崎, 𠮷/吉, 邉/邊) told apart by comparing the glyph with renders.

The stock ``jpn`` models never output 髙, 﨑 or 𠮷 and read 邉 as 邊, so a name holding the common
form may really hold the variant.  The cell's glyph at that position is compared (normalised
correlation) with both forms drawn in the system's Japanese fonts; only a clear winner is trusted.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from functools import lru_cache
from typing import TYPE_CHECKING

import numpy as np
import numpy.typing as npt

from .model import Gray
from .vote import ink_vector

if TYPE_CHECKING:
    from PIL.ImageFont import FreeTypeFont

Vec = npt.NDArray[np.float32]

# common form -> the other forms a printed name may hold
VARIANTS: dict[str, tuple[str, ...]] = {
    "高": ("髙",),
    "崎": ("﨑",),
    "吉": ("𠮷",),
    "邊": ("邉",),
    "邉": ("邊",),
}
SIZE = 40
# the best form must beat every other by this much in correlation to be trusted
MARGIN = 0.04
# where the forms differ (top, sides of the glyph), as (top, bottom, left, right) shares of its box:
# compared there, the forms differ by 0.1-0.3 instead of 0.02-0.1 over the whole glyph
REGIONS: dict[str, tuple[float, float, float, float]] = {
    "高": (0.0, 0.5, 0.0, 1.0),  # 口 or the ladder under 亠
    "崎": (0.0, 0.5, 0.3, 1.0),  # 大 or 立 above 可
}
REGION_MARGIN = 0.06
REGION_MIN = 0.5


def ink_to_vector(ink: Gray) -> Vec | None:
    """A glyph's tight-cropped ink (255 = ink) scaled into a SIZE square keeping its aspect, zero-mean, unit."""
    return ink_vector(ink, SIZE, min_pixels=12)


@lru_cache(maxsize=1)
def _fonts() -> tuple[FreeTypeFont, ...]:
    """The system's Japanese fonts, opened once at the size glyphs are drawn in."""
    from PIL import ImageFont

    from .fonts import japanese_fonts

    out = []
    for path in japanese_fonts():
        try:
            out.append(ImageFont.truetype(str(path), 64))
        except OSError:
            continue
    return tuple(out)


@lru_cache(maxsize=64)  # 40 KB a font: only while vectors are being made (those are cached below)
def _drawn(ch: str) -> tuple[Gray, ...]:
    """``ch`` drawn as ink (255) in every Japanese font that has it (a missing glyph draws as the font's
    tofu: skipped).  One render a character and font: a page's doubted guardian may draw 300 kanji."""
    out: list[Gray] = []
    for font, tofu in zip(_fonts(), _tofus(), strict=True):
        try:
            ink = _draw(font, ch)
        except Exception:
            continue
        if ink.any() and not np.array_equal(ink, tofu):
            out.append(ink)
    return tuple(out)


def _draw(font: FreeTypeFont, ch: str) -> Gray:
    from PIL import Image, ImageDraw

    im = Image.new("L", (100, 100), 0)
    ImageDraw.Draw(im).text((10, 10), ch, font=font, fill=255)
    return np.where(np.asarray(im, dtype=np.uint8) > 127, 255, 0).astype(np.uint8)


@lru_cache(maxsize=1)
def _tofus() -> tuple[Gray, ...]:
    """How each font draws a private-use code point it certainly lacks."""
    out = []
    for font in _fonts():
        try:
            out.append(_draw(font, "\U000f0000"))
        except Exception:
            out.append(np.zeros((100, 100), np.uint8))
    return tuple(out)


@lru_cache(maxsize=1024)  # 13 KB a character (two fonts): at most 13 MB
def _renders(ch: str) -> tuple[Vec, ...]:
    """``ch`` as drawn in every Japanese font that has it, as correlation vectors."""
    return tuple(v for ink in _drawn(ch) if (v := ink_to_vector(ink)) is not None)


def likeness(v: Vec, ch: str) -> float | None:
    """Best correlation of a glyph's vector with ``ch`` drawn in every system font; None when no font
    draws ``ch``."""
    refs = _renders(ch)
    return max(float(np.dot(v, r)) for r in refs) if refs else None


def glyph_likeness(glyph: Gray, ch: str) -> float | None:
    """:func:`likeness` of a glyph's ink (255); None also when it is too faint to compare."""
    v = ink_to_vector(glyph)
    return None if v is None else likeness(v, ch)


def glyph_at(image: Gray, n_chars: int, k: int) -> Gray | None:
    """Ink (255) of the ``k``-th of ``n_chars`` full-width glyphs on a one-line cell image.

    A line printed in two words (保護者 "小林　稔") is cut at the word gap first, the characters shared
    so that both words have the same pitch.
    """
    ink = (image < 128).astype(np.uint8) * 255
    ys, xs = np.nonzero(ink)
    if len(xs) == 0 or n_chars < 1 or not 0 <= k < n_chars:
        return None
    line = ink[ys.min() : ys.max() + 1, xs.min() : xs.max() + 1]
    h = line.shape[0]
    prof = (line > 0).sum(axis=0)
    words = _words(prof, h)
    if len(words) == 1:
        counts = [n_chars]
    elif len(words) == 2 and n_chars >= 2:
        w1, w2 = words[0][1] - words[0][0], words[1][1] - words[1][0]
        m = min(range(1, n_chars), key=lambda m: abs(w1 / m - w2 / (n_chars - m)))
        counts = [m, n_chars - m]
    else:
        return None
    for (a, b), n in zip(words, counts, strict=True):
        if k >= n:
            k -= n
            continue
        part = _cut(line[:, a:b], prof[a:b], n, k, h)
        return part
    return None


def _words(prof: npt.NDArray[np.int64], h: int) -> list[tuple[int, int]]:
    """Column spans of the line split at blank runs wider than 0.45 × line height."""
    out: list[tuple[int, int]] = []
    start, blank = None, 0
    for x, v in enumerate(prof):
        if v > 0:
            if start is None:
                start = x
            elif blank > 0.45 * h:
                out.append((start, x - blank))
                start = x
            blank = 0
        else:
            blank += 1
    if start is not None:
        out.append((start, len(prof) - blank))
    return out


def _cut(word: Gray, prof: npt.NDArray[np.int64], n: int, k: int, h: int) -> Gray | None:
    w = word.shape[1]
    pitch = w / n
    if not 0.6 * h <= pitch <= 1.6 * h:
        return None  # not a row of square glyphs: the position would be a guess
    cuts = pitch_cuts(prof, n, 0.2)
    return None if cuts is None else word[:, cuts[k] : cuts[k + 1]]


def pitch_cuts(prof: npt.NDArray[np.int64], n: int, window: float) -> list[int] | None:
    """Edges of ``n`` glyphs printed at an even pitch along a column profile: each cut at the widest
    run of emptiest columns within ``window`` × pitch of where even spacing puts it (the space
    between two glyphs, not a gap inside ハ or 川); None when the glyphs cannot fit."""
    w = len(prof)
    pitch = w / n
    cuts = [0]
    for j in range(1, n):
        x = round(j * pitch)
        lo, hi = max(cuts[-1] + 1, x - round(window * pitch)), min(w - 1, x + round(window * pitch))
        if hi <= lo:
            return None
        cuts.append(_widest_gap(prof, lo, hi, x))
    cuts.append(w)
    return cuts


def _widest_gap(prof: npt.NDArray[np.int64], lo: int, hi: int, x: int) -> int:
    """The middle of the widest run of emptiest columns in ``prof[lo:hi]`` (nearest ``x`` on a tie)."""
    window = prof[lo:hi]
    low = window <= window.min()
    best: tuple[int, int, int] | None = None  # (length, -distance, middle)
    k = 0
    while k < len(low):
        if not low[k]:
            k += 1
            continue
        start = k
        while k < len(low) and low[k]:
            k += 1
        mid = lo + (start + k - 1) // 2
        cand = (k - start, -abs(mid - x), mid)
        if best is None or cand > best:
            best = cand
    return best[2] if best is not None else x


def top_strokes(glyph: Gray) -> tuple[float, float] | None:
    """Lengths (as a fraction of the glyph width) of the first two horizontal strokes from the top."""
    ys, xs = np.nonzero(glyph)
    if len(xs) < 12:
        return None
    g = glyph[ys.min() : ys.max() + 1, xs.min() : xs.max() + 1] > 0
    h, w = g.shape
    if h < 10 or w < 10:
        return None
    spans = []
    for row in g[: int(0.6 * h)]:
        cols = np.nonzero(row)[0]
        spans.append((cols.max() - cols.min() + 1) / w if len(cols) else 0.0)
    strokes: list[float] = []
    in_stroke = False
    for v in spans:
        if v >= 0.3:
            if in_stroke:
                strokes[-1] = max(strokes[-1], v)
            else:
                strokes.append(v)
                in_stroke = True
        else:
            in_stroke = False
    if len(strokes) < 2:
        return None
    return strokes[0], strokes[1]


def _decide_kichi(glyph: Gray) -> str | None:
    """吉 (士: the upper stroke longer) or 𠮷 (土: the lower stroke longer).  No font here draws 𠮷."""
    st = top_strokes(glyph)
    if st is None:
        return None
    upper, lower = st
    # 吉: the top stroke spans the whole glyph and is longer than the next (士 or the 口 below)
    if upper >= 0.97 and upper >= KICHI_RATIO * lower:
        return "吉"
    # 𠮷: the top stroke is clearly shorter than the glyph and the stroke under it
    if upper <= 0.85 and lower >= 1.15 * upper:
        return "𠮷"
    return None


KICHI_RATIO = 1.05


def decide(image: Gray, text: str, k: int) -> str | None:
    """The form of ``text[k]`` the cell shows, when one form clearly wins; else None.

    高 is never decided where the glyph shows no blank row between the bar of 亠 and the box under
    it, or between the box and 冂: 髙's ladder runs from one to the other in every font, and a font
    drawing it wider than ours (VL Gothic) makes it look more like our 高 than our 髙."""
    form = _decide(image, text, k)
    if form == "高":
        glyph = glyph_at(image, len(text), k)
        if glyph is None or not ladder_gaps(glyph):
            return None
    return form


def ladder_gaps(glyph: Gray) -> int | None:
    """Runs of blank rows between the top bar of 高/髙 (the widest row of its top third) and the bar of
    冂 (the widest row between a third and 70 % of its height), the bars' own rows left out: two for
    高 (above and below 口), none for 髙 (its ladder touches both bars); None for no glyph."""
    g = glyph > 0
    ys, xs = np.nonzero(g)
    if len(xs) < 12:
        return None
    g = g[ys.min() : ys.max() + 1, xs.min() : xs.max() + 1]
    h, w = g.shape
    width = g.sum(axis=1)
    top = int(np.argmax(width[: max(1, int(0.35 * h))]))
    lo, hi = int(0.35 * h), max(int(0.35 * h) + 1, int(0.72 * h))
    mid = lo + int(np.argmax(width[lo:hi]))
    a, b = top, mid
    while a + 1 < h and width[a + 1] >= 0.6 * width[top]:
        a += 1
    while b - 1 > a and width[b - 1] >= 0.6 * width[mid]:
        b -= 1
    runs, blank = 0, False
    for y in range(a + 1, b):
        empty = bool(width[y] <= max(1, 0.04 * w))
        runs += empty and not blank
        blank = empty
    return runs


def _decide(image: Gray, text: str, k: int) -> str | None:
    ch = text[k]
    forms = (ch, *VARIANTS.get(ch, ()))
    if ch == "吉" and not _renders("𠮷"):
        glyph = glyph_at(image, len(text), k)
        return None if glyph is None else _decide_kichi(glyph)
    scores = glyph_scores(image, len(text), k, forms)  # None: no glyph, or no font to draw a form
    if scores is None:
        return None
    ranked = sorted(scores, key=lambda f: -scores[f])
    region = REGIONS.get(ch)
    if region is not None:
        # decided where the forms differ, and the whole glyph must lean the same way
        part = region_scores(image, len(text), k, forms, region)
        if part is not None and max(part.values()) >= REGION_MIN:
            best = max(part, key=lambda f: part[f])
            margin = min(part[best] - v for f, v in part.items() if f != best)
            return best if best == ranked[0] and margin >= REGION_MARGIN else None
        # the region matches no form (cut badly): the whole glyph may still show the variant (the value
        # keeps its flag then); the common form, which would clear the flag, needs the region's word
        if ranked[0] != ch and scores[ranked[0]] - scores[ranked[1]] >= MARGIN:
            return ranked[0]
        return None
    if scores[ranked[0]] - scores[ranked[1]] < MARGIN:
        return None
    return ranked[0]


def _region_vector(ink: Gray, region: tuple[float, float, float, float]) -> Vec | None:
    ys, xs = np.nonzero(ink)
    if len(xs) == 0:
        return None
    box = ink[ys.min() : ys.max() + 1, xs.min() : xs.max() + 1]
    h, w = box.shape
    top, bottom, left, right = region
    y0, x0 = int(top * h), int(left * w)
    part = box[y0 : max(int(bottom * h), y0 + 1), x0 : max(int(right * w), x0 + 1)]
    return ink_vector(part, 32, min_pixels=8)


@lru_cache(maxsize=64)
def _region_renders(ch: str, region: tuple[float, float, float, float]) -> tuple[Vec, ...]:
    """The ``region`` of ``ch`` drawn in every Japanese font that has it."""
    return tuple(v for ink in _drawn(ch) if (v := _region_vector(ink, region)) is not None)


def region_scores(
    image: Gray, n_chars: int, k: int, chars: tuple[str, ...], region: tuple[float, float, float, float]
) -> dict[str, float] | None:
    """Like :func:`glyph_scores`, comparing only ``region`` of the glyph and of each drawn form."""
    glyph = glyph_at(image, n_chars, k)
    v = _region_vector(glyph, region) if glyph is not None else None
    if v is None:
        return None
    out: dict[str, float] = {}
    for ch in chars:
        refs = _region_renders(ch, region)
        if not refs:
            return None
        out[ch] = max(float(np.dot(v, r)) for r in refs)
    return out


# a model disagreement on a name is settled by the glyphs only when the printed glyph matches one
# read's character clearly better than the other's, at every position where the reads differ
ARBITER_MIN = 0.55
ARBITER_MARGIN = 0.12
ARBITER_MAX_DIFF = 2


def glyph_scores(image: Gray, n_chars: int, k: int, chars: tuple[str, ...]) -> dict[str, float] | None:
    """Best correlation of the ``k``-th glyph (of ``n_chars``) with each of ``chars`` drawn in every
    system font; None when the glyph cannot be cut out or a character has no font to draw it."""
    glyph = glyph_at(image, n_chars, k)
    v = ink_to_vector(glyph) if glyph is not None else None
    if v is None:
        return None
    out: dict[str, float] = {}
    for ch in chars:
        if (score := likeness(v, ch)) is None:
            return None
        out[ch] = score
    return out


def arbitrate(image: Gray, a: str, b: str) -> str | None:
    """Which of two reads of a one-line name the printed glyphs show; None unless every differing
    character is clearly one of the two."""
    if len(a) != len(b) or a == b or not a:
        return None
    diff = [k for k, (x, y) in enumerate(zip(a, b, strict=True)) if x != y]
    if len(diff) > ARBITER_MAX_DIFF:
        return None
    out = list(a)
    for k in diff:
        s = glyph_scores(image, len(a), k, (a[k], b[k]))
        if s is None:
            return None
        best, other = (a[k], b[k]) if s[a[k]] >= s[b[k]] else (b[k], a[k])
        if s[best] < ARBITER_MIN or s[best] - s[other] < ARBITER_MARGIN:
            return None
        out[k] = best
    res = "".join(out)
    return res if res in (a, b) else None


# a spelling offered for a misread name must match the printed glyphs this well on average, and
# beat every other spelling of the reading and the read itself by this much
SPELLING_MIN = 0.3
SPELLING_MARGIN = 0.05


def pick_spelling(image: Gray, spellings: tuple[str, ...], read: str) -> str | None:
    """The one of ``spellings`` whose characters, drawn in the system fonts, match the glyphs printed
    in the one-line cell ``image`` clearly best (mean correlation over the positions), and clearly
    better than the ``read`` of the models; None when none stands out."""
    vectors: dict[int, list[Vec] | None] = {}

    def score(s: str) -> float | None:
        n = len(s)
        if n not in vectors:
            glyphs = [glyph_at(image, n, k) for k in range(n)]
            vs = [ink_to_vector(g) if g is not None else None for g in glyphs]
            vectors[n] = None if any(v is None for v in vs) else [v for v in vs if v is not None]
        got = vectors[n]
        if got is None:
            return None
        total = 0.0
        for v, ch in zip(got, s, strict=True):
            if (x := likeness(v, ch)) is None:
                return None
            total += x
        return total / n

    scored = [(s, x) for s in dict.fromkeys(spellings) if (x := score(s)) is not None]
    own = score(read) if read else None
    best = _clear_winner([x for _s, x in scored], [own] * len(scored), SPELLING_MARGIN)
    return None if best is None else scored[best][0]


def _clear_winner(
    scores: Sequence[float], rivals: Sequence[float | None], rival_margin: float, spread: float = SPELLING_MARGIN
) -> int | None:
    """The index of the best of ``scores`` when it is at least SPELLING_MIN, beats every other score by
    ``spread`` and its own rival (the models' read, scored alike) by ``rival_margin``; else None.
    The one rule by which a drawn candidate may replace what the models read."""
    if not scores:
        return None
    best = max(range(len(scores)), key=lambda i: scores[i])
    others = (s for i, s in enumerate(scores) if i != best)
    if scores[best] < SPELLING_MIN or any(scores[best] - s < spread for s in others):
        return None
    rival = rivals[best]
    return best if rival is None or scores[best] - rival >= rival_margin else None


def _advance(ch: str) -> float:
    """Width of ``ch`` in ems as a ledger prints it: ASCII (digits, hyphens) half, everything else full."""
    return 0.5 if ord(ch) < 0x2000 else 1.0


def line_glyph(image: Gray, text: str, k: int) -> Gray | None:
    """Ink (255) of ``text[k]``, a full-width character, on a one-line cell image that prints ``text``
    with half-width digits in it (an address: 船橋市南町3丁目…).  The em is the ink width over the
    text's width in ems; each edge is then moved to the widest gap near where the ems put it."""
    if not 0 <= k < len(text) or _advance(text[k]) != 1.0:
        return None
    ink = (image < 128).astype(np.uint8) * 255
    ys, xs = np.nonzero(ink)
    if len(xs) == 0:
        return None
    line = ink[ys.min() : ys.max() + 1, xs.min() : xs.max() + 1]
    prof = (line > 0).sum(axis=0)
    w = int(line.shape[1])
    em = w / sum(_advance(c) for c in text)
    if not 0.6 * line.shape[0] <= em <= 1.6 * line.shape[0]:
        return None  # the read does not fill the line as printed: a glyph's place would be a guess
    left = sum(_advance(c) for c in text[:k]) * em

    def edge(x: float) -> int:
        if x <= 0 or x >= w:
            return min(max(round(x), 0), w)
        lo, hi = max(0, round(x - 0.25 * em)), min(w - 1, round(x + 0.25 * em))
        return _widest_gap(prof, lo, hi, round(x)) if hi > lo else round(x)

    a, b = edge(left), edge(left + em)
    return line[:, a:b] if b - a >= 0.5 * em else None


def pick_in_line(image: Gray, text: str, choices: tuple[tuple[int, str], ...]) -> int | None:
    """Which of ``choices`` (position in ``text``, the character to put there) the printed glyph at that
    position matches clearly best, and clearly better than ``text``'s own character there; its index,
    or None.  (A place name read one kanji off: 川日市 printed as 川口市, 川西市 or 向日市?)"""
    return pick_glyph(lambda k: line_glyph(image, text, k), text, choices, SPELLING_MARGIN)


def pick_one_kanji_off(
    image: Gray,
    text: str,
    near: Sequence[tuple[int, str]],
    own_margin: float,
    at: int = 0,
    spread: float = SPELLING_MARGIN,
) -> str | None:
    """Of ``near``, words written like ``text[at:]`` but for the kanji at the position given with each
    (和也, 一也 beside 利也), the one whose kanji the printed glyph there (on the one-line cell ``image``
    printing ``text``) matches best by ``spread`` over the others, and by ``own_margin`` over ``text``'s
    own; None when none does."""
    if not near:
        return None
    choices = tuple((at + i, cand[i]) for i, cand in near)
    best = pick_glyph(lambda k: glyph_at(image, len(text), k), text, choices, own_margin, spread)
    return None if best is None else near[best][1]


def pick_glyph(
    glyph_of: Callable[[int], Gray | None],
    text: str,
    choices: tuple[tuple[int, str], ...],
    own_margin: float,
    spread: float = SPELLING_MARGIN,
) -> int | None:
    """The index of the one of ``choices`` (position, character) whose drawn character matches the glyph
    ``glyph_of(position)`` best by ``spread`` over every other choice and by ``own_margin`` over
    ``text``'s own character there; None when none does (or a glyph cannot be cut out)."""
    vectors: dict[int, Vec | None] = {}
    scores: list[float] = []
    own: list[float] = []
    for k, ch in choices:
        if k not in vectors:
            glyph = glyph_of(k)
            vectors[k] = ink_to_vector(glyph) if glyph is not None else None
        v = vectors[k]
        score, mine = (None, None) if v is None else (likeness(v, ch), likeness(v, text[k]))
        if score is None or mine is None:
            return None
        scores.append(score)
        own.append(mine)
    return _clear_winner(scores, own, own_margin, spread)
