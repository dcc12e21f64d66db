"""An uploaded file on its way into the workspace: its name checked, its bytes streamed to a
temporary file in the uploads folder in chunks while hashed (never held whole in memory),
renamed into place, and deleted again when the upload or its import fails."""

from __future__ import annotations

import hashlib
import os
import secrets
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from fastapi import UploadFile

__all__ = ["CHUNK", "PARTIAL", "discarded_on_error", "save"]

CHUNK = 1024 * 1024
#: The prefix of a file still being written (a crash leaves one; the next upload removes it)
PARTIAL = ".partial-"


async def save(file: UploadFile, folder: Path, name: str) -> tuple[Path, bool]:
    """``file`` written to ``folder`` as ``<sha256[:12]>-<name>``, and whether it is new (the
    same bytes under the same name uploaded before are kept as they were); nothing is left
    behind if writing fails (a full disk, a client that goes away)."""
    folder.mkdir(parents=True, exist_ok=True)
    for stale in folder.glob(PARTIAL + "*"):
        stale.unlink(missing_ok=True)
    tmp = folder / f"{PARTIAL}{secrets.token_hex(8)}"
    digest = hashlib.sha256()
    try:
        with tmp.open("wb") as out:
            while chunk := await file.read(CHUNK):
                digest.update(chunk)
                out.write(chunk)
        target = folder / f"{digest.hexdigest()[:12]}-{name}"
        new = not target.exists()
        os.replace(tmp, target)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    return target, new


@contextmanager
def discarded_on_error(path: Path, new: bool) -> Iterator[Path]:
    """A new ``path`` removed when the block raises (an import refused or failed): only files
    whose import ran to its end stay in the uploads folder."""
    try:
        yield path
    except BaseException:
        if new:
            path.unlink(missing_ok=True)
        raise
