"""Users, roles and their key slots."""

from __future__ import annotations

from storage import signing
from storage.clock import now_iso
from storage.errors import InputError, NotFoundError, PolicyError
from storage.store import Store, User
from storage.validation import check_login, check_passphrase

ROLES = ("teacher", "administrator")


def _user(store: Store, login: str) -> User:
    row = store.query_one(
        "SELECT id, login, display_name, role FROM users WHERE login = ? AND active = 1", (login,)
    )
    if row is None:
        raise NotFoundError("user.missing", f"ユーザー「{login}」はいません", f"No user '{login}'")
    return User(row["id"], row["login"], row["display_name"], row["role"])


def add_user(store: Store, login: str, role: str, display_name: str, passphrase: str) -> User:
    store.require_admin("user.add")
    check_login(login)
    check_passphrase(passphrase)
    if role not in ROLES:
        raise InputError(
            "user.role_invalid",
            f"役割「{role}」はありません(teacher か administrator)",
            f"Unknown role '{role}' (teacher or administrator)",
        )
    if store.query_one("SELECT 1 FROM users WHERE login = ?", (login,)) is not None:
        raise InputError(
            "user.exists", f"ユーザー「{login}」は既にいます", f"User '{login}' already exists"
        )
    name = display_name.strip() or login
    with store.transaction():
        cur = store.execute(
            "INSERT INTO users (login, display_name, role, created_at) VALUES (?, ?, ?, ?)",
            (login, name, role, now_iso()),
        )
        user_id = int(cur.lastrowid)
        store.audit("user.add", login=login, role=role)
        # The slot file is written last: if it fails, the transaction rolls back.
        store.put_user_slot(login, passphrase, before_save=lambda secret: _issue(store, user_id, secret))
    return _user(store, login)


def _issue(store: Store, user_id: int, secret: bytes) -> None:
    signing.issue_key(store, user_id, secret)


def change_passphrase(store: Store, login: str, new_passphrase: str) -> None:
    """Rewrap ``login``'s slot. A user may change their own; an administrator anyone's."""
    if login != store.user.login:
        store.require_admin("user.passwd")
    check_passphrase(new_passphrase)
    target = _user(store, login)
    with store.transaction():
        store.audit("user.passwd", login=login)
        # Own change: the signing key is rewrapped; a reset by someone else rotates it.
        secret = store.put_user_slot(
            login, new_passphrase, before_save=lambda s: signing.passphrase_changed(store, target, s)
        )
    if login == store.user.login:
        store.signing_secret = secret


def remove_user(store: Store, login: str) -> None:
    store.require_admin("user.remove")
    target = _user(store, login)
    if target.login == store.user.login:
        raise PolicyError(
            "user.remove_self",
            "自分自身は削除できません。別の管理者で操作してください",
            "You cannot remove yourself; ask another administrator",
        )
    admins = store.query_one("SELECT count(*) AS n FROM users WHERE role = 'administrator' AND active = 1")
    if target.is_admin and int(admins["n"]) <= 1:
        raise PolicyError(
            "user.last_admin", "最後の管理者は削除できません", "The last administrator cannot be removed"
        )
    with store.transaction():
        store.execute("UPDATE users SET active = 0, removed_at = ? WHERE id = ?", (now_iso(), target.id))
        store.execute("DELETE FROM class_teachers WHERE user_id = ?", (target.id,))
        signing.retire(store, target.id, "user removed")
        store.audit("user.remove", login=login)
    # After the commit: if this fails the user is already inactive and cannot unlock.
    store.remove_user_slot(login)


def list_users(store: Store) -> list[User]:
    rows = store.query(
        "SELECT id, login, display_name, role FROM users WHERE active = 1 ORDER BY role, login"
    )
    return [User(r["id"], r["login"], r["display_name"], r["role"]) for r in rows]


# --- 校長 (principal) ---------------------------------------------------------------------


def is_principal(store: Store, user_id: int | None = None) -> bool:
    """Whether the user (default: the acting one) is an active administrator flagged as 校長."""
    row = store.query_one(
        "SELECT 1 FROM users WHERE id = ? AND active = 1 AND role = 'administrator' AND is_principal = 1",
        (store.user.id if user_id is None else user_id,),
    )
    return row is not None


def set_principal(store: Store, login: str, principal: bool = True) -> None:
    """Flag (or unflag) an administrator as the principal (校長), who countersigns months and
    may reopen a sealed year. Administrators only; the principal must be an administrator."""
    store.require_admin("user.principal")
    target = _user(store, login)
    if principal and not target.is_admin:
        raise InputError(
            "user.principal_not_admin",
            f"校長に指定できるのは管理者だけです(「{login}」は {target.role})",
            f"Only an administrator can be the principal ('{login}' is a {target.role})",
        )
    with store.transaction():
        store.execute("UPDATE users SET is_principal = ? WHERE id = ?", (int(principal), target.id))
        store.audit("user.principal", login=login, principal=principal)


def principals(store: Store) -> list[User]:
    rows = store.query(
        "SELECT id, login, display_name, role FROM users WHERE active = 1 AND role = 'administrator' "
        "AND is_principal = 1 ORDER BY login"
    )
    return [User(r["id"], r["login"], r["display_name"], r["role"]) for r in rows]
