"""Which gate fields a project lacks to enter a stage (the spec's table, ``domain.STAGE_GATES``):
its own fields and the rows related to it (a planned site visit, a proposition, a signed
agreement, a milestone plan, an operation licence)."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from exportplan.domain import PROJECT_TYPES, gate_fields
from exportplan.store.invest.models import Agreement, Interaction, Milestone, Project, Proposition

__all__ = ["RELATED_FIELDS", "Related", "missing", "related_of"]

#: gate fields met by related rows, not by the project's own columns (an import cannot fill
#: them: a legacy project past these stages needs them waived)
RELATED_FIELDS = (
    "site_visit_planned",
    "proposition",
    "agreement_signed",
    "milestone_plan",
    "operation_licence",
)


@dataclass(frozen=True)
class Related:
    """Whether the rows a gate asks for exist."""

    site_visit_planned: bool = False
    proposition: bool = False
    agreement_signed: bool = False
    milestone_plan: bool = False
    operation_licence: bool = False


def related_of(s: Session, project_id: int | None) -> Related:
    """The related rows of a stored project (none for a new one)."""
    if project_id is None:
        return Related()
    inter = s.scalars(select(Interaction).where(Interaction.project_id == project_id)).all()
    miles = s.scalars(select(Milestone).where(Milestone.project_id == project_id)).all()
    props = s.scalars(select(Proposition).where(Proposition.project_id == project_id)).all()
    agree = s.scalars(select(Agreement).where(Agreement.project_id == project_id)).all()
    return Related(
        site_visit_planned=any(i.kind == "site_visit" for i in inter),
        proposition=any(p.deadline is not None for p in props),
        agreement_signed=any(a.signed_on is not None for a in agree),
        milestone_plan=any(m.planned_on is not None for m in miles),
        operation_licence=any(
            m.kind == "operation_licence" and m.actual_on is not None for m in miles
        ),
    )


def _has(p: Project, rel: Related, f: str) -> bool:
    checks = {
        "investor": p.investor_id is not None,
        "sector": bool(p.sector),
        "project_type": p.project_type in PROJECT_TYPES,
        "project_manager": bool(p.project_manager),
        "likelihood": p.likelihood in ("low", "medium", "high"),
        "capex_usd": p.capex_usd is not None or bool(p.capex_unknown),
        "capex_figure": p.capex_usd is not None,
        "candidate_site": bool(p.plot_code or p.concession_ref or p.opportunity_id),
        "competitor_locations": p.competitor_locations is not None,
        "jobs_new": p.jobs_new is not None,
        "site": bool(p.plot_code or p.concession_ref),
    }
    if f in checks:
        return checks[f]
    return bool(getattr(rel, f))


def missing(p: Project, rel: Related, stage: str) -> list[str]:
    """The gate fields ``p`` lacks to be at ``stage`` (every earlier gate included)."""
    return [f for f in gate_fields(stage) if not _has(p, rel, f)]
