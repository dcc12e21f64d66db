"""How to read a customs file: the region it belongs to, its definition, a column mapping and
the settings a mapping file may carry; every choice is recorded with the dataset."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from exportplan.errors import InputError
from exportplan.ingest.files import csv_rows

# keys a mapping file may carry besides fields: how to read the file
MAPPING_SETTINGS = ("cumulative", "weight_unit", "definition", "rate", "decimal")


@dataclass
class CustomsOptions:
    """How to read a customs file; every choice is recorded with the dataset."""

    region: str
    definition: str | None = None
    mapping: dict[str, str] = field(default_factory=dict)
    cumulative: bool = False
    rate: float | None = None
    weight_unit: str | None = None  # "kg" or "t"; default from the header, else kg
    sheet: str | int | None = None
    synthetic: bool = False
    source: str = "customs file"
    decimal: str | None = None  # "." or ","; None: "." not declared (see reference.numbers)
    # not a reading choice: the file's months and offices replace those already loaded
    # (services.imports.overlap); recorded with the dataset when set
    replace: bool = False

    def with_mapping(self, mp: dict[str, Any]) -> CustomsOptions:
        """These options completed by a mapping file: its fields, and its settings where the
        command line left them unset (``cumulative``, ``weight_unit``, ``definition``,
        ``rate``, ``decimal``)."""
        fields = {k: str(v) for k, v in mp.items() if k not in MAPPING_SETTINGS}
        rate = self.rate
        if rate is None and mp.get("rate") not in (None, ""):
            try:
                rate = float(str(mp["rate"]))
            except ValueError as exc:
                raise InputError(f"mapping rate {mp['rate']!r} is not a number") from exc
        return CustomsOptions(
            region=self.region,
            definition=self.definition or (str(mp["definition"]) if mp.get("definition") else None),
            mapping={**fields, **self.mapping},
            cumulative=self.cumulative or truthy(mp.get("cumulative", False)),
            rate=rate,
            weight_unit=self.weight_unit
            or (str(mp["weight_unit"]) if mp.get("weight_unit") else None),
            sheet=self.sheet,
            synthetic=self.synthetic,
            source=self.source,
            decimal=self.decimal or (str(mp["decimal"]) if mp.get("decimal") else None),
            replace=self.replace,
        )


def truthy(value: Any) -> bool:
    """A yes/no setting from a mapping file (JSON true, or text such as yes, 1, بله)."""
    if isinstance(value, bool):
        return value
    text = str(value).strip().lower()
    if text in ("1", "true", "yes", "y", "بله", "آری"):
        return True
    if text in ("", "0", "false", "no", "n", "خیر"):
        return False
    raise InputError(f"{value!r} is not a yes/no value")


def load_mapping(path: Path) -> dict[str, Any]:
    """A column mapping file: JSON, or CSV with ``field,column`` rows."""
    text = path.read_text(encoding="utf-8-sig")
    if path.suffix.lower() == ".json":
        try:
            data = json.loads(text)
        except json.JSONDecodeError as exc:
            raise InputError(f"{path.name}: not valid JSON ({exc})") from exc
        if not isinstance(data, dict):
            raise InputError(f"{path.name}: a mapping is an object of field -> column header")
        return {str(k): v for k, v in data.items()}
    rows = csv_rows(text)
    out: dict[str, Any] = {}
    for r in rows[1:] if rows and rows[0][:1] == ["field"] else rows:
        if len(r) >= 2 and r[0].strip():
            out[r[0].strip()] = r[1].strip()
    return out
