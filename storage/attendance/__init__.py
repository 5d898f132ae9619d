"""The signed attendance register (出席簿).

Modules: ``codes`` (statuses and symbols), ``calendar`` (school calendar), ``canonical``
(the signed bytes), ``sheets`` (mark, seal, correct), ``chain`` (verification),
``summary`` (指導要録 totals), ``grid`` (the month view), ``records`` (signed workflow
records), ``month_close`` (月末締め and 校長検印), ``year_seal`` (年度末封印 / reopen),
``missing`` (school days not sealed yet) and ``setup`` (actionable set-up errors with
``StoreError.fix``). Signing keys are in ``storage.signing``. The names below are the public API.
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
from storage.attendance.missing import MissingDay, missing, setup_problems
from storage.attendance.month_close import (
    MonthState,
    close_month,
    countersign_month,
    month_state,
    month_states,
)
from storage.attendance.setup import FIXES
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
from storage.attendance.year_seal import YearState, reopen_year, seal_year, year_state

__all__ = [
    "CODES",
    "FIXES",
    "Cell",
    "Change",
    "Day",
    "MissingDay",
    "MonthGrid",
    "MonthState",
    "Row",
    "SheetRef",
    "StudentSummary",
    "Totals",
    "Verification",
    "YearState",
    "can_keep",
    "close_month",
    "correct",
    "countersign_month",
    "default_school_days",
    "install_symbols",
    "is_school_day",
    "latest_sheet",
    "mark",
    "mark_many",
    "missing",
    "month_grid",
    "month_state",
    "month_states",
    "parse_status",
    "reopen_year",
    "school_days",
    "seal",
    "seal_year",
    "set_class_closure",
    "set_days",
    "setup_problems",
    "sheet_entries",
    "student_by_number",
    "summarise",
    "symbols",
    "verify",
    "verify_range",
    "year_state",
]
