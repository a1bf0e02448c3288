"""Sections and captions: the structure the Markdown reader builds once blocks are converted.

The reader turns tokens into a flat list of items: blocks, :class:`Heading` s (not yet
sections) and :class:`Caption` s (``Table:`` paragraphs not yet given to a table). This module
gives captions to tables (:func:`attach_captions`) and nests sections by heading level
(:func:`build_sections`). :func:`check_nesting` refuses lists and quotes nested deeper than
the writers can set (:data:`MAX_NESTING`).
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass

from markdown_it.token import Token

from ..diagnostics import Log
from ..errors import InputError
from ..model import Block, Inline, Paragraph, Pos, Section, Table

__all__ = ["Heading", "Caption", "Item", "attach_captions", "build_sections", "check_nesting",
           "MAX_NESTING", "PARSER_NESTING"]

#: The deepest nesting of lists and block quotes (together) a paper may use: Word's list
#: numbering has 9 levels, and the LaTeX template sets enumitem's list depth to 9 (a quote
#: is a list there too).
MAX_NESTING = 9
#: markdown-it's own limit (its ``maxNesting`` counts tokens: a list level is two, a list
#: and its item). Beyond it markdown-it drops the rest of the block without a word, so it
#: stays far above what :func:`check_nesting` lets through.
PARSER_NESTING = 100

_OPENERS = {"bullet_list_open": "-*+", "ordered_list_open": "0123456789",
            "blockquote_open": ">"}
_CLOSERS = {"bullet_list_close", "ordered_list_close", "blockquote_close"}


def check_nesting(tokens: list[Token], lines: list[str], file: str, first_line: int) -> None:
    """Raise :class:`InputError` PK109 at the first list or quote nested deeper than
    :data:`MAX_NESTING` levels (lists and quotes together)."""
    depth = 0
    seen_on_line: dict[tuple[int, str], int] = {}
    for token in tokens:
        if token.type in _CLOSERS:
            depth -= 1
            continue
        markers = _OPENERS.get(token.type)
        if markers is None:
            continue
        depth += 1
        line = token.map[0] if token.map else 0
        # the n-th marker of this kind on its line: "> > > text" opens three quotes there
        nth = seen_on_line[line, token.type] = seen_on_line.get((line, token.type), 0) + 1
        if depth <= MAX_NESTING:
            continue
        source = lines[line] if line < len(lines) else ""
        column = _marker_column(source, markers, nth)
        raise InputError.make(
            "PK109", Pos(file, first_line + line, column),
            detail=f"lists and block quotes nest {depth} levels deep here; paperkit supports "
                   f"at most {MAX_NESTING} (as Word and LaTeX do): flatten the inner levels or "
                   "make them paragraphs")


def _marker_column(source: str, markers: str, nth: int) -> int:
    """Return the 1-based column of the `nth` list or quote marker on `source` (its first
    non-blank character when there are fewer)."""
    found = 0
    for i, char in enumerate(source):
        if char in markers and (i == 0 or not source[i - 1].isdigit()):
            found += 1
            if found == nth:
                return i + 1
        elif not char.isspace() and char not in ">" and markers != ">":
            break
    return len(source) - len(source.lstrip()) + 1


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


def attach_captions(items: list[Item]) -> list[Block | Heading]:
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
