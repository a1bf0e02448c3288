"""The BibTeX/BibLaTeX to CSL mapping: entry types and fields as data, and :func:`to_csl`.

The tables follow BibLaTeX's manual (section 2.1, entry types; 2.2, fields) and the CSL 1.0.2
variable list, the way pandoc's BibTeX reader and biber's CSL export pair them. Nothing is
dropped: a field with no CSL variable is kept under its own (lower-case BibTeX) name, and a
field that loses a contest for a CSL variable (``organization`` when ``publisher`` is set)
keeps its own name too. The original entry type is kept as ``bibtex-type`` so that checks
can speak BibTeX ("a techreport needs an institution").
"""

from __future__ import annotations

import re
from typing import Any, Callable

from .latex_text import decode_latex, decode_verbatim
from .names import parse_names

__all__ = ["CSL_TYPES", "DEFAULT_TYPE", "NAME_FIELDS", "TITLE_FIELDS", "TEXT_FIELDS",
           "VERBATIM_FIELDS", "DATE_FIELDS", "PREFERENCE", "IGNORED_FIELDS", "to_csl",
           "parse_date", "parse_month"]

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
    "manual": "report",
    "mastersthesis": "thesis",
    "misc": "document",
    "phdthesis": "thesis",
    "proceedings": "book",
    "techreport": "report",
    "unpublished": "manuscript",
    # BibLaTeX's regular types
    "bookinbook": "chapter",
    "collection": "book",
    "dataset": "dataset",
    "incollection-ext": "chapter",
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
    "set": "document",
    "software": "software",
    "suppbook": "chapter",
    "suppcollection": "chapter",
    "suppperiodical": "article-journal",
    "thesis": "thesis",
    "xdata": "document",
    # BibLaTeX's non-standard types (section 2.1.3)
    "artwork": "graphic",
    "audio": "song",
    "bibnote": "document",
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
    # aliases BibLaTeX accepts
    "electronic": "webpage",
    "www": "webpage",
    "customa": "document", "customb": "document", "customc": "document",
    "customd": "document", "custome": "document", "customf": "document",
}

#: The CSL type of an entry type not in :data:`CSL_TYPES`.
DEFAULT_TYPE = "document"

#: Name-list fields.
NAME_FIELDS: dict[str, str] = {
    "author": "author",
    "editor": "editor",
    "translator": "translator",
    "bookauthor": "container-author",
    "director": "director",
    "holder": "author",          # patents: the holder when no inventor is named
    "commentator": "contributor",
    "annotator": "contributor",
    "introduction": "contributor",
    "foreword": "contributor",
    "afterword": "contributor",
    "organizer": "organizer",
    "recipient": "recipient",
    "interviewer": "interviewer",
    "illustrator": "illustrator",
    "composer": "composer",
}

#: Title-like fields: decoded with brace protection kept as ``nocase`` spans.
TITLE_FIELDS: dict[str, str] = {
    "title": "title",
    "journaltitle": "container-title",
    "journal": "container-title",
    "booktitle": "container-title",
    "maintitle": "collection-title",
    "series": "collection-title",
    "shorttitle": "title-short",
    "shortjournal": "container-title-short",
    "journalsubtitle": "journalsubtitle",
    "eventtitle": "event-title",
    "origtitle": "original-title",
    "reprinttitle": "reprinttitle",
}

#: Plain text fields.
TEXT_FIELDS: dict[str, str] = {
    "publisher": "publisher",
    "institution": "publisher",
    "school": "publisher",
    "organization": "publisher",
    "address": "publisher-place",
    "location": "publisher-place",
    "edition": "edition",
    "volume": "volume",
    "volumes": "number-of-volumes",
    "issue": "issue",
    "pages": "page",
    "pagetotal": "number-of-pages",
    "chapter": "chapter-number",
    "note": "note",
    "annote": "annote",
    "annotation": "annote",
    "abstract": "abstract",
    "keywords": "keyword",
    "language": "language",
    "langid": "language",
    "type": "genre",
    "version": "version",
    "venue": "event-place",
    "isbn": "ISBN",
    "issn": "ISSN",
    "pmid": "PMID",
    "pmcid": "PMCID",
    "origpublisher": "original-publisher",
    "origlocation": "original-publisher-place",
    "archive": "archive",
    "library": "archive_location",
    "howpublished": "medium",
    "number": "number",
}

#: Fields copied as written (no LaTeX decoding): URLs and identifiers.
VERBATIM_FIELDS: dict[str, str] = {"url": "URL", "doi": "DOI", "eprint": "eprint"}

#: Date fields (ISO 8601 / EDTF ranges as BibLaTeX writes them).
DATE_FIELDS: dict[str, str] = {
    "date": "issued",
    "urldate": "accessed",
    "eventdate": "event-date",
    "origdate": "original-date",
}

#: When several fields map to one CSL variable, the first one present wins; the others are
#: kept under their own names.
PREFERENCE: dict[str, tuple[str, ...]] = {
    "container-title": ("journaltitle", "journal", "booktitle"),
    "publisher": ("publisher", "institution", "school", "organization"),
    "publisher-place": ("location", "address"),
    "collection-title": ("series", "maintitle"),
    "annote": ("annotation", "annote"),
    "language": ("langid", "language"),
    "author": ("author", "holder"),
}

#: Fields that are instructions to BibTeX/biber rather than data about the work.
IGNORED_FIELDS = frozenset({"crossref", "xref", "xdata", "options", "presort", "sortkey",
                            "sortname", "sorttitle", "sortyear", "execute", "entryset",
                            "ids", "related", "relatedtype", "relatedoptions"})

_THESIS_GENRES = {"phdthesis": "PhD thesis", "mastersthesis": "Master's thesis"}
_ISSUE_TYPES = {"article-journal", "article-magazine", "article-newspaper", "periodical"}
_NUMBER_TYPES = {"report", "patent", "standard", "legislation", "bill", "legal_case"}
_SUBTYPES = {"magazine": "article-magazine", "newspaper": "article-newspaper"}

_MONTHS = {name: i + 1 for i, names in enumerate([
    ("jan", "january", "janvier", "januar"), ("feb", "february", "février", "februar"),
    ("mar", "march", "mars", "märz"), ("apr", "april", "avril"),
    ("may", "mai"), ("jun", "june", "juin", "juni"), ("jul", "july", "juillet", "juli"),
    ("aug", "august", "août"), ("sep", "sept", "september", "septembre"),
    ("oct", "october", "octobre", "oktober"), ("nov", "november", "novembre"),
    ("dec", "december", "décembre", "dezember"),
]) for name in names}
_ISO_DATE = re.compile(r"^(-?\d{1,4})(?:-(\d{1,2}))?(?:-(\d{1,2}))?$")
_DOI_PREFIX = re.compile(r"^(?:https?://(?:dx\.)?doi\.org/|doi:\s*)", re.IGNORECASE)


def parse_month(text: str) -> int | None:
    """Return the month number of `text` (``5``, ``"05"``, ``"may"``, ``"May."``), or None."""
    value = text.strip().rstrip(".").lower()
    if value.isdigit():
        number = int(value)
        return number if 1 <= number <= 12 else None
    return _MONTHS.get(value)


def _date_parts(text: str) -> list[int] | None:
    match = _ISO_DATE.match(text.strip())
    if not match:
        return None
    parts = [int(p) for p in match.groups() if p is not None]
    if len(parts) > 1 and not 1 <= parts[1] <= 12:
        return None
    return parts


def parse_date(text: str) -> dict[str, Any]:
    """Return the CSL date for `text`: ``2022``, ``2022-05-17``, ``2020/2022``, ``2020--2022``.

    A value that is not a date (``in press``, ``forthcoming``) becomes ``{"literal": ...}``.
    """
    value = text.strip().replace("\u2013", "/").replace("--", "/")
    if value.startswith("c.") or value.startswith("ca."):
        inner = parse_date(value.split(".", 1)[1])
        if "date-parts" in inner:
            return {**inner, "circa": True}
    ranges = [p for p in value.split("/")]
    if 1 <= len(ranges) <= 2:
        parsed = [_date_parts(p) for p in ranges if p.strip()]
        if parsed and all(p is not None for p in parsed):
            return {"date-parts": parsed}
    return {"literal": text.strip()}


def _issued(fields: dict[str, str]) -> dict[str, Any] | None:
    """Return the issue date from ``date`` or ``year``/``month``/``day``, or None."""
    if "date" in fields:
        return parse_date(decode_latex(fields["date"]))
    if "year" not in fields:
        return None
    year = decode_latex(fields["year"])
    date = parse_date(year)
    if "date-parts" in date and len(date["date-parts"]) == 1 and len(date["date-parts"][0]) == 1:
        month = parse_month(decode_latex(fields.get("month", "")).split()[0]) \
            if fields.get("month", "").strip() else None
        if month is not None:
            date["date-parts"][0].append(month)
            day = decode_latex(fields.get("day", "")).strip()
            if day.isdigit():
                date["date-parts"][0].append(int(day))
    return date


def _decode_page(latex: str) -> str:
    return decode_latex(latex).replace("\u2013", "-").replace("\u2014", "-")


def _decode_doi(latex: str) -> str:
    return _DOI_PREFIX.sub("", decode_verbatim(latex))


_SPECIAL: dict[str, Callable[[str], str]] = {"pages": _decode_page, "doi": _decode_doi}


def _subtitled(fields: dict[str, str], field: str, decoded: str) -> str:
    """Return `decoded` (a title) with its ``subtitle``/``titleaddon`` companions joined."""
    stem = field[:-5] if field.endswith("title") else field
    if field == "title":
        stem = ""
    subtitle = fields.get(f"{stem}subtitle")
    if subtitle:
        decoded = f"{decoded}: {decode_latex(subtitle, protect=True)}"
    addon = fields.get(f"{stem}titleaddon")
    if addon:
        decoded = f"{decoded}. {decode_latex(addon, protect=True)}"
    return decoded


def _companion(field: str) -> bool:
    """Return whether `field` is a subtitle/addon joined to its title by :func:`_subtitled`."""
    return field.endswith("subtitle") or field.endswith("titleaddon")


def _decode(field: str, raw: str, fields: dict[str, str]) -> Any:
    if field in NAME_FIELDS:
        return parse_names(raw)
    if field in TITLE_FIELDS:
        return _subtitled(fields, field, decode_latex(raw, protect=True))
    if field in VERBATIM_FIELDS:
        return _SPECIAL.get(field, decode_verbatim)(raw)
    if field in DATE_FIELDS:
        return parse_date(decode_verbatim(raw))
    if field in _SPECIAL:
        return _SPECIAL[field](raw)
    return decode_latex(raw)


def _target(field: str, csl_type: str) -> str | None:
    """Return the CSL variable `field` maps to for an entry of `csl_type`, or None."""
    if field == "number":
        if csl_type in _ISSUE_TYPES:
            return "issue"
        return "number" if csl_type in _NUMBER_TYPES else "collection-number"
    for table in (NAME_FIELDS, TITLE_FIELDS, TEXT_FIELDS, VERBATIM_FIELDS, DATE_FIELDS):
        if field in table:
            return table[field]
    return None


def to_csl(entry_type: str, fields: dict[str, str]) -> tuple[str, dict[str, Any]]:
    """Return the CSL type and CSL variables of a BibTeX entry.

    `entry_type` is the BibTeX type (any case); `fields` maps lower-case field names to raw
    LaTeX values (delimiters removed, @string macros expanded). Names become CSL name
    lists, dates CSL dates, everything else Unicode text. The result also holds
    ``bibtex-type`` and every field without a CSL variable under its own name.
    """
    bib_type = entry_type.lower()
    csl_type = CSL_TYPES.get(bib_type, DEFAULT_TYPE)
    subtype = fields.get("entrysubtype", "").strip().lower()
    if csl_type == "article-journal" and subtype in _SUBTYPES:
        csl_type = _SUBTYPES[subtype]
    out: dict[str, Any] = {}
    kept: dict[str, Any] = {"bibtex-type": bib_type}
    taken: set[str] = set()
    order = sorted(fields, key=lambda f: _rank(f, csl_type))
    for field in order:
        raw = fields[field]
        if field in IGNORED_FIELDS or field in ("year", "month", "day", "entrysubtype"):
            continue
        if _companion(field) and _title_of(field) in fields:
            continue
        if not raw.strip():
            continue
        target = _target(field, csl_type)
        if field == "howpublished":
            target = _howpublished_target(raw, fields)
        value = _decode(field, raw, fields) if target != "URL" else decode_verbatim(raw)
        if target is None or target in taken:
            kept[field] = value
            continue
        out[target] = value
        taken.add(target)
    issued = _issued(fields)
    if issued is not None and "issued" not in out:
        out["issued"] = issued
    else:  # no date to build, or `date` already gave it: keep the parts as written
        for part in ("year", "month", "day"):
            if fields.get(part, "").strip():
                kept[part] = decode_latex(fields[part])
    if "genre" not in out and bib_type in _THESIS_GENRES:
        out["genre"] = _THESIS_GENRES[bib_type]
    eprint_type = fields.get("eprinttype", fields.get("archiveprefix", "")).strip().lower()
    if "URL" not in out and "eprint" in kept and eprint_type == "arxiv":
        out["URL"] = f"https://arxiv.org/abs/{kept['eprint']}"
    for field, value in kept.items():
        out.setdefault(field, value)
    return csl_type, out


def _title_of(companion: str) -> str:
    stem = companion[:-len("subtitle")] if companion.endswith("subtitle") \
        else companion[:-len("titleaddon")]
    return f"{stem}title" if stem else "title"


def _rank(field: str, csl_type: str) -> tuple[int, str]:
    """Return a sort key putting each CSL variable's preferred BibTeX field first."""
    target = _target(field, csl_type)
    if target in PREFERENCE and field in PREFERENCE[target]:
        return (PREFERENCE[target].index(field), field)
    return (0, field)


def _howpublished_target(raw: str, fields: dict[str, str]) -> str:
    """Return where ``howpublished`` goes: a URL if it is one, else the publisher or medium."""
    value = decode_verbatim(raw)
    if value.startswith(("http://", "https://")) and "url" not in fields:
        return "URL"
    if "publisher" not in fields:
        return "publisher"
    return "medium"
