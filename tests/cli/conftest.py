"""Run the real `gakuseki` command in a subprocess, as a script or a person would."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.conftest import PASSPHRASE, ROOT

Run = Callable[..., subprocess.CompletedProcess[str]]


@pytest.fixture
def gakuseki(tmp_path: Path) -> Run:
    def run(
        *args: str, env: dict[str, str] | None = None, stdin: str | None = None
    ) -> subprocess.CompletedProcess[str]:
        full_env = {k: v for k, v in os.environ.items() if not k.startswith("GAKUSEKI_")}
        full_env.update(
            GAKUSEKI_PASSPHRASE=PASSPHRASE,
            GAKUSEKI_NEW_PASSPHRASE="new-user-passphrase",
            GAKUSEKI_LOG_DIR=str(tmp_path / "logs"),
            PYTHONWARNINGS="error",
        )
        if "GAKUSEKI_MACHINE_SECRET_DIR" in os.environ:  # the test's "computer" (tests/conftest.py)
            full_env["GAKUSEKI_MACHINE_SECRET_DIR"] = os.environ["GAKUSEKI_MACHINE_SECRET_DIR"]
        full_env.update(env or {})
        return subprocess.run(
            [sys.executable, "-m", "app.main", *args],
            capture_output=True,
            text=True,
            env=full_env,
            cwd=ROOT,
            input=stdin,
            timeout=300,
            check=False,
        )

    return run


@pytest.fixture
def cli_store(tmp_path: Path, gakuseki: Run) -> Path:
    path = tmp_path / "school"
    done = gakuseki(
        "--store", str(path), "init", "--school", "テスト市立第一小学校", "--school-code", "B113212345602",
        "--admin", "admin", env={"GAKUSEKI_NEW_PASSPHRASE": PASSPHRASE},
    )
    assert done.returncode == 0, done.stderr
    return path
