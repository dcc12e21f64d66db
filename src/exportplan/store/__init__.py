"""Stores: the analytical warehouse (DuckDB) and the program database (SQLite/PostgreSQL)."""

__all__ = ["warehouse"]
