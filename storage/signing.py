"""Users' Ed25519 signing keys (for sealing the attendance register).

Key wrapping without a second Argon2id run: a user's key slot already derives a
key-encryption key (KEK) from the passphrase with Argon2id. :func:`unlock_slot` and
:func:`put_slot` derive it themselves (the slot's wrap, bound to this computer, is done by
``storage.keyslots``) so they can also return a *signing secret*: HKDF-SHA256 of that KEK with
its own label (independent of the machine secret, so binding a slot keeps the signing key).
The signing secret wraps the Ed25519 private key (AES-256-GCM, associated
data binding store, user and key id); the wrapped key lives in ``signing_keys``.

Because the KEK depends on the slot's salt, every rewrite of a user's slot rewraps (own
passphrase change) or rotates (someone else resets it: the old private key cannot be
unwrapped any more) the signing key. Retired keys keep their public half, so signatures
made while they were valid still verify. The recovery-key session has no signing secret.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from cryptography.hazmat.primitives.serialization import Encoding, NoEncryption, PrivateFormat, PublicFormat

from storage import crypto, keyslots
from storage.clock import now_iso
from storage.errors import PolicyError
from storage.keyslots import USER, KeySlotFile, Slot

if TYPE_CHECKING:
    from storage.store import Store, User


# --- slots that also yield the signing secret --------------------------------------------


def signing_secret(kek: bytes, store_id: str, login: str) -> bytes:
    return HKDF(
        algorithm=hashes.SHA256(),
        length=32,
        salt=None,
        info=f"gakuseki-signing-wrap-v1|{store_id}|{login}".encode(),
    ).derive(kek)


def put_slot(slots: KeySlotFile, login: str, db_key: bytes, passphrase: str, kdf: crypto.KdfParams) -> bytes:
    """Like ``KeySlotFile.put(USER, …)`` (not saved yet) but bound to this computer
    (``storage.site``); returns the new signing secret."""
    salt = secrets.token_bytes(16)
    kek = crypto.derive_kek(passphrase, salt, kdf)
    _replace(slots, keyslots.bound_user_slot(slots.store_id, login, db_key, kek, salt, kdf))
    return signing_secret(kek, slots.store_id, login)


def _replace(slots: KeySlotFile, slot: Slot) -> None:
    for index, existing in enumerate(slots.slots):
        if existing.kind == USER and existing.login == slot.login:
            slots.slots[index] = slot  # keep the order: the first user slot is the founding admin
            return
    slots.slots.append(slot)


@dataclass(frozen=True)
class Unlocked:
    db_key: bytes
    signing_secret: bytes
    #: the slot was written before site binding and has just been bound to this computer
    #: (the caller saves the slot file and audits it)
    rebound: bool


def unlock_slot(slots: KeySlotFile, slot: Slot, passphrase: str) -> Unlocked | None:
    """One Argon2id run: the database key and signing secret, or None for a wrong passphrase.
    Raises AuthError ``auth.other_machine`` when the slot is bound to another computer."""
    kek = crypto.derive_kek(passphrase, slot.wrapped.salt, slot.kdf)
    db_key = keyslots.open_user_slot(slots.store_id, slot, kek)
    if db_key is None:
        return None
    rebound = slot.site is None
    if rebound:  # same salt and KEK: the signing secret (and so the signing key) is unchanged
        _replace(slots, keyslots.bound_user_slot(slots.store_id, slot.login, db_key, kek, slot.wrapped.salt, slot.kdf))
    return Unlocked(db_key, signing_secret(kek, slots.store_id, slot.login), rebound)


def open_slot(slots: KeySlotFile, slot: Slot, passphrase: str) -> tuple[bytes, bytes] | None:
    """(database key, signing secret), or None for a wrong passphrase (see :func:`unlock_slot`)."""
    opened = unlock_slot(slots, slot, passphrase)
    return None if opened is None else (opened.db_key, opened.signing_secret)


# --- the key registry ---------------------------------------------------------------------


@dataclass(frozen=True)
class PublicKeyInfo:
    key_id: str
    user_id: int
    login: str
    public_key: Ed25519PublicKey
    valid_from: str
    valid_to: str | None

    def valid_at(self, when: str) -> bool:
        at = datetime.fromisoformat(when)
        if at < datetime.fromisoformat(self.valid_from):
            return False
        return self.valid_to is None or at <= datetime.fromisoformat(self.valid_to)


def key_id_of(public_raw: bytes) -> str:
    return hashlib.sha256(public_raw).hexdigest()[:32]


def _aad(store: Store, user_id: int, key_id: str) -> bytes:
    return f"gakuseki-signing-v1|{store.store_id}|{user_id}|{key_id}".encode()


def _wrap(store: Store, user_id: int, key_id: str, private_raw: bytes, secret: bytes) -> bytes:
    nonce = secrets.token_bytes(12)
    return nonce + AESGCM(secret).encrypt(nonce, private_raw, _aad(store, user_id, key_id))


def _unwrap(store: Store, user_id: int, key_id: str, wrapped: bytes, secret: bytes) -> bytes | None:
    try:
        return AESGCM(secret).decrypt(wrapped[:12], wrapped[12:], _aad(store, user_id, key_id))
    except InvalidTag:
        return None


def issue_key(
    store: Store, user_id: int, secret: bytes, *, audit: bool = True, private: Ed25519PrivateKey | None = None
) -> str:
    """A new key pair for ``user_id`` (its current key, if any, is retired first)."""
    private = private or Ed25519PrivateKey.generate()
    private_raw = private.private_bytes(Encoding.Raw, PrivateFormat.Raw, NoEncryption())
    public_raw = private.public_key().public_bytes(Encoding.Raw, PublicFormat.Raw)
    key_id = key_id_of(public_raw)
    with store.transaction():
        retire(store, user_id, "rotated", audit=audit)
        store.execute(
            "INSERT INTO signing_keys (key_id, user_id, public_key, wrapped_private, valid_from) "
            "VALUES (?, ?, ?, ?, ?)",
            (key_id, user_id, public_raw, _wrap(store, user_id, key_id, private_raw, secret), now_iso()),
        )
        store.execute("UPDATE users SET signing_public_key = ? WHERE id = ?", (public_raw, user_id))
        if audit:
            store.audit("signing.key_issue", user_id=user_id, key_id=key_id)
    return key_id


def retire(store: Store, user_id: int, reason: str, *, audit: bool = True) -> None:
    """End the validity of the user's current key; its public half stays for verification."""
    row = store.query_one(
        "SELECT key_id FROM signing_keys WHERE user_id = ? AND valid_to IS NULL", (user_id,)
    )
    if row is None:
        return
    with store.transaction():
        store.execute(
            "UPDATE signing_keys SET valid_to = ?, wrapped_private = NULL, retired_reason = ? "
            "WHERE user_id = ? AND valid_to IS NULL",
            (now_iso(), reason, user_id),
        )
        if audit:
            store.audit("signing.key_retire", user_id=user_id, key_id=row["key_id"], reason=reason)


def passphrase_changed(store: Store, target: User, new_secret: bytes) -> None:
    """Rewrap the target's key (own change) or rotate it (reset by someone else)."""
    row = store.query_one(
        "SELECT key_id, wrapped_private FROM signing_keys WHERE user_id = ? AND valid_to IS NULL",
        (target.id,),
    )
    own = target.login == store.user.login and store.signing_secret is not None
    if row is not None and own and row["wrapped_private"] is not None:
        assert store.signing_secret is not None
        raw = _unwrap(store, target.id, row["key_id"], bytes(row["wrapped_private"]), store.signing_secret)
        if raw is not None:
            with store.transaction():
                store.execute(
                    "UPDATE signing_keys SET wrapped_private = ? WHERE key_id = ?",
                    (_wrap(store, target.id, row["key_id"], raw, new_secret), row["key_id"]),
                )
            return
    with store.transaction():
        retire(store, target.id, "passphrase reset")
        issue_key(store, target.id, new_secret)


def private_key(store: Store) -> tuple[str, Ed25519PrivateKey]:
    """The acting user's current (key id, private key); issued on first use if missing."""
    if store.signing_secret is None:
        store.audit_refusal(operation="attendance.sign", reason="no signing key")
        raise PolicyError(
            "signing.no_key",
            "この方法で開いたストアでは押印(署名)できません。本人のパスフレーズで開いてください",
            "This session cannot sign (e.g. opened with the recovery key); "
            "open the store with your own passphrase",
        )
    row = store.query_one(
        "SELECT key_id, wrapped_private FROM signing_keys WHERE user_id = ? AND valid_to IS NULL",
        (store.user.id,),
    )
    if row is not None and row["wrapped_private"] is not None:
        raw = _unwrap(
            store, store.user.id, row["key_id"], bytes(row["wrapped_private"]), store.signing_secret
        )
        if raw is not None:
            return str(row["key_id"]), Ed25519PrivateKey.from_private_bytes(raw)
    # No key yet (an account older than signing) or it cannot be unwrapped: a new key pair.
    private = Ed25519PrivateKey.generate()
    key_id = issue_key(store, store.user.id, store.signing_secret, private=private)
    return key_id, private


def public_keys(store: Store) -> dict[str, PublicKeyInfo]:
    rows = store.query(
        "SELECT k.key_id, k.user_id, u.login, k.public_key, k.valid_from, k.valid_to "
        "FROM signing_keys k JOIN users u ON u.id = k.user_id"
    )
    return {
        str(r["key_id"]): PublicKeyInfo(
            str(r["key_id"]),
            int(r["user_id"]),
            str(r["login"]),
            Ed25519PublicKey.from_public_bytes(bytes(r["public_key"])),
            str(r["valid_from"]),
            r["valid_to"],
        )
        for r in rows
    }
