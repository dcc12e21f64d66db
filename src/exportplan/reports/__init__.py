"""Reports: the council pack and the handover dossier as PDF (WeasyPrint), and a workbook of
every table. They render the web pages' contexts (:mod:`exportplan.web.pages`) with the same
labels and formatting, so a number in a report is the number on the screen. Charts are the
pages' Vega-Lite specs rendered to PNG by vl-convert (SVG would lose Persian shaping in
WeasyPrint); fonts are the vendored Vazirmatn.
"""

from exportplan.reports.render import council, handover, workbook

__all__ = ["council", "handover", "workbook"]
