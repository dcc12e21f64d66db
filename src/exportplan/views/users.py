"""The users page: the users and their roles (administrators and secretaries may see them),
with the agencies a new user may belong to."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from exportplan.auth import Actor
from exportplan.i18n import label as t
from exportplan.services import program, users
from exportplan.store.program import ProgramDB
from exportplan.views.context import PageContext
from exportplan.views.tables import table

__all__ = ["UsersContext", "users_page"]


@dataclass(kw_only=True)
class UsersContext(PageContext):
    """The users; ``agencies``: the agencies (code and names) for the form that adds one."""

    agencies: list[dict[str, Any]] = field(default_factory=list)


def users_page(db: ProgramDB, lang: str, who: Actor) -> UsersContext:
    """Users and roles (administrators and secretaries may see them)."""
    rows = users.list_users(db, who)
    return UsersContext(
        page="users",
        title=t("Users", lang),
        lang=lang,
        tables={
            "users": table(
                t("Users", lang),
                rows,
                [
                    ("username", "User name", "text"),
                    ("display_name", "name", "text"),
                    ("role", "role", "text"),
                    ("agency_id", "agency", "text"),
                    ("active", "active", "bool"),
                ],
                lang,
            )
        },
        charts={},
        notes=[],
        synthetic=False,
        agencies=program.agencies(db),
    )
