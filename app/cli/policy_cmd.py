"""`gakuseki policy …` (export destinations, thresholds, alerts, approvals) and
`gakuseki recipient …` (recipients' age public keys). Administrators only; refusals exit 5."""

from __future__ import annotations

import argparse
from pathlib import Path

from app.cli.common import open_store
from storage import policy, recipients


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    group = sub.add_parser("policy", help="持ち出しの規則 (管理者) / export and access rules (administrators)")
    actions = group.add_subparsers(dest="action", metavar="ACTION", required=True)
    allow = actions.add_parser("allow-destination", help="出力先フォルダを許可 / allow an export folder")
    allow.add_argument("directory", type=Path)
    allow.add_argument("--note", default="", help="メモ (例: 教育委員会提出用) / note")
    allow.set_defaults(func=cmd_allow)
    remove = actions.add_parser("remove-destination", help="出力先の許可を取り消す / remove an export folder")
    remove.add_argument("directory", type=Path)
    remove.set_defaults(func=cmd_remove)
    listing = actions.add_parser("list", help="出力先・受取先・しきい値 / destinations, recipients, thresholds")
    listing.set_defaults(func=cmd_list)
    setting = actions.add_parser("set", help="しきい値を変更 / change a threshold")
    setting.add_argument("name", choices=sorted(policy.THRESHOLD_DEFAULTS))
    setting.add_argument("value", type=int)
    setting.set_defaults(func=cmd_set)
    alerts = actions.add_parser("alerts", help="未確認の大量アクセス警告 / unacknowledged bulk-access alerts")
    alerts.add_argument("--ack", action="store_true", help="確認済みにする / acknowledge them")
    alerts.set_defaults(func=cmd_alerts)
    approvals = actions.add_parser("approvals", help="承認待ちの出力 / exports waiting for approval")
    approvals.set_defaults(func=cmd_approvals)
    approve = actions.add_parser("approve", help="出力を承認 (別の管理者) / approve an export (second administrator)")
    approve.add_argument("token")
    approve.set_defaults(func=cmd_decide, approve=True)
    reject = actions.add_parser("reject", help="出力を却下 / reject an export request")
    reject.add_argument("token")
    reject.set_defaults(func=cmd_decide, approve=False)

    people = sub.add_parser("recipient", help="出力の受取先 (age 公開鍵) / export recipients (age public keys)")
    people_actions = people.add_subparsers(dest="action", metavar="ACTION", required=True)
    add = people_actions.add_parser("add", help="受取先を登録 / add a recipient")
    add.add_argument("name")
    add.add_argument("public_key", metavar="PUBLIC_KEY", help="age1…")
    add.set_defaults(func=cmd_recipient_add)
    plist = people_actions.add_parser("list", help="受取先の一覧 / list recipients")
    plist.set_defaults(func=cmd_recipient_list)
    premove = people_actions.add_parser("remove", help="受取先を削除 / remove a recipient")
    premove.add_argument("name")
    premove.set_defaults(func=cmd_recipient_remove)


def cmd_allow(args: argparse.Namespace) -> int:
    with open_store(args) as store:
        added = policy.allow_destination(store, args.directory, args.note)
    print(f"出力先を許可しました / Allowed export destination: {added.path}")
    return 0


def cmd_remove(args: argparse.Namespace) -> int:
    with open_store(args) as store:
        policy.remove_destination(store, args.directory)
    print(f"出力先の許可を取り消しました / Removed export destination: {args.directory}")
    return 0


def cmd_list(args: argparse.Namespace) -> int:
    with open_store(args) as store:
        store.require_admin("policy.list")
        destinations = policy.list_destinations(store)
        people = recipients.list_recipients(store)
        limits = policy.thresholds(store)
    print("出力先 / destinations:")
    for d in destinations:
        print(f"  {d.path}\t{d.note}\t{d.added_by}\t{d.added_at}")
    print("受取先 / recipients:")
    for r in people:
        print(f"  {r.name}\t{r.public_key}")
    print("しきい値 / thresholds:")
    for name, value in limits.items():
        print(f"  {name}\t{value}")
    return 0


def cmd_set(args: argparse.Namespace) -> int:
    with open_store(args) as store:
        policy.set_threshold(store, args.name, args.value)
    print(f"変更しました / Set {args.name} = {args.value}")
    return 0


def cmd_alerts(args: argparse.Namespace) -> int:
    with open_store(args) as store:
        store.require_admin("policy.alerts")
        pending = policy.pending_alerts(store)
        if args.ack:
            policy.acknowledge(store, [a.id for a in pending])
    for a in pending:
        what = "閲覧 read" if a.kind == "read" else "出力 export"
        print(f"{a.id}\t{a.at}\t{a.actor}\t{what}\t{a.students}人 students > {a.threshold} / {a.minutes}分 min")
    if not pending:
        print("未確認の警告はありません / No unacknowledged alerts")
    return 0


def cmd_approvals(args: argparse.Namespace) -> int:
    with open_store(args) as store:
        waiting = policy.list_approvals(store)
    for a in waiting:
        print(f"{a.token}\t{a.requested_at}\t{a.requested_by}\t{a.kind}\t{a.students}\t{a.recipient}\t"
              f"{a.destination}\t{a.reason}")
    if not waiting:
        print("承認待ちはありません / Nothing waiting for approval")
    return 0


def cmd_decide(args: argparse.Namespace) -> int:
    with open_store(args) as store:
        decided = policy.decide(store, args.token, approve=args.approve)
    word = "承認しました / Approved" if args.approve else "却下しました / Rejected"
    print(f"{word}: {decided.token} ({decided.requested_by}, {decided.students})")
    return 0


def cmd_recipient_add(args: argparse.Namespace) -> int:
    with open_store(args) as store:
        added = recipients.add(store, args.name, args.public_key)
    print(f"受取先を登録しました / Added recipient: {added.name} {added.public_key}")
    return 0


def cmd_recipient_list(args: argparse.Namespace) -> int:
    with open_store(args) as store:
        for r in recipients.list_recipients(store):
            print(f"{r.name}\t{r.public_key}\t{r.added_by}\t{r.added_at}")
    return 0


def cmd_recipient_remove(args: argparse.Namespace) -> int:
    with open_store(args) as store:
        recipients.remove(store, args.name)
    print(f"受取先を削除しました / Removed recipient: {args.name}")
    return 0
