"""The industrial zones' part of the program store: zones, plots, applications and what follows them."""
