"""Checking the quantitative claims of a news text against the workspace (``check``) and the
register of checked texts (``register``)."""

__all__ = ["check", "register"]
