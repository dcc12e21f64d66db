"""The registry of the handover dossier's sections: each domain registers its named sections
(a title in English and Persian, and a builder from the program store, the agency's code and
the day to a typed section context), and the dossier renders whatever is registered, in the
order registered, without importing the domains.

A section context names the template that draws it (under ``views/templates/``); a domain
with no template of its own returns a :class:`TableSection`, drawn as a heading and a table.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, ClassVar

from exportplan.store.program import ProgramDB

__all__ = [
    "Section",
    "SectionBuilder",
    "SectionContext",
    "TableSection",
    "register",
    "registered",
    "unregister",
]


@dataclass(frozen=True, kw_only=True)
class SectionContext:
    """What one section of the dossier shows; ``template`` draws it with ``section`` (the
    registered :class:`Section`) and ``s`` (this context) in the page's language."""

    template: ClassVar[str] = "dossier/table.html"


@dataclass(frozen=True, kw_only=True)
class TableSection(SectionContext):
    """A section as a table: ``columns`` are (key, English label, kind), ``kind`` as the pages
    have it (text, usd, num, date, status); ``note`` follows the heading in brackets."""

    columns: tuple[tuple[str, str, str], ...]
    rows: list[dict[str, Any]] = field(default_factory=list)
    note: str = ""

    template: ClassVar[str] = "dossier/table.html"


SectionBuilder = Callable[[ProgramDB, str, dt.date], SectionContext]


@dataclass(frozen=True)
class Section:
    """A registered section: its key, its title in both languages and its builder."""

    key: str
    title_en: str
    title_fa: str
    build: SectionBuilder

    def title(self, lang: str) -> str:
        return self.title_fa if lang == "fa" else self.title_en


_SECTIONS: dict[str, Section] = {}


def register(key: str, *, title_en: str, title_fa: str, build: SectionBuilder) -> Section:
    """Add a section at the end of the dossier (or replace the one of the same key, in its
    place)."""
    section = Section(key, title_en, title_fa, build)
    _SECTIONS[key] = section
    return section


def unregister(key: str) -> None:
    """Remove a section (absent: nothing to do)."""
    _SECTIONS.pop(key, None)


def registered() -> tuple[Section, ...]:
    """The sections in the order the dossier shows them."""
    return tuple(_SECTIONS.values())
