"""`gakuseki export …`: the export group; its commands live in app.cli.export_records."""

from __future__ import annotations

import argparse

from app.cli import export_records


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    group = sub.add_parser("export", help="暗号化して出力 (管理者) / encrypted export (administrators)")
    actions = group.add_subparsers(dest="action", metavar="ACTION", required=True)
    export_records.register(actions)  # students, oneroster, attendance-record, attendance-month, roster
