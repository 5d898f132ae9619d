"""`gakuseki user add|passwd|remove|list|principal`."""

from __future__ import annotations

import argparse

from app.cli.common import new_passphrase, open_store
from storage import users


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    user = sub.add_parser("user", help="利用者の管理 / manage users")
    actions = user.add_subparsers(dest="action", metavar="ACTION", required=True)
    add = actions.add_parser("add", help="利用者を追加 / add a user")
    add.add_argument("login")
    add.add_argument("--role", required=True, choices=users.ROLES)
    add.add_argument("--name", required=True, help="表示名 / display name")
    add.set_defaults(func=cmd_add)
    passwd = actions.add_parser("passwd", help="パスフレーズを変更 / change a passphrase")
    passwd.add_argument("login")
    passwd.set_defaults(func=cmd_passwd)
    remove = actions.add_parser("remove", help="利用者を削除 / remove a user")
    remove.add_argument("login")
    remove.set_defaults(func=cmd_remove)
    listing = actions.add_parser("list", help="利用者の一覧 / list users")
    listing.set_defaults(func=cmd_list)
    principal = actions.add_parser("principal", help="校長に指定 (管理者) / flag an administrator as principal")
    principal.add_argument("login")
    principal.add_argument("--unset", action="store_true", help="指定を外す / remove the flag")
    principal.set_defaults(func=cmd_principal)


def cmd_add(args: argparse.Namespace) -> int:
    with open_store(args) as store:
        store.require_admin("user.add")
        user = users.add_user(store, args.login, args.role, args.name, new_passphrase(args.login))
    print(f"追加しました / Added: {user.login} ({user.role})")
    return 0


def cmd_passwd(args: argparse.Namespace) -> int:
    with open_store(args) as store:
        if args.login != store.user.login:
            store.require_admin("user.passwd")
        users.change_passphrase(store, args.login, new_passphrase(args.login))
    print(f"パスフレーズを変更しました / Passphrase changed: {args.login}")
    return 0


def cmd_remove(args: argparse.Namespace) -> int:
    with open_store(args) as store:
        users.remove_user(store, args.login)
    print(f"削除しました / Removed: {args.login}")
    return 0


def cmd_list(args: argparse.Namespace) -> int:
    with open_store(args) as store:
        for user in users.list_users(store):
            print(f"{user.login}\t{user.role}\t{user.display_name}")
    return 0


def cmd_principal(args: argparse.Namespace) -> int:
    with open_store(args) as store:
        users.set_principal(store, args.login, not args.unset)
    word = "校長の指定を外しました / No longer principal" if args.unset else "校長に指定しました / Now principal"
    print(f"{word}: {args.login}")
    return 0
