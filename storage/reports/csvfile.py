"""CSV as the school's other systems and spreadsheets read it: RFC 4180, CRLF, one line per
record, every text cell neutralised against formula injection (CSV injection)."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence

from storage.errors import InputError

# A spreadsheet treats a cell starting with one of these as a formula (OWASP "CSV injection").
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
ENCODINGS = {"utf-8": "utf-8-sig", "cp932": "cp932"}  # utf-8 with BOM: Excel opens it as UTF-8


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
    for row in rows:
        writer.writerow([neutralise(v) for v in row])
    text = buf.getvalue()
    try:
        return text.encode(codec)
    except UnicodeEncodeError as exc:
        bad = text[exc.start : exc.end]
        raise InputError(
            "csv.unencodable",
            f"「{bad}」は {encoding} で書けません。UTF-8 で出力してください",
            f"'{bad}' cannot be written in {encoding}; export as UTF-8",
        ) from exc
