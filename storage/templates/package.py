"""The template package: a zip holding ``manifest.json``, ``manifest.sig`` and the JSON parts.

``manifest.json`` (UTF-8 JSON, kept byte for byte)::

    {"format": "gakuseki-template", "format_version": 1, "id": "…", "name": "…", "board": "…",
     "version": 3, "created_at": "…", "key_id": "<32 hex>",
     "files": [{"path": "attendance.json", "sha256": "<64 hex>", "size": 123}, …]}

``manifest.sig`` is the detached Ed25519 signature (64 bytes, standard base64, one line) over
the manifest bytes exactly as stored in the zip; they are never re-serialised before checking.

Reading never extracts to disk: members are read into memory after checking the names
(no ``..``, absolute paths, drive letters, back-slashes, directories or symlinks), the number
of members, each declared size and the total, and the real sizes while reading (zip bombs).
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import io
import json
import re
import stat
import zipfile
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from storage.errors import DamagedError, InputError, PolicyError
from storage.templates import keys, parts

FORMAT = "gakuseki-template"
FORMAT_VERSION = 1
MANIFEST = "manifest.json"
SIGNATURE = "manifest.sig"
SOURCE_META = "template.json"
MAX_PACKAGE_BYTES = 1024 * 1024
MAX_MEMBERS = 16
MAX_MEMBER_BYTES = 256 * 1024
MAX_TOTAL_BYTES = 1024 * 1024
_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,99}")
_ZIP_TIME = (1980, 1, 1, 0, 0, 0)


@dataclass(frozen=True)
class Package:
    """A package read and checked for shape and hashes (not yet for trust)."""

    manifest_bytes: bytes
    signature: bytes
    manifest: dict[str, Any]
    parts: dict[str, dict[str, Any]]
    sha256: str

    @property
    def template_id(self) -> str:
        return str(self.manifest["id"])

    @property
    def version(self) -> int:
        return int(self.manifest["version"])

    @property
    def key_id(self) -> str:
        return str(self.manifest["key_id"])


def _damaged(code: str, ja: str, en: str) -> DamagedError:
    return DamagedError(f"template.{code}", f"テンプレートを拒否しました: {ja}", f"Template refused: {en}")


def _policy(code: str, ja: str, en: str) -> PolicyError:
    return PolicyError(f"template.{code}", f"テンプレートを拒否しました: {ja}", f"Template refused: {en}")


def _unsafe_name(name: str) -> bool:
    return (
        not name
        or name.startswith(("/", "\\"))
        or "\\" in name
        or bool(re.match(r"[A-Za-z]:", name))
        or any(part in ("", ".", "..") for part in name.split("/"))
        or "\x00" in name
    )


def _check_meta(meta: dict[str, Any], where: str) -> None:
    if not isinstance(meta.get("id"), str) or not _ID.fullmatch(meta["id"]):
        raise InputError(
            "template.id_invalid",
            f"{where} の id は英数字と . _ - で100文字以内にしてください",
            f"{where}: id must be letters, digits, '.', '_' or '-' (≤100)",
        )
    version = meta.get("version")
    if not isinstance(version, int) or isinstance(version, bool) or not 1 <= version <= 1_000_000:
        raise InputError(
            "template.version_invalid",
            f"{where} の version は1以上の整数にしてください",
            f"{where}: version must be a whole number ≥ 1",
        )
    for key in ("name", "board"):
        if not isinstance(meta.get(key, ""), str) or len(meta.get(key, "")) > 200:
            raise InputError(
                "template.meta_invalid", f"{where} の {key} が正しくありません", f"{where}: invalid {key}"
            )


def build(src_dir: Path, private_key: Ed25519PrivateKey, *, created_at: str | None = None) -> bytes:
    """Sign the template source ``src_dir`` (template.json + parts) into package bytes."""
    meta_path = src_dir / SOURCE_META
    try:
        meta = json.loads(meta_path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise InputError(
            "template.source_invalid",
            f"{meta_path} を読めません(id, name, board, version を持つ JSON)",
            f"Cannot read {meta_path} (JSON with id, name, board, version)",
        ) from exc
    if not isinstance(meta, dict):
        raise InputError("template.source_invalid", f"{meta_path} が正しくありません", f"{meta_path} is invalid")
    _check_meta(meta, SOURCE_META)
    files: list[tuple[str, bytes]] = []
    for path in sorted(src_dir.iterdir()):
        if path.name in (SOURCE_META, "README.md"):
            continue
        if path.name not in parts.PART_NAMES or not path.is_file() or path.is_symlink():
            raise InputError(
                "template.source_unknown_file",
                f"{path.name} はテンプレートの部品ではありません({', '.join(parts.PART_NAMES)})",
                f"{path.name} is not a template part ({', '.join(parts.PART_NAMES)})",
            )
        data = path.read_bytes()
        try:
            parts.check_part(path.name, json.loads(data.decode("utf-8")))
        except (UnicodeDecodeError, ValueError) as exc:
            if isinstance(exc, InputError):
                raise
            raise InputError(
                "template.part_invalid", f"{path.name} は JSON ではありません", f"{path.name} is not JSON"
            ) from exc
        files.append((path.name, data))
    public_raw = keys.raw_public(private_key.public_key())
    manifest = {
        "format": FORMAT,
        "format_version": FORMAT_VERSION,
        "id": meta["id"],
        "name": meta.get("name", ""),
        "board": meta.get("board", ""),
        "version": meta["version"],
        "created_at": created_at or datetime.now().astimezone().isoformat(timespec="seconds"),
        "key_id": keys.key_id(public_raw),
        "files": [
            {"path": name, "sha256": hashlib.sha256(data).hexdigest(), "size": len(data)} for name, data in files
        ],
    }
    manifest_bytes = (json.dumps(manifest, ensure_ascii=False, indent=1) + "\n").encode("utf-8")
    signature = private_key.sign(manifest_bytes)
    return write_zip(
        [(MANIFEST, manifest_bytes), (SIGNATURE, base64.b64encode(signature) + b"\n"), *files]
    )


def write_zip(members: list[tuple[str, bytes]]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        for name, data in members:
            info = zipfile.ZipInfo(name, date_time=_ZIP_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = (stat.S_IFREG | 0o644) << 16
            zf.writestr(info, data)
    return out.getvalue()


def read_members(data: bytes) -> dict[str, bytes]:
    """The zip's members in memory, after every safety check."""
    if len(data) > MAX_PACKAGE_BYTES:
        raise _policy(
            "too_large",
            f"パッケージが大きすぎます(上限 {MAX_PACKAGE_BYTES // 1024} KiB)",
            f"the package is too large (limit {MAX_PACKAGE_BYTES // 1024} KiB)",
        )
    try:
        zf = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, ValueError) as exc:
        raise _damaged("malformed", "zip ファイルとして読めません", "not a readable zip file") from exc
    with zf:
        infos = zf.infolist()
        if len(infos) > MAX_MEMBERS:
            raise _policy(
                "too_many_files",
                f"ファイルが多すぎます({len(infos)} 個、上限 {MAX_MEMBERS})",
                f"too many files ({len(infos)}, limit {MAX_MEMBERS})",
            )
        total = 0
        for info in infos:
            name = info.filename
            if _unsafe_name(name):
                raise _damaged(
                    "unsafe_path", f"パッケージの外を指すパス「{name}」", f"the path '{name}' escapes the package"
                )
            mode = info.external_attr >> 16
            if info.is_dir() or stat.S_ISLNK(mode) or (mode and not stat.S_ISREG(mode)):
                raise _damaged("unsafe_path", f"通常ファイルでない「{name}」", f"'{name}' is not a regular file")
            if info.file_size > MAX_MEMBER_BYTES:
                raise _policy(
                    "too_large",
                    f"「{name}」が大きすぎます(上限 {MAX_MEMBER_BYTES // 1024} KiB)",
                    f"'{name}' is too large (limit {MAX_MEMBER_BYTES // 1024} KiB)",
                )
            total += info.file_size
        if total > MAX_TOTAL_BYTES:
            raise _policy("too_large", "展開後の合計が大きすぎます", "the files are too large in total")
        members: dict[str, bytes] = {}
        for info in infos:
            if info.filename in members:
                raise _damaged("malformed", f"「{info.filename}」が二つあります", f"'{info.filename}' appears twice")
            try:
                with zf.open(info) as handle:
                    content = handle.read(info.file_size + 1)
            except (zipfile.BadZipFile, OSError, EOFError, NotImplementedError) as exc:
                raise _damaged(
                    "malformed", f"「{info.filename}」を読めません", f"cannot read '{info.filename}'"
                ) from exc
            if len(content) != info.file_size:
                raise _damaged(
                    "malformed",
                    f"「{info.filename}」の大きさが宣言と違います",
                    f"'{info.filename}' is not the size it declares",
                )
            members[info.filename] = content
    return members


def read(data: bytes) -> Package:
    """Check the package's shape, manifest and file hashes (the signature is checked by :func:`verify`)."""
    members = read_members(data)
    if MANIFEST not in members:
        raise _damaged("malformed", "manifest.json がありません", "manifest.json is missing")
    if SIGNATURE not in members:
        raise _policy("unsigned", "署名(manifest.sig)がありません", "it is not signed (no manifest.sig)")
    manifest_bytes = members[MANIFEST]
    try:
        manifest = json.loads(manifest_bytes.decode("utf-8"))
        signature = base64.b64decode(members[SIGNATURE].strip(), validate=True)
    except (UnicodeDecodeError, ValueError, binascii.Error) as exc:
        raise _damaged("malformed", "manifest または署名を読めません", "cannot read the manifest or signature") from exc
    if len(signature) != 64:
        raise _damaged("malformed", "署名の長さが違います", "the signature has the wrong length")
    if (
        not isinstance(manifest, dict)
        or manifest.get("format") != FORMAT
        or manifest.get("format_version") != FORMAT_VERSION
        or not isinstance(manifest.get("files"), list)
        or not isinstance(manifest.get("key_id"), str)
    ):
        raise _damaged("malformed", "学籍のテンプレートではありません", "not a Gakuseki template package")
    try:
        _check_meta(manifest, MANIFEST)
    except InputError as exc:
        raise _damaged("malformed", exc.message_ja, exc.message_en) from exc
    listed: dict[str, dict[str, Any]] = {}
    for entry in manifest["files"]:
        path = entry.get("path") if isinstance(entry, dict) else None
        if not isinstance(path, str) or _unsafe_name(path):
            raise _damaged(
                "unsafe_path", f"パッケージの外を指すパス「{path}」", f"the path '{path}' escapes the package"
            )
        if path in listed or path in (MANIFEST, SIGNATURE):
            raise _damaged("malformed", f"「{path}」が二度書かれています", f"'{path}' is listed twice")
        listed[path] = entry
    extra = sorted(set(members) - set(listed) - {MANIFEST, SIGNATURE})
    if extra:
        raise _damaged(
            "altered", f"署名されていないファイル「{extra[0]}」", f"'{extra[0]}' is not in the signed manifest"
        )
    for path, entry in listed.items():
        content = members.get(path)
        if content is None:
            raise _damaged("altered", f"「{path}」がありません", f"'{path}' is missing")
        if hashlib.sha256(content).hexdigest() != entry.get("sha256") or len(content) != entry.get("size"):
            raise _damaged("altered", f"「{path}」が改変されています", f"'{path}' has been altered")
    loaded: dict[str, dict[str, Any]] = {}
    for path in listed:
        if path not in parts.PART_NAMES:
            raise _damaged("malformed", f"知らない部品「{path}」", f"unknown part '{path}'")
        try:
            loaded[path] = json.loads(members[path].decode("utf-8"))
        except (UnicodeDecodeError, ValueError) as exc:
            raise _damaged("malformed", f"「{path}」は JSON ではありません", f"'{path}' is not JSON") from exc
    return Package(manifest_bytes, signature, manifest, loaded, hashlib.sha256(data).hexdigest())


def verify(package: Package, trusted: dict[str, bytes]) -> None:
    """Raise unless a trusted board key (key id → raw public key) signed the manifest bytes."""
    public = trusted.get(package.key_id)
    if public is None:
        raise _policy(
            "untrusted",
            "信頼している教育委員会の鍵で署名されていません(`gakuseki template trust-board`)",
            "it is not signed by a trusted board key (`gakuseki template trust-board`)",
        )
    try:
        Ed25519PublicKey.from_public_bytes(public).verify(package.signature, package.manifest_bytes)
    except InvalidSignature as exc:
        raise _damaged(
            "forged",
            "署名が一致しません(改変されたか、別の鍵で署名されています)",
            "the signature does not match (altered, or signed with another key)",
        ) from exc
