"""Checks on names the store itself owns (logins, passphrases)."""

from __future__ import annotations

import re

from storage.errors import InputError

_LOGIN = re.compile(r"[a-z0-9][a-z0-9._-]{0,63}")
MIN_PASSPHRASE = 8


def check_login(login: str) -> str:
    if not _LOGIN.fullmatch(login):
        raise InputError(
            "user.login_invalid",
            f"ログイン名「{login}」は使えません(半角英小文字・数字・._- で64文字まで)",
            f"Login '{login}' is not allowed (lower-case letters, digits, . _ -; up to 64)",
        )
    return login


def check_passphrase(passphrase: str) -> str:
    if len(passphrase) < MIN_PASSPHRASE:
        raise InputError(
            "user.passphrase_short",
            f"パスフレーズは{MIN_PASSPHRASE}文字以上にしてください",
            f"The passphrase must have at least {MIN_PASSPHRASE} characters",
        )
    return passphrase
