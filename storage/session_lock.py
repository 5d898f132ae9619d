"""Who has a store open: every unlocked session holds a shared lock on ``<store>/session.lock``; a
restore takes it exclusively, so it never replaces a store that a window or a command has open.

The locks are advisory ``flock`` locks, released by the operating system when a process ends (a
crash leaves no stale lock).  Where ``fcntl`` does not exist (Windows) no lock is taken; the
installer notes tell the administrator to close the app before restoring.
"""

from __future__ import annotations

import contextlib
from pathlib import Path
from typing import IO, Any

from .errors import PolicyError

fcntl: Any
try:
    import fcntl
except ImportError:  # pragma: no cover - Windows
    fcntl = None

LOCK_NAME = "session.lock"


class SessionLock:
    """A held lock (or none, where the platform or a read-only folder allows none)."""

    def __init__(self, handle: IO[bytes] | None = None) -> None:
        self._handle = handle

    def release(self) -> None:
        if self._handle is not None:
            with contextlib.suppress(OSError):
                self._handle.close()  # closing the file releases the flock
            self._handle = None

    def __enter__(self) -> SessionLock:
        return self

    def __exit__(self, *exc: object) -> None:
        self.release()


def _take(path: Path, exclusive: bool) -> SessionLock:
    if fcntl is None or not path.is_dir():
        return SessionLock()
    try:
        handle = (path / LOCK_NAME).open("a+b")
    except OSError:
        return SessionLock()  # a read-only store folder: nothing can replace it from here either
    try:
        fcntl.flock(handle.fileno(), (fcntl.LOCK_EX if exclusive else fcntl.LOCK_SH) | fcntl.LOCK_NB)
    except OSError:
        handle.close()
        if exclusive:
            raise PolicyError(
                "store.in_use",
                f"{path} のストアは開かれています(学籍の画面または別のコマンド)。閉じてから復元してください",
                f"The store at {path} is open (in the Gakuseki window or another command). "
                "Close it, then restore",
            ) from None
        raise PolicyError(
            "store.restoring",
            f"{path} のストアは復元中です。終わってからもう一度開いてください",
            f"The store at {path} is being restored. Open it again when that has finished",
        ) from None
    return SessionLock(handle)


def shared(path: Path) -> SessionLock:
    """Held by every unlocked session."""
    return _take(path, exclusive=False)


def exclusive(path: Path) -> SessionLock:
    """Held by a restore while it verifies and replaces the store; refused while anyone has it open."""
    return _take(path, exclusive=True)
