"""`gakuseki export students|oneroster|attendance-record|attendance-month|roster`: the student list,
national formats and reports, each written only through storage.exports.export_file (allow-listed folder, encrypted
to a registered recipient, audited). Registered into the `export` group by app.cli.export_cmd."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from app.cli.common import open_store
from storage import classes, exports, oneroster
from storage.errors import InputError
from storage.reports import Payload, attendance, pdf, student_list
from storage.store import Store


def _common(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--to", dest="destination", type=Path, required=True, help="許可された出力先 / allowed folder")
    parser.add_argument("--recipient", required=True, help="受取先の名前 / recipient name")
    parser.add_argument("--reason", required=True, help="出力する理由 / why")
    parser.add_argument("--approval", default=None, help="別の管理者の承認番号 / second administrator's approval")


def register(actions: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    listing = actions.add_parser("students", help="児童生徒名簿を CSV で / the student list as CSV")
    _common(listing)
    listing.add_argument("--class", dest="class_spec", default=None, help="学級 (例 1-2)")
    listing.add_argument("--year", type=int, default=None, help="年度")
    listing.add_argument(
        "--encoding", choices=("utf-8", "cp932"), default=None, help="CSV の文字コード (既定: 出力プロファイル)"
    )
    listing.set_defaults(func=cmd_students)

    roster = actions.add_parser(
        "oneroster", help="OneRoster 1.2 CSV (Japan Profile) の zip / OneRoster bulk zip"
    )
    _common(roster)
    roster.add_argument("--year", type=int, default=None, help="年度 (default: current)")
    roster.add_argument(
        "--variant", default=None, choices=sorted(oneroster.VARIANTS), help="プロファイル (default: 設定 / setting)"
    )
    roster.set_defaults(func=cmd_oneroster)

    record = actions.add_parser(
        "attendance-record", help="指導要録「出欠の記録」 (CSV: 全員 / PDF: 1人1ページ) / yearly attendance record"
    )
    _common(record)
    record.add_argument("--year", type=int, default=None, help="年度")
    record.add_argument("--class", dest="class_spec", default=None, help="学級 (例 1-2)")
    record.add_argument("--student", type=int, default=None, help="児童生徒の番号 (PDF) / student id (PDF)")
    record.add_argument("--format", choices=("csv", "pdf"), default="csv")
    record.add_argument("--encoding", choices=("utf-8", "cp932"), default=None, help="CSV の文字コード")
    record.set_defaults(func=cmd_attendance_record)

    month = actions.add_parser("attendance-month", help="月別出欠集計 / monthly class summary (CSV or PDF)")
    _common(month)
    month.add_argument("--class", dest="class_spec", required=True, help="学級 (例 1-2)")
    month.add_argument("--year", type=int, default=None, help="年度")
    month.add_argument("--month", type=int, required=True, help="月 (1–12)")
    month.add_argument("--format", choices=("csv", "pdf"), default="csv")
    month.add_argument("--encoding", choices=("utf-8", "cp932"), default=None, help="CSV の文字コード")
    month.set_defaults(func=cmd_attendance_month)

    names = actions.add_parser("roster", help="学級名簿 (PDF) / class roster (PDF)")
    _common(names)
    names.add_argument("--class", dest="class_spec", required=True, help="学級 (例 1-2)")
    names.add_argument("--year", type=int, default=None, help="年度")
    names.set_defaults(func=cmd_roster)


def _write(store: Store, args: argparse.Namespace, built: Payload) -> int:
    path = exports.export_file(
        store,
        payload=built.payload,
        file_name=built.file_name,
        destination=args.destination,
        recipient=args.recipient,
        reason=args.reason,
        kind=built.kind,
        rows=built.rows,
        student_ids=built.student_ids,
        approval=args.approval,
    )
    print(path)
    print(
        f"暗号化して出力しました / Exported (encrypted): {path.name} ({built.rows} 行 / rows)",
        file=sys.stderr,
    )
    return 0


def cmd_students(args: argparse.Namespace) -> int:
    with open_store(args) as store:
        store.require_admin("export.csv")
        class_id = classes.find_class(store, args.class_spec, args.year).id if args.class_spec else None
        built = student_list.student_list_csv(
            store, class_id=class_id, encoding=args.encoding, view="cli export students"
        )
        return _write(store, args, built)


def cmd_oneroster(args: argparse.Namespace) -> int:
    with open_store(args) as store:
        year = args.year if args.year is not None else classes.current_year()
        return _write(store, args, oneroster.build_bulk(store, year, variant=args.variant))


def cmd_attendance_record(args: argparse.Namespace) -> int:
    with open_store(args) as store:
        year = args.year if args.year is not None else classes.current_year()
        class_id = classes.find_class(store, args.class_spec, year).id if args.class_spec else None
        if args.format == "csv":
            built = attendance.attendance_record_csv(store, year, class_id=class_id, encoding=args.encoding)
        else:
            if args.student is None and class_id is None:
                raise InputError(
                    "cli.scope", "PDF には --student か --class が必要です", "PDF needs --student or --class"
                )
            built = pdf.student_record_pdf(
                store, year, student_id=args.student, class_id=None if args.student is not None else class_id
            )
        return _write(store, args, built)


def cmd_attendance_month(args: argparse.Namespace) -> int:
    with open_store(args) as store:
        year = args.year if args.year is not None else classes.current_year()
        class_id = classes.find_class(store, args.class_spec, year).id
        if args.format == "csv":
            built = attendance.monthly_summary_csv(store, class_id, year, args.month, encoding=args.encoding)
        else:
            built = pdf.monthly_attendance_pdf(store, class_id, year, args.month)
        return _write(store, args, built)


def cmd_roster(args: argparse.Namespace) -> int:
    with open_store(args) as store:
        class_id = classes.find_class(store, args.class_spec, args.year).id
        return _write(store, args, pdf.roster_pdf(store, class_id))
