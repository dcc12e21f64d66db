"""Matching, pure: the normaliser's invariants (hypothesis), code levels, hard filters shown
as reasons, the glossary meeting Persian and English, determinism and ties by firm id, and
the metrics on hand-computed cases."""

from __future__ import annotations

import datetime as dt

from hypothesis import given, settings
from hypothesis import strategies as st

from exportplan.analytics import match_eval
from exportplan.analytics.matching import Candidate as Cand
from exportplan.analytics.matching import (
    Cert,
    FirmFacts,
    ItemResult,
    Need,
    Offer,
    Weights,
    capacity_covers,
    code_score,
    hard_filter,
    match,
    parse_unit,
)
from exportplan.analytics.text_similarity import prepare, tfidf
from exportplan.reference.text import match_key, normalise
from exportplan.services.suppliers.matching import glossary

TODAY = dt.date(2026, 12, 1)
WORDS = ["شیر", "کشویی", "لوله‌ها", "می‌شود", "پمپ‌های", "کلاس", "۶۰۰", "فولادی", "يک", "كمپرسور"]


def _noisy(draw: st.DrawFn) -> tuple[str, str]:
    words = draw(st.lists(st.sampled_from(WORDS), min_size=1, max_size=6))
    clean = " ".join(words)
    out = []
    for w in words:
        if draw(st.booleans()):
            w = w.replace("ی", "ي").replace("ک", "ك")
        if draw(st.booleans()):
            w = w.replace("\u200c", "")  # ZWNJ dropped: «لولهها»
        elif draw(st.booleans()):
            w = w.replace("\u200c", " ")  # ZWNJ typed as a space: «لوله ها»
        if draw(st.booleans()):
            w = w.translate(str.maketrans("0123456789۰۱۲۳۴۵۶۷۸۹", "٠١٢٣٤٥٦٧٨٩0123456789"))
        out.append(w)
    return clean, "  ".join(out)


@settings(max_examples=200, deadline=None)
@given(st.composite(_noisy)())
def test_zwnj_arabic_letters_and_digits_never_change_the_key(pair: tuple[str, str]) -> None:
    clean, noisy = pair
    assert normalise(noisy) == normalise(clean)
    assert match_key(normalise(noisy)) == match_key(normalise(clean))


def test_normalise_cases() -> None:
    assert normalise("شير كشويي") == normalise("شیر کشویی") == "شیر کشویی"
    assert normalise("می‌شود") == normalise("می شود") == normalise("میشود") == "میشود"
    assert normalise("۱٫۲ و ۱٬۰۰۰، بله٫") == "1.2 و 1000، بله٫"  # separators only inside numbers
    assert normalise("API 6D") == "api 6d"


def test_code_levels_and_units() -> None:
    assert code_score(("HS", "848180"), ("HS", "848180")) == (1.0, "exact")
    assert code_score(("HS", "84818010"), ("HS", "84818090")) == (0.8, "subheading")
    assert code_score(("HS", "848180"), ("HS", "8481")) == (0.6, "heading")
    assert code_score(("HS", "848180"), ("HS", "841370")) == (0.2, "chapter")
    assert code_score(("HS", "848180"), ("CPV", "848180")) == (0.0, "")  # no concordance
    assert parse_unit("عدد در سال") == ("piece", 1.0)
    assert parse_unit("tonnes/month") == ("kg", 12000.0)
    assert parse_unit("bananas") is None
    o = Offer("F1", 1, "x", capacity=10.0, unit="tonnes/year")
    assert capacity_covers(o, Need("N", "x", quantity=9.0, unit="tonnes")) is True
    assert capacity_covers(o, Need("N", "x", quantity=11.0, unit="tonnes")) is False
    assert capacity_covers(o, Need("N", "x", quantity=11.0, unit="pieces")) is None


def test_hard_filters_say_why() -> None:
    need = Need(
        "N",
        "ball valve",
        needed_by=dt.date(2027, 5, 1),
        required=("API 6D",),
        vendor_list="MOP_AVL",
    )
    ok = FirmFacts(
        "F1",
        True,
        (Cert("API 6D", None, dt.date(2027, 6, 1), True),),
        (("MOP_AVL", "listed"), ("NIOC", "suspended")),
    )
    assert hard_filter(ok, need, None, TODAY) is None
    expired = FirmFacts(
        "F2", True, (Cert("API 6D", None, dt.date(2027, 4, 30), True),), (("MOP_AVL", "listed"),)
    )
    why = hard_filter(expired, need, None, TODAY)
    assert why is not None
    assert why.text() == (
        "API 6D certificate valid to 2027-04-30, before the needed-by date 2027-05-01"
    )
    unverified = FirmFacts("F3", True, (Cert("API 6D", None, dt.date(2028, 1, 1), False),))
    suspended = FirmFacts("F4", True, ok.certs, (("MOP_AVL", "suspended"),))
    small = Offer("F1", 1, "x", capacity=5.0, unit="pieces/year")
    big_need = Need("N", "x", quantity=50.0, unit="pieces")

    def why_not(f: FirmFacts, n: Need = need, o: Offer | None = None) -> str:
        r = hard_filter(f, n, o, TODAY)
        return "" if r is None else r.text()

    assert why_not(unverified) == "API 6D certificate not verified"
    assert why_not(suspended) == "not listed on MOP_AVL (suspended)"
    assert why_not(FirmFacts("F5", False)) == "firm F5 is not validated"
    assert why_not(ok, big_need, small) == (
        "capacity 5.0 pieces/year is below the quantity 50.0 pieces"
    )


def test_glossary_meets_persian_and_english() -> None:
    g = glossary()
    p = prepare(["شير توپي فولادی", "Ball valves, API 6D", "کفش چرمی مردانه"], g)
    v = tfidf(p, token_weight=3.0)
    sim = (v @ v.T).toarray()
    assert sim[0, 1] > 0.3 > sim[0, 2]  # ball valve meets «شیر توپی», not leather shoes
    plain = tfidf(prepare(["شير توپي فولادی", "Ball valves, API 6D", "کفش چرمی مردانه"], None))
    assert (plain @ plain.T).toarray()[0, 1] < 0.05  # without the glossary they never meet


def _registry() -> tuple[list[Offer], list[FirmFacts]]:
    offers = [
        Offer("F3", 30, "شیر توپی فولادی", (("HS", "848180"),), 100.0, "pieces/year"),
        Offer("F1", 10, "شیر توپی فولادی", (("HS", "848180"),), 100.0, "pieces/year"),
        Offer("F2", 20, "شیر توپی فولادی", (("HS", "848180"),), 100.0, "pieces/year"),
        Offer("F2", 21, "کفش چرمی", (("HS", "6403"),)),
        Offer("F4", 40, "کفش چرمی مردانه", (("HS", "640399"),)),
    ]
    cert = (Cert("API 6D", None, dt.date(2028, 1, 1), True),)
    firms = [
        FirmFacts("F1", True, cert),
        FirmFacts("F2", True),
        FirmFacts("F3", True, cert),
        FirmFacts("F4", True),
    ]
    return offers, firms


def test_ranking_is_deterministic_with_ties_by_firm_id() -> None:
    offers, firms = _registry()
    needs = [
        Need("N1", "Ball valve", (("HS", "848180"),), 10.0, "pieces"),
        Need("N2", "ball valve", required=("API 6D",)),
        Need("N3", "gas turbine 25 MW"),
    ]
    a = match(needs, offers, firms, glossary=glossary(), today=TODAY)
    b = match(
        list(reversed(needs)), list(reversed(offers)), firms, glossary=glossary(), today=TODAY
    )
    assert [r.as_dict() for r in a] == [r.as_dict() for r in reversed(b)]
    n1 = a[0]
    assert [c.firm for c in n1.candidates][:3] == ["F1", "F2", "F3"]  # equal scores: by id
    assert n1.candidates[0].score == n1.candidates[1].score == n1.candidates[2].score
    assert n1.candidates[0].reasons[0].text() == "HS 848180 = HS 848180 (exact)"
    assert any("via glossary" in r.text() for r in n1.candidates[0].reasons)
    assert not n1.gap
    n2 = a[1]
    assert [c.firm for c in n2.candidates][:2] == ["F1", "F3"]
    assert [(e.firm, e.reason.text()) for e in n2.excluded][:1] == [("F2", "no API 6D certificate")]
    assert a[2].gap  # nobody makes turbines
    js = n1.as_dict()
    assert set(js) == {"item_id", "gap", "candidates", "excluded"}
    assert js["item_id"] == "N1" and js["gap"] is False


def test_weights_without_codes_are_renormalised() -> None:
    offers, firms = _registry()
    need = Need("N", "شیر توپی فولادی")  # no code, no quantity: text and capacity only
    r = match([need], offers, firms, glossary=None, today=TODAY, weights=Weights())[0]
    c = r.candidates[0]
    assert c.parts["code"] is None and c.parts["capacity"] is None
    text = c.parts["text"]
    assert text is not None
    assert abs(c.score - (0.4 * text + 0.1 * 0.5) / 0.5) < 1e-6  # capacity unknown: 0.5 (float32)


def test_metrics_by_hand() -> None:
    def res(item: str, firms: list[str], gap: bool = False) -> ItemResult:
        return ItemResult(item, gap, [Cand(f, 0.5, 0, {}, ()) for f in firms])

    results = [
        res("A", ["F1", "F2", "F3"]),
        res("B", ["F9", "F4"]),
        res("C", ["F5"], True),
        res("D", [], True),
    ]
    gold = {"A": {"F1", "F3"}, "B": {"F4", "F7"}, "C": set(), "D": {"F8"}}
    m: dict[str, object] = match_eval.evaluate(results, gold)
    assert m["recall_at_10"] == round((1.0 + 0.5 + 0.0) / 3, 4)
    assert m["p_at_5"] == round((2 / 5 + 1 / 5 + 0) / 3, 4)
    assert m["mrr"] == round((1.0 + 0.5 + 0.0) / 3, 4)
    assert (m["gaps_declared"], m["gap_precision"], m["gap_recall"]) == (2, 0.5, 1.0)
