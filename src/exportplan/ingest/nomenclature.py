"""A national tariff book (Iran's «کتاب مقررات صادرات و واردات» as a table): tariff lines of
8 (or 10) digits with their Persian description, and optionally an English one, staged as
product names for the warehouse.

Columns are recognised by their Persian or English headers (:data:`HEADERS`: «کد تعرفه»,
«شماره تعرفه», «شرح کالا», «شرح انگلیسی», ``code``, ``description``...); a CSV (any encoding
:func:`~exportplan.ingest.files.decode` reads) or the first sheet of an Excel workbook. Every
row is accepted or rejected with its row, column, value and reason: a code that is not 8 or
10 digits after cleaning, a code whose HS6 is not in HS 2022, an empty description, a code
given twice with different descriptions (both rows rejected: which is right is the user's
call). A code given twice with the same description is one name, the second row rejected as
a repeat, so no name is counted twice.
"""

from __future__ import annotations

from pathlib import Path

import polars as pl

from exportplan.errors import EmptyFileError, InputError, MissingColumnsError
from exportplan.ingest.files import UndecodableLine, csv_rows, decode
from exportplan.ingest.staging import Staged
from exportplan.reference.products import nomenclature
from exportplan.reference.text import clean_text, digits, match_key, shorten

__all__ = ["HEADERS", "stage"]

#: Header texts (as :func:`match_key` writes them) of each column
HEADERS: dict[str, tuple[str, ...]] = {
    "code": (
        "code",
        "hs code",
        "hs_code",
        "tariff code",
        "tariff line",
        "کد تعرفه",
        "کد",
        "شماره تعرفه",
        "ردیف تعرفه",
        "تعرفه",
        "کد کالا",
        "کد hs",
    ),
    "name_fa": (
        "name_fa",
        "description",
        "description fa",
        "شرح کالا",
        "شرح",
        "شرح فارسی",
        "شرح تعرفه",
        "نام کالا",
    ),
    "name_en": (
        "name_en",
        "description en",
        "english description",
        "شرح انگلیسی",
        "شرح لاتین",
    ),
}
_KEYS = {match_key(h): col for col, hs in HEADERS.items() for h in hs}


def _rows(path: Path) -> list[list[str]]:
    if path.suffix.lower() in (".xlsx", ".xlsm", ".xls", ".ods"):
        from python_calamine import CalamineWorkbook

        try:
            book = CalamineWorkbook.from_path(str(path))
            sheet = book.get_sheet_by_index(0).to_python(skip_empty_area=False)
        except Exception as exc:  # calamine raises its own types for broken files
            raise InputError(f"{path.name}: not a readable workbook ({exc})") from exc
        out = []
        for r in sheet:
            cells = []
            for v in r:
                if isinstance(v, float) and v.is_integer():
                    v = int(v)
                cells.append("" if v is None else str(v))
            out.append(cells)
        return out
    decoded = decode(path)
    return [
        ["\ufffd"] if isinstance(r, UndecodableLine) else list(r)
        for r in csv_rows(decoded.text, decoded.bad_lines)
    ]


def _header(row: list[str]) -> dict[str, int]:
    found: dict[str, int] = {}
    for i, h in enumerate(row):
        col = _KEYS.get(match_key(h.lstrip("\ufeff")))
        if col and col not in found:
            found[col] = i
    return found


def stage(path: Path) -> Staged:
    """Read a tariff book: its names in Persian (and English where given) and its rejects."""
    path = Path(path)
    rows = [r for r in _rows(path) if any(c.strip() for c in r)]
    if not rows:
        raise EmptyFileError(path.name)
    head = _header(rows[0])
    missing = [c for c in ("code", "name_fa") if c not in head]
    if missing:
        raise MissingColumnsError(
            path.name,
            ["کد تعرفه (code)", "شرح کالا (description)"],
            [shorten(h) for h in rows[0]],
            ["کد تعرفه (code)" if c == "code" else "شرح کالا (description)" for c in missing],
        )
    known = nomenclature()
    rejects: list[tuple[int, str, str, str]] = []
    seen: dict[str, tuple[int, str, str]] = {}
    conflicted: set[str] = set()
    read = 0
    for n, r in enumerate(rows[1:], start=2):
        read += 1

        def cell(col: str, r: list[str] = r) -> str:
            i = head.get(col)
            return r[i] if i is not None and i < len(r) else ""

        raw = cell("code")
        code = digits(raw).strip().replace(".", "").replace(" ", "").replace("-", "")
        fa, en = clean_text(cell("name_fa")), clean_text(cell("name_en"))
        if r == ["\ufffd"]:
            rejects.append((n, "", "", "the line is in neither UTF-8 nor Windows-1256"))
        elif not code.isdigit() or len(code) not in (8, 10):
            rejects.append((n, "code", raw, "a tariff line has 8 or 10 digits"))
        elif code[:6] not in known:
            rejects.append((n, "code", raw, f"HS subheading {code[:6]} is not in HS 2022"))
        elif not fa:
            rejects.append((n, "name_fa", cell("name_fa"), "empty description"))
        elif code in seen:
            first_row, first_fa, first_en = seen[code]
            if (first_fa, first_en) == (fa, en):
                rejects.append((n, "code", raw, f"repeats row {first_row}"))
            else:
                conflicted.add(code)
                rejects.append(
                    (n, "name_fa", fa, f"code {code} has another description in row {first_row}")
                )
        else:
            seen[code] = (n, fa, en)
    for code in sorted(conflicted):
        first_row, fa, _en = seen.pop(code)
        rejects.append(
            (first_row, "name_fa", fa, f"code {code} has another description further down")
        )
    rejects.sort()
    names = [(c, fa, en) for c, (_n, fa, en) in sorted(seen.items())]
    frame = pl.DataFrame(
        names, schema={"code": pl.String, "name": pl.String, "name_en": pl.String}, orient="row"
    )
    return Staged(
        kind="nomenclature",
        table="hs_names",
        file_name=path.name,
        rows_read=read,
        flows=frame.select("code"),
        rejects=pl.DataFrame(
            rejects,
            schema={"row": pl.Int64, "column": pl.String, "value": pl.String, "reason": pl.String},
            orient="row",
        ),
        source=f"tariff book {path.name}",
        hs_names=frame.select("code", "name", pl.lit(path.name).alias("source")),
        hs_names_lang="fa",
        hs_names_en=frame.filter(pl.col("name_en") != "").select(
            "code", pl.col("name_en").alias("name"), pl.lit(path.name).alias("source")
        ),
        notes=f"{len(names)} tariff lines named",
    )
