"""Reading an investment pipeline file (projects, or stage-log rows) into checked rows and
rejects, each reject with file, row, column, value and reason; nothing is written here.

Projects: ``project_id, investor, country, sector, stage, status, capex_usd,
capex_is_estimate, jobs, enquiry_received, first_response`` (Solar Hijri days, ``yes``/``no``),
and optional columns that fill gate fields (``project_type``, ``project_manager``,
``likelihood``, ``plot_code``, ``concession_ref``, ``trade_card_no``, ``exporter_name``,
``competitor_locations``, ``capex_currency``, ``capex_rate``, ``name``, ``agency``, ``event``,
``channel``, ``created``). Stages: ``project_id, stage, entered``. A reason carries its English
``template`` and ``values`` so each front door can say it in its user's language.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from exportplan.domain import ENQUIRY_CHANNELS, INVEST_STAGES, INVEST_STATUSES, PROJECT_TYPES
from exportplan.errors import InputError, MissingColumnsError
from exportplan.ingest.files import csv_rows, decode
from exportplan.reference.calendar import PeriodError, parse_period
from exportplan.reference.numbers import NumberError, parse_number
from exportplan.reference.text import clean_text, match_key, shorten

__all__ = [
    "PROJECT_COLUMNS",
    "STAGE_COLUMNS",
    "USD_CEILING",
    "Rejects",
    "investor_key",
    "read_projects",
    "read_rows",
    "read_stages",
]

PROJECT_COLUMNS = (
    "project_id",
    "investor",
    "country",
    "sector",
    "stage",
    "status",
    "capex_usd",
    "capex_is_estimate",
    "jobs",
    "enquiry_received",
    "first_response",
)
OPTIONAL_COLUMNS = (
    "name",
    "project_type",
    "project_manager",
    "likelihood",
    "plot_code",
    "concession_ref",
    "trade_card_no",
    "exporter_name",
    "competitor_locations",
    "capex_currency",
    "capex_rate",
    "agency",
    "event",
    "channel",
    "created",
)
STAGE_COLUMNS = ("project_id", "stage", "entered")
#: capex above this is taken for rials or tomans typed into the USD column (the spec's 10 bn)
USD_CEILING = 10_000_000_000.0
YES = {"yes", "y", "true", "1", "بله", "بلی", "آری"}
NO = {"no", "n", "false", "0", "خیر", "نه", ""}
#: a capex cell that says the figure is not known (meets the gate to ``qualified``)
UNKNOWN = {"unknown", "نامعلوم", "نامشخص"}
_SUFFIXES = re.compile(
    r"\b(co|company|corp|corporation|inc|ltd|limited|llc|plc|group|gmbh|sa|ag|"
    r"شرکت|سهامی|خاص|عام|گروه|هلدینگ)\b"
)


def investor_key(name: str) -> str:
    """The key two spellings of one investor share: :func:`match_key` without company words
    (Co., Ltd, LLC, Group, شرکت, سهامی خاص...)."""
    return re.sub(r"\s+", " ", _SUFFIXES.sub(" ", match_key(name))).strip()


@dataclass
class Rejects:
    """The problems of a file, each (file, row, column, value, reason) with its template."""

    file: str
    rows: list[dict[str, Any]] = field(default_factory=list)

    def add(self, row: int, column: str, value: str, template: str, **values: Any) -> None:
        vals = {"value": shorten(value, 80), **values}
        self.rows.append(
            {
                "file": self.file,
                "row": row,
                "column": column,
                "value": shorten(value, 200),
                "reason": template.format(**{k: _text(v) for k, v in vals.items()}),
                "template": template,
                "values": vals,
            }
        )


def _text(v: Any) -> str:
    return ", ".join(str(x) for x in v) if isinstance(v, list | tuple) else str(v)


def read_rows(path: Path, required: tuple[str, ...]) -> list[tuple[int, dict[str, str]]]:
    """The file's data rows as (row number as a person sees it, column -> text), columns
    named by the header (lower case, trimmed); missing required columns are an error."""
    if not path.exists():
        raise InputError(f"{path}: no such file")
    if path.suffix.lower() in (".xlsx", ".xlsm"):
        table = _xlsx(path)
    else:
        d = decode(path)
        table = [(i, r) for i, r in enumerate(csv_rows(d.text, d.bad_lines), start=1)]
    table = [(i, r) for i, r in table if any(c.strip() for c in r)]
    if not table:
        raise InputError(f"{path.name}: the file has no rows", hint="check the file given")
    header = [clean_text(c).lower().replace(" ", "_") for c in table[0][1]]
    missing = [c for c in required if c not in header]
    if missing:
        raise MissingColumnsError(path.name, list(required), header, missing)
    out = []
    for i, r in table[1:]:
        out.append((i, {h: clean_text(r[j]) if j < len(r) else "" for j, h in enumerate(header)}))
    return out


def _xlsx(path: Path) -> list[tuple[int, list[str]]]:
    from openpyxl import load_workbook

    from exportplan.ingest.archive import check_archive

    check_archive(path)
    try:
        wb = load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds for a damaged file
        raise InputError(f"{path.name}: not a readable workbook ({exc})") from exc
    rows = []
    for i, r in enumerate(wb.worksheets[0].iter_rows(values_only=True), start=1):
        rows.append((i, [_cell(v) for v in r]))
    wb.close()
    return rows


def _cell(v: Any) -> str:
    if v is None:
        return ""
    if isinstance(v, float) and v.is_integer():
        return str(int(v))
    if isinstance(v, dt.datetime | dt.date):
        import jdatetime

        d = v.date() if isinstance(v, dt.datetime) else v
        return str(jdatetime.date.fromgregorian(date=d).strftime("%Y/%m/%d"))
    return str(v)


def sh_day(text: str) -> dt.date:
    """A Solar Hijri day as written (``1404/07/12``, Persian digits too) as a date."""
    p = parse_period(text)
    if p.calendar != "sh" or p.day is None:
        raise PeriodError(f"{text!r} is not a Solar Hijri day such as 1404/07/12")
    g = p.gregorian_date()
    assert g is not None
    return g


def _date(rej: Rejects, row: int, col: str, text: str, today: dt.date) -> dt.date | None:
    if not text:
        return None
    try:
        d = sh_day(text)
    except PeriodError:
        rej.add(row, col, text, "{value} is not a Solar Hijri day such as 1404/07/12")
        return None
    if d > today:
        rej.add(row, col, text, "{value} is in the future")
        return None
    return d


def _number(rej: Rejects, row: int, col: str, text: str) -> float | None:
    if not text:
        return None
    try:
        v = parse_number(text)
    except NumberError:
        rej.add(row, col, text, "{value} is not a number")
        return None
    if v < 0:
        rej.add(row, col, text, "{value} is negative")
        return None
    return v


def _choice(
    rej: Rejects, row: int, col: str, text: str, allowed: tuple[str, ...], default: str | None
) -> str | None:
    v = text.lower().replace(" ", "_")
    if not v:
        return default
    if v not in allowed:
        rej.add(row, col, text, "{value} is not one of {allowed}", allowed=list(allowed))
        return None
    return v


def read_projects(path: Path, *, today: dt.date) -> tuple[list[dict[str, Any]], Rejects]:
    """The project rows, checked one by one (the store's checks follow in the service)."""
    rej = Rejects(path.name)
    rows: list[dict[str, Any]] = []
    seen: dict[str, int] = {}
    investors: dict[tuple[str, str], tuple[str, int]] = {}
    for n, r in read_rows(path, PROJECT_COLUMNS):
        before = len(rej.rows)
        code = r["project_id"]
        if not code or len(code) > 40:
            rej.add(n, "project_id", code, "a project id of 1 to 40 characters is needed")
        elif code in seen:
            rej.add(
                n,
                "project_id",
                code,
                "{value} appears again (first on row {first})",
                first=seen[code],
            )
        else:
            seen[code] = n
        country = r["country"].upper()
        if country and not re.fullmatch(r"[A-Z]{3}", country):
            rej.add(n, "country", r["country"], "{value} is not an ISO3 country code such as TUR")
        name = r["investor"]
        key = investor_key(name) if name else ""
        if key:
            first = investors.setdefault((key, country), (name, n))
            if first[0] != name:
                rej.add(
                    n,
                    "investor",
                    name,
                    "{value} looks like {other} on row {first} (same "
                    "name and country): a duplicate investor; write one name for both, or "
                    "merge them after the import (exportplan invest merge-investors)",
                    other=first[0],
                    first=first[1],
                )
        stage = _choice(rej, n, "stage", r["stage"], INVEST_STAGES, None)
        if stage is None and not r["stage"]:
            rej.add(
                n, "stage", "", "a stage is needed: one of {allowed}", allowed=list(INVEST_STAGES)
            )
        status = _choice(rej, n, "status", r["status"], INVEST_STATUSES, "ongoing")
        unknown = r["capex_usd"].lower() in UNKNOWN
        capex = None if unknown else _number(rej, n, "capex_usd", r["capex_usd"])
        currency = (r.get("capex_currency") or "USD").upper()
        original: dict[str, Any] | None = None
        if currency not in ("USD", "IRR", "IRT"):
            rej.add(n, "capex_currency", currency, "{value} is not USD, IRR (rial) or IRT (toman)")
        elif capex is not None and currency != "USD":
            rate = _number(rej, n, "capex_rate", r.get("capex_rate", ""))
            if not rate:
                rej.add(
                    n,
                    "capex_rate",
                    r.get("capex_rate", ""),
                    "a capex in {currency} needs capex_rate (rials per USD) to be converted",
                    currency=currency,
                )
            else:
                original = {
                    "value": capex,
                    "currency": currency,
                    "rate_irr_per_usd": rate,
                    "on": today.isoformat(),
                }
                capex = capex * (10 if currency == "IRT" else 1) / rate
        if capex is not None and capex > USD_CEILING and original is None:
            rej.add(
                n,
                "capex_usd",
                r["capex_usd"],
                "{value} is larger than USD 10 bn: is this "
                "rial or toman? give capex_currency (IRR or IRT) and capex_rate, or the "
                "value in USD",
            )
        estimate = r["capex_is_estimate"].lower()
        if estimate not in YES | NO:
            rej.add(n, "capex_is_estimate", r["capex_is_estimate"], "{value} is not yes or no")
        jobs = _number(rej, n, "jobs", r["jobs"])
        if jobs is not None and not jobs.is_integer():
            rej.add(n, "jobs", r["jobs"], "{value} is not a whole number of jobs")
        received = _date(rej, n, "enquiry_received", r["enquiry_received"], today)
        response = _date(rej, n, "first_response", r["first_response"], today)
        if response is not None and received is None and not r["enquiry_received"]:
            rej.add(
                n,
                "first_response",
                r["first_response"],
                "a response without enquiry_received: give the day the enquiry came",
            )
        if response is not None and received is not None and response < received:
            rej.add(
                n,
                "first_response",
                r["first_response"],
                "{value} is before the enquiry was received ({received})",
                received=r["enquiry_received"],
            )
        created = _date(rej, n, "created", r.get("created", ""), today)
        ptype = _choice(rej, n, "project_type", r.get("project_type", ""), PROJECT_TYPES, None)
        likelihood = _choice(
            rej, n, "likelihood", r.get("likelihood", ""), ("low", "medium", "high"), None
        )
        channel = _choice(rej, n, "channel", r.get("channel", ""), ENQUIRY_CHANNELS, "email")
        competitors = r.get("competitor_locations", "")
        if len(rej.rows) > before:
            continue
        rows.append(
            {
                "row": n,
                "code": code,
                "name": r.get("name", "") or code,
                "investor": name,
                "investor_key": key,
                "country": country,
                "sector": r["sector"] or None,
                "stage": stage,
                "status": status,
                "capex_usd": capex,
                "capex_original": original,
                "capex_is_estimate": estimate in YES,
                "capex_unknown": unknown,
                "jobs_new": int(jobs) if jobs is not None else None,
                "enquiry_received": received,
                "first_response": response,
                "created": created or received or today,
                "project_type": ptype,
                "project_manager": r.get("project_manager") or None,
                "likelihood": likelihood,
                "plot_code": r.get("plot_code") or None,
                "concession_ref": r.get("concession_ref") or None,
                "trade_card_no": r.get("trade_card_no") or None,
                "exporter_name": r.get("exporter_name") or None,
                "competitor_locations": [c.strip() for c in competitors.split(";") if c.strip()]
                if competitors
                else None,
                "agency": r.get("agency") or None,
                "event": r.get("event") or None,
                "channel": channel,
            }
        )
    return rows, rej


def read_stages(path: Path, *, today: dt.date) -> tuple[list[dict[str, Any]], Rejects]:
    """The stage-log rows (project, stage, day entered), checked one by one."""
    rej = Rejects(path.name)
    rows: list[dict[str, Any]] = []
    seen: dict[tuple[str, str, dt.date], int] = {}
    for n, r in read_rows(path, STAGE_COLUMNS):
        before = len(rej.rows)
        if not r["project_id"]:
            rej.add(n, "project_id", "", "a project id is needed")
        stage = _choice(rej, n, "stage", r["stage"], INVEST_STAGES, None)
        if stage is None and not r["stage"]:
            rej.add(
                n, "stage", "", "a stage is needed: one of {allowed}", allowed=list(INVEST_STAGES)
            )
        entered = _date(rej, n, "entered", r["entered"], today)
        if entered is None and not r["entered"]:
            rej.add(n, "entered", "", "the day the stage was entered is needed")
        if len(rej.rows) > before or stage is None or entered is None:
            continue
        k = (r["project_id"], stage, entered)
        if k in seen:
            rej.add(
                n,
                "entered",
                r["entered"],
                "the same project, stage and day as row {first}",
                first=seen[k],
            )
            continue
        seen[k] = n
        rows.append(
            {
                "row": n,
                "code": r["project_id"],
                "stage": stage,
                "entered": entered,
                "entered_text": r["entered"],
            }
        )
    return rows, rej
