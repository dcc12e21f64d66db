"""A whole program as a workbook (xlsx) or YAML file, and back.

A secretary prepares the plan in a spreadsheet; ``exportplan program import`` reads it,
checks every row (each problem named by sheet, row and column), and only then writes it all
in one transaction: nothing is half-written. Importing the file ``program export`` wrote gives
the same program (the round trip is lossless and tested); importing it again changes nothing.

Sheets (YAML keys): ``program`` (key/value), ``agencies``, ``priorities``, ``targets``,
``actions``, ``kpis``, ``measurements``. Dates are Solar Hijri (``1404/05/01``); HS codes and
markets are space-separated lists; amounts are USD.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from exportplan.errors import ExportPlanError, InputError
from exportplan.services import program as svc
from exportplan.services.users import Actor
from exportplan.store.program_db import (
    ACTION_STATUSES,
    AGENCY_KINDS,
    DEFINITIONS,
    Action,
    Agency,
    Kpi,
    Measurement,
    Priority,
    Program,
    ProgramDB,
    Target,
    as_dict,
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
    view = svc.show(db, program_id)
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
    from exportplan.store.program_db import Region

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
    for k in PROGRAM_KEYS:
        ws.append([k, data["program"][k]])
    for sheet, cols in SHEETS.items():
        sh = wb.create_sheet(sheet)
        sh.sheet_view.rightToLeft = lang == "fa"
        sh.append(cols)
        for row in data[sheet]:
            sh.append([row[c] for c in cols])
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


@dataclass
class _Check:
    problems: list[tuple[str, int, str, str]] = field(default_factory=list)

    def add(self, sheet: str, row: int, col: str, msg: str) -> None:
        self.problems.append((sheet, row, col, msg))


def _text(v: Any) -> str:
    if v is None:
        return ""
    if isinstance(v, float) and v.is_integer():
        return str(int(v))
    return str(v).strip()


def _num(v: Any) -> float | None:
    if v is None or v == "":
        return None
    if isinstance(v, int | float):
        return float(v)
    from exportplan.reference.text import number_text

    return float(number_text(str(v)))


def _plan(data: dict[str, Any]) -> tuple[dict[str, Any], list[tuple[str, int, str, str]]]:
    """Check every row and return the cleaned plan, or the problems."""
    ck = _Check()
    p = data["program"]
    plan: dict[str, Any] = {}
    try:
        plan["program"] = {
            "region": _text(p.get("region")),
            "region_fa": _text(p.get("region_fa")),
            "country": _text(p.get("country")).upper() or "IRN",
            "sh_year": int(_num(p.get("sh_year")) or 0),
            "definition": _text(p.get("definition")) or "customs",
            "name": _text(p.get("name")),
            "target_usd": _num(p.get("target_usd")),
        }
    except ValueError as exc:
        ck.add("program", 0, "value", f"not a number ({exc})")
        return plan, ck.problems
    pg = plan["program"]
    if not pg["region"]:
        ck.add("program", 0, "region", "a program needs its region")
    if not 1300 <= pg["sh_year"] <= 1500:
        ck.add("program", 0, "sh_year", f"{p.get('sh_year')!r} is not a Solar Hijri year")
    if pg["definition"] not in DEFINITIONS:
        ck.add("program", 0, "definition", "customs or origin")
    if not (pg["target_usd"] or 0) > 0:
        ck.add("program", 0, "target_usd", "a positive amount in USD")

    def rows(sheet: str) -> list[tuple[int, dict[str, Any]]]:
        return [(i, r) for i, r in enumerate(data.get(sheet) or [], start=2)]

    def unique(sheet: str) -> set[str]:
        seen: set[str] = set()
        for i, r in rows(sheet):
            c = _text(r.get("code"))
            if not c or " " in c:
                ck.add(sheet, i, "code", f"{c!r}: a code is needed, without spaces")
            elif c in seen:
                ck.add(sheet, i, "code", f"{c!r} appears twice")
            seen.add(c)
        return seen

    agency_codes = unique("agencies")
    plan["agencies"] = []
    for i, r in rows("agencies"):
        kind = _text(r.get("kind")) or "other"
        if kind not in AGENCY_KINDS:
            ck.add("agencies", i, "kind", f"{kind!r}: one of {', '.join(AGENCY_KINDS)}")
        if not _text(r.get("name_en")):
            ck.add("agencies", i, "name_en", "an English name is needed")
        since = None
        if _text(r.get("head")):
            try:
                since = svc.parse_date(_text(r.get("head_since")), "head_since")
            except ExportPlanError as exc:
                ck.add("agencies", i, "head_since", exc.message)
        plan["agencies"].append(
            {**{k: _text(r.get(k)) for k in SHEETS["agencies"]}, "kind": kind, "since": since}
        )

    pri_codes = unique("priorities")
    plan["priorities"] = []
    for i, r in rows("priorities"):
        try:
            hs = svc.clean_hs_list([_text(r.get("hs_codes"))])
        except ExportPlanError as exc:
            ck.add("priorities", i, "hs_codes", exc.message)
            hs = []
        try:
            mk = svc._markets_list(_text(r.get("markets")))
        except ExportPlanError as exc:
            ck.add("priorities", i, "markets", exc.message)
            mk = []
        plan["priorities"].append(
            {
                "code": _text(r.get("code")),
                "name_en": _text(r.get("name_en")),
                "name_fa": _text(r.get("name_fa")),
                "hs_codes": hs,
                "markets": mk,
                "reason": _text(r.get("reason")),
            }
        )

    known_agencies = agency_codes | set(data.get("_existing_agencies", []))
    target_codes = unique("targets")
    plan["targets"] = []
    for i, r in rows("targets"):
        t: dict[str, Any] = {k: _text(r.get(k)) for k in SHEETS["targets"]}
        try:
            t["value_usd"] = _num(r.get("value_usd"))
        except ValueError:
            t["value_usd"] = None
        if t["value_usd"] is None or t["value_usd"] < 0:
            ck.add("targets", i, "value_usd", f"{r.get('value_usd')!r}: an amount in USD >= 0")
        t["parent"] = t["parent"] or svc.ROOT
        if t["code"] == svc.ROOT:
            ck.add("targets", i, "code", f"{svc.ROOT} is the program's total (sheet program)")
        if t["parent"] != svc.ROOT and t["parent"] not in target_codes:
            ck.add("targets", i, "parent", f"no target {t['parent']!r} in the sheet")
        if t["priority"] and t["priority"] not in pri_codes:
            ck.add("targets", i, "priority", f"no priority {t['priority']!r}")
        if t["agency"] and t["agency"] not in known_agencies:
            ck.add("targets", i, "agency", f"no agency {t['agency']!r}")
        if t["period"]:
            try:
                t["period"] = svc._check_period(t["period"], pg["sh_year"]) or ""
            except ExportPlanError as exc:
                ck.add("targets", i, "period", exc.message)
        plan["targets"].append((i, t))
    # the tree: no cycles, children within their parents
    by_code = {t["code"]: t for _i, t in plan["targets"]}
    for i, t in plan["targets"]:
        seen, cur = {t["code"]}, t["parent"]
        while cur != svc.ROOT and cur in by_code:
            if cur in seen:
                ck.add("targets", i, "parent", f"target {t['code']} is its own ancestor")
                break
            seen.add(cur)
            cur = by_code[cur]["parent"]
    sums: dict[str, float] = {}
    flagged: set[str] = set()
    for i, t in plan["targets"]:  # the row that takes its parent over is the one named
        parent = t["parent"]
        sums[parent] = sums.get(parent, 0.0) + (t["value_usd"] or 0.0)
        cap = (
            pg["target_usd"] if parent == svc.ROOT else (by_code.get(parent) or {}).get("value_usd")
        )
        if cap is not None and sums[parent] > cap + 1e-6 and parent not in flagged:
            flagged.add(parent)
            ck.add(
                "targets",
                i,
                "value_usd",
                f"with this row the targets under {parent} add up to USD {sums[parent]:,.0f}, "
                f"above its USD {cap:,.0f}",
            )

    unique("actions")
    plan["actions"] = []
    for i, r in rows("actions"):
        a: dict[str, Any] = {k: _text(r.get(k)) for k in SHEETS["actions"]}
        if a["agency"] not in known_agencies:
            ck.add("actions", i, "agency", f"no agency {a['agency']!r}")
        if a["priority"] and a["priority"] not in pri_codes:
            ck.add("actions", i, "priority", f"no priority {a['priority']!r}")
        if not a["title"]:
            ck.add("actions", i, "title", "a title is needed")
        d0 = d1 = None
        for col in ("start", "deadline"):
            try:
                val = svc.parse_date(_date_text(r.get(col)), col)
                d0, d1 = (val, d1) if col == "start" else (d0, val)
            except ExportPlanError as exc:
                ck.add("actions", i, col, exc.message)
        if d0 and d1 and d1 < d0:
            ck.add("actions", i, "deadline", f"{a['deadline']} is before the start {a['start']}")
        a["start"], a["deadline"] = d0, d1
        a["status"] = a["status"] or "planned"
        if a["status"] not in ACTION_STATUSES:
            ck.add("actions", i, "status", f"{a['status']!r}: one of {', '.join(ACTION_STATUSES)}")
        try:
            prog = _num(r.get("progress"))
            a["progress"] = int(prog or 0)
            if not 0 <= a["progress"] <= 100:
                raise ValueError
        except ValueError:
            ck.add("actions", i, "progress", f"{r.get('progress')!r}: a percentage 0-100")
        plan["actions"].append(a)

    kpi_codes = unique("kpis")
    plan["kpis"] = []
    for i, r in rows("kpis"):
        k: dict[str, Any] = {c: _text(r.get(c)) for c in SHEETS["kpis"]}
        if k["agency"] not in known_agencies:
            ck.add("kpis", i, "agency", f"no agency {k['agency']!r}")
        if k["priority"] and k["priority"] not in pri_codes:
            ck.add("kpis", i, "priority", f"no priority {k['priority']!r}")
        if k["source"] not in ("data", "manual"):
            ck.add("kpis", i, "source", "data or manual")
        kpi_hs: list[str] = []
        if k["hs_codes"] or k["source"] == "data":
            try:
                kpi_hs = svc.clean_hs_list([k["hs_codes"]], "hs_codes")
            except ExportPlanError as exc:
                ck.add("kpis", i, "hs_codes", exc.message)
        pt: list[str] = []
        if k["partners"]:
            try:
                pt = svc._markets_list(k["partners"])
            except ExportPlanError as exc:
                ck.add("kpis", i, "partners", exc.message)
        try:
            tv = _num(r.get("target_value"))
        except ValueError:
            ck.add("kpis", i, "target_value", "a number")
            tv = None
        plan["kpis"].append(
            {
                **k,
                "hs_codes": kpi_hs,
                "partners": pt,
                "target_value": tv,
                "unit": k["unit"] or "USD",
            }
        )

    plan["measurements"] = []
    seen_m: set[tuple[str, str]] = set()
    for i, r in rows("measurements"):
        m: dict[str, Any] = {c: _text(r.get(c)) for c in SHEETS["measurements"]}
        if m["kpi"] not in kpi_codes:
            ck.add("measurements", i, "kpi", f"no KPI {m['kpi']!r}")
        try:
            per = svc._check_period(m["period"], pg["sh_year"])
            if per is None or "Q" in per:
                raise InputError("a Solar Hijri month, e.g. 1404-05")
            m["period"] = per
        except ExportPlanError as exc:
            ck.add("measurements", i, "period", exc.message)
        if (m["kpi"], m["period"]) in seen_m:
            ck.add("measurements", i, "period", f"{m['kpi']} {m['period']} appears twice")
        seen_m.add((m["kpi"], m["period"]))
        try:
            m["value"] = _num(r.get("value"))
            if m["value"] is None:
                raise ValueError
        except ValueError:
            ck.add("measurements", i, "value", f"{r.get('value')!r}: a number")
        plan["measurements"].append(m)
    return plan, ck.problems


def _date_text(v: Any) -> str:
    if isinstance(v, dt.datetime):
        return v.date().isoformat()
    if isinstance(v, dt.date):
        return v.isoformat()
    return _text(v)


def import_file(db: ProgramDB, actor: Actor, path: Path) -> dict[str, Any]:
    """Create or update the program a file describes (matched by region, year and definition),
    all or nothing; returns what changed."""
    actor.require(*svc.EDITORS)
    data = read(path)
    with db.session() as s:
        data["_existing_agencies"] = list(s.scalars(select(Agency.code)).all())
    plan, problems = _plan(data)
    if problems:
        raise WorkbookError(path.name, problems)
    counts = {k: 0 for k in ("created", "updated", "unchanged")}
    with db.session() as s:
        pid = _apply(s, actor, plan, counts)
        s.flush()
        _verify_tree(s, pid, path.name)
    return {"program_id": pid, **counts}


def _verify_tree(s: Session, program_id: int, file: str) -> None:
    """With targets already in the store that the file does not name, the tree must still
    hold: each node's children within it (else everything is rolled back)."""
    nodes = s.scalars(select(Target).where(Target.program_id == program_id)).all()
    by_id = {t.id: t for t in nodes}
    sums: dict[int, float] = {}
    for t in nodes:
        if t.parent_id is not None:
            sums[t.parent_id] = sums.get(t.parent_id, 0.0) + t.value_usd
    for pid, total in sums.items():
        parent = by_id[pid]
        if total > parent.value_usd + 1e-6:
            raise WorkbookError(
                file,
                [
                    (
                        "targets",
                        0,
                        "value_usd",
                        f"with the targets already in the program, those under {parent.code} "
                        f"would add up to USD {total:,.0f}, above its USD {parent.value_usd:,.0f}",
                    )
                ],
            )


def _upsert(
    s: Session,
    actor: Actor,
    obj: Any,
    model: Any,
    values: dict[str, Any],
    entity: str,
    counts: dict[str, int],
    *,
    program_id: int | None = None,
    agency_id: int | None = None,
) -> Any:
    if obj is None:
        obj = model(**values)
        s.add(obj)
        s.flush()
        counts["created"] += 1
        svc.audit(
            s,
            actor,
            "create",
            entity,
            obj.id,
            None,
            as_dict(obj),
            program_id=program_id,
            agency_id=agency_id,
        )
        return obj
    before = as_dict(obj)
    changed = False
    for k, v in values.items():
        if getattr(obj, k) != v:
            setattr(obj, k, v)
            changed = True
    if changed:
        s.flush()
        counts["updated"] += 1
        svc.audit(
            s,
            actor,
            "update",
            entity,
            obj.id,
            before,
            as_dict(obj),
            program_id=program_id,
            agency_id=agency_id,
        )
    else:
        counts["unchanged"] += 1
    return obj


def _apply(s: Session, actor: Actor, plan: dict[str, Any], counts: dict[str, int]) -> int:
    from exportplan.store.program_db import Person, Term

    pg = plan["program"]
    region = svc.ensure_region(s, pg["region"], pg["country"], pg["region_fa"])
    prog = s.scalar(
        select(Program).where(
            Program.region_id == region.id,
            Program.sh_year == pg["sh_year"],
            Program.definition == pg["definition"],
        )
    )
    prog = _upsert(
        s,
        actor,
        prog,
        Program,
        {
            "region_id": region.id,
            "sh_year": pg["sh_year"],
            "definition": pg["definition"],
            "name": pg["name"] or f"{pg['region']} export program {pg['sh_year']}",
            "target_usd": float(pg["target_usd"]),
        },
        "program",
        counts,
    )
    pid = prog.id
    root = s.scalar(select(Target).where(Target.program_id == pid, Target.parent_id.is_(None)))
    root = _upsert(
        s,
        actor,
        root,
        Target,
        {
            "program_id": pid,
            "parent_id": None,
            "code": svc.ROOT,
            "label": "the program's total",
            "value_usd": float(pg["target_usd"]),
        },
        "target",
        counts,
        program_id=pid,
    )
    ag_ids: dict[str, int] = {a.code: a.id for a in s.scalars(select(Agency))}
    obj: Any
    for a in plan["agencies"]:
        obj = s.scalar(select(Agency).where(Agency.code == a["code"]))
        obj = _upsert(
            s,
            actor,
            obj,
            Agency,
            {
                "code": a["code"],
                "name_en": a["name_en"],
                "name_fa": a["name_fa"],
                "kind": a["kind"],
            },
            "agency",
            counts,
            agency_id=None,
        )
        ag_ids[a["code"]] = obj.id
        if a["head"] and a["since"]:
            cur = s.scalars(
                select(Term).where(
                    Term.agency_id == obj.id, Term.end.is_(None), Term.title == "head"
                )
            ).all()
            person = s.scalar(select(Person).where(Person.name_en == a["head"]))
            same = person is not None and any(
                t.person_id == person.id and t.start == a["since"] for t in cur
            )
            if not same:
                for t in cur:
                    if t.start < a["since"]:
                        t.end = a["since"] - dt.timedelta(days=1)
                if person is None:
                    person = Person(name_en=a["head"], name_fa=a["head_fa"], email="")
                    s.add(person)
                    s.flush()
                term = Term(
                    agency_id=obj.id, person_id=person.id, title="head", start=a["since"], end=None
                )
                s.add(term)
                s.flush()
                counts["created"] += 1
                svc.audit(
                    s,
                    actor,
                    "create",
                    "term",
                    term.id,
                    None,
                    {"agency": a["code"], "head": a["head"]},
                    agency_id=obj.id,
                )
    pri_ids: dict[str, int] = {}
    for p in plan["priorities"]:
        obj = s.scalar(
            select(Priority).where(Priority.program_id == pid, Priority.code == p["code"])
        )
        obj = _upsert(
            s, actor, obj, Priority, {"program_id": pid, **p}, "priority", counts, program_id=pid
        )
        pri_ids[p["code"]] = obj.id
    tg_ids: dict[str, int] = {svc.ROOT: root.id}
    pending = [t for _i, t in plan["targets"]]
    while pending:  # parents before children
        ready = [t for t in pending if t["parent"] in tg_ids]
        for t in ready:
            obj = s.scalar(select(Target).where(Target.program_id == pid, Target.code == t["code"]))
            obj = _upsert(
                s,
                actor,
                obj,
                Target,
                {
                    "program_id": pid,
                    "parent_id": tg_ids[t["parent"]],
                    "code": t["code"],
                    "label": t["label"],
                    "priority_id": pri_ids.get(t["priority"]) if t["priority"] else None,
                    "agency_id": ag_ids.get(t["agency"]) if t["agency"] else None,
                    "period": t["period"] or None,
                    "value_usd": float(t["value_usd"]),
                },
                "target",
                counts,
                program_id=pid,
            )
            tg_ids[t["code"]] = obj.id
        pending = [t for t in pending if t["code"] not in tg_ids]
        if not ready:
            break
    for a in plan["actions"]:
        obj = s.scalar(select(Action).where(Action.program_id == pid, Action.code == a["code"]))
        _upsert(
            s,
            actor,
            obj,
            Action,
            {
                "program_id": pid,
                "agency_id": ag_ids[a["agency"]],
                "priority_id": pri_ids.get(a["priority"]) if a["priority"] else None,
                "code": a["code"],
                "title": a["title"],
                "description": a["description"],
                "start": a["start"],
                "deadline": a["deadline"],
                "status": a["status"],
                "progress": a["progress"],
                "evidence": a["evidence"],
            },
            "action",
            counts,
            program_id=pid,
            agency_id=ag_ids[a["agency"]],
        )
    kpi_ids: dict[str, int] = {}
    for k in plan["kpis"]:
        obj = s.scalar(select(Kpi).where(Kpi.program_id == pid, Kpi.code == k["code"]))
        obj = _upsert(
            s,
            actor,
            obj,
            Kpi,
            {
                "program_id": pid,
                "agency_id": ag_ids[k["agency"]],
                "priority_id": pri_ids.get(k["priority"]) if k["priority"] else None,
                "code": k["code"],
                "name": k["name"],
                "unit": k["unit"],
                "source": k["source"],
                "hs_codes": k["hs_codes"],
                "partners": k["partners"],
                "target_value": k["target_value"],
            },
            "kpi",
            counts,
            program_id=pid,
            agency_id=ag_ids[k["agency"]],
        )
        kpi_ids[k["code"]] = obj.id
    for m in plan["measurements"]:
        kid = kpi_ids[m["kpi"]]
        obj = s.scalar(
            select(Measurement).where(Measurement.kpi_id == kid, Measurement.period == m["period"])
        )
        values = {
            "kpi_id": kid,
            "period": m["period"],
            "value": float(m["value"]),
            "source": m["source"] or "imported",
        }
        if obj is None:
            values["recorded_by"] = actor.username
        _upsert(s, actor, obj, Measurement, values, "measurement", counts, program_id=pid)
    return int(pid)
