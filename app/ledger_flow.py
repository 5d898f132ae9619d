"""From a ledger file to the store: extraction for review (worker side) and the CLI import.

Shared by the GUI's 取込 page and `gakuseki ledger import`, so both treat flags alike:
a ledger with any flagged field is kept as a draft for a person; only a ledger whose every
field is confident and validated may be committed without review.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import cv2

from ocr import OcrEngine, extract_file
from storage import imports
from storage.store import Store

ProgressFn = Callable[[int, int, str], None]
CancelFn = Callable[[], bool]


@dataclass(frozen=True)
class Extraction:
    file_name: str
    sha256: str
    result: dict[str, Any]
    page_pngs: tuple[bytes, ...]

    @property
    def flagged(self) -> int:
        return imports.count_flagged(self.result)


def extract_for_review(
    path: Path,
    *,
    progress: ProgressFn | None = None,
    cancel: CancelFn | None = None,
    engine: OcrEngine | None = None,
    synonyms: Mapping[str, Sequence[str]] | None = None,
) -> Extraction:
    """Run the OCR (no database here: safe on a worker thread). ``synonyms``: the installed
    board template's header wordings (``storage.templates.header_synonyms(store)``, read on the
    database thread beforehand)."""
    digest = hashlib.sha256(path.read_bytes()).hexdigest()
    result = extract_file(path, engine=engine, progress=progress, cancel=cancel, synonyms=synonyms)
    pngs = []
    for page in result.pages:
        ok, data = cv2.imencode(".png", page.gray, [cv2.IMWRITE_PNG_COMPRESSION, 6])
        if not ok:
            raise RuntimeError(f"could not encode page {page.number} as PNG")
        pngs.append(data.tobytes())
    return Extraction(path.name, digest, imports.with_required_cells(result.to_json()), tuple(pngs))


@dataclass(frozen=True)
class ImportOutcome:
    draft_id: int | None
    summary: imports.ImportSummary | None
    rows: int
    flagged: int


def import_extraction(store: Store, extraction: Extraction) -> ImportOutcome:
    """Commit a clean extraction at once; keep one with flagged fields, possible duplicates or a column
    whose header could not be read (the extractor's warnings) or a field the store needs missing (a
    ledger printed without ふりがな: :func:`extract_for_review` added those cells, flagged) as a draft for
    a person to review."""
    rows = len(extraction.result.get("records", []))
    candidates = [imports.to_student_data(imports.record_values(r)) for r in extraction.result.get("records", [])]
    duplicates = imports.find_duplicates(store, candidates) if candidates and not extraction.flagged else {}
    if extraction.flagged or rows == 0 or duplicates or extraction.result.get("warnings"):
        draft_id = imports.save_draft(
            store, file_name=extraction.file_name, file_sha256=extraction.sha256, result=extraction.result,
            page_images=list(extraction.page_pngs),
        )
        return ImportOutcome(draft_id, None, rows, extraction.flagged)
    import_rows = [
        imports.ImportRow(int(r.get("page", 1)), int(r.get("row", 0)),
                          imports.to_student_data(imports.record_values(r)))
        for r in extraction.result["records"]
    ]
    summary = imports.commit_import(
        store, file_name=extraction.file_name, file_sha256=extraction.sha256,
        pages=int(extraction.result.get("pages", 1)), rows=import_rows,
    )
    return ImportOutcome(None, summary, rows, 0)
