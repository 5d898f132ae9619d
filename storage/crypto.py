"""Key derivation and key wrapping for key slots. Only pyca/cryptography primitives.

- Passphrase → key-encryption key: Argon2id (RFC 9106), parameters stored per slot.
- Wrapping of the 256-bit database key: AES-256-GCM with associated data that binds the
  slot to its store and owner, so a slot cannot be moved to another user or store.
- Recovery key: 160 random bits shown as Crockford base32 groups plus a 4-character check.
"""

from __future__ import annotations

import base64
import hashlib
import os
import secrets
from dataclasses import asdict, dataclass

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.argon2 import Argon2id

from storage.errors import InputError

DB_KEY_BYTES = 32


@dataclass(frozen=True)
class KdfParams:
    """Argon2id cost. ``memory_kib`` 65536 = 64 MiB."""

    memory_kib: int = 65536
    iterations: int = 10
    lanes: int = 4

    def as_json(self) -> dict[str, int]:
        return asdict(self)


#: About 0.5 s on the project's 2-core reference machine (see bench/store.py).
PRODUCTION_KDF = KdfParams()
#: The weakest parameters a slot may carry; anything below is treated as tampering.
MINIMUM_KDF = KdfParams(memory_kib=8192, iterations=1, lanes=1)


def new_db_key() -> bytes:
    return secrets.token_bytes(DB_KEY_BYTES)


def derive_kek(secret: str, salt: bytes, params: KdfParams) -> bytes:
    return Argon2id(
        salt=salt,
        length=32,
        iterations=params.iterations,
        lanes=params.lanes,
        memory_cost=params.memory_kib,
    ).derive(secret.encode("utf-8"))


@dataclass(frozen=True)
class Wrapped:
    salt: bytes
    nonce: bytes
    ciphertext: bytes


def wrap(db_key: bytes, secret: str, aad: bytes, params: KdfParams) -> Wrapped:
    salt = secrets.token_bytes(16)
    nonce = secrets.token_bytes(12)
    kek = derive_kek(secret, salt, params)
    return Wrapped(salt, nonce, AESGCM(kek).encrypt(nonce, db_key, aad))


def unwrap(wrapped: Wrapped, secret: str, aad: bytes, params: KdfParams) -> bytes | None:
    """The database key, or None when the secret (or the slot) is wrong."""
    kek = derive_kek(secret, wrapped.salt, params)
    try:
        return AESGCM(kek).decrypt(wrapped.nonce, wrapped.ciphertext, aad)
    except InvalidTag:
        return None


def b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def unb64(text: str) -> bytes:
    return base64.b64decode(text.encode("ascii"), validate=True)


# --- recovery key -------------------------------------------------------------------

_CROCKFORD = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
_CONFUSABLE = str.maketrans({"O": "0", "I": "1", "L": "1", "U": "V"})
_RECOVERY_BYTES = 20  # 160 bits → 32 characters


def _b32(data: bytes) -> str:
    number = int.from_bytes(data, "big")
    chars = []
    for _ in range(len(data) * 8 // 5):
        chars.append(_CROCKFORD[number & 31])
        number >>= 5
    return "".join(reversed(chars))


def _check(body: str) -> str:
    return _b32(hashlib.sha256(body.encode("ascii")).digest()[:5])[:4]


def new_recovery_key() -> str:
    """A fresh recovery key, e.g. ``7K2M-…-Q9XD`` (9 groups of 4, the last a check group)."""
    body = _b32(secrets.token_bytes(_RECOVERY_BYTES))
    full = body + _check(body)
    return "-".join(full[i : i + 4] for i in range(0, len(full), 4))


def normalise_recovery_key(text: str) -> str:
    """Canonical form of a typed recovery key; raises InputError on a typo (check group)."""
    cleaned = "".join(ch for ch in text.upper() if ch.isalnum()).translate(_CONFUSABLE)
    if len(cleaned) != 36 or any(ch not in _CROCKFORD for ch in cleaned):
        raise InputError(
            "recovery.malformed",
            "回復キーの形式が正しくありません(4文字×9組)",
            "The recovery key is malformed (9 groups of 4 characters)",
        )
    body, check = cleaned[:32], cleaned[32:]
    if _check(body) != check:
        raise InputError(
            "recovery.typo",
            "回復キーに書き写しの誤りがあります。もう一度確認してください",
            "The recovery key contains a typo; please check it again",
        )
    return "-".join(cleaned[i : i + 4] for i in range(0, 36, 4))


def random_hex(nbytes: int = 16) -> str:
    return os.urandom(nbytes).hex()
