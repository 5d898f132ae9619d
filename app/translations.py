"""Qt translations: Japanese source strings, English in resources/translations/gakuseki_en.ts.

``python -m app.translations compile`` builds the .qm files (run by ``make setup``);
``python -m app.translations update`` refreshes the .ts from the sources with lupdate.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

from app.paths import translations_dir

LANGUAGES = ("ja", "en")  # ja is the source language


def _tool(name: str) -> str:
    exe = Path(sys.executable).parent / f"pyside6-{name}"
    if exe.exists():
        return str(exe)
    found = shutil.which(f"pyside6-{name}") or shutil.which(name)
    if found is None:
        raise SystemExit(f"pyside6-{name} not found")
    return found


def ts_files() -> list[Path]:
    return sorted(translations_dir().glob("gakuseki_*.ts"))


def compile_all() -> list[Path]:
    built = []
    for ts in ts_files():
        qm = ts.with_suffix(".qm")
        subprocess.run([_tool("lrelease"), "-silent", str(ts), "-qm", str(qm)], check=True)
        built.append(qm)
    return built


def update() -> None:
    sources = sorted(str(p) for p in (Path(__file__).parent / "gui").rglob("*.py"))
    for ts in ts_files():
        subprocess.run([_tool("lupdate"), "-no-obsolete", *sources, "-ts", str(ts)], check=True)


def main(argv: list[str]) -> int:
    if argv[:1] == ["compile"]:
        for qm in compile_all():
            print(f"built {qm.name}")
        return 0
    if argv[:1] == ["update"]:
        update()
        return 0
    print("usage: python -m app.translations compile|update", file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
