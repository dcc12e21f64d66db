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

from exportplan.domain import DEFINITIONS
from exportplan.errors import InputError
from exportplan.i18n import Lang
from exportplan.i18n import label as t
from exportplan.ingest.archive import check_archive
from exportplan.reference import program_sheets
from exportplan.reference.cells import xlsx_append
from exportplan.reference.program_sheets import agency_kind_text
from exportplan.reference.text import digits, to_persian_digits
from exportplan.services.program.dossier import show
from exportplan.store.program.db import ProgramDB
from exportplan.store.program.models import (
    ACTION_STATUSES,
    AGENCY_KINDS,
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
        #: the summary's wording and values (its Persian in ``i18n.FA_ERRORS``; the problems
        #: themselves are worded by ``views.program_audit.problem_lines``)
        self.template = "{file}: {count} problem(s), nothing was imported"
        self.hint_template = "fix the rows named and import the file again"
        self.values: dict[str, object] = {"file": file, "count": len(problems)}
        super().__init__(
            f"{file}: {len(problems)} problem(s), nothing was imported: {shown}{more}",
            hint=self.hint_template,
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


#: Excel number formats of the columns holding numbers (sheet, column)
NUMBER_FORMATS: dict[tuple[str, str], str] = {
    ("program", "target_usd"): "#,##0",
    ("program", "sh_year"): "0",
    ("targets", "value_usd"): "#,##0",
    ("actions", "progress"): "0",
    ("kpis", "target_value"): "#,##0.##",
    ("measurements", "value"): "#,##0.##",
}
#: The columns holding Solar Hijri days (Persian digits in a Persian sheet)
DAY_COLUMNS = {("agencies", "head_since"), ("actions", "start"), ("actions", "deadline")}
#: The program sheet's columns: the field for people, its value, its machine name
PROGRAM_COLUMNS = ["field", "value", "key"]


def _lg(lang: str) -> Lang:
    return "fa" if lang == "fa" else "en"


def sheet_label(sheet: str, lang: str) -> str:
    """A sheet's name in ``lang`` (its tab in a workbook of that language): in English the
    machine name, as the files written before the Persian tabs named it."""
    if lang != "fa":
        return sheet
    return t(program_sheets.SHEETS_EN.get(sheet, sheet), "fa")


def column_label(sheet: str, column: str, lang: str) -> str:
    """A column's name for people in ``lang`` (the program sheet: its columns and fields)."""
    if sheet == "program":
        english = program_sheets.PROGRAM_HEADER.get(column) or program_sheets.PROGRAM_KEYS_EN.get(
            column, column
        )
    else:
        english = program_sheets.COLUMNS.get(sheet, {}).get(column, column)
    return t(english, _lg(lang))


def _number_format(sheet: str, column: str, value: Any) -> str | None:
    fmt = NUMBER_FORMATS.get((sheet, column))
    if fmt is None or not isinstance(value, int | float) or isinstance(value, bool):
        return None
    if fmt == "#,##0.##":  # Excel would show 5 as "5.": a whole number has no decimals
        return "#,##0" if float(value).is_integer() else "#,##0.0#"
    return fmt


#: The coded cells a Persian sheet writes in words, each word with the code it stands for
#: (an action's status, an agency's kind, the program's definition of exports); the import
#: reads the words of either language and the codes
CODE_WORDS: dict[tuple[str, str], dict[str, str]] = {
    ("actions", "status"): {t(s, "fa"): s for s in ACTION_STATUSES},
    ("agencies", "kind"): {
        w: k for k in AGENCY_KINDS for w in (agency_kind_text(k, "fa"), agency_kind_text(k, "en"))
    },
    ("program", "definition"): {t(d, "fa"): d for d in DEFINITIONS},
}
#: An action's status as a Persian sheet writes it, with the status it stands for
STATUS_WORDS: dict[str, str] = CODE_WORDS[("actions", "status")]


def _code_word(sheet: str, column: str, code: str) -> str:
    if (sheet, column) == ("agencies", "kind"):
        return agency_kind_text(code, "fa")
    return t(code, "fa")


def _cell_value(sheet: str, column: str, value: Any, lang: str) -> Any:
    """A cell as the sheet of ``lang`` writes it: in Persian, days in Persian digits and the
    coded cells (an action's status, an agency's kind, the definition) in Persian words (the
    import reads both back)."""
    if lang == "fa" and (sheet, column) in DAY_COLUMNS and isinstance(value, str):
        return to_persian_digits(value)
    if lang == "fa" and (sheet, column) in CODE_WORDS and isinstance(value, str):
        return _code_word(sheet, column, value)
    return value


def _code_of(sheet: str, column: str, value: Any) -> Any:
    """A coded cell as the store has it: a word of either language is its code."""
    words = CODE_WORDS.get((sheet, column))
    if words is None or not isinstance(value, str):
        return value
    return words.get(_cell_text(value), value)


def _write_sheet(ws: Any, sheet: str, cols: list[str], rows: list[list[Any]], lang: str) -> None:
    """A sheet: the columns' names in ``lang``, their machine names, then the rows (numbers as
    numbers with their formats); the two header rows stay in view when scrolling."""
    from openpyxl.styles import Font

    ws.sheet_view.rightToLeft = lang == "fa"
    ws.append([column_label(sheet, c, lang) for c in cols])
    ws.append(cols)
    for cell in ws[1]:
        cell.font = Font(bold=True)
    for cell in ws[2]:
        cell.font = Font(italic=True, color="666666")
    for values in rows:
        xlsx_append(ws, values)
        for j, c in enumerate(cols, start=1):
            cell = ws.cell(ws.max_row, j)
            fmt = _number_format(sheet, c if sheet != "program" else str(values[2]), cell.value)
            if fmt is not None and (sheet != "program" or c == "value"):
                cell.number_format = fmt
    ws.freeze_panes = "A3"
    for j, c in enumerate(cols, start=1):  # wide enough for the header and most cells
        widest = max(
            [len(str(column_label(sheet, c, lang))), len(c)]
            + [len(str(r[j - 1])) for r in rows[:200] if r[j - 1] is not None]
        )
        ws.column_dimensions[ws.cell(1, j).column_letter].width = min(60, max(8, widest + 2))


def export(db: ProgramDB, program_id: int, path: Path, *, lang: str = "en") -> None:
    """Write the program to ``path`` (.xlsx, .yaml or .yml). A workbook's sheets are named and
    headed in ``lang`` (a second header row holds the machine names the import reads),
    right-to-left in Persian, with Solar Hijri days in Persian digits there."""
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
    ws.title = sheet_label("program", lang)
    rows = [
        [column_label("program", k, lang), _cell_value("program", k, data["program"][k], lang), k]
        for k in PROGRAM_KEYS
    ]  # text that looks like a formula stays text (reference.cells)
    _write_sheet(ws, "program", PROGRAM_COLUMNS, rows, lang)
    for sheet, cols in SHEETS.items():
        sh = wb.create_sheet(sheet_label(sheet, lang))
        body = [[_cell_value(sheet, c, row[c], lang) for c in cols] for row in data[sheet]]
        _write_sheet(sh, sheet, cols, body, lang)
    wb.save(path)


# ---- import --------------------------------------------------------------------------------


def _names(sheet: str) -> dict[str, str]:
    """What a header cell of ``sheet`` may say (a machine name, or the name for people in
    either language), each with the machine name it stands for."""
    cols = PROGRAM_COLUMNS if sheet == "program" else SHEETS[sheet]
    out: dict[str, str] = {}
    for c in cols:
        for lang in ("en", "fa"):
            out[column_label(sheet, c, lang)] = c
        out[c] = c
    return out


#: A sheet's tab in either language, with the sheet it is
SHEET_NAMES: dict[str, str] = {
    name: sheet
    for sheet in ["program", *SHEETS]
    for name in (sheet, program_sheets.SHEETS_EN[sheet], sheet_label(sheet, "fa"))
}


def _cell_text(v: Any) -> str:
    return " ".join(str(v).split()) if v is not None else ""


def _header(
    file: str, sheet: str, rows: list[tuple[Any, ...]], cols: list[str]
) -> tuple[list[str], int]:
    """A sheet's header (machine names, one per column of the sheet) and the index of its
    first row of data: one header row (machine names, or names for people), or two (names
    for people, then machine names)."""
    names = _names(sheet)
    best: list[str] = []
    for i, row in enumerate(rows[:2]):
        mapped = [names.get(_cell_text(c), _cell_text(c)) for c in row]
        if all(c in mapped for c in cols):
            start = i + 1
            if i == 0 and len(rows) > 1:
                second = [_cell_text(c) for c in rows[1]]
                if all(c in second for c in cols):  # the machine names' row
                    mapped, start = [names.get(c, c) for c in second], 2
            return mapped, start
        if len([c for c in cols if c in mapped]) > len([c for c in cols if c in best]):
            best = mapped
    missing = [column_label(sheet, c, "en") + f" ({c})" for c in cols if c not in best]
    raise InputError(
        f"{file}: sheet '{sheet}' lacks column(s) {', '.join(missing)}; expected {', '.join(cols)}",
        hint="start from a file written by `exportplan program export`",
    )


def read(path: Path) -> dict[str, Any]:
    """A program file as plain rows; a file that is not one is an error that says why. A
    workbook's rows carry ``_row``, their row number in the sheet (as Excel shows it), and
    ``_program_rows`` the program sheet's row of each field."""
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
    tabs: dict[str, str] = {}
    for tab in wb.sheetnames:
        tabs.setdefault(SHEET_NAMES.get(_cell_text(tab), tab), tab)
    if "program" not in tabs:
        raise InputError(
            f"{path.name}: no sheet 'program'; found {', '.join(wb.sheetnames)}",
            hint="start from a file written by `exportplan program export`",
        )
    out: dict[str, Any] = {"program": {}, "_program_rows": {}}
    rows = list(wb[tabs["program"]].iter_rows(values_only=True))
    header, start = _header(path.name, "program", rows, ["value"])
    keys = {column_label("program", k, lg): k for k in PROGRAM_KEYS for lg in ("en", "fa")}
    for n, r in enumerate(rows[start:], start=start + 1):
        cells = dict(zip(header, r, strict=False))
        key = _cell_text(cells.get("key"))
        if not key:  # a sheet without the machine names' column: the field's name
            key = keys.get(_cell_text(cells.get("field")), "")
        if key:
            out["program"][key] = _code_of("program", key, cells.get("value"))
            out["_program_rows"][key] = n
    for sheet, cols in SHEETS.items():
        if sheet not in tabs:
            out[sheet] = []
            continue
        rows = list(wb[tabs[sheet]].iter_rows(values_only=True))
        if not rows:
            out[sheet] = []
            continue
        header, start = _header(path.name, sheet, rows, cols)
        at = {c: header.index(c) for c in cols}
        out[sheet] = [
            {"_row": n, **{c: r[at[c]] if at[c] < len(r) else None for c in cols}}
            for n, r in enumerate(rows[start:], start=start + 1)
            if r and any(v not in (None, "") for v in r)
        ]
        for row in out[sheet]:  # a Persian sheet's days and words: as the store has them
            for c in cols:
                if (sheet, c) in DAY_COLUMNS and isinstance(row[c], str):
                    row[c] = digits(row[c])
                elif (sheet, c) in CODE_WORDS:
                    row[c] = _code_of(sheet, c, row[c])
    wb.close()
    return out


__all__ = [
    "PROGRAM_KEYS",
    "SHEETS",
    "WorkbookError",
    "column_label",
    "export",
    "program_data",
    "read",
    "sheet_label",
]
