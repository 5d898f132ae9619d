"""The demo school: fictitious users, classes and students (no real person's data)."""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import pyrage

from storage import backup, classes, policy, recipients, students, users
from storage.attendance import demo as attendance_demo
from storage.clock import school_year_of
from storage.store import Store

SCHOOL = "デモ市立さくら小学校"
SCHOOL_CODE = "B113212345602"

FAMILY = [
    ("佐藤", "さとう"), ("鈴木", "すずき"), ("高橋", "たかはし"), ("田中", "たなか"), ("伊藤", "いとう"),
    ("渡辺", "わたなべ"), ("山本", "やまもと"), ("中村", "なかむら"), ("小林", "こばやし"), ("加藤", "かとう"),
    ("吉田", "よしだ"), ("山田", "やまだ"), ("佐々木", "ささき"), ("山口", "やまぐち"), ("松本", "まつもと"),
    ("井上", "いのうえ"), ("木村", "きむら"), ("林", "はやし"), ("斎藤", "さいとう"), ("清水", "しみず"),
]
GIVEN = [
    ("蓮", "れん", "男"), ("陽翔", "はると", "男"), ("湊", "みなと", "男"), ("大和", "やまと", "男"),
    ("悠真", "ゆうま", "男"), ("朝陽", "あさひ", "男"), ("樹", "いつき", "男"), ("蒼", "あおい", "男"),
    ("陽葵", "ひまり", "女"), ("凛", "りん", "女"), ("芽依", "めい", "女"), ("結菜", "ゆいな", "女"),
    ("葵", "あおい", "女"), ("さくら", "さくら", "女"), ("美咲", "みさき", "女"), ("結衣", "ゆい", "女"),
]
TOWNS = ["桜町", "緑が丘", "本町", "旭町", "若葉台"]


@dataclass(frozen=True)
class DemoSummary:
    logins: list[str]
    recovery_key: str
    students: int


def build_demo(
    path: Path, passphrase: str, *, students_per_class: int = 12, progress: Callable[[str], None] | None = None
) -> DemoSummary:
    say = progress or (lambda _msg: None)
    rng = random.Random(20260401)
    say("ストアを作成中… / creating the store…")
    store, recovery_key = Store.create(
        path,
        school_name=SCHOOL,
        school_code_value=SCHOOL_CODE,
        admin_login="admin",
        admin_name="教頭 山本",
        admin_passphrase=passphrase,
    )
    with store:
        say("利用者と学級… / users and classes…")
        users.add_user(store, "tanaka", "teacher", "田中 先生", passphrase)
        users.add_user(store, "suzuki", "teacher", "鈴木 先生", passphrase)
        year = school_year_of(date.today())
        class_list = [
            classes.add_class(store, year, 1, "1", "tanaka"),
            classes.add_class(store, year, 1, "2", "suzuki"),
        ]
        say("児童… / students…")
        count = 0
        with store.transaction():
            for info in class_list:
                ids = []
                for _ in range(students_per_class):
                    family, family_kana = rng.choice(FAMILY)
                    given, given_kana, sex = rng.choice(GIVEN)
                    born = date(year - 7, 4, 2).toordinal() + rng.randrange(365)  # the cohort entering 1年 this year
                    data = students.StudentData(
                        family_name=family,
                        given_name=given,
                        family_kana=family_kana,
                        given_kana=given_kana,
                        sex=sex,
                        birth_date=date.fromordinal(born).isoformat(),
                        guardian_name=f"{family} {rng.choice(['洋子', '健一', '真由美', '誠'])}",
                        address=f"デモ市{rng.choice(TOWNS)}{rng.randint(1, 5)}丁目{rng.randint(1, 30)}番地",
                        phone=f"03-{rng.randint(1000, 9999)}-{rng.randint(1000, 9999)}",
                        previous_school=f"さくら{rng.choice(['幼稚園', '保育園', 'こども園'])}",
                    )
                    ids.append(students.add_student(store, data, source="demo"))
                    count += 1
                classes.enrol(store, info.id, ids, f"{year}-04-01")
        say("出席簿… / attendance register…")
        attendance_demo.fill(store, passphrase)
        say("出力先と受取先… / export destination and recipient…")
        outbox = demo_outbox(path)
        outbox.mkdir(parents=True, exist_ok=True)
        identity = pyrage.x25519.Identity.generate()
        key_file = outbox.parent / f"{path.name}-board-identity.txt"  # the demo board's private key
        key_file.write_text(f"{identity}\n", encoding="ascii")
        key_file.chmod(0o600)
        policy.allow_destination(store, outbox, note="デモ用")
        recipients.add(store, "デモ市教育委員会", str(identity.to_public()))
        backup.configure(store, destination=outbox, recipient="デモ市教育委員会")  # daily, keep 7
    return DemoSummary(["admin", "tanaka", "suzuki"], recovery_key, count)


def demo_outbox(path: Path) -> Path:
    """The demo's allowed export folder, beside the store (never inside it)."""
    return path.parent / f"{path.name}-outbox"
