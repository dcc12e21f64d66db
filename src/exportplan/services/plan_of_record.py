"""The plan of record: which program, and which annual target, hold for a region's Solar Hijri
year under an export definition. Monitoring, the pages, the reports and the CLI all ask here,
so that with a customs and an origin program in the same year every front door shows the same
one.

The rules:

- A program belongs to a region, a year and a definition (the store allows one of each).
- Asked for a definition, the answer is that definition's program or none.
- Asked for none, the answer is the customs program, or the origin one when the year has only
  that (the order of :data:`exportplan.domain.DEFINITIONS`); the others are listed beside it.
- Asked for no year, the answer is from the latest year that has a program.
- The target of a year under a definition is its program's total when there is a program;
  otherwise the one set with ``exportplan target set`` (kept in the warehouse); otherwise none.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

from exportplan import settings
from exportplan.domain import check_definition
from exportplan.errors import InputError, NotFoundError
from exportplan.store.program import ProgramDB, ProgramRef, program_refs
from exportplan.workspace import Workspace

TargetSource = Literal["program", "workspace", "none"]


@dataclass(frozen=True)
class ProgramChoice:
    """The program chosen for a year, and the year's other programs (other definitions)."""

    program: ProgramRef | None
    others: tuple[ProgramRef, ...] = field(default=())


@dataclass(frozen=True)
class PlanOfRecord:
    """The target that holds for a region's year under a definition, and where it comes from."""

    region: str
    sh_year: int
    definition: str
    program: ProgramRef | None
    target_usd: float | None
    target_source: TargetSource


def has_program_store(ws: Workspace) -> bool:
    """Whether the workspace has a program store to ask (without creating an empty one)."""
    return bool(settings.env_value("program_db")) or ws.program_path.exists()


def choose_program(
    db: ProgramDB,
    *,
    region: str,
    year: int | None = None,
    definition: str | None = None,
) -> ProgramChoice:
    """The program of ``region``'s ``year`` by the rules in this module's docstring."""
    if definition is not None:
        check_definition(definition)
    refs = program_refs(db, region=region)
    if year is None:
        if not refs:
            return ProgramChoice(None)
        year = max(r.sh_year for r in refs)
    in_year = [r for r in refs if r.sh_year == year]
    if definition is not None:
        chosen = next((r for r in in_year if r.definition == definition), None)
    else:
        chosen = in_year[0] if in_year else None  # program_refs orders by DEFINITIONS
    return ProgramChoice(chosen, tuple(r for r in in_year if r is not chosen))


def program_id_for(
    db: ProgramDB,
    *,
    region: str | None,
    year: int | None = None,
    definition: str | None = None,
) -> int:
    """The id of the program a command means, for the CLI: the year's only program, or the one
    of the definition asked; an error that lists them when the choice is not clear."""
    refs = program_refs(db, region=region, sh_year=year, definition=definition)
    if not refs:
        raise NotFoundError(
            "no program"
            + (f" for {year}" if year is not None else "")
            + (f" under the {definition} definition" if definition else "")
            + (f" in {region}" if region else ""),
            hint="create one with `exportplan program create`",
        )
    if len(refs) > 1:
        ids = ", ".join(f"{r.id} ({r.region} {r.sh_year} {r.definition})" for r in refs)
        raise InputError(
            f"several programs match: {ids}", hint="give --program ID (or --year and --definition)"
        )
    return refs[0].id


def workspace_target(ws: Workspace, region: str, sh_year: int, definition: str) -> float | None:
    """The target set with ``exportplan target set`` (for a year without a program)."""
    with ws.warehouse(read_only=True) as con:
        rows = con.execute(
            "SELECT value_usd FROM targets WHERE region = ? AND sh_year = ? AND definition = ?",
            [region, sh_year, definition],
        ).fetchall()
    return float(rows[0][0]) if rows else None


def plan_of_record(
    ws: Workspace, sh_year: int, definition: str, *, region: str | None = None
) -> PlanOfRecord:
    """The target of ``region``'s (default: the home region's) year under ``definition``."""
    d = check_definition(definition)
    region = region or ws.home_region
    program = None
    if has_program_store(ws):
        program = choose_program(ws.program(), region=region, year=sh_year, definition=d).program
    if program is not None:
        return PlanOfRecord(region, sh_year, d, program, program.target_usd, "program")
    value = workspace_target(ws, region, sh_year, d)
    return PlanOfRecord(
        region, sh_year, d, None, value, "workspace" if value is not None else "none"
    )
