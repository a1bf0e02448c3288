"""BibTeX titles to CSL titles: case protection, sentence case, subtitles, short titles.

BibTeX and CSL disagree on how a title is stored. A .bib file holds titles in title case
("Regions and Powers: The Structure of International Security") and protects what must not
change with braces (``{NATO}``, ``{Central Asia}``): BibTeX styles lower-case the rest.
CSL holds titles in *sentence case* and lets a style title-case them (Chicago) or print them
as they are (APA, whose titles are in sentence case). So an English BibTeX title is
converted to sentence case when read, every brace group left as written. This is what
pandoc's BibTeX reader does (``unTitlecase`` in ``Text.Pandoc.Citeproc.BibTeX``); the rules
below are those of its case transformer (``Citeproc.CaseTransform``), so that paperkit and
pandoc read a title alike:

- the text is cut into chunks: runs of ASCII letters and digits, runs of other letters and
  digits, runs of spaces, single punctuation characters;
- a chunk that is capitalised ("Powers", "A") is lower-cased, unless it starts the title or
  a sentence (after ``.``, ``?``, ``!`` or ``:`` and a space), where it is kept capitalised;
  other chunks ("NATO", "iPhone", "McDonald") are left alone;
- the last word, when it directly follows a sentence start ("Part Two: Beginnings"), is
  lower-cased too (pandoc's ``BeforeLastWord`` state);
- brace groups, small capitals, super- and subscripts and math are kept as written; quotation
  marks and italics are looked through.

Protected runs come out as ``<span class="nocase">…</span>`` (CSL-JSON's convention), so
that a style's own title case leaves them alone as well.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import Enum, auto
from functools import lru_cache

from .latex_text import MARKS, marked_text, plain, split_protected

__all__ = ["TitleText", "read_title", "sentence_case", "NOCASE_OPEN", "NOCASE_CLOSE"]

NOCASE_OPEN = '<span class="nocase">'
NOCASE_CLOSE = "</span>"

_OPAQUE = {MARKS[m][0]: (MARKS[m][1], m) for m in ("smallcaps", "sup", "sub", "math")}
_KEPT_TAGS = {"kept": (NOCASE_OPEN, NOCASE_CLOSE), "math": (NOCASE_OPEN, NOCASE_CLOSE),
              "smallcaps": ('<span style="font-variant:small-caps;">', "</span>"),
              "sup": ("<sup>", "</sup>"), "sub": ("<sub>", "</sub>")}
_TAGS = {MARKS["italic"][0]: "<i>", MARKS["italic"][1]: "</i>",
         MARKS["bold"][0]: "<b>", MARKS["bold"][1]: "</b>"}
_TAG_TABLE = {ord(mark): tag for mark, tag in _TAGS.items()}
_TRANSPARENT = set(MARKS["italic"] + MARKS["bold"]) | {"\ue02c", "\ue02d", "\ue02e", "\ue02f",
                                                      "\u201c", "\u201d", "\u2018"}
_SENTENCE_END = ".?!:"
_WORD_BREAKS = "-/\u2013\u2014"
_JOIN_AFTER = "!?.,:;"


class _State(Enum):
    START = auto()
    START_SENTENCE = auto()
    AFTER_WORD_END = auto()
    AFTER_WORD_CHAR = auto()
    AFTER_SENTENCE_END = auto()
    AFTER_OTHER = auto()
    BEFORE_LAST_WORD = auto()


_STARTS = (_State.START, _State.START_SENTENCE)


@dataclass(frozen=True)
class TitleText:
    """A title as pieces: ``("text", s)`` may change case; ``("kept", s)`` (a brace group),
    ``("math", s)``, ``("smallcaps", s)``, ``("sup", s)`` and ``("sub", s)`` may not.

    Pieces hold :func:`~paperkit.bibliography.latex_text.marked_text` marks.
    """

    pieces: tuple[tuple[str, str], ...]

    def plain(self) -> str:
        """Return the title as plain text."""
        return " ".join("".join(plain(text) for _, text in self.pieces).split())

    def markup(self) -> str:
        """Return the title as CSL-JSON rich text.

        Brace-protected runs and math are ``<span class="nocase">``; italics, bold, small
        capitals, super- and subscripts are CSL-JSON's ``<i>``, ``<b>``,
        ``<span style="font-variant:small-caps;">``, ``<sup>``, ``<sub>``.
        """
        out = []
        for kind, text in self.pieces:
            inner = _tags(text)
            if kind == "text" or not plain(text).strip():
                out.append(inner)
            else:
                open_, close = _KEPT_TAGS[kind]
                out.append(f"{open_}{inner}{close}")
        return " ".join("".join(out).split())

    def join(self, other: TitleText, separator: str) -> TitleText:
        """Return this title and `other` joined as pandoc's ``concatWith`` joins them.

        "Title" and "Sub" give "Title: Sub", but "Over?" and "Sub" give "Over? Sub".
        """
        if not other.pieces:
            return self
        if not self.pieces:
            return other
        kind, text = self.pieces[-1]
        ends = plain(text).rstrip()[-1:]
        glue = " " if kind == "text" and ends and ends in _JOIN_AFTER else f"{separator} "
        return TitleText((*self.pieces, ("text", glue), *other.pieces))

    def before_colon(self) -> TitleText | None:
        """Return the title up to its first colon outside braces, or None without one."""
        out: list[tuple[str, str]] = []
        for kind, text in self.pieces:
            if kind == "text" and ":" in text:
                head = text.split(":", 1)[0].rstrip()
                if head:
                    out.append((kind, head))
                return TitleText(tuple(out))
            out.append((kind, text))
        return None


@lru_cache(maxsize=4096)
def read_title(latex: str, *, sentence_case: bool) -> TitleText:
    """Return the LaTeX title `latex` as a :class:`TitleText`, in sentence case if asked."""
    pieces: list[tuple[str, str]] = []
    for piece, protected in split_protected(latex):
        marked = marked_text(piece)
        if protected:
            pieces.append(("kept", marked))
        else:
            pieces.extend(_split_kept(marked))
    title = TitleText(tuple(pieces))
    return sentence_case_title(title) if sentence_case else title


def _split_kept(marked: str) -> list[tuple[str, str]]:
    """Return `marked` as text pieces and kept pieces (small caps, scripts, math)."""
    out: list[tuple[str, str]] = []
    current: list[str] = []
    i = 0
    while i < len(marked):
        ch = marked[i]
        opaque = _OPAQUE.get(ch)
        if opaque is None:
            current.append(ch)
            i += 1
            continue
        close, kind = opaque
        end = marked.find(close, i + 1)
        end = len(marked) if end < 0 else end
        if current:
            out.append(("text", "".join(current)))
            current = []
        out.append((kind, marked[i + 1:end]))
        i = end + 1
    if current:
        out.append(("text", "".join(current)))
    return out


def sentence_case_title(title: TitleText) -> TitleText:
    """Return `title` with its text pieces in sentence case (see the module's rules)."""
    state = _State.START
    last = _last_word_start(title)
    out: list[tuple[str, str]] = []
    for index, (kind, text) in enumerate(title.pieces):
        if kind != "text":
            state = _next_state(state, "".join(plain(text).split()))
            out.append((kind, text))
            continue
        changed: list[str] = []
        for offset, chunk in _chunks(text):
            if (index, offset) == last and state in (*_STARTS, _State.AFTER_WORD_END):
                state = _State.BEFORE_LAST_WORD
            if chunk in _TRANSPARENT:
                changed.append(chunk)
                continue
            before = state
            state = _next_state(state, chunk)
            changed.append(_sentence_chunk(before, chunk) if chunk.isalnum() else chunk)
        out.append((kind, "".join(changed)))
    return TitleText(tuple(out))


def sentence_case(text: str) -> str:
    """Return the plain `text` in sentence case, by the rules of :func:`sentence_case_title`."""
    return sentence_case_title(TitleText((("text", text),))).plain()


def _sentence_chunk(state: _State, chunk: str) -> str:
    """Return `chunk` as citeproc's ``withSentenceCase`` gives it in `state`."""
    capitalised = chunk[0].isupper() and all(c.islower() for c in chunk[1:])
    if capitalised and state not in _STARTS:
        return chunk.lower()
    if (capitalised or all(c.islower() for c in chunk)) and state in _STARTS:
        lowered = chunk.lower()
        return lowered[0].upper() + lowered[1:]
    return chunk


def _next_state(state: _State, text: str) -> _State:
    """Return the state after `text` (citeproc's ``g``: decided by its last character)."""
    if not text:
        return state
    last = text[-1]
    if last in _SENTENCE_END:
        return _State.AFTER_SENTENCE_END
    if last.isalnum():
        return _State.AFTER_WORD_CHAR
    if last.isspace() and state is _State.AFTER_SENTENCE_END:
        return _State.START_SENTENCE
    if last.isspace() or last in _WORD_BREAKS:
        return _State.AFTER_WORD_END
    return _State.AFTER_OTHER


# citeproc's chunks: a run of ASCII letters and digits, a run of other letters and digits
# (``[^\W_]`` is ``str.isalnum``), a run of white space, or any other single character
_CHUNK = re.compile(r"[A-Za-z0-9]+|[^\W_\x00-\x7f]+|\s+|.", re.DOTALL)


def _chunks(text: str) -> list[tuple[int, str]]:
    """Return `text` cut into citeproc's chunks, each with its offset."""
    return [(match.start(), match.group()) for match in _CHUNK.finditer(text)]


def _last_word_start(title: TitleText) -> tuple[int, int] | None:
    """Return (piece, offset) of the title's last word when citeproc treats it specially.

    That is when the title ends with a plain word (no space or hyphen inside, not in
    italics or quotes) that is not the whole title.
    """
    if not title.pieces or title.pieces[-1][0] != "text":
        return None
    index = len(title.pieces) - 1
    text = title.pieces[-1][1]
    start = len(text)
    while start > 0 and not text[start - 1].isspace():
        start -= 1
    word = text[start:]
    if not word or any(c in _WORD_BREAKS or c in _TRANSPARENT for c in word):
        return None
    if start == 0 and index == 0:
        return None
    if MARKS["italic"][1] in text[start:] or MARKS["bold"][1] in text[start:]:
        return None
    return (index, start)


def _tags(marked: str) -> str:
    """Return `marked` with italic and bold marks as CSL-JSON tags, quote marks as quotes."""
    return plain(marked.translate(_TAG_TABLE))
