"""Ledger imports: OCR drafts waiting for review, duplicate detection, one-transaction commit.

Nothing reaches the students table before a person commits: the extractor's output
is kept as an encrypted draft (with page images for the review screen's cell crops);
the commit stores every row in one transaction with one audit entry naming the file,
pages and rows, then drops the draft's images and its copy of the data.
"""

from __future__ import annotations

import json
import unicodedata
from dataclasses import dataclass
from typing import Any, Literal

from ocr import fields as parse
from ocr import reading
from ocr.errors import FieldError
from ocr.fields import to_katakana
from storage import students
from storage.clock import now_iso
from storage.errors import InputError, NotFoundError
from storage.store import Store

#: extractor field name → StudentData attribute
FIELD_TO_ATTR = {
    "family_name": "family_name",
    "given_name": "given_name",
    "family_kana": "family_kana",
    "given_kana": "given_kana",
    "sex": "sex",
    "birth_date": "birth_date",
    "guardian": "guardian_name",
    "address": "address",
    "phone": "phone",
    "previous_school": "previous_school",
}
REQUIRED = ("family_name", "given_name", "family_kana", "given_kana", "sex", "birth_date")


@dataclass(frozen=True)
class DraftInfo:
    id: int
    file_name: str
    file_sha256: str
    pages: int
    rows: int
    flagged: int
    status: str
    created_by: str
    created_at: str


def count_flagged(result: dict[str, Any]) -> int:
    return sum(
        1
        for record in result.get("records", [])
        for value in record.get("fields", {}).values()
        if isinstance(value, dict) and value.get("needs_review")
    )


COLUMN_MISSING = "import.column_missing"
KANA_FROM_DICTIONARY = "import.kana_from_dictionary"


def with_required_cells(result: dict[str, Any]) -> dict[str, Any]:
    """``result`` with an empty, flagged cell wherever a record lacks a field the store requires
    (a ledger printed without ふりがな, 性別 or 生年月日): such a ledger becomes a draft whose
    reviewer types them in, instead of an import the store refuses at its first row.  Missing
    ふりがな are offered the dictionary reading of the name beside them (still flagged: a name has
    many readings), so the reviewer mostly confirms instead of typing."""
    records = []
    for record in result.get("records", []):
        fields = dict(record.get("fields", {}))
        for name in REQUIRED:
            if name in fields:
                continue
            offered = _reading_of(fields.get(name.replace("_kana", "_name"))) if name.endswith("_kana") else ""
            fields[name] = {
                "value": offered,
                "confidence": 0.0,
                "needs_review": True,
                "reasons": [KANA_FROM_DICTIONARY if offered else COLUMN_MISSING],
                "page": record.get("page", 1),
                "bbox": None,
            }
        records.append({**record, "fields": fields})
    return {**result, "records": records}


def _reading_of(name: object) -> str:
    """The dictionary reading (katakana) of a name cell's value, or "" when it has none."""
    value = name.get("value") if isinstance(name, dict) else None
    return (reading.reading(value) or "") if isinstance(value, str) and value else ""


def _info(row: Any) -> DraftInfo:
    return DraftInfo(
        int(row["id"]), row["file_name"], row["file_sha256"], int(row["pages"]), int(row["rows"]),
        int(row["flagged"]), row["status"], row["created_by"], row["created_at"],
    )


def save_draft(
    store: Store, *, file_name: str, file_sha256: str, result: dict[str, Any], page_images: list[bytes]
) -> int:
    """Keep an extraction for review. ``page_images[i]`` is page i+1 as PNG (bboxes refer to it)."""
    store.require_admin("import.draft")
    pages = int(result.get("pages") or len(page_images) or 1)
    now = now_iso()
    with store.transaction():
        cur = store.execute(
            "INSERT INTO import_drafts (file_name, file_sha256, pages, rows, flagged, result, created_by, "
            "created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (
                file_name, file_sha256, pages, len(result.get("records", [])), count_flagged(result),
                json.dumps(result, ensure_ascii=False), store.user.login, now, now,
            ),
        )
        draft_id = int(cur.lastrowid)
        for number, image in enumerate(page_images, start=1):
            store.execute(
                "INSERT INTO import_draft_pages (draft_id, page, image) VALUES (?, ?, ?)", (draft_id, number, image)
            )
        store.audit(
            "import.draft", draft_id=draft_id, file=file_name, sha256=file_sha256, pages=pages,
            rows=len(result.get("records", [])),
        )
    return draft_id


def update_draft(store: Store, draft_id: int, result: dict[str, Any]) -> None:
    """Save the reviewer's work so far (called after every edited cell)."""
    _open_draft(store, draft_id)
    with store.transaction():
        store.execute(
            "UPDATE import_drafts SET result = ?, rows = ?, flagged = ?, updated_at = ? WHERE id = ?",
            (
                json.dumps(result, ensure_ascii=False), len(result.get("records", [])), count_flagged(result),
                now_iso(), draft_id,
            ),
        )


def _open_draft(store: Store, draft_id: int) -> DraftInfo:
    row = store.query_one("SELECT * FROM import_drafts WHERE id = ?", (draft_id,))
    if row is None or row["status"] != "open":
        raise NotFoundError("import.draft_missing", "その取込データはありません", "No such open import draft")
    return _info(row)


def list_drafts(store: Store) -> list[DraftInfo]:
    store.require_admin("import.list")
    rows = store.query("SELECT * FROM import_drafts WHERE status = 'open' ORDER BY id")
    return [_info(r) for r in rows]


def load_draft(store: Store, draft_id: int) -> tuple[DraftInfo, dict[str, Any]]:
    store.require_admin("import.review")
    info = _open_draft(store, draft_id)
    row = store.query_one("SELECT result FROM import_drafts WHERE id = ?", (draft_id,))
    store.audit("students.read", view="import review", count=info.rows, draft_id=draft_id)
    return info, json.loads(row["result"])


def page_image(store: Store, draft_id: int, page: int) -> bytes | None:
    row = store.query_one("SELECT image FROM import_draft_pages WHERE draft_id = ? AND page = ?", (draft_id, page))
    return None if row is None else bytes(row["image"])


def discard_draft(store: Store, draft_id: int) -> None:
    info = _open_draft(store, draft_id)
    with store.transaction():
        store.execute("DELETE FROM import_draft_pages WHERE draft_id = ?", (draft_id,))
        store.execute(
            "UPDATE import_drafts SET status = 'discarded', result = '{}', updated_at = ? WHERE id = ?",
            (now_iso(), draft_id),
        )
        store.audit("import.discard", draft_id=draft_id, file=info.file_name)


# --- from OCR records to students -------------------------------------------------------


def record_values(record: dict[str, Any]) -> dict[str, str]:
    """The text of each field of one extractor record (missing fields are empty)."""
    out: dict[str, str] = {}
    for name, value in record.get("fields", {}).items():
        raw = value.get("value") if isinstance(value, dict) else value
        out[name] = "" if raw is None else str(raw)
    return out


def normalise_field(name: str, text: str) -> str:
    """A reviewer's value for one field, checked with the OCR pipeline's own parsers.

    Returns the canonical text or raises InputError saying what is wrong.
    """
    value = text.strip()
    try:
        if name in ("family_kana", "given_kana"):
            return parse.parse_kana(value)
        if name == "sex":
            return parse.parse_sex(value)
        if name == "birth_date":
            return parse.parse_date(value).isoformat()
        if name == "phone":
            return parse.parse_phone(value) if value else ""
        if name == "no":
            return str(parse.parse_no(value))
    except (FieldError, ValueError) as exc:
        raise InputError(
            f"field.{name}_invalid", f"「{text}」は使えません: {exc}", f"'{text}' is not valid: {exc}"
        ) from exc
    if name in ("family_name", "given_name"):
        cleaned = parse.clean_text(value).replace(" ", "")
    else:
        cleaned = " ".join(unicodedata.normalize("NFKC", value).split())
    if name in REQUIRED and not cleaned:
        raise InputError(f"field.{name}_empty", "空欄にはできません", "This field cannot be empty")
    return cleaned


def to_student_data(values: dict[str, str]) -> students.StudentData:
    kwargs = {attr: values.get(field, "") for field, attr in FIELD_TO_ATTR.items()}
    return students.StudentData(**kwargs, status="planned")


def find_duplicates(store: Store, candidates: list[students.StudentData]) -> dict[int, list[students.Student]]:
    """Existing students with the same name and birth date, or the same kana and birth date."""
    found: dict[int, list[students.Student]] = {}
    for index, data in enumerate(candidates):
        name = "".join((data.family_name + data.given_name).split())
        kana = to_katakana("".join((data.family_kana + data.given_kana).split()))
        try:
            birth = students.validate_birth_date(data.birth_date)
        except InputError:
            continue
        rows = store.query(
            "SELECT id FROM students WHERE birth_date = ? AND "
            "(family_name || given_name = ? OR family_kana || given_kana = ?)",
            (birth, name, kana),
        )
        if rows:
            found[index] = [students.get_student(store, int(r["id"]), view="import duplicates") for r in rows]
    return found


@dataclass(frozen=True)
class Decision:
    action: Literal["add", "skip", "merge"] = "add"
    merge_into: int | None = None


@dataclass(frozen=True)
class ImportRow:
    page: int
    row: int
    data: students.StudentData
    decision: Decision = Decision()


@dataclass(frozen=True)
class ImportSummary:
    import_id: int
    added: int
    merged: int
    skipped: int
    student_ids: tuple[int, ...]


_MERGE_FIELDS = ("guardian_name", "address", "phone", "previous_school")


def commit_import(
    store: Store, *, file_name: str, file_sha256: str, pages: int, rows: list[ImportRow], draft_id: int | None = None
) -> ImportSummary:
    """Store every row in one transaction, or nothing (InputError naming the page and row)."""
    store.require_admin("import.commit")
    if draft_id is not None:
        _open_draft(store, draft_id)
    validated: list[tuple[ImportRow, dict[str, Any]]] = []
    for item in rows:
        if item.decision.action == "skip":
            validated.append((item, {}))
            continue
        try:
            validated.append((item, students.validate(item.data)))
        except InputError as exc:
            raise InputError(
                exc.code,
                f"{item.page}ページ {item.row}行目: {exc.message_ja}",
                f"page {item.page}, row {item.row}: {exc.message_en}",
            ) from exc
    added = merged = skipped = 0
    ids: list[int] = []
    with store.transaction():
        for item, values in validated:
            if item.decision.action == "skip":
                skipped += 1
            elif item.decision.action == "merge" and item.decision.merge_into is not None:
                target = students.get_student(store, item.decision.merge_into, view="import merge")
                changes = {k: values[k] for k in _MERGE_FIELDS if values.get(k) and values[k] != getattr(target, k)}
                if changes:
                    sets = ", ".join(f"{k} = ?" for k in changes)
                    store.execute(
                        f"UPDATE students SET {sets}, updated_at = ? WHERE id = ?",
                        [*changes.values(), now_iso(), target.id],
                    )
                ids.append(target.id)
                merged += 1
            else:
                ids.append(students.add_student(store, item.data, source=f"import:{file_name}"))
                added += 1
        cur = store.execute(
            "INSERT INTO imports (draft_id, file_name, file_sha256, pages, added, merged, skipped, committed_by, "
            "committed_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (draft_id, file_name, file_sha256, pages, added, merged, skipped, store.user.login, now_iso()),
        )
        import_id = int(cur.lastrowid)
        if draft_id is not None:
            store.execute("DELETE FROM import_draft_pages WHERE draft_id = ?", (draft_id,))
            store.execute(
                "UPDATE import_drafts SET status = 'committed', result = '{}', updated_at = ? WHERE id = ?",
                (now_iso(), draft_id),
            )
        store.audit(
            "import.commit", import_id=import_id, file=file_name, sha256=file_sha256, pages=pages,
            rows=[[i.page, i.row] for i, _ in validated], added=added, merged=merged, skipped=skipped,
        )
    return ImportSummary(import_id, added, merged, skipped, tuple(ids))
