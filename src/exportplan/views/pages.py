"""The index of the pages: their names, and each page's context builder with its parameters
from a query (the pages, their JSON twins, their downloads and the workbook report share
them). The builders themselves live in one module per page family and are re-exported here."""

from __future__ import annotations

from collections.abc import Callable

from exportplan.auth import Actor
from exportplan.store.program import ProgramDB
from exportplan.views import invest
from exportplan.views.common import current_year, query_int
from exportplan.views.context import PageContext
from exportplan.views.dashboard import dashboard
from exportplan.views.data import data_page
from exportplan.views.monitor import BY_LABELS, monitor_page
from exportplan.views.opportunities import opportunities_page
from exportplan.views.product_space import product_space_page
from exportplan.views.program import program_page
from exportplan.views.users import users_page
from exportplan.workspace import Workspace

__all__ = [
    "BY_LABELS",
    "LINKED_PAGES",
    "PAGES",
    "Builder",
    "builders",
    "current_year",
    "dashboard",
    "data_page",
    "monitor_page",
    "opportunities_page",
    "program_page",
    "query_int",
    "users_page",
]

#: The pages of the navigation, in its order (the users page is the administrators')
PAGES = ("dashboard", "monitor", "opportunities", "program", "investment", "suppliers", "data")
#: Pages reached from a page rather than the navigation, served like them (issue 16: the
#: product space, linked from the opportunities page)
LINKED_PAGES = ("product-space",)

Builder = Callable[[], PageContext]


def supplier_builders(
    ws: Workspace, db: ProgramDB, lang: str, who: Actor, query: dict[str, str]
) -> dict[str, Builder]:
    """The supplier pages' builders (the registry is in the navigation; the firm, a demand
    list, the gaps and the introductions are reached from it)."""
    from exportplan.services.suppliers import registry
    from exportplan.views import suppliers as sv

    def firm() -> PageContext:
        code = query.get("firm", "")
        card = registry.firm(db, who, code)["trade_card_no"]
        return sv.firm_page(db, lang, who, code, exports=registry.exports(ws, card))

    return {
        "suppliers": lambda: sv.suppliers_page(
            db,
            lang,
            who,
            q=query.get("q", ""),
            code=query.get("code", ""),
            cert=query.get("cert", ""),
        ),
        "supplier_firm": firm,
        "demand": lambda: sv.demand_page(db, lang, who, query.get("buyer", "")),
        "gaps": lambda: sv.gaps_page(db, lang, who, home_country=ws.home_country),
        "introductions": lambda: sv.introductions_page(db, lang, who),
    }


def builders(
    ws: Workspace, db: ProgramDB, lang: str, who: Actor, query: dict[str, str]
) -> dict[str, Builder]:
    """Each page's context builder with its parameters from a query."""

    def num(key: str) -> int | None:
        return query_int(query, key, lang)

    return {
        "dashboard": lambda: dashboard(
            ws, db, lang, num("year"), num("month"), query.get("definition") or None
        ),
        "monitor": lambda: monitor_page(
            ws,
            lang,
            num("year"),
            query.get("definition", "customs"),
            query.get("by", "hs4"),
            query.get("product") or None,
        ),
        "opportunities": lambda: opportunities_page(
            ws,
            lang,
            query.get("product") or None,
            query.get("market") or None,
            query.get("preset", "balanced"),
        ),
        "product-space": lambda: product_space_page(
            ws, lang, query.get("colour", "rca"), query.get("definition", "customs")
        ),
        "program": lambda: program_page(ws, db, lang, who, num("year")),
        "data": lambda: data_page(ws, lang),
        "users": lambda: users_page(db, lang, who),
        # the investment pipeline (issue 19): the board, and its other pages' tables
        "investment": lambda: invest.board_page(db, lang, query=query),
        "investment_enquiries": lambda: invest.enquiries_page(db, lang),
        "investment_project": lambda: invest.project_page(db, lang, query.get("code", "")),
        "investment_event": lambda: invest.event_page(db, lang, query.get("code", "")),
        "investment_digest": lambda: invest.digest_page(db, lang, query.get("agency", "")),
        **supplier_builders(ws, db, lang, who, query),
    }
