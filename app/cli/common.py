"""Shared CLI plumbing: where the store is, who is acting and their passphrase."""

from __future__ import annotations

import argparse
import getpass
import os
import sys
from pathlib import Path

from storage.errors import InputError
from storage.keyslots import KeySlotFile
from storage.store import SLOTS_NAME, Store, default_store_path, store_exists


def store_path(args: argparse.Namespace) -> Path:
    path: Path | None = getattr(args, "store", None)
    return path if path is not None else default_store_path()


def _interactive() -> bool:
    return sys.stdin is not None and sys.stdin.isatty()


def _no_passphrase(what: str) -> InputError:
    return InputError(
        "cli.no_passphrase",
        f"{what}がありません。端末で実行するか GAKUSEKI_PASSPHRASE を設定してください",
        f"No {what}: run in a terminal or set GAKUSEKI_PASSPHRASE",
    )


def default_login(path: Path) -> str:
    """$GAKUSEKI_USER, else the founding administrator (the first user slot)."""
    env = os.environ.get("GAKUSEKI_USER")
    if env:
        return env
    if store_exists(path):
        logins = KeySlotFile.load(path / SLOTS_NAME).user_logins()
        if logins:
            return logins[0]
    return "admin"


def open_store(args: argparse.Namespace) -> Store:
    path = store_path(args)
    login = default_login(path)
    passphrase = os.environ.get("GAKUSEKI_PASSPHRASE")
    if passphrase is None:
        if not _interactive():
            raise _no_passphrase("パスフレーズ")
        passphrase = getpass.getpass(f"{login} のパスフレーズ / passphrase: ")
    return Store.open(path, login, passphrase)


def new_passphrase(prompt_for: str) -> str:
    """A new passphrase: $GAKUSEKI_NEW_PASSPHRASE, else asked twice at the terminal."""
    env = os.environ.get("GAKUSEKI_NEW_PASSPHRASE")
    if env is not None:
        return env
    if not _interactive():
        raise InputError(
            "cli.no_new_passphrase",
            "新しいパスフレーズがありません。端末で実行するか GAKUSEKI_NEW_PASSPHRASE を設定してください",
            "No new passphrase: run in a terminal or set GAKUSEKI_NEW_PASSPHRASE",
        )
    first = getpass.getpass(f"{prompt_for} の新しいパスフレーズ / new passphrase: ")
    second = getpass.getpass("もう一度 / again: ")
    if first != second:
        raise InputError("cli.passphrase_mismatch", "パスフレーズが一致しません", "The passphrases do not match")
    return first
