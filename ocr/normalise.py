"""Stage 2: square pixels at ~300 dpi, sheet rectification (photos), flat light, deskew, ink mask."""

from __future__ import annotations

import os
from dataclasses import replace

os.environ.setdefault("OPENCV_IO_MAX_IMAGE_PIXELS", "60000000")

import cv2
import numpy as np
import numpy.typing as npt

from .model import Gray, Page, RawPage

TARGET_DPI = 300.0
A4_LONG_PX = round(297 / 25.4 * TARGET_DPI)


def u8(a: object) -> Gray:
    """An OpenCV result as the uint8 image type used throughout."""
    return np.asarray(a, dtype=np.uint8)


def _mask(where: npt.NDArray[np.bool_]) -> Gray:
    """255 where true, else 0, made as bytes (np.where with Python ints makes 8-byte integers first:
    over 150 MB for an A3 page at 300 dpi)."""
    return np.where(where, np.uint8(255), np.uint8(0))


def is_bilevel(img: Gray) -> bool:
    sample = img[:: max(1, img.shape[0] // 200), :: max(1, img.shape[1] // 200)]
    return bool(np.isin(sample, (0, 255)).all())


def to_square_pixels(img: Gray, dpi_x: float, dpi_y: float, target: float = TARGET_DPI) -> Gray:
    """Resample so X and Y resolution are both ``target`` dpi (fax standard mode is 204x98)."""
    fx, fy = target / dpi_x, target / dpi_y
    if abs(fx - 1) < 0.02 and abs(fy - 1) < 0.02:
        return img
    w = max(1, round(img.shape[1] * fx))
    h = max(1, round(img.shape[0] * fy))
    interp = cv2.INTER_AREA if fx * fy < 1 else cv2.INTER_LINEAR
    out = u8(cv2.resize(img, (w, h), interpolation=interp))
    return out


def _order_quad(pts: np.ndarray) -> np.ndarray:
    pts = pts.reshape(4, 2).astype(np.float32)
    s = pts.sum(axis=1)
    d = np.diff(pts, axis=1).ravel()
    return np.array(
        [pts[np.argmin(s)], pts[np.argmin(d)], pts[np.argmax(s)], pts[np.argmax(d)]], dtype=np.float32
    )


def find_sheet(img: Gray) -> np.ndarray | None:
    """Corners (tl, tr, br, bl) of a bright sheet on a darker surround, or None."""
    h, w = img.shape
    scale = 800.0 / max(h, w)
    small = cv2.resize(img, (max(1, int(w * scale)), max(1, int(h * scale))), interpolation=cv2.INTER_AREA)
    small = cv2.GaussianBlur(small, (5, 5), 0)
    _, mask = cv2.threshold(small, 0, 255, cv2.THRESH_BINARY + cv2.THRESH_OTSU)
    mask = cv2.morphologyEx(mask, cv2.MORPH_CLOSE, np.ones((9, 9), np.uint8))
    contours, _ = cv2.findContours(mask, cv2.RETR_EXTERNAL, cv2.CHAIN_APPROX_SIMPLE)
    if not contours:
        return None
    c = max(contours, key=cv2.contourArea)
    area = cv2.contourArea(c)
    frac = area / float(small.shape[0] * small.shape[1])
    if frac < 0.2 or frac > 0.93:
        return None
    hull = cv2.convexHull(c)
    peri = cv2.arcLength(hull, True)
    quad = None
    for eps in (0.01, 0.02, 0.03, 0.05, 0.08):
        approx = cv2.approxPolyDP(hull, eps * peri, True)
        if len(approx) == 4:
            quad = approx
            break
    if quad is None:
        return None
    if cv2.contourArea(quad) < 0.85 * cv2.contourArea(hull):
        return None
    res: np.ndarray = _order_quad(quad) / scale
    return res


def rectify(img: Gray, quad: np.ndarray, fixed_long: int | None) -> Gray:
    tl, tr, br, bl = quad
    wpx = max(np.linalg.norm(tr - tl), np.linalg.norm(br - bl))
    hpx = max(np.linalg.norm(bl - tl), np.linalg.norm(br - tr))
    if fixed_long is not None:
        k = fixed_long / max(wpx, hpx)
        wpx, hpx = wpx * k, hpx * k
    w, h = round(wpx), round(hpx)
    dst = np.array([[0, 0], [w - 1, 0], [w - 1, h - 1], [0, h - 1]], dtype=np.float32)
    m = cv2.getPerspectiveTransform(quad.astype(np.float32), dst)
    out = u8(cv2.warpPerspective(img, m, (w, h), flags=cv2.INTER_LINEAR, borderValue=255))
    return out


def flatten_light(img: Gray) -> Gray:
    """Divide by a paper-brightness estimate so shadows and gradients vanish."""
    h, w = img.shape
    f = 8
    small = cv2.resize(img, (max(1, w // f), max(1, h // f)), interpolation=cv2.INTER_AREA)
    bg = cv2.dilate(small, np.ones((7, 7), np.uint8))
    bg = cv2.medianBlur(bg, 9)
    bg = cv2.GaussianBlur(bg, (0, 0), 3)
    bg_full = cv2.resize(bg, (w, h), interpolation=cv2.INTER_LINEAR)
    res: Gray = np.empty_like(img)
    # in bands of rows: float copies of a whole A3 page at 300 dpi would take some 300 MB at once
    for y in range(0, h, FLATTEN_BAND):
        band = img[y : y + FLATTEN_BAND].astype(np.float32)
        band *= 255.0 / np.maximum(bg_full[y : y + FLATTEN_BAND].astype(np.float32), 40.0)
        res[y : y + FLATTEN_BAND] = np.clip(band, 0, 255).astype(np.uint8)
    return res


FLATTEN_BAND = 256  # rows


def binarise(img: Gray, low_res: bool = False) -> Gray:
    """Ink mask: 255 where ink.  ``low_res``: a coarse or clean scan whose thin strokes stay grey."""
    if is_bilevel(img):
        return _mask(img < 128)
    res: Gray = _mask(img < _thr(img))
    if not low_res:
        return res  # a fine scan of a faxed sheet has grey fringes and noise a local threshold would add
    # thin strokes of a light Mincho stay grey on a coarse scan (一 of 健一 at 150 dpi): pixels clearly
    # darker than the paper around them are ink too when they touch ink (hysteresis), so the grey
    # noise of a scanned fax, away from the text, stays out
    local = cv2.adaptiveThreshold(img, 255, cv2.ADAPTIVE_THRESH_GAUSSIAN_C, cv2.THRESH_BINARY_INV, 31, LOCAL_C)
    weak = ((local > 0) & (img < LOCAL_MAX)) | (res > 0)
    n, labels = cv2.connectedComponents(weak.astype(np.uint8), connectivity=8)
    strong = np.zeros(n, bool)
    strong[np.unique(labels[res > 0])] = True
    strong[0] = False
    out: Gray = _mask(strong[labels])
    return out


LOCAL_C = 40  # grey levels darker than the neighbourhood's weighted mean
LOCAL_MAX = 225
LOW_RES_LONG_SIDE = 2900  # pixels: an A4 page scanned at about 250 dpi
CLEAN_SPECKS = 60.0  # specks per megapixel below which a scan counts as clean (fax printouts: 75-125)


def speck_density(img: Gray) -> float:
    """Ink specks (under 12 pixels) per megapixel at the global threshold."""
    ink = (img < _thr(img)).astype(np.uint8)
    _n, _labels, stats, _ = cv2.connectedComponentsWithStats(ink, connectivity=8)
    return float((stats[1:, cv2.CC_STAT_AREA] < 12).sum()) / max(img.size / 1e6, 1e-6)


def estimate_skew(ink: Gray, max_deg: float = 10.0) -> float:
    """Angle (degrees) that makes the ruled lines horizontal, by projection-profile sharpness."""
    h, w = ink.shape
    f = 4
    small = cv2.resize(ink, (max(1, w // f), max(1, h // f)), interpolation=cv2.INTER_AREA)
    sh, sw = small.shape
    centre = (sw / 2.0, sh / 2.0)

    def score(angle: float) -> float:
        m = cv2.getRotationMatrix2D(centre, angle, 1.0)
        rot = cv2.warpAffine(small, m, (sw, sh), flags=cv2.INTER_LINEAR, borderValue=0)
        prof = rot.astype(np.float32).sum(axis=1)
        return float((prof * prof).sum())

    best = 0.0
    step = 0.5
    lo, hi = -max_deg, max_deg
    for _ in range(3):
        angles = np.arange(lo, hi + 1e-9, step)
        scores = [score(float(a)) for a in angles]
        best = float(angles[int(np.argmax(scores))])
        lo, hi = best - step, best + step
        step /= 5
    return best


def rotate(img: Gray, angle: float, border: int) -> Gray:
    h, w = img.shape
    m = cv2.getRotationMatrix2D((w / 2.0, h / 2.0), angle, 1.0)
    out = u8(cv2.warpAffine(img, m, (w, h), flags=cv2.INTER_LINEAR, borderValue=border))
    return out


def normalise(raw: RawPage) -> Page:
    """Square pixels at ~300 dpi, rectified sheet, flat light, deskewed; bboxes refer to ``Page.gray``."""
    img = raw.image
    bilevel = is_bilevel(img)
    rectified = False
    if raw.photo_hint and not bilevel:
        quad = find_sheet(img)
        if quad is not None:
            img = rectify(img, quad, A4_LONG_PX)
            rectified = True
        else:
            k = A4_LONG_PX / max(img.shape)
            img = to_square_pixels(img, TARGET_DPI / k, TARGET_DPI / k)
    else:
        img = to_square_pixels(img, raw.dpi_x, raw.dpi_y)
        if not bilevel:
            quad = find_sheet(img)
            if quad is not None:
                img = rectify(img, quad, None)
                rectified = True
    if not bilevel:
        img = flatten_light(img)
    # a coarse scan (A4 under ~250 dpi) or a clean one leaves thin Mincho strokes grey: they need a
    # local threshold; a scanned fax printout (specks everywhere) has grey fringes it would add
    low_res = not bilevel and (
        (not raw.photo_hint and max(raw.image.shape) < LOW_RES_LONG_SIDE) or speck_density(img) < CLEAN_SPECKS
    )
    # the rules' angle needs only the plain threshold (the same on 67 photos and coarse scans): the
    # slower local one, a fifth of a second on a photo, is made once, on the page as it ends up
    angle = estimate_skew(_mask(img < 160) if bilevel else binarise(img))
    if abs(angle) > 0.04:
        img = rotate(img, angle, 255)
    ink = _mask(img < 160) if bilevel else binarise(img, low_res)
    if bilevel:
        # re-threshold the smoothed upsampled fax so strokes stay solid
        img = _mask(img >= 160)
        ink = _mask(img == 0)
    return Page(number=raw.number, gray=img, binary=ink, dpi=TARGET_DPI, skew_deg=angle, rectified=rectified)


def _thr(img: Gray) -> float:
    t, _ = cv2.threshold(img, 0, 255, cv2.THRESH_BINARY_INV + cv2.THRESH_OTSU)
    return float(min(max(t, 110.0), 200.0))


def turn_page(page: Page, quarter_turns: int) -> Page:
    """The page turned anticlockwise by ``quarter_turns`` right angles (every bbox then refers to it)."""
    k = quarter_turns % 4
    return replace(
        page,
        gray=np.ascontiguousarray(np.rot90(page.gray, k)),
        binary=np.ascontiguousarray(np.rot90(page.binary, k)),
        quarter_turns=(page.quarter_turns + k) % 4,
    )
