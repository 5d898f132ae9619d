"""Unlocking: passphrases, key slots, the recovery key, removed users, slowed guessing."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from storage import audit, keyslots, users
from storage.errors import AuthError, InputError, NotFoundError, PolicyError
from storage.store import DB_NAME, SLOTS_NAME, Store
from tests.conftest import PASSPHRASE


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_create_then_open_as_the_administrator(store: Store, store_dir: Path) -> None:
    store.close()
    with Store.open(store_dir, "admin", PASSPHRASE) as again:
        assert again.user.login == "admin"
        assert again.user.is_admin
        row = again.query_one("SELECT name, school_code FROM school")
        assert (row["name"], row["school_code"]) == ("テスト市立第一小学校", "B113212345602")


def test_wrong_passphrase_names_the_user_and_changes_nothing(store: Store, store_dir: Path) -> None:
    store.close()
    before = _digest(store_dir / DB_NAME)
    with pytest.raises(AuthError) as caught:
        Store.open(store_dir, "admin", "not the passphrase")
    assert caught.value.code == "auth.wrong_passphrase"
    assert "admin" in str(caught.value)
    assert caught.value.exit_code == 3
    assert _digest(store_dir / DB_NAME) == before


def test_failed_unlocks_are_slowed_and_audited_at_next_unlock(store: Store, store_dir: Path) -> None:
    store.close()
    for _ in range(3):
        with pytest.raises(AuthError):
            Store.open(store_dir, "admin", "guess-guess")
    slots = keyslots.KeySlotFile.load(store_dir / SLOTS_NAME)
    assert slots.delay_before_attempt("admin", now=slots.failures["admin"].last) > 0
    with Store.open(store_dir, "admin", PASSPHRASE) as again:
        failed = [e for e in audit.entries(again) if e.action == "unlock.failed"]
        assert len(failed) == 3
        assert {e.detail["login"] for e in failed} == {"admin"}
    slots = keyslots.KeySlotFile.load(store_dir / SLOTS_NAME)
    assert slots.delay_before_attempt("admin") == 0


def test_changed_passphrase_keeps_data_and_retires_the_old_one(store: Store, store_dir: Path) -> None:
    users.add_user(store, "tanaka", "teacher", "田中", "teacher-pass-1")
    users.change_passphrase(store, "admin", "a brand new passphrase")
    store.close()
    with pytest.raises(AuthError):
        Store.open(store_dir, "admin", PASSPHRASE)
    with Store.open(store_dir, "admin", "a brand new passphrase") as again:
        assert [u.login for u in users.list_users(again)] == ["admin", "tanaka"]
    with Store.open(store_dir, "tanaka", "teacher-pass-1") as teacher:
        assert teacher.user.role == "teacher"


def test_recovery_key_opens_the_store(store_dir: Path) -> None:
    created, recovery_key = Store.create(
        store_dir,
        school_name="回復小学校",
        school_code_value="F112310102342",
        admin_login="admin",
        admin_name="",
        admin_passphrase=PASSPHRASE,
    )
    created.close()
    # typed by hand: lower case, spaces instead of hyphens, O for 0
    typed = recovery_key.lower().replace("-", " ").replace("0", "o")
    with Store.open_with_recovery(store_dir, typed) as recovered:
        assert recovered.user.is_admin
        users.change_passphrase(recovered, "admin", "reset after recovery")
    with Store.open(store_dir, "admin", "reset after recovery"):
        pass


def test_recovery_key_with_a_typo_is_named_as_a_typo(store: Store, store_dir: Path) -> None:
    store.close()
    with pytest.raises(InputError) as caught:
        Store.open_with_recovery(store_dir, "ABCD-" * 8 + "ABCD")
    assert caught.value.code in {"recovery.typo", "recovery.malformed"}


def test_removed_user_can_no_longer_open_the_store(store: Store, store_dir: Path) -> None:
    users.add_user(store, "sato", "teacher", "佐藤", "sato-passphrase")
    users.remove_user(store, "sato")
    store.close()
    with pytest.raises(AuthError) as caught:
        Store.open(store_dir, "sato", "sato-passphrase")
    assert caught.value.code == "auth.unknown_user"


def test_a_slot_cannot_be_moved_to_another_user(store: Store, store_dir: Path) -> None:
    users.add_user(store, "sato", "teacher", "佐藤", "sato-passphrase")
    store.close()
    slots = keyslots.KeySlotFile.load(store_dir / SLOTS_NAME)
    sato = slots.find(keyslots.USER, "sato")
    admin = slots.find(keyslots.USER, "admin")
    assert sato is not None
    assert admin is not None
    admin.wrapped = sato.wrapped  # attacker copies sato's slot over the administrator's
    slots.save()
    with pytest.raises(AuthError):
        Store.open(store_dir, "admin", "sato-passphrase")


def test_teacher_is_refused_administrator_operations_and_it_is_audited(store: Store, store_dir: Path) -> None:
    users.add_user(store, "tanaka", "teacher", "田中", "teacher-pass-1")
    store.close()
    with Store.open(store_dir, "tanaka", "teacher-pass-1") as teacher, pytest.raises(PolicyError) as caught:
        users.add_user(teacher, "mallory", "administrator", "M", "mallory-pass")
    assert caught.value.exit_code == 5
    with Store.open(store_dir, "admin", PASSPHRASE) as admin:
        refused = [e for e in audit.entries(admin) if e.action == "policy.refused"]
        assert refused
        assert refused[0].actor == "tanaka"
        assert "mallory" not in [u.login for u in users.list_users(admin)]


def test_opening_a_folder_without_a_store_says_so(tmp_path: Path) -> None:
    with pytest.raises(NotFoundError) as caught:
        Store.open(tmp_path / "nowhere", "admin", PASSPHRASE)
    assert caught.value.code == "store.missing"


@pytest.mark.parametrize("bad", ["", "short", "1234567"])
def test_short_passphrases_are_refused(store: Store, bad: str) -> None:
    with pytest.raises(InputError):
        users.add_user(store, "x", "teacher", "X", bad)


def test_a_refusal_inside_a_larger_transaction_stays_audited(store: Store, store_dir: Path) -> None:
    users.add_user(store, "tanaka", "teacher", "田中", "teacher-pass-1")
    store.close()
    with Store.open(store_dir, "tanaka", "teacher-pass-1") as teacher, pytest.raises(PolicyError):  # noqa: SIM117
        with teacher.transaction():
            users.add_user(teacher, "mallory", "administrator", "M", "mallory-pass")
    with Store.open(store_dir, "admin", PASSPHRASE) as admin:
        refused = [e for e in audit.entries(admin) if e.action == "policy.refused"]
        assert [e.actor for e in refused] == ["tanaka"]
        assert audit.verify(admin).ok
