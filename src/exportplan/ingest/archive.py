"""A workbook's zip archive checked before anything parses it: unpacked size, ratio, members.

An ``.xlsx`` (and ``.xlsm``, ``.ods``) is a zip archive; a few megabytes of deflated repeated
bytes unpack to gigabytes, and a spreadsheet reader holds what it unpacks. :func:`check_archive`
reads the archive's directory and then inflates every member once, counting bytes and keeping
none (so a header that lies about a member's size is caught too), and refuses the file with an
:class:`~exportplan.errors.UnsafeArchiveError` when

* it has more members than ``archive_max_members``;
* a member's name is not one a workbook has (absolute, ``..``, a backslash, a control
  character), appears twice, is encrypted or packed other than stored or deflated;
* a member is itself an archive (zip, gzip, 7z, rar: by name or by its first bytes);
* the members unpack to more than ``archive_max_mb`` in all, or a member over 1 MiB unpacks to
  more than ``archive_max_ratio`` times its packed size, or to more than its header declares.

Limits come from the settings (``docs/settings.md``); the check stops at the first limit
passed, so a bomb is refused in the time it takes to unpack the limit, not the bomb.
"""

from __future__ import annotations

import struct
import zipfile
import zlib
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO, NoReturn

from exportplan import settings
from exportplan.errors import UnsafeArchiveError

__all__ = ["ARCHIVE_SUFFIXES", "ArchiveLimits", "ArchiveReport", "check_archive"]

#: file kinds that are zip archives (``.xls`` is not: its reader is bounded by the file's size)
ARCHIVE_SUFFIXES = (".xlsx", ".xlsm", ".ods")
MiB = 1 << 20
#: members smaller than this (unpacked) are not held to the ratio: small XML parts of a
#: workbook pack very well and cannot cost memory
RATIO_GRACE = MiB
_NESTED_SUFFIXES = (".zip", ".xlsx", ".xlsm", ".xlsb", ".docx", ".pptx", ".jar", ".gz", ".7z")
_NESTED_MAGIC = (b"PK\x03\x04", b"\x1f\x8b", b"7z\xbc\xaf\x27\x1c", b"Rar!")
_HINT_LIMIT = "if the file is genuine, raise {setting} (docs/settings.md) or split the workbook"
_HINT_SAVE = "save the sheet again from Excel as a plain .xlsx workbook"


@dataclass(frozen=True)
class ArchiveLimits:
    """How much a workbook may unpack to before it is refused."""

    max_bytes: int
    max_ratio: int
    max_members: int

    @classmethod
    def from_settings(cls) -> ArchiveLimits:
        return cls(
            max_bytes=int(settings.value("archive_max_mb")) * MiB,
            max_ratio=int(settings.value("archive_max_ratio")),
            max_members=int(settings.value("archive_max_members")),
        )


@dataclass(frozen=True)
class ArchiveReport:
    """What the check measured: members, packed and unpacked bytes, the highest ratio."""

    members: int
    packed: int
    unpacked: int
    max_ratio: float


def _refuse(path: Path, template: str, hint: str = _HINT_SAVE, **values: object) -> NoReturn:
    raise UnsafeArchiveError(path.name, template, hint, **values)


def _odd_name(name: str) -> bool:
    parts = name.split("/")
    return (
        name.startswith("/")
        or "\\" in name
        or ".." in parts
        or any(ord(ch) < 32 or ord(ch) == 127 for ch in name)
        or (len(name) > 1 and name[1] == ":")
    )


def _members(path: Path, zf: zipfile.ZipFile, limits: ArchiveLimits) -> list[zipfile.ZipInfo]:
    """The directory's checks: count, names, methods, declared sizes and ratios."""
    infos = zf.infolist()
    if len(infos) > limits.max_members:
        _refuse(
            path,
            "{file}: the archive has {count} members, more than the limit of {limit}",
            _HINT_LIMIT,
            count=len(infos),
            limit=limits.max_members,
            setting="EXPORTPLAN_ARCHIVE_MAX_MEMBERS",
        )
    seen: set[str] = set()
    declared = 0
    for zi in infos:
        name = zi.filename
        if _odd_name(name):
            _refuse(
                path,
                "{file}: member name {member} is not one a workbook has (an absolute path, "
                "'..', a backslash or a control character)",
                member=repr(name),
            )
        if name.lower() in seen:
            _refuse(path, "{file}: member {member} appears more than once", member=name)
        seen.add(name.lower())
        if zi.flag_bits & 0x1 or zi.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
            _refuse(
                path,
                "{file}: member {member} is encrypted or packed with method {method}, which a "
                "workbook does not use",
                member=name,
                method=zi.compress_type,
            )
        if name.lower().endswith(_NESTED_SUFFIXES):
            _nested(path, name)
        declared += zi.file_size
        _check_ratio(path, name, zi.file_size, zi.compress_size, limits)
    _check_total(path, declared, limits)
    return infos


def _nested(path: Path, name: str) -> NoReturn:
    _refuse(
        path,
        "{file}: member {member} is itself an archive; a workbook with nested archives is refused",
        member=name,
    )


def _check_ratio(path: Path, name: str, unpacked: int, packed: int, limits: ArchiveLimits) -> None:
    if unpacked > RATIO_GRACE and unpacked > limits.max_ratio * max(packed, 1):
        _refuse(
            path,
            "{file}: member {member} unpacks to {ratio} times its packed size (limit "
            "{limit}): a zip bomb, refused before reading",
            _HINT_LIMIT,
            member=name,
            ratio=unpacked // max(packed, 1),
            limit=limits.max_ratio,
            setting="EXPORTPLAN_ARCHIVE_MAX_RATIO",
        )


def _check_total(path: Path, unpacked: int, limits: ArchiveLimits) -> None:
    if unpacked > limits.max_bytes:
        _refuse(
            path,
            "{file}: the workbook would unpack to {size_mb} MB, more than the limit of "
            "{limit_mb} MB; refused before reading",
            _HINT_LIMIT,
            size_mb=-(-unpacked // MiB),
            limit_mb=limits.max_bytes // MiB,
            setting="EXPORTPLAN_ARCHIVE_MAX_MB",
        )


def _data_offset(fh: BinaryIO, zi: zipfile.ZipInfo) -> int:
    """Where a member's packed bytes start (after its local header)."""
    fh.seek(zi.header_offset)
    head = fh.read(30)
    if len(head) < 30 or head[:4] != b"PK\x03\x04":
        raise zipfile.BadZipFile(f"no local header for {zi.filename}")
    name_len, extra_len = struct.unpack("<HH", head[26:30])
    return int(zi.header_offset) + 30 + int(name_len) + int(extra_len)


def _inflate(path: Path, fh: BinaryIO, zi: zipfile.ZipInfo, budget: int) -> int:
    """The bytes a member really unpacks to, counted (never kept); refused as soon as it
    passes its declared size, the archive's remaining budget or the ratio."""
    fh.seek(_data_offset(fh, zi))
    left = zi.compress_size
    cap = min(zi.file_size, budget) + 1
    out = 0
    first = b""
    inflater = zlib.decompressobj(-15) if zi.compress_type == zipfile.ZIP_DEFLATED else None
    while left > 0:
        chunk = fh.read(min(left, MiB))
        if not chunk:
            raise zipfile.BadZipFile(f"{zi.filename} is cut short")
        left -= len(chunk)
        while chunk:
            if inflater is None:
                data, chunk = chunk, b""
            else:
                data = inflater.decompress(chunk, MiB)
                chunk = inflater.unconsumed_tail
            if not first and data:
                first = data[:8]
            out += len(data)
            if out >= cap:
                break
            if inflater is not None and inflater.eof:
                break
        if out >= cap:
            break
    if first.startswith(_NESTED_MAGIC):
        _nested(path, zi.filename)
    if out > zi.file_size:
        _refuse(
            path,
            "{file}: member {member} unpacks to more bytes than its header declares (a "
            "forged archive); refused before reading",
            member=zi.filename,
        )
    return out


def check_archive(path: Path, limits: ArchiveLimits | None = None) -> ArchiveReport:
    """Refuse a workbook archive that would unpack past ``limits`` (default: the settings) or
    holds members no workbook has; what was measured otherwise."""
    limits = limits or ArchiveLimits.from_settings()
    try:
        zf = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError):
        _refuse(path, "{file}: not a readable Excel workbook (not a zip archive)")
    total = 0
    worst = 0.0
    try:
        with zf, path.open("rb") as fh:
            infos = _members(path, zf, limits)
            for zi in infos:
                got = _inflate(path, fh, zi, limits.max_bytes - total)
                total += got
                _check_total(path, total, limits)
                _check_ratio(path, zi.filename, got, zi.compress_size, limits)
                worst = max(worst, got / max(zi.compress_size, 1))
    except (zipfile.BadZipFile, zlib.error, struct.error, EOFError) as exc:
        _refuse(path, "{file}: the archive is damaged ({problem})", problem=str(exc)[:200])
    return ArchiveReport(
        members=len(infos),
        packed=sum(zi.compress_size for zi in infos),
        unpacked=total,
        max_ratio=round(worst, 1),
    )
