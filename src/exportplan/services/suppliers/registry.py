"""The registry as people read it: firms found by text or code (Persian or English, the same
normaliser as matching), a firm's page (capabilities, certificates with their computed
status, vendor lists side by side), and merging a duplicate firm into another."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import select

from exportplan.auth import Actor, check
from exportplan.errors import InputError, NotFoundError
from exportplan.reference.text import normalise
from exportplan.store.program.db import ProgramDB
from exportplan.store.program.models import as_dict
from exportplan.store.program.writes import write
from exportplan.store.suppliers import queries
from exportplan.store.suppliers.models import (
    Capability,
    Certification,
    Firm,
    Match,
    VendorListEntry,
)
from exportplan.store.suppliers.queries import FirmRecord

EXPIRING_DAYS = 90


def cert_status(valid_to: dt.date | None, method: str, on: dt.date) -> str:
    """valid, expiring (within 90 days), expired, or unverified (no verification or no end)."""
    if method == "none" or valid_to is None:
        return "unverified"
    if valid_to < on:
        return "expired"
    if (valid_to - on).days <= EXPIRING_DAYS:
        return "expiring"
    return "valid"


def _row(f: FirmRecord, on: dt.date) -> dict[str, Any]:
    return {
        "firm_id": f.code,
        "name": f.name_fa or f.name_en,
        "name_en": f.name_en,
        "state": f.state,
        "county": f.county,
        "capabilities": len(f.capabilities),
        "codes": sorted({c for _, _, codes, _, _ in f.capabilities for _, c in codes}),
        "certifications": "; ".join(
            f"{std} ({cert_status(b, m, on)})" for _, std, _, b, m in f.certs
        ),
        "lists": "; ".join(f"{code} {status}" for code, _, _, status, _ in f.lists),
    }


def search(
    db: ProgramDB,
    actor: Actor,
    *,
    text: str = "",
    code: str = "",
    certification: str = "",
    state: str = "",
    today: dt.date | None = None,
) -> list[dict[str, Any]]:
    """Firms whose name or capability contains ``text`` (normalised: Arabic letters and ZWNJ
    variants match alike), with a code starting ``code``, holding ``certification``."""
    check(actor, "read")
    on = today or dt.date.today()
    q = normalise(text)
    out = []
    for f in queries.registry(db):
        hay = normalise(
            " ".join([f.code, f.name_fa, f.name_en, *(t for _, t, _, _, _ in f.capabilities)])
        )
        if q and q not in hay:
            continue
        if code and not any(c.startswith(code) for _, _, cs, _, _ in f.capabilities for _, c in cs):
            continue
        if certification and not any(certification.upper() in std for _, std, _, _, _ in f.certs):
            continue
        if state and f.state != state:
            continue
        out.append(_row(f, on))
    return out


def cards(
    db: ProgramDB, actor: Actor, *, today: dt.date | None = None
) -> dict[str, dict[str, Any]]:
    """What a shortlist shows of each firm, by firm id: its names in both languages, county,
    and certificates as ``(standard, valid to, status)``."""
    check(actor, "read")
    on = today or dt.date.today()
    return {
        f.code: {
            "name_fa": f.name_fa,
            "name_en": f.name_en,
            "county": f.county,
            "certs": [(std, b, cert_status(b, m, on)) for _, std, _, b, m in f.certs],
        }
        for f in queries.registry(db)
    }


def firm(db: ProgramDB, actor: Actor, code: str, *, today: dt.date | None = None) -> dict[str, Any]:
    """One firm's page: capabilities with codes, certificates with status, vendor lists (one
    row per buyer's list, never merged)."""
    check(actor, "read")
    on = today or dt.date.today()
    found = queries.registry(db, firm_code=normalise(code).upper())
    if not found:
        raise NotFoundError(f"no firm {code} in the registry")
    f = found[0]
    return {
        **_row(f, on),
        "name_fa": f.name_fa,
        "trade_card_no": f.trade_card_no,
        "national_id": f.national_id,
        "version": f.version,
        "capability_rows": [
            {"text": t, "codes": [f"{s} {c}" for s, c in cs], "capacity": cap, "unit": unit}
            for _, t, cs, cap, unit in f.capabilities
        ],
        "cert_rows": [
            {
                "standard": std,
                "valid_from": a,
                "valid_to": b,
                "status": cert_status(b, m, on),
                "verification": m,
            }
            for _, std, a, b, m in f.certs
        ],
        "list_rows": [
            {"list": code_, "category": cat, "grade": grade, "status": status, "as_of": as_of}
            for code_, cat, grade, status, as_of in f.lists
        ],
    }


def merge(db: ProgramDB, actor: Actor, *, duplicate: str, into: str) -> int:
    """Move a duplicate firm's rows into another firm and remove the duplicate."""
    a, b = normalise(duplicate).upper(), normalise(into).upper()
    if a == b:
        raise InputError("a firm cannot be merged into itself")
    with write(db, actor, "supplier.edit", f"merge of {a} into {b}") as ch:
        s = ch.session
        dup = s.scalars(select(Firm).where(Firm.code == a)).first()
        keep = s.scalars(select(Firm).where(Firm.code == b)).first()
        if dup is None or keep is None:
            raise NotFoundError(f"no firm {a if dup is None else b} in the registry")
        moved = 0
        for cap in s.scalars(select(Capability).where(Capability.firm_id == dup.id)):
            cap.firm_id = keep.id
            moved += 1
        for cert in s.scalars(select(Certification).where(Certification.firm_id == dup.id)):
            cert.firm_id = keep.id
            moved += 1
        for e in s.scalars(select(VendorListEntry).where(VendorListEntry.firm_id == dup.id)):
            e.firm_id = keep.id
            moved += 1
        kept = {m.item_id for m in s.scalars(select(Match).where(Match.firm_id == keep.id))}
        for m in s.scalars(select(Match).where(Match.firm_id == dup.id)):
            if m.item_id in kept:
                ch.delete(m)
            else:
                m.firm_id = keep.id
                moved += 1
        ch.flush()
        before = as_dict(dup)
        keep.national_id = keep.national_id or dup.national_id
        keep.trade_card_no = keep.trade_card_no or dup.trade_card_no
        dup.national_id = None
        ch.flush()
        ch.delete(dup)
        ch.audit("delete", "supplier_firm", dup.id, before, {"merged_into": b})
        return moved


def exports(ws: Any, trade_card_no: str | None) -> list[dict[str, Any]]:
    """The firm's exports from the warehouse (through its trade card); none without one."""
    if not trade_card_no:
        return []
    with ws.warehouse(read_only=True) as con:
        return queries.exports_by_exporter(con, trade_card_no)
