"""Stage 5: cut each table cell into the pieces to read (text lines, family/given at the printed gap)."""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import cv2
import numpy as np
import numpy.typing as npt

from .grid import TablePage
from .model import BBox, Cell, ColumnMap, Gray

MARGIN = 5
TARGET_LINE_H = float(os.environ.get("GAKUSEKI_LINE_H", "32"))
# A standard-mode fax (every other row of pixels) reads better drawn smaller: its cells are not
# blown up as far, so fewer of the doubled rows' stair steps reach the model (38 standard faxes:
# accuracy 88.4 % at 32 px, 89.1 % at 22, 89.6 % at 25, 89.1 % at 28; fine faxes, scans and photos
# gain nothing from it)
STANDARD_FAX_LINE_H = float(os.environ.get("GAKUSEKI_STD_LINE_H", "25"))


@dataclass(frozen=True)
class Ink:
    """The ink of a cell (or part of it) in page coordinates."""

    x0: int
    y0: int
    mask: Gray  # 255 = ink, cropped tight

    @property
    def bbox(self) -> BBox:
        return (self.x0, self.y0, self.x0 + self.mask.shape[1], self.y0 + self.mask.shape[0])

    @property
    def height(self) -> int:
        return int(self.mask.shape[0])


def tight(mask: Gray, x0: int, y0: int) -> Ink | None:
    ys, xs = np.nonzero(mask)
    if len(xs) == 0:
        return None
    return Ink(
        x0 + int(xs.min()),
        y0 + int(ys.min()),
        mask[int(ys.min()) : int(ys.max()) + 1, int(xs.min()) : int(xs.max()) + 1],
    )


def cell_ink(tp: TablePage, box: BBox) -> Ink | None:
    x0, y0, x1, y1 = box
    sub = tp.text_ink[y0 + MARGIN : y1 - MARGIN, x0 + MARGIN : x1 - MARGIN]
    if sub.size == 0:
        return None
    ink = tight(drop_stray_specks(sub), x0 + MARGIN, y0 + MARGIN)
    if ink is None or int((ink.mask > 0).sum()) < 25:
        return None
    return ink


SPECK_REL_H = 0.3  # a component smaller (both ways) than this share of the tallest glyph may be a speck
SPECK_REACH = 0.25  # ... and stray when farther than this many glyph heights from the text
SPECK_GROW = 1.2  # pieces of one broken glyph may extend the text by this many glyph heights
DASH_REACH = 0.5  # a flat run of pieces at mid-height (a faint Mincho 一) may lie this far from the text
DASH_JOIN = 4  # pixels between pieces of one broken horizontal stroke


def drop_stray_specks(mask: Gray) -> Gray:
    """Remove small specks lying outside the text's extent (fax noise, bits of rules) so the engine does
    not read them as 」, 1 or * at the ends of a value; marks inside the text (dots, dakuten) stay."""
    n, labels, stats, _ = cv2.connectedComponentsWithStats(mask, connectivity=8)
    if n <= 2:
        return mask
    tallest = int(stats[1:, cv2.CC_STAT_HEIGHT].max())
    if tallest < 10:
        return mask
    # a speck is small both ways: the flat strokes of 三 or ー are wide, bits of a rule are tall
    small = np.maximum(stats[:, cv2.CC_STAT_WIDTH], stats[:, cv2.CC_STAT_HEIGHT]) < SPECK_REL_H * tallest
    big = [i for i in range(1, n) if not small[i]]
    if not big:
        return mask
    reach = SPECK_REACH * tallest
    x0 = min(stats[i, cv2.CC_STAT_LEFT] for i in big)
    y0 = min(stats[i, cv2.CC_STAT_TOP] for i in big)
    x1 = max(stats[i, cv2.CC_STAT_LEFT] + stats[i, cv2.CC_STAT_WIDTH] for i in big)
    y1 = max(stats[i, cv2.CC_STAT_TOP] + stats[i, cv2.CC_STAT_HEIGHT] for i in big)
    # grow the text's extent by every small piece within reach of it, so that a glyph broken into
    # pieces (a faint Mincho 一 after 健) is kept whole; what stays out of reach is noise
    pending = [i for i in range(1, n) if small[i]]
    limit = (x0 - SPECK_GROW * tallest, y0 - reach, x1 + SPECK_GROW * tallest, y1 + reach)  # one glyph at most
    x0, x1 = _reach_dashes(stats, pending, (x0, y0, x1, y1), tallest, limit)
    grew = True
    while grew and pending:
        grew = False
        for i in list(pending):
            x, y, w, hh = (int(v) for v in stats[i, :4])
            near = x + w >= x0 - reach and x <= x1 + reach and y + hh >= y0 - reach and y <= y1 + reach
            inside = x >= limit[0] and y >= limit[1] and x + w <= limit[2] and y + hh <= limit[3]
            if near and inside:
                x0, y0, x1, y1 = min(x0, x), min(y0, y), max(x1, x + w), max(y1, y + hh)
                pending.remove(i)
                grew = True
    drop = np.zeros(n, bool)
    drop[pending] = True
    if not drop.any():
        return mask
    out = mask.copy()
    out[drop[labels]] = 0
    return out


def _reach_dashes(
    stats: npt.NDArray[Any],
    pending: list[int],
    box: tuple[int, int, int, int],
    tallest: int,
    limit: tuple[float, float, float, float],
) -> tuple[int, int]:
    """Widen the text's extent to a faint horizontal stroke beside it (陽一 in Mincho at fax resolution:
    the 一 is a row of short pieces a third of a glyph away), which single specks never form: pieces
    joined into a flat run at least half a glyph long, lying in the middle of the line."""
    x0, y0, x1, y1 = box
    pieces = sorted(pending, key=lambda i: int(stats[i, cv2.CC_STAT_LEFT]))
    runs: list[list[int]] = []
    for i in pieces:
        x, y, _w, h = (int(v) for v in stats[i, :4])
        if h > 0.25 * tallest:
            continue
        last = runs[-1] if runs else None
        if last is not None:
            lx, ly, lw, lh = (int(v) for v in stats[last[-1], :4])
            if x - (lx + lw) <= DASH_JOIN and abs((y + h / 2) - (ly + lh / 2)) <= 3:
                last.append(i)
                continue
        runs.append([i])
    mid_lo, mid_hi = y0 + 0.25 * (y1 - y0), y0 + 0.75 * (y1 - y0)
    for run in runs:
        rx0 = min(int(stats[i, cv2.CC_STAT_LEFT]) for i in run)
        rx1 = max(int(stats[i, cv2.CC_STAT_LEFT] + stats[i, cv2.CC_STAT_WIDTH]) for i in run)
        cy = float(np.mean([stats[i, cv2.CC_STAT_TOP] + stats[i, cv2.CC_STAT_HEIGHT] / 2 for i in run]))
        flat = rx1 - rx0 >= 0.5 * tallest and mid_lo <= cy <= mid_hi
        gap = rx0 - x1 if rx0 >= x1 else x0 - rx1
        if flat and 0 <= gap <= DASH_REACH * tallest and limit[0] <= rx0 and rx1 <= limit[2]:
            x0, x1 = min(x0, rx0), max(x1, rx1)
    return x0, x1


def bands(ink: Ink, min_gap: int = 3) -> list[Ink]:
    """Text lines of a cell by horizontal projection (small gaps inside a line are bridged)."""
    prof = (ink.mask > 0).sum(axis=1)
    rows = np.nonzero(prof > 0)[0]
    out: list[tuple[int, int]] = []
    for r in rows:
        if out and r - out[-1][1] <= min_gap:
            out[-1] = (out[-1][0], int(r))
        else:
            out.append((int(r), int(r)))
    res: list[Ink] = []
    for a, b in out:
        sub = ink.mask[a : b + 1]
        t = tight(sub, ink.x0, ink.y0 + a)
        if t is not None and (t.height >= 6 or (t.mask > 0).sum() >= 20):
            res.append(t)
    # fold specks (less than a third of the tallest band) into their nearest neighbour
    if len(res) > 1:
        tallest = max(r.height for r in res)
        keep = [r for r in res if r.height >= tallest / 3]
        specks = [r for r in res if r.height < tallest / 3 and int((r.mask > 0).sum()) >= 30]
        if specks:
            res = _union_overlaps(keep, specks, ink)
    return res


def _union_overlaps(keep: list[Ink], specks: list[Ink], whole: Ink) -> list[Ink]:
    """Re-cut ``whole`` so each kept band also covers the specks closest to it."""
    spans = [[k.bbox[1], k.bbox[3]] for k in keep]
    for s in specks:
        cy = (s.bbox[1] + s.bbox[3]) / 2
        i = min(range(len(spans)), key=lambda j: min(abs(cy - spans[j][0]), abs(cy - spans[j][1])))
        spans[i][0] = min(spans[i][0], s.bbox[1])
        spans[i][1] = max(spans[i][1], s.bbox[3])
    out: list[Ink] = []
    for a, b in spans:
        sub = whole.mask[a - whole.y0 : b - whole.y0]
        t = tight(sub, whole.x0, a)
        if t is not None:
            out.append(t)
    return out


def gaps(ink: Ink) -> list[tuple[int, int]]:
    """Blank column runs strictly inside the ink, as (start, end) offsets."""
    prof = (ink.mask > 0).sum(axis=0)
    out: list[tuple[int, int]] = []
    start = None
    for x, v in enumerate(prof):
        if v == 0 and start is None:
            start = x
        elif v > 0 and start is not None:
            out.append((start, x))
            start = None
    return out


def gap_ambiguous(ink: Ink, ratio: float = 1.6) -> bool:
    """The widest blank run is not clearly wider than the next one: the split may be wrong."""
    widths = sorted((b - a for a, b in gaps(ink)), reverse=True)
    return len(widths) >= 2 and widths[0] < ratio * widths[1]


def split_at_gap(ink: Ink, min_ratio: float, prefer_x: float | None = None) -> tuple[Ink, Ink] | None:
    """Split at the widest blank run (at least ``min_ratio`` × line height), or None."""
    cands = [(b - a, a, b) for a, b in gaps(ink) if (b - a) >= min_ratio * ink.height]
    if not cands:
        return None
    if prefer_x is not None and len(cands) > 1:
        widest = max(c[0] for c in cands)
        near = [c for c in cands if c[0] >= 0.6 * widest]
        _w, a, b = min(near, key=lambda c: abs(ink.x0 + (c[1] + c[2]) / 2 - prefer_x))
    else:
        _w, a, b = max(cands)
    left = tight(ink.mask[:, :a], ink.x0, ink.y0)
    right = tight(ink.mask[:, b:], ink.x0 + b, ink.y0)
    if left is None or right is None:
        return None
    return left, right


KANA_GLYPH_GAP = 0.12  # blank runs narrower than this × line height lie inside one kana (い, り, ぱ)
KANA_SPLIT_MARGIN = 0.2  # the best gap must beat the next one by this much, else the split is flagged


def split_kana(ink: Ink) -> tuple[Ink, Ink, bool] | None:
    """Cut a ふりがな line into family / given kana at the word space.

    Kana are set on a fixed pitch, so the space shows as a jump in the distance between glyph
    centres as well as a wide blank run; each gap is scored by both.  Returns the two halves and
    whether the choice is uncertain (no clear winner), or None when there is no usable gap.
    """
    h = max(ink.height, 1)
    gs = [(a, b) for a, b in gaps(ink) if (b - a) >= KANA_GLYPH_GAP * h]
    if not gs:
        return None
    edges = [0, *(x for g in gs for x in g), int(ink.mask.shape[1])]
    centres = [(edges[2 * i] + edges[2 * i + 1]) / 2 for i in range(len(gs) + 1)]
    dists = [centres[i + 1] - centres[i] for i in range(len(gs))]
    pitch = float(np.median(dists)) if dists else float(h)
    scores = [dists[i] / max(pitch, 1.0) + 0.5 * (gs[i][1] - gs[i][0]) / h for i in range(len(gs))]
    order = sorted(range(len(gs)), key=lambda i: -scores[i])
    k = order[0]
    a, b = gs[k]
    if (b - a) < 0.2 * h:
        return None
    left = tight(ink.mask[:, :a], ink.x0, ink.y0)
    right = tight(ink.mask[:, b:], ink.x0 + b, ink.y0)
    if left is None or right is None:
        return None
    unsure = len(order) > 1 and scores[k] - scores[order[1]] < KANA_SPLIT_MARGIN
    return left, right, unsure


def render(page_gray: Gray, ink: Ink, multiline: bool = False, line_h: float = TARGET_LINE_H) -> Gray:
    """Black-on-white image of the ink for the OCR engine, padded and scaled so that its (tallest)
    line of text is ``line_h`` pixels high."""
    x0, y0, x1, y1 = ink.bbox
    gray = page_gray[y0:y1, x0:x1]
    near = cv2.dilate(ink.mask, np.ones((3, 3), np.uint8)) > 0
    img = np.where(near, gray, 255).astype(np.uint8)
    img = np.where(ink.mask > 0, np.minimum(img, 100), img).astype(np.uint8)
    lines = bands(ink) if multiline else []
    ink_line_h = max(b.height for b in lines) if lines else ink.height
    scale = line_h / max(ink_line_h, 8)
    if abs(scale - 1.0) > 0.05:
        interp = cv2.INTER_CUBIC if scale > 1 else cv2.INTER_AREA
        img = np.asarray(cv2.resize(img, None, fx=scale, fy=scale, interpolation=interp), dtype=np.uint8)
    pad = max(10, int(0.4 * line_h))
    out: Gray = np.asarray(
        cv2.copyMakeBorder(img, pad, pad, pad, pad, cv2.BORDER_CONSTANT, value=255), dtype=np.uint8
    )
    return out


# Roles whose cell is cut at the printed gap into family / given parts
_SPLIT_ROLES = {"name": ("family_name", "given_name"), "kana": ("family_kana", "given_kana")}


def segment_row(
    tp: TablePage, cmap: ColumnMap, row: int, data_row: int, line_h: float = TARGET_LINE_H
) -> list[Cell]:
    """Pieces to read for one table row; ``data_row`` is the 1-based record number on the page and
    ``line_h`` the height each piece's text is drawn at (see :func:`render`)."""
    cells: list[Cell] = []
    page = tp.page

    def add(kind: str, ink: Ink, multiline: bool = False, note: str = "") -> None:
        cells.append(
            Cell(
                page=page.number,
                row=data_row,
                kind=kind,
                bbox=ink.bbox,
                image=render(tp.gray, ink, multiline, line_h),
                multiline=multiline,
                note=note,
            )
        )

    for col, role in cmap.columns:
        box = tp.grid.cell_box(row, col)
        ink = cell_ink(tp, box)
        if ink is None:
            continue
        if role in _SPLIT_ROLES:
            fam, giv = _SPLIT_ROLES[role]
            _add_split(add, ink, fam, giv, role)
        elif role == "kana_name":
            lines = bands(ink)
            if len(lines) >= 2:
                name_line = max(lines, key=lambda b: b.height)
                above = [b for b in lines if b.bbox[3] <= name_line.bbox[1]]
                pair = split_at_gap(name_line, 0.45)
                if pair is None:
                    add("name_whole", name_line)
                else:
                    add("family_name", pair[0])
                    add("given_name", pair[1])
                if above:
                    kana = above[-1]
                    ksplit = split_kana(kana)
                    if ksplit is None:
                        add("kana_whole", kana)
                    else:
                        kleft, kright, unsure = ksplit
                        note = "kana.split_uncertain" if unsure else ""
                        add("family_kana", kleft, note=note)
                        add("given_kana", kright, note=note)
            else:
                _add_split(add, ink, "family_name", "given_name", "name")
        else:
            lines = bands(ink)
            if len(lines) > 1 and len(lines) <= 4:
                # read each printed line as one line (psm 7); the parser joins them in order
                for k, line in enumerate(lines):
                    add(f"{role}#{k}", line)
            else:
                add(role, ink, multiline=len(lines) > 4)
    return cells


def _add_split(add: Callable[[str, Ink], None], ink: Ink, fam: str, giv: str, role: str) -> None:
    lines = bands(ink)
    line = max(lines, key=lambda b: b.height) if lines else ink
    pair = split_at_gap(line, 0.45 if role == "name" else 0.4)
    if pair is None:
        add("kana_whole" if role == "kana" else "name_whole", line)
    else:
        add(fam, pair[0])
        add(giv, pair[1])
