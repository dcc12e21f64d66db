"""A whole program as a workbook (xlsx) or YAML file: its sheets, writing it, reading it.

The import (:mod:`exportplan.services.program.workbook_import`) applies what was read with the
rules of the single edits. Sheets (YAML keys): ``program`` (key/value), ``agencies``,
``priorities``, ``targets``, ``actions``, ``kpis``, ``measurements``. Dates are Solar Hijri
(``1404/05/01``); HS codes and markets are space-separated lists; amounts are USD.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from sqlalchemy import select

from exportplan.errors import InputError
from exportplan.ingest.archive import check_archive
from exportplan.reference.cells import xlsx_append
from exportplan.services.program.dossier import show
from exportplan.store.program.db import ProgramDB
from exportplan.store.program.models import (
    Agency,
    Kpi,
    Measurement,
    Priority,
    Program,
    Region,
    Target,
)

SHEETS: dict[str, list[str]] = {
    "agencies": ["code", "name_en", "name_fa", "kind", "head", "head_fa", "head_since"],
    "priorities": ["code", "name_en", "name_fa", "hs_codes", "markets", "reason"],
    "targets": ["code", "parent", "label", "priority", "agency", "period", "value_usd"],
    "actions": [
        "code",
        "agency",
        "priority",
        "title",
        "description",
        "start",
        "deadline",
        "status",
        "progress",
        "evidence",
    ],
    "kpis": [
        "code",
        "agency",
        "priority",
        "name",
        "unit",
        "source",
        "hs_codes",
        "partners",
        "target_value",
    ],
    "measurements": ["kpi", "period", "value", "source"],
}
PROGRAM_KEYS = ["region", "region_fa", "country", "sh_year", "definition", "name", "target_usd"]


class WorkbookError(InputError):
    """A program file with problems; ``problems`` lists every one (sheet, row, column, what)."""

    def __init__(self, file: str, problems: list[tuple[str, int, str, str]]) -> None:
        self.file = file
        self.problems = problems
        shown = "; ".join(f"{sh} row {r}, {c}: {m}" for sh, r, c, m in problems[:8])
        more = f" (and {len(problems) - 8} more)" if len(problems) > 8 else ""
        super().__init__(
            f"{file}: {len(problems)} problem(s), nothing was imported: {shown}{more}",
            hint="fix the rows named and import the file again",
        )


# ---- export --------------------------------------------------------------------------------


def program_data(db: ProgramDB, program_id: int) -> dict[str, Any]:
    """The program as plain rows (what the workbook and the YAML file hold)."""
    view = show(db, program_id)
    p = view["program"]
    with db.session() as s:
        ags = {a.id: a for a in s.scalars(select(Agency))}
        pri = {
            x.id: x.code
            for x in s.scalars(select(Priority).where(Priority.program_id == program_id))
        }
        targets = s.scalars(
            select(Target).where(Target.program_id == program_id).order_by(Target.id)
        ).all()
        codes = {t.id: t.code for t in targets}
        kp = s.scalars(select(Kpi).where(Kpi.program_id == program_id).order_by(Kpi.code)).all()
        meas = s.execute(
            select(Kpi.code, Measurement)
            .join(Measurement, Measurement.kpi_id == Kpi.id)
            .where(Kpi.program_id == program_id)
            .order_by(Kpi.code, Measurement.period)
        ).all()
        # the tree depth first, siblings by code: the same order whatever the ids are, so a
        # file exported, imported elsewhere and exported again is the same file
        kids: dict[int | None, list[Target]] = {}
        for tg in targets:
            kids.setdefault(tg.parent_id, []).append(tg)
        ordered: list[Target] = []

        def walk(parent: int | None) -> None:
            for tg in sorted(kids.get(parent, []), key=lambda x: x.code):
                ordered.append(tg)
                walk(tg.id)

        walk(None)
        targets = ordered
        target_rows = [
            {
                "code": t.code,
                "parent": codes.get(t.parent_id) if t.parent_id else "",
                "label": t.label,
                "priority": pri.get(t.priority_id, "") if t.priority_id else "",
                "agency": ags[t.agency_id].code if t.agency_id else "",
                "period": t.period or "",
                "value_usd": t.value_usd,
            }
            for t in targets
            if t.parent_id is not None
        ]
        kpi_rows = [
            {
                "code": k.code,
                "agency": ags[k.agency_id].code,
                "priority": pri.get(k.priority_id, "") if k.priority_id else "",
                "name": k.name,
                "unit": k.unit,
                "source": k.source,
                "hs_codes": " ".join(k.hs_codes),
                "partners": " ".join(k.partners),
                "target_value": k.target_value if k.target_value is not None else "",
            }
            for k in kp
        ]
        meas_rows = [
            {"kpi": code, "period": m.period, "value": m.value, "source": m.source}
            for code, m in meas
        ]
    used = (
        {a["agency"] for a in view["actions"]}
        | {k["agency"] for k in kpi_rows}
        | {t["agency"] for t in target_rows if t["agency"]}
    )
    agency_rows = []
    for a in view["agencies"]:
        if a["code"] not in used:
            continue
        head = a["head"] or {}
        agency_rows.append(
            {
                "code": a["code"],
                "name_en": a["name_en"],
                "name_fa": a["name_fa"],
                "kind": a["kind"],
                "head": head.get("name_en", ""),
                "head_fa": head.get("name_fa", ""),
                "head_since": head.get("since_sh", ""),
            }
        )
    return {
        "program": {
            "region": p["region"],
            "region_fa": p["region_fa"],
            "country": _country(db, program_id),
            "sh_year": p["sh_year"],
            "definition": p["definition"],
            "name": p["name"],
            "target_usd": p["target_usd"],
        },
        "agencies": agency_rows,
        "priorities": [
            {
                "code": x["code"],
                "name_en": x["name_en"],
                "name_fa": x["name_fa"],
                "hs_codes": " ".join(x["hs_codes"]),
                "markets": " ".join(x["markets"]),
                "reason": x["reason"],
            }
            for x in view["priorities"]
        ],
        "targets": target_rows,
        "actions": [
            {
                "code": a["code"],
                "agency": a["agency"],
                "priority": a["priority"] or "",
                "title": a["title"],
                "description": a["description"],
                "start": a["start_sh"],
                "deadline": a["deadline_sh"],
                "status": a["status"],
                "progress": a["progress"],
                "evidence": a["evidence"],
            }
            for a in view["actions"]
        ],
        "kpis": kpi_rows,
        "measurements": meas_rows,
    }


def _country(db: ProgramDB, program_id: int) -> str:
    with db.session() as s:
        p = s.get(Program, program_id)
        assert p is not None
        r = s.get(Region, p.region_id)
        return r.country if r else ""


def export(db: ProgramDB, program_id: int, path: Path, *, lang: str = "en") -> None:
    data = program_data(db, program_id)
    suffix = path.suffix.lower()
    if suffix in (".yaml", ".yml"):
        import yaml

        path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
        return
    if suffix != ".xlsx":
        raise InputError(f"{path.name}: a program file is .xlsx, .yaml or .yml")
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = "program"
    ws.append(["key", "value"])
    for k in PROGRAM_KEYS:  # text that looks like a formula stays text (reference.cells)
        xlsx_append(ws, [k, data["program"][k]])
    for sheet, cols in SHEETS.items():
        sh = wb.create_sheet(sheet)
        sh.sheet_view.rightToLeft = lang == "fa"
        sh.append(cols)
        for row in data[sheet]:
            xlsx_append(sh, [row[c] for c in cols])
    ws.sheet_view.rightToLeft = lang == "fa"
    wb.save(path)


# ---- import --------------------------------------------------------------------------------


def read(path: Path) -> dict[str, Any]:
    """A program file as plain rows; a file that is not one is an error that says why."""
    if not path.exists():
        raise InputError(f"{path}: no such file")
    suffix = path.suffix.lower()
    if suffix in (".yaml", ".yml"):
        import yaml

        try:
            data = yaml.safe_load(path.read_text(encoding="utf-8"))
        except (yaml.YAMLError, UnicodeDecodeError) as exc:
            raise InputError(
                f"{path.name}: not readable YAML ({str(exc).splitlines()[0]})"
            ) from exc
        if not isinstance(data, dict) or not isinstance(data.get("program"), dict):
            raise InputError(f"{path.name}: a program file needs a 'program' mapping")
        for sheet in SHEETS:
            rows = data.get(sheet) or []
            if not isinstance(rows, list) or not all(isinstance(r, dict) for r in rows):
                raise InputError(f"{path.name}: '{sheet}' must be a list of rows")
            data[sheet] = rows
        return data
    if suffix != ".xlsx":
        raise InputError(f"{path.name}: a program file is .xlsx, .yaml or .yml")
    import zipfile

    from openpyxl import load_workbook
    from openpyxl.utils.exceptions import InvalidFileException

    check_archive(path)  # a zip bomb is refused before openpyxl unpacks it
    try:
        wb = load_workbook(path, read_only=True, data_only=True)
    except (zipfile.BadZipFile, InvalidFileException, KeyError, ValueError, OSError) as exc:
        raise InputError(
            f"{path.name}: not a readable Excel workbook ({type(exc).__name__})"
        ) from exc
    if "program" not in wb.sheetnames:
        raise InputError(
            f"{path.name}: no sheet 'program'; found {', '.join(wb.sheetnames)}",
            hint="start from a file written by `exportplan program export`",
        )
    out: dict[str, Any] = {"program": {}}
    for r in list(wb["program"].iter_rows(values_only=True))[1:]:
        if r and r[0] is not None:
            out["program"][str(r[0]).strip()] = r[1] if len(r) > 1 else None
    for sheet, cols in SHEETS.items():
        if sheet not in wb.sheetnames:
            out[sheet] = []
            continue
        rows = list(wb[sheet].iter_rows(values_only=True))
        if not rows:
            out[sheet] = []
            continue
        header = [str(c).strip() if c is not None else "" for c in rows[0]]
        missing = [c for c in cols if c not in header]
        if missing:
            raise InputError(
                f"{path.name}: sheet '{sheet}' lacks column(s) {', '.join(missing)}; expected "
                f"{', '.join(cols)}"
            )
        out[sheet] = [
            {c: r[header.index(c)] if header.index(c) < len(r) else None for c in cols}
            for r in rows[1:]
            if r and any(v not in (None, "") for v in r)
        ]
    wb.close()
    return out


__all__ = ["PROGRAM_KEYS", "SHEETS", "WorkbookError", "export", "program_data", "read"]
