"""Read a BACI-layout file (``t,i,j,k,v``; CSV or Parquet) as dense exporter x product
matrices, one per year: the input of the complexity engine, without a frame of its rows.

DuckDB aggregates the file by year x exporter x product (streaming, in parallel) and hands
back numpy arrays; numpy places the sums into the matrix. An 11-million-row BACI year
becomes a 230 x 5,000 matrix (9 MB). Labels: exporters keep their BACI codes, products are
zero-padded HS codes at the chosen level (2, 4 or 6 digits). Values are converted from
thousand USD to USD.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import duckdb
import numpy as np
from numpy.typing import NDArray

from exportplan.errors import EmptyFileError, InputError, MissingColumnsError
from exportplan.ingest.files import first_line

COLUMNS = ["t", "i", "k", "v"]


@dataclass
class YearMatrix:
    year: int
    exporters: list[int]
    products: list[str]
    x: NDArray[np.float64]


def _source(path: Path) -> str:
    if path.suffix.lower() == ".parquet":
        with duckdb.connect() as con:
            described = con.execute(f"DESCRIBE SELECT * FROM read_parquet('{path}')").fetchall()
        names = [r[0].lower() for r in described]
        missing = [c for c in COLUMNS if c not in names]
        if missing:
            raise MissingColumnsError(path.name, COLUMNS, names, missing)
        return f"read_parquet('{path}')"
    header = [c.strip().strip('"').lower() for c in first_line(path).split(",")]
    missing = [c for c in COLUMNS if c not in header]
    if missing:
        raise MissingColumnsError(path.name, COLUMNS, header, missing)
    return (
        f"read_csv('{path}', header=true, nullstr=['NA', ''], "
        "types={'t': 'INTEGER', 'i': 'INTEGER', 'k': 'BIGINT', 'v': 'DOUBLE'})"
    )


def baci_matrices(path: Path, *, digits: int = 6) -> list[YearMatrix]:
    """One dense exporter x product matrix per year of a BACI-layout file."""
    if digits not in (2, 4, 6):
        raise InputError(f"product level must be 2, 4 or 6 digits, not {digits}")
    path = Path(path)
    if not path.exists():
        raise InputError(f"{path}: no such file")
    if path.stat().st_size == 0:
        raise EmptyFileError(path.name)
    div = 10 ** (6 - digits)
    con = duckdb.connect()  # its own connection, closed at once: DuckDB's memory goes back
    try:
        agg = con.sql(
            f"""SELECT t, i, k // {div} AS p, sum(v) AS v,
                       bool_or(v IS NULL OR NOT isfinite(v) OR v < 0 OR k < 0 OR k > 999999) AS bad
                FROM {_source(path)} GROUP BY ALL"""
        ).fetchnumpy()
    except duckdb.Error as exc:
        raise InputError(
            f"{path.name}: {exc}", hint="import the file into a workspace to see each rejected row"
        ) from exc
    if agg["bad"].any():
        raise InputError(
            f"{path.name}: rows with a missing, non-finite or negative value or an impossible "
            "product code",
            hint="import the file into a workspace to see each rejected row",
        )
    t = np.asarray(agg["t"])
    if t.size == 0:
        raise EmptyFileError(path.name)
    out = []
    for year in np.unique(t):
        sel = t == year
        e, p, v = np.asarray(agg["i"])[sel], np.asarray(agg["p"])[sel], np.asarray(agg["v"])[sel]
        exporters, products = np.unique(e), np.unique(p)
        x = np.zeros((exporters.size, products.size))
        x[np.searchsorted(exporters, e), np.searchsorted(products, p)] = v * 1000.0
        out.append(
            YearMatrix(
                year=int(year),
                exporters=[int(c) for c in exporters],
                products=[f"{int(c):0{digits}d}" for c in products],
                x=x,
            )
        )
    return out
