"""The investment pipeline's links on the shared small demo: the target tree's component from
investment projects equals a direct query on the customs rows and never exceeds the node's
achieved figure (which it does not change); the board's filters narrow cards, figures and
downloads alike; time in stage by sector and priority adds up to the whole; the event page's
follow-up is refused field by field in both languages with nothing written, and once made
ticks the checklist; the weekly digest holds each overdue enquiry, dormant project and due
follow-up exactly once; the handover dossier has the agency's investment section."""

from __future__ import annotations

import copy
import datetime as dt
import json
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import jdatetime
import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select
from typer.testing import CliRunner

import exportplan.store.invest.models as m
from exportplan import reports
from exportplan.auth import Actor
from exportplan.cli import app
from exportplan.domain import INVEST_STAGES
from exportplan.errors import NotFoundError, PermissionDeniedError
from exportplan.services import program
from exportplan.services.invest import attribution, digest, figures
from exportplan.services.invest.follow_up import FollowUpError, record_follow_up
from exportplan.services.program.progress import months_of, tree_progress
from exportplan.services.users import local_actor
from exportplan.views import invest as views
from exportplan.web.app import create_app
from exportplan.workspace import Workspace
from test_web import BROWSER, sign_in

TODAY = dt.date(2026, 11, 28)  # the small demo's day


@pytest.fixture
def client(small_demo: Workspace) -> Iterator[TestClient]:
    with TestClient(create_app(small_demo), follow_redirects=False, headers=BROWSER) as c:
        yield c


def _direct(
    ws: Workspace, view: dict[str, Any], firms: dict[str, dt.date], months: list[int], slice_: Any
) -> float:
    """The firms' exports in the program's year, months and slice, each from the month it
    went operating: straight from the customs rows."""
    prog = view["program"]
    year = int(prog["sh_year"])
    hs, markets = slice_
    total = 0.0
    with ws.warehouse(read_only=True) as con:
        for firm, since in firms.items():
            j = jdatetime.date.fromgregorian(date=since)
            sql = (
                "SELECT sh_month, sum(value_usd) FROM region_flows WHERE region = ? AND "
                "definition = ? AND sh_year = ? AND exporter = ?"
            )
            params: list[Any] = [prog["region"], prog["definition"], year, firm]
            if hs:
                sql += " AND (" + " OR ".join("starts_with(hs6, ?)" for _ in hs) + ")"
                params += list(hs)
            if markets:
                sql += f" AND partner IN ({', '.join('?' for _ in markets)})"
                params += list(markets)
            for month, v in con.execute(sql + " GROUP BY sh_month", params).fetchall():
                if month in months and (year, month) >= (j.year, j.month):
                    total += v
    return total


def test_the_tree_shows_the_investment_projects_part_never_adding_it(
    small_demo: Workspace, client: TestClient
) -> None:
    db = small_demo.program()
    pid = program.programs(db)[0]["id"]
    view = program.show(db, pid)
    firms = attribution.operating_firms(db)
    assert len(firms) == 2  # the demo's two operating projects with a firm (one has none)
    linked = [f for f in firms if f["priority_id"] is not None]
    assert linked, "the demo links an operating project to a priority of its product"
    progress = tree_progress(small_demo, db, pid, view=view)
    got = attribution.tree_investment(small_demo, db, pid, view=view, progress=progress)
    through = int(progress["TOTAL"]["through"])
    total = got["TOTAL"]["from_investment_usd"]
    since = {f["firm"]: f["since"] for f in firms}
    assert total == pytest.approx(
        _direct(small_demo, view, since, list(range(1, through + 1)), ((), ()))
    )
    assert 0 < total <= progress["TOTAL"]["achieved_usd"]
    assert got["TOTAL"]["projects"] == sorted(f["code"] for f in firms)
    # only measured nodes get a figure; an agency's share gets none, as in the tree
    assert set(got) == {c for c, p in progress.items() if p["measured"]}
    # a priority's node counts only its projects, and only the priority's products and markets:
    # give the linked priority the slice where its firm exports most, and compare
    p_code = next(p["code"] for p in view["priorities"] if p["id"] == linked[0]["priority_id"])
    with small_demo.warehouse(read_only=True) as con:
        top = con.execute(
            "SELECT substr(hs6, 1, 4), partner FROM region_flows WHERE exporter = ? AND "
            "sh_year = ? GROUP BY ALL ORDER BY sum(value_usd) DESC LIMIT 1",
            [linked[0]["firm"], int(view["program"]["sh_year"])],
        ).fetchone()
    assert top is not None
    hs4, partner = top
    moved = copy.deepcopy(view)
    for p in moved["priorities"]:
        if p["code"] == p_code:
            p["hs_codes"], p["markets"] = [hs4], [partner]
    prog2 = tree_progress(small_demo, db, pid, view=moved)
    got2 = attribution.tree_investment(small_demo, db, pid, view=moved, progress=prog2)
    node = got2[p_code]
    assert node["projects"] == [linked[0]["code"]]
    months = [mo for mo in months_of(None) if mo <= int(prog2[p_code]["through"])]
    want = _direct(
        small_demo, moved, {linked[0]["firm"]: linked[0]["since"]}, months, ([hs4], [partner])
    )
    assert node["from_investment_usd"] == pytest.approx(want) and want > 0
    assert node["from_investment_usd"] <= prog2[p_code]["achieved_usd"] + 1e-6
    others = [p["code"] for p in view["priorities"] if p["code"] != p_code]
    assert all(got[c]["projects"] == [] and got[c]["from_investment_usd"] == 0 for c in others)
    # the program page shows it beside achieved, which stays the tree's own figure
    sign_in(client)
    rows = {
        r["code"]: r
        for r in client.get("/program.json?lang=en").json()["tables"]["targets"]["rows"]
    }
    assert rows["TOTAL"]["achieved_usd"] == pytest.approx(progress["TOTAL"]["achieved_usd"])
    assert rows["TOTAL"]["from_investment_usd"] == pytest.approx(total)


def test_the_board_filters_narrow_cards_figures_and_downloads(
    small_demo: Workspace, client: TestClient
) -> None:
    db = small_demo.program()
    rows = figures.project_rows(db)
    imt_high = [r for r in rows if r["agency"] == "IMT" and r["likelihood"] == "high"]
    assert 0 < len(imt_high) < len(rows)
    sign_in(client)
    b = client.get("/investment.json?lang=en&agency=IMT&likelihood=high").json()
    cards = [c for col in b["columns"] for c in col["cards"]]
    assert sorted(c["code"] for c in cards) == sorted(r["code"] for r in imt_high)
    assert (b["shown"], b["total"]) == (len(imt_high), len(rows))
    assert sum(b["funnel"]["projects_by_stage"].values()) == len(imt_high)
    f = figures.funnel_figures(db, dt.date.today(), only={r["code"] for r in imt_high})
    assert b["funnel"]["capex_by_stage_usd"] == f["capex_by_stage_usd"]
    chosen = {x["name"]: x["value"] for x in b["filters"]}
    assert chosen == {
        "sector": "",
        "priority": "",
        "agency": "IMT",
        "country": "",
        "status": "",
        "likelihood": "high",
    }
    csv = client.get("/download/investment/projects.csv?lang=en&agency=IMT&likelihood=high")
    assert csv.status_code == 200 and csv.text.count("\n") == 1 + len(imt_high)
    lost = client.get("/investment.json?lang=en&status=lost").json()
    assert [c["code"] for col in lost["columns"] for c in col["cards"]] == ["EP-0011"]
    none = client.get("/investment.json?lang=en&sector=nope").json()
    assert none["shown"] == 0 and sum(none["funnel"]["projects_by_stage"].values()) == 0
    html = client.get("/investment?lang=fa&agency=IMT").text
    assert 'id="board-filters"' in html and '<option value="IMT" selected>' in html


def test_time_in_stage_by_sector_and_priority_adds_up_to_the_whole(small_demo: Workspace) -> None:
    f = figures.funnel_figures(small_demo.program(), TODAY)
    for by in ("time_in_stage_by_sector", "time_in_stage_by_priority"):
        groups = f[by]
        assert len(groups) >= 2 if by.endswith("sector") else len(groups) >= 1
        for s in INVEST_STAGES:
            for k in ("completed", "current"):
                assert sum(g[s][k] for g in groups.values()) == f["time_in_stage"][s][k]
    assert "none" in f["time_in_stage_by_priority"]  # most projects have no priority


def _interactions(db: Any) -> int:
    with db.session() as s:
        return int(s.scalar(select(func.count()).select_from(m.Interaction)) or 0)


def test_a_follow_up_from_the_event_page(small_demo: Workspace, client: TestClient) -> None:
    db = small_demo.program()
    ev = next(e for e in figures.events_follow_up(db) if e["code"] == "MIM-1405-3")
    todo = next(c for c in ev["checklist"] if not c["done"])
    before = _interactions(db)
    sign_in(client)
    url = "/investment/events/MIM-1405-3/interactions"
    csrf = client.cookies["ep_csrf"]
    bad = {"csrf": csrf, "investor": "999999", "kind": "dinner", "on": "2030-01-01"}
    fa = client.post(f"{url}?lang=fa", data=bad)
    assert fa.status_code == 422
    assert "یکی از شرکت‌کنندگان همایش را برگزینید" in fa.text
    assert "dinner از این‌ها نیست" in fa.text and "در آینده است" in fa.text
    assert 'id="e-follow-up-on"' in fa.text and 'aria-invalid="true"' in fa.text
    en = client.post(
        f"{url}?lang=en",
        data={**bad, "investor": str(todo["investor_id"]), "kind": "call", "on": "2026-01-01"},
    )
    assert en.status_code == 422 and "2026-01-01 is before the event (2026-10-27)" in en.text
    assert "choose one of" not in en.text  # only the field at fault
    assert _interactions(db) == before  # nothing written
    # the page's downloads are of this event (the code is in the path, the links carry it)
    page = client.get("/investment/events/MIM-1405-3?lang=en").text
    assert "/download/investment_event/checklist.csv?code=MIM-1405-3" in page
    csv = client.get("/download/investment_event/checklist.csv?code=MIM-1405-3&lang=en").text
    assert csv.count("\n") == 1 + len(ev["checklist"])
    day = ev["held_on"] + dt.timedelta(days=2)
    ok = client.post(
        f"{url}?lang=en",
        data={
            "csrf": csrf,
            "investor": str(todo["investor_id"]),
            "kind": "call",
            "on": day.isoformat(),
            "notes": "called",
        },
    )
    assert ok.status_code == 303 and "msg=saved" in ok.headers["location"]
    assert _interactions(db) == before + 1
    after = next(e for e in figures.events_follow_up(db) if e["code"] == "MIM-1405-3")
    row = next(c for c in after["checklist"] if c["investor_id"] == todo["investor_id"])
    assert row["done"] and row["followed_up_on"] == day
    assert after["followed_up"] == ev["followed_up"] + 1
    # a viewer may not; a member only for the investor's project's agency
    with pytest.raises(PermissionDeniedError):
        record_follow_up(
            db,
            Actor("v", "viewer"),
            "MIM-1405-3",
            investor=todo["investor_id"],
            kind="call",
            on=day,
        )
    with pytest.raises(FollowUpError) as exc:
        record_follow_up(
            db, local_actor(), "MIM-1405-3", investor="x", kind="call", on="1405/13/01"
        )
    assert set(exc.value.errors) == {"investor", "on"}


def test_the_weekly_digest_holds_each_item_once(small_demo: Workspace, tmp_path: Path) -> None:
    db = small_demo.program()
    every = digest.digests(db, TODAY)
    inbox = [e for e in figures.enquiries_inbox(db, TODAY) if e["overdue"]]
    got = sorted(e["ref"] for d in every.values() for e in d["overdue_enquiries"])
    assert got == sorted(e["ref"] for e in inbox) and got
    imt = digest.agency_digest(db, "IMT", TODAY)
    assert [e["ref"] for e in imt["overdue_enquiries"]] == [
        e["ref"]
        for e in sorted(
            (e for e in inbox if e["agency"] == "IMT"), key=lambda e: (e["left"], e["ref"])
        )
    ]
    dormant = sorted(p["code"] for d in every.values() for p in d["dormant"])
    assert dormant == sorted(figures.dormant_projects(db, TODAY))
    week = (TODAY - dt.timedelta(days=7), TODAY + dt.timedelta(days=7))
    due = [
        (e["code"], c["investor_id"])
        for e in figures.events_follow_up(db)
        if week[0] <= e["due"] <= week[1] and e["held_on"] <= TODAY
        for c in e["checklist"]
        if not c["done"]
    ]
    listed = [f for d in every.values() for f in d["follow_ups_due"]]
    assert len(listed) == len(due)
    assert sum(len(d["projects"]) for d in every.values()) == len(figures.project_rows(db))
    runner = CliRunner()
    res = runner.invoke(
        app,
        [
            "invest",
            "digest",
            "--agency",
            "IMT",
            "--as-of",
            "1405/09/07",
            "--json",
            "-w",
            str(small_demo.path),
        ],
    )
    assert res.exit_code == 0, res.output
    assert [e["ref"] for e in json.loads(res.output)["overdue_enquiries"]] == [
        e["ref"] for e in imt["overdue_enquiries"]
    ]
    nope = runner.invoke(app, ["invest", "digest", "--agency", "NOPE", "-w", str(small_demo.path)])
    assert isinstance(nope.exception, NotFoundError) and "IMT" in nope.exception.hint
    # the handover dossier's investment section: the agency's projects and overdue enquiries
    pdf = tmp_path / "d.pdf"
    pdf.write_bytes(reports.handover(db, "IMT", lang="en", today=TODAY))
    text = subprocess.run(
        ["pdftotext", str(pdf), "-"], capture_output=True, check=True, text=True
    ).stdout
    assert "Investment pipeline (" in text and imt["overdue_enquiries"][0]["ref"] in text
    ctx = views.digest_page(db, "fa", "IMT", today=TODAY)
    assert len(ctx.tables["overdue_enquiries"]["rows"]) == len(imt["overdue_enquiries"])


def test_a_capex_in_rials_on_the_gate_form_asks_for_its_currency(
    small_demo: Workspace, client: TestClient
) -> None:
    db = small_demo.program()
    with db.session() as s:
        p = s.scalars(
            select(m.Project).where(m.Project.stage == "lead").order_by(m.Project.code.desc())
        ).first()
        assert p is not None
        code, version = p.code, p.version
    sign_in(client)
    form = {
        "csrf": client.cookies["ep_csrf"],
        "to": "qualified",
        "version": str(version),
        "capex_usd": "5000000000000",
        "sector": "0729",
        "project_type": "greenfield",
        "project_manager": "Rahimi",
        "likelihood": "low",
    }
    for lang, words in (("en", "is this rial or toman?"), ("fa", "آیا ریال یا تومان است؟")):
        r = client.post(f"/investment/projects/{code}/move?lang={lang}", data=form)
        assert r.status_code == 422 and words in r.text and 'name="capex_currency"' in r.text
    with db.session() as s:  # nothing written
        assert s.scalars(select(m.Project).where(m.Project.code == code)).one().version == version
    ok = client.post(
        f"/investment/projects/{code}/move?lang=en",
        data={**form, "capex_currency": "IRT", "capex_rate": "1000000"},
    )
    assert ok.status_code == 303
    got = client.get(f"/investment/projects/{code}.json?lang=en").json()["project"]
    assert got["stage"] == "qualified" and got["capex_usd"] == pytest.approx(5e13 / 1e6)
    assert got["capex_original"]["currency"] == "IRT" and got["capex_original"]["value"] == 5e12
