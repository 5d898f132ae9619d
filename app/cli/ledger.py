"""``gakuseki ledger extract FILE… --out DIR`` and ``gakuseki bench ocr [DIR]``."""

from __future__ import annotations

import argparse
import importlib.util
import json
import sys
from pathlib import Path
from types import ModuleType
from typing import Any

PROJECT_ROOT = Path(__file__).resolve().parents[2]


def register(subparsers: Any) -> None:
    ledger = subparsers.add_parser("ledger", help="入学予定者名簿の読み取り / enrollment ledger OCR")
    lsub = ledger.add_subparsers(dest="ledger_command", metavar="ACTION")
    ex = lsub.add_parser(
        "extract",
        help="名簿（TIFF・PDF・PNG・JPEG）を JSON に / read ledgers into JSON",
        description="Writes DIR/<file name>.json for each ledger; uncertain fields carry needs_review.",
    )
    ex.add_argument("files", nargs="+", type=Path, metavar="FILE")
    ex.add_argument("--out", type=Path, required=True, metavar="DIR", help="出力フォルダ / output folder")
    ex.add_argument("--quiet", action="store_true", help="no progress on stderr")
    ex.set_defaults(func=cmd_extract)
    imp = lsub.add_parser(
        "import",
        help="名簿を読み取り学籍ストアへ / read ledgers into the store",
        description="A ledger whose every field is confident and validated, with no duplicate students, is stored "
        "at once; any other is kept as a draft for review in the app's 取込 screen.",
    )
    imp.add_argument("files", nargs="+", type=Path, metavar="FILE")
    imp.set_defaults(func=cmd_import)
    ledger.set_defaults(func=lambda _a: _usage(ledger))

    bench = subparsers.add_parser("bench", help="ベンチマーク / benchmarks")
    bsub = bench.add_subparsers(dest="bench_command", metavar="NAME")
    bo = bsub.add_parser("ocr", help="名簿 OCR の精度と速度 / ledger OCR accuracy and speed")
    bo.add_argument(
        "dir",
        nargs="?",
        type=Path,
        default=None,
        help="ledgers with truth JSON (default: ../shared/fixtures/ledgers)",
    )
    bo.add_argument("--out", type=Path, default=None, metavar="DIR", help="keep predictions here")
    bo.add_argument("--json", action="store_true")
    variant = bo.add_mutually_exclusive_group()
    variant.add_argument(
        "--as-standard", type=Path, default=None, metavar="WORK_DIR", help="score the fine faxes as standard-mode faxes"
    )
    variant.add_argument(
        "--as-photo", type=Path, default=None, metavar="WORK_DIR", help="score tablet photos of the ledgers"
    )
    bo.set_defaults(func=cmd_bench_ocr)
    bench.set_defaults(func=lambda _a: _usage(bench))


def _usage(parser: argparse.ArgumentParser) -> int:
    parser.print_usage(sys.stderr)
    return 2


def cmd_extract(args: argparse.Namespace) -> int:
    import ocr
    from ocr.engine import default_engine

    out: Path = args.out
    out.mkdir(parents=True, exist_ok=True)
    engine = default_engine()  # raises OcrError (ocr.tesseract_missing) when Tesseract is absent
    failed = 0
    for f in args.files:
        path = Path(f)

        def progress(done: int, total: int, message: str) -> None:
            if not args.quiet:
                print(f"  {message}", file=sys.stderr, flush=True)

        try:
            result = ocr.extract_file(path, engine=engine, progress=progress)
        except ocr.Cancelled:
            raise
        except ocr.OcrError as exc:
            print(f"error [{exc.code}] {exc}", file=sys.stderr, flush=True)
            failed += 1
            continue
        target = out / f"{path.name}.json"
        tmp = target.with_suffix(".json.tmp")
        tmp.write_text(json.dumps(result.to_json(), ensure_ascii=False, indent=1), encoding="utf-8")
        tmp.replace(target)
        for warning in result.warnings:
            print(f"  {path.name}: {warning}", file=sys.stderr, flush=True)
        flagged = sum(1 for r in result.records for v in r.fields.values() if v.needs_review)
        print(
            f"{target}: {result.n_pages} page(s), {len(result.records)} record(s), "
            f"{flagged} field(s) to review",
            flush=True,
        )
    return 2 if failed else 0


def cmd_import(args: argparse.Namespace) -> int:
    from app.cli.common import open_store
    from app.ledger_flow import extract_for_review, import_extraction
    from storage import templates

    failed = 0
    with open_store(args) as store:
        synonyms = templates.header_synonyms(store)  # the installed board template's header wordings
        for path in args.files:
            try:
                extraction = extract_for_review(Path(path), synonyms=synonyms)
            except OSError as exc:
                print(f"gakuseki: {path}: 読めません / cannot read: {exc.strerror}", file=sys.stderr)
                failed += 1
                continue
            except Exception as exc:
                if not hasattr(exc, "exit_code"):
                    raise
                print(f"gakuseki: {exc}", file=sys.stderr)
                failed += 1
                continue
            outcome = import_extraction(store, extraction)
            for warning in extraction.result.get("warnings", []):
                print(f"  {extraction.file_name}: {warning}", file=sys.stderr, flush=True)
            if outcome.summary is not None:
                print(f"{extraction.file_name}: 登録しました / stored {outcome.summary.added} row(s)", flush=True)
            else:
                print(
                    f"{extraction.file_name}: {outcome.rows}行、要確認 {outcome.flagged}か所 — "
                    f"取込画面で確認してください / {outcome.rows} row(s), {outcome.flagged} field(s) "
                    f"to review: kept as draft {outcome.draft_id} for the 取込 screen",
                    flush=True,
                )
    return 2 if failed else 0


def _bench_module() -> ModuleType:
    path = PROJECT_ROOT / "bench" / "ocr.py"
    spec = importlib.util.spec_from_file_location("gakuseki_bench_ocr", path)
    if spec is None or spec.loader is None:
        raise FileNotFoundError(path)
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def cmd_bench_ocr(args: argparse.Namespace) -> int:
    bench = _bench_module()
    folder = Path(args.dir or bench.DEFAULT_DIR)
    if args.as_standard is not None:
        folder = bench.fine_to_standard(folder, args.as_standard)
    elif args.as_photo is not None:
        folder = bench.as_photos(folder, args.as_photo)
    scores = bench.run_bench(folder, args.out)
    if args.json:
        print(json.dumps(scores, ensure_ascii=False, indent=1))
    else:
        bench.print_table(scores)
    return 0
