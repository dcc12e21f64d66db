"""The supplier pages on the demo workspace through real HTTP requests: the registry's
search, a firm's certificates and vendor lists side by side, a demand list's candidates and
excluded firms, a curator's shortlist, rejection with a reason and sending to the buyer, the
introduction with its expiry, the gap report, the shortlist PDF and the downloads, in
Persian and English; roles and CSRF checked on the server."""

from __future__ import annotations

import io
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from openpyxl import load_workbook

from exportplan.auth import Actor
from exportplan.reference.text import to_persian_digits
from exportplan.services import demo_program
from exportplan.services.suppliers import matching
from exportplan.web.app import create_app
from exportplan.workspace import Workspace

BROWSER = {"Origin": "http://testserver"}


@pytest.fixture
def client(small_demo: Workspace) -> Iterator[TestClient]:
    with TestClient(create_app(small_demo), follow_redirects=False, headers=BROWSER) as c:
        yield c


def sign_in(c: TestClient, user: str) -> None:
    c.get("/login")
    r = c.post(
        "/login",
        data={
            "username": user,
            "password": demo_program.DEMO_PASSWORD,
            "csrf": c.cookies["ep_csrf"],
        },
    )
    assert r.status_code == 303, r.text


def test_registry_firm_and_downloads(client: TestClient, small_demo: Workspace) -> None:
    sign_in(client, "viewer")
    j = client.get("/suppliers.json?lang=en").json()
    rows = j["tables"]["firms"]["rows"]
    assert len(rows) == 150 and all(r["state"] == "validated" for r in rows)
    # Arabic ي/ك in the search box find the Persian spelling
    hits = client.get("/suppliers.json?q=" + "شير توپي").json()["tables"]["firms"]["rows"]
    assert hits and all("شیر" in r["name"] or r["capabilities"] for r in hits)
    html = client.get("/suppliers?lang=fa").text
    assert 'dir="rtl"' in html and "فهرست تأمین‌کنندگان" in html
    listed = next(r for r in rows if "MOP_AVL" in r["lists"] and "NIOC" in r["lists"])
    f = client.get(f"/suppliers/firm/{listed['firm_id']}.json?lang=en").json()
    lists = {r["list"]: r["status"] for r in f["tables"]["lists"]["rows"]}
    assert set(lists) == {"MOP_AVL", "NIOC"}  # each buyer's list its own row
    statuses = {r["status"] for r in f["tables"]["certificates"]["rows"]}
    assert statuses <= {"valid", "expiring", "expired", "unverified"}
    # a firm's exports come from the warehouse's customs data through its trade card
    shown_any = 0.0
    for n in range(3, 121, 3):
        fx = client.get(f"/suppliers/firm/F{n:03d}.json").json()
        card = fx["firm"]["trade_card_no"]
        assert card == f"شرکت نمونه {n} (ساختگی)"
        with small_demo.warehouse(read_only=True) as con:
            total = con.execute(
                "SELECT coalesce(sum(value_usd), 0) FROM region_summary_exporters "
                "WHERE replace(exporter, ?, '') = ? OR exporter = ?",
                ["\u200c", card, to_persian_digits(card)],
            ).fetchone()
        shown = sum(r["value_usd"] for r in fx["tables"]["exports"]["rows"])
        assert total is not None and shown == pytest.approx(total[0])
        shown_any += shown
    assert shown_any > 0
    url = "/download/suppliers/firms.csv?lang=en"
    csv = client.get(url + "&header=machine").content.decode("utf-8-sig")
    assert csv.splitlines()[0].split(",")[:3] == ["firm_id", "name", "state"]
    labelled = client.get(url).content.decode("utf-8-sig")  # a person's header by default
    assert labelled.splitlines()[1:] == csv.splitlines()[1:]
    assert len(csv.strip().splitlines()) == 151
    x = client.get("/download/demand/candidates.xlsx?buyer=NIOC&lang=fa")
    sheet = load_workbook(io.BytesIO(x.content)).active
    assert sheet is not None and sheet.max_row > 2
    assert client.get("/suppliers/firm/NOPE").status_code == 404


def test_curators_flow_and_the_pdf(client: TestClient, small_demo: Workspace) -> None:
    sign_in(client, "viewer")
    d = client.get("/demand/NIOC.json?lang=en").json()
    n01 = next(i for i in d["demand_items"] if i["item_id"] == "N01")
    assert not d["may_curate"]
    assert n01["required"] == ["API 6D"]
    # every candidate holds API 6D on the MOP list; the excluded say why in words
    assert all(any("API 6D valid to" in r for r in c["reasons"]) for c in n01["candidates"])
    assert all(re.search("API 6D|MOP_AVL|validated", e["reason"]) for e in n01["excluded"])
    gap_items = {i["item_id"] for i in d["demand_items"] if i["gap"]}
    assert {"N11", "N12"} <= gap_items  # turbines and subsea trees: nobody here makes them
    fa = client.get("/demand/NIOC?lang=fa").text
    assert "کنار گذاشته به این دلیل" in fa and "شکاف" in fa
    sign_in(client, "secretary")
    d = client.get("/demand/NIOC.json?lang=en").json()
    n03 = next(  # the first item the demo's own decisions left alone
        i
        for i in d["demand_items"]
        if len(i["candidates"]) >= 2 and all(c["state"] == "proposed" for c in i["candidates"])
    )
    first, second = n03["candidates"][0], n03["candidates"][-1]
    item = n03["item_id"]
    csrf = client.cookies["ep_csrf"]
    r = client.post(
        f"/matches/{first['match_id']}",
        data={"buyer": "NIOC", "state": "shortlisted", "version": first["version"], "csrf": csrf},
    )
    assert r.status_code == 303
    stale = client.post(
        f"/matches/{first['match_id']}",
        data={"buyer": "NIOC", "state": "sent_to_buyer", "version": first["version"], "csrf": csrf},
    )
    assert stale.status_code == 409  # someone (this form) changed it since it was read
    no_reason = client.post(
        f"/matches/{second['match_id']}",
        data={"buyer": "NIOC", "state": "rejected", "version": second["version"], "csrf": csrf},
    )
    assert no_reason.status_code == 400
    r = client.post(
        f"/matches/{second['match_id']}",
        data={
            "buyer": "NIOC",
            "state": "rejected",
            "reason": "not_capable",
            "version": second["version"],
            "csrf": csrf,
        },
    )
    assert r.status_code == 303
    assert client.post("/demand/NIOC/send", data={"csrf": csrf}).status_code == 303
    labels = matching.labels(small_demo.program(), Actor("t", "viewer"), buyer="NIOC")
    got = {(x["item_id"], x["firm_id"]): x["label"] for x in labels}
    assert got[(item, first["firm_id"])] == "relevant"
    assert got[(item, second["firm_id"])] == "not_relevant"
    r = client.post(f"/matches/{first['match_id']}/introduce", data={"csrf": csrf})
    assert r.status_code == 303
    intro = client.get("/introductions.json?lang=en").json()["tables"]["introductions"]["rows"]
    mine = [x for x in intro if x["firm_id"] == first["firm_id"] and x["item_id"] == item]
    assert mine and mine[-1]["days_left"] in (13, 14) and mine[-1]["status"] == "requested"
    pdf = client.get("/demand/NIOC/shortlist.pdf?lang=fa")
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    from pypdf import PdfReader

    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf.content)).pages)
    assert first["firm_id"] in text and second["firm_id"] not in text.split(item)[-1][:200]
    gaps = client.get("/gaps.json?lang=en").json()
    assert gaps["summary"]["total_usd"] >= 38_000_000 + 16_000_000
    assert client.post("/demand/NIOC/send", data={"csrf": "forged"}).status_code == 403


def test_an_introductions_outcome_is_recorded_on_the_page_and_the_cli(
    client: TestClient, small_demo: Workspace
) -> None:
    """What an introduction led to, recorded by a curator on the page (a contract's value in
    Persian digits) and from the command line, audited; a value without a contract, a value
    that is not a number and a viewer's attempt are refused with a message."""
    import json

    from typer.testing import CliRunner

    from exportplan.auth import local_actor
    from exportplan.cli import app as cli_app
    from exportplan.services.program.dossier import audit_log
    from exportplan.services.suppliers import curation

    db = small_demo.program()
    actor = local_actor()
    rows = curation.introductions(db, actor)
    if not rows:  # an introduction to record (the demo may have none yet)
        m = next(x for x in curation.matches(db, actor, buyer="NIOC") if x["state"] != "rejected")
        curation.introduce(db, actor, int(m["match_id"]))
        rows = curation.introductions(db, actor)
    intro = rows[0]
    iid = intro["introduction_id"]
    sign_in(client, "secretary")
    page = client.get("/introductions?lang=fa").text
    assert f'id="outcome-{iid}"' in page and "ثبت نتیجه معرفی" in page
    csrf = client.cookies["ep_csrf"]
    form = {"csrf": csrf, "status": "held", "outcome": "contract", "version": intro["version"]}
    r = client.post(f"/introductions/{iid}?lang=fa", data=form | {"value_usd": "۲۵۰٬۰۰۰"})
    assert r.status_code == 303, r.text
    got = next(
        x
        for x in client.get("/introductions.json?lang=en").json()["tables"]["introductions"]["rows"]
        if x["firm_id"] == intro["firm_id"] and x["item_id"] == intro["item_id"]
    )
    assert (got["outcome"], got["contract_value_usd"]) == ("contract", 250_000.0)
    version = next(x for x in curation.introductions(db, actor) if x["introduction_id"] == iid)[
        "version"
    ]
    bad = client.post(
        f"/introductions/{iid}?lang=en",
        data=form | {"version": version, "outcome": "quotation", "value_usd": "5"},
    )
    assert bad.status_code == 400 and "a value is kept for a contract only" in bad.text
    bad = client.post(
        f"/introductions/{iid}?lang=en", data=form | {"version": version, "value_usd": "lots"}
    )
    assert bad.status_code == 400 and "a number is needed" in bad.text
    # the command line records the same, and lists it
    res = CliRunner().invoke(
        cli_app,
        ["match", "outcome", "--introduction", str(iid), "--status", "held",
         "--outcome", "trial_order", "-w", str(small_demo.path)],
    )  # fmt: skip
    assert res.exit_code == 0, res.output
    listed = CliRunner().invoke(
        cli_app, ["match", "introductions", "--json", "-w", str(small_demo.path)]
    )
    mine = next(x for x in json.loads(listed.output) if x["introduction_id"] == iid)
    assert (mine["outcome"], mine["contract_value_usd"]) == ("trial_order", None)
    audit = audit_log(db, entity="supplier_introduction", limit=500)
    newest = [(a["op"], a["entity_id"], (a["after"] or {}).get("outcome")) for a in audit[:2]]
    assert newest == [("update", iid, "trial_order"), ("update", iid, "contract")]
    # the audit log names the fields the outcome changed in the page's language
    fa = client.get("/program/audit?lang=fa").text
    assert "ارزش قرارداد (دلار آمریکا)" in fa and "زمان برگزاری" in fa
    assert "contract_value_usd" not in fa and "held_at" not in fa
    en = client.get("/program/audit?lang=en").text  # and in English, as words
    assert "contract value (USD)" in en and "held at" in en and "supplier introduction" in en
    assert "contract_value_usd" not in en and "held_at" not in en
    # a viewer sees no form and may not record
    sign_in(client, "viewer")
    assert f'id="outcome-{iid}"' not in client.get("/introductions").text
    r = client.post(
        f"/introductions/{iid}", data=form | {"csrf": client.cookies["ep_csrf"], "version": 0}
    )
    assert r.status_code == 403


def test_the_shortlist_pdf_names_the_firms_in_its_language(
    client: TestClient, small_demo: Workspace, tmp_path: Path
) -> None:
    """The shortlist shows each firm's name in the PDF's language (its id beside it), its
    county and its certificates with their status; read back with pdftotext."""
    import subprocess

    from exportplan.i18n import label as t
    from exportplan.reports.shortlist import SHOWN, firm_name
    from exportplan.services.suppliers import curation, registry

    who = Actor("t", "viewer")
    db = small_demo.program()
    shown = {m["firm_id"] for m in curation.matches(db, who, buyer="NIOC") if m["state"] in SHOWN}
    assert shown  # the demo shortlists two firms of the NIOC list
    cards = registry.cards(db, who)
    sign_in(client, "viewer")
    for lang in ("fa", "en"):
        r = client.get(f"/demand/NIOC/shortlist.pdf?lang={lang}")
        assert r.status_code == 200
        path = tmp_path / f"shortlist-{lang}.pdf"
        path.write_bytes(r.content)
        out = subprocess.run(
            ["pdftotext", "-raw", str(path), "-"], capture_output=True, text=True, check=True
        ).stdout
        # pdftotext wraps runs in direction marks, drops ZWNJ, splits the lam-alef ligature
        # into alef-lam and mirrors brackets on mixed lines: compare the texts so
        flat = " ".join(re.sub("[\u202a-\u202e\u200c()]", "", out).split())

        def seen(text: str, flat: str = flat) -> bool:
            words = re.sub("[\u200c()]", "", text).replace("لا", "ال").split()
            return bool(words) and all(w in flat or w[::-1] in flat for w in words)

        for firm in shown:
            card = cards[firm]
            name = firm_name(card, lang)
            first, other = (
                (card["name_fa"], card["name_en"])
                if lang == "fa"
                else (card["name_en"], card["name_fa"])
            )
            assert name == (first or other) != ""  # the other language's when it has none
            assert firm in flat
            assert seen(name), (lang, name, flat[:400])
            assert seen(card["county"])
            for std, _, status in card["certs"]:
                assert std in flat and seen(t(status, lang))
            if first and other:
                assert not seen(other)
        if lang == "en":
            assert "Firm" in out or "firm" in out
    assert firm_name({"name_fa": "", "name_en": "Tabriz Valve"}, "fa") == "Tabriz Valve"
    assert firm_name({"name_fa": "شیر تبریز", "name_en": ""}, "en") == "شیر تبریز"
