"""`gakuseki attendance mark|seal|correct|verify|summary|calendar|closure|close|countersign|
seal-year|reopen-year|missing|state` (出席簿)."""

from __future__ import annotations

import argparse
import json
from datetime import date

from app.cli.common import open_store
from storage import attendance, classes
from storage.attendance import calendar, codes
from storage.attendance.month_close import MonthState, parse_month
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

    close = actions.add_parser("close", help="月末の締め (担任) / close the month (homeroom teacher)")
    _class_month(close)
    close.set_defaults(func=cmd_close)

    counter = actions.add_parser("countersign", help="校長検印 / countersign a closed month (principal)")
    _class_month(counter)
    counter.set_defaults(func=cmd_countersign)

    state = actions.add_parser("state", help="各月の締め・検印の状態 / each month's close state")
    state.add_argument("--class", dest="class_spec", required=True, help="学級 (例 1-2 / 1年2組)")
    state.add_argument("--year", type=int, required=True, help="年度 / school year")
    state.set_defaults(func=cmd_state)

    seal_year = actions.add_parser(
        "seal-year", help="年度末の封印 (管理者) / seal a school year (administrators)"
    )
    seal_year.add_argument("--year", type=int, required=True, help="年度 / school year")
    seal_year.set_defaults(func=cmd_seal_year)

    reopen = actions.add_parser("reopen-year", help="封印の解除 (校長) / reopen a sealed year (principal)")
    reopen.add_argument("--year", type=int, required=True, help="年度 / school year")
    reopen.add_argument("--reason", required=True, help="理由 / reason")
    reopen.set_defaults(func=cmd_reopen_year)

    miss = actions.add_parser("missing", help="未押印の授業日 / school days not sealed yet")
    miss.add_argument("--date", default=None, help="この日だけ / only this day (YYYY-MM-DD)")
    miss.add_argument("--json", action="store_true", help="JSON で出力 / print JSON")
    miss.set_defaults(func=cmd_missing)


def _class_date(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--class", dest="class_spec", required=True, help="学級 (例 1-2 / 1年2組)")
    parser.add_argument("--date", required=True, help="YYYY-MM-DD")


def _class_month(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--class", dest="class_spec", required=True, help="学級 (例 1-2 / 1年2組)")
    parser.add_argument("--month", required=True, help="YYYY-MM")


def _resolve_month(store: Store, args: argparse.Namespace) -> tuple[int, int, int]:
    year, month = parse_month(args.month)
    info = classes.find_class(store, args.class_spec, school_year_of(date(year, month, 1)))
    return info.id, year, month


def _totals_line(state: MonthState) -> str:
    t = state.totals
    return (
        f"授業日数 {state.school_days} / 在籍 {state.students} / 出停・忌引等 {t.excused_days} / "
        f"欠席 {t.absent_days} / 遅刻 {t.late} / 早退 {t.early_leave}"
    )


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


def cmd_close(args: argparse.Namespace) -> int:
    with open_store(args) as store:
        class_id, year, month = _resolve_month(store, args)
        state = attendance.close_month(store, class_id, year, month)
    print(f"締めました / Closed: {state.class_label} {state.period} ({_totals_line(state)})")
    return 0


def cmd_countersign(args: argparse.Namespace) -> int:
    with open_store(args) as store:
        class_id, year, month = _resolve_month(store, args)
        shown = attendance.month_state(store, class_id, year, month)
        print(f"{shown.class_label} {shown.period}: {_totals_line(shown)}")
        state = attendance.countersign_month(store, class_id, year, month, expected_close_hash=shown.close_hash)
    print(f"検印しました / Countersigned: {state.class_label} {state.period} (締め {state.closed_by})")
    return 0


def cmd_state(args: argparse.Namespace) -> int:
    with open_store(args) as store:
        info = classes.find_class(store, args.class_spec, args.year)
        states = attendance.month_states(store, info.id, args.year)
    for s in states:
        who = s.countersigned_by or s.closed_by or ""
        print(f"{s.period}\t{s.state}\t{s.label_ja} / {s.label_en}\t{who}")
    return 0


def cmd_seal_year(args: argparse.Namespace) -> int:
    with open_store(args) as store:
        attendance.seal_year(store, args.year)
    print(f"{args.year}年度の出席簿を封印しました / School year {args.year} sealed")
    return 0


def cmd_reopen_year(args: argparse.Namespace) -> int:
    with open_store(args) as store:
        attendance.reopen_year(store, args.year, args.reason)
    print(f"{args.year}年度の封印を解除しました / School year {args.year} reopened: {args.reason}")
    return 0


def cmd_missing(args: argparse.Namespace) -> int:
    day = calendar.parse_date(args.date) if args.date else None
    with open_store(args) as store:
        found = attendance.missing(store, day)
    if args.json:
        rows = [
            {
                "class": m.class_label,
                "class_id": m.class_id,
                "date": m.date.isoformat(),
                "students": m.students,
                "marked": m.marked,
            }
            for m in found
        ]
        print(json.dumps(rows, ensure_ascii=False, indent=1))
        return 0
    for m in found:
        print(f"{m.date}\t{m.class_label}\t記入 {m.marked}/{m.students}")
    if not found:
        print("未押印の授業日はありません / No school day is waiting to be sealed")
    return 0
