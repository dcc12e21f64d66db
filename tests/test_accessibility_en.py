"""Accessibility of every page in English (tests/test_accessibility.py has the check and the
Persian half): a module of its own so that the two halves run on the two workers at once."""

from __future__ import annotations

from browsing import Watched
from exportplan.workspace import Workspace
from test_accessibility import every_page_has_no_critical_or_serious_finding


def test_every_english_page_has_no_critical_or_serious_finding(
    watched: Watched, server: str, small_demo: Workspace
) -> None:
    every_page_has_no_critical_or_serious_finding(watched, server, small_demo, "en")
