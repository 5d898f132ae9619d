"""Every kind of bad input gives a typed error naming the file (and page); never a crash."""

from __future__ import annotations

import struct
import zlib
from pathlib import Path

import numpy as np
import pypdfium2 as pdfium
import pytest
from conftest import ScriptedEngine
from PIL import Image

import ocr
from ocr import errors as err_mod
from ocr.load import MAX_PAGES, read_raw_pages


def _png_header_only(path: Path, w: int, h: int) -> None:
    def chunk(kind: bytes, data: bytes) -> bytes:
        return (
            struct.pack(">I", len(data))
            + kind
            + data
            + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)
        )

    ihdr = struct.pack(">IIBBBBB", w, h, 8, 0, 0, 0, 0)
    idat = zlib.compress(b"\x00" * 64)
    path.write_bytes(b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", idat) + chunk(b"IEND", b""))


def _tiff(path: Path, n: int = 1, size: tuple[int, int] = (200, 100)) -> None:
    frames = [Image.new("1", size, 1) for _ in range(n)]
    frames[0].save(path, compression="group4", dpi=(204, 196), save_all=True, append_images=frames[1:])


def _expect(path: Path, cls: type[err_mod.OcrError]) -> err_mod.OcrError:
    with pytest.raises(cls) as info:
        ocr.extract_file(path, engine=ScriptedEngine())
    err = info.value
    assert err.file == path.name
    assert err.exit_code == 2
    assert path.name in str(err) and " / " in str(err)
    assert err.code.startswith("ocr.")
    return err


def test_zero_byte_file(tmp_path: Path) -> None:
    p = tmp_path / "empty.tif"
    p.write_bytes(b"")
    assert _expect(p, err_mod.FileEmptyError).code == "ocr.file_empty"


def test_missing_file(tmp_path: Path) -> None:
    _expect(tmp_path / "nope.pdf", err_mod.FileNotFoundOcrError)


def test_truncated_tiff(tmp_path: Path) -> None:
    good = tmp_path / "good.tif"
    Image.fromarray((np.random.default_rng(0).random((400, 600)) > 0.5).astype(np.uint8) * 255).convert(
        "1"
    ).save(good, compression="group4", dpi=(204, 196))
    bad = tmp_path / "cut.tif"
    bad.write_bytes(good.read_bytes()[: good.stat().st_size // 2])
    assert _expect(bad, err_mod.FileCorruptError).code == "ocr.file_corrupt"


def test_truncated_png(tmp_path: Path) -> None:
    good = tmp_path / "good.png"
    Image.fromarray(np.random.default_rng(1).integers(0, 255, (300, 300), dtype=np.uint8)).save(good)
    bad = tmp_path / "cut.png"
    bad.write_bytes(good.read_bytes()[:2000])
    _expect(bad, err_mod.FileCorruptError)


def test_corrupt_jpeg_body(tmp_path: Path) -> None:
    p = tmp_path / "noise.jpg"
    p.write_bytes(b"\xff\xd8\xff\xe0" + bytes(range(256)) * 8)
    _expect(p, err_mod.FileCorruptError)


def test_corrupt_pdf(tmp_path: Path) -> None:
    p = tmp_path / "broken.pdf"
    p.write_bytes(b"%PDF-1.7\n" + b"garbage" * 100)
    _expect(p, err_mod.FileCorruptError)


def test_pdf_without_pages(tmp_path: Path) -> None:
    p = tmp_path / "blank.pdf"
    doc = pdfium.PdfDocument.new()
    doc.save(str(p))
    doc.close()
    assert _expect(p, err_mod.PdfNoPagesError).code == "ocr.pdf_no_pages"


def test_wrong_extension_text_file(tmp_path: Path) -> None:
    p = tmp_path / "notes.tif"
    p.write_text("これは画像ではありません", encoding="utf-8")
    assert _expect(p, err_mod.UnsupportedFormatError).code == "ocr.unsupported_format"


def test_wrong_extension_but_real_image_is_read_by_content(tmp_path: Path) -> None:
    p = tmp_path / "scan.pdf"
    Image.new("L", (640, 480), 255).save(p, format="PNG")
    pages = read_raw_pages(p)
    assert len(pages) == 1 and pages[0].image.shape == (480, 640)


def test_image_claiming_fifty_thousand_squared(tmp_path: Path) -> None:
    p = tmp_path / "bomb.png"
    _png_header_only(p, 50_000, 50_000)
    assert _expect(p, err_mod.ImageTooLargeError).code == "ocr.image_too_large"


def test_too_many_pages(tmp_path: Path) -> None:
    p = tmp_path / "many.tif"
    _tiff(p, MAX_PAGES + 1, (40, 20))
    err = _expect(p, err_mod.TooManyPagesError)
    assert err.code == "ocr.too_many_pages"


def test_blank_page_has_no_table_and_names_the_page(tmp_path: Path) -> None:
    p = tmp_path / "blank.tif"
    _tiff(p, 2, (1700, 1100))
    err = _expect(p, err_mod.NoTableError)
    assert err.page == 1 and "page 1" in str(err) and "1ページ" in str(err)


def test_missing_tesseract_is_typed(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PATH", "/nonexistent")
    with pytest.raises(err_mod.TesseractMissingError) as info:
        ocr.TesseractEngine()
    assert info.value.code == "ocr.tesseract_missing"


def test_error_string_is_one_bilingual_line() -> None:
    err = err_mod.FileCorruptError(file="a.tif", page=3)
    s = str(err)
    assert "\n" not in s
    ja, en = s.split(" / ")
    assert "a.tif" in ja and "3ページ" in ja
    assert "a.tif page 3" in en


def test_original_file_is_not_modified(tmp_path: Path) -> None:
    p = tmp_path / "blank.tif"
    _tiff(p, 1, (1700, 1100))
    before = p.read_bytes()
    with pytest.raises(err_mod.OcrError):
        ocr.extract_file(p, engine=ScriptedEngine())
    assert p.read_bytes() == before
