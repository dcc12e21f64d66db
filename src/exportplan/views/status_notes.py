"""The monitor status's footnote (what its figures rest on and how the forecast is made) in the
reader's language: the service writes it in English for the terminal and the JSON; a Persian
page or report gets it from its parts, never the English text."""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from exportplan.analytics.forecast import METHOD_POINT, METHOD_T
from exportplan.i18n import label as t
from exportplan.reference.text import to_persian_digits

__all__ = ["status_footnote"]

_DATA = re.compile(r"^(\d+) customs dataset\(s\) of (.+?)( \(SYNTHETIC DATA\))?$")
_YEARS = re.compile(r"; seasonal share from \[([\d, ]*)\]$")

FA_METHOD = {
    METHOD_T: "سهم فصلی سال تا کنون؛ بازه‌های پیش‌بینی t استیودنت از خطاهای آزمون گذشته",
    METHOD_POINT: "سهم فصلی سال تا کنون؛ تنها برآورد نقطه‌ای",
}


def status_footnote(status: Mapping[str, Any], lang: str) -> str:
    """``data · method`` of a monitor status, in Persian built from its parts (the number of
    datasets, the region, synthetic or not, the forecast's method and the years of its
    seasonal profile); a part this function does not know is left out of a Persian footnote
    rather than shown in English."""
    data, method = str(status.get("data") or ""), str(status.get("method") or "")
    if lang != "fa":
        return " · ".join(x for x in (data, method) if x)
    parts = []
    m = _DATA.match(data)
    if m:
        n, region, synthetic = m.groups()
        text = f"{to_persian_digits(n)} مجموعه داده گمرکی {t(region, 'fa')}"
        parts.append(text + (f" ({t('SYNTHETIC DATA', 'fa')})" if synthetic else ""))
    years = _YEARS.search(method)
    base = method[: years.start()] if years else method
    if base in FA_METHOD:
        text = FA_METHOD[base]
        if years:
            shown = "، ".join(to_persian_digits(y.strip()) for y in years.group(1).split(","))
            text += f"؛ سهم فصلی از سال‌های {shown}" if shown else ""
        parts.append(text)
    return " · ".join(parts)
