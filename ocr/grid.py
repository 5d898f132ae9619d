"""Stage 3: the ruled table grid of a page, from morphological line masks and projection profiles.

Tolerates broken fax rules (gaps are closed before the long opening) and a slight residual skew
(profiles are smoothed over a few rows).  Also yields the text ink with the rules and specks removed.
"""

from __future__ import annotations

import itertools
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import cv2
import numpy as np
import numpy.typing as npt

from .model import Gray, Grid, Page


@dataclass(frozen=True)
class TablePage:
    page: Page
    grid: Grid
    text_ink: Gray  # 255 = ink that is not a ruled line
    # the page as the engine is shown it: ``page.gray`` with the dots of grey grounds cleared (the
    # review screen keeps showing ``page.gray``)
    ocr_gray: Gray | None = None
    # the ink of each cell printed on a grey ground, before its dots were cleared, by (row, column):
    # a header cell the engine cannot read is cleared harder and read again
    grounds: Mapping[tuple[int, int], Gray] = field(default_factory=dict)

    @property
    def gray(self) -> Gray:
        return self.ocr_gray if self.ocr_gray is not None else self.page.gray


def runs(profile: np.ndarray, thresh: float, merge: int) -> list[tuple[int, int]]:
    """Start and end of each run of ``profile`` above ``thresh`` (gaps up to ``merge`` bridged)."""
    above = profile > thresh
    out: list[tuple[int, int]] = []
    i, n = 0, len(profile)
    while i < n:
        if not above[i]:
            i += 1
            continue
        j = i
        while j < n and (above[j] or (j + merge < n and above[j + 1 : j + 1 + merge].any())):
            j += 1
        out.append((i, j))
        i = j
    return out


def _peak(profile: np.ndarray, i: int, j: int) -> tuple[int, float]:
    seg = profile[i:j]
    w = seg.astype(np.float64)
    return round(float((np.arange(i, j) * w).sum() / max(w.sum(), 1e-9))), float(seg.max())


def _peaks(profile: np.ndarray, thresh: float, merge: int) -> list[tuple[int, float]]:
    """Centres (weighted) and heights of runs of ``profile`` above ``thresh``."""
    return [_peak(profile, i, j) for i, j in runs(profile, thresh, merge)]


RULE_MAX_THICK = 24  # px at ~300 dpi: a horizontal "line" thicker than this is a band, not one rule
BAND_RULE_COVER = 0.6  # share of a band's row that a rule inside it covers with ink


def _hpeaks(hsm: np.ndarray, thresh: float, ink: Gray) -> list[tuple[int, float]]:
    """Horizontal rule candidates.  A row printed on a grey ground (網掛け) reaches a fax as a field of
    dots that the closing in :func:`line_masks` joins into one band between the row's two rules: in
    such a band the rules are found again as the rows the ink itself covers, or, when the ground came
    out solid, as its edges."""
    out: list[tuple[int, float]] = []
    for i, j in runs(hsm, thresh, 2):
        if j - i <= RULE_MAX_THICK:
            out.append(_peak(hsm, i, j))
            continue
        cols = np.nonzero(ink[i:j].max(axis=0) > 0)[0]
        span = ink[i:j, cols[0] : cols[-1] + 1] if len(cols) else ink[i:j]
        cover = (span > 0).mean(axis=1).astype(np.float32)
        height = float(hsm[i:j].max())
        inked = runs(cover, BAND_RULE_COVER, 2)
        if len(inked) == 1 and inked[0][1] - inked[0][0] >= SOLID_BAND * (j - i):
            # a grey ground the threshold took for ink (a scan: a flat grey, not a fax's dots) is solid
            # between the row's rules: its edges are the rules
            out.extend(((i + inked[0][0], height), (i + inked[0][1] - 1, height)))
            continue
        out.extend((i + c, height) for c, _ in _peaks(cover, BAND_RULE_COVER, 2))
    return out


SOLID_BAND = 0.8  # share of a band's rows its ink covers when the band is one solid ground


def line_masks(ink: Gray) -> tuple[Gray, Gray]:
    h, w = ink.shape
    hlen = max(40, w // 30)
    vlen = max(30, h // 40)
    hclosed = cv2.morphologyEx(ink, cv2.MORPH_CLOSE, cv2.getStructuringElement(cv2.MORPH_RECT, (21, 1)))
    hmask = cv2.morphologyEx(hclosed, cv2.MORPH_OPEN, cv2.getStructuringElement(cv2.MORPH_RECT, (hlen, 1)))
    vclosed = cv2.morphologyEx(ink, cv2.MORPH_CLOSE, cv2.getStructuringElement(cv2.MORPH_RECT, (1, 21)))
    vmask = cv2.morphologyEx(vclosed, cv2.MORPH_OPEN, cv2.getStructuringElement(cv2.MORPH_RECT, (1, vlen)))
    # a solid ground (a scanned grey header the threshold took for ink) is no vertical rule at every column
    solid = cv2.morphologyEx(ink, cv2.MORPH_OPEN, cv2.getStructuringElement(cv2.MORPH_RECT, (RULE_MAX_THICK,) * 2))
    if solid.any():
        vmask = cv2.bitwise_and(vmask, cv2.bitwise_not(solid))
    return np.asarray(hmask, dtype=np.uint8), np.asarray(vmask, dtype=np.uint8)


def detect_grid(page: Page) -> TablePage | None:
    """Grid of the main ruled table of ``page``, or None when there is no table."""
    ink = page.binary
    _h, w = ink.shape
    hmask, vmask = line_masks(ink)
    hprof = (hmask > 0).sum(axis=1).astype(np.float32)
    hsm = np.convolve(hprof, np.ones(5, np.float32), mode="same") / 2.0
    if hsm.max() < w * 0.15:
        return None
    hpeaks = _hpeaks(hsm, 0.2 * float(hsm.max()), ink)
    if len(hpeaks) < 2:
        return None
    strong = [c for c, v in hpeaks if v >= 0.5 * float(hsm.max())]
    # table horizontal extent from the strongest rules
    band = np.zeros(w, np.int32)
    for y in strong:
        band += hmask[max(0, y - 3) : y + 4].max(axis=0) > 0
    cols_on = np.nonzero(band >= max(1, len(strong) // 2))[0]
    if len(cols_on) == 0:
        return None
    tx0, tx1 = int(cols_on[0]), int(cols_on[-1])
    ty0, ty1 = hpeaks[0][0], hpeaks[-1][0]
    vprof = (vmask[ty0 : ty1 + 1, :] > 0).sum(axis=0).astype(np.float32)
    vsm = np.convolve(vprof, np.ones(5, np.float32), mode="same") / 2.0
    vpeaks = _peaks(vsm, 0.4 * float(ty1 - ty0), 2)
    xs = _dedupe([c for c, _ in vpeaks if tx0 - 15 <= c <= tx1 + 15], 12)
    if len(xs) < 3:
        return None
    ys = [y for y, _ in hpeaks if _is_rule(ink, y, xs)]
    ys = _dedupe(ys, 12)
    if len(ys) < 2:
        return None
    # vertical rules must span the table that the verified horizontal rules delimit
    vprof = (vmask[ys[0] : ys[-1] + 1, :] > 0).sum(axis=0).astype(np.float32)
    vsm = np.convolve(vprof, np.ones(5, np.float32), mode="same") / 2.0
    vpeaks = _peaks(vsm, 0.5 * float(ys[-1] - ys[0]), 2)
    xs2 = _dedupe([c for c, _ in vpeaks if tx0 - 15 <= c <= tx1 + 15 and _is_vrule(ink, c, ys)], 12)
    if len(xs2) >= 3:
        xs = xs2
    grid = Grid(page=page.number, xs=tuple(xs), ys=tuple(ys))
    text = clean_text_ink(ink, _near(hmask, ys, axis=0), _near(vmask, xs, axis=1))
    grounds = shaded_cells(text, grid)
    text, ocr_gray = clear_grounds(text, page.gray, grid, grounds)
    if (lifted := lift_solid_grounds(text, page.gray if ocr_gray is None else ocr_gray, grid)) is not None:
        text, ocr_gray = lifted
    return TablePage(page=page, grid=grid, text_ink=text, ocr_gray=ocr_gray, grounds=grounds)


GROUND_DOT_AREA = 12  # px at ~300 dpi: a dot of a grey ground as a fax prints it
GROUND_DOTS = 8e-4  # dots per pixel of a cell on a grey ground (measured 14e-4 to 44e-4; plain cells ≤ 3e-4)
STROKE_WINDOW = 5  # px: a stroke fills this square almost wholly, a ground of dots does not
STROKE_FILL = 0.7
# harder clearings tried on a header cell on a grey ground that the engine cannot read: (fill, min_area);
# they lose thin strokes, so only a header, whose words are known, is read this way
HARDER_GROUND_CLEARINGS = ((0.8, 25), (0.9, 25))


def shaded_cells(text: Gray, grid: Grid) -> dict[tuple[int, int], Gray]:
    """The cells printed on a grey ground (網掛け, mostly the header row): a fax turns the ground into a
    field of dots.  Returns a copy of each such cell's ink by (row, column)."""
    out: dict[tuple[int, int], Gray] = {}
    for r in range(grid.n_rows):
        for c in range(grid.n_cols):
            x0, y0, x1, y1 = grid.cell_box(r, c)
            sub = text[y0:y1, x0:x1]
            if sub.size == 0:
                continue
            _n, _labels, stats, _ = cv2.connectedComponentsWithStats(sub, connectivity=8)
            dots = int((stats[1:, cv2.CC_STAT_AREA] <= GROUND_DOT_AREA).sum())
            if dots >= 20 and dots >= GROUND_DOTS * sub.size:
                out[(r, c)] = sub.copy()
    return out


def solid_ink(sub: Gray, fill: float = 0.7, min_area: int = 0) -> Gray:
    """Only the ink that is solid like a stroke (fills ``fill`` of a small square around it), without
    pieces smaller than ``min_area`` pixels: the text of a cell on a ground of dots."""
    window = np.ones((STROKE_WINDOW, STROKE_WINDOW), np.float32) / STROKE_WINDOW**2
    solid = cv2.filter2D((sub > 0).astype(np.float32), -1, window) > fill
    grown = cv2.dilate(solid.astype(np.uint8), np.ones((3, 3), np.uint8))
    kept = np.where((grown > 0) & (sub > 0), 255, 0).astype(np.uint8)
    if min_area > 0:
        _n, labels, stats, _ = cv2.connectedComponentsWithStats(kept, connectivity=8)
        keep = stats[:, cv2.CC_STAT_AREA] >= min_area
        keep[0] = False
        kept = np.where(keep[labels], 255, 0).astype(np.uint8)
    return kept


def clear_grounds(
    text: Gray, gray: Gray, grid: Grid, grounds: Mapping[tuple[int, int], Gray]
) -> tuple[Gray, Gray | None]:
    """Keep only the ink that is solid like a stroke in the cells on a grey ground, in the text mask and
    in the image the engine reads.  Plain cells are untouched (the solidity test would thin Mincho
    strokes)."""
    if not grounds:
        return text, None
    out_text, out_gray = text.copy(), gray.copy()
    for (r, c), sub in grounds.items():
        x0, y0, x1, y1 = grid.cell_box(r, c)
        kept = solid_ink(sub, STROKE_FILL)
        out_text[y0:y1, x0:x1] = kept
        out_gray[y0:y1, x0:x1] = np.where(kept > 0, 0, 255).astype(np.uint8)
    return out_text, out_gray


def lift_solid_grounds(text: Gray, gray: Gray, grid: Grid) -> tuple[Gray, Gray] | None:
    """Cells whose ink fills them (a flat grey ground, scanned, that the page's threshold took for ink):
    the text is what is darker than the ground, found by a threshold of the cell's own; the ground is
    cleared from the text mask and from the image the engine reads (both returned; None when no cell
    is solid)."""
    out_text: Gray | None = None
    out_gray: Gray | None = None
    for r in range(grid.n_rows):
        for c in range(grid.n_cols):
            x0, y0, x1, y1 = grid.cell_box(r, c)
            pad = RULE_PAD
            if x1 - x0 <= 2 * pad or y1 - y0 <= 2 * pad:
                continue
            sub = text[y0 + pad : y1 - pad, x0 + pad : x1 - pad]
            if float((sub > 0).mean()) < SOLID_CELL:
                continue
            g = gray[y0 + pad : y1 - pad, x0 + pad : x1 - pad]
            t, _ = cv2.threshold(g, 0, 255, cv2.THRESH_BINARY_INV + cv2.THRESH_OTSU)
            ink = np.where(g < t, 255, 0).astype(np.uint8)
            if float((ink > 0).mean()) > SOLID_TEXT_MAX:
                continue  # no text darker than the ground: a black cell, left as it is
            if out_text is None or out_gray is None:
                out_text, out_gray = text.copy(), gray.copy()
            out_text[y0 + pad : y1 - pad, x0 + pad : x1 - pad] = ink
            out_gray[y0 + pad : y1 - pad, x0 + pad : x1 - pad] = np.where(ink > 0, g, 255).astype(np.uint8)
    return None if out_text is None or out_gray is None else (out_text, out_gray)


RULE_PAD = 4  # px inside a cell's box left alone: the rules
SOLID_CELL = 0.6  # share of a cell's pixels inked when the cell is one solid ground (rules aside)
SOLID_TEXT_MAX = 0.4  # share of a solid cell darker than its own threshold when that is text on a ground


def _is_vrule(ink: Gray, x: int, ys: list[int]) -> bool:
    """A vertical rule crosses (almost) every row; a column of aligned strokes does not."""
    strip = ink[:, max(0, x - 4) : x + 5].max(axis=1) > 0
    good = 0
    for a, b in itertools.pairwise(ys):
        seg = strip[a + 6 : b - 6]
        if len(seg) and seg.mean() > 0.6:
            good += 1
    return good >= 0.75 * (len(ys) - 1)


def _is_rule(ink: Gray, y: int, xs: list[int]) -> bool:
    """A horizontal rule crosses (almost) every column; a line of text does not."""
    strip = ink[max(0, y - 4) : y + 5].max(axis=0) > 0
    good = 0
    for a, b in itertools.pairwise(xs):
        seg = strip[a + 6 : b - 6]
        if len(seg) and seg.mean() > 0.6:
            good += 1
    return good >= 0.75 * (len(xs) - 1)


def _dedupe(vals: list[int], gap: int) -> list[int]:
    out: list[int] = []
    for v in sorted(vals):
        if out and v - out[-1] < gap:
            out[-1] = (out[-1] + v) // 2
        else:
            out.append(v)
    return out


def _near(mask: Gray, pos: list[int], axis: int, reach: int = 7) -> Gray:
    """Only the parts of a line mask that lie on a verified rule."""
    keep = np.zeros(mask.shape[axis], bool)
    for p in pos:
        keep[max(0, p - reach) : p + reach + 1] = True
    out = mask.copy()
    if axis == 0:
        out[~keep, :] = 0
    else:
        out[:, ~keep] = 0
    return out


def components(mask: npt.NDArray[Any]) -> tuple[npt.NDArray[Any], npt.NDArray[Any]]:
    """Labels and stats of the 8-connected components of a page-sized mask, the labels in 16 bits when
    they fit (half the memory of 32: 37 MB for an A3 page at 300 dpi), else in 32."""
    try:
        _n, labels, stats, _ = cv2.connectedComponentsWithStats(mask, connectivity=8, ltype=cv2.CV_16U)
    except cv2.error:  # more than 65,535 components
        _n, labels, stats, _ = cv2.connectedComponentsWithStats(mask, connectivity=8, ltype=cv2.CV_32S)
    return labels, stats


def clean_text_ink(ink: Gray, hmask: Gray, vmask: Gray) -> Gray:
    lines = cv2.dilate(cv2.bitwise_or(hmask, vmask), np.ones((5, 5), np.uint8))
    text = cv2.bitwise_and(ink, cv2.bitwise_not(lines))
    labels, stats = components(text)
    small = stats[:, cv2.CC_STAT_AREA] < 7
    small[0] = False
    if small.any():
        # a ruled line's ragged edge lines up like a dotted stroke too: only away from the rules
        near_rule = cv2.dilate(lines, np.ones((2 * RULE_FRINGE + 1, 2 * RULE_FRINGE + 1), np.uint8)) > 0
        small &= ~_in_dotted_strokes(labels, stats, near_rule)
        text[small[labels]] = 0
    return np.asarray(text, dtype=np.uint8)


RULE_FRINGE = 8  # pixels beyond a ruled line's mask where its ragged edge leaves flat bits
DOT_RUN_GAP = 6  # pixels between the pieces of a horizontal stroke faxed as a row of dots
DOT_RUN_MIN = 16  # pixels: such a row at least this long (half a glyph at 300 dpi) is a stroke


def _in_dotted_strokes(
    labels: npt.NDArray[Any], stats: npt.NDArray[Any], away: npt.NDArray[np.bool_]
) -> npt.NDArray[np.bool_]:
    """Components that belong to a row of flat pieces (a faint Mincho 一 faxed as dots and dashes):
    kept, not dropped as specks; lone specks never line up so.  Pixels where ``away`` is true (beside
    a ruled line) take no part."""
    flat = (stats[:, cv2.CC_STAT_HEIGHT] <= 4) & (stats[:, cv2.CC_STAT_WIDTH] <= 2 * DOT_RUN_MIN)
    flat[0] = False
    on = flat[labels]
    on &= ~away
    mask = on.astype(np.uint8) * 255
    del on
    joined = cv2.dilate(mask, np.ones((1, 2 * DOT_RUN_GAP + 1), np.uint8))
    runs, rstats = components(joined)
    long_run = (rstats[:, cv2.CC_STAT_WIDTH] >= DOT_RUN_MIN + 2 * DOT_RUN_GAP) & (rstats[:, cv2.CC_STAT_HEIGHT] <= 6)
    long_run[0] = False
    keep = np.zeros(len(stats), bool)
    if long_run.any():
        keep[np.unique(labels[long_run[runs] & (mask > 0)])] = True
    keep[0] = False
    return keep
