"""The monitor status's footnote in the reader's language: Persian from its parts, nothing of
the English text left on a Persian page."""

from __future__ import annotations

from exportplan.analytics.forecast import METHOD_POINT, METHOD_T
from exportplan.views.status_notes import status_footnote


def test_the_footnote_is_persian_from_its_parts() -> None:
    st = {
        "data": "8 customs dataset(s) of East Azerbaijan (SYNTHETIC DATA)",
        "method": METHOD_T + "; seasonal share from [1400, 1401, 1404]",
    }
    fa = status_footnote(st, "fa")
    assert fa == (
        "۸ مجموعه داده گمرکی آذربایجان شرقی (داده ساختگی) · سهم فصلی سال تا کنون؛ بازه‌های "
        "پیش‌بینی t استیودنت از خطاهای آزمون گذشته؛ سهم فصلی از سال‌های ۱۴۰۰، ۱۴۰۱، ۱۴۰۴"
    )
    assert status_footnote(st, "en") == f"{st['data']} · {st['method']}"
    point = {"data": "1 customs dataset(s) of Tabriz", "method": METHOD_POINT}
    assert status_footnote(point, "fa") == (
        "۱ مجموعه داده گمرکی Tabriz · سهم فصلی سال تا کنون؛ تنها برآورد نقطه‌ای"
    )
    # a part it does not know is left out of the Persian footnote, never shown in English
    odd = {"data": "something else", "method": "a new method"}
    assert status_footnote(odd, "fa") == "" and status_footnote({}, "en") == ""
