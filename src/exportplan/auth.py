"""Who may do what: the acting user (:class:`Actor`), the roles, and the permissions as data.

Roles: ``admin`` (everything, users too), ``secretary`` (edits everything in the programs),
``member`` (edits only their own agency's actions, KPIs and notes), ``viewer`` (reads),
``zone-operator`` (edits only the industrial zones its agency operates). Each
permission names the roles that hold it everywhere and the roles that hold it only for their
own agency; :func:`check` is the one place a role is compared, on the server side, for every
write. The front doors only say who the actor is.

An actor signed in by an API token of scope ``read`` holds only the reading rights
(:data:`READ_SCOPE`), whatever the role: every write is refused in :func:`check`.
"""

from __future__ import annotations

import getpass
from dataclasses import dataclass

from exportplan.errors import PermissionDeniedError

ROLES = ("admin", "secretary", "member", "viewer", "zone-operator")
EDITORS = ("admin", "secretary")


@dataclass(frozen=True)
class Permission:
    """A right: held by ``roles`` everywhere, by ``own_agency`` roles for their agency only;
    ``what`` names the things it is about in a refusal ("actions")."""

    roles: tuple[str, ...]
    own_agency: tuple[str, ...] = ()
    what: str = ""


PERMISSIONS: dict[str, Permission] = {
    "read": Permission(ROLES),
    "program.edit": Permission(EDITORS),
    "program.import": Permission(EDITORS),
    "agency.edit": Permission(EDITORS),
    "target.edit": Permission(EDITORS),
    "priority.edit": Permission(EDITORS),
    "kpi.refresh": Permission(EDITORS),
    "action.edit": Permission(EDITORS, own_agency=("member",), what="actions"),
    "note.add": Permission(EDITORS, own_agency=("member",), what="actions"),
    "kpi.edit": Permission(EDITORS, own_agency=("member",), what="KPIs"),
    "kpi.measure": Permission(EDITORS, own_agency=("member",), what="KPIs"),
    "users.list": Permission(EDITORS),
    "users.manage": Permission(("admin",)),
    "self.manage": Permission(ROLES),  # one's own password and tokens
    # claims: recording a checked text in the claim register (checking one is a read)
    "claims.record": Permission(("admin", "secretary", "member")),
    # ---- industrial zones (issue 18): a zone operator edits the zones its agency operates ----
    "zone.create": Permission(EDITORS),
    "zone.edit": Permission(EDITORS, own_agency=("zone-operator",), what="zones"),
    # investment pipeline (issue 19): a member edits their agency's projects; moving a project
    # to ``operating`` (it counts toward the export target) and importing are the editors'
    "invest.edit": Permission(EDITORS, own_agency=("member",), what="investment projects"),
    "invest.operate": Permission(EDITORS),
    "invest.import": Permission(EDITORS),
    # suppliers: the registry, buyers' demand lists, curating matches and introductions
    "supplier.edit": Permission(EDITORS),
    "demand.edit": Permission(EDITORS),
    "match.curate": Permission(EDITORS),
}
#: The rights a token of scope ``read`` keeps
READ_SCOPE = frozenset({"read", "users.list"})


@dataclass(frozen=True)
class Actor:
    """Who is acting: a user of the store, or the local command line (an administrator: whoever
    can open the workspace's files can change them anyway)."""

    username: str
    role: str
    agency_id: int | None = None
    user_id: int | None = None
    scope: str = "write"  # "read": an API token that may not write

    def require(self, *roles: str) -> None:
        """Refuse unless the actor has one of ``roles``."""
        if self.role not in roles:
            raise PermissionDeniedError(
                f"{self.username} ({self.role}) may not do this; it needs the role "
                + " or ".join(roles)
            )

    def may(self, permission: str, *, agency_id: int | None = None) -> bool:
        """Whether :func:`check` would let the actor through."""
        try:
            check(self, permission, agency_id=agency_id)
        except PermissionDeniedError:
            return False
        return True


def check(actor: Actor, permission: str, *, agency_id: int | None = None) -> None:
    """Refuse (:class:`~exportplan.errors.PermissionDeniedError`) unless ``actor`` holds
    ``permission``, for the agency ``agency_id`` when the right is held per agency."""
    try:
        p = PERMISSIONS[permission]
    except KeyError:
        raise ValueError(f"unknown permission {permission!r}") from None
    if actor.scope != "write" and permission not in READ_SCOPE:
        raise PermissionDeniedError(
            f"{actor.username} signed in with a read-only token (scope read), which may not "
            "change anything",
            hint="create a token with --scope write for a script that writes",
        )
    if actor.role in p.roles:
        return
    if not p.own_agency:
        actor.require(*p.roles)
        return
    if actor.role in p.own_agency:
        if agency_id is not None and actor.agency_id == agency_id:
            return
        exc = PermissionDeniedError(f"{actor.username} may edit only their own agency's {p.what}")
        exc.template = "{user} may edit only their own agency's {what}"  # type: ignore[attr-defined]
        exc.values = {"user": actor.username, "what": p.what}  # type: ignore[attr-defined]
        raise exc
    raise PermissionDeniedError(f"{actor.username} ({actor.role}) may not edit {p.what}")


def local_actor() -> Actor:
    """The local command line: an administrator named after the login."""
    try:
        login = getpass.getuser()
    except (KeyError, OSError):
        login = "local"
    return Actor(username=f"cli:{login}", role="admin")
