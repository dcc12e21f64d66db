"""Vega-Lite specs (built with altair, data inlined) for the pages and the reports.

The same spec is drawn in the browser by the bundled Vega and rendered to PNG by vl-convert
for the PDF reports. Labels follow the page's language; in Persian the spec carries the vendored
Persian format locale (``assets/vega/locale-fa.json``: Persian digits and separators) and the
short "3.5G" axis labels read "۳٫۵ میلیارد"; months are Solar Hijri names in both languages.
"""

from __future__ import annotations

import json
from functools import cache
from importlib.resources import files
from typing import Any, Literal

import altair as alt
import numpy as np

from exportplan.i18n import label as t
from exportplan.reference.calendar import MONTHS_EN, MONTHS_FA

FONT = "Vazirmatn, Tahoma, sans-serif"


def _data(values: Any, **fmt: Any) -> Any:
    """Inline data (a data URL would render blank offline)."""
    if fmt:
        return alt.Data(values=values, format=alt.DataFormat(**fmt))  # type: ignore[no-untyped-call]
    return alt.Data(values=values)  # type: ignore[no-untyped-call]


NO_DATA = "#dddddd"


def chart_json(spec: dict[str, Any]) -> str:
    """A spec as the text of a <script type="application/json"> element, serialised once per
    context (not per request)."""
    return json.dumps(spec, ensure_ascii=False, separators=(",", ":")).replace("</", "<\\/")


#: This year's and last year's colours, the same in both languages (a nominal scale would
#: order the series by their names, which sort differently in Persian and English)
THIS_YEAR, LAST_YEAR = "#1f618d", "#a6acaf"


@cache
def persian_locale() -> dict[str, Any]:
    """The vendored Persian number and time format locale (Vega's ``config.locale``)."""
    text = files("exportplan").joinpath("assets", "vega", "locale-fa.json").read_text("utf-8")
    loc: dict[str, Any] = json.loads(text)
    return {"number": loc["number"], "time": loc["time"]}


#: "3.5G" in Persian: the SI suffixes Vega writes, as words
SI_FA = (
    "replace(replace(replace(format(datum.value, '~s'), 'G', ' میلیارد'), 'M', ' میلیون'),"
    " 'k', ' هزار')"
)


def _persian_si(node: Any) -> None:
    """Every axis or legend formatted with SI suffixes reads them as Persian words."""
    if isinstance(node, dict):
        for key in ("axis", "legend"):
            sub = node.get(key)
            if isinstance(sub, dict) and sub.get("format") == "~s":
                del sub["format"]
                sub["labelExpr"] = SI_FA
        for v in node.values():
            _persian_si(v)
    elif isinstance(node, list):
        for v in node:
            _persian_si(v)


def localise(spec: dict[str, Any], lang: str) -> dict[str, Any]:
    """A spec in the page's language: in Persian, the Persian format locale and SI words."""
    if lang == "fa":
        spec.setdefault("config", {})["locale"] = persian_locale()
        _persian_si(spec)
    return spec


def _config(chart: alt.TopLevelMixin, title: str, lang: str) -> dict[str, Any]:
    """The shared look; ``description`` is the title (the drawing's name for screen readers,
    whose figures the page gives as a table beside it)."""
    spec: dict[str, Any] = chart.properties(title=title, width="container").to_dict()
    spec["description"] = title
    spec["config"] = {
        **spec.get("config", {}),
        "font": FONT,
        "title": {"font": FONT, "fontSize": 14, "anchor": "start"},
        "axis": {"labelFont": FONT, "titleFont": FONT},
        "legend": {"labelFont": FONT, "titleFont": FONT},
        "view": {"stroke": None},
    }
    return localise(spec, lang)


def cumulative(
    year: int,
    this: np.ndarray,
    last: np.ndarray | None,
    target: float | None,
    forecast: tuple[float, float, float] | None,
    lang: str,
) -> dict[str, Any]:
    """This year's and last year's exports added up month by month, the target and the
    forecast of the year with its 80% interval."""
    names = MONTHS_FA if lang == "fa" else MONTHS_EN
    rows: list[dict[str, Any]] = []
    for label, series in ((t("this year", lang), this), (t("last year", lang), last)):
        if series is None:
            continue
        total = 0.0
        for i, v in enumerate(series):
            if not np.isfinite(v):
                break
            total += float(v)
            rows.append({"m": i + 1, "month": names[i], "series": label, "usd": total})
    base = alt.Chart(_data(rows))
    x = alt.X("m:O", title=None, axis=alt.Axis(labelExpr=_month_expr(names), labelAngle=0))
    lines = base.mark_line(point=True).encode(
        x=x,
        y=alt.Y("usd:Q", title=t("USD", lang), axis=alt.Axis(format="~s")),
        color=alt.Color(
            "series:N",
            title=None,
            legend=alt.Legend(orient="top"),
            scale=alt.Scale(
                domain=[t("this year", lang), t("last year", lang)], range=[THIS_YEAR, LAST_YEAR]
            ),
        ),
        tooltip=[
            alt.Tooltip("month:N", title=t("month", lang)),
            alt.Tooltip("series:N", title=t("year", lang)),
            alt.Tooltip("usd:Q", format=",.0f", title=t("USD", lang)),
        ],
    )
    layers: list[Any] = [lines]
    if target:
        layers.append(
            alt.Chart(_data([{"usd": target, "label": t("target", lang)}]))
            .mark_rule(strokeDash=[6, 4], color="#b03a2e")
            .encode(
                y="usd:Q",
                tooltip=[
                    alt.Tooltip("label:N", title=t("what", lang)),
                    alt.Tooltip("usd:Q", format=",.0f", title=t("USD", lang)),
                ],
            )
        )
    if forecast:
        mid, lo, hi = forecast
        fc = [{"m": 12, "usd": mid, "lo": lo, "hi": hi, "label": t("forecast", lang)}]
        layers.append(
            alt.Chart(_data(fc))
            .mark_errorbar(color="#1f618d", thickness=2)
            .encode(x="m:O", y=alt.Y("lo:Q", title=t("USD", lang)), y2="hi:Q")
        )
        layers.append(
            alt.Chart(_data(fc))
            .mark_point(shape="diamond", size=120, filled=True, color="#1f618d")
            .encode(
                x="m:O",
                y="usd:Q",
                tooltip=[
                    alt.Tooltip("label:N", title=t("what", lang)),
                    alt.Tooltip("usd:Q", format=",.0f", title=t("USD", lang)),
                ],
            )
        )
    return _config(
        alt.layer(*layers).properties(height=260), t("Cumulative exports by month", lang), lang
    )


def _month_expr(names: tuple[str, ...]) -> str:
    return "[" + ",".join(json.dumps(n) for n in ("", *names)) + "][datum.value]"


def contributions(rows: list[dict[str, Any]], lang: str, title: str) -> dict[str, Any]:
    """Contribution of each item to the growth, in percentage points (horizontal bars): one bar
    per row, labelled by its ``bar`` text (code and name) where the row has one, else its
    ``label`` (so two keys sharing a name are still two bars)."""
    data = [
        {"bar": str(r.get("bar") or r["label"] or r.get("key", "")), "pp": r["contribution_pp"]}
        for r in rows
    ]
    chart = (
        alt.Chart(_data(data))
        .mark_bar()
        .encode(
            y=alt.Y("bar:N", sort="-x", title=None),
            x=alt.X("pp:Q", title=t("contribution (points)", lang)),
            color=alt.condition("datum.pp >= 0", alt.value("#1e8449"), alt.value("#b03a2e")),
            tooltip=[
                alt.Tooltip("bar:N", title=t("what", lang)),
                alt.Tooltip("pp:Q", format="+.2f", title=t("contribution (points)", lang)),
            ],
        )
        .properties(height=max(120, 24 * len(data)))
    )
    return _config(chart, title, lang)


def monthly(rows: list[dict[str, Any]], lang: str) -> dict[str, Any]:
    """Monthly exports by definition (never added together), Solar Hijri months in order."""
    chart = (
        alt.Chart(_data(rows))
        .mark_line(point=True)
        .encode(
            x=alt.X("period:O", title=None, sort=None, axis=alt.Axis(labelAngle=-45)),
            y=alt.Y("usd:Q", title=t("USD", lang), axis=alt.Axis(format="~s")),
            color=alt.Color("definition:N", title=None, legend=alt.Legend(orient="top")),
            tooltip=[
                alt.Tooltip("period:N", title=t("period", lang)),
                alt.Tooltip("definition:N", title=t("definition", lang)),
                alt.Tooltip("usd:Q", format=",.0f", title=t("USD", lang)),
            ],
        )
        .properties(height=240)
    )
    return _config(chart, t("Monthly exports", lang), lang)


@cache
def world_topology() -> dict[str, Any]:
    text = files("exportplan").joinpath("assets", "world", "countries-110m.json").read_text()
    topo: dict[str, Any] = json.loads(text)
    return topo


WORLD_URL = "/static/world/countries-110m.json"


def world_map(
    values: dict[str, float],
    lang: str,
    title: str,
    *,
    inline: bool = False,
    period: str = "",
    what: str = "destination",
    measure: str = "USD",
    scheme: Literal["blues", "oranges"] = "blues",
) -> dict[str, Any]:
    """Exports by destination on a world map (ISO numeric ids, as world-atlas has them). The
    shapes come from the server's own static file (the browser caches it), or inline for a
    renderer without a server (the PDF reports). The tooltip names the country in the page's
    language (``what``: its role, a label), its value in ``measure`` (a label: the unit) and
    the ``period`` it covers (text in the page's language)."""
    from exportplan.reference import countries

    by_iso = countries.by_iso3()
    rows = [
        {
            "id": f"{by_iso[k].numeric:03d}",
            "name": by_iso[k].name_fa if lang == "fa" else by_iso[k].name_en,
            "usd": v,
            "period": period,
        }
        for k, v in values.items()
        if k in by_iso and by_iso[k].numeric
    ]
    shapes = (
        _data(world_topology(), type="topojson", feature="countries")
        if inline
        else alt.Data(url=WORLD_URL, format=alt.DataFormat(type="topojson", feature="countries"))  # type: ignore[no-untyped-call]
    )
    land = alt.Chart(shapes).mark_geoshape(fill=NO_DATA, stroke="white", strokeWidth=0.3)
    # the destinations with data, their shapes looked up by ISO numeric id
    painted = (
        alt.Chart(_data(rows))
        .transform_lookup(lookup="id", from_=alt.LookupData(shapes, "id"), as_="geo")
        .mark_geoshape(stroke="white", strokeWidth=0.3)
        .encode(
            shape="geo:G",
            color=alt.Color(
                "usd:Q",
                scale=alt.Scale(type="log", scheme=scheme),
                title=t(measure, lang),
                legend=alt.Legend(format="~s"),
            ),
            tooltip=[
                alt.Tooltip("name:N", title=t(what, lang)),
                alt.Tooltip("usd:Q", format=",.0f", title=t(measure, lang)),
                *([alt.Tooltip("period:N", title=t("period", lang))] if period else []),
            ],
        )
    )
    chart = alt.layer(land, painted).project("equalEarth").properties(height=320)
    return _config(chart, title, lang)


def feasibility(rows: list[dict[str, Any]], lang: str) -> dict[str, Any]:
    """New products: feasibility (density) against complexity (PCI); size = world trade."""
    chart = (
        alt.Chart(_data(rows))
        .mark_circle(opacity=0.75)
        .encode(
            x=alt.X(
                "density:Q", title=t("feasibility (density)", lang), scale=alt.Scale(zero=False)
            ),
            y=alt.Y("pci:Q", title=t("PCI", lang)),
            size=alt.Size("world_usd:Q", title=t("world trade", lang), legend=None),
            color=alt.Color("score:Q", scale=alt.Scale(scheme="viridis"), title=t("score", lang)),
            tooltip=[
                alt.Tooltip("prod:N", title=t("HS code", lang)),
                alt.Tooltip("product:N", title=t("product", lang)),
                alt.Tooltip("density:Q", format=".3f", title=t("feasibility (density)", lang)),
                alt.Tooltip("pci:Q", format=".2f", title=t("PCI", lang)),
                alt.Tooltip("cog:Q", format=".2f", title=t("COG", lang)),
                alt.Tooltip("world_usd:Q", format=",.0f", title=t("world trade", lang)),
            ],
        )
        .properties(height=320)
    )
    return _config(chart, t("Feasibility and attractiveness", lang), lang)


def kpi_lines(rows: list[dict[str, Any]], lang: str) -> dict[str, Any]:
    chart = (
        alt.Chart(_data(rows))
        .mark_line(point=True)
        .encode(
            x=alt.X("period:O", title=None),
            y=alt.Y("value:Q", title=t("USD", lang), axis=alt.Axis(format="~s")),
            color=alt.Color("kpi:N", title=None),
            tooltip=[
                alt.Tooltip("kpi:N", title=t("KPI", lang)),
                alt.Tooltip("period:N", title=t("period", lang)),
                alt.Tooltip("value:Q", format=",.0f", title=t("value", lang)),
            ],
        )
        .properties(height=220)
    )
    return _config(chart, t("KPIs", lang), lang)
