"""Character n-gram TF-IDF similarity of short Persian and English texts, with a bilingual
glossary: what scikit-learn's ``TfidfVectorizer(analyzer="char_wb", ngram_range=(2, 4),
sublinear_tf=True)`` computes (n-grams inside space-padded words, ``1 + log tf``, smooth idf
``log((1 + n) / (1 + df)) + 1``, rows L2-normalised), vectorised with numpy so that 25,000
capability texts fit in a fraction of a second, plus whole-token features.

Texts are normalised first (:func:`exportplan.reference.text.normalise`). Two kinds of whole
token are added as features beside the n-grams: standard designations (``API 6D``, ``A105``,
``X52``: ``[a-z]{2,5} ?\\d+[a-z]?``), so they are not only split into n-grams, and glossary
concepts: a text naming a glossary term (English or Persian) also gets the term of the other
language appended and the concept's token, so «شیر توپی» meets "ball valve". Salton & Buckley
(1988) for tf-idf; the glossary is data (``reference/data/supplier_glossary.csv``).
"""

from __future__ import annotations

import bisect
import itertools
import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache

import numpy as np
import scipy.sparse as sp
from numpy.typing import NDArray

from exportplan.reference.text import normalise, normalise_all

LOW, HIGH = 2, 4
_BITS = 11  # a character's id within an n-gram key (distinct characters beyond 2,047 fold)
_STD = re.compile(r"(?<![a-z0-9])([a-z]{2,5}) ?(\d+[a-z]?)(?![a-z0-9])")
_POUNDS = re.compile(r"(\d)\s*#")  # 3000# is 3000 lb
WEAK_DOMAINS = ("materials", "general")


@dataclass(frozen=True)
class Term:
    """A glossary concept: its English and Persian terms (normalised) and its domain."""

    en: str
    fa: str
    domain: str = ""


class Glossary:
    """Finding glossary terms in a text and expanding it with the other language's term."""

    def __init__(self, terms: Sequence[Term], *, weak: Sequence[str] = WEAK_DOMAINS) -> None:
        self.terms = [Term(normalise(t.en), normalise(t.fa), t.domain) for t in terms]
        # rows sharing a term are one concept ("sw" and "socket weld" both «ساکت ولد»)
        parent = list(range(len(self.terms)))

        def root(i: int) -> int:
            while parent[i] != i:
                parent[i] = parent[parent[i]]
                i = parent[i]
            return i

        first: dict[str, int] = {}
        for i, t in enumerate(self.terms):
            for w in (t.en, t.fa):
                if w:
                    j = first.setdefault(w, i)
                    parent[root(i)] = root(j)
        self.concept = [root(i) for i in range(len(self.terms))]
        #: concepts that get no token of their own (materials and general words qualify a
        #: part; they do not name it): their terms are still appended
        self.weak = {self.concept[i] for i, t in enumerate(self.terms) if t.domain in weak}
        self.weak -= {self.concept[i] for i, t in enumerate(self.terms) if t.domain not in weak}
        index: dict[str, list[int]] = {}
        for i, t in enumerate(self.terms):
            for w in (t.en, t.fa):
                k = _words(w)
                if k:
                    index.setdefault(k, []).append(i)
        self.index = index
        self.longest = max((k.count(" ") + 1 for k in index), default=1)
        self.first = {k.split()[0] for k in index}
        #: the most words of a phrase beginning with each first word (a longer window
        #: names nothing more: only the last word of a phrase may be a stem)
        self._span: dict[str, int] = {}
        for k in index:
            w0 = k.split()[0]
            self._span[w0] = max(self._span.get(w0, 1), k.count(" ") + 1)
        begins = self.first

        @cache
        def starts(w: str) -> bool:  # whether a term may begin at this word
            return w in begins or _stem(w) in begins

        self._starts = starts
        self._at = cache(self._rows_at)
        self._tail = cache(self._terms_of)

    def concepts(self, text: str) -> list[int]:
        """The glossary rows a normalised text names (phrases of up to the longest term's
        words, an English plural ``s`` or a Persian plural or adjective suffix allowed on the
        last word), in order, each once."""
        return self.concepts_of_words(_words(text).split())

    def concepts_of_words(self, words: list[str]) -> list[int]:
        """:meth:`concepts` of a text's words (``_words(text).split()``)."""
        found: dict[int, None] = {}
        starts, at, span = self._starts, self._at, self._span
        for i, w in enumerate(words):
            if starts(w):
                for r in at(tuple(words[i : i + span.get(w, 1)])):
                    found[r] = None
        return list(found)

    def _rows_at(self, window: tuple[str, ...]) -> tuple[int, ...]:
        """The rows named by phrases beginning a window of words, longest phrase first (the
        same window always names the same rows, so it is looked up once: see ``_at``)."""
        out: list[int] = []
        for n in range(len(window), 0, -1):
            hit = self.index.get(" ".join(window[:n]))
            last = window[n - 1]
            if hit is None and _stem(last) != last:
                hit = self.index.get(" ".join([*window[: n - 1], _stem(last)]))
            if hit is not None:
                out.extend(hit)
        return tuple(out)

    def expand(self, text: str, words: list[str] | None = None) -> tuple[str, list[int], list[int]]:
        """The text with each named term's row appended, the rows, and their concepts (weak
        ones left out); ``words``: the text's words when already split (``_words``)."""
        found = self.concepts_of_words(_words(text).split() if words is None else words)
        extra, concepts = self._tail(tuple(found))
        return (text + extra).strip(), found, list(concepts)

    def _terms_of(self, found: tuple[int, ...]) -> tuple[str, tuple[int, ...]]:
        """What rows found add to a text (a space and their terms) and their concepts, weak
        ones left out, in order (the same rows always add the same: see ``_tail``)."""
        extra = [w for i in found for w in (self.terms[i].en, self.terms[i].fa) if w]
        return " " + " ".join(extra), tuple(sorted({self.concept[i] for i in found} - self.weak))


_NON_WORD = re.compile(r"[^\w]+")
_NON_WORD_NOR_NUL = re.compile(r"[^\w\x00]+")
_FA_ENDINGS = ("هایی", "های", "ها", "یی", "ی")


def _words(s: str) -> str:
    """A text's words, punctuation as spaces (``o-rings,`` -> ``o rings``)."""
    return _NON_WORD.sub(" ", s).strip()


def _words_of_all(texts: list[str]) -> list[list[str]]:
    """``_words(t).split()`` of each text, in one pass over the texts joined by NUL (which
    is kept as the border: it is neither a word character nor replaced)."""
    if any("\x00" in t for t in texts):
        return [_words(t).split() for t in texts]
    return [t.split() for t in _NON_WORD_NOR_NUL.sub(" ", "\x00".join(texts)).split("\x00")]


@cache
def _stem(w: str) -> str:
    """A word without an English plural ``s`` or a Persian plural or adjective suffix."""
    if w.isascii():
        return w[:-1] if len(w) > 3 and w.endswith("s") and not w.endswith("ss") else w
    for e in _FA_ENDINGS:
        if w.endswith(e) and len(w) - len(e) >= 2:
            return w[: -len(e)]
    return w


@dataclass(frozen=True)
class Prepared:
    """Texts ready for the vectoriser: the expanded text and the whole-token features."""

    texts: list[str]
    tokens: list[list[str]]
    concepts: list[list[int]]


def prepare(texts: Sequence[str], glossary: Glossary | None) -> Prepared:
    """Normalise, expand by the glossary, and collect whole-token features (each distinct
    text once; normalised all together, see :func:`normalise_all`)."""
    distinct = list(dict.fromkeys(texts))
    normal = normalise_all(distinct)
    if normal and not any("\x00" in t for t in normal):
        normal = _POUNDS.sub(r"\1 lb", "\x00".join(normal)).split("\x00")
    else:
        normal = [_POUNDS.sub(r"\1 lb", t) for t in normal]
    expanded: list[str] = []
    found_of: list[list[int]] = []
    concepts_of: list[list[int]] = []
    words_of = _words_of_all(normal) if glossary is not None and normal else []
    for k, t in enumerate(normal):
        found: list[int] = []
        concepts: list[int] = []
        if glossary is not None:
            t, found, concepts = glossary.expand(t, words_of[k])
        expanded.append(t)
        found_of.append(found)
        concepts_of.append(concepts)
    designations = _designations(expanded)
    at: dict[str, int] = {raw: k for k, raw in enumerate(distinct)}
    out_t: list[str] = []
    out_k: list[list[str]] = []
    out_c: list[list[int]] = []
    for raw in texts:
        k = at[raw]
        out_t.append(expanded[k])
        out_k.append(designations[k] + [f"concept:{i}" for i in concepts_of[k]])
        out_c.append(found_of[k])
    return Prepared(out_t, out_k, out_c)


def _designations(texts: list[str]) -> list[list[str]]:
    """The standard designations (``api6d``) of each text, found in one pass over the texts
    joined by NUL (which the pattern never crosses)."""
    if any("\x00" in t for t in texts):
        return [[a + b for a, b in _STD.findall(t)] for t in texts]
    out: list[list[str]] = [[] for _ in texts]
    ends = list(itertools.accumulate(len(t) + 1 for t in texts))
    for m in _STD.finditer("\x00".join(texts)):
        out[bisect.bisect_right(ends, m.start())].append(m.group(1) + m.group(2))
    return out


def _ngram_keys(
    texts: Sequence[str], alphabet: NDArray[np.uint32] | None = None
) -> tuple[NDArray[np.int64], NDArray[np.int64]]:
    """(document, n-gram key) of every n-gram of every text, char_wb style: each word padded
    with a space, no n-gram across two words (it would hold their two spaces) or two texts
    (it would hold the NUL that separates them). A character's id is its rank in
    ``alphabet`` (the texts' own characters when None)."""
    if not texts:
        return np.zeros(0, np.int64), np.zeros(0, np.int64)
    stream = "\x00".join(" " + " ".join(t.split()).replace(" ", "  ") + " " for t in texts)
    cps = np.frombuffer(stream.encode("utf-32-le"), dtype=np.uint32)
    if alphabet is None:
        _, inv = np.unique(cps, return_inverse=True)
    else:
        inv = np.searchsorted(alphabet, cps)
    ids = (inv.astype(np.int64).ravel() % ((1 << _BITS) - 1)) + 1
    sep = cps == 0
    space = cps == 32
    pair = np.zeros(len(cps), dtype=np.int64)
    pair[:-1] = space[:-1] & space[1:]  # two spaces: the border of two padded words
    sep_c = np.concatenate([[0], np.cumsum(sep)])
    pair_c = np.concatenate([[0], np.cumsum(pair)])
    doc_pos = sep_c[:-1]
    docs: list[NDArray[np.int64]] = []
    keys: list[NDArray[np.int64]] = []
    size = len(ids)
    for n in range(LOW, HIGH + 1):
        m = size - n + 1
        if m <= 0:
            continue
        key = np.full(m, n, dtype=np.int64)
        for k in range(n):
            key = (key << _BITS) | ids[k : k + m]
        ok = (sep_c[n : n + m] == sep_c[:m]) & (pair_c[n - 1 : n - 1 + m] == pair_c[:m])
        keys.append(key[ok])
        docs.append(doc_pos[:m][ok])
    return np.concatenate(docs), np.concatenate(keys)


def _word_ngrams(
    texts: Sequence[str],
) -> tuple[sp.csr_matrix, NDArray[np.int64], NDArray[np.int64]]:
    """The n-grams of the texts through their distinct words (an n-gram never crosses a word,
    so a text's n-grams are its words'): the (text, word) counts, and each distinct word's
    (word, n-gram key) pairs, with characters numbered as :func:`_ngram_keys` numbers them
    over all the texts at once."""
    vocab: dict[str, int] = {}
    docs: list[int] = []
    wids: list[int] = []
    for d, t in enumerate(texts):
        for w in t.split():
            docs.append(d)
            wids.append(vocab.setdefault(w, len(vocab)))
    words = list(vocab)
    chars = {ord(c) for w in words for c in w} | ({32} if texts else set())
    if len(texts) > 1:
        chars.add(0)
    alphabet = np.asarray(sorted(chars), dtype=np.uint32)
    dw = sp.csr_matrix(
        (np.ones(len(docs), dtype=np.float32), (docs, wids)),
        shape=(len(texts), len(words)),
        dtype=np.float32,
    )
    w_of, keys = _ngram_keys(words, alphabet)
    return dw, w_of, keys


def _token_keys(tokens: Sequence[Sequence[str]]) -> tuple[NDArray[np.int64], NDArray[np.int64]]:
    vocab: dict[str, int] = {}
    docs: list[int] = []
    keys: list[int] = []
    for d, toks in enumerate(tokens):
        for tok in toks:
            docs.append(d)
            keys.append(-1 - vocab.setdefault(tok, len(vocab)))  # negative: never an n-gram key
    return np.asarray(docs, np.int64), np.asarray(keys, np.int64)


def tfidf(prepared: Prepared, *, token_weight: float = 1.0, max_df: float = 1.0) -> sp.csr_matrix:
    """The L2-normalised tf-idf rows of the prepared texts (one row per text).

    ``token_weight`` multiplies the tf of the whole-token features (designations and glossary
    concepts) before the idf, so a shared concept counts like that many shared n-grams."""
    n_docs = len(prepared.texts)
    dw, w_of, k1 = _word_ngrams(prepared.texts)
    d2, k2 = _token_keys(prepared.tokens)
    # the vocabulary: every n-gram key and token key, numbered in key order
    uniq = np.unique(np.concatenate([k1, k2]))
    n_terms = len(uniq)
    is_token = uniq < 0
    wg = sp.csr_matrix(
        (np.ones(len(k1), dtype=np.float32), (w_of, np.searchsorted(uniq, k1))),
        shape=(dw.shape[1], n_terms),
        dtype=np.float32,
    )
    toks = sp.csr_matrix(
        (np.ones(len(k2), dtype=np.float32), (d2, np.searchsorted(uniq, k2))),
        shape=(n_docs, n_terms),
        dtype=np.float32,
    )
    counts = sp.csr_matrix(dw @ wg + toks)  # integer counts, exact in float32
    counts.sum_duplicates()  # tf of each (text, feature), features in order
    counts.sort_indices()
    cols = counts.indices
    tf = 1.0 + np.log(counts.data)
    if token_weight != 1.0:
        tf = np.where(is_token[cols], tf * token_weight, tf)
    df = np.bincount(cols, minlength=n_terms)
    idf = (np.log((1.0 + n_docs) / (1.0 + df)) + 1.0).astype(np.float32)
    vals = (tf * idf[cols]).astype(np.float32)
    if max_df < 1.0:
        vals[(df > max_df * n_docs)[cols]] = 0.0
    m = sp.csr_matrix((vals, cols, counts.indptr), shape=(n_docs, n_terms), dtype=np.float32)
    m.eliminate_zeros()
    norms = np.sqrt(np.asarray(m.multiply(m).sum(axis=1)).ravel())
    norms[norms == 0] = 1.0
    return sp.csr_matrix(sp.diags((1.0 / norms).astype(np.float32)) @ m)
