"""Importers: CEPII BACI, UN Comtrade+ downloads, a region's customs files.

Each importer reads a file, accepts or rejects every row with a reason, and writes through
:mod:`exportplan.store.warehouse` in one transaction. ``rows_read = accepted + rejected``.
"""

__all__ = ["baci", "comtrade", "customs", "files"]
