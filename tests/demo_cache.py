"""The small demo workspace the tests share, built once per run of `make test`: the Makefile
builds it (``python tests/demo_cache.py DIR``) while ruff and mypy run, and every pytest
process of the run (both workers and the serial part) copies it instead of building its own.
The copy is used only when its stamp names the same sources and parameters as this checkout;
otherwise (or with no ``EXPORTPLAN_TEST_DEMO``) the fixture builds the demo itself, as before."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import shutil
import sys
import time
from pathlib import Path

#: The small demo's parameters (a synthetic world of 5 years x 300 products, the province,
#: the sample program), the same code as `exportplan demo`
PARAMS: dict[str, int | str] = {
    "years": 5,
    "products": 300,
    "rows_per_year": 40_000,
    "today": "2026-11-28",
}

SRC = Path(__file__).resolve().parent.parent / "src" / "exportplan"


def fingerprint() -> str:
    """sha256 over every file of the package (path and bytes) and the parameters: a demo
    built from other sources or with other parameters is not this run's demo."""
    h = hashlib.sha256(json.dumps(PARAMS, sort_keys=True).encode())
    for f in sorted(SRC.rglob("*")):
        if f.is_file() and "__pycache__" not in f.parts:
            h.update(str(f.relative_to(SRC)).encode() + b"\0")
            h.update(f.read_bytes())
    return h.hexdigest()


def build(path: Path) -> None:
    """Build the small demo at ``path`` (which must not exist); the build's report (what
    `exportplan demo` prints) is kept beside it as ``report.txt``."""
    from exportplan.services import demo

    report = demo.build(
        path,
        years=int(PARAMS["years"]),
        products=int(PARAMS["products"]),
        rows_per_year=int(PARAMS["rows_per_year"]),
        today=dt.date.fromisoformat(str(PARAMS["today"])),
        log=lambda _m: None,
    )
    (path.parent / "report.txt").write_text(report, "utf-8")


def cached(folder: Path) -> Path | None:
    """The prebuilt demo under ``folder`` if its stamp matches this checkout, else None."""
    stamp = folder / "stamp.json"
    if not stamp.is_file():
        return None
    recorded = json.loads(stamp.read_text("utf-8"))
    return folder / "ws" if recorded.get("fingerprint") == fingerprint() else None


def copy_or_build(folder: Path | None, path: Path) -> None:
    """The demo at ``path``: a copy of the prebuilt one when current, else built here."""
    source = cached(folder) if folder is not None else None
    if source is not None:
        shutil.copytree(source, path)
        shutil.copy(source.parent / "report.txt", path.parent / "report.txt")
    else:
        build(path)


def main(argv: list[str]) -> int:
    folder = Path(argv[1])
    if folder.exists():
        shutil.rmtree(folder)
    folder.mkdir(parents=True)
    started, stamp = time.perf_counter(), fingerprint()
    build(folder / "ws")
    (folder / "stamp.json").write_text(
        json.dumps({"fingerprint": stamp, "seconds": time.perf_counter() - started}),
        "utf-8",
    )
    print(f"small demo built in {time.perf_counter() - started:.1f} s: {folder / 'ws'}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
