"""Per-field accuracy of the claim extractor on a gold set (JSON lines, docs/claims.md):
``python scripts/claims_eval.py tests/data/claims_gold/dev.jsonl [--show]``.

Each gold claim is paired with an extracted claim of its sentence: first one with the same
quantity, else the next unpaired one in the text's order; a gold claim left unpaired counts
as wrong in every field. Extracted claims left unpaired are counted as extra.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

from exportplan.analytics.claim_extract import extract

FIELDS = ("quantity", "unit", "kind", "measure", "period", "qualifier", "definition_cue")


def _published(raw: str) -> tuple[int, int, int]:
    y, m, d = (int(x) for x in raw.split("/"))
    return y, m, d


def _same(field: str, gold: Any, got: Any) -> bool:
    if field == "quantity":
        return got is not None and abs(float(gold) - float(got)) <= 1e-9 * max(1.0, abs(gold))
    return bool(gold == got)


def evaluate(path: Path, *, show: bool = False) -> dict[str, Any]:
    """Per-field accuracy over the gold claims of ``path``, with the counts."""
    right = dict.fromkeys(FIELDS, 0)
    n_gold = n_extra = n_empty_ok = n_empty = 0
    misses: list[str] = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip():
            continue
        item = json.loads(line)
        got = [c.as_dict() for c in extract(item["text"], _published(item["published"]))]
        gold = item["claims"]
        if not gold:
            n_empty += 1
            n_empty_ok += not got
        free = list(range(len(got)))
        pairs: list[tuple[dict[str, Any], dict[str, Any] | None]] = []
        for g in gold:
            k = next(
                (i for i in free if _same("quantity", g["quantity"], got[i]["quantity"])), None
            )
            pairs.append((g, None if k is None else got[k]))
            if k is not None:
                free.remove(k)
        for n, (g, p) in enumerate(pairs):
            if p is None and free:
                pairs[n] = (g, got[free.pop(0)])
        n_extra += len(free)
        for g, p in pairs:
            n_gold += 1
            for f in FIELDS:
                ok = p is not None and _same(f, g[f], p[f])
                right[f] += ok
                if not ok and show:
                    misses.append(
                        f"{item['id']} {f}: gold {g[f]!r} got {None if p is None else p[f]!r}"
                        f"  | {item['text']}"
                    )
    acc = {f: right[f] / n_gold if n_gold else 0.0 for f in FIELDS}
    return {
        "claims": n_gold,
        "accuracy": acc,
        "extra": n_extra,
        "empty_sentences": n_empty,
        "empty_right": n_empty_ok,
        "misses": misses,
    }


def main() -> None:
    path = Path(sys.argv[1])
    res = evaluate(path, show="--show" in sys.argv)
    for m in res["misses"]:
        print(m)
    print(json.dumps({k: v for k, v in res.items() if k != "misses"}, indent=1))


if __name__ == "__main__":
    main()
