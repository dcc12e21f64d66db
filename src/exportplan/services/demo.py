"""The demo workspace: a seeded synthetic world and province, imported through the same
importers a user runs, then a short report that shows the workspace working.

Everything is labelled synthetic: file names start with ``SYNTHETIC``, datasets are flagged
``synthetic`` (``exportplan datasets`` shows it), and the report says so first.
"""

from __future__ import annotations

import datetime as dt
import json
import shutil
from collections.abc import Callable
from pathlib import Path

import numpy as np
import polars as pl

from exportplan.analytics.ecomplexity import Options
from exportplan.errors import WorkspaceError
from exportplan.reference.countries import country_name
from exportplan.services import (
    complexity_report,
    demo_program,
    demo_zones,
    monitor,
    opportunities,
    program,
)
from exportplan.services.imports import baci, customs
from exportplan.services.invest import demo as invest_demo
from exportplan.services.plan_of_record import choose_program
from exportplan.store.warehouse.queries import top_exporters
from exportplan.synthetic import province, world
from exportplan.workspace import CONFIG, Workspace, init

MARKER = "demo.json"
REGION = "East Azerbaijan"


def build(
    path: Path,
    *,
    years: int = 6,
    products: int = 1200,
    seed: int = 20240601,
    today: dt.date | None = None,
    rows_per_year: int = 250_000,
    log: Callable[[str], None] = print,
    signal: bool = True,
    trade_only: bool = False,
) -> str:
    """(Re)build the demo workspace at ``path`` and return a report of what it holds. The
    province is drawn from its world's model; ``signal=False`` draws its flows independently
    of the world (the back-test's "nothing to find" case, docs/opportunities.md).
    ``trade_only`` builds the world's and the province's trade and nothing else (no program,
    zones, investment pipeline or supplier registry, and a one-line report)."""
    path = Path(path)
    if (path / CONFIG).exists():
        if not (path / MARKER).exists():
            raise WorkspaceError(
                f"{path} is a workspace that the demo did not build; not touching it",
                hint="choose another folder with --workspace",
            )
        shutil.rmtree(path)
    today = today or dt.date.today()
    ws = init(path, home_region=REGION, home_country="IRN")
    inputs = path / "demo-input"
    w = world.generate(
        inputs / "world",
        years=years,
        n_products=products,
        seed=seed,
        rows_per_year=rows_per_year,
        first_year=2024 - years + 1,
    )
    log(
        f"synthetic world: {len(w.iso3)} countries, {len(w.hs6)} HS6 products, years "
        f"{w.years[0]}-{w.years[-1]}"
    )
    p = province.generate(inputs / "province", today=today, world=w, seed=seed, signal=signal)
    with ws.warehouse() as con:
        for f in sorted((inputs / "world").glob("SYNTHETIC_BACI_Y*.csv")):
            baci.import_file(
                con,
                f,
                country_file=inputs / "world" / "SYNTHETIC_country_codes.csv",
                hs_edition="HS17",
                source="SYNTHETIC world (exportplan demo generator)",
                synthetic=True,
            )
        for f in p.files_customs:
            customs.import_file(
                con,
                f,
                customs.CustomsOptions(
                    region=REGION,
                    definition="customs",
                    synthetic=True,
                    source="SYNTHETIC province customs records (exportplan demo generator)",
                ),
            )
        for f in p.files_origin:
            customs.import_file(
                con,
                f,
                customs.CustomsOptions(
                    region=REGION,
                    synthetic=True,
                    source="SYNTHETIC province origin records (exportplan demo generator)",
                ),
            )
    if trade_only:
        (path / MARKER).write_text(
            json.dumps({"seed": seed, "built": today.isoformat(), "synthetic": True}),
            encoding="utf-8",
        )
        return f"SYNTHETIC DEMO DATA (trade only): {len(w.years)} years of the world, the province"
    last_year, _ = province.last_complete_month(today)
    # the program (its total is the USD 3 bn target of the brief) with its priorities,
    # sub-targets, agencies, actions and KPIs
    demo_program.build(ws, sh_year=last_year, today=today)
    # the industrial zones (issue 18): the Tabriz leather and shoe zone and a state estate
    demo_zones.build(ws, today=today)
    with ws.warehouse(read_only=True) as con:  # the mining investment pipeline
        firms = top_exporters(con, ws.home_region, 2)
    invest_demo.build(ws.program(), today=today, exporters=firms)
    from exportplan.services.suppliers import demo as suppliers_demo  # the supplier registry

    log(suppliers_demo.build(ws.program(), inputs / "suppliers", today=today))
    (path / MARKER).write_text(
        json.dumps({"seed": seed, "built": today.isoformat(), "synthetic": True}), encoding="utf-8"
    )
    return report(ws)


def region_totals(ws: Workspace, region: str | None = None) -> pl.DataFrame:
    """Exports of the region by Solar Hijri year and definition, with the months covered
    (from the monitoring service's monthly series, so the numbers are the monitor's)."""
    rows = []
    for definition in ("customs", "origin"):
        scope = monitor.Scope(region=region or ws.home_region, definition=definition)
        for year, values in sorted(monitor.monthly(ws, scope).items()):
            known = np.isfinite(values)
            rows.append((year, definition, int(known.sum()), float(values[known].sum())))
    return pl.DataFrame(
        rows, schema=["sh_year", "definition", "months", "value_usd"], orient="row"
    ).sort("sh_year", "definition")


def report(ws: Workspace) -> str:
    """A plain-text tour of the workspace (synthetic data is said to be synthetic)."""
    lines = ["SYNTHETIC DEMO DATA: every figure below is made up by a seeded generator.", ""]
    with ws.warehouse(read_only=True) as con:
        ds = con.execute(
            "SELECT kind, count(*), sum(rows_read), sum(rows_accepted), "
            "sum(rows_rejected) FROM datasets GROUP BY kind ORDER BY kind"
        ).fetchall()
    for kind, n, read, acc, rej in ds:
        lines.append(f"{kind}: {n} file(s), {read:,} rows read, {acc:,} accepted, {rej:,} rejected")
    tot = region_totals(ws)
    lines += [
        "",
        f"{ws.home_region}: exports by Solar Hijri year (USD; the two definitions are "
        "never added together)",
    ]
    for definition, label in (
        ("customs", "leaving through the province's customs"),
        ("origin", "made in the province"),
    ):
        sub = tot.filter(pl.col("definition") == definition)
        lines.append(f"  {label}:")
        prev = None
        for y, _d, months, v in sub.iter_rows():
            if months == 12:
                growth = f"  {100 * (v / prev - 1):+.1f}%" if prev else ""
                lines.append(f"    {y}: {v / 1e9:6.2f} bn{growth}")
                prev = v
                continue
            st = monitor.status(ws, monitor.Scope(region=ws.home_region, definition=definition), y)
            vs = (
                f", {st.growth_pct:+.1f}% on the same months of {y - 1}"
                if st.growth_pct is not None
                else ""
            )
            lines.append(f"    {y}: {v / 1e9:6.2f} bn  (months 1-{months}{vs})")
    # the same computation as `exportplan complexity` on the workspace (the Atlas sample filter
    # by default), so the figure printed here is the one the command gives
    res = complexity_report.report(
        ws, level="hs4", years=[2024], region_mode="subnational", options=Options()
    ).frame
    reg = res.filter(pl.col("loc").str.starts_with("region:"))
    if reg.height:
        eci = reg.get_column("eci")[0]
        countries = (
            res.filter(pl.col("in_sample"))
            .select("loc", "eci")
            .unique()
            .sort("eci", descending=True)
        )
        rank = countries.filter(pl.col("eci") > eci).height + 1
        lines += [
            "",
            f"Complexity 2024 at HS4 (subnational mode, customs definition): the province's "
            f"ECI {eci:+.2f} would rank {rank} of {countries.height + 1} among the countries.",
            "  Products with the highest RCA (rca, pci):",
        ]
        top = reg.filter(pl.col("mcp") == 1).sort("rca", descending=True).head(5)
        for prod, rca, pci in top.select("prod", "rca", "pci").iter_rows():
            lines.append(f"    HS {prod}: RCA {rca:8.1f}, PCI {pci:+.2f}")
    top_hs = ""
    if reg.height:
        res_opp = opportunities.table(ws, opportunities.Params(level="hs4"))
        top_hs = str(
            res_opp.table.sort("region_usd", "prod", descending=[True, False]).get_column("prod")[0]
        )
        mk = opportunities.markets(ws, top_hs, params=opportunities.Params(level="hs4"), top=3)
        yrs = mk.meta["world_years"]
        lines += [
            "",
            f"Export potential of the province's largest HS4 product, HS {top_hs} (customs "
            f"definition, USD a year, {yrs[0]}-{yrs[-1]} averages, demand {mk.meta['horizon_years']}"
            " years ahead): markets with the most untapped potential",
        ]
        for r in mk.table.iter_rows(named=True):
            lines.append(
                f"  {r['rank']}. {country_name(r['market'])}: "
                f"potential {r['potential_usd'] / 1e6:,.1f} m, "
                f"actual {r['actual_usd'] / 1e6:,.1f} m, untapped {r['untapped_usd'] / 1e6:,.1f} m"
            )
    chosen = choose_program(ws.program(), region=ws.home_region).program
    if chosen is not None:
        view = program.show(ws.program(), chosen.id)
        p = view["program"]
        tree = view["targets"]
        lines += [
            "",
            f"Program {p['sh_year']} ({p['definition']} definition): target USD "
            f"{p['target_usd'] / 1e9:.2f} bn, {len(view['priorities'])} priorities from the "
            f"opportunities, sub-targets allocating USD {tree['allocated_usd'] / 1e9:.2f} bn, "
            f"{len(view['actions'])} actions of {len({a['agency'] for a in view['actions']})} "
            f"agencies ({len(view['overdue'])} overdue), {len(view['kpis'])} KPIs.",
            f"  Demo users admin, secretary, imt, cus, agri (agency members) and viewer; "
            f"password {demo_program.DEMO_PASSWORD!r} (synthetic, local).",
            f"  Try `exportplan program show --year {p['sh_year']} -w {ws.path}`.",
        ]
    latest = tot.get_column("sh_year").to_list()[-1] if tot.height else ""
    lines += [
        "",
        f"Workspace: {ws.path}. Try `exportplan monitor status --year {latest} "
        f"-w {ws.path}`, `exportplan datasets -w {ws.path}`, "
        f"`exportplan complexity -w {ws.path} --level hs4 --year 2024 -o eci.csv`"
        + (
            f" and `exportplan opportunities markets --product {top_hs} -w {ws.path}`."
            if top_hs
            else "."
        ),
    ]
    return "\n".join(lines)
