"""The views layer between the services and the front doors: typed page contexts built from
the services, number and date formatting, tables, chart specs and the one Jinja environment.

The web app renders these contexts as pages and JSON twins; the reports render them as PDF
and Excel. Import the submodules (``exportplan.views.pages`` is the index of the pages).
"""
