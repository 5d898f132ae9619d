"""OneRoster 1.2 CSV, Japan Profile: column tables and variants (``profile``), stable
sourcedIds (``ids``), the bulk package builder (``build``) and its validator (``validate``)."""

from __future__ import annotations

from storage.oneroster.build import build_bulk, current_variant, set_variant
from storage.oneroster.profile import DEFAULT_VARIANT, VARIANTS, get_variant
from storage.oneroster.validate import Report, check, validate

__all__ = [
    "DEFAULT_VARIANT",
    "VARIANTS",
    "Report",
    "build_bulk",
    "check",
    "current_variant",
    "get_variant",
    "set_variant",
    "validate",
]
