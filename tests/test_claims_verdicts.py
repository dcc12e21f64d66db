"""Verdicts on the demo workspace for the gaps an independent review found (docs/claims.md):
an absolute change checked as the difference from its base, the subject per clause, a
corrected period checked against its moved base, flags in the CLI in both languages, and no
Latin letters in any Persian verdict, reason or flag produced on the whole gold set."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from typer.testing import CliRunner

from exportplan.cli import app
from exportplan.services import monitor
from exportplan.services.claims.check import check_text, check_texts
from exportplan.views.claims import check_rows, flag_texts, kind_text, verdict_sentence
from exportplan.workspace import Workspace

PUB = (1405, 9, 10)  # the demo's data run through Aban 1405 (month 8)
GOLD = Path(__file__).resolve().parent / "data" / "claims_gold"
DIGITS = str.maketrans("0123456789", "۰۱۲۳۴۵۶۷۸۹")


def _sum(ws: Workspace, definition: str, year: int, first: int, last: int) -> float:
    series = monitor.monthly(ws, monitor.Scope(ws.home_region, definition), "value")
    return float(series[year][first - 1 : last].sum())


def test_an_absolute_change_is_the_difference_from_the_base(small_demo: Workspace) -> None:
    diff = _sum(small_demo, "customs", 1405, 1, 8) - _sum(small_demo, "customs", 1404, 1, 8)
    millions = round(diff / 1e6)
    word = "افزایش" if millions >= 0 else "کاهش"
    text = (
        f"صادرات از گمرکات استان در هشت ماهه امسال {str(abs(millions)).translate(DIGITS)} "
        f"میلیون دلار {word} یافت"
    )
    (checked,) = check_text(small_demo, text, PUB)
    (c,) = checked.checks
    assert checked.claim.kind == "change_abs" and c.definition == "customs"
    assert c.computed == pytest.approx(diff)
    assert c.verdict == "consistent"
    (wrong,) = check_text(small_demo, text.replace(str(abs(millions)).translate(DIGITS), "۱"), PUB)
    assert wrong.checks[0].verdict == "inconsistent"
    row = check_rows(checked, "fa")[0]
    assert (
        row["computed"].startswith("+" if diff >= 0 else "−") and "میلیون دلار" in row["computed"]
    )


def test_an_import_clause_leaves_the_export_claim_checkable(small_demo: Workspace) -> None:
    exports, imports = check_text(
        small_demo, "صادرات استان در هشت ماهه امسال ۲۰ درصد افزایش و واردات ۵ درصد کاهش یافت", PUB
    )
    assert {c.verdict for c in exports.checks} <= {"consistent", "inconsistent"}
    assert {c.verdict for c in imports.checks} == {"not_checkable"}
    reason = check_rows(imports, "fa")[0]["reason"]
    assert "واردات" in reason and re.search("[A-Za-z]", reason) is None


def test_rials_and_ranks_say_why_they_are_not_checkable_in_both_languages(
    small_demo: Workspace,
) -> None:
    rial, rank = check_text(
        small_demo, "صادرات استان ۱۲۰ هزار میلیارد تومان بود و استان رتبه ششم کشور را داشت", PUB
    )
    assert {c.verdict for c in rial.checks} == {"not_checkable"} == {c.verdict for c in rank.checks}
    fa = [check_rows(x, "fa")[0]["reason"] for x in (rial, rank)]
    en = [check_rows(x, "en")[0]["reason"] for x in (rial, rank)]
    assert "تومان" in fa[0] and "جدول نرخ ارز" in fa[0] and "همه استان‌ها" in fa[1]
    assert "tomans" in en[0] and "exchange-rate table" in en[0] and "every province" in en[1]
    assert not any(re.search("[A-Za-z]", r) for r in fa)


def test_a_corrected_period_is_checked_against_its_moved_base(small_demo: Workspace) -> None:
    fix = {0: {"year": "1404", "first_month": "1", "last_month": "8"}}
    (checked,) = check_text(
        small_demo, "صادرات استان در سال جاری ۲۰ درصد افزایش یافت", PUB, corrections=fix
    )
    for c in checked.checks:
        st = monitor.status(
            small_demo, monitor.Scope(small_demo.home_region, c.definition), 1404, 8
        )
        assert c.period == {"year": 1404, "first_month": 1, "last_month": 8}
        assert c.base_value == pytest.approx(_sum(small_demo, c.definition, 1403, 1, 8))
        assert c.computed == pytest.approx(st.growth_pct)
    assert check_rows(checked, "fa")[0]["base"] == "هشت‌ماهه ۱۴۰۳"


def test_flags_are_shown_in_the_cli_in_both_languages(small_demo: Workspace) -> None:
    runner = CliRunner()
    args = ["claims", "check", "-w", str(small_demo.path), "--published", "1405/09/10"]
    text = "صادرات استان در سال 2024 دو بیلیون دلار بود"
    fa = runner.invoke(app, [*args, "--text", text])
    assert fa.exit_code == 0, fa.output
    for flag in flag_texts(["ambiguous-billion", "gregorian-year"], "fa"):
        assert flag in fa.output
    en = runner.invoke(app, [*args, "--text", text, "--lang", "en"])
    assert "read as 10^9" in en.output and "a Gregorian year" in en.output
    js = json.loads(runner.invoke(app, [*args, "--text", text, "--json"]).output)
    assert js["claims"][0]["flags"] == ["ambiguous-billion", "gregorian-year"]
    assert js["claims"][0]["quantity"] == 2_000_000_000


def _published(raw: str) -> tuple[int, int, int]:
    y, m, d = (int(x) for x in raw.split("/"))
    return y, m, d


def test_no_latin_letters_in_persian_verdicts_on_the_gold_set(small_demo: Workspace) -> None:
    latin = re.compile("[A-Za-z]")
    items = [
        json.loads(line)
        for half in ("dev.jsonl", "heldout.jsonl")
        for line in (GOLD / half).read_text(encoding="utf-8").splitlines()
    ]
    texts = [(i["text"], _published(i["published"])) for i in items]
    seen = 0
    for item, checked in zip(items, check_texts(small_demo, texts), strict=True):
        for c in checked:
            shown = [verdict_sentence(c, "fa"), kind_text(c.claim.kind, "fa")]
            shown += flag_texts(c.claim.flags, "fa")
            for row in check_rows(c, "fa"):
                shown += [str(v) for k, v in row.items() if k != "verdict_code"]
            bad = [s for s in shown if latin.search(s)]
            assert bad == [], (item["id"], bad)
            seen += 1
    assert seen >= 100  # every gold claim was rendered


def test_a_gregorian_year_is_also_checked_over_the_calendar_year(small_demo: Workspace) -> None:
    with small_demo.warehouse(read_only=True) as con:
        row = con.execute(
            "SELECT sum(value_usd) FROM region_flows WHERE region = ? AND definition = 'customs' "
            "AND ((sh_year = 1402 AND sh_month >= 10) OR (sh_year = 1403 AND sh_month <= 9))",
            [small_demo.home_region],
        ).fetchone()
    assert row is not None
    calendar = float(row[0])
    text = (
        f"Exports through the province's customs reached USD {calendar / 1e9:.2f} billion in 2024"
    )
    (checked,) = check_text(small_demo, text, PUB)
    plain, variant = checked.checks
    assert (plain.period, plain.variant) == ({"year": 1403, "first_month": 1, "last_month": 12}, "")
    assert variant.variant == "gregorian-calendar-year"
    assert variant.period == {"year": 1402, "first_month": 10, "last_month": 9}
    assert variant.computed == pytest.approx(calendar)
    assert variant.verdict == "consistent"
    assert "2023-12-22 to 2024-12-20" in variant.notes[0]
    rows = check_rows(checked, "fa")
    assert rows[1]["period"] == "دی ۱۴۰۲ تا آذر ۱۴۰۳" and "سال میلادی" in rows[1]["definition"]
    assert "سال میلادی» و دوره دی ۱۴۰۲ تا آذر ۱۴۰۳ سازگار است" in verdict_sentence(checked, "fa")
    # a span of a Gregorian year is not turned into calendar months: said why
    (half,) = check_text(small_demo, "Exports rose 5 percent in the first half of 2024", PUB)
    assert {c.verdict for c in half.checks if c.variant} == {"not_checkable"}
    assert "whole year only" in half.checks[-1].as_dict()["reason"]
