"""Where bugs go: a crash log in the user's log folder (never personal data in messages)."""

from __future__ import annotations

import os
import traceback
from datetime import datetime
from pathlib import Path

import platformdirs


def crash_dir() -> Path:
    env = os.environ.get("GAKUSEKI_LOG_DIR")
    return Path(env) if env else Path(platformdirs.user_log_dir("gakuseki", appauthor=False))


def log_crash(exc: BaseException) -> Path:
    folder = crash_dir()
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "crash.log"
    text = "".join(traceback.format_exception(exc))
    with path.open("a", encoding="utf-8") as handle:
        handle.write(f"--- {datetime.now().astimezone().isoformat()}\n{text}\n")
    return path
