"""Opening the program store: the engine and its sessions, and the schema by Alembic migrations.

SQLite in the workspace (``program.sqlite``) by default; PostgreSQL for many users by a URL
(``EXPORTPLAN_PROGRAM_DB`` or ``program_db`` in ``workspace.toml``). The schema is created and
upgraded by Alembic migrations (``store/migrations``), never by ``create_all``, so SQLite and
PostgreSQL run the same DDL.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from importlib.resources import files
from pathlib import Path
from typing import Any

from sqlalchemy import create_engine, event
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session, sessionmaker


@dataclass
class ProgramDB:
    engine: Engine
    sessions: sessionmaker[Session]

    @contextmanager
    def session(self) -> Iterator[Session]:
        """One transaction: committed at the end, rolled back on any error (reads use it as
        is; writes go through :func:`exportplan.store.program.writes.write`)."""
        s = self.sessions()
        try:
            yield s
            s.commit()
        except BaseException:
            s.rollback()
            raise
        finally:
            s.close()


def _sqlite_pragmas(dbapi_con: Any, _record: Any) -> None:
    cur = dbapi_con.cursor()
    cur.execute("PRAGMA foreign_keys = ON")
    cur.execute("PRAGMA journal_mode = WAL")
    cur.execute("PRAGMA busy_timeout = 5000")
    cur.close()


def migrations_dir() -> Path:
    return Path(str(files("exportplan.store").joinpath("migrations")))


def connect(url: str) -> ProgramDB:
    """Open the program store at ``url``, creating or upgrading its schema (Alembic)."""
    engine = create_engine(url, future=True)
    if engine.dialect.name == "sqlite":
        event.listen(engine, "connect", _sqlite_pragmas)
    upgrade(engine)
    return ProgramDB(engine, sessionmaker(engine, expire_on_commit=False))


def upgrade(engine: Engine) -> None:
    from alembic import command
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(migrations_dir()))
    with engine.begin() as con:
        cfg.attributes["connection"] = con
        command.upgrade(cfg, "head")


def head_revisions() -> list[str]:
    """The heads of the migrations' chain (one, unless two revisions follow the same one)."""
    from alembic.config import Config
    from alembic.script import ScriptDirectory

    cfg = Config()
    cfg.set_main_option("script_location", str(migrations_dir()))
    return sorted(ScriptDirectory.from_config(cfg).get_heads())


def current_revision(engine: Engine) -> str | None:
    from alembic.runtime.migration import MigrationContext

    with engine.connect() as con:
        return MigrationContext.configure(con).get_current_revision()
