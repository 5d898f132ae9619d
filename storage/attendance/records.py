"""Signed workflow records of the register: month close (担任), countersign (校長), year seal
and reopen. They stand in for the principal's seal on the paper 出席簿.

Like sheets, a record is RFC 8785 canonical JSON signed with the acting user's Ed25519 key and
kept byte for byte; records form their own hash chain (``seq``/``prev``, genesis derived from
the store id) next to the sheets' chain, and :func:`verify_records` (called by
``attendance.verify``) checks every signature, link and column, that a countersign points at
the close it covers, that the sheets a month record covers are still the ones stored, and that
no sheet was added to a sealed year. Each record is also written to the audit log, so deleting
the newest records is caught.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Any

import rfc8785
from cryptography.exceptions import InvalidSignature

from storage import signing
from storage.clock import now_iso, school_year_of
from storage.errors import PolicyError

if TYPE_CHECKING:
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    from storage.store import Store

TYPE = "gakuseki.attendance.record"
VERSION = 1
MONTH_CLOSE = "month_close"
COUNTERSIGN = "month_countersign"
YEAR_SEAL = "year_seal"
YEAR_REOPEN = "year_reopen"
KINDS = (MONTH_CLOSE, COUNTERSIGN, YEAR_SEAL, YEAR_REOPEN)
_AUDIT = {
    MONTH_CLOSE: "attendance.month_close",
    COUNTERSIGN: "attendance.countersign",
    YEAR_SEAL: "attendance.year_seal",
    YEAR_REOPEN: "attendance.year_reopen",
}
_KIND_JA = {MONTH_CLOSE: "月末締め", COUNTERSIGN: "校長検印", YEAR_SEAL: "年度末封印", YEAR_REOPEN: "封印解除"}
_KIND_EN = {
    MONTH_CLOSE: "month close",
    COUNTERSIGN: "countersignature",
    YEAR_SEAL: "year seal",
    YEAR_REOPEN: "year reopening",
}


def genesis_hash(store_id: str) -> str:
    return hashlib.sha256(f"gakuseki-attendance-records-genesis|{store_id}".encode()).hexdigest()


@dataclass(frozen=True)
class RecordRef:
    """A record as people name it: what, which class and period."""

    kind: str
    class_label: str | None
    period: str
    seq: int
    hash: str

    @property
    def name_ja(self) -> str:
        who = f"{self.class_label} " if self.class_label else ""
        return f"{who}{self.period} {_KIND_JA.get(self.kind, self.kind)}(記録 {self.seq} 番目)"

    @property
    def name_en(self) -> str:
        who = f"{self.class_label} " if self.class_label else ""
        return f"{who}{self.period} {_KIND_EN.get(self.kind, self.kind)} (record #{self.seq})"


@dataclass(frozen=True)
class Record:
    id: int
    seq: int
    kind: str
    class_id: int | None
    period: str
    reason: str | None
    signer_id: int
    signer_login: str
    signed_at: str
    hash: str
    body: dict[str, Any]


# --- writing ------------------------------------------------------------------------------


def append(
    store: Store,
    kind: str,
    period: str,
    body: dict[str, Any],
    key: tuple[str, Ed25519PrivateKey],
    *,
    class_id: int | None = None,
    class_label: str | None = None,
    refers: Record | None = None,
    reason: str | None = None,
) -> Record:
    """Sign and chain one record (the caller holds the transaction); audited."""
    key_id, private = key
    head = store.query_one("SELECT chain_seq, hash FROM attendance_records ORDER BY chain_seq DESC LIMIT 1")
    seq = 1 if head is None else int(head["chain_seq"]) + 1
    prev = genesis_hash(store.store_id) if head is None else str(head["hash"])
    school = store.query_one("SELECT school_code FROM school WHERE id = 1")
    signed_at = now_iso()
    payload: dict[str, Any] = {
        "type": TYPE,
        "v": VERSION,
        "store": store.store_id,
        "school": str(school["school_code"]),
        "seq": seq,
        "prev": prev,
        "kind": kind,
        "class": None if class_id is None else {"id": class_id, "label": class_label},
        "period": period,
        "refers": None if refers is None else {"seq": refers.seq, "hash": refers.hash},
        "reason": reason,
        "body": body,
        "signer": {"user": store.user.id, "login": store.user.login, "key": key_id},
        "signed_at": signed_at,
    }
    data = bytes(rfc8785.dumps(payload))
    digest = hashlib.sha256(data).hexdigest()
    cur = store.execute(
        "INSERT INTO attendance_records (chain_seq, kind, class_id, period, refers_id, reason, signer_id, "
        "key_id, signed_at, prev_hash, hash, canonical, signature) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (
            seq,
            kind,
            class_id,
            period,
            None if refers is None else refers.id,
            reason,
            store.user.id,
            key_id,
            signed_at,
            prev,
            digest,
            data,
            private.sign(data),
        ),
    )
    store.audit(_AUDIT[kind], class_id=class_id, period=period, record_seq=seq, hash=digest, reason=reason)
    return Record(
        int(cur.lastrowid),
        seq,
        kind,
        class_id,
        period,
        reason,
        store.user.id,
        store.user.login,
        signed_at,
        digest,
        body,
    )


# --- reading ------------------------------------------------------------------------------


def records(
    store: Store, *, kind: str | None = None, class_id: int | None = None, period: str | None = None
) -> list[Record]:
    """Records in chain order, filtered."""
    where: list[str] = []
    params: list[Any] = []
    if kind is not None:
        where.append("r.kind = ?")
        params.append(kind)
    if class_id is not None:
        where.append("r.class_id = ?")
        params.append(class_id)
    if period is not None:
        where.append("r.period = ?")
        params.append(period)
    sql = (
        "SELECT r.id, r.chain_seq, r.kind, r.class_id, r.period, r.reason, r.signer_id, u.login, r.signed_at, "
        "r.hash, r.canonical FROM attendance_records r JOIN users u ON u.id = r.signer_id"
    )
    if where:
        sql += " WHERE " + " AND ".join(where)
    found = []
    for r in store.query(sql + " ORDER BY r.chain_seq", params):
        body = json.loads(bytes(r["canonical"]).decode("utf-8")).get("body", {})
        found.append(
            Record(
                int(r["id"]),
                int(r["chain_seq"]),
                str(r["kind"]),
                None if r["class_id"] is None else int(r["class_id"]),
                str(r["period"]),
                r["reason"],
                int(r["signer_id"]),
                str(r["login"]),
                str(r["signed_at"]),
                str(r["hash"]),
                body if isinstance(body, dict) else {},
            )
        )
    return found


def year_bounds(year: int) -> tuple[date, date]:
    return date(year, 4, 1), date(year + 1, 3, 31)


def year_sealed(store: Store, year: int) -> bool:
    return store.query_one("SELECT 1 FROM attendance_sealed_years WHERE year = ?", (year,)) is not None


def require_year_open(store: Store, day: date, operation: str) -> None:
    """Refuse (audited) any change to a day of a sealed school year."""
    year = school_year_of(day)
    if not year_sealed(store, year):
        return
    store.audit_refusal(operation=operation, reason="year sealed", year=year, date=day.isoformat())
    raise PolicyError(
        "attendance.year_sealed",
        f"{year}年度の出席簿は年度末に封印されています。変更するには校長が理由を添えて封印を解除してください"
        f"(`attendance reopen-year --year {year} --reason …`)",
        f"School year {year} is sealed; the principal must reopen it with a reason first "
        f"(`attendance reopen-year --year {year} --reason …`)",
        fix="year_reopen",
    )


# --- verification ---------------------------------------------------------------------------


class RecordFailure(Exception):  # noqa: N818 - carries the failing record
    def __init__(self, ref: RecordRef | None, ja: str, en: str) -> None:
        super().__init__(en)
        self.ref = ref
        self.ja = ja
        self.en = en


def sheets_digest(hashes: list[str]) -> str:
    return hashlib.sha256("\n".join(sorted(hashes)).encode()).hexdigest()


def verify_records(store: Store, labels: dict[int, str], keys: dict[str, signing.PublicKeyInfo]) -> int:
    """Check the records chain; the number of records, or RecordFailure naming the first bad one."""
    audited: dict[int, dict[str, Any]] = {}
    for r in store.query("SELECT detail FROM audit_log WHERE action IN (?, ?, ?, ?)", list(_AUDIT.values())):
        detail = json.loads(r["detail"])
        if isinstance(detail, dict) and isinstance(detail.get("record_seq"), int):
            audited[int(detail["record_seq"])] = detail
    sheets: dict[tuple[int, str, int], str] = {}
    sheet_seq: dict[str, tuple[int, str]] = {}  # hash → (chain seq, date)
    for r in store.conn.execute("SELECT class_id, date, revision, hash, chain_seq FROM attendance_sheets"):
        sheets[(int(r[0]), str(r[1]), int(r[2]))] = str(r[3])
        sheet_seq[str(r[3])] = (int(r[4]), str(r[1]))
    # a retention purge (storage.retention) removes a prefix of the sheet chain: sheets missing
    # below the remaining chain are accounted for by its own signed purge records
    purged = bool(sheet_seq) and min(seq for seq, _d in sheet_seq.values()) > 1
    by_seq: dict[int, tuple[str, int | None, str, str]] = {}  # seq → (kind, class, period, hash)
    sealed_now: dict[int, dict[str, Any]] = {}  # year → body of the seal in force
    expected_prev = genesis_hash(store.store_id)
    count = 0
    rows = store.query(
        "SELECT id, chain_seq, kind, class_id, period, refers_id, reason, signer_id, key_id, signed_at, "
        "prev_hash, hash, canonical, signature FROM attendance_records ORDER BY chain_seq"
    )
    ids = {int(r["id"]): int(r["chain_seq"]) for r in rows}
    for row in rows:
        seq = int(row["chain_seq"])
        class_id = None if row["class_id"] is None else int(row["class_id"])
        ref = RecordRef(
            str(row["kind"]), labels.get(class_id) if class_id else None, str(row["period"]), seq, str(row["hash"])
        )
        if seq != count + 1:
            raise RecordFailure(
                ref,
                f"直前の記録(記録 {count + 1} 番目)が削除されています",
                f"the record before it (record #{count + 1}) has been deleted",
            )
        data = bytes(row["canonical"])
        try:
            signed = json.loads(data.decode("utf-8"))
            signer = signed["signer"]
            body = signed["body"]
            klass = signed["class"]
            refers = signed["refers"]
            readable = signed.get("type") == TYPE and signed.get("v") == VERSION
        except (ValueError, KeyError, TypeError, AttributeError):
            readable = False
        if not readable:
            raise RecordFailure(
                ref, "署名された内容が読めません(改ざん)", "the signed content is unreadable (tampered)"
            )
        if hashlib.sha256(data).hexdigest() != row["hash"]:
            raise RecordFailure(
                ref,
                "内容が署名時のものと違います(ハッシュ不一致)",
                "its content differs from what was signed (hash mismatch)",
            )
        key = keys.get(str(signer.get("key")))
        if key is None:
            raise RecordFailure(ref, "登録されていない鍵で署名されています", "it is signed with an unregistered key")
        try:
            key.public_key.verify(bytes(row["signature"]), data)
        except InvalidSignature:
            raise RecordFailure(
                ref,
                f"署名が{key.login}の鍵と一致しません(内容の改ざん)",
                f"the signature does not match {key.login}'s key (content altered)",
            ) from None
        if (
            key.user_id != signer.get("user")
            or key.login != signer.get("login")
            or not key.valid_at(signed["signed_at"])
        ):
            raise RecordFailure(
                ref,
                "署名者と鍵が一致しないか、鍵が署名時に有効ではありません",
                "the key is not the signer's or was not valid then",
            )
        signed_cols = (
            signed.get("store"),
            signed.get("seq"),
            signed.get("prev"),
            signed.get("kind"),
            None if klass is None else klass.get("id"),
            signed.get("period"),
            signed.get("reason"),
            signer.get("user"),
            signer.get("key"),
            signed.get("signed_at"),
        )
        stored_cols = (
            store.store_id,
            seq,
            str(row["prev_hash"]),
            str(row["kind"]),
            class_id,
            str(row["period"]),
            row["reason"],
            int(row["signer_id"]),
            str(row["key_id"]),
            str(row["signed_at"]),
        )
        if signed_cols != stored_cols:
            raise RecordFailure(
                ref,
                "種類・学級・期間・署名者などの記録が署名された内容と違います(入れ替えまたは改ざん)",
                "its kind, class, period or signer columns differ from the signed content (swapped or altered)",
            )
        if signed["prev"] != expected_prev:
            raise RecordFailure(
                ref,
                "直前の記録とのつながりが切れています(削除・改ざん・入れ替え)",
                "it does not link to the record before it (removed, altered or reordered)",
            )
        recorded = audited.get(seq)
        if recorded is not None and recorded.get("hash") != row["hash"]:
            raise RecordFailure(
                ref, "監査記録にある記録と違います(差し替え)", "it differs from the record in the audit log (replaced)"
            )
        kind = str(row["kind"])
        target = None if row["refers_id"] is None else ids.get(int(row["refers_id"]))
        if (refers is None) != (row["refers_id"] is None) or (
            refers is not None
            and (target != refers.get("seq") or by_seq.get(int(refers["seq"]), ("",))[-1] != refers["hash"])
        ):
            raise RecordFailure(
                ref, "参照先の記録を正しく指していません", "it does not point at the record it refers to"
            )
        if kind == COUNTERSIGN:
            close = by_seq.get(int(refers["seq"])) if refers else None
            if close is None or close[:3] != (MONTH_CLOSE, class_id, str(row["period"])):
                raise RecordFailure(
                    ref,
                    "検印が同じ学級・月の締めを指していません",
                    "the countersignature does not cover that month's close",
                )
        if kind in (MONTH_CLOSE, COUNTERSIGN) and class_id is not None:
            _check_month_sheets(ref, class_id, body, sheets, purged=purged)
        if kind == YEAR_SEAL:
            sealed_now[int(str(row["period"]))] = body
        elif kind == YEAR_REOPEN:
            sealed_now.pop(int(str(row["period"])), None)
        by_seq[seq] = (kind, class_id, str(row["period"]), str(row["hash"]))
        expected_prev = str(row["hash"])
        count += 1
    beyond = sorted(s for s in audited if s > count)
    if beyond:
        detail = audited[beyond[0]]
        raise RecordFailure(
            RecordRef("?", None, str(detail.get("period", "?")), beyond[0], str(detail.get("hash", ""))),
            "この記録が削除されています(監査記録にはあります)",
            "this record has been deleted (the audit log records it)",
        )
    for year, body in sealed_now.items():
        _check_sealed_year(year, body, sheet_seq, by_seq, purged=purged)
    return count


def _check_month_sheets(
    ref: RecordRef, class_id: int, body: dict[str, Any], sheets: dict[tuple[int, str, int], str], *, purged: bool
) -> None:
    covered = body.get("sheets")
    if not isinstance(covered, list):
        raise RecordFailure(ref, "署名された内容が読めません(改ざん)", "the signed content is unreadable (tampered)")
    present = [item for item in covered if (class_id, str(item[0]), int(item[1])) in sheets]
    if not present:
        return  # the month's sheets were all purged after their retention period
    for day, revision, digest in covered:
        stored = sheets.get((class_id, str(day), int(revision)))
        if stored != digest and not (stored is None and purged):
            raise RecordFailure(
                ref,
                f"この記録が覆う {day} 第{revision}版の出席簿が"
                + ("ありません" if stored is None else "差し替えられています"),
                f"the sheet of {day} revision {revision} it covers is {'missing' if stored is None else 'replaced'}",
            )


def _check_sealed_year(
    year: int,
    body: dict[str, Any],
    sheet_seq: dict[str, tuple[int, str]],
    by_seq: dict[int, tuple[str, int | None, str, str]],
    *,
    purged: bool,
) -> None:
    start, end = year_bounds(year)
    head = int(body.get("head_seq", 0))
    in_year = [(seq, h) for h, (seq, day) in sheet_seq.items() if start.isoformat() <= day <= end.isoformat()]
    seal_seq = max(s for s, v in by_seq.items() if v[0] == YEAR_SEAL and v[2] == str(year))
    ref = RecordRef(YEAR_SEAL, None, str(year), seal_seq, by_seq[seal_seq][3])
    late = [seq for seq, _h in in_year if seq > head]
    if late:
        raise RecordFailure(
            ref,
            f"封印後に{year}年度の出席簿が追加されています(連鎖 {min(late)} 番目)",
            f"a sheet of school year {year} was added after the seal (chain #{min(late)})",
        )
    if purged and len(in_year) < int(body.get("sheets", 0)):
        return  # part of the year was purged after its retention period
    if in_year and (
        len(in_year) != body.get("sheets") or sheets_digest([h for _s, h in in_year]) != body.get("digest")
    ):
        raise RecordFailure(
            ref,
            f"封印された{year}年度の出席簿が封印時と違います",
            f"the sheets of sealed school year {year} differ from those sealed",
        )
