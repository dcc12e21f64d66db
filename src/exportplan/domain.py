"""The shared words every layer uses: the two definitions of a region's exports, the product
levels, and the periods a figure is reported for.

A region's exports are counted under one of two definitions that differ widely and are never
added together: ``origin`` (goods made in the region, wherever they leave the country) and
``customs`` (goods leaving through the region's customs offices, wherever they were made).
Products are HS codes at 2, 4 or 6 digits (national tariff lines of 8 or 10 digits are truncated
for comparisons). Periods are Solar Hijri years, quarters and months (the Iranian year starts at
Nowruz); Gregorian years are used for world data.
"""

from __future__ import annotations

from typing import Final, Literal

from exportplan.errors import InputError

Definition = Literal["customs", "origin"]
DEFINITIONS: Final[tuple[Definition, ...]] = ("customs", "origin")
# English labels (the Persian ones come from the label dictionary, i18n)
DEFINITION_LABELS: Final[dict[str, str]] = {
    "customs": "goods leaving through the region's customs offices",
    "origin": "goods made in the region",
}

Level = Literal["hs2", "hs4", "hs6"]
LEVELS: Final[dict[str, int]] = {"hs2": 2, "hs4": 4, "hs6": 6}

PeriodKind = Literal["year", "quarter", "month"]
PERIOD_KINDS: Final[tuple[PeriodKind, ...]] = ("year", "quarter", "month")


def check_definition(value: str, *, what: str = "definition") -> Definition:
    """``value`` as a definition, or an error naming the two there are."""
    if value == "customs":
        return "customs"
    if value == "origin":
        return "origin"
    raise InputError(f"{what} must be one of {', '.join(DEFINITIONS)}; got {value!r}")


def level_digits(level: str) -> int:
    """The number of digits of a product level (``hs4`` -> 4), or an error naming the levels."""
    if level not in LEVELS:
        raise InputError(f"level must be one of {', '.join(LEVELS)}; got {level!r}")
    return LEVELS[level]


# ---- industrial zones (issue 18): the plot's states and the transitions allowed ----------

ZONE_KINDS: Final[tuple[str, ...]] = (
    "state_estate",
    "industrial_area",
    "private_town",
    "specialised",
    "free_zone",
)
PLOT_STATES: Final[tuple[str, ...]] = (
    "vacant",
    "reserved",
    "allotted",
    "contracted",
    "under_construction",
    "operating",
    "idle",
    "notice",
    "reclaim_pending",
    "reclaimed",
)
#: Each state's allowed next states (docs/zones.md draws the machine): a reservation lapses
#: back to vacant, an allotment without a contract lapses to vacant, an idle plot gets a notice
#: or shows activity again, a notice ends in an extension (back to contracted), activity, or
#: a reclaim; a reclaimed plot becomes vacant for the next applicant.
PLOT_TRANSITIONS: Final[dict[str, tuple[str, ...]]] = {
    "vacant": ("reserved", "allotted"),
    "reserved": ("allotted", "vacant"),
    "allotted": ("contracted", "vacant"),
    "contracted": ("under_construction", "idle"),
    "under_construction": ("operating", "idle"),
    "operating": ("idle",),
    "idle": ("notice", "under_construction", "operating"),
    "notice": ("contracted", "under_construction", "operating", "reclaim_pending"),
    "reclaim_pending": ("reclaimed", "notice"),
    "reclaimed": ("vacant",),
}
#: The states whose area counts as allotted in ``share_allotted_area`` (issue 18's definition)
ALLOTTED_STATES: Final[tuple[str, ...]] = (
    "allotted",
    "contracted",
    "under_construction",
    "operating",
    "idle",
)
#: A plot in one of these states may be allotted; any other is held by someone
ALLOTTABLE_STATES: Final[tuple[str, ...]] = ("vacant", "reserved")
DECISIONS: Final[tuple[str, ...]] = ("allot", "reject", "waitlist")


def plot_transition_allowed(current: str, new: str) -> bool:
    """Whether a plot may go from state ``current`` to ``new``."""
    return new in PLOT_TRANSITIONS.get(current, ())


# ---- investment pipeline (issue 19): stages, statuses and the fields each stage needs -------

#: The stages of an investment project, in order (Data Hub's Prospect..Won, this project's words)
INVEST_STAGES: Final[tuple[str, ...]] = (
    "lead",
    "qualified",
    "site_visit",
    "proposal",
    "agreement",
    "implementation",
    "operating",
)
#: A project's status, independent of its stage (Data Hub's)
INVEST_STATUSES: Final[tuple[str, ...]] = (
    "ongoing",
    "delayed",
    "dormant",
    "lost",
    "abandoned",
    "won",
)
PROJECT_TYPES: Final[tuple[str, ...]] = ("greenfield", "expansion", "jv", "brownfield_acquisition")
ENQUIRY_CHANNELS: Final[tuple[str, ...]] = (
    "email",
    "web",
    "phone",
    "event",
    "embassy",
    "referral",
)
#: The fields a project needs to ENTER each stage (docs/investment.md, the spec's gate table);
#: entering a stage needs its own and every earlier stage's. ``capex_usd`` is met by a figure
#: or by ``capex_unknown``, ``capex_figure`` only by a figure; the firm link of an operating
#: project is not a gate (an operating project without one is flagged "exports not
#: trackable").
STAGE_GATES: Final[dict[str, tuple[str, ...]]] = {
    "lead": (),
    "qualified": (
        "investor",
        "sector",
        "project_type",
        "project_manager",
        "likelihood",
        "capex_usd",
    ),
    "site_visit": ("site_visit_planned", "candidate_site"),
    "proposal": ("proposition", "competitor_locations"),
    "agreement": ("agreement_signed", "capex_figure", "jobs_new"),
    "implementation": ("site", "milestone_plan"),
    "operating": ("operation_licence",),
}


def stage_index(stage: str) -> int:
    """The position of ``stage`` in :data:`INVEST_STAGES`, or an error naming the stages."""
    if stage not in INVEST_STAGES:
        raise InputError(f"stage must be one of {', '.join(INVEST_STAGES)}; got {stage!r}")
    return INVEST_STAGES.index(stage)


def gate_fields(stage: str) -> tuple[str, ...]:
    """Every field a project needs to be at ``stage`` (its gate and the earlier ones)."""
    out: list[str] = []
    for s in INVEST_STAGES[: stage_index(stage) + 1]:
        out.extend(f for f in STAGE_GATES[s] if f not in out)
    return tuple(out)


# --- suppliers: the words of the registry, demand lists and matching -------------------------
#: code schemes of capabilities and demand items
CODE_SCHEMES: Final[tuple[str, ...]] = ("HS", "IR_TARIFF", "ISIC4", "CPV", "UNSPSC", "AVL_CAT")
#: a firm's onboarding states; only ``validated`` and ``published`` firms are matched
FIRM_STATES: Final[tuple[str, ...]] = ("draft", "submitted", "validated", "published", "stale")
MATCHED_FIRM_STATES: Final[tuple[str, ...]] = ("validated", "published")
#: a certificate's computed status
CERT_STATUSES: Final[tuple[str, ...]] = ("valid", "expiring", "expired", "unverified")
VENDOR_LIST_STATUSES: Final[tuple[str, ...]] = ("applied", "listed", "suspended", "removed")
DEMAND_KINDS: Final[tuple[str, ...]] = (
    "import_substitution",
    "rfq",
    "partner_request",
    "tender",
)
MATCH_STATES: Final[tuple[str, ...]] = (
    "proposed",
    "shortlisted",
    "sent_to_buyer",
    "accepted_by_buyer",
    "rejected",
    "introduced",
)
#: why a curator rejects a match; ``not_capable`` is a "not relevant" label for evaluation
REJECT_REASONS: Final[tuple[str, ...]] = (
    "not_capable",
    "capacity_too_small",
    "cert_missing",
    "not_on_vendor_list",
    "price",
    "duplicate",
    "other",
)
INTRODUCTION_STATUSES: Final[tuple[str, ...]] = (
    "requested",
    "accepted",
    "declined",
    "expired",
    "held",
    "no_show",
)
INTRODUCTION_OUTCOMES: Final[tuple[str, ...]] = (
    "none",
    "samples_requested",
    "quotation",
    "trial_order",
    "contract",
)
