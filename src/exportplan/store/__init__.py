"""Stores: the analytical warehouse (DuckDB), the program database (SQLite/PostgreSQL), the
workspace's result cache and its own record."""

__all__ = [
    "cache",
    "claims",
    "invest",
    "program",
    "suppliers",
    "warehouse",
    "workspace_meta",
    "zones",
]
