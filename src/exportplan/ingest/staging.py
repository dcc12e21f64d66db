"""A parsed file staged for the warehouse: its accepted rows, its rejects and its provenance.

An importer in :mod:`exportplan.ingest` reads a file and returns a :class:`Staged`; the
warehouse's writer (:func:`exportplan.store.warehouse.writes.write_import`) lands it in one
transaction. The importer never touches the warehouse.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

import polars as pl

FlowTable = Literal["world_flows", "region_flows", "hs_names"]


@dataclass(frozen=True)
class Staged:
    """One file's rows as the warehouse takes them.

    ``flows`` has the columns of ``table`` after ``dataset_id``, in the table's order;
    ``rejects`` has ``row, column, value, reason`` (one entry per failing cell, so a row may
    have several); ``hs_names`` (``code, name, source``) are product names the file gives, in
    ``hs_names_lang`` (and ``hs_names_en`` in English, if the file gives them). A tariff book
    (``table == "hs_names"``) has no flows: ``flows`` is the codes it names. Every row read
    is accepted or rejected: ``rows_rejected`` is what is
    left of ``rows_read`` once the accepted rows are counted.
    """

    kind: str
    table: FlowTable
    file_name: str
    rows_read: int
    flows: pl.DataFrame
    rejects: pl.DataFrame
    source: str
    synthetic: bool = False
    region: str | None = None
    definition: str | None = None
    options: dict[str, Any] = field(default_factory=dict)
    notes: str = ""
    hs_names: pl.DataFrame | None = None
    hs_names_lang: str = "fa"
    hs_names_en: pl.DataFrame | None = None

    @property
    def rows_accepted(self) -> int:
        return self.flows.height

    @property
    def rows_rejected(self) -> int:
        return self.rows_read - self.flows.height
