"""Checking the quantitative claims of a news text against the workspace (``check``), the
fields corrected by hand (``corrections``) and the register of checked texts (``register``)."""

__all__ = ["check", "corrections", "register"]
