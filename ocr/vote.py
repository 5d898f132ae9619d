"""Single-glyph columns (性別): read each cell by comparing its glyph with the page's confident readings.

OCR of a lone character is unstable, but a ledger prints 男 and 女 in one font throughout: cells
whose OCR is confident give templates, and every cell is matched against them.  A cell whose best
match is not clearly better than the other label stays flagged.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from functools import lru_cache

import cv2
import numpy as np
import numpy.typing as npt

from .model import FieldValue, Gray

Vec = npt.NDArray[np.float32]
SIZE = 32
MIN_CORR = 0.55
MIN_MARGIN = 0.12


def glyph_vector(img: Gray) -> Vec | None:
    """Size- and position-normalised, zero-mean unit vector of the ink in a cell image."""
    return ink_vector((img < 128).astype(np.uint8) * 255, SIZE, min_pixels=10)


def ink_vector(ink: Gray, size: int, *, min_pixels: int) -> Vec | None:
    """Tight-cropped ink (255 = ink) centred in a ``size`` square keeping its aspect, lightly
    blurred, zero-mean and unit length (for correlation between glyphs); None when too faint."""
    ys, xs = np.nonzero(ink)
    if len(xs) < min_pixels:
        return None
    crop = ink[ys.min() : ys.max() + 1, xs.min() : xs.max() + 1]
    h, w = crop.shape
    side = max(h, w)
    sq = np.zeros((side, side), np.uint8)
    sq[(side - h) // 2 : (side - h) // 2 + h, (side - w) // 2 : (side - w) // 2 + w] = crop
    small = cv2.resize(sq, (size, size), interpolation=cv2.INTER_AREA).astype(np.float32)
    small = np.asarray(cv2.GaussianBlur(small, (3, 3), 0), dtype=np.float32)
    v = small.ravel() - small.mean()
    n = float(np.linalg.norm(v))
    if n < 1e-6:
        return None
    out: Vec = (v / n).astype(np.float32)
    return out


@lru_cache(maxsize=4)
def rendered_templates() -> dict[str, list[Vec]]:
    """男/女 drawn in the system's Japanese fonts: a fallback when a page has no confident cell."""
    from PIL import Image, ImageDraw, ImageFont

    from .fonts import japanese_fonts

    out: dict[str, list[Vec]] = {"男": [], "女": []}
    for path in japanese_fonts():
        try:
            font = ImageFont.truetype(str(path), 48)
        except OSError:
            continue
        for label in out:
            im = Image.new("L", (80, 80), 255)
            ImageDraw.Draw(im).text((10, 10), label, font=font, fill=0)
            v = glyph_vector(np.asarray(im, dtype=np.uint8))
            if v is not None:
                out[label].append(v)
    return out


def vote_sex(
    values: Sequence[FieldValue], images: Sequence[Gray | None], min_conf: float = 0.8
) -> list[FieldValue]:
    """Re-decide each 性別 value by glyph similarity to the confidently read cells."""
    vecs = [glyph_vector(im) if im is not None else None for im in images]
    templ: dict[str, list[Vec]] = {"男": [], "女": []}
    for fv, v in zip(values, vecs, strict=True):
        if v is not None and fv.value in templ and not fv.needs_review and fv.confidence >= min_conf:
            templ[fv.value].append(v)
    own = {k: (np.mean(vs, axis=0) if vs else None) for k, vs in templ.items()}
    fallback = rendered_templates()
    out: list[FieldValue] = []
    for fv, v in zip(values, vecs, strict=True):
        if v is None:
            out.append(fv)
            continue
        scores: dict[str, float] = {}
        from_page = True
        for label in ("男", "女"):
            t = own[label]
            if t is not None:
                tn = t / max(float(np.linalg.norm(t)), 1e-6)
                scores[label] = float(np.dot(v, tn))
            else:
                from_page = False
                fb = fallback.get(label, [])
                scores[label] = max((float(np.dot(v, f)) for f in fb), default=-1.0)
        best = max(scores, key=lambda k: scores[k])
        other = "女" if best == "男" else "男"
        margin = scores[best] - scores[other]
        clear = scores[best] >= MIN_CORR and margin >= MIN_MARGIN
        if clear and fv.value == best:
            conf = max(fv.confidence, min(0.99, 0.5 + scores[best] / 2))
            reasons = tuple(r for r in fv.reasons if r not in ("ocr.low_confidence", "sex.invalid"))
            out.append(replace(fv, confidence=conf, needs_review=bool(reasons), reasons=reasons))
        elif clear and from_page:
            reasons = tuple(
                r for r in fv.reasons if r not in ("ocr.low_confidence", "sex.invalid", "field.empty")
            )
            if fv.value in ("男", "女"):
                reasons = (*reasons, "sex.ocr_disagrees")
            out.append(
                replace(
                    fv,
                    value=best,
                    confidence=min(0.95, 0.5 + scores[best] / 2),
                    needs_review=bool(reasons),
                    reasons=reasons,
                )
            )
        elif clear:
            out.append(replace(fv, value=best, needs_review=True, reasons=(*fv.reasons, "sex.font_template")))
        else:
            out.append(replace(fv, needs_review=True, reasons=(*fv.reasons, "sex.ambiguous")))
    return out
