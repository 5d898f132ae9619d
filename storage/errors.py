"""Typed errors of the store: user or environment problems with a stable code.

Anything else raised from ``storage`` is a bug. ``app`` turns a :class:`StoreError` into
one translated line (GUI) or one line plus its ``exit_code`` (CLI).
"""

from __future__ import annotations

from typing import ClassVar


class StoreError(Exception):
    """Base of every expected store failure. ``str(err)`` is "日本語 / English"."""

    exit_code: ClassVar[int] = 2

    def __init__(self, code: str, message_ja: str, message_en: str, *, fix: str | None = None) -> None:
        super().__init__(f"{message_ja} / {message_en}")
        self.code = code
        self.message_ja = message_ja
        self.message_en = message_en
        #: where the user fixes it, for screens to offer opening that place (None: nowhere);
        #: e.g. "calendar", "homeroom", "class_membership" (see storage.attendance.FIXES)
        self.fix = fix


class InputError(StoreError):
    """Bad usage or invalid input (exit 2)."""

    exit_code = 2


class NotFoundError(InputError):
    """A named thing (store, user, student, class) does not exist (exit 2)."""


class AuthError(StoreError):
    """Wrong passphrase or unknown/removed user (exit 3)."""

    exit_code = 3


class DamagedError(StoreError):
    """The store, its key slots or a chain is damaged or tampered with (exit 4)."""

    exit_code = 4


class PolicyError(StoreError):
    """Refused by policy or role (exit 5)."""

    exit_code = 5
