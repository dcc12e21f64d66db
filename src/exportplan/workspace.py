"""A workspace: one folder with the warehouse (DuckDB), the program database (SQLite) and its
settings (``workspace.toml``: home region and country).

``init(path)`` creates it; ``open_workspace(path)`` opens an existing one and says what to do
when there is none. Every command takes ``--workspace`` or ``EXPORTPLAN_WORKSPACE``.

A server over the workspace (``exportplan serve``) holds the warehouse open for its life: in
that process ``Workspace.warehouse()`` is a cursor of the one instance, and the server announces
itself in ``server.json`` (its process id, address and a secret token, readable by the
workspace's owner only) so that an import run from the command line is handed to its writer
(:meth:`Workspace.server`).
"""

from __future__ import annotations

import datetime as dt
import functools
import json
import os
import secrets
import tomllib
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import duckdb

from exportplan import settings
from exportplan.errors import WorkspaceError
from exportplan.reference import countries
from exportplan.store import warehouse, workspace_meta

if TYPE_CHECKING:  # the program store (SQLAlchemy) loads when a command first needs it
    from exportplan.store.program import ProgramDB


@functools.cache
def _program_db(url: str) -> ProgramDB:
    from alembic.util.exc import CommandError
    from sqlalchemy.exc import SQLAlchemyError

    from exportplan.store import program as program_db

    try:
        return program_db.connect(url)
    except (SQLAlchemyError, CommandError, OSError) as exc:  # driver, URL or migration
        first = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        raise WorkspaceError(
            f"cannot open the program store at {_redact(url)}: {first}",
            hint="check the setting EXPORTPLAN_PROGRAM_DB (or program_db in workspace.toml)",
        ) from exc


def _redact(url: str) -> str:
    """The URL without its password (as written when it cannot be parsed: it has none then)."""
    from sqlalchemy.engine import make_url
    from sqlalchemy.exc import ArgumentError

    try:
        return make_url(url).render_as_string(hide_password=True)
    except ArgumentError:
        return url


CONFIG = "workspace.toml"
WAREHOUSE = "warehouse.duckdb"
PROGRAM_DB = "program.sqlite"
SERVER = "server.json"


@dataclass(frozen=True)
class ServerInfo:
    """A running ``exportplan serve`` over a workspace: where it listens and the token that
    proves a caller may read the workspace folder (the file is the owner's only)."""

    pid: int
    host: str
    port: int
    token: str

    @property
    def url(self) -> str:
        """The address to reach it from this machine (loopback when it listens on all)."""
        host = "127.0.0.1" if self.host in ("", "0.0.0.0", "::") else self.host
        return f"http://{'[' + host + ']' if ':' in host else host}:{self.port}"


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # someone else's process: alive
        return True
    return True


@dataclass(frozen=True)
class Workspace:
    path: Path
    home_region: str
    home_country: str
    created: str

    @property
    def warehouse_path(self) -> Path:
        return self.path / WAREHOUSE

    @property
    def program_path(self) -> Path:
        return self.path / PROGRAM_DB

    @property
    def program_url(self) -> str:
        """Where the program store is: the setting, else ``program_db`` in workspace.toml,
        else the workspace's SQLite file."""
        url = settings.env_value("program_db")
        if not url:
            try:
                url = str(
                    tomllib.loads((self.path / CONFIG).read_text("utf-8")).get("program_db", "")
                )
            except (OSError, tomllib.TOMLDecodeError):
                url = ""
        return url or f"sqlite:///{self.program_path}"

    def program(self) -> ProgramDB:
        """The program store (schema created or upgraded on first use in a process)."""
        return _program_db(self.program_url)

    @contextmanager
    def warehouse(self, *, read_only: bool = False) -> Iterator[duckdb.DuckDBPyConnection]:
        """A connection to the warehouse, closed after the block: a cursor of the instance this
        process holds (a server), else a connection of its own (``read_only``: shared with
        other readers, in other processes too)."""
        cur = warehouse.cursor(self.warehouse_path)
        if cur is not None:
            try:
                yield cur
            finally:
                cur.close()
            return
        try:
            con = warehouse.connect(self.warehouse_path, read_only=read_only)
        except duckdb.IOException as exc:
            if "lock" in str(exc).lower():
                srv = self.server()
                raise WorkspaceError(
                    f"the workspace {self.path} is in use by another exportplan process"
                    + (f" (the server at {srv.url}, process {srv.pid})" if srv else ""),
                    hint="imports are handed to a running server; for other commands, wait "
                    "for the other process to finish (or stop the server), then try again",
                ) from exc
            raise WorkspaceError(f"cannot open the warehouse of {self.path}: {exc}") from exc
        except duckdb.ConnectionException as exc:
            # in one process (the web server), a write connection (an upload) cannot open
            # while a read connection is open, nor the other way round
            raise WorkspaceError(
                f"the workspace {self.path} is busy with an import or a query",
                hint="try again in a moment",
            ) from exc
        try:
            yield con
        finally:
            con.close()

    @property
    def server_path(self) -> Path:
        return self.path / SERVER

    def server(self) -> ServerInfo | None:
        """The server announced in ``server.json`` if its process is alive (a server killed
        without stopping leaves the file: it is ignored, and replaced by the next one)."""
        try:
            data = json.loads(self.server_path.read_text("utf-8"))
            info = ServerInfo(
                pid=int(data["pid"]),
                host=str(data["host"]),
                port=int(data["port"]),
                token=str(data["token"]),
            )
        except (OSError, ValueError, KeyError, TypeError):
            return None
        return info if _alive(info.pid) else None

    @contextmanager
    def serving(self, host: str, port: int) -> Iterator[ServerInfo]:
        """Announce this process as the workspace's server for the block (``server.json``,
        mode 0600, written whole); refuses when another live server has announced itself."""
        other = self.server()
        if other is not None and other.pid != os.getpid():
            raise WorkspaceError(
                f"the workspace {self.path} is served already at {other.url} (process {other.pid})",
                hint="use that server, or stop it first",
            )
        info = ServerInfo(pid=os.getpid(), host=host, port=port, token=secrets.token_urlsafe(32))
        tmp = self.server_path.with_name(f".{SERVER}.{os.getpid()}")
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            json.dump({"pid": info.pid, "host": host, "port": port, "token": info.token}, f)
        os.replace(tmp, self.server_path)
        try:
            yield info
        finally:
            if self.server() == info:
                self.server_path.unlink(missing_ok=True)


def _toml(values: dict[str, str]) -> str:
    # json string literals are valid TOML basic strings for the text we store
    return "".join(f"{k} = {json.dumps(v, ensure_ascii=False)}\n" for k, v in values.items())


def init(
    path: Path, *, home_region: str | None = None, home_country: str | None = None
) -> Workspace:
    """Create a workspace folder; refuses to overwrite an existing workspace."""
    settings.check()
    path = Path(path)
    if (path / CONFIG).exists():
        raise WorkspaceError(
            f"{path} is already a workspace", hint="use it, or choose another folder"
        )
    region = home_region or settings.env_value("home_region")
    country = (home_country or settings.env_value("home_country")).upper()
    if country not in countries.by_iso3():
        raise WorkspaceError(f"unknown home country {country!r}; give an ISO3 code such as IRN")
    path.mkdir(parents=True, exist_ok=True)
    warehouse.create(path / WAREHOUSE)
    workspace_meta.record_created(
        path / PROGRAM_DB, dt.datetime.now(dt.UTC).isoformat(timespec="seconds")
    )
    created = dt.datetime.now(dt.UTC).isoformat(timespec="seconds")
    (path / CONFIG).write_text(
        _toml({"home_region": region, "home_country": country, "created": created}),
        encoding="utf-8",
    )
    return Workspace(path=path, home_region=region, home_country=country, created=created)


def open_workspace(path: Path | None = None) -> Workspace:
    """Open an existing workspace (default: the setting ``workspace``); every setting is
    checked first (:class:`exportplan.settings.SettingError` names an invalid one)."""
    settings.check()
    p = Path(path) if path is not None else settings.default_workspace()
    cfg = p / CONFIG
    if not cfg.exists():
        raise WorkspaceError(
            f"no workspace at {p}",
            hint=f"create one with `exportplan init {p}` or point --workspace / "
            "EXPORTPLAN_WORKSPACE at an existing one",
        )
    try:
        data = tomllib.loads(cfg.read_text(encoding="utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise WorkspaceError(f"{cfg} is not readable: {exc}") from exc
    return Workspace(
        path=p,
        home_region=str(data.get("home_region", "")),
        home_country=str(data.get("home_country", "")),
        created=str(data.get("created", "")),
    )


def set_home(ws: Workspace, *, region: str | None = None, country: str | None = None) -> Workspace:
    """Change the home region and/or country of a workspace."""
    new_country = (country or ws.home_country).upper()
    if new_country not in countries.by_iso3():
        raise WorkspaceError(f"unknown home country {new_country!r}; give an ISO3 code such as IRN")
    new = Workspace(ws.path, region or ws.home_region, new_country, ws.created)
    (ws.path / CONFIG).write_text(
        _toml(
            {
                "home_region": new.home_region,
                "home_country": new.home_country,
                "created": ws.created,
            }
        ),
        encoding="utf-8",
    )
    return new
