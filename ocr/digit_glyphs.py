"""Digits the two models read differently, told apart by the printed glyphs.

A phone number printed in a thin Mincho and sent in fax standard mode is read 03-5186-7072 by one
model and 03-5186-7078 by the other; both are valid numbers, so only the glyph can say which.  The
line is cut at its blank columns into glyphs (a hyphen, flat and low, is no digit); when there are
exactly as many digit glyphs as digits read, each digit the reads disagree on is drawn in the system
fonts both ways and compared with its glyph.  Only when every such glyph matches one read's digit
clearly better, all for the same read, is that read taken.

A font's digits may look like no system font's (VL Gothic's 0 has a dot in it; the fast model reads
it 9): the page's own digits, cut from the phone numbers and dates where both models read the
same digit (:func:`page_digits`), are asked too, for a digit the page shows often enough; a glyph
either clearly settles counts, one they settle differently settles nothing.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

import numpy as np

from .grid import runs
from .model import Gray
from .variants import Vec, glyph_likeness, ink_to_vector

MARGIN = 0.05  # correlation by which a glyph must favour one digit over the other
# and the least correlation with the favoured digit: below it the glyph is too blurred (a thin Mincho
# in standard mode: 5 read as 6 at 0.52 over 0.44) or cut wrong to say anything
MIN_LIKENESS = 0.55
HYPHEN_MAX_HEIGHT = 0.4  # a span at most this share of the line's height is a hyphen (or a speck)


def digit_glyphs(image: Gray) -> list[Gray]:
    """Ink (255) of each glyph of a one-line cell of digits and hyphens, left to right, hyphens left out."""
    ink = np.asarray(image < 128)
    ys = np.flatnonzero(ink.any(axis=1))
    if len(ys) == 0:
        return []
    line = ink[ys[0] : ys[-1] + 1]
    height = line.shape[0]
    out: list[Gray] = []
    for start, end in runs(line.sum(axis=0), 0, 0):
        glyph = line[:, start:end]
        rows = np.flatnonzero(glyph.any(axis=1))
        if rows[-1] - rows[0] + 1 > HYPHEN_MAX_HEIGHT * height:
            out.append(np.where(glyph, 255, 0).astype(np.uint8))
    return out


PageDigits = Mapping[str, list[Vec]]
PAGE_DIGITS_MIN = 3  # printed examples of each digit compared before the page is asked beside the fonts


def page_digits(lines: Iterable[tuple[Gray, str, str]]) -> dict[str, list[Vec]]:
    """The page's printed digits by what they are: each glyph of a one-line cell (a phone number, a date)
    that both models read as the same digit, from two reads ``a`` and ``b`` of one length, when the
    line cuts into as many glyphs as they have characters (dots and hyphens aside)."""
    out: dict[str, list[Vec]] = {}
    for image, a, b in lines:
        shown = _shown(image, a, b)
        for glyph, (x, y) in shown or ():
            if x == y and x.isdigit() and (v := ink_to_vector(glyph)) is not None:
                out.setdefault(x, []).append(v)
    return out


def _shown(image: Gray, a: str, b: str) -> list[tuple[Gray, tuple[str, str]]] | None:
    """Each glyph of the line with the two reads' characters for it; None when the reads differ in length
    or the line does not cut into as many glyphs as they have characters (dots and hyphens aside)."""
    if len(a) != len(b):
        return None
    chars = [(x, y) for x, y in zip(a, b, strict=True) if x not in SMALL_MARKS]
    glyphs = digit_glyphs(image)
    return list(zip(glyphs, chars, strict=True)) if len(glyphs) == len(chars) else None


def _verdicts(glyph: Gray, x: str, y: str, own: PageDigits) -> set[int] | None:
    """Which of the digits ``x`` (0) and ``y`` (1) the glyph is clearly like, by the system fonts and, when
    the page shows both often enough, by the page's own examples (the mean of the three likest); an
    empty set when neither says, None when they contradict each other."""
    out: set[int] = set()
    pairs: list[tuple[float | None, float | None]] = [(glyph_likeness(glyph, x), glyph_likeness(glyph, y))]
    shown = len(own.get(x, ())) >= PAGE_DIGITS_MIN and len(own.get(y, ())) >= PAGE_DIGITS_MIN
    if shown and (v := ink_to_vector(glyph)) is not None:
        bx, by = (float(np.mean(sorted(float(np.dot(v, e)) for e in own[d])[-3:])) for d in (x, y))
        pairs.append((bx, by))
    for sx, sy in pairs:
        if sx is not None and sy is not None and abs(sx - sy) >= MARGIN and max(sx, sy) >= MIN_LIKENESS:
            out.add(0 if sx > sy else 1)
    return None if len(out) > 1 else out


SMALL_MARKS = ".-・－ー"  # printed too flat or too small to be cut as a glyph of their own


def pick_digits(image: Gray, a: str, b: str, own: PageDigits | None = None) -> int | None:
    """0 when the printed glyphs bear out the digits of ``a`` where it differs from ``b`` (two reads of one
    length that differ only in digits: 03-5186-7072, H30.6.11), 1 when they bear out ``b``'s; None when
    the line does not cut into as many glyphs as the reads have characters (dots and hyphens aside), or
    any differing glyph is unclear or unlike both, or the glyphs side with each read in places.
    ``own``: the page's printed digits (:func:`page_digits`), asked beside the fonts for a digit the page
    shows often enough; a glyph the two judge differently decides nothing."""
    if len(a) != len(b) or a == b:
        return None
    if any(x != y and not (x.isdigit() and y.isdigit()) for x, y in zip(a, b, strict=True)):
        return None
    shown = _shown(image, a, b)
    if shown is None:
        return None
    own = own or {}
    sides = set()
    for glyph, (x, y) in shown:
        if x == y:
            continue
        said = _verdicts(glyph, x, y, own)
        if not said:
            return None
        sides |= said
    return sides.pop() if len(sides) == 1 else None
