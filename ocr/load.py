"""Stage 1: decode a file into raw pages (TIFF, PDF, PNG, JPEG) with their X/Y resolution.

The original file is only read.  Every failure becomes a typed :class:`~ocr.errors.OcrError`
naming the file (and page).  Pixel limits are enforced before any pixel is decoded.
"""

from __future__ import annotations

import os
import re
import struct
import warnings
from collections.abc import Callable, Iterator
from pathlib import Path

import numpy as np
from PIL import Image, ImageOps, UnidentifiedImageError

from .errors import (
    Cancelled,
    FileCorruptError,
    FileEmptyError,
    FileNotFoundOcrError,
    ImageTooLargeError,
    PdfNoPagesError,
    TooManyPagesError,
    UnsupportedFormatError,
)
from .model import RawPage
from .normalise import TARGET_DPI, is_bilevel, to_square_pixels

MAX_PAGES = 40
MAX_PIXELS = 72_000_000  # per page: an A3 sheet scanned at 600 dpi is 69.6 M; 50,000 x 50,000 is refused
# before decoding.  A page scanned finer than KEEP_DPI_MAX is drawn at 300 dpi as soon as it is decoded,
# so that the pages of a file, all held until it is read, stay small (A3 at 600 dpi: 70 MB, at 300: 17)
KEEP_DPI_MAX = 400.0
MAX_SIDE = 20_000
PDF_DPI = 300.0

Image.MAX_IMAGE_PIXELS = MAX_PIXELS
os.environ.setdefault("OPENCV_IO_MAX_IMAGE_PIXELS", str(MAX_PIXELS))

ProgressFn = Callable[[int, int, str], None]
CancelFn = Callable[[], bool]


def sniff(head: bytes) -> str | None:
    """The format named by a file's first bytes, whatever its extension says."""
    if head.startswith((b"II*\x00", b"MM\x00*", b"II+\x00", b"MM\x00+")):
        return "tiff"
    if head.startswith(b"%PDF"):
        return "pdf"
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "png"
    if head.startswith(b"\xff\xd8\xff"):
        return "jpeg"
    return None


A4_LONG_IN = 297 / 25.4
MIN_SHEET_LONG_IN = 7.5  # a ledger is A4 or larger (A5 is 8.3 in long); a smaller sheet misstates its size
A3_LONG_IN = 420 / 25.4
MAX_SHEET_LONG_IN = 18.0  # nor larger than A3 (16.5 in long; A2 is 23.4): a larger PDF page misstates its size


def _guess_dpi(width: int, height: int) -> float:
    """Resolution of an image whose file states none: assume an A4 sheet."""
    long_side = max(width, height)
    return max(72.0, min(1200.0, long_side / A4_LONG_IN))


def _dpi_of(im: Image.Image) -> tuple[float, float, bool]:
    dpi = im.info.get("dpi")
    try:
        if dpi is not None:
            dx, dy = float(dpi[0]), float(dpi[1])
            if 50 <= dx <= 1200 and 50 <= dy <= 1200:
                if max(im.size[0] / dx, im.size[1] / dy) >= MIN_SHEET_LONG_IN:
                    return dx, dy, False
                if dx == dy:
                    # a 150-dpi scan saved as "300 dpi" would be a 6-inch sheet: take it as A4
                    g = _guess_dpi(*im.size)
                    return g, g, False
    except (TypeError, ValueError, IndexError):
        pass
    g = _guess_dpi(*im.size)
    return g, g, True


def _to_gray(im: Image.Image) -> np.ndarray:
    if im.mode in ("1", "L"):
        return np.asarray(im.convert("L"), dtype=np.uint8)
    if im.mode in ("I;16", "I;16B", "I;16L", "I"):
        arr = np.asarray(im, dtype=np.float64)
        top = float(arr.max()) or 1.0
        return np.clip(arr * (255.0 / top), 0, 255).astype(np.uint8)
    if im.mode in ("RGBA", "LA", "PA") or (im.mode == "P" and "transparency" in im.info):
        im = im.convert("RGBA")
        bg = Image.new("RGBA", im.size, (255, 255, 255, 255))
        im = Image.alpha_composite(bg, im)
    return np.asarray(im.convert("L"), dtype=np.uint8)


def _check_size(w: int, h: int, name: str, page: int) -> None:
    if w <= 0 or h <= 0:
        raise FileCorruptError("the image has no pixels", "画像に画素がありません", file=name, page=page)
    if w * h > MAX_PIXELS or max(w, h) > MAX_SIDE:
        raise ImageTooLargeError(
            f"the image is too large ({w}x{h} pixels; at most {MAX_PIXELS:,})",
            f"画像が大きすぎます（{w}×{h} 画素、上限 {MAX_PIXELS:,}）",
            file=name,
            page=page,
        )


#: What Pillow's decoders raise on malformed input (found by bench/fuzz_loaders.py): all mean
#: "this file is damaged", never a bug of ours, so they become FileCorruptError.
_DECODE_ERRORS = (
    OSError, ValueError, SyntaxError, EOFError, struct.error, TypeError, KeyError, IndexError, ZeroDivisionError,
    MemoryError,
)


def _read_pillow(path: Path, fmt: str, cancel: CancelFn | None) -> list[RawPage]:
    name = path.name
    out: list[RawPage] = []
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(path) as im:
                n = int(getattr(im, "n_frames", 1))
                if n > MAX_PAGES:
                    raise TooManyPagesError(
                        f"too many pages ({n}; at most {MAX_PAGES})",
                        f"ページ数が多すぎます（{n}ページ、上限 {MAX_PAGES}）",
                        file=name,
                    )
                for i in range(n):
                    if cancel is not None and cancel():
                        raise Cancelled(file=name, page=i + 1)
                    out.append(_frame(im, i, fmt, name))
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
        raise ImageTooLargeError(file=name) from exc
    except UnidentifiedImageError as exc:
        raise FileCorruptError("the image cannot be decoded", "画像を読み取れません", file=name) from exc
    except _DECODE_ERRORS as exc:
        raise FileCorruptError(
            f"the image is damaged or truncated ({exc})", "画像が壊れているか途中で切れています", file=name
        ) from exc
    return out


def _frame(im: Image.Image, i: int, fmt: str, name: str) -> RawPage:
    try:
        im.seek(i)
        _check_size(im.size[0], im.size[1], name, i + 1)
        dx, dy, guessed = _dpi_of(im)
        fine = not guessed and min(dx, dy) > KEEP_DPI_MAX
        if fine and fmt == "jpeg":
            # the JPEG decoder itself draws it at a half or a quarter: never the whole 600-dpi page in colour
            w0, h0 = im.size
            im.draft("L", (round(w0 * TARGET_DPI / dx), round(h0 * TARGET_DPI / dy)))
            dx, dy = dx * im.size[0] / w0, dy * im.size[1] / h0
        frame = ImageOps.exif_transpose(im) if fmt == "jpeg" else im
        frame.load()
        gray = _to_gray(frame)
        if fine and not is_bilevel(gray):
            # (a 1-bit scan stays as it is: normalise treats a bilevel page apart)
            gray, dx, dy = to_square_pixels(gray, dx, dy), TARGET_DPI, TARGET_DPI
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
        raise ImageTooLargeError(file=name, page=i + 1) from exc
    except _DECODE_ERRORS as exc:
        raise FileCorruptError(
            f"the image is damaged or truncated ({exc})",
            "画像が壊れているか途中で切れています",
            file=name,
            page=i + 1,
        ) from exc
    return RawPage(number=i + 1, image=gray, dpi_x=dx, dpi_y=dy, photo_hint=fmt == "jpeg" and guessed)


def _pdf_declares_no_pages(path: Path) -> bool:
    """PDFium refuses to open a page tree with /Count 0; recognise that case by its bytes."""
    try:
        data = path.read_bytes()[:5_000_000]
    except OSError:
        return False
    return (
        bool(re.search(rb"/Type\s*/Pages", data))
        and bool(re.search(rb"/Count\s*0(?!\d)", data))
        and not bool(re.search(rb"/Count\s*[1-9]", data))
    )


def _iter_pdf(path: Path, cancel: CancelFn | None) -> Iterator[RawPage]:
    import pypdfium2 as pdfium

    name = path.name
    try:
        pdf = pdfium.PdfDocument(str(path))
    except (pdfium.PdfiumError, OSError, ValueError) as exc:
        if _pdf_declares_no_pages(path):
            raise PdfNoPagesError(file=name) from exc
        raise FileCorruptError(
            f"the PDF cannot be opened ({exc})", "PDF を開けません（壊れている可能性があります）", file=name
        ) from exc
    try:
        n = len(pdf)
        if n == 0:
            raise PdfNoPagesError(file=name)
        if n > MAX_PAGES:
            raise TooManyPagesError(
                f"too many pages ({n}; at most {MAX_PAGES})",
                f"ページ数が多すぎます（{n}ページ、上限 {MAX_PAGES}）",
                file=name,
            )
        for i in range(n):
            if cancel is not None and cancel():
                raise Cancelled(file=name, page=i + 1)
            try:
                page = pdf[i]
                w_pt, h_pt = page.get_size()
                scale = PDF_DPI / 72.0
                if 0 < max(w_pt, h_pt) < MIN_SHEET_LONG_IN * 72:
                    # a page smaller than any ledger (a 150-dpi scan declared at 300 dpi): draw it A4-sized
                    scale = PDF_DPI * A4_LONG_IN / max(w_pt, h_pt)
                elif max(w_pt, h_pt) > MAX_SHEET_LONG_IN * 72:
                    # larger than any ledger (a 400-dpi scan declared at 150 dpi is a 31-inch page, too
                    # many pixels at 300 dpi): draw it A3-sized, the largest a ledger is
                    scale = PDF_DPI * A3_LONG_IN / max(w_pt, h_pt)
                _check_size(int(w_pt * scale), int(h_pt * scale), name, i + 1)
                bitmap = page.render(scale=scale, grayscale=True)
                im = bitmap.to_pil()
                gray = _to_gray(im)
            except (pdfium.PdfiumError, OSError, ValueError) as exc:
                raise FileCorruptError(
                    f"the PDF page cannot be rendered ({exc})",
                    "PDF のページを描画できません",
                    file=name,
                    page=i + 1,
                ) from exc
            yield RawPage(number=i + 1, image=gray, dpi_x=PDF_DPI, dpi_y=PDF_DPI)
    finally:
        pdf.close()


def read_raw_pages(path: Path, *, cancel: CancelFn | None = None) -> list[RawPage]:
    """Decode every page of ``path``; raise a typed error for empty, corrupt or oversized input."""
    name = path.name
    try:
        size = path.stat().st_size
        with path.open("rb") as fh:
            head = fh.read(16)
    except OSError as exc:
        raise FileNotFoundOcrError(file=name) from exc
    if not path.is_file():
        raise FileNotFoundOcrError(file=name)
    if size == 0:
        raise FileEmptyError(file=name)
    fmt = sniff(head)
    if fmt is None:
        raise UnsupportedFormatError(file=name)
    pages = list(_iter_pdf(path, cancel)) if fmt == "pdf" else _read_pillow(path, fmt, cancel)
    if not pages:
        raise FileCorruptError("no page could be read", "読み取れるページがありません", file=name)
    return pages
