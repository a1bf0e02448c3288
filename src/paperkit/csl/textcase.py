"""CSL ``text-case``: lowercase, uppercase, capitalize-first, capitalize-all, sentence, title.

The text is cut into chunks (runs of letters and digits, of spaces, of punctuation) and a
small state machine tracks where a chunk stands: at the start, at the start of a sentence
(after ``.``, ``?``, ``!`` or ``:`` and a space), after a word break (space, hyphen, slash,
dash) or inside a word. Runs the author protected (``<span class="nocase">``), small caps,
superscripts, subscripts and links are never changed, but still move the state on.
"""

from __future__ import annotations

import re

from .richtext import Span, plain

__all__ = ["apply_case", "STOP_WORDS"]

_START, _START_SENTENCE, _AFTER_WORD_END, _AFTER_WORD_CHAR, _AFTER_END_PUNCT = range(5)
_OPAQUE = frozenset({"nodecor", "smallcaps", "baseline", "sub", "sup", "nocase", "div",
                     "link"})
_CHUNK = re.compile(r"\w+|\s+|[^\w\s]", re.UNICODE)
_WORD = re.compile(r"^\w+$", re.UNICODE)
_BREAKS = frozenset("-/\u2013\u2014")

#: Words title case leaves in lower case unless they start the title or a sentence.
STOP_WORDS = frozenset("""a an and as at but by down for from in into nor of on onto or over so
the till to up via with yet about van von de d l""".split())


def apply_case(rich: list, case: str) -> list:
    """Return `rich` with the CSL text-case `case` applied."""
    transform = _TRANSFORMS.get(case)
    if transform is None:
        return rich
    state = [_START]
    return _walk(rich, transform, state)


def _walk(rich: list, transform, state: list[int]) -> list:
    out: list = []
    for piece in rich:
        if piece.__class__ is str:
            out.append(_text(piece, transform, state))
        elif piece.kind in _OPAQUE:
            _advance(plain(piece.children), state)
            out.append(piece)
        else:
            out.append(Span(piece.kind, _walk(piece.children, transform, state), piece.arg))
    return out


def _text(text: str, transform, state: list[int]) -> str:
    chunks = _CHUNK.findall(text)
    for index, chunk in enumerate(chunks):
        before = state[0]
        _advance(chunk, state)
        if _WORD.match(chunk) and "_" not in chunk:
            chunks[index] = transform(before, chunk)
    return "".join(chunks)


def _advance(chunk: str, state: list[int]) -> None:
    if not chunk:
        return
    c = chunk[-1]
    if c in ".?!:":
        state[0] = _AFTER_END_PUNCT
    elif c.isalnum():
        state[0] = _AFTER_WORD_CHAR
    elif c.isspace() and state[0] == _AFTER_END_PUNCT:
        state[0] = _START_SENTENCE
    elif c.isspace() or c in _BREAKS:
        state[0] = _AFTER_WORD_END


def _mixed(chunk: str) -> bool:
    return any(c.isupper() for c in chunk) and any(c.islower() for c in chunk)


def _capitalized(chunk: str) -> bool:
    return chunk[:1].isupper() and all(c.islower() for c in chunk[1:]) if chunk else False


def _cap(chunk: str) -> str:
    return chunk[:1].upper() + chunk[1:]


def _all_lower(chunk: str) -> bool:
    return not any(c.isupper() for c in chunk)


def _upper(state: int, chunk: str) -> str:
    return chunk.upper()


def _lower(state: int, chunk: str) -> str:
    return chunk.lower()


def _capitalize_all(state: int, chunk: str) -> str:
    if _mixed(chunk):
        return chunk
    if state in (_START, _START_SENTENCE, _AFTER_WORD_END) and _all_lower(chunk):
        return _cap(chunk)
    return chunk


def _capitalize_first(state: int, chunk: str) -> str:
    if state == _START and not _mixed(chunk) and _all_lower(chunk):
        return _cap(chunk)
    return chunk


def _sentence(state: int, chunk: str) -> str:
    at_start = state in (_START, _START_SENTENCE)
    if _capitalized(chunk) and not at_start:
        return chunk.lower()
    if at_start and (_capitalized(chunk) or _all_lower(chunk)):
        return _cap(chunk.lower())
    return chunk


def _title(state: int, chunk: str) -> str:
    if _mixed(chunk) or chunk.isupper() or not chunk.isascii():
        return chunk
    if state in (_START, _START_SENTENCE):
        return _cap(chunk.lower())
    if state == _AFTER_WORD_END and chunk.lower() not in STOP_WORDS and len(chunk) > 1:
        return _cap(chunk.lower())
    return chunk


_TRANSFORMS = {"uppercase": _upper, "lowercase": _lower, "capitalize-all": _capitalize_all,
               "capitalize-first": _capitalize_first, "sentence": _sentence,
               "title": _title}
