"""The demo's supplier registry and demand lists: the synthetic files imported through the
same imports a user runs, the matches proposed, and a few curators' decisions and an
introduction so that every page has something to show."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from exportplan.auth import Actor
from exportplan.services.suppliers import curation, imports, matching
from exportplan.store.program.db import ProgramDB
from exportplan.synthetic import suppliers as synthetic

DEMO_ACTOR = Actor("demo", "admin")


def build(db: ProgramDB, folder: Path, *, today: dt.date) -> str:
    """Import the demo registry and lists into ``db``; returns a one-line report."""
    paths = synthetic.write_files(folder)
    reg = imports.import_firms(db, DEMO_ACTOR, paths["registry"], today=today)
    imports.import_demand(
        db,
        DEMO_ACTOR,
        paths["nioc"],
        buyer="NIOC",
        kind="import_substitution",
        title="فهرست ساخت داخل شرکت ملی نفت (ساختگی)",
    )
    imports.import_demand(
        db,
        DEMO_ACTOR,
        paths["eu"],
        buyer="AT_MACHINES",
        kind="rfq",
        title="Austrian machine builder: parts request (synthetic)",
    )
    gaps = 0
    for buyer in ("NIOC", "AT_MACHINES"):
        results = matching.run(db, DEMO_ACTOR, buyer=buyer, top=10, today=today, record=True)
        gaps += sum(r.gap for r in results)
    stored = curation.matches(db, DEMO_ACTOR, buyer="NIOC")
    firsts = [m for m in stored if m["rank"] == 1][:3]
    for m in firsts[:2]:
        curation.decide(db, DEMO_ACTOR, m["match_id"], state="shortlisted", version=m["version"])
    if len(firsts) > 2:
        curation.decide(
            db,
            DEMO_ACTOR,
            firsts[2]["match_id"],
            state="rejected",
            reason="price",
            version=firsts[2]["version"],
        )
    if firsts:
        curation.introduce(
            db, DEMO_ACTOR, firsts[0]["match_id"], now=dt.datetime.combine(today, dt.time(9))
        )
    return (
        f"suppliers: {reg.created} firms ({reg.rows_accepted} capabilities), demand lists "
        f"NIOC and AT_MACHINES, {gaps} gap item(s)"
    )
