"""`gakuseki audit verify|log`."""

from __future__ import annotations

import argparse
import json

from app.cli.common import open_store
from storage import audit, report

REPORT_COLUMNS = (
    "利用者 user", "閲覧人数 read", "出力人数 exported", "閲覧回数 views", "出力 files", "拒否 refused",
)


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    group = sub.add_parser("audit", help="監査ログ / audit log")
    actions = group.add_subparsers(dest="action", metavar="ACTION", required=True)
    verify = actions.add_parser("verify", help="改ざんがないか確かめる / verify the hash chain")
    verify.set_defaults(func=cmd_verify)
    log = actions.add_parser("log", help="最近の記録 (管理者) / recent entries (administrators)")
    log.add_argument("--limit", type=int, default=50)
    log.set_defaults(func=cmd_log)
    report = actions.add_parser("report", help="月間アクセス報告 (管理者) / monthly access report (administrators)")
    report.add_argument("--month", required=True, help="YYYY-MM")
    report.add_argument("--json", action="store_true", help="JSON で出力 / print JSON")
    report.set_defaults(func=cmd_report)


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


def cmd_report(args: argparse.Namespace) -> int:
    year, month = report.parse_month(args.month)
    with open_store(args) as store:
        made = report.access_report(store, year, month)
    if args.json:
        print(json.dumps(made.to_json(), ensure_ascii=False, indent=1))
        return 0
    print(f"アクセス報告 / Access report {made.label}")
    print("\t".join(REPORT_COLUMNS))
    for u in made.users:
        print(f"{u.login}\t{u.students_read}\t{u.students_exported}\t{u.views}\t{u.export_files}\t{u.refusals}")
    print(f"大量アクセス警告 / bulk-access alerts: {len(made.alerts)}")
    for a in made.alerts:
        print(f"  {a.at}\t{a.actor}\t{a.kind}\t{a.students} > {a.threshold} / {a.minutes} min")
    print(f"出力 / exports: {len(made.exports)}")
    for e in made.exports:
        print(f"  {e.at}\t{e.actor}\t{e.kind}\t{e.file}\t{e.students}\t{e.recipient}\t{e.destination}\t{e.reason}")
    print(f"ロック解除の失敗 / failed unlocks: {len(made.failed_unlocks)}")
    for f in made.failed_unlocks:
        print(f"  {f.at}\t{f.login}")
    return 0
