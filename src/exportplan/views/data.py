"""The data page: every import with its counts of rows read, accepted and rejected and the
months and offices it still supplies (and, after an upload, the upload's summary or why it was
refused; before and after removing an import, the same sentence as the CLI's)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from exportplan.errors import OverlapError
from exportplan.i18n import Lang
from exportplan.i18n import label as t
from exportplan.services import data as data_svc
from exportplan.services.imports import overlap
from exportplan.views.common import synthetic
from exportplan.views.context import PageContext
from exportplan.views.tables import table
from exportplan.workspace import Workspace

__all__ = ["SUMMARY_FIELDS", "DataContext", "data_page", "refusal"]

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
    """The imports; ``summary`` is the upload's (:data:`SUMMARY_FIELDS`) right after one,
    ``refused`` why an upload was refused (file, lines naming the overlapped imports),
    ``removed`` the sentence of a removal just done, ``confirm`` the question asked before one
    (``dataset_id``, ``question``)."""

    summary: dict[str, Any] | None = None
    refused: dict[str, Any] | None = None
    removed: str | None = None
    confirm: dict[str, Any] | None = None


def refusal(exc: OverlapError, lang: str) -> dict[str, Any]:
    """An overlap refusal in the page's language: the file and one line per loaded import."""
    return {"file_name": exc.file, "lines": overlap.describe(exc.cells, _lang(lang))}


def _lang(lang: str) -> Lang:
    return "fa" if lang == "fa" else "en"


def data_page(
    ws: Workspace,
    lang: str,
    upload: Any = None,
    *,
    refused: OverlapError | None = None,
    removed: data_svc.Removed | None = None,
    confirm: data_svc.Removed | None = None,
) -> DataContext:
    """The imports of the workspace; ``upload``: an import summary to show on top;
    ``refused``, ``removed``, ``confirm``: an upload refused, a removal done or asked."""
    supply = data_svc.supplies(ws)
    rows = [
        {
            **r,
            "supplies": supply[r["id"]].supplied_text(_lang(lang)) if r["id"] in supply else "",
            "superseded": (
                supply[r["id"]].superseded_text(_lang(lang)) if r["id"] in supply else ""
            ),
        }
        for r in data_svc.datasets(ws).to_dicts()
    ]
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
                    ("kind", "kind", "term"),
                    ("file_name", "file", "data"),
                    ("imported_at", "imported", "time"),
                    ("rows_read", "rows read", "num"),
                    ("rows_accepted", "accepted", "num"),
                    ("rows_rejected", "rejected", "num"),
                    ("region", "region", "region"),
                    ("definition", "definition", "term"),
                    ("source", "source", "data"),
                    ("synthetic", "synthetic", "bool"),
                    ("supplies", "months and offices supplied", "text"),
                    ("superseded", "replaced by later imports", "text"),
                ],
                lang,
            ),
        },
        notes=[],
        summary=None if upload is None else {k: getattr(upload, k) for k in SUMMARY_FIELDS},
        refused=None if refused is None else refusal(refused, lang),
        removed=None if removed is None else data_svc.removal_text(removed, _lang(lang)),
        confirm=None
        if confirm is None
        else {
            "dataset_id": confirm.dataset_id,
            "question": data_svc.removal_text(confirm, _lang(lang), done=False),
        },
    )
