"""`gakuseki attendance mark|seal|correct|verify|summary|calendar|closure` (出席簿)."""

from __future__ import annotations

import argparse
import json
from datetime import date

from app.cli.common import open_store
from storage import attendance, classes
from storage.attendance import calendar, codes
from storage.attendance.summary import LABELS_JA
from storage.clock import school_year_of
from storage.errors import InputError
from storage.store import Store


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    group = sub.add_parser("attendance", help="出席簿 / attendance register")
    actions = group.add_subparsers(dest="action", metavar="ACTION", required=True)
    statuses = "、".join(f"{c.code}={c.symbol or c.label}" for c in codes.CODES)

    mark = actions.add_parser("mark", help="出欠を記入 (押印前) / mark a student (before sealing)")
    _class_date(mark)
    mark.add_argument("--student", type=int, required=True, help="出席番号 / attendance number")
    mark.add_argument("--status", required=True, help=f"区分・記号・名称 / code, symbol or label: {statuses}")
    mark.add_argument("--note", default="", help="備考 / note")
    mark.set_defaults(func=cmd_mark)

    seal = actions.add_parser("seal", help="その日の出席簿に押印(署名) / seal (sign) the day's sheet")
    _class_date(seal)
    seal.set_defaults(func=cmd_seal)

    correct = actions.add_parser("correct", help="押印済みの日を訂正 (訂正印) / correct a sealed day")
    _class_date(correct)
    correct.add_argument("--student", type=int, required=True, help="出席番号 / attendance number")
    correct.add_argument("--status", required=True, help="新しい区分 / new status")
    correct.add_argument("--note", default="", help="備考 / note")
    correct.add_argument("--reason", required=True, help="訂正の理由 / reason for the correction")
    correct.set_defaults(func=cmd_correct)

    verify = actions.add_parser("verify", help="署名と連鎖を検証 / verify every signature and link")
    verify.set_defaults(func=cmd_verify)

    summary = actions.add_parser("summary", help="出欠の記録 (指導要録) / attendance totals")
    summary.add_argument("--class", dest="class_spec", required=True, help="学級 (例 1-2 / 1年2組)")
    summary.add_argument("--year", type=int, required=True, help="年度 / school year")
    summary.add_argument("--until", default=None, help="集計する最後の日 / last day counted (default today)")
    summary.add_argument("--json", action="store_true", help="JSON で出力 / print JSON")
    summary.set_defaults(func=cmd_summary)

    cal = actions.add_parser(
        "calendar", help="学校暦を設定 (管理者) / set the school calendar (administrators)"
    )
    cal.add_argument("--from", dest="start", default=None, help="YYYY-MM-DD")
    cal.add_argument("--to", dest="end", default=None, help="YYYY-MM-DD (default: --from)")
    cal.add_argument("--kind", default="school_day", choices=calendar.KINDS, help="区分 / kind")
    cal.add_argument("--note", default="", help="備考 / note")
    cal.add_argument(
        "--default-year",
        type=int,
        default=None,
        help="年度の標準的な授業日を設定 / standard school days of a year",
    )
    cal.set_defaults(func=cmd_calendar)

    closure = actions.add_parser("closure", help="学級閉鎖 (管理者) / class closure (administrators)")
    _class_date(closure)
    closure.add_argument("--reason", default="", help="理由 / reason")
    closure.add_argument("--lift", action="store_true", help="取り消す / lift it")
    closure.set_defaults(func=cmd_closure)


def _class_date(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--class", dest="class_spec", required=True, help="学級 (例 1-2 / 1年2組)")
    parser.add_argument("--date", required=True, help="YYYY-MM-DD")


def _resolve(store: Store, args: argparse.Namespace) -> tuple[int, date]:
    day = calendar.parse_date(args.date)
    info = classes.find_class(store, args.class_spec, school_year_of(day))
    return info.id, day


def cmd_mark(args: argparse.Namespace) -> int:
    with open_store(args) as store:
        class_id, day = _resolve(store, args)
        status = codes.parse_status(args.status, store)
        student = attendance.student_by_number(store, class_id, day, args.student)
        attendance.mark(store, class_id, day, student, status, args.note)
    label = codes.get(status).label
    print(f"記入しました / Marked: {args.class_spec} {day} No.{args.student} {label} ({status})")
    return 0


def cmd_seal(args: argparse.Namespace) -> int:
    with open_store(args) as store:
        class_id, day = _resolve(store, args)
        ref = attendance.seal(store, class_id, day)
    print(f"押印しました / Sealed: {ref.name_ja} ({ref.hash[:16]})")
    return 0


def cmd_correct(args: argparse.Namespace) -> int:
    with open_store(args) as store:
        class_id, day = _resolve(store, args)
        status = codes.parse_status(args.status, store)
        student = attendance.student_by_number(store, class_id, day, args.student)
        ref = attendance.correct(store, class_id, day, {student: (status, args.note)}, args.reason)
    print(f"訂正しました / Corrected: {ref.name_ja} / {ref.name_en}")
    return 0


def cmd_verify(args: argparse.Namespace) -> int:
    with open_store(args) as store:
        result = attendance.verify(store)
    print(result.message)
    return 0 if result.ok else 4


def cmd_summary(args: argparse.Namespace) -> int:
    until = calendar.parse_date(args.until) if args.until else None
    with open_store(args) as store:
        info = classes.find_class(store, args.class_spec, args.year)
        found = attendance.summarise(store, info.id, args.year, until=until)
    if args.json:
        print(
            json.dumps(
                {"class": info.label, "year": args.year, "students": [s.to_json() for s in found]},
                ensure_ascii=False,
                indent=1,
            )
        )
        return 0
    keys = [
        "lesson_days",
        "excused_days",
        "required_days",
        "absent_days",
        "present_days",
        "late",
        "early_leave",
        "unsealed_days",
    ]
    print("\t".join(["番号", "氏名", *(LABELS_JA[k] for k in keys)]))
    for s in found:
        totals = s.year.to_json()
        print("\t".join([str(s.attendance_no), s.name, *(str(totals[k]) for k in keys)]))
    return 0


def cmd_calendar(args: argparse.Namespace) -> int:
    with open_store(args) as store:
        if args.default_year is not None:
            days = calendar.default_school_days(args.default_year)
            count = calendar.set_days(store, days, "school_day", args.note or "標準")
        else:
            if args.start is None:
                raise InputError(
                    "cli.calendar_range",
                    "--from か --default-year を指定してください",
                    "Give --from (and --to) or --default-year",
                )
            start = calendar.parse_date(args.start)
            end = calendar.parse_date(args.end) if args.end else start
            days = [date.fromordinal(n) for n in range(start.toordinal(), end.toordinal() + 1)]
            count = calendar.set_days(store, days, args.kind, args.note)
    print(f"学校暦を設定しました({count}日) / Calendar set ({count} days)")
    return 0


def cmd_closure(args: argparse.Namespace) -> int:
    with open_store(args) as store:
        class_id, day = _resolve(store, args)
        calendar.set_class_closure(store, class_id, day, args.reason, closed=not args.lift)
    word = "取り消しました / lifted" if args.lift else "設定しました / set"
    print(f"学級閉鎖を{word}: {args.class_spec} {day}")
    return 0
