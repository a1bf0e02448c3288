"""The citation check: cited keys against the references, and the references themselves.

Findings (codes from :data:`~paperkit.diagnostics.CATALOG`):

- PK201 a cited (or ``nocite``) key with no reference, at the citation, with the closest key
  as a hint;
- PK202 a reference neither cited nor listed in ``nocite``, at its .bib entry;
- PK204 a reference missing a field its type needs, named in BibTeX terms ("journal",
  "institution") when the reference came from BibTeX;
- PK205 two references with the same DOI.

Works on a paper before or after the citation transform: it reads only citations'
items, ``references`` and ``nocite``.
"""

from __future__ import annotations

import difflib

from ..diagnostics import Diagnostic
from ..model import Paper, Reference
from ..transforms.cite_traversal import iter_cites

__all__ = ["check_citations", "REQUIRED_BIBTEX", "REQUIRED_CSL", "missing_fields"]

# A requirement: the name to report, and the CSL variables any one of which satisfies it.
Requirement = tuple[str, tuple[str, ...]]

_AUTHOR: Requirement = ("author", ("author",))
_AUTHOR_OR_EDITOR: Requirement = ("author or editor", ("author", "editor"))
_TITLE: Requirement = ("title", ("title",))
_YEAR: Requirement = ("year", ("issued",))
_JOURNAL: Requirement = ("journal", ("container-title",))
_BOOKTITLE: Requirement = ("booktitle", ("container-title",))
_PUBLISHER: Requirement = ("publisher", ("publisher",))
_URL: Requirement = ("url", ("URL",))

#: Required fields of BibTeX's standard types (btxdoc) and BibLaTeX's common ones.
REQUIRED_BIBTEX: dict[str, list[Requirement]] = {
    "article": [_AUTHOR, _TITLE, _JOURNAL, _YEAR],
    "book": [_AUTHOR_OR_EDITOR, _TITLE, _PUBLISHER, _YEAR],
    "booklet": [_TITLE],
    "inbook": [_AUTHOR_OR_EDITOR, _TITLE, ("chapter or pages", ("chapter-number", "page")),
               _PUBLISHER, _YEAR],
    "incollection": [_AUTHOR, _TITLE, _BOOKTITLE, _PUBLISHER, _YEAR],
    "inproceedings": [_AUTHOR, _TITLE, _BOOKTITLE, _YEAR],
    "conference": [_AUTHOR, _TITLE, _BOOKTITLE, _YEAR],
    "manual": [_TITLE],
    "mastersthesis": [_AUTHOR, _TITLE, ("school", ("publisher",)), _YEAR],
    "phdthesis": [_AUTHOR, _TITLE, ("school", ("publisher",)), _YEAR],
    "thesis": [_AUTHOR, _TITLE, ("institution", ("publisher",)), _YEAR],
    "misc": [],
    "proceedings": [_TITLE, _YEAR],
    "techreport": [_AUTHOR, _TITLE, ("institution", ("publisher",)), _YEAR],
    "report": [_AUTHOR, _TITLE, ("institution", ("publisher",)), _YEAR],
    "unpublished": [_AUTHOR, _TITLE, ("note", ("note",))],
    "online": [_TITLE, _URL],
    "electronic": [_TITLE, _URL],
    "www": [_TITLE, _URL],
    "collection": [_AUTHOR_OR_EDITOR, _TITLE, _PUBLISHER, _YEAR],
}

#: Required variables by CSL type, for references that did not come from BibTeX.
REQUIRED_CSL: dict[str, list[Requirement]] = {
    "article-journal": [_AUTHOR, _TITLE, _JOURNAL, _YEAR],
    "article-magazine": [_AUTHOR, _TITLE, _JOURNAL, _YEAR],
    "article-newspaper": [_TITLE, _JOURNAL, _YEAR],
    "book": [_AUTHOR_OR_EDITOR, _TITLE, _PUBLISHER, _YEAR],
    "chapter": [_AUTHOR, _TITLE, _BOOKTITLE, _PUBLISHER, _YEAR],
    "paper-conference": [_AUTHOR, _TITLE, _BOOKTITLE, _YEAR],
    "report": [_AUTHOR, _TITLE, ("institution", ("publisher",)), _YEAR],
    "thesis": [_AUTHOR, _TITLE, ("school", ("publisher",)), _YEAR],
    "webpage": [_TITLE, _URL],
    "manuscript": [_AUTHOR, _TITLE],
    "pamphlet": [_TITLE],
}


def missing_fields(reference: Reference) -> list[str]:
    """Return the fields `reference` lacks for its type, named as its source names them."""
    bib_type = reference.fields.get("bibtex-type")
    if isinstance(bib_type, str) and bib_type in REQUIRED_BIBTEX:
        rules = REQUIRED_BIBTEX[bib_type]
    else:
        rules = REQUIRED_CSL.get(reference.type, [])
    missing = []
    for name, variables in rules:
        if not any(_present(reference.fields.get(v)) for v in variables):
            missing.append(name)
    return missing


def _present(value: object) -> bool:
    if value is None:
        return False
    if isinstance(value, str):
        return bool(value.strip())
    if isinstance(value, (list, dict)):
        return bool(value)
    return True


def _type_name(reference: Reference) -> str:
    bib_type = reference.fields.get("bibtex-type")
    return bib_type if isinstance(bib_type, str) and bib_type else reference.type


def _hint(key: str, keys: list[str]) -> str:
    # A key with characters the citation syntax stops at ("q^z") reads as a shorter key.
    cut = sorted(k for k in keys if k.startswith(key) and len(k) > len(key)
                 and not (k[len(key)].isalnum() or k[len(key)] == "_"))
    if cut:
        return (f" (the reference is '{cut[0]}': write [@{{{cut[0]}}}] for a key with "
                "characters other than letters, digits and :.#$%&-+?<>~/_)")
    close = difflib.get_close_matches(key, keys, n=1, cutoff=0.6)
    return f" (did you mean '{close[0]}'?)" if close else ""


def _normal_doi(doi: str) -> str:
    doi = doi.strip().lower()
    for prefix in ("https://doi.org/", "http://doi.org/", "https://dx.doi.org/",
                   "http://dx.doi.org/", "doi:"):
        if doi.startswith(prefix):
            doi = doi[len(prefix):]
    return doi.strip()


def check_citations(paper: Paper) -> list[Diagnostic]:
    """Return the citation findings for `paper`: PK201, PK202, PK204 and PK205."""
    found: list[Diagnostic] = []
    references: dict[str, Reference] = {}
    for reference in paper.references:
        references.setdefault(reference.key, reference)
    keys = list(references)
    cited: set[str] = set()
    for cite, _ in iter_cites(paper):
        for item in cite.items:
            cited.add(item.key)
            if item.key not in references:
                # the citation's position (its "[" or "@"), as pandoc-style messages give it
                found.append(Diagnostic.make("PK201", cite.pos or item.pos, key=item.key,
                                             hint=_hint(item.key, keys)))
    everything = False
    for key in paper.nocite:
        key = key.lstrip("@")
        if key == "*":
            everything = True
        elif key not in references:
            found.append(Diagnostic.make("PK201", paper.pos, key=key, hint=_hint(key, keys)))
        else:
            cited.add(key)
    if not everything:
        for key, reference in references.items():
            if key not in cited:
                found.append(Diagnostic.make("PK202", reference.pos, key=key))
    for reference in references.values():
        for name in missing_fields(reference):
            found.append(Diagnostic.make("PK204", reference.pos, key=reference.key,
                                         type=_type_name(reference), field=name))
    first_by_doi: dict[str, Reference] = {}
    for reference in references.values():
        doi = reference.fields.get("DOI")
        if not isinstance(doi, str) or not doi.strip():
            continue
        normal = _normal_doi(doi)
        if normal in first_by_doi:
            found.append(Diagnostic.make("PK205", reference.pos, key=reference.key,
                                         other=first_by_doi[normal].key, doi=doi.strip()))
        else:
            first_by_doi[normal] = reference
    return found
