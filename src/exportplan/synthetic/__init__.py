"""Seeded synthetic data: a world in the BACI layout and a province's customs records.

One generator feeds the demo workspace, the tests and the benchmarks (at other sizes).
Everything it writes is labelled synthetic: the file names start with ``SYNTHETIC``, the
province's records carry it in their source, and the datasets are flagged ``synthetic``.
"""

__all__ = [
    "province",
    "suppliers",
    "world",
]
