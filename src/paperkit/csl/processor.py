"""The citation processor: one run over a document's citations and reference list.

:meth:`Processor.process` does what a CSL processor does, in this order:

1. number the cited works (first citation order), sort the bibliography (``cs:sort``) and
   renumber by it;
2. give every cite its position (first, subsequent, ibid, ibid-with-locator, near-note);
3. sort the cites inside each citation;
4. disambiguate (:mod:`~paperkit.csl.disambiguation`);
5. render each citation, grouping and collapsing cites (:mod:`~paperkit.csl.collapse`);
6. render the bibliography (subsequent-author-substitute, second-field-align).

Renderings are cached per item, locator, position and disambiguation state, so a document
citing a work a hundred times renders it a few times.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from .collapse import assemble
from .context import FIRST, IBID, IBID_WITH_LOCATOR, NEAR_NOTE, SUBSEQUENT, Ctx, Disamb
from .disambiguation import disambiguate
from .nodes import splice
from .output import EMPTY, formatted, render
from .references import Reference, make_reference
from .sorting import SortValues, sort_values, sorted_ids
from .style import Layout, Style
from .bibliography import render_bibliography

__all__ = ["Processor", "CiteInput", "CitationInput", "Result", "CitationResult"]


@dataclass
class CiteInput:
    """One cite of a citation: the work, its locator, affixes and mode.

    `mode` is ``normal``, ``suppress-author`` ("(2022)") or ``author-only`` ("Buzan"); a
    first cite in ``author-in-text`` mode prints "Buzan (2022)". `prefix` and `suffix`
    may hold CSL-JSON markup. `position` forces a position (for test fixtures).
    """

    id: str
    locator: str | None = None
    label: str | None = None
    prefix: str = ""
    suffix: str = ""
    mode: str = "normal"
    position: str | None = None


@dataclass
class CitationInput:
    """A citation: its cites and the number of the note it stands in (None: in the text)."""

    items: list[CiteInput]
    note: int | None = None


@dataclass
class CitationResult:
    """A rendered citation: rich text, and for an author-in-text first cite, the author
    part apart (``author`` + " " + ``rich`` reads "Buzan (2022)")."""

    rich: list[Any]
    author: list[Any] | None = None


@dataclass
class Result:
    """Rendered citations (in input order) and the bibliography (id, rich text) in order."""

    citations: list[CitationResult]
    bibliography: list[tuple[str, list[Any]]] = field(default_factory=list)


@dataclass
class _Cite:
    """A cite as the processor tracks it."""

    item: CiteInput
    citation: int
    index: int
    position: frozenset[str] = frozenset()


class Processor:
    """A style and the works it may cite."""

    def __init__(self, style: Style, references: list[Reference] | list[dict[str, Any]]) -> None:
        self.style = style
        self.locale = style.locale
        self.refs: dict[str, Reference] = {}
        named = style_types(style)
        for ref in references:
            if isinstance(ref, dict):
                ref = make_reference(ref)
            older = OLDER_TYPES.get(ref.type)
            if older is not None and ref.type not in named:
                ref = Reference(ref.id, older, ref.vars)
            self.refs[ref.id] = ref  # a later item with the same id replaces the earlier
        self.extra: dict[str, dict[str, Any]] = {ident: {} for ident in self.refs}
        for ident, ref in self.refs.items():
            if "citation-label" not in ref.vars:
                label = trigraph(ref)
                if label:
                    self.extra[ident]["citation-label"] = label
        self.disamb: dict[str, Disamb] = {ident: Disamb() for ident in self.refs}
        self._cache: dict[tuple[Any, ...], object] = {}
        self._rich: dict[int, tuple[object, list[Any]]] = {}
        self._sort_cache: dict[tuple[Any, ...], SortValues] = {}
        # positions matter only as far as the style tests them: a style that never looks
        # at them renders first and later cites alike (and caches them once)
        root = style.root
        tokens: set[str] = set()
        for node in root.iter():
            if not isinstance(node.tag, str):
                continue
            tokens.update((node.get("position") or "").split())
            if node.get("variable") == "first-reference-note-number":
                tokens.add(FIRST)
            if "et-al-subsequent-min" in node.attrib or \
                    "et-al-subsequent-use-first" in node.attrib:
                tokens.add(SUBSEQUENT)
        self.position_tokens = frozenset(tokens)

    # ------------------------------------------------------------------ rendering

    def ctx(self, ident: str, *, locator: str | None = None, label: str | None = None,
            position: frozenset[str] = frozenset(), in_bib: bool = False) -> Ctx:
        """Return a fresh rendering context for `ident`."""
        return Ctx(self.style, self.refs[ident], self.locale, extra=self.extra[ident],
                   locator=locator, label=label, position=position,
                   disamb=self.disamb[ident], in_bib=in_bib)

    def render_item(self, ident: str, layout: Layout, *, locator: str | None = None,
                    label: str | None = None, position: frozenset[str] = frozenset(),
                    in_bib: bool = False) -> object:
        """Return the output of `layout`'s children for one item (cached)."""
        position = position & self.position_tokens
        disamb = self.disamb[ident]
        key = (ident, id(layout), locator, label, position, disamb.et_al_names,
               disamb.year_suffix, disamb.condition,
               tuple(disamb.hints.items()) if disamb.hints else (),
               self.extra[ident].get("citation-number"),
               self.extra[ident].get("first-reference-note-number"))
        found = self._cache.get(key)
        if found is not None:
            return found
        ctx = self.ctx(ident, locator=locator, label=label, position=position, in_bib=in_bib)
        children, _ = layout.for_type(ctx.ref.type)
        out = formatted(EMPTY, splice([child.ev(ctx) for child in children]))
        self._cache[key] = out
        return out

    def rich(self, node: object) -> list[Any]:
        """Return the rich text of a node :meth:`render_item` returned (cached)."""
        found = self._rich.get(id(node))
        if found is None or found[0] is not node:
            found = self._rich[id(node)] = (node, render(node))
        return found[1]

    def sort_key(self, ident: str, layout: Layout) -> SortValues:
        """Return `ident`'s sort values under `layout`'s ``cs:sort``."""
        disamb = self.disamb[ident]
        key = (ident, id(layout), self.extra[ident].get("citation-number"),
               disamb.year_suffix)
        found = self._sort_cache.get(key)
        if found is None:
            _, keys = layout.for_type(self.refs[ident].type)
            found = self._sort_cache[key] = sort_values(
                keys, lambda: self.ctx(ident, in_bib=layout is self.style.bibliography),
                self.style.demote_non_dropping_particle)
        return found

    # ------------------------------------------------------------------ the run

    def process(self, citations: list[CitationInput], *, uncited: Sequence[str] = (),
                bibliography: bool = True) -> Result:
        """Return every citation rendered, and the bibliography of the cited works plus
        `uncited` ones (in the style's order)."""
        style = self.style
        known = [c for c in citations]
        cited: list[str] = []
        seen: set[str] = set()
        for citation in known:
            for item in citation.items:
                if item.id in self.refs and item.id not in seen:
                    seen.add(item.id)
                    cited.append(item.id)
        for ident in uncited:
            if ident in self.refs and ident not in seen:
                seen.add(ident)
                cited.append(ident)
        for number, ident in enumerate(cited, 1):
            self.extra[ident]["citation-number"] = str(number)
        bib_order = cited
        if style.bibliography is not None:
            bib = style.bibliography
            if bib.sort:
                values = {i: self.sort_key(i, bib) for i in cited}
                bib_order = sorted_ids(cited, values, bib.sort)
                if bib.sort[0].variable == "citation-number" and bib.sort[0].descending:
                    numbered = list(reversed(bib_order))
                else:
                    numbered = bib_order
                for number, ident in enumerate(numbered, 1):
                    self.extra[ident]["citation-number"] = str(number)
        cites = self._positions(known)
        self._sort_citations(known, cites)
        all_cites = [c for group in cites for c in group]
        disambiguate(self, all_cites, [i for i in self.refs], bib_order)
        results = [assemble(self, citation, group) for citation, group in zip(known, cites)]
        entries: list[tuple[str, list[Any]]] = []
        if bibliography and style.bibliography is not None:
            entries = render_bibliography(self, bib_order)
        return Result(results, entries)

    def _positions(self, citations: list[CitationInput]) -> list[list[_Cite]]:
        """Return the cites of every citation with their positions.

        "ibid" needs the immediately preceding cite to be the same work: the previous cite
        of the same citation, or, for a citation's first cite, the last cite of the
        previous citation, which must have been alone in its citation (same note) or in
        its whole note (an earlier note). In a note style, citations in the text (note 0)
        and in footnotes form separate sequences.
        """
        near = int(self.style.citation.options.get("near-note-distance", "5") or 5)
        is_note = self.style.is_note
        first_note: dict[str, int] = {}
        last_note: dict[str, int] = {}
        # per sequence: the last cite (id, locator, unit, citation number)
        chain_last: dict[str, tuple[str, str | None, tuple[Any, ...], int, str | None]] = {}
        unit_ids: dict[tuple[Any, ...], list[str]] = {}
        sizes: dict[int, int] = {}
        out: list[list[_Cite]] = []
        for number, citation in enumerate(citations, 1):
            note = citation.note if citation.note else number
            chain = "text" if is_note and citation.note == 0 else "notes"
            unit = (chain, note) if chain == "notes" and is_note else (chain, number)
            sizes[number] = len(citation.items)
            group: list[_Cite] = []
            for index, item in enumerate(citation.items, 1):
                cite = _Cite(item, number - 1, index - 1)
                group.append(cite)
                if item.id not in self.refs:
                    # an unresolved cite still stands between two cites of one work
                    chain_last.pop(chain, None)
                    continue
                position: set[str] = set()
                if item.id not in first_note:
                    position.add(FIRST)
                    first_note[item.id] = note
                    if citation.note:
                        self.extra[item.id]["first-reference-note-number"] = str(note)
                else:
                    position.add(SUBSEQUENT)
                    if is_note and note - last_note[item.id] <= near:
                        position.add(NEAR_NOTE)
                    previous = chain_last.get(chain)
                    if previous is not None and previous[0] == item.id:
                        _, prev_locator, prev_unit, prev_number, prev_label = previous
                        if index > 1:
                            immediate = prev_number == number
                        elif prev_unit == unit:
                            immediate = sizes.get(prev_number) == 1
                        else:
                            immediate = unit_ids.get(prev_unit) == [item.id]
                        if immediate:
                            if item.locator is None and prev_locator is None:
                                position.add(IBID)
                            elif item.locator is not None and (
                                    item.locator != prev_locator or item.label != prev_label):
                                position.update((IBID, IBID_WITH_LOCATOR))
                            elif item.locator is not None:
                                position.add(IBID)
                if item.position:
                    position = _forced(item.position)
                cite.position = frozenset(position)
                if item.mode != "author-only":
                    last_note[item.id] = note
                    chain_last[chain] = (item.id, item.locator, unit, number, item.label)
                    unit_ids.setdefault(unit, []).append(item.id)
            out.append(group)
        return out

    def _sort_citations(self, citations: list[CitationInput], cites: list[list[_Cite]]) -> None:
        layout = self.style.citation
        if not layout.sort:
            return
        for group in cites:
            if len(group) < 2:
                continue
            known = [c for c in group if c.item.id in self.refs]
            if len(known) < 2 or known[0].item.mode == "author-in-text":
                continue
            if any(c.item.prefix or c.item.suffix for c in known):
                continue  # as pandoc does: "see A; also B" keeps the author's order
            values = {str(i): self.sort_key(c.item.id, layout) for i, c in enumerate(known)}
            order = sorted_ids([str(i) for i in range(len(known))], values, layout.sort)
            ordered = [known[int(i)] for i in order]
            unknown = [c for c in group if c.item.id not in self.refs]
            group[:] = ordered + unknown


#: CSL 1.0.2 types and the CSL 1.0.1 type a work of that kind had before (the one BibTeX
#: readers such as pandoc's still give it): a style written for CSL 1.0.1 never names the
#: newer type, and would render the work by its fallback branch (IEEE: "no. 4. 2001").
OLDER_TYPES: dict[str, str] = {
    "performance": "speech",
    "periodical": "article-journal",
    "standard": "legislation",
}


def style_types(style: Style) -> frozenset[str]:
    """Return every item type `style`'s conditions name."""
    names: set[str] = set()
    for node in style.root.iter():
        if isinstance(node.tag, str) and node.get("type"):
            names.update(node.get("type", "").split())
    return frozenset(names)


def trigraph(ref: Reference) -> str:
    """Return the label citeproc-js makes for a work without one: "Asth00" (one author),
    "BrCh98" (two), "AbCD01" (three), "ABCD26" (four or more)."""
    names = ref.vars.get("author")
    if not names:
        names = next((v for v in ref.vars.values() if isinstance(v, list) and v), None)
    if not names:
        return ""
    families: list[str] = [n.family or n.literal for n in names]
    if len(families) == 1:
        head = families[0][:4]
    elif len(families) == 2:
        head = families[0][:2] + families[1][:2]
    elif len(families) == 3:
        head = families[0][:2] + families[1][:1] + families[2][:1]
    else:
        head = "".join(f[:1] for f in families[:4])
    date = ref.vars.get("issued")
    year = getattr(date, "year", None)
    return head + (f"{year % 100:02d}" if year is not None else "")


def _forced(position: str) -> set[str]:
    names = {"0": {FIRST}, "first": {FIRST}, "1": {SUBSEQUENT}, "subsequent": {SUBSEQUENT},
             "2": {SUBSEQUENT, IBID}, "ibid": {SUBSEQUENT, IBID},
             "3": {SUBSEQUENT, IBID, IBID_WITH_LOCATOR},
             "ibid-with-locator": {SUBSEQUENT, IBID, IBID_WITH_LOCATOR}}
    return set(names.get(str(position), {FIRST}))
