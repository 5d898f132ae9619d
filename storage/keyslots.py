"""The key-slot file beside the encrypted database, readable before unlock (like LUKS).

Each slot wraps the store's random database key with a key derived from one secret:
a user's passphrase or the administrator recovery key. A user's slot is also bound to this
computer (``storage.site``): its wrapping key mixes the passphrase's Argon2id output with the
machine secret through HKDF, and the slot records the machine id (``"site"``). Slots written
before site binding (no ``"site"``) still open and are bound at that user's next unlock. The
recovery slot is never bound: it is how a store legitimately moves to another computer. The file also keeps a small
record of failed unlocks per login, used to slow down guessing and reported into the
audit log at the next successful unlock.
"""

from __future__ import annotations

import contextlib
import json
import os
import secrets
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from storage import crypto, site
from storage.errors import AuthError, DamagedError

FORMAT = "gakuseki-keyslots"
RECOVERY = "recovery"
USER = "user"


@dataclass
class Slot:
    slot_id: str
    kind: str  # USER or RECOVERY
    login: str  # the user's login; "" for the recovery slot
    kdf: crypto.KdfParams
    wrapped: crypto.Wrapped
    site: str | None = None  # machine id the slot is bound to; None: unbound (recovery, legacy)

    def to_json(self) -> dict[str, Any]:
        data: dict[str, Any] = {
            "id": self.slot_id,
            "kind": self.kind,
            "login": self.login,
            "kdf": self.kdf.as_json(),
            "salt": crypto.b64(self.wrapped.salt),
            "nonce": crypto.b64(self.wrapped.nonce),
            "ciphertext": crypto.b64(self.wrapped.ciphertext),
        }
        if self.site is not None:
            data["site"] = self.site
        return data

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Slot:
        kdf = crypto.KdfParams(**{k: int(v) for k, v in data["kdf"].items()})
        if (
            kdf.memory_kib < crypto.MINIMUM_KDF.memory_kib
            or kdf.iterations < crypto.MINIMUM_KDF.iterations
            or kdf.lanes < 1
        ):
            raise ValueError("key slot KDF parameters below the minimum")
        wrapped = crypto.Wrapped(
            crypto.unb64(data["salt"]), crypto.unb64(data["nonce"]), crypto.unb64(data["ciphertext"])
        )
        kind = str(data["kind"])
        if kind not in (USER, RECOVERY):
            raise ValueError(f"unknown slot kind {kind!r}")
        bound = data.get("site")
        if bound is not None and (kind != USER or not isinstance(bound, str) or len(bound) != 32):
            raise ValueError("invalid site binding")
        return cls(str(data["id"]), kind, str(data["login"]), kdf, wrapped, bound)


@dataclass
class Failures:
    count: int = 0
    last: float = 0.0
    pending: list[float] = field(default_factory=list)  # times not yet written to the audit log


def slot_aad(store_id: str, kind: str, login: str) -> bytes:
    return f"gakuseki-slot-v1|{store_id}|{kind}|{login}".encode()


# --- site binding ---------------------------------------------------------------------


def other_machine(login: str) -> AuthError:
    return AuthError(
        "auth.other_machine",
        f"このストアは別のパソコンからコピーされたものです(またはこのパソコンの鍵が失われました)。"
        f"ユーザー「{login}」のパスフレーズでは開けません。回復キーで開いてください",
        f"This store was copied from another computer (or this computer's machine secret was lost), so "
        f"'{login}' cannot open it with a passphrase: open it with the recovery key",
    )


def _site_key(kek: bytes, machine: site.MachineSecret, store_id: str, login: str) -> bytes:
    """The slot's AES-GCM key: HKDF over the passphrase KEK, salted with the machine secret."""
    return HKDF(
        algorithm=hashes.SHA256(),
        length=32,
        salt=machine.secret(),
        info=f"gakuseki-slot-site-v1|{store_id}|{USER}|{login}".encode(),
    ).derive(kek)


def _bound_aad(store_id: str, login: str, machine_id: str) -> bytes:
    return slot_aad(store_id, USER, login) + f"|site-v1|{machine_id}".encode()


def bound_user_slot(
    store_id: str, login: str, db_key: bytes, kek: bytes, salt: bytes, kdf: crypto.KdfParams,
    machine: site.MachineSecret | None = None,
) -> Slot:
    """A user slot wrapping ``db_key`` under (``kek`` from ``salt``, this machine's secret)."""
    machine = machine or site.current()
    nonce = secrets.token_bytes(12)
    ciphertext = AESGCM(_site_key(kek, machine, store_id, login)).encrypt(
        nonce, db_key, _bound_aad(store_id, login, machine.machine_id)
    )
    return Slot(str(uuid.uuid4()), USER, login, kdf, crypto.Wrapped(salt, nonce, ciphertext), machine.machine_id)


def open_user_slot(
    store_id: str, slot: Slot, kek: bytes, machine: site.MachineSecret | None = None
) -> bytes | None:
    """The database key from a user slot and the passphrase's KEK; None for a wrong passphrase.
    Raises AuthError ``auth.other_machine`` for a slot bound to another computer."""
    try:
        if slot.site is None:  # written before site binding
            aad = slot_aad(store_id, USER, slot.login)
            return AESGCM(kek).decrypt(slot.wrapped.nonce, slot.wrapped.ciphertext, aad)
        machine = machine or site.current()
        if slot.site != machine.machine_id:
            raise other_machine(slot.login)
        return AESGCM(_site_key(kek, machine, store_id, slot.login)).decrypt(
            slot.wrapped.nonce, slot.wrapped.ciphertext, _bound_aad(store_id, slot.login, machine.machine_id)
        )
    except InvalidTag:
        return None


@dataclass
class KeySlotFile:
    path: Path
    store_id: str
    slots: list[Slot]
    failures: dict[str, Failures]

    # -- persistence ------------------------------------------------------------------

    @classmethod
    def new(cls, path: Path) -> KeySlotFile:
        return cls(path, str(uuid.uuid4()), [], {})

    @classmethod
    def load(cls, path: Path) -> KeySlotFile:
        try:
            return cls._parse(path, json.loads(path.read_text(encoding="utf-8")))
        except FileNotFoundError:
            raise
        except (ValueError, KeyError, TypeError, AttributeError) as exc:
            raise DamagedError(
                "store.keyslots_damaged",
                f"鍵ファイル {path} が壊れています。回復キーでも開けない場合はバックアップから復元してください",
                f"The key-slot file {path} is damaged; restore from a backup if the recovery key fails too",
            ) from exc

    @classmethod
    def _parse(cls, path: Path, data: dict[str, Any]) -> KeySlotFile:
        if data.get("format") != FORMAT or data.get("version") != 1:
            raise ValueError("not a key-slot file")
        slots = [Slot.from_json(s) for s in data["slots"]]
        failures = {
            login: Failures(int(f["count"]), float(f["last"]), [float(t) for t in f.get("pending", [])])
            for login, f in data.get("failures", {}).items()
        }
        return cls(path, str(uuid.UUID(data["store_id"])), slots, failures)

    def save(self) -> None:
        payload = {
            "format": FORMAT,
            "version": 1,
            "store_id": self.store_id,
            "slots": [s.to_json() for s in self.slots],
            "failures": {
                login: {"count": f.count, "last": f.last, "pending": f.pending}
                for login, f in self.failures.items()
                if f.count or f.pending
            },
        }
        tmp = self.path.with_suffix(".tmp")
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            json.dump(payload, handle, ensure_ascii=False, indent=1)
            handle.flush()
            os.fsync(handle.fileno())
        tmp.replace(self.path)
        with contextlib.suppress(OSError):  # not every platform can fsync a directory
            dfd = os.open(self.path.parent, os.O_RDONLY)
            try:
                os.fsync(dfd)
            finally:
                os.close(dfd)

    # -- slots ------------------------------------------------------------------------

    def find(self, kind: str, login: str = "") -> Slot | None:
        return next((s for s in self.slots if s.kind == kind and s.login == login), None)

    def put(self, kind: str, login: str, db_key: bytes, secret: str, kdf: crypto.KdfParams) -> None:
        """Add or replace the slot of (kind, login), unbound (the recovery slot; user slots are
        written by ``storage.signing.put_slot``, bound to this computer)."""
        wrapped = crypto.wrap(db_key, secret, slot_aad(self.store_id, kind, login), kdf)
        slot = Slot(str(uuid.uuid4()), kind, login, kdf, wrapped)
        for index, existing in enumerate(self.slots):
            if existing.kind == kind and existing.login == login:
                self.slots[index] = slot  # keep the order: the first user slot is the founding admin
                return
        self.slots.append(slot)

    def user_logins(self) -> list[str]:
        return [s.login for s in self.slots if s.kind == USER]

    def remove(self, kind: str, login: str) -> bool:
        before = len(self.slots)
        self.slots = [s for s in self.slots if not (s.kind == kind and s.login == login)]
        return len(self.slots) != before

    def open_slot(self, slot: Slot, secret: str) -> bytes | None:
        if slot.kind == USER:
            return open_user_slot(self.store_id, slot, crypto.derive_kek(secret, slot.wrapped.salt, slot.kdf))
        return crypto.unwrap(slot.wrapped, secret, slot_aad(self.store_id, slot.kind, slot.login), slot.kdf)

    def bound_elsewhere(self, machine_id: str) -> list[str]:
        """Logins whose slots are bound to a computer other than ``machine_id``."""
        return [s.login for s in self.slots if s.kind == USER and s.site is not None and s.site != machine_id]

    # -- failed unlocks -----------------------------------------------------------------

    def delay_before_attempt(self, login: str, now: float | None = None) -> float:
        """Seconds to wait before the next attempt for ``login`` (0 for the first three)."""
        failures = self.failures.get(login)
        if failures is None or failures.count < 3:
            return 0.0
        wait = min(2.0 ** (failures.count - 3), 30.0)
        elapsed = (now if now is not None else time.time()) - failures.last
        return max(0.0, wait - elapsed)

    def record_failure(self, login: str) -> int:
        failures = self.failures.setdefault(login, Failures())
        failures.count += 1
        failures.last = time.time()
        failures.pending.append(failures.last)
        self.save()
        return failures.count

    def take_pending_failures(self) -> dict[str, list[float]]:
        """Failed attempts not yet audited, for every login; they count as audited afterwards."""
        pending = {login: list(f.pending) for login, f in self.failures.items() if f.pending}
        for failures in self.failures.values():
            failures.pending = []
        return pending

    def clear_failures(self, login: str | None = None) -> None:
        if login is None:
            self.failures.clear()
        else:
            self.failures.pop(login, None)
