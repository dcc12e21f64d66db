"""The claim register: a checked text recorded with its claims and verdicts, and the
register read back as rows (one per claim and interpretation) for the page and the download."""

from __future__ import annotations

from collections import Counter
from typing import Any

from exportplan.analytics.claim_extract import EXTRACTOR_VERSION
from exportplan.auth import Actor
from exportplan.errors import InputError
from exportplan.services.claims.check import Checked, parse_published
from exportplan.store.claims import queries, writes
from exportplan.store.program.db import ProgramDB

MAX_TEXT = 20_000  # characters: a news article, not a book


def record(
    db: ProgramDB,
    actor: Actor,
    *,
    text: str,
    published: str,
    outlet: str = "",
    url: str = "",
    checked: list[Checked],
) -> int:
    """Record a checked text in the register (permission ``claims.record``)."""
    if not text.strip():
        raise InputError("the text is empty: nothing to record")
    if len(text) > MAX_TEXT:
        raise InputError(f"the text has {len(text):,} characters, more than {MAX_TEXT:,}")
    day = parse_published(published)
    if day is not None:  # one way of writing it in the register: 1405/09/10, not ۱۴۰۵/۰۹/۱۰
        published = f"{day[0]:04d}/{day[1]:02d}/{day[2]:02d}"
    claims = [c.as_dict() for c in checked]
    counts = Counter(_mark(c) for c in checked)
    return writes.record_text(
        db,
        actor,
        text=text,
        published=published,
        outlet=outlet.strip()[:200],
        url=url.strip()[:1000],
        extractor_version=EXTRACTOR_VERSION,
        claims=claims,
        counts=dict(counts),
    )


def _mark(c: Checked) -> str:
    verdicts = {k.verdict for k in c.checks}
    if "consistent" in verdicts:
        return "consistent"
    if "inconsistent" in verdicts:
        return "inconsistent"
    return "not_checkable"


def texts(db: ProgramDB) -> list[dict[str, Any]]:
    """The checked texts, newest first (without their claims' details)."""
    return [
        {k: v for k, v in row.items() if k not in ("claims", "text")}
        | {"excerpt": row["text"][:120]}
        for row in queries.texts(db)
    ]


def register_rows(db: ProgramDB) -> list[dict[str, Any]]:
    """One row per claim and interpretation of every checked text: the download."""
    rows: list[dict[str, Any]] = []
    for t in queries.texts(db):
        for i, c in enumerate(t["claims"]):
            period = c.get("period") or {}
            for k in c.get("checks", []):
                rows.append(
                    {
                        "text_id": t["id"],
                        "outlet": t["outlet"],
                        "url": t["url"],
                        "published": t["published"],
                        "checked_at": t["added_at"],
                        "checked_by": t["added_by"],
                        "claim": i + 1,
                        "quoted": t["text"][c["span"][0] : c["span"][1]],
                        "kind": c["kind"],
                        "measure": k.get("measure"),
                        "quantity": c["quantity"],
                        "unit": c["unit"],
                        "year": period.get("year"),
                        "first_month": period.get("first_month"),
                        "last_month": period.get("last_month"),
                        "definition": k["definition"],
                        "computed": k["computed"],
                        "verdict": k["verdict"],
                        "reason": k.get("reason", ""),
                        "corrected": ", ".join(c.get("corrected_fields") or []),
                    }
                )
    return rows
