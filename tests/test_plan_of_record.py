"""The one resolver of "the program and target of year Y under definition D": with a customs and
an origin program in the same year, monitoring, the dashboard, the program page, the council
pack, the workbook download and the CLI all show the same program, and each definition's
figures are compared with its own target."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from exportplan.cli import app as cli_app
from exportplan.errors import InputError, NotFoundError
from exportplan.reports import council_pack as render
from exportplan.services import monitor, program
from exportplan.services.demo_program import DEMO_PASSWORD
from exportplan.services.plan_of_record import choose_program, plan_of_record, program_id_for
from exportplan.services.users import local_actor
from exportplan.views import pages
from exportplan.web.app import create_app
from exportplan.workspace import Workspace, open_workspace

#: The Origin a browser sends with a form of this site: a write carrying the site's cookies
#: that names no origin is refused (web/app.py)
BROWSER = {"Origin": "http://testserver"}

ORIGIN_TARGET = 1.25e9


@pytest.fixture
def two_programs(small_demo: Workspace, tmp_path: Path) -> Workspace:
    """A copy of the demo workspace (its customs program of the latest year) with an origin
    program added for the same year."""
    path = tmp_path / "ws"
    shutil.copytree(small_demo.path, path)
    ws = open_workspace(path)
    db = ws.program()
    customs = choose_program(db, region=ws.home_region).program
    assert customs is not None and customs.definition == "customs"
    program.create_program(
        db,
        local_actor(),
        region=ws.home_region,
        country=ws.home_country,
        sh_year=customs.sh_year,
        target_usd=ORIGIN_TARGET,
        definition="origin",
        name="origin program",
    )
    return ws


def _customs(ws: Workspace) -> tuple[int, int, float]:
    ref = choose_program(ws.program(), region=ws.home_region, definition="customs").program
    assert ref is not None
    return ref.id, ref.sh_year, ref.target_usd


def test_each_definition_has_its_own_target(two_programs: Workspace) -> None:
    ws = two_programs
    cid, year, customs_target = _customs(ws)
    assert customs_target != ORIGIN_TARGET
    c = plan_of_record(ws, year, "customs")
    o = plan_of_record(ws, year, "origin")
    assert (c.target_usd, c.target_source, c.program and c.program.id) == (
        customs_target,
        "program",
        cid,
    )
    assert (o.target_usd, o.target_source) == (ORIGIN_TARGET, "program")
    assert o.program is not None and o.program.id != cid
    for definition, expected in (("customs", customs_target), ("origin", ORIGIN_TARGET)):
        scope = monitor.Scope(region=ws.home_region, definition=definition)
        assert monitor.status(ws, scope, year).target == expected
        assert monitor.get_target(ws, ws.home_region, year, definition) == expected
    # a year without a program falls back to the workspace's target, and says so
    none = plan_of_record(ws, year + 5, "customs")
    assert (none.program, none.target_usd, none.target_source) == (None, None, "none")
    monitor.set_target(ws, ws.home_region, year + 5, "customs", 2.5e9)
    later = plan_of_record(ws, year + 5, "customs")
    assert (later.target_usd, later.target_source) == (2.5e9, "workspace")
    with pytest.raises(InputError, match="has a origin program"):
        monitor.set_target(ws, ws.home_region, year, "origin", 9e9)


def test_without_a_definition_the_customs_program_is_chosen(two_programs: Workspace) -> None:
    ws = two_programs
    cid, year, _ = _customs(ws)
    choice = choose_program(ws.program(), region=ws.home_region, year=year)
    assert choice.program is not None and choice.program.id == cid
    assert [r.definition for r in choice.others] == ["origin"]
    origin = choose_program(ws.program(), region=ws.home_region, year=year, definition="origin")
    assert origin.program is not None and origin.program.target_usd == ORIGIN_TARGET
    assert choose_program(ws.program(), region=ws.home_region, year=year + 1).program is None
    with pytest.raises(InputError, match="definition must be one of customs, origin"):
        choose_program(ws.program(), region=ws.home_region, definition="made")


def test_a_year_with_only_an_origin_program_shows_it(small_demo: Workspace, tmp_path: Path) -> None:
    path = tmp_path / "ws"
    shutil.copytree(small_demo.path, path)
    ws = open_workspace(path)
    _, year, _ = _customs(ws)
    program.create_program(
        ws.program(),
        local_actor(),
        region=ws.home_region,
        country=ws.home_country,
        sh_year=year + 1,
        target_usd=ORIGIN_TARGET,
        definition="origin",
    )
    chosen = choose_program(ws.program(), region=ws.home_region).program  # the latest year
    assert chosen is not None
    assert (chosen.sh_year, chosen.definition) == (year + 1, "origin")


def test_every_front_door_shows_the_same_program(two_programs: Workspace) -> None:
    ws = two_programs
    db = ws.program()
    cid, year, customs_target = _customs(ws)
    page = pages.program_page(ws, db, "en", local_actor(), year)
    assert page["program"]["id"] == cid
    council = render.council_context(ws, db, year=year, lang="en")
    assert council["program"]["id"] == cid
    assert council["program"]["target_usd"] == customs_target
    dash = pages.dashboard(ws, db, "en", year)
    assert dash["status"]["target"] == customs_target
    with TestClient(create_app(ws), follow_redirects=False, headers=BROWSER) as c:
        c.get("/login")
        form = {"username": "secretary", "password": DEMO_PASSWORD, "csrf": c.cookies["ep_csrf"]}
        r = c.post("/login", data=form)
        assert r.status_code == 303, r.text
        r = c.get(f"/program/export.xlsx?year={year}")
        assert r.status_code == 200
        assert f"program-{year}.xlsx" in r.headers["content-disposition"]


def test_the_cli_names_both_programs_when_it_cannot_choose(two_programs: Workspace) -> None:
    ws = two_programs
    cid, year, _ = _customs(ws)
    with pytest.raises(InputError, match=r"several programs match: .*customs.*origin"):
        program_id_for(ws.program(), region=None, year=year)
    assert program_id_for(ws.program(), region=None, year=year, definition="customs") == cid
    with pytest.raises(NotFoundError, match=f"no program for {year + 9}"):
        program_id_for(ws.program(), region=ws.home_region, year=year + 9)
    res = CliRunner().invoke(cli_app, ["program", "show", "-w", str(ws.path), "--year", str(year)])
    assert isinstance(res.exception, InputError)
    assert "several programs match" in res.exception.message
    res = CliRunner().invoke(
        cli_app, ["program", "show", "-w", str(ws.path), "--program", str(cid), "--json"]
    )
    assert res.exit_code == 0, res.output
    assert json.loads(res.output)["program"]["id"] == cid
