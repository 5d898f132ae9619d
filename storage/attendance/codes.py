"""Attendance status codes: stable internal codes, Japanese labels and the shown symbols.

The internal code is what sheets store and sign; labels and symbols are only for people.
Symbols differ between boards of education (no national standard): a board template
installs its own into ``attendance_symbols``; :func:`symbols` falls back to the default
below. Summaries use each code's *category* (指導要録「出欠の記録」).
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from typing import TYPE_CHECKING

from storage.errors import InputError

if TYPE_CHECKING:
    from storage.store import Store

# Categories for summaries.
PRESENT = "present"  # counts in 出席日数
ABSENT = "absent"  # counts in 欠席日数
EXCUSED = "excused"  # counts in 出席停止・忌引等の日数


@dataclass(frozen=True)
class Code:
    code: str
    label: str  # Japanese label
    label_en: str
    symbol: str  # built-in default symbol ("" = blank, as for 出席 on paper)
    category: str
    late: bool = False
    early: bool = False


CODES: tuple[Code, ...] = (
    Code("present", "出席", "present", "", PRESENT),
    Code("absent_sick", "欠席(病気)", "absent (illness)", "病", ABSENT),
    Code("absent_accident", "欠席(事故)", "absent (other reason)", "事", ABSENT),
    Code("suspended", "出席停止", "attendance suspended", "停", EXCUSED),
    Code("mourning", "忌引", "bereavement", "忌", EXCUSED),
    Code("late", "遅刻", "late", "チ", PRESENT, late=True),
    Code("early_leave", "早退", "left early", "早", PRESENT, early=True),
    Code("deemed_present", "出席扱い", "counted as present", "扱", PRESENT),
    Code("class_closure", "学級閉鎖", "class closed", "／", EXCUSED),
)
BY_CODE: dict[str, Code] = {c.code: c for c in CODES}
DEFAULT = "present"
CLOSURE = "class_closure"


def get(code: str) -> Code:
    found = BY_CODE.get(code)
    if found is None:
        raise InputError(
            "attendance.status_unknown",
            f"出欠の区分「{code}」はありません",
            f"Unknown attendance status '{code}'",
        )
    return found


def symbols(store: Store | None = None) -> dict[str, str]:
    """code → symbol shown: the installed board template's, else the built-in default."""
    table = {c.code: c.symbol for c in CODES}
    if store is not None:
        for row in store.query("SELECT code, symbol FROM attendance_symbols"):
            if row["code"] in table:
                table[str(row["code"])] = str(row["symbol"])
    return table


def install_symbols(store: Store, mapping: dict[str, str]) -> None:
    """Install a board's symbols (administrators; used by templates)."""
    store.require_admin("attendance.symbols")
    for code in mapping:
        get(code)
    with store.transaction():
        for code, symbol in mapping.items():
            store.execute(
                "INSERT INTO attendance_symbols (code, symbol) VALUES (?, ?) "
                "ON CONFLICT (code) DO UPDATE SET symbol = excluded.symbol",
                (code, symbol),
            )
        store.audit("attendance.symbols", codes=sorted(mapping))


def _norm(text: str) -> str:
    return "".join(unicodedata.normalize("NFKC", text).split()).lower()


def parse_status(text: str, store: Store | None = None) -> str:
    """The internal code for a typed internal code, shown symbol or Japanese label."""
    wanted = _norm(text)
    if not wanted:
        raise InputError(
            "attendance.status_empty", "出欠の区分を入力してください", "Enter an attendance status"
        )
    shown = symbols(store)
    for code in CODES:
        names = {_norm(code.code), _norm(code.label), _norm(code.label_en)}
        if shown[code.code]:
            names.add(_norm(shown[code.code]))
        if code.symbol:
            names.add(_norm(code.symbol))
        if wanted in names:
            return code.code
    choices = "、".join(f"{c.code}({shown[c.code] or c.label})" for c in CODES)
    raise InputError(
        "attendance.status_unknown",
        f"出欠の区分「{text}」が分かりません。次のいずれか: {choices}",
        f"Unknown attendance status '{text}'; one of: {choices}",
    )
