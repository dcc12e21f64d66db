"""The matcher's output is what the implementation before the speed work (2026-12-02) gave:
candidates, their order, scores (to 1e-12), score parts and reasons, and the excluded firms,
on the demo's two lists, on the labelled evaluation set and on the benchmark's inputs at a
smaller size. The frozen files in tests/data/match_frozen were written by that older code
(``python tests/test_match_regression.py --freeze``, run once at commit "freeze"), never by
the code they check; at the benchmark's full size (10,000 x 1,000) every run of
``python benchmarks/match_bench.py`` compares its output's digest with the one frozen beside
them."""

from __future__ import annotations

import datetime as dt
import gzip
import importlib.util
import json
import math
import sys
from pathlib import Path
from types import ModuleType
from typing import Any

from exportplan.analytics.matching import ItemResult, match
from exportplan.auth import Actor
from exportplan.services.suppliers import demo as suppliers_demo
from exportplan.services.suppliers import imports, matching
from exportplan.store.program import db as program_db

HERE = Path(__file__).parent
FROZEN = HERE / "data" / "match_frozen"
EVAL = HERE / "data" / "suppliers_eval"
ADMIN = Actor("admin", "admin")
TODAY = dt.date(2026, 11, 28)
BENCH_TODAY = dt.date(2026, 12, 1)  # the benchmark's day
SMALL = (2_000, 300)  # the benchmark's inputs at this size (firms, items)


def bench_module() -> ModuleType:
    path = HERE.parent / "benchmarks" / "match_bench.py"
    spec = importlib.util.spec_from_file_location("match_bench_for_tests", path)
    assert spec is not None and spec.loader is not None
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def run_demo(folder: Path) -> dict[str, list[dict[str, Any]]]:
    """The demo's registry and lists as `exportplan demo` builds them, matched afresh."""
    db = program_db.connect(f"sqlite:///{folder / 'program.sqlite'}")
    try:
        suppliers_demo.build(db, folder / "files", today=TODAY)
        return {
            b: canonical(matching.run(db, ADMIN, buyer=b, today=TODAY))
            for b in ("NIOC", "AT_MACHINES")
        }
    finally:
        db.engine.dispose()


def run_eval(folder: Path) -> dict[str, list[dict[str, Any]]]:
    """The labelled evaluation set's two halves, matched as `match eval` matches them."""
    db = program_db.connect(f"sqlite:///{folder / 'eval.sqlite'}")
    try:
        imports.import_firms(db, ADMIN, EVAL / "firms.csv", today=TODAY)
        out = {}
        for half, buyer in (("dev", "EVALDEV"), ("heldout", "EVALHELD")):
            imports.import_demand(db, ADMIN, EVAL / f"demand_{half}.csv", buyer=buyer)
            out[buyer] = canonical(matching.run(db, ADMIN, buyer=buyer, today=TODAY))
        return out
    finally:
        db.engine.dispose()


BENCH = bench_module()
canonical, digest = BENCH.canonical, BENCH.digest


def run_bench(firms: int, items: int) -> list[ItemResult]:
    needs, offers, facts = BENCH.build_inputs(firms, items)
    return match(needs, offers, facts, glossary=matching.glossary(), top=10, today=BENCH_TODAY)


def _load(name: str) -> Any:
    with gzip.open(FROZEN / f"{name}.json.gz", "rt", encoding="utf-8") as fh:
        return json.load(fh)


def _same(got: Any, want: Any, where: str) -> None:
    """Equal, floats to 1e-12; the first difference named."""
    if isinstance(want, float) or isinstance(got, float):
        assert isinstance(got, (int, float)) and isinstance(want, (int, float)), where
        assert math.isclose(got, want, rel_tol=0, abs_tol=1e-12), f"{where}: {got!r} != {want!r}"
    elif isinstance(want, list):
        assert isinstance(got, list) and len(got) == len(want), f"{where}: {got!r} != {want!r}"
        for k, (g, w) in enumerate(zip(got, want, strict=True)):
            _same(g, w, f"{where}[{k}]")
    elif isinstance(want, dict):
        assert isinstance(got, dict) and got.keys() == want.keys(), f"{where}: keys differ"
        for k in want:
            _same(got[k], want[k], f"{where}.{k}")
    else:
        assert got == want, f"{where}: {got!r} != {want!r}"


def _roundtrip(x: Any) -> Any:
    return json.loads(json.dumps(x, ensure_ascii=False))


def test_demo_lists_match_as_before(tmp_path: Path) -> None:
    want = _load("demo")
    got = _roundtrip(run_demo(tmp_path))
    assert sum(len(r["candidates"]) for rs in want.values() for r in rs) > 100
    _same(got, want, "demo")


def test_evaluation_set_matches_as_before(tmp_path: Path) -> None:
    want = _load("eval")
    _same(_roundtrip(run_eval(tmp_path)), want, "eval")


def test_bench_inputs_match_as_before() -> None:
    want = _load("bench_small")
    got = _roundtrip(canonical(run_bench(*SMALL)))
    assert sum(len(r["candidates"]) for r in want) > 2_000
    _same(got, want, "bench")


def freeze() -> None:  # pragma: no cover - run once, by the old code
    import tempfile

    FROZEN.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        t = Path(tmp)
        (t / "demo").mkdir()
        (t / "eval").mkdir()
        sets = {
            "demo": run_demo(t / "demo"),
            "eval": run_eval(t / "eval"),
            "bench_small": canonical(run_bench(*SMALL)),
        }
    for name, data in sets.items():
        with gzip.GzipFile(FROZEN / f"{name}.json.gz", "wb", mtime=0) as fh:
            fh.write(json.dumps(data, ensure_ascii=False, sort_keys=True).encode())
    full = run_bench(10_000, 1_000)
    (FROZEN / "bench_full.sha256").write_text(digest(full) + "\n", "utf-8")
    with gzip.open("/tmp/match_frozen_bench_full.json.gz", "wt", encoding="utf-8") as fh:
        json.dump(canonical(full), fh, ensure_ascii=False)  # kept out of the repo (4 MB)


if __name__ == "__main__":  # pragma: no cover
    if sys.argv[1:] != ["--freeze"]:
        raise SystemExit("usage: python tests/test_match_regression.py --freeze")
    freeze()
