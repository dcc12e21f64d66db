"""Settings, declared once: name, type, default, help and environment variable; each value is
parsed to its type and checked when a workspace opens, an invalid one named in the error.
``docs/settings.md`` lists them (a test checks that every setting is documented)."""

from __future__ import annotations

import os
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from exportplan.errors import WorkspaceError

SettingType = Literal[
    "path", "optional_path", "text", "iso3", "url", "hours", "count", "amount", "flag"
]


class SettingError(WorkspaceError):
    """A setting's value cannot be used; the error names the setting and the value."""

    def __init__(self, setting: Setting, value: str, problem: str) -> None:
        self.setting = setting.name
        self.value = value
        shown = _redact(value) if setting.type == "url" else value
        super().__init__(
            f"setting {setting.name} ({setting.env}) is {shown!r}: {problem}",
            hint=f"correct or unset {setting.env} (default: {setting.default or '(empty)'}); "
            "docs/settings.md lists the settings",
        )


def _redact(url: str) -> str:
    """A URL without its password."""
    return re.sub(r"(://[^:/@]*:)[^@]*@", r"\1***@", url)


def _path(raw: str) -> Path:
    if not raw.strip():
        raise ValueError("a folder is needed")
    return Path(raw)


def _optional_path(raw: str) -> Path | None:
    return Path(raw) if raw.strip() else None


def _text(raw: str) -> str:
    if not raw.strip():
        raise ValueError("it may not be empty")
    return raw


def _iso3(raw: str) -> str:
    if not re.fullmatch(r"[A-Za-z]{3}", raw.strip()):
        raise ValueError("an ISO3 country code of three letters is needed, such as IRN")
    return raw.strip().upper()


def _url(raw: str) -> str:
    if raw and not re.match(r"^[A-Za-z][A-Za-z0-9+._-]*://", raw):
        raise ValueError("a database URL such as postgresql+psycopg://user@host/db is needed")
    return raw


def _hours(raw: str) -> float:
    try:
        hours = float(raw)
    except ValueError:
        raise ValueError("a number of hours is needed, such as 12") from None
    if not hours > 0 or hours == float("inf"):
        raise ValueError("a positive number of hours is needed")
    return hours


def _count(raw: str) -> int:
    try:
        n = int(raw.strip())
    except ValueError:
        raise ValueError("a whole number is needed, such as 10") from None
    if n < 1:
        raise ValueError("a whole number of at least 1 is needed")
    return n


def _amount(raw: str) -> float:
    try:
        amount = float(raw.strip().replace("_", ""))
    except ValueError:
        raise ValueError("a number is needed, such as 10000000000 or 1e10") from None
    if not 0 < amount < float("inf"):
        raise ValueError("a positive finite number is needed")
    return amount


def _flag(raw: str) -> bool:
    v = raw.strip().lower()
    if v in ("1", "yes", "true", "on"):
        return True
    if v in ("", "0", "no", "false", "off"):
        return False
    raise ValueError("yes or no is needed")


PARSERS: dict[SettingType, Callable[[str], Any]] = {
    "path": _path,
    "optional_path": _optional_path,
    "text": _text,
    "iso3": _iso3,
    "url": _url,
    "hours": _hours,
    "count": _count,
    "amount": _amount,
    "flag": _flag,
}
TYPE_HELP: dict[SettingType, str] = {
    "path": "folder",
    "optional_path": "folder or empty",
    "text": "text",
    "iso3": "ISO3 code",
    "url": "database URL or empty",
    "hours": "positive number",
    "count": "whole number >= 1",
    "amount": "positive amount",
    "flag": "yes or no",
}


@dataclass(frozen=True)
class Setting:
    name: str
    env: str
    type: SettingType
    default: str
    help: str

    def parse(self, raw: str) -> Any:
        """The value of ``raw`` in this setting's type; :class:`SettingError` if invalid."""
        try:
            return PARSERS[self.type](raw)
        except ValueError as exc:
            raise SettingError(self, raw, str(exc)) from None


SETTINGS: tuple[Setting, ...] = (
    Setting(
        "workspace",
        "EXPORTPLAN_WORKSPACE",
        "path",
        "./exportplan-workspace",
        "Folder of the workspace (warehouse.duckdb, program.sqlite, workspace.toml).",
    ),
    Setting(
        "home_region",
        "EXPORTPLAN_HOME_REGION",
        "text",
        "East Azerbaijan",
        "Region a new workspace belongs to; customs files are this region's unless --region says.",
    ),
    Setting(
        "home_country",
        "EXPORTPLAN_HOME_COUNTRY",
        "iso3",
        "IRN",
        "ISO3 code of the home region's country (used for mirror data and national totals).",
    ),
    Setting(
        "program_db",
        "EXPORTPLAN_PROGRAM_DB",
        "url",
        "",
        "SQLAlchemy URL of the program store (users, programs, actions, audit), e.g. "
        "postgresql+psycopg://user@host/db for many users; empty: the workspace's "
        'program.sqlite. Also `program_db = "..."` in workspace.toml.',
    ),
    Setting(
        "session_hours",
        "EXPORTPLAN_SESSION_HOURS",
        "hours",
        "12",
        "Hours a sign-in session lasts (the web's and the API's sign-in).",
    ),
    # ---- access: API tokens, sign-in limits, cookies --------------------------------------
    Setting(
        "api_token_days",
        "EXPORTPLAN_API_TOKEN_DAYS",
        "count",
        "90",
        "Days a new API token lasts (`exportplan user token --days` overrides it per token).",
    ),
    Setting(
        "signin_user_attempts",
        "EXPORTPLAN_SIGNIN_USER_ATTEMPTS",
        "count",
        "5",
        "Failed sign-ins for one user name (known or not) before it is locked for a while.",
    ),
    Setting(
        "signin_address_attempts",
        "EXPORTPLAN_SIGNIN_ADDRESS_ATTEMPTS",
        "count",
        "20",
        "Failed sign-ins from one client address (any user names) before it is locked.",
    ),
    Setting(
        "signin_lockout_seconds",
        "EXPORTPLAN_SIGNIN_LOCKOUT_SECONDS",
        "count",
        "30",
        "Seconds of the first lockout; each further failure after it doubles the time.",
    ),
    Setting(
        "signin_lockout_max_seconds",
        "EXPORTPLAN_SIGNIN_LOCKOUT_MAX_SECONDS",
        "count",
        "3600",
        "Longest lockout in seconds (the doubling stops there).",
    ),
    Setting(
        "behind_https",
        "EXPORTPLAN_BEHIND_HTTPS",
        "flag",
        "no",
        "The server is reached over HTTPS (a TLS reverse proxy): cookies get the Secure flag.",
    ),
    Setting(
        "complexity_min_products",
        "EXPORTPLAN_COMPLEXITY_MIN_PRODUCTS",
        "count",
        "10",
        "Fewest products a location's ECI may rest on before `exportplan complexity` warns that "
        "it is fragile (the region's, and every location outside the sample); --min-products "
        "overrides it.",
    ),
    # ---- request limits of the web app (exportplan.web.limits) ----
    Setting(
        "upload_limit_mb",
        "EXPORTPLAN_UPLOAD_LIMIT_MB",
        "count",
        "256",
        "Largest upload in MB (the Data page's customs file) a signed-in administrator or "
        "secretary may send; a larger body is refused with 413 before it is read.",
    ),
    Setting(
        "form_limit_kb",
        "EXPORTPLAN_FORM_LIMIT_KB",
        "count",
        "1024",
        "Largest request body in KB that is not an upload (forms, JSON API calls), and the "
        "limit of every request from someone not signed in with the right to upload.",
    ),
    Setting(
        "field_limit_kb",
        "EXPORTPLAN_FIELD_LIMIT_KB",
        "count",
        "64",
        "Largest form field in KB other than a file (a note, a password).",
    ),
    Setting(
        "form_max_fields",
        "EXPORTPLAN_FORM_MAX_FIELDS",
        "count",
        "50",
        "Most fields one form may send (files not counted).",
    ),
    Setting(
        "form_max_files",
        "EXPORTPLAN_FORM_MAX_FILES",
        "count",
        "1",
        "Most files one form may send.",
    ),
    Setting(
        "filename_max_bytes",
        "EXPORTPLAN_FILENAME_MAX_BYTES",
        "count",
        "240",
        "Longest name of an uploaded file in bytes (UTF-8); a name with a NUL or another "
        "control character is refused too.",
    ),
    Setting(
        "max_row_value_usd",
        "EXPORTPLAN_MAX_ROW_VALUE_USD",
        "amount",
        "10000000000",
        "Largest value in USD one row of an imported file may carry (customs, BACI, Comtrade); "
        "a row above it is rejected with the reason (default USD 10 bn); world data (BACI, "
        "Comtrade) are held to 100 times it.",
    ),
    Setting(
        "max_row_weight_kg",
        "EXPORTPLAN_MAX_ROW_WEIGHT_KG",
        "amount",
        "10000000000",
        "Largest weight in kg one row of an imported file may carry (customs weights, BACI "
        "quantities in tonnes x 1000, Comtrade netWgt); a row above it is rejected (default "
        "10 million tonnes); world data are held to 100 times it.",
    ),
    # ---- workbook archive limits (checked before an .xlsx is parsed: ingest/archive.py) ----
    Setting(
        "archive_max_mb",
        "EXPORTPLAN_ARCHIVE_MAX_MB",
        "count",
        "1024",
        "Most megabytes (MiB) an uploaded or imported workbook (.xlsx, .xlsm, .ods: a zip "
        "archive) may unpack to, all its members together; a larger one is refused before it "
        "is read (a 1,000,000-row customs sheet unpacks to about 420 MB).",
    ),
    Setting(
        "archive_max_ratio",
        "EXPORTPLAN_ARCHIVE_MAX_RATIO",
        "count",
        "100",
        "Most times a workbook member may unpack to its packed size (members over 1 MiB "
        "unpacked); a higher ratio is a zip bomb and refused (customs sheets pack about 10x).",
    ),
    Setting(
        "archive_max_members",
        "EXPORTPLAN_ARCHIVE_MAX_MEMBERS",
        "count",
        "1000",
        "Most members (files inside the zip) a workbook may have; a workbook has a few dozen.",
    ),
    # ---- investment pipeline (issue 19: docs/investment.md) ----
    Setting(
        "invest_response_days",
        "EXPORTPLAN_INVEST_RESPONSE_DAYS",
        "count",
        "5",
        "Working days within which an investor's enquiry should have its first substantive "
        "response (the enquiry service's target; --target-days overrides it).",
    ),
    Setting(
        "invest_dormant_days",
        "EXPORTPLAN_INVEST_DORMANT_DAYS",
        "count",
        "90",
        "Days without an interaction after which an open investment project counts as dormant.",
    ),
    Setting(
        "invest_thursday_working",
        "EXPORTPLAN_INVEST_THURSDAY_WORKING",
        "flag",
        "no",
        "Thursday is a working day for the enquiry service's working-day counts (Friday never "
        "is; official holidays from reference/data/iran_holidays.csv).",
    ),
    Setting(
        "supplier_embeddings",
        "EXPORTPLAN_SUPPLIER_EMBEDDINGS",
        "optional_path",
        "",
        "A folder holding word vectors (vectors.vec, fastText's text format) that the "
        "suppliers' matching adds to its text score; empty: none (nothing is downloaded).",
    ),
)
BY_NAME = {s.name: s for s in SETTINGS}


def setting(name: str) -> Setting:
    try:
        return BY_NAME[name]
    except KeyError:
        raise KeyError(name) from None


def raw_value(name: str) -> str:
    """The text of a setting: from the environment, else its default."""
    s = setting(name)
    return os.environ.get(s.env, s.default)


def value(name: str) -> Any:
    """A setting parsed to its type (a :class:`~pathlib.Path`, text, a number...)."""
    return setting(name).parse(raw_value(name))


def env_value(name: str) -> str:
    """Value of a setting from the environment, else its default, as text (checked first)."""
    raw = raw_value(name)
    setting(name).parse(raw)
    return raw


def check() -> dict[str, Any]:
    """Every setting parsed; the first invalid one raises :class:`SettingError`."""
    return {s.name: value(s.name) for s in SETTINGS}


def default_workspace() -> Path:
    path: Path = value("workspace")
    return path
