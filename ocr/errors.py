"""Typed errors of the ledger OCR.

Every error the package raises on purpose is an :class:`OcrError` (bad input, missing
engine, cancellation) or a :class:`FieldError` (a value that fails validation).
Anything else escaping :func:`ocr.extract_file` is a bug.
"""

from __future__ import annotations


class OcrError(Exception):
    """Base error: a stable ``code``, an exit code, and the file and page it concerns."""

    code: str = "ocr.error"
    exit_code: int = 2
    message_en: str = "OCR failed"
    message_ja: str = "OCR に失敗しました"

    def __init__(
        self,
        message_en: str | None = None,
        message_ja: str | None = None,
        *,
        file: str | None = None,
        page: int | None = None,
    ) -> None:
        if message_en is not None:
            self.message_en = message_en
        if message_ja is not None:
            self.message_ja = message_ja
        self.file = file
        self.page = page
        super().__init__(str(self))

    def _where(self) -> tuple[str, str]:
        if self.file is None:
            return "", ""
        ja = f"{self.file}"
        en = f"{self.file}"
        if self.page is not None:
            ja += f" {self.page}ページ"
            en += f" page {self.page}"
        return ja + ": ", en + ": "

    def __str__(self) -> str:
        ja, en = self._where()
        return f"{ja}{self.message_ja} / {en}{self.message_en}"


class FileEmptyError(OcrError):
    code = "ocr.file_empty"
    message_en = "the file is empty"
    message_ja = "ファイルが空です"


class FileCorruptError(OcrError):
    code = "ocr.file_corrupt"
    message_en = "the file is damaged or truncated"
    message_ja = "ファイルが壊れているか途中で切れています"


class UnsupportedFormatError(OcrError):
    code = "ocr.unsupported_format"
    message_en = "unsupported file format (use TIFF, PDF, PNG or JPEG)"
    message_ja = "対応していない形式です（TIFF・PDF・PNG・JPEG を使ってください）"


class TooManyPagesError(OcrError):
    code = "ocr.too_many_pages"
    message_en = "too many pages"
    message_ja = "ページ数が多すぎます"


class ImageTooLargeError(OcrError):
    code = "ocr.image_too_large"
    message_en = "the image is too large"
    message_ja = "画像が大きすぎます"


class PdfNoPagesError(OcrError):
    code = "ocr.pdf_no_pages"
    message_en = "the PDF has no pages"
    message_ja = "PDF にページがありません"


class FileNotFoundOcrError(OcrError):
    code = "ocr.file_not_found"
    message_en = "the file does not exist or cannot be read"
    message_ja = "ファイルが見つからないか読み込めません"


class NoTableError(OcrError):
    code = "ocr.no_table"
    message_en = "no ruled table with a recognisable header row was found"
    message_ja = "罫線の表（見出し行）が見つかりません"


class TesseractMissingError(OcrError):
    code = "ocr.tesseract_missing"
    exit_code = 2
    message_en = "Tesseract with Japanese data (jpn) is not installed"
    message_ja = "Tesseract（日本語データ jpn）がインストールされていません"


class Cancelled(OcrError):  # noqa: N818 - name fixed by the project interface
    code = "ocr.cancelled"
    exit_code = 1
    message_en = "cancelled"
    message_ja = "中止しました"


class FieldError(ValueError):
    """A field value that fails parsing or validation; ``code`` is stable (e.g. ``field.date_era``)."""

    def __init__(self, code: str, message: str) -> None:
        self.code = code
        self.message = message
        super().__init__(f"{code}: {message}")
