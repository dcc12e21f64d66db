"""The optional embedding hook of the suppliers' matching: word vectors from a folder the
operator supplies (``vectors.vec``, fastText's text format: a header ``count dimension``,
then a word and its numbers per line), read once per file version. A text's vector is the
mean of its known words' unit vectors (words normalised as the matching normalises text);
the matching takes the larger of the TF-IDF cosine and this cosine as the text score. No
model ships with exportplan and none is downloaded."""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import cache
from pathlib import Path

import numpy as np
from numpy.typing import NDArray

from exportplan import settings
from exportplan.errors import InputError
from exportplan.reference.text import normalise

__all__ = ["WordVectors", "from_settings", "load"]

FILE = "vectors.vec"
_WORD = re.compile(r"\w+")


class WordVectors:
    """Word vectors by word (rows L2-normalised, float32)."""

    def __init__(self, words: dict[str, int], vectors: NDArray[np.float32]) -> None:
        self.words = words
        self.vectors = vectors

    def __call__(self, texts: Sequence[str]) -> NDArray[np.float32]:
        """One unit vector per text (zeros when it has no known word)."""
        out = np.zeros((len(texts), self.vectors.shape[1]), dtype=np.float32)
        for i, text in enumerate(texts):
            rows = [self.words[w] for w in _WORD.findall(normalise(text)) if w in self.words]
            if rows:
                v = self.vectors[rows].mean(axis=0)
                norm = float(np.linalg.norm(v))
                if norm > 0:
                    out[i] = v / norm
        return out


def load(folder: Path) -> WordVectors:
    """The word vectors of ``folder``; an :class:`InputError` naming the file and line when
    the file is missing or not in fastText's text format."""
    path = folder / FILE
    try:
        stamp = path.stat().st_mtime_ns
    except OSError:
        raise InputError(
            f"no word vectors at {path}",
            hint=f"put {FILE} (fastText's text format) there, or leave "
            "EXPORTPLAN_SUPPLIER_EMBEDDINGS empty",
        ) from None
    return _load(path, stamp)


@cache
def _load(path: Path, _stamp: int) -> WordVectors:
    words: dict[str, int] = {}
    rows: list[NDArray[np.float32]] = []
    with path.open(encoding="utf-8", errors="strict") as f:
        head = f.readline().split()
        if len(head) != 2 or not all(h.isdigit() for h in head):
            raise InputError(f"{path}, line 1: a header 'count dimension' is needed")
        dim = int(head[1])
        for n, line in enumerate(f, start=2):
            parts = line.rstrip("\n").split(" ")
            if len(parts) != dim + 1:
                raise InputError(f"{path}, line {n}: a word and {dim} numbers are needed")
            try:
                v = np.array(parts[1:], dtype=np.float32)
            except ValueError:
                raise InputError(f"{path}, line {n}: a value is not a number") from None
            if not np.isfinite(v).all():
                raise InputError(f"{path}, line {n}: NaN or infinity in a vector")
            word = normalise(parts[0])
            if word and word not in words:
                words[word] = len(rows)
                norm = float(np.linalg.norm(v))
                rows.append(v / norm if norm > 0 else v)
    if not rows:
        raise InputError(f"{path}: no word vectors")
    return WordVectors(words, np.vstack(rows))


def from_settings() -> WordVectors | None:
    """The operator's word vectors (setting ``supplier_embeddings``), or None."""
    folder = settings.value("supplier_embeddings")
    return load(folder) if folder is not None else None
