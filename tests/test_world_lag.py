"""World data end about two years before customs records: the region's latest complete year can
be placed on the latest world year (and the output says so); the error names both sides."""

from __future__ import annotations

from pathlib import Path

import polars as pl
import pytest
from typer.testing import CliRunner

from exportplan.cli import app
from exportplan.errors import InputError
from exportplan.services import complexity, complexity_report
from exportplan.workspace import Workspace


def test_the_latest_complete_year_is_placed_on_the_latest_world_year(
    small_demo: Workspace,
) -> None:
    ws = small_demo
    rep = complexity_report.report(ws, level="hs4", region_mode="subnational", region_year="latest")
    (placed,) = [n for n in rep.notes if n.code == "region-year-placed"]
    # the demo's records run to 1405/08: 2025 is the latest complete Gregorian year; the
    # world data end in 2024
    assert placed.figures["region_year"] == "2025" and placed.figures["world_year"] == "2024"
    assert (placed.figures["world_first"], placed.figures["world_last"]) == ("2020", "2024")
    assert "placed on world year 2024" in placed.message("en")
    assert "بر سال جهانی ۲۰۲۴" in placed.message("fa") and "۲۰۲۰-۲۰۲۴" in placed.message("fa")
    reg = rep.frame.filter(pl.col("loc") == f"region:{ws.home_region}")
    assert reg.get_column("year").unique().to_list() == [2024]
    # the region's values are its 2025 records, not its 2024 ones
    want = complexity.region_frame(
        ws, region=ws.home_region, definition="customs", level="hs4", years=[2025]
    )
    got = reg.filter(pl.col("val") > 0).select("prod", "val").sort("prod")
    assert got.get_column("prod").to_list() == sorted(want.get_column("prod").to_list())
    assert got.get_column("val").sum() == pytest.approx(want.get_column("val").sum())
    # a complete year named explicitly works too; an incomplete one is refused with the list
    two = complexity_report.report(
        ws, level="hs4", years=[2023], region_mode="subnational", region_year=2025
    )
    assert two.placed is not None and two.placed.figures["world_year"] == "2023"
    with pytest.raises(InputError, match=r"do not cover all of 2026 \(complete years: 2020"):
        complexity_report.report(ws, level="hs4", region_mode="subnational", region_year=2026)
    with pytest.raises(InputError, match="one world year"):
        complexity_report.report(
            ws, level="hs4", years=[2023, 2024], region_mode="subnational", region_year="latest"
        )
    with pytest.raises(InputError, match="needs a region"):
        complexity_report.report(ws, level="hs4", region_year="latest")


def test_cli_says_which_year_was_placed(small_demo: Workspace, tmp_path: Path) -> None:
    out = tmp_path / "eci.csv"
    res = CliRunner().invoke(
        app,
        [
            "complexity",
            "--level",
            "hs4",
            "--year",
            "2024",
            "--region-mode",
            "subnational",
            "--region-year",
            "latest",
            "-o",
            str(out),
            "-w",
            str(small_demo.path),
        ],
    )
    assert res.exit_code == 0, res.output
    assert "the region's exports of 2025 (a complete year) are placed on world year 2024" in (
        res.output
    )
    df = pl.read_csv(out, schema_overrides={"prod": pl.String})
    assert df.filter(pl.col("loc").str.starts_with("region:")).get_column(
        "year"
    ).unique().to_list() == [2024]
    bad = CliRunner().invoke(
        app,
        [
            "complexity",
            "--region-mode",
            "subnational",
            "--region-year",
            "soon",
            "-w",
            str(small_demo.path),
        ],
    )
    assert bad.exit_code != 0 and "a year or 'latest'" in str(bad.exception)
