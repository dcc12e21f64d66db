"""Reading files as people have them: encodings decided with evidence, CSV rows, empty files."""

from __future__ import annotations

import codecs
import csv
import hashlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from exportplan.errors import EmptyFileError, InputError
from exportplan.reference.text import shorten

if TYPE_CHECKING:  # polars loads with the first table read, not with every import command
    import polars as pl

ENCODINGS = ("utf-8-sig", "cp1256")
ENCODING_NAMES = {"utf-8": "UTF-8", "cp1256": "Windows-1256", "utf-16": "UTF-16"}
_BOMS = (
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
FIELD_LIMIT = 131_072  # Python csv's field_size_limit


class CellNumber(str):
    """A spreadsheet cell that held a number (not text): its text is Python's ``repr`` of the
    float, with ``.`` as decimal mark whatever the file's declared convention."""


class UndecodableLine(list[str]):
    """A line of a text file that does not decode in the file's encoding: no cells, the raw
    bytes shown safely (undecodable bytes as ``\\xNN``) and why it was refused."""

    def __init__(self, shown: str, reason: str) -> None:
        super().__init__()
        self.shown = shown
        self.reason = reason


@dataclass(frozen=True)
class Decoded:
    """A text file decoded: its text (undecodable lines left empty, so lines keep their
    numbers), the encoding chosen and the evidence, and the refused lines by number."""

    text: str
    encoding: str
    evidence: str
    bad_lines: dict[int, UndecodableLine] = field(default_factory=dict)

    @property
    def note(self) -> str:
        return f"encoding {ENCODING_NAMES[self.encoding]} ({self.evidence})"


def _utf8(line: bytes) -> bool:
    try:
        line.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


def _shown(line: bytes) -> str:
    return shorten(line.rstrip(b"\r\n").decode("utf-8", errors="backslashreplace"))


def decode(path: Path) -> Decoded:
    """A text file decoded with evidence, never garbled.

    A byte-order mark decides (UTF-8, UTF-16); so do NUL bytes in every other place (UTF-16
    without a mark). A file that is valid UTF-8 throughout is UTF-8. Otherwise the lines with
    non-ASCII bytes are counted: those valid in UTF-8 against those that are not. The majority
    decides (a tie goes to UTF-8); each line that does not belong to the chosen encoding (not
    valid UTF-8 in a UTF-8 file; valid non-ASCII UTF-8, which Windows-1256 would garble, in a
    Windows-1256 file) is refused, its raw bytes kept in :attr:`Decoded.bad_lines`."""
    raw = path.read_bytes()
    if not raw.strip():
        raise EmptyFileError(str(path.name))
    for bom, enc in _BOMS:
        if raw.startswith(bom):
            if enc == "utf-16":
                return _utf16(path.name, raw, "byte-order mark")
            raw = raw[len(bom) :]
            if _utf8(raw):
                return Decoded(raw.decode("utf-8"), "utf-8", "byte-order mark")
            return _by_lines(raw, "byte-order mark")
    head = raw[:4096]
    if len(head) >= 4 and head.count(0) > len(head) // 8:
        return _utf16(path.name, raw, "NUL bytes between characters")
    if _utf8(raw):
        return Decoded(raw.decode("utf-8"), "utf-8", "valid UTF-8 throughout")
    return _by_lines(raw, "")


def _utf16(name: str, raw: bytes, why: str) -> Decoded:
    enc = "utf-16"
    if not raw.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        head = raw[:4096]
        enc = "utf-16-le" if head[1::2].count(0) >= head[0::2].count(0) else "utf-16-be"
    try:
        return Decoded(raw.decode(enc), "utf-16", why)
    except UnicodeDecodeError as exc:
        raise InputError(
            f"{name}: UTF-16 text ({why}) with bytes that are not UTF-16 at byte {exc.start:,}",
            hint="save the file again as UTF-8 CSV or as an Excel workbook",
        ) from exc


def _by_lines(raw: bytes, why: str) -> Decoded:
    lines = raw.split(b"\n")
    foreign = [line for line in lines if not line.isascii()]
    valid = sum(1 for line in foreign if _utf8(line))
    invalid = len(foreign) - valid
    enc = "utf-8" if valid >= invalid else "cp1256"
    evidence = f"{valid:,} line(s) with non-ASCII text are valid UTF-8, {invalid:,} are not" + (
        f"; {why}" if why else ""
    )
    name = ENCODING_NAMES[enc]
    bad: dict[int, UndecodableLine] = {}
    out: list[str] = []
    for i, line in enumerate(lines, start=1):
        ok = _utf8(line)
        if enc == "utf-8" and not ok:
            bad[i] = UndecodableLine(
                _shown(line), f"line is not valid {name} (the file's encoding)"
            )
            out.append("")
        elif enc == "cp1256" and ok and not line.isascii():
            bad[i] = UndecodableLine(
                _shown(line),
                f"line is UTF-8 text in a {name} file (decoding it would garble it)",
            )
            out.append("")
        else:
            try:
                out.append(line.decode(enc))
            except UnicodeDecodeError:
                bad[i] = UndecodableLine(_shown(line), f"line is not valid {name}")
                out.append("")
    return Decoded("\n".join(out), enc, evidence, bad)


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


def csv_rows(text: str, bad_lines: dict[int, UndecodableLine] | None = None) -> list[list[str]]:
    """Rows of a CSV text, delimiter sniffed among , ; tab |; a row on a line in ``bad_lines``
    is that :class:`UndecodableLine`. A field longer than Python's limit (131,072 characters,
    most often an unclosed quote) refuses the file, naming the line."""
    return list(iter_csv_rows(text, bad_lines))


def iter_csv_rows(
    text: str, bad_lines: dict[int, UndecodableLine] | None = None
) -> Iterator[list[str]]:
    """The rows of :func:`csv_rows` one at a time (a large file's rows are never all lists at
    once: :func:`exportplan.ingest.table.build` takes them a chunk at a time)."""
    sample = text[:20000]
    try:
        dialect: type[csv.Dialect] | csv.Dialect = csv.Sniffer().sniff(sample, delimiters=",;\t|")
    except csv.Error:
        dialect = csv.excel
    reader = csv.reader(_lines(text), dialect)
    bad = bad_lines or {}
    try:
        for row in reader:
            yield bad.get(reader.line_num, row)
    except csv.Error as exc:
        line = reader.line_num
        if "field larger than field limit" in str(exc):
            raise InputError(
                f"line {line:,}: a field longer than {FIELD_LIMIT:,} characters (most often a "
                "quote that is never closed); nothing was imported",
                hint="check the quotes on that line, or save the sheet again as CSV",
            ) from exc
        raise InputError(
            f"line {line:,}: not readable as CSV ({shorten(str(exc))}); nothing was imported",
            hint="save the sheet again as CSV (UTF-8) or import the Excel workbook",
        ) from exc


def _lines(text: str) -> Iterator[str]:
    """The lines of ``text``, each with its ``\\n``, as slices taken one at a time (what
    ``io.StringIO(text)`` gives, without a second copy of the whole text)."""
    start, size = 0, len(text)
    while start < size:
        end = text.find("\n", start)
        if end < 0:
            yield text[start:]
            return
        yield text[start : end + 1]
        start = end + 1


def read_table(path: Path) -> pl.DataFrame:
    """A CSV (all columns as text) or Parquet table a user gives as a parameter file."""
    import polars as pl

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
