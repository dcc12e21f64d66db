"""Users, passwords, sign-in sessions and API tokens of the program store.

Roles and permissions are in :mod:`exportplan.auth`. Passwords are hashed with Argon2id
(argon2-cffi's defaults); sessions and API tokens are random 32-byte secrets of which only the
sha256 is stored. A web session (``kind='session'``) is accepted only as the session cookie,
an API token (``'api'``: named, or from the API's sign-in) only as a bearer token; API tokens
expire (setting ``api_token_days``) and have a scope, ``read`` or ``write``. A password change
or disabling a user ends every token and session of the user at once (each request checks
the store). Sign-in costs the same time for unknown and known user names (an unknown name is
checked against a dummy hash) and is rate limited (:mod:`.signin_limits`). Every change goes
through the store's write helper, which checks the role and writes the audit row.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from functools import cache
from typing import Any

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import select
from sqlalchemy.orm import Session

from exportplan import settings
from exportplan.auth import ROLES, Actor, check, local_actor
from exportplan.errors import AuthenticationError, InputError, NotFoundError
from exportplan.services.signin_limits import SignInLimits
from exportplan.store.program.db import ProgramDB
from exportplan.store.program.models import (
    TOKEN_KINDS,
    TOKEN_SCOPES,
    Agency,
    Token,
    User,
    as_dict,
    utcnow,
)
from exportplan.store.program.writes import write

__all__ = [
    "MIN_PASSWORD",
    "Actor",
    "actor_for_token",
    "actor_for_user",
    "create_api_token",
    "create_user",
    "list_tokens",
    "list_users",
    "local_actor",
    "revoke_token",
    "set_active",
    "set_password",
    "sign_in",
    "sign_out",
    "users_with_password",
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
        if role in ("member", "zone-operator"):
            if not agency:
                raise InputError(
                    f"an agency {'member' if role == 'member' else 'zone operator'} needs "
                    "--agency (the agency's code)"
                )
            ag = s.scalar(select(Agency).where(Agency.code == agency))
            if ag is None:
                raise NotFoundError(f"no agency with code {agency!r}")
            agency_id = ag.id
        elif agency:
            raise InputError("only agency members and zone operators belong to an agency")
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


def _end_tokens(s: Session, user_id: int) -> int:
    """Revoke every session and API token of a user; how many were still live."""
    n = 0
    for t in s.scalars(select(Token).where(Token.user_id == user_id, Token.revoked.is_(False))):
        t.revoked = True
        n += 1
    return n


def set_password(db: ProgramDB, actor: Actor, username: str, password: str) -> None:
    """Set a user's password; every session and API token of the user ends at once."""
    own = actor.username == username  # one's own password needs no other right
    with write(db, actor, "self.manage" if own else "users.manage", f"user {username}") as ch:
        _check_password(password)
        s = ch.session
        u = _user(s, username)
        u.password_hash = _hasher.hash(password)
        ended = _end_tokens(s, u.id)
        ch.audit("update", "user", u.id, None, {"password": "changed", "tokens_ended": ended})


def set_active(db: ProgramDB, actor: Actor, username: str, active: bool) -> None:
    with write(db, actor, "users.manage", f"user {username}") as ch:
        s = ch.session
        u = _user(s, username)
        before = u.active
        u.active = active
        if not active:
            _end_tokens(s, u.id)
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


@cache
def _dummy_hash() -> str:
    """A hash no password matches, checked for an unknown or disabled user so that a sign-in
    takes the same time whether or not the name exists."""
    return _hasher.hash(secrets.token_urlsafe(24))


def _verify(user: User | None, password: str) -> bool:
    """The password check, one Argon2 verification whoever ``user`` is."""
    stored = user.password_hash if user is not None and user.active else _dummy_hash()
    try:
        return bool(_hasher.verify(stored, password))
    except (VerificationError, InvalidHashError):
        return False


def sign_in(
    db: ProgramDB,
    username: str,
    password: str,
    *,
    kind: str = "session",
    limits: SignInLimits | None = None,
    address: str | None = None,
) -> tuple[str, dt.datetime]:
    """A new session token for the user (and when it expires): a web session (``kind``
    ``'session'``) or an API token of scope ``write`` (``'api'``, the API's sign-in). The same
    message, and the same time, for an unknown user and a wrong password. With ``limits``, the
    user name and the client ``address`` are rate limited
    (:class:`~exportplan.errors.TooManyAttemptsError` while locked)."""
    if kind not in TOKEN_KINDS:
        raise ValueError(f"unknown token kind {kind!r}")
    attempt = limits.begin(username, address) if limits is not None else None
    failed = True
    try:
        out = _sign_in(db, username, password, kind)
        failed = False
        return out
    except AuthenticationError:
        raise
    except BaseException:
        failed = False  # not a wrong password: the store failed; nothing to count
        raise
    finally:
        if limits is not None and attempt is not None:
            limits.end(attempt, failed=failed)


def _sign_in(db: ProgramDB, username: str, password: str, kind: str) -> tuple[str, dt.datetime]:
    with write(db, None, None, "the sign-in") as ch:
        s = ch.session
        u = s.scalar(select(User).where(User.username == username))
        if not _verify(u, password) or u is None:
            raise AuthenticationError("wrong user name or password")
        if _hasher.check_needs_rehash(u.password_hash):
            u.password_hash = _hasher.hash(password)
        token = secrets.token_urlsafe(32)
        hours = float(settings.env_value("session_hours"))
        expires = utcnow() + dt.timedelta(hours=hours)
        ch.add(
            Token(
                user_id=u.id,
                token_hash=_token_hash(token),
                kind=kind,
                scope="write",
                label="sign-in" if kind == "api" else "",
                expires_at=expires,
            )
        )
        return token, expires


def create_api_token(
    db: ProgramDB,
    actor: Actor,
    username: str,
    label: str,
    *,
    scope: str = "read",
    days: int | None = None,
) -> str:
    """A named API token for a user (shown once; only its hash is kept): ``scope`` ``read``
    (the default: it may not change anything) or ``write``; it expires after ``days`` (the
    setting ``api_token_days`` when None)."""
    if scope not in TOKEN_SCOPES:
        raise InputError(f"a token's scope is read or write; got {scope!r}")
    if days is None:
        days = int(settings.value("api_token_days"))
    if not 1 <= days <= 3660:
        raise InputError(f"a token lasts 1 to 3660 days; got {days}")
    own = actor.username == username
    with write(db, actor, "self.manage" if own else "users.manage", f"a token of {username}") as ch:
        u = _user(ch.session, username)
        token = secrets.token_urlsafe(32)
        expires = utcnow() + dt.timedelta(days=days)
        t = Token(
            user_id=u.id,
            token_hash=_token_hash(token),
            kind="api",
            scope=scope,
            label=label,
            expires_at=expires,
        )
        ch.add(t)
        ch.flush()
        after = {"user": username, "label": label, "scope": scope}
        ch.audit("create", "token", t.id, None, {**after, "expires_at": expires.isoformat()})
        return token


def _token_state(t: Token, now: dt.datetime) -> str:
    if t.revoked:
        return "revoked"
    if t.expires_at is not None and t.expires_at < now:
        return "expired"
    return "active"


def list_tokens(db: ProgramDB, actor: Actor, username: str) -> list[dict[str, Any]]:
    """Every session and API token of a user, newest first: id, kind, scope, label, when
    created and when it expires, and its state (active, expired or revoked); never the
    token."""
    if actor.username != username:
        check(actor, "users.manage")
    now = utcnow()
    with db.session() as s:
        u = _user(s, username)
        rows = s.scalars(select(Token).where(Token.user_id == u.id).order_by(Token.id.desc())).all()
        return [
            {
                "id": t.id,
                "kind": t.kind,
                "scope": t.scope,
                "label": t.label,
                "created_at": t.created_at.isoformat(timespec="seconds"),
                "expires_at": t.expires_at.isoformat(timespec="seconds") if t.expires_at else "",
                "state": _token_state(t, now),
            }
            for t in rows
        ]


def revoke_token(db: ProgramDB, actor: Actor, token_id: int) -> dict[str, object]:
    """End one session or API token (by its id in :func:`list_tokens`) at once; an
    administrator may end anyone's, a user their own."""
    with write(db, actor, "self.manage", f"token {token_id}") as ch:
        t = ch.session.get(Token, token_id)
        u = ch.session.get(User, t.user_id) if t is not None else None
        if t is None or u is None:
            raise NotFoundError(
                f"no token {token_id}", hint="`exportplan user tokens NAME` lists the ids"
            )
        if u.username != actor.username:
            ch.require("users.manage")
        before = t.revoked
        t.revoked = True
        ch.audit(
            "update",
            "token",
            t.id,
            {"revoked": before},
            {"revoked": True, "user": u.username, "label": t.label},
        )
        return {"id": t.id, "user": u.username, "kind": t.kind, "label": t.label}


def sign_out(db: ProgramDB, token: str) -> None:
    with write(db, None, None, "the sign-out") as ch:
        t = ch.session.scalar(select(Token).where(Token.token_hash == _token_hash(token)))
        if t is not None:
            t.revoked = True


def actor_for_token(db: ProgramDB, token: str, *, kind: str) -> Actor:
    """Who holds ``token``, a live token of ``kind`` (``'session'``: the web's session cookie;
    ``'api'``: a bearer token) of an active user; checked against the store on every call, so
    a sign-out, a revocation, a password change or a disabled user ends it at once."""
    with db.session() as s:  # the token and its user in one query (every page asks)
        row = s.execute(
            select(Token, User)
            .outerjoin(User, User.id == Token.user_id)
            .where(Token.token_hash == _token_hash(token), Token.kind == kind)
        ).first()
        t, u = (row[0], row[1]) if row is not None else (None, None)
        if t is None or _token_state(t, utcnow()) != "active":
            raise AuthenticationError("unknown, expired or revoked token; sign in again")
        if u is None or not u.active:
            raise AuthenticationError("the token's user is no longer active")
        return Actor(
            username=u.username,
            role=u.role,
            agency_id=u.agency_id,
            user_id=u.id,
            scope=t.scope,
        )


def actor_for_user(db: ProgramDB, username: str) -> Actor:
    """Act as a named user from the command line (``--user``), with that user's role."""
    with db.session() as s:
        u = _user(s, username)
        if not u.active:
            raise AuthenticationError(f"user {username!r} is not active")
        return Actor(username=u.username, role=u.role, agency_id=u.agency_id, user_id=u.id)


def users_with_password(db: ProgramDB, password: str) -> list[str]:
    """The active users whose password is ``password`` (the demo's, say): one Argon2 check
    per user, so callers cache the answer."""
    with db.session() as s:
        rows = s.scalars(select(User).where(User.active.is_(True)).order_by(User.username))
        found = []
        for u in rows:
            try:
                if _hasher.verify(u.password_hash, password):
                    found.append(u.username)
            except (VerificationError, InvalidHashError):
                continue
        return found
