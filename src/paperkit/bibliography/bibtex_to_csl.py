"""The BibTeX/BibLaTeX to CSL mapping: entry types and fields as data, and :func:`to_csl`.

The mapping follows BibLaTeX's manual (section 2.1, entry types; 2.2, fields) and CSL
1.0.2's variables, field for field as pandoc's BibTeX reader (``Text.Pandoc.Citeproc.BibTeX``)
maps them, so that a .bib file reads the same in paperkit and in pandoc. Where the two
differ it is on purpose, and ``benchmarks/ORACLE.md`` says why (CSL 1.0.2 types pandoc does
not use yet: ``software``, ``standard``, ``performance``, ``periodical``; ``@conference`` as
the alias of ``@inproceedings`` it is; a DOI given as a URL; a ``howpublished`` URL).

Nothing is dropped: a field with no CSL variable is kept under its own (lower-case BibTeX)
name. The original entry type is kept as ``bibtex-type`` so that checks can speak BibTeX
("a techreport needs an institution").
"""

from __future__ import annotations

import re
from typing import Any

from .biblatex_keys import LANGUAGES, language_tag, resolve_key
from .dates import date_from_parts, parse_date
from .latex_text import decode_latex, decode_verbatim
from .names import parse_names
from .titles import TitleText, read_title

__all__ = ["CSL_TYPES", "DEFAULT_TYPE", "IGNORED_FIELDS", "LANGUAGES", "to_csl", "language_tag"]

#: BibTeX and BibLaTeX entry types to CSL types.
CSL_TYPES: dict[str, str] = {
    # BibTeX's standard types
    "article": "article-journal",
    "book": "book",
    "booklet": "pamphlet",
    "conference": "paper-conference",
    "inbook": "chapter",
    "incollection": "chapter",
    "inproceedings": "paper-conference",
    "manual": "book",
    "mastersthesis": "thesis",
    "misc": "",
    "phdthesis": "thesis",
    "proceedings": "book",
    "techreport": "report",
    "unpublished": "manuscript",
    # BibLaTeX's regular types
    "bookinbook": "chapter",
    "collection": "book",
    "dataset": "dataset",
    "inreference": "entry-encyclopedia",
    "mvbook": "book",
    "mvcollection": "book",
    "mvproceedings": "book",
    "mvreference": "book",
    "online": "webpage",
    "patent": "patent",
    "periodical": "periodical",
    "reference": "book",
    "report": "report",
    "set": "",
    "software": "software",
    "suppbook": "chapter",
    "suppcollection": "chapter",
    "suppperiodical": "article-journal",
    "thesis": "thesis",
    "xdata": "",
    # BibLaTeX's non-standard types (section 2.1.3)
    "artwork": "graphic",
    "audio": "song",
    "bibnote": "",
    "commentary": "book",
    "image": "graphic",
    "jurisdiction": "legal_case",
    "legal": "treaty",
    "legislation": "legislation",
    "letter": "personal_communication",
    "movie": "motion_picture",
    "music": "song",
    "performance": "performance",
    "review": "review",
    "standard": "standard",
    "video": "motion_picture",
    # aliases BibLaTeX accepts, and biblatex-apa's types
    "electronic": "webpage",
    "www": "webpage",
    "data": "dataset",
    "letters": "personal_communication",
    "newsarticle": "article-newspaper",
    "customa": "", "customb": "", "customc": "", "customd": "", "custome": "", "customf": "",
}

#: The CSL type of an entry type not in :data:`CSL_TYPES`, and of @misc (and the other
#: entries of no particular kind): none, as pandoc reads them. Styles render an untyped
#: work by their generic branch (listed, title in italics); CSL 1.0.2's "document" would
#: be a private document to Chicago, which quotes its title and leaves it out of the
#: notes-bibliography list: a @misc web page or data file would silently disappear.
DEFAULT_TYPE = ""

#: Fields that are instructions to BibTeX/biber rather than data about the work.
IGNORED_FIELDS = frozenset({"crossref", "xref", "xdata", "options", "presort", "sortkey",
                            "sortname", "sorttitle", "sortyear", "execute", "entryset",
                            "related", "relatedtype", "relatedoptions", "entrysubtype",
                            "langidopts", "editortype", "eprintclass", "primaryclass"})

# Entry types whose ``number`` is a series number, and those whose ``number`` is an issue.
_SERIES_NUMBERED = {"book", "collection", "proceedings", "reference", "mvbook", "mvcollection",
                    "mvproceedings", "mvreference", "bookinbook", "inbook", "incollection",
                    "inproceedings", "conference", "inreference", "suppbook",
                    "suppcollection"}
_ARTICLES = {"article", "periodical", "suppperiodical", "review"}
# Parts of a larger work: their booktitle (or maintitle) is the container. pandoc leaves
# out @suppbook and @suppcollection (BibLaTeX's manual makes them kinds of @inbook and
# @incollection) and @conference (an alias of @inproceedings), whose booktitle it loses.
_CHAPTERS = {"inbook", "incollection", "inproceedings", "conference", "inreference",
             "bookinbook", "suppbook", "suppcollection"}
_SUBTYPES = {"magazine": "article-magazine", "newspaper": "article-newspaper"}
_EPRINT_URLS = {"arxiv": "https://arxiv.org/abs/", "jstor": "https://www.jstor.org/stable/",
                "pubmed": "https://www.ncbi.nlm.nih.gov/pubmed/",
                "googlebooks": "https://books.google.com?id="}
_DOI_PREFIX = re.compile(r"^(?:https?://(?:dx\.)?doi\.org/|doi:\s*)", re.IGNORECASE)
# Name fields with a CSL variable (pandoc's, plus CSL 1.0.2 roles BibLaTeX has).
_NAMES = {"author": "author", "bookauthor": "container-author", "translator": "translator",
          "director": "director", "organizer": "organizer", "recipient": "recipient",
          "interviewer": "interviewer", "illustrator": "illustrator", "composer": "composer"}
_PLAIN = {"pagetotal": "number-of-pages", "volumes": "number-of-volumes",
          "chapter": "chapter-number", "edition": "edition", "version": "version",
          "origpublisher": "original-publisher", "venue": "event-place",
          "abstract": "abstract", "keywords": "keyword"}
_VERBATIM = {"isbn": "ISBN", "issn": "ISSN", "pmid": "PMID", "pmcid": "PMCID",
             "library": "call-number", "ids": "other-ids"}


class _Entry:
    """An entry's raw fields, remembering which ones the mapping used."""

    def __init__(self, entry_type: str, fields: dict[str, str], lang: str) -> None:
        self.type = entry_type
        self.fields = {k: v for k, v in fields.items() if v.strip()}
        self.used: set[str] = set()
        self.lang = lang
        language = language_tag(fields)
        # English titles are stored in sentence case (see titles.py)
        self.sentence_case = lang.lower().startswith("en") and (
            language is None or language.lower().startswith("en-"))
        self.language = language

    def raw(self, name: str) -> str | None:
        value = self.fields.get(name)
        if value is not None:
            self.used.add(name)
        return value

    def has(self, name: str) -> bool:
        return name in self.fields

    def text(self, name: str) -> str | None:
        raw = self.raw(name)
        return decode_latex(raw) if raw is not None else None

    def title(self, name: str, *, cased: bool = True) -> TitleText | None:
        raw = self.raw(name)
        if raw is None:
            return None
        return read_title(raw, sentence_case=cased and self.sentence_case)

    def literal_list(self, name: str) -> str | None:
        """Return a BibLaTeX literal list (``London and New York``) joined by "; "."""
        raw = self.raw(name)
        if raw is None:
            return None
        return "; ".join(decode_latex(item) for item in _split_and(raw))


def _split_and(raw: str) -> list[str]:
    """Return the items of a literal list, split at ``and`` outside braces."""
    items: list[str] = []
    current: list[str] = []
    depth = 0
    words = re.split(r"(\s+)", raw)
    for word in words:
        depth += word.count("{") - word.count("}")
        if depth == 0 and word == "and" and current:
            items.append("".join(current).strip())
            current = []
        else:
            current.append(word)
    items.append("".join(current).strip())
    return [item for item in items if item]


def _concat(parts: list[TitleText | None], separator: str) -> TitleText | None:
    out: TitleText | None = None
    for part in parts:
        if part is None:
            continue
        out = part if out is None else out.join(part, separator)
    return out


def _join_text(parts: list[str | None], separator: str) -> str | None:
    """Return `parts` joined as pandoc's ``concatWith``: "A. B", but "A? B"."""
    out = ""
    for part in parts:
        if not part:
            continue
        if not out:
            out = part
        elif out[-1] in "!?.,:;":
            out = f"{out} {part}"
        else:
            out = f"{out}{separator} {part}"
    return out or None


def to_csl(entry_type: str, fields: dict[str, str], *, lang: str = "en-US"
           ) -> tuple[str, dict[str, Any]]:
    """Return the CSL type and CSL variables of a BibTeX entry.

    `entry_type` is the BibTeX type (any case); `fields` maps lower-case field names to raw
    LaTeX values (delimiters removed, @string macros expanded, crossref and xdata
    inherited). `lang` is the paper's language: English titles are converted to sentence
    case when the paper is English (see :mod:`~paperkit.bibliography.titles`). Names become
    CSL name lists, dates CSL dates, titles CSL-JSON text with ``nocase`` spans, everything
    else Unicode text. The result also holds ``bibtex-type`` and every field without a CSL
    variable under its own name.
    """
    bib_type = entry_type.lower()
    entry = _Entry(bib_type, fields, lang)
    options = _options(entry.raw("options") or "")
    out: dict[str, Any] = {}
    csl_type = _csl_type(entry)
    _names(entry, options, out)
    _dates(entry, out)
    _numbers(entry, out)
    _titles(entry, out)
    _publication(entry, out)
    _identifiers(entry, options, out)
    _notes(entry, out)
    genre = _genre(entry)
    if genre:
        out["genre"] = genre
    if entry.language:
        entry.raw("langid")
        entry.raw("hyphenation")
        out["language"] = entry.language
    out = {k: v for k, v in out.items() if v not in (None, "", [])}
    out["bibtex-type"] = bib_type
    for name, raw in entry.fields.items():
        if name in entry.used or name in IGNORED_FIELDS or name in out:
            continue
        out[name] = decode_latex(raw)
    return csl_type, out


def _options(raw: str) -> dict[str, str]:
    out = {}
    for part in raw.split(","):
        key, _, value = part.partition("=")
        if key.strip():
            out[key.strip().lower()] = value.strip().lower() or "true"
    return out


def _csl_type(entry: _Entry) -> str:
    csl_type = CSL_TYPES.get(entry.type, DEFAULT_TYPE)
    subtype = entry.fields.get("entrysubtype", "").strip().lower()
    if entry.type in ("article", "periodical", "suppperiodical") and subtype in _SUBTYPES:
        return _SUBTYPES[subtype]
    if entry.type == "unpublished" and any(entry.has(f) for f in ("eventdate", "eventtitle",
                                                                   "venue")):
        return "speech"  # a talk: CSL's "speech" is a speech or other presentation
    return csl_type


def _genre(entry: _Entry) -> str | None:
    kind = entry.text("type")
    if kind:
        return resolve_key(kind, lang=entry.lang)
    if entry.type == "mastersthesis":
        return resolve_key("mathesis", lang=entry.lang)
    if entry.type == "phdthesis":
        return resolve_key("phdthesis", lang=entry.lang)
    return None


def _names(entry: _Entry, options: dict[str, str], out: dict[str, Any]) -> None:
    useprefix = options.get("useprefix") == "true"
    for field, variable in _NAMES.items():
        raw = entry.raw(field)
        if raw is not None:
            out[variable] = parse_names(raw, useprefix=useprefix)
    editor = entry.raw("editor")
    if editor is not None:
        role = (entry.fields.get("editortype") or "").strip().lower()
        out["director" if role == "director" else "editor"] = \
            parse_names(editor, useprefix=useprefix)
    holder = entry.fields.get("holder")
    if holder is not None and "author" not in out:
        entry.raw("holder")  # a patent's holder stands in for a missing inventor
        out["author"] = parse_names(holder, useprefix=useprefix)


def _date(entry: _Entry, field: str, prefix: str) -> dict[str, Any] | None:
    raw = entry.raw(field)
    if raw is not None:
        return parse_date(decode_verbatim(raw))
    parts = [entry.text(prefix + name) for name in ("year", "month", "day", "endyear",
                                                    "endmonth", "endday")]
    return date_from_parts(*parts)


def _dates(entry: _Entry, out: dict[str, Any]) -> None:
    out["issued"] = _date(entry, "date", "")
    out["event-date"] = _date(entry, "eventdate", "event")
    out["original-date"] = _date(entry, "origdate", "orig")
    out["accessed"] = _date(entry, "urldate", "url")


def _numbers(entry: _Entry, out: dict[str, Any]) -> None:
    page = entry.text("pages")
    if page is not None:
        out["page"] = page.replace("\u2013", "-").replace("\u2014", "-")
    for field, variable in _PLAIN.items():
        value = entry.text(field)
        if value is not None:
            out[variable] = value
    volume, part = entry.text("volume"), entry.text("part")
    if volume and part:
        out["volume"] = f"{volume}.{part}"
    elif volume or part:
        out["volume"] = volume or part
    number = entry.text("number")
    issue = entry.text("issue")
    if number is not None and entry.type in _SERIES_NUMBERED:
        out["collection-number"] = number
    elif number is not None and entry.type in _ARTICLES:
        out["issue"] = _join_text([number, issue], ",")
    elif number is not None:
        out["number"] = number
    if "issue" not in out and issue is not None:
        out["issue"] = issue


def _titles(entry: _Entry, out: dict[str, Any]) -> None:
    periodical = entry.type == "periodical"
    chapter = entry.type in _CHAPTERS
    main = entry.has("maintitle")
    whole = main and not chapter  # the entry is one volume of a multi-volume work

    def first(*names: str, cased: bool = True) -> TitleText | None:
        for name in names:
            if entry.has(name):
                return entry.title(name, cased=cased)
        return None

    title = first(*(["issuetitle"] if periodical else []),
                  *(["maintitle"] if whole else []), "title")
    subtitle = first(*(["issuesubtitle"] if periodical else []),
                     *(["mainsubtitle"] if whole else []), "subtitle")
    addon = first(*(["maintitleaddon"] if whole else []), "titleaddon")
    full = _concat([_concat([title, subtitle], ":"), addon], ".")
    if full is not None:
        out["title"] = full.markup()
    if main:
        volume = _concat([_concat([first("title" if whole else "booktitle"),
                                   first("subtitle" if whole else "booksubtitle")], ":"),
                          first("titleaddon" if whole else "booktitleaddon")], ".")
        if volume is not None:
            out["volume-title"] = volume.markup()
    container = None
    if periodical:
        container = _concat([_concat([entry.title("title", cased=False),
                                      entry.title("subtitle", cased=False)], ":"),
                             entry.title("titleaddon", cased=False)], ".")
    elif chapter and (main or entry.has("booktitle")):
        stem = "main" if main else "book"
        container = _concat([_concat([first(f"{stem}title"), first(f"{stem}subtitle")], ":"),
                             first(f"{stem}titleaddon")], ".")
    if container is None:
        container = _concat([first("journaltitle", "journal", cased=False),
                             first("journalsubtitle", cased=False)], ":")
    if container is not None:
        out["container-title"] = container.markup()
    short_container = (entry.title("shorttitle", cased=False) if periodical and not main
                       else None) or first("shortjournal", cased=False)
    if short_container is not None:
        out["container-title-short"] = short_container.markup()
    series = entry.title("series")
    if series is not None:
        out["collection-title"] = _series(series, entry.lang)
    short = None
    plain_title = entry.title("title")
    if entry.has("shorttitle") and (not main or chapter):
        short = entry.title("shorttitle")
    elif plain_title is not None:
        short = (plain_title.before_colon() or plain_title) if (subtitle or addon) and not main \
            else plain_title.before_colon()
    if short is not None:
        out["title-short"] = short.markup()
    for field, variable in (("eventtitle", "event"), ("origtitle", "original-title")):
        value = entry.title(field)
        if value is not None:
            out[variable] = value.markup()


def _series(series: TitleText, lang: str) -> str:
    """Return a series title; a bare number is "3rd series" (BibLaTeX's ``jourser``)."""
    text = series.plain()
    if text.isdigit() and lang.lower().startswith("en"):
        number = int(text)
        suffix = "th" if 10 <= number % 100 <= 13 else \
            {1: "st", 2: "nd", 3: "rd"}.get(number % 10, "th")
        return f"{text}{suffix} {resolve_key('jourser', lang=lang)}"
    return resolve_key(series.markup(), lang=lang)


def _publication(entry: _Entry, out: dict[str, Any]) -> None:
    publishers: list[str] = []
    for field in ("school", "institution", "organization", "howpublished", "publisher"):
        if field == "howpublished":
            raw = entry.fields.get(field)
            if raw is None:
                continue
            url = decode_verbatim(raw)
            if url.startswith(("http://", "https://")) and not entry.has("url"):
                entry.raw(field)  # a URL given as howpublished is the URL
                out["URL"] = url
                continue
            publishers.append(entry.text(field) or "")
        else:
            value = entry.literal_list(field)
            if value:
                publishers.append(value)
    if publishers:
        out["publisher"] = "; ".join(p for p in publishers if p)
    address = entry.literal_list("address")
    if address is None and entry.type != "patent":
        address = entry.literal_list("location")
    out["publisher-place"] = address
    out["original-publisher-place"] = entry.literal_list("origlocation")
    if entry.type == "patent" and entry.has("location"):
        raw = entry.raw("location") or ""
        out["jurisdiction"] = "; ".join(resolve_key(decode_latex(item), lang=entry.lang)
                                        for item in _split_and(raw))


def _identifiers(entry: _Entry, options: dict[str, str], out: dict[str, Any]) -> None:
    url = entry.raw("url")
    if url is not None and (entry.type == "online" or options.get("url") != "false"):
        out["URL"] = decode_verbatim(url)
    kind = (entry.fields.get("eprinttype") or entry.fields.get("archiveprefix") or "").strip()
    eprint = entry.fields.get("eprint")
    if eprint is not None and kind.lower() in _EPRINT_URLS and "URL" not in out:
        entry.raw("eprint")
        entry.raw("eprinttype")
        entry.raw("archiveprefix")
        out["URL"] = _EPRINT_URLS[kind.lower()] + decode_verbatim(eprint)
    doi = entry.raw("doi")
    if doi is not None and options.get("doi") != "false":
        out["DOI"] = _DOI_PREFIX.sub("", decode_verbatim(doi))
    for field, variable in _VERBATIM.items():
        raw = entry.raw(field)
        if raw is not None:
            out[variable] = decode_verbatim(raw) if field != "library" else decode_latex(raw)


def _notes(entry: _Entry, out: dict[str, Any]) -> None:
    out["note"] = _join_text([entry.text("note"), entry.text("addendum")], ".")
    annote = entry.text("annotation")
    out["annote"] = annote if annote is not None else entry.text("annote")
    status = entry.text("pubstate")
    if status is None and isinstance(out.get("issued"), dict) and \
            out["issued"].get("literal", "").lower() == "forthcoming":
        status = "forthcoming"
    if status is not None:
        out["status"] = resolve_key(status, lang=entry.lang)

