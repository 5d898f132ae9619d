"""Board signing keys (Ed25519, pyca/cryptography).

Files written by ``gakuseki board keygen --out DIR``:

- ``board_private.pem``: the private key, PKCS#8 PEM. Encrypted with a passphrase when one is
  given (``GAKUSEKI_BOARD_PASSPHRASE`` or the prompt), otherwise unencrypted; kept by the board,
  never sent to schools. Mode 0600.
- ``board_public.pem``: the public key, SubjectPublicKeyInfo PEM, sent to every school.

A public key file may also be one line of standard base64 of the 32 raw key bytes.
The key id is the first 16 bytes of SHA-256 over the raw public key, in hex (32 characters).
"""

from __future__ import annotations

import base64
import binascii
import contextlib
import hashlib
import os
from pathlib import Path

from cryptography.exceptions import UnsupportedAlgorithm
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from storage.errors import InputError

PRIVATE_NAME = "board_private.pem"
PUBLIC_NAME = "board_public.pem"


def key_id(public_raw: bytes) -> str:
    return hashlib.sha256(public_raw).hexdigest()[:32]


def raw_public(key: Ed25519PublicKey) -> bytes:
    return key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)


def generate(out_dir: Path, passphrase: str | None = None) -> tuple[Path, Path, str]:
    """Write a new key pair into ``out_dir``; refuses to overwrite. Returns both paths and the key id."""
    out_dir.mkdir(parents=True, exist_ok=True)
    private_path, public_path = out_dir / PRIVATE_NAME, out_dir / PUBLIC_NAME
    for path in (private_path, public_path):
        if path.exists():
            raise InputError(
                "board.key_exists",
                f"{path} は既にあります。上書きしません",
                f"{path} already exists; it is not overwritten",
            )
    key = Ed25519PrivateKey.generate()
    encryption: serialization.KeySerializationEncryption = (
        serialization.BestAvailableEncryption(passphrase.encode()) if passphrase else serialization.NoEncryption()
    )
    pem = key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, encryption)
    fd = os.open(private_path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "wb") as handle:
        handle.write(pem)
    public = key.public_key()
    public_path.write_bytes(
        public.public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
    )
    with contextlib.suppress(OSError):
        private_path.chmod(0o600)
    return private_path, public_path, key_id(raw_public(public))


def private_is_encrypted(path: Path) -> bool:
    return b"ENCRYPTED" in _read(path)[:64]


def _read(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except OSError as exc:
        raise InputError(
            "board.key_unreadable", f"鍵ファイル {path} を読めません", f"Cannot read the key file {path}"
        ) from exc


def load_private(path: Path, passphrase: str | None = None) -> Ed25519PrivateKey:
    data = _read(path)
    try:
        key = serialization.load_pem_private_key(data, passphrase.encode() if passphrase else None)
    except TypeError as exc:  # encrypted without a passphrase, or a passphrase for a plain key
        raise InputError(
            "board.key_passphrase",
            f"秘密鍵 {path} のパスフレーズが必要です(GAKUSEKI_BOARD_PASSPHRASE)",
            f"The private key {path} needs its passphrase (GAKUSEKI_BOARD_PASSPHRASE)",
        ) from exc
    except (ValueError, UnsupportedAlgorithm) as exc:
        raise InputError(
            "board.key_invalid",
            f"{path} は Ed25519 の秘密鍵(PEM)として読めません(パスフレーズ違いを含む)",
            f"{path} is not a readable Ed25519 private key (PEM), or the passphrase is wrong",
        ) from exc
    if not isinstance(key, Ed25519PrivateKey):
        raise InputError(
            "board.key_invalid", f"{path} は Ed25519 の鍵ではありません", f"{path} is not an Ed25519 key"
        )
    return key


def parse_public(data: bytes, where: str = "public key") -> bytes:
    """The 32 raw bytes of an Ed25519 public key given as PEM or one line of base64."""
    text = data.strip()
    if text.startswith(b"-----BEGIN"):
        try:
            key = serialization.load_pem_public_key(text)
        except (ValueError, UnsupportedAlgorithm) as exc:
            raise _bad_public(where) from exc
        if not isinstance(key, Ed25519PublicKey):
            raise _bad_public(where)
        return raw_public(key)
    try:
        raw = base64.b64decode(text, validate=True)
    except (binascii.Error, ValueError) as exc:
        raise _bad_public(where) from exc
    if len(raw) != 32:
        raise _bad_public(where)
    Ed25519PublicKey.from_public_bytes(raw)
    return raw


def load_public(path: Path) -> bytes:
    return parse_public(_read(path), str(path))


def _bad_public(where: str) -> InputError:
    return InputError(
        "board.public_key_invalid",
        f"{where} は Ed25519 の公開鍵(PEM または base64 32バイト)として読めません",
        f"{where} is not an Ed25519 public key (PEM or base64 of 32 bytes)",
    )
