"""The zones' page forms (issue 18) over HTTP on the small demo: a reservation with its
expiry, an inspection and a notice, each refused beside its field in the page's language with
nothing written, or saved and seen on the worklist; the ``idle_suspect`` flag and the yearly
"land -> exports" table against the service and a direct query of the warehouse."""

from __future__ import annotations

import datetime as dt
import re
import subprocess
from pathlib import Path

import jdatetime
from fastapi.testclient import TestClient

from exportplan.reference.text import clean_text
from exportplan.services.demo_zones import ESTATE, LEATHER
from exportplan.services.zones.outcome import outcome
from exportplan.services.zones.records import plots_of
from exportplan.services.zones.rules import sh_text
from exportplan.services.zones.status import zone_status
from exportplan.workspace import Workspace
from test_zone_web import client, sign_in  # noqa: F401

TODAY = dt.date.today()


def test_forms_refuse_beside_the_field_and_save(
    client: TestClient,  # noqa: F811
    small_demo: Workspace,
) -> None:
    sign_in(client)
    csrf = client.cookies["ep_csrf"]
    db = small_demo.program()
    # an inspection on a day that does not exist: refused beside its field, in Persian
    work = client.get("/zones/TLS/worklist.json?lang=en").json()
    suspects = work["tables"]["idle_suspect"]["rows"]
    firms = outcome(small_demo, db, "TLS", as_of=TODAY)["firms"]
    assert suspects and {s["plot"] for s in suspects} <= {
        f["plot"] for f in firms if f["exports_usd"] == 0
    }
    plot = suspects[0]["plot"]
    before = client.get(f"/zones/TLS/plots/{plot}.json").json()["record"]["inspections"]
    r = client.post(
        f"/zones/TLS/plots/{plot}/inspection?lang=fa",
        data={"csrf": csrf, "on": "1405/07/31", "finding": "operating"},
    )
    assert r.status_code == 400
    err = re.search(r'id="e-inspection-on"[^>]*>([^<]*)<', r.text)
    assert err is not None and "ماه ۷ سال ۱۴۰۵ ۳۰ روز دارد" in err.group(1)
    assert 'value="1405/07/31"' in r.text  # the form as typed
    r = client.post(
        f"/zones/TLS/plots/{plot}/inspection?lang=en",
        data={"csrf": csrf, "on": sh_text(TODAY), "finding": "operating", "power_kwh": "lots"},
    )
    assert r.status_code == 400 and "power_kwh: &#39;lots&#39; is not a number" in r.text
    after = client.get(f"/zones/TLS/plots/{plot}.json").json()["record"]["inspections"]
    assert after == before  # nothing written
    r = client.post(
        f"/zones/TLS/plots/{plot}/inspection",
        data={"csrf": csrf, "on": sh_text(TODAY), "finding": "operating", "power_kwh": "12,500"},
    )
    assert r.status_code == 303
    got = client.get(f"/zones/TLS/plots/{plot}.json").json()["record"]["inspections"]
    assert [(i["finding"], i["power_kwh_last_12m"]) for i in got[len(before) :]] == [
        ("operating", 12500.0)
    ]
    work = client.get("/zones/TLS/worklist.json?lang=en").json()
    assert plot not in {s["plot"] for s in work["tables"]["idle_suspect"]["rows"]}
    # a warning on an idle plot moves it under notice; the worklist's next step follows
    idle = next(w for w in work["tables"]["worklist"]["rows"] if w["last_notice"] is None)
    r = client.post(
        f"/zones/TLS/plots/{idle['plot']}/notice?lang=en",
        data={"csrf": csrf, "kind": "warning", "on": sh_text(TODAY), "deadline": "1405/13/01"},
    )
    assert r.status_code == 400 and 'id="e-notice-deadline"' in r.text
    assert "there is no month 13" in r.text
    r = client.post(
        f"/zones/TLS/plots/{idle['plot']}/notice",
        data={"csrf": csrf, "kind": "warning", "on": sh_text(TODAY)},
    )
    assert r.status_code == 303
    row = next(
        w
        for w in client.get("/zones/TLS/worklist.json").json()["tables"]["worklist"]["rows"]
        if w["plot"] == idle["plot"]
    )
    assert (row["status"], row["last_notice"], row["next_step"]) == (
        "notice",
        "warning",
        "show_cause",
    )
    # a reservation: an end before its start refused; then saved, and the plot is reserved
    apps = client.get("/zones/TLS.json").json()["tables"]["applications"]["rows"]
    ref, vacant = next(
        (a["ref"], opts[0][0])
        for a in apps
        if a["status"] in ("submitted", "waitlisted")
        and (
            opts := client.get(f"/zones/TLS/applications/{a['ref']}.json").json()["reserve_options"]
        )
    )
    r = client.post(
        f"/zones/TLS/applications/{ref}/reserve?lang=en",
        data={"csrf": csrf, "plot": vacant, "on": sh_text(TODAY), "until": "1400/01/01"},
    )
    assert r.status_code == 400 and 'id="e-reserve-until"' in r.text
    assert f"plot {vacant}: the reservation ends on 1400/01/01" in r.text
    until = TODAY + dt.timedelta(days=30)
    r = client.post(
        f"/zones/TLS/applications/{ref}/reserve",
        data={"csrf": csrf, "plot": vacant, "on": sh_text(TODAY), "until": sh_text(until)},
    )
    assert r.status_code == 303

    def state(day: dt.date) -> str:
        return str(
            next(p["status_on"] for p in plots_of(db, "TLS", as_of=day) if p["code"] == vacant)
        )

    # reserved to its last day, vacant the day after (nothing written in between)
    assert [state(until), state(until + dt.timedelta(days=1))] == ["reserved", "vacant"]
    fits = client.get(f"/zones/TLS/applications/{ref}.json").json()["tables"]["fitting_plots"]
    assert next(r["status"] for r in fits["rows"] if r["code"] == vacant) == "reserved"


def test_land_exports_by_year_equals_a_direct_query(
    client: TestClient,  # noqa: F811
    small_demo: Workspace,
) -> None:
    sign_in(client)
    z = client.get("/zones/TLS.json?lang=en").json()
    rows = z["tables"]["land_exports"]["rows"]
    assert [r["sh_year"] for r in rows] == list(range(rows[0]["sh_year"], rows[-1]["sh_year"] + 1))
    st = zone_status(small_demo.program(), "TLS", as_of=TODAY)
    last = rows[-1]
    assert last["area_operating_ha"] == round(st["area_by_status_m2"]["operating"] / 1e4, 4)
    allotted = sum(
        st["area_by_status_m2"][k]
        for k in ("allotted", "contracted", "under_construction", "operating", "idle")
    )
    assert last["area_allotted_ha"] == round(allotted / 1e4, 4)
    # this year's exports of the firms holding a plot under contract, straight from DuckDB
    held_states = (
        "contracted",
        "under_construction",
        "operating",
        "idle",
        "notice",
        "reclaim_pending",
    )
    held = {
        clean_text(p["holder"])
        for p in z["tables"]["plots"]["rows"]
        if p["holder"] and p["status"] in held_states
    }
    month = jdatetime.date.fromgregorian(date=TODAY).month
    with small_demo.warehouse() as con:
        flows = con.execute(
            "SELECT exporter, sum(value_usd) FROM region_flows WHERE region = ? AND "
            "definition = 'origin' AND sh_year::INTEGER = ? AND sh_month::INTEGER <= ? "
            "GROUP BY exporter",
            [small_demo.home_region, last["sh_year"], month],
        ).fetchall()
    by_name = {clean_text(str(n)): float(v) for n, v in flows if n}
    assert last["firms"] == len(held) > 0
    assert last["firms_with_exports"] == sum(1 for n in held if by_name.get(n, 0) > 0)
    assert last["exports_usd"] == round(sum(by_name.get(n, 0.0) for n in held), 2) > 0
    assert last["exports_per_operating_ha_usd"] == round(
        last["exports_usd"] / last["area_operating_ha"], 2
    )
    csv = client.get("/zones/TLS/download/zone/land_exports.csv?lang=en")
    assert csv.status_code == 200 and csv.text.count("\n") == len(rows) + 1


def test_the_dossier_has_the_zones_sections(small_demo: Workspace, tmp_path: Path) -> None:
    """The handover dossier of the zones' operator holds its zones' figures and worklist (the
    zones register their sections; the dossier does not import them); another agency's
    dossier lists no zone."""
    from exportplan import reports
    from exportplan.reports import dossier
    from exportplan.reports.sections import TableSection
    from exportplan.services.zones.records import worklist

    db = small_demo.program()
    ctx = dossier.dossier_context(db, "PARKS", lang="en", today=TODAY)
    by_key = {d.section.key: d.context for d in ctx.sections}
    zones, work = by_key["zones"], by_key["zone_worklist"]
    assert isinstance(zones, TableSection) and isinstance(work, TableSection)
    for row in zones.rows:
        st = zone_status(db, row["zone"], as_of=TODAY)
        assert (row["plots"], row["share"], row["backlog"], row["idle"]) == (
            st["plots_total"],
            100 * st["share_allotted_area"],
            st["backlog"],
            len(st["idle_plots"]),
        )
    assert {r["zone"] for r in zones.rows} == {LEATHER, ESTATE}
    rows = worklist(db, "TLS", as_of=TODAY)
    assert [r["plot"] for r in work.rows if r["zone"] == "TLS"] == [r["plot"] for r in rows]
    other = dossier.dossier_context(db, "IMT", lang="en", today=TODAY)
    other_zones = next(d.context for d in other.sections if d.section.key == "zones")
    assert isinstance(other_zones, TableSection) and other_zones.rows == []
    pdf = tmp_path / "d.pdf"
    pdf.write_bytes(reports.handover(db, "PARKS", lang="en", today=TODAY))
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, check=True, text=True)
    assert "Industrial zones" in text.stdout and "Idle-plot worklist" in text.stdout
    assert all(r["plot"] in text.stdout for r in rows)


def test_the_report_map_draws_each_plot_in_its_colour(small_demo: Workspace) -> None:
    """The map as the report renders it (vl-convert PNG): each plot in its status colour, not
    one colour over the whole map (a ring wound as RFC 7946 has it reads, for d3-geo, as the
    globe less the plot)."""
    import base64
    import io

    from PIL import Image

    from exportplan.reports.render import png
    from exportplan.services.zones.records import plots_of
    from exportplan.views.zone_charts import STATE_COLOURS, plot_map

    plots = plots_of(small_demo.program(), "TLS", as_of=TODAY)
    spec = plot_map(plots, None, "en", "map")
    assert spec is not None
    uri = png(spec, width=500)
    img = Image.open(io.BytesIO(base64.b64decode(uri.split(",", 1)[1]))).convert("RGB")
    counts = {rgb: n for n, rgb in img.getcolors(maxcolors=1 << 20) or []}
    total = img.width * img.height
    shares = {}
    for state in {p["status_on"] for p in plots}:
        hexa = STATE_COLOURS[state].lstrip("#")
        rgb = (int(hexa[0:2], 16), int(hexa[2:4], 16), int(hexa[4:6], 16))
        shares[state] = counts.get(rgb, 0) / total
    by_state = {s: sum(1 for p in plots if p["status_on"] == s) for s in shares}
    for state, n in by_state.items():
        if n >= 10:  # a state with many plots covers a visible part of the map
            assert 0.01 < shares[state] < 0.6, (state, shares)
