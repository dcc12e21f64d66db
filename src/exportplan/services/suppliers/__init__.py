"""Suppliers matched to demand: the registry and demand-list imports, matching, curation,
introductions and the gap report, as plain functions over the program store and an actor."""
