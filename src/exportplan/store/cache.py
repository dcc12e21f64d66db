"""The workspace's result cache: Parquet files in ``<workspace>/cache/`` named by a hash of
the parameters and the data version, written atomically, and recomputed when unreadable.

A key is built in one place (:func:`key`): the kind of result, the parameters and the data
version (every dataset's id and sha256), so a new import changes every key and stale results
are never served. An entry is written to a temporary file in the same folder, flushed to disk
and renamed over the entry (:func:`write_atomic`): a reader sees the old entry or the new one,
never half of one, and a crash leaves at most a stray temporary file. An entry that cannot be
read (truncated, corrupt) is removed and recomputed rather than failing.

A large entry may be written after its frame is returned (``background=True``: a page or a
command has its table while the file is still being compressed; the potential's million rows
take about 0.3 s to write). The writer is an ordinary (non-daemon) thread, so a command's
process exits only when the entry is on disk; a reader of the same entry in the same process
waits for it (:func:`wait_for_writes`); a failed write is logged and leaves no entry.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import logging
import os
import tempfile
import threading
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import IO, Any

import polars as pl

FOLDER = "cache"
SUFFIX = ".parquet"

log = logging.getLogger(__name__)
_pending: dict[Path, threading.Thread] = {}
_pending_lock = threading.Lock()


def key(kind: str, params: Mapping[str, Any], data_version: str) -> str:
    """The name of an entry: ``{kind}-{20 hex digits}``, a hash of the parameters (JSON, keys
    sorted; paths and dates as text) and the data version."""
    text = json.dumps({"params": dict(params), "data": data_version}, sort_keys=True, default=str)
    return f"{kind}-{hashlib.sha256(text.encode()).hexdigest()[:20]}"


def write_atomic(path: Path, write: Callable[[IO[bytes]], None]) -> None:
    """Write ``path`` through ``write(file)`` so that it appears whole or not at all."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as fh:
            write(fh)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
        raise
    _fsync_dir(path.parent)


def _fsync_dir(folder: Path) -> None:
    """Make the rename itself durable (where the system allows opening a folder)."""
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def write_frame(path: Path, df: pl.DataFrame, *, compression: str = "zstd") -> None:
    """A frame as a Parquet entry, atomically."""
    write_atomic(path, lambda fh: df.write_parquet(fh, compression=compression))  # type: ignore[arg-type]


def write_frame_later(path: Path, df: pl.DataFrame, *, compression: str = "zstd") -> None:
    """:func:`write_frame` in a thread of its own (see the module doc)."""

    def run() -> None:
        try:
            write_frame(path, df, compression=compression)
        except (OSError, pl.exceptions.PolarsError) as exc:
            log.warning("cache entry %s not written: %s", path.name, exc)
        finally:
            with _pending_lock:
                if _pending.get(path) is threading.current_thread():
                    del _pending[path]

    wait_for_writes(path)  # one writer per entry at a time
    thread = threading.Thread(target=run, name=f"cache-write-{path.name}")
    with _pending_lock:
        _pending[path] = thread
    thread.start()


def wait_for_writes(path: Path | None = None) -> None:
    """Return when the entry at ``path`` (every entry: None) being written by this process is
    on disk (or its write has failed)."""
    with _pending_lock:
        threads = [t for p, t in _pending.items() if path is None or p == path]
    for t in threads:
        t.join()


def read_frame(path: Path) -> pl.DataFrame | None:
    """An entry, or None when there is none or it cannot be read (it is then removed)."""
    if not path.exists():
        return None
    try:
        return pl.read_parquet(path)
    except (OSError, ValueError, pl.exceptions.PolarsError):
        with contextlib.suppress(OSError):
            path.unlink()
        return None


class Cache:
    """The cache of one workspace (its ``cache/`` folder)."""

    def __init__(self, folder: Path) -> None:
        self.folder = Path(folder)

    @classmethod
    def of(cls, workspace_path: Path) -> Cache:
        return cls(Path(workspace_path) / FOLDER)

    def path(self, kind: str, params: Mapping[str, Any], data_version: str) -> Path:
        """Where the entry of these parameters is (a Parquet file)."""
        return self.folder / f"{key(kind, params, data_version)}{SUFFIX}"

    def frame(
        self,
        kind: str,
        params: Mapping[str, Any],
        data_version: str,
        compute: Callable[[], pl.DataFrame],
        *,
        use: bool = True,
        compression: str = "zstd",
        background: bool = False,
    ) -> pl.DataFrame:
        """The cached frame of these parameters, else ``compute()`` stored and returned
        (``use=False``: computed and stored again whatever is there; ``background``: stored
        after it is returned, see the module doc)."""
        path = self.path(kind, params, data_version)
        wait_for_writes(path)
        if use and (cached := read_frame(path)) is not None:
            return cached
        df = compute()
        if background:
            write_frame_later(path, df, compression=compression)
        else:
            write_frame(path, df, compression=compression)
        return df

    def frames(
        self,
        kind: str,
        params: Mapping[str, Any],
        data_version: str,
        parts: tuple[str, ...],
        compute: Callable[[], dict[str, pl.DataFrame]],
    ) -> dict[str, pl.DataFrame]:
        """Several frames computed together, kept as one folder of parts: all are served
        from the cache, or (any missing or unreadable) all are computed again."""
        folder = self.folder / key(kind, params, data_version)
        cached = {p: read_frame(folder / f"{p}{SUFFIX}") for p in parts}
        if all(df is not None for df in cached.values()):
            return {p: df for p, df in cached.items() if df is not None}
        out = compute()
        for p in parts:
            write_frame(folder / f"{p}{SUFFIX}", out[p])
        return out
