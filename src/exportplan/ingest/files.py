"""Reading files as people have them: encodings, header rows, empty files."""

from __future__ import annotations

import csv
import hashlib
import io
from pathlib import Path

import polars as pl

from exportplan.errors import EmptyFileError, InputError

ENCODINGS = ("utf-8-sig", "cp1256")


def decode(path: Path) -> tuple[str, str]:
    """Text of a file and the encoding used: UTF-8 (with or without BOM), else Windows-1256."""
    raw = path.read_bytes()
    if not raw.strip():
        raise EmptyFileError(str(path.name))
    for enc in ENCODINGS:
        try:
            return raw.decode(enc), enc
        except UnicodeDecodeError:
            continue
    raise InputError(
        f"{path.name}: neither UTF-8 nor Windows-1256 text",
        hint="save the file as UTF-8 CSV or as an Excel workbook",
    )


def sha256_file(path: Path) -> str:
    """The sha256 of a file's bytes (read in blocks): how an import knows a file it has seen."""
    h = hashlib.sha256()
    with path.open("rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def first_line(path: Path) -> str:
    with path.open("rb") as fh:
        head = fh.readline(1 << 16)
    for enc in ENCODINGS:
        try:
            return head.decode(enc).strip("\r\n")
        except UnicodeDecodeError:
            continue
    return head.decode("latin-1").strip("\r\n")


def csv_rows(text: str) -> list[list[str]]:
    """Rows of a CSV text, delimiter sniffed among , ; tab |."""
    sample = text[:20000]
    try:
        dialect: type[csv.Dialect] | csv.Dialect = csv.Sniffer().sniff(sample, delimiters=",;\t|")
    except csv.Error:
        dialect = csv.excel
    return [row for row in csv.reader(io.StringIO(text), dialect)]


def read_table(path: Path) -> pl.DataFrame:
    """A CSV (all columns as text) or Parquet table a user gives as a parameter file."""
    if not path.exists():
        raise InputError(f"{path}: no such file")
    if path.suffix.lower() == ".parquet":
        return pl.read_parquet(path)
    if not path.read_bytes().strip():
        raise EmptyFileError(path.name)
    try:
        return pl.read_csv(path, infer_schema=False, encoding="utf8-lossy")
    except pl.exceptions.PolarsError as exc:
        raise InputError(f"{path.name}: not a readable CSV ({exc})") from exc
