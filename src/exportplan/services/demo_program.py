"""A realistic sample program in the demo workspace: the province's agencies, priorities
proposed by the demo's opportunities, sub-targets that add up to the USD 3 bn target, actions
for several agencies (some overdue), KPIs from the warehouse and by hand, and demo users.

Everything is built through the same services a secretary uses, so the audit log shows it.
The users' password is printed by the demo: the workspace is synthetic and local.
"""

from __future__ import annotations

import datetime as dt

import jdatetime
import polars as pl

from exportplan.auth import Actor
from exportplan.services import opportunities, program, users
from exportplan.workspace import Workspace

DEMO_PASSWORD = "demo-password-1405"
AGENCIES = (
    ("GOV", "Governorate: Deputy for Economic Affairs", "معاونت اقتصادی استانداری", "governorate"),
    (
        "IMT",
        "Industry, Mine and Trade Organisation",
        "سازمان صنعت، معدن و تجارت",
        "industry-mine-trade",
    ),
    ("CUS", "Customs of the province", "گمرکات استان", "customs"),
    ("ARAS", "Aras Free Zone", "منطقه آزاد ارس", "free-zone"),
    ("TCCIM", "Tabriz Chamber of Commerce", "اتاق بازرگانی تبریز", "chamber-of-commerce"),
    ("PARKS", "Industrial Parks Company", "شرکت شهرک‌های صنعتی", "industrial-parks"),
    ("AGRI", "Agriculture Jihad Organisation", "سازمان جهاد کشاورزی", "agriculture"),
)
HEADS = {
    "GOV": ("S. Karimi (synthetic)", "س. کریمی (ساختگی)", "1403/06/01"),
    "IMT": ("A. Rezaei (synthetic)", "ع. رضایی (ساختگی)", "1402/11/15"),
    "CUS": ("M. Ahmadi (synthetic)", "م. احمدی (ساختگی)", "1404/02/01"),
}
OWNER_BY_CHAPTER = {"08": "AGRI", "20": "AGRI", "72": "IMT", "73": "IMT", "39": "PARKS"}


def _sh(d: dt.date) -> str:
    j = jdatetime.date.fromgregorian(date=d)
    return f"{j.year}/{j.month:02d}/{j.day:02d}"


def build(ws: Workspace, *, sh_year: int, today: dt.date, target_usd: float = 3e9) -> int:
    db = ws.program()
    sec = Actor("secretary", "secretary")
    admin = Actor("demo-builder", "admin")
    for code, en, fa, kind in AGENCIES:
        program.add_agency(db, admin, code=code, name_en=en, name_fa=fa, kind=kind)
    for code, (en, fa, since) in HEADS.items():
        program.set_head(db, admin, code, name_en=en, name_fa=fa, start=since)
    users.create_user(db, admin, username="admin", password=DEMO_PASSWORD, role="admin")
    users.create_user(
        db,
        admin,
        username="secretary",
        password=DEMO_PASSWORD,
        role="secretary",
        display_name="Program secretary (synthetic)",
    )
    for code in ("IMT", "CUS", "AGRI"):
        users.create_user(
            db,
            admin,
            username=code.lower(),
            password=DEMO_PASSWORD,
            role="member",
            agency=code,
            display_name=f"{code} member (synthetic)",
        )
    users.create_user(db, admin, username="viewer", password=DEMO_PASSWORD, role="viewer")
    pid = int(
        program.create_program(
            db,
            sec,
            region=ws.home_region,
            country=ws.home_country,
            sh_year=sh_year,
            target_usd=target_usd,
            name=f"{ws.home_region} export program {sh_year} (SYNTHETIC demo)",
        )["id"]
    )
    # priorities: the province's six largest HS4 products, each with the market of its
    # largest export potential, proposed by the opportunity engine (with its reason)
    table = opportunities.table(ws, opportunities.Params(level="hs4")).table
    top = (
        table.group_by("prod")
        .agg(pl.col("region_usd").first())
        .sort(["region_usd", "prod"], descending=[True, False])
        .head(6)
        .get_column("prod")
        .to_list()
    )
    shares: dict[str, float] = {}
    for n, prod in enumerate(top, start=1):
        ranked = opportunities.markets(
            ws, prod, params=opportunities.Params(level="hs4"), top=None
        ).table
        best = ranked.sort(["potential_usd", "market"], descending=[True, False]).head(1)
        market = str(best.get_column("market")[0])
        program.priority_from_opportunity(
            ws, db, sec, pid, code=f"P{n}", product=prod, market=market
        )
        shares[f"P{n}"] = max(
            float(best.get_column("potential_usd")[0]), float(best.get_column("actual_usd")[0])
        )
    # sub-targets: 60% of the total over the priorities (by their size), the rest for all
    # other exports; each priority split between its owner agency and the free zone
    total_share = sum(shares.values()) or 1.0
    allocated = 0.0
    values: dict[str, float] = {}
    for n, prod in enumerate(top, start=1):
        code = f"P{n}"
        value = round(0.6 * target_usd * shares[code] / total_share, -5)
        values[code] = value
        allocated += value
        program.set_target(
            db, sec, pid, code=code, value_usd=value, priority=code, label=f"HS {prod}"
        )
        owner = OWNER_BY_CHAPTER.get(prod[:2], "IMT")
        own = round(value * 0.7, -5)
        program.set_target(
            db, sec, pid, code=f"{code}-{owner}", parent=code, value_usd=own, agency=owner
        )
        program.set_target(
            db, sec, pid, code=f"{code}-ARAS", parent=code, value_usd=value - own, agency="ARAS"
        )
    program.set_target(
        db, sec, pid, code="OTHER", value_usd=target_usd - allocated, label="all other exports"
    )
    # actions: some done, some on time, some overdue
    start = jdatetime.date(sh_year, 1, 15).togregorian()
    plan = [
        ("IMT", "P1", "Trade fair stand in Baghdad for 20 firms", 0, 75, "done"),
        ("IMT", "P1", "Buyer-seller meetings with Iraqi importers", 30, 120, "in-progress"),
        ("CUS", None, "24-hour clearance at Jolfa and Bazargan", 10, 60, "done"),
        ("CUS", None, "Electronic origin certificates for Iraq-bound cargo", 20, 330, "planned"),
        ("AGRI", "P2", "Cold-storage capacity for export fruit", 0, 150, "planned"),
        ("ARAS", None, "Re-export office for the Caucasus markets", 40, 290, "in-progress"),
        ("TCCIM", None, "Export insurance scheme with the Export Guarantee Fund", 5, 90, "blocked"),
        ("PARKS", None, "Allot idle plots to export-oriented plastics firms", 60, 300, "planned"),
        ("GOV", None, "Monthly export council with all agencies", 0, 340, "in-progress"),
    ]
    for agency, priority, title, d0, d1, status in plan:
        a = program.add_action(
            db,
            sec,
            pid,
            agency=agency,
            priority=priority if priority in shares else None,
            title=title,
            start=_sh(start + dt.timedelta(days=d0)),
            deadline=_sh(start + dt.timedelta(days=d1)),
        )
        if status != "planned":
            program.update_action(
                db,
                sec,
                int(a["id"]),
                version=int(a["version"]),
                status=status,
                progress=100 if status == "done" else 40,
                note="SYNTHETIC progress note",
            )
    # KPIs: exports of each priority from the warehouse; one measured by hand
    for n, prod in enumerate(top, start=1):
        code = f"P{n}"
        pr = next(p for p in program.priorities(db, pid) if p["code"] == code)
        program.add_kpi(
            db,
            sec,
            pid,
            code=f"K-{code}",
            agency=OWNER_BY_CHAPTER.get(prod[:2], "IMT"),
            name=f"exports of HS {prod} to {' '.join(pr['markets'])}",
            source="data",
            hs_codes=[prod],
            partners=pr["markets"],
            priority=code,
            target_value=values[code],
        )
    program.add_kpi(
        db,
        sec,
        pid,
        code="K-CLEARANCE",
        agency="CUS",
        name="days to clear an export consignment",
        source="manual",
        unit="days",
        target_value=1.0,
    )
    j = jdatetime.date.fromgregorian(date=today)
    for m in range(1, (j.month if j.year == sh_year else 13)):
        program.measure(
            db, sec, pid, "K-CLEARANCE", period=f"{sh_year}-{m:02d}", value=round(3.5 - 0.25 * m, 2)
        )
    program.refresh_kpis(ws, db, sec, pid)
    return pid
