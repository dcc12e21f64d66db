"""The workspace's own record in its program database file (``workspace_meta``: when the
workspace was created), written when the workspace is made."""

from __future__ import annotations

import sqlite3
from pathlib import Path


def record_created(db_path: Path, created: str) -> None:
    """Create the SQLite file if needed and record when the workspace was created."""
    with sqlite3.connect(db_path) as db:  # program tables arrive with their models
        db.execute("CREATE TABLE IF NOT EXISTS workspace_meta (key TEXT PRIMARY KEY, value TEXT)")
        db.execute("INSERT OR REPLACE INTO workspace_meta VALUES ('created', ?)", (created,))
    db.close()
