"""Importing a supplier registry file and a buyer's demand list into the program store: one
checked, audited write each; every rejected row kept with file, row, column, value and
reason; the same file twice changes nothing.

A firm in a registry file is written whole (its capabilities, codes and certificates as the
file declares them, replacing what it declared before) or not at all. Firms imported by an
administrator or a secretary count as validated (the import is the validation act) unless
``draft``; their certificates then count as verified from the document.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import select

from exportplan.auth import EDITORS, Actor
from exportplan.errors import ConflictError, InputError
from exportplan.ingest.supplier_cells import Reject
from exportplan.ingest.suppliers import (
    FirmRow,
    Parsed,
    firm_key,
    parse_demand,
    parse_firms,
    same_firm,
)
from exportplan.reference.text import normalise
from exportplan.store.program.db import ProgramDB
from exportplan.store.program.models import as_dict, utcnow
from exportplan.store.program.writes import Change, write
from exportplan.store.suppliers.models import (
    Capability,
    CapabilityCode,
    Certification,
    DemandItem,
    DemandList,
    Firm,
    Match,
    SupplierImport,
    SupplierImportReject,
    VendorListEntry,
)


@dataclass
class ImportSummary:
    """What an import did: rows read, accepted and rejected (with the rejects), and the firms
    or items it created and updated."""

    import_id: int
    file_name: str
    rows_read: int
    rows_accepted: int
    rows_rejected: int
    created: int = 0
    updated: int = 0
    already_imported: bool = False
    rejects: list[Reject] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        d = dict(self.__dict__)
        d["rejects"] = [r.__dict__ for r in self.rejects]
        return d


def _already(ch: Change, kind: str, parsed: Parsed[Any], buyer: str) -> ImportSummary | None:
    old = ch.session.scalars(
        select(SupplierImport).where(
            SupplierImport.kind == kind,
            SupplierImport.sha256 == parsed.sha256,
            SupplierImport.buyer == buyer,
        )
    ).first()
    if old is None:
        return None
    rejects = ch.session.scalars(
        select(SupplierImportReject)
        .where(SupplierImportReject.import_id == old.id)
        .order_by(SupplierImportReject.row)
    )
    return ImportSummary(
        old.id,
        old.file_name,
        old.rows_read,
        old.rows_accepted,
        old.rows_rejected,
        already_imported=True,
        rejects=[Reject(r.row, r.column, r.value, r.reason) for r in rejects],
    )


def _log(
    ch: Change,
    kind: str,
    parsed: Parsed[Any],
    buyer: str,
    accepted: int,
    rejects: list[Reject],
    notes: list[str],
) -> int:
    assert ch.actor is not None
    imp = SupplierImport(
        kind=kind,
        buyer=buyer,
        file_name=parsed.file_name,
        sha256=parsed.sha256,
        username=ch.actor.username,
        rows_read=parsed.rows_read,
        rows_accepted=accepted,
        rows_rejected=parsed.rows_read - accepted,
        notes="; ".join(notes),
    )
    ch.add(imp)
    ch.flush()
    for r in rejects:
        ch.add(
            SupplierImportReject(
                import_id=imp.id, row=r.row, column=r.column, value=r.value, reason=r.reason
            )
        )
    return imp.id


def import_firms(
    db: ProgramDB, actor: Actor, path: Path, *, draft: bool = False, today: dt.date | None = None
) -> ImportSummary:
    """Import a registry file (one row per capability) in one write."""
    parsed = parse_firms(path)
    today = today or dt.date.today()
    validated = actor.role in EDITORS and not draft
    with write(db, actor, "supplier.edit", f"registry file {parsed.file_name}") as ch:
        old = _already(ch, "firms", parsed, "")
        if old is not None:
            return old
        rejects = list(parsed.rejects)
        by_firm: dict[str, list[FirmRow]] = {}
        for r in parsed.rows:
            by_firm.setdefault(r.firm_code, []).append(r)
        existing = {f.code: f for f in ch.session.scalars(select(Firm))}
        names: dict[str, list[tuple[str, str]]] = {}
        for f in existing.values():
            names.setdefault(f.name_key, []).append((f.code, firm_key(f.county)))
        nids = {f.national_id: f.code for f in existing.values() if f.national_id}
        created = updated = accepted = 0
        written: list[tuple[Firm, list[FirmRow], dict[str, Any] | None]] = []
        for code, rows in by_firm.items():
            first = rows[0]
            key = (firm_key(first.firm_name), firm_key(first.county))
            other = same_firm(
                {key[0]: [x for x in names.get(key[0], []) if x[0] != code]},
                first.firm_name,
                first.county,
            )
            if other is None and first.national_id:
                other = nids.get(first.national_id)
            if other is not None and other != code:
                for r in rows:
                    rejects.append(
                        Reject(
                            r.row,
                            "firm_name",
                            r.firm_name,
                            f"duplicate firm: {code} looks like {other} already in the registry "
                            f"(same name in the same county, or the same national id); merge them "
                            f"(exportplan suppliers merge {code} --into {other}) or correct the row",
                        )
                    )
                continue
            firm = existing.get(code)
            before = as_dict(firm) if firm is not None else None
            if firm is None:
                firm = Firm(code=code)
                ch.add(firm)
                created += 1
            else:
                updated += 1
            firm.name_fa = first.firm_name
            firm.name_en = first.name_en or firm.name_en
            firm.name_key = key[0]
            firm.national_id = first.national_id or firm.national_id
            firm.trade_card_no = first.trade_card_no or firm.trade_card_no
            firm.county = first.county or firm.county
            firm.state = "validated" if validated else "draft"
            firm.source = f"imported:{parsed.file_name}"[:100]
            firm.data_reviewed_at = today
            written.append((firm, rows, before))
            accepted += len(rows)
        ch.flush()
        _replace_declarations(ch, written, validated)
        for firm, _, before in written:
            ch.audit(
                "create" if before is None else "update",
                "supplier_firm",
                firm.id,
                before,
                as_dict(firm),
            )
        rejects.sort(key=lambda j: (j.row, j.column))
        import_id = _log(ch, "firms", parsed, "", accepted, rejects, parsed.notes)
    return ImportSummary(
        import_id,
        parsed.file_name,
        parsed.rows_read,
        accepted,
        parsed.rows_read - accepted,
        created,
        updated,
        rejects=rejects,
        notes=parsed.notes,
    )


def _replace_declarations(
    ch: Change,
    written: list[tuple[Firm, list[FirmRow], dict[str, Any] | None]],
    validated: bool,
) -> None:
    """Each written firm's capabilities, codes and certificates as the file declares them
    (what it declared before goes); its vendor-list rows named in the file updated."""
    s = ch.session
    ids = [f.id for f, _, _ in written]
    old_caps = list(s.scalars(select(Capability).where(Capability.firm_id.in_(ids))))
    if old_caps:
        cap_ids = [c.id for c in old_caps]
        for m in s.scalars(select(Match).where(Match.capability_id.in_(cap_ids))):
            m.capability_id = None
        for code in s.scalars(
            select(CapabilityCode).where(CapabilityCode.capability_id.in_(cap_ids))
        ):
            ch.delete(code)
        ch.flush()
        for c in old_caps:
            ch.delete(c)
    for cert in s.scalars(select(Certification).where(Certification.firm_id.in_(ids))):
        ch.delete(cert)
    entries = {
        (e.firm_id, e.list_code): e
        for e in s.scalars(
            select(VendorListEntry).where(
                VendorListEntry.firm_id.in_(ids), VendorListEntry.category == ""
            )
        )
    }
    ch.flush()
    now = utcnow()
    caps: list[tuple[Capability, FirmRow]] = []
    for firm, rows, _ in written:
        certs: dict[str, Certification] = {}
        for r in rows:
            cap = Capability(
                firm_id=firm.id,
                text=r.capability,
                text_key=normalise(r.capability),
                capacity_value=r.capacity,
                capacity_unit=r.unit,
            )
            ch.add(cap)
            caps.append((cap, r))
            for spec in r.certs:
                held = certs.get(spec.standard)
                if held is not None and (
                    spec.valid_to is None or (held.valid_to or spec.valid_to) >= spec.valid_to
                ):
                    continue
                if held is not None:
                    ch.delete(held)
                cert = Certification(
                    firm_id=firm.id,
                    standard=spec.standard,
                    valid_from=spec.valid_from,
                    valid_to=spec.valid_to,
                    verified_by=ch.actor.username if validated and ch.actor else "",
                    verified_at=now if validated else None,
                    verification_method="document" if validated else "none",
                )
                ch.add(cert)
                certs[spec.standard] = cert
            for list_code, status in r.vendor_lists:
                entry = entries.get((firm.id, list_code))
                if entry is None:
                    entry = VendorListEntry(firm_id=firm.id, list_code=list_code, status=status)
                    ch.add(entry)
                    entries[(firm.id, list_code)] = entry
                else:
                    entry.status = status
    ch.flush()
    for cap, r in caps:
        if r.hs_code:
            ch.add(CapabilityCode(capability_id=cap.id, scheme="HS", code=r.hs_code))
        if r.cpv_code:
            ch.add(CapabilityCode(capability_id=cap.id, scheme="CPV", code=r.cpv_code))
    ch.flush()


def import_demand(
    db: ProgramDB,
    actor: Actor,
    path: Path,
    *,
    buyer: str,
    title: str = "",
    kind: str = "import_substitution",
) -> ImportSummary:
    """Import a buyer's demand list: items upserted by item id; an item the new file leaves
    out goes with its proposed matches, unless a curator has decided one of them."""
    from exportplan.domain import DEMAND_KINDS

    buyer = normalise(buyer).upper().strip()
    if not buyer:
        raise InputError("--buyer is empty", hint="give the buyer's code, e.g. --buyer NIOC")
    if kind not in DEMAND_KINDS:
        raise InputError(f"kind must be one of {', '.join(DEMAND_KINDS)}; got {kind!r}")
    parsed = parse_demand(path)
    with write(db, actor, "demand.edit", f"demand list {buyer}") as ch:
        old = _already(ch, "demand", parsed, buyer)
        if old is not None:
            return old
        s = ch.session
        lst = s.scalars(select(DemandList).where(DemandList.buyer == buyer)).first()
        before = as_dict(lst) if lst is not None else None
        if lst is None:
            lst = DemandList(buyer=buyer, kind=kind)
            ch.add(lst)
        lst.kind = kind
        if title:
            if any("\u0600" <= c <= "\u06ff" for c in title):
                lst.title_fa = title
            else:
                lst.title_en = title
        ch.flush()
        ch.audit(
            "create" if before is None else "update", "demand_list", lst.id, before, as_dict(lst)
        )
        items = {
            i.code: i for i in s.scalars(select(DemandItem).where(DemandItem.list_id == lst.id))
        }
        new_codes = {r.item_code for r in parsed.rows}
        gone = [i for c, i in items.items() if c not in new_codes]
        if gone:
            decided = list(
                s.scalars(
                    select(Match).where(
                        Match.item_id.in_([i.id for i in gone]), Match.state != "proposed"
                    )
                )
            )
            if decided:
                codes = sorted({i.code for i in gone if i.id in {m.item_id for m in decided}})
                raise ConflictError(
                    f"the new file of {buyer} leaves out item(s) {', '.join(codes)}, whose "
                    "matches curators have decided; nothing was imported",
                    hint="keep those items in the file, or close the list and import a new one",
                )
            for m in s.scalars(select(Match).where(Match.item_id.in_([i.id for i in gone]))):
                ch.delete(m)
            ch.flush()
            for i in gone:
                ch.delete(i)
        created = updated = 0
        for r in parsed.rows:
            item = items.get(r.item_code)
            if item is None:
                item = DemandItem(list_id=lst.id, code=r.item_code)
                ch.add(item)
                created += 1
            else:
                updated += 1
            item.text, item.text_key, item.hs_code = r.text, normalise(r.text), r.hs_code
            item.quantity, item.unit, item.needed_by = r.quantity, r.unit, r.needed_by
            item.required_certifications = r.required
            item.required_vendor_list = r.vendor_list
            item.annual_value_usd = r.annual_value_usd
        ch.flush()
        accepted = len(parsed.rows)
        import_id = _log(ch, "demand", parsed, buyer, accepted, parsed.rejects, parsed.notes)
    return ImportSummary(
        import_id,
        parsed.file_name,
        parsed.rows_read,
        accepted,
        parsed.rows_read - accepted,
        created,
        updated,
        rejects=list(parsed.rejects),
        notes=parsed.notes,
    )


def import_rejects(db: ProgramDB, import_id: int) -> list[Reject]:
    """The rows an import rejected."""
    from exportplan.store.suppliers.queries import import_rejects as q

    return q(db, import_id)
