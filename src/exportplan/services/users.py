"""Users, roles, passwords, sessions and API tokens of the program store.

Roles: ``admin`` (everything, users too), ``secretary`` (edits everything in the programs),
``member`` (edits only their agency's actions, KPIs and notes), ``viewer`` (reads). Passwords
are hashed with Argon2id (argon2-cffi's defaults); sessions and API tokens are random 32-byte
secrets of which only the sha256 is stored. Every write in :mod:`exportplan.services.program`
checks the actor's role; the front doors only say who the actor is.
"""

from __future__ import annotations

import datetime as dt
import getpass
import hashlib
import secrets
from dataclasses import dataclass

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import select

from exportplan import settings
from exportplan.errors import AuthenticationError, InputError, NotFoundError, PermissionDeniedError
from exportplan.store.program_db import ROLES, Agency, ProgramDB, Token, User, as_dict, utcnow

_hasher = PasswordHasher()
MIN_PASSWORD = 10


@dataclass(frozen=True)
class Actor:
    """Who is acting: a user of the store, or the local command line (an administrator: whoever
    can open the workspace's files can change them anyway)."""

    username: str
    role: str
    agency_id: int | None = None
    user_id: int | None = None

    def require(self, *roles: str) -> None:
        if self.role not in roles:
            raise PermissionDeniedError(
                f"{self.username} ({self.role}) may not do this; it needs the role "
                + " or ".join(roles)
            )


def local_actor() -> Actor:
    try:
        login = getpass.getuser()
    except (KeyError, OSError):
        login = "local"
    return Actor(username=f"cli:{login}", role="admin")


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
    from exportplan.services.program import audit

    actor.require("admin")
    username = username.strip()
    if not username or len(username) > 100 or any(c.isspace() for c in username):
        raise InputError(f"user name {username!r} must be 1-100 characters without spaces")
    if role not in ROLES:
        raise InputError(f"role must be one of {', '.join(ROLES)}; got {role!r}")
    _check_password(password)
    with db.session() as s:
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
        s.add(u)
        s.flush()
        after = {k: v for k, v in as_dict(u).items() if k != "password_hash"}
        audit(s, actor, "create", "user", u.id, None, after, agency_id=agency_id)
        return after


def set_password(db: ProgramDB, actor: Actor, username: str, password: str) -> None:
    from exportplan.services.program import audit

    if actor.username != username:
        actor.require("admin")
    _check_password(password)
    with db.session() as s:
        u = _user(s, username)
        u.password_hash = _hasher.hash(password)
        for t in s.scalars(select(Token).where(Token.user_id == u.id, Token.kind == "session")):
            t.revoked = True
        audit(s, actor, "update", "user", u.id, None, {"password": "changed"})


def set_active(db: ProgramDB, actor: Actor, username: str, active: bool) -> None:
    from exportplan.services.program import audit

    actor.require("admin")
    with db.session() as s:
        u = _user(s, username)
        before = u.active
        u.active = active
        if not active:
            for t in s.scalars(select(Token).where(Token.user_id == u.id)):
                t.revoked = True
        audit(s, actor, "update", "user", u.id, {"active": before}, {"active": active})


def list_users(db: ProgramDB, actor: Actor) -> list[dict[str, object]]:
    actor.require("admin", "secretary")
    with db.session() as s:
        rows = s.scalars(select(User).order_by(User.username)).all()
        return [{k: v for k, v in as_dict(u).items() if k != "password_hash"} for u in rows]


def _user(s: object, username: str) -> User:
    from sqlalchemy.orm import Session

    assert isinstance(s, Session)
    u = s.scalar(select(User).where(User.username == username))
    if u is None:
        raise NotFoundError(f"no user {username!r}")
    return u


def _token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def sign_in(db: ProgramDB, username: str, password: str) -> tuple[str, dt.datetime]:
    """A new session token for the user (and when it expires); the same message for an
    unknown user and a wrong password."""
    with db.session() as s:
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
        s.add(
            Token(user_id=u.id, token_hash=_token_hash(token), kind="session", expires_at=expires)
        )
        return token, expires


def create_api_token(db: ProgramDB, actor: Actor, username: str, label: str) -> str:
    """A long-lived API token for a user (shown once; only its hash is kept)."""
    from exportplan.services.program import audit

    if actor.username != username:
        actor.require("admin")
    with db.session() as s:
        u = _user(s, username)
        token = secrets.token_urlsafe(32)
        t = Token(user_id=u.id, token_hash=_token_hash(token), kind="api", label=label)
        s.add(t)
        s.flush()
        audit(s, actor, "create", "token", t.id, None, {"user": username, "label": label})
        return token


def sign_out(db: ProgramDB, token: str) -> None:
    with db.session() as s:
        t = s.scalar(select(Token).where(Token.token_hash == _token_hash(token)))
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
