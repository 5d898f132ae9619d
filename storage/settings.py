"""School-wide settings kept in the store (administrators change them; audited)."""

from __future__ import annotations

from storage.errors import InputError
from storage.store import Store

DEFAULTS = {
    "auto_lock_minutes": "5",
}


def get(store: Store, key: str) -> str:
    row = store.query_one("SELECT value FROM meta WHERE key = ?", (f"setting.{key}",))
    return str(row["value"]) if row is not None else DEFAULTS[key]


def auto_lock_minutes(store: Store) -> float:
    return float(get(store, "auto_lock_minutes"))


def set_value(store: Store, key: str, value: str) -> None:
    store.require_admin("settings.change")
    if key not in DEFAULTS:
        raise InputError("settings.unknown", f"設定「{key}」はありません", f"Unknown setting '{key}'")
    if key == "auto_lock_minutes":
        try:
            minutes = float(value)
        except ValueError as exc:
            raise InputError("settings.invalid", "分数を数字で入力してください", "Enter a number of minutes") from exc
        if not 1 <= minutes <= 60:
            raise InputError(
                "settings.invalid", "自動ロックは1〜60分の範囲です", "Auto-lock must be between 1 and 60 minutes"
            )
    with store.transaction():
        store.execute(
            "INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
            (f"setting.{key}", value),
        )
        store.audit("settings.change", key=key, value=value)
