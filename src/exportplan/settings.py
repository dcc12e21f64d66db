"""Settings, declared once: name, type, default, help. ``docs/settings.md`` lists them (a test
checks that every setting is documented)."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Setting:
    name: str
    env: str
    default: str
    help: str


SETTINGS: tuple[Setting, ...] = (
    Setting(
        "workspace",
        "EXPORTPLAN_WORKSPACE",
        "./exportplan-workspace",
        "Folder of the workspace (warehouse.duckdb, program.sqlite, workspace.toml).",
    ),
    Setting(
        "home_region",
        "EXPORTPLAN_HOME_REGION",
        "East Azerbaijan",
        "Region a new workspace belongs to; customs files are this region's unless --region says.",
    ),
    Setting(
        "home_country",
        "EXPORTPLAN_HOME_COUNTRY",
        "IRN",
        "ISO3 code of the home region's country (used for mirror data and national totals).",
    ),
    Setting(
        "program_db",
        "EXPORTPLAN_PROGRAM_DB",
        "",
        "SQLAlchemy URL of the program store (users, programs, actions, audit), e.g. "
        "postgresql+psycopg://user@host/db for many users; empty: the workspace's "
        'program.sqlite. Also `program_db = "..."` in workspace.toml.',
    ),
    Setting(
        "session_hours",
        "EXPORTPLAN_SESSION_HOURS",
        "12",
        "Hours a sign-in session lasts (API tokens last until revoked).",
    ),
)


def env_value(name: str) -> str:
    """Value of a setting from the environment, else its default."""
    for s in SETTINGS:
        if s.name == name:
            return os.environ.get(s.env, s.default)
    raise KeyError(name)


def default_workspace() -> Path:
    return Path(env_value("workspace"))
