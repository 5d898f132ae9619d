"""CSV as the school's other systems and spreadsheets read it: RFC 4180, CRLF, one line per
record, every text cell neutralised against formula injection (CSV injection)."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING

from storage.errors import InputError

if TYPE_CHECKING:
    from storage.store import Store

# A spreadsheet treats a cell starting with one of these as a formula (OWASP "CSV injection").
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
ENCODINGS = {"utf-8": "utf-8-sig", "cp932": "cp932"}  # utf-8 with BOM: Excel opens it as UTF-8


def school_encoding(store: Store, encoding: str | None = None) -> str:
    """``encoding`` when given, else the one the board's export profile sets (UTF-8 by default)."""
    if encoding is not None:
        return encoding
    from storage import templates

    return str(templates.export_options(store).get("csv_encoding", "utf-8"))


def neutralise(value: object) -> str:
    """The cell text, with a leading apostrophe when it would start a formula; line breaks
    inside a cell become spaces. Integers are written as they are."""
    if value is None:
        return ""
    if isinstance(value, int) and not isinstance(value, bool):
        return str(value)
    text = str(value)
    if text.startswith(FORMULA_STARTS):
        text = "'" + text
    return text.replace("\r\n", " ").replace("\r", " ").replace("\n", " ")


def write_csv(header: Sequence[str], rows: Iterable[Sequence[object]], *, encoding: str = "utf-8") -> bytes:
    """The CSV bytes (UTF-8 with BOM by default, or CP932 for older systems)."""
    codec = ENCODINGS.get(encoding)
    if codec is None:
        raise InputError(
            "csv.encoding_unknown",
            f"文字コード「{encoding}」には対応していません(utf-8 または cp932)",
            f"Unsupported encoding '{encoding}' (utf-8 or cp932)",
        )
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\r\n", quoting=csv.QUOTE_MINIMAL)
    writer.writerow([neutralise(h) for h in header])
    problems: list[str] = []
    for number, row in enumerate(rows, start=1):
        cells = [neutralise(v) for v in row]
        writer.writerow(cells)
        if codec != "utf-8-sig":
            bad = sorted({ch for cell in cells for ch in cell if not _encodable(ch, codec)})
            if bad:
                problems.append(f"{number}: {''.join(bad)} ({' '.join(c for c in cells if set(c) & set(bad))})")
    if problems:  # reported before anything is written, never replaced silently
        shown = "; ".join(problems[:10]) + (" …" if len(problems) > 10 else "")
        raise InputError(
            "csv.unencodable",
            f"{encoding} で書けない文字が {len(problems)} 行にあります(行: 文字): {shown}。UTF-8 で出力してください",
            f"{len(problems)} row(s) have characters {encoding} cannot hold (row: characters): {shown}; "
            "export as UTF-8",
        )
    return buf.getvalue().encode(codec)


def _encodable(char: str, codec: str) -> bool:
    try:
        char.encode(codec)
    except UnicodeEncodeError:
        return False
    return True
