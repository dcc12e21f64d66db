"""Alembic environment: run with a connection given by ``exportplan.store.program.db.upgrade``
(``config.attributes["connection"]``), or with ``sqlalchemy.url`` for ``alembic revision``."""

from __future__ import annotations

from alembic import context
from sqlalchemy import create_engine

from exportplan.store.program.models import Base

config = context.config
target_metadata = Base.metadata


def run() -> None:
    con = config.attributes.get("connection")
    if con is not None:
        context.configure(connection=con, target_metadata=target_metadata, render_as_batch=True)
        with context.begin_transaction():
            context.run_migrations()
        return
    engine = create_engine(config.get_main_option("sqlalchemy.url") or "sqlite://")
    with engine.begin() as c:
        context.configure(connection=c, target_metadata=target_metadata, render_as_batch=True)
        with context.begin_transaction():
            context.run_migrations()


run()
