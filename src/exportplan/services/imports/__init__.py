"""Importing files into a workspace's warehouse, one module per source: the importer in
:mod:`exportplan.ingest` reads and stages the file, the warehouse's writer lands it in one
transaction; a file already imported (same sha256, kind and region) changes nothing. In a server
the imports queue for its one writer (:mod:`.worker`); the command line hands its imports to a
running server (:mod:`.remote`)."""

__all__ = ["baci", "comtrade", "customs", "nomenclature", "overlap", "remote", "worker"]
