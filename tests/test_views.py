"""The views layer's seams: typed page contexts that read like mappings, the one dictionary of
words, the handover dossier's section registry, and the command line starting the web app by
name (no front door imports another)."""

from __future__ import annotations

import datetime as dt
import json
import re
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from exportplan import i18n, reports
from exportplan.cli import app as cli_app
from exportplan.cli.serve import APP_FACTORY
from exportplan.errors import NotFoundError
from exportplan.reports import dossier, sections
from exportplan.services.users import local_actor
from exportplan.store.program import ProgramDB
from exportplan.views import pages
from exportplan.views.context import PageContext
from exportplan.views.dashboard import DashboardContext
from exportplan.views.templating import environment
from exportplan.workspace import Workspace

DAY = dt.date(2026, 11, 28)


# ---- typed page contexts ---------------------------------------------------------------------


def test_a_page_context_is_typed_and_reads_like_a_mapping(small_demo: Workspace) -> None:
    ctx = pages.dashboard(small_demo, small_demo.program(), "fa", 1405, 6)
    assert isinstance(ctx, DashboardContext) and isinstance(ctx, Mapping)
    assert ctx["status"]["ytd"] == ctx.status["ytd"] and ctx["year"] == ctx.year == 1405
    assert (ctx.page, ctx.lang, ctx.dir) == ("dashboard", "fa", "rtl")
    base = {"page", "title", "lang", "dir", "tables", "charts", "notes", "synthetic"}
    assert base | {"year", "status", "period", "origin", "other", "pickers", "behind_note"} == set(
        ctx
    )
    assert len(ctx) == len(set(ctx)) and dict(ctx)["period"] == ctx.period
    with pytest.raises(KeyError):
        ctx["nope"]
    twin = ctx.to_json()
    assert twin["status"]["target"] == ctx.status["target"] and twin["lang"] == "fa"
    json.dumps(twin)  # JSON as it is


def test_every_page_builds_a_context_with_the_common_fields(small_demo: Workspace) -> None:
    db = small_demo.program()
    keyed = {"supplier_firm", "demand", "investment_project", "investment_event"}
    built = 0
    for name, build in pages.builders(small_demo, db, "en", local_actor(), {}).items():
        try:
            ctx = build()
        except NotFoundError as exc:  # a page reached with a key (a firm, a buyer) needs one
            assert name in keyed, (name, exc.message)
            continue
        built += 1
        assert isinstance(ctx, PageContext), name
        assert ctx.page == name and ctx.lang == "en" and ctx.dir == "ltr"
        for tab in ctx.tables.values():
            assert set(tab) == {"title", "columns", "labels", "kinds", "rows"}
    assert built >= len(pages.PAGES)


def test_the_html_page_and_the_json_twin_render_the_same_context(small_demo: Workspace) -> None:
    ctx = pages.monitor_page(small_demo, "en", 1405)
    html = (
        environment()
        .get_template("monitor.html")
        .render(
            **ctx, nav=[], who=None, switch_url="", switch_label="", csrf="x", query="", path="/m"
        )
    )
    assert ctx.title in html and ctx.period in html
    assert ctx.to_json()["summary"]["now"] == pytest.approx(ctx.summary["now"])


# ---- one dictionary of words -----------------------------------------------------------------


def test_one_dictionary_for_pages_reports_and_the_terminal() -> None:
    assert i18n.label("Dashboard", "fa") == i18n.FA["Dashboard"]
    assert i18n.label("customs", "en") == i18n.EN["customs"]  # a code worded in English
    assert i18n.t("customs", "en") == "customs"  # the terminal keeps codes as codes
    for word, fuller in i18n.FA_TERMINAL.items():  # a page heads a column with the shorter word
        assert i18n.t(word, "fa") == fuller != i18n.label(word, "fa") == i18n.FA[word]
    assert i18n.label("no such words", "fa") == "no such words"


def test_every_template_label_has_a_persian_form() -> None:
    """Also the templates in sub-folders (the dossier's sections)."""
    folder = Path(__file__).parents[1] / "src" / "exportplan" / "views" / "templates"
    files = list(folder.rglob("*.html"))
    assert any(f.parent.name == "dossier" for f in files)
    used: set[str] = set()
    for f in files:
        used |= set(re.findall(r'(?<![a-z_])t\("([^"]+)", lang\)', f.read_text("utf-8")))
    assert used and sorted(u for u in used if u not in i18n.FA) == []


# ---- times as people read them ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("stored", "fa", "en"),
    [
        # 1 December 2026 is 10 Azar 1405 (no-break spaces inside a day: a narrow column
        # breaks the text only between the day and the time)
        (
            "2026-12-01T15:14:45.798107",
            "۱۰\u00a0آذر\u00a0۱۴۰۵، ۱۵:۱۴",
            "1\u00a0Dec\u00a02026, 15:14 (10\u00a0Azar\u00a01405)",
        ),
        # the last minute of leap year 1403 (30 Esfand) and the first of 1404 (Nowruz)
        (
            "2025-03-20T23:59:59",
            "۳۰\u00a0اسفند\u00a0۱۴۰۳، ۲۳:۵۹",
            "20\u00a0Mar\u00a02025, 23:59 (30\u00a0Esfand\u00a01403)",
        ),
        (
            "2025-03-21T00:00:00",
            "۱\u00a0فروردین\u00a0۱۴۰۴، ۰۰:۰۰",
            "21\u00a0Mar\u00a02025, 00:00 (1\u00a0Farvardin\u00a01404)",
        ),
        # 1404 is not leap: Nowruz 1405 falls on 21 March 2026, after 29 Esfand
        (
            "2026-03-20T09:05:00",
            "۲۹\u00a0اسفند\u00a0۱۴۰۴، ۰۹:۰۵",
            "20\u00a0Mar\u00a02026, 09:05 (29\u00a0Esfand\u00a01404)",
        ),
    ],
)
def test_a_time_reads_as_a_person_reads_it(stored: str, fa: str, en: str) -> None:
    from exportplan.views.format import fmt, iso_time, time_text

    assert time_text(stored, "fa") == fmt(stored, "time", "fa") == fa
    assert time_text(stored, "en") == fmt(stored, "time", "en") == en
    # a datetime reads as its ISO text does; the machine value keeps the second, not the
    # microseconds (HTML's <time datetime> allows three decimals at most)
    moment = dt.datetime.fromisoformat(stored)
    assert time_text(moment, "fa") == fa
    assert iso_time(moment) == iso_time(stored) == stored[:19]
    assert fmt(None, "time", "fa") == fmt("", "time", "en") == "–"


# ---- the dossier's section registry ----------------------------------------------------------


def test_the_program_registers_the_dossiers_sections() -> None:
    keys = [s.key for s in sections.registered()]
    assert keys[:6] == ["agency", "targets", "actions", "kpis", "users", "history"]
    assert sections.registered()[0].title("fa") == i18n.FA["Heads"]


@pytest.fixture
def extra_section() -> Iterator[str]:
    seen: list[tuple[str, dt.date]] = []

    def build(db: ProgramDB, agency: str, today: dt.date) -> sections.SectionContext:
        seen.append((agency, today))
        return sections.TableSection(
            columns=(("code", "code", "text"), ("value", "value", "usd")),
            rows=[{"code": "SUPPLIER-7", "value": 1234567.0}],
            note="suppliers",
        )

    sections.register("suppliers", title_en="Suppliers", title_fa="تأمین‌کنندگان", build=build)
    try:
        yield "suppliers"
    finally:
        sections.unregister("suppliers")


def text_of(pdf: bytes, tmp: Path) -> str:
    path = tmp / "d.pdf"
    path.write_bytes(pdf)
    return subprocess.run(
        ["pdftotext", str(path), "-"], capture_output=True, check=True, text=True
    ).stdout


def test_a_registered_section_appears_in_the_dossier(
    small_demo: Workspace, extra_section: str, tmp_path: Path
) -> None:
    db = small_demo.program()
    ctx = dossier.dossier_context(db, "IMT", lang="en", today=DAY)
    keys = [d.section.key for d in ctx.sections]
    assert keys[-1] == extra_section and keys[0] == "agency"
    extra = ctx.sections[-1].context
    assert isinstance(extra, sections.TableSection) and extra.rows[0]["code"] == "SUPPLIER-7"
    text = text_of(reports.handover(db, "IMT", lang="en", today=DAY), tmp_path)
    assert "Suppliers (suppliers)" in text and "SUPPLIER-7" in text and "1,234,567" in text
    assert "Handover dossier" in text and "Recent history" in text
    sections.unregister(extra_section)
    ctx = dossier.dossier_context(db, "IMT", lang="en", today=DAY)
    assert extra_section not in [d.section.key for d in ctx.sections]
    text = text_of(reports.handover(db, "IMT", lang="en", today=DAY), tmp_path)
    assert "SUPPLIER-7" not in text and "Handover dossier" in text


def test_registering_a_key_again_replaces_the_section_in_its_place() -> None:
    before = [s.key for s in sections.registered()]
    first = sections.registered()[1]
    sections.register(first.key, title_en="Goals", title_fa="اهداف", build=first.build)
    try:
        assert [s.key for s in sections.registered()] == before
        assert sections.registered()[1].title("en") == "Goals"
    finally:
        sections.register(
            first.key, title_en=first.title_en, title_fa=first.title_fa, build=first.build
        )
    sections.unregister("never registered")  # nothing to do


# ---- the command line starts the web app by name ---------------------------------------------


def test_serve_hands_uvicorn_the_apps_factory_by_name(
    small_demo: Workspace, monkeypatch: pytest.MonkeyPatch
) -> None:
    import uvicorn

    calls: list[tuple[Any, dict[str, Any]]] = []
    monkeypatch.setattr(uvicorn, "run", lambda app, **kw: calls.append((app, kw)))
    monkeypatch.setenv("EXPORTPLAN_WORKSPACE", "/nowhere")  # restored after the test
    res = CliRunner().invoke(cli_app, ["serve", "-w", str(small_demo.path), "--port", "8123"])
    assert res.exit_code == 0, res.output
    assert "on http://127.0.0.1:8123/" in res.output
    ((app, kw),) = calls
    assert app == APP_FACTORY == "exportplan.web.app:app_from_env"
    assert kw == {"factory": True, "host": "127.0.0.1", "port": 8123, "log_level": "warning"}
    from exportplan.web.app import app_from_env

    built = app_from_env()  # the factory opens the workspace the command named
    assert built.state.ws.path == small_demo.path.resolve()


def test_serve_fails_as_a_command_on_a_missing_workspace(tmp_path: Path) -> None:
    res = CliRunner().invoke(cli_app, ["serve", "-w", str(tmp_path / "none")])
    assert res.exit_code != 0 and "no workspace" in str(res.exception or res.output)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def test_exportplan_serve_answers_over_http(small_demo: Workspace, tmp_path: Path) -> None:
    port = _free_port()
    log = tmp_path / "serve.log"
    cmd = [sys.executable, "-m", "exportplan.cli", "serve", "-w", str(small_demo.path)]
    with (
        log.open("wb") as sink,
        subprocess.Popen(
            [*cmd, "--port", str(port)], stdout=sink, stderr=subprocess.STDOUT
        ) as proc,
    ):
        try:
            body = ""
            for _ in range(300):
                try:
                    with urllib.request.urlopen(f"http://127.0.0.1:{port}/login?lang=en") as r:
                        body = r.read().decode("utf-8")
                    break
                except OSError:
                    if proc.poll() is not None:
                        break
                    time.sleep(0.1)
        finally:
            proc.terminate()
            proc.wait(timeout=20)
    assert "Sign in" in body, log.read_text("utf-8", errors="replace")
    assert f"on http://127.0.0.1:{port}/" in log.read_text("utf-8")


def test_the_demo_serves_through_the_same_factory(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import uvicorn

    from exportplan.services import demo
    from exportplan.workspace import init

    monkeypatch.setattr(demo, "build", lambda path, **_kw: (init(path), "built")[1])
    calls: list[tuple[Any, dict[str, Any]]] = []
    monkeypatch.setattr(uvicorn, "run", lambda app, **kw: calls.append((app, kw)))
    monkeypatch.setenv("EXPORTPLAN_WORKSPACE", "/nowhere")  # restored after the test
    path = tmp_path / "demo"
    res = CliRunner().invoke(cli_app, ["demo", "-w", str(path), "--serve", "--port", "8124"])
    assert res.exit_code == 0, res.output
    assert calls == [
        (APP_FACTORY, {"factory": True, "host": "127.0.0.1", "port": 8124, "log_level": "warning"})
    ]
    import os

    assert os.environ["EXPORTPLAN_WORKSPACE"] == str(path.resolve())
