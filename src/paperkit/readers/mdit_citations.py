"""A markdown-it inline rule for Pandoc citations and cross-references (mdit-py-plugins style).

Use it as ``MarkdownIt(...).use(citations_plugin)``. It adds two inline rules before ``link``:

- ``citation_bracketed``: ``[@a]``, ``[@a, p. 33]``, ``[see @a, pp. 3-5; also @b, chap. 2]``,
  ``[-@a]`` (suppress author), ``[@{weird:key}]``;
- ``citation_narrative``: ``@a``, ``-@a`` and ``@a [p. 33]`` (author in text, with a bracketed
  locator or suffix, and optionally more citations: ``@a [p. 3; @b]``).

Both push one ``citation`` token. Its ``content`` is the literal source text and its
``meta`` holds ``offset`` and ``end`` (offsets of the citation in ``state.src``, because
markdown-it's inline tokens carry no positions), ``bracketed`` and ``items``: one dict per
cited key with ``key``, ``mode`` (``normal``, ``author-in-text``, ``suppress-author``),
``offset`` (of the key's ``@`` or ``-``), ``ref`` (true for a cross-reference key such as
``sec:intro``), ``label`` and ``locator`` (see :mod:`.locators`), and ``prefix`` /
``suffix``: inline token lists parsed from the prefix and suffix text, whose own offsets are
relative to ``prefix_offset`` / ``suffix_offset``.

The syntax is pandoc's (``Text.Pandoc.Readers.Markdown``: ``cite``, ``citeKey``):

- a key starts with a letter, digit or ``_`` and may hold ``:.#$%&-+?<>~/`` between such
  characters, so ``@buzan2022.`` ends before the period; ``@{...}`` keys may hold anything
  but spaces (braces balanced);
- an ``@`` right after a letter or digit (``a@b.org``) starts no citation;
- in brackets, items are separated by ``;``; the prefix is the text before the key (trimmed),
  the suffix everything after it; the locator is taken from the start of the suffix;
- a prefix or suffix may hold Markdown (emphasis, code); pandoc parses a suffix's ``@x`` as
  a citation of its own, and so does this rule.

Deliberate differences from pandoc: ``[...]`` is a citation only when its brackets balance
(``[@a, p. [3]]`` keeps ``p. [3]``), and a bracket that markdown-it would read as a link
(``[@a](url)``) stays a link. A narrative citation's bracket (``@a [...]``) is not taken when
its first part holds a key of its own (``@a [@b]`` is two citations, not one).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from markdown_it import MarkdownIt
from markdown_it.common.utils import escapeHtml
from markdown_it.rules_inline import StateInline, link as link_rule
from markdown_it.token import Token

from .locators import parse_locator

__all__ = ["citations_plugin", "REF_PREFIXES", "scan_key"]

#: Keys with these prefixes are cross-references (``@sec:intro``), not citations.
REF_PREFIXES = ("sec:", "fig:", "tbl:")

_KEY = re.compile(r"\w(?:\w|[:.#$%&\-+?<>~/](?=\w)|[:/](?=/))*")
_SPECIAL = re.compile(r"\\.|`+|[\[\]]", re.S)
_CHUNK_CHARS = re.compile(r"[\\`\[;]")
_KEY_CHARS = re.compile(r"[\\`\[@]")
_SPACE_NL = re.compile(r"[ \t]*\n?[ \t]*")
#: Prefixes and suffixes are parsed as Markdown, where citations may nest again; past this
#: depth they stay plain text, so that no input can exhaust the stack.
_MAX_DEPTH = 4
_DEPTH = "paperkit_citation_depth"


def citations_plugin(md: MarkdownIt) -> None:
    """Add the Pandoc citation rules to `md` (before its ``link`` rule)."""
    md.inline.ruler.before("link", "citation_bracketed", citation_bracketed)
    md.inline.ruler.before("link", "citation_narrative", citation_narrative)
    md.add_render_rule("citation", _render_citation)


def _render_citation(self: Any, tokens: Sequence[Token], idx: int, options: Any,
                     env: Any) -> str:
    """Render a citation as pandoc's HTML writer does: its source text in a span."""
    token = tokens[idx]
    keys = " ".join(item["key"] for item in token.meta["items"])
    return (f'<span class="citation" data-cites="{escapeHtml(keys)}">'
            f"{escapeHtml(token.content)}</span>")


# --------------------------------------------------------------------------- keys


def scan_key(src: str, at: int, end: int) -> tuple[str, int] | None:
    """Return (key, end) for the key after the ``@`` at `at`, or ``None`` if there is none."""
    start = at + 1
    if start < end and src[start] == "{":
        depth, i = 0, start
        while i < end:
            char = src[i]
            if char.isspace():
                return None
            if char == "{":
                depth += 1
            elif char == "}":
                depth -= 1
                if depth == 0:
                    key = src[start + 1:i]
                    return (key, i + 1) if key else None
            i += 1
        return None
    match = _KEY.match(src, start, end)
    return (match.group(), match.end()) if match else None


def _key_at(src: str, i: int, end: int) -> tuple[int, str, int, bool] | None:
    """Return (start, key, end, suppress) if a citation key starts at `i` (``@`` or ``-@``)."""
    suppress = src[i] == "-"
    at = i + 1 if suppress else i
    if at >= end or src[at] != "@":
        return None
    if i > 0 and src[i - 1].isalnum():
        return None
    found = scan_key(src, at, end)
    if found is None:
        return None
    return i, found[0], found[1], suppress


def _is_ref(key: str) -> bool:
    return key.startswith(REF_PREFIXES) and len(key) > 4


# --------------------------------------------------------------------------- structure


@dataclass(slots=True)
class _Structure:
    """Bracket pairs and skippable spans (escapes, code spans) of one inline source."""

    src: str
    closers: dict[int, int]
    skips: dict[int, int]


@lru_cache(maxsize=32)
def _closing_run(length: int) -> re.Pattern[str]:
    return re.compile(rf"(?<!`)`{{{length}}}(?!`)")


def _structure(state: StateInline) -> _Structure:
    """Return the bracket pairs of `state.src`, computed once a source in one linear pass.

    Escaped brackets and brackets in code spans do not count, as in CommonMark.
    """
    cached: _Structure | None = getattr(state, "_paperkit_brackets", None)
    if cached is not None and cached.src is state.src:
        return cached
    src = state.src
    closers: dict[int, int] = {}
    skips: dict[int, int] = {}
    stack: list[int] = []
    no_closer: dict[int, int] = {}  # run length -> position after which none exists
    pos = 0
    while (match := _SPECIAL.search(src, pos)) is not None:
        start, end = match.span()
        char = src[start]
        if char == "\\":
            skips[start] = end
        elif char == "`":
            length = end - start
            closing = None
            if no_closer.get(length, len(src) + 1) > end:
                closing = _closing_run(length).search(src, end)
                if closing is None:
                    no_closer[length] = end
            if closing is not None:
                end = skips[start] = closing.end()
        elif char == "[":
            stack.append(start)
        elif stack:
            closers[stack.pop()] = start
        pos = end
    result = _Structure(src, closers, skips)
    setattr(state, "_paperkit_brackets", result)
    return result


def _chunks(src: str, start: int, end: int, st: _Structure) -> list[tuple[int, int]]:
    """Return the ``;``-separated parts of ``src[start:end]`` (nested brackets kept whole)."""
    parts: list[tuple[int, int]] = []
    first = i = start
    while (match := _CHUNK_CHARS.search(src, i, end)) is not None:
        i = match.start()
        char = src[i]
        if char == ";":
            parts.append((first, i))
            first = i = i + 1
            continue
        jump = st.skips.get(i) if char != "[" else None
        if char == "[":
            close = st.closers.get(i)
            jump = close + 1 if close is not None and close < end else None
        i = jump if jump is not None else i + 1
    parts.append((first, end))
    return parts


def _find_key(src: str, start: int, end: int,
              st: _Structure) -> tuple[int, str, int, bool] | None:
    """Return the first citation key in ``src[start:end]`` outside code and nested brackets."""
    i = start
    while (match := _KEY_CHARS.search(src, i, end)) is not None:
        i = match.start()
        char = src[i]
        if char == "@":
            begin = i - 1 if i > start and src[i - 1] == "-" else i
            found = _key_at(src, begin, end)
            if found is None and begin != i:
                found = _key_at(src, i, end)
            if found is not None:
                return found
            i += 1
        elif char == "[":
            close = st.closers.get(i)
            i = close + 1 if close is not None and close < end else i + 1
        else:
            i = st.skips.get(i, i + 1)
    return None


# --------------------------------------------------------------------------- items


def _sub_tokens(state: StateInline, start: int, end: int) -> tuple[list[Token], int]:
    """Return the inline tokens of ``src[start:end]`` (trimmed) and the offset they start at."""
    src = state.src
    while start < end and src[start].isspace():
        start += 1
    while end > start and src[end - 1].isspace():
        end -= 1
    if start == end:
        return [], start
    tokens: list[Token] = []
    depth = state.env.get(_DEPTH, 0)
    if depth >= _MAX_DEPTH:  # citations nested in suffixes this deep: keep the text as is
        token = Token("text", "", 0)
        token.content = src[start:end]
        return [token], start
    state.env[_DEPTH] = depth + 1
    try:
        state.md.inline.parse(src[start:end], state.md, state.env, tokens)
    finally:
        state.env[_DEPTH] = depth
    return tokens, start


def _suffix(state: StateInline, start: int, end: int, item: dict[str, Any]) -> None:
    """Fill the locator, label and suffix tokens of `item` from ``src[start:end]``."""
    text = state.src[start:end]
    label, locator, rest = parse_locator(text)
    item["label"], item["locator"] = label, locator
    begin = start + rest
    spaced = begin < end and state.src[begin].isspace()
    tokens, offset = _sub_tokens(state, begin, end)
    if tokens and spaced:
        space = Token("text", "", 0)
        space.content = " "
        tokens.insert(0, space)
    item["suffix"], item["suffix_offset"] = tokens, offset


def _item(state: StateInline, start: int, end: int, st: _Structure,
          silent: bool) -> dict[str, Any] | None:
    """Return the item for one ``;``-separated part of a bracketed citation, or ``None``."""
    found = _find_key(state.src, start, end, st)
    if found is None:
        return None
    key_start, key, key_end, suppress = found
    item: dict[str, Any] = {
        "key": key, "mode": "suppress-author" if suppress else "normal",
        "offset": key_start, "ref": _is_ref(key), "label": None, "locator": None,
        "prefix": [], "prefix_offset": start, "suffix": [], "suffix_offset": key_end,
    }
    if not silent:
        item["prefix"], item["prefix_offset"] = _sub_tokens(state, start, key_start)
        _suffix(state, key_end, end, item)
    return item


def _items(state: StateInline, start: int, end: int, st: _Structure,
           silent: bool) -> list[dict[str, Any]] | None:
    """Return the items of ``src[start:end]``, or ``None`` unless every part cites a key."""
    items = []
    for first, last in _chunks(state.src, start, end, st):
        item = _item(state, first, last, st, silent)
        if item is None:
            return None
        items.append(item)
    return items


def _push(state: StateInline, start: int, end: int, items: list[dict[str, Any]],
          bracketed: bool) -> None:
    token = state.push("citation", "", 0)
    token.content = state.src[start:end]
    token.meta = {"offset": start, "end": end, "bracketed": bracketed, "items": items}


# --------------------------------------------------------------------------- rules


def citation_bracketed(state: StateInline, silent: bool) -> bool:
    """Parse ``[prefix @key locator suffix; ...]`` at ``state.pos``."""
    src, start, maximum = state.src, state.pos, state.posMax
    if src[start] != "[" or start + 2 >= maximum or src[start + 1] == "^":
        return False
    st = _structure(state)
    close = st.closers.get(start)
    if close is None or close >= maximum or src.find("@", start, close) < 0:
        return False
    if close + 1 < maximum and src[close + 1] in "([" and _is_link(state):
        return False
    items = _items(state, start + 1, close, st, silent)
    if items is None:
        return False
    if not silent:
        _push(state, start, close + 1, items, bracketed=True)
    state.pos = close + 1
    return True


def _is_link(state: StateInline) -> bool:
    """Return whether markdown-it reads the bracket at ``state.pos`` as a link."""
    start = state.pos
    try:
        return bool(link_rule(state, True))
    finally:
        state.pos = start


def citation_narrative(state: StateInline, silent: bool) -> bool:
    """Parse ``@key``, ``-@key`` or ``@key [locator; more]`` at ``state.pos``."""
    src, start, maximum = state.src, state.pos, state.posMax
    if src[start] not in "@-":
        return False
    found = _key_at(src, start, maximum)
    if found is None:
        return False
    _, key, end, suppress = found
    item: dict[str, Any] = {
        "key": key, "mode": "suppress-author" if suppress else "author-in-text",
        "offset": start, "ref": _is_ref(key), "label": None, "locator": None,
        "prefix": [], "prefix_offset": start, "suffix": [], "suffix_offset": end,
    }
    items = [item]
    if not item["ref"]:
        after = _bracket_after(state, item, end, silent)
        if after is not None:
            end, more = after
            items.extend(more)
    if not silent:
        _push(state, start, end, items, bracketed=False)
    state.pos = end
    return True


def _bracket_after(state: StateInline, item: dict[str, Any], end: int,
                   silent: bool) -> tuple[int, list[dict[str, Any]]] | None:
    """Read ``[p. 33; @b]`` after a narrative key: fill `item`'s suffix, return more items.

    Returns the new end and the further items, or ``None`` when no such bracket follows.
    """
    src, maximum = state.src, state.posMax
    match = _SPACE_NL.match(src, end, maximum)
    open_ = match.end() if match else end
    if open_ >= maximum or src[open_] != "[" or src[open_ + 1:open_ + 2] == "^":
        return None
    st = _structure(state)
    close = st.closers.get(open_)
    if close is None or close >= maximum:
        return None
    if close + 1 < maximum and src[close + 1] in "[(":
        return None
    parts = _chunks(src, open_ + 1, close, st)
    first_start, first_end = parts[0]
    if _find_key(src, first_start, first_end, st) is not None:
        return None
    more = []
    for first, last in parts[1:]:
        extra = _item(state, first, last, st, silent)
        if extra is None:
            return None
        more.append(extra)
    if not silent:
        _suffix(state, first_start, first_end, item)
    return close + 1, more
