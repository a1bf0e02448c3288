"""Every citation of a paper, in document order: find them, or rebuild the paper around them.

Document order is: title, subtitle, abstract, the blocks before the first heading, then each
section (its title, its blocks, its subsections). Inside a block, captions come before
table cells; a footnote's citations come where the footnote stands. The citation transform
and the citation check share this one walk, so numbering ("[1]" for the first cited work)
and diagnostics agree on what "first" means.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import replace

from ..model import (Block, BlockQuote, BulletList, Cite, Code, CodeBlock, Emph, Figure,
                     Inline, LineBreak, Link, Math, MathBlock, Note, OrderedList, Paper,
                     Paragraph, Ref, Section, SmallCaps, Strong, Subscript, Superscript,
                     Table, Text, ThematicBreak)

__all__ = ["iter_cites", "map_cites", "CiteFn", "note_numbers"]

#: Called with each citation and whether it stands inside a footnote; returns its replacement.
CiteFn = Callable[[Cite, bool], Cite]


def iter_cites(paper: Paper) -> Iterator[tuple[Cite, bool]]:
    """Yield every citation of `paper` with whether it is inside a footnote, in order."""
    found: list[tuple[Cite, bool]] = []

    def record(cite: Cite, in_note: bool) -> Cite:
        found.append((cite, in_note))
        return cite

    walker = _Walker(record, read_only=True)
    walker.inlines(paper.title)
    walker.inlines(paper.subtitle)
    walker.blocks(paper.abstract)
    walker.blocks(paper.blocks)
    for section in paper.sections:
        walker.section(section)
    yield from found


def note_numbers(paper: Paper, *, cites_become_notes: bool) -> list[int | None]:
    """Return, per citation in document order, the number of the footnote it stands in.

    Footnotes are numbered in document order; with `cites_become_notes` (a note style)
    every citation outside a footnote makes a footnote of its own and takes the next
    number. Otherwise a citation in the text gets None.
    """
    numbers: list[int | None] = []
    counter = [0]
    current = [0]

    def on_cite(cite: Cite, in_note: bool) -> Cite:
        if in_note:
            numbers.append(current[0])
        elif cites_become_notes:
            counter[0] += 1
            numbers.append(counter[0])
        else:
            numbers.append(None)
        return cite

    def on_note() -> None:
        counter[0] += 1
        current[0] = counter[0]

    walker = _Walker(on_cite, None, on_note, read_only=True)
    walker.inlines(paper.title)
    walker.inlines(paper.subtitle)
    walker.blocks(paper.abstract)
    walker.blocks(paper.blocks)
    for section in paper.sections:
        walker.section(section)
    return numbers


def map_cites(paper: Paper, fn: CiteFn,
              lists: Callable[[list[Inline]], list[Inline]] | None = None) -> Paper:
    """Return a copy of `paper` with every citation replaced by ``fn(cite, in_note)``.

    `fn` is called in document order exactly once per citation. `lists`, if given, is then
    applied to every list of inlines (a paragraph's, a caption's, a cell's), innermost
    first. The input is not changed.
    """
    walker = _Walker(fn, lists)
    return replace(
        paper,
        title=walker.inlines(paper.title),
        subtitle=walker.inlines(paper.subtitle),
        abstract=walker.blocks(paper.abstract),
        blocks=walker.blocks(paper.blocks),
        sections=[walker.section(s) for s in paper.sections],
    )


class _Walker:
    def __init__(self, fn: CiteFn,
                 lists: Callable[[list[Inline]], list[Inline]] | None = None,
                 on_note: Callable[[], None] | None = None, read_only: bool = False) -> None:
        self.fn = fn
        self.lists = lists
        self.on_note = on_note
        self.in_note = False
        # a read-only walk visits every citation without rebuilding the paper
        self.rebuild = (lambda node, **changes: node) if read_only else replace

    def section(self, section: Section) -> Section:
        return self.rebuild(section, title=self.inlines(section.title),
                       blocks=self.blocks(section.blocks),
                       subsections=[self.section(s) for s in section.subsections])

    def blocks(self, blocks: list[Block]) -> list[Block]:
        return [self.block(b) for b in blocks]

    def block(self, block: Block) -> Block:
        match block:
            case Paragraph(content=content):
                return self.rebuild(block, content=self.inlines(content))
            case BulletList(items=items) | OrderedList(items=items):
                return self.rebuild(block, items=[self.blocks(item) for item in items])
            case BlockQuote(blocks=blocks):
                return self.rebuild(block, blocks=self.blocks(blocks))
            case Table(header=header, rows=rows, caption=caption):
                new_caption = self.inlines(caption)
                return self.rebuild(block, caption=new_caption,
                               header=[self.inlines(cell) for cell in header],
                               rows=[[self.inlines(cell) for cell in row] for row in rows])
            case Figure(caption=caption):
                return self.rebuild(block, caption=self.inlines(caption))
            case CodeBlock() | MathBlock() | ThematicBreak():
                return block
            case _:
                raise TypeError(f"not a block: {block!r}")

    def inlines(self, inlines: list[Inline]) -> list[Inline]:
        mapped = [self.inline(node) for node in inlines]
        return self.lists(mapped) if self.lists is not None else mapped

    def inline(self, node: Inline) -> Inline:
        match node:
            case Cite():
                return self.fn(node, self.in_note)
            case Emph(content=c) | Strong(content=c) | SmallCaps(content=c) | \
                    Superscript(content=c) | Subscript(content=c) | Link(content=c):
                return self.rebuild(node, content=self.inlines(c))
            case Note(blocks=blocks):
                if self.on_note is not None and not self.in_note:
                    self.on_note()
                outer, self.in_note = self.in_note, True
                try:
                    return self.rebuild(node, blocks=self.blocks(blocks))
                finally:
                    self.in_note = outer
            case Text() | Code() | Math() | LineBreak() | Ref():
                return node
            case _:
                raise TypeError(f"not an inline: {node!r}")
