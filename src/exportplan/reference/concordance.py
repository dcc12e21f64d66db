"""The cross-scheme code concordances matching may use, shipped as data (today one: HS 2022
to CPV 2008 for the demo's sectors, ``data/concordance_hs_cpv.csv``); codes of two schemes
are compared only through a row of such a table, never guessed at run time."""

from __future__ import annotations

import csv
from functools import cache
from importlib.resources import files

#: where the HS-CPV table comes from, as the docs and the reasons name it
HS_CPV_SOURCE = (
    "hand-made for the demo's sectors (valves, pumps, pipe and fittings, vehicle parts, "
    "tyres, footwear), 2026-12-01: HS 2022 side checked against the HS nomenclature "
    "(datasets/harmonized-system, ODC-PDDL-1.0); CPV 2008 side (Regulation (EC) No 213/2008) "
    "checked on 2026-12-02 against a copy of the CPV 2008 list (9,455 codes): every code "
    "exists with the text given here, and so do its division, group, class and category; "
    "the table itself is the project's (its licence)"
)


@cache
def hs_cpv() -> tuple[tuple[str, str, str, str], ...]:
    """The rows ``(hs_code, cpv_code, hs_text, cpv_text)``."""
    text = files("exportplan.reference").joinpath("data", "concordance_hs_cpv.csv")
    rows = csv.DictReader(text.read_text("utf-8").splitlines())
    return tuple((r["hs_code"], r["cpv_code"], r["hs_text"], r["cpv_text"]) for r in rows)


@cache
def code_map() -> dict[tuple[str, str], tuple[tuple[str, str], ...]]:
    """Each code's counterparts in the other scheme, both ways: ``("CPV", "42131260")`` ->
    ``(("HS", "848180"),)`` and ``("HS", "848180")`` -> its CPV codes."""
    out: dict[tuple[str, str], list[tuple[str, str]]] = {}
    for hs, cpv, _, _ in hs_cpv():
        out.setdefault(("CPV", cpv), []).append(("HS", hs))
        out.setdefault(("HS", hs), []).append(("CPV", cpv))
    return {k: tuple(dict.fromkeys(v)) for k, v in out.items()}
