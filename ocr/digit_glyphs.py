"""Digits the two models read differently, told apart by the printed glyphs.

A phone number printed in a thin Mincho and sent in fax standard mode is read 03-5186-7072 by one
model and 03-5186-7078 by the other; both are valid numbers, so only the glyph can say which.  The
line is cut at its blank columns into glyphs (a hyphen, flat and low, is no digit); when there are
exactly as many digit glyphs as digits read, each digit the reads disagree on is drawn in the system
fonts both ways and compared with its glyph.  Only when every such glyph matches one read's digit
clearly better, all for the same read, is that read taken.
"""

from __future__ import annotations

import numpy as np

from .grid import runs
from .model import Gray
from .variants import glyph_likeness

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


def pick_digits(image: Gray, a: str, b: str) -> int | None:
    """0 when the printed glyphs bear out the digits of ``a`` where it differs from ``b`` (digit strings of
    one length), 1 when they bear out ``b``'s; None when the line does not cut into as many glyphs as
    digits, or any differing glyph is unclear or unlike both, or the glyphs side with each read in places."""
    if len(a) != len(b) or a == b or not (a + b).isdigit():
        return None
    glyphs = digit_glyphs(image)
    if len(glyphs) != len(a):
        return None
    sides = set()
    for glyph, x, y in zip(glyphs, a, b, strict=True):
        if x == y:
            continue
        sx, sy = glyph_likeness(glyph, x), glyph_likeness(glyph, y)
        if sx is None or sy is None or abs(sx - sy) < MARGIN or max(sx, sy) < MIN_LIKENESS:
            return None
        sides.add(0 if sx > sy else 1)
    return sides.pop() if len(sides) == 1 else None
