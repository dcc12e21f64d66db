"""The supplier registry's and the buyers' demand lists' tables in the program store, and their reads."""
