"""The industrial zones' page contexts: the zone dashboard (plot map, KPI tiles, backlog
chart, deadline risk), a plot's page, an application's flow (scrutiny checklist, the plots
that fit, the decision) and the idle-plot worklist; each a dataclass the template, the JSON
twin, the downloads and the monthly report read alike."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from exportplan.auth import Actor
from exportplan.i18n import label as t
from exportplan.services.zones import records
from exportplan.services.zones.evidence import idle_suspects, land_exports
from exportplan.services.zones.outcome import outcome
from exportplan.services.zones.pipeline import INSPECTION_FINDINGS, NOTICE_KINDS, SCRUTINY_ITEMS
from exportplan.services.zones.status import zone_status
from exportplan.store.program.db import ProgramDB
from exportplan.views import zone_charts
from exportplan.views.context import PageContext
from exportplan.views.format import fmt
from exportplan.views.tables import table
from exportplan.workspace import Workspace


def _pct(share: float | None) -> float | None:
    """A share (0..1) in percent, as the ``share`` format writes it."""
    return None if share is None else 100 * share


def _name(zone: dict[str, Any], lang: str) -> str:
    return str(zone["name_fa"] if lang == "fa" else zone["name_en"])


@dataclass(kw_only=True)
class ZonesIndex(PageContext):
    zones: list[dict[str, Any]] = field(default_factory=list)


def zones_index(db: ProgramDB, lang: str) -> ZonesIndex:
    zs = records.zones_list(db)
    rows = [{"code": z["code"], "name": _name(z, lang), "kind": z["kind"]} for z in zs]
    return ZonesIndex(
        page="zones",
        title=t("Industrial zones", lang),
        lang=lang,
        zones=rows,
        tables={
            "zones": table(
                t("Industrial zones", lang),
                rows,
                [("code", "code", "text"), ("name", "Zone", "text"), ("kind", "kind", "status")],
                lang,
            )
        },
    )


@dataclass(kw_only=True)
class ZoneDashboard(PageContext):
    zone: dict[str, Any]
    as_of: str
    status: dict[str, Any]
    cards: list[tuple[str, str]] = field(default_factory=list)
    outcome: dict[str, Any] | None = None


def zone_dashboard(
    ws: Workspace, db: ProgramDB, lang: str, code: str, as_of: dt.date
) -> ZoneDashboard:
    zone = records.zone_info(db, code)
    st = zone_status(db, code, as_of=as_of)
    plots = records.plots_of(db, code, as_of=as_of)
    out = outcome(ws, db, code, as_of=as_of)  # no customs data: no firms with exports
    idle_ha = sum(p["area_m2_declared"] for p in plots if p["code"] in st["idle_plots"]) / 1e4
    cards = [
        (t("median days to decision", lang), fmt(st["median_days_to_decision"], "num", lang)),
        (
            t("90th percentile of days to decision", lang),
            fmt(st["p90_days_to_decision"], "num", lang),
        ),
        (t("median days to contract", lang), fmt(st["median_days_to_contract"], "num", lang)),
        (t("share of area allotted", lang), fmt(_pct(st["share_allotted_area"]), "share", lang)),
        (
            t("idle plots", lang),
            f"{fmt(len(st['idle_plots']), 'num', lang)} "
            f"({fmt(idle_ha, 'num', lang)} {t('ha', lang)})",
        ),
        (t("applications waiting", lang), fmt(st["backlog"], "num", lang)),
        (t("vacant area with every service", lang), fmt(_pct(st["readiness"]), "share", lang)),
    ]
    if out["exports_per_ha_usd"] is not None:
        cards.append(
            (t("exports per hectare (USD)", lang), fmt(out["exports_per_ha_usd"], "usd", lang))
        )
    charts: dict[str, Any] = {
        "backlog": zone_charts.backlog(
            st["backlog_by_month"], lang, t("Applications waiting and decisions by month", lang)
        )
    }
    m = zone_charts.plot_map(plots, zone.get("boundary"), lang, t("Plots by status", lang))
    if m is not None:
        charts["map"] = m
    plot_rows = [
        {
            "code": p["code"],
            "block": p["block"],
            "area": p["area_m2_declared"],
            "use": p["use_class"],
            "status": p["status_on"],
            "holder": p["holder"],
        }
        for p in plots
    ]
    tables = {
        "plots": table(
            t("Plots", lang),
            plot_rows,
            [
                ("code", "plot", "text"),
                ("block", "block", "text"),
                ("area", "area m²", "num"),
                ("use", "use", "term"),
                ("status", "status", "status"),
                ("holder", "applicant", "text"),
            ],
            lang,
        ),
        "deadline_risk": table(
            t("Deadlines in the next 90 days", lang),
            st["deadline_risk"],
            [("plot", "plot", "text"), ("deadline", "deadline", "status"), ("day", "day", "date")],
            lang,
        ),
        "backlog": table(
            t("Backlog by month", lang),
            st["backlog_by_month"],
            [
                ("month", "month", "digits"),
                ("waiting", "waiting", "num"),
                ("decisions", "decisions", "num"),
            ],
            lang,
        ),
        "land_exports": table(
            t("Land and exports by year", lang),
            land_exports(ws, db, code, as_of=as_of),
            [
                ("sh_year", "year", "digits"),
                ("area_allotted_ha", "area allotted (ha)", "num"),
                ("area_operating_ha", "area operating (ha)", "num"),
                ("firms", "firms on the zone's plots", "num"),
                ("firms_with_exports", "firms with exports", "num"),
                ("exports_usd", "exports (USD)", "usd"),
                ("exports_per_operating_ha_usd", "exports per operating hectare (USD)", "usd"),
            ],
            lang,
        ),
        "applications": table(
            t("Applications", lang),
            [
                {
                    "ref": a["ref"],
                    "applicant": a["applicant_name"],
                    "submitted": a["submitted_at"],
                    "area": a["area_requested_m2"],
                    "status": a["status"],
                }
                for a in records.applications_of(db, code)
            ],
            [
                ("ref", "application", "text"),
                ("applicant", "applicant", "text"),
                ("submitted", "submitted", "date"),
                ("area", "area m²", "num"),
                ("status", "status", "status"),
            ],
            lang,
        ),
    }
    return ZoneDashboard(
        page="zone",
        title=_name(zone, lang),
        lang=lang,
        zone=zone,
        as_of=as_of.isoformat(),
        status=st,
        cards=cards,
        outcome=out,
        charts=charts,
        tables=tables,
        synthetic="synthetic" in zone["name_en"].lower(),
    )


@dataclass(kw_only=True)
class PlotPage(PageContext):
    zone: dict[str, Any]
    record: dict[str, Any]
    firm: dict[str, Any] | None = None
    editable: bool = False
    findings: list[tuple[str, str]] = field(default_factory=list)
    notice_kinds: list[tuple[str, str]] = field(default_factory=list)


def _reason(text: str, lang: str) -> str:
    """A status change's reason as the pipeline wrote it ("application SLM-018", "contract of
    SLM-018") in the page's language; other reasons as written."""
    for head in ("contract of", "application"):
        if text.startswith(head + " ") and lang == "fa":
            return f"{t(head, lang)} {text[len(head) + 1 :]}"
    return text


def plot_page(
    ws: Workspace,
    db: ProgramDB,
    lang: str,
    code: str,
    plot: str,
    as_of: dt.date,
    who: Actor | None = None,
) -> PlotPage:
    rec = records.plot_record(db, code, plot)
    out = outcome(ws, db, code, as_of=as_of)
    firm = next((f for f in out["firms"] if f["plot"] == plot), None)
    history = [{**h, "reason": _reason(str(h.get("reason") or ""), lang)} for h in rec["history"]]
    tables = {
        "history": table(
            t("Status history", lang),
            history,
            [
                ("at", "day", "date"),
                ("from_status", "from", "status"),
                ("to_status", "to", "status"),
                ("reason", "reason", "text"),
                ("by", "by", "data"),
            ],
            lang,
        ),
        "milestones": table(
            t("Milestones", lang),
            rec["milestones"],
            [("kind", "milestone", "status"), ("actual_at", "day", "date")],
            lang,
        ),
        "notices": table(
            t("Notices", lang),
            rec["notices"],
            [
                ("kind", "notice", "status"),
                ("issued_at", "issued", "date"),
                ("deadline", "deadline", "date"),
                ("legal_ref", "legal basis", "text"),
            ],
            lang,
        ),
        "inspections": table(
            t("Inspections", lang),
            rec["inspections"],
            [
                ("at", "day", "date"),
                ("by", "by", "data"),
                ("finding", "finding", "status"),
                ("power_kwh_last_12m", "electricity use in the last 12 months (kWh)", "num"),
            ],
            lang,
        ),
    }
    return PlotPage(
        page="zone_plot",
        title=f"{t('Plot', lang)} {plot}",
        lang=lang,
        zone=rec["zone"],
        record=rec,
        firm=firm,
        tables=tables,
        editable=who is not None
        and who.may("zone.edit", agency_id=rec["zone"]["operator_agency_id"]),
        findings=[(k, t(k, lang)) for k in INSPECTION_FINDINGS],
        notice_kinds=[(k, t(k, lang)) for k in NOTICE_KINDS],
    )


@dataclass(kw_only=True)
class ApplicationPage(PageContext):
    zone: dict[str, Any]
    record: dict[str, Any]
    checklist: list[dict[str, Any]] = field(default_factory=list)
    editable: bool = False
    reserve_options: list[tuple[str, str]] = field(default_factory=list)


def application_page(db: ProgramDB, lang: str, who: Actor, code: str, ref: str) -> ApplicationPage:
    rec = records.application_record(db, code, ref)
    checklist = [
        {"item": k, "label": t(k, lang), "value": rec["scrutiny"][k]} for k in SCRUTINY_ITEMS
    ]
    fits = [
        {
            "code": p["code"],
            "area": p["area_m2_declared"],
            "gap": _pct(p["gap"]),
            "ready": p["all_ready"],
            "status": p["status"],
        }
        for p in rec["fitting_plots"]
    ]
    tables = {
        "fitting_plots": table(
            t("Plots that fit", lang),
            fits,
            [
                ("code", "plot", "text"),
                ("area", "area m²", "num"),
                ("gap", "difference from the area asked for", "share"),
                ("ready", "every service ready", "bool"),
                ("status", "status", "status"),
            ],
            lang,
        )
    }
    return ApplicationPage(
        page="zone_application",
        title=f"{t('Application', lang)} {ref}",
        lang=lang,
        zone=rec["zone"],
        record=rec,
        checklist=checklist,
        tables=tables,
        editable=who.may("zone.edit", agency_id=rec["zone"]["operator_agency_id"]),
        reserve_options=[
            (p["code"], f"{p['code']} · {fmt(p['area_m2_declared'], 'num', lang)} {t('m²', lang)}")
            for p in rec["fitting_plots"]
            if p["status"] == "vacant"
        ],
    )


@dataclass(kw_only=True)
class WorklistPage(PageContext):
    zone: dict[str, Any]
    as_of: str
    rows: list[dict[str, Any]] = field(default_factory=list)
    suspects: list[dict[str, Any]] = field(default_factory=list)


def worklist_page(
    ws: Workspace, db: ProgramDB, lang: str, code: str, as_of: dt.date
) -> WorklistPage:
    zone = records.zone_info(db, code)
    rows = records.worklist(db, code, as_of=as_of)
    suspects = idle_suspects(ws, db, code, as_of=as_of)
    tab = table(
        t("Idle plots and the next legal step", lang),
        rows,
        [
            ("plot", "plot", "text"),
            ("status", "status", "status"),
            ("holder", "applicant", "text"),
            ("construction_deadline", "construction deadline", "date"),
            ("days_late", "days late", "num"),
            ("last_notice", "last notice", "status"),
            ("next_step", "next step", "status"),
            ("due", "due", "date"),
            ("overdue", "overdue", "bool"),
        ],
        lang,
    )
    return WorklistPage(
        page="zone_worklist",
        title=f"{t('Idle-plot worklist', lang)} · {_name(zone, lang)}",
        lang=lang,
        zone=zone,
        as_of=as_of.isoformat(),
        rows=rows,
        suspects=suspects,
        tables={
            "worklist": tab,
            "idle_suspect": table(
                t("Operating plots with no evidence of activity (idle_suspect)", lang),
                suspects,
                [
                    ("plot", "plot", "text"),
                    ("holder", "applicant", "text"),
                    ("exports_window", "exports looked for in", "digits"),
                    ("last_inspection", "last inspection", "date"),
                    ("last_finding", "finding", "status"),
                    ("next_step", "next step", "status"),
                    ("due", "due", "date"),
                ],
                lang,
            ),
        },
    )
