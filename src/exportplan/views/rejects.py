"""An import's rejected rows as a download in the chosen language (issue 16): the reasons in
Persian on a Persian file, with the machine code of each reason kept in ``reason_code`` (and
the reason as stored with the machine header), so that a program can read either file."""

from __future__ import annotations

from typing import TYPE_CHECKING

from exportplan.i18n import label as t
from exportplan.reference.cells import csv_frame
from exportplan.reference.reject_reasons import reason_code, reason_text

if TYPE_CHECKING:
    import polars as pl

__all__ = ["rejects_csv", "rejects_frame"]


def rejects_frame(df: pl.DataFrame, lang: str, *, header: str = "label") -> pl.DataFrame:
    """The rejected rows (file, row, column, value, reason) with ``reason_code`` after the
    reason. For people (``header="label"``) in Persian: the columns' names and the reasons in
    Persian; with ``header="machine"`` the column names and the reasons as stored."""
    import polars as pl

    reasons = df.get_column("reason").cast(pl.String).fill_null("")
    codes = [reason_code(r) for r in reasons.to_list()]
    out = df.with_columns(pl.Series("reason_code", codes, dtype=pl.String))
    people = lang == "fa" and header != "machine"
    if people:
        shown = [reason_text(r, "fa") for r in reasons.to_list()]
        out = out.with_columns(pl.Series("reason", shown, dtype=pl.String))
    cols = [*df.columns[: df.columns.index("reason") + 1], "reason_code"]
    cols += [c for c in df.columns if c not in cols]
    out = out.select(cols)
    if people:
        out = out.rename({c: t(c, "fa") for c in out.columns})
    return out


def rejects_csv(df: pl.DataFrame, lang: str, *, header: str = "label") -> str:
    """The rejected rows as CSV text (formula-like text neutralised; a byte-order mark on a
    Persian file so that Excel reads it as UTF-8)."""
    text = csv_frame(rejects_frame(df, lang, header=header)).write_csv()
    return ("\ufeff" if lang == "fa" else "") + text
