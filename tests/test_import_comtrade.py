"""Comtrade import and mirror data."""

from __future__ import annotations

from pathlib import Path

import pytest

from exportplan.errors import MissingColumnsError
from exportplan.services.imports import baci, comtrade
from exportplan.workspace import Workspace

HEAD = (
    "typeCode,freqCode,refYear,reporterCode,reporterISO,flowCode,partnerCode,partnerISO,"
    "partner2Code,classificationCode,cmdCode,customsCode,motCode,netWgt,cifvalue,fobvalue,"
    "primaryValue"
)


def _file(tmp: Path, rows: list[str]) -> Path:
    p = tmp / "TradeData.csv"
    p.write_text("\n".join([HEAD, *rows]) + "\n", encoding="utf-8")
    return p


def test_imports_are_partners_mirror_exports(ws: Workspace, tmp_path: Path) -> None:
    f = _file(
        tmp_path,
        [
            "C,A,2022,792,TUR,M,364,IRN,0,H5,080810,C00,0,1000,5000,,5000",  # Turkey imports from Iran
            "C,A,2022,792,TUR,M,0,W00,0,H5,080810,C00,0,1000,9000,,9000",  # World: aggregate
            "C,A,2022,792,TUR,RX,364,IRN,0,H5,080810,C00,0,1000,,100,100",  # re-export
            "C,A,2022,792,TUR,X,364,IRN,0,H5,720711,C00,0,2000,,700,700",  # Turkey exports to Iran
            "C,A,2022,792,TUR,M,364,IRN,0,H5,080810,C00,0,1000,5000,,5000",  # duplicate
            "C,A,2022,792,TUR,M,364,IRN,0,H5,TOTAL,C00,0,1000,5000,,5000",  # total
            "C,A,2022,792,TUR,M,364,IRN,0,H5,080810,C01,0,1000,5000,,5000",  # customs breakdown
            "C,A,2021,368,IRQ,M,364,IRN,0,H5,080810,C00,0,1000,7000,,7000",  # Iraq imports, 2021
        ],
    )
    with ws.warehouse() as con:
        s = comtrade.import_file(con, f)
        assert (s.rows_read, s.rows_accepted, s.rows_rejected) == (8, 3, 5)
        reasons = dict(con.execute('SELECT "row", reason FROM rejects').fetchall())
        assert "World" in reasons[3] and "RX" in reasons[4] and "duplicate" in reasons[6]
        assert "not HS6" in reasons[7] and "customs-procedure" in reasons[8]
        iran = con.execute(
            "SELECT year, importer, value_usd, basis FROM exports WHERE exporter='IRN' "
            "ORDER BY year"
        ).fetchall()
        assert iran == [(2021, "IRQ", 7000.0, "mirror"), (2022, "TUR", 5000.0, "mirror")]
        # once Iran's own 2022 data exists, the 2022 mirror rows step aside; 2021 stays mirror
        y = tmp_path / "baci.csv"
        y.write_text("t,i,j,k,v,q\n2022,364,792,080810,4.5,1\n", encoding="utf-8")
        baci.import_file(con, y)
        iran = con.execute(
            "SELECT year, value_usd, basis FROM exports WHERE exporter='IRN' ORDER BY year"
        ).fetchall()
        assert iran == [(2021, 7000.0, "mirror"), (2022, 4500.0, "reported")]
        tur = con.execute("SELECT basis FROM exports WHERE exporter='TUR'").fetchall()
        assert tur == [("reported",)]


def test_missing_columns(ws: Workspace, tmp_path: Path) -> None:
    p = tmp_path / "x.csv"
    p.write_text("refYear,reporterCode,cmdCode\n2022,792,080810\n", encoding="utf-8")
    with ws.warehouse() as con, pytest.raises(MissingColumnsError, match="flowCode"):
        comtrade.import_file(con, p)
