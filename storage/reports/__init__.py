"""Files the school hands out: 指導要録「出欠の記録」 and monthly summaries (CSV), PDF reports.

Builders only produce bytes (:class:`Payload`); the data-loss-prevention path
(``storage.exports.export_file``) is the only thing that writes them, encrypted, to disk.
"""

from __future__ import annotations

import secrets
from collections.abc import Sequence
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Payload:
    """One file ready for ``storage.exports.export_file``."""

    payload: bytes
    file_name: str
    kind: str  # e.g. 'oneroster', 'attendance_record', 'attendance_month', 'roster_pdf'
    rows: int
    student_ids: Sequence[int] = field(default_factory=tuple)
    export_id: str = ""  # printed on every PDF page and part of the file name


def new_export_id() -> str:
    """A short random id that links a file's watermark to its audit entry (via the file name)."""
    return secrets.token_hex(6)
