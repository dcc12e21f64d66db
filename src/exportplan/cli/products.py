"""Commands for product names: ``exportplan reference product`` (a code's name with its
parents, or a search by name) and ``exportplan import nomenclature`` (a national tariff book)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from exportplan.cli.common import (
    JsonOpt,
    WorkspaceOpt,
    import_app,
    out,
    print_summary,
    reference_app,
    workspace_of,
)
from exportplan.errors import InputError
from exportplan.i18n import label
from exportplan.workspace import Workspace

LangOpt = Annotated[str, typer.Option("--lang", help="fa or en (default en).")]


def _workspace(path: Path | None) -> Workspace | None:
    """The workspace given, or the default one if it exists (its tariff books' names); none
    otherwise (the nomenclature alone)."""
    from exportplan.settings import default_workspace

    if path is None and not (default_workspace() / "warehouse.duckdb").exists():
        return None
    return workspace_of(path)


def _lang(lang: str) -> str:
    if lang not in ("fa", "en"):
        raise InputError(f"--lang must be fa or en; got {lang!r}")
    return lang


@reference_app.command("product")
def reference_product(
    code: Annotated[
        str | None, typer.Argument(help="An HS code (0808, 080810, a tariff line) or a section.")
    ] = None,
    search: Annotated[
        str | None,
        typer.Option("--search", "-s", help="Find codes by name (Persian or English) or code."),
    ] = None,
    lang: LangOpt = "en",
    limit: Annotated[int, typer.Option(help="At most this many matches.")] = 20,
    as_json: JsonOpt = False,
    workspace: WorkspaceOpt = None,
) -> None:
    """A product code's name at its level and its parents, or codes found by name.

    Example: exportplan reference product 0808 --lang fa; exportplan reference product --search سیب
    """
    from exportplan.services import products

    lg = _lang(lang)
    ws = _workspace(workspace)
    if (code is None) == (search is None):
        raise InputError("give a code or --search TEXT (one of the two)")
    if search is not None:
        hits = products.find(ws, search, None, limit=limit)
        rows = [
            {
                "code": h.product.code,
                "level": h.product.level,
                "name": h.product.name(lg) or h.product.name("en"),
                "match": h.match,
            }
            for h in hits
        ]
        if as_json:
            out.print_json(json.dumps(rows, ensure_ascii=False))
            return
        if not rows:
            out.print(label("no product matches {text}", lg).format(text=repr(search)))
            return
        _table([(r["code"], label(r["level"], lg), r["name"]) for r in rows], lg)
        return
    assert code is not None
    chain = products.describe(ws, code)
    if as_json:
        out.print_json(
            json.dumps(
                {
                    "code": chain[-1].code,
                    "level": chain[-1].level,
                    "name": chain[-1].name(lg),
                    "parents": [p.to_json() for p in chain[:-1]],
                    "lineage": [p.to_json() for p in chain],
                },
                ensure_ascii=False,
            )
        )
        return
    _table([(p.code, label(p.level, lg), p.name(lg) or "–") for p in chain], lg)


def _table(rows: list[tuple[str, str, str]], lang: str) -> None:
    t = Table()
    for c in ("code", "level", "name"):
        t.add_column(label(c, lang))
    for r in rows:
        t.add_row(*r)
    out.print(t)


@import_app.command("nomenclature")
def import_nomenclature(
    file: Annotated[
        Path, typer.Argument(help="A tariff book (CSV or Excel): 8-digit codes, Persian names.")
    ],
    workspace: WorkspaceOpt = None,
) -> None:
    """Import a national tariff book: tariff lines with their Persian (and English)
    descriptions, used wherever a product is named; rows that cannot be used are kept as
    rejects.

    Example: exportplan import nomenclature tariff-1403.xlsx
    """
    from exportplan.services import data

    print_summary(data.import_nomenclature(workspace_of(workspace), file))
