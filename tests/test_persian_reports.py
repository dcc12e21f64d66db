"""Every report in Persian passes the untranslated-string test (issue 16): the investment
report, the zone report and the buyer's shortlist here (the council pack and the handover
dossier in tests/test_reports.py, which makes them anyway) are read twice, by the Persian
walker's rules over the HTML each PDF is made of (text marked ``translate="no"`` is data: names,
titles, what a user typed) and in the PDF's own text (pdftotext): no English word outside data,
no Latin digits in Persian running text (numbers in Persian digits; codes such as ``EP-0007``
keep theirs), no Gregorian day. Each report's pages are drawn to PNG (pdftoppm, 50 dpi) in the
artefact folder (``EXPORTPLAN_ARTEFACTS``, else the test's own) to be looked at."""

from __future__ import annotations

import datetime as dt
import os
import re
import subprocess
from pathlib import Path

from exportplan.auth import local_actor
from exportplan.reports.invest_report import report_context
from exportplan.reports.render import html, html_pdf
from exportplan.reports.shortlist import shortlist_context
from exportplan.reports.zone_report import zone_report_context
from exportplan.workspace import Workspace
from test_persian_complete import ALLOWED, CODE, FILE, ISO_DAY, WORD, Visible

#: a document's path named in a note (``docs/zones.md``) is a file name, as the walker's
DOC = re.compile(r"[A-Za-z0-9_./-]+\.md(?![A-Za-z0-9])")
#: a run of Latin digits with no Latin letter in its word (``7308``, ``12.5``; not ``EP-0007``)
LATIN_NUMBER = re.compile(r"(?<![A-Za-z0-9_-])[0-9][0-9.,/:٬٫]*(?![A-Za-z0-9_])")
BIDI = re.compile("[\u200e\u200f\u202a-\u202e\u2066-\u2069]")
#: what a reason quotes («ball valve», the glossary's words) and a standard's name with its
#: number (API 600, ISO 3834-2) are data, as written
QUOTED = re.compile(r"«[^»]*»|\b(?!HS\b)[A-Z][A-Z0-9]+ [0-9][0-9-]*")


class Data(Visible):
    """The text of the elements marked ``translate="no"`` (data), outside scripts."""

    def __init__(self) -> None:
        super().__init__()
        self.data: list[str] = []
        self.marks: list[bool] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        super().handle_starttag(tag, attrs)
        if tag not in self.VOID:
            self.marks.append(dict(attrs).get("translate") == "no")

    def handle_endtag(self, tag: str) -> None:
        super().handle_endtag(tag)
        if tag not in self.VOID and self.marks:
            self.marks.pop()

    def handle_data(self, data: str) -> None:
        super().handle_data(data)
        if any(self.marks) and data.strip():
            self.data.append(data.strip())


def _plain(text: str) -> str:
    return QUOTED.sub(" ", DOC.sub(" ", FILE.sub(" ", text)))


def _words(text: str) -> set[str]:
    return {w for w in WORD.findall(_plain(text)) if w not in ALLOWED and not CODE.match(w)}


def report_findings(page: str, pdf: bytes, tmp: Path) -> list[str]:
    """What a Persian report shows in English, by its HTML and by its PDF's text."""
    parsed = Data()
    parsed.feed(page)
    found = [f"html: {w}" for text in parsed.texts for w in sorted(_words(text))]
    found += [f"html: {d}" for text in parsed.texts for d in ISO_DAY.findall(text)]
    found += [
        f"html digits: {n} in {text[:60]!r}"
        for text in parsed.texts
        for n in LATIN_NUMBER.findall(_plain(text))
    ]
    quoted = [q for text in parsed.texts for q in QUOTED.findall(text)]
    data = {w for text in [*parsed.data, *quoted] for w in WORD.findall(text)}
    path = tmp / "report.pdf"
    path.write_bytes(pdf)
    out = subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, check=True)
    text = BIDI.sub("", out.stdout.decode())
    found += [f"pdf: {w}" for w in sorted(_words(text) - data)]
    found += [f"pdf: {d}" for d in ISO_DAY.findall(text)]
    return found


def draw(pdf: bytes, name: str, tmp: Path) -> list[Path]:
    """Every page of a report as PNG (50 dpi) in the artefact folder; each a drawn page."""
    folder = Path(os.environ.get("EXPORTPLAN_ARTEFACTS") or tmp)
    folder.mkdir(parents=True, exist_ok=True)
    src = tmp / f"{name}.pdf"
    src.write_bytes(pdf)
    subprocess.run(["pdftoppm", "-png", "-r", "50", str(src), str(folder / name)], check=True)
    pages = sorted(folder.glob(f"{name}-*.png"))
    assert pages and all(p.stat().st_size > 3_000 for p in pages), pages
    return pages


def check(template: str, values: object, name: str, tmp: Path) -> list[str]:
    """A Persian report made from its context: its findings, its pages drawn."""
    page = html(template, values)
    pdf = html_pdf(page)
    draw(pdf, name, tmp)
    return [f"{name} {f}" for f in report_findings(page, pdf, tmp)]


def check_report(template: str, values: object, name: str, tmp: Path) -> bytes:
    """A Persian report's PDF, made from its context, once it is found to have no English
    word outside data (its pages drawn)."""
    page = html(template, values)
    pdf = html_pdf(page)
    draw(pdf, name, tmp)
    found = report_findings(page, pdf, tmp)
    assert found == [], "\n".join(found)
    return pdf


def test_the_checker_sees_english_and_latin_digits(tmp_path: Path) -> None:
    page = (
        '<html><body><p>گزارش HS 7308 <bdi translate="no">Goa Ore</bdi> EP-0007 status</p>'
        "<p>۱۴۰۵/۰۹/۰۷ docs/zones.md 2026-11-28</p></body></html>"
    )
    found = report_findings(page, html_pdf(page), tmp_path)
    assert "html: status" in found and "pdf: status" in found
    assert "html digits: 7308 in 'گزارش HS 7308'" in found
    assert "html: 2026-11-28" in found and "pdf: 2026-11-28" in found
    shown = {f.split(" in ")[0].split(": ")[1] for f in found}
    assert shown == {"status", "7308", "2026-11-28", "2026"}  # not the data, the code, the file


def test_persian_reports_have_no_english(small_demo: Workspace, tmp_path: Path) -> None:
    db = small_demo.program()
    day = dt.date(2026, 11, 28)
    found = check(
        "report_invest.html",
        report_context(db, sh_year=1405, month=8, lang="fa", synthetic=True),
        "report-investment-fa",
        tmp_path,
    )
    found += check(
        "report_zone.html",
        zone_report_context(small_demo, db, "SLM", as_of=day, lang="fa"),
        "report-zone-fa",
        tmp_path,
    )
    found += check(
        "report_shortlist.html",
        shortlist_context(db, local_actor(), buyer="NIOC", lang="fa"),
        "report-shortlist-fa",
        tmp_path,
    )
    assert found == [], "\n".join(found)
