"""`gakuseki backup`, `gakuseki restore FILE` and `gakuseki retention report|purge` (storage.backup,
storage.retention). Administrators only (restore: whoever holds the backup key and the recovery key)."""

from __future__ import annotations

import argparse
import getpass
import json
import os
import sys
from datetime import date
from pathlib import Path

from app.cli.common import open_store, store_path
from storage import backup, retention
from storage.errors import InputError


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    make = sub.add_parser(
        "backup",
        help="暗号化したバックアップ (管理者) / encrypted backup of the store (administrators)",
        description="ストア全体を許可された出力先へ暗号化して保存します。"
        " / Writes an encrypted, verifiable copy of the whole store to an allowed folder.",
    )
    make.add_argument("--to", dest="destination", type=Path, default=None,
                      help="許可された出力先 (省略時は設定) / allowed folder (default: the setting)")
    make.add_argument("--recipient", default=None,
                      help="受取先 (省略時はバックアップ用の受取先) / recipient (default: the backup recipient)")
    make.add_argument("--reason", default="バックアップ / backup", help="理由 / why")
    make.add_argument("--approval", default=None, help="別の管理者の承認番号 / second administrator's approval")
    mode = make.add_mutually_exclusive_group()
    mode.add_argument("--set", dest="configure", action="store_true",
                      help="設定を保存する (--to --recipient --every-hours --keep) / save the backup settings")
    mode.add_argument("--status", action="store_true", help="設定と最後のバックアップ / settings and last backup")
    make.add_argument("--every-hours", type=int, default=None, help="定期バックアップの間隔 (時間) / interval")
    make.add_argument("--keep", type=int, default=None, help="残すバックアップの数 / how many to keep")
    make.set_defaults(func=cmd_backup)

    back = sub.add_parser(
        "restore",
        help="バックアップから復元 / restore the store from a backup",
        description="バックアップを検証してから復元します。今のストアは横に残します。"
        " / Verifies the backup completely, then replaces the store, keeping the current one aside.",
    )
    back.add_argument("file", type=Path, metavar="FILE")
    back.add_argument("--store", dest="restore_store", type=Path, default=None,
                      help="復元先のストア / the store folder to restore")
    back.add_argument("--identity", type=Path, default=None,
                      help=f"バックアップの秘密鍵 (age) / age identity file (default ${backup.IDENTITY_ENV})")
    back.add_argument("--check", action="store_true", help="検証のみ / verify only, change nothing")
    back.set_defaults(func=cmd_restore)

    keep = sub.add_parser("retention", help="保存期間と廃棄 (管理者) / retention and purge (administrators)")
    actions = keep.add_subparsers(dest="action", metavar="ACTION", required=True)
    report = actions.add_parser("report", help="保存期間を過ぎた記録 / what falls due")
    report.add_argument("--json", action="store_true")
    report.set_defaults(func=cmd_retention_report)
    purge = actions.add_parser("purge", help="保存期間を過ぎた記録を廃棄 / purge what fell due")
    purge.add_argument("--approve", action="store_true", help="廃棄を承認して実行 / approve and purge")
    purge.add_argument("--kind", action="append", choices=sorted(retention.PURGEABLE), default=None)
    purge.set_defaults(func=cmd_retention_purge)
    rule = actions.add_parser("set", help="保存年数を変更 (法定以上) / change a retention period (not below the law)")
    rule.add_argument("kind", choices=sorted(retention.RULES))
    rule.add_argument("years", type=int)
    rule.set_defaults(func=cmd_retention_set)


# --- backup --------------------------------------------------------------------------------


def cmd_backup(args: argparse.Namespace) -> int:
    with open_store(args) as store:
        if args.configure:
            chosen = backup.configure(
                store, destination=args.destination, recipient=args.recipient,
                interval_hours=args.every_hours, keep=args.keep,
            )
            _print_settings(chosen)
            return 0
        if args.status:
            store.require_admin("backup.status")
            _print_settings(backup.settings(store))
            last = backup.last_backup_at(store)
            print(f"最後のバックアップ / last backup: {last.isoformat() if last else 'なし / none'}")
            print(f"期限 / due: {'はい / yes' if backup.due(store) else 'いいえ / no'}")
            return 0
        destination = args.destination or backup.settings(store).destination
        if destination is None:
            raise InputError(
                "backup.no_destination",
                "バックアップ先を --to で指定するか、`gakuseki backup --set --to DIR` で登録してください",
                "Give the backup folder with --to, or set it with `gakuseki backup --set --to DIR`",
            )
        made = backup.create(
            store, destination=destination, recipient=args.recipient, reason=args.reason, approval=args.approval
        )
    m = made.manifest
    print(f"バックアップしました / Backed up: {made.path}")
    print(f"  {m.created_at}  schema {m.schema_version}  students {m.rows.get('students', 0)}  "
          f"audit {m.rows.get('audit_log', 0)}  sheets {m.rows.get('attendance_sheets', 0)}")
    print("  復元にはバックアップ用の秘密鍵と回復キーが必要です / "
          "restoring needs the backup identity (age key) and the store's recovery key")
    return 0


def _print_settings(chosen: backup.BackupSettings) -> None:
    print(f"バックアップ先 / destination: {chosen.destination or '未設定 / not set'}")
    print(f"受取先 / recipient: {chosen.recipient or '未設定 / not set'}")
    print(f"間隔 / every: {chosen.interval_hours} 時間 / hours")
    print(f"残す数 / keep: {chosen.keep}")


# --- restore --------------------------------------------------------------------------------


def _interactive() -> bool:
    return sys.stdin is not None and sys.stdin.isatty()


def _identities(args: argparse.Namespace) -> list[backup.x25519.Identity]:
    source: Path | None = args.identity
    text: str | None = None
    if source is None:
        env = os.environ.get(backup.IDENTITY_ENV, "").strip()
        if env.startswith("AGE-SECRET-KEY-"):
            text = env
        elif env:
            source = Path(env)
    if text is None:
        if source is None:
            raise InputError(
                "backup.no_identity",
                f"バックアップの秘密鍵を --identity FILE か {backup.IDENTITY_ENV} で指定してください",
                f"Give the backup's age identity with --identity FILE or {backup.IDENTITY_ENV}",
            )
        try:
            text = source.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            raise InputError(
                "backup.identity_unreadable",
                f"秘密鍵ファイル {source} を読めません",
                f"Cannot read the identity file {source}",
            ) from exc
    return backup.load_identities(text)


def _recovery_key() -> str:
    env = os.environ.get(backup.RECOVERY_ENV)
    if env:
        return env
    if not _interactive():
        raise InputError(
            "cli.no_recovery_key",
            f"回復キーがありません。端末で実行するか {backup.RECOVERY_ENV} を設定してください",
            f"No recovery key: run in a terminal or set {backup.RECOVERY_ENV}",
        )
    return getpass.getpass("回復キー / recovery key: ")


def cmd_restore(args: argparse.Namespace) -> int:
    target: Path = args.restore_store or store_path(args)
    identities = _identities(args)
    key = _recovery_key()
    if args.check:
        work = target.absolute().parent
        work.mkdir(parents=True, exist_ok=True)
        m = backup.verify(args.file, identities, key, work=work)
        print(f"バックアップは正常です / The backup verifies: {m.school_name} ({m.school_code}) {m.created_at}, "
              f"students {m.rows.get('students', 0)}, audit {m.rows.get('audit_log', 0)}, "
              f"sheets {m.rows.get('attendance_sheets', 0)}")
        return 0
    done = backup.restore(args.file, target, identities=identities, recovery_key=key)
    m = done.manifest
    print(f"復元しました / Restored: {done.store_path} ← {args.file.name} ({m.created_at})")
    if done.kept_aside is not None:
        print(f"  元のストアは {done.kept_aside} に残しました / the previous store was kept at {done.kept_aside}")
    print("  利用者のパスフレーズはバックアップ時点のものに戻ります / users' passphrases are those at backup time")
    if done.users_to_reset:
        names = ", ".join(done.users_to_reset)
        print(f"  別のパソコンで作られた鍵です。回復キーで開き、利用者({names})のパスフレーズを再設定してください / "
              f"restored on another computer: open it with the recovery key and reset the passphrases of {names}")
    return 0


# --- retention ------------------------------------------------------------------------------


def cmd_retention_report(args: argparse.Namespace) -> int:
    with open_store(args) as store:
        found = retention.report(store)
    if args.json:
        print(json.dumps([r.as_json() for r in found], ensure_ascii=False, indent=1))
        return 0
    _print_report(found)
    return 0


def _print_report(found: list[retention.KindReport]) -> None:
    for r in found:
        years = ", ".join(str(y) for y in r.years) or "-"
        print(f"{r.label_ja} / {r.label_en}: {r.rule_ja} / {r.rule_en}")
        print(f"  保管 held {r.held}  期限 due {r.due}  廃棄可 purgeable {r.purgeable}  年 years {years}")
        if r.note_en:
            print(f"  {r.note_ja} / {r.note_en}")


def cmd_retention_purge(args: argparse.Namespace) -> int:
    kinds = args.kind or sorted(retention.PURGEABLE)
    with open_store(args) as store:
        if not args.approve:
            found = retention.report(store, today=date.today())
            _print_report([r for r in found if r.kind in kinds])
            print("廃棄するには --approve を付けて実行してください / add --approve to purge")
            return 0
        done = retention.purge(store, kinds=kinds)
    for p in done:
        years = ", ".join(str(y) for y in p.years) or "-"
        print(f"廃棄しました / Purged {p.kind}: {p.count} (years {years}), record {p.record_hash[:16]}")
    if not done:
        print("廃棄するものはありません / Nothing to purge")
    return 0


def cmd_retention_set(args: argparse.Namespace) -> int:
    with open_store(args) as store:
        retention.set_years(store, args.kind, args.years)
    print(f"変更しました / Set {args.kind} = {args.years} years")
    return 0
