"""The context of each page: what it shows, built from the services only (no computation of
its own). The HTML page and its JSON twin (``/page.json``) render the same context; every
table in it can be downloaded as CSV or Excel (``/download/page/table.csv|xlsx``).

A table is ``{"title", "columns", "labels", "kinds", "rows"}``; ``kinds`` tells the templates
how to show a column (usd, pct, num, date, text); rows keep raw values for the JSON twin.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Callable
from typing import Any

import jdatetime
import numpy as np
import polars as pl

from exportplan.errors import ExportPlanError, InputError
from exportplan.reference.countries import country_name
from exportplan.services import monitor, opportunities, program
from exportplan.services.facts import facts
from exportplan.services.plan_of_record import choose_program
from exportplan.services.users import Actor
from exportplan.store.program_db import ProgramDB
from exportplan.web import charts
from exportplan.web.labels import t
from exportplan.workspace import Workspace

PAGES = ("dashboard", "monitor", "opportunities", "program", "data")


def chart_json(spec: dict[str, Any]) -> str:
    """A spec as the text of a <script type="application/json"> element, serialised once per
    context (not per request)."""
    import json

    return json.dumps(spec, ensure_ascii=False, separators=(",", ":")).replace("</", "<\\/")


def table(
    title: str,
    rows: list[dict[str, Any]],
    columns: list[tuple[str, str, str]],
    lang: str,
) -> dict[str, Any]:
    """``columns``: (key, English label, kind)."""
    return {
        "title": title,
        "columns": [c[0] for c in columns],
        "labels": [t(c[1], lang) for c in columns],
        "kinds": {c[0]: c[2] for c in columns},
        "rows": [{c[0]: _plain(r.get(c[0])) for c in columns} for r in rows],
    }


def _plain(v: Any) -> Any:
    if isinstance(v, float) and (math.isnan(v) or math.isinf(v)):
        return None
    if isinstance(v, dt.datetime | dt.date):
        return v.isoformat()
    if isinstance(v, list):
        return " ".join(str(x) for x in v)
    return v


def current_year(ws: Workspace, definition: str = "customs") -> int:
    """The latest Solar Hijri year with data."""
    series = monitor.monthly(ws, monitor.Scope(region=ws.home_region, definition=definition))
    if not series:
        raise InputError(
            f"no {definition} exports of {ws.home_region} yet",
            hint="import the region's customs files on the Data page or with `exportplan import customs`",
        )
    return max(series)


def _named(rows: list[dict[str, Any]], lang: str, by: str) -> list[dict[str, Any]]:
    """Destinations by their Persian names on Persian pages (the services label in English)."""
    if lang != "fa" or by != "partner":
        return rows
    return [{**r, "label": country_name(str(r["key"]), "fa")} for r in rows]


def _synthetic(ws: Workspace) -> bool:
    return facts(ws).synthetic


def _program_id(db: ProgramDB, ws: Workspace, year: int) -> int | None:
    """The program of record of the home region's year (customs first; see plan_of_record)."""
    ref = choose_program(db, region=ws.home_region, year=year).program
    return ref.id if ref else None


# ---- dashboard -----------------------------------------------------------------------------


def dashboard(
    ws: Workspace, db: ProgramDB, lang: str, year: int | None = None, month: int | None = None
) -> dict[str, Any]:
    """The year to date (through ``month``, default the last with data) against the target."""
    year = year or current_year(ws)
    scope = monitor.Scope(region=ws.home_region, definition="customs")
    st = monitor.status(ws, scope, year, month)
    series = dict(monitor.monthly(ws, scope))
    this = series[year].copy()
    this[st.months :] = np.nan  # only the months reported on
    series[year] = this
    central = st.forecast_central or st.forecast
    fc = (central, st.low80, st.high80) if central and st.low80 and st.high80 else None
    ctx: dict[str, Any] = {
        "page": "dashboard",
        "title": t("Dashboard", lang),
        "year": year,
        "status": {
            k: getattr(st, k)
            for k in (
                "definition",
                "months",
                "ytd",
                "same_period_last_year",
                "growth_pct",
                "target",
                "share_of_target_pct",
                "forecast",
                "forecast_central",
                "low80",
                "high80",
                "low95",
                "high95",
                "p_target",
                "needed_monthly",
                "data",
                "method",
            )
        },
        "period": _period_text(year, st.months, lang),
        "synthetic": _synthetic(ws),
        "charts": {
            "cumulative": charts.cumulative(
                year, series[year], series.get(year - 1), st.target, fc, lang
            )
        },
        "tables": {},
        "notes": st.notes,
    }
    try:
        origin = monitor.status(
            ws, monitor.Scope(region=ws.home_region, definition="origin"), year, st.months
        )
        ctx["origin"] = {
            "ytd": origin.ytd,
            "growth_pct": origin.growth_pct,
            "months": origin.months,
        }
    except ExportPlanError as exc:  # no origin records for the period: say so
        ctx["origin"] = None
        ctx["notes"].append(f"{t('goods made in the region', lang)}: {exc.message}")
    try:
        d = monitor.drivers(ws, scope, year, month=st.months, by="partner", top=6)
        rows = _named(d.table.to_dicts(), lang, "partner")
        ctx["charts"]["drivers"] = charts.contributions(
            rows, lang, t("Top drivers of the change", lang)
        )
        ctx["tables"]["drivers"] = table(
            t("Top drivers of the change", lang),
            rows,
            [
                ("label", "destination", "text"),
                ("before", "before", "usd"),
                ("now", "now", "usd"),
                ("change", "change", "usd"),
                ("contribution_pp", "contribution (points)", "num"),
            ],
            lang,
        )
    except ExportPlanError as exc:
        ctx["notes"].append(exc.message)
    pid = _program_id(db, ws, year)
    overdue = program.actions(db, pid, overdue=True) if pid else []
    ctx["tables"]["overdue"] = table(
        t("Overdue actions", lang),
        [{**a, "deadline_day": a["deadline"]} for a in overdue],
        [
            ("code", "code", "text"),
            ("agency", "agency", "text"),
            ("title", "title", "text"),
            ("deadline_day", "deadline", "date"),
            ("status", "Status", "status"),
            ("progress", "Progress", "num"),
        ],
        lang,
    )
    return ctx


def _period_text(year: int, months: int, lang: str) -> str:
    from exportplan import i18n

    lg: i18n.Lang = "fa" if lang == "fa" else "en"
    return (
        f"{t('Solar Hijri', lang)} {_digits(str(year), lang)}, {i18n.month_range(months, 'sh', lg)}"
    )


def _digits(s: str, lang: str) -> str:
    from exportplan.reference.text import to_persian_digits

    return to_persian_digits(s) if lang == "fa" else s


# ---- monitor -------------------------------------------------------------------------------

BY_LABELS = {
    "hs2": "product (HS2)",
    "hs4": "product (HS4)",
    "partner": "destination",
    "office": "customs office",
    "size": "exporter size",
}


def monitor_page(
    ws: Workspace, lang: str, year: int | None = None, definition: str = "customs", by: str = "hs4"
) -> dict[str, Any]:
    if definition not in ("customs", "origin"):
        raise InputError("definition must be customs or origin")
    if by not in BY_LABELS:
        raise InputError(f"by must be one of {', '.join(BY_LABELS)}")
    year = year or current_year(ws, definition)
    scope = monitor.Scope(region=ws.home_region, definition=definition)
    d = monitor.drivers(ws, scope, year, by=by, top=15)
    rows = _named(d.table.to_dicts(), lang, by)
    by_partner = monitor.drivers(ws, scope, year, by="partner")
    pv = d.price_volume
    # monthly series of both definitions, never added together
    series_rows: list[dict[str, Any]] = []
    for dfn in ("customs", "origin"):
        for y, vals in sorted(
            monitor.monthly(ws, monitor.Scope(region=ws.home_region, definition=dfn)).items()
        ):
            if y < year - 2:
                continue
            for i, v in enumerate(vals):
                if np.isfinite(v):
                    series_rows.append(
                        {
                            "period": _digits(f"{y}/{i + 1:02d}", lang),
                            "definition": t(dfn, lang),
                            "usd": float(v),
                        }
                    )
    map_values = {r["key"]: r["now"] for r in by_partner.table.to_dicts() if r["now"] > 0}
    return {
        "page": "monitor",
        "title": t("Monitor", lang),
        "year": year,
        "definition": definition,
        "by": by,
        "by_options": {k: t(v, lang) for k, v in BY_LABELS.items()},
        "period": _period_text(year, d.months, lang),
        "synthetic": _synthetic(ws),
        "summary": {"before": d.total_before, "now": d.total_now, "growth_pct": d.growth_pct},
        "price_volume": {
            "volume": pv.volume,
            "price": pv.price,
            "volume_growth_pct": pv.volume_growth_pct,
            "price_growth_pct": pv.price_growth_pct,
            "unpriced": pv.unpriced,
        },
        "charts": {
            "drivers": charts.contributions(
                rows, lang, f"{t('Top drivers of the change', lang)}: {t(BY_LABELS[by], lang)}"
            ),
            "series": charts.monthly(series_rows, lang),
            "map": charts.world_map(map_values, lang, t("Destinations", lang)),
        },
        "tables": {
            "drivers": table(
                f"{t('Top drivers of the change', lang)}: {t(BY_LABELS[by], lang)}",
                rows,
                [
                    ("key", "code", "text"),
                    ("label", "name", "text"),
                    ("before", "before", "usd"),
                    ("now", "now", "usd"),
                    ("change", "change", "usd"),
                    ("contribution_pp", "contribution (points)", "num"),
                ],
                lang,
            ),
            "destinations": table(
                t("Destinations", lang),
                _named(by_partner.table.to_dicts(), lang, "partner"),
                [
                    ("key", "code", "text"),
                    ("label", "name", "text"),
                    ("before", "before", "usd"),
                    ("now", "now", "usd"),
                    ("change", "change", "usd"),
                ],
                lang,
            ),
        },
        "notes": d.notes,
    }


# ---- opportunities -------------------------------------------------------------------------


def opportunities_page(
    ws: Workspace,
    lang: str,
    product: str | None = None,
    market: str | None = None,
    preset: str = "balanced",
) -> dict[str, Any]:
    params = opportunities.Params(level="hs4")
    base = opportunities.table(ws, params)
    if not product:
        product = str(
            base.table.group_by("prod")
            .agg(pl.col("region_usd").first())
            .sort(["region_usd", "prod"], descending=[True, False])
            .get_column("prod")[0]
        )
    market = market or "IRQ"
    mk = opportunities.markets(ws, product, params=params, top=15, lang=lang)
    pr = opportunities.products(ws, market, params=params, top=15, lang=lang)
    new = opportunities.new_products(ws, params=params, preset=preset, top=40)
    new_rows = new.table.to_dicts()
    cols_m = [
        ("rank", "rank", "num"),
        ("market", "code", "text"),
        ("potential_usd", "potential", "usd"),
        ("actual_usd", "actual", "usd"),
        ("untapped_usd", "untapped", "usd"),
        ("imports_usd", "market imports", "usd"),
        ("growth_pct", "growth %/yr", "num"),
        ("reason", "reason", "text"),
    ]
    cols_p = [
        ("rank", "rank", "num"),
        ("prod", "HS code", "text"),
        ("potential_usd", "potential", "usd"),
        ("actual_usd", "actual", "usd"),
        ("untapped_usd", "untapped", "usd"),
        ("growth_pct", "growth %/yr", "num"),
        ("reason", "reason", "text"),
    ]
    with_pct = [
        {**r, "growth_pct": None if r["growth_pct"] is None else 100 * r["growth_pct"]}
        for r in mk.table.rename({"growth_pa": "growth_pct"}).to_dicts()
    ]
    prod_rows = [
        {**r, "growth_pct": None if r["growth_pct"] is None else 100 * r["growth_pct"]}
        for r in pr.table.rename({"growth_pa": "growth_pct"}).to_dicts()
    ]
    return {
        "page": "opportunities",
        "title": t("Opportunities", lang),
        "product": product,
        "market": market,
        "preset": preset,
        "presets": {p: t(p, lang) for p in ("low-hanging", "balanced", "long-jumps")},
        "meta": {
            k: mk.meta[k]
            for k in (
                "region",
                "definition",
                "unit",
                "world_years",
                "horizon_years",
                "distance_from",
                "weights",
                "excluded",
            )
        },
        "synthetic": mk.meta["synthetic"],
        "charts": {"feasibility": charts.feasibility(new_rows, lang)},
        "tables": {
            "markets": table(
                f"{t('Markets for a product', lang)}: HS {product}", with_pct, cols_m, lang
            ),
            "products": table(
                f"{t('Products for a market', lang)}: {country_name(market, lang)}",
                prod_rows,
                cols_p,
                lang,
            ),
            "new_products": table(
                t("New products", lang),
                new_rows,
                [
                    ("rank", "rank", "num"),
                    ("prod", "HS code", "text"),
                    ("density", "feasibility (density)", "num"),
                    ("pci", "PCI", "num"),
                    ("cog", "COG", "num"),
                    ("world_usd", "world trade", "usd"),
                    ("score", "score", "num"),
                    ("markets", "largest markets", "text"),
                ],
                lang,
            ),
        },
        "notes": [],
    }


# ---- program -------------------------------------------------------------------------------


def program_page(
    ws: Workspace, db: ProgramDB, lang: str, actor: Actor, year: int | None = None
) -> dict[str, Any]:
    choice = choose_program(db, region=ws.home_region, year=year)
    if choice.program is None:
        return {
            "page": "program",
            "title": t("Program", lang),
            "program": None,
            "tables": {},
            "charts": {},
            "notes": [t("Nothing to show.", lang)],
            "synthetic": _synthetic(ws),
        }
    p = {"id": choice.program.id}
    v = program.show(db, int(p["id"]))
    tree_rows: list[dict[str, Any]] = []

    def walk(node: dict[str, Any], depth: int) -> None:
        tree_rows.append(
            {
                **node,
                "depth": depth,
                "label": node["label"]
                if node["code"] != "TOTAL"
                else t("the program's total", lang),
            }
        )
        for c in node["children"]:
            walk(c, depth + 1)

    walk(v["targets"], 0)
    actions = v["actions"]
    for a in actions:
        a["editable"] = actor.role in ("admin", "secretary") or (
            actor.role == "member"
            and actor.agency_id is not None
            and _agency_id(v, a["agency"]) == actor.agency_id
        )
    kpi_rows = [
        {"kpi": k["code"], "period": _digits(m["period"], lang), "value": m["value"]}
        for k in v["kpis"]
        if k["unit"] == "USD"
        for m in k["measurements"]
    ]
    return {
        "page": "program",
        "title": t("Program", lang),
        "program": v["program"],
        "synthetic": _synthetic(ws),
        "statuses": {
            s: t(s, lang) for s in ("planned", "in-progress", "blocked", "done", "cancelled")
        },
        "actions": actions,
        "charts": {"kpis": charts.kpi_lines(kpi_rows, lang)} if kpi_rows else {},
        "tables": {
            "priorities": table(
                t("Priorities", lang),
                v["priorities"],
                [
                    ("code", "code", "text"),
                    ("hs_codes", "HS codes", "text"),
                    ("markets", "markets", "text"),
                    ("name_fa" if lang == "fa" else "name_en", "name", "text"),
                    ("reason", "reason", "text"),
                ],
                lang,
            ),
            "targets": table(
                t("Targets", lang),
                tree_rows,
                [
                    ("code", "code", "text"),
                    ("label", "label", "text"),
                    ("priority", "priority", "text"),
                    ("agency", "agency", "text"),
                    ("period", "period", "text"),
                    ("value_usd", "Target", "usd"),
                    ("unallocated_usd", "unallocated", "usd"),
                ],
                lang,
            ),
            "actions": table(
                t("Actions", lang),
                actions,
                [
                    ("code", "code", "text"),
                    ("agency", "agency", "text"),
                    ("priority", "priority", "text"),
                    ("title", "title", "text"),
                    ("start", "start", "date"),
                    ("deadline", "deadline", "date"),
                    ("status", "Status", "status"),
                    ("progress", "Progress", "num"),
                    ("overdue", "overdue", "bool"),
                ],
                lang,
            ),
            "kpis": table(
                t("KPIs", lang),
                v["kpis"],
                [
                    ("code", "code", "text"),
                    ("agency", "agency", "text"),
                    ("name", "name", "text"),
                    ("unit", "unit", "text"),
                    ("latest", "latest", "num"),
                    ("year_to_date", "year to date", "usd"),
                    ("target_value", "Target", "num"),
                ],
                lang,
            ),
        },
        "tree": tree_rows,
        "agencies": [a["code"] for a in v["agencies"]],
        "notes": [],
    }


def _agency_id(view: dict[str, Any], code: str) -> int | None:
    for a in view["agencies"]:
        if a["code"] == code:
            return int(a["id"])
    return None


# ---- data ----------------------------------------------------------------------------------


def data_page(ws: Workspace, lang: str) -> dict[str, Any]:
    from exportplan.services import data as data_svc

    ds = data_svc.datasets(ws)
    rows = ds.to_dicts()
    return {
        "page": "data",
        "title": t("Data", lang),
        "synthetic": _synthetic(ws),
        "charts": {},
        "tables": {
            "datasets": table(
                t("Imports", lang),
                rows,
                [
                    ("id", "code", "num"),
                    ("kind", "kind", "text"),
                    ("file_name", "file", "text"),
                    ("imported_at", "imported", "text"),
                    ("rows_read", "rows read", "num"),
                    ("rows_accepted", "accepted", "num"),
                    ("rows_rejected", "rejected", "num"),
                    ("region", "region", "text"),
                    ("definition", "definition", "text"),
                    ("source", "source", "text"),
                    ("synthetic", "synthetic", "bool"),
                ],
                lang,
            ),
        },
        "notes": [],
    }


def users_page(db: ProgramDB, lang: str, who: Actor) -> dict[str, Any]:
    """Users and roles (administrators and secretaries may see them)."""
    from exportplan.services import users

    rows = users.list_users(db, who)
    return {
        "page": "users",
        "title": t("Users", lang),
        "tables": {
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
        "charts": {},
        "notes": [],
        "synthetic": False,
        "agencies": program.agencies(db),
    }


def query_int(query: Any, key: str) -> int | None:
    """A whole-number parameter of a page's query (absent or empty: None)."""
    v = query.get(key)
    if v is None or v == "":
        return None
    try:
        return int(v)
    except ValueError as exc:
        raise InputError(f"{key} must be a whole number; got {v!r}") from exc


def builders(
    ws: Workspace, db: ProgramDB, lang: str, who: Actor, query: dict[str, str]
) -> dict[str, Callable[[], dict[str, Any]]]:
    """Each page's context builder with its parameters from a query (the pages, their JSON
    twins, their downloads and the workbook report share them)."""

    def num(key: str) -> int | None:
        return query_int(query, key)

    return {
        "dashboard": lambda: dashboard(ws, db, lang, num("year"), num("month")),
        "monitor": lambda: monitor_page(
            ws, lang, num("year"), query.get("definition", "customs"), query.get("by", "hs4")
        ),
        "opportunities": lambda: opportunities_page(
            ws,
            lang,
            query.get("product") or None,
            query.get("market") or None,
            query.get("preset", "balanced"),
        ),
        "program": lambda: program_page(ws, db, lang, who, num("year")),
        "data": lambda: data_page(ws, lang),
        "users": lambda: users_page(db, lang, who),
    }


def write_sheet(sheet: Any, tab: dict[str, Any], lang: str) -> None:
    """A table into an openpyxl sheet: its title, its labels, its rows (right to left in
    Persian)."""
    sheet.sheet_view.rightToLeft = lang == "fa"
    sheet.append([tab["title"]])
    sheet.append(tab["labels"])
    for r in tab["rows"]:
        sheet.append([r[c] for c in tab["columns"]])


def sh_date(iso: str, lang: str) -> str:
    """A Gregorian ISO day as the page's calendar writes it."""
    d = dt.date.fromisoformat(iso[:10])
    if lang != "fa":
        return d.isoformat()
    j = jdatetime.date.fromgregorian(date=d)
    return _digits(f"{j.year}/{j.month:02d}/{j.day:02d}", lang)
