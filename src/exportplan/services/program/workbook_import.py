"""Importing a program file: every row checked and applied with the rules of the single
edits, in one write, all or nothing.

A secretary prepares the plan in a spreadsheet; ``exportplan program import`` reads it in two
passes. The first reads the cells: numbers, dates, codes unique in their sheet, references to
rows of the file (or agencies of the store), the target tree without cycles. The second opens
ONE write and calls, row by row, the same functions a single edit calls (a new action is
:func:`~exportplan.services.program.actions.new_action`, a target
:func:`~exportplan.services.program.targets.put_target`...); what they refuse is named by sheet,
row and column. If anything was refused nothing is written. A row equal to what the store holds
is left alone, so importing the file ``program export`` wrote changes nothing.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

from sqlalchemy import select

from exportplan.auth import Actor, check
from exportplan.errors import ConflictError, ExportPlanError
from exportplan.reference.numbers import NumberError, parse_number
from exportplan.reference.text import shorten
from exportplan.services.program.actions import change_action, new_action
from exportplan.services.program.agencies import (
    agencies,
    change_agency,
    new_agency,
    new_head,
)
from exportplan.services.program.kpis import (
    change_kpi,
    month_versions,
    new_kpi,
    record_measurement,
)
from exportplan.services.program.plan import (
    change_priority,
    change_program,
    find_program,
    new_priority,
    new_program,
)
from exportplan.services.program.targets import put_target
from exportplan.services.program.validation import ROOT, RuleError, check_period, parse_date
from exportplan.services.program.workbook import (
    PROGRAM_KEYS,
    SHEETS,
    WorkbookError,
    program_data,
    read,
)
from exportplan.store.program.db import ProgramDB
from exportplan.store.program.models import Action, Agency, Kpi, Priority, Program, Region
from exportplan.store.program.queries import program_refs
from exportplan.store.program.writes import Change, write

Problem = tuple[str, int, str, str]
T = TypeVar("T")
ORDER = ["program", *SHEETS]


@dataclass
class _Check:
    """The problems found so far, and the rows (sheet, code) that were refused."""

    problems: list[Problem] = field(default_factory=list)
    refused: set[tuple[str, str]] = field(default_factory=set)
    #: the program sheet's row of each field (a workbook's; a YAML file has none)
    program_rows: dict[str, int] = field(default_factory=dict)

    def add(self, sheet: str, row: int, col: str, msg: str, code: str = "") -> None:
        if sheet == "program" and not row and col in self.program_rows:
            row, col = self.program_rows[col], "value"  # the field's row, its value's cell
        self.problems.append((sheet, row, col, msg))
        self.refused.add((sheet, code))

    def ok(self, sheet: str, code: str) -> bool:
        return (sheet, code) not in self.refused

    def sorted(self) -> list[Problem]:
        return sorted(self.problems, key=lambda p: (ORDER.index(p[0]), p[1]))


def _text(v: Any) -> str:
    if v is None:
        return ""
    if isinstance(v, float) and v.is_integer():
        return str(int(v))
    return str(v).strip()


def _num(v: Any) -> float | None:
    """A cell's number: a typed number as it is, text under the decimal point convention
    (:func:`~exportplan.reference.numbers.parse_number`); NaN, infinities and numbers too
    large for a float are refused (:class:`~exportplan.reference.numbers.NumberError`)."""
    if v is None or v == "":
        return None
    if isinstance(v, bool):
        raise NumberError(f"{v!r} is not a number")
    if isinstance(v, int | float):
        try:
            f = float(v)
        except OverflowError:
            raise NumberError(f"{_shown(v)} is too large") from None
        if not math.isfinite(f):
            raise NumberError(f"{_shown(v)} is not a finite number")
        return f
    return parse_number(str(v))


def _shown(v: Any) -> str:
    """A cell as an error names it, bounded in length."""
    return shorten(repr(v))


def _date_text(v: Any) -> str:
    if isinstance(v, dt.datetime):
        return v.date().isoformat()
    if isinstance(v, dt.date):
        return v.isoformat()
    return _text(v)


def _same(row: dict[str, Any], stored: dict[str, Any] | None, cols: list[str]) -> bool:
    """Whether a file's row says what the store holds (as ``program export`` writes it)."""
    return stored is not None and all(_text(row.get(c)) == _text(stored.get(c)) for c in cols)


# ---- the first pass: the cells -------------------------------------------------------------


def _plan(data: dict[str, Any], ck: _Check) -> dict[str, Any] | None:
    """The file's rows with their cells read (numbers, dates, references); None if the
    program sheet itself cannot be read."""
    p = data["program"]
    ck.program_rows = dict(data.get("_program_rows") or {})
    pg: dict[str, Any] = {
        "region": _text(p.get("region")),
        "region_fa": _text(p.get("region_fa")),
        "country": _text(p.get("country")).upper() or "IRN",
        "definition": _text(p.get("definition")) or "customs",
        "name": _text(p.get("name")),
    }
    for key in ("sh_year", "target_usd"):
        try:
            pg[key] = _num(p.get(key))
        except ValueError as exc:
            ck.add("program", 0, key, f"not a number ({shorten(str(exc))})")
            return None
    pg["sh_year"] = int(pg["sh_year"] or 0)
    if not pg["region"]:
        ck.add("program", 0, "region", "a program needs its region")
        return None
    plan: dict[str, Any] = {"program": pg}

    def rows(sheet: str) -> list[tuple[int, dict[str, Any]]]:
        # a workbook's row as Excel numbers it; a YAML file's rows counted from 2
        return [(int(r.get("_row", i)), r) for i, r in enumerate(data.get(sheet) or [], start=2)]

    def unique(sheet: str) -> set[str]:
        seen: set[str] = set()
        for i, r in rows(sheet):
            c = _text(r.get("code"))
            if not c or " " in c:
                ck.add(sheet, i, "code", f"{c!r}: a code is needed, without spaces", c)
            elif c in seen:
                ck.add(sheet, i, "code", f"{c!r} appears twice", c)
            seen.add(c)
        return seen

    agency_codes = unique("agencies")
    plan["agencies"] = []
    for i, r in rows("agencies"):
        a: dict[str, Any] = {k: _text(r.get(k)) for k in SHEETS["agencies"]}
        a["kind"] = a["kind"] or "other"
        a["since"] = None
        if a["head"]:
            try:
                a["since"] = parse_date(_text(r.get("head_since")), "head_since")
            except ExportPlanError as exc:
                ck.add("agencies", i, "head_since", exc.message, a["code"])
        plan["agencies"].append((i, a))

    pri_codes = unique("priorities")
    plan["priorities"] = [
        (i, {k: _text(r.get(k)) for k in SHEETS["priorities"]}) for i, r in rows("priorities")
    ]

    known_agencies = agency_codes | set(data.get("_existing_agencies", []))

    def refs(sheet: str, i: int, x: dict[str, Any], *, agency_needed: bool) -> None:
        if (agency_needed or x["agency"]) and x["agency"] not in known_agencies:
            ck.add(sheet, i, "agency", f"no agency {x['agency']!r}", x.get("code", ""))
        if x["priority"] and x["priority"] not in pri_codes:
            ck.add(sheet, i, "priority", f"no priority {x['priority']!r}", x.get("code", ""))

    target_codes = unique("targets")
    plan["targets"] = []
    for i, r in rows("targets"):
        t: dict[str, Any] = {k: _text(r.get(k)) for k in SHEETS["targets"]}
        why = ""
        try:
            t["value_usd"] = _num(r.get("value_usd"))
        except ValueError as exc:
            t["value_usd"], why = None, f" ({exc})"
        if t["value_usd"] is None:
            ck.add(
                "targets",
                i,
                "value_usd",
                f"{_shown(r.get('value_usd'))}: an amount in USD >= 0{why}",
                t["code"],
            )
        t["parent"] = t["parent"] or ROOT
        if t["parent"] != ROOT and t["parent"] not in target_codes:
            ck.add("targets", i, "parent", f"no target {t['parent']!r} in the sheet", t["code"])
        refs("targets", i, t, agency_needed=False)
        plan["targets"].append((i, t))
    by_code = {t["code"]: t for _i, t in plan["targets"]}
    for i, t in plan["targets"]:  # the tree: no cycles
        seen, cur = {t["code"]}, t["parent"]
        while cur != ROOT and cur in by_code:
            if cur in seen:
                ck.add("targets", i, "parent", f"target {t['code']} is its own ancestor", t["code"])
                break
            seen.add(cur)
            cur = by_code[cur]["parent"]

    unique("actions")
    plan["actions"] = []
    for i, r in rows("actions"):
        a = {k: _text(r.get(k)) for k in SHEETS["actions"]}
        refs("actions", i, a, agency_needed=True)
        for col in ("start", "deadline"):
            try:
                a[col + "_day"] = parse_date(_date_text(r.get(col)), col)
            except ExportPlanError as exc:
                ck.add("actions", i, col, exc.message, a["code"])
        try:
            a["progress_n"] = int(_num(r.get("progress")) or 0)
        except ValueError:
            ck.add(
                "actions",
                i,
                "progress",
                f"{_shown(r.get('progress'))}: a percentage 0-100",
                a["code"],
            )
        plan["actions"].append((i, a))

    kpi_codes = unique("kpis")
    plan["kpis"] = []
    for i, r in rows("kpis"):
        k: dict[str, Any] = {c: _text(r.get(c)) for c in SHEETS["kpis"]}
        refs("kpis", i, k, agency_needed=True)
        try:
            k["target_number"] = _num(r.get("target_value"))
        except ValueError as exc:
            ck.add("kpis", i, "target_value", f"a number ({exc})", k["code"])
        plan["kpis"].append((i, k))

    plan["measurements"] = []
    seen_m: set[tuple[str, str]] = set()
    for i, r in rows("measurements"):
        m: dict[str, Any] = {c: _text(r.get(c)) for c in SHEETS["measurements"]}
        key = f"{m['kpi']} {m['period']}"
        if m["kpi"] not in kpi_codes:
            ck.add("measurements", i, "kpi", f"no KPI {m['kpi']!r}", key)
        try:
            per = check_period(m["period"], pg["sh_year"]) or m["period"]
        except ExportPlanError:
            per = m["period"]  # the second pass names the problem
        if (m["kpi"], per) in seen_m:
            ck.add("measurements", i, "period", f"{m['kpi']} {per} appears twice", key)
        seen_m.add((m["kpi"], per))
        try:
            m["number"] = _num(r.get("value"))
            if m["number"] is None:
                raise ValueError
        except ValueError as exc:
            why = f" ({exc})" if str(exc) else ""
            ck.add("measurements", i, "value", f"{_shown(r.get('value'))}: a number{why}", key)
        plan["measurements"].append((i, m))
    return plan


# ---- the second pass: the rules, in one write ----------------------------------------------


def _row(
    ck: _Check, at: tuple[str, int, str], default_col: str, fn: Callable[..., T], **kw: Any
) -> T | None:
    """Apply one row with ``fn`` (the function a single edit calls); what its rules refuse
    becomes a problem of that row (sheet, row, column)."""
    sheet, i, code = at
    try:
        return fn(**kw)
    except ConflictError:
        raise
    except RuleError as exc:
        cols = PROGRAM_KEYS if sheet == "program" else SHEETS[sheet]
        ck.add(sheet, i, exc.field if exc.field in cols else default_col, exc.message, code)
    except ExportPlanError as exc:
        ck.add(sheet, i, default_col, exc.message, code)
    return None


def _stored(db: ProgramDB, pg: dict[str, Any]) -> dict[str, dict[str, dict[str, Any]]]:
    """What the store holds of the program the file describes, as the file would say it."""
    refs = program_refs(db, region=pg["region"], sh_year=pg["sh_year"], definition=pg["definition"])
    # each month's version, read BEFORE the values and checked again by the write (0: no
    # value): a save that lands after this read makes the write refuse, even one that lands
    # between the two reads (read the other way round, the values would be the old ones and
    # the version the new one, and the import would overwrite that save)
    versions: dict[str, int] = {}
    if refs:
        with db.session() as s:
            versions = month_versions(s, refs[0].id)
    data = program_data(db, refs[0].id) if refs else {}
    out = {s: {r["code"]: r for r in data.get(s, [])} for s in SHEETS if s != "measurements"}
    out["measurements"] = {f"{r['kpi']} {r['period']}": r for r in data.get("measurements", [])}
    for key, row in out["measurements"].items():
        row["version"] = versions.get(key, 0)
    for a in agencies(db):  # every agency of the store, not only those the program uses
        head = a["head"] or {}
        out["agencies"][a["code"]] = {
            **a,
            "head": head.get("name_en", ""),
            "head_fa": head.get("name_fa", ""),
            "head_since": head.get("since_sh", ""),
        }
    return out


@dataclass
class _Apply:
    """The second pass over one program: each sheet's rows through the single edits' rules."""

    ch: Change
    plan: dict[str, Any]
    stored: dict[str, dict[str, dict[str, Any]]]
    ck: _Check
    unchanged: int = 0

    def same(self, sheet: str, key: str, row: dict[str, Any], cols: list[str]) -> bool:
        if _same(row, self.stored[sheet].get(key), cols):
            self.unchanged += 1
            return True
        return False

    def find(self, model: Any, **where: Any) -> Any:
        return self.ch.session.scalar(
            select(model).where(*(getattr(model, k) == v for k, v in where.items()))
        )

    def program(self) -> Program | None:
        pg, ck, ch = self.plan["program"], self.ck, self.ch
        name = pg["name"] or f"{pg['region']} export program {pg['sh_year']}"
        region = self.find(Region, name_en=pg["region"])
        prog = find_program(ch, region, pg["sh_year"], pg["definition"]) if region else None
        at = ("program", 0, "")
        if prog is None:
            return _row(
                ck, at, "value", new_program, ch=ch, region=pg["region"], country=pg["country"],
                sh_year=pg["sh_year"], target_usd=pg["target_usd"] or 0,
                definition=pg["definition"], name=name, region_fa=pg["region_fa"],
            )  # fmt: skip
        if prog.name != name or prog.target_usd != pg["target_usd"]:
            _row(ck, at, "target_usd", change_program, ch=ch, p=prog,
                 target_usd=pg["target_usd"], name=name)  # fmt: skip
        return prog

    def agencies(self) -> None:
        ck, ch = self.ck, self.ch
        for i, a in self.plan["agencies"]:
            code = a["code"]
            if not ck.ok("agencies", code):
                continue
            at = ("agencies", i, code)
            if not self.same("agencies", code, a, ["name_en", "name_fa", "kind"]):
                obj = self.find(Agency, code=code)
                fields = {"name_en": a["name_en"], "name_fa": a["name_fa"], "kind": a["kind"]}
                if obj is None:
                    _row(ck, at, "code", new_agency, ch=ch, code=code, **fields)
                else:
                    _row(ck, at, "code", change_agency, ch=ch, a=obj, **fields)
            old = self.stored["agencies"].get(code)
            if a["since"] and ck.ok("agencies", code) and not _same(a, old, ["head", "head_since"]):
                _row(ck, at, "head", new_head, ch=ch, a=self.find(Agency, code=code),
                     name_en=a["head"], name_fa=a["head_fa"], start=a["since"],
                     what="head_since")  # fmt: skip

    def priorities(self, pid: int) -> None:
        ck, ch = self.ck, self.ch
        for i, p in self.plan["priorities"]:
            code = p["code"]
            if not ck.ok("priorities", code) or self.same(
                "priorities", code, p, SHEETS["priorities"]
            ):
                continue
            fields = {
                "hs_codes": [p["hs_codes"]],
                "markets": p["markets"],
                "name_en": p["name_en"],
                "name_fa": p["name_fa"],
                "reason": p["reason"],
            }
            obj = self.find(Priority, program_id=pid, code=code)
            at = ("priorities", i, code)
            if obj is None:
                _row(ck, at, "code", new_priority, ch=ch, program_id=pid, code=code, **fields)
            else:
                _row(ck, at, "code", change_priority, ch=ch, pr=obj, **fields)

    def targets(self, prog: Program) -> None:
        ck, ch = self.ck, self.ch
        done: set[str] = {ROOT}
        pending = list(self.plan["targets"])
        while pending:  # parents before children
            ready = [x for x in pending if x[1]["parent"] in done]
            for i, t in ready:
                code = t["code"]
                done.add(code)
                if not all(
                    ck.ok(sheet, c)
                    for sheet, c in (
                        ("targets", code),
                        ("targets", t["parent"]),
                        ("priorities", t["priority"]),
                        ("agencies", t["agency"]),
                    )
                ):
                    ck.refused.add(("targets", code))  # its children wait for it
                    continue
                if self.same("targets", code, t, SHEETS["targets"]):
                    continue
                done_ = _row(
                    ck, ("targets", i, code), "code", put_target, ch=ch, p=prog, code=code,
                    value_usd=t["value_usd"], parent=t["parent"], label=t["label"],
                    priority=t["priority"] or None, agency=t["agency"] or None,
                    period=t["period"] or None,
                )  # fmt: skip
                if done_ is None:
                    ck.refused.add(("targets", code))
            pending = [x for x in pending if x[1]["code"] not in done]
            if not ready:
                break

    def actions(self, pid: int) -> None:
        ck, ch = self.ck, self.ch
        for i, a in self.plan["actions"]:
            code = a["code"]
            if not (
                ck.ok("actions", code)
                and ck.ok("agencies", a["agency"])
                and ck.ok("priorities", a["priority"])
            ) or self.same("actions", code, a, SHEETS["actions"]):
                continue
            fields: dict[str, Any] = {
                "agency": a["agency"],
                "title": a["title"],
                "description": a["description"],
                "start": a["start_day"],
                "deadline": a["deadline_day"],
                "status": a["status"] or "planned",
                "progress": a["progress_n"],
                "evidence": a["evidence"],
            }
            obj = self.find(Action, program_id=pid, code=code)
            at = ("actions", i, code)
            if obj is None:
                _row(ck, at, "code", new_action, ch=ch, program_id=pid, code=code,
                     priority=a["priority"] or None, **fields)  # fmt: skip
            else:
                _row(ck, at, "code", change_action, ch=ch, a=obj, priority=a["priority"],
                     **fields)  # fmt: skip

    def kpis(self, pid: int) -> None:
        ck, ch = self.ck, self.ch
        for i, k in self.plan["kpis"]:
            code = k["code"]
            if not (
                ck.ok("kpis", code)
                and ck.ok("agencies", k["agency"])
                and ck.ok("priorities", k["priority"])
            ):
                ck.refused.add(("kpis", code))  # its measurements wait for it
                continue
            if self.same("kpis", code, k, SHEETS["kpis"]):
                continue
            fields: dict[str, Any] = {
                "agency": k["agency"],
                "name": k["name"],
                "source": k["source"],
                "hs_codes": [k["hs_codes"]] if k["hs_codes"] else [],
                "partners": k["partners"],
                "unit": k["unit"] or "USD",
                "target_value": k["target_number"],
                "priority": k["priority"] or None,
            }
            obj = self.find(Kpi, program_id=pid, code=code)
            at = ("kpis", i, code)
            if obj is None:
                res = _row(ck, at, "code", new_kpi, ch=ch, program_id=pid, code=code, **fields)
            else:
                res = _row(ck, at, "code", change_kpi, ch=ch, k=obj, **fields)
            if res is None:
                ck.refused.add(("kpis", code))

    def measurements(self, prog: Program) -> None:
        ck, ch = self.ck, self.ch
        for i, m in self.plan["measurements"]:
            key = f"{m['kpi']} {m['period']}"
            if not (ck.ok("measurements", key) and ck.ok("kpis", m["kpi"])) or self.same(
                "measurements", key, m, ["value", "source"]
            ):
                continue
            _row(
                ck, ("measurements", i, key), "period", record_measurement, ch=ch, p=prog,
                k=self.find(Kpi, program_id=prog.id, code=m["kpi"]), period=m["period"],
                value=m["number"], source=m["source"] or "imported",
                version=self.stored["measurements"].get(key, {}).get("version", 0),
            )  # fmt: skip

    def run(self) -> int | None:
        prog = self.program()
        if prog is None:
            return None
        self.agencies()
        self.priorities(prog.id)
        self.targets(prog)
        self.actions(prog.id)
        self.kpis(prog.id)
        self.measurements(prog)
        return int(prog.id)


def import_file(db: ProgramDB, actor: Actor, path: Path) -> dict[str, Any]:
    """Create or update the program a file describes (matched by region, year and definition),
    all or nothing, with the rules of the single edits; returns what changed."""
    check(actor, "program.import")
    data = read(path)
    with db.session() as s:
        data["_existing_agencies"] = list(s.scalars(select(Agency.code)).all())
    ck = _Check()
    plan = _plan(data, ck)
    if plan is None:
        raise WorkbookError(path.name, ck.sorted())
    stored = _stored(db, plan["program"])
    with write(db, actor, "program.import", f"the program in {path.name}") as ch:
        run = _Apply(ch, plan, stored, ck)
        pid = run.run()
        if ck.problems or pid is None:
            raise WorkbookError(path.name, ck.sorted())
        counts = {**ch.counts, "unchanged": run.unchanged}
    return {
        "program_id": pid,
        "created": counts.get("create", 0),
        "updated": counts.get("update", 0),
        "unchanged": counts.get("unchanged", 0),
    }


class _DiscardError(Exception):
    """Ends a preview's write so that nothing it did is kept."""


def preview_file(db: ProgramDB, actor: Actor, path: Path) -> dict[str, Any]:
    """What importing ``path`` would do, with nothing written: the same two passes in one
    write that is then rolled back. ``changes`` lists every row it would create or change
    (op, entity, code, before, after); ``problems`` every refusal (sheet, row, column, what);
    the import would go through only when there are no problems."""
    check(actor, "program.import")
    data = read(path)
    with db.session() as s:
        data["_existing_agencies"] = list(s.scalars(select(Agency.code)).all())
    ck = _Check()
    plan = _plan(data, ck)
    if plan is None:
        return {"changes": [], "problems": ck.sorted(), "unchanged": 0, "program_id": None}
    stored = _stored(db, plan["program"])
    out: dict[str, Any] = {}
    try:
        with write(db, actor, "program.import", f"the program in {path.name}") as ch:
            run = _Apply(ch, plan, stored, ck)
            pid = run.run()
            out = {
                "changes": [
                    {**c, "code": str((c["after"] or c["before"] or {}).get("code", ""))}
                    for c in ch.log
                ],
                "problems": ck.sorted(),
                "unchanged": run.unchanged,
                "program_id": pid,
            }
            raise _DiscardError
    except _DiscardError:
        pass
    return out


__all__ = ["import_file", "preview_file"]
