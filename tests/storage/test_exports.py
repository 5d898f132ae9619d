"""The export path: admin only, typed reason, allow-list, no removable drives, known
recipient, encrypted with age (never in the clear), audited; large exports need approval."""

from __future__ import annotations

import hashlib
import os
from collections.abc import Iterator
from pathlib import Path

import pyrage
import pytest
from pyrage import x25519

from storage import audit, drives, exports, policy, recipients, students, users
from storage.errors import InputError, PolicyError
from storage.store import Store
from tests.conftest import PASSPHRASE

SECRET = "鷺ノ宮,花子,2019-05-05\n".encode()
TEACHER = "teacher-passphrase"


class FakeDrives:
    """Removable drives are the folders listed here (and everything inside them)."""

    def __init__(self) -> None:
        self.removable: set[Path] = set()
        self.unknown: set[Path] = set()

    def is_removable(self, path: Path) -> bool:
        real = Path(os.path.realpath(path))
        if any(real == u or u in real.parents for u in self.unknown):
            raise drives.DriveUnknown("cannot tell")
        return any(real == r or r in real.parents for r in self.removable)


@pytest.fixture
def fake_drives() -> Iterator[FakeDrives]:
    fake = FakeDrives()
    drives.set_inspector(fake)
    yield fake
    drives.set_inspector(None)


@pytest.fixture
def identity() -> x25519.Identity:
    return x25519.Identity.generate()


@pytest.fixture
def ready(store: Store, tmp_path: Path, fake_drives: FakeDrives, identity: x25519.Identity) -> Path:
    """An allowed destination and a registered recipient 'board'."""
    out = tmp_path / "exports"
    out.mkdir()
    policy.allow_destination(store, out, "教育委員会へ")
    recipients.add(store, "board", str(identity.to_public()))
    return out


def _students(store: Store, n: int) -> list[int]:
    with store.transaction():
        return [
            students.add_student(
                store, students.StudentData("山田", f"花子{i}", "やまだ", "はなこ", "女", "2019-05-05")
            )
            for i in range(n)
        ]


def _export(store: Store, destination: Path, **over: object) -> Path:
    args: dict[str, object] = dict(
        payload=SECRET, file_name="roster.csv", destination=destination, recipient="board",
        reason="転出先への送付", kind="csv", rows=1, student_ids=[1],
    )
    args.update(over)
    return exports.export_file(store, **args)  # type: ignore[arg-type]


def _refusals(store: Store) -> list[audit.Entry]:
    return [e for e in audit.entries(store) if e.action == "policy.refused"]


def test_written_file_is_age_and_only_the_recipient_can_read_it(
    store: Store, ready: Path, identity: x25519.Identity
) -> None:
    ids = _students(store, 3)
    path = _export(store, ready, student_ids=ids, rows=3)
    assert path == ready / "roster.csv.age"
    data = path.read_bytes()
    assert data.startswith(b"age-encryption.org/v1\n")
    assert "鷺ノ宮".encode() not in data
    assert pyrage.decrypt(data, [identity]) == SECRET
    with pytest.raises(pyrage.DecryptError):
        pyrage.decrypt(data, [x25519.Identity.generate()])
    assert [p.name for p in ready.iterdir()] == ["roster.csv.age"]  # no temporary or clear file left
    [entry] = [e for e in audit.entries(store) if e.action == "export.write"]
    assert entry.detail["kind"] == "csv"
    assert entry.detail["rows"] == 3
    assert entry.detail["students"] == 3
    assert entry.detail["recipient"] == "board"
    assert entry.detail["destination"] == str(ready.resolve())
    assert entry.detail["sha256"] == hashlib.sha256(data).hexdigest()
    assert entry.detail["reason"] == "転出先への送付"


def test_teacher_is_refused_an_export_and_it_is_audited(store: Store, store_dir: Path, ready: Path) -> None:
    users.add_user(store, "tanaka", "teacher", "田中", TEACHER)
    store.close()
    with Store.open(store_dir, "tanaka", TEACHER) as teacher, pytest.raises(PolicyError) as caught:
        _export(teacher, ready)
    assert caught.value.code == "policy.admin_only"
    assert caught.value.exit_code == 5
    assert list(ready.iterdir()) == []
    with Store.open(store_dir, "admin", PASSPHRASE) as admin:
        [refused] = _refusals(admin)
        assert refused.actor == "tanaka"
        assert refused.detail["operation"] == "export.csv"


def test_a_teacher_cannot_manage_the_allow_list_or_recipients(store: Store, store_dir: Path, tmp_path: Path) -> None:
    users.add_user(store, "tanaka", "teacher", "田中", TEACHER)
    store.close()
    with Store.open(store_dir, "tanaka", TEACHER) as teacher:
        with pytest.raises(PolicyError):
            policy.allow_destination(teacher, tmp_path)
        with pytest.raises(PolicyError):
            recipients.add(teacher, "me", str(x25519.Identity.generate().to_public()))
        with pytest.raises(PolicyError):
            policy.set_threshold(teacher, "bulk_alert_students", 100000)


@pytest.mark.parametrize("reason", ["", "   ", "\n\t"])
def test_a_typed_reason_is_required(store: Store, ready: Path, reason: str) -> None:
    with pytest.raises(PolicyError) as caught:
        _export(store, ready, reason=reason)
    assert caught.value.code == "policy.reason_required"
    assert list(ready.iterdir()) == []


def test_destination_off_the_allow_list_is_refused(store: Store, ready: Path, tmp_path: Path) -> None:
    elsewhere = tmp_path / "desktop"
    elsewhere.mkdir()
    with pytest.raises(PolicyError) as caught:
        _export(store, elsewhere)
    assert caught.value.code == "policy.destination_not_allowed"
    assert list(elsewhere.iterdir()) == []
    assert _refusals(store)[0].detail["destination"] == str(elsewhere.resolve())


def test_a_subfolder_of_an_allowed_folder_is_allowed(store: Store, ready: Path) -> None:
    (ready / "2026").mkdir()
    assert _export(store, ready / "2026").parent == (ready / "2026").resolve()


def test_a_symlink_inside_the_allowed_folder_cannot_escape_it(store: Store, ready: Path, tmp_path: Path) -> None:
    outside = tmp_path / "outside"
    outside.mkdir()
    (ready / "link").symlink_to(outside, target_is_directory=True)
    with pytest.raises(PolicyError) as caught:
        _export(store, ready / "link")
    assert caught.value.code == "policy.destination_not_allowed"
    with pytest.raises(PolicyError):
        _export(store, ready / ".." / "outside")
    assert list(outside.iterdir()) == []


def test_an_allowed_folder_replaced_by_a_symlink_loses_its_permission(
    store: Store, ready: Path, tmp_path: Path
) -> None:
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    ready.rmdir()
    ready.symlink_to(elsewhere, target_is_directory=True)
    with pytest.raises(PolicyError) as caught:
        _export(store, ready)
    assert caught.value.code == "policy.destination_not_allowed"


def test_a_removable_drive_is_refused_even_when_allow_listed(
    store: Store, ready: Path, fake_drives: FakeDrives
) -> None:
    fake_drives.removable.add(ready.resolve())
    with pytest.raises(PolicyError) as caught:
        _export(store, ready)
    assert caught.value.code == "policy.removable_drive"
    assert list(ready.iterdir()) == []


def test_a_removable_drive_cannot_be_allow_listed(store: Store, tmp_path: Path, fake_drives: FakeDrives) -> None:
    usb = tmp_path / "media" / "USBSTICK"
    usb.mkdir(parents=True)
    fake_drives.removable.add(usb)
    with pytest.raises(PolicyError) as caught:
        policy.allow_destination(store, usb)
    assert caught.value.code == "policy.removable_drive"
    assert policy.list_destinations(store) == []


def test_a_drive_that_cannot_be_inspected_is_refused(store: Store, ready: Path, fake_drives: FakeDrives) -> None:
    fake_drives.unknown.add(ready.resolve())
    with pytest.raises(PolicyError) as caught:
        _export(store, ready)
    assert caught.value.code == "policy.drive_unknown"


def test_unknown_recipient_is_refused(store: Store, ready: Path) -> None:
    with pytest.raises(PolicyError) as caught:
        _export(store, ready, recipient="someone")
    assert caught.value.code == "policy.recipient_unknown"
    assert list(ready.iterdir()) == []


def test_the_recipient_may_be_named_by_its_public_key(store: Store, ready: Path, identity: x25519.Identity) -> None:
    path = _export(store, ready, recipient=str(identity.to_public()))
    assert pyrage.decrypt(path.read_bytes(), [identity]) == SECRET


@pytest.mark.parametrize("name", ["../up.csv", "a/b.csv", "", ".hidden", "c:evil", "x\0y"])
def test_file_names_cannot_leave_the_folder(store: Store, ready: Path, name: str) -> None:
    with pytest.raises(InputError):
        _export(store, ready, file_name=name)


@pytest.mark.parametrize(
    "key", ["", "age1", "ssh-ed25519 AAAA", "AGE-SECRET-KEY-1QQQQ", "age1qyqszqgpqyqszqgpqyqszqgpqyqszqgp"]
)
def test_recipient_keys_are_validated(store: Store, key: str) -> None:
    with pytest.raises(InputError) as caught:
        recipients.add(store, "board", key)
    assert caught.value.code == "recipient.key_invalid"


def test_recipients_are_listed_and_removed(store: Store) -> None:
    key = str(x25519.Identity.generate().to_public())
    recipients.add(store, "市教育委員会", key)
    assert [(r.name, r.public_key) for r in recipients.list_recipients(store)] == [("市教育委員会", key)]
    with pytest.raises(InputError):
        recipients.add(store, "again", key)
    recipients.remove(store, "市教育委員会")
    assert recipients.list_recipients(store) == []


def test_destinations_are_listed_and_removed(store: Store, tmp_path: Path, fake_drives: FakeDrives) -> None:
    folder = tmp_path / "share"
    folder.mkdir()
    policy.allow_destination(store, folder, "校内サーバ")
    [listed] = policy.list_destinations(store)
    assert (listed.path, listed.note, listed.added_by) == (folder.resolve(), "校内サーバ", "admin")
    policy.remove_destination(store, folder)
    assert policy.list_destinations(store) == []
    with pytest.raises(InputError):
        policy.allow_destination(store, tmp_path / "missing")


def test_an_existing_file_is_replaced_atomically(store: Store, ready: Path, identity: x25519.Identity) -> None:
    _export(store, ready, payload=b"first")
    path = _export(store, ready, payload=b"second")
    assert pyrage.decrypt(path.read_bytes(), [identity]) == b"second"
    assert len(list(ready.iterdir())) == 1


def test_a_large_export_needs_a_second_administrator(
    store: Store, store_dir: Path, ready: Path, identity: x25519.Identity
) -> None:
    policy.set_threshold(store, "export_approval_students", 5)
    ids = _students(store, 6)
    users.add_user(store, "kocho", "administrator", "校長", "second-admin-pass")
    with pytest.raises(PolicyError) as caught:
        _export(store, ready, student_ids=ids, rows=6)
    assert caught.value.code == "policy.approval_required"
    assert list(ready.iterdir()) == []
    [request] = policy.list_approvals(store)
    assert request.token in str(caught.value)
    assert (request.students, request.requested_by, request.status) == (6, "admin", "pending")
    # not by the requester, not before approval
    with pytest.raises(PolicyError) as self_approval:
        policy.decide(store, request.token, approve=True)
    assert self_approval.value.code == "policy.approval_self"
    with pytest.raises(PolicyError) as early:
        _export(store, ready, student_ids=ids, rows=6, approval=request.token)
    assert early.value.code == "policy.approval_invalid"
    store.close()
    with Store.open(store_dir, "kocho", "second-admin-pass") as second:
        policy.decide(second, request.token, approve=True)
    with Store.open(store_dir, "admin", PASSPHRASE) as admin:
        # the approval covers exactly these students
        with pytest.raises(PolicyError):
            _export(admin, ready, student_ids=[*ids[:5], 999], rows=6, approval=request.token)
        path = _export(admin, ready, student_ids=ids, rows=6, approval=request.token)
        assert pyrage.decrypt(path.read_bytes(), [identity]) == SECRET
        [written] = [e for e in audit.entries(admin) if e.action == "export.write"]
        assert written.detail["approval"] == request.token
        with pytest.raises(PolicyError):  # used once
            _export(admin, ready, student_ids=ids, rows=6, approval=request.token)
        actions = [e.action for e in audit.entries(admin)]
        assert "export.approval_request" in actions
        assert "export.approve" in actions
