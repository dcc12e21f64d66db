"""The fast paths of matching give what the direct computation gives, exactly: texts
normalised together as one by one, the n-grams counted through distinct words as through
the texts' own character stream (the tf-idf matrix equal bit for bit), and the blocks of
needs scored two at a time in threads as in one block; on the labelled set's texts and
needs, so that the equality is shown on the data the figures come from."""

from __future__ import annotations

import csv
import datetime as dt
from pathlib import Path

import numpy as np
import pytest
import scipy.sparse as sp

from exportplan.analytics.matching import Cert, FirmFacts, Need, Offer, match
from exportplan.analytics.text_similarity import _ngram_keys, _token_keys, prepare, tfidf
from exportplan.ingest import supplier_cells as cells
from exportplan.reference.text import normalise, normalise_all
from exportplan.services.suppliers.matching import glossary

EVAL = Path(__file__).parent / "data" / "suppliers_eval"


def _rows(name: str) -> list[dict[str, str]]:
    with (EVAL / name).open(encoding="utf-8-sig", newline="") as fh:
        return list(csv.DictReader(fh))


@pytest.fixture(scope="module")
def texts() -> list[str]:
    firms = _rows("firms.csv")
    needs = _rows("demand_dev.csv") + _rows("demand_heldout.csv")
    return [r["capability"] for r in firms] + [r["description"] for r in needs]


def test_normalise_all_is_normalise_of_each(texts: list[str]) -> None:
    tricky = [
        "",
        "  ",
        " می شود ",
        "ها و لوله ها",
        "شير كشويي\u200cها",
        "١٢٫٥ تن",
        "A105 \u200f ASTM",
        "x\ty\nz",
        "ΣΑΣ",
        "پمپ\u200cهای",
        "می",
        "ها",
    ]
    sample = [*texts, *tricky]
    assert normalise_all(sample) == [normalise(t) for t in sample]
    with_nul = ["a\x00b", "شير"]  # a NUL in a text: one by one, still right
    assert normalise_all(with_nul) == [normalise(t) for t in with_nul]
    assert normalise_all([]) == []


def _tfidf_direct(
    texts: list[str], tokens: list[list[str]], token_weight: float, max_df: float
) -> sp.csr_matrix:
    """The tf-idf as computed before the fast path: every n-gram of every text's own stream."""
    n_docs = len(texts)
    d1, k1 = _ngram_keys(texts)
    d2, k2 = _token_keys(tokens)
    docs, keys = np.concatenate([d1, d2]), np.concatenate([k1, k2])
    uniq, term_id = np.unique(keys, return_inverse=True)
    n_terms = len(uniq)
    is_token = uniq < 0
    counts = sp.csr_matrix(
        (np.ones(len(docs), dtype=np.float32), (docs, term_id.ravel())),
        shape=(n_docs, n_terms),
        dtype=np.float32,
    )
    counts.sum_duplicates()
    cols = counts.indices
    tf = 1.0 + np.log(counts.data)
    tf = np.where(is_token[cols], tf * token_weight, tf)
    df = np.bincount(cols, minlength=n_terms)
    idf = (np.log((1.0 + n_docs) / (1.0 + df)) + 1.0).astype(np.float32)
    vals = (tf * idf[cols]).astype(np.float32)
    vals[(df > max_df * n_docs)[cols]] = 0.0
    m = sp.csr_matrix((vals, cols, counts.indptr), shape=(n_docs, n_terms), dtype=np.float32)
    m.eliminate_zeros()
    norms = np.sqrt(np.asarray(m.multiply(m).sum(axis=1)).ravel())
    norms[norms == 0] = 1.0
    return sp.csr_matrix(sp.diags((1.0 / norms).astype(np.float32)) @ m)


def test_tfidf_through_words_is_the_direct_one(texts: list[str]) -> None:
    prep = prepare(texts, glossary())
    fast = tfidf(prep, token_weight=3.0, max_df=0.1)
    direct = _tfidf_direct(prep.texts, prep.tokens, 3.0, 0.1)
    assert fast.shape == direct.shape and fast.nnz == direct.nnz > 10_000
    assert np.array_equal(fast.indptr, direct.indptr)
    assert np.array_equal(fast.indices, direct.indices)
    assert np.array_equal(fast.data, direct.data)  # bit for bit, not approximately


def test_blocks_in_threads_rank_as_one_block() -> None:
    firms = _rows("firms.csv")
    offers = [
        Offer(
            r["firm_id"],
            k,
            r["capability"],
            (("HS", r["hs_code"]),) if r["hs_code"] else (),
            float(r["capacity"]) if r["capacity"] else None,
            r["unit"],
        )
        for k, r in enumerate(firms)
    ]
    certs: dict[str, list[Cert]] = {}
    for r in firms:
        certs.setdefault(r["firm_id"], []).extend(
            Cert(c.standard, c.valid_from, c.valid_to, True)
            for c in cells.certifications(r["certifications"])
        )
    facts = [FirmFacts(f, True, tuple(dict.fromkeys(c))) for f, c in certs.items()]
    needs = [
        Need(
            r["item_id"],
            r["description"],
            (("HS", r["hs_code"]),) if r["hs_code"] else (),
            needed_by=dt.date(2027, 6, 1),
            required=tuple(x.strip() for x in r["required_certifications"].split(";") if x.strip()),
        )
        for r in _rows("demand_dev.csv") + _rows("demand_heldout.csv")
    ]
    g = glossary()
    today = dt.date(2026, 12, 1)
    one = match(needs, offers, facts, glossary=g, top=10, today=today, block=len(needs))
    many = match(needs, offers, facts, glossary=g, top=10, today=today, block=7)
    assert len(one) == 120 and sum(len(r.candidates) for r in one) > 300
    assert sum(len(r.excluded) for r in one) > 0  # the hard filters took part
    assert many == one


def test_codes_of_two_schemes_meet_only_through_the_concordance() -> None:
    from exportplan.analytics.matching import cross_score
    from exportplan.ingest.supplier_cells import CellError, cpv_code
    from exportplan.reference.concordance import code_map, hs_cpv
    from exportplan.reference.hs import chapters

    cmap = code_map()
    # every HS code of the shipped table is in a real chapter; every CPV code is 8 digits
    assert len(hs_cpv()) >= 20
    assert all(hs[:2] in chapters() and cpv_code(cpv) == cpv for hs, cpv, _, _ in hs_cpv())
    assert cmap[("CPV", "42131260")] == (("HS", "848180"),)  # ball valves
    assert cross_score(("HS", "848180"), ("CPV", "42131260"), cmap) == (0.8, "HS 848180, exact")
    assert cross_score(("HS", "841370"), ("CPV", "42122000"), cmap)[0] == 0.6  # via 8413
    assert cross_score(("HS", "848180"), ("CPV", "42131260"), None) == (0.0, "")
    assert cross_score(("HS", "640399"), ("CPV", "42131260"), cmap) == (0.0, "")
    assert cpv_code("42131260-6") == "42131260"
    for bad in ("4213126", "99131260", "42131260-66"):
        with pytest.raises(CellError):
            cpv_code(bad)
    offers = [
        Offer("F1", 1, "industrial valves", (("CPV", "42131260"),)),
        Offer("F2", 2, "industrial valves", (("CPV", "18800000"),)),
        Offer("F3", 3, "industrial valves"),
    ]
    facts = [FirmFacts(f, True) for f in ("F1", "F2", "F3")]
    need = [Need("N1", "industrial valves", (("HS", "848180"),))]
    today = dt.date(2026, 12, 1)
    with_map = match(need, offers, facts, glossary=None, today=today, concordance=cmap)[0]
    without = match(need, offers, facts, glossary=None, today=today)[0]
    # the same text (its n-grams too common to count): the CPV ball-valve maker leads only
    # through the concordance
    assert with_map.candidates[0].firm == "F1"
    assert with_map.candidates[0].parts["code"] == pytest.approx(0.8)
    assert any("through the concordance" in r.text() for r in with_map.candidates[0].reasons)
    f1 = next(c for c in without.candidates if c.firm == "F1")
    assert f1.parts["code"] == 0.0  # no concordance: two schemes never meet
    assert without.candidates[0].firm == "F3"  # its code part unknown, left out
