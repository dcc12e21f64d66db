"""Shared fixtures: paths to the test data and fresh workspaces."""

from __future__ import annotations

import os
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from exportplan.store import program as program_db
from exportplan.store.program import ProgramDB
from exportplan.workspace import Workspace, init

if TYPE_CHECKING:
    from playwright.sync_api import Browser

    from browsing import Watched

DATA = Path(__file__).parent / "data"


#: Test files that measure wall time or memory, or start servers and processes against a clock:
#: `make test` runs them alone after the rest, which runs on two workers (pytest-xdist), so a
#: neighbour's load cannot make a bound fail (a clean run of everything in one process is
#: still `pytest`).
SERIAL_FILES = frozenset(
    {
        "test_access.py",  # sign-in back-off counted in seconds
        "test_background_imports.py",  # page latency while an import runs
        "test_import_baci_scale.py",  # a child's peak memory
        "test_views.py",  # `exportplan serve` must answer within 30 s
        "test_web_limits.py",  # the server's VmHWM while bodies stream
        "test_workbook_archive.py",  # a zip bomb refused within seconds
    }
)


def _cli_built_once() -> None:
    """typer's CliRunner builds the whole click command tree from the Typer app on every
    ``invoke`` (about 0.5 s for exportplan's 91 commands: typer reads every callback's
    signature and annotations); a process running `exportplan` builds it once. The tests'
    runners now do the same: the tree is built once per Typer app and reused, as click's own
    commands are, each invocation with a fresh context."""
    import typer.testing

    build: Callable[[Any], Any] = getattr(typer.testing, "_get_command")  # noqa: B009
    built: dict[int, tuple[Any, Any]] = {}  # the app kept with its tree: its id stays its own

    def get_command(app: Any) -> Any:
        if id(app) not in built:
            built[id(app)] = (app, build(app))
        return built[id(app)][1]

    setattr(typer.testing, "_get_command", get_command)  # noqa: B010


_cli_built_once()


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if item.path.name in SERIAL_FILES:
            item.add_marker(pytest.mark.serial)


@pytest.fixture
def data_dir() -> Path:
    return DATA


@pytest.fixture
def ws(tmp_path: Path) -> Workspace:
    return init(tmp_path / "ws")


@pytest.fixture
def fault(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[str]]:
    """Make an import fail at the stages appended to the yielded list: ``read`` (after a
    BACI file is staged in DuckDB), ``flows`` and ``rejects`` (after they are written) and
    ``commit`` (just before the commit). The real step functions of the warehouse's writer
    and loader are wrapped; production code has no hook."""
    from exportplan.store.warehouse import loads, writes

    stages: list[str] = []

    def failing(stage: str, fn: Callable[..., Any], *, before: bool = False) -> Callable[..., Any]:
        def step(*args: Any, **kwargs: Any) -> Any:
            if before and stage in stages:
                raise RuntimeError(f"injected failure at {stage}")
            out = fn(*args, **kwargs)
            if not before and stage in stages:
                raise RuntimeError(f"injected failure at {stage}")
            return out

        return step

    for module, name, stage in (
        (loads, "stage_baci", "read"),
        (loads, "insert_baci_flows", "flows"),
        (writes, "add_world_flows", "flows"),
        (writes, "add_region_flows", "flows"),
        (writes, "add_rejects", "rejects"),
    ):
        monkeypatch.setattr(module, name, failing(stage, getattr(module, name)))
    monkeypatch.setattr(writes, "commit", failing("commit", writes.commit, before=True))
    yield stages


@pytest.fixture(params=["sqlite", "postgresql"])
def pdb(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[ProgramDB]:
    """A fresh program store on SQLite and on PostgreSQL (a real server on loopback, started
    by `make test`; without it these tests fail rather than skip)."""
    if request.param == "sqlite":
        db = program_db.connect(f"sqlite:///{tmp_path / 'program.sqlite'}")
        yield db
        db.engine.dispose()
        return
    base = os.environ.get("EXPORTPLAN_TEST_PG_URL")
    if not base:
        pytest.fail(
            "EXPORTPLAN_TEST_PG_URL is not set: run the tests with `make test`, which starts "
            "a PostgreSQL server on loopback (scripts/test_postgres.sh)"
        )
    name = f"t_{uuid.uuid4().hex[:16]}"
    admin = create_engine(base, isolation_level="AUTOCOMMIT")
    with admin.connect() as con:
        con.execute(text(f'CREATE DATABASE "{name}"'))
    db = program_db.connect(make_url(base).set(database=name).render_as_string(hide_password=False))
    yield db
    db.engine.dispose()
    with admin.connect() as con:
        con.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


def warehouse_contents(ws: Workspace) -> dict[str, Any]:
    """What a workspace's warehouse holds, to compare: every table's row count and the
    datasets' rows (an import adds a dataset, its flows and its rejects)."""
    with ws.warehouse(read_only=True) as con:
        tables = [
            str(r[0])
            for r in con.execute(
                "SELECT table_name FROM information_schema.tables "
                "WHERE table_type = 'BASE TABLE' ORDER BY table_name"
            ).fetchall()
        ]
        out: dict[str, Any] = {
            t: con.execute(f'SELECT count(*) FROM "{t}"').fetchone() for t in tables
        }
        rows = con.execute("SELECT * FROM datasets ORDER BY id").fetchall()
    out["datasets"] = {r[:3]: r for r in rows}  # id, kind, file name: the whole row
    return out


@pytest.fixture(scope="session")
def small_demo(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Workspace]:
    """A small demo workspace (synthetic world of 5 years x 300 products, the province, the
    sample program) by the same code as `exportplan demo`: a copy of the one `make test` built
    for the whole run (``EXPORTPLAN_TEST_DEMO``, tests/demo_cache.py) when it is current, else
    built here, once per test process.

    Its warehouse is read-only for the tests (a test that imports copies it first:
    ``browsing.demo_copy``): at the end of the process its contents must be what they were
    built as, or the run fails here (an import into the shared demo once made test_demo count
    another test's datasets)."""
    from demo_cache import copy_or_build
    from exportplan.workspace import open_workspace

    path = tmp_path_factory.mktemp("small-demo") / "ws"
    prebuilt = os.environ.get("EXPORTPLAN_TEST_DEMO")
    copy_or_build(Path(prebuilt) if prebuilt else None, path)
    ws = open_workspace(path)
    built = warehouse_contents(ws)
    yield ws
    now = warehouse_contents(ws)
    before, after = built.pop("datasets"), now.pop("datasets")
    changed: dict[str, Any] = {k: (built.get(k), now.get(k)) for k in built.keys() | now.keys()}
    changed = {k: f"{v[0]} rows, now {v[1]}" for k, v in changed.items() if v[0] != v[1]}
    changed |= {f"dataset {k} added": "" for k in after.keys() - before.keys()}
    changed |= {f"dataset {k} gone": "" for k in before.keys() - after.keys()}
    changed |= {
        f"dataset {k} changed": "" for k in before.keys() & after.keys() if before[k] != after[k]
    }
    assert not changed, (
        "a test wrote into the shared small demo's warehouse (copy it: browsing.demo_copy): "
        f"{changed}"
    )


@pytest.fixture(scope="session")
def small_demo_report(small_demo: Workspace) -> str:
    """What the small demo's build printed (the report of `exportplan demo`)."""
    return (small_demo.path.parent / "report.txt").read_text("utf-8")


# --- world-scale batch (issue 21): one small synthetic world, one Spark session per run ---


@pytest.fixture(scope="session")
def batch_world(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A small synthetic world in the BACI layout: 2019 as CSV (product codes as numbers, so
    the leading zeros are lost, as BACI writes them), 2020 as Parquet."""
    from exportplan.synthetic.world import generate

    root = tmp_path_factory.mktemp("batch-world")
    generate(
        root / "gen",
        n_countries=40,
        n_products=160,
        years=2,
        rows_per_year=12_000,
        formats=("csv", "parquet"),
    )
    src = root / "baci"
    src.mkdir()
    (root / "gen" / "SYNTHETIC_BACI_Y2019.csv").rename(src / "SYNTHETIC_BACI_Y2019.csv")
    (root / "gen" / "SYNTHETIC_BACI_Y2020.parquet").rename(src / "SYNTHETIC_BACI_Y2020.parquet")
    return src


@pytest.fixture(scope="session")
def duck_run(batch_world: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The batch on DuckDB over :func:`batch_world` (2019 and 2020), run once per test run."""
    from exportplan.services import batch, batch_engines

    out = tmp_path_factory.mktemp("duck") / "out"
    eng = batch_engines.duckdb_engine("1GB", out.parent / "spill")
    try:
        batch.run(batch_world, [2019, 2020], eng, out)
    finally:
        eng.close()
    return out


#: The test session's settings over the batch's local ones (docs/scale-out.md, "The Spark
#: tests"): two shuffle partitions (each partition is a task to schedule; the test worlds are
#: small), no adaptive re-planning (it re-optimises every stage of a tiny plan), and a driver
#: JVM that only runs the quick JIT compiler on one thread with the serial collector: a
#: session of a few minutes spends most of its CPU compiling Spark's own code for speed it
#: never gets back (measured: the JVM's CPU time over the Spark tests 48 s -> 23 s)
TEST_SPARK = {
    "spark.sql.shuffle.partitions": "2",
    "spark.default.parallelism": "2",
    "spark.sql.adaptive.enabled": "false",
    "spark.driver.extraJavaOptions": "-XX:TieredStopAtLevel=1 -XX:CICompilerCount=1 "
    "-XX:+UseSerialGC",
}


@pytest.fixture(scope="session")
def spark_session() -> Iterator[Any]:
    """The one Spark session of the test run: local[2], UI off, 2 shuffle partitions, bound to
    127.0.0.1, with :data:`TEST_SPARK`. Without Java 17 or 21 the Spark tests are skipped,
    except in CI (CI=true), where a missing Java is a failure."""
    from exportplan.services import batch_engines as be

    try:
        be.require_java()
    except be.EngineError as exc:
        if os.environ.get("CI", "").lower() in ("1", "true", "yes"):
            pytest.fail(f"CI must run the Spark tests: {exc.message} ({exc.hint})")
        pytest.skip(f"{exc.message} ({exc.hint})")
    session = be.start_spark("local[2]", overrides=TEST_SPARK)
    yield session
    session.stop()
    import gc

    gc.collect()  # py4j's pooled sockets to the JVM, closed now rather than in a later test


# ---- the browser tests (tests/browsing.py): one server and one browser per test run ----------


@pytest.fixture(scope="session")
def server(small_demo: Workspace) -> Iterator[str]:
    """The web app over the small demo in a real uvicorn server on loopback, shared by every
    browser test of the run."""
    from browsing import serve

    with serve(small_demo) as url:
        yield url


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    """Debian's chromium (Playwright), shared by every browser test of the run."""
    from browsing import launch

    with launch() as b:
        yield b


@pytest.fixture
def watched(browser: Browser, server: str) -> Iterator[Watched]:
    """A fresh browser context's page on ``server``; afterwards the test fails on any console
    error and on any request that left 127.0.0.1."""
    from browsing import Watched

    ctx = browser.new_context(viewport={"width": 1280, "height": 900})
    ctx.set_default_timeout(60_000)  # a loaded machine (CI's two cores) loads pages slowly
    w = Watched(ctx.new_page())
    yield w
    assert w.errors == [], w.errors  # no console errors on any page
    assert w.foreign(server) == [], w.foreign(server)  # nothing leaves 127.0.0.1
    ctx.close()
