"""The demo's mining investment pipeline (SYNTHETIC): three mining investment meetings of the
year with about forty projects from them and three legacy ones, at several stages and
statuses, every project meeting its stage's gate, some dormant (no contact for 90 days), some
enquiries overdue, two operating projects linked to a demo exporter and one not (exports not
trackable). Seeded: the same ``today`` gives the same pipeline."""

from __future__ import annotations

import datetime as dt
import random

import jdatetime
from sqlalchemy import select

from exportplan.auth import Actor
from exportplan.domain import INVEST_STAGES, PROJECT_TYPES
from exportplan.reference.holidays import working_days
from exportplan.store.invest.models import (
    Agreement,
    Enquiry,
    Event,
    EventAttendee,
    Interaction,
    Investor,
    Milestone,
    Opportunity,
    Project,
    Proposition,
    StageLog,
)
from exportplan.store.program.db import ProgramDB
from exportplan.store.program.models import Agency, Priority
from exportplan.store.program.writes import Change, write

__all__ = ["EVENTS", "build"]

#: the meetings: code, English and Persian titles, place, Solar Hijri day, projects from it
EVENTS = (
    (
        "MIM-1405-1",
        "Tabriz mining investment meeting",
        "همایش سرمایه‌گذاری معدن تبریز",
        "Tabriz",
        (1405, 3, 20),
        14,
    ),
    (
        "MIM-1405-2",
        "Ahar copper and molybdenum meeting",
        "همایش مس و مولیبدن اهر",
        "Ahar",
        (1405, 6, 10),
        13,
    ),
    (
        "MIM-1405-3",
        "Gold and industrial minerals meeting",
        "همایش طلا و کانی‌های صنعتی",
        "Mianeh",
        (1405, 8, 5),
        13,
    ),
)
MINERALS = (
    ("copper", "0729", "2603"),
    ("molybdenum", "0729", "2613"),
    ("gold", "0729", "7108"),
    ("iron ore", "0710", "2601"),
    ("zinc", "0729", "2608"),
    ("perlite", "0899", "2530"),
    ("bentonite", "0899", "2508"),
    ("salt", "0893", "2501"),
)
COUNTRIES = ("TUR", "CHN", "ARE", "RUS", "IND", "ARM", "AZE", "IRN", "IRN", "IRN", "DEU", "QAT")
NAMES = (
    "Anatolia Metals",
    "Silk Road Mining",
    "Gulf Resources",
    "Ural Ore",
    "Deccan Minerals",
    "Yerevan Copper",
    "Caspian Mining",
    "Sahand Madan",
    "Arasbaran Kani",
    "Tabriz Ferro",
    "Rhein Rohstoffe",
    "Doha Mining Fund",
    "Bosphorus Gold",
    "Yunnan Moly",
    "Emirates Zinc",
    "Volga Minerals",
    "Pune Perlite",
    "Gyumri Stone",
    "Baku Salt",
    "Azar Zinc",
    "Kaveh Copper",
    "Qaradagh Gold",
    "Hamburg Bentonite",
    "Lusail Resources",
    "Izmir Industrial Minerals",
    "Hunan Iron",
    "Sharjah Ores",
    "Kazan Metals",
    "Goa Ore",
    "Meghri Mining",
)
STAGE_MIX = (0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 3, 3, 3, 4, 4, 5)  # stage indexes drawn from


def _sh(y: int, m: int, d: int) -> dt.date:
    g: dt.date = jdatetime.date(y, m, d).togregorian()
    return g


def _project(
    ch: Change,
    rng: random.Random,
    *,
    code: str,
    inv: Investor,
    opp: Opportunity,
    event: Event | None,
    agency: int | None,
    created: dt.date,
    stage: int,
    today: dt.date,
    firm: str | None = None,
    priority: int | None = None,
) -> None:
    span = max((today - created).days - 1, stage + 1)
    steps = sorted(rng.sample(range(1, span + 1), stage)) if stage else []
    days = [created] + [created + dt.timedelta(days=s) for s in steps]
    capex_known = rng.random() < 0.8 or stage >= 4
    p = Project(
        code=code,
        name=f"{opp.mineral.title()} project of {inv.name}",
        investor_id=inv.id,
        opportunity_id=opp.id,
        source_event_id=event.id if event else None,
        agency_id=agency,
        priority_id=priority,
        project_type=rng.choice(PROJECT_TYPES[:3]),
        sector=opp.sector,
        project_manager=rng.choice(("Rahimi", "Ahmadi", "Karimi", "Nasiri")),
        likelihood=rng.choice(("low", "medium", "high")),
        stage=INVEST_STAGES[stage],
        status="ongoing",
        capex_usd=round(rng.uniform(2, 180), 1) * 1e6 if capex_known else None,
        capex_is_estimate=rng.random() < 0.35,
        capex_unknown=not capex_known,
        jobs_new=rng.randrange(20, 600) if stage >= 4 else None,
        expected_exports_usd_y3=round(rng.uniform(1, 60), 1) * 1e6,
        competitor_locations=["Kerman", "TUR"] if stage >= 3 else None,
        concession_ref=opp.licence_no if stage >= 2 else None,
        exporter_name=firm,
        waived_fields=[],
        created_on=created,
    )
    ch.add(p)
    ch.flush()
    prev = None
    for i, d in enumerate(days):
        ch.add(
            StageLog(
                project_id=p.id,
                from_stage=prev,
                to_stage=INVEST_STAGES[i],
                at=d,
                by="demo",
                source="move",
            )
        )
        prev = INVEST_STAGES[i]
    contacts = [created + dt.timedelta(days=rng.randrange(1, 20))]
    if stage >= 2:
        ch.add(
            Interaction(
                project_id=p.id,
                investor_id=inv.id,
                kind="site_visit",
                at=days[2],
                notes="visit to the concession (synthetic)",
            )
        )
    if stage >= 3:
        ch.add(
            Proposition(
                project_id=p.id,
                what="land and utility connection offer",
                deadline=days[3] + dt.timedelta(days=30),
            )
        )
    if stage >= 4:
        ch.add(Agreement(project_id=p.id, kind="mou", signed_on=days[4]))
    if stage >= 5:
        ch.add(
            Milestone(
                project_id=p.id, kind="commissioning", planned_on=days[5] + dt.timedelta(days=400)
            )
        )
    if stage >= 6:
        ch.add(
            Milestone(
                project_id=p.id, kind="operation_licence", planned_on=days[6], actual_on=days[6]
            )
        )
    contacts += [d for d in days[1:]]
    for d in sorted(set(contacts)):
        if d < today:
            ch.add(Interaction(project_id=p.id, investor_id=inv.id, kind="meeting", at=d))
    # the enquiry it came from: answered after a few working days, a few never
    wd = working_days()
    roll = rng.random()
    answered = None if roll < 0.12 else wd.add(created, rng.choice((0, 1, 2, 3, 4, 5, 6, 8, 12)))
    if answered is not None and answered > today:
        answered = None
    ch.add(
        Enquiry(
            project_id=p.id,
            investor_id=inv.id,
            agency_id=agency,
            channel="event" if event else rng.choice(("email", "web", "embassy")),
            received_on=created,
            first_response_on=answered,
            status="answered" if answered else "new",
        )
    )


def build(db: ProgramDB, *, today: dt.date, exporters: list[str], seed: int = 1405) -> int:
    """Write the demo pipeline (one write, audited as the demo builder); the projects made.
    ``exporters``: two exporter names of the customs data, for the operating projects."""
    rng = random.Random(seed)
    actor = Actor("demo-builder", "admin")
    n = 0
    with write(db, actor, "invest.import", "the demo's investment pipeline") as ch:
        agencies = {a.code: a.id for a in ch.session.scalars(select(Agency))}
        imt = agencies.get("IMT")
        others: list[int | None] = [agencies[c] for c in ("GOV", "ARAS", "PARKS") if c in agencies]
        others = others or [imt]
        investors = []
        for i, name in enumerate(NAMES):
            inv = Investor(
                name=f"{name} (synthetic)",
                match_key=name.lower(),
                country=COUNTRIES[i % len(COUNTRIES)],
                kind="domestic_private" if COUNTRIES[i % len(COUNTRIES)] == "IRN" else "foreign",
            )
            ch.add(inv)
            investors.append(inv)
        opps = []
        for i, (mineral, sector, hs) in enumerate(MINERALS):
            o = Opportunity(
                code=f"OPP-{i + 1:02d}",
                title=f"{mineral.title()} concession (synthetic)",
                kind="mining_concession",
                sector=sector,
                mineral=mineral,
                licence_no=f"EA-{1400 + i}-{100 + i}",
                area_km2=round(rng.uniform(2, 40), 1),
                reserve=f"{rng.randrange(2, 90)} Mt indicated (JORC-like, synthetic)",
                hs_products=[hs],
                min_capex_usd=5e6,
            )
            ch.add(o)
            opps.append(o)
        ch.flush()
        for code, title, title_fa, place, (y, mo, d), count in EVENTS:
            held = _sh(y, mo, d)
            ev = Event(
                code=code,
                title=f"{title} (synthetic)",
                title_fa=title_fa,
                held_on=held,
                place=place,
                sector="0729",
                follow_up_due_days=7,
                opportunities_presented=[o.code for o in opps[:5]],
            )
            ch.add(ev)
            ch.flush()
            who = rng.sample(investors, min(len(investors), count + 4))
            for inv in who:
                ch.add(EventAttendee(event_id=ev.id, investor_id=inv.id))
            for k in range(count):
                n += 1
                created = held + dt.timedelta(days=rng.randrange(0, 6))
                if created >= today:
                    created = today - dt.timedelta(days=1)
                age = (today - created).days
                stage = min(rng.choice(STAGE_MIX), 5, age // 20)
                agency = imt if k % 3 else rng.choice(others)
                _project(
                    ch,
                    rng,
                    code=f"EP-{n:04d}",
                    inv=who[k],
                    opp=rng.choice(opps),
                    event=ev,
                    agency=agency,
                    created=created,
                    stage=stage,
                    today=today,
                )
        # legacy projects: two operating ones linked to a demo exporter, one not linked; each
        # linked to the program's priority whose products include its opportunity's (if any)
        latest = ch.session.scalars(select(Priority).order_by(Priority.program_id.desc())).all()
        for k, firm in enumerate([*exporters[:2], None]):
            n += 1
            hs = opps[k].hs_products[0]
            match = next(
                (
                    p.id
                    for p in latest
                    if p.program_id == latest[0].program_id
                    and any(hs.startswith(c) or c.startswith(hs) for c in p.hs_codes)
                ),
                None,
            )
            _project(
                ch,
                rng,
                code=f"EP-{n:04d}",
                inv=investors[-1 - k],
                opp=opps[k],
                event=None,
                agency=imt,
                created=_sh(1402, 4 + k, 10),
                stage=6,
                today=_sh(1404, 6, 1),
                firm=firm,
                priority=match,
            )
        ch.flush()
        # a few projects went quiet: the first three of the first meeting still at lead or
        # qualified lose their recent contacts, so they are dormant by the 90-day rule
        quiet = ch.session.scalars(
            select(Project)
            .where(
                Project.stage.in_(("lead", "qualified")), Project.code <= f"EP-{EVENTS[0][5]:04d}"
            )
            .order_by(Project.code)
            .limit(3)
        ).all()
        for p in quiet:
            for contact in ch.session.scalars(
                select(Interaction).where(Interaction.project_id == p.id)
            ):
                if (today - contact.at).days <= 90:
                    ch.delete(contact)
        for code in ("EP-0011",):
            p = ch.session.scalars(select(Project).where(Project.code == code)).one()
            p.status, p.status_reason = "lost", "investor chose Kerman (synthetic)"
        ch.audit("create", "invest_demo", n, None, {"projects": n})
    return n
