"""Commands for the supplier registry, buyers' demand lists and matching:
``exportplan suppliers ...``, ``exportplan demand ...`` and ``exportplan match ...``."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Annotated, Any

import typer

from exportplan.cli.common import JsonOpt, WorkspaceOpt, app, out
from exportplan.cli.program import UserOpt, context, table

suppliers_app = typer.Typer(
    no_args_is_help=True, help="The supplier registry: firms and what they make."
)
demand_app = typer.Typer(no_args_is_help=True, help="Buyers' demand lists.")
match_app = typer.Typer(no_args_is_help=True, help="Match demand to suppliers; gaps; evaluation.")
app.add_typer(suppliers_app, name="suppliers")
app.add_typer(demand_app, name="demand")
app.add_typer(match_app, name="match")

BuyerOpt = Annotated[str, typer.Option("--buyer", help="The buyer's code, e.g. NIOC.")]


def _json(data: Any) -> None:
    out.print_json(json.dumps(data, ensure_ascii=False, default=str))


def _summary(s: Any, as_json: bool, what: str) -> None:
    if as_json:
        _json(s.as_dict())
        return
    verb = "already imported as" if s.already_imported else "imported as"
    out.print(
        f"[bold]{s.file_name}[/]: {verb} import {s.import_id}: read {s.rows_read:,}, "
        f"accepted {s.rows_accepted:,}, rejected {s.rows_rejected:,}; {what} created "
        f"{s.created:,}, updated {s.updated:,}"
    )
    if s.already_imported:
        out.print("  nothing changed (the same file was imported before)")
    for r in s.rejects[:20]:
        out.print(f"  row {r.row}, {r.column} = {r.value!r}: {r.reason}")
    if len(s.rejects) > 20:
        out.print(
            f"  ... and {len(s.rejects) - 20} more: exportplan suppliers rejects {s.import_id}"
        )


@suppliers_app.command("import")
def suppliers_import(
    file: Annotated[Path, typer.Argument(help="CSV or XLSX, one row per capability.")],
    draft: Annotated[
        bool, typer.Option("--draft", help="Import as drafts (not validated, not matched).")
    ] = False,
    as_json: JsonOpt = False,
    user: UserOpt = None,
    workspace: WorkspaceOpt = None,
) -> None:
    """Import a registry file: columns firm_id, firm_name, capability, hs_code, capacity,
    unit, certifications ("API 6D until 1406/03/31; ISO 9001 until 1405/12/29"); Persian
    headers are recognised. A firm lands whole or not at all; every rejected row is kept.

    Example: exportplan suppliers import firms.csv
    """
    from exportplan.services.suppliers import imports

    _, db, actor = context(workspace, user)
    _summary(imports.import_firms(db, actor, file, draft=draft), as_json, "firms")


@suppliers_app.command("rejects")
def suppliers_rejects(
    import_id: Annotated[int, typer.Argument(help="The import's number.")],
    as_json: JsonOpt = False,
    workspace: WorkspaceOpt = None,
) -> None:
    """The rows a registry or demand-list import rejected (row, column, value, reason).

    Example: exportplan suppliers rejects 3
    """
    from exportplan.services.suppliers import imports

    _, db, _ = context(workspace, None)
    rows = [r.__dict__ for r in imports.import_rejects(db, import_id)]
    table(
        rows, ["row", "column", "value", "reason"], f"Rejected rows of import {import_id}", as_json
    )


@suppliers_app.command("list")
def suppliers_list(
    search: Annotated[str, typer.Option("--search", help="Text or code to look for.")] = "",
    as_json: JsonOpt = False,
    workspace: WorkspaceOpt = None,
) -> None:
    """The registry's firms (optionally those matching a search, Persian or English).

    Example: exportplan suppliers list --search "ball valve"
    """
    from exportplan.services.suppliers import registry

    _, db, actor = context(workspace, None)
    rows = registry.search(db, actor, text=search)
    table(
        rows,
        ["firm_id", "name", "state", "county", "capabilities", "certifications"],
        "Supplier registry",
        as_json,
    )


@suppliers_app.command("merge")
def suppliers_merge(
    duplicate: Annotated[str, typer.Argument(help="The firm id to merge away.")],
    into: Annotated[str, typer.Option("--into", help="The firm id to keep.")],
    user: UserOpt = None,
    workspace: WorkspaceOpt = None,
) -> None:
    """Merge a duplicate firm into another: its capabilities, certificates, vendor-list rows
    and matches move; the duplicate is removed.

    Example: exportplan suppliers merge F099 --into F012
    """
    from exportplan.services.suppliers import registry

    _, db, actor = context(workspace, user)
    moved = registry.merge(db, actor, duplicate=duplicate, into=into)
    out.print(f"{duplicate} merged into {into}: {moved} row(s) moved")


@demand_app.command("import")
def demand_import(
    file: Annotated[Path, typer.Argument(help="CSV or XLSX, one row per item.")],
    buyer: BuyerOpt,
    title: Annotated[str, typer.Option("--title", help="The list's title.")] = "",
    kind: Annotated[
        str, typer.Option("--kind", help="import_substitution, rfq, partner_request or tender.")
    ] = "import_substitution",
    as_json: JsonOpt = False,
    user: UserOpt = None,
    workspace: WorkspaceOpt = None,
) -> None:
    """Import a buyer's demand list: columns item_id, description, hs_code, quantity, unit,
    needed_by (Solar Hijri), required_certifications (";"-separated).

    Example: exportplan demand import nioc.csv --buyer NIOC --title "NIOC import substitution"
    """
    from exportplan.services.suppliers import imports

    _, db, actor = context(workspace, user)
    s = imports.import_demand(db, actor, file, buyer=buyer, title=title, kind=kind)
    _summary(s, as_json, "items")


@match_app.command("run")
def match_run(
    buyer: BuyerOpt,
    top: Annotated[int, typer.Option("--top", help="Candidates per item.")] = 10,
    as_json: JsonOpt = False,
    record: Annotated[
        bool, typer.Option("--record", help="Store the candidates as proposed matches.")
    ] = False,
    user: UserOpt = None,
    workspace: WorkspaceOpt = None,
) -> None:
    """Candidates for each item of the buyer's list (best first, ties by firm id), with
    reasons, and the firms excluded by a hard filter.

    Example: exportplan match run --buyer NIOC --top 5 --json
    """
    from exportplan.services.suppliers import matching

    _, db, actor = context(workspace, user)
    results = matching.run(db, actor, buyer=buyer, top=top, record=record)
    if as_json:
        _json([r.as_dict() for r in results])
        return
    for r in results:
        gap = " [bold red]gap[/]" if r.gap else ""
        out.print(f"[bold]{r.item}[/]{gap}")
        for c in r.candidates:
            out.print(f"  {c.firm}  {c.score:.3f}  " + "; ".join(x.text() for x in c.reasons))
        for e in r.excluded:
            out.print(f"  [dim]{e.firm} excluded because {e.reason.text()}[/]")


@match_app.command("eval")
def match_eval(
    buyer: BuyerOpt,
    gold: Annotated[Path, typer.Option("--gold", help="CSV item_id, firm_id.")],
    as_json: JsonOpt = False,
    workspace: WorkspaceOpt = None,
) -> None:
    """Measure matching against a gold file: Recall@10, P@5, MRR, gap precision.

    Example: exportplan match eval --buyer EVAL --gold gold.csv
    """
    from exportplan.services.suppliers import matching

    _, db, actor = context(workspace, None)
    m = matching.evaluate(db, actor, buyer=buyer, gold=gold)
    if as_json:
        _json(m)
        return
    for k in (
        "items",
        "items_with_suppliers",
        "gap_items",
        "recall_at_10",
        "p_at_5",
        "mrr",
        "coverage",
        "gaps_declared",
        "gap_precision",
        "gap_recall",
    ):
        out.print(f"{k}: {m[k]}")
    out.print(f"hard_filter_violations: {len(m['hard_filter_violations'])}")


@match_app.command("gaps")
def match_gaps(
    buyer: Annotated[str | None, typer.Option("--buyer", help="One buyer (default all).")] = None,
    as_json: JsonOpt = False,
    workspace: WorkspaceOpt = None,
) -> None:
    """Demand no local firm meets: items with no candidate above the threshold, valued.

    Example: exportplan match gaps --buyer NIOC
    """
    from exportplan.services.suppliers import gaps

    _, db, actor = context(workspace, None)
    rows = gaps.gaps(db, actor, buyer=buyer)
    table(
        rows,
        ["buyer", "item_id", "description", "hs_code", "annual_value_usd", "best_score"],
        "Gaps",
        as_json,
    )


@match_app.command("prioritise")
def match_prioritise(
    buyer: BuyerOpt,
    item: Annotated[str, typer.Option("--item", help="The gap item's id.")],
    market: Annotated[
        str | None,
        typer.Option(
            "--market", help="The market (default: home country for import substitution)."
        ),
    ] = None,
    program: Annotated[int | None, typer.Option("--program", help="Program id.")] = None,
    year: Annotated[int | None, typer.Option("--year", help="The program's year.")] = None,
    user: UserOpt = None,
    workspace: WorkspaceOpt = None,
) -> None:
    """Make a gap item a priority of the program (HS code, market, reason with the buyer and
    the import value to substitute), as the gap report's button does.

    Example: exportplan match prioritise --buyer NIOC --item N11
    """
    from exportplan.cli.program import _pid
    from exportplan.services.suppliers import gaps, matching

    ws, db, actor = context(workspace, user)
    mk = market or gaps.default_market(matching.the_list(db, buyer).kind, ws.home_country) or ""
    pr = gaps.to_priority(
        db, actor, _pid(ws, db, program, year), buyer=buyer, item_id=item, market=mk
    )
    out.print(f"priority {pr['code']}: HS {' '.join(pr['hs_codes'])} to {' '.join(pr['markets'])}")
    out.print(pr["reason"])


@match_app.command("labels")
def match_labels(buyer: BuyerOpt, workspace: WorkspaceOpt = None) -> None:
    """The curators' decisions as a gold file (item_id, firm_id, label) on standard output.

    Example: exportplan match labels --buyer NIOC > gold.csv
    """
    import csv

    from exportplan.services.suppliers import matching

    _, db, actor = context(workspace, None)
    w = csv.DictWriter(sys.stdout, ["item_id", "firm_id", "label"])
    w.writeheader()
    w.writerows(matching.labels(db, actor, buyer=buyer))


@match_app.command("introductions")
def match_introductions(as_json: JsonOpt = False, workspace: WorkspaceOpt = None) -> None:
    """Every introduction with its firm, item, expiry, status and outcome.

    Example: exportplan match introductions --json
    """
    from exportplan.services.suppliers import curation

    _, db, actor = context(workspace, None)
    rows = curation.introductions(db, actor)
    cols = ["introduction_id", "firm_id", "item_id", "expires_at", "status", "outcome"]
    table(rows, [*cols, "contract_value_usd"], "Introductions", as_json)


@match_app.command("outcome")
def match_outcome(
    introduction: Annotated[int, typer.Option("--introduction", help="The introduction's id.")],
    status: Annotated[str, typer.Option("--status", help="accepted, declined, held, no_show, ...")],
    outcome: Annotated[
        str,
        typer.Option(
            "--outcome", help="none, samples_requested, quotation, trial_order or contract."
        ),
    ] = "none",
    value_usd: Annotated[
        float | None, typer.Option("--value-usd", help="The contract's value in USD.")
    ] = None,
    user: UserOpt = None,
    workspace: WorkspaceOpt = None,
) -> None:
    """Record what an introduction led to: its status, the outcome (samples, a quotation, a
    trial order, a contract) and the contract's value, audited.

    Example: exportplan match outcome --introduction 3 --status held --outcome contract --value-usd 250000
    """
    from exportplan.services.suppliers import curation

    _, db, actor = context(workspace, user)
    got = curation.record_outcome(
        db, actor, introduction, status=status, outcome=outcome, value_usd=value_usd
    )
    value = got["contract_value_usd"]
    out.print(
        f"introduction {got['id']}: {got['status']}, outcome {got['outcome']}"
        + (f", USD {value:,.0f}" if value is not None else "")
    )
