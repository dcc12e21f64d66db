"""The one way into the program store for a write: the role check, one transaction, the
optimistic version check, conflicts as clear errors, and the audit row in the same transaction.

    with write(db, actor, "action.edit", f"action {code}") as ch:
        a = ch.session.get(Action, action_id)       # reads through the same session
        ch.require("action.edit", agency_id=a.agency_id)
        ch.check_version(a, version)
        a.progress = 50
        ch.flush()
        ch.audit("update", "action", a.id, before, as_dict(a), program_id=a.program_id)

Nothing is saved unless the block ends normally; any error rolls everything back.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from sqlalchemy.exc import IntegrityError, OperationalError
from sqlalchemy.orm import Session
from sqlalchemy.orm.attributes import flag_modified
from sqlalchemy.orm.exc import StaleDataError

from exportplan.auth import PERMISSIONS, Actor, check
from exportplan.errors import ConflictError
from exportplan.store.program.db import ProgramDB
from exportplan.store.program.models import Audit, Base


class Change:
    """An open write: what a service may do to the store inside :func:`write`."""

    def __init__(self, session: Session, actor: Actor | None, what: str) -> None:
        self.session = session
        self.actor = actor
        self.what = what
        self.counts: dict[str, int] = {}  # audit rows written, by op (create, update, delete)
        #: the audit rows written so far (op, entity, entity_id, before, after): what a
        #: preview that is then rolled back shows
        self.log: list[dict[str, Any]] = []

    def require(self, permission: str, *, agency_id: int | None = None) -> None:
        """The actor's right to ``permission`` (for ``agency_id``), once the row is known."""
        if self.actor is None:
            raise ValueError("a write without an actor cannot check a permission")
        check(self.actor, permission, agency_id=agency_id)

    def add(self, obj: Base) -> None:
        self.session.add(obj)

    def delete(self, obj: Base) -> None:
        self.session.delete(obj)

    def touch(self, obj: Base, attribute: str) -> None:
        """Mark ``obj`` changed (its version is bumped at the flush) though no value changed."""
        flag_modified(obj, attribute)

    @property
    def dirty(self) -> bool:
        """Whether a row read in this write has been changed."""
        return bool(self.session.dirty)

    def check_version(self, obj: Base, version: int | None, what: str | None = None) -> None:
        """Refuse if ``obj`` changed since the caller read it at ``version`` (None: no check)."""
        current = getattr(obj, "version")  # noqa: B009
        if version is not None and version != current:
            raise ConflictError(
                f"{what or self.what} has changed since you read it (your version {version}, "
                f"now {current}); nothing was saved",
                hint="reload it and apply your change again",
            )

    def flush(self, what: str | None = None) -> None:
        """Send the changes so far, turning a lost optimistic-locking race into a clear
        conflict."""
        what = what or self.what
        try:
            self.session.flush()
        except StaleDataError as exc:
            raise ConflictError(
                f"{what} was changed by someone else while you were editing it; nothing was saved",
                hint="reload it and apply your change again",
            ) from exc
        except IntegrityError as exc:  # two people created the same code at the same moment
            raise ConflictError(
                f"{what} was created or changed by someone else at the same moment; nothing "
                "was saved",
                hint="reload and try again",
            ) from exc
        except OperationalError as exc:
            if "locked" not in str(exc).lower():
                raise
            raise ConflictError(
                f"{what} is being changed by someone else right now; nothing was saved",
                hint="try again in a moment",
            ) from exc

    def audit(
        self,
        op: str,
        entity: str,
        entity_id: int,
        before: dict[str, Any] | None,
        after: dict[str, Any] | None,
        *,
        program_id: int | None = None,
        agency_id: int | None = None,
    ) -> None:
        """The audit row of a change (who, when, before, after), in the same transaction."""
        if self.actor is None:
            raise ValueError("an audited change needs an actor")
        self.counts[op] = self.counts.get(op, 0) + 1
        self.log.append(
            {"op": op, "entity": entity, "entity_id": entity_id, "before": before, "after": after}
        )
        self.session.add(
            Audit(
                username=self.actor.username,
                op=op,
                entity=entity,
                entity_id=entity_id,
                program_id=program_id,
                agency_id=agency_id,
                before=before,
                after=after,
            )
        )


@contextmanager
def write(
    db: ProgramDB,
    actor: Actor | None,
    permission: str | None,
    what: str,
    *,
    agency_id: int | None = None,
) -> Iterator[Change]:
    """One checked, audited, all-or-nothing change of the store.

    ``permission`` is checked first; for a right held per agency whose agency is not known
    yet (``agency_id`` None), only that the role can hold it at all, and the service calls
    :meth:`Change.require` once the row is read. ``actor`` and ``permission`` are None only
    for signing in and out, where the user is not known yet.
    """
    if actor is not None and permission is not None:
        p = PERMISSIONS.get(permission)
        if agency_id is None and p is not None and p.own_agency and actor.role in p.own_agency:
            pass  # the agency is checked once the row is known
        else:
            check(actor, permission, agency_id=agency_id)
    with db.session() as s:
        ch = Change(s, actor, what)
        yield ch
        ch.flush()
