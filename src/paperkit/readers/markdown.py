"""The Markdown body reader: markdown-it-py tokens -> model blocks and sections, with positions.

The syntax is CommonMark (markdown-it-py's ``commonmark`` preset) plus pandoc's extensions
that papers use: pipe tables with ``Table:`` captions, footnotes (``[^1]`` and ``^[...]``),
``$math$`` and ``$$display$$``, figures (an image alone in a paragraph, with an optional
``{#fig:id}``), heading attributes (``{#sec:id}``, ``{-}``), ``^sup^``, ``~sub~``,
``[text]{.smallcaps}``, and citations and cross-references (:mod:`.mdit_citations`).

Decisions worth knowing:

- Labels get their kind's prefix when it is missing: ``# Intro {#intro}`` is labelled
  ``sec:intro``, ``![..](x.png){#map}`` ``fig:map`` and ``Table: .. {#trade}`` ``tbl:trade``.
- Section levels are nesting depths: the first heading's level is level 1 whatever its
  number of ``#``. A jump (``#`` then ``###``) logs PK405 and nests one level down.
  Sections are not numbered here (the numbering transform does it).
- A table caption is a paragraph starting ``Table:`` (or ``:``) just before or after the
  table; a table takes the caption before it if that is free, else the one after.
- Raw HTML is kept as literal text; HTML comments are dropped.
- An image alone in a paragraph is a :class:`~paperkit.model.Figure` (its alt text is the
  caption); an image inside text becomes its alt text in emphasis.
- A heading inside a list, quote or note (or in :func:`read_blocks`) becomes a paragraph
  in bold, since the model has headings only as sections.
- Footnotes: a definition never used logs PK403; a reference with no definition logs PK404
  and stays as literal text. When a label is defined twice, the first definition counts.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Any

from markdown_it import MarkdownIt
from markdown_it.rules_core import StateCore
from markdown_it.token import Token
from mdit_py_plugins.attrs import attrs_plugin
from mdit_py_plugins.dollarmath import dollarmath_plugin
from mdit_py_plugins.footnote import footnote_plugin
from mdit_py_plugins.subscript import sub_plugin
from mdit_py_plugins.superscript import superscript_plugin

from ..diagnostics import Log
from ..model import (Block, BlockQuote, BulletList, CodeBlock, Figure, Inline, LineBreak,
                     MathBlock, OrderedList, Paragraph, Pos, Section, Strong, Table, Text,
                     ThematicBreak)
from ..walk import plain_text
from .markdown_attrs import Attributes, inline_attributes, prefixed_label, prepare_attributes
from .markdown_inlines import (Anchor, column_of, convert_inlines, track_offsets,
                               unescaped_pipes)
from .markdown_structure import (PARSER_NESTING, Caption, Heading, Item, attach_captions,
                                 build_sections, check_nesting)
from .mdit_citations import citations_plugin

__all__ = ["read_body", "read_blocks", "read_inlines"]

#: Inline rules whose first token should record its offset (for positions), with the
#: characters their constructs start with ("": any; footnote_ref sets up the footnote data
#: before it looks at the character).
_TRACKED = {"backticks": "`", "math_inline": "$", "link": "[", "span": "[", "image": "!",
            "autolink": "<", "html_inline": "<", "footnote_inline": "^", "footnote_ref": ""}
_ATX = re.compile(r"[ \t]*#+[ \t]*")
_ORDERED = re.compile(r"\d+[.)]")
_COMMENT = re.compile(r"\s*<!--.*?-->\s*", re.S)
_NEWLINES = re.compile(r"\r\n?")


_DASHES = re.compile(r"---|--|\.\.\.")
_DASH_TEXT = {"---": "\u2014", "--": "\u2013", "...": "\u2026"}


def _smart_dashes(state: StateCore) -> None:
    """Turn ``---``, ``--`` and ``...`` in running text into —, – and … (as Pandoc's smart).

    Only text tokens change; code, math and URLs keep their characters. Positions are not
    affected: they were recorded against the source before this rule runs.
    """
    for block in state.tokens:
        if block.type != "inline" or not block.children:
            continue
        for token in block.children:
            if token.type == "text" and ("--" in token.content or "..." in token.content):
                token.content = _DASHES.sub(lambda m: _DASH_TEXT[m.group(0)], token.content)


@lru_cache(maxsize=1)
def _parser() -> MarkdownIt:
    """Return the one configured markdown-it parser (built on first use)."""
    # Pandoc's `smart` extension: curly quotes, and dashes and ellipses from --- -- ...
    md = MarkdownIt("commonmark", {"typographer": True, "maxNesting": PARSER_NESTING})
    md.enable(["table", "smartquotes"])
    md.core.ruler.after("smartquotes", "paperkit_dashes", _smart_dashes)
    md.use(footnote_plugin, inline=True, move_to_end=False, always_match_refs=True)
    md.use(dollarmath_plugin, allow_labels=False, allow_space=False, allow_digits=False,
           allow_blank_lines=False, double_inline=True)
    md.use(attrs_plugin, spans=True, after=())
    md.inline.ruler.push("paperkit_attributes", inline_attributes)
    md.use(superscript_plugin)
    md.use(sub_plugin)
    md.use(citations_plugin)
    md.core.ruler.before("inline", "paperkit_attributes", prepare_attributes)
    rules = md.inline.ruler
    for rule in rules.__rules__:
        if rule.name in _TRACKED:
            rule.fn = track_offsets(rule.fn, _TRACKED[rule.name])
    rules.__cache__ = None
    return md


# --------------------------------------------------------------------------- public API


def read_body(text: str, *, file: str, first_line: int,
              log: Log) -> tuple[list[Block], list[Section]]:
    """Return the blocks before the first heading, and the sections (nested by heading level).

    `text` is the Markdown after the front matter and starts at line `first_line` of `file`;
    every node's position is a line and column of `file`.
    """
    reader = _Reader(text, file, first_line, log)
    items = reader.top_items()
    blocks, sections = build_sections(items, log)
    reader.finish()
    return blocks, sections


def read_blocks(text: str, *, file: str, first_line: int, log: Log) -> list[Block]:
    """Return the blocks of Markdown with no headings (an abstract, a note).

    A heading there becomes a bold paragraph.
    """
    reader = _Reader(text, file, first_line, log)
    blocks = reader.flat(reader.top_items())
    reader.finish()
    return blocks


def read_inlines(text: str, *, file: str, first_line: int, log: Log,
                 first_column: int = 1) -> list[Inline]:
    """Return the inlines of one line of Markdown (a title in front matter).

    `first_column` is where `text` starts on its line (1 when unknown).
    """
    stripped = text.strip()
    if not stripped:
        return []
    lead = text[:len(text) - len(text.lstrip())]
    if "\n" in lead:
        first_line += lead.count("\n")
        first_column = 1
        lead = lead.rsplit("\n", 1)[1]
    first_column += len(lead)
    env: dict[str, Any] = {}
    tokens = _parser().parseInline(stripped, env)
    reader = _Reader("", file, first_line, log, tokens=tokens, env=env)
    # The anchor finds each content line in its source line; padding the first source
    # line puts its text at `first_column`.
    lines = _source_lines(stripped)
    lines[0] = " " * (first_column - 1) + lines[0]
    anchor = Anchor(file, tokens[0].content, lines, 0, first_line)
    return convert_inlines(tokens[0].children or [], anchor, reader)


# --------------------------------------------------------------------------- internals


#: Several blocks standing for one paragraph (split around display math).
_Run = list[Block]


class _Reader:
    """One parse of one Markdown text: its tokens, lines and footnote definitions."""

    def __init__(self, text: str, file: str, first_line: int, log: Log, *,
                 tokens: list[Token] | None = None, env: dict[str, Any] | None = None) -> None:
        self.file, self.first_line, self.log = file, first_line, log
        self.env: dict[str, Any] = env if env is not None else {}
        self.tokens = tokens if tokens is not None else _parser().parse(text, self.env)
        self.lines = _source_lines(text)
        check_nesting(self.tokens, self.lines, file, first_line)
        self._defs: dict[str, tuple[int, Pos]] = {}
        self._def_ends: dict[int, int] = {}
        self._notes: dict[str, list[Block]] = {}
        self._used: set[str] = set()
        self._active: set[str] = set()
        self._collect_definitions()

    # ------------------------------------------------------------------ footnotes

    def _collect_definitions(self) -> None:
        stack: list[int] = []
        for i, token in enumerate(self.tokens):
            if token.type == "footnote_reference_open":
                stack.append(i)
            elif token.type == "footnote_reference_close" and stack:
                start = stack.pop()
                self._def_ends[start] = i + 1
                opener = self.tokens[start]
                label = str((opener.meta or {}).get("label", ""))
                if label not in self._defs:
                    self._defs[label] = (start, self._pos(opener, "[^"))

    def note_blocks(self, label: str, pos: Pos) -> list[Block] | None:
        """Return the blocks of footnote `label`; log PK404 and return ``None`` if undefined."""
        found = self._defs.get(label)
        if found is None:
            self.log.add("PK404", pos, name=label)
            return None
        self._used.add(label)
        if label in self._active:  # a note that refers to itself
            return None
        blocks = self._notes.get(label)
        if blocks is None:
            self._active.add(label)
            items, _ = self._items(found[0] + 1, "footnote_reference_close")
            blocks = self._notes[label] = self.flat(items)
            self._active.discard(label)
        return list(blocks)

    def finish(self) -> None:
        """Log PK403 for every footnote defined but never used."""
        for label, (_, pos) in self._defs.items():
            if label not in self._used:
                self.log.add("PK403", pos, name=label)

    # ------------------------------------------------------------------ positions

    def _pos(self, token: Token, marker: str | None = None) -> Pos:
        """Return the position of block `token`: its first line, at `marker` if given."""
        line = token.map[0] if token.map else 0
        source = self.lines[line] if line < len(self.lines) else ""
        column = len(source) - len(source.lstrip())
        if marker:
            found = source.find(marker, column)
            column = found if found >= 0 else column
        return Pos(self.file, self.first_line + line, column + 1)

    def _anchor(self, inline: Token, hint: int | None = None) -> Anchor:
        line = inline.map[0] if inline.map else 0
        return Anchor(self.file, inline.content, self.lines, line, self.first_line, hint)

    # ------------------------------------------------------------------ blocks

    def top_items(self) -> list[Item]:
        """Return the items (blocks, headings) of the whole token stream."""
        items, _ = self._items(0, None)
        return items

    def flat(self, items: list[Item]) -> list[Block]:
        """Return `items` as blocks: captions joined to tables, headings as bold paragraphs."""
        blocks: list[Block] = []
        for item in attach_captions(items):
            if isinstance(item, Heading):
                blocks.append(Paragraph([Strong(item.title)], pos=item.pos))
            else:
                blocks.append(item)
        return blocks

    def _items(self, i: int, stop: str | None) -> tuple[list[Item], int]:
        """Return the items from token `i` up to the closing token `stop`, and the next index."""
        tokens = self.tokens
        out: list[Item] = []
        while i < len(tokens):
            token = tokens[i]
            kind = token.type
            if kind == stop:
                return out, i + 1
            match kind:
                case "paragraph_open":
                    item = self._paragraph(token, tokens[i + 1])
                    out.extend(item if isinstance(item, list) else (item,))
                    i += 3
                case "heading_open":
                    out.append(self._heading(token, tokens[i + 1]))
                    i += 3
                case "bullet_list_open" | "ordered_list_open":
                    block, i = self._list(i)
                    out.append(block)
                case "blockquote_open":
                    inner, i = self._items(i + 1, "blockquote_close")
                    out.append(BlockQuote(self.flat(inner), pos=self._pos(token, ">")))
                case "table_open":
                    table, i = self._table(i)
                    out.append(table)
                case "fence":
                    language = token.info.strip().split(" ", 1)[0].strip("{}").lstrip(".")
                    out.append(CodeBlock(_chomp(token.content), language,
                                         pos=self._pos(token, token.markup)))
                    i += 1
                case "code_block":
                    out.append(CodeBlock(_chomp(token.content), pos=self._pos(token)))
                    i += 1
                case "math_block" | "math_block_label":
                    out.append(MathBlock(token.content.strip(), pos=self._pos(token, "$$")))
                    i += 1
                case "hr":
                    out.append(ThematicBreak(pos=self._pos(token)))
                    i += 1
                case "html_block":
                    html = self._html(token)
                    if html is not None:
                        out.append(html)
                    i += 1
                case "footnote_reference_open":
                    i = self._def_ends.get(i, i + 1)
                case _:
                    i += 1
        return out, i

    def _paragraph(self, token: Token, inline: Token) -> Block | Caption | _Run:
        children = inline.children or []
        anchor = self._anchor(inline)
        if len(children) == 1 and children[0].type == "image":
            return self._figure(children[0], anchor)
        if any(child.type == "math_inline_double" for child in children):
            return self._split_display_math(children, anchor)
        content = convert_inlines(children, anchor, self)
        caption = (token.meta or {}).get("caption")
        if caption is not None:
            pos = self._pos(token)
            restored = [Text(caption["prefix"]), *content]
            if caption["cut"]:
                restored.append(Text(caption["cut"]))
            paragraph = Paragraph(_merge_texts(restored), pos=pos)
            return Caption(content, prefixed_label(caption["id"], "tbl:"), paragraph)
        if not content:  # nothing left once comments are dropped
            return []
        return Paragraph(content, pos=anchor.pos(0))

    def _split_display_math(self, children: list[Token], anchor: Anchor) -> _Run:
        """Return a paragraph holding ``$$display$$`` math as paragraphs around math blocks.

        pandoc keeps display math inside the paragraph; the model has display math only as
        a block, and a display equation breaks the paragraph's lines anyway.
        """
        out: _Run = []
        segment: list[Token] = []
        start, depth = 0, 0

        def flush() -> None:
            begin = start
            while begin < len(anchor.content) and anchor.content[begin].isspace():
                begin += 1
            pos = anchor.pos(begin)
            content = _trimmed(convert_inlines(segment, anchor, self, 0, start), pos)
            if content:
                out.append(Paragraph(content, pos=pos))

        for child in children:
            depth += child.nesting
            if child.type == "math_inline_double" and depth == 0:
                flush()
                meta = child.meta or {}
                offset, start = meta.get("offset", start), meta.get("end", start)
                out.append(MathBlock(child.content.strip(), pos=anchor.pos(offset)))
                segment = []
            else:
                segment.append(child)
        flush()
        return out

    def _figure(self, image: Token, anchor: Anchor) -> Figure:
        offset = (image.meta or {}).get("offset", 0)
        caption = convert_inlines(image.children or [], anchor, self, offset + 2)
        ident = image.attrs.get("id")
        return Figure(str(image.attrs.get("src", "")), caption, alt=plain_text(caption),
                      label=prefixed_label(str(ident) if ident else None, "fig:"),
                      pos=anchor.pos(offset))

    def _heading(self, token: Token, inline: Token) -> Heading:
        attrs: Attributes = (token.meta or {}).get("attrs") or Attributes()
        hint = None
        if token.markup.startswith("#") and inline.map:
            source = self.lines[inline.map[0]] if inline.map[0] < len(self.lines) else ""
            match = _ATX.match(source)
            hint = match.end() if match else 0
        title = convert_inlines(inline.children or [], self._anchor(inline, hint), self)
        return Heading(int(token.tag[1:]) if token.tag[1:].isdigit() else 1, title,
                        prefixed_label(attrs.id, "sec:"), attrs.numbered, self._pos(token))

    def _list(self, i: int) -> tuple[Block, int]:
        opener = self.tokens[i]
        ordered = opener.type == "ordered_list_open"
        close = "ordered_list_close" if ordered else "bullet_list_close"
        items: list[list[Block]] = []
        i += 1
        while i < len(self.tokens) and self.tokens[i].type != close:
            if self.tokens[i].type == "list_item_open":
                inner, i = self._items(i + 1, "list_item_close")
                items.append(self.flat(inner))
            else:
                i += 1
        if ordered:
            line = opener.map[0] if opener.map else 0
            source = self.lines[line] if line < len(self.lines) else ""
            match = _ORDERED.search(source)
            pos = Pos(self.file, self.first_line + line, match.start() + 1 if match else 1)
            start = opener.attrs.get("start", 1)
            return OrderedList(items, int(start) if str(start).isdigit() else 1, pos=pos), i + 1
        return BulletList(items, pos=self._pos(opener, opener.markup)), i + 1

    def _table(self, i: int) -> tuple[Table, int]:
        tokens = self.tokens
        opener = tokens[i]
        header: list[list[Inline]] = []
        rows: list[list[list[Inline]]] = []
        align: list[str] = []
        caption: list[Inline] = []
        label: str | None = None
        row: list[list[Inline]] = []
        row_meta: dict[str, Any] = {}
        in_head = False
        hint, line = 0, 0
        i += 1
        while i < len(tokens) and tokens[i].type != "table_close":
            token = tokens[i]
            match token.type:
                case "thead_open":
                    in_head = True
                case "thead_close":
                    in_head = False
                case "tr_open":
                    row, hint, row_meta = [], 0, token.meta or {}
                    line = token.map[0] if token.map else 0
                case "th_open" | "td_open" if i + 1 < len(tokens):
                    if in_head:
                        align.append(_align(token))
                    inline = tokens[i + 1]
                    source = self.lines[line] if line < len(self.lines) else ""
                    column = column_of(source, inline.content, hint)
                    hint = column + len(inline.content)
                    dropped = unescaped_pipes(inline.content)
                    hint += len(dropped)
                    anchor = Anchor(self.file, inline.content, self.lines, line,
                                    self.first_line, column, dropped)
                    row.append(convert_inlines(inline.children or [], anchor, self))
                    i += 1
                case "tr_close":
                    cut = row_meta.get("caption")
                    if in_head:
                        header = row
                    elif cut is not None and row:
                        caption, label = row[0], prefixed_label(cut["id"], "tbl:")
                    else:
                        rows.append(row)
            i += 1
        table = Table(header, rows, align, caption, label,  # type: ignore[arg-type]
                      pos=self._pos(opener))
        return table, i + 1

    def _html(self, token: Token) -> Block | None:
        text = _COMMENT.sub("\n", token.content).strip("\n")
        if not text.strip():
            return None
        content: list[Inline] = []
        for index, line in enumerate(text.split("\n")):
            if index:
                content.append(LineBreak())
            content.append(Text(line))
        return Paragraph(content, pos=self._pos(token))


def _source_lines(text: str) -> list[str]:
    """Return the lines of `text` as markdown-it sees them (its ``normalize`` rule)."""
    return _NEWLINES.sub("\n", text).replace("\0", "\ufffd").split("\n")


def _trimmed(content: list[Inline], pos: Pos) -> list[Inline]:
    """Return `content` without spaces at its ends (left by line breaks); it starts at `pos`."""
    if content and isinstance(content[0], Text):
        content[0] = Text(content[0].text.lstrip(), pos=pos)
    if content and isinstance(content[-1], Text):
        last = content[-1]
        content[-1] = Text(last.text.rstrip(), pos=last.pos)
    return [node for node in content if not (isinstance(node, Text) and not node.text)]


def _align(token: Token) -> str:
    style = str(token.attrs.get("style", ""))
    for value in ("left", "center", "right"):
        if style.endswith(value):
            return value
    return "default"


def _chomp(text: str) -> str:
    return text[:-1] if text.endswith("\n") else text


def _merge_texts(nodes: list[Inline]) -> list[Inline]:
    out: list[Inline] = []
    for node in nodes:
        if isinstance(node, Text) and out and isinstance(out[-1], Text):
            out[-1] = Text(out[-1].text + node.text, pos=out[-1].pos)
        elif not (isinstance(node, Text) and not node.text):
            out.append(node)
    return out
