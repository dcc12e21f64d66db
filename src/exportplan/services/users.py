"""Users, passwords, sign-in sessions and API tokens of the program store.

Roles and permissions are in :mod:`exportplan.auth`. Passwords are hashed with Argon2id
(argon2-cffi's defaults); sessions and API tokens are random 32-byte secrets of which only the
sha256 is stored. Every change goes through the store's write helper, which checks the role
and writes the audit row.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import select
from sqlalchemy.orm import Session

from exportplan import settings
from exportplan.auth import ROLES, Actor, check, local_actor
from exportplan.errors import AuthenticationError, InputError, NotFoundError
from exportplan.store.program.db import ProgramDB
from exportplan.store.program.models import Agency, Token, User, as_dict, utcnow
from exportplan.store.program.writes import write

__all__ = [
    "MIN_PASSWORD",
    "Actor",
    "actor_for_token",
    "actor_for_user",
    "create_api_token",
    "create_user",
    "list_users",
    "local_actor",
    "set_active",
    "set_password",
    "sign_in",
    "sign_out",
]

_hasher = PasswordHasher()
MIN_PASSWORD = 10


def _check_password(password: str) -> None:
    if len(password) < MIN_PASSWORD:
        raise InputError(f"a password needs at least {MIN_PASSWORD} characters")


def create_user(
    db: ProgramDB,
    actor: Actor,
    *,
    username: str,
    password: str,
    role: str,
    agency: str | None = None,
    display_name: str = "",
) -> dict[str, object]:
    check(actor, "users.manage")
    username = username.strip()
    if not username or len(username) > 100 or any(c.isspace() for c in username):
        raise InputError(f"user name {username!r} must be 1-100 characters without spaces")
    if role not in ROLES:
        raise InputError(f"role must be one of {', '.join(ROLES)}; got {role!r}")
    _check_password(password)
    with write(db, actor, "users.manage", f"user {username}") as ch:
        s = ch.session
        if s.scalar(select(User).where(User.username == username)) is not None:
            raise InputError(f"user {username!r} exists already")
        agency_id = None
        if role == "member":
            if not agency:
                raise InputError("an agency member needs --agency (the agency's code)")
            ag = s.scalar(select(Agency).where(Agency.code == agency))
            if ag is None:
                raise NotFoundError(f"no agency with code {agency!r}")
            agency_id = ag.id
        elif agency:
            raise InputError("only agency members belong to an agency")
        u = User(
            username=username,
            display_name=display_name,
            password_hash=_hasher.hash(password),
            role=role,
            agency_id=agency_id,
            active=True,
        )
        ch.add(u)
        ch.flush()
        after = {k: v for k, v in as_dict(u).items() if k != "password_hash"}
        ch.audit("create", "user", u.id, None, after, agency_id=agency_id)
        return after


def set_password(db: ProgramDB, actor: Actor, username: str, password: str) -> None:
    own = actor.username == username  # one's own password needs no other right
    with write(db, actor, "read" if own else "users.manage", f"user {username}") as ch:
        _check_password(password)
        s = ch.session
        u = _user(s, username)
        u.password_hash = _hasher.hash(password)
        for t in s.scalars(select(Token).where(Token.user_id == u.id, Token.kind == "session")):
            t.revoked = True
        ch.audit("update", "user", u.id, None, {"password": "changed"})


def set_active(db: ProgramDB, actor: Actor, username: str, active: bool) -> None:
    with write(db, actor, "users.manage", f"user {username}") as ch:
        s = ch.session
        u = _user(s, username)
        before = u.active
        u.active = active
        if not active:
            for t in s.scalars(select(Token).where(Token.user_id == u.id)):
                t.revoked = True
        ch.audit("update", "user", u.id, {"active": before}, {"active": active})


def list_users(db: ProgramDB, actor: Actor) -> list[dict[str, object]]:
    check(actor, "users.list")
    with db.session() as s:
        rows = s.scalars(select(User).order_by(User.username)).all()
        return [{k: v for k, v in as_dict(u).items() if k != "password_hash"} for u in rows]


def _user(s: Session, username: str) -> User:
    u = s.scalar(select(User).where(User.username == username))
    if u is None:
        raise NotFoundError(f"no user {username!r}")
    return u


def _token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def sign_in(db: ProgramDB, username: str, password: str) -> tuple[str, dt.datetime]:
    """A new session token for the user (and when it expires); the same message for an
    unknown user and a wrong password."""
    with write(db, None, None, "the sign-in") as ch:
        s = ch.session
        u = s.scalar(select(User).where(User.username == username))
        ok = False
        if u is not None and u.active:
            try:
                ok = _hasher.verify(u.password_hash, password)
            except (VerificationError, InvalidHashError):
                ok = False
        if not ok or u is None:
            raise AuthenticationError("wrong user name or password")
        if _hasher.check_needs_rehash(u.password_hash):
            u.password_hash = _hasher.hash(password)
        token = secrets.token_urlsafe(32)
        hours = float(settings.env_value("session_hours"))
        expires = utcnow() + dt.timedelta(hours=hours)
        ch.add(
            Token(user_id=u.id, token_hash=_token_hash(token), kind="session", expires_at=expires)
        )
        return token, expires


def create_api_token(db: ProgramDB, actor: Actor, username: str, label: str) -> str:
    """A long-lived API token for a user (shown once; only its hash is kept)."""
    own = actor.username == username
    with write(db, actor, "read" if own else "users.manage", f"a token of {username}") as ch:
        u = _user(ch.session, username)
        token = secrets.token_urlsafe(32)
        t = Token(user_id=u.id, token_hash=_token_hash(token), kind="api", label=label)
        ch.add(t)
        ch.flush()
        ch.audit("create", "token", t.id, None, {"user": username, "label": label})
        return token


def sign_out(db: ProgramDB, token: str) -> None:
    with write(db, None, None, "the sign-out") as ch:
        t = ch.session.scalar(select(Token).where(Token.token_hash == _token_hash(token)))
        if t is not None:
            t.revoked = True


def actor_for_token(db: ProgramDB, token: str) -> Actor:
    with db.session() as s:
        t = s.scalar(select(Token).where(Token.token_hash == _token_hash(token)))
        if t is None or t.revoked or (t.expires_at is not None and t.expires_at < utcnow()):
            raise AuthenticationError("unknown, expired or revoked token; sign in again")
        u = s.get(User, t.user_id)
        if u is None or not u.active:
            raise AuthenticationError("the token's user is no longer active")
        return Actor(username=u.username, role=u.role, agency_id=u.agency_id, user_id=u.id)


def actor_for_user(db: ProgramDB, username: str) -> Actor:
    """Act as a named user from the command line (``--user``), with that user's role."""
    with db.session() as s:
        u = _user(s, username)
        if not u.active:
            raise AuthenticationError(f"user {username!r} is not active")
        return Actor(username=u.username, role=u.role, agency_id=u.agency_id, user_id=u.id)
