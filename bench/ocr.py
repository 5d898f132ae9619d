"""Ledger OCR benchmark: extract every ledger of a folder that has truth, score with the shared scorer.

Prints, per acquisition mode: field accuracy, silent-error rate, review rate, rows found,
seconds per page (median) and peak memory (this process, which holds the in-process tesserocr
engine, and any Tesseract child processes of the subprocess engine).

usage: python bench/ocr.py [DIR] [--out PRED_DIR] [--scorer PATH]
                          [--generate N --seed S [--header-shade 0.3] [--no-name-gap] [--fonts GOTHIC,MINCHO]]
                          [--as-standard WORK_DIR | --as-photo WORK_DIR]
DIR defaults to ../shared/fixtures/ledgers (from the project root).
"""

from __future__ import annotations

import argparse
import json
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_DIR = ROOT.parent / "shared" / "fixtures" / "ledgers"
DEFAULT_SCORER = ROOT.parent / "shared" / "eval" / "score.py"
LEDGER_SUFFIXES = {".tif", ".tiff", ".png", ".jpg", ".jpeg", ".pdf"}


def _peak_mib() -> tuple[float, float]:
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    kids = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    return own, kids


def run_bench(
    folder: Path, out: Path | None = None, scorer: Path = DEFAULT_SCORER, log: Any = sys.stderr
) -> dict[str, Any]:
    """Extract and score; returns the figures (also per mode)."""
    sys.path.insert(0, str(ROOT))
    import ocr
    from ocr.engine import default_engine

    pred = out or Path(tempfile.mkdtemp(prefix="gakuseki-bench-"))
    pred.mkdir(parents=True, exist_ok=True)
    engine = default_engine()
    per_mode_times: dict[str, list[float]] = defaultdict(list)
    errors: list[str] = []
    files = sorted(
        p
        for p in folder.iterdir()
        if p.suffix.lower() in LEDGER_SUFFIXES and (folder / f"{p.name}.json").exists()
    )
    for f in files:
        mode = json.loads((folder / f"{f.name}.json").read_text(encoding="utf-8")).get("mode", "all")
        t0 = time.perf_counter()
        try:
            res = ocr.extract_file(f, engine=engine)
        except ocr.OcrError as exc:
            errors.append(str(exc))
            print(f"  {f.name}: {exc}", file=log)
            continue
        dt = time.perf_counter() - t0
        per_mode_times[mode].extend([dt / max(res.n_pages, 1)] * res.n_pages)
        (pred / f"{f.name}.json").write_text(json.dumps(res.to_json(), ensure_ascii=False), encoding="utf-8")
        print(
            f"  {f.name}: {res.n_pages} page(s), {len(res.records)} rows, "
            f"{dt / max(res.n_pages, 1):.2f} s/page",
            file=log,
            flush=True,
        )
    # before the scorer runs: a forked child starts with this process's pages and would count them
    own, kids = _peak_mib()
    cp = subprocess.run(
        [sys.executable, str(scorer), str(folder), str(pred), "--by-mode"],
        capture_output=True,
        text=True,
        check=True,
    )
    scores: dict[str, Any] = json.loads(cp.stdout)
    all_times = [t for ts in per_mode_times.values() for t in ts]
    for mode, ts in per_mode_times.items():
        if mode in scores:
            scores[mode]["s_per_page_median"] = round(statistics.median(ts), 2)
            scores[mode]["pages"] = len(ts)
    scores["overall"] = {
        "s_per_page_median": round(statistics.median(all_times), 2) if all_times else None,
        "peak_rss_mib_python": round(own, 1),
        "peak_rss_mib_tesseract": round(kids, 1),
        "files": len(files),
        "failed_files": errors,
        "predictions": str(pred),
    }
    return scores


def print_table(scores: dict[str, Any], file: Any = sys.stdout) -> None:
    print(
        f"{'mode':<14}{'docs':>5}{'rows':>6}{'found':>6}{'accuracy':>10}{'silent':>8}{'review':>8}{'s/page':>8}",
        file=file,
    )
    for mode, s in scores.items():
        if mode in ("per_field_accuracy", "overall"):
            continue
        print(
            f"{mode:<14}{s['docs']:>5}{s['rows']:>6}{s['rows_matched']:>6}{s['field_accuracy']:>10.1%}"
            f"{s['silent_error_rate']:>8.2%}{s['review_rate']:>8.1%}{s.get('s_per_page_median', 0):>8.2f}",
            file=file,
        )
    o = scores["overall"]
    print(
        f"median s/page {o['s_per_page_median']}, peak memory: python {o['peak_rss_mib_python']} MiB, "
        f"tesseract {o['peak_rss_mib_tesseract']} MiB",
        file=file,
    )
    print("per field:", json.dumps(scores.get("per_field_accuracy", {}), ensure_ascii=False), file=file)
    if o["failed_files"]:
        print("failed:", *o["failed_files"], sep="\n  ", file=file)


def fine_to_standard(src: Path, dst: Path) -> Path:
    """Standard-mode copies of the fine faxes of ``src`` (with their truth): each pair of 196-dpi rows
    averaged into one 98-dpi row, as the sending machine's sensor would, then 1-bit G4 again."""
    import numpy as np
    from PIL import Image, ImageSequence

    dst.mkdir(parents=True, exist_ok=True)
    for f in sorted(src.glob("*fax_fine*.tif")):
        truth = src / f"{f.name}.json"
        if not truth.exists():
            continue
        frames = []
        with Image.open(f) as im:
            for fr in ImageSequence.Iterator(im):
                a = np.asarray(fr.convert("L"), dtype=np.float32)
                h = a.shape[0] // 2 * 2
                b = (a[0:h:2] + a[1:h:2]) / 2
                frames.append(Image.fromarray(np.where(b < 170, 0, 255).astype(np.uint8)).convert("1"))
        name = f.name.replace("fax_fine", "fax_std")
        frames[0].save(dst / name, save_all=True, append_images=frames[1:], compression="group4", dpi=(204, 98))
        t = json.loads(truth.read_text(encoding="utf-8"))
        t.update(mode="fax_standard", file=name)
        (dst / f"{name}.json").write_text(json.dumps(t, ensure_ascii=False), encoding="utf-8")
    return dst


def as_photos(src: Path, dst: Path) -> Path:
    """Tablet photos of the first page of every ledger of ``src`` (with its truth cut to that page):
    the sheet on a desk, in perspective, in uneven light, as JPEG."""
    import io
    import random

    import numpy as np
    from PIL import Image

    sys.path.insert(0, str(ROOT / "tests" / "ocr"))
    sys.path.insert(0, str(ROOT))
    import generator as gen

    from ocr.load import read_raw_pages

    dst.mkdir(parents=True, exist_ok=True)
    files = sorted(
        p for p in src.iterdir() if p.suffix.lower() in LEDGER_SUFFIXES and (src / f"{p.name}.json").exists()
    )
    for k, f in enumerate(files):
        img = read_raw_pages(f)[0].image
        arr = np.asarray(img if img.max() > 1 else img * 255, dtype=np.uint8)
        t = json.loads((src / f"{f.name}.json").read_text(encoding="utf-8"))
        first = t.get("rows_per_page", [len(t["records"])])[0]
        rng = random.Random(k)
        spec = gen.random_spec(rng, k, "photo", rows=4)
        photo, _dpi = gen.degrade(rng, spec, Image.fromarray(arr))
        name = f"{f.stem}_photo.jpg"
        buf = io.BytesIO()
        photo.convert("RGB").save(buf, "JPEG", quality=85)
        (dst / name).write_bytes(buf.getvalue())
        t.update(records=t["records"][:first], pages=1, rows_per_page=[first], mode="photo", file=name)
        (dst / f"{name}.json").write_text(json.dumps(t, ensure_ascii=False), encoding="utf-8")
    return dst


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description="Ledger OCR benchmark")
    ap.add_argument("dir", nargs="?", type=Path, default=DEFAULT_DIR)
    ap.add_argument("--out", type=Path, default=None, help="where to keep the predictions")
    ap.add_argument("--scorer", type=Path, default=DEFAULT_SCORER)
    ap.add_argument("--generate", type=int, default=0, help="first generate N synthetic ledgers into DIR")
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument(
        "--header-shade",
        type=float,
        default=0.0,
        metavar="SHARE",
        help="with --generate: print the header row on a grey ground (網掛け) of this share of ink, e.g. 0.3",
    )
    ap.add_argument("--json", action="store_true", help="print the figures as JSON")
    ap.add_argument(
        "--as-standard",
        type=Path,
        default=None,
        metavar="WORK_DIR",
        help="first turn DIR's fine faxes into standard-mode faxes (204x98) in WORK_DIR and score those",
    )
    ap.add_argument(
        "--as-photo",
        type=Path,
        default=None,
        metavar="WORK_DIR",
        help="first photograph DIR's ledgers (first pages, the generator's tablet-photo degradation) into WORK_DIR",
    )
    ap.add_argument(
        "--no-name-gap", action="store_true", help="with --generate: print names with no gap (鈴木花子)"
    )
    ap.add_argument(
        "--without",
        default="",
        metavar="COLUMNS",
        help="with --generate: ledgers printed without these columns, e.g. kana,no (ふりがな, 番号)",
    )
    ap.add_argument(
        "--fonts",
        default="",
        metavar="GOTHIC,MINCHO",
        help="with --generate: print in these two font files instead of IPAex Gothic / Mincho"
        " (fonts the extractor has never drawn its comparison glyphs in, e.g. BIZ UD or VL Gothic)",
    )
    args = ap.parse_args(argv)
    if args.as_standard is not None:
        args.dir = fine_to_standard(args.dir, args.as_standard)
    elif args.as_photo is not None:
        args.dir = as_photos(args.dir, args.as_photo)
    if args.generate:
        sys.path.insert(0, str(ROOT / "tests" / "ocr"))
        import generator
        from generator import MODES, generate

        if args.fonts:
            gothic, mincho = (str(Path(p).resolve()) for p in args.fonts.split(","))
            generator.FONTS.update(gothic=gothic, mincho=mincho)
        for i in range(args.generate):
            generate(
                args.dir,
                i,
                args.seed,
                MODES[i % len(MODES)],
                header_shade=args.header_shade,
                name_gap="" if args.no_name_gap else None,
                without=tuple(c for c in args.without.split(",") if c),
            )
    scores = run_bench(args.dir, args.out, args.scorer)
    if args.json:
        print(json.dumps(scores, ensure_ascii=False, indent=1))
    else:
        print_table(scores)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
