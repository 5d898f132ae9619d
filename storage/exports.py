"""THE export path: the only way a file containing personal data leaves the app.

CSV, PDF, OneRoster and backup writers build their bytes in memory and hand them to
:func:`export_file`, which

1. refuses a non-administrator, an empty reason, a destination off the allow-list or on a
   removable drive, an unknown recipient, and a large export without a second
   administrator's approval (each refusal audited, ``PolicyError``, exit 5);
2. encrypts the bytes to the recipient's age X25519 public key (age v1 format: the board
   opens it with ``age -d -i key.txt FILE.age`` or any age implementation);
3. writes ``<file_name>.age`` atomically: a temporary file of *ciphertext* in the same folder,
   fsync, rename, fsync of the folder; nothing in the clear ever touches the disk;
4. audits kind, file, destination, recipient, rows, students and the SHA-256 of the file,
   and accounts the students for bulk-access alerts.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import re
import secrets
from collections.abc import Sequence
from pathlib import Path

import pyrage
from pyrage import x25519

from storage import policy, recipients
from storage.errors import InputError, NotFoundError, PolicyError
from storage.store import Store

SUFFIX = ".age"
_KIND = re.compile(r"[a-z0-9][a-z0-9_.-]{0,39}")
_BAD_NAME_CHARS = set('/\\:*?"<>|\0')


def _check_file_name(file_name: str) -> str:
    name = file_name.strip()
    if (
        not name
        or len(name) > 200
        or name in (".", "..")
        or name.startswith(".")
        or any(c in _BAD_NAME_CHARS or ord(c) < 32 for c in name)
    ):
        raise InputError(
            "export.file_name_invalid",
            f"ファイル名「{file_name}」は使えません(フォルダ区切りや記号を含まない名前にしてください)",
            f"The file name '{file_name}' cannot be used (no folder separators or special characters)",
        )
    return name


def export_file(
    store: Store,
    *,
    payload: bytes,
    file_name: str,
    destination: Path,
    recipient: str,
    reason: str,
    kind: str,
    rows: int,
    student_ids: Sequence[int],
    approval: str | None = None,
) -> Path:
    """Encrypt ``payload`` to ``recipient`` and write ``destination/<file_name>.age``; returns its path."""
    store.require_admin(f"export.{kind}" if _KIND.fullmatch(kind) else "export")
    if not _KIND.fullmatch(kind):
        raise InputError(
            "export.kind_invalid", f"出力の種類「{kind}」が正しくありません", f"Invalid export kind '{kind}'"
        )
    name = _check_file_name(file_name)
    if rows < 0:
        raise InputError("export.rows_invalid", "行数が正しくありません", "Invalid row count")
    typed = " ".join(reason.split())
    if not typed:
        raise policy.refuse(
            store, "policy.reason_required",
            "個人情報を出力する理由を入力してください",
            "Type the reason for exporting personal data",
            operation="export", kind=kind,
        )
    ids = sorted({int(i) for i in student_ids})
    real = policy.check_destination(store, destination, operation=f"export.{kind}")
    try:
        chosen = recipients.get(store, recipient)
    except NotFoundError:
        raise policy.refuse(
            store, "policy.recipient_unknown",
            f"受取先「{recipient}」は登録されていません。管理者が `gakuseki recipient add` で公開鍵を登録します",
            f"Recipient '{recipient}' is not registered; an administrator adds its public key "
            "with `gakuseki recipient add`",
            operation=f"export.{kind}", recipient=recipient,
        ) from None
    if approval is None and policy.needs_approval(store, len(ids)):
        request = policy.request_approval(
            store, kind=kind, file_name=name, destination=real, recipient=chosen.name, reason=typed, student_ids=ids
        )
        raise policy.refuse(
            store, "policy.approval_required",
            f"{len(ids)}人分の出力には別の管理者の承認が必要です。承認依頼 {request.token} を作成しました"
            f"(別の管理者が `gakuseki policy approve {request.token}` で承認後、承認番号を付けて再度出力)",
            f"Exporting {len(ids)} students needs a second administrator's approval; request {request.token} "
            f"created (another administrator runs `gakuseki policy approve {request.token}`, then export "
            "again with that approval)",
            operation=f"export.{kind}", students=len(ids), token=request.token,
        )
    if approval is not None:
        # checked (and refused, audited) before anything is written; marked used below
        policy.check_approval(store, approval, kind=kind, destination=real, recipient=chosen.name, student_ids=ids)

    ciphertext = pyrage.encrypt(payload, [x25519.Recipient.from_str(chosen.public_key)])
    digest = hashlib.sha256(ciphertext).hexdigest()
    target = _write_atomic(real, name + SUFFIX, ciphertext)
    try:
        with store.transaction():
            if approval is not None:
                policy.mark_approval_used(store, approval)
            store.audit(
                "export.write", kind=kind, file=target.name, destination=str(real), recipient=chosen.name,
                recipient_key=chosen.public_key, rows=rows, students=len(ids), sha256=digest,
                bytes=len(ciphertext), reason=typed, approval=approval,
            )
            policy.record_access(store, "export", ids)
    except BaseException:
        with contextlib.suppress(OSError):
            target.unlink()
        raise
    return target


def _write_atomic(directory: Path, name: str, data: bytes) -> Path:
    """Write ``data`` (ciphertext) as ``directory/name``: temp file, fsync, rename, fsync dir."""
    temp = f".{name}.{secrets.token_hex(6)}.part"
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0) | getattr(os, "O_NOFOLLOW", 0)
    use_dir_fd = os.open in os.supports_dir_fd and hasattr(os, "O_DIRECTORY")
    dfd: int | None = None
    try:
        if use_dir_fd:
            dfd = os.open(directory, os.O_RDONLY | os.O_DIRECTORY | getattr(os, "O_NOFOLLOW", 0))
            opened, now = os.fstat(dfd), directory.stat()
            if (opened.st_dev, opened.st_ino) != (now.st_dev, now.st_ino):
                raise PolicyError(
                    "policy.destination_changed",
                    "出力先のフォルダが確認中に入れ替わりました。出力を中止しました",
                    "The destination folder changed while it was being checked; nothing was written",
                )
            fd = os.open(temp, flags, 0o644, dir_fd=dfd)
        else:  # pragma: no cover - Windows
            fd = os.open(directory / temp, flags, 0o644)
        try:
            with os.fdopen(fd, "wb") as handle:
                handle.write(data)
                handle.flush()
                os.fsync(handle.fileno())
            if dfd is not None:
                os.replace(temp, name, src_dir_fd=dfd, dst_dir_fd=dfd)
                with contextlib.suppress(OSError):
                    os.fsync(dfd)
            else:  # pragma: no cover - Windows
                (directory / temp).replace(directory / name)
        except BaseException:
            with contextlib.suppress(OSError):
                if dfd is not None:
                    os.unlink(temp, dir_fd=dfd)
                else:  # pragma: no cover - Windows
                    (directory / temp).unlink()
            raise
    except OSError as exc:
        raise InputError(
            "export.write_failed",
            f"{directory} に書き込めません: {exc.strerror or exc}",
            f"Cannot write to {directory}: {exc.strerror or exc}",
        ) from exc
    finally:
        if dfd is not None:
            os.close(dfd)
    return directory / name
