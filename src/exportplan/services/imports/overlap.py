"""The overlap rule of customs imports: a file covering cells (month x region x definition x
customs office) that loaded imports still supply is refused, naming the months, the offices
and the imports, unless the user asks to replace those cells; a cumulative file replaces the
earlier cumulative file of the same year by itself.

"By itself" (without ``--replace``) holds when, for each office and year, both files are
cumulative and the new one reaches at least the month the loaded one reaches: its months from
Farvardin then replace every month of the loaded one, so that the year to date is the new
file's last cumulative figure (a monthly value of a cumulative file is the difference of two
of its own figures; keeping some of the earlier file's months would mix two reports). A
cumulative file that ends before the loaded one looks older and is refused like any overlap.

The rule runs inside the import's transaction (:data:`exportplan.store.warehouse.writes.Settle`),
so a refused file changes nothing, and a replacement lands whole or not at all.
"""

from __future__ import annotations

from collections.abc import Iterable

import duckdb
import polars as pl

from exportplan.errors import OverlapError
from exportplan.i18n import Lang
from exportplan.i18n import t as word
from exportplan.reference.calendar import MONTHS_EN, MONTHS_FA
from exportplan.reference.text import to_persian_digits
from exportplan.store.warehouse import cells as cell_store
from exportplan.store.warehouse.cells import Cell
from exportplan.store.warehouse.writes import Settle

__all__ = ["describe", "months_text", "offices_text", "settle"]

Period = tuple[str, int, int]  # calendar ('sh' or 'g'), year, month

#: How many months, offices or imports an error names before "and N more"
MAX_NAMED = 12


def settle(*, file_name: str, replace: bool) -> Settle:
    """The rule for one file: refuse it if it overlaps loaded cells (unless ``replace``), else
    supersede the cells it replaces."""

    def run(con: duckdb.DuckDBPyConnection, dataset_id: int, new: pl.DataFrame) -> None:
        loaded = cell_store.overlapping(con, new, exclude=dataset_id)
        if not loaded:
            return
        reach: dict[int, list[Cell]] = {}  # the cells of each loaded import, read once
        conflicts = [c for c in loaded if not _natural(con, c, new, reach)]
        if conflicts and not replace:
            raise refusal(file_name, conflicts)
        cell_store.supersede(con, dataset_id, loaded)

    return run


def _natural(
    con: duckdb.DuckDBPyConnection, old: Cell, new: pl.DataFrame, known: dict[int, list[Cell]]
) -> bool:
    """Whether a cumulative file replaces a loaded cumulative cell by itself."""
    if not old.cumulative or old.calendar != "sh":
        return False
    same = new.filter(
        pl.col("cumulative")
        & (pl.col("calendar") == "sh")
        & (pl.col("region") == old.region)
        & (pl.col("definition") == old.definition)
        & (pl.col("year") == old.year)
        & pl.col("office_key").eq_missing(old.office_key)
    )
    if same.height == 0:
        return False
    reach = int(same.get_column("month").max())  # type: ignore[arg-type]
    if old.dataset_id not in known:
        known[old.dataset_id] = cell_store.of_dataset(con, old.dataset_id)
    loaded_reach = max(
        c.month
        for c in known[old.dataset_id]
        if c.superseded_by is None
        and c.calendar == "sh"
        and c.year == old.year
        and c.region == old.region
        and c.definition == old.definition
        and c.office_key == old.office_key
    )
    return reach >= loaded_reach


def refusal(file_name: str, conflicts: list[Cell]) -> OverlapError:
    """The error naming what a file overlaps (English; the pages name it in their language
    through :func:`describe`)."""
    cells: list[dict[str, object]] = [
        {
            "dataset_id": c.dataset_id,
            "file_name": c.file_name,
            "region": c.region,
            "definition": c.definition,
            "calendar": c.calendar,
            "year": c.year,
            "month": c.month,
            "office": c.office,
        }
        for c in conflicts
    ]
    region = conflicts[0].region
    parts = describe(cells, "en")
    return OverlapError(
        file_name,
        cells,
        f"{file_name} overlaps customs records already loaded for {region}: "
        f"{'; '.join(parts)}. Nothing was imported (the same exports would be counted twice).",
        hint="to put this file's figures in place of those months and offices, import it "
        "again with --replace (on the Data page: Replace); `exportplan datasets --cells` shows "
        "what each import supplies",
    )


def describe(cells: Iterable[dict[str, object]], lang: Lang) -> list[str]:
    """One phrase per loaded import: its id and file, the definition, the months (Solar
    Hijri, as people read them) and the offices."""
    by: dict[tuple[int, str, str], list[dict[str, object]]] = {}
    for c in cells:
        key = (int(str(c["dataset_id"])), str(c["file_name"]), str(c["definition"]))
        by.setdefault(key, []).append(c)
    out: list[str] = []
    for (ds, name, definition), group in sorted(by.items())[:MAX_NAMED]:
        periods = sorted(
            {(str(c["calendar"]), int(str(c["year"])), int(str(c["month"]))) for c in group}
        )
        offices = {None if c["office"] is None else str(c["office"]) for c in group}
        dataset = word("dataset", lang)
        months = months_text(periods, lang)
        at = offices_text(offices, lang)
        if lang == "fa":
            out.append(
                f"{dataset} {to_persian_digits(str(ds))} ({name}، {word(definition, lang)}): "
                f"{months}؛ {word('offices', lang)}: {at}"
            )
        else:
            out.append(f"{dataset} {ds} ({name}, {definition}): {months}; offices {at}")
    if len(by) > MAX_NAMED:
        out.append(_more(len(by) - MAX_NAMED, lang))
    return out


def _more(n: int, lang: Lang) -> str:
    return f"و {to_persian_digits(str(n))} مورد دیگر" if lang == "fa" else f"and {n} more"


def _month(calendar: str, year: int, month: int, lang: Lang, *, with_year: bool = True) -> str:
    if calendar == "g":
        text = f"{year}-{month:02d}"
        return to_persian_digits(text) if lang == "fa" else text
    name = (MONTHS_FA if lang == "fa" else MONTHS_EN)[month - 1]
    if not with_year:
        return name
    return f"{name} {to_persian_digits(str(year)) if lang == 'fa' else year}"


def months_text(periods: Iterable[Period], lang: Lang) -> str:
    """Months as people read them: runs of one year joined (``Farvardin–Khordad 1404``,
    ``فروردین تا خرداد ۱۴۰۴``), Gregorian months as ``2024-03``."""
    runs: list[list[Period]] = []
    for p in sorted(set(periods)):
        last = runs[-1][-1] if runs else None
        if last and last[0] == p[0] == "sh" and last[1] == p[1] and last[2] + 1 == p[2]:
            runs[-1].append(p)
        else:
            runs.append([p])
    texts: list[str] = []
    for run in runs[:MAX_NAMED]:
        first, end = run[0], run[-1]
        if len(run) == 1:
            texts.append(_month(*first, lang))
        else:
            joint = " تا " if lang == "fa" else "–"
            texts.append(f"{_month(*first, lang, with_year=False)}{joint}{_month(*end, lang)}")
    if len(runs) > MAX_NAMED:
        texts.append(_more(len(runs) - MAX_NAMED, lang))
    return ("، " if lang == "fa" else ", ").join(texts)


def offices_text(offices: Iterable[str | None], lang: Lang) -> str:
    """Offices by name; a cell without one is every office of its month."""
    offices = list(offices)
    named = sorted({o for o in offices if o})
    texts = named[:MAX_NAMED]
    if any(o is None or o == "" for o in offices):
        texts.insert(0, word("(no office given: every office)", lang))
    if len(named) > MAX_NAMED:
        texts.append(_more(len(named) - MAX_NAMED, lang))
    return ("، " if lang == "fa" else ", ").join(texts)
