"""The JSON parts of a board template, their rules and the built-in defaults.

- ``ledger.json``: how the board's ledgers are laid out: ``header_synonyms`` (role or field →
  header wordings, tried before the built-in ones by the OCR column mapping) and ``fields``
  (field → type, one of FIELD_TYPES).
- ``attendance.json``: ``symbols``: status code → the symbol shown in the register and reports.
- ``export.json``: ``oneroster``: ``variant`` (profile variant) and optional ``district_name``;
  ``csv_encoding`` (utf-8 or cp932) for the 指導要録 and monthly CSV files.
- ``reports.json``: ``font`` (gothic | mincho), ``paper`` (A4 | B4 | A3), ``show_kana`` (roster).

Every part is optional in a package; what a package leaves out keeps the built-in default.
The default template's source (``resources/templates/default/``) holds exactly these defaults.
"""

from __future__ import annotations

import unicodedata
from typing import Any

from ocr.header import DEFAULT_SYNONYMS, FIELD_TO_ROLE
from storage.attendance import codes
from storage.errors import InputError
from storage.oneroster import profile

PART_NAMES = ("ledger.json", "attendance.json", "export.json", "reports.json")
FIELD_TYPES = frozenset({"integer", "text", "kana", "sex", "date", "phone"})
LEDGER_FIELDS: dict[str, str] = {
    "no": "integer",
    "family_name": "text",
    "given_name": "text",
    "family_kana": "kana",
    "given_kana": "kana",
    "sex": "sex",
    "birth_date": "date",
    "guardian": "text",
    "address": "text",
    "phone": "phone",
    "previous_school": "text",
}
FONTS = ("gothic", "mincho")
PAPERS = ("A4", "B4", "A3")

DEFAULTS: dict[str, dict[str, Any]] = {
    "ledger.json": {"header_synonyms": {}, "fields": dict(LEDGER_FIELDS)},
    "attendance.json": {"symbols": {c.code: c.symbol for c in codes.CODES}},
    "export.json": {"oneroster": {"variant": profile.DEFAULT_VARIANT}, "csv_encoding": "utf-8"},
    "reports.json": {"font": "mincho", "paper": "A4", "show_kana": True},
}


def _invalid(part: str, why_ja: str, why_en: str) -> InputError:
    return InputError(
        "template.part_invalid",
        f"テンプレートの {part} が正しくありません: {why_ja}",
        f"The template's {part} is invalid: {why_en}",
    )


def _text(value: object, part: str, what: str, *, max_len: int) -> str:
    if not isinstance(value, str) or len(value) > max_len or any(
        unicodedata.category(c).startswith("C") for c in value
    ):
        raise _invalid(part, f"{what} は{max_len}文字以内の文字列にしてください", f"{what} must be text of ≤{max_len}")
    return value


def _object(value: object, part: str, allowed: set[str]) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise _invalid(part, "JSON オブジェクトではありません", "not a JSON object")
    extra = sorted(set(value) - allowed)
    if extra:
        raise _invalid(part, f"知らない項目 {extra[0]}", f"unknown key '{extra[0]}'")
    return value


def check_part(name: str, value: object) -> dict[str, Any]:
    """The part, checked (InputError names the first problem)."""
    if name == "ledger.json":
        part = _object(value, name, {"header_synonyms", "fields"})
        synonyms = _object(part.get("header_synonyms", {}), name, set(DEFAULT_SYNONYMS) | set(FIELD_TO_ROLE))
        for key, words in synonyms.items():
            if not isinstance(words, list) or not 1 <= len(words) <= 50:
                raise _invalid(name, f"{key} の見出しは1〜50個のリストです", f"{key} needs a list of 1–50 headers")
            for word in words:
                if not _text(word, name, key, max_len=40).strip():
                    raise _invalid(name, f"{key} に空の見出し", f"empty header for {key}")
        fields = _object(part.get("fields", {}), name, set(LEDGER_FIELDS))
        for key, kind in fields.items():
            if kind not in FIELD_TYPES:
                raise _invalid(name, f"{key} の型「{kind}」はありません", f"unknown field type '{kind}' for {key}")
        return {"header_synonyms": synonyms, "fields": fields}
    if name == "attendance.json":
        part = _object(value, name, {"symbols"})
        symbols = _object(part.get("symbols", {}), name, set(codes.BY_CODE))
        for key, symbol in symbols.items():
            _text(symbol, name, key, max_len=4)
        return {"symbols": symbols}
    if name == "export.json":
        part = _object(value, name, {"oneroster", "csv_encoding"})
        oneroster = _object(part.get("oneroster", {}), name, {"variant", "district_name"})
        variant = oneroster.get("variant", profile.DEFAULT_VARIANT)
        if variant not in profile.VARIANTS:
            raise _invalid(name, f"プロファイル「{variant}」はありません", f"unknown variant {variant}")
        if "district_name" in oneroster:
            _text(oneroster["district_name"], name, "district_name", max_len=100)
        if part.get("csv_encoding", "utf-8") not in ("utf-8", "cp932"):
            raise _invalid(name, "csv_encoding は utf-8 か cp932 です", "csv_encoding must be utf-8 or cp932")
        return dict(part)
    if name == "reports.json":
        part = _object(value, name, {"font", "paper", "show_kana"})
        if part.get("font", "mincho") not in FONTS:
            raise _invalid(name, "font は gothic か mincho です", "font must be gothic or mincho")
        if part.get("paper", "A4") not in PAPERS:
            raise _invalid(name, "paper は A4, B4, A3 のいずれかです", "paper must be A4, B4 or A3")
        if not isinstance(part.get("show_kana", True), bool):
            raise _invalid(name, "show_kana は true か false です", "show_kana must be true or false")
        return dict(part)
    raise _invalid(name, "知らない部品です", "not a template part")


def merged(parts: dict[str, dict[str, Any]]) -> dict[str, dict[str, Any]]:
    """The defaults with each part's keys laid over them."""
    out: dict[str, dict[str, Any]] = {}
    for name, default in DEFAULTS.items():
        combined = dict(default)
        combined.update(parts.get(name, {}))
        out[name] = combined
    return out
