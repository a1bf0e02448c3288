"""CSL ``text-case``: lowercase, uppercase, capitalize-first, capitalize-all, sentence, title.

The text is cut into chunks (runs of letters and digits, of spaces, of punctuation) and a
small state machine tracks where a chunk stands: at the start, at the start of a sentence
(after ``.``, ``?``, ``!`` or ``:`` and a space), after a word break (space, hyphen, slash,
dash) or inside a word. Runs the author protected (``<span class="nocase">``), small caps,
superscripts, subscripts and links are never changed, but still move the state on.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from functools import lru_cache
from typing import Any

from .richtext import Span, plain

__all__ = ["apply_case", "STOP_WORDS"]

_START, _START_SENTENCE, _AFTER_WORD_END, _AFTER_WORD_CHAR, _AFTER_END_PUNCT = range(5)
_OPAQUE = frozenset({"nodecor", "smallcaps", "baseline", "sub", "sup", "nocase", "div",
                     "link"})
_CHUNK = re.compile(r"\w+|\s+|[^\w\s]", re.UNICODE)
_WORD = re.compile(r"^\w+$", re.UNICODE)
_BREAKS = frozenset("-/\u2013\u2014")

#: Words title case leaves in lower case unless they start the title or a sentence: CSL's
#: list, plus the particles pandoc's citeproc adds (pandoc keeps "Between", "Among").
STOP_WORDS = frozenset("""a an and as at but by down for from in into nor of on onto or over so
the till to up via with yet about van von de d l""".split())


def apply_case(rich: list[Any], case: str) -> list[Any]:
    """Return `rich` with the CSL text-case `case` applied."""
    if len(rich) == 1 and isinstance(rich[0], str):
        # plain text (most titles): the result depends on the text alone
        return [_plain_case(rich[0], case)]
    key = (_freeze(rich), case)
    found = _CACHE.get(key)
    if found is None:
        if len(_CACHE) > 8192:
            _CACHE.clear()
        found = _CACHE[key] = _apply_case(rich, case)
    return found


_CACHE: dict[tuple[Any, ...], list[Any]] = {}


def _freeze(rich: list[Any]) -> tuple[Any, ...]:
    return tuple(p if isinstance(p, str) else (p.kind, p.arg, _freeze(p.children))
                 for p in rich)


#: A word transformation: (state before the word, the word, the text after it) -> word.
_Transform = Callable[[int, str, str], str]


@lru_cache(maxsize=8192)
def _plain_case(text: str, case: str) -> str:
    return str(_apply_case([text], case)[0])


def _apply_case(rich: list[Any], case: str) -> list[Any]:
    transform = _TRANSFORMS.get(case)
    if transform is None:
        return rich
    state = [_START]
    if case == "title":
        # the last word is capitalized even when it is a stop word
        words = sum(1 for t in _texts(rich, True) for c in _CHUNK.findall(t) if _WORD.match(c))
        seen = [0]
        return _walk(rich, lambda st, chunk, nxt: _title_counted(st, chunk, nxt, seen, words),
                     state, seen)
    return _walk(rich, lambda st, chunk, nxt: transform(st, chunk), state, None)


def _texts(rich: list[Any], opaque: bool = False) -> Iterator[str]:
    for piece in rich:
        if isinstance(piece, str):
            yield piece
        elif opaque or piece.kind not in _OPAQUE:
            yield from _texts(piece.children, opaque)


def _title_counted(state: int, chunk: str, following: str, seen: list[int],
                   words: int) -> str:
    seen[0] += 1
    if ((seen[0] == words and state == _AFTER_WORD_END) or following == "-") and \
            len(chunk) > 1 and not _mixed(chunk) and not chunk.isupper():
        # the last word, and a stop word before a hyphen ("Pro-Environmental")
        return _cap(chunk.lower())
    return _title(state, chunk)


def _walk(rich: list[Any], transform: _Transform, state: list[int], seen: list[int] | None) -> list[Any]:
    out: list[Any] = []
    for piece in rich:
        if isinstance(piece, str):
            out.append(_text(piece, transform, state))
        elif piece.kind in _OPAQUE:
            text = plain(piece.children)
            _advance(text, state)
            if seen is not None:
                seen[0] += sum(1 for c in _CHUNK.findall(text) if _WORD.match(c))
            out.append(piece)
        else:
            out.append(Span(piece.kind, _walk(piece.children, transform, state, seen),
                            piece.arg))
    return out


def _text(text: str, transform: _Transform, state: list[int]) -> str:
    chunks = _CHUNK.findall(text)
    for index, chunk in enumerate(chunks):
        before = state[0]
        _advance(chunk, state)
        if _WORD.match(chunk) and "_" not in chunk:
            following = chunks[index + 1] if index + 1 < len(chunks) else ""
            if following == "-" and index and chunks[index - 1] == "-":
                following = ""  # only the first part of a compound counts as its start
            chunks[index] = transform(before, chunk, following)
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
    if _mixed(chunk) or chunk.isupper():
        return chunk
    if state in (_START, _START_SENTENCE):
        return _cap(chunk.lower())
    if state == _AFTER_WORD_END and chunk.lower() not in STOP_WORDS and len(chunk) > 1:
        return _cap(chunk.lower())
    return chunk


_TRANSFORMS = {"uppercase": _upper, "lowercase": _lower, "capitalize-all": _capitalize_all,
               "capitalize-first": _capitalize_first, "sentence": _sentence,
               "title": _title}
