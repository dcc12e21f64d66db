"""Services: one job each, combining the stores and the pure analytics. The CLI, the web
application and the reports call these, so a number is computed once, the same way."""

__all__ = [
    "batch",
    "batch_compare",
    "batch_engines",
    "claims",
    "complexity",
    "complexity_report",
    "data",
    "demo",
    "demo_program",
    "demo_zones",
    "facts",
    "imports",
    "invest",
    "monitor",
    "opportunities",
    "opportunities_backtest",
    "plan_of_record",
    "product_space",
    "products",
    "program",
    "signin_limits",
    "suppliers",
    "users",
    "zones",
]
