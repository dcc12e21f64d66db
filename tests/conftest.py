"""Shared fixtures: paths to the test data and fresh workspaces."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from exportplan.store import warehouse
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
