"""The import queue of a server: one writer thread lands queued files, one at a time, in the
warehouse the server holds, and keeps each job's state for the Data page and the command line.

A job goes ``queued`` -> ``reading`` -> ``validating`` -> ``writing`` -> ``done`` (with the
import's summary) or ``failed`` (with the error's message and hint; the import's transaction
is rolled back, so nothing of it is written). Pages keep reading the last committed state
meanwhile (:mod:`exportplan.store.warehouse.instance`). :func:`run_import` is the one way a
file of each kind reaches the warehouse, whether the writer thread, a command line with no
server, or a test runs it.
"""

from __future__ import annotations

import dataclasses
import itertools
import queue
import sys
import threading
import time
import traceback
from collections import OrderedDict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import duckdb

from exportplan.errors import ExportPlanError, InputError
from exportplan.ingest.customs import CustomsOptions, Progress, check_options
from exportplan.services.imports import baci, comtrade, customs, nomenclature
from exportplan.store import warehouse
from exportplan.store.warehouse.writes import ImportSummary
from exportplan.workspace import Workspace

__all__ = [
    "FINAL",
    "KINDS",
    "STATES",
    "ImportWorker",
    "Job",
    "customs_kwargs",
    "run_import",
    "running",
    "stage_of",
]

STATES = ("queued", "reading", "validating", "writing", "done", "failed")
FINAL = ("done", "failed")
KINDS = ("customs", "baci", "comtrade", "nomenclature")
#: The importers' progress stages, as job states
STAGE_STATE = {"read": "reading", "parse": "validating", "write": "writing"}
#: Finished jobs kept for the Data page
KEEP = 50


def customs_kwargs(options: CustomsOptions, **kw: Any) -> dict[str, Any]:
    """A customs import's arguments as JSON values (how a job carries them)."""
    return {"options": dataclasses.asdict(options), **kw}


def _path(v: Any) -> Path | None:
    return None if v in (None, "") else Path(str(v))


def run_import(
    con: duckdb.DuckDBPyConnection,
    kind: str,
    path: Path,
    kwargs: dict[str, Any],
    progress: Progress | None = None,
) -> ImportSummary:
    """Import one file of ``kind`` with its JSON arguments (:func:`customs_kwargs` for customs;
    ``country_file``, ``product_file``, ``hs_edition`` for BACI)."""
    kw = dict(kwargs)
    if kind == "customs":
        opts = kw.pop("options", None)
        if not isinstance(opts, dict) or not opts.get("region"):
            raise InputError("a customs import needs its options (at least the region)")
        return customs.import_file(con, path, CustomsOptions(**opts), progress=progress, **kw)
    if progress is not None:
        progress("read", 0, None)
    if kind == "baci":
        return baci.import_file(
            con,
            path,
            country_file=_path(kw.pop("country_file", None)),
            product_file=_path(kw.pop("product_file", None)),
            **kw,
        )
    if kind == "comtrade":
        return comtrade.import_file(con, path, **kw)
    if kind == "nomenclature":
        return nomenclature.import_file(con, path)
    raise InputError(f"unknown import kind {kind!r}; kinds are {', '.join(KINDS)}")


@dataclass
class Job:
    """One file in the queue and what became of it."""

    id: int
    kind: str
    path: Path
    kwargs: dict[str, Any]
    submitted_by: str = ""
    state: str = "queued"
    done: int = 0
    total: int | None = None
    submitted: float = field(default_factory=time.time)
    started: float | None = None
    finished: float | None = None
    summary: ImportSummary | None = None
    error: str = ""
    hint: str = ""
    error_kind: str = ""
    discard: bool = False  # remove the file if its import fails (an upload made for it)
    exc: ExportPlanError | None = field(default=None, repr=False)
    finished_event: threading.Event = field(default_factory=threading.Event, repr=False)

    @property
    def file_name(self) -> str:
        return self.path.name

    @property
    def final(self) -> bool:
        return self.state in FINAL

    def as_json(self) -> dict[str, Any]:
        """What the status endpoints answer (the summary's fields when done)."""
        return {
            "id": self.id,
            "kind": self.kind,
            "file_name": self.file_name,
            "state": self.state,
            "final": self.final,
            "done": self.done,
            "total": self.total,
            "submitted": self.submitted,
            "started": self.started,
            "finished": self.finished,
            "submitted_by": self.submitted_by,
            "summary": None if self.summary is None else dataclasses.asdict(self.summary),
            "error": self.error,
            "hint": self.hint,
            "error_kind": self.error_kind,
        }

    def wait(self, progress: Progress | None = None, poll: float = 0.2) -> ImportSummary:
        """Block until the job is final; its summary, or its error raised again."""
        while not self.finished_event.wait(poll):
            if progress is not None and self.state in STATES[1:4]:
                progress(stage_of(self.state), self.done, self.total)
        if self.summary is not None:
            return self.summary
        if self.exc is not None:
            raise self.exc
        raise ExportPlanError(self.error, hint=self.hint)


def stage_of(state: str) -> str:
    """The importers' progress stage of a job state (``reading`` -> ``read``)."""
    return next((k for k, v in STAGE_STATE.items() if v == state), "read")


class ImportWorker:
    """The writer of one workspace's warehouse in a server: a queue and one thread."""

    def __init__(self, ws: Workspace) -> None:
        self.ws = ws
        self._queue: queue.Queue[Job | None] = queue.Queue()
        self._jobs: OrderedDict[int, Job] = OrderedDict()
        self._ids = itertools.count(1)
        self._lock = threading.Lock()
        self._thread: threading.Thread | None = None

    # ---- life ----------------------------------------------------------------------------

    def start(self) -> None:
        """Hold the warehouse and start the writer thread (again after :meth:`stop`)."""
        with self._lock:
            if self._thread is not None and self._thread.is_alive():
                return
            warehouse.hold(self.ws.warehouse_path)
            self._thread = threading.Thread(
                target=self._run, name=f"exportplan-writer-{self.ws.path.name}", daemon=True
            )
            self._thread.start()
            _running[self.ws.path.resolve()] = self

    def stop(self, timeout: float = 10.0) -> None:
        """Stop after the running job (queued ones are dropped, marked failed) and let go of
        the warehouse; an import still running after ``timeout`` is rolled back with the
        process."""
        with self._lock:
            thread, self._thread = self._thread, None
            _running.pop(self.ws.path.resolve(), None)
        if thread is None:
            return
        while True:
            try:
                job = self._queue.get_nowait()
            except queue.Empty:
                break
            if job is not None:
                self._finish(job, error=("the server stopped before this import ran", ""))
        self._queue.put(None)
        thread.join(timeout)
        if not thread.is_alive():
            warehouse.release(self.ws.warehouse_path)

    @property
    def alive(self) -> bool:
        return self._thread is not None and self._thread.is_alive()

    # ---- jobs ----------------------------------------------------------------------------

    def submit(
        self,
        kind: str,
        path: Path,
        kwargs: dict[str, Any],
        *,
        who: str = "",
        discard: bool = False,
    ) -> Job:
        """Queue one file (the writer starts if it was not running); ``discard``: the file is
        removed if its import is refused or fails (an upload saved for this import only)."""
        if kind not in KINDS:
            raise InputError(f"unknown import kind {kind!r}; kinds are {', '.join(KINDS)}")
        if kind == "customs":  # options no file could be read with are refused at once
            opts = kwargs.get("options")
            if not isinstance(opts, dict) or not opts.get("region"):
                raise InputError("a customs import needs its options (at least the region)")
            try:
                check_options(CustomsOptions(**opts))
            except TypeError as exc:
                raise InputError(f"unknown customs option: {exc}") from exc
        self.start()
        job = Job(
            id=next(self._ids),
            kind=kind,
            path=Path(path),
            kwargs=kwargs,
            submitted_by=who,
            discard=discard,
        )
        with self._lock:
            self._jobs[job.id] = job
            finished = [j for j in self._jobs.values() if j.final]
            for old in finished[: max(0, len(finished) - KEEP)]:
                del self._jobs[old.id]
        self._queue.put(job)
        return job

    def submit_customs(
        self,
        path: Path,
        options: CustomsOptions,
        *,
        who: str = "",
        discard: bool = False,
        **kw: Any,
    ) -> Job:
        """Queue a customs file read with ``options`` (``kw``: the importer's other arguments)."""
        return self.submit("customs", path, customs_kwargs(options, **kw), who=who, discard=discard)

    def job(self, job_id: int) -> Job | None:
        with self._lock:
            return self._jobs.get(job_id)

    def jobs(self) -> list[Job]:
        """Every job kept, newest first."""
        with self._lock:
            return list(reversed(self._jobs.values()))

    # ---- the writer thread ---------------------------------------------------------------

    def _run(self) -> None:
        while True:
            job = self._queue.get()
            if job is None:
                return
            self._land(job)

    def _land(self, job: Job) -> None:
        job.started = time.time()
        job.state = "reading"

        def progress(stage: str, done: int, total: int | None) -> None:
            job.state = STAGE_STATE.get(stage, job.state)
            job.done, job.total = done, total

        try:
            with self.ws.warehouse() as con:
                summary = run_import(con, job.kind, job.path, job.kwargs, progress)
        except ExportPlanError as exc:
            job.exc = exc
            self._finish(job, error=(exc.message, exc.hint), kind=type(exc).__name__)
        except Exception as exc:  # a bug: one line for the user, the traceback for the log
            traceback.print_exc(file=sys.stderr)
            first = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
            self._finish(job, error=(f"internal error: {first}", ""), kind="")
        else:
            self._finish(job, summary=summary)

    @staticmethod
    def _finish(
        job: Job,
        *,
        summary: ImportSummary | None = None,
        error: tuple[str, str] | None = None,
        kind: str = "",
    ) -> None:
        job.finished = time.time()
        if summary is not None:
            job.summary = summary
            job.done = job.total = summary.rows_read
            job.state = "done"
        else:
            job.error, job.hint = error or ("", "")
            job.error_kind = kind
            job.state = "failed"
            if job.discard:
                job.path.unlink(missing_ok=True)
        job.finished_event.set()


_running: dict[Path, ImportWorker] = {}


def running(ws: Workspace) -> ImportWorker | None:
    """The writer this process runs for ``ws`` (a server), if any."""
    w = _running.get(ws.path.resolve())
    return w if w is not None and w.alive else None
