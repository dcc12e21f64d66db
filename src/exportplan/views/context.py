"""Typed page contexts: what a page shows, as a dataclass that the HTML template, the JSON twin,
the downloads and the reports read alike.

A context is also a read-only :class:`~collections.abc.Mapping` over its fields, so
``ctx["status"]["ytd"]`` and ``**ctx`` work as they did when contexts were dictionaries (and
Jinja reads ``ctx.status`` or ``ctx["status"]`` the same way).
"""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any, TypedDict

__all__ = ["Chart", "FieldMapping", "PageContext", "Table", "direction"]

#: A Vega-Lite spec (data inlined), drawn by the browser and rendered to PNG for the reports
Chart = dict[str, Any]


class Table(TypedDict):
    """A table of a page: ``kinds`` tells the templates how to show a column (usd, pct, num,
    date, status, bool, text); rows keep raw values for the JSON twin and the downloads."""

    title: str
    columns: list[str]
    labels: list[str]
    kinds: dict[str, str]
    rows: list[dict[str, Any]]


def direction(lang: str) -> str:
    """The writing direction of a page's language."""
    return "rtl" if lang == "fa" else "ltr"


class FieldMapping(Mapping[str, Any]):
    """A dataclass read as a read-only mapping over its fields (``ctx["x"]``, ``**ctx``)."""

    def _names(self) -> tuple[str, ...]:
        return tuple(f.name for f in dataclasses.fields(self))  # type: ignore[arg-type]

    def __getitem__(self, key: str) -> Any:
        if key not in self._names():
            raise KeyError(key)
        return getattr(self, key)

    def __iter__(self) -> Iterator[str]:
        return iter(self._names())

    def __len__(self) -> int:
        return len(self._names())

    def to_json(self) -> Any:
        """Every field, values as JSON has them (days as ISO text; a field that is itself a
        field mapping, such as the dashboard's pickers, as an object)."""
        return json.loads(json.dumps(dict(self), default=_plain))


def _plain(value: Any) -> Any:
    return dict(value) if isinstance(value, FieldMapping) else str(value)


@dataclass(kw_only=True)
class PageContext(FieldMapping):
    """What every page has: its name, title and language, its tables (each downloadable),
    charts, notes, and whether its figures are synthetic. Pages add their own fields in a
    subclass (keyword-only, like these)."""

    page: str
    title: str
    lang: str
    dir: str = ""
    tables: dict[str, Table] = field(default_factory=dict)
    charts: dict[str, Chart] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)
    synthetic: bool = False

    def __post_init__(self) -> None:
        if not self.dir:
            self.dir = direction(self.lang)
