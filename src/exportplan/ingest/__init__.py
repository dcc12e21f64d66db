"""Importers: CEPII BACI, UN Comtrade+ downloads, a region's customs files, a national tariff book.

Each importer reads a file (encodings, headers, row rules), accepts or rejects every row with a
reason, and stages the result (:class:`exportplan.ingest.staging.Staged`, or for a BACI year
the :class:`exportplan.ingest.baci.BaciFile` its loader streams); it never touches the
warehouse. :mod:`exportplan.services.imports` hands what it staged to the warehouse's writer,
which lands it in one transaction. ``rows_read = accepted + rejected``.
"""

__all__ = [
    "archive",
    "baci",
    "baci_files",
    "comtrade",
    "customs",
    "customs_options",
    "customs_repeats",
    "customs_rows",
    "files",
    "invest",
    "matrix",
    "nomenclature",
    "staging",
    "supplier_cells",
    "suppliers",
    "table",
    "zone_files",
]
