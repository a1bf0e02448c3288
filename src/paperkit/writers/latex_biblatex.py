"""biblatex mode of the LaTeX writer: ``references.bib``, citation commands, the style choice.

In this mode the ``.tex`` cites with ``\\autocite``/``\\textcite`` and biber formats the
reference list, so a journal's own biblatex style can take over. Three pieces live here:

- :func:`bib_file` writes the paper's CSL-shaped :class:`~paperkit.model.Reference` records
  as BibLaTeX entries: CSL types and variables mapped back (the original BibTeX type is kept
  when the reference came from BibTeX), names in biber's extended name format, every text
  value through :func:`~paperkit.writers.latex_escape.escape` (so a title cannot inject TeX),
  CSL's ``nocase`` spans as brace protection.
- :func:`cite_command` turns one :class:`~paperkit.model.Cite` into ``\\autocite``,
  ``\\textcite`` or ``\\autocite*`` (author suppressed), with pre- and postnotes; several
  items become the multicite forms (``\\autocites[see][12]{a}{b}``).
- :func:`biblatex_styles` picks the biblatex style for a CSL style name (``apa`` ->
  biblatex-apa, ``ieee`` -> biblatex-ieee, ``chicago-author-date`` -> biblatex-chicago...)
  with a standard-style fallback the ``.tex`` uses when the contributed package is missing.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from pathlib import Path
from typing import Any

from ..model import Cite, CiteItem, Inline, Reference
from .latex_escape import Latex, escape

__all__ = ["bib_file", "bib_entry", "cite_command", "biblatex_styles", "citation_format",
           "usable_key", "rich_text", "BIBLATEX_TYPES"]

#: CSL types to BibLaTeX entry types (used when the reference did not come from BibTeX).
BIBLATEX_TYPES: dict[str, str] = {
    "article": "article", "article-journal": "article", "article-magazine": "article",
    "article-newspaper": "article", "book": "book", "chapter": "incollection",
    "paper-conference": "inproceedings", "report": "report", "thesis": "thesis",
    "webpage": "online", "post": "online", "post-weblog": "online", "dataset": "dataset",
    "software": "software", "manuscript": "unpublished", "pamphlet": "booklet",
    "patent": "patent", "entry-encyclopedia": "inreference", "entry-dictionary":
    "inreference", "entry": "inreference", "periodical": "periodical", "standard": "standard",
    "legislation": "legislation", "legal_case": "jurisdiction", "motion_picture": "movie",
    "song": "audio", "graphic": "artwork", "review": "review", "review-book": "review",
    "interview": "misc", "personal_communication": "letter", "speech": "misc",
    "document": "misc",
}

#: The BibTeX/BibLaTeX types biber knows (a kept ``bibtex-type`` outside this set is mapped
#: from the CSL type instead).
_KNOWN_TYPES = frozenset(BIBLATEX_TYPES.values()) | {
    "booklet", "collection", "inbook", "incollection", "inproceedings", "manual", "misc",
    "mvbook", "mvcollection", "mvproceedings", "mvreference", "proceedings", "reference",
    "suppbook", "suppcollection", "suppperiodical", "bookinbook", "techreport",
    "mastersthesis", "phdthesis", "conference", "electronic", "www", "online", "image",
    "letter", "music", "performance", "video", "commentary", "legal",
}

_SUBTYPES = {"article-magazine": "magazine", "article-newspaper": "newspaper"}

#: CSL name variables to BibLaTeX name fields.
_NAMES = {"author": "author", "editor": "editor", "translator": "translator",
          "container-author": "bookauthor", "director": "director"}

#: CSL text variables to BibLaTeX fields. ``container-title`` and ``publisher`` depend on
#: the entry type (see :func:`_container_field`, :func:`_publisher_field`).
_TEXT = {"title": "title", "title-short": "shorttitle", "collection-title": "series",
         "collection-number": "number", "publisher-place": "location", "edition": "edition",
         "volume": "volume", "number-of-volumes": "volumes", "issue": "number",
         "number": "number", "page": "pages", "number-of-pages": "pagetotal",
         "chapter-number": "chapter", "note": "note", "genre": "type", "version": "version",
         "event-title": "eventtitle", "event-place": "venue", "ISBN": "isbn", "ISSN": "issn",
         "medium": "howpublished", "language": "language", "original-title": "origtitle",
         "container-title-short": "shortjournal"}

_VERBATIM = {"DOI": "doi", "URL": "url", "eprint": "eprint"}
_DATES = {"issued": "date", "accessed": "urldate", "event-date": "eventdate",
          "original-date": "origdate"}

_MARKUP = re.compile(r'(<span class="nocase">|<i>|<b>|<sup>|<sub>|'
                     r'<span style="font-variant:\s*small-caps;?">|</span>|</i>|</b>|</sup>|'
                     r'</sub>)')
_OPEN = {"<i>": "\\mkbibemph{", "<b>": "\\mkbibbold{", "<sup>": "\\textsuperscript{",
         "<sub>": "\\textsubscript{", '<span class="nocase">': "{"}
_KEY_CHARS = re.compile(r"^[^\s,{}%#\"'()=\\~]+$")


def _value(text: str) -> str:
    """Return `text` escaped for a .bib value: :func:`escape`, with braces as
    ``\\textbraceleft{}``/``\\textbraceright{}``.

    BibTeX's (and biber's) parser counts braces without looking at backslashes: the ``\\}``
    that suits a .tex file would end the value early in a .bib, and biber would then skip
    the rest of the file (an empty bibliography, no error from paperkit). The script
    commands get their ``\\bib..`` names (:data:`BIB_ALIASES`).
    """
    latex = escape(text).replace("\\{", r"\textbraceleft{}").replace("\\}", r"\textbraceright{}")
    if "\\pk" not in latex:
        return latex
    # a combining mark without a base letter gets the dotted circle Unicode shows it on:
    # biber takes "<mark>{" for a name's initial otherwise (an unbalanced .bbl)
    latex = _LONE_MARK.sub(lambda m: m.group(1) + "\u25cc" + m.group(2)
                           if unicodedata.category(m.group(2)).startswith("M") else m.group(0),
                           latex)
    return latex.replace("\\pk", "\\bibpk")


_LONE_MARK = re.compile(r"(\\pkchar\{)(.)(?=\})")
#: Fields biblatex looks up as localisation keys (``\\bibstring``, inside ``\\csname``):
#: a command there stops pdflatex ("Missing \\endcsname").
_KEY_FIELDS = frozenset({"language", "type", "pubstate"})


def _key_value(text: str) -> str:
    """Return `text` for a field biblatex may look up as a key: the characters that
    :func:`escape` would set with a command (TeX specials, other scripts) are left out."""
    return _value("".join(c for c in text if not _value(c).startswith("\\")))


#: The .tex defines the aliases :func:`_value` writes for :func:`escape`'s script commands
#: (``\\pkchar`` -> ``\\bibpkchar``): biber matches name fields in Perl regular
#: expressions (biblatex-apa's source maps), where ``\\p`` starts a Unicode property, and
#: it dies without a message (exit 25) on ``\\pkchar`` in an author: no .bbl at all.
BIB_ALIASES = "".join(f"\\providecommand\\bib{name}{{\\{name}}}"
                      for name in ("pkchar", "pkgreek", "pkcyrillic", "pkcjk"))


def rich_text(value: str) -> str:
    """Return CSL rich text (plain text with ``nocase``, ``<i>``... spans) as escaped LaTeX.

    A ``nocase`` span becomes a brace group, which keeps biblatex's case changes off it.
    Unbalanced tags are printed as text.
    """
    out: list[str] = []
    stack: list[str] = []
    for part in _MARKUP.split(value):
        if not part:
            continue
        if part.startswith("</"):
            if stack:
                stack.pop()
                out.append("}")
            else:
                out.append(_value(part))
        elif part.startswith("<") and _MARKUP.fullmatch(part):
            out.append(_OPEN.get(part, "\\textsc{"))
            stack.append(part)
        else:
            out.append(_value(part))
    out.extend("}" for _ in stack)
    return "".join(out)


def _name_part(text: str) -> str:
    """Return one part of a name for biber's extended name format.

    Left unbraced when it can be, so that biber still splits "Albert O." into two given
    names (initials "A. O."); braced when a comma, ``=`` or the word "and" would end it, or
    when it holds a command.
    """
    value = _value(" ".join(text.split()))
    # a command too: biber makes initials from the first character of each word, which for
    # "\textasciicircum{}\bibpkchar{..}" was a lone "{" (an unbalanced .bbl)
    if "," in value or "=" in value or "\\" in value or \
            re.search(r"\band\b", value, re.IGNORECASE):
        return f"{{{value}}}"
    return value


def _name(name: Any) -> str:
    """Return one CSL name in biber's extended name format (``family=..., given=...``).

    A literal (corporate) name is one brace group, so biber never splits or abbreviates it.
    """
    if not isinstance(name, dict):
        return f"{{{_value(str(name))}}}"
    if "literal" in name or "family" not in name:
        literal = name.get("literal") or name.get("given") or ""
        if "=" in literal:
            return f"{{{{{_value(str(literal))}}}}}"   # biber splits "family=" parts at any =
        return f"family={{{{{_value(str(literal))}}}}}"
    if any("=" in str(name.get(k) or "") for k in _NAME_PARTS):
        return _classic_name(name)
    parts = [f"family={_name_part(str(name['family']))}"]
    if name.get("given"):
        parts.append(f"given={_name_part(str(name['given']))}")
    particle = " ".join(str(name[k]) for k in ("dropping-particle", "non-dropping-particle")
                        if name.get(k))
    if particle:
        parts.append(f"prefix={_name_part(particle)}")
        if name.get("non-dropping-particle"):
            parts.append("useprefix=true")
    if name.get("suffix"):
        parts.append(f"suffix={_name_part(str(name['suffix']))}")
    return ", ".join(parts)


_NAME_PARTS = ("family", "given", "dropping-particle", "non-dropping-particle", "suffix")


def _classic_name(name: dict[str, Any]) -> str:
    """Return a name with an ``=`` in a part in BibTeX's classic ``{von Last}, {Jr},
    {First}`` form, each part one brace group.

    biber's extended name format splits every part at ``=``, even inside braces, and drops
    a part it cannot read ("Invalid namepart"): the author would vanish from the entry.
    """
    family = " ".join(str(name[k]) for k in ("dropping-particle", "non-dropping-particle",
                                            "family") if name.get(k))
    given = str(name.get("given") or "")
    if name.get("suffix"):
        parts = [family, str(name["suffix"]), given]
    else:
        parts = [family, given] if given else [family]
    return ", ".join(f"{{{_value(' '.join(p.split()))}}}" for p in parts)


def _date(value: Any) -> str | None:
    """Return a CSL date as an ISO 8601 (range) string, or None for a literal date."""
    if not isinstance(value, dict) or "date-parts" not in value:
        return None
    ranges = []
    for parts in value["date-parts"][:2]:
        if not parts or not all(isinstance(p, int) or str(p).lstrip("-").isdigit()
                                for p in parts):
            return None
        year, *rest = [int(p) for p in parts[:3]]
        text = f"{year:04d}" if year >= 0 else f"{year:05d}"
        text += "".join(f"-{p:02d}" for p in rest)
        ranges.append(text)
    date = "/".join(ranges)
    return f"{date}~" if value.get("circa") else date


def _verbatim(value: str) -> str | None:
    """Return a URL or DOI for a verbatim field, or None when biber could not read it."""
    depth = 0
    for char in value:
        depth += {"{": 1, "}": -1}.get(char, 0)
        if depth < 0:
            return None
    if depth or "\n" in value:
        return None
    return value.replace("%", "\\%").replace("#", "\\#")


def _range(text: str) -> str:
    """Return a page range escaped with TeX's en dash: ``45-47`` -> ``45--47``."""
    parts = re.split(r"\s*(?:--|-|\u2013)\s*", text.strip())
    return "--".join(_value(p) for p in parts)


def _entry_type(ref: Reference) -> str:
    kept = str(ref.fields.get("bibtex-type", "")).lower()
    if kept in _KNOWN_TYPES:
        return kept
    return BIBLATEX_TYPES.get(ref.type, "misc")


def _container_field(entry_type: str) -> str:
    if entry_type in ("article", "periodical", "suppperiodical", "review"):
        return "journaltitle"
    if entry_type in ("online", "misc", "dataset", "software", "unpublished"):
        return "titleaddon"         # a website's or collection's name after the title
    return "booktitle"


def _publisher_field(entry_type: str) -> str:
    if entry_type in ("report", "techreport", "thesis", "phdthesis", "mastersthesis"):
        return "institution"
    if entry_type in ("online", "misc", "manual", "dataset", "software"):
        return "organization"
    return "publisher"


def bib_entry(ref: Reference) -> str:
    """Return `ref` as one BibLaTeX entry (``@book{key, ...}``), fields in a fixed order."""
    entry_type = _entry_type(ref)
    fields: dict[str, str] = {}
    for variable, value in ref.fields.items():
        if value in (None, "", []):
            continue
        if variable in _NAMES and isinstance(value, list):
            fields[_NAMES[variable]] = " and ".join(_name(n) for n in value)
        elif variable in _DATES:
            date = _date(value)
            if date is not None:
                fields[_DATES[variable]] = date
            elif variable == "issued" and isinstance(value, dict) and value.get("literal"):
                fields["pubstate"] = _key_value(str(value["literal"]))
        elif variable in _VERBATIM:
            text = _verbatim(str(value))
            if text is not None:
                fields[_VERBATIM[variable]] = text
        elif variable == "container-title":
            fields[_container_field(entry_type)] = f"{{{rich_text(str(value))}}}"
        elif variable == "publisher":
            fields[_publisher_field(entry_type)] = _value(str(value))
        elif variable == "page":
            fields["pages"] = _range(str(value))
        elif variable in _TEXT and isinstance(value, (str, int, float)):
            field = _TEXT[variable]
            if field in fields:
                continue        # issue and number both map to number: the first wins
            text = str(value)
            # Titles as written, in one brace group: biblatex styles that change case (APA's
            # sentence case) would lower-case proper names; CSL styles print them as given.
            fields[field] = f"{{{rich_text(text)}}}" if "title" in variable else \
                _key_value(text) if field in _KEY_FIELDS else _value(text)
    if ref.type in _SUBTYPES and entry_type == "article":
        fields["entrysubtype"] = _SUBTYPES[ref.type]
    body = "".join(f",\n  {name} = {{{value}}}" for name, value in sorted(fields.items()))
    return f"@{entry_type}{{{ref.key}{body}\n}}\n"


def usable_key(key: str) -> bool:
    """Return whether biber and ``\\cite`` can take `key` as it is (no spaces, braces,
    commas, ``%``, ``#``...); citations of other keys keep their rendered text."""
    return bool(_KEY_CHARS.match(key))


def bib_file(references: list[Reference]) -> str:
    """Return ``references.bib``: one entry a reference whose key biber can read."""
    entries = [bib_entry(r) for r in references if usable_key(r.key)]
    head = "% references.bib written by paperkit for biblatex (biber); UTF-8.\n\n"
    return head + "\n".join(entries)


# --------------------------------------------------------------------------- citations

#: CSL locator labels biblatex has a localisation string for (abbreviated in citations).
_LOCATOR_STRINGS = {"chapter", "section", "paragraph", "verse", "line", "figure", "volume",
                    "part", "column", "note", "book", "number", "table", "page"}


def _postnote(item: CiteItem, render: Callable[[list[Inline]], str]) -> str:
    """Return the postnote: the locator (biblatex adds "p."/"pp." to pages) and the suffix."""
    parts = []
    if item.locator:
        locator = _range(item.locator)
        label = item.label or "page"
        if label == "page":
            parts.append(locator)
        elif label in _LOCATOR_STRINGS:
            parts.append(f"\\bibstring{{{label}}}~{locator}")
        else:
            parts.append(f"{escape(label)}~{locator}")
    # A suffix written after the locator ("p. 3, emphasis added") arrives with its comma.
    suffix = render(item.suffix).strip().lstrip(",").strip()
    if suffix:
        parts.append(suffix)
    return ", ".join(parts)


def _notes(item: CiteItem, render: Callable[[list[Inline]], str]) -> str:
    """Return ``[pre][post]`` (or ``[post]``, or nothing) for one item."""
    pre = render(item.prefix).strip()
    post = _postnote(item, render)
    # A bracket inside a note would end biblatex's optional argument early.
    pre, post = (f"{{{pre}}}" if "]" in pre else pre), (f"{{{post}}}" if "]" in post else post)
    if pre:
        return f"[{pre}][{post}]"
    return f"[{post}]" if post else ""


def cite_command(cite: Cite, render: Callable[[list[Inline]], str]) -> Latex:
    """Return the biblatex command for `cite`; `render` turns prefix/suffix inlines to LaTeX.

    One item: ``\\autocite``, ``\\textcite`` (author in text) or ``\\autocite*`` (author
    suppressed). Several: ``\\autocites`` / ``\\textcites`` with each item's notes; a
    suppressed author among several items keeps biblatex's normal form for that item.
    """
    items = cite.items
    if len(items) == 1:
        item = items[0]
        command = {"author-in-text": "\\textcite", "suppress-author": "\\autocite*"} \
            .get(item.mode, "\\autocite")
        return Latex(f"{command}{_notes(item, render)}{{{item.key}}}")
    command = "\\textcites" if items[0].mode == "author-in-text" else "\\autocites"
    parts = [f"{_notes(item, render)}{{{item.key}}}" for item in items]
    return Latex(command + "".join(parts))


# --------------------------------------------------------------------------- styles

#: CSL style name prefixes -> biblatex styles to try, best first: (the file that must
#: exist, the package to load, its options); the last has no file and always works.
#: biblatex-chicago's styles need its own package (\\usepackage[authordate]{biblatex-chicago}).
_Choice = tuple[str | None, str, str]
_CHICAGO_NOTES: list[_Choice] = [("biblatex-chicago.sty", "biblatex-chicago", "notes"),
                                 (None, "biblatex", "style=verbose")]
_STYLE_CHOICES: list[tuple[str, list[_Choice]]] = [
    ("apa", [("apa.bbx", "biblatex", "style=apa"), (None, "biblatex", "style=authoryear")]),
    ("ieee", [("ieee.bbx", "biblatex", "style=ieee"),
              (None, "biblatex", "style=numeric-comp")]),
    ("chicago-author-date", [("biblatex-chicago.sty", "biblatex-chicago", "authordate"),
                             ("ext-authoryear.bbx", "biblatex", "style=ext-authoryear"),
                             (None, "biblatex", "style=authoryear")]),
    ("chicago-note", _CHICAGO_NOTES),
    ("chicago-fullnote", _CHICAGO_NOTES),
    ("chicago-shortened-notes", _CHICAGO_NOTES),
    ("modern-language-association", [("mla.bbx", "biblatex", "style=mla"),
                                     (None, "biblatex", "style=authortitle")]),
    ("nature", [("nature.bbx", "biblatex", "style=nature"),
                (None, "biblatex", "style=numeric-comp")]),
    ("vancouver", [(None, "biblatex", "style=numeric-comp")]),
    ("harvard", [("ext-authoryear.bbx", "biblatex", "style=ext-authoryear"),
                 (None, "biblatex", "style=authoryear")]),
]

#: The standard style for a CSL ``citation-format`` when the name is not known above.
_BY_FORMAT = {"author-date": "style=authoryear", "numeric": "style=numeric-comp",
              "note": "style=verbose", "label": "style=alphabetic",
              "author": "style=authortitle"}


def citation_format(csl_path: str | Path | None) -> str | None:
    """Return a CSL file's ``citation-format`` (``author-date``, ``numeric``, ``note``...)."""
    if csl_path is None:
        return None
    try:
        head = Path(csl_path).read_text(encoding="utf-8", errors="replace")[:20000]
    except OSError:
        return None
    found = re.search(r'citation-format="([a-z-]+)"', head)
    return found.group(1) if found else None


def biblatex_styles(csl: str, csl_format: str | None = None) -> list[_Choice]:
    """Return the biblatex styles for CSL style `csl`, best first, as (file or None, package,
    package options).

    The ``.tex`` loads the first whose file TeX finds (``\\IfFileExists``), so a missing
    contributed style falls back to a standard one (``apa`` -> ``authoryear``). A name not
    known here is mapped by its CSL `csl_format`.
    """
    name = Path(csl).stem.lower() if csl.endswith(".csl") else csl.lower()
    for prefix, choices in _STYLE_CHOICES:
        if name == prefix or name.startswith(prefix + "-") or \
                (prefix.endswith("note") and name.startswith(prefix)):
            return choices
    return [(None, "biblatex", _BY_FORMAT.get(csl_format or "", "style=authoryear"))]
