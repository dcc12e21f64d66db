"""The relational steps of the world-scale complexity batch, written once as ibis expressions
that DuckDB and Spark both run: exporter x product x year totals, RCA and presence, diversity
and ubiquity, and the world aggregates of the export potential (imports by market and product,
world totals, the supply term of each exporter, the concentration of each market's suppliers).

Values are summed as ``DECIMAL(18,3)`` thousand USD, so every total is exact whatever order an
engine adds in. **Tie rule**: presence is decided in exact decimal arithmetic,
``M_cp = 1`` iff ``x_cp * X >= X_c * X_p`` (``RCA >= 1`` with no rounding at all); a cell whose
RCA is exactly 1 is present on every engine. The RCA column itself is a double
(``x_cp X / (X_c X_p)``, each product cast to double), for display and comparison only.

BACI rows are already reconciled by CEPII (one value per exporter, importer, product and year),
so the ``exports`` view's mirror rule (importer-reported rows only where the exporter reported
nothing) has nothing to do here: every row counts once. Pure expressions, no I/O: the service
(:mod:`exportplan.services.batch`) binds them to an engine's tables.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import ibis
import ibis.expr.datatypes as dt

VALUE = dt.Decimal(18, 3)  # BACI's v: thousand USD with three decimals (whole dollars)
PRODUCT_DIGITS = 6


def product_code(k: Any) -> Any:
    """BACI's ``k`` as a six-digit text code: integers (or texts) that lost their leading zeros
    are padded (``10110`` -> ``010110``)."""
    return k.cast("string").strip().lpad(PRODUCT_DIGITS, "0")


def lost_zeros(baci: Any) -> Any:
    """The number of rows whose product code had lost its leading zeros (a scalar)."""
    return (baci.k.cast("string").strip().length() < PRODUCT_DIGITS).cast("int64").sum()


def totals(baci: Any) -> Any:
    """Step 1: ``year, exporter, product, x`` with ``x = SUM(v)`` (exact decimal), cells with
    exports only."""
    t = baci.select(
        year=baci.t.cast("int32"),
        exporter=baci.i.cast("int32"),
        product=product_code(baci.k),
        v=baci.v.cast(VALUE),
    )
    agg = t.group_by(["year", "exporter", "product"]).aggregate(x=t.v.sum())
    return agg.filter(agg.x > 0)


def sample(
    x: Any,
    *,
    min_exports: Any = None,
    population: Any = None,
    min_population: float | None = None,
    min_world_trade: Any = None,
) -> Any:
    """The sample filter, before RCA: the cells of :func:`totals` less those of exporters whose
    year's exports (thousand USD, exact) are below ``min_exports``, or whose population
    (``population``: a table of ``exporter, pop`` and optionally ``year``) is at most
    ``min_population`` (an exporter with no population stays in), then less those of products
    whose year's trade among the exporters left is below ``min_world_trade``. Thresholds are
    ``Decimal`` thousands of USD (compared exactly); ``None`` leaves that part out."""
    if min_exports is not None:
        xc = x.group_by(["year", "exporter"]).aggregate(xc=x.x.sum())
        keep = xc.filter(xc.xc >= ibis.literal(min_exports, type=dt.Decimal(38, 3)))
        x = x.semi_join(keep.select("year", "exporter"), ["year", "exporter"])
    if population is not None and min_population is not None:
        small = population.filter(population.pop <= min_population)
        keys = ["year", "exporter"] if "year" in population.columns else ["exporter"]
        x = x.anti_join(small.select(*keys), keys)
    if min_world_trade is not None:
        xp = x.group_by(["year", "product"]).aggregate(xp=x.x.sum())
        keep = xp.filter(xp.xp >= ibis.literal(min_world_trade, type=dt.Decimal(38, 3)))
        x = x.semi_join(keep.select("year", "product"), ["year", "product"])
    return x


def _same(t: Any) -> Any:
    return t


def presence(x: Any, keep: Callable[[Any], Any] = _same) -> Any:
    """Step 2 and 4: ``year, exporter, product, x, rca, m, diversity, ubiquity`` (tie rule
    above). ``keep`` is given the cells with their presence before diversity and ubiquity are
    counted from them (an engine that recomputes a reused subquery materializes it there)."""
    xc = x.group_by(["year", "exporter"]).aggregate(xc=x.x.sum())
    xp = x.group_by(["year", "product"]).aggregate(xp=x.x.sum())
    xt = x.group_by("year").aggregate(xt=x.x.sum())
    j = x.join(xc, ["year", "exporter"]).join(xp, ["year", "product"]).join(xt, "year")
    num = j.x * j.xt
    den = j.xc * j.xp
    cells = j.select(
        "year",
        "exporter",
        "product",
        "x",
        rca=num.cast("float64") / den.cast("float64"),
        m=ibis.ifelse(num >= den, 1, 0).cast("int8"),
    )
    cells = keep(cells)
    kc = cells.group_by(["year", "exporter"]).aggregate(diversity=cells.m.sum().cast("int32"))
    kp = cells.group_by(["year", "product"]).aggregate(ubiquity=cells.m.sum().cast("int32"))
    return cells.join(kc, ["year", "exporter"]).join(kp, ["year", "product"])


def checksums(x: Any) -> Any:
    """Per year: the exact sum of ``x`` and the number of cells (for the manifest)."""
    return x.group_by("year").aggregate(value_sum=x.x.sum(), cells=x.count())


def potential(baci: Any, x: Any = None) -> Any:
    """Step 8, the export potential's world aggregates of each year, one row per country and
    product it exports or imports: ``year, country, product, exports, imports, world`` (exact
    decimal sums, thousand USD: the country's exports of the product, its imports of it as a
    market, the world's trade in it), ``world_share = exports / world``, ``supply =
    world_share * min(1, exports / imports)`` (:func:`exportplan.analytics.potential.supply`
    with the country as its own region; the minimum decided on the exact sums),
    ``suppliers`` (exporters selling it to the country) and ``hhi`` (their concentration,
    ``sum(v^2) / imports^2`` over each supplier's flow; null where nothing is imported).

    A flow is first summed by year, exporter, importer and product (two rows of one flow are
    one supplier); flows of zero are left out. A country's exports and the world's trade are
    the cells of :func:`totals` (``x``, given when the engine already holds them, and its sums
    by product): with no negative value (the batch refuses them) a cell's sum over its
    positive flows is its sum over all its rows, to the last digit."""
    x = totals(baci) if x is None else x
    f = baci.select(
        year=baci.t.cast("int32"),
        exporter=baci.i.cast("int32"),
        importer=baci.j.cast("int32"),
        product=product_code(baci.k),
        v=baci.v.cast(VALUE),
    )
    pair = f.group_by(["year", "exporter", "importer", "product"]).aggregate(v=f.v.sum())
    pair = pair.filter(pair.v > 0)
    fv = pair.v.cast("float64")
    imp = pair.group_by(["year", "importer", "product"]).aggregate(
        imports=pair.v.sum(), sq=(fv * fv).sum(), suppliers=pair.count().cast("int32")
    )
    exp = x.select("year", "exporter", "product", exports=x.x)
    world = x.group_by(["year", "product"]).aggregate(world=x.x.sum())
    imp = imp.rename(country="importer")
    exp = exp.rename(country="exporter")
    j = exp.outer_join(imp, ["year", "country", "product"])
    zero = ibis.literal(0).cast(VALUE)
    both = j.select(
        year=ibis.coalesce(j.year, j.year_right),
        country=ibis.coalesce(j.country, j.country_right),
        product=ibis.coalesce(j.product, j.product_right),
        exports=ibis.coalesce(j.exports, zero),
        imports=ibis.coalesce(j.imports, zero),
        sq=j.sq,
        suppliers=ibis.coalesce(j.suppliers, 0).cast("int32"),
    )
    w = both.view().join(world, ["year", "product"])
    ex, im, wo = w.exports.cast("float64"), w.imports.cast("float64"), w.world.cast("float64")
    share = ex / wo
    return w.select(
        "year",
        "country",
        "product",
        "exports",
        "imports",
        "world",
        world_share=share,
        supply=ibis.ifelse(w.imports > w.exports, share * (ex / im), share),
        suppliers=w.suppliers,
        hhi=ibis.ifelse(w.imports > 0, w.sq / (im * im), ibis.null("float64")),
    )
