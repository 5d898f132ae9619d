"""`gakuseki export students`: the class list as CSV, encrypted to a recipient (storage.exports)."""

from __future__ import annotations

import argparse
from pathlib import Path

from app.cli import export_records
from app.cli.common import open_store
from storage import classes, exports
from storage.reports import student_list


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    group = sub.add_parser("export", help="暗号化して出力 (管理者) / encrypted export (administrators)")
    actions = group.add_subparsers(dest="action", metavar="ACTION", required=True)
    roster = actions.add_parser("students", help="児童生徒名簿を CSV で / the student list as CSV")
    roster.add_argument("--to", dest="destination", type=Path, required=True, help="許可された出力先 / allowed folder")
    roster.add_argument("--recipient", required=True, help="受取先の名前 / recipient name")
    roster.add_argument("--reason", required=True, help="出力する理由 / why")
    roster.add_argument("--class", dest="class_spec", default=None, help="学級 (例 1-2)")
    roster.add_argument("--year", type=int, default=None, help="年度")
    roster.add_argument("--approval", default=None, help="別の管理者の承認番号 / second administrator's approval")
    roster.add_argument(
        "--encoding", choices=("utf-8", "cp932"), default=None, help="CSV の文字コード (既定: 出力プロファイル)"
    )
    roster.set_defaults(func=cmd_students)
    export_records.register(actions)  # oneroster, attendance-record, attendance-month, roster


def cmd_students(args: argparse.Namespace) -> int:
    with open_store(args) as store:
        store.require_admin("export.csv")
        class_id = classes.find_class(store, args.class_spec, args.year).id if args.class_spec else None
        made = student_list.student_list_csv(
            store, class_id=class_id, encoding=args.encoding, view="cli export students"
        )
        path = exports.export_file(
            store, payload=made.payload, file_name=made.file_name, destination=args.destination,
            recipient=args.recipient, reason=args.reason, kind=made.kind, rows=made.rows,
            student_ids=made.student_ids, approval=args.approval,
        )
    print(f"暗号化して出力しました / Exported (encrypted): {path} ({made.rows})")
    return 0
