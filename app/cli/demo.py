"""`gakuseki demo`: a demo school that the README's main command opens."""

from __future__ import annotations

import argparse
import os
import secrets
import shutil
from pathlib import Path

from app.cli.common import store_path
from app.demo_data import build_demo
from storage.errors import InputError
from storage.store import store_exists


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    demo = sub.add_parser("demo", help="デモ用の学校を作る / create a demo school")
    demo.add_argument("--store", dest="demo_store", default=None, help="作成先 / where to create it")
    demo.add_argument("--replace", action="store_true", help="既存のデモを作り直す / recreate an existing demo")
    demo.set_defaults(func=cmd_demo)


def cmd_demo(args: argparse.Namespace) -> int:
    if args.demo_store is not None:
        args.store = Path(args.demo_store)
    path = store_path(args)
    if store_exists(path):
        if not args.replace:
            raise InputError(
                "demo.exists",
                f"{path} には既にストアがあります(作り直すには --replace)",
                f"A store already exists at {path} (use --replace to recreate the demo)",
            )
        shutil.rmtree(path)
    passphrase = os.environ.get("GAKUSEKI_PASSPHRASE")
    generated = passphrase is None
    if passphrase is None:
        passphrase = "-".join(secrets.token_hex(3) for _ in range(3))
    summary = build_demo(path, passphrase, progress=lambda msg: print(msg, flush=True))
    print(f"デモの学校を作成しました / Demo school created: {path}")
    print(f"  利用者 / users: {', '.join(summary.logins)}")
    if generated:
        print(f"  全員のパスフレーズ(一度だけ表示) / everyone's passphrase (shown once): {passphrase}")
    else:
        print("  パスフレーズ / passphrase: $GAKUSEKI_PASSPHRASE")
    print(f"  回復キー / recovery key: {summary.recovery_key}")
    return 0
