"""The signed attendance register (出席簿).

Modules: ``codes`` (statuses and symbols), ``calendar`` (school calendar), ``canonical``
(the signed bytes), ``sheets`` (mark, seal, correct), ``chain`` (verification),
``summary`` (指導要録 totals) and ``grid`` (the month view). Signing keys are in
``storage.signing``. The names below are the public API.
"""

from __future__ import annotations

from storage.attendance.calendar import (
    default_school_days,
    is_school_day,
    school_days,
    set_class_closure,
    set_days,
)
from storage.attendance.chain import Verification, verify, verify_range
from storage.attendance.codes import CODES, install_symbols, parse_status, symbols
from storage.attendance.grid import Cell, Change, Day, MonthGrid, Row, month_grid
from storage.attendance.sheets import (
    SheetRef,
    can_keep,
    correct,
    latest_sheet,
    mark,
    mark_many,
    seal,
    sheet_entries,
    student_by_number,
)
from storage.attendance.summary import StudentSummary, Totals, summarise

__all__ = [
    "CODES",
    "Cell",
    "Change",
    "Day",
    "MonthGrid",
    "Row",
    "SheetRef",
    "StudentSummary",
    "Totals",
    "Verification",
    "can_keep",
    "correct",
    "default_school_days",
    "install_symbols",
    "is_school_day",
    "latest_sheet",
    "mark",
    "mark_many",
    "month_grid",
    "parse_status",
    "school_days",
    "seal",
    "set_class_closure",
    "set_days",
    "sheet_entries",
    "student_by_number",
    "summarise",
    "symbols",
    "verify",
    "verify_range",
]
