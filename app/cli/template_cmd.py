"""`gakuseki template trust-board|install|list`: the school's side of board templates."""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from app.cli.common import open_store
from storage import templates
from storage.errors import InputError
from storage.templates import package


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    group = sub.add_parser("template", help="教育委員会のテンプレート / board templates")
    actions = group.add_subparsers(dest="action", metavar="ACTION", required=True)
    trust = actions.add_parser("trust-board", help="教育委員会の公開鍵を信頼 (管理者) / trust a board's key")
    trust.add_argument("public_key", type=Path, metavar="PUBLIC_KEY_FILE", help="PEM または base64")
    trust.add_argument("--name", default="", help="教育委員会の名前 / the board's name")
    trust.set_defaults(func=cmd_trust)
    install = actions.add_parser("install", help="テンプレートを導入 (管理者) / install a signed template")
    install.add_argument("file", type=Path, metavar="FILE")
    install.set_defaults(func=cmd_install)
    listing = actions.add_parser("list", help="導入済みテンプレートと信頼する鍵 / installed templates and keys")
    listing.add_argument("--json", action="store_true")
    listing.set_defaults(func=cmd_list)


def _read(path: Path, limit: int) -> bytes:
    try:
        size = path.stat().st_size
        if size > limit:
            return path.read_bytes()[: limit + 1]
        return path.read_bytes()
    except OSError as exc:
        raise InputError("cli.file_unreadable", f"{path} を読めません", f"Cannot read {path}") from exc


def cmd_trust(args: argparse.Namespace) -> int:
    data = _read(args.public_key, 64 * 1024)
    with open_store(args) as store:
        key = templates.trust_board(store, data, args.name)
    print(f"信頼しました / Trusted board key {key.key_id} {key.name}".rstrip())
    return 0


def cmd_install(args: argparse.Namespace) -> int:
    data = _read(args.file, package.MAX_PACKAGE_BYTES)
    with open_store(args) as store:
        done = templates.install(store, data)
    print(f"導入しました / Installed {done.template_id} 版 / version {done.version} ({done.name})")
    return 0


def cmd_list(args: argparse.Namespace) -> int:
    with open_store(args) as store:
        found = templates.installed(store)
        trusted = templates.board_keys(store)
    if args.json:
        print(
            json.dumps(
                {"templates": [t.__dict__ for t in found], "board_keys": [k.__dict__ for k in trusted]},
                ensure_ascii=False,
                indent=1,
            )
        )
        return 0
    for k in trusted:
        print(f"鍵 / key\t{k.key_id}\t{k.name}\t{k.added_by}\t{k.added_at}")
    for t in found:
        mark = "*" if t.active else " "
        print(f"{mark} {t.template_id}\t版 {t.version}\t{t.name}\t{t.board}\t{t.installed_at}")
    if not found:
        print("導入済みのテンプレートはありません(既定を使用中) / No template installed (built-in default)")
    return 0

