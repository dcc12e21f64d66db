"""A BACI import at scale, in bounded memory: a 1,000,000-row year imported by a fresh process
stays under a peak-RSS bound that the loader before the single-pass rewrite exceeded, and every
row is accounted for (accepted + rejected = read) with the rejects named by line and reason."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import polars as pl

from exportplan.reference.countries import baci_code_map
from exportplan.workspace import Workspace

# 40 exporters x 50 importers x 500 products: 1,000,000 distinct, sorted keys
N_EXP, N_IMP, N_PROD = 40, 50, 500
ROWS = N_EXP * N_IMP * N_PROD
# measured on this file (the child's own VmHWM, 2 cores, 2026-12-01): the loader before the
# rewrite (a typed copy, count(DISTINCT key), two hash joins, the whole file's lines for the
# rejects) peaked at 386-407 MiB, this one at 317-349 MiB; at 11 million rows the two are 1,063
# and 683 MiB (docs/benchmarks.md). The two are too close at this size for a bound between them
# to be safe, so the bound is 450 MiB: it catches a loader that holds the file (the 1 GB goal
# scaled down); the benchmark measures the difference between the loaders. (Read from rusage,
# the peak also counted the forking pytest process, which Linux carries across exec: 835 MiB
# in CI's one-process run of the whole suite.)
PEAK_RSS_MB = 450

SCRIPT = """
import json, re, sys
from pathlib import Path
from exportplan.services.imports import baci
from exportplan.workspace import open_workspace
with open_workspace(Path(sys.argv[1])).warehouse() as con:
    s = baci.import_file(con, Path(sys.argv[2]))
# this program's own peak (VmHWM, since exec): rusage's ru_maxrss would also count the memory
# of the pytest process that forked it, which Linux carries across exec
hwm = int(re.search(r"VmHWM:\\s+(\\d+) kB", Path("/proc/self/status").read_text()).group(1))
print(json.dumps([s.rows_read, s.rows_accepted, s.rows_rejected, hwm / 1024]))
"""


def write_year(path: Path) -> tuple[list[int], list[str]]:
    """The year's rows, sorted by key, then five bad lines; returns the codes used and the
    bad lines' text."""
    seen: dict[str, int] = {}
    for code, iso3 in sorted(baci_code_map().items()):
        seen.setdefault(iso3, code)  # one code per country: distinct ISO3 keys
    codes = sorted(seen.values())
    exp, imp = np.array(codes[:N_EXP]), np.array(codes[N_EXP : N_EXP + N_IMP])
    prod = 10000 + 7 * np.arange(N_PROD)
    i = np.repeat(exp, N_IMP * N_PROD)
    j = np.tile(np.repeat(imp, N_PROD), N_EXP)
    k = np.tile(prod, N_EXP * N_IMP)
    rng = np.random.default_rng(13)
    frame = pl.DataFrame(
        {
            "t": np.full(ROWS, 2022),
            "i": i,
            "j": j,
            "k": k,
            "v": np.round(rng.lognormal(2, 1, ROWS), 3) + 0.001,
            "q": np.round(rng.lognormal(1, 1, ROWS), 3),
        }
    )
    frame.write_csv(path)
    first, second = frame.row(0), frame.row(1)
    bad = [
        f"2022,{exp[0]},{imp[0]},{prod[0] + 1},abc,1",  # malformed value
        f"2022,999,{imp[0]},{prod[0] + 2},1,1",  # unknown exporter
        f"2022,{exp[0]},{imp[0]},{prod[0] + 3},-1,1",  # negative value
        ",".join(str(x) for x in first),  # identical repeat of data line 1 (file line 2)
        f"2022,{second[1]},{second[2]},{second[3]},{second[4] + 1},1",  # conflicts with line 3
    ]
    with path.open("a", encoding="utf-8") as fh:
        fh.write("\n".join(bad) + "\n")
    return codes, bad


def test_a_million_rows_import_in_bounded_memory_with_every_row_accounted(
    ws: Workspace, tmp_path: Path
) -> None:
    f = tmp_path / "BACI_HS17_Y2022_V202401.csv"
    _codes, bad = write_year(f)
    # the import's own memory, without the coverage tracer `make test` would start in the child
    env = {k: v for k, v in os.environ.items() if not k.startswith(("COV_CORE", "COVERAGE"))}
    proc = subprocess.run(
        [sys.executable, "-c", SCRIPT, str(ws.path), str(f)],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr
    read, accepted, rejected, peak_mb = json.loads(proc.stdout.strip().splitlines()[-1])
    first_bad = ROWS + 2  # file line of the first appended line (line 1 is the header)
    assert (read, accepted, rejected) == (ROWS + 5, ROWS - 1, 6)
    assert peak_mb < PEAK_RSS_MB, f"peak RSS {peak_mb:.0f} MiB"
    with ws.warehouse(read_only=True) as con:
        rej = con.execute(
            'SELECT "row", "column", value, reason FROM rejects ORDER BY "row"'
        ).fetchall()
        stored = con.execute(
            "SELECT count(*), count(DISTINCT (exporter, importer, hs6)), min(hs6), "
            "sum(value_usd) > 0 FROM world_flows"
        ).fetchall()
        ds = con.execute("SELECT rows_read, rows_accepted, rows_rejected, notes FROM datasets")
        dataset = ds.fetchall()
    assert stored == [(ROWS - 1, ROWS - 1, "010000", True)]
    assert dataset == [(ROWS + 5, ROWS - 1, 6, "2 repeated (t,i,j,k) row(s); see the rejects")]
    by_line = {r[0]: r[1:] for r in rej}
    assert sorted(by_line) == [3, *range(first_bad, first_bad + 5)]
    assert by_line[first_bad][0] == "v" and by_line[first_bad][2].startswith("malformed line")
    assert by_line[first_bad + 1] == ("i", bad[1], "unknown BACI exporter code")
    assert by_line[first_bad + 2] == ("v", bad[2], "value not positive")
    assert by_line[first_bad + 3] == (
        "k",
        bad[3],
        "duplicate of an earlier row with the same t,i,j,k",
    )
    conflict = "rows with the same t,i,j,k disagree on the value"
    assert by_line[3][2] == by_line[first_bad + 4][2] == conflict
    assert by_line[first_bad + 4][1] == bad[4]
