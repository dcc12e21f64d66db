"""The users page: the users, their roles and agencies by name in the page's language
(administrators and secretaries may see them), with the agencies a new user may belong to."""

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
    agencies = program.agencies(db)
    by_id = {a["id"]: a for a in agencies}
    rows = []
    for u in users.list_users(db, who):
        a = by_id.get(u.get("agency_id"))
        name = (a.get("name_fa") if lang == "fa" else a.get("name_en")) if a else None
        rows.append(
            {
                **u,
                "role_label": t(str(u["role"]), lang),
                "agency": f"{name or a['code']} ({a['code']})" if a else "",
            }
        )
    return UsersContext(
        page="users",
        title=t("Users", lang),
        lang=lang,
        tables={
            "users": table(
                t("Users", lang),
                rows,
                [
                    ("username", "User name", "data"),
                    ("display_name", "name", "data"),
                    ("role_label", "role", "text"),
                    ("agency", "agency", "text"),
                    ("active", "active", "bool"),
                ],
                lang,
            )
        },
        charts={},
        notes=[],
        synthetic=False,
        agencies=agencies,
    )
