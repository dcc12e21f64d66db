"""Normalising Persian and Arabic text and numbers as they appear in Iranian files.

* Persian digits ``۰-۹`` (U+06F0..) and Arabic-Indic digits ``٠-٩`` (U+0660..) become ASCII;
* :func:`number_text` removes the Arabic thousands separator ``٬`` (U+066C) and ``,`` and turns
  the Arabic decimal separator ``٫`` (U+066B) into ``.`` (for parameter files; data files are
  read under a declared decimal convention by :mod:`exportplan.reference.numbers`);
* Arabic ``ي``/``ك`` (and ``ى``, ``ة``-free forms) become Persian ``ی``/``ک``; ZWNJ and
  tatweel are treated as spaces or dropped for matching;
* :func:`shorten` and :func:`listed` bound a text shown in an error or a rejected row.
"""

from __future__ import annotations

import re
import unicodedata

DIGITS = str.maketrans("۰۱۲۳۴۵۶۷۸۹٠١٢٣٤٥٦٧٨٩", "01234567890123456789")
LETTERS = str.maketrans(
    {"ي": "ی", "ك": "ک", "ى": "ی", "ۀ": "ه", "ة": "ه", "ـ": None, "\u200c": " "}
)
# characters that may surround a number: separators and marks
NUMBER_TABLE = str.maketrans(
    {
        "٬": None,
        ",": None,
        "٫": ".",
        "\u200f": None,
        "\u200e": None,
        "\u00a0": None,
        " ": None,
        "\u066a": None,
    }
)
# ASCII-only translation for vectorised use (polars replace_many)
NUMBER_REPLACEMENTS: dict[str, str] = {
    **{a: b for a, b in zip("۰۱۲۳۴۵۶۷۸۹٠١٢٣٤٥٦٧٨٩", "01234567890123456789", strict=True)},
    "٬": "",
    ",": "",
    "٫": ".",
    "\u200f": "",
    "\u200e": "",
    "\u00a0": "",
    " ": "",
}
TEXT_REPLACEMENTS: dict[str, str] = {
    **{a: b for a, b in zip("۰۱۲۳۴۵۶۷۸۹٠١٢٣٤٥٦٧٨٩", "01234567890123456789", strict=True)},
    "ي": "ی",
    "ك": "ک",
    "ى": "ی",
    "ـ": "",
    "\u200f": "",
    "\u200e": "",
}

_SPACES = re.compile(r"\s+")


def digits(s: str) -> str:
    """Replace Persian and Arabic-Indic digits by ASCII digits."""
    return s.translate(DIGITS)


def clean_text(s: str) -> str:
    """Persian letters unified, digits ASCII, spaces collapsed (for storing names)."""
    s = unicodedata.normalize("NFC", s).translate(DIGITS)
    s = s.replace("ي", "ی").replace("ك", "ک").replace("ى", "ی").replace("ـ", "")
    return _SPACES.sub(" ", s.replace("\u200f", "").replace("\u200e", "")).strip()


def display_text(s: str) -> str:
    """A name as written, for showing it: like :func:`clean_text` (Arabic letters as Persian,
    tatweel and direction marks dropped, spaces collapsed) but its digits kept as written
    («شمس ۱۰» stays «شمس ۱۰»); compare names by :func:`match_key` or :func:`normalise`."""
    s = unicodedata.normalize("NFC", s)
    s = s.replace("ي", "ی").replace("ك", "ک").replace("ى", "ی").replace("ـ", "")
    return _SPACES.sub(" ", s.replace("\u200f", "").replace("\u200e", "")).strip()


def match_key(s: str) -> str:
    """Key for fuzzy matching of names: unified letters, no punctuation, lower case."""
    s = unicodedata.normalize("NFKD", s.translate(DIGITS).translate(LETTERS))
    s = "".join(ch for ch in s if not unicodedata.combining(ch))
    s = re.sub(r"[\s\.\,\-_'\"()،؛:]+", " ", s.lower())
    return s.strip()


def number_text(s: str) -> str:
    """A number as written (Persian digits, ``٬`` separators) turned into parseable ASCII."""
    return s.translate(DIGITS).translate(NUMBER_TABLE).strip()


SHOWN_CHARS = 200


def shorten(s: str, limit: int = SHOWN_CHARS) -> str:
    """``s`` cut to ``limit`` characters, saying how long it was (for errors and rejects)."""
    if len(s) <= limit:
        return s
    return f"{s[:limit]}… ({len(s)} characters)"


def listed(items: list[str], limit: int = 20, each: int = 60) -> str:
    """Items joined with commas, at most ``limit`` of them, each cut to ``each`` characters,
    and how many more there were (error messages stay short whatever a file holds)."""
    shown = ", ".join(shorten(i, each) for i in items[:limit])
    return shown + (f" (and {len(items) - limit:,} more)" if len(items) > limit else "")


def to_persian_digits(s: str) -> str:
    """ASCII digits to Persian digits (for display)."""
    return s.translate(str.maketrans("0123456789", "۰۱۲۳۴۵۶۷۸۹"))


# --- normalise: one function for matching text, at write time and at query time --------------
_NORM_TABLE = str.maketrans(
    {
        **dict(zip("۰۱۲۳۴۵۶۷۸۹٠١٢٣٤٥٦٧٨٩", "01234567890123456789", strict=True)),
        "ي": "ی",
        "ى": "ی",
        "ئ": "ی",
        "ك": "ک",
        "ة": "ه",
        "ۀ": "ه",
        "أ": "ا",
        "إ": "ا",
        "ٱ": "ا",
        "ـ": None,
        "\u200e": None,
        "\u200f": None,
        "\u200d": None,
        "\ufeff": None,
        "\u200c": " ",
        "\u00a0": " ",
    }
)
_HARAKAT = re.compile("[\u064b-\u065f\u0670]")
_DIGIT_SEP = re.compile(r"(?<=\d)[٫٬](?=\d)")
_MI = re.compile(r"(?<![\w])(ن?می) (?=[\u0600-\u06ff])")
_SUFFIX = re.compile(r"(?<=[\u0600-\u06ff]) (ها|های|هایی|تر|ترین)(?![\w])")


def normalise(s: str) -> str:
    """Text as it is matched: NFKC; Persian and Arabic-Indic digits ASCII; Arabic ``ي ى ك ة``
    as Persian ``ی ک ه``; tatweel, diacritics and direction marks dropped; ZWNJ as a space and
    then the affixes glued (``می شود``, ``می‌شود``, ``میشود`` agree, so do ``لوله ها`` and
    ``لوله‌ها``); ``٫`` and ``٬`` inside digit runs as ``.`` and nothing; Latin lower-cased;
    spaces collapsed. The same function serves the registry and the demand lists, at import
    and at query time, so two spellings of one word never differ."""
    s = unicodedata.normalize("NFKC", s)
    s = _DIGIT_SEP.sub(lambda m: "." if m.group(0) == "٫" else "", s.translate(DIGITS))
    s = _HARAKAT.sub("", s.translate(_NORM_TABLE)).lower()
    s = _SPACES.sub(" ", s).strip()
    s = _MI.sub(r"\1", s)
    return _SUFFIX.sub(r"\1", s)


_SEP = "\x00"
_AROUND_SEP = re.compile(" ?\x00 ?")


def normalise_all(texts: list[str]) -> list[str]:
    """:func:`normalise` of each text, computed on the texts joined by NUL (no step of it
    crosses a NUL, which is neither a space, a word character nor a cased letter), so that
    25,000 texts cost a few regular-expression passes instead of 25,000 of each."""
    if not texts:
        return []
    if any(_SEP in t for t in texts):
        return [normalise(t) for t in texts]
    s = unicodedata.normalize("NFKC", _SEP.join(texts))
    s = _DIGIT_SEP.sub(lambda m: "." if m.group(0) == "٫" else "", s.translate(DIGITS))
    s = _HARAKAT.sub("", s.translate(_NORM_TABLE)).lower()
    s = _AROUND_SEP.sub(_SEP, _SPACES.sub(" ", s)).strip(" ")
    s = _MI.sub(r"\1", s)
    return _SUFFIX.sub(r"\1", s).split(_SEP)
