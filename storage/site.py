"""The machine secret that binds users' key slots to this computer (site binding).

A copied store folder must not open elsewhere with a teacher's passphrase. Each user slot's
AES-GCM wrapping key is therefore ``HKDF-SHA256(ikm = Argon2id(passphrase), salt = machine
secret, info = store|login)``: without this computer's 32-byte secret the passphrase is useless,
and a stolen copy cannot even be attacked offline (no oracle without the secret).

The secret is kept outside the store's folder:

- Windows: protected with DPAPI (``CryptProtectData``, bound to the Windows account) in
  ``%LOCALAPPDATA%\\gakuseki\\machine-secret.dpapi`` (local, not roaming);
- elsewhere: a 32-byte file ``machine-secret`` (mode 0600, folder 0700) in the per-user config
  folder (``~/.config/gakuseki`` on Linux).

``GAKUSEKI_MACHINE_SECRET_DIR`` overrides the folder (tests; a managed install). Slots record
the secret's :attr:`MachineSecret.machine_id` (a hash of it, revealing nothing) so a slot made
on another computer gets a clear "open it with the recovery key" instead of "wrong passphrase".
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import secrets
import stat
import sys
from pathlib import Path
from typing import Protocol

from storage.errors import DamagedError

ENV_DIR = "GAKUSEKI_MACHINE_SECRET_DIR"
SECRET_BYTES = 32


def machine_id_of(secret: bytes) -> str:
    return hashlib.sha256(b"gakuseki-machine-id-v1|" + secret).hexdigest()[:32]


class MachineSecret(Protocol):
    """This computer's secret (created on first use)."""

    def secret(self) -> bytes: ...

    @property
    def machine_id(self) -> str: ...


def _damaged(path: Path, why: str) -> DamagedError:
    return DamagedError(
        "site.secret_damaged",
        f"このパソコンの鍵ファイル {path} が読めません({why})。回復キーで学籍ストアを開いてください",
        f"This computer's machine-secret file {path} cannot be read ({why}); open the store with the recovery key",
    )


class _FileBacked:
    """Shared logic: read the stored form, or create it atomically (first writer wins)."""

    file_name = "machine-secret"

    def __init__(self, directory: Path) -> None:
        self.directory = directory
        self.path = directory / self.file_name
        self._cached: bytes | None = None

    def _seal(self, secret: bytes) -> bytes:
        return secret

    def _unseal(self, stored: bytes) -> bytes:
        return stored

    def secret(self) -> bytes:
        if self._cached is None:
            self._cached = self._load_or_create()
        return self._cached

    @property
    def machine_id(self) -> str:
        return machine_id_of(self.secret())

    def _load_or_create(self) -> bytes:
        try:
            return self._load()
        except FileNotFoundError:
            pass
        self.directory.mkdir(parents=True, exist_ok=True, mode=0o700)
        fresh = secrets.token_bytes(SECRET_BYTES)
        tmp = self.directory / f".{self.file_name}.{secrets.token_hex(4)}.tmp"
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0), 0o600)
        try:
            with os.fdopen(fd, "wb") as handle:
                handle.write(self._seal(fresh))
                handle.flush()
                os.fsync(handle.fileno())
            try:
                os.link(tmp, self.path)  # never replaces a secret another process just made
            except FileExistsError:
                pass
            except OSError:  # file systems without hard links
                if not self.path.exists():
                    tmp.replace(self.path)
        finally:
            with contextlib.suppress(OSError):
                tmp.unlink()
        return self._load()

    def _load(self) -> bytes:
        data = self.path.read_bytes()
        if sys.platform != "win32":
            mode = self.path.stat().st_mode
            if mode & (stat.S_IRWXG | stat.S_IRWXO):
                with contextlib.suppress(OSError):
                    self.path.chmod(0o600)  # readable only by this account
        secret = self._unseal(data)
        if len(secret) != SECRET_BYTES:
            raise _damaged(self.path, f"{len(secret)} bytes")
        return secret


class FileMachineSecret(_FileBacked):
    """A 32-byte file readable only by this account (Linux, macOS)."""


class DpapiMachineSecret(_FileBacked):  # pragma: no cover - Windows only
    """The secret protected with Windows DPAPI for the current account."""

    file_name = "machine-secret.dpapi"

    def _seal(self, secret: bytes) -> bytes:
        return _dpapi(secret, protect=True)

    def _unseal(self, stored: bytes) -> bytes:
        try:
            return _dpapi(stored, protect=False)
        except OSError as exc:
            raise _damaged(self.path, str(exc)) from exc


def _dpapi(data: bytes, *, protect: bool) -> bytes:  # pragma: no cover - Windows only
    import ctypes
    from ctypes import wintypes

    class Blob(ctypes.Structure):
        _fields_ = (("cbData", wintypes.DWORD), ("pbData", ctypes.POINTER(ctypes.c_char)))

    crypt32 = ctypes.WinDLL("crypt32", use_last_error=True)  # type: ignore[attr-defined]
    kernel32 = ctypes.WinDLL("kernel32", use_last_error=True)  # type: ignore[attr-defined]
    buffer = ctypes.create_string_buffer(data, len(data))
    source = Blob(len(data), ctypes.cast(buffer, ctypes.POINTER(ctypes.c_char)))
    result = Blob()
    entropy_bytes = b"gakuseki-machine-secret-v1"
    entropy_buffer = ctypes.create_string_buffer(entropy_bytes, len(entropy_bytes))
    entropy = Blob(len(entropy_bytes), ctypes.cast(entropy_buffer, ctypes.POINTER(ctypes.c_char)))
    ui_forbidden = 0x1
    if protect:
        ok = crypt32.CryptProtectData(
            ctypes.byref(source), "gakuseki", ctypes.byref(entropy), None, None, ui_forbidden, ctypes.byref(result)
        )
    else:
        ok = crypt32.CryptUnprotectData(
            ctypes.byref(source), None, ctypes.byref(entropy), None, None, ui_forbidden, ctypes.byref(result)
        )
    if not ok:
        raise OSError(ctypes.get_last_error(), "DPAPI failed")  # type: ignore[attr-defined]
    try:
        return ctypes.string_at(result.pbData, result.cbData)
    finally:
        kernel32.LocalFree(result.pbData)


def secret_dir() -> Path:
    env = os.environ.get(ENV_DIR)
    if env:
        return Path(env)
    import platformdirs

    if sys.platform == "win32":  # pragma: no cover - Windows only
        return Path(platformdirs.user_data_dir("gakuseki", appauthor=False, roaming=False))
    return Path(platformdirs.user_config_dir("gakuseki", appauthor=False))


def current() -> MachineSecret:
    """This computer's (this account's) machine secret."""
    directory = secret_dir()
    if sys.platform == "win32":  # pragma: no cover - Windows only
        return DpapiMachineSecret(directory)
    return FileMachineSecret(directory)
