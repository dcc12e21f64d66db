"""Checking claims on the demo workspace (services/claims/check.py, views/claims.py, the CLI):
the figures are the monitoring services' (the dashboard's own), weights agree with a sum over
the raw flows, targets come from the program, and the bad inputs get their verdicts."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from exportplan.cli import app
from exportplan.errors import InputError
from exportplan.services import data, monitor
from exportplan.services.claims.check import check_text, parse_published
from exportplan.views.claims import check_rows, claims_json, verdict_sentence
from exportplan.workspace import Workspace

SEED = "صادرات استان در سال جاری ۲۰ درصد افزایش یافت"
PUB = (1405, 9, 10)  # the demo's data run through Aban 1405 (month 8)


def _growth(ws: Workspace, definition: str) -> float:
    st = monitor.status(ws, monitor.Scope(ws.home_region, definition), 1405, 8)
    assert st.growth_pct is not None
    return st.growth_pct


def test_seed_sentence_gives_both_definitions_with_the_dashboards_figures(
    small_demo: Workspace,
) -> None:
    (checked,) = check_text(small_demo, SEED, PUB)
    assert [c.definition for c in checked.checks] == ["customs", "origin"]
    for c in checked.checks:
        g = _growth(small_demo, c.definition)
        assert c.computed == pytest.approx(g)
        assert c.period == {"year": 1405, "first_month": 1, "last_month": 8}
        assert c.verdict == ("consistent" if abs(g - 20) <= 0.5 else "inconsistent")
        # the datasets behind the figure: the region's customs imports of that definition
        # (the shared demo may hold more than its own synthetic files when other tests ran)
        frame = data.datasets(small_demo).to_dicts()
        wanted = [
            d["id"]
            for d in frame
            if d["kind"] == "customs"
            and d["region"] == small_demo.home_region
            and c.definition in str(d["definition"] or "")
        ]
        assert wanted and [d["id"] for d in c.datasets] == wanted
        assert any(d["synthetic"] for d in c.datasets)
        assert "region_summary" in c.query
    rows = check_rows(checked, "fa")
    assert rows[0]["definition"] == "صادرات از گمرکات استان"
    assert rows[1]["definition"] == "تولیدات استان"
    sentence = verdict_sentence(checked, "fa")
    assert "«صادرات از گمرکات استان»" in sentence and "هشت‌ماهه ۱۴۰۵" in sentence


def test_a_claim_made_true_is_consistent_under_its_definition_only(small_demo: Workspace) -> None:
    g = _growth(small_demo, "customs")
    o = _growth(small_demo, "origin")
    assert abs(round(g) - o) > 0.5  # the two definitions differ here
    text = f"صادرات استان در هشت ماهه امسال {round(g)} درصد افزایش یافت"
    (checked,) = check_text(small_demo, text, PUB)
    verdicts = {c.definition: c.verdict for c in checked.checks}
    assert verdicts == {"customs": "consistent", "origin": "inconsistent"}
    fa = verdict_sentence(checked, "fa")
    assert fa.startswith("این ادعا با تعریف «صادرات از گمرکات استان» و دوره هشت‌ماهه ۱۴۰۵ سازگار")
    assert "با تعریف «تولیدات استان» نادرست است" in fa
    en = verdict_sentence(checked, "en")
    assert en.startswith("The claim holds under customs") and "does not hold under origin" in en


def test_weight_is_the_sum_of_the_flows_weights(small_demo: Workspace) -> None:
    text = "وزن صادرات از گمرکات استان در هشت ماهه امسال ۱۰ درصد افزایش یافت"
    (checked,) = check_text(small_demo, text, PUB)
    (c,) = checked.checks
    assert (c.definition, c.measure) == ("customs", "weight")
    with small_demo.warehouse(read_only=True) as con:
        row = con.execute(
            "SELECT sum(weight_kg) FILTER (WHERE sh_year = 1405), "
            "sum(weight_kg) FILTER (WHERE sh_year = 1404) FROM region_flows "
            "WHERE region = ? AND definition = 'customs' AND sh_month <= 8",
            [small_demo.home_region],
        ).fetchone()
    assert row is not None
    now, before = row
    assert c.value == pytest.approx(now) and c.base_value == pytest.approx(before)
    assert c.computed == pytest.approx(100 * (now / before - 1))


def test_target_claim_is_checked_against_the_program_target(small_demo: Workspace) -> None:
    (checked,) = check_text(small_demo, "هدف‌گذاری سه میلیارد دلاری برای صادرات امسال", PUB)
    by = {c.definition: c for c in checked.checks}
    target = monitor.get_target(small_demo, small_demo.home_region, 1405, "customs")
    assert target is not None and by["customs"].computed == target
    assert by["customs"].verdict == ("consistent" if 2.5e9 <= target <= 3.5e9 else "inconsistent")
    assert monitor.get_target(small_demo, small_demo.home_region, 1405, "origin") is None
    assert (
        by["origin"].verdict == "no_data"
        and "no target for 1405" in by["origin"].as_dict()["reason"]
    )


def test_bad_inputs(small_demo: Workspace) -> None:
    (old,) = check_text(small_demo, "صادرات استان در سال ۱۳۸۰ یک میلیارد دلار بود", PUB)
    assert {c.verdict for c in old.checks} == {"no_data"}
    reason = old.checks[0].as_dict()["reason"]
    assert reason.startswith("no data for 1380 months 1-12; the data cover 1")
    (rial,) = check_text(small_demo, "صادرات استان ۱۲۰ هزار میلیارد ریال بود", PUB)
    assert {c.verdict for c in rial.checks} == {"not_checkable"}
    assert "exchange-rate table" in rial.checks[0].as_dict()["reason"]
    assert check_text(small_demo, "صادرات استان رونق گرفت", PUB) == []
    with pytest.raises(InputError, match="publication date"):
        check_text(small_demo, SEED, None)
    with pytest.raises(InputError):
        parse_published("1405/13/01")
    assert parse_published("۱۴۰۵/۰۹/۱۰") == PUB


def test_cli_table_sentence_and_json(small_demo: Workspace) -> None:
    runner = CliRunner()
    args = [
        "claims",
        "check",
        "-w",
        str(small_demo.path),
        "--text",
        SEED,
        "--published",
        "1405/09/10",
    ]
    res = runner.invoke(app, args)
    assert res.exit_code == 0, res.output
    g = _growth(small_demo, "customs")
    shown = f"{g:+.1f}".translate(str.maketrans("0123456789.", "۰۱۲۳۴۵۶۷۸۹٫")) + "٪"
    assert shown in res.output and "صادرات از گمرکات استان" in res.output
    assert "این ادعا با تعریف" in res.output
    res = runner.invoke(app, [*args, "--json"])
    assert res.exit_code == 0, res.output
    data = json.loads(res.output)
    (claim,) = data["claims"]
    assert (claim["kind"], claim["quantity"], claim["unit"]) == ("change", 20, "percent")
    assert claim["period"] == {"year": 1405, "first_month": 1, "last_month": 8}
    checks = claim["checks"]
    assert [c["definition"] for c in checks] == ["customs", "origin"]
    assert checks[0]["computed"] == pytest.approx(g)
    assert set(checks[0]) >= {
        "definition",
        "computed",
        "base_value",
        "verdict",
        "tolerance",
        "datasets",
    }
    assert (
        claims_json(check_text(small_demo, SEED, PUB))["claims"][0]["checks"][0]["verdict"]
        == checks[0]["verdict"]
    )
    empty = runner.invoke(
        app,
        [
            "claims",
            "check",
            "-w",
            str(small_demo.path),
            "--text",
            "بدون عدد",
            "--published",
            "1405/09/10",
        ],
    )
    assert empty.exit_code == 0 and "هیچ مقدار قابل بررسی" in empty.output


def _distinct(ws: Workspace, definition: str, column: str) -> int:
    """Distinct destinations or exporters over the raw flows of months 1-8 of 1405."""
    with ws.warehouse(read_only=True) as con:
        row = con.execute(
            f"SELECT count(DISTINCT {column}) FROM region_flows WHERE region = ? "
            "AND definition = ? AND sh_year = 1405 AND sh_month BETWEEN 1 AND 8 "
            "AND value_usd > 0",
            [ws.home_region, definition],
        ).fetchone()
    assert row is not None
    return int(row[0])


def test_counts_of_countries_and_exporters_are_counted_in_the_flows(small_demo: Workspace) -> None:
    countries = _distinct(small_demo, "customs", "partner")
    exporters = _distinct(small_demo, "customs", "exporter")
    assert countries > 5 and exporters > 5  # the demo has both
    digits = str.maketrans("0123456789", "۰۱۲۳۴۵۶۷۸۹")
    text = (
        f"در هشت ماهه امسال {str(exporters).translate(digits)} صادرکننده از گمرکات استان کالا "
        f"به {str(countries + 1).translate(digits)} کشور صادر کردند"
    )
    checked = check_text(small_demo, text, PUB)
    assert [(c.claim.kind, c.claim.counted, c.claim.quantity) for c in checked] == [
        ("count", "exporters", exporters),
        ("count", "countries", countries + 1),
    ]
    (ex,), (co,) = (c.checks for c in checked)  # «از گمرکات استان»: customs only
    assert (ex.definition, ex.verdict, ex.computed) == ("customs", "consistent", exporters)
    assert (co.definition, co.verdict, co.computed) == ("customs", "inconsistent", countries)
    assert ex.period == co.period == {"year": 1405, "first_month": 1, "last_month": 8}
    assert "count(DISTINCT partner)" in co.query and "count(DISTINCT exporter)" in ex.query
    # a claim made a count by hand names nothing counted: not checked, and said why
    level = "صادرات استان در هشت ماهه امسال ۱۲ میلیون دلار بود"
    (vague,) = check_text(small_demo, level, PUB, corrections={0: {"kind": "count"}})
    assert (vague.claim.kind, vague.claim.counted) == ("count", None)
    assert {c.verdict for c in vague.checks} == {"not_checkable"}
    assert "does not say what is counted" in vague.checks[0].as_dict()["reason"]
    (outside,) = check_text(small_demo, "در سال ۱۳۸۰ به ۳۰ کشور صادرات انجام شد", PUB)
    assert {c.verdict for c in outside.checks} == {"no_data"}


def _target_growth(ws: Workspace, definition: str) -> float | None:
    target = monitor.get_target(ws, ws.home_region, 1405, definition)
    series = monitor.monthly(ws, monitor.Scope(ws.home_region, definition))
    if target is None or 1404 not in series:
        return None
    return 100.0 * (target / float(series[1404].sum()) - 1.0)


def test_a_growth_target_or_forecast_in_percent_is_checked_against_the_target(
    small_demo: Workspace,
) -> None:
    g = _target_growth(small_demo, "customs")
    assert g is not None  # the demo's plan of record sets a customs target for 1405
    fa = str.maketrans("0123456789", "۰۱۲۳۴۵۶۷۸۹")
    aimed = f"هدف‌گذاری رشد {str(round(g)).translate(fa)} درصدی صادرات از گمرکات استان برای امسال"
    (t,) = check_text(small_demo, aimed, PUB)
    assert (t.claim.kind, t.claim.unit, t.claim.quantity) == ("target", "percent", round(g))
    (c,) = t.checks
    assert c.verdict == "consistent" and c.computed == pytest.approx(g)
    assert c.value == monitor.get_target(small_demo, small_demo.home_region, 1405, "customs")
    off = aimed.replace(str(round(g)).translate(fa), str(round(g) + 5).translate(fa))
    (t2,) = check_text(small_demo, off, PUB)
    assert t2.checks[0].verdict == "inconsistent"
    # a forecast is never compared with the year to date: the same target figure
    (f,) = check_text(
        small_demo, "پیش‌بینی می‌شود صادرات استان تا پایان امسال ۲۰ درصد افزایش یابد", PUB
    )
    assert f.claim.kind == "forecast" and f.claim.quantity == 20
    customs = next(x for x in f.checks if x.definition == "customs")
    assert customs.computed == pytest.approx(g)
    assert customs.computed != pytest.approx(_growth(small_demo, "customs"))
    (e,) = check_text(small_demo, "Exports are expected to grow 20 percent this year.", PUB)
    assert (e.claim.kind, e.claim.quantity) == ("forecast", 20)
