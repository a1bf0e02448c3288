"""CSL-JSON in-field markup: field values and affixes as rich text.

:func:`parse_markup` reads the HTML-ish markup CSL-JSON allows in values (``<i>``, ``<b>``,
``<sc>``, ``<sup>``, ``<sub>``, ``<span class="nocase">``, small caps spans) and the
quotation marks that make "flip-flopping" quoted runs; an apostrophe inside a word becomes
"’". What does not balance stays as text.
"""

from __future__ import annotations

from typing import Any

import re

from .richtext import Span

__all__ = ["parse_markup"]


_TAG = re.compile(
    r'<(/?)(i|b|u|sc|sup|sub)>|<span\s+(?:class="(nocase|nodecor)"|style="([^"]*)")\s*>'
    r'|</span>|"|\'|\u2018|\u2019|\u201c|\u201d')
_STYLE_KIND = {"font-variant:small-caps;": "smallcaps", "font-variant: small-caps;":
               "smallcaps", "font-style:italic;": "italic", "font-weight:bold;": "bold",
               "baseline": "baseline", "vertical-align:baseline;": "baseline"}
_TAG_KIND = {"i": "italic", "b": "bold", "u": "underline", "sc": "smallcaps", "sup": "sup",
             "sub": "sub"}
_WORDCHAR = re.compile(r"\w", re.UNICODE)


def parse_markup(text: str, quotes: bool | str = True) -> list[Any]:
    """Return the rich text of a CSL-JSON field value with in-field markup.

    Understands ``<i>``, ``<b>``, ``<u>``, ``<sc>``, ``<sup>``, ``<sub>``,
    ``<span class="nocase">``, ``<span class="nodecor">``,
    ``<span style="font-variant:small-caps;">`` and (with `quotes`; only straight ones
    when it is ``"straight"``) quotation marks:
    double quotes, straight or curly, and single quotes that have a closing partner; any
    other straight single quote is an apostrophe ("’"). Unbalanced markup stays as text.
    """
    if "<" not in text and not (quotes and _QUOTES.search(text)):
        return [text] if text else []
    return _Parser(text, quotes).parse()


_QUOTES = re.compile("[\"'\u2018\u2019\u201c\u201d]")


class _Parser:
    def __init__(self, text: str, quotes: bool | str) -> None:
        self.text = text
        self.quotes = quotes

    def parse(self) -> list[Any]:
        text = self.text
        # a stack of (kind, closing token, children); for quotes the token is the opener
        stack: list[tuple[str, str, list[Any]]] = [("", "", [])]
        pos = 0
        for match in _TAG.finditer(text):
            start, end = match.span()
            if start < pos:
                continue
            token = match.group(0)
            if token in "\"'\u2018\u2019\u201c\u201d" and (
                    not self.quotes or (self.quotes == "straight" and token not in "\"'")):
                continue
            if start > pos:
                _add(stack[-1][2], text[pos:start])
            pos = end
            closing, tag, cls, style = match.group(1), match.group(2), match.group(3), \
                match.group(4)
            if tag and not closing:
                stack.append((_TAG_KIND[tag], f"</{tag}>", []))
            elif tag and closing:
                if not self._close(stack, token):
                    _add(stack[-1][2], token)
            elif cls:
                stack.append((cls, "</span>", []))
            elif style is not None:
                kind = _STYLE_KIND.get(style.strip().replace(" ", ""), "") or \
                    _STYLE_KIND.get(style.strip(), "")
                stack.append((kind or "plainspan", "</span>", []))
            elif token == "</span>":
                if not self._close(stack, token):
                    _add(stack[-1][2], token)
            else:
                self._quote(stack, token, start, end)
        if pos < len(text):
            _add(stack[-1][2], text[pos:])
        while len(stack) > 1:  # unclosed: its opening mark stays as text
            kind, closer, children = stack.pop()
            _add(stack[-1][2], _opener(kind, closer))
            for child in children:
                _add(stack[-1][2], child)
        return stack[0][2]

    def _close(self, stack: list[Any], token: str) -> bool:
        for depth in range(len(stack) - 1, 0, -1):
            if stack[depth][1] == token or (stack[depth][0] == "quoted" and
                                             _pair(stack[depth][1]) == token):
                while len(stack) - 1 > depth:  # close inner unclosed runs as text
                    kind, closer, children = stack.pop()
                    _add(stack[-1][2], _opener(kind, closer))
                    for child in children:
                        _add(stack[-1][2], child)
                kind, _, children = stack.pop()
                if kind == "plainspan":
                    for child in children:
                        _add(stack[-1][2], child)
                else:
                    stack[-1][2].append(Span(kind, children))
                return True
        return False

    def _open(self, stack: list[Any], kind: str) -> tuple[str, str, list[Any]] | None:
        for depth in range(len(stack) - 1, 0, -1):
            if stack[depth][0] == "quoted" and _family(stack[depth][1]) == kind:
                found: tuple[str, str, list[Any]] = stack[depth]
                return found
        return None

    def _quote(self, stack: list[Any], token: str, start: int, end: int) -> None:
        text = self.text
        before = text[start - 1] if start else " "
        after = text[end] if end < len(text) else " "
        children = stack[-1][2]
        if token in ("'", "\u2019", "\u2018"):
            opened = self._open(stack, "single")
            closes = not before.isspace() and not _WORDCHAR.match(after)
            if token != "\u2018" and opened is not None and closes:
                self._close_at(stack, opened)
            elif token != "\u2018" and (_WORDCHAR.match(before) or before in "'\u2019"):
                _add(children, "\u2019")
            elif not after.isspace() and self._closer_ahead(end, "single"):
                stack.append(("quoted", token, []))
            else:
                _add(children, "\u2019" if token == "'" else token)
            return
        opened = self._open(stack, "double")
        if token == "\u201d" or (token == '"' and opened is not None and
                                  not before.isspace()):
            if opened is not None:
                self._close_at(stack, opened)
            else:
                _add(children, token)
        elif not after.isspace() and self._closer_ahead(end, "double"):
            stack.append(("quoted", token, []))
        else:
            _add(children, token)

    def _closer_ahead(self, index: int, kind: str) -> bool:
        """Return whether a quotation mark that could close a `kind` quote follows."""
        text = self.text
        marks = ("'", "\u2019") if kind == "single" else ('"', "\u201d")
        for position in range(index, len(text)):
            ch = text[position]
            if ch in marks and position > 0 and not text[position - 1].isspace():
                after = text[position + 1] if position + 1 < len(text) else " "
                if kind == "double" or not _WORDCHAR.match(after):
                    return True
        return False

    def _close_at(self, stack: list[Any], entry: tuple[str, str, list[Any]]) -> None:
        depth = next(i for i in range(len(stack) - 1, 0, -1) if stack[i] is entry)
        while len(stack) - 1 > depth:
            kind, closer, children = stack.pop()
            _add(stack[-1][2], _opener(kind, closer))
            for child in children:
                _add(stack[-1][2], child)
        kind, _, children = stack.pop()
        stack[-1][2].append(Span("quoted", children))


def _family(opener: str) -> str:
    return "single" if opener in ("'", "\u2018", "\u2019") else "double"


def _pair(opener: str) -> str:
    return {"\u2018": "\u2019", "\u201c": "\u201d"}.get(opener, opener)


def _opener(kind: str, closer: str) -> str:
    if kind == "quoted":
        return "\u2019" if closer == "'" else closer
    tags = {v: k for k, v in _TAG_KIND.items()}
    if kind in tags and closer.startswith("</") and closer != "</span>":
        return f"<{tags[kind]}>"
    if kind in ("nocase", "nodecor"):
        return f'<span class="{kind}">'
    return ""


def _add(children: list[Any], piece: str | Span) -> None:
    if isinstance(piece, str):
        if not piece:
            return
        if children and isinstance(children[-1], str):
            children[-1] = children[-1] + piece
            return
    children.append(piece)
