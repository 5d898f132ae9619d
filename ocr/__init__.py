"""Ledger OCR for 入学予定者名簿: faxed, scanned or photographed tables into flagged student records.

No Qt and no database here.  Entry point: :func:`extract_file`.  Bounding boxes refer to the
normalised page images (``LedgerResult.pages[i].gray``; :func:`load_pages` gives them as the sheet lay).
"""

from .engine import CellRequest, OcrEngine, TesseractEngine
from .errors import Cancelled, FieldError, OcrError
from .model import FIELD_NAMES, Cell, FieldValue, Grid, LedgerResult, OcrText, Page, Record
from .pipeline import PAGE_STAGES, extract_file, load_pages

__all__ = [
    "FIELD_NAMES",
    "PAGE_STAGES",
    "Cancelled",
    "Cell",
    "CellRequest",
    "FieldError",
    "FieldValue",
    "Grid",
    "LedgerResult",
    "OcrEngine",
    "OcrError",
    "OcrText",
    "Page",
    "Record",
    "TesseractEngine",
    "extract_file",
    "load_pages",
]
