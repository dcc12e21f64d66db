"""The warehouse a long-lived process holds open: one DuckDB database instance per file, whose
cursors (each its own connection and transaction) the process's threads share.

``exportplan serve`` holds its workspace's warehouse for its whole life (:func:`hold`) and every
``Workspace.warehouse()`` in that process is then a cursor of it (:func:`cursor`). DuckDB's
multi-version concurrency control gives each cursor the last committed state when its
transaction starts: a page's query never waits for an import's open transaction and never sees
half of it. One process at a time may open a DuckDB file for writing; the command line reaches a
held warehouse through the server's writer (:mod:`exportplan.services.imports.worker`).
"""

from __future__ import annotations

import threading
from pathlib import Path

import duckdb

from exportplan.store.warehouse.schema import connect

__all__ = ["cursor", "held", "hold", "release"]

_held: dict[Path, duckdb.DuckDBPyConnection] = {}
_lock = threading.Lock()


def _key(path: Path) -> Path:
    return Path(path).resolve()


def hold(path: Path) -> duckdb.DuckDBPyConnection:
    """Open the warehouse at ``path`` for this process's life (upgraded first); holding it again
    returns the same instance."""
    key = _key(path)
    with _lock:
        con = _held.get(key)
        if con is None:
            con = connect(key)
            _held[key] = con
        return con


def held(path: Path) -> bool:
    """Whether this process holds the warehouse at ``path``."""
    with _lock:
        return _key(path) in _held


def cursor(path: Path) -> duckdb.DuckDBPyConnection | None:
    """A new cursor (its own transaction) of the held warehouse at ``path``; None when this
    process does not hold it."""
    with _lock:
        con = _held.get(_key(path))
        return None if con is None else con.cursor()


def release(path: Path) -> None:
    """Close the held warehouse at ``path`` (an uncommitted transaction is rolled back)."""
    with _lock:
        con = _held.pop(_key(path), None)
    if con is not None:
        con.close()
