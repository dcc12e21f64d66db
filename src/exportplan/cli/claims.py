"""Commands that check a news text's quantitative claims against the workspace."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from exportplan.cli.common import WorkspaceOpt, app, choice, out, workspace_of
from exportplan.errors import InputError
from exportplan.i18n import label as t

claims_app = typer.Typer(
    no_args_is_help=True, help="Check the quantitative claims of a news text against the data."
)
app.add_typer(claims_app, name="claims")


@claims_app.command("check")
def check(
    text: Annotated[str | None, typer.Option("--text", help="The text to check.")] = None,
    file: Annotated[
        Path | None, typer.Option("--file", help="A UTF-8 text file to check instead.")
    ] = None,
    published: Annotated[
        str | None,
        typer.Option(
            "--published",
            help="Publication date, Solar Hijri YYYY/MM/DD (resolves «امسال», «سال گذشته»).",
        ),
    ] = None,
    lang: Annotated[str, typer.Option("--lang", help="fa (default) or en.")] = "fa",
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON instead of tables.")] = False,
    workspace: WorkspaceOpt = None,
) -> None:
    """Extract a text's claims and check each under every definition and period that could
    apply, with the numbers behind each verdict.

    Example: exportplan claims check --text "صادرات استان در سال جاری ۲۰ درصد افزایش یافت"
    --published 1405/09/10
    """
    from exportplan.services.claims.check import check_text, parse_published
    from exportplan.views.claims import (
        check_rows,
        claims_json,
        flag_texts,
        kind_text,
        period_text,
        verdict_sentence,
    )

    lg = choice("lang", lang, ("en", "fa"))
    if (text is None) == (file is None):
        raise InputError("give the text with --text or a file with --file (one of them)")
    if file is not None:
        try:
            body = file.read_text(encoding="utf-8")
        except UnicodeDecodeError:
            raise InputError(f"{file} is not UTF-8 text", hint="save it as UTF-8") from None
    else:
        body = text or ""
    ws = workspace_of(workspace)
    checked = check_text(ws, body, parse_published(published))
    if as_json:
        out.print_json(json.dumps(claims_json(checked, lg), ensure_ascii=False))
        return
    if not checked:
        out.print(t("no checkable quantity found in the text", lg))
        return
    for c in checked:
        quoted = body[c.claim.start : c.claim.end]
        out.print(
            f"[bold]«{quoted}»[/] {kind_text(c.claim.kind, lg)} · "
            f"{period_text(c.claim.period, lg)}",
            highlight=False,
            markup=True,
        )
        for flag in flag_texts(c.claim.flags, lg):
            out.print(f"⚠ {flag}", highlight=False, markup=False)
        table = Table()
        cols = ("definition", "measure", "period", "base", "computed", "verdict")
        for col in cols:
            table.add_column(t(col, lg))
        for row in check_rows(c, lg):
            table.add_row(*[str(row[k]) for k in cols])
        out.print(table)
        out.print(verdict_sentence(c, lg), highlight=False)
