"""Verification of the signed register: every signature, hash, link and correction.

:func:`verify` walks the school's whole chain in order; :func:`verify_range` checks one
class's sheets over some days (for the 出席簿 grid's verified mark) including each one's
link to the sheet before it in the school chain. Both name the first failing sheet as
class + date + revision with the reason in Japanese and English. Sheets recorded in the
audit log when they were sealed are cross-checked, so removing the newest sheets is
caught too.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from cryptography.exceptions import InvalidSignature

from storage import classes, signing
from storage.attendance import canonical, records
from storage.attendance.canonical import Entry, SignedSheet
from storage.attendance.records import RecordFailure, RecordRef
from storage.attendance.sheets import SheetRef

if TYPE_CHECKING:
    from datetime import date

    from storage.store import Store

_NAMES = (
    "id",
    "chain_seq",
    "class_id",
    "date",
    "revision",
    "corrects_id",
    "reason",
    "signer_id",
    "key_id",
    "signed_at",
    "prev_hash",
    "hash",
    "canonical",
    "signature",
)
_COLUMNS = ", ".join(_NAMES)
_S_COLUMNS = ", ".join(f"s.{name}" for name in _NAMES)


@dataclass(frozen=True)
class Verification:
    ok: bool
    sheets: int
    failing: SheetRef | None = None
    reason_ja: str = ""
    reason_en: str = ""
    #: the failing month-close / countersign / year-seal record (storage.attendance.records)
    record: RecordRef | None = None
    records: int = 0  # workflow records verified

    @property
    def message(self) -> str:
        """One line: which sheet (or record) and why, in Japanese and English."""
        if self.ok:
            n, m = self.sheets, self.records
            extra_ja = f"、締め・検印等の記録 {m} 件" if m else ""
            extra_en = f" and {m} close/countersign/seal records" if m else ""
            return f"出席簿の署名と連鎖はすべて正常です({n} 枚{extra_ja}) / all {n} sealed sheets{extra_en} verify"
        named = self.failing or self.record
        ja = f"{named.name_ja}: " if named else ""
        en = f"{named.name_en}: " if named else ""
        return f"{ja}{self.reason_ja} / {en}{self.reason_en}"


class _Fail(Exception):  # noqa: N818 - internal control flow
    def __init__(self, ja: str, en: str) -> None:
        super().__init__(en)
        self.ja = ja
        self.en = en


def _ref(row: Any, labels: dict[int, str]) -> SheetRef:
    class_id = int(row["class_id"])
    return SheetRef(
        class_id,
        labels.get(class_id, f"学級{class_id}"),
        str(row["date"]),
        int(row["revision"]),
        int(row["chain_seq"]),
        str(row["hash"]),
    )


def _check_sheet(
    store_id: str, row: Any, entries: str | None, keys: dict[str, signing.PublicKeyInfo]
) -> SignedSheet:
    """The sheet's own integrity: bytes, hash, signature, key, columns and entries."""
    data = bytes(row["canonical"])
    try:
        sheet, raw_entries = canonical.load(data)
    except (ValueError, KeyError, TypeError, AttributeError) as exc:
        raise _Fail(
            "署名された内容が読めません(改ざん)", "the signed content is unreadable (tampered)"
        ) from exc
    if canonical.sheet_hash(data) != row["hash"]:
        raise _Fail(
            "内容が署名時のものと違います(ハッシュ不一致)",
            "its content differs from what was signed (hash mismatch)",
        )
    key = keys.get(sheet.key_id)
    if key is None:
        raise _Fail(
            f"登録されていない鍵 {sheet.key_id} で署名されています",
            f"it is signed with an unregistered key {sheet.key_id}",
        )
    try:
        key.public_key.verify(bytes(row["signature"]), data)
    except InvalidSignature:
        raise _Fail(
            f"署名が{key.login}の鍵と一致しません(内容の改ざんまたは別の鍵による署名)",
            f"the signature does not match {key.login}'s key (content altered or signed with another key)",
        ) from None
    if key.user_id != sheet.signer_user or key.login != sheet.signer_login:
        raise _Fail(
            f"署名者{sheet.signer_login}ではなく{key.login}の鍵で署名されています",
            f"it is signed with {key.login}'s key, not the signer {sheet.signer_login}'s",
        )
    if not key.valid_at(sheet.signed_at):
        raise _Fail(
            f"署名時刻 {sheet.signed_at} に有効でない鍵で署名されています",
            f"the key was not valid at the signing time {sheet.signed_at}",
        )
    if sheet.store != store_id:
        raise _Fail("別のストアの出席簿です", "the sheet belongs to another store")
    if sheet.seq != int(row["chain_seq"]):
        raise _Fail(
            f"連鎖の位置が違います(署名では {sheet.seq} 番目、記録では {row['chain_seq']} 番目: 入れ替え)",
            f"it is out of place in the chain (signed as #{sheet.seq}, "
            f"stored as #{row['chain_seq']}: swapped or moved)",
        )
    signed = (sheet.class_id, sheet.date, sheet.revision, sheet.prev, sheet.key_id, sheet.signer_user)
    stored = (
        int(row["class_id"]),
        str(row["date"]),
        int(row["revision"]),
        str(row["prev_hash"]),
        str(row["key_id"]),
        int(row["signer_id"]),
    )
    if signed != stored or sheet.reason != row["reason"] or sheet.signed_at != row["signed_at"]:
        raise _Fail(
            "学級・日付・版・署名者などの記録が署名された内容と違います(入れ替えまたは改ざん)",
            "its class, date, revision or signer columns differ from the signed content (swapped or altered)",
        )
    try:
        signed_entries = sorted([e["student"], e["no"], e["status"], e["note"]] for e in raw_entries)
        stored_entries = sorted(json.loads(entries)) if entries else []
    except (TypeError, KeyError, ValueError) as exc:
        raise _Fail(
            "署名された内容が読めません(改ざん)", "the signed content is unreadable (tampered)"
        ) from exc
    if signed_entries != stored_entries:
        stored_map = {e[0]: e for e in stored_entries}
        for e in signed_entries:
            if stored_map.get(e[0]) != e:
                got = stored_map.get(e[0])
                now = f"{got[2]}" if got else "なし/none"
                raise _Fail(
                    f"出席番号 {e[1]} の記録が署名された内容と違います({e[2]} → {now})",
                    f"the entry of attendance number {e[1]} differs from the signed sheet ({e[2]} → {now})",
                )
        raise _Fail("記録に署名されていない児童生徒があります", "it has entries that were never signed")
    return sheet


def _entries(store: Store, where: str = "", params: tuple[Any, ...] = ()) -> dict[int, str]:
    """sheet id → its entry rows as a JSON array of [student, no, status, note] (built by SQLite)."""
    sql = (
        "SELECT e.sheet_id, json_group_array(json_array(e.student_id, e.attendance_no, e.status, e.note)) "
        "FROM attendance_entries e"
    )
    if where:
        sql += " JOIN attendance_sheets s ON s.id = e.sheet_id WHERE " + where
    return {int(r[0]): str(r[1]) for r in store.conn.execute(sql + " GROUP BY e.sheet_id", params)}


def _check_correction(sheet: SignedSheet, row: Any, previous: tuple[int, str, int] | None) -> None:
    """``previous``: (revision, hash, row id) of the latest earlier revision of that class and day."""
    if sheet.revision == 0:
        if previous is not None or sheet.corrects_hash is not None:
            raise _Fail("訂正ではない版が二重にあります", "there is a second original of that day")
        return
    if (
        previous is None
        or sheet.corrects_revision != previous[0]
        or sheet.corrects_hash != previous[1]
        or sheet.revision != previous[0] + 1
        or row["corrects_id"] != previous[2]
    ):
        raise _Fail(
            "訂正が訂正対象の出席簿を正しく指していません",
            "the correction does not point at the sheet it corrects",
        )


def _check_link(sheet: SignedSheet, expected_prev: str | None) -> None:
    if sheet.prev != expected_prev:
        raise _Fail(
            "直前の出席簿とのつながりが切れています(前の出席簿の削除・改ざん・入れ替え)",
            "it does not link to the sheet before it (that sheet was removed, altered or reordered)",
        )


def _check_audited(recorded: dict[str, Any] | None, digest: str) -> None:
    if recorded is not None and recorded.get("hash") != digest:
        raise _Fail(
            "押印時に監査記録へ記録された出席簿と違います(差し替え)",
            "it differs from the sheet recorded in the audit log when it was sealed (replaced)",
        )


def _audited(store: Store) -> dict[int, dict[str, Any]]:
    rows = store.query(
        "SELECT detail FROM audit_log WHERE action IN ('attendance.seal', 'attendance.correct')"
    )
    found: dict[int, dict[str, Any]] = {}
    for r in rows:
        detail = json.loads(r["detail"])
        if isinstance(detail, dict) and isinstance(detail.get("seq"), int):
            found[int(detail["seq"])] = detail
    return found


def _audited_ref(detail: dict[str, Any], labels: dict[int, str], seq: int) -> SheetRef:
    class_id = int(detail.get("class_id", 0))
    return SheetRef(
        class_id,
        labels.get(class_id, f"学級{class_id}"),
        str(detail.get("date", "?")),
        int(detail.get("revision", 0)),
        seq,
        str(detail.get("hash", "")),
    )


def _labels(store: Store) -> dict[int, str]:
    return {c.id: c.label for c in classes.list_classes(store)}


def verify(store: Store) -> Verification:
    """Walk the whole school chain; the first failing sheet and why, or ok."""
    labels = _labels(store)
    keys = signing.public_keys(store)
    entries = _entries(store)
    audited = _audited(store)
    from storage import retention  # purged ranges: signed checkpoints (storage.retention)

    expected_seq, expected_prev = retention.attendance_checkpoint(store)
    latest: dict[tuple[int, str], tuple[int, str, int]] = {}
    count = 0
    for row in store.conn.execute(f"SELECT {_COLUMNS} FROM attendance_sheets ORDER BY chain_seq"):
        seq = int(row["chain_seq"])
        ref = _ref(row, labels)
        if seq != expected_seq:
            missing = audited.get(expected_seq)
            if missing is not None:
                return Verification(
                    False,
                    count,
                    _audited_ref(missing, labels, expected_seq),
                    "この出席簿が削除されています",
                    "this sheet has been deleted",
                )
            return Verification(
                False,
                count,
                ref,
                f"直前の出席簿(連鎖 {expected_seq} 番目)が削除されています",
                f"the sheet before it (chain #{expected_seq}) has been deleted",
            )
        try:
            sheet = _check_sheet(store.store_id, row, entries.get(int(row["id"])), keys)
            _check_link(sheet, expected_prev)
            day = (int(row["class_id"]), str(row["date"]))
            _check_correction(sheet, row, latest.get(day))
            _check_audited(audited.get(seq), str(row["hash"]))
        except _Fail as fail:
            return Verification(False, count, ref, fail.ja, fail.en)
        latest[day] = (sheet.revision, str(row["hash"]), int(row["id"]))
        expected_prev = str(row["hash"])
        expected_seq += 1
        count += 1
    beyond = sorted(s for s in audited if s >= expected_seq)
    if beyond:
        return Verification(
            False,
            count,
            _audited_ref(audited[beyond[0]], labels, beyond[0]),
            "この出席簿が削除されています(監査記録にはあります)",
            "this sheet has been deleted (the audit log records it)",
        )
    try:
        n_records = records.verify_records(store, labels, keys)
    except RecordFailure as fail:
        return Verification(False, count, None, fail.ja, fail.en, fail.ref)
    return Verification(True, count, records=n_records)


def verify_range(store: Store, class_id: int, start: date, end: date) -> Verification:
    """Check one class's sealed sheets between two dates, and each one's link to the chain."""
    labels = _labels(store)
    keys = signing.public_keys(store)
    where = "s.class_id = ? AND s.date BETWEEN ? AND ?"
    params = (class_id, start.isoformat(), end.isoformat())
    entries = _entries(store, where, params)
    rows = store.query(
        f"SELECT {_S_COLUMNS} FROM attendance_sheets s WHERE {where} ORDER BY s.chain_seq",
        params,
    )
    previous_seqs = sorted({int(r["chain_seq"]) - 1 for r in rows})
    before = _hashes(store, previous_seqs)
    before[0] = canonical.genesis_hash(store.store_id)
    from storage import retention  # a purged prefix: link to its signed checkpoint

    start_seq, start_prev = retention.attendance_checkpoint(store)
    before[start_seq - 1] = start_prev
    latest: dict[str, tuple[int, str, int]] = {}
    for count, row in enumerate(rows):
        ref = _ref(row, labels)
        try:
            sheet = _check_sheet(store.store_id, row, entries.get(int(row["id"])), keys)
            _check_link(sheet, before.get(int(row["chain_seq"]) - 1))
            _check_correction(sheet, row, latest.get(str(row["date"])))
        except _Fail as fail:
            return Verification(False, count, ref, fail.ja, fail.en)
        latest[str(row["date"])] = (sheet.revision, str(row["hash"]), int(row["id"]))
    return Verification(True, len(rows))


def _hashes(store: Store, seqs: Iterable[int]) -> dict[int, str]:
    wanted = [s for s in seqs if s >= 1]
    found: dict[int, str] = {}
    for i in range(0, len(wanted), 500):
        part = wanted[i : i + 500]
        marks = ",".join("?" * len(part))
        for r in store.query(
            f"SELECT chain_seq, hash FROM attendance_sheets WHERE chain_seq IN ({marks})", part
        ):
            found[int(r["chain_seq"])] = str(r["hash"])
    return found


__all__ = ["Entry", "Verification", "verify", "verify_range"]
