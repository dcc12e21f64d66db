"""The claim register in the program store: checked texts with their claims and verdicts."""

__all__ = ["models", "queries", "writes"]
