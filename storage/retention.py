"""Retention (保存期間) per record kind, the report of what fell due, and audited, signed purges.

Defaults follow the law (学校教育法施行規則 第28条) and the ledger workflow:

- ``attendance`` 出席簿: 5 years after the end of the school year (年度) of the day;
- ``student_record`` 指導要録 学籍に関する記録: 20 years after the student left (``left_on``);
- ``ledger_images`` 入学予定者名簿の画像: until the draft was reviewed and imported (or discarded);
- ``audit`` 監査ログ: as long as the records it covers (reported, never purged here).

Administrators may lengthen a period, never shorten it below the law (:func:`set_years`).

**Purge.** :func:`purge` removes what fell due and writes a *purge record*: RFC 8785 JSON stating
the kind, how many, which years (and for the attendance register the chain range removed and
the hash of its last sheet), signed with the purging administrator's Ed25519 key
(``storage.signing``), chained to the previous purge record, kept in ``retention_purges``
(immutable by triggers) and audited (``retention.purge`` with the record's hash). The audit log
itself is never shortened, so ``audit verify`` is unaffected.

The attendance register is one hash chain, so only a *prefix* of it can go: the sheets from the
start of the (remaining) chain up to the first one not yet due, never a sheet that a later
correction still points at, and never the newest sheet (the chain's head stays, so the next
seal links on). :func:`attendance_checkpoint` is the hook ``storage.attendance.chain`` calls: the
first chain position still expected and the hash it must link to, taken from the verified purge
records; a forged or altered purge record is ignored, so the chain then fails verification.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

import rfc8785
from cryptography.exceptions import InvalidSignature

from storage import db, signing
from storage.attendance import canonical
from storage.clock import now_iso, school_year_of
from storage.errors import InputError, PolicyError
from storage.store import Store

RECORD_TYPE = "gakuseki.retention.purge"
RECORD_VERSION = 1


@dataclass(frozen=True)
class Rule:
    years: int  # the legal default (minimum); 0: not time-based
    label_ja: str
    label_en: str
    rule_ja: str
    rule_en: str


RULES: dict[str, Rule] = {
    "attendance": Rule(5, "出席簿", "attendance register", "年度末から{n}年", "{n} years after the school year"),
    "student_record": Rule(
        20, "指導要録(学籍に関する記録)", "cumulative record (enrolment)", "転退学・卒業から{n}年",
        "{n} years after leaving",
    ),
    "ledger_images": Rule(
        0, "名簿の画像(取込)", "ledger images (imports)", "確認・取込が済むまで", "until reviewed and imported",
    ),
    "audit": Rule(0, "監査ログ", "audit log", "対象の記録がある限り", "as long as the records it covers"),
}
PURGEABLE = ("attendance", "ledger_images", "student_record")


def years_for(store: Store, kind: str) -> int:
    rule = RULES[kind]
    row = store.query_one("SELECT value FROM meta WHERE key = ?", (f"setting.retention_{kind}_years",))
    return int(row["value"]) if row is not None else rule.years


def set_years(store: Store, kind: str, years: int) -> None:
    """Lengthen a retention period (administrators; audited). Never below the legal default."""
    store.require_admin("retention.set")
    rule = RULES.get(kind)
    if rule is None or rule.years == 0:
        raise InputError(
            "retention.kind_invalid",
            f"「{kind}」の保存年数は変更できません(attendance, student_record)",
            f"The retention period of '{kind}' cannot be set (attendance, student_record)",
        )
    if not rule.years <= years <= 100:
        raise InputError(
            "retention.years_invalid",
            f"{rule.label_ja}の保存年数は法定の{rule.years}年以上、100年以下です",
            f"The retention of the {rule.label_en} must be between the legal {rule.years} and 100 years",
        )
    with store.transaction():
        store.execute(
            "INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
            (f"setting.retention_{kind}_years", str(years)),
        )
        store.audit("retention.set", kind=kind, years=years)


# --- what falls due ---------------------------------------------------------------------------


@dataclass(frozen=True)
class KindReport:
    kind: str
    label_ja: str
    label_en: str
    rule_ja: str
    rule_en: str
    held: int  # records (sheets, students, pages, entries) held now
    due: int  # past their retention period
    purgeable: int  # of those, what a purge removes now
    years: tuple[int, ...]  # the years (school years, years of leaving, years of import) due
    note_ja: str = ""
    note_en: str = ""

    def as_json(self) -> dict[str, Any]:
        return {
            "kind": self.kind, "label_ja": self.label_ja, "label_en": self.label_en, "rule_ja": self.rule_ja,
            "rule_en": self.rule_en, "held": self.held, "due": self.due, "purgeable": self.purgeable,
            "years": list(self.years), "note_ja": self.note_ja, "note_en": self.note_en,
        }


def _add_years(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


def _attendance_cutoff_passed(day: str, years: int, today: date) -> bool:
    school_year = school_year_of(date.fromisoformat(day))
    return today >= date(school_year + 1 + years, 4, 1)


@dataclass
class _AttendancePlan:
    held: int = 0
    due: int = 0
    rows: list[Any] = field(default_factory=list)  # the prefix to purge, in chain order
    years: set[int] = field(default_factory=set)
    blocked: int = 0


def _attendance_plan(store: Store, today: date) -> _AttendancePlan:
    years = years_for(store, "attendance")
    rows = store.query(
        "SELECT id, chain_seq, date, corrects_id, hash, class_id FROM attendance_sheets ORDER BY chain_seq"
    )
    plan = _AttendancePlan(held=len(rows))
    flags = [_attendance_cutoff_passed(str(r["date"]), years, today) for r in rows]
    plan.due = sum(flags)
    end = next((i for i, f in enumerate(flags) if not f), len(rows))
    end = min(end, len(rows) - 1) if rows else 0  # the chain's head always stays
    position = {int(r["id"]): i for i, r in enumerate(rows)}
    changed = True
    while changed and end > 0:  # a later correction must not point into the purged range
        changed = False
        for r in rows[end:]:
            target = r["corrects_id"]
            if target is not None and position.get(int(target), len(rows)) < end:
                end = position[int(target)]
                changed = True
    plan.rows = rows[:end]
    plan.years = {school_year_of(date.fromisoformat(str(r["date"]))) for r in plan.rows}
    plan.blocked = plan.due - len(plan.rows)
    return plan


def _student_plan(store: Store, today: date) -> tuple[int, list[Any], list[Any]]:
    """(students held, due and purgeable, due but blocked by attendance still kept)."""
    years = years_for(store, "student_record")
    held = int(store.query_one("SELECT count(*) AS n FROM students")["n"])
    rows = store.query(
        "SELECT s.id, s.left_on, EXISTS (SELECT 1 FROM attendance_entries e WHERE e.student_id = s.id) AS kept "
        "FROM students s WHERE s.status IN ('left', 'graduated') AND s.left_on IS NOT NULL ORDER BY s.id"
    )
    due = []
    for r in rows:
        try:
            left = date.fromisoformat(str(r["left_on"]))
        except ValueError:
            continue
        if today >= _add_years(left, years):
            due.append(r)
    return held, [r for r in due if not r["kept"]], [r for r in due if r["kept"]]


def _image_plan(store: Store) -> tuple[int, list[Any]]:
    held = int(store.query_one("SELECT count(*) AS n FROM import_draft_pages")["n"])
    rows = store.query(
        "SELECT p.draft_id, count(*) AS pages, min(d.created_at) AS created_at FROM import_draft_pages p "
        "JOIN import_drafts d ON d.id = p.draft_id WHERE d.status != 'open' GROUP BY p.draft_id ORDER BY p.draft_id"
    )
    return held, list(rows)


def report(store: Store, today: date | None = None) -> list[KindReport]:
    """What each rule holds and what fell due (administrators; audited)."""
    store.require_admin("retention.report")
    today = today or date.today()
    found: list[KindReport] = []

    def label(kind: str) -> tuple[str, str, str, str]:
        rule, n = RULES[kind], years_for(store, kind)
        return rule.label_ja, rule.label_en, rule.rule_ja.format(n=n), rule.rule_en.format(n=n)

    plan = _attendance_plan(store, today)
    note = ("", "")
    if plan.blocked:
        note = (
            f"{plan.blocked}枚は後の出席簿・訂正と連鎖しているため、まだ廃棄できません",
            f"{plan.blocked} due sheets are chained before sheets still kept (or corrected later) and wait",
        )
    found.append(KindReport("attendance", *label("attendance"), plan.held, plan.due, len(plan.rows),
                            tuple(sorted(plan.years)), *note))
    held, due, blocked = _student_plan(store, today)
    note = ("", "")
    if blocked:
        note = (
            f"{len(blocked)}人は出席簿がまだ保管されているため、出席簿の廃棄後に廃棄できます",
            f"{len(blocked)} students still have attendance kept; they can go after it is purged",
        )
    years = tuple(sorted({int(str(r["left_on"])[:4]) for r in due + blocked}))
    found.append(KindReport("student_record", *label("student_record"), held, len(due) + len(blocked), len(due),
                            years, *note))
    pages, drafts = _image_plan(store)
    count = sum(int(r["pages"]) for r in drafts)
    found.append(KindReport(
        "ledger_images", *label("ledger_images"), pages, count, count,
        tuple(sorted({int(str(r["created_at"])[:4]) for r in drafts})),
        "確認中の取込の画像は保管します" if pages > count else "",
        "images of drafts still under review are kept" if pages > count else "",
    ))
    entries = int(store.query_one("SELECT count(*) AS n FROM audit_log")["n"])
    found.append(KindReport(
        "audit", *label("audit"), entries, 0, 0, (),
        "監査ログは廃棄しません(廃棄の記録も監査ログに残ります)",
        "the audit log is not purged (purges are recorded in it too)",
    ))
    store.audit("retention.report", due={r.kind: r.due for r in found}, purgeable={r.kind: r.purgeable for r in found})
    return found


# --- purge --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class PurgeResult:
    kind: str
    count: int
    years: tuple[int, ...]
    record_hash: str


def genesis_hash(store_id: str) -> str:
    return hashlib.sha256(f"gakuseki-retention-genesis|{store_id}".encode()).hexdigest()


def _head(store: Store) -> str:
    row = store.query_one("SELECT hash FROM retention_purges ORDER BY id DESC LIMIT 1")
    return genesis_hash(store.store_id) if row is None else str(row["hash"])


def _write_record(store: Store, kind: str, count: int, years: Sequence[int], detail: dict[str, Any]) -> PurgeResult:
    key_id, private = signing.private_key(store)
    school = store.query_one("SELECT school_code FROM school WHERE id = 1")
    prev = _head(store)
    purged_at = now_iso()
    record: dict[str, Any] = {
        "type": RECORD_TYPE, "v": RECORD_VERSION, "store": store.store_id, "school": str(school["school_code"]),
        "kind": kind, "purged_at": purged_at, "signer_user": store.user.id, "signer_login": store.user.login,
        "key_id": key_id, "count": count, "years": sorted(years), "prev": prev, "detail": detail,
    }
    data = bytes(rfc8785.dumps(record))
    digest = hashlib.sha256(data).hexdigest()
    store.execute(
        "INSERT INTO retention_purges (kind, purged_at, signer_id, key_id, prev_hash, hash, canonical, signature) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        (kind, purged_at, store.user.id, key_id, prev, digest, data, private.sign(data)),
    )
    store.audit("retention.purge", kind=kind, count=count, years=sorted(years), record_hash=digest,
                **{k: v for k, v in detail.items() if k != "student_ids"})
    return PurgeResult(kind, count, tuple(sorted(years)), digest)


def _without_triggers(store: Store, names: Sequence[str]) -> list[str]:
    """Drop the named triggers (inside the caller's transaction); their SQL to recreate them."""
    saved = []
    for name in names:
        row = store.query_one("SELECT sql FROM sqlite_master WHERE type = 'trigger' AND name = ?", (name,))
        if row is not None:
            saved.append(str(row["sql"]))
            store.execute(f'DROP TRIGGER "{name}"')
    return saved


def _purge_attendance(store: Store, today: date) -> PurgeResult | None:
    plan = _attendance_plan(store, today)
    if not plan.rows:
        return None
    first, last = plan.rows[0], plan.rows[-1]
    ids = [int(r["id"]) for r in plan.rows]
    entries = 0
    with store.transaction():
        saved = _without_triggers(store, ["attendance_entries_no_delete", "attendance_sheets_no_delete"])
        for i in range(0, len(ids), 500):
            part = ids[i : i + 500]
            marks = ",".join("?" * len(part))
            entries += store.execute(f"DELETE FROM attendance_entries WHERE sheet_id IN ({marks})", part).rowcount
        store.execute("DELETE FROM attendance_sheets WHERE chain_seq <= ?", (int(last["chain_seq"]),))
        for sql in saved:
            store.execute(sql)
        return _write_record(store, "attendance", len(ids), sorted(plan.years), {
            "first_seq": int(first["chain_seq"]), "last_seq": int(last["chain_seq"]), "last_hash": str(last["hash"]),
            "sheets": len(ids), "entries": entries, "classes": sorted({int(r["class_id"]) for r in plan.rows}),
        })


def _purge_students(store: Store, today: date) -> PurgeResult | None:
    _held, due, _blocked = _student_plan(store, today)
    if not due:
        return None
    ids = [int(r["id"]) for r in due]
    years = sorted({int(str(r["left_on"])[:4]) for r in due})
    try:
        with store.transaction():
            for i in range(0, len(ids), 500):
                part = ids[i : i + 500]
                marks = ",".join("?" * len(part))
                for table in ("attendance_marks", "class_memberships", "student_access", "students"):
                    column = "id" if table == "students" else "student_id"
                    store.execute(f"DELETE FROM {table} WHERE {column} IN ({marks})", part)
            return _write_record(store, "student_record", len(ids), years, {"student_ids": ids})
    except db.IntegrityError as exc:
        raise PolicyError(
            "retention.student_referenced",
            "保存期間を過ぎた児童生徒の記録が、まだ保管中の他の記録から参照されているため廃棄できません",
            "Students past their retention are still referenced by other records kept; nothing was purged",
        ) from exc


def _purge_images(store: Store) -> PurgeResult | None:
    _pages, drafts = _image_plan(store)
    if not drafts:
        return None
    ids = [int(r["draft_id"]) for r in drafts]
    years = sorted({int(str(r["created_at"])[:4]) for r in drafts})
    with store.transaction():
        pages = 0
        for i in range(0, len(ids), 500):
            part = ids[i : i + 500]
            marks = ",".join("?" * len(part))
            pages += store.execute(f"DELETE FROM import_draft_pages WHERE draft_id IN ({marks})", part).rowcount
        return _write_record(store, "ledger_images", pages, years, {"drafts": ids, "pages": pages})


def purge(store: Store, kinds: Sequence[str] | None = None, today: date | None = None) -> list[PurgeResult]:
    """Purge what fell due (administrators, opened with their own passphrase: the purge record
    is signed). One signed, audited record per kind purged."""
    store.require_admin("retention.purge")
    chosen = list(PURGEABLE if kinds is None else kinds)
    unknown = [k for k in chosen if k not in PURGEABLE]
    if unknown:
        raise InputError(
            "retention.kind_invalid",
            f"廃棄できる種類は {', '.join(PURGEABLE)} です({', '.join(unknown)})",
            f"The kinds that can be purged are {', '.join(PURGEABLE)} (not {', '.join(unknown)})",
        )
    signing.private_key(store)  # refuse a session that cannot sign before anything is removed
    today = today or date.today()
    done: list[PurgeResult] = []
    # attendance first: students whose sheets go now may become purgeable in the same run
    if "attendance" in chosen and (result := _purge_attendance(store, today)) is not None:
        done.append(result)
    if "student_record" in chosen and (result := _purge_students(store, today)) is not None:
        done.append(result)
    if "ledger_images" in chosen and (result := _purge_images(store)) is not None:
        done.append(result)
    return done


# --- verification -----------------------------------------------------------------------------


@dataclass(frozen=True)
class PurgeCheck:
    ok: bool
    records: tuple[dict[str, Any], ...]
    reason_ja: str = ""
    reason_en: str = ""


def verify_purges(store: Store) -> PurgeCheck:
    """Check every purge record: bytes, hash, chain, signature, signer's key, store, audit entry."""
    keys = signing.public_keys(store)
    audited = set()
    for r in store.query("SELECT detail FROM audit_log WHERE action = 'retention.purge'"):
        detail = json.loads(r["detail"])
        if isinstance(detail, dict) and isinstance(detail.get("record_hash"), str):
            audited.add(detail["record_hash"])
    expected_prev = genesis_hash(store.store_id)
    records: list[dict[str, Any]] = []
    next_seq = 1
    for row in store.query(
        "SELECT id, kind, purged_at, signer_id, key_id, prev_hash, hash, canonical, signature "
        "FROM retention_purges ORDER BY id"
    ):
        data = bytes(row["canonical"])
        problem = _record_problem(store, row, data, keys, expected_prev, audited)
        if problem is None:
            record = json.loads(data)
            if record["kind"] == "attendance":
                detail = record["detail"]
                if detail.get("first_seq") != next_seq or not isinstance(detail.get("last_seq"), int):
                    problem = ("出席簿の廃棄範囲が連続していません", "the purged attendance ranges are not contiguous")
                else:
                    next_seq = int(detail["last_seq"]) + 1
        if problem is not None:
            return PurgeCheck(False, tuple(records), f"廃棄記録 {row['id']}: {problem[0]}",
                              f"purge record {row['id']}: {problem[1]}")
        records.append(json.loads(data))
        expected_prev = str(row["hash"])
    return PurgeCheck(True, tuple(records))


def _record_problem(
    store: Store, row: Any, data: bytes, keys: dict[str, signing.PublicKeyInfo], prev: str, audited: set[str]
) -> tuple[str, str] | None:
    if hashlib.sha256(data).hexdigest() != row["hash"]:
        return "内容が署名時と違います(ハッシュ不一致)", "its content differs from what was signed (hash mismatch)"
    try:
        record = json.loads(data)
        fields = (record["type"], record["v"], record["store"], record["kind"], record["purged_at"],
                  record["signer_user"], record["key_id"], record["prev"])
    except (ValueError, KeyError, TypeError) as exc:
        return f"読めません({exc})", f"unreadable ({exc})"
    if not isinstance(record.get("detail"), dict):
        return "読めません(detail)", "unreadable (detail)"
    if fields[:3] != (RECORD_TYPE, RECORD_VERSION, store.store_id):
        return "別のストアの記録です", "it belongs to another store"
    if fields[3:] != (row["kind"], row["purged_at"], row["signer_id"], row["key_id"], row["prev_hash"]):
        return "記録の列が署名された内容と違います", "its columns differ from the signed content"
    if record["prev"] != prev:
        return "前の廃棄記録とのつながりが切れています", "it does not link to the purge record before it"
    key = keys.get(str(record["key_id"]))
    if key is None or key.user_id != record["signer_user"] or not key.valid_at(str(record["purged_at"])):
        return "署名者の有効な鍵ではありません", "it is not signed with the signer's valid key"
    try:
        key.public_key.verify(bytes(row["signature"]), data)
    except InvalidSignature:
        return "署名が一致しません(改ざん)", "the signature does not match (tampered)"
    if row["hash"] not in audited:
        return "監査ログに廃棄の記録がありません", "the audit log has no entry for this purge"
    return None


def attendance_checkpoint(store: Store) -> tuple[int, str]:
    """Where the attendance chain starts after purges: (first chain_seq expected, the hash it
    links to). Without (valid) purge records: (1, the genesis hash)."""
    start = (1, canonical.genesis_hash(store.store_id))
    if not store.query_one("SELECT 1 FROM retention_purges WHERE kind = 'attendance' LIMIT 1"):
        return start
    checked = verify_purges(store)
    if not checked.ok:
        return start
    ranges = [r["detail"] for r in checked.records if r["kind"] == "attendance"]
    if not ranges:
        return start
    last = ranges[-1]
    if not isinstance(last.get("last_hash"), str):
        return start
    return int(last["last_seq"]) + 1, str(last["last_hash"])
