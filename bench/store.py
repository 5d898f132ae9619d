"""Store benchmark: unlock time, store size and `students list` time for 10,000 students.

    .venv/bin/python bench/store.py [--students 10000]

Uses the production Argon2id cost (what a teacher waits for at unlock).
"""

from __future__ import annotations

import argparse
import random
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from storage import crypto, students  # noqa: E402
from storage.store import DB_NAME, Store  # noqa: E402

PASS = "bench passphrase"
FAMILY = [("佐藤", "さとう"), ("鈴木", "すずき"), ("高橋", "たかはし"), ("田中", "たなか"), ("渡辺", "わたなべ")]
GIVEN = [("蓮", "れん", "男"), ("陽葵", "ひまり", "女"), ("湊", "みなと", "男"), ("凛", "りん", "女")]


def _fill(store: Store, count: int) -> None:
    rng = random.Random(1)
    with store.transaction():
        for i in range(count):
            family, fkana = rng.choice(FAMILY)
            given, gkana, sex = rng.choice(GIVEN)
            data = students.StudentData(
                family, given, fkana, gkana, sex, f"{2012 + i % 6}-0{1 + i % 9}-1{i % 9}",
                guardian_name=f"{family} 保護者", address=f"デモ市本町{i % 50}丁目{i % 30}番地",
                phone=f"03-{1000 + i % 9000:04d}-{i % 10000:04d}",
            )
            students.add_student(store, data)


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--students", type=int, default=10_000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "school"
        store, _ = Store.create(path, school_name="ベンチ小学校", school_code_value="B113212345602",
                                admin_login="admin", admin_name="", admin_passphrase=PASS)
        t0 = time.perf_counter()
        _fill(store, args.students)
        fill_s = time.perf_counter() - t0
        store.close()
        unlocks = []
        for _ in range(5):
            t = time.perf_counter()
            Store.open(path, "admin", PASS).close()
            unlocks.append(time.perf_counter() - t)
        with Store.open(path, "admin", PASS) as opened:
            lists = []
            for _ in range(5):
                t = time.perf_counter()
                found = students.list_students(opened, view="bench")
                lists.append(time.perf_counter() - t)
            assert len(found) == args.students
        size = sum(p.stat().st_size for p in path.iterdir() if p.name.startswith(DB_NAME))
        env = {"GAKUSEKI_PASSPHRASE": PASS, "PATH": "/usr/bin:/bin"}
        t = time.perf_counter()
        done = subprocess.run(
            [sys.executable, "-m", "app.main", "--store", str(path), "students", "list", "--json"],
            cwd=ROOT, env=env, capture_output=True, check=True,
        )
        cli_s = time.perf_counter() - t
    kdf = crypto.PRODUCTION_KDF
    print(f"kdf: Argon2id {kdf.memory_kib // 1024} MiB, {kdf.iterations} iterations, {kdf.lanes} lanes")
    print(f"students={args.students} fill_s={fill_s:.1f}")
    print(f"unlock_s_median={statistics.median(unlocks):.3f} (of 5)")
    print(f"store_mib={size / 2**20:.1f}")
    print(f"students_list_s_median={statistics.median(lists):.3f} (in process, of 5)")
    print(f"cli_students_list_json_s={cli_s:.2f} ({len(done.stdout) // 1024} KiB of JSON, incl. unlock)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
