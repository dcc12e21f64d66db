"""How a report becomes a document: HTML from the views' templates to PDF (WeasyPrint, with the
packaged Vazirmatn fonts), and the pages' Vega-Lite charts to PNG (vl-convert; SVG would lose
Persian shaping in WeasyPrint)."""

from __future__ import annotations

import base64
import copy
from functools import cache
from pathlib import Path
from typing import Any

from exportplan.errors import InputError
from exportplan.views.templating import FONTS, render

__all__ = ["FONTS", "check_lang", "pdf", "png", "write"]


@cache
def _vl() -> Any:
    import vl_convert as vlc

    vlc.register_font_directory(str(FONTS))
    return vlc


def png(spec: dict[str, Any], width: int = 640) -> str:
    """A Vega-Lite spec as a PNG data URI (fixed width: a PDF has no container to fill)."""
    s = copy.deepcopy(spec)
    s["width"] = width
    data = _vl().vegalite_to_png(s, scale=2)
    return "data:image/png;base64," + base64.b64encode(data).decode()


def check_lang(lang: str) -> None:
    """Reports are in Persian or English."""
    if lang not in ("fa", "en"):
        raise InputError(f"lang must be fa or en; got {lang!r}")


def html(template: str, values: Any) -> str:
    """A report's template rendered with its values (a mapping), as the HTML its PDF is made
    of (what a test reads with the pages' rules: text marked ``translate="no"`` is data)."""
    return render(template, **{**values, "fonts": FONTS.as_uri()})


def html_pdf(text: str) -> bytes:
    """A report's HTML (:func:`html`) as PDF bytes."""
    import weasyprint

    return bytes(weasyprint.HTML(string=text, base_url=str(FONTS)).write_pdf())


def pdf(template: str, values: Any) -> bytes:
    """A report's template rendered with its values (a mapping), as PDF bytes."""
    return html_pdf(html(template, values))


def write(data: bytes, out: Path | None) -> bytes:
    """The document's bytes, written to ``out`` too when given."""
    if out is not None:
        out.write_bytes(data)
    return data
