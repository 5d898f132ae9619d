"""The command line: a thin layer over ``storage`` and ``ocr``.

Every subcommand module has ``register(subparsers)``; each leaf parser sets
``func(args) -> int``. Expected failures (objects with ``code`` and ``exit_code``)
become one line on stderr; anything else is a bug: logged with its traceback to the
crash log, one line on stderr, exit 70.
"""

from __future__ import annotations

import argparse
import logging
import sys
from pathlib import Path

from app.cli import (
    admin,
    attendance_cmd,
    audit_cmd,
    backup_cmd,
    board_cmd,
    demo,
    doctor,
    export_cmd,
    policy_cmd,
    students_cmd,
    template_cmd,
    users_cmd,
)
from app.crashlog import log_crash
from app.version import app_version

EXIT_BUG = 70


def _modules() -> list[object]:
    mods: list[object] = [
        admin, users_cmd, students_cmd, attendance_cmd, audit_cmd, policy_cmd, export_cmd, demo, doctor
    ]
    mods += [board_cmd, template_cmd]
    mods.append(backup_cmd)
    try:
        from app.cli import ledger
    except ImportError:
        logging.getLogger(__name__).debug("ledger commands unavailable", exc_info=True)
    else:
        mods.append(ledger)
    return mods


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="gakuseki",
        description="学籍 Gakuseki — 暗号化された学籍ストア / encrypted school records",
    )
    parser.add_argument("--version", action="version", version=f"gakuseki {app_version()}")
    parser.add_argument(
        "--store",
        type=Path,
        default=None,
        help="学籍ストアのフォルダ / the store folder (default: per-user data folder or $GAKUSEKI_STORE)",
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for module in _modules():
        module.register(sub)  # type: ignore[attr-defined]
    return parser




def run(argv: list[str]) -> int:
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:  # argparse: --help, --version or bad usage
        return int(exc.code or 0) if not isinstance(exc.code, str) else 2
    func = getattr(args, "func", None)
    if func is None:
        parser.print_help(sys.stderr)
        return 2
    try:
        return int(func(args))
    except BrokenPipeError:  # e.g. `gakuseki … | head`: the reader went away, not a bug
        sys.stderr.close()
        return 0
    except KeyboardInterrupt:
        print("中断しました / Interrupted", file=sys.stderr)
        return 130
    except Exception as exc:
        code = getattr(exc, "exit_code", None)
        if isinstance(code, int) and hasattr(exc, "code"):
            print(f"gakuseki: {exc}", file=sys.stderr)
            return code
        where = log_crash(exc)
        print(
            f"gakuseki: 内部エラーです。記録: {where} / Internal error, details in {where}",
            file=sys.stderr,
        )
        return EXIT_BUG
