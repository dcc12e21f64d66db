"""One English label, one Persian word (issue 16): the label dictionaries of the domains are
merged into one (``exportplan.i18n.FA``, the first wording kept), so two dictionaries that
give one English label two Persian words make a page show a word its own dictionary did not
choose, and the same thing read differently on two pages. This test fails on any such pair
outside the commented exceptions."""

from __future__ import annotations

import ast
from pathlib import Path

from exportplan import i18n
from exportplan.reference import (
    claim_labels,
    invest_labels,
    labels_analyst,
    labels_files,
    labels_pages,
    labels_suppliers,
    program_sheets,
    program_words,
    zone_labels,
)

#: Where one English label stands for two things, each with its own Persian word (the context
#: truly differs); each entry says why
EXCEPTIONS: dict[str, str] = {
    # the export definition (goods leaving through the province's customs) on the pages;
    # an agency's kind (the customs administration) in the program's rules
    "customs": "a definition on the pages, an agency's kind in the program's rules",
    # an HS code's level (chapter, heading) on the pages; the quantity a claim states (a
    # level of exports) in the claims' checking
    "level": "a code's level on the pages, a stated quantity in claim checking",
    # a count on the pages; the kind of a column (a number) in a download's data dictionary
    "number": "a count on the pages, a column's kind in the data dictionary",
}

#: Dictionaries that are not words of the pages: the terminal's fuller wording on purpose
#: (i18n.FA_TERMINAL), message templates (whole sentences, checked by their own tests)
NOT_LABELS = {"FA_TERMINAL", "FA_WARNINGS", "FA_ERRORS", "REASONS_FA", "FA_RULES"}


def _core() -> dict[str, str]:
    """The literal dictionary ``FA = {...}`` of i18n.py, before the domains are merged in."""
    tree = ast.parse(Path(i18n.__file__).read_text("utf-8"))
    for node in tree.body:
        if isinstance(node, ast.AnnAssign) and getattr(node.target, "id", "") == "FA":
            value = ast.literal_eval(node.value)  # type: ignore[arg-type]
            assert isinstance(value, dict)
            return value
    raise AssertionError("no FA literal in i18n.py")


def dictionaries() -> dict[str, dict[str, str]]:
    out = {"i18n.FA (core)": _core()}
    for mod in (
        i18n, claim_labels, invest_labels, labels_analyst, labels_files, labels_pages,
        labels_suppliers, program_sheets, program_words, zone_labels,
    ):  # fmt: skip
        for name, value in vars(mod).items():
            if (mod is i18n and name == "FA") or name in NOT_LABELS or not name.isupper():
                continue
            if not isinstance(value, dict) or not value or not ("FA" in name or name == "WORDS"):
                continue
            if all(isinstance(k, str) and isinstance(v, str) for k, v in value.items()):
                out[f"{mod.__name__.rsplit('.', 1)[-1]}.{name}"] = value
    return out


def test_the_scan_sees_every_domains_dictionary() -> None:
    found = dictionaries()
    for name in ("zone_labels.FA", "invest_labels.FA", "program_words.PROGRAM_FA",
                 "labels_suppliers.FA", "i18n.FA (core)", "program_sheets.FA"):  # fmt: skip
        assert name in found and len(found[name]) > 10, name


def test_no_english_label_has_two_persian_words() -> None:
    words: dict[str, dict[str, str]] = {}
    for name, d in dictionaries().items():
        for english, persian in d.items():
            words.setdefault(english, {})[name] = persian
    clashes = [
        f"{english!r}: " + "; ".join(f"{d} {p!r}" for d, p in sorted(by.items()))
        for english, by in sorted(words.items())
        if len(set(by.values())) > 1 and english not in EXCEPTIONS
    ]
    assert clashes == [], "\n".join(clashes)
    # the merged dictionary then holds each domain's own word (the dictionaries merged
    # into it: the pages' words of each domain)
    merged = {
        n
        for n in dictionaries()
        if n.endswith((".FA", "(core)", "PROGRAM_FA", "INVEST_FA"))
        or n
        in {
            f"i18n.{k}"
            for k in (
                "FA_ROLES",
                "FA_DOWNLOADS",
                "FA_INTRODUCTIONS",
                "FA_COUNCIL",
                "FA_AUDIT_WORDS",
            )
        }
    }
    assert len(merged) >= 14
    for name, d in dictionaries().items():
        for english, persian in d.items():
            if english not in EXCEPTIONS and name in merged:
                assert i18n.FA.get(english) == persian or english in i18n.FA_TERMINAL, (
                    name,
                    english,
                )
