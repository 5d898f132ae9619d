"""`gakuseki students add|list`."""

from __future__ import annotations

import argparse
import json

from app.cli.common import open_store
from storage import classes, students


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    group = sub.add_parser("students", help="児童生徒 / students")
    actions = group.add_subparsers(dest="action", metavar="ACTION", required=True)
    add = actions.add_parser("add", help="児童生徒を登録 / add a student")
    add.add_argument("--family", required=True, help="姓")
    add.add_argument("--given", required=True, help="名")
    add.add_argument("--family-kana", required=True, help="せい")
    add.add_argument("--given-kana", required=True, help="めい")
    add.add_argument("--sex", required=True, help="男|女")
    add.add_argument("--birth-date", required=True, help="YYYY-MM-DD (和暦も可 / era dates accepted)")
    add.add_argument("--guardian", default="", help="保護者氏名")
    add.add_argument("--address", default="", help="住所")
    add.add_argument("--phone", default="", help="電話番号")
    add.add_argument("--previous-school", default="", help="出身園・校")
    add.add_argument("--student-number", default="", help="学籍番号")
    add.add_argument("--class", dest="class_spec", default=None, help="学級 (例 1-2) / class, e.g. 1-2")
    add.set_defaults(func=cmd_add)
    listing = actions.add_parser("list", help="児童生徒の一覧 / list students")
    listing.add_argument("--class", dest="class_spec", default=None, help="学級 (例 1-2 / 1年2組)")
    listing.add_argument("--year", type=int, default=None, help="年度 (default: current)")
    listing.add_argument("--search", default=None, help="氏名・ふりがなで検索 / search by name or kana")
    listing.add_argument("--json", action="store_true", help="JSON で出力 / print JSON")
    listing.set_defaults(func=cmd_list)


def cmd_add(args: argparse.Namespace) -> int:
    data = students.StudentData(
        family_name=args.family,
        given_name=args.given,
        family_kana=args.family_kana,
        given_kana=args.given_kana,
        sex=args.sex,
        birth_date=args.birth_date,
        guardian_name=args.guardian,
        address=args.address,
        phone=args.phone,
        previous_school=args.previous_school,
        student_number=args.student_number,
    )
    with open_store(args) as store:
        info = classes.find_class(store, args.class_spec) if args.class_spec else None
        with store.transaction():
            student_id = students.add_student(store, data, source="cli")
            if info is not None:
                classes.enrol(store, info.id, [student_id], f"{info.year}-04-01")
    print(f"登録しました / Added student {student_id}: {data.family_name} {data.given_name}")
    return 0


def cmd_list(args: argparse.Namespace) -> int:
    with open_store(args) as store:
        class_id = classes.find_class(store, args.class_spec, args.year).id if args.class_spec else None
        found = students.list_students(store, class_id=class_id, search=args.search, view="cli students list")
    if args.json:
        print(json.dumps([s.to_json() for s in found], ensure_ascii=False, indent=1))
        return 0
    for s in found:
        number = "" if s.attendance_no is None else str(s.attendance_no)
        print(
            "\t".join([s.class_label or "-", number, s.full_name, s.full_kana, s.sex, s.birth_date])
        )
    return 0
