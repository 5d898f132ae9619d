"""Frozen data passed between the pipeline stages."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Any

import numpy as np
import numpy.typing as npt

Gray = npt.NDArray[np.uint8]
BBox = tuple[int, int, int, int]

FIELD_NAMES: tuple[str, ...] = (
    "no",
    "family_name",
    "given_name",
    "family_kana",
    "given_kana",
    "sex",
    "birth_date",
    "guardian",
    "address",
    "phone",
    "previous_school",
)


STANDARD_FAX_MAX_DPI_Y = 110.0


@dataclass(frozen=True)
class RawPage:
    """A page as decoded from the file, with its own X and Y resolution (dpi)."""

    number: int
    image: Gray
    dpi_x: float
    dpi_y: float
    photo_hint: bool = False

    @property
    def standard_fax(self) -> bool:
        """Sent in fax standard mode: about half as many rows as columns per inch (204x98 dpi)."""
        return self.dpi_y <= STANDARD_FAX_MAX_DPI_Y and self.dpi_y < 0.7 * self.dpi_x


@dataclass(frozen=True)
class Page:
    """A normalised page: square pixels at about 300 dpi, deskewed, grayscale (0 ink, 255 paper).

    ``gray`` is the image every bbox refers to; ``binary`` is its ink mask (255 = ink).
    """

    number: int
    gray: Gray
    binary: Gray
    dpi: float
    skew_deg: float = 0.0
    rectified: bool = False
    quarter_turns: int = 0  # the sheet lay upside down (2) or on its side (1, 3): turned anticlockwise


@dataclass(frozen=True)
class Grid:
    """Ruled table of one page: x positions of vertical rules, y positions of horizontal rules."""

    page: int
    xs: tuple[int, ...]
    ys: tuple[int, ...]

    @property
    def n_cols(self) -> int:
        return max(len(self.xs) - 1, 0)

    @property
    def n_rows(self) -> int:
        return max(len(self.ys) - 1, 0)

    def cell_box(self, row: int, col: int) -> BBox:
        return (self.xs[col], self.ys[row], self.xs[col + 1], self.ys[row + 1])


@dataclass(frozen=True)
class ColumnMap:
    """Which grid column holds which field; ``stacked`` columns hold ふりがな above 氏名."""

    header_row: int
    columns: tuple[tuple[int, str], ...]  # (column index, role)

    def roles(self) -> dict[str, int]:
        return {role: col for col, role in self.columns}


@dataclass(frozen=True)
class Cell:
    """One piece of a table cell to be read: ``kind`` is the role (e.g. ``family_name``)."""

    page: int
    row: int
    kind: str
    bbox: BBox
    image: Gray
    multiline: bool = False
    numeric: bool = False
    note: str = ""  # a doubt found while cutting the cell (e.g. "kana.split_uncertain")


@dataclass(frozen=True)
class OcrText:
    """Text read from one cell image with a confidence in 0..1."""

    text: str
    confidence: float  # character-weighted mean
    min_confidence: float = 0.0  # weakest word
    second: str | None = None  # what the second-opinion model read, when it was asked
    agreed: bool | None = None  # both models read the same text


@dataclass(frozen=True)
class FieldValue:
    value: str | int | None
    confidence: float
    needs_review: bool
    page: int
    bbox: BBox
    raw: str = ""
    reasons: tuple[str, ...] = ()
    alternatives: tuple[str, ...] = ()  # another model's read of a flagged value, for the reviewer

    def offered(self, value: str, reason: str) -> FieldValue:
        """This field showing ``value`` in place of what it showed, which is kept as the first other
        reading; flagged, with ``reason`` (a value offered by a check is never taken as read)."""
        shown = (self.value, *self.alternatives)
        alts = tuple(dict.fromkeys(a for a in shown if isinstance(a, str) and a and a != value))
        reasons = self.reasons if reason in self.reasons else (*self.reasons, reason)
        return replace(self, value=value, needs_review=True, reasons=reasons, alternatives=alts)

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "value": self.value,
            "confidence": round(self.confidence, 3),
            "needs_review": self.needs_review,
            "bbox": list(self.bbox),
            "page": self.page,
            "raw": self.raw,
            "reasons": list(self.reasons),
        }
        if self.alternatives and self.needs_review:
            out["alternatives"] = list(self.alternatives)
        return out


@dataclass(frozen=True)
class Record:
    page: int
    row: int
    fields: dict[str, FieldValue] = field(default_factory=dict)
    # fields the ledger has no column for (layout B prints no 出身園): absent from ``fields``, and
    # listed so that whoever reads the record knows a person must supply them from elsewhere
    missing: tuple[str, ...] = ()

    @property
    def needs_review(self) -> bool:
        return any(f.needs_review for f in self.fields.values())

    def to_json(self) -> dict[str, Any]:
        ordered = {k: self.fields[k].to_json() for k in FIELD_NAMES if k in self.fields}
        review = [k for k in FIELD_NAMES if (k in self.fields and self.fields[k].needs_review) or k in self.missing]
        return {
            "page": self.page,
            "row": self.row,
            "fields": ordered,
            "missing": [k for k in FIELD_NAMES if k in self.missing],
            "needs_review": review,
        }


@dataclass(frozen=True)
class LedgerResult:
    """Result for one file.  ``pages`` holds the normalised pages that bboxes refer to."""

    file: str
    n_pages: int
    records: tuple[Record, ...]
    pages: tuple[Page, ...] = ()
    warnings: tuple[str, ...] = ()

    def to_json(self) -> dict[str, Any]:
        return {
            "file": self.file,
            "pages": self.n_pages,
            "records": [r.to_json() for r in self.records],
            "warnings": list(self.warnings),
        }
