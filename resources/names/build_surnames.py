"""Build resources/names/surnames.tsv: Japan's 2,000 most common family names, with how many bear each.

The source is ``last_name_org.csv`` of ``japanese-personal-name-dataset`` 0.4.0 on PyPI (MIT licence;
its population estimates come from 名字由来net's ranking): one line per family name, the kanji, the
estimated number of people, the reading in hiragana, the romaji.  Kept: the kanji, the number and the
reading in katakana (the script the extractor stores ふりがな in), tab-separated, most common first.

    .venv/bin/pip download japanese-personal-name-dataset==0.4.0 --no-deps -d /tmp/jpnd
    .venv/bin/python resources/names/build_surnames.py /tmp/jpnd/japanese_personal_name_dataset-0.4.0-py3-none-any.whl

usage: python resources/names/build_surnames.py WHEEL [--out FILE]
"""

from __future__ import annotations

import argparse
import csv
import io
import sys
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
from ocr.fields import to_katakana  # noqa: E402  (the extractor compares readings in the same script)

OUT = Path(__file__).resolve().parent / "surnames.tsv"
MEMBER = "japanese_personal_name_dataset/dataset/last_name_org.csv"


def build(wheel: Path) -> list[tuple[str, int, str]]:
    with zipfile.ZipFile(wheel) as z:
        text = z.read(MEMBER).decode("utf-8")
    out: dict[str, tuple[str, int, str]] = {}
    for row in csv.reader(io.StringIO(text)):
        if len(row) < 3 or not row[1].isdigit():
            continue
        name, count, kana = row[0].strip(), int(row[1]), to_katakana(row[2].strip())
        if name and kana and name not in out:
            out[name] = (name, count, kana)
    return sorted(out.values(), key=lambda r: (-r[1], r[0]))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("wheel", type=Path, help="the japanese-personal-name-dataset 0.4.0 wheel")
    ap.add_argument("--out", type=Path, default=OUT)
    args = ap.parse_args()
    rows = build(args.wheel)
    args.out.write_text("".join(f"{n}\t{c}\t{k}\n" for n, c, k in rows), encoding="utf-8")
    print(f"{len(rows)} family names -> {args.out} ({args.out.stat().st_size // 1024} KiB)")


if __name__ == "__main__":
    main()
