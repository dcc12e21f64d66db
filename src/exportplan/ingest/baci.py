"""CEPII BACI yearly files: ``t,i,j,k,v,q`` (year, exporter and importer as BACI numeric codes,
HS6 product, value in thousand USD, quantity in metric tonnes).

BACI codes are mapped to ISO3 with BACI's own ``country_codes_*.csv`` when given, else the
built-in table (ISO numeric plus BACI's codes: 251 France, 579 Norway, 699 India, 757
Switzerland, 842 USA, 490 "Other Asia, n.e.s."). Values are stored in USD (``v * 1000``) and
flagged ``reported_by = 'reconciled'`` (BACI reconciles exporters' and importers' reports).

A BACI year has some 11 million rows, so it is not parsed in Python: this module checks the
file and its header and describes how to read it (:class:`BaciFile`: the typed columns, the
row rules as SQL conditions over them, the duplicate rules, the country codes), and the
warehouse's loader (:func:`exportplan.store.warehouse.loads.load_baci`) streams it through
DuckDB in one transaction: one typed read (malformed lines are captured with their line
numbers by DuckDB's ``store_rejects``), then one insert that applies every rule as a filter.
A row rule is one more :class:`Check` in :func:`row_checks` (a condition over ``t, i, j, k, v, q``
and ``exporter`` / ``importer``, the ISO3 codes looked up): the loader evaluates all of them in
that same insert, and the rejects' pass, which runs only when a row failed, names the first
that holds. Repeated keys are found on the packed key (:data:`KEY`) without a hash table when
the file is sorted, as BACI's files are. BACI writes ``k`` as a number, so codes of chapters
01-09 have 5 digits: ``k`` is read as a number and zero-padded to 6 digits (``10121`` is
``010121``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from exportplan.errors import EmptyFileError, MissingColumnsError
from exportplan.ingest.files import first_line
from exportplan.reference.numbers import world_ceilings

COLUMNS = ["t", "i", "j", "k", "v", "q"]
# how DuckDB reads each column (``k`` as a number: BACI writes it so)
COLUMN_TYPES = {
    "t": "SMALLINT",
    "i": "INTEGER",
    "j": "INTEGER",
    "k": "INTEGER",
    "v": "DOUBLE",
    "q": "DOUBLE",
}
NULL_STRINGS = ("NA", "")
_EDITION = re.compile(r"BACI_(HS\d\d)", re.IGNORECASE)


@dataclass(frozen=True)
class Reject:
    """What a rejected row is told: the column blamed and the reason."""

    column: str
    reason: str


@dataclass(frozen=True)
class Check:
    """A row rule: the SQL condition (over the typed columns ``t, i, j, k, v, q`` and
    ``exporter`` / ``importer``, the ISO3 codes looked up, NULL for an unknown code) under which
    a row is rejected, the column it blames and the reason given. A condition that is NULL
    does not reject."""

    condition: str
    column: str
    reason: str


VALUE_SCALE = 1000.0  # thousand USD to USD
TONNE_KG = 1000.0


def row_checks(max_value_usd: float, max_weight_kg: float) -> tuple[Check, ...]:
    """The row rules, in order (the first that holds is the row's reason), with the ceilings
    of a row's value (USD) and quantity (kg; BACI's ``q`` is in tonnes)."""
    return (
        Check("t IS NULL OR t < 1900 OR t > 2100", "t", "year missing or out of range"),
        Check("exporter IS NULL", "i", "unknown BACI exporter code"),
        Check("importer IS NULL", "j", "unknown BACI importer code"),
        Check("k IS NULL OR k < 10000 OR k > 999999", "k", "product code is not a 6-digit HS code"),
        Check("v IS NULL", "v", "value missing"),
        Check("NOT isfinite(v)", "v", "value is not a finite number"),
        Check("v <= 0", "v", "value not positive"),
        Check(
            f"v * {VALUE_SCALE!r} > {max_value_usd!r}",
            "v",
            f"value above the ceiling of USD {max_value_usd:,.0f} per row "
            "(setting max_row_value_usd x 100 for world data)",
        ),
        Check("NOT isfinite(q)", "q", "quantity is not a finite number"),
        Check("q < 0", "q", "quantity negative"),
        Check(
            f"q * {TONNE_KG!r} > {max_weight_kg!r}",
            "q",
            f"quantity above the ceiling of {max_weight_kg / TONNE_KG:,.0f} t per row "
            "(setting max_row_weight_kg x 100 for world data)",
        ),
    )


CHECKS: tuple[Check, ...] = row_checks(1e12, 1e12)  # the rules at the default ceilings
# one number per flow (t, i, j, k): identical repeats of a key keep the first row; a key
# repeated with different values is rejected in every copy (we cannot tell which is right)
# the key (t, i, j, k) packed into one BIGINT (8 + 17 + 17 + 20 bits), NULL when a part is out of
# range (such a row fails a rule anyway: year, unknown code or product code), so no two keys
# collide; country codes must be below MAX_CODE
MAX_CODE = 1 << 17
KEY = (
    f"CASE WHEN t BETWEEN 1900 AND 2155 AND i BETWEEN 0 AND {MAX_CODE - 1} "
    f"AND j BETWEEN 0 AND {MAX_CODE - 1} AND k BETWEEN 0 AND 1048575 THEN "
    "(((t::BIGINT - 1900) << 54) | (i::BIGINT << 37) | (j::BIGINT << 20) | k::BIGINT) END"
)
DUPLICATE = Reject("k", "duplicate of an earlier row with the same t,i,j,k")
CONFLICT = Reject("v", "rows with the same t,i,j,k disagree on the value")
QUANTITY_UNIT = "t"


@dataclass(frozen=True)
class BaciFile:
    """A BACI file checked and described for the warehouse's loader: where it is, how to read
    its columns, its row rules, and how its country codes map to ISO3."""

    path: Path
    edition: str | None
    country_file: Path | None = None
    code_column: str = "country_code"  # columns of the country codes file
    iso_column: str = "country_iso3"
    product_file: Path | None = None
    column_types: dict[str, str] = field(default_factory=lambda: dict(COLUMN_TYPES))
    null_strings: tuple[str, ...] = NULL_STRINGS
    checks: tuple[Check, ...] = CHECKS
    key: str = KEY
    duplicate: Reject = DUPLICATE
    conflict: Reject = CONFLICT
    value_scale: float = VALUE_SCALE
    quantity_unit: str = QUANTITY_UNIT
    reported_by: str = "reconciled"

    @property
    def file_name(self) -> str:
        return self.path.name


def prepare(
    path: Path,
    *,
    country_file: Path | None = None,
    product_file: Path | None = None,
    hs_edition: str | None = None,
) -> BaciFile:
    """Check a BACI yearly CSV (not empty, the columns ``t,i,j,k,v,q``) and describe it."""
    path = Path(path)
    if path.stat().st_size == 0:
        raise EmptyFileError(path.name)
    header = [c.strip().strip('"').lower() for c in first_line(path).split(",")]
    missing = [c for c in COLUMNS if c not in header]
    if missing:
        raise MissingColumnsError(path.name, COLUMNS, header, missing)
    edition = hs_edition or (m.group(1).upper() if (m := _EDITION.search(path.name)) else None)
    code_col, iso_col = "country_code", "country_iso3"
    if country_file is not None:
        head = first_line(country_file).lower()
        code_col = "country_code" if "country_code" in head else "code"
        iso_col = "country_iso3" if "country_iso3" in head else "iso_3digit_alpha"
    return BaciFile(
        path=path,
        checks=row_checks(*world_ceilings()),
        edition=edition,
        country_file=country_file,
        code_column=code_col,
        iso_column=iso_col,
        product_file=product_file,
    )
