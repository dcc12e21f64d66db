"""The BACI-layout files of a folder for a world-scale batch: which years and HS edition each
holds (from CEPII's names, ``BACI_HS17_Y2019_V202401.csv``), chosen by years and edition.

A CSV beside a Parquet file of the same name is the same data: only the Parquet is read (rows
are never counted twice). A file whose name carries no edition (``SYNTHETIC_BACI_Y2019.parquet``) is taken to be of the
run's edition. Files of two editions in one run are refused unless the edition is given; then
only its files are read and the others are listed as skipped.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from exportplan.errors import InputError
from exportplan.ingest.files import sha256_file

_YEAR = re.compile(r"_Y(\d{4})(?=[_.])", re.IGNORECASE)
_EDITION = re.compile(r"(?:^|_)(HS\d{2})(?=_)", re.IGNORECASE)
SUFFIXES = (".csv", ".parquet")


@dataclass(frozen=True)
class SourceFile:
    """One input file: its path, year, HS edition (None: not in the name) and sha256."""

    path: Path
    year: int
    edition: str | None
    sha256: str
    kind: str  # csv or parquet


@dataclass(frozen=True)
class Selection:
    """The files of a run, the edition they are of, and the files left out (with why)."""

    files: list[SourceFile]
    edition: str | None
    skipped: list[tuple[str, str]]

    def of_year(self, year: int) -> list[SourceFile]:
        return [f for f in self.files if f.year == year]


def parse_years(text: str) -> list[int]:
    """``2019-2023``, ``2019,2021`` or ``2019``: the years, sorted, each once."""
    years: set[int] = set()
    for part in text.replace(" ", "").split(","):
        if not part:
            continue
        m = re.fullmatch(r"(\d{4})(?:-(\d{4}))?", part)
        if m is None:
            raise InputError(
                f"years {text!r} not understood", hint="give them as 2019-2023 or 2019,2021"
            )
        first, last = int(m.group(1)), int(m.group(2) or m.group(1))
        if last < first:
            raise InputError(f"years {part!r}: the last year comes before the first")
        years.update(range(first, last + 1))
    if not years:
        raise InputError("no years given", hint="give them as 2019-2023 or 2019,2021")
    return sorted(years)


def _is_baci(path: Path) -> bool:
    return (
        path.is_file()
        and path.suffix.lower() in SUFFIXES
        and "country_codes" not in path.name.lower()
        and "product_codes" not in path.name.lower()
        and _YEAR.search(path.name) is not None
    )


def select(source: Path, years: list[int], edition: str | None = None) -> Selection:
    """The files of ``source`` (a folder, searched recursively) for ``years`` and ``edition``."""
    if not source.is_dir():
        raise InputError(
            f"{source}: not a folder", hint="give the folder that holds the BACI files"
        )
    want = edition.upper() if edition else None
    if want is not None and re.fullmatch(r"HS\d{2}", want) is None:
        raise InputError(f"HS edition {edition!r} not understood", hint="e.g. HS17 or HS22")
    found: list[tuple[Path, int, str | None]] = []
    paths = sorted(p for p in source.rglob("*") if _is_baci(p))
    stems = {p.with_suffix("") for p in paths if p.suffix.lower() == ".parquet"}
    twins = [p for p in paths if p.suffix.lower() == ".csv" and p.with_suffix("") in stems]
    paths = [p for p in paths if p not in twins]
    for path in paths:
        ym = _YEAR.search(path.name)
        assert ym is not None
        em = _EDITION.search(path.name)
        found.append((path, int(ym.group(1)), em.group(1).upper() if em else None))
    in_years = [f for f in found if f[1] in years]
    skipped = [(str(p), "year not asked for") for p, y, _ in found if y not in years]
    skipped += [(str(p), "the same file as its .parquet twin (read once)") for p in twins]
    editions = sorted({e for _, _, e in in_years if e is not None})
    if want is None and len(editions) > 1:
        raise InputError(
            f"{source}: files of several HS editions ({', '.join(editions)}) for those years",
            hint="give one with --classification (e.g. --classification HS17); only its files "
            "are then read",
        )
    run_edition = want or (editions[0] if editions else None)
    chosen: list[SourceFile] = []
    for path, year, ed in in_years:
        if want is not None and ed is not None and ed != want:
            skipped.append((str(path), f"edition {ed}, not {want}"))
            continue
        kind = path.suffix.lower().lstrip(".")
        chosen.append(SourceFile(path, year, ed or run_edition, sha256_file(path), kind))
    missing = [y for y in years if not any(f.year == y for f in chosen)]
    if missing:
        raise InputError(
            f"{source}: no BACI file for year(s) {', '.join(map(str, missing))}"
            + (f" in {want}" if want else ""),
            hint="BACI names its files like BACI_HS17_Y2019_V202401.csv; give years it holds",
        )
    return Selection(files=chosen, edition=run_edition, skipped=skipped)
