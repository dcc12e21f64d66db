"""The year-end forecast's intervals and probability on simulated series whose process is known,
and ``monitor forecast --series`` on small and hostile CSV files."""

from __future__ import annotations

import json
import math
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from exportplan.analytics.forecast import (
    MIN_BACKTEST,
    FloatArray,
    forecast_series,
    forecast_year,
    histories_from_table,
    probability_text,
)
from exportplan.cli import app
from exportplan.errors import InputError

runner = CliRunner()


def _stable(rng: np.random.Generator, years: int, sigma: float = 0.15) -> FloatArray:
    """Log-normal noise around a fixed seasonal pattern: ``years x 12``."""
    season = 0.3 * np.sin(np.arange(12) / 12 * 2 * np.pi + rng.uniform(0, 6))
    return np.exp(15 + season + sigma * rng.normal(size=(years, 12)))


def _coverage(history_years: int, month: int, n: int, seed: int) -> tuple[float, float]:
    rng = np.random.default_rng(seed)
    in80 = in95 = 0
    for _ in range(n):
        v = _stable(rng, history_years + 1)
        truth = float(v[-1].sum())
        cur = v[-1].copy()
        cur[month:] = np.nan
        hist = {2000 + i: v[i] for i in range(history_years)} | {2000 + history_years: cur}
        f = forecast_year(hist, 2000 + history_years, month)
        assert f.low80 is not None and f.high80 is not None
        assert f.low95 is not None and f.high95 is not None
        in80 += f.low80 <= truth <= f.high80
        in95 += f.low95 <= truth <= f.high95
    return in80 / n, in95 / n


@pytest.mark.parametrize(("history_years", "month"), [(5, 3), (7, 6), (10, 9)])
def test_intervals_cover_at_their_nominal_rate(history_years: int, month: int) -> None:
    # 400 series: the binomial standard error of an 80% rate is 2 points, of 95% about 1.1;
    # the old normal-quantile intervals covered 63% / 78% with 3 back-test years
    c80, c95 = _coverage(history_years, month, 400, seed=history_years * 100 + month)
    assert abs(c80 - 0.80) < 0.06, c80
    assert abs(c95 - 0.95) < 0.04, c95


def test_the_old_normal_rule_would_fail_the_same_test() -> None:
    """The test above can fail: normal quantiles on the same errors cover far too little."""
    rng = np.random.default_rng(7)
    hits = 0
    for _ in range(300):
        v = _stable(rng, 6)
        cur = v[-1].copy()
        cur[3:] = np.nan
        f = forecast_year({2000 + i: v[i] for i in range(5)} | {2005: cur}, 2005, 3)
        e = np.array([b.log_error for b in f.backtests])
        r = math.log(float(v[-1].sum()) / f.point) - e.mean()
        hits += abs(r) <= 1.2816 * e.std(ddof=1)
    assert hits / 300 < 0.74


@settings(max_examples=60, deadline=None)
@given(st.integers(0, 2**32 - 1), st.integers(5, 10), st.integers(1, 11))
def test_the_central_forecast_lies_inside_its_intervals(seed: int, years: int, month: int) -> None:
    rng = np.random.default_rng(seed)
    v = _stable(rng, years + 1, sigma=float(rng.uniform(0.01, 0.5)))
    # a systematic error one way: the raw rule can fall outside, the central one cannot
    v[-1] *= np.linspace(0.8, 1.4, 12)
    cur = v[-1].copy()
    cur[month:] = np.nan
    f = forecast_year({i: v[i] for i in range(years)} | {years: cur}, years, month, target=1e8)
    assert f.low80 is not None and f.high80 is not None
    assert f.low95 is not None and f.high95 is not None
    assert f.low95 < f.low80 < f.central < f.high80 < f.high95
    assert f.p_target is not None and 0 < f.p_target < 1


@pytest.mark.parametrize("history_years", [1, 2, 3, 4])
def test_too_few_backtest_years_give_the_point_only_and_say_why(history_years: int) -> None:
    v = _stable(np.random.default_rng(history_years), history_years + 1)
    cur = v[-1].copy()
    cur[4:] = np.nan
    hist = {i: v[i] for i in range(history_years)} | {history_years: cur}
    f = forecast_year(hist, history_years, 4, target=1e7)
    assert f.n_backtest == max(history_years - 2, 0) < MIN_BACKTEST
    assert f.low80 is f.high80 is f.low95 is f.high95 is f.p_target is None
    assert f.predictive is None and f.prob_at_least(1e7) is None
    assert f.central == f.point and f.no_interval_reason is not None
    assert "no interval" in f.no_interval_reason and f"only {f.n_backtest}" in f.no_interval_reason
    assert f.p_target_text == "-"


def test_probability_is_never_exactly_zero_or_one() -> None:
    v = _stable(np.random.default_rng(3), 8, sigma=0.01)
    cur = v[-1].copy()
    cur[10:] = np.nan
    hist = {i: v[i] for i in range(7)} | {7: cur}
    total = float(v[-1].sum())
    sure = forecast_year(hist, 7, 10, target=total / 10)
    hopeless = forecast_year(hist, 7, 10, target=total * 10)
    assert sure.p_target == 0.99 and sure.p_target_text == ">99%"
    assert hopeless.p_target == 0.01 and hopeless.p_target_text == "<1%"
    f = forecast_year(hist, 7, 10)
    for t in np.geomspace(total / 100, total * 100, 200):
        p = f.prob_at_least(float(t))
        assert p is not None and 0.01 <= p <= 0.99
    assert probability_text(0.994) == ">99%" and probability_text(0.0051) == "<1%"
    assert probability_text(0.42) == "42%" and probability_text(0.989) == "99%"
    assert probability_text(0.011) == "1%" and probability_text(None) == "-"


def test_probability_is_the_same_distribution_as_the_intervals() -> None:
    v = _stable(np.random.default_rng(11), 9)
    cur = v[-1].copy()
    cur[5:] = np.nan
    f = forecast_year({i: v[i] for i in range(8)} | {8: cur}, 8, 5)
    assert f.low80 is not None and f.high80 is not None and f.low95 is not None
    assert f.prob_at_least(f.central) == pytest.approx(0.5)
    assert f.prob_at_least(f.low80) == pytest.approx(0.9)
    assert f.prob_at_least(f.high80) == pytest.approx(0.1)
    assert f.prob_at_least(f.low95) == pytest.approx(0.975)


# --- monitor forecast --series --------------------------------------------------------------


def _csv(path: Path, rows: dict[str, FloatArray], first_year: int, month: int) -> Path:
    lines = ["series,year,month,value"]
    for name, v in rows.items():
        for i, year_v in enumerate(v):
            last = month if i == len(v) - 1 else 12
            for m in range(last):
                lines.append(f"{name},{first_year + i},{m + 1},{year_v[m]:.6f}")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def _two_series(tmp_path: Path) -> tuple[Path, dict[str, dict[int, FloatArray]]]:
    rng = np.random.default_rng(5)
    data = {"tabriz": _stable(rng, 8), "urmia": _stable(rng, 8) / 7}
    f = _csv(tmp_path / "s.csv", data, 2017, 6)
    expected: dict[str, dict[int, FloatArray]] = {}
    for name, v in data.items():
        h = {2017 + i: np.round(v[i], 6) for i in range(7)}
        cur = np.round(v[7], 6)
        cur[6:] = np.nan
        expected[name] = h | {2024: cur}
    return f, expected


def test_series_cli_matches_the_analytics_function(tmp_path: Path) -> None:
    f, hist = _two_series(tmp_path)
    args = ["monitor", "forecast", "--series", str(f), "--year", "2024", "--month", "6"]
    r = runner.invoke(app, [*args, "--target", "3e7", "--json"])
    assert r.exit_code == 0, r.output
    got = json.loads(r.output)
    assert [g["series"] for g in got] == ["tabriz", "urmia"]
    for g in got:
        want = forecast_year(hist[g["series"]], 2024, 6, target=3e7)
        assert {"series", "forecast", "low80", "high80", "low95", "high95", "p_target"} <= set(g)
        assert g["forecast"] == pytest.approx(want.central, rel=1e-12)
        for k in ("low80", "high80", "low95", "high95", "p_target"):
            assert g[k] == pytest.approx(getattr(want, k), rel=1e-12), k
        assert g["n_backtest"] == 5 and g["low80"] < g["forecast"] < g["high80"]
    r = runner.invoke(app, [*args, "--json"])
    assert r.exit_code == 0 and "p_target" not in json.loads(r.output)[0]
    r = runner.invoke(app, [*args, "--target", "3e7"])
    assert r.exit_code == 0 and "tabriz" in r.output and "urmia" in r.output
    assert "Traceback" not in r.output


def test_series_without_enough_history_gets_a_reason(tmp_path: Path) -> None:
    rng = np.random.default_rng(1)
    f = _csv(tmp_path / "s.csv", {"long": _stable(rng, 7), "short": _stable(rng, 3)}, 2018, 6)
    hist = histories_from_table(*_read(f))
    res = {r.series: r for r in forecast_series(hist, 2024, 6)}
    assert res["short"].forecast is None and "no data for year 2024" in (res["short"].reason or "")
    res = {r.series: r for r in forecast_series(hist, 2020, 6)}
    assert res["short"].forecast is not None and res["short"].forecast.low80 is None
    assert "no interval" in (res["short"].reason or "")
    r = runner.invoke(
        app,
        ["monitor", "forecast", "--series", str(f), "--year", "2024", "--month", "6", "--json"],
    )
    assert r.exit_code == 0, r.output
    rows = {g["series"]: g for g in json.loads(r.output)}
    assert rows["short"]["forecast"] is None and rows["short"]["reason"]
    assert rows["long"]["low80"] is not None


def _read(path: Path) -> tuple[list[str], list[list[str]]]:
    import csv

    with path.open(encoding="utf-8") as fh:
        table = list(csv.reader(fh))
    return table[0], table[1:]


GOOD = "series,year,month,value\n" + "".join(
    f"a,{y},{m},{100 + m}\n" for y in (2020, 2021, 2022, 2023, 2024, 2025) for m in range(1, 13)
)


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ("series,year,value\na,2020,1\n", "lacks column(s) month"),
        (GOOD + "a,2026,1,nan\n", "line 74 (series 'a'): value 'nan' is not a finite number"),
        (GOOD + "b,2026,1,inf\n", "line 74 (series 'b'): value 'inf' is not a finite number"),
        (GOOD + "a,2026,1,1e999\n", "value '1e999' is not a finite number"),
        (GOOD + "a,2026,13,5\n", "month '13' is not a month 1-12"),
        (GOOD + "a,2026,0,5\n", "month '0' is not a month 1-12"),
        (GOOD + "a,2026,1.5,5\n", "month '1.5' is not a month 1-12"),
        (GOOD + "a,2026,1,abc\n", "value 'abc' is not a number"),
        (GOOD + "a,20x6,1,5\n", "year '20x6' is not a whole number"),
        (GOOD + "a,2026,1,-5\n", "value '-5' is negative"),
        (GOOD + "a,2025,3,7\n", "2025/03 already given on line 64"),
        (GOOD + ",2026,1,7\n", "line 74: empty series name"),
        ("series,year,month,value\n", "has no data rows"),
    ],
)
def test_hostile_csv_is_refused_with_the_series_and_line(
    tmp_path: Path, body: str, message: str
) -> None:
    f = tmp_path / "bad.csv"
    f.write_text(body, encoding="utf-8")
    with pytest.raises(InputError) as exc:
        histories_from_table(*_read(f), source=str(f))
    assert message in exc.value.message
    r = runner.invoke(
        app, ["monitor", "forecast", "--series", str(f), "--year", "2026", "--month", "1"]
    )
    assert r.exit_code != 0 and "Traceback" not in r.output
    assert isinstance(r.exception, InputError) and message in r.exception.message


def test_persian_digits_and_separators_are_read(tmp_path: Path) -> None:
    """Decision: values written with Persian digits and separators (as customs files are) are
    accepted, the same numbers as in ASCII."""
    fa = str.maketrans("0123456789", "۰۱۲۳۴۵۶۷۸۹")
    ascii_ = GOOD + "a,2026,1,1234.5\n"
    persian = "series,year,month,value\n" + "".join(
        line.translate(fa) + "\n" for line in ascii_.splitlines()[1:]
    )
    persian = persian.replace("۱۲۳۴.۵", "\u06f1\u066c\u06f2\u06f3\u06f4\u066b\u06f5")  # ۱٬۲۳۴٫۵
    (tmp_path / "a.csv").write_text(ascii_, encoding="utf-8")
    (tmp_path / "p.csv").write_text(persian, encoding="utf-8")
    a = histories_from_table(*_read(tmp_path / "a.csv"))
    p = histories_from_table(*_read(tmp_path / "p.csv"))
    assert a.keys() == p.keys() and a["a"].keys() == p["a"].keys()
    for y in a["a"]:
        np.testing.assert_array_equal(a["a"][y], p["a"][y])
    assert p["a"][2026][0] == 1234.5


def test_series_needs_a_month_and_a_readable_file(tmp_path: Path) -> None:
    f = tmp_path / "g.csv"
    f.write_text(GOOD, encoding="utf-8")
    r = runner.invoke(app, ["monitor", "forecast", "--series", str(f), "--year", "2025"])
    assert r.exit_code != 0 and isinstance(r.exception, InputError)
    assert "--month" in r.exception.message
    (tmp_path / "bin.csv").write_bytes(b"\xff\xfe\x00series")
    r = runner.invoke(
        app,
        [
            "monitor",
            "forecast",
            "--series",
            str(tmp_path / "bin.csv"),
            "--year",
            "2025",
            "--month",
            "3",
        ],
    )
    assert r.exit_code != 0 and isinstance(r.exception, InputError)


def test_nothing_more_is_needed_once_the_target_is_reached() -> None:
    v = _stable(np.random.default_rng(4), 8, sigma=0.01)
    cur = v[-1].copy()
    cur[6:] = np.nan
    hist = {i: v[i] for i in range(7)} | {7: cur}
    ytd = float(cur[:6].sum())
    reached = forecast_year(hist, 7, 6, target=ytd / 2)
    assert reached.needed_monthly == 0.0
    behind = forecast_year(hist, 7, 6, target=ytd * 3)
    assert behind.needed_monthly is not None
    assert abs(behind.needed_monthly - (ytd * 3 - ytd) / 6) < 1e-6 * ytd
