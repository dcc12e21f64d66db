"""``python -m exportplan.cli``."""

from exportplan.cli import main

main()
