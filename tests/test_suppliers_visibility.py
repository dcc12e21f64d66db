"""What a buyer sees of a firm (services/suppliers/visibility.py): on the European buyer's
shortlist a firm whose visibility is anonymous (the default) is shown by a stable pseudonym,
with its county, capabilities and certificates' status but never its name, firm id,
national id or trade card, until an introduction to that buyer is accepted; a public firm is
named. Checked in the shortlist PDF's text (pdftotext) and in the API's JSON,
in Persian and English; curators still see names on the internal API view."""

from __future__ import annotations

import datetime as dt
import re
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from exportplan.auth import Actor
from exportplan.services import users
from exportplan.services.suppliers import curation, demo, matching, visibility
from exportplan.store.suppliers import queries
from exportplan.store.suppliers.models import Firm, Introduction
from exportplan.web.app import create_app
from exportplan.workspace import Workspace, init

ADMIN = Actor("root", "admin")
PASSWORD = "a long password 17"
TODAY = dt.date(2026, 11, 28)
SITE = {"Origin": "http://testserver"}
FA_DIGITS = str.maketrans("0123456789", "۰۱۲۳۴۵۶۷۸۹")
BUYER = "AT_MACHINES"  # the European buyer: no firm is on its list


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> tuple[Workspace, dict[str, Any]]:
    """The demo's registry and lists; two firms shortlisted for the European buyer, one made
    public, the other anonymous (as imported)."""
    ws = init(tmp_path_factory.mktemp("visibility") / "ws")
    db = ws.program()
    demo.build(db, ws.path / "supplier-files", today=TODAY)
    for name, role in (("sec", "secretary"), ("vic", "viewer")):
        users.create_user(db, ADMIN, username=name, password=PASSWORD, role=role)
    matching.run(db, ADMIN, buyer=BUYER, today=TODAY, record=True)
    chosen: list[dict[str, Any]] = []
    for m in curation.matches(db, ADMIN, buyer=BUYER):
        if m["state"] == "proposed" and m["firm_id"] not in {c["firm_id"] for c in chosen}:
            curation.decide(db, ADMIN, m["match_id"], state="shortlisted", version=m["version"])
            chosen.append(m)
        if len(chosen) == 2:
            break
    public, anonymous = chosen[0]["firm_id"], chosen[1]["firm_id"]
    with db.session() as s:
        firms = {
            f.code: f for f in s.scalars(select(Firm).where(Firm.code.in_([public, anonymous])))
        }
        assert {f.visibility for f in firms.values()} == {"anonymous"}  # the default
        firms[public].visibility = "public"
        facts = {
            c: {"id": f.id, "name_fa": f.name_fa, "name_en": f.name_en, "county": f.county,
                "national_id": f.national_id, "trade_card_no": f.trade_card_no}
            for c, f in firms.items()
        }  # fmt: skip
        s.commit()
    return ws, {"public": public, "anonymous": anonymous, "facts": facts, "chosen": chosen}


@pytest.fixture
def client(world: tuple[Workspace, dict[str, Any]]) -> Iterator[TestClient]:
    with TestClient(create_app(world[0]), follow_redirects=False, headers=SITE) as c:
        yield c


def token(c: TestClient, who: str) -> dict[str, str]:
    r = c.post("/api/v1/auth/login", json={"username": who, "password": PASSWORD})
    assert r.status_code == 200, r.text
    return {"Authorization": f"Bearer {r.json()['token']}"}


def pdf_text(c: TestClient, lang: str, tmp_path: Path) -> str:
    r = c.get(f"/demand/{BUYER}/shortlist.pdf?lang={lang}")
    assert r.status_code == 200
    path = tmp_path / f"shortlist-{lang}.pdf"
    path.write_bytes(r.content)
    out = subprocess.run(
        ["pdftotext", "-raw", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout
    return " ".join(re.sub("[\u202a-\u202e\u200c()]", "", out).split())


def fa_seen(text: str, flat: str) -> bool:
    """A Persian text in pdftotext's output (ZWNJ dropped, lam-alef split, runs reversed)."""
    words = re.sub("[\u200c()]", "", text).replace("لا", "ال").split()
    return bool(words) and all(w in flat or w[::-1] in flat for w in words)


def test_pseudonyms_are_stable_and_say_nothing_of_the_firm() -> None:
    assert visibility.pseudonym(17, "en") == "Supplier A-017"
    assert visibility.pseudonym(17, "fa") == "تأمین‌کننده الف-۰۱۷"
    assert visibility.pseudonym(1234, "en") == "Supplier A-1234"


def test_the_buyers_shortlist_names_public_firms_only(
    client: TestClient, world: tuple[Workspace, dict[str, Any]], tmp_path: Path
) -> None:
    _, w = world
    pub, anon = w["facts"][w["public"]], w["facts"][w["anonymous"]]
    alias = {lang: visibility.pseudonym(anon["id"], lang) for lang in ("fa", "en")}
    client.get("/login")
    r = client.post(
        "/login", data={"username": "vic", "password": PASSWORD, "csrf": client.cookies["ep_csrf"]}
    )
    assert r.status_code == 303
    for lang in ("fa", "en"):
        flat = pdf_text(client, lang, tmp_path)
        name = (
            (pub["name_fa"] or pub["name_en"])
            if lang == "fa"
            else (pub["name_en"] or pub["name_fa"])
        )
        assert fa_seen(name, flat) if re.search("[\u0600-\u06ff]", name) else name in flat, name
        assert w["public"] in flat  # a named firm keeps its id beside its name
        ref = alias["en"].removeprefix("Supplier ")  # A-017, beside the pseudonym
        assert ref in flat
        if lang == "fa":  # pdftotext sets «الف-۰۱۷» in its visual order
            assert "تأمینکننده" in flat and f"{ref[2:].translate(FA_DIGITS)}-الف" in flat
        else:
            assert alias[lang] in flat
        assert w["anonymous"] not in flat
        for secret in (anon["name_fa"], anon["name_en"]):
            words = re.sub("[\u200c()]", "", secret or "").replace("لا", "ال").split()
            assert not words or (" ".join(words) not in flat and " ".join(words[::-1]) not in flat)
        assert fa_seen(anon["county"], flat)  # the county still shows
    # the API: the buyer's view for anyone, names on the internal view for curators only
    for who in ("vic", "sec"):
        j = client.get(f"/api/v1/suppliers/demand/{BUYER}/shortlist", headers=token(client, who))
        firms = {f["ref"]: f for i in j.json()["items"] for f in i["firms"]}
        assert firms[w["public"]]["named"] and firms[w["public"]]["name"] in (
            pub["name_en"],
            pub["name_fa"],
        )
        a = firms[alias["en"].removeprefix("Supplier ")]
        assert (a["named"], a["name"], a["county"]) == (False, alias["en"], anon["county"])
        assert a["capabilities"] and a["certifications"] is not None
        text = str(j.json())
        assert w["anonymous"] not in text and all(
            s not in text
            for s in (anon["name_fa"], anon["name_en"], anon["national_id"], anon["trade_card_no"])
            if s
        )
    fa = client.get(
        f"/api/v1/suppliers/demand/{BUYER}/shortlist?lang=fa", headers=token(client, "vic")
    )
    assert alias["fa"] in [f["name"] for i in fa.json()["items"] for f in i["firms"]]
    internal = {
        m["firm_id"]: m["firm"]
        for i in client.get(
            f"/api/v1/suppliers/demand/{BUYER}", headers=token(client, "sec")
        ).json()["items"]
        for m in i["candidates"]
    }
    assert internal[w["anonymous"]] == (anon["name_fa"] or anon["name_en"])  # a curator sees it
    viewer = str(
        client.get(f"/api/v1/suppliers/demand/{BUYER}", headers=token(client, "vic")).json()
    )
    assert w["anonymous"] not in viewer and alias["en"] in viewer


def test_an_accepted_introduction_names_the_firm(world: tuple[Workspace, dict[str, Any]]) -> None:
    ws, w = world
    db = ws.program()
    anon = w["anonymous"]
    assert not visibility.buyer_cards(db, ADMIN, buyer=BUYER, lang="en")[anon]["named"]
    match = next(m for m in w["chosen"] if m["firm_id"] == anon)
    intro = curation.introduce(db, ADMIN, match["match_id"])
    assert not visibility.buyer_cards(db, ADMIN, buyer=BUYER, lang="en")[anon][
        "named"
    ]  # asked only
    curation.record_outcome(db, ADMIN, intro["id"], status="accepted", version=intro["version"])
    card = visibility.buyer_cards(db, ADMIN, buyer=BUYER, lang="fa")[anon]
    assert card["named"] and card["ref"] == anon
    assert card["name"] == (w["facts"][anon]["name_fa"] or w["facts"][anon]["name_en"])
    # another buyer still sees the pseudonym: the introduction was to this buyer only
    # (the demo's firm is on no list of AT_MACHINES; on NIOC's own list it would be named)
    other = visibility.buyer_cards(db, ADMIN, buyer="NIOC", lang="en")[anon]
    firm = next(f for f in queries.registry(db) if f.code == anon)
    own = any(code == "NIOC" and st in visibility.OWN_LIST for code, _, _, st, _ in firm.lists)
    assert other["named"] is own
    with db.session() as s:
        assert (
            s.scalar(select(Introduction.status).where(Introduction.id == intro["id"]))
            == "accepted"
        )
