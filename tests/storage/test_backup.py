"""Backups and restore: encrypted, consistent, verifiable; restore checks everything before it
replaces anything, keeps the current store aside, and refuses damaged or foreign backups."""

from __future__ import annotations

import hashlib
import io
import json
import tarfile
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path

import pyrage
import pytest
from pyrage import x25519

from storage import attendance, audit, backup, classes, crypto, policy, recipients, students, users
from storage.errors import AuthError, DamagedError, PolicyError
from storage.store import DB_NAME, SLOTS_NAME, Store
from tests.conftest import PASSPHRASE
from tests.storage.helpers import raw_connection

TEACHER = "tanaka-passphrase"
DAYS = [date(2025, 6, d) for d in (2, 3, 4, 5, 6)]


@dataclass
class School:
    path: Path
    recovery: str
    out: Path
    identity: x25519.Identity


def make_school(root: Path, name: str = "school", n: int = 6) -> School:
    path = root / name
    store, recovery = Store.create(
        path, school_name="テスト市立第一小学校", school_code_value="B113212345602", admin_login="admin",
        admin_name="管理 太郎", admin_passphrase=PASSPHRASE, kdf=crypto.MINIMUM_KDF,
    )
    out = root / f"{name}-backups"
    out.mkdir()
    identity = x25519.Identity.generate()
    with store:
        users.add_user(store, "tanaka", "teacher", "田中", TEACHER)
        info = classes.add_class(store, 2025, 1, "1", "tanaka")
        ids = [
            students.add_student(
                store, students.StudentData("山田", f"花子{i}", "やまだ", "はなこ", "女", "2019-05-05")
            )
            for i in range(n)
        ]
        classes.enrol(store, info.id, ids, "2025-04-01")
        attendance.set_days(store, DAYS, "school_day")
        policy.allow_destination(store, out, "バックアップ")
        recipients.add(store, "backup-officer", str(identity.to_public()))
        backup.configure(store, destination=out, recipient="backup-officer", interval_hours=24, keep=2)
    with Store.open(path, "tanaka", TEACHER) as teacher:
        for day in DAYS[:3]:
            attendance.mark(teacher, info.id, day, ids[0], "absent_sick")
            attendance.seal(teacher, info.id, day)
    return School(path, recovery, out, identity)


@pytest.fixture
def school(tmp_path: Path) -> School:
    return make_school(tmp_path)


def _backup(school: School) -> backup.BackupResult:
    with Store.open(school.path, "admin", PASSPHRASE) as store:
        return backup.create(store, destination=school.out)


def test_restore_drill(school: School) -> None:
    """Create, fill, back up, damage the live store, restore: everything is back."""
    made = _backup(school)
    assert backup.NAME_PATTERN.fullmatch(made.path.name)
    with Store.open(school.path, "admin", PASSPHRASE) as store:
        before = {
            "students": [tuple(r) for r in store.query("SELECT * FROM students ORDER BY id")],
            "sheets": [tuple(r) for r in store.query("SELECT id, chain_seq, hash, canonical FROM attendance_sheets")],
            "entries": [
                tuple(r) for r in store.query("SELECT * FROM attendance_entries ORDER BY sheet_id, student_id")
            ],
        }
        audited = [tuple(r) for r in store.query("SELECT seq, hash FROM audit_log ORDER BY seq")]
    assert len(before["students"]) == 6 and len(before["sheets"]) == 3
    assert made.manifest.rows["students"] == 6 and made.manifest.rows["attendance_sheets"] == 3

    # damage the live store: pages overwritten in the middle of the database
    (school.path / "store.db-wal").unlink(missing_ok=True)
    data = bytearray((school.path / DB_NAME).read_bytes())
    data[8192:16384] = b"\xff" * 8192
    (school.path / DB_NAME).write_bytes(bytes(data))
    with pytest.raises(DamagedError):
        Store.open(school.path, "admin", PASSPHRASE)

    done = backup.restore(made.path, school.path, identities=[school.identity], recovery_key=school.recovery)
    assert done.kept_aside is not None and (done.kept_aside / DB_NAME).read_bytes() == bytes(data)
    assert done.users_to_reset == ()
    with Store.open(school.path, "admin", PASSPHRASE) as store:  # same computer: passphrases open it
        after_students = [tuple(r) for r in store.query("SELECT * FROM students ORDER BY id")]
        after_sheets = [tuple(r) for r in store.query("SELECT id, chain_seq, hash, canonical FROM attendance_sheets")]
        after_entries = [
            tuple(r) for r in store.query("SELECT * FROM attendance_entries ORDER BY sheet_id, student_id")
        ]
        after_audit = [tuple(r) for r in store.query("SELECT seq, hash FROM audit_log ORDER BY seq")]
        assert audit.verify(store).ok
        checked = attendance.verify(store)
        assert checked.ok, checked.message
        actions = [e.action for e in audit.entries(store, limit=20)]
    assert after_students == before["students"]
    assert after_sheets == before["sheets"]
    assert after_entries == before["entries"]
    # every audit entry up to the snapshot is back, unchanged; then the restore itself
    assert after_audit[: made.manifest.rows["audit_log"]] == audited[: made.manifest.rows["audit_log"]]
    assert "store.restore" in actions
    with Store.open(school.path, "tanaka", TEACHER) as teacher:  # the teacher's slot came back too
        assert attendance.verify(teacher).ok


def test_a_backup_is_encrypted_audited_and_consistent(school: School) -> None:
    made = _backup(school)
    raw = made.path.read_bytes()
    assert raw.startswith(b"age-encryption.org/v1")
    assert b"SQLite format 3" not in raw and "山田".encode() not in raw
    assert not [p for p in school.out.iterdir() if not p.name.endswith(".age")]  # nothing in the clear
    members = backup.unpack(pyrage.decrypt(raw, [school.identity]))
    assert set(members) == set(backup.MEMBERS)
    assert not members[DB_NAME].startswith(b"SQLite format 3")  # the snapshot is still SQLCipher-encrypted
    manifest = backup.parse_manifest(members[backup.MANIFEST_NAME])
    assert manifest.store_id == json.loads(members[SLOTS_NAME])["store_id"]
    assert manifest.audit_head is not None and manifest.attendance_head is not None
    assert manifest.attendance_head.seq == 3
    with Store.open(school.path, "admin", PASSPHRASE) as store:
        entries = audit.entries(store, limit=20)
        write = next(e for e in entries if e.action == "export.write")
        assert write.detail["kind"] == "backup" and write.detail["file"] == made.path.name
        created = next(e for e in entries if e.action == "backup.create")
        assert created.detail["rows"]["students"] == 6
        assert not [a for a in policy.pending_alerts(store)]  # the school's own backup: no bulk alert


def test_a_teacher_cannot_back_up(school: School) -> None:
    with Store.open(school.path, "tanaka", TEACHER) as teacher, pytest.raises(PolicyError):
        backup.create(teacher, destination=school.out)
    assert not list(school.out.iterdir())


def test_backup_refuses_a_folder_off_the_allow_list(school: School, tmp_path: Path) -> None:
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    with Store.open(school.path, "admin", PASSPHRASE) as store, pytest.raises(PolicyError) as caught:
        backup.create(store, destination=elsewhere)
    assert caught.value.code == "policy.destination_not_allowed"
    assert not list(elsewhere.iterdir())


def _reencrypt(path: Path, school: School, change: dict[str, bytes]) -> Path:
    """What an attacker with only the recipient's public key can do: rebuild a backup."""
    members = backup.unpack(pyrage.decrypt(path.read_bytes(), [school.identity]))
    members.update(change)
    forged = path.with_name("forged.gkbak.age")
    forged.write_bytes(pyrage.encrypt(backup.pack(members), [school.identity.to_public()]))
    return forged


def _unchanged(school: School) -> tuple[bytes, bytes]:
    return (school.path / DB_NAME).read_bytes(), (school.path / SLOTS_NAME).read_bytes()


def test_restore_refuses_while_the_store_is_open(school: School) -> None:
    """A window or command with the store unlocked: the restore is refused and nothing moves."""
    made = _backup(school)
    before = sorted(p.name for p in school.path.parent.iterdir())
    with Store.open(school.path, "admin", PASSPHRASE) as store:
        with pytest.raises(PolicyError) as info:
            backup.restore(made.path, school.path, identities=[school.identity], recovery_key=school.recovery)
        assert info.value.code == "store.in_use"
        assert store.query("SELECT COUNT(*) FROM students")[0][0] == 6  # the open session still works
    assert sorted(p.name for p in school.path.parent.iterdir()) == before
    # closed: the restore goes ahead, and a session opened meanwhile would be told to wait
    done = backup.restore(made.path, school.path, identities=[school.identity], recovery_key=school.recovery)
    assert done.kept_aside is not None
    with backup.session_lock.exclusive(school.path), pytest.raises(PolicyError) as info:
        Store.open(school.path, "admin", PASSPHRASE)
    assert info.value.code == "store.restoring"
    with Store.open(school.path, "admin", PASSPHRASE) as store:
        assert store.query("SELECT COUNT(*) FROM students")[0][0] == 6


def test_restore_refuses_a_tampered_manifest(school: School) -> None:
    made = _backup(school)
    body = json.loads(backup.unpack(pyrage.decrypt(made.path.read_bytes(), [school.identity]))["manifest.json"])
    body["rows"]["students"] = 99
    forged = _reencrypt(made.path, school, {"manifest.json": json.dumps(body).encode()})
    before = _unchanged(school)
    with pytest.raises(DamagedError) as caught:
        backup.restore(forged, school.path, identities=[school.identity], recovery_key=school.recovery)
    assert caught.value.code == "backup.tampered" and "MAC" in str(caught.value)
    assert _unchanged(school) == before
    assert not [p for p in school.path.parent.iterdir() if "restore" in p.name]


def test_restore_refuses_a_swapped_database(school: School, tmp_path: Path) -> None:
    made = _backup(school)
    members = backup.unpack(pyrage.decrypt(made.path.read_bytes(), [school.identity]))
    body = json.loads(members["manifest.json"])
    other = bytearray(members[DB_NAME])
    other[5000] ^= 1
    body["files"][DB_NAME]["sha256"] = hashlib.sha256(bytes(other)).hexdigest()
    forged = _reencrypt(made.path, school, {DB_NAME: bytes(other), "manifest.json": json.dumps(body).encode()})
    with pytest.raises(DamagedError):
        backup.restore(forged, school.path, identities=[school.identity], recovery_key=school.recovery)
    # and a member that no longer matches the manifest's digest
    forged = _reencrypt(made.path, school, {DB_NAME: bytes(other)})
    with pytest.raises(DamagedError) as caught:
        backup.restore(forged, school.path, identities=[school.identity], recovery_key=school.recovery)
    assert caught.value.code == "backup.digest_mismatch"


def test_restore_refuses_a_damaged_file_wrong_identity_or_wrong_recovery_key(school: School) -> None:
    made = _backup(school)
    before = _unchanged(school)
    damaged = bytearray(made.path.read_bytes())
    damaged[-100] ^= 0xFF
    bad = made.path.with_name("damaged.gkbak.age")
    bad.write_bytes(bytes(damaged))
    with pytest.raises(DamagedError) as caught:
        backup.restore(bad, school.path, identities=[school.identity], recovery_key=school.recovery)
    assert caught.value.code == "backup.undecryptable"
    with pytest.raises(DamagedError):
        backup.restore(made.path, school.path, identities=[x25519.Identity.generate()], recovery_key=school.recovery)
    wrong = crypto.new_recovery_key()
    with pytest.raises(AuthError):
        backup.restore(made.path, school.path, identities=[school.identity], recovery_key=wrong)
    assert _unchanged(school) == before
    assert not [p for p in school.path.parent.iterdir() if "restore" in p.name]


def test_restore_refuses_a_backup_whose_audit_chain_was_altered(school: School) -> None:
    conn = raw_connection(school.path, "admin", PASSPHRASE)  # an attacker with the key, around the triggers
    conn.execute("DROP TRIGGER audit_log_no_update")
    conn.execute("UPDATE audit_log SET actor = 'someone' WHERE seq = 3")
    conn.close()
    made = _backup(school)
    with pytest.raises(DamagedError) as caught:
        backup.restore(made.path, school.path, identities=[school.identity], recovery_key=school.recovery)
    assert caught.value.code == "backup.audit_broken"


def test_restore_refuses_a_foreign_backup(tmp_path: Path) -> None:
    first = make_school(tmp_path, "first", n=2)
    second = make_school(tmp_path, "second", n=3)
    made = _backup(first)
    before = _unchanged(second)
    with pytest.raises(PolicyError) as caught:
        backup.restore(made.path, second.path, identities=[first.identity], recovery_key=first.recovery)
    assert caught.value.code == "backup.foreign"
    assert _unchanged(second) == before
    # into a new folder it is fine
    done = backup.restore(made.path, tmp_path / "new", identities=[first.identity], recovery_key=first.recovery)
    assert done.kept_aside is None
    with Store.open(tmp_path / "new", "admin", PASSPHRASE) as store:
        assert len(store.query("SELECT id FROM students")) == 2


def test_restore_on_another_computer_needs_the_recovery_key(
    school: School, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    made = _backup(school)
    monkeypatch.setenv("GAKUSEKI_MACHINE_SECRET_DIR", str(tmp_path / "other-computer"))
    done = backup.restore(made.path, tmp_path / "moved", identities=[school.identity], recovery_key=school.recovery)
    assert set(done.users_to_reset) == {"admin", "tanaka"}
    with pytest.raises(AuthError) as caught:
        Store.open(tmp_path / "moved", "admin", PASSPHRASE)
    assert caught.value.code == "auth.other_machine"
    with Store.open_with_recovery(tmp_path / "moved", school.recovery) as store:
        assert audit.verify(store).ok and attendance.verify(store).ok


def test_verify_only_changes_nothing(school: School) -> None:
    made = _backup(school)
    before = _unchanged(school)
    manifest = backup.verify(made.path, [school.identity], school.recovery, work=school.path.parent)
    assert manifest.rows["students"] == 6
    assert _unchanged(school) == before
    assert not [p for p in school.path.parent.iterdir() if p.name.startswith(".")]


# --- scheduled backups ---------------------------------------------------------------------------


def test_scheduled_backups_are_due_daily_and_keep_the_last_n(school: School) -> None:
    stranger = school.out / "gakuseki-backup-00000000-20200101-000000.gkbak.age"
    stranger.write_bytes(b"not ours")
    with Store.open(school.path, "admin", PASSPHRASE) as store:
        assert backup.settings(store).configured
        assert backup.due(store)
        first = backup.run_scheduled(store)
        assert not backup.due(store)
        assert backup.due(store, now=datetime.now().astimezone() + timedelta(hours=25))
        made = [first] + [backup.run_scheduled(store) for _ in range(3)]
        kept = sorted(p for p in school.out.iterdir() if p != stranger)
        assert kept == sorted(made[-2:])  # keep = 2
        assert stranger.exists()  # never a file this app did not write
        pruned = [e for e in audit.entries(store, limit=50) if e.action == "backup.prune"]
        assert sum(len(e.detail["files"]) for e in pruned) == 2
    with Store.open(school.path, "tanaka", TEACHER) as teacher:
        assert not backup.due(teacher)  # only an administrator's session backs up


def test_prune_leaves_a_file_whose_content_changed(school: School) -> None:
    with Store.open(school.path, "admin", PASSPHRASE) as store:
        first = backup.run_scheduled(store)
        first.write_bytes(first.read_bytes() + b"x")  # someone replaced it: not what we wrote
        for _ in range(3):
            backup.run_scheduled(store)
    assert first.exists()


def test_settings_are_checked_and_audited(school: School, tmp_path: Path) -> None:
    elsewhere = tmp_path / "nope"
    elsewhere.mkdir()
    with Store.open(school.path, "admin", PASSPHRASE) as store:
        with pytest.raises(PolicyError):
            backup.configure(store, destination=elsewhere)
        with pytest.raises(Exception) as caught:
            backup.configure(store, recipient="nobody")
        assert getattr(caught.value, "code", "") == "recipient.unknown"
        chosen = backup.configure(store, interval_hours=12, keep=5)
        assert (chosen.interval_hours, chosen.keep) == (12, 5)
        assert any(e.action == "backup.configure" for e in audit.entries(store, limit=10))


# --- the container --------------------------------------------------------------------------------


def test_unpack_refuses_unexpected_members() -> None:
    out = io.BytesIO()
    with tarfile.open(fileobj=out, mode="w") as tar:
        info = tarfile.TarInfo("../evil")
        info.size = 1
        tar.addfile(info, io.BytesIO(b"x"))
    with pytest.raises(DamagedError):
        backup.unpack(out.getvalue())
    with pytest.raises(DamagedError):
        backup.unpack(b"garbage")
