"""Commands for the program store's users: add, list, passwords, disabling, and API tokens
(create, list, revoke one) (``exportplan user ...``)."""

from __future__ import annotations

import os
from typing import Annotated

import typer

from exportplan.cli.common import JsonOpt, WorkspaceOpt, app, out
from exportplan.cli.program import UserOpt, context, table

user_app = typer.Typer(no_args_is_help=True, help="Users, roles and API tokens.")
app.add_typer(user_app, name="user")


def _password(prompt: bool) -> str:
    pw = os.environ.get("EXPORTPLAN_PASSWORD")
    if pw:
        return pw
    if not prompt:
        from exportplan.errors import InputError

        raise InputError("no password: set EXPORTPLAN_PASSWORD or run in a terminal")
    return str(typer.prompt("password", hide_input=True, confirmation_prompt=True))


@user_app.command("add")
def user_add(
    username: Annotated[str, typer.Argument(help="User name (no spaces).")],
    role: Annotated[str, typer.Option(help="admin, secretary, member, viewer or zone-operator.")],
    agency: Annotated[str | None, typer.Option(help="Agency code (members).")] = None,
    name: Annotated[str, typer.Option(help="Display name.")] = "",
    user: UserOpt = None,
    workspace: WorkspaceOpt = None,
) -> None:
    """Add a user; the password is asked for (or read from EXPORTPLAN_PASSWORD).

    Example: exportplan user add sara --role secretary
    """
    from exportplan.services import users

    _, db, actor = context(workspace, user)
    u = users.create_user(
        db,
        actor,
        username=username,
        password=_password(True),
        role=role,
        agency=agency,
        display_name=name,
    )
    out.print(f"user {u['username']} ({u['role']})")


@user_app.command("list")
def user_list(as_json: JsonOpt = False, workspace: WorkspaceOpt = None) -> None:
    """Users and their roles.

    Example: exportplan user list
    """
    from exportplan.services import users

    _, db, actor = context(workspace, None)
    table(
        users.list_users(db, actor),
        ["username", "display_name", "role", "agency_id", "active"],
        "Users",
        as_json,
    )


@user_app.command("password")
def user_password(
    username: Annotated[str, typer.Argument(help="User name.")],
    workspace: WorkspaceOpt = None,
) -> None:
    """Set a user's password (every session and API token of the user ends at once).

    Example: exportplan user password sara
    """
    from exportplan.services import users

    _, db, actor = context(workspace, None)
    users.set_password(db, actor, username, _password(True))
    out.print(f"password of {username} changed")


@user_app.command("disable")
def user_disable(
    username: Annotated[str, typer.Argument(help="User name.")],
    enable: Annotated[bool, typer.Option("--enable", help="Enable instead.")] = False,
    workspace: WorkspaceOpt = None,
) -> None:
    """Disable (or --enable) a user; a disabled user's tokens stop working.

    Example: exportplan user disable old.user
    """
    from exportplan.services import users

    _, db, actor = context(workspace, None)
    users.set_active(db, actor, username, enable)
    out.print(f"{username} {'enabled' if enable else 'disabled'}")


@user_app.command("token")
def user_token(
    username: Annotated[str, typer.Argument(help="User name.")],
    label: Annotated[str, typer.Option(help="What the token is for.")] = "",
    scope: Annotated[
        str, typer.Option(help="read (may not change anything) or write (the user's rights).")
    ] = "read",
    days: Annotated[
        int | None,
        typer.Option(help="Days it lasts (default: the setting api_token_days, 90).", min=1),
    ] = None,
    workspace: WorkspaceOpt = None,
) -> None:
    """Create an API token for a user (printed once; send it as `Authorization: Bearer ...`);
    read-only unless --scope write; it expires after --days.

    Example: exportplan user token sara --label "monthly report script" --scope write --days 30
    """
    from exportplan.services import users

    _, db, actor = context(workspace, None)
    print(users.create_api_token(db, actor, username, label, scope=scope, days=days))


@user_app.command("tokens")
def user_tokens(
    username: Annotated[str, typer.Argument(help="User name.")],
    as_json: JsonOpt = False,
    workspace: WorkspaceOpt = None,
) -> None:
    """A user's sign-in sessions and API tokens: id, kind, scope, label, created, expires and
    state (active, expired or revoked); never the tokens themselves.

    Example: exportplan user tokens sara
    """
    from exportplan.services import users

    _, db, actor = context(workspace, None)
    table(
        users.list_tokens(db, actor, username),
        ["id", "kind", "scope", "label", "created_at", "expires_at", "state"],
        f"Tokens of {username}",
        as_json,
    )


@user_app.command("revoke-token")
def user_revoke_token(
    token_id: Annotated[int, typer.Argument(help="The token's id (`exportplan user tokens`).")],
    workspace: WorkspaceOpt = None,
) -> None:
    """End one session or API token at once (the others of the user go on).

    Example: exportplan user revoke-token 7
    """
    from exportplan.services import users

    _, db, actor = context(workspace, None)
    t = users.revoke_token(db, actor, token_id)
    label = f" ({t['label']})" if t["label"] else ""
    out.print(f"token {t['id']} of {t['user']}{label} revoked", markup=False)
