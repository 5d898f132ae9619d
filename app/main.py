"""`gakuseki`: no arguments opens the desktop app; anything else is the command line."""

from __future__ import annotations

import sys


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    if not args or args[0] == "gui" or (args[0] == "--store" and len(args) == 2):
        from app.gui.launch import run_gui

        store = args[1] if args and args[0] == "--store" else None
        return run_gui(store)
    from app.cli import run

    return run(args)


if __name__ == "__main__":
    sys.exit(main())
