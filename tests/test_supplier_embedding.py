"""The optional embedding hook of the suppliers' matching: word vectors from the operator's
folder raise the text score of a capability that shares no n-gram with the demand but means
the same; without the folder the scores are the TF-IDF path's; a bad file is a message that
names its line."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import numpy as np
import pytest

from exportplan.analytics.matching import FirmFacts, Need, Offer, Weights, match
from exportplan.errors import InputError
from exportplan.services.suppliers import embedding

TODAY = dt.date(2026, 11, 28)


def vectors(folder: Path, rows: dict[str, list[float]]) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    dim = len(next(iter(rows.values())))
    lines = [f"{len(rows)} {dim}"] + [f"{w} {' '.join(str(x) for x in v)}" for w, v in rows.items()]
    (folder / embedding.FILE).write_text("\n".join(lines) + "\n", "utf-8")
    return folder


def test_word_vectors_lift_a_synonym_and_change_nothing_else(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = vectors(
        tmp_path / "vec",
        {
            "cock": [1.0, 0.0, 0.0],
            "valve": [0.99, 0.14, 0.0],
            "pump": [0.0, 1.0, 0.0],
            "كمپرسور": [0.0, 0.0, 1.0],  # Arabic kaf: read as the Persian letter
        },
    )
    offers = [
        Offer("F1", 1, "cock"),  # no n-gram of "valve" in it, the same meaning
        Offer("F2", 2, "pump"),
        Offer("F3", 3, "کمپرسور"),
    ]
    firms = [FirmFacts(f, True) for f in ("F1", "F2", "F3")]
    needs = [Need("N1", "valve"), Need("N2", "کمپرسور")]
    w = Weights(max_df=1.0)  # five texts: keep every n-gram
    plain = match(needs, offers, firms, glossary=None, top=3, today=TODAY, weights=w)
    wv = embedding.load(folder)
    enc = wv(["valve", "کمپرسور", "no known word"])
    assert np.allclose(np.linalg.norm(enc[:2], axis=1), 1) and not enc[2].any()
    hooked = match(
        needs, offers, firms, glossary=None, top=3, today=TODAY, weights=w, embed=wv
    )

    def score(results: list, item: str, firm: str) -> float:  # type: ignore[type-arg]
        r = next(x for x in results if x.item == item)
        return next((c.score for c in r.candidates if c.firm == firm), 0.0)

    cos = float(np.dot(wv(["valve"])[0], wv(["cock"])[0]))
    assert cos > 0.98
    # no code, capacity unknown (0.5): score = (0.4 * text + 0.1 * 0.5) / 0.5
    assert score(plain, "N1", "F1") == pytest.approx(0.1, rel=1e-6)  # no n-gram shared
    assert score(hooked, "N1", "F1") == pytest.approx((0.4 * cos + 0.05) / 0.5, rel=1e-5)
    # what the TF-IDF path already found is not lowered
    assert score(hooked, "N2", "F3") >= score(plain, "N2", "F3") > 0.5
    # the setting: empty means no hook; a folder means its vectors
    monkeypatch.delenv("EXPORTPLAN_SUPPLIER_EMBEDDINGS", raising=False)
    assert embedding.from_settings() is None
    monkeypatch.setenv("EXPORTPLAN_SUPPLIER_EMBEDDINGS", str(folder))
    got = embedding.from_settings()
    assert got is not None and set(got.words) == {"cock", "valve", "pump", "کمپرسور"}


def test_a_bad_vectors_file_is_a_message_naming_its_line(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="no word vectors at"):
        embedding.load(tmp_path / "none")
    bad = tmp_path / "bad"
    bad.mkdir()
    (bad / embedding.FILE).write_text("2 3\ngate 1 0 0\npump 1 x 0\n", "utf-8")
    with pytest.raises(InputError, match=r"line 3: a value is not a number"):
        embedding.load(bad)
    (bad / embedding.FILE).write_text("2 3\ngate 1 0\n", "utf-8")
    with pytest.raises(InputError, match=r"line 2: a word and 3 numbers are needed"):
        embedding.load(bad)
    (bad / embedding.FILE).write_text("1 3\ngate nan 0 0\n", "utf-8")
    with pytest.raises(InputError, match="NaN or infinity"):
        embedding.load(bad)
