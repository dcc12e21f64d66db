"""The Data page's progress part: each import of the server's queue as a person reads it (its
state, rows done, and its summary or error), in Persian or English, for the page and for the
JSON status the page polls."""

from __future__ import annotations

from typing import Any

from exportplan.errors import OverlapError
from exportplan.i18n import error_text
from exportplan.i18n import label as t
from exportplan.services.imports import overlap
from exportplan.services.imports.worker import Job
from exportplan.views.format import fmt

__all__ = ["import_rows"]

REFUSED = (
    "Nothing was imported: this file covers months and customs offices already loaded, and the "
    "same exports would be counted twice."
)
REPLACE_HINT = (
    "To put this file's figures in their place, upload it again with Replace chosen; or remove "
    "the earlier import."
)


def _count(n: int | None, lang: str) -> str:
    return fmt(n, "num", lang) if n is not None else "?"


def import_row(job: Job, lang: str) -> dict[str, Any]:
    """One job: ``text`` is the line the page shows (its state and progress, or its outcome)."""
    state = t(job.state, lang)
    rejects_url = ""
    if job.summary is not None:
        s = job.summary
        verb = t(
            "already imported as dataset" if s.already_imported else "imported as dataset", lang
        )
        text = (
            f"{verb} {fmt(s.dataset_id, 'digits', lang)}: {t('rows read', lang)} "
            f"{_count(s.rows_read, lang)}, {t('accepted', lang)} {_count(s.rows_accepted, lang)}, "
            f"{t('rejected', lang)} {_count(s.rows_rejected, lang)}"
        )
        if s.rows_rejected:
            rejects_url = f"/data/rejects/{s.dataset_id}.csv"
        detail = s.notes
    elif job.state == "failed" and isinstance(job.exc, OverlapError):
        text = t(REFUSED, lang)
        lines = overlap.describe(job.exc.cells, "fa" if lang == "fa" else "en")
        detail = "; ".join([*lines, t(REPLACE_HINT, lang)])
    elif job.state == "failed":
        # a domain error with a Persian wording (e.g. a refused workbook archive) in the
        # page's language; others as raised
        error, hint = error_text(job.exc, lang) if job.exc is not None else (job.error, job.hint)
        text = f"{error} ({t('nothing of it was written', lang)})"
        detail = hint
    elif job.state == "queued":
        text, detail = "", ""
    else:
        done = _count(job.done, lang)
        text = f"{done} / {_count(job.total, lang)} {t('rows', lang)}" if job.total else ""
        detail = ""
    return {
        "id": job.id,
        "file_name": job.file_name,
        "state": job.state,
        "state_label": state,
        "final": job.final,
        "text": text,
        "detail": detail,
        "rejects_url": rejects_url,
        "rejects_label": f"{t('Rejected rows', lang)} (CSV)",
    }


def import_rows(jobs: list[Job], lang: str) -> list[dict[str, Any]]:
    """The jobs, newest first, as :func:`import_row` shows them."""
    return [import_row(j, lang) for j in jobs]
