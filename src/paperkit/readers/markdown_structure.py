"""Sections and captions: the structure the Markdown reader builds once blocks are converted.

The reader turns tokens into a flat list of items: blocks, :class:`Heading` s (not yet
sections) and :class:`Caption` s (``Table:`` paragraphs not yet given to a table). This module
gives captions to tables (:func:`attach_captions`) and nests sections by heading level
(:func:`build_sections`).
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass

from ..diagnostics import Log
from ..model import Block, Inline, Paragraph, Pos, Section, Table

__all__ = ["Heading", "Caption", "Item", "attach_captions", "build_sections"]


@dataclass(slots=True)
class Heading:
    """A heading met in the block stream, before sections are built."""

    depth: int
    title: list[Inline]
    label: str | None
    numbered: bool
    pos: Pos


@dataclass(slots=True)
class Caption:
    """A ``Table: ...`` paragraph next to a table, waiting to be claimed by it."""

    content: list[Inline]
    label: str | None
    paragraph: Paragraph
    claimed: bool = False


Item = Block | Heading | Caption


def attach_captions(items: list[Item]) -> list[Item]:
    """Return `items` with each table given the free caption before it, else the one after."""
    for index, item in enumerate(items):
        if not isinstance(item, Table) or item.caption or item.label:
            continue
        for near in (index - 1, index + 1):
            candidate = items[near] if 0 <= near < len(items) else None
            if isinstance(candidate, Caption) and not candidate.claimed:
                candidate.claimed = True
                items[index] = dataclasses.replace(item, caption=candidate.content,
                                                   label=candidate.label)
                break
    return [item.paragraph if isinstance(item, Caption) else item
            for item in items if not (isinstance(item, Caption) and item.claimed)]


@dataclass(slots=True)
class _Open:
    """A section being built: its heading's raw level and its growing contents."""

    raw: int
    heading: Heading
    blocks: list[Block]
    subsections: list[Section]


def build_sections(items: list[Item], log: Log) -> tuple[list[Block], list[Section]]:
    """Return the blocks before the first heading, and the sections nested by heading level."""
    before: list[Block] = []
    top: list[Section] = []
    stack: list[_Open] = []
    previous: int | None = None

    def close() -> None:
        done = stack.pop()
        h = done.heading
        section = Section(h.title, len(stack) + 1, done.blocks, done.subsections, None, h.label,
                          h.numbered, pos=h.pos)
        (stack[-1].subsections if stack else top).append(section)

    for item in attach_captions(items):
        if isinstance(item, Heading):
            raw = item.depth
            if previous is not None and raw > previous + 1:
                log.add("PK405", item.pos, before=previous, after=raw, expected=previous + 1)
            while stack and stack[-1].raw >= raw:
                close()
            stack.append(_Open(raw, item, [], []))
            previous = raw
        elif stack:
            stack[-1].blocks.append(item)
        else:
            before.append(item)
    while stack:
        close()
    return before, top
