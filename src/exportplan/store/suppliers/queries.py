"""Reads of the supplier registry and the demand lists shared by the services: the registry
as matching sees it, a buyer's list and items, the stored matches, an import's rejects."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import select

from exportplan.ingest.supplier_cells import Reject
from exportplan.reference.text import to_persian_digits
from exportplan.store.program.db import ProgramDB
from exportplan.store.suppliers.models import (
    Capability,
    CapabilityCode,
    Certification,
    DemandItem,
    DemandList,
    Firm,
    Match,
    SupplierImportReject,
    VendorListEntry,
)


@dataclass
class FirmRecord:
    """A firm with everything the registry shows of it and matching looks at."""

    id: int
    code: str
    name_fa: str
    name_en: str
    state: str
    county: str
    trade_card_no: str | None
    national_id: str | None
    version: int
    capabilities: list[tuple[int, str, list[tuple[str, str]], float | None, str]] = field(
        default_factory=list
    )  # (id, text, codes, capacity, unit)
    certs: list[tuple[int, str, dt.date | None, dt.date | None, str]] = field(
        default_factory=list
    )  # (id, standard, valid_from, valid_to, verification method)
    lists: list[tuple[str, str, str, str, dt.date | None]] = field(
        default_factory=list
    )  # (list code, category, grade, status, as of)
    visibility: str = "anonymous"  # to buyers: public, anonymous or private


def registry(db: ProgramDB, *, firm_code: str | None = None) -> list[FirmRecord]:
    """Every firm (or one) with its capabilities, codes, certificates and vendor-list rows,
    by firm id."""
    with db.session() as s:
        q = select(Firm).order_by(Firm.code)
        if firm_code is not None:
            q = q.where(Firm.code == firm_code)
        firms = {
            f.id: FirmRecord(
                f.id,
                f.code,
                f.name_fa,
                f.name_en,
                f.state,
                f.county,
                f.trade_card_no,
                f.national_id,
                f.version,
                visibility=f.visibility,
            )
            for f in s.scalars(q)
        }
        if not firms:
            return []
        ids = list(firms)
        codes: dict[int, list[tuple[str, str]]] = {}
        cq = select(CapabilityCode.capability_id, CapabilityCode.scheme, CapabilityCode.code)
        cap_q = select(Capability).order_by(Capability.id)
        if firm_code is not None:
            cap_q = cap_q.where(Capability.firm_id.in_(ids))
            cq = cq.join(Capability, Capability.id == CapabilityCode.capability_id).where(
                Capability.firm_id.in_(ids)
            )
        for cid, scheme, code in s.execute(cq.order_by(CapabilityCode.id)):
            codes.setdefault(cid, []).append((scheme, code))
        for c in s.scalars(cap_q):
            if c.firm_id in firms:
                firms[c.firm_id].capabilities.append(
                    (c.id, c.text, codes.get(c.id, []), c.capacity_value, c.capacity_unit)
                )
        for cert in s.scalars(
            select(Certification)
            .where(Certification.firm_id.in_(ids))
            .order_by(Certification.standard, Certification.id)
        ):
            firms[cert.firm_id].certs.append(
                (cert.id, cert.standard, cert.valid_from, cert.valid_to, cert.verification_method)
            )
        for e in s.scalars(
            select(VendorListEntry)
            .where(VendorListEntry.firm_id.in_(ids))
            .order_by(VendorListEntry.list_code, VendorListEntry.category)
        ):
            firms[e.firm_id].lists.append((e.list_code, e.category, e.grade, e.status, e.as_of))
        return sorted(firms.values(), key=lambda f: f.code)


@dataclass
class ListRecord:
    id: int
    buyer: str
    kind: str
    title_fa: str
    title_en: str
    valid_to: dt.date | None
    state: str
    items: list[DemandItem]


def demand_lists(db: ProgramDB) -> list[ListRecord]:
    with db.session() as s:
        out = []
        for lst in s.scalars(select(DemandList).order_by(DemandList.buyer)):
            items = list(
                s.scalars(
                    select(DemandItem).where(DemandItem.list_id == lst.id).order_by(DemandItem.code)
                )
            )
            out.append(
                ListRecord(
                    lst.id,
                    lst.buyer,
                    lst.kind,
                    lst.title_fa,
                    lst.title_en,
                    lst.valid_to,
                    lst.state,
                    items,
                )
            )
        return out


def demand_list(db: ProgramDB, buyer: str) -> ListRecord | None:
    return next((lst for lst in demand_lists(db) if lst.buyer == buyer), None)


def introduced_firms(db: ProgramDB, list_id: int) -> set[int]:
    """The firms (ids) whose introduction to the buyer of a list was accepted (or held on):
    the buyer knows their names."""
    from exportplan.store.suppliers.models import Introduction

    with db.session() as s:
        q = (
            select(Match.firm_id)
            .join(Introduction, Introduction.match_id == Match.id)
            .join(DemandItem, DemandItem.id == Match.item_id)
            .where(DemandItem.list_id == list_id, Introduction.status.in_(ACCEPTED_INTRODUCTIONS))
        )
        return set(s.scalars(q))


#: introductions after which the buyer knows the firm's name
ACCEPTED_INTRODUCTIONS = ("accepted", "held")


def matches(db: ProgramDB, item_ids: list[int]) -> list[Match]:
    """The stored matches of some items."""
    if not item_ids:
        return []
    with db.session() as s:
        return list(
            s.scalars(
                select(Match)
                .where(Match.item_id.in_(item_ids))
                .order_by(Match.item_id, Match.score.desc(), Match.id)
            )
        )


def import_rejects(db: ProgramDB, import_id: int) -> list[Reject]:
    with db.session() as s:
        rows = s.scalars(
            select(SupplierImportReject)
            .where(SupplierImportReject.import_id == import_id)
            .order_by(SupplierImportReject.row, SupplierImportReject.id)
        )
        return [Reject(r.row, r.column, r.value, r.reason) for r in rows]


def exports_by_exporter(con: Any, exporter: str) -> list[dict[str, Any]]:
    """A firm's exports in the warehouse's customs data (by its trade card, which the customs
    files give as the exporter), by Solar Hijri year and definition."""
    rows = con.execute(
        "SELECT sh_year, definition, sum(value_usd) FROM region_summary_exporters "
        "WHERE exporter IN (?, ?) GROUP BY sh_year, definition ORDER BY sh_year, definition",
        [exporter, to_persian_digits(exporter)],  # the files may write either digits
    ).fetchall()
    return [{"sh_year": y, "definition": d, "value_usd": v} for y, d, v in rows]
