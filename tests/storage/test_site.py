"""Site binding: users' key slots need this computer's machine secret as well as the passphrase."""

from __future__ import annotations

import secrets
import shutil
import stat
from pathlib import Path

import pytest
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from storage import audit, crypto, keyslots, signing, site, users
from storage.errors import AuthError
from storage.store import SLOTS_NAME, Store
from tests.conftest import PASSPHRASE

TEACHER = "teacher-passphrase"


def _new_school(store_dir: Path) -> str:
    created, recovery_key = Store.create(
        store_dir, school_name="第一小学校", school_code_value="B113212345602",
        admin_login="admin", admin_name="管理", admin_passphrase=PASSPHRASE,
    )
    with created:
        users.add_user(created, "tanaka", "teacher", "田中", TEACHER)
    return recovery_key


def _other_computer(monkeypatch: pytest.MonkeyPatch, tmp_path: Path, name: str = "other-pc") -> None:
    monkeypatch.setenv(site.ENV_DIR, str(tmp_path / name))


def test_the_machine_secret_is_32_bytes_readable_only_by_the_account(
    store: Store, store_dir: Path, _machine_secret: Path
) -> None:
    path = _machine_secret / "machine-secret"
    assert len(path.read_bytes()) == 32
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert store_dir not in path.parents
    slots = keyslots.KeySlotFile.load(store_dir / SLOTS_NAME)
    admin = slots.find(keyslots.USER, "admin")
    assert admin is not None and admin.site == site.current().machine_id
    recovery = slots.find(keyslots.RECOVERY)
    assert recovery is not None and recovery.site is None  # the recovery key moves a store


def test_a_copied_store_is_refused_on_another_computer(
    store_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _new_school(store_dir)
    copy = tmp_path / "usb-copy"
    shutil.copytree(store_dir, copy)
    _other_computer(monkeypatch, tmp_path)
    for login, passphrase in (("tanaka", TEACHER), ("admin", PASSPHRASE)):
        with pytest.raises(AuthError) as caught:
            Store.open(copy, login, passphrase)
        assert caught.value.code == "auth.other_machine"
        assert "recovery key" in str(caught.value)
        assert "回復キー" in str(caught.value)
    # a wrong passphrase gets the same answer: nothing to guess against without the secret
    with pytest.raises(AuthError) as guessed:
        Store.open(copy, "tanaka", "some guess here")
    assert guessed.value.code == "auth.other_machine"


def test_the_slot_cannot_be_opened_with_the_passphrase_alone(store_dir: Path) -> None:
    _new_school(store_dir)
    slots = keyslots.KeySlotFile.load(store_dir / SLOTS_NAME)
    slot = slots.find(keyslots.USER, "tanaka")
    assert slot is not None
    kek = crypto.derive_kek(TEACHER, slot.wrapped.salt, slot.kdf)
    for aad in (keyslots.slot_aad(slots.store_id, "user", "tanaka"), None):
        with pytest.raises(Exception):  # noqa: B017 - InvalidTag
            AESGCM(kek).decrypt(slot.wrapped.nonce, slot.wrapped.ciphertext, aad)
    other = site.FileMachineSecret(store_dir.parent / "elsewhere")
    with pytest.raises(AuthError):
        keyslots.open_user_slot(slots.store_id, slot, kek, other)


def test_the_recovery_key_moves_a_store_and_it_is_audited(
    store_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    recovery_key = _new_school(store_dir)
    old_machine = site.current().machine_id
    _other_computer(monkeypatch, tmp_path, "new-pc")
    with Store.open_with_recovery(store_dir, recovery_key) as recovered:
        [moved] = [e for e in audit.entries(recovered) if e.action == "store.moved"]
        assert moved.detail["from_machine_ids"] == [old_machine]
        assert moved.detail["machine_id"] == site.current().machine_id
        assert sorted(moved.detail["users_to_reset"]) == ["admin", "tanaka"]
        # an administrator (here: the recovery session) resets passphrases on the new computer
        users.change_passphrase(recovered, "admin", "admin on the new pc")
        users.change_passphrase(recovered, "tanaka", "tanaka on the new pc")
    with Store.open(store_dir, "tanaka", "tanaka on the new pc") as teacher:
        assert teacher.user.login == "tanaka"
    with Store.open(store_dir, "admin", "admin on the new pc") as admin:
        assert not [e for e in audit.entries(admin) if e.action == "store.moved" and e.seq > moved.seq]


def test_a_slot_from_before_site_binding_opens_and_is_bound(store: Store, store_dir: Path) -> None:
    key_id, _ = signing.private_key(store)
    store.close()
    slots = keyslots.KeySlotFile.load(store_dir / SLOTS_NAME)
    slot = slots.find(keyslots.USER, "admin")
    assert slot is not None
    kek = crypto.derive_kek(PASSPHRASE, slot.wrapped.salt, slot.kdf)
    db_key = keyslots.open_user_slot(slots.store_id, slot, kek)
    assert db_key is not None
    nonce = secrets.token_bytes(12)
    legacy = AESGCM(kek).encrypt(nonce, db_key, keyslots.slot_aad(slots.store_id, "user", "admin"))
    slot.wrapped = crypto.Wrapped(slot.wrapped.salt, nonce, legacy)
    slot.site = None
    slots.save()
    assert '"site"' not in (store_dir / SLOTS_NAME).read_text()
    with Store.open(store_dir, "admin", PASSPHRASE) as again:
        assert signing.private_key(again)[0] == key_id  # same signing key: nothing rotated
        [bound] = [e for e in audit.entries(again) if e.action == "keyslot.bind"]
        assert bound.detail == {"login": "admin", "machine_id": site.current().machine_id}
    rebound = keyslots.KeySlotFile.load(store_dir / SLOTS_NAME).find(keyslots.USER, "admin")
    assert rebound is not None and rebound.site == site.current().machine_id
    with Store.open(store_dir, "admin", PASSPHRASE):
        pass


def test_a_damaged_machine_secret_is_reported(store_dir: Path, _machine_secret: Path) -> None:
    _new_school(store_dir)
    (_machine_secret / "machine-secret").write_bytes(b"short")
    with pytest.raises(Exception) as caught:
        Store.open(store_dir, "admin", PASSPHRASE)
    assert getattr(caught.value, "code", None) == "site.secret_damaged"
    assert "recovery key" in str(caught.value)
