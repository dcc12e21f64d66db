"""Pure analytics: functions on arrays and tidy frames, no I/O, no hidden state.

Modules include :mod:`rca` (Balassa RCA, RPOP, presence), :mod:`complexity` (ECI/PCI by eigenvector,
reflections, fitness), :mod:`relatedness` (proximity, density, COI/COG), :mod:`ecomplexity`
(the per-year pipeline on tidy frames with the Growth Lab's column names).
"""

__all__ = [
    "batch_relational",
    "claim_extract",
    "claim_periods",
    "complexity",
    "decomposition",
    "ecomplexity",
    "enquiry_service",
    "forecast",
    "fragility",
    "invest_funnel",
    "match_eval",
    "matching",
    "plot_geometry",
    "potential",
    "potential_backtest",
    "product_space",
    "rca",
    "relatedness",
    "target_path",
    "text_similarity",
    "treemap",
    "zone_pace",
]
