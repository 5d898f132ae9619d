"""The key-slot file beside the encrypted database, readable before unlock (like LUKS).

Each slot wraps the store's random database key with a key derived from one secret:
a user's passphrase or the administrator recovery key. The file also keeps a small
record of failed unlocks per login, used to slow down guessing and reported into the
audit log at the next successful unlock.
"""

from __future__ import annotations

import contextlib
import json
import os
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from storage import crypto
from storage.errors import DamagedError

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

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.slot_id,
            "kind": self.kind,
            "login": self.login,
            "kdf": self.kdf.as_json(),
            "salt": crypto.b64(self.wrapped.salt),
            "nonce": crypto.b64(self.wrapped.nonce),
            "ciphertext": crypto.b64(self.wrapped.ciphertext),
        }

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
        return cls(str(data["id"]), kind, str(data["login"]), kdf, wrapped)


@dataclass
class Failures:
    count: int = 0
    last: float = 0.0
    pending: list[float] = field(default_factory=list)  # times not yet written to the audit log


def slot_aad(store_id: str, kind: str, login: str) -> bytes:
    return f"gakuseki-slot-v1|{store_id}|{kind}|{login}".encode()


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
        """Add or replace the slot of (kind, login)."""
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
        return crypto.unwrap(slot.wrapped, secret, slot_aad(self.store_id, slot.kind, slot.login), slot.kdf)

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
