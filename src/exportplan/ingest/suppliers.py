"""Reading a supplier registry file (one row per capability) and a buyer's demand list into
checked rows and rejects (file, row, column, value, reason); never writes.

A firm whose rows are not all accepted is held back whole (its other rows are rejected with
a pointer to the failing one), so no firm lands half-written.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path
from typing import Generic, TypeVar

from exportplan.errors import EmptyFileError, MissingColumnsError
from exportplan.ingest import supplier_cells as cells
from exportplan.ingest.customs import read_table
from exportplan.ingest.files import sha256_file
from exportplan.ingest.supplier_cells import CellError, CertSpec, Reject
from exportplan.reference.text import clean_text, display_text, match_key, normalise

T = TypeVar("T")

FIRM_COLUMNS: dict[str, tuple[str, ...]] = {
    "firm_id": ("شناسه بنگاه", "کد بنگاه", "کد شرکت", "شناسه شرکت"),
    "firm_name": ("نام بنگاه", "نام شرکت", "نام واحد"),
    "capability": ("توانمندی", "محصول", "شرح توانمندی", "شرح محصول"),
    "hs_code": ("کد تعرفه", "کد hs", "کد کالا", "تعرفه"),
    "capacity": ("ظرفیت", "ظرفیت تولید"),
    "unit": ("واحد", "واحد ظرفیت"),
    "certifications": ("گواهینامه‌ها", "گواهینامه", "گواهی‌ها", "استانداردها"),
}
FIRM_OPTIONAL: dict[str, tuple[str, ...]] = {
    "firm_name_en": ("نام انگلیسی", "name_en"),
    "national_id": ("شناسه ملی",),
    "trade_card_no": ("کارت بازرگانی", "شماره کارت بازرگانی"),
    "county": ("شهرستان",),
    "vendor_lists": ("وندور لیست", "فهرست منابع"),
    "cpv_code": ("کد cpv",),
}
DEMAND_COLUMNS: dict[str, tuple[str, ...]] = {
    "item_id": ("شناسه قلم", "کد قلم", "ردیف"),
    "description": ("شرح", "شرح کالا", "شرح قلم"),
    "hs_code": ("کد تعرفه", "کد hs", "کد کالا", "تعرفه"),
    "quantity": ("مقدار", "تعداد"),
    "unit": ("واحد",),
    "needed_by": ("تاریخ نیاز", "موعد نیاز", "موعد تحویل"),
    "required_certifications": ("گواهینامه‌های لازم", "گواهینامه لازم", "استاندارد لازم"),
}
DEMAND_OPTIONAL: dict[str, tuple[str, ...]] = {
    "annual_value_usd": ("ارزش واردات سالانه", "ارزش سالانه دلار"),
    "required_vendor_list": ("وندور لیست لازم", "فهرست منابع لازم"),
}


@dataclass
class FirmRow:
    """One accepted capability row, with its firm's facts."""

    row: int
    firm_code: str
    firm_name: str
    name_en: str
    capability: str
    hs_code: str
    capacity: float | None
    unit: str
    certs: list[CertSpec]
    national_id: str | None = None
    trade_card_no: str | None = None
    county: str = ""
    vendor_lists: list[tuple[str, str]] = field(default_factory=list)
    cpv_code: str = ""


@dataclass
class ItemRow:
    row: int
    item_code: str
    text: str
    hs_code: str
    quantity: float | None
    unit: str
    needed_by: dt.date | None
    required: list[str]
    annual_value_usd: float | None = None
    vendor_list: str | None = None


@dataclass
class Parsed(Generic[T]):
    """A file read: its accepted rows, its rejects, how it was read."""

    file_name: str
    sha256: str
    rows_read: int
    rows: list[T]
    rejects: list[Reject]
    notes: list[str]


def _cells(
    path: Path, required: dict[str, tuple[str, ...]], optional: dict[str, tuple[str, ...]]
) -> tuple[dict[str, int], list[tuple[int, list[str]]], str]:
    table, how, notes = read_table(path)
    rows = table.rows()
    numbered = [(i + 1, r) for i, r in enumerate(rows) if any(str(c).strip() for c in r)]
    if not numbered:
        raise EmptyFileError(path.name)
    head_no, head = numbered[0]
    cols = cells.resolve_headers([str(c) for c in head], {**required, **optional})
    missing = [c for c in required if c not in cols]
    if missing:
        raise MissingColumnsError(path.name, list(required), [str(c) for c in head], missing)
    body = [(n, r) for n, r in numbered if n > head_no]
    if not body:
        raise EmptyFileError(path.name)
    return cols, body, "; ".join([how, *notes])


def _get(r: list[str], cols: dict[str, int], name: str) -> str:
    j = cols.get(name)
    return r[j] if j is not None and j < len(r) else ""


def _vendor_lists(raw: str) -> list[tuple[str, str]]:
    out = []
    for part in normalise(raw).replace("؛", ";").split(";"):
        bits = part.strip().upper().split()
        if not bits:
            continue
        status = bits[1].lower() if len(bits) > 1 else "listed"
        if status not in ("applied", "listed", "suspended", "removed"):
            raise CellError(
                f"vendor list status {status!r} is not one of applied, listed, suspended, removed"
            )
        out.append((bits[0], status))
    return out


def parse_firms(path: Path) -> Parsed[FirmRow]:
    """The registry file's capability rows checked; firms with a rejected row held back."""
    cols, body, how = _cells(path, FIRM_COLUMNS, FIRM_OPTIONAL)
    accepted: list[FirmRow] = []
    rejects: list[Reject] = []
    bad: dict[str, int] = {}  # firm id -> its first rejected row
    for n, r in body:
        code = clean_text(str(_get(r, cols, "firm_id"))).upper()
        name = display_text(str(_get(r, cols, "firm_name")))  # as written: «شمس ۱۰»
        text = clean_text(str(_get(r, cols, "capability")))
        col = "firm_id"
        try:
            if not code:
                raise CellError("firm_id is empty")
            col = "firm_name"
            if not name:
                raise CellError("firm_name is empty")
            col = "hs_code"
            hs = cells.hs_code(_get(r, cols, "hs_code"))
            col = "cpv_code"
            cpv = cells.cpv_code(_get(r, cols, "cpv_code"))
            col = "capability"
            if not text and not hs and not cpv:
                raise CellError("a capability needs a text or an HS code")
            col = "capacity"
            cap = cells.number(_get(r, cols, "capacity"), what="capacity")
            col = "certifications"
            certs = cells.certifications(_get(r, cols, "certifications"))
            col = "national_id"
            nid = cells.national_id(_get(r, cols, "national_id"))
            col = "vendor_lists"
            lists = _vendor_lists(str(_get(r, cols, "vendor_lists")))
        except CellError as exc:
            rejects.append(Reject(n, col, str(_get(r, cols, col)), str(exc)))
            if code:
                bad.setdefault(code, n)
            continue
        accepted.append(
            FirmRow(
                row=n,
                firm_code=code,
                firm_name=name,
                name_en=display_text(str(_get(r, cols, "firm_name_en"))),
                capability=text,
                hs_code=hs,
                capacity=cap,
                unit=clean_text(str(_get(r, cols, "unit"))),
                certs=certs,
                national_id=nid,
                trade_card_no=clean_text(str(_get(r, cols, "trade_card_no"))) or None,
                county=clean_text(str(_get(r, cols, "county"))),
                vendor_lists=lists,
                cpv_code=cpv,
            )
        )
    _check_firms(accepted, rejects, bad)
    kept = _hold_back(accepted, rejects, bad)
    return Parsed(path.name, sha256_file(path), len(body), kept, rejects, [how])


def _merge_hint(code: str, other: str) -> str:
    return f"merge them (exportplan suppliers merge {code} --into {other}) or correct the row"


def _check_firms(rows: list[FirmRow], rejects: list[Reject], bad: dict[str, int]) -> None:
    """Rows of one firm must agree on its name and national id; two firm ids with one name
    (after normalising) in one county, or with one national id, are a duplicate to merge."""
    first: dict[str, FirmRow] = {}
    by_name: dict[str, list[tuple[str, str]]] = {}
    by_nid: dict[str, str] = {}

    def refuse(r: FirmRow, column: str, value: str, reason: str) -> None:
        rejects.append(Reject(r.row, column, value, reason))
        bad.setdefault(r.firm_code, r.row)

    for r in rows:
        f = first.get(r.firm_code)
        if f is not None:
            if firm_key(f.firm_name) != firm_key(r.firm_name):
                refuse(
                    r,
                    "firm_name",
                    r.firm_name,
                    f"firm {r.firm_code} is named {f.firm_name!r} in row {f.row}",
                )
            elif r.national_id and f.national_id and r.national_id != f.national_id:
                refuse(
                    r,
                    "national_id",
                    r.national_id,
                    f"firm {r.firm_code} has national id {f.national_id} in row {f.row}",
                )
            continue
        first[r.firm_code] = r
        other = same_firm(by_name, r.firm_name, r.county)
        by_name.setdefault(firm_key(r.firm_name), []).append((r.firm_code, firm_key(r.county)))
        if other is not None:
            refuse(
                r,
                "firm_name",
                r.firm_name,
                f"duplicate firm: {r.firm_code} has the same name as {other} in the same "
                f"county; {_merge_hint(r.firm_code, other)}",
            )
            continue
        if r.national_id:
            other = by_nid.setdefault(r.national_id, r.firm_code)
            if other != r.firm_code:
                refuse(
                    r,
                    "national_id",
                    r.national_id,
                    f"duplicate firm: {r.firm_code} has the national id of {other}; "
                    f"{_merge_hint(r.firm_code, other)}",
                )


def same_firm(by_name: dict[str, list[tuple[str, str]]], name: str, county: str) -> str | None:
    """The firm id already seen with this name (normalised) in the same county, a blank
    county counting as the same."""
    c = firm_key(county)
    for code, other in by_name.get(firm_key(name), []):
        if not c or not other or c == other:
            return code
    return None


def firm_key(name: str) -> str:
    """A firm's name as compared for duplicates: normalised, punctuation and the legal form
    words («شرکت», «سهامی خاص», Co., Ltd.) left out."""
    k = match_key(normalise(name))
    for w in ("شرکت", "سهامی خاص", "سهامی عام", "مسئولیت محدود", "تعاونی", "co", "ltd", "inc"):
        k = (" " + k + " ").replace(" " + w + " ", " ").strip()
    return k


def _hold_back(rows: list[FirmRow], rejects: list[Reject], bad: dict[str, int]) -> list[FirmRow]:
    failed = {j.row for j in rejects}
    kept: list[FirmRow] = []
    for r in rows:
        if r.firm_code not in bad:
            kept.append(r)
        elif r.row not in failed:
            rejects.append(
                Reject(
                    r.row,
                    "firm_id",
                    r.firm_code,
                    f"firm {r.firm_code} held back whole: its row {bad[r.firm_code]} was rejected",
                )
            )
    rejects.sort(key=lambda j: (j.row, j.column))
    return kept


def parse_demand(path: Path) -> Parsed[ItemRow]:
    """A demand list's items checked: an item needs a text or a code, a real needed-by day,
    and an item id used once."""
    cols, body, how = _cells(path, DEMAND_COLUMNS, DEMAND_OPTIONAL)
    accepted: list[ItemRow] = []
    rejects: list[Reject] = []
    seen: dict[str, int] = {}
    for n, r in body:
        code = clean_text(str(_get(r, cols, "item_id"))).upper()
        text = clean_text(str(_get(r, cols, "description")))
        col = "item_id"
        try:
            if not code:
                raise CellError("item_id is empty")
            if code in seen:
                raise CellError(f"item {code} is already in row {seen[code]}")
            col = "hs_code"
            hs = cells.hs_code(_get(r, cols, "hs_code"))
            col = "description"
            if not text and not hs:
                raise CellError("a demand item needs a description or an HS code")
            col = "quantity"
            qty = cells.number(_get(r, cols, "quantity"), what="quantity")
            col = "needed_by"
            raw = str(_get(r, cols, "needed_by")).strip()
            needed = cells.date(raw, what="needed_by") if raw else None
            col = "required_certifications"
            required = cells.standards(_get(r, cols, "required_certifications"))
            col = "annual_value_usd"
            value = cells.number(_get(r, cols, "annual_value_usd"), what="annual_value_usd")
        except CellError as exc:
            rejects.append(Reject(n, col, str(_get(r, cols, col)), str(exc)))
            continue
        seen[code] = n
        vl = clean_text(str(_get(r, cols, "required_vendor_list"))).upper() or None
        accepted.append(
            ItemRow(
                n,
                code,
                text,
                hs,
                qty,
                clean_text(str(_get(r, cols, "unit"))),
                needed,
                required,
                value,
                vl,
            )
        )
    return Parsed(path.name, sha256_file(path), len(body), accepted, rejects, [how])
