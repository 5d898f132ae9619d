"""Recipients of exports: the age X25519 public keys (``age1…``) the school keeps.

A board of education (or the school's own backup officer) makes a key pair with the standard
``age-keygen`` tool and gives the school the public half; exports are encrypted to it and
opened with ``age -d -i key.txt file.age``. Administrators add and remove recipients (audited).
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass

from pyrage import RecipientError, x25519

from storage.clock import now_iso
from storage.errors import InputError, NotFoundError
from storage.store import Store


@dataclass(frozen=True)
class Recipient:
    name: str
    public_key: str
    added_by: str
    added_at: str


def parse_public_key(text: str) -> x25519.Recipient:
    """The age recipient of ``age1…`` text, or InputError."""
    key = text.strip()
    if not key.startswith("age1"):
        raise InputError(
            "recipient.key_invalid",
            "公開鍵は age の公開鍵(age1…)で指定してください",
            "The public key must be an age public key (age1…)",
        )
    try:
        return x25519.Recipient.from_str(key)
    except (RecipientError, ValueError) as exc:
        raise InputError(
            "recipient.key_invalid",
            f"age の公開鍵として読めません: {exc}",
            f"Not a valid age public key: {exc}",
        ) from exc


def _clean_name(name: str) -> str:
    cleaned = unicodedata.normalize("NFKC", name).strip()
    if not cleaned or len(cleaned) > 100 or any(unicodedata.category(c).startswith("C") for c in cleaned):
        raise InputError(
            "recipient.name_invalid",
            "受取先の名前を1〜100文字で入力してください",
            "Enter a recipient name of 1 to 100 characters",
        )
    return cleaned


def add(store: Store, name: str, age_public_key: str) -> Recipient:
    store.require_admin("recipient.add")
    cleaned = _clean_name(name)
    key = str(parse_public_key(age_public_key))
    if store.query_one("SELECT 1 FROM export_recipients WHERE name = ?", (cleaned,)) is not None:
        raise InputError(
            "recipient.exists", f"受取先「{cleaned}」は既にあります", f"Recipient '{cleaned}' already exists"
        )
    taken = store.query_one("SELECT name FROM export_recipients WHERE public_key = ?", (key,))
    if taken is not None:
        raise InputError(
            "recipient.key_exists",
            f"この公開鍵は受取先「{taken['name']}」として登録済みです",
            f"This public key is already registered as '{taken['name']}'",
        )
    with store.transaction():
        store.execute(
            "INSERT INTO export_recipients (name, public_key, added_by, added_at) VALUES (?, ?, ?, ?)",
            (cleaned, key, store.user.login, now_iso()),
        )
        store.audit("recipient.add", name=cleaned, public_key=key)
    return get(store, cleaned)


def remove(store: Store, name: str) -> None:
    store.require_admin("recipient.remove")
    found = get(store, name)
    with store.transaction():
        store.execute("DELETE FROM export_recipients WHERE name = ?", (found.name,))
        store.audit("recipient.remove", name=found.name, public_key=found.public_key)


def list_recipients(store: Store) -> list[Recipient]:
    rows = store.query("SELECT name, public_key, added_by, added_at FROM export_recipients ORDER BY name")
    return [Recipient(r["name"], r["public_key"], r["added_by"], r["added_at"]) for r in rows]


def get(store: Store, name_or_key: str) -> Recipient:
    """A registered recipient by name or by its ``age1…`` public key."""
    text = name_or_key.strip()
    row = store.query_one(
        "SELECT name, public_key, added_by, added_at FROM export_recipients WHERE name = ? OR public_key = ?",
        (unicodedata.normalize("NFKC", text), text),
    )
    if row is None:
        raise NotFoundError(
            "recipient.unknown",
            f"受取先「{text}」は登録されていません(管理者が `gakuseki recipient add` で登録します)",
            f"Recipient '{text}' is not registered (an administrator adds it with `gakuseki recipient add`)",
        )
    return Recipient(row["name"], row["public_key"], row["added_by"], row["added_at"])
