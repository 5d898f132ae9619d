"""Board templates: a board of education standardises its schools' forms with a signed package.

The board makes a key pair (``keys``) and signs a template source folder into a package
(``package.build``); the school trusts the board's public key once (:func:`trust_board`,
administrators) and installs packages (:func:`install`). An installed template drives the OCR
column mapping (:func:`header_synonyms`), the attendance symbols (``attendance_symbols``
table) and the OneRoster export profile (``oneroster_profile``) and report options.

The built-in default template (``resources/templates/default/``) is not installed as a
package: with nothing installed every part is at its built-in default (``parts.DEFAULTS``),
which the default source equals (checked by the tests). A board starts from that folder.

Refusals (nothing changes): altered or forged packages and unsafe paths → DamagedError (4);
unsigned, untrusted key, version not newer, too large or too many files, not an
administrator → PolicyError (5); a signed package whose parts break the rules → InputError (2).
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import rfc8785

from storage.attendance import codes
from storage.clock import now_iso
from storage.errors import InputError, PolicyError, StoreError
from storage.store import Store
from storage.templates import keys, package, parts

DEFAULT_SOURCE = Path(__file__).resolve().parents[2] / "resources" / "templates" / "default"


@dataclass(frozen=True)
class BoardKey:
    key_id: str
    name: str
    added_by: str
    added_at: str


@dataclass(frozen=True)
class Installed:
    template_id: str
    version: int
    name: str
    board: str
    board_key_id: str
    installed_by: str
    installed_at: str
    active: bool


def trust_board(store: Store, public_key: bytes, name: str = "") -> BoardKey:
    """Trust a board's Ed25519 public key (PEM or base64 bytes) for template signatures."""
    store.require_admin("template.trust_board")
    raw = keys.parse_public(public_key)
    kid = keys.key_id(raw)
    label = name.strip()[:100]
    if store.query_one("SELECT 1 FROM board_keys WHERE key_id = ?", (kid,)) is not None:
        raise InputError(
            "template.board_known", f"この鍵({kid})は既に信頼済みです", f"This key ({kid}) is already trusted"
        )
    now = now_iso()
    with store.transaction():
        store.execute(
            "INSERT INTO board_keys (key_id, public_key, name, added_by, added_at) VALUES (?, ?, ?, ?, ?)",
            (kid, raw, label, store.user.login, now),
        )
        store.audit("template.trust_board", key_id=kid, name=label)
    return BoardKey(kid, label, store.user.login, now)


def board_keys(store: Store) -> list[BoardKey]:
    return [
        BoardKey(str(r["key_id"]), str(r["name"]), str(r["added_by"]), str(r["added_at"]))
        for r in store.query("SELECT key_id, name, added_by, added_at FROM board_keys ORDER BY added_at")
    ]


def _trusted(store: Store) -> dict[str, bytes]:
    return {str(r["key_id"]): bytes(r["public_key"]) for r in store.query("SELECT key_id, public_key FROM board_keys")}


def install(store: Store, data: bytes) -> Installed:
    """Verify and install a template package (administrators). All or nothing; audited,
    refusals too."""
    store.require_admin("template.install")
    try:
        pkg = package.read(data)
        package.verify(pkg, _trusted(store))
        checked = {name: parts.check_part(name, value) for name, value in pkg.parts.items()}
        top = store.query_one(
            "SELECT max(version) AS v FROM templates WHERE template_id = ?", (pkg.template_id,)
        )
        if top is not None and top["v"] is not None and pkg.version <= int(top["v"]):
            raise PolicyError(
                "template.not_newer",
                f"テンプレートを拒否しました: 版 {pkg.version} は導入済みの版 {int(top['v'])} より新しくありません",
                f"Template refused: version {pkg.version} is not newer than the installed version {int(top['v'])}",
            )
    except StoreError as exc:
        store.audit("template.refused", reason=exc.code, sha256=_sha(data))
        raise
    now = now_iso()
    source = f"template:{pkg.template_id}@{pkg.version}"
    from storage.oneroster import build as oneroster_build

    with store.transaction():
        store.execute(
            "INSERT INTO templates (template_id, version, name, board, board_key_id, manifest, signature, parts, "
            "package_sha256, installed_by, installed_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (
                pkg.template_id,
                pkg.version,
                str(pkg.manifest.get("name", "")),
                str(pkg.manifest.get("board", "")),
                pkg.key_id,
                pkg.manifest_bytes,
                pkg.signature,
                rfc8785.dumps(checked).decode("utf-8"),
                pkg.sha256,
                store.user.login,
                now,
            ),
        )
        store.execute("DELETE FROM attendance_symbols")
        symbols = checked.get("attendance.json", {}).get("symbols", {})
        if symbols:
            codes.install_symbols(store, dict(symbols))
        variant = checked.get("export.json", {}).get("oneroster", {}).get("variant")
        if variant:
            oneroster_build.set_variant(store, str(variant), source=source)
        store.audit(
            "template.install",
            template_id=pkg.template_id,
            version=pkg.version,
            key_id=pkg.key_id,
            sha256=pkg.sha256,
            parts=sorted(checked),
        )
    return Installed(
        pkg.template_id,
        pkg.version,
        str(pkg.manifest.get("name", "")),
        str(pkg.manifest.get("board", "")),
        pkg.key_id,
        store.user.login,
        now,
        True,
    )


def _sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def installed(store: Store) -> list[Installed]:
    rows = store.query(
        "SELECT id, template_id, version, name, board, board_key_id, installed_by, installed_at FROM templates "
        "ORDER BY id"
    )
    last = rows[-1]["id"] if rows else None
    return [
        Installed(
            str(r["template_id"]),
            int(r["version"]),
            str(r["name"]),
            str(r["board"]),
            str(r["board_key_id"]),
            str(r["installed_by"]),
            str(r["installed_at"]),
            r["id"] == last,
        )
        for r in rows
    ]


def active_parts(store: Store) -> dict[str, dict[str, Any]]:
    """Every part in force: the most recently installed template's, over the built-in defaults."""
    row = store.query_one("SELECT parts FROM templates ORDER BY id DESC LIMIT 1")
    loaded: dict[str, dict[str, Any]] = json.loads(row["parts"]) if row is not None else {}
    return parts.merged(loaded)


def header_synonyms(store: Store) -> dict[str, list[str]]:
    """Extra header wordings for ``ocr.extract_file(synonyms=...)`` (role or field → words)."""
    synonyms = active_parts(store)["ledger.json"].get("header_synonyms", {})
    return {str(k): [str(w) for w in v] for k, v in synonyms.items()}


def ledger_fields(store: Store) -> dict[str, str]:
    """Ledger field → type (integer, text, kana, sex, date, phone) in force."""
    return {str(k): str(v) for k, v in active_parts(store)["ledger.json"].get("fields", {}).items()}


def export_options(store: Store) -> dict[str, Any]:
    """``variant``, ``district_name`` (if set) and ``csv_encoding`` in force."""
    part = active_parts(store)["export.json"]
    out: dict[str, Any] = dict(part.get("oneroster", {}))
    out["csv_encoding"] = part.get("csv_encoding", "utf-8")
    return out


def report_options(store: Store) -> dict[str, Any]:
    """``font``, ``paper`` and ``show_kana`` for the PDF reports."""
    return dict(active_parts(store)["reports.json"])


def default_source_parts(src: Path = DEFAULT_SOURCE) -> dict[str, Any]:
    """The default template's source files, parsed (for checks and for boards to start from)."""
    return {p.name: json.loads(p.read_text(encoding="utf-8")) for p in sorted(src.glob("*.json"))}


__all__ = [
    "DEFAULT_SOURCE",
    "BoardKey",
    "Installed",
    "active_parts",
    "board_keys",
    "default_source_parts",
    "export_options",
    "header_synonyms",
    "install",
    "installed",
    "keys",
    "ledger_fields",
    "package",
    "parts",
    "report_options",
    "trust_board",
]
