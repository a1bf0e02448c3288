"""CSL locales: terms, date formats and options, merged from the style and the locale files.

A :class:`Locale` answers term lookups with CSL's fallbacks (``verb-short`` → ``verb`` →
long, ``symbol`` → ``short`` → long; a gendered form falls back to the neuter one) and the
ordinal rules (``ordinal-11`` before ``ordinal-01``, ``match`` attributes, a style that
defines any ordinal replacing all the locale file's ordinals). Sources are merged in CSL's
order: the style's ``cs:locale`` for the exact language, for the base language, without a
language; then the locale file for the language (or its primary dialect), then en-US.

The locale files are those citeproc-py ships (``citeproc/data/locales``).
"""

from __future__ import annotations

import json
import importlib.util
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

__all__ = ["Locale", "Term", "build_locale", "LOCALE_DIR", "parse_locale_element",
           "LocaleData"]

NS = "{http://purl.org/net/xbiblio/csl}"
_XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"


def _locale_dir() -> Path:
    # found without importing citeproc, whose __init__ loads lxml and its whole frontend
    spec = importlib.util.find_spec("citeproc")
    if spec is None or not spec.submodule_search_locations:
        raise ImportError("citeproc-py is not installed")
    return Path(next(iter(spec.submodule_search_locations))) / "data" / "locales"


LOCALE_DIR = _locale_dir()


@dataclass(frozen=True, slots=True)
class Term:
    """One term form: its single and multiple texts, gender and ordinal match rule."""

    name: str
    form: str = "long"
    single: str = ""
    multiple: str = ""
    gender: str = ""          # the term's own gender (months, nouns): masculine/feminine
    gender_form: str = ""     # for ordinals: which gender this form is for
    match: str = ""           # ordinals: last-digit / last-two-digits / whole-number


@dataclass
class LocaleData:
    """What one ``cs:locale`` element (or file) defines."""

    lang: str | None = None
    terms: dict[tuple[str, str, str], Term] = field(default_factory=dict)
    dates: dict[str, ET.Element] = field(default_factory=dict)
    options: dict[str, str] = field(default_factory=dict)


def parse_locale_element(node: ET.Element) -> LocaleData:
    """Return the terms, date formats and options one ``cs:locale`` element defines."""
    data = LocaleData(lang=node.get(_XML_LANG))
    for child in node:
        tag = child.tag.replace(NS, "")
        if tag == "terms":
            for term in child:
                if term.tag != NS + "term":
                    continue
                name = term.get("name", "")
                form = term.get("form", "long")
                single = term.find(NS + "single")
                multiple = term.find(NS + "multiple")
                text = term.text or ""
                entry = Term(name, form,
                             single.text or "" if single is not None else text,
                             multiple.text or "" if multiple is not None else text,
                             term.get("gender", ""), term.get("gender-form", ""),
                             term.get("match", ""))
                data.terms[(name, form, entry.gender_form)] = entry
        elif tag == "date":
            data.dates[child.get("form", "")] = child
        elif tag == "style-options":
            data.options.update(child.attrib)
    return data


@lru_cache(maxsize=None)
def _primary_dialects() -> dict[str, str]:
    try:
        data = json.loads((LOCALE_DIR / "locales.json").read_text("utf-8"))
        return {str(k): str(v) for k, v in data["primary-dialects"].items()}
    except (OSError, ValueError, KeyError):
        return {}


@lru_cache(maxsize=None)
def _file_locale(lang: str) -> LocaleData | None:
    path = LOCALE_DIR / f"locales-{lang}.xml"
    if not path.is_file():
        return None
    return parse_locale_element(ET.parse(path).getroot())


def file_locale(lang: str) -> LocaleData | None:
    """Return the locale file for `lang` ("de-DE", "de", "en"), falling back to the primary
    dialect of its language."""
    found = _file_locale(lang)
    if found is None:
        base = lang.split("-")[0]
        dialect = _primary_dialects().get(base)
        if dialect:
            found = _file_locale(dialect)
    return found


class Locale:
    """The merged locale a style renders with."""

    def __init__(self, sources: list[LocaleData], lang: str) -> None:
        self.lang = lang
        self.terms: dict[tuple[str, str, str], Term] = {}
        # the first source that defines an ordinal defines all of them (CSL 1.0.1)
        ordinal_source = next((s for s in sources
                               if any(k[0].startswith("ordinal") for k in s.terms)), None)
        for source in sources:
            for key, term in source.terms.items():
                if key[0].startswith("ordinal") and source is not ordinal_source:
                    continue
                self.terms.setdefault(key, term)
        self.dates: dict[str, ET.Element] = {}
        self.options: dict[str, str] = {}
        for source in sources:
            for form, node in source.dates.items():
                self.dates.setdefault(form, node)
            for name, value in source.options.items():
                self.options.setdefault(name, value)
        self.punctuation_in_quote = self.options.get("punctuation-in-quote") == "true"
        self.limit_day_ordinals = self.options.get("limit-day-ordinals-to-day-1") == "true"
        self._cache: dict[tuple[str, str, bool, str], str | None] = {}
        self.quotes: tuple[str, str, str, str] = (
            self.term("open-quote") or "\u201c", self.term("close-quote") or "\u201d",
            self.term("open-inner-quote") or "\u2018",
            self.term("close-inner-quote") or "\u2019")

    @property
    def language(self) -> str:
        """Return the primary language ("en" for "en-US")."""
        return self.lang.split("-")[0].lower()

    def find(self, name: str, form: str = "long", gender_form: str = "") -> Term | None:
        """Return the term `name` in `form` (with CSL's form fallbacks), or None."""
        forms = _FALLBACK.get(form, (form, "long"))
        for candidate in forms:
            if gender_form:
                term = self.terms.get((name, candidate, gender_form))
                if term is not None:
                    return term
            term = self.terms.get((name, candidate, ""))
            if term is not None:
                return term
        return None

    def term(self, name: str, form: str = "long", plural: bool = False,
             gender_form: str = "") -> str | None:
        """Return the text of term `name` (None when the locale lacks it)."""
        key = (name, form, plural, gender_form)
        if key in self._cache:
            return self._cache[key]
        term = self.find(name, form, gender_form)
        text = None if term is None else (term.multiple if plural else term.single)
        self._cache[key] = text
        return text

    def gender(self, name: str) -> str:
        """Return the gender of term `name` ("" when neuter or unknown)."""
        term = self.find(name)
        return term.gender if term is not None else ""

    def ordinal(self, number: int, gender: str = "") -> str:
        """Return `number` with its ordinal suffix ("1st", "22nd", "1re")."""
        suffix = self._ordinal_suffix(number, gender)
        return f"{number}{suffix}"

    def _ordinal_suffix(self, number: int, gender: str) -> str:
        two = number % 100
        term = self.find(f"ordinal-{two:02d}", "long", gender)
        if term is not None and term.match == "whole-number" and number != two:
            term = None
        if term is None:
            one = number % 10
            term = self.find(f"ordinal-{one:02d}", "long", gender)
            if term is not None:
                match = term.match or "last-digit"
                if (match == "whole-number" and number != one) or \
                        (match == "last-two-digits" and two != one):
                    term = None
        if term is None:
            term = self.find("ordinal", "long", gender)
        return term.single if term is not None else ""

    def long_ordinal(self, number: int, gender: str = "") -> str:
        """Return "first" .. "tenth" (an ordinal number beyond)."""
        if 1 <= number <= 10:
            term = self.find(f"long-ordinal-{number:02d}", "long", gender)
            if term is not None:
                return term.single
        return self.ordinal(number, gender)


_FALLBACK = {"long": ("long",), "short": ("short", "long"), "verb": ("verb", "long"),
             "verb-short": ("verb-short", "verb", "long"), "symbol": ("symbol", "short", "long")}


def build_locale(style_locales: list[LocaleData], lang: str) -> Locale:
    """Return the merged locale for `lang` given the style's own ``cs:locale`` elements."""
    base = lang.split("-")[0]
    dialect = _primary_dialects().get(base, lang)
    sources: list[LocaleData] = []
    sources += [s for s in style_locales if s.lang == lang]
    if dialect != lang:
        sources += [s for s in style_locales if s.lang == dialect]
    sources += [s for s in style_locales if s.lang == base and s.lang != lang]
    sources += [s for s in style_locales if not s.lang]
    for code in (lang, "en-US"):
        found = file_locale(code)
        if found is not None and found not in sources:
            sources.append(found)
    return Locale(sources, lang)
