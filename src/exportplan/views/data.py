"""The data page: every import with its counts of rows read, accepted and rejected (and, after
an upload, the upload's summary)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from exportplan.i18n import label as t
from exportplan.services import data as data_svc
from exportplan.views.common import synthetic
from exportplan.views.context import PageContext
from exportplan.views.tables import table
from exportplan.workspace import Workspace

__all__ = ["SUMMARY_FIELDS", "DataContext", "data_page"]

#: What the page tells of an upload just imported
SUMMARY_FIELDS = (
    "file_name",
    "dataset_id",
    "rows_read",
    "rows_accepted",
    "rows_rejected",
    "already_imported",
    "notes",
)


@dataclass(kw_only=True)
class DataContext(PageContext):
    """The imports; ``summary`` is the upload's (:data:`SUMMARY_FIELDS`) right after one."""

    summary: dict[str, Any] | None = None


def data_page(ws: Workspace, lang: str, upload: Any = None) -> DataContext:
    """The imports of the workspace; ``upload``: an import summary to show on top."""
    rows = data_svc.datasets(ws).to_dicts()
    return DataContext(
        page="data",
        title=t("Data", lang),
        lang=lang,
        synthetic=synthetic(ws),
        charts={},
        tables={
            "datasets": table(
                t("Imports", lang),
                rows,
                [
                    ("id", "code", "num"),
                    ("kind", "kind", "text"),
                    ("file_name", "file", "text"),
                    ("imported_at", "imported", "text"),
                    ("rows_read", "rows read", "num"),
                    ("rows_accepted", "accepted", "num"),
                    ("rows_rejected", "rejected", "num"),
                    ("region", "region", "text"),
                    ("definition", "definition", "text"),
                    ("source", "source", "text"),
                    ("synthetic", "synthetic", "bool"),
                ],
                lang,
            ),
        },
        notes=[],
        summary=None if upload is None else {k: getattr(upload, k) for k in SUMMARY_FIELDS},
    )
