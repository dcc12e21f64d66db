"""Downloads: every page's tables as CSV or Excel, and the reports (the same as
``exportplan report ...``): the council pack, an agency's handover dossier, the workbook."""

from __future__ import annotations

from urllib.parse import quote

from fastapi import APIRouter, Request
from fastapi.responses import Response
from starlette.exceptions import HTTPException as StarletteHTTPException

from exportplan import reports
from exportplan.errors import InputError
from exportplan.reference.text import digits
from exportplan.services import program
from exportplan.services.facts import facts
from exportplan.views.about import about_lines
from exportplan.views.common import query_int
from exportplan.views.context import PageContext, Table
from exportplan.views.pages import builders
from exportplan.views.table_files import HEADERS, csv_bytes, xlsx_bytes
from exportplan.web.site import Site, lang_of, query_of

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def disposition(name: str) -> str:
    """``Content-Disposition`` of a download named ``name``: an ASCII name for old clients and
    the name itself in UTF-8 (RFC 6266; an agency's code may be Persian, which a header cannot
    carry as it is)."""
    plain = "".join(c if c.isascii() and (c.isalnum() or c in "-_.") else "_" for c in name)
    return f"attachment; filename=\"{plain}\"; filename*=UTF-8''{quote(name, safe='')}"


def _attachment(data: bytes, media_type: str, name: str) -> Response:
    return Response(data, media_type=media_type, headers={"Content-Disposition": disposition(name)})


def table_file(
    site: Site, ctx: PageContext, tab: Table, fname: str, query: dict[str, str], lang: str
) -> Response:
    """A page's table as the CSV or Excel file ``fname`` names: its header as ``?header=``
    asks, the about block (always in Excel; in CSV with ``?about=1``), in ``lang``."""
    header = query.get("header", "label")
    if header not in HEADERS:
        raise InputError(
            f"header must be one of {', '.join(HEADERS)}, not {header[:40]!r}",
            hint="label: the page's labels; machine: the column names; both: two rows",
        )
    csv_file = fname.endswith(".csv")
    wanted = not csv_file or query.get("about", "") in ("1", "yes", "true")
    about = (
        about_lines(ctx, tab, region=site.ws.home_region, facts=facts(site.ws), query=query)
        if wanted
        else None
    )
    if csv_file:
        data = csv_bytes(tab, header=header, about=about, lang=lang)
        return _attachment(data, "text/csv; charset=utf-8", fname)
    return _attachment(xlsx_bytes(tab, lang, about=about), XLSX, fname)


def router(site: Site) -> APIRouter:
    r = APIRouter(include_in_schema=False)

    @r.get("/reports/council.pdf")
    def council_pdf(req: Request) -> Response:
        site.actor_of(req)
        lang = lang_of(req)
        pdf = reports.council(
            site.ws,
            site.db,
            year=query_int(req.query_params, "year", lang_of(req)),
            month=query_int(req.query_params, "month", lang_of(req)),
            lang=lang,
        )
        return _attachment(pdf, "application/pdf", f"council-{lang}.pdf")

    @r.get("/reports/handover/{agency}.pdf")
    def handover_pdf(req: Request, agency: str) -> Response:
        """An agency's handover dossier as of today, or of ``?date=`` (Solar Hijri or ISO: the
        day a head changed, from the program page's link)."""
        site.actor_of(req)
        lang = lang_of(req)
        day = req.query_params.get("date", "")[:20].strip()
        pdf = reports.handover(
            site.db,
            agency,
            lang=lang,
            synthetic=facts(site.ws).synthetic,
            today=program.parse_date(digits(day), "date") if day else None,
        )
        return _attachment(pdf, "application/pdf", f"handover-{agency}-{lang}.pdf")

    @r.get("/reports/workbook.xlsx")
    def tables_xlsx(req: Request) -> Response:
        site.actor_of(req)
        data = reports.workbook(site.ws, site.db, lang=lang_of(req))
        return _attachment(data, XLSX, "exportplan-tables.xlsx")

    @r.get("/download/{name}/{table}.{ext}")
    def download(req: Request, name: str, table: str, ext: str) -> Response:
        who = site.actor_of(req)
        lang = lang_of(req)
        every = builders(site.ws, site.db, lang, who, query_of(req))
        if name not in every or ext not in ("csv", "xlsx"):
            raise StarletteHTTPException(404, "no such download")
        ctx = every[name]()
        tab = ctx.tables.get(table)
        if tab is None:
            raise StarletteHTTPException(404, f"page {name} has no table {table!r}")
        return table_file(site, ctx, tab, f"{name}-{table}.{ext}", query_of(req), lang)

    return r
