"""One benchmark task per process: ``python benchmarks/tasks.py TASK ARG...``.

The last line printed is JSON: ``{"seconds": <timed section>, "maxrss_mb": <peak RSS of this
process>, ...}``. The parent (run.py) also measures the whole process from outside.
"""

from __future__ import annotations

import json
import resource
import sys
import time
from pathlib import Path
from typing import Any

from peak import peak_rss_mb  # run as a script: benchmarks/ is on the path


def _rss_mb() -> float:
    return peak_rss_mb()


def duckdb_read_csv(csv: str, db: str) -> dict[str, Any]:
    import duckdb

    con = duckdb.connect(db)
    t = time.perf_counter()
    con.execute("CREATE TABLE t AS SELECT * FROM read_csv(?)", [csv])
    return {"seconds": time.perf_counter() - t}


def baci_import(csv: str, codes: str, ws_path: str) -> dict[str, Any]:
    from exportplan.services.imports import baci
    from exportplan.workspace import init

    ws = init(Path(ws_path))
    with ws.warehouse() as con:
        t = time.perf_counter()
        s = baci.import_file(con, Path(csv), country_file=Path(codes))
        return {"seconds": time.perf_counter() - t, "rows": s.rows_accepted}


def baci_import_ws(csv: str, codes: str, ws_path: str) -> dict[str, Any]:
    """A BACI year into an existing, empty workspace (what ``exportplan import baci`` does)."""
    from exportplan.services.imports import baci
    from exportplan.workspace import open_workspace

    ws = open_workspace(Path(ws_path))
    with ws.warehouse() as con:
        t = time.perf_counter()
        s = baci.import_file(con, Path(csv), country_file=Path(codes))
        return {
            "seconds": time.perf_counter() - t,
            "rows": s.rows_accepted,
            "rejected": s.rows_rejected,
        }


def make_workspace(ws_path: str) -> dict[str, Any]:
    from exportplan.workspace import init

    t = time.perf_counter()
    init(Path(ws_path))
    return {"seconds": time.perf_counter() - t}


def customs_import(xlsx: str, ws_path: str) -> dict[str, Any]:
    from exportplan.services.imports.customs import CustomsOptions, import_file
    from exportplan.workspace import init

    ws = init(Path(ws_path))
    ticks: list[int] = []
    with ws.warehouse() as con:
        t = time.perf_counter()
        s = import_file(
            con,
            Path(xlsx),
            CustomsOptions(region="East Azerbaijan"),
            progress=lambda _s, done, _t: ticks.append(done),
        )
        return {
            "seconds": time.perf_counter() - t,
            "rows": s.rows_accepted,
            "rejected": s.rows_rejected,
            "progress_updates": len(ticks),
        }


def calamine_read(xlsx: str) -> dict[str, Any]:
    from python_calamine import CalamineWorkbook

    t = time.perf_counter()
    rows = CalamineWorkbook.from_path(xlsx).get_sheet_by_index(0).to_python()
    return {"seconds": time.perf_counter() - t, "rows": len(rows)}


def ours_complexity(parquet: str, digits: str, out: str) -> dict[str, Any]:
    """End to end from the raw BACI-layout Parquet: read, compute, write (the service behind
    ``exportplan complexity FILE --baci``)."""
    from exportplan.services.complexity import baci_file

    t = time.perf_counter()
    res = baci_file(Path(parquet), level=f"hs{digits}")
    res.write_parquet(out, compression="lz4")
    return {"seconds": time.perf_counter() - t, "rows": res.height}


def ours_cli(parquet: str, level: str, out: str) -> dict[str, Any]:
    """The same through the command line (typer and rich start-up included)."""
    import subprocess

    t = time.perf_counter()
    exe = Path(sys.executable).with_name("exportplan")
    subprocess.run(
        [str(exe), "complexity", parquet, "--baci", "--level", level, "-o", out],
        check=True,
        capture_output=True,
    )
    # the child's peak, not this wrapper's (ru_maxrss across exec: it includes this small
    # wrapper's own resident size at the fork, a few MiB)
    child_mb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    return {"seconds": time.perf_counter() - t, "child_maxrss_mb": child_mb}


def ours_csv(csv: str, loc: str, prod: str, val: str, out: str) -> dict[str, Any]:
    import polars as pl

    from exportplan.analytics.ecomplexity import ecomplexity

    t = time.perf_counter()
    df = pl.read_csv(csv, schema_overrides={prod: pl.String})
    res = ecomplexity(df, time=None, loc=loc, prod=prod, val=val)
    res.write_parquet(out, compression="lz4")
    return {"seconds": time.perf_counter() - t, "rows": res.height}


def peer_complexity(agg_parquet: str, out: str) -> dict[str, Any]:
    """ecomplexity 0.5.3 on pre-aggregated exporter x product totals (its best case)."""
    import contextlib
    import io
    import warnings

    import pandas as pd
    from ecomplexity import ecomplexity

    warnings.simplefilter("ignore")
    t = time.perf_counter()
    df = pd.read_parquet(agg_parquet)
    with contextlib.redirect_stdout(io.StringIO()):
        res = ecomplexity(df, {"time": "year", "loc": "loc", "prod": "prod", "val": "val"})
    res.to_parquet(out)
    return {"seconds": time.perf_counter() - t, "rows": len(res)}


def peer_csv(csv: str, loc: str, prod: str, val: str, out: str) -> dict[str, Any]:
    import contextlib
    import io
    import warnings

    import pandas as pd
    from ecomplexity import ecomplexity

    warnings.simplefilter("ignore")
    t = time.perf_counter()
    df = pd.read_csv(csv, dtype={prod: str})
    df["year"] = 2000
    with contextlib.redirect_stdout(io.StringIO()):
        res = ecomplexity(df, {"time": "year", "loc": loc, "prod": prod, "val": val})
    res.to_parquet(out)
    return {"seconds": time.perf_counter() - t, "rows": len(res)}


TASKS = {
    f.__name__: f
    for f in (
        duckdb_read_csv,
        baci_import,
        baci_import_ws,
        make_workspace,
        customs_import,
        calamine_read,
        ours_complexity,
        ours_cli,
        ours_csv,
        peer_complexity,
        peer_csv,
    )
}

if __name__ == "__main__":
    result = TASKS[sys.argv[1]](*sys.argv[2:])
    result["maxrss_mb"] = max(_rss_mb(), result.pop("child_maxrss_mb", 0.0))
    print(json.dumps(result))
