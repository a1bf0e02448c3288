"""markdown-it inline tokens -> model inlines, with file positions.

markdown-it's inline tokens carry no positions, and an inline token's content is not a slice
of the source: a paragraph's lines are joined after losing their container indentation
(list items, ``>`` markers) and the whole is stripped. An :class:`Anchor` maps an offset in
that content back to the file line by line, by finding each content line in the source
line it came from. Offsets come from the rules themselves: the citation rule records them in
``token.meta``, and :func:`track_offsets` wraps other rules (footnote references, images,
code, links) so that their first token records where it started. Text nodes get a position
found by searching the content forward from the previous node (best effort: a text that
lost characters to escapes gets none).

Inline conversions:

- soft break -> ``Text(" ")``; hard break -> :class:`LineBreak`; adjacent texts merge;
- ``$tex$`` -> :class:`Math`; ``^x^`` / ``~x~`` -> super/subscript; ``[x]{.smallcaps}`` ->
  :class:`SmallCaps` (other spans keep just their content);
- an image inside running text -> its alt text in an :class:`Emph` (only an image alone in a
  paragraph is a figure);
- inline HTML -> its literal text, except comments, which are dropped;
- ``[^1]`` -> the definition's blocks in a :class:`Note` (a note referenced twice is repeated,
  as pandoc does); ``^[text]`` -> an inline note;
- citations -> :class:`Cite`; cross-reference keys (``@sec:x``) -> :class:`Ref`.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Callable, Sequence
from typing import Any, Protocol

from markdown_it.rules_inline import StateInline
from markdown_it.token import Token

from ..model import (Cite, CiteItem, Code, Emph, Inline, LineBreak, Link, Math, Note, Paragraph,
                     Pos, Ref, SmallCaps, Strong, Subscript, Superscript, Text, Block)

__all__ = ["Anchor", "NoteSource", "convert_inlines", "track_offsets", "column_of",
           "unescaped_pipes"]

_OPENERS = {"em_open": "em_close", "strong_open": "strong_close", "link_open": "link_close",
            "sup_open": "sup_close", "sub_open": "sub_close", "span_open": "span_close",
            "s_open": "s_close"}
_CLOSERS = frozenset(_OPENERS.values())
#: How far ahead a text node's content may be found and still be trusted as its place.
_TEXT_SLACK = 80


def track_offsets(rule: Callable[[StateInline, bool], bool],
                  starts: str = "") -> Callable[[StateInline, bool], bool]:
    """Return `rule` wrapped so that the first token it pushes records ``meta["offset"]``.

    Also records ``meta["end"]``, the offset after the whole construct (a link's end).
    `starts`, when given, are the only characters the rule's construct can start with:
    elsewhere the wrapper answers no at once (markdown-it tries every rule at every
    punctuation mark of the text).
    """
    def tracked(state: StateInline, silent: bool) -> bool:
        if starts and state.src[state.pos] not in starts:
            return False
        start, count, pending = state.pos, len(state.tokens), bool(state.pending)
        matched = rule(state, silent)
        if matched and not silent:
            first = count + 1 if pending else count
            if first < len(state.tokens):
                token = state.tokens[first]
                meta = token.meta if token.meta else {}
                meta["offset"], meta["end"] = start, state.pos
                token.meta = meta
        return matched

    tracked.__name__ = getattr(rule, "__name__", "rule")
    return tracked


def column_of(source: str, content: str, hint: int | None) -> int:
    """Return the 0-based column of `content` (one line of inline content) in `source`.

    The column may be negative when `content` starts with spaces that `source` lacks (what
    is left of a tab after a container's indentation); its text is then still placed right.

    Without a `hint`, `content` is taken as a suffix of `source` (a paragraph line keeps its
    end; container markers and indentation are cut from its start). With one, or when that
    fails, `content` is searched from `hint` on (table cells, headings, captions).
    """
    body = content.rstrip()
    if hint is None:
        line = source.rstrip()
        if line.endswith(body):
            return len(line) - len(body)
        hint = 0
    # leading spaces may be a tab's remainder that the source does not hold: find the text
    # after them, and count the column back from there
    lead = len(body) - len(body.lstrip())
    body = body[lead:]
    found = -1
    if "|" in body:
        # in a table cell every pipe was escaped in the source (an unescaped one ends the
        # cell) and markdown-it dropped the backslashes; look for the escaped text first
        found = source.find(body.replace("|", "\\|"), hint)
    if found < 0:
        found = source.find(body, hint)
    return found - lead if found >= 0 else hint


class Anchor:
    """Maps offsets in one inline token's content to file positions."""

    __slots__ = ("file", "content", "_lines", "_line0", "_first_line", "_hint", "_starts",
                 "_columns", "_dropped")

    def __init__(self, file: str, content: str, lines: Sequence[str], line0: int,
                 first_line: int, hint: int | None = None,
                 dropped: Sequence[int] = ()) -> None:
        self.file = file
        self.content = content
        self._lines = lines
        self._line0 = line0
        self._first_line = first_line
        self._hint = hint
        self._starts: list[int] | None = None
        self._columns: dict[int, int] = {}
        #: offsets (single-line content) before which the source has one character more
        self._dropped = dropped

    def _column(self, k: int) -> int:
        column = self._columns.get(k)
        if column is None:
            starts = self._starts or [0]
            end = starts[k + 1] - 1 if k + 1 < len(starts) else len(self.content)
            index = self._line0 + k
            source = self._lines[index] if 0 <= index < len(self._lines) else ""
            column = column_of(source, self.content[starts[k]:end],
                               self._hint if k == 0 else None)
            self._columns[k] = column
        return column

    def pos(self, offset: int) -> Pos:
        """Return the file position of `offset` in the content."""
        if self._starts is None:
            starts, i = [0], self.content.find("\n")
            while i >= 0:
                starts.append(i + 1)
                i = self.content.find("\n", i + 1)
            self._starts = starts
        k = bisect_right(self._starts, offset) - 1
        column = self._column(k) + offset - self._starts[k] + 1
        if self._dropped:
            column += bisect_right(self._dropped, offset)
        return Pos(self.file, self._first_line + self._line0 + k, max(1, column))


def unescaped_pipes(content: str) -> list[int]:
    """Return the offsets of the pipes in a table cell's `content`.

    Each was ``\\|`` in the source (an unescaped pipe ends the cell) and markdown-it removed
    its backslash, which shifts the rest of the cell one column left of its source.
    """
    return [i for i, char in enumerate(content) if char == "|"]


class NoteSource(Protocol):
    """What the inline converter needs from the block reader to expand footnotes."""

    env: dict[str, Any]

    def note_blocks(self, label: str, pos: Pos) -> list[Block] | None:
        """Return the blocks of footnote `label`; log PK404 and return ``None`` if undefined."""


def convert_inlines(tokens: Sequence[Token], anchor: Anchor, notes: NoteSource,
                    base: int = 0, start: int | None = None) -> list[Inline]:
    """Return the model inlines for `tokens`, whose offsets are relative to `base`.

    `start` is where in the content the tokens begin, when it is not `base`.
    """
    converter = _Converter(anchor, notes, base)
    if start is not None:
        converter.cursor = start
    return converter.run(tokens)


class _Converter:
    __slots__ = ("anchor", "notes", "base", "cursor")

    def __init__(self, anchor: Anchor, notes: NoteSource, base: int) -> None:
        self.anchor, self.notes, self.base, self.cursor = anchor, notes, base, base

    def _pos(self, token: Token) -> Pos | None:
        """Return the position recorded for `token`, and move the text cursor to its start."""
        meta = token.meta
        if meta and "offset" in meta:
            self.cursor = self.base + meta["offset"]
            return self.anchor.pos(self.cursor)
        return None

    def _advance(self, token: Token) -> None:
        """Move the text cursor past `token`'s construct, when its end is known."""
        meta = token.meta
        if meta and "end" in meta:
            self.cursor = self.base + meta["end"]

    def _text_pos(self, text: str, wanted: bool = True) -> Pos | None:
        """Return where `text` starts (searching forward from the cursor), if `wanted`.

        The search always runs, to keep the cursor moving; making the position is skipped
        for a text that will merge into the one before it (only a run's first keeps one).
        """
        found = self.anchor.content.find(text, self.cursor, self.cursor + _TEXT_SLACK + len(text))
        if found < 0:
            return None
        self.cursor = found + len(text)
        return self.anchor.pos(found) if wanted else None

    def run(self, tokens: Sequence[Token]) -> list[Inline]:
        out = _Run()
        stack: list[tuple[Token, Pos | None, _Run]] = []
        for token in tokens:
            kind = token.type
            if kind == "text" or kind == "text_special" or kind == "softbreak":
                if kind == "softbreak":
                    out.text(" ", self._text_pos("\n", not out.parts))
                elif token.content:
                    out.text(token.content, self._text_pos(token.content, not out.parts))
            elif kind in _OPENERS:
                stack.append((token, self._pos(token), out))
                out = _Run()
            elif kind in _CLOSERS and stack:
                opener, pos, parent = stack.pop()
                self._advance(opener)
                node = self._wrap(opener, out.done(), pos)
                out = parent
                for inner in node if isinstance(node, list) else (node,):
                    out.add(inner)
            else:
                for inner in self._leaf(token):
                    out.add(inner)
        while stack:  # unbalanced input: keep the content
            _, _, parent = stack.pop()
            for inner in out.done():
                parent.add(inner)
            out = parent
        return out.done()

    def _wrap(self, opener: Token, content: list[Inline],
              pos: Pos | None) -> Inline | list[Inline]:
        if pos is None and content and opener.markup:
            # emphasis records no offset, but its content starts right after the marker
            first = getattr(content[0], "pos", None)
            if first is not None and first.column > len(opener.markup):
                pos = Pos(first.file, first.line, first.column - len(opener.markup))
        match opener.type:
            case "em_open":
                return Emph(content, pos=pos)
            case "strong_open":
                return Strong(content, pos=pos)
            case "link_open":
                return Link(content, str(opener.attrs.get("href", "")),
                            str(opener.attrs.get("title", "") or ""), pos=pos)
            case "sup_open":
                return Superscript(content, pos=pos)
            case "sub_open":
                return Subscript(content, pos=pos)
            case "span_open" if "smallcaps" in str(opener.attrs.get("class", "")).split():
                return SmallCaps(content, pos=pos)
            case _:
                return content

    def _leaf(self, token: Token) -> list[Inline]:
        match token.type:
            case "hardbreak":
                return [LineBreak()]
            case "code_inline":
                pos = self._pos(token)
                self._advance(token)
                return [Code(token.content, pos=pos)]
            case "math_inline" | "math_inline_double":
                pos = self._pos(token)
                self._advance(token)
                return [Math(token.content.strip(), pos=pos)]
            case "image":
                pos = self._pos(token)
                self._advance(token)
                inner = self.base + token.meta["offset"] + 2 if pos else self.base
                alt = convert_inlines(token.children or [], self.anchor, self.notes, inner)
                return [Emph(alt, pos=pos)]
            case "html_inline":
                pos = self._pos(token)
                self._advance(token)
                if token.content.startswith("<!--"):
                    return []
                return [Text(token.content, pos=pos)]
            case "footnote_ref":
                return [self._note(token)]
            case "citation":
                return self._citation(token)
            case _:
                return [Text(token.content)] if token.content else []

    def _note(self, token: Token) -> Inline:
        pos = self._pos(token) or self.anchor.pos(self.base)
        self._advance(token)
        meta = token.meta or {}
        label = meta.get("label")
        if label is None:  # an inline note: ^[text]
            data = self.notes.env.get("footnotes", {}).get("list", {}).get(meta.get("id"), {})
            inner = self.base + meta.get("offset", 0) + 2
            content = convert_inlines(data.get("tokens", []), self.anchor, self.notes, inner)
            return Note([Paragraph(content, pos=self.anchor.pos(inner))], pos=pos)
        blocks = self.notes.note_blocks(label, pos)
        if blocks is None:
            return Text(f"[^{label}]", pos=pos)
        return Note(blocks, pos=pos)

    def _citation(self, token: Token) -> list[Inline]:
        meta = token.meta
        base = self.base
        pos = self._pos(token)
        self._advance(token)
        out: list[Inline] = []
        items: list[CiteItem] = []
        refs: list[list[Inline]] = []
        for item in meta["items"]:
            prefix = convert_inlines(item["prefix"], self.anchor, self.notes,
                                     base + item["prefix_offset"])
            suffix = convert_inlines(item["suffix"], self.anchor, self.notes,
                                     base + item["suffix_offset"])
            item_pos = self.anchor.pos(base + item["offset"])
            if item["ref"]:
                before = [*prefix, Text(" ")] if prefix else []
                refs.append([*before, Ref(item["key"], pos=item_pos), *suffix])
                continue
            items.append(CiteItem(item["key"], item["mode"], prefix, item["locator"],
                                  item["label"], suffix, pos=item_pos))
        for index, ref in enumerate(refs):
            if index:
                out.append(Text(" and " if index == len(refs) - 1 else ", "))
            out.extend(ref)
        if items:
            if out:
                out.append(Text("; "))
            out.append(Cite(items, token.content, pos=pos))
        return out


class _Run:
    """A growing inline list that joins adjacent texts into one (keeping the first position)."""

    __slots__ = ("nodes", "parts", "pos")

    def __init__(self) -> None:
        self.nodes: list[Inline] = []
        self.parts: list[str] = []
        self.pos: Pos | None = None

    def text(self, text: str, pos: Pos | None) -> None:
        if not self.parts:
            self.pos = pos
        self.parts.append(text)

    def add(self, node: Inline) -> None:
        if isinstance(node, Text):
            if node.text:
                self.text(node.text, node.pos)
            return
        self._flush()
        self.nodes.append(node)

    def _flush(self) -> None:
        if self.parts:
            self.nodes.append(Text("".join(self.parts), pos=self.pos))
            self.parts = []

    def done(self) -> list[Inline]:
        """Return the finished list."""
        self._flush()
        return self.nodes
