"""`gakuseki init`: a new store and its first administrator."""

from __future__ import annotations

import argparse

from app.cli.common import new_passphrase, store_path
from storage.store import Store


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    init = sub.add_parser("init", help="新しい学籍ストアを作る / create a new store")
    init.add_argument("--school", required=True, help="学校名 / school name")
    init.add_argument("--school-code", required=True, help="学校コード (13文字) / 13-character school code")
    init.add_argument("--admin", required=True, help="最初の管理者のログイン名 / first administrator's login")
    init.add_argument("--admin-name", default="", help="管理者の表示名 / display name")
    init.set_defaults(func=cmd_init)


def cmd_init(args: argparse.Namespace) -> int:
    path = store_path(args)
    passphrase = new_passphrase(args.admin)
    store, recovery_key = Store.create(
        path,
        school_name=args.school,
        school_code_value=args.school_code,
        admin_login=args.admin,
        admin_name=args.admin_name,
        admin_passphrase=passphrase,
    )
    store.close()
    print(f"学籍ストアを作成しました / Store created: {path}")
    print("回復キー(一度だけ表示します。紙に書き写し、金庫に保管してください)")
    print("Recovery key (shown once; write it down and keep it in the safe):")
    print(f"  {recovery_key}")
    return 0
