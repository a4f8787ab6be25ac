"""Accounts: create, change roles and units, passwords, disable, unlock, API tokens. Audited; the caller
commits (each function takes the session). The CLI and the users page both go through here.

A password change or reset, and disabling an account, end every login session of the account and revoke
its API tokens: whoever held the old password, or a copied cookie or token, is out at the next request.
"""

from __future__ import annotations

import secrets

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from docmgr import audit
from docmgr.auth import sessions, throttle
from docmgr.auth.groups import find_group, save_group
from docmgr.auth.models import ApiToken, Group, User
from docmgr.errors import NotFoundError, UserValueError
from docmgr.text import clean_whitespace, nfc
from docmgr.workflow.definitions import ROLES


MIN_PASSWORD = 8


def create_user(app, username: str, password: str, roles, full_name: str = "",
                groups: tuple[str, ...] | list[str] = ()) -> User:
    """Make an account in its own transaction (the command line, the set-up, tests): global ``roles``,
    member of the units ``groups`` by name or code (a unit not there yet is created with that name)."""
    with app.extensions["docmgr"].sessionmaker() as db:
        units = []
        for name in groups:
            units.append(find_group(db, name) or save_group(db, name, "", []))
        user = create_account(db, username, password, set(roles), full_name, units)
        db.commit()
        return user


def set_password_for(app, username: str, password: str) -> None:
    """:func:`set_password` of the account named, in its own transaction (``docmgr user password``)."""
    with app.extensions["docmgr"].sessionmaker() as db:
        set_password(db, get_user(db, username), password)
        db.commit()


def issue_token_for(app, username: str, name: str = "") -> str:
    """:func:`issue_token` for the account named, in its own transaction; returns the token (shown once)."""
    with app.extensions["docmgr"].sessionmaker() as db:
        _, secret = issue_token(db, get_user(db, username), name)
        db.commit()
    return secret


def get_user(db: Session, username: str) -> User:
    user = db.scalar(select(User).where(User.username == (username or "").strip()))
    if user is None:
        raise NotFoundError(f"Không có tài khoản «{username}».")
    return user


def _check_password(password: str) -> None:
    if len(password or "") < MIN_PASSWORD:
        raise UserValueError(f"Mật khẩu phải có ít nhất {MIN_PASSWORD} ký tự.",
                             {"password": f"Ít nhất {MIN_PASSWORD} ký tự."})


def _check_roles(roles) -> set[str]:
    unknown = set(roles) - set(ROLES)
    if unknown:
        raise UserValueError(f"Vai trò không có: {', '.join(sorted(unknown))}.")
    return set(roles)


def create_account(db: Session, username: str, password: str, roles, full_name: str = "",
                   groups: list[Group] = (), by: User | None = None) -> User:
    username = (username or "").strip()
    if not username or len(username) > 80 or any(c.isspace() for c in username):
        raise UserValueError("Tên đăng nhập: 1–80 ký tự, không có khoảng trắng.", {"username": "Chưa hợp lệ."})
    _check_password(password)
    roles = _check_roles(roles)
    if db.scalar(select(func.count()).where(func.lower(User.username) == username.lower())):
        raise UserValueError(f"Tài khoản «{username}» đã có.", {"username": "Đã có."})
    user = User(username=username, full_name=clean_whitespace(nfc(full_name or "")))
    user.set_password(password)
    user.set_roles(roles)
    user.groups = list(groups)
    db.add(user)
    db.flush()
    audit.record(db, "user_create", by, None, account=user.username, roles=sorted(roles),
                 units=[g.name for g in groups])
    return user


def update_account(db: Session, user: User, *, roles, full_name: str, groups: list[Group],
                   by: User | None = None) -> None:
    roles = _check_roles(roles)
    if by is not None and by.id == user.id and "manager" in user.roles and "manager" not in roles:
        raise UserValueError("Không tự bỏ vai trò Quản trị của chính mình được.")
    before = {"roles": sorted(user.roles), "units": [g.name for g in user.groups], "full_name": user.full_name}
    user.set_roles(roles)
    user.full_name = clean_whitespace(nfc(full_name or ""))
    user.groups = list(groups)
    db.flush()
    db.info.pop("docmgr_local_roles", None)
    after = {"roles": sorted(roles), "units": [g.name for g in groups], "full_name": user.full_name}
    if after != before:
        audit.record(db, "user_update", by, None, account=user.username, before=before, after=after)


def set_password(db: Session, user: User, password: str, by: User | None = None) -> int:
    """Set a new password; every login session and API token of the account ends. Returns how many."""
    _check_password(password)
    user.set_password(password)
    ended = sessions.end_all(db, user) + revoke_tokens(db, user)
    audit.record(db, "user_password", by, None, account=user.username, ended=ended)
    return ended


def reset_password(db: Session, user: User, by: User | None = None) -> str:
    """A manager's reset: a new random password, shown once to the manager to hand over."""
    password = secrets.token_urlsafe(9)
    set_password(db, user, password, by)
    return password


def set_active(db: Session, user: User, active: bool, by: User | None = None) -> None:
    """Disable (every session and token ends) or enable an account."""
    if not active and by is not None and by.id == user.id:
        raise UserValueError("Không tự khóa tài khoản của chính mình được.")
    if user.active == active:
        return
    user.active = active
    if not active:
        sessions.end_all(db, user)
        revoke_tokens(db, user)
    audit.record(db, "user_enable" if active else "user_disable", by, None, account=user.username)


def log_out_everywhere(db: Session, user: User, by: User | None = None) -> int:
    ended = sessions.end_all(db, user)
    audit.record(db, "user_logout_all", by, None, account=user.username, ended=ended)
    return ended


def unlock(db: Session, user: User, by: User | None = None) -> int:
    """Lift the login throttling locks on the account."""
    forgotten = throttle.unlock(db, user.username)
    audit.record(db, "user_unlock", by, None, account=user.username, failures=forgotten)
    return forgotten


def issue_token(db: Session, user: User, name: str = "", by: User | None = None) -> tuple[ApiToken, str]:
    """A new API bearer token; the token itself is returned once, only its hash is kept."""
    secret = secrets.token_urlsafe(32)
    token = ApiToken(user_id=user.id, token_hash=ApiToken.hash(secret), name=clean_whitespace(name or "")[:100])
    db.add(token)
    db.flush()
    audit.record(db, "token_issue", by, None, account=user.username, token=token.id, name=token.name)
    return token, secret


def tokens(db: Session, user: User) -> list[ApiToken]:
    return list(db.scalars(select(ApiToken).where(ApiToken.user_id == user.id).order_by(ApiToken.id)))


def revoke_token(db: Session, user: User, token_id: int, by: User | None = None) -> None:
    token = db.get(ApiToken, token_id)
    if token is None or token.user_id != user.id:
        raise NotFoundError(f"Tài khoản «{user.username}» không có mã API số {token_id}.")
    db.delete(token)
    audit.record(db, "token_revoke", by, None, account=user.username, token=token_id)


def revoke_tokens(db: Session, user: User) -> int:
    found = tokens(db, user)
    for token in found:
        db.delete(token)
    return len(found)
