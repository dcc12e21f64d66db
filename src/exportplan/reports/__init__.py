"""Reports: the council pack and the handover dossier as PDF (WeasyPrint), and a workbook of
every table. They render the views' page contexts (:mod:`exportplan.views`) with the same
labels and formatting, so a number in a report is the number on the screen. Charts are the
pages' Vega-Lite specs rendered to PNG by vl-convert (SVG would lose Persian shaping in
WeasyPrint); fonts are the vendored Vazirmatn.

The dossier's sections come from a registry (:mod:`exportplan.reports.sections`); the
program's register when this package is imported (:mod:`exportplan.reports.program_sections`),
and a new domain adds its module's import here.
"""

from exportplan.reports import invest_sections as invest_sections
from exportplan.reports import program_sections as program_sections
from exportplan.reports import zone_sections as zone_sections  # industrial zones (issue 18)
from exportplan.reports.council_pack import council
from exportplan.reports.dossier import handover
from exportplan.reports.invest_report import invest_report
from exportplan.reports.shortlist import shortlist
from exportplan.reports.tables_workbook import workbook

__all__ = ["council", "handover", "invest_report", "shortlist", "workbook"]
