"""exportplan: a regional export-development planning and monitoring system.

Layers (imports point down only): front doors (``cli``), services, ``analytics`` (pure),
``store`` (warehouse, program DB), ``ingest``, ``reference``.
"""

__version__ = "0.1.0"
__all__ = ["__version__"]
