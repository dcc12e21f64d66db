"""Writing the claim register: a checked text is recorded through the program store's one
write path (permission ``claims.record``, one transaction, the audit row)."""

from __future__ import annotations

import hashlib
from typing import Any

from exportplan.auth import Actor
from exportplan.store.claims.models import CheckedText
from exportplan.store.program.db import ProgramDB
from exportplan.store.program.writes import write


def record_text(
    db: ProgramDB,
    actor: Actor,
    *,
    text: str,
    published: str,
    outlet: str,
    url: str,
    extractor_version: str,
    claims: list[dict[str, Any]],
    counts: dict[str, int],
) -> int:
    """Record one checked text with its claims and their checks; returns its id."""
    with write(db, actor, "claims.record", "a checked text") as ch:
        row = CheckedText(
            outlet=outlet,
            url=url,
            published=published,
            text=text,
            sha256=hashlib.sha256(text.encode("utf-8")).hexdigest(),
            added_by=actor.username,
            extractor_version=extractor_version,
            n_claims=len(claims),
            n_consistent=counts.get("consistent", 0),
            n_inconsistent=counts.get("inconsistent", 0),
            n_unchecked=counts.get("not_checkable", 0),
            claims=claims,
        )
        ch.add(row)
        ch.flush()
        ch.audit(
            "create",
            "claim_text",
            row.id,
            None,
            {"outlet": outlet, "published": published, "sha256": row.sha256, **counts},
        )
        return row.id
