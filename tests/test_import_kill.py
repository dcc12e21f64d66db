"""An import killed with SIGKILL half-way (after its flows are written, before the commit)
leaves the warehouse as it was: DuckDB discards the uncommitted transaction when the file is
opened again, and the file can then be imported."""

from __future__ import annotations

import signal
import subprocess
import sys
from pathlib import Path

import pytest

from exportplan.services.imports import baci, customs
from exportplan.workspace import Workspace

GOOD = "t,i,j,k,v,q\n2022,364,368,80810,1.5,2.0\n2022,364,792,720712,10,NA\n"
CUSTOMS = (
    "تاریخ,کد تعرفه,کشور مقصد,ارزش دلاری\n1402/01/15,080810,عراق,100\n1402/02/15,720712,ترکیه,50\n"
)

SCRIPT = """
import os, signal, sys
from pathlib import Path
from exportplan.services.imports import baci, customs
from exportplan.store.warehouse import loads, writes
from exportplan.workspace import open_workspace

module, name = (loads, "insert_baci_flows") if sys.argv[3] == "baci" else (writes, "add_rejects")
real = getattr(module, name)

def then_die(*args, **kwargs):
    real(*args, **kwargs)
    os.kill(os.getpid(), signal.SIGKILL)

setattr(module, name, then_die)
ws = open_workspace(Path(sys.argv[1]))
with ws.warehouse() as con:
    if sys.argv[3] == "baci":
        baci.import_file(con, Path(sys.argv[2]))
    else:
        customs.import_file(con, Path(sys.argv[2]), customs.CustomsOptions(region=ws.home_region))
"""


def _counts(ws: Workspace) -> list[tuple[int, ...]]:
    with ws.warehouse(read_only=True) as con:
        return con.execute(
            "SELECT (SELECT count(*) FROM world_flows), (SELECT count(*) FROM region_flows), "
            "(SELECT count(*) FROM rejects), (SELECT count(*) FROM datasets), "
            "(SELECT count(*) FROM region_summary)"
        ).fetchall()


@pytest.mark.parametrize("kind", ["baci", "customs"])
def test_a_killed_import_leaves_nothing_and_can_be_run_again(
    ws: Workspace, tmp_path: Path, kind: str
) -> None:
    earlier = tmp_path / "earlier.csv"
    earlier.write_text(GOOD.replace("2022", "2021"), encoding="utf-8")
    with ws.warehouse() as con:
        baci.import_file(con, earlier)
    before = _counts(ws)
    f = tmp_path / f"{kind}.csv"
    f.write_text(GOOD if kind == "baci" else CUSTOMS, encoding="utf-8")
    done = subprocess.run(
        [sys.executable, "-c", SCRIPT, str(ws.path), str(f), kind],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == -signal.SIGKILL, done.stderr
    assert _counts(ws) == before
    with ws.warehouse() as con:
        if kind == "baci":
            s = baci.import_file(con, f)
        else:
            s = customs.import_file(con, f, customs.CustomsOptions(region=ws.home_region))
    assert not s.already_imported and s.rows_accepted == 2
