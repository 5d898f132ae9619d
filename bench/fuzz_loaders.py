"""Fuzz the image and PDF loaders for a bounded time: every input must load or raise OcrError.

    .venv/bin/python bench/fuzz_loaders.py [--seconds 60] [--seed 1]

Seeds are small valid files made here (PNG, JPEG, 1-bit G4 TIFF at 204×98 dpi, multi-page
TIFF, PDF); each try flips bytes, truncates, splices or inflates header fields, then calls
``ocr.load.read_raw_pages``. Prints inputs tried, outcomes and any failure (a crash that is
not the project's typed error), saving failing inputs under --keep.
"""

from __future__ import annotations

import argparse
import io
import random
import sys
import tempfile
import time
import traceback
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from PIL import Image, ImageDraw  # noqa: E402

from ocr.errors import OcrError  # noqa: E402
from ocr.load import read_raw_pages  # noqa: E402


def seeds() -> dict[str, bytes]:
    img = Image.new("L", (240, 160), 255)
    draw = ImageDraw.Draw(img)
    for x in range(0, 240, 40):
        draw.line([(x, 0), (x, 159)], fill=0, width=2)
    draw.text((10, 10), "No. 1", fill=0)
    out: dict[str, bytes] = {}
    for name, fmt, kwargs in [
        ("seed.png", "PNG", {}),
        ("seed.jpg", "JPEG", {"quality": 80}),
        ("seed.pdf", "PDF", {"resolution": 150}),
    ]:
        buf = io.BytesIO()
        img.convert("RGB" if fmt != "PNG" else "L").save(buf, fmt, **kwargs)
        out[name] = buf.getvalue()
    buf = io.BytesIO()
    img.convert("1").save(buf, "TIFF", compression="group4", dpi=(204, 98))
    out["seed_g4.tif"] = buf.getvalue()
    buf = io.BytesIO()
    pages = [img.convert("1"), img.rotate(1).convert("1")]
    pages[0].save(buf, "TIFF", compression="group3", save_all=True, append_images=pages[1:], dpi=(204, 196))
    out["seed_multi.tif"] = buf.getvalue()
    return out


def mutate(data: bytes, rng: random.Random) -> bytes:
    buf = bytearray(data)
    choice = rng.randrange(5)
    if choice == 0:  # flip bytes
        for _ in range(rng.randint(1, 16)):
            buf[rng.randrange(len(buf))] ^= 1 << rng.randrange(8)
    elif choice == 1:  # truncate
        del buf[rng.randrange(1, len(buf)) :]
    elif choice == 2:  # huge numbers in the header (dimensions, offsets, counts)
        pos = rng.randrange(min(len(buf), 256))
        buf[pos : pos + 4] = rng.choice([b"\xff\xff\xff\x7f", b"\x00\x00\x00\x00", b"\x50\xc3\x00\x00"])
    elif choice == 3:  # splice a chunk from elsewhere
        a, b = sorted(rng.randrange(len(buf)) for _ in range(2))
        pos = rng.randrange(len(buf))
        buf[pos:pos] = buf[a:b]
    else:  # random garbage with a valid-looking head
        buf = buf[:16] + bytearray(rng.randbytes(rng.randint(0, 512)))
    return bytes(buf)


def run(seconds: float, seed: int, keep: Path | None) -> dict[str, object]:
    rng = random.Random(seed)
    corpus = seeds()
    outcomes: Counter[str] = Counter()
    failures: list[str] = []
    deadline = time.monotonic() + seconds
    tries = 0
    with tempfile.TemporaryDirectory() as tmp:
        while time.monotonic() < deadline:
            name, data = rng.choice(sorted(corpus.items()))
            candidate = mutate(data, rng)
            path = Path(tmp) / name
            path.write_bytes(candidate)
            tries += 1
            try:
                pages = read_raw_pages(path)
                outcomes["loaded"] += 1
                assert pages, "no pages and no error"
            except OcrError as exc:
                outcomes[exc.code] += 1
            except Exception:  # this is what the fuzzer looks for
                failures.append(f"{name}: {traceback.format_exc(limit=3)}")
                if keep is not None:
                    keep.mkdir(parents=True, exist_ok=True)
                    (keep / f"fail_{len(failures)}_{name}").write_bytes(candidate)
    return {"tries": tries, "outcomes": dict(outcomes), "failures": failures}


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--keep", type=Path, default=None)
    args = parser.parse_args()
    result = run(args.seconds, args.seed, args.keep)
    print(f"tries={result['tries']} failures={len(result['failures'])}")
    for code, n in sorted(result["outcomes"].items(), key=lambda kv: -kv[1]):  # type: ignore[union-attr]
        print(f"  {code}: {n}")
    for failure in result["failures"][:5]:  # type: ignore[index]
        print(failure)
    return 1 if result["failures"] else 0


if __name__ == "__main__":
    sys.exit(main())
