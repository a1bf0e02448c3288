"""Pandoc attribute blocks (``{#sec:intro .unnumbered}``) on headings and table captions.

markdown-it has no heading attributes, and pandoc's table captions (``Table: text {#tbl:x}``)
are plain paragraphs to it. :func:`prepare_attributes` is a core rule that runs after block
parsing and before inline parsing: it cuts the attribute block off a heading's inline
content, and the ``Table:`` prefix and attribute block off a caption paragraph next to a
table (or off a last table row that has no ``|``, which markdown-it reads as a row), and
records what it cut in the block token's ``meta`` so the reader can use it (or restore it).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

from markdown_it.rules_core import StateCore
from markdown_it.rules_inline import StateInline
from markdown_it.token import Token

__all__ = ["Attributes", "parse_attributes", "prepare_attributes", "prefixed_label",
           "inline_attributes"]

_TRAILING = re.compile(r"[ \t]*\{([^{}\n]*)\}[ \t]*$")
_ITEM = re.compile(r"""\s*(?:\#([\w\-:.]+)|\.([\w\-]+)|(-)
                      |([\w\-:.]+)=("[^"]*"|'[^']*'|[^\s"'{}]+))""", re.X)
_CAPTION = re.compile(r"(?:[Tt]able)?:")
_SPACES = re.compile(r"[ \t]*")


@dataclass(frozen=True, slots=True)
class Attributes:
    """A parsed attribute block: identifier, classes and key-value pairs."""

    id: str | None = None
    classes: tuple[str, ...] = ()
    values: dict[str, str] = field(default_factory=dict)

    @property
    def numbered(self) -> bool:
        """Return false for ``{-}`` or ``{.unnumbered}``."""
        return "unnumbered" not in self.classes


def parse_attributes(text: str) -> Attributes | None:
    """Return the attributes inside the braces `text`, or ``None`` if it is no attribute block.

    ``-`` is short for the class ``unnumbered``, as in pandoc.
    """
    ident: str | None = None
    classes: list[str] = []
    values: dict[str, str] = {}
    pos = 0
    while pos < len(text):
        match = _ITEM.match(text, pos)
        if match is None:
            if text[pos:].strip():
                return None
            break
        pos = match.end()
        name, cls, dash, key, value = match.groups()
        if name:
            ident = name
        elif cls:
            classes.append(cls)
        elif dash:
            classes.append("unnumbered")
        elif key:
            values[key] = value[1:-1] if value[:1] in "\"'" else value
    return Attributes(ident, tuple(classes), values)


def prefixed_label(ident: str | None, prefix: str) -> str | None:
    """Return `ident` with the cross-reference `prefix` (``sec:``), adding it when missing."""
    if not ident:
        return None
    return ident if ident.startswith(prefix) else prefix + ident


#: Inline tokens an attribute block may follow (it is consumed; only an image keeps it).
_ATTRIBUTED = frozenset({"image", "code_inline", "link_close", "span_close"})


def inline_attributes(state: StateInline, silent: bool) -> bool:
    """Inline rule: read ``{#fig:x width=50%}`` after an image, code span or link.

    mdit-py-plugins' attrs plugin reads ``%`` as a comment, so ``width=50%`` (common in
    pandoc papers) would leave the whole block as text; this rule accepts it.
    """
    src, start = state.src, state.pos
    if src[start] != "{" or state.pending or not state.tokens or \
            state.tokens[-1].type not in _ATTRIBUTED:
        return False
    close = src.find("}", start, state.posMax)
    if close < 0:
        return False
    attrs = parse_attributes(src[start + 1:close])
    if attrs is None:
        return False
    if not silent:
        token = state.tokens[-1]
        if token.type == "image":
            if attrs.id:
                token.attrs["id"] = attrs.id
            token.meta = {**(token.meta or {}), "attrs": attrs}
    state.pos = close + 1
    return True


def _cut_trailing(inline: Token) -> tuple[Attributes | None, str]:
    """Cut a trailing attribute block off `inline`'s content; return it and the text cut."""
    match = _TRAILING.search(inline.content)
    if match is None:
        return None, ""
    attrs = parse_attributes(match.group(1))
    if attrs is None:
        return None, ""
    cut = inline.content[match.start():]
    inline.content = inline.content[:match.start()]
    return attrs, cut


def _caption_prefix(text: str) -> int:
    """Return the length of a caption prefix (``Table: ``, ``: ``) at the start of `text`, or 0."""
    match = _CAPTION.match(text)
    if match is None:
        return 0
    end = match.end()
    if match.group() == ":" and end < len(text) and \
            unicodedata.category(text[end]).startswith("P"):
        return 0
    return _SPACES.match(text, end).end()  # type: ignore[union-attr]


def _mark_caption(holder: Token, inline: Token) -> bool:
    """Strip a caption's prefix and attributes from `inline`; record them on `holder`."""
    length = _caption_prefix(inline.content)
    if not length:
        return False
    prefix = inline.content[:length]
    inline.content = inline.content[length:]
    attrs, cut = _cut_trailing(inline)
    holder.meta = {**(holder.meta or {}), "caption": {
        "prefix": prefix, "cut": cut, "id": attrs.id if attrs else None}}
    return True


def prepare_attributes(state: StateCore) -> None:
    """Core rule: cut heading attributes and table-caption markup before inline parsing."""
    tokens = state.tokens
    count = len(tokens)
    lines: list[str] | None = None
    for i, token in enumerate(tokens):
        kind = token.type
        if kind == "heading_open" and i + 1 < count:
            attrs, _ = _cut_trailing(tokens[i + 1])
            if attrs is not None:
                token.meta = {**(token.meta or {}), "attrs": attrs}
        elif kind == "paragraph_open" and i + 1 < count:
            near_table = (i > 0 and tokens[i - 1].type == "table_close") or \
                (i + 3 < count and tokens[i + 3].type == "table_open")
            if near_table:
                _mark_caption(token, tokens[i + 1])
        elif kind == "table_close":
            if lines is None:
                lines = state.src.split("\n")
            _caption_row(tokens, i, lines)


def _caption_row(tokens: list[Token], close: int, lines: list[str]) -> None:
    """Mark the table's last row as its caption when it is ``Table: ...`` without a ``|``."""
    i = close
    while i > 0 and tokens[i].type != "tr_open":
        i -= 1
        if tokens[i].type in ("thead_close", "table_open"):
            return
    row = tokens[i]
    if row.map is None or row.map[0] >= len(lines) or i + 2 >= close:
        return
    line = lines[row.map[0]]
    if "|" in line or not _caption_prefix(line.strip()):
        return
    if tokens[i + 2].type == "inline" and _mark_caption(row, tokens[i + 2]):
        return
