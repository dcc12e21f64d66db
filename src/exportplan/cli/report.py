"""Commands for the reports: the council pack and the handover dossier (PDF), and a workbook
of every table."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from exportplan.cli.common import WorkspaceOpt, app, choice, out, workspace_of

report_app = typer.Typer(
    no_args_is_help=True, help="Reports: council pack and handover dossier (PDF), workbook."
)
app.add_typer(report_app, name="report")

LangOpt = Annotated[str, typer.Option("--lang", help="fa (right to left) or en.")]
OutOpt = Annotated[Path, typer.Option("--output", "-o", help="File to write.")]


@report_app.command("council")
def council(
    output: OutOpt,
    year: Annotated[
        int | None, typer.Option("--year", help="Solar Hijri year (default: the latest).")
    ] = None,
    month: Annotated[
        int | None, typer.Option(help="Through this month (default: the last with data).")
    ] = None,
    lang: LangOpt = "fa",
    workspace: WorkspaceOpt = None,
) -> None:
    """The council pack: target against the year to date and forecast, drivers, priorities and
    their KPIs, actions by agency (done, late, due), opportunities worth discussing.

    Example: exportplan report council --year 1405 --month 8 --lang fa -o council-1405-08.pdf
    """
    from exportplan import reports

    ws = workspace_of(workspace)
    with out.status("rendering the council pack"):
        pdf = reports.council(
            ws,
            ws.program(),
            output,
            year=year,
            month=month,
            lang=choice("lang", lang, ("fa", "en")),
        )
    out.print(f"{output}: {len(pdf):,} bytes")


@report_app.command("handover")
def handover(
    agency: Annotated[str, typer.Option(help="Agency code.")],
    output: OutOpt,
    lang: LangOpt = "fa",
    workspace: WorkspaceOpt = None,
) -> None:
    """The handover dossier: everything an agency owns in the program, for the day its head
    changes.

    Example: exportplan report handover --agency IMT -o handover-imt.pdf
    """
    from exportplan import reports
    from exportplan.services.facts import facts
    from exportplan.services.products import naming

    ws = workspace_of(workspace)
    with naming(ws):  # products by the tariff books' names where loaded
        pdf = reports.handover(
            ws.program(),
            agency,
            output,
            lang=choice("lang", lang, ("fa", "en")),
            synthetic=facts(ws).synthetic,
        )
    out.print(f"{output}: {len(pdf):,} bytes")


@report_app.command("workbook")
def workbook(output: OutOpt, lang: LangOpt = "fa", workspace: WorkspaceOpt = None) -> None:
    """Every table of every page in one Excel workbook (right-to-left sheets in Persian).

    Example: exportplan report workbook --lang fa -o tables.xlsx
    """
    from exportplan import reports

    ws = workspace_of(workspace)
    reports.workbook(ws, ws.program(), output, lang=choice("lang", lang, ("fa", "en")))
    out.print(f"written to {output}")
