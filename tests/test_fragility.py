"""Warnings where a complexity number is fragile: an inverted ordering, close eigenvalues, an ECI
on few products; measured on constructed matrices with a known answer and on real trade data."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import polars as pl
import pytest

from exportplan.analytics import fragility as fr
from exportplan.analytics.ecomplexity import Options, complexity_matrix, ecomplexity

DATA = Path(__file__).parent / "data"
MANUAL = Options(presence="manual")

# Four locations, eight products. The least diversified location (c, four products) is the
# only one to export the rare products 1, 3 and 7: the second eigenvector separates c from the
# others, ECI is oriented by diversity (c lowest), so c's rare products get the LOWEST PCI and
# the ubiquitous ones (exported by a, b and d) the highest: PCI rises with ubiquity.
INVERTED = np.array(
    [
        [1, 0, 1, 1, 1, 1, 1, 0],
        [1, 0, 1, 0, 1, 1, 1, 1],
        [0, 1, 0, 1, 1, 0, 0, 1],
        [1, 0, 1, 0, 1, 1, 1, 0],
    ],
    dtype=float,
)


def _table(m: np.ndarray) -> pl.DataFrame:
    return complexity_matrix(
        m,
        [f"l{i}" for i in range(m.shape[0])],
        [f"p{j}" for j in range(m.shape[1])],
        options=MANUAL,
    )


def test_a_constructed_inversion_is_detected_and_said_in_both_languages() -> None:
    table = _table(INVERTED)
    (d,) = fr.diagnostics(table, time=None, loc="loc", prod="prod")
    assert d.n_locations == 4 and d.n_products == 8
    assert d.corr_pci_ubiquity == pytest.approx(0.8194006464737846, abs=1e-12)
    assert d.corr_eci_diversity == pytest.approx(0.7824725606982603, abs=1e-12)  # sign rule held
    # the direct reading: the rare product 1 (c only) has a lower PCI than the ubiquitous 4
    pci = dict(table.select("prod", "pci").unique().iter_rows())
    assert pci["p1"] < pci["p4"]
    (w,) = fr.warnings_of(d)
    assert w.code == "inverted-pci" and w.figures["corr_pci_ubiquity"] == 0.8194
    assert "PCI does not fall with ubiquity (correlation 0.8194" in w.message("en")
    assert "۰٫۸۱۹۴" in w.message("fa") and "وارونه" in w.message("fa")
    assert w.to_dict()["message_fa"] == w.message("fa")


def test_a_world_of_countries_has_no_warning() -> None:
    """226 countries x 21 HS sections (OEC fixture) and 226 x 785 (world trade 1998-2000)."""
    oec = pl.read_csv(DATA / "oec_fixture_exports.csv", infer_schema_length=0)
    t = ecomplexity(oec, time=None, loc="Exporter Country ID", prod="Section ID", val="Trade Value")
    (d,) = fr.diagnostics(t, time=None, loc="Exporter Country ID", prod="Section ID")
    assert d.n_locations == 226 and d.n_products == 21
    assert d.corr_pci_ubiquity == pytest.approx(-0.72773, abs=1e-5)
    assert d.corr_eci_diversity == pytest.approx(0.49550, abs=1e-5)
    assert d.relative_gap == pytest.approx(0.21802, abs=1e-5)
    assert fr.warnings_of(d) == []
    world = pl.read_csv(
        DATA / "world_trade_avg_1998_to_2000.csv", schema_overrides={"product": pl.String}
    )
    t = ecomplexity(world, time=None, loc="country", prod="product", val="value")
    (d,) = fr.diagnostics(t, time=None, loc="country", prod="product")
    assert d.corr_pci_ubiquity == pytest.approx(-0.28760, abs=1e-5)
    assert d.relative_gap == pytest.approx(0.32481, abs=1e-5)
    assert fr.warnings_of(d) == []


def test_ten_european_countries_against_each_other_are_flagged() -> None:
    """The Growth Lab's conformance sample (10 countries, 30 products) is the few-locations
    case: the ECI orientation holds but PCI does not fall with ubiquity in either year."""
    df = pl.read_csv(DATA / "trade_data_sample.csv", schema_overrides={"hs92": pl.String})
    t = ecomplexity(df, time="year", loc="origin", prod="hs92", val="export_val")
    d95, d96 = fr.diagnostics(t, time="year", loc="origin", prod="hs92")
    assert (d95.year, d96.year) == (1995, 1996)
    assert d95.corr_pci_ubiquity == pytest.approx(0.035077, abs=1e-6)
    assert d96.corr_pci_ubiquity == pytest.approx(0.018976, abs=1e-6)
    assert d95.corr_eci_diversity > 0.7
    assert [w.code for w in fr.warnings_of(d95)] == ["inverted-pci"]


def test_close_second_and_third_eigenvalues_are_flagged() -> None:
    """Three identical blocks joined in a ring: by symmetry l2 = l3, so the ECI/PCI ordering is
    any mix of two eigenvectors."""
    m = np.zeros((6, 9))
    for k in range(3):
        m[2 * k : 2 * k + 2, 3 * k : 3 * k + 3] = 1
    m[0, 3] = m[2, 6] = m[4, 0] = 1
    (d,) = fr.diagnostics(_table(m), time=None, loc="loc", prod="prod")
    assert d.eigenvalue_2 == pytest.approx(0.7402530733520427, abs=1e-12)
    assert d.eigenvalue_3 == pytest.approx(d.eigenvalue_2, abs=1e-12)
    assert [w.code for w in fr.warnings_of(d)] == ["small-eigengap"]  # the correlations are 0
    # a threshold can be chosen: none below it
    assert fr.warnings_of(d, min_relative_gap=0.0) == []


def test_eigenvalues_are_those_of_mtilde() -> None:
    rng = np.random.default_rng(7)
    m = (rng.random((12, 30)) < 0.4).astype(float)
    kc, kp = m.sum(axis=1), m.sum(axis=0)
    mtilde = (m / kc[:, None]) @ (m / kp[None, :]).T
    direct = np.sort(np.linalg.eigvals(mtilde).real)[::-1]
    np.testing.assert_allclose(fr.eigenvalues(m)[:5], direct[:5], atol=1e-12)
    np.testing.assert_allclose(fr.eigenvalues(m.T)[:5], direct[:5], atol=1e-12)  # either side
    assert fr.eigenvalues(m)[0] == pytest.approx(1.0)


def test_a_location_ranking_against_diversity_is_flagged() -> None:
    """Reflections or fitness have their own signs; a table with ECI against diversity warns."""
    t = _table(INVERTED).with_columns(-pl.col("eci"), -pl.col("pci"))
    (d,) = fr.diagnostics(t, time=None, loc="loc", prod="prod")
    assert d.corr_eci_diversity == pytest.approx(-0.7824725606982603, abs=1e-12)
    assert [w.code for w in fr.warnings_of(d)] == ["inverted-eci"]


def test_diagnostics_leave_the_table_alone_and_ignore_projected_rows() -> None:
    df = pl.read_csv(DATA / "trade_data_sample.csv", schema_overrides={"hs92": pl.String})
    plain = ecomplexity(df, time="year", loc="origin", prod="hs92", val="export_val")
    before = plain.clone()
    fr.diagnostics(plain, time="year", loc="origin", prod="hs92")
    assert plain.equals(before)
    # Slovenia projected: the diagnostics are those of the nine-country sample
    sub = ecomplexity(
        df, time="year", loc="origin", prod="hs92", val="export_val", project_only={"svn"}
    )
    d95 = fr.diagnostics(sub, time="year", loc="origin", prod="hs92")[0]
    assert d95.n_locations == 9


def test_an_eci_on_few_products_is_counted_and_flagged() -> None:
    rows = []
    for loc, n, eci, inside in (
        ("A", 12, 0.5, True),
        ("B", 3, 1.9, True),
        ("region:R", 2, 2.3, False),
    ):
        for j in range(15):
            rows.append(
                {
                    "year": 2020,
                    "loc": loc,
                    "prod": f"p{j}",
                    "mcp": int(j < n),
                    "eci": eci,
                    "pci": 0.1 * j,
                    "in_sample": inside,
                }
            )
    t = pl.DataFrame(rows)
    t = t.join(fr.products_behind(t, time="year", loc="loc"), on=["year", "loc"])
    counts = dict(t.select("loc", "n_products").unique().iter_rows())
    assert counts == {"A": 12, "B": 3, "region:R": 2}
    warns = fr.few_products(t, time="year", loc="loc", minimum=10, regions={"region:R"})
    assert [w.code for w in warns] == ["few-products", "few-products-locations"]
    assert warns[0].figures == {"loc": "region:R", "eci": 2.3, "n_products": 2, "minimum": 10}
    assert "rests on 2 product(s), fewer than 10" in warns[0].message()
    assert warns[1].figures["locations"] == ["B"] and warns[1].figures["count"] == 1
    assert fr.few_products(t, time="year", loc="loc", minimum=2, regions={"region:R"}) == []
