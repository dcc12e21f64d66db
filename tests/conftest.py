"""Shared fixtures: paths to the test data and fresh workspaces."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from exportplan.store import program_db, warehouse
from exportplan.store.program_db import ProgramDB
from exportplan.workspace import Workspace, init

DATA = Path(__file__).parent / "data"


@pytest.fixture
def data_dir() -> Path:
    return DATA


@pytest.fixture
def ws(tmp_path: Path) -> Workspace:
    return init(tmp_path / "ws")


@pytest.fixture
def fault() -> Iterator[list[str]]:
    """Arm ``warehouse.checkpoint`` to raise at the stages appended to the yielded list."""
    stages: list[str] = []

    def hook(stage: str) -> None:
        if stage in stages:
            raise RuntimeError(f"injected failure at {stage}")

    warehouse._fault = hook
    try:
        yield stages
    finally:
        warehouse._fault = None


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


@pytest.fixture(scope="session")
def small_demo(tmp_path_factory: pytest.TempPathFactory) -> Workspace:
    """A small demo workspace (synthetic world of 5 years x 300 products, the province, the
    sample program), built once per test run by the same code as `exportplan demo`."""
    import datetime as dt

    from exportplan.services import demo
    from exportplan.workspace import open_workspace

    path = tmp_path_factory.mktemp("small-demo") / "ws"
    demo.build(
        path,
        years=5,
        products=300,
        rows_per_year=40_000,
        today=dt.date(2026, 11, 28),
        log=lambda _m: None,
    )
    return open_workspace(path)
