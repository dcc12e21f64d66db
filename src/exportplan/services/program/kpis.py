"""The program's KPIs and their monthly measurements: from the warehouse (the monitoring
service's numbers for some HS codes and partners) or entered by hand.

A month's value is versioned like an action: a save names the version it read (0 for a month
without a value) and is refused (:class:`~exportplan.errors.ConflictError`, nothing saved)
when the value changed since, so of concurrent saves of one month exactly one wins."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from sqlalchemy import select

from exportplan.auth import Actor
from exportplan.errors import ConflictError, NotFoundError
from exportplan.services.program.validation import (
    RuleError,
    check_code,
    check_period,
    clean_hs_list,
    markets_list,
)
from exportplan.store.program.db import ProgramDB
from exportplan.store.program.models import Agency, Kpi, Measurement, Program, Region, as_dict
from exportplan.store.program.queries import get_agency, get_priority, get_program
from exportplan.store.program.writes import Change, write


def _kpi_fields(
    *,
    name: str,
    source: str,
    hs_codes: Iterable[str],
    partners: Iterable[str] | str,
    unit: str,
) -> dict[str, Any]:
    if source not in ("data", "manual"):
        raise RuleError("source", "a KPI's source is data (from the warehouse) or manual")
    hs_codes = list(hs_codes) if not isinstance(hs_codes, str) else [hs_codes]
    hs = clean_hs_list(hs_codes, "KPI HS codes") if source == "data" or hs_codes else []
    pt = markets_list(partners, field="partners") if partners else []
    if source == "data" and unit != "USD":
        raise RuleError("unit", "a KPI from data counts exports in USD")
    if not name.strip():
        raise RuleError("name", "a KPI needs a name")
    return {"name": name.strip(), "source": source, "hs_codes": hs, "partners": pt, "unit": unit}


def new_kpi(
    ch: Change,
    program_id: int,
    *,
    code: str,
    agency: str,
    name: str,
    source: str,
    hs_codes: Iterable[str] = (),
    partners: Iterable[str] | str = (),
    unit: str = "USD",
    target_value: float | None = None,
    priority: str | None = None,
) -> Kpi:
    """Add a KPI in an open write (the rules of :func:`add_kpi`)."""
    code = check_code(code, "KPI")
    fields = _kpi_fields(name=name, source=source, hs_codes=hs_codes, partners=partners, unit=unit)
    s = ch.session
    get_program(s, program_id)
    ag = get_agency(s, agency)
    ch.require("kpi.edit", agency_id=ag.id)
    if s.scalar(select(Kpi).where(Kpi.program_id == program_id, Kpi.code == code)):
        raise RuleError("code", f"KPI {code!r} exists already in program {program_id}")
    pr_id = get_priority(s, program_id, priority).id if priority else None
    k = Kpi(
        program_id=program_id,
        agency_id=ag.id,
        priority_id=pr_id,
        code=code,
        target_value=target_value,
        **fields,
    )
    ch.add(k)
    ch.flush(f"KPI {code}")
    ch.audit("create", "kpi", k.id, None, as_dict(k), program_id=program_id, agency_id=ag.id)
    return k


def change_kpi(
    ch: Change,
    k: Kpi,
    *,
    agency: str,
    name: str,
    source: str,
    hs_codes: Iterable[str] = (),
    partners: Iterable[str] | str = (),
    unit: str = "USD",
    target_value: float | None = None,
    priority: str | None = None,
) -> Kpi:
    """Change a KPI in an open write, with the rules of a new one."""
    ch.require("kpi.edit", agency_id=k.agency_id)
    fields = _kpi_fields(name=name, source=source, hs_codes=hs_codes, partners=partners, unit=unit)
    s = ch.session
    ag = get_agency(s, agency)
    if ag.id != k.agency_id:
        ch.require("program.edit")  # only an editor gives a KPI to another agency
    pr_id = get_priority(s, k.program_id, priority).id if priority else None
    before = as_dict(k)
    for key, v in {
        **fields,
        "agency_id": ag.id,
        "priority_id": pr_id,
        "target_value": target_value,
    }.items():
        setattr(k, key, v)
    ch.flush(f"KPI {k.code}")
    ch.audit("update", "kpi", k.id, before, as_dict(k), program_id=k.program_id, agency_id=ag.id)
    return k


def add_kpi(
    db: ProgramDB,
    actor: Actor,
    program_id: int,
    *,
    code: str,
    agency: str,
    name: str,
    source: str,
    hs_codes: Iterable[str] = (),
    partners: Iterable[str] | str = (),
    unit: str = "USD",
    target_value: float | None = None,
    priority: str | None = None,
) -> dict[str, Any]:
    """A KPI from data (``source='data'``: the region's exports of ``hs_codes`` to ``partners``
    under the program's definition, month by month, from the monitoring service) or entered
    by hand (``'manual'``)."""
    with write(db, actor, "kpi.edit", f"KPI {code.strip()}") as ch:
        k = new_kpi(
            ch,
            program_id,
            code=code,
            agency=agency,
            name=name,
            source=source,
            hs_codes=hs_codes,
            partners=partners,
            unit=unit,
            target_value=target_value,
            priority=priority,
        )
        return as_dict(k)


def record_measurement(
    ch: Change,
    p: Program,
    k: Kpi,
    *,
    period: str,
    value: float,
    source: str = "entered by hand",
    version: int | None = None,
    audit: bool = True,
) -> Measurement:
    """Record (or correct) KPI ``k``'s value for a Solar Hijri month in an open write;
    ``version`` is the month's version the caller read (0: it had no value; None: no check,
    the value read in this same write is replaced: ``exportplan program measure`` without
    ``--version``). ``audit=False``: the caller writes one summary row for many values
    (:func:`refresh_kpis`)."""
    ch.require("kpi.measure", agency_id=k.agency_id)
    if k.source == "data" and source == "entered by hand":
        raise RuleError(
            "source", f"KPI {k.code} comes from the data; refresh it with `program refresh-kpis`"
        )
    if not -float("inf") < value < float("inf"):  # NaN fails too
        raise RuleError("value", f"a measurement is a finite number, not {value!r}")
    per = check_period(period, p.sh_year)
    if per is None or "Q" in per:
        raise RuleError("period", "a measurement is for a Solar Hijri month, e.g. 1404-05")
    assert ch.actor is not None
    m = ch.session.scalar(
        select(Measurement).where(Measurement.kpi_id == k.id, Measurement.period == per)
    )
    before = as_dict(m) if m else None
    current = m.version if m is not None else 0
    if version is not None and version != current:
        raise ConflictError(
            f"KPI {k.code} {per} has changed since you read it (your version {version}, now "
            f"{current}"
            + (f", value {m.value:g} by {m.recorded_by}" if m is not None else ", no value")
            + "); nothing was saved",
            hint="reload it and enter your value again",
        )
    if m is None:
        m = Measurement(
            kpi_id=k.id,
            period=per,
            value=float(value),
            source=source,
            recorded_by=ch.actor.username,
        )
        ch.add(m)
    else:
        m.value, m.source, m.recorded_by = float(value), source, ch.actor.username
    ch.flush(f"KPI {k.code} {per}")
    if not audit:
        ch.counts["create" if before is None else "update"] = (
            ch.counts.get("create" if before is None else "update", 0) + 1
        )
        return m
    ch.audit(
        "create" if before is None else "update",
        "measurement",
        m.id,
        before,
        as_dict(m),
        program_id=p.id,
        agency_id=k.agency_id,
    )
    return m


def find_kpi(ch: Change, program_id: int, code: str) -> Kpi:
    k = ch.session.scalar(select(Kpi).where(Kpi.program_id == program_id, Kpi.code == code))
    if k is None:
        raise NotFoundError(f"no KPI {code!r} in program {program_id}")
    return k


def measure(
    db: ProgramDB,
    actor: Actor,
    program_id: int,
    kpi: str,
    *,
    period: str,
    value: float,
    source: str = "entered by hand",
    version: int | None = None,
) -> dict[str, Any]:
    """Record (or correct) a KPI's value for a Solar Hijri month; ``version`` as in
    :func:`record_measurement`."""
    with write(db, actor, "kpi.measure", f"KPI {kpi} {period}") as ch:
        p = get_program(ch.session, program_id)
        k = find_kpi(ch, program_id, kpi)
        m = record_measurement(ch, p, k, period=period, value=value, source=source, version=version)
        return as_dict(m)


def month_versions(s: Any, program_id: int, *, source: str | None = None) -> dict[str, int]:
    """The version of each month's value of a program's KPIs (``source``: only those KPIs),
    keyed ``"K1 1405-03"``; a month without a value is absent (version 0)."""
    q = select(Kpi.code, Measurement.period, Measurement.version).join(
        Measurement, Measurement.kpi_id == Kpi.id
    )
    q = q.where(Kpi.program_id == program_id)
    if source is not None:
        q = q.where(Kpi.source == source)
    return {f"{code} {period}": int(v) for code, period, v in s.execute(q)}


def refresh_kpis(ws: Any, db: ProgramDB, actor: Actor, program_id: int) -> int:
    """Measure every data KPI for each month of the program's year that the warehouse covers,
    with the monitoring service's numbers; returns how many values were recorded. The run is
    audited as ONE row (entity ``kpi-refresh``: how many values, new and changed, the KPIs, the
    months and the data's version), not one per value.

    The months' versions are read with the KPIs, before the numbers are computed, and every
    value is saved in one write naming the version it read: if any month changed meanwhile
    (another refresh, a workbook import), nothing is saved (:class:`ConflictError`)."""
    import math

    from exportplan.auth import check
    from exportplan.services import monitor
    from exportplan.services.data import data_version

    check(actor, "kpi.refresh")
    with db.session() as s:
        p = get_program(s, program_id)
        region = s.get(Region, p.region_id)
        assert region is not None
        kpis = [
            (k.code, tuple(k.hs_codes), tuple(k.partners))
            for k in s.scalars(
                select(Kpi).where(Kpi.program_id == program_id, Kpi.source == "data")
            )
        ]
        year, definition = p.sh_year, p.definition
        read = month_versions(s, program_id, source="data")
    version = data_version(ws)
    values: list[tuple[str, str, float]] = []
    for code, hs, partners in kpis:
        scope = monitor.Scope(
            region=region.name_en, definition=definition, hs=hs, partners=partners
        )
        series = monitor.monthly(ws, scope).get(year)
        if series is None:
            continue
        for month, v in enumerate(series, start=1):
            if not math.isnan(float(v)):
                values.append((code, f"{year:04d}-{month:02d}", float(v)))
    source = f"warehouse ({definition}; data {version[-24:]})"
    with write(db, actor, "kpi.refresh", f"the data KPIs of program {program_id}") as ch:
        prog = get_program(ch.session, program_id)
        found = {code: find_kpi(ch, program_id, code) for code, _, _ in values}
        for code, period, value in values:
            record_measurement(
                ch,
                prog,
                found[code],
                period=period,
                value=value,
                source=source,
                version=read.get(f"{code} {period}", 0),
                audit=False,
            )
        periods = sorted({period for _, period, _ in values})
        summary = {
            "values": len(values),
            "new": ch.counts.get("create", 0),
            "changed": ch.counts.get("update", 0),
            "kpis": sorted({code for code, _, _ in values}),
            "months": f"{periods[0]}..{periods[-1]}" if periods else "",
            "source": source,
        }
        ch.counts.clear()
        ch.audit("refresh", "kpi-refresh", program_id, None, summary, program_id=program_id)
    return len(values)


def kpis(db: ProgramDB, program_id: int) -> list[dict[str, Any]]:
    with db.session() as s:
        get_program(s, program_id)
        out = []
        for k in s.scalars(select(Kpi).where(Kpi.program_id == program_id).order_by(Kpi.code)):
            d = as_dict(k)
            ag = s.get(Agency, k.agency_id)
            d["agency"] = ag.code if ag else None
            ms = s.scalars(
                select(Measurement).where(Measurement.kpi_id == k.id).order_by(Measurement.period)
            ).all()
            d["measurements"] = [
                {"period": m.period, "value": m.value, "source": m.source, "version": m.version}
                for m in ms
            ]
            d["year_to_date"] = sum(m.value for m in ms) if k.unit == "USD" else None
            d["latest"] = ms[-1].value if ms else None
            out.append(d)
        return out


__all__ = [
    "add_kpi",
    "change_kpi",
    "find_kpi",
    "kpis",
    "measure",
    "month_versions",
    "new_kpi",
    "record_measurement",
    "refresh_kpis",
]
