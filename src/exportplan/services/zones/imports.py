"""The zones' imports: a plots file (CSV, Excel or GeoJSON) and an applications file (CSV or
Excel), each applied in one write with the same rule functions as the single edits.

All or nothing: a file with any refused row imports nothing, and every refused row is kept
(file, row, column, value, reason) in the error and in a CSV under the workspace's
``rejects/`` folder. Importing the same file again changes nothing: a row equal to what is
stored is counted as unchanged, a row that differs from it is refused.
"""

from __future__ import annotations

import csv
import datetime as dt
from pathlib import Path
from typing import Any

from sqlalchemy import select

from exportplan.auth import Actor
from exportplan.domain import DECISIONS
from exportplan.errors import ExportPlanError, ZoneImportError
from exportplan.ingest.zone_files import Reject, Row, read_applications, read_plots
from exportplan.services.zones import pipeline as pl
from exportplan.services.zones.land import USE_CLASSES, new_plot, zone_change
from exportplan.services.zones.rules import area, code, optional_day
from exportplan.services.zones.shapes import check_plots
from exportplan.store.program.db import ProgramDB
from exportplan.store.zones.models import Application, Contract, Decision, Milestone
from exportplan.store.zones.queries import zone_plots


def _refuse(name: str, rejects: list[Reject], rejects_dir: Path | None) -> ZoneImportError:
    rows = [r.__dict__ for r in sorted(rejects, key=lambda r: (r.row, r.column))]
    if rejects_dir is not None:
        rejects_dir.mkdir(parents=True, exist_ok=True)
        stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S")
        out = rejects_dir / f"{Path(name).stem}-{stamp}.rejects.csv"
        with out.open("w", newline="", encoding="utf-8") as fh:
            w = csv.DictWriter(fh, fieldnames=["file", "row", "column", "value", "reason"])
            w.writeheader()
            w.writerows(rows)
    err = ZoneImportError(name, rows)
    if rejects_dir is not None:
        err.hint = f"{err.hint} (the refused rows are in {out})"
    return err


def import_plots(
    db: ProgramDB,
    actor: Actor,
    path: Path,
    *,
    zone: str,
    rejects_dir: Path | None = None,
) -> dict[str, Any]:
    """Plots of ``zone`` from ``path``: their codes, declared areas, uses and geometries."""
    rows = read_plots(path)
    name = path.name
    rejects: list[Reject] = []
    with zone_change(db, actor, zone, f"plots of {zone} from {name}") as (ch, z):
        stored = {p.code: p for p in zone_plots(ch.session, z.id)}
        parsed: dict[str, tuple[Row, float, str]] = {}
        for r in rows:
            try:
                c = code(r.cells.get("plot", ""), "plot")
            except ExportPlanError as exc:
                rejects.append(
                    Reject(name, r.number, "plot", str(r.cells.get("plot")), exc.message)
                )
                continue
            if c in parsed:
                rejects.append(
                    Reject(
                        name,
                        r.number,
                        "plot",
                        c,
                        f"plot {c} appears twice (first on row {parsed[c][0].number})",
                    )
                )
                continue
            try:
                a = area(r.cells.get("area_m2", ""), "area_m2")
            except ExportPlanError as exc:
                rejects.append(
                    Reject(name, r.number, "area_m2", str(r.cells.get("area_m2")), exc.message)
                )
                continue
            use = str(r.cells.get("use") or "industrial").lower()
            if use not in USE_CLASSES:
                rejects.append(
                    Reject(
                        name, r.number, "use", use, f"use must be one of {', '.join(USE_CLASSES)}"
                    )
                )
                continue
            parsed[c] = (r, a, use)
        shapes, problems = check_plots(
            {
                c: (r.geometry, a)
                for c, (r, a, _u) in parsed.items()
                if c not in stored or stored[c].geometry is None
            },
            boundary=z.boundary,
            existing={c: p.geometry for c, p in stored.items() if p.geometry is not None},
        )
        for p in problems:
            rejects.append(Reject(name, parsed[p.code][0].number, p.column, p.value, p.reason))
        warnings = [w for s in shapes.values() for w in s.warnings]
        added = unchanged = 0
        for c, (r, a, use) in parsed.items():
            if c in stored:
                old = stored[c]
                if abs(old.area_m2_declared - a) < 0.01 and old.use_class == use:
                    unchanged += 1
                else:
                    rejects.append(
                        Reject(
                            name,
                            r.number,
                            "area_m2",
                            f"{a:g}",
                            f"plot {c} is stored with {old.area_m2_declared:g} m² ({old.use_class}); "
                            "a plot's area and use are changed on its page, not by a new import",
                        )
                    )
                continue
            if c not in shapes:
                continue  # refused above
            s = shapes[c]
            new_plot(
                ch,
                z,
                code_=c,
                area_m2=a,
                use_class=use,
                block=str(r.cells.get("block") or ""),
                geometry=s.geometry,
                area_m2_geometry=s.area_m2,
            )
            added += 1
        if rejects:
            raise _refuse(name, rejects, rejects_dir)
        return {
            "zone": z.code,
            "file": name,
            "rows": len(rows),
            "added": added,
            "unchanged": unchanged,
            "warnings": warnings,
        }


def _parse_app(r: Row, name: str, rejects: list[Reject]) -> dict[str, Any] | None:
    """A row's values with its own checks (days that exist, a known decision, steps in order);
    None when refused (its rejects appended)."""
    out: dict[str, Any] = {}
    start = len(rejects)

    def bad(column: str, reason: str) -> None:
        rejects.append(Reject(name, r.number, column, str(r.cells.get(column, "")), reason))

    for col in ("application_id", "plot"):
        v = r.cells.get(col, "")
        if col == "plot" and v in ("", None):
            out[col] = None
            continue
        try:
            out[col] = code(v, col)
        except ExportPlanError as exc:
            bad(col, exc.message)
    out["applicant"] = str(r.cells.get("applicant") or "").strip()
    if not out["applicant"]:
        bad("applicant", "the applicant is blank")
    try:
        out["area_m2"] = area(r.cells.get("area_m2", ""), "area_m2")
    except ExportPlanError as exc:
        bad("area_m2", exc.message)
    for col in (
        "submitted",
        "decided",
        "contract_signed",
        "construction_deadline",
        "construction_started",
        "operating_since",
        "permit_valid_to",
    ):
        try:
            out[col] = optional_day(r.cells.get(col), col)
        except ExportPlanError as exc:
            bad(col, exc.message)
    if "submitted" in out and out["submitted"] is None:
        bad("submitted", "the submission day is blank")
    decision = str(r.cells.get("decision") or "").strip().lower() or None
    if decision is not None and decision not in DECISIONS:
        bad("decision", f"decision must be one of {', '.join(DECISIONS)} or blank")
    out["decision"] = decision
    if len(rejects) > start:
        return None
    steps = [
        ("decided", "decision"),
        ("contract_signed", "decided"),
        ("construction_started", "contract_signed"),
        ("operating_since", "contract_signed"),
    ]
    if (out["decided"] is None) != (decision is None):
        bad("decision", "decided and decision are given together or not at all")
    for col, needs in steps[1:]:
        if out[col] is not None and out[needs] is None:
            bad(col, f"{col} is given but {needs} is blank")
    if out["contract_signed"] is not None and decision != "allot":
        bad("contract_signed", "only an allotted application has a contract")
    if out["contract_signed"] is not None and out["construction_deadline"] is None:
        bad("construction_deadline", "a contract needs its construction-start deadline")
    if decision == "allot" and out["plot"] is None:
        bad("plot", "an allotment names its plot")
    out["trade_card"] = str(r.cells.get("trade_card") or "").strip() or None
    out["national_id"] = str(r.cells.get("national_id") or "").strip() or None
    hs = str(r.cells.get("products_hs") or "").replace(",", " ").split()
    out["products_hs"] = [h for h in hs if h.isdigit()]
    jobs = str(r.cells.get("jobs") or "").strip()
    out["jobs"] = int(jobs) if jobs.isdigit() else None
    return None if len(rejects) > start else out


def _signature(ch: Any, app: Application) -> dict[str, Any]:
    """What a stored application's row would say (to tell a repeated row from a changed one)."""
    d = ch.session.scalar(
        select(Decision).where(Decision.application_id == app.id).order_by(Decision.id)
    )
    c = ch.session.scalar(select(Contract).where(Contract.application_id == app.id))
    ms = {
        m.kind: m.actual_at
        for m in ch.session.scalars(
            select(Milestone).where(Milestone.contract_id == (c.id if c else -1))
        )
    }
    return {
        "applicant": app.applicant_name,
        "submitted": app.submitted_at,
        "decided": d.decided_at if d else None,
        "decision": d.decision if d else None,
        "contract_signed": c.signed_at if c else None,
        "construction_started": ms.get("construction_start"),
        "operating_since": ms.get("first_production"),
    }


def import_applications(
    db: ProgramDB,
    actor: Actor,
    path: Path,
    *,
    zone: str,
    rejects_dir: Path | None = None,
) -> dict[str, Any]:
    """Applications of ``zone`` from ``path``, each taken through its steps (decision,
    contract, construction start, operation) in one write."""
    rows = read_applications(path)
    name = path.name
    rejects: list[Reject] = []
    with zone_change(db, actor, zone, f"applications of {zone} from {name}") as (ch, z):
        plots = {p.code: p for p in zone_plots(ch.session, z.id)}
        stored = {
            a.ref: a
            for a in ch.session.scalars(select(Application).where(Application.zone_id == z.id))
        }
        seen: dict[str, int] = {}
        added = unchanged = 0
        for r in rows:
            v = _parse_app(r, name, rejects)
            if v is None:
                continue
            ref = v["application_id"]
            if ref in seen:
                rejects.append(
                    Reject(
                        name,
                        r.number,
                        "application_id",
                        ref,
                        f"application {ref} appears twice (first on row {seen[ref]})",
                    )
                )
                continue
            seen[ref] = r.number
            if v["plot"] is not None and v["plot"] not in plots:
                rejects.append(
                    Reject(
                        name, r.number, "plot", v["plot"], f"zone {z.code} has no plot {v['plot']}"
                    )
                )
                continue
            if ref in stored:
                sig = _signature(ch, stored[ref])
                if all(sig[k] == v[k] for k in sig):
                    unchanged += 1
                else:
                    diff = [k for k in sig if sig[k] != v[k]]
                    rejects.append(
                        Reject(
                            name,
                            r.number,
                            diff[0],
                            str(v[diff[0]] or ""),
                            f"application {ref} is stored with other values "
                            f"({', '.join(diff)}); it is changed step by step on "
                            "its page, not by a new import",
                        )
                    )
                continue
            column = "application_id"
            try:
                plot = plots[v["plot"]] if v["plot"] else None
                a = pl.new_application(
                    ch,
                    z,
                    ref=ref,
                    applicant=v["applicant"],
                    area_m2=v["area_m2"],
                    submitted=v["submitted"],
                    trade_card=v["trade_card"],
                    national_id=v["national_id"],
                    permit_valid_to=v["permit_valid_to"],
                    products_hs=v["products_hs"],
                    jobs_planned=v["jobs"],
                    plot=plot,
                )
                if v["decision"] is not None:
                    column = "decided"
                    pl.decide(
                        ch,
                        z,
                        a,
                        v["decision"],
                        on=v["decided"],
                        plot=plot if v["decision"] == "allot" else None,
                    )
                if v["contract_signed"] is not None:
                    column = "contract_signed"
                    c = pl.sign(
                        ch,
                        z,
                        a,
                        on=v["contract_signed"],
                        construction_start_deadline=v["construction_deadline"],
                    )
                    if v["construction_started"] is not None:
                        column = "construction_started"
                        pl.milestone(ch, z, c, "construction_start", on=v["construction_started"])
                    if v["operating_since"] is not None:
                        column = "operating_since"
                        pl.milestone(ch, z, c, "first_production", on=v["operating_since"])
                added += 1
            except ExportPlanError as exc:
                col = getattr(exc, "field", column)
                col = col if col in r.cells else column
                rejects.append(Reject(name, r.number, col, str(r.cells.get(col, "")), exc.message))
        if rejects:
            raise _refuse(name, rejects, rejects_dir)
        return {
            "zone": z.code,
            "file": name,
            "rows": len(rows),
            "added": added,
            "unchanged": unchanged,
        }
