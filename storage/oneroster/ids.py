"""Stable OneRoster sourcedIds: a random UUIDv4 per local record, kept in ``oneroster_ids``.

The ids carry no personal data (random, not derived from names or numbers) and never change,
so that the receiving system recognises the same student, class or school in every export.
"""

from __future__ import annotations

import re
import uuid

from storage.clock import now_iso
from storage.store import Store

UUID4 = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}")


class IdBook:
    """Looks ids up once and creates the missing ones; :meth:`save` writes the new ones.

    Use inside ``store.transaction()`` together with the export's audit entry.
    """

    def __init__(self, store: Store) -> None:
        self._store = store
        self._known: dict[tuple[str, str], str] = {
            (str(r["kind"]), str(r["local_key"])): str(r["sourced_id"])
            for r in store.query("SELECT kind, local_key, sourced_id FROM oneroster_ids")
        }
        self._new: dict[tuple[str, str], str] = {}

    def get(self, kind: str, local_key: str | int) -> str:
        key = (kind, str(local_key))
        found = self._known.get(key) or self._new.get(key)
        if found is None:
            found = str(uuid.uuid4())
            self._new[key] = found
        return found

    @property
    def created(self) -> int:
        return len(self._new)

    def save(self) -> None:
        if not self._new:
            return
        now = now_iso()
        with self._store.transaction():
            for (kind, local_key), sourced_id in self._new.items():
                self._store.execute(
                    "INSERT INTO oneroster_ids (kind, local_key, sourced_id, created_at) VALUES (?, ?, ?, ?)",
                    (kind, local_key, sourced_id, now),
                )
        self._known.update(self._new)
        self._new.clear()
