"""`gakuseki audit verify|log`."""

from __future__ import annotations

import argparse
import json

from app.cli.common import open_store
from storage import audit


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    group = sub.add_parser("audit", help="監査ログ / audit log")
    actions = group.add_subparsers(dest="action", metavar="ACTION", required=True)
    verify = actions.add_parser("verify", help="改ざんがないか確かめる / verify the hash chain")
    verify.set_defaults(func=cmd_verify)
    log = actions.add_parser("log", help="最近の記録 (管理者) / recent entries (administrators)")
    log.add_argument("--limit", type=int, default=50)
    log.set_defaults(func=cmd_log)


def cmd_verify(args: argparse.Namespace) -> int:
    with open_store(args) as store:
        result = audit.verify(store)
    if result.ok:
        print(f"監査ログは正常です({result.entries}件) / Audit log intact ({result.entries} entries)")
        return 0
    print(f"監査ログが改ざんされています: {result.reason_ja} / Audit log tampered: {result.reason_en}")
    return 4


def cmd_log(args: argparse.Namespace) -> int:
    with open_store(args) as store:
        for entry in audit.entries(store, limit=args.limit):
            detail = json.dumps(entry.detail, ensure_ascii=False, sort_keys=True)
            print(f"{entry.seq}\t{entry.at}\t{entry.actor}\t{entry.action}\t{detail}")
    return 0
