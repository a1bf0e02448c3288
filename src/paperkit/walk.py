"""Generic traversal of the model: plain text of inlines, every section, every block."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from dataclasses import replace

from .model import (Block, BlockQuote, BulletList, Cite, CiteItem, Code, Emph, Inline,
                    LineBreak, Link, Math, Note, OrderedList, Paper, Paragraph, Ref, Section,
                    SmallCaps, Strong, Subscript, Superscript, Table, Text, Figure, CodeBlock,
                    MathBlock, ThematicBreak)

__all__ = ["plain_text", "iter_sections", "iter_blocks", "iter_inlines", "block_inlines",
           "map_inlines"]


_REF_WORDS = {"sec": "Section", "fig": "Figure", "tbl": "Table"}


def plain_text(inlines: list[Inline], *, notes: bool = False) -> str:
    """Return the text of `inlines` without formatting.

    Citations give their rendering (or their source when unresolved), cross-references their
    number. Footnote text is left out unless `notes` is true.
    """
    parts: list[str] = []
    for node in inlines:
        match node:
            case Text(text=text) | Code(text=text):
                parts.append(text)
            case Math(tex=tex):
                parts.append(tex)
            case Emph(content=c) | Strong(content=c) | SmallCaps(content=c) | \
                    Superscript(content=c) | Subscript(content=c) | Link(content=c):
                parts.append(plain_text(c, notes=notes))
            case LineBreak():
                parts.append("\n")
            case Cite(rendered=rendered, source=source):
                parts.append(plain_text(rendered, notes=notes) if rendered is not None
                             else source)
            case Ref(label=label, number=number):
                # As printed by default ("Section 2", "Figure 1"); unresolved: the marker.
                word = _REF_WORDS.get(label.split(":", 1)[0], "")
                parts.append(f"{word} {number}".strip() if number is not None
                             else f"[?{label}]")
            case Note(blocks=blocks):
                if notes:
                    parts.append(" ".join(plain_text(i) for b in blocks
                                          for i in _block_inlines(b)))
            case _:
                raise TypeError(f"not an inline: {node!r}")
    return "".join(parts)


def _block_inlines(block: Block) -> Iterator[list[Inline]]:
    """Yield every inline list inside `block`, recursively (captions and cells included)."""
    match block:
        case Paragraph(content=content):
            yield content
        case BulletList(items=items) | OrderedList(items=items):
            for item in items:
                for inner in item:
                    yield from _block_inlines(inner)
        case BlockQuote(blocks=blocks):
            for inner in blocks:
                yield from _block_inlines(inner)
        case Table(header=header, rows=rows, caption=caption):
            yield caption
            for cell in header:
                yield cell
            for row in rows:
                yield from row
        case Figure(caption=caption):
            yield caption
        case CodeBlock() | MathBlock() | ThematicBreak():
            return
        case _:
            raise TypeError(f"not a block: {block!r}")


def iter_sections(sections: list[Section]) -> Iterator[Section]:
    """Yield every section of `sections` and their subsections, in document order."""
    for section in sections:
        yield section
        yield from iter_sections(section.subsections)


def iter_blocks(paper: Paper) -> Iterator[Block]:
    """Yield every top-level body block of `paper` (before-heading blocks, then each section's)."""
    yield from paper.blocks
    for section in iter_sections(paper.sections):
        yield from section.blocks


def iter_inlines(inlines: list[Inline]) -> Iterator[Inline]:
    """Yield every inline of `inlines`, depth first, entering notes' blocks too."""
    for node in inlines:
        yield node
        match node:
            case Emph(content=c) | Strong(content=c) | SmallCaps(content=c) | \
                    Superscript(content=c) | Subscript(content=c) | Link(content=c):
                yield from iter_inlines(c)
            case Note(blocks=blocks):
                for block in blocks:
                    for inner in _block_inlines(block):
                        yield from iter_inlines(inner)
            case _:
                pass


def block_inlines(block: Block) -> Iterator[list[Inline]]:
    """Yield every inline list inside `block` (paragraphs, list items, cells, captions)."""
    yield from _block_inlines(block)


InlineFn = Callable[[Inline], Inline]


def map_inlines(paper: Paper, fn: InlineFn) -> Paper:
    """Return a copy of `paper` with `fn` applied to every inline, innermost first.

    Reaches the title, subtitle, abstract, body, section titles, list items, quotes, table
    cells, captions, footnotes and citation prefixes/suffixes. `fn` returns the node itself
    to keep it. The input paper is not changed; the parts where `fn` changed nothing are
    shared with it (the model is immutable).
    """
    mapper = _InlineMapper(fn)
    return replace(
        paper,
        title=mapper.inlines(paper.title),
        subtitle=mapper.inlines(paper.subtitle),
        abstract=mapper.blocks(paper.abstract),
        blocks=mapper.blocks(paper.blocks),
        sections=[mapper.section(s) for s in paper.sections],
    )


class _InlineMapper:
    """Maps inlines, rebuilding only what changed: a list, block or section whose every
    part came back as the same object is returned itself (most of a paper has no node
    that `fn` replaces, and a rebuild of each frozen node is most of the walk's time)."""

    def __init__(self, fn: InlineFn) -> None:
        self.fn = fn

    def inlines(self, nodes: list[Inline]) -> list[Inline]:
        out = [self.inline(node) for node in nodes]
        return nodes if _same(out, nodes) else out

    def inline(self, node: Inline) -> Inline:
        match node:
            case Emph() | Strong() | SmallCaps() | Superscript() | Subscript() | Link():
                content = self.inlines(node.content)
                if content is not node.content:
                    node = replace(node, content=content)
            case Note(blocks=blocks):
                mapped = self.blocks(blocks)
                if mapped is not blocks:
                    node = replace(node, blocks=mapped)
            case Cite(items=items):
                new_items = [self._item(i) for i in items]
                if not _same(new_items, items):
                    node = replace(node, items=new_items)
            case Text() | Code() | Math() | LineBreak() | Ref():
                pass
            case _:
                raise TypeError(f"not an inline: {node!r}")
        return self.fn(node)

    def _item(self, item: CiteItem) -> CiteItem:
        prefix, suffix = self.inlines(item.prefix), self.inlines(item.suffix)
        if prefix is item.prefix and suffix is item.suffix:
            return item
        return replace(item, prefix=prefix, suffix=suffix)

    def blocks(self, blocks: list[Block]) -> list[Block]:
        out = [self.block(b) for b in blocks]
        return blocks if _same(out, blocks) else out

    def block(self, block: Block) -> Block:
        match block:
            case Paragraph(content=content):
                mapped = self.inlines(content)
                return block if mapped is content else replace(block, content=mapped)
            case BulletList(items=items) | OrderedList(items=items):
                new_items = [self.blocks(item) for item in items]
                return block if _same(new_items, items) else replace(block, items=new_items)
            case BlockQuote(blocks=blocks):
                mapped_blocks = self.blocks(blocks)
                return block if mapped_blocks is blocks else replace(block, blocks=mapped_blocks)
            case Table(header=header, rows=rows, caption=caption):
                new_header = [self.inlines(c) for c in header]
                new_rows = [[self.inlines(c) for c in row] for row in rows]
                new_caption = self.inlines(caption)
                if new_caption is caption and _same(new_header, header) and \
                        all(_same(new, old) for new, old in zip(new_rows, rows)):
                    return block
                return replace(block, header=new_header, rows=new_rows, caption=new_caption)
            case Figure(caption=caption):
                mapped = self.inlines(caption)
                return block if mapped is caption else replace(block, caption=mapped)
            case CodeBlock() | MathBlock() | ThematicBreak():
                return block
            case _:
                raise TypeError(f"not a block: {block!r}")

    def section(self, section: Section) -> Section:
        title = self.inlines(section.title)
        blocks = self.blocks(section.blocks)
        subsections = [self.section(s) for s in section.subsections]
        if title is section.title and blocks is section.blocks and \
                _same(subsections, section.subsections):
            return section
        return replace(section, title=title, blocks=blocks, subsections=subsections)


def _same(new: Sequence[object], old: Sequence[object]) -> bool:
    """Return whether `new` holds the very objects of `old`, in order."""
    return all(a is b for a, b in zip(new, old))
