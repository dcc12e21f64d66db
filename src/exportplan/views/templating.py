"""The one Jinja environment of the pages and the reports: the templates in
``exportplan/views/templates``, the ``fmt``, ``isotime``, ``chartjson``, ``product`` (codes with
their names) and ``country`` filters and the ``t`` label function; and where the packaged
assets (fonts, scripts, world shapes) are."""

from __future__ import annotations

from functools import cache
from importlib.resources import files
from pathlib import Path
from typing import Any

from jinja2 import Environment, PackageLoader, select_autoescape
from markupsafe import Markup

from exportplan.i18n import label
from exportplan.reference.countries import country_name
from exportplan.views.charts import chart_json
from exportplan.views.format import fmt, iso_time, product_label

__all__ = ["ASSETS", "FONTS", "environment", "render"]

#: The data-only folder the web app serves at /static and the PDF reports embed fonts from
ASSETS = Path(str(files("exportplan").joinpath("assets")))
FONTS = ASSETS / "fonts"

_SPEC_TEXT: dict[int, tuple[dict[str, Any], Markup]] = {}


def _chart_json(spec: dict[str, Any]) -> Markup:
    """The spec's JSON, computed once per spec object (contexts are cached, so the same
    object comes back on every request until the data change)."""
    hit = _SPEC_TEXT.get(id(spec))
    if hit is not None and hit[0] is spec:
        return hit[1]
    text = Markup(chart_json(spec))
    if len(_SPEC_TEXT) > 512:
        _SPEC_TEXT.clear()
    _SPEC_TEXT[id(spec)] = (spec, text)
    return text


def _products(codes: Any, lang: str) -> str:
    """HS codes (a list, or a text of codes separated by spaces) each with its name."""
    items = codes.split() if isinstance(codes, str) else list(codes or ())
    return ("، " if lang == "fa" else "; ").join(product_label(str(c), lang) for c in items)


def _countries(isos: Any, lang: str) -> str:
    """ISO3 codes (a list, or a text separated by spaces) as country names."""
    items = isos.split() if isinstance(isos, str) else list(isos or ())
    return ("، " if lang == "fa" else ", ").join(country_name(str(c), lang) for c in items)


@cache
def environment() -> Environment:
    """The environment (built once; Jinja environments are safe to share between threads)."""
    env = Environment(
        loader=PackageLoader("exportplan.views", "templates"),
        autoescape=select_autoescape(["html"]),
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["fmt"] = fmt
    env.filters["chartjson"] = _chart_json
    env.filters["isotime"] = iso_time
    env.filters["product"] = _products
    env.filters["country"] = _countries
    env.globals["t"] = label
    return env


def render(name: str, **values: Any) -> str:
    """A template by its name (``dashboard.html``) with its values."""
    return environment().get_template(name).render(**values)
