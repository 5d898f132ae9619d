"""Where the OCR goes wrong: every wrong field of a prediction folder, silent ones first.

usage: python bench/ocr_errors.py TRUTH_DIR PRED_DIR [--all] [--mode fax_fine]

Uses the shared scorer's normalisation and row alignment.  Prints per mode and field the counts of
wrong-and-flagged / wrong-and-silent / flagged-but-right, then each silent error with its raw read,
confidence and reasons (and with ``--all`` the flagged errors too).
"""

from __future__ import annotations

import argparse
import importlib.util
import json
from collections import Counter, defaultdict
from pathlib import Path
from types import ModuleType

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_SCORER = ROOT.parent / "shared" / "eval" / "score.py"


def _scorer(path: Path) -> ModuleType:
    spec = importlib.util.spec_from_file_location("shared_score", path)
    assert spec is not None and spec.loader is not None
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("truth", type=Path)
    ap.add_argument("pred", type=Path)
    ap.add_argument("--all", action="store_true", help="list flagged errors too")
    ap.add_argument("--mode", default=None)
    ap.add_argument("--scorer", type=Path, default=DEFAULT_SCORER)
    args = ap.parse_args(argv)
    sc = _scorer(args.scorer)
    counts: dict[tuple[str, str], Counter[str]] = defaultdict(Counter)
    reasons: Counter[str] = Counter()
    lines: list[tuple[int, str]] = []
    for tf in sorted(args.truth.glob("*.json")):
        truth = json.loads(tf.read_text(encoding="utf-8"))
        mode = truth.get("mode", "all")
        if args.mode and mode != args.mode:
            continue
        pf = args.pred / tf.name
        pred = json.loads(pf.read_text(encoding="utf-8"))["records"] if pf.exists() else []
        pairs = sc.align(truth["records"], pred)
        for i, rec in enumerate(truth["records"]):
            prec = pred[pairs[i]] if i in pairs else None
            vals, flagged = sc.flat(prec) if prec is not None else ({}, set())
            for f in sc.FIELDS:
                if f not in rec:
                    continue
                ok = sc.norm(f, vals.get(f)) == sc.norm(f, rec[f])
                fl = f in flagged
                c = counts[(mode, f)]
                c["n"] += 1
                c["wrong_flagged" if not ok and fl else "silent" if not ok else "review_ok" if fl else "ok"] += 1
                fv = (prec or {}).get("fields", {}).get(f, {}) if prec is not None else {}
                if fl:
                    for r in fv.get("reasons", []):
                        reasons[f"{f}:{r}:{'ok' if ok else 'wrong'}"] += 1
                if not ok and (not fl or args.all):
                    lines.append(
                        (
                            0 if not fl else 1,
                            f"{'SILENT' if not fl else 'flag  '} {mode:<13}{f:<16}{tf.name[:34]:<35}"
                            f"truth={rec[f]!s:<22} got={vals.get(f)!s:<22} raw={fv.get('raw', '')!r} "
                            f"conf={fv.get('confidence', 0):.3f} {','.join(fv.get('reasons', []))}",
                        )
                    )
    print(f"{'mode':<14}{'field':<16}{'n':>5}{'silent':>7}{'wrongF':>7}{'revOK':>7}")
    for (mode, f), c in sorted(counts.items()):
        if c["silent"] or c["wrong_flagged"] or c["review_ok"]:
            print(f"{mode:<14}{f:<16}{c['n']:>5}{c['silent']:>7}{c['wrong_flagged']:>7}{c['review_ok']:>7}")
    for _k, line in sorted(lines):
        print(line)
    if args.all:
        for r, n in reasons.most_common(40):
            print(f"{n:>5} {r}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
