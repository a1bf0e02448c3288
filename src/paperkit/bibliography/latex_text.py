"""BibTeX field values (LaTeX) to Unicode text, keeping what BibTeX braces protect.

BibTeX values are LaTeX: ``{\\"o}`` is ``ö``, ``\\&`` is ``&``, ``--`` an en dash, ``~`` a
no-break space. A brace group that is not a command's argument and does not start with a
backslash (``{NATO}``, ``{Central Asia}``) protects its case: styles that change a title's
case must leave it alone. For title fields the protected parts come back wrapped in
``<span class="nocase">…</span>``, the CSL-JSON convention that citeproc-py honours.

Decoding uses pylatexenc (a bibtexparser dependency) with a few bibliography macros added
(``\\url``, ``\\href``, ``\\noopsort``, ``\\mbox``, ``\\LaTeX``); plain values skip it, because
it costs about 0.4 ms a call.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Any

from pylatexenc import latexwalker
from pylatexenc.latex2text import LatexNodes2Text, MacroTextSpec
from pylatexenc.latex2text import get_default_latex_context_db as _text_context_db
from pylatexenc.macrospec import MacroSpec

__all__ = ["decode_latex", "decode_verbatim", "split_protected", "NOCASE_OPEN", "NOCASE_CLOSE"]

NOCASE_OPEN = '<span class="nocase">'
NOCASE_CLOSE = "</span>"

# A value with none of these needs no LaTeX decoding, only whitespace folding.
_LATEX_SIGNS = re.compile(r"[\\{}$~]|--|``|''")
_SPACES = re.compile(r"[ \t\r\n\f\v]+")
# A command (word or symbol) right before a brace: the brace group is its argument.
_COMMAND_BEFORE = re.compile(r"\\(?:[A-Za-z@]+|[^A-Za-z@\s])\s*$")


def _walker_context() -> latexwalker.LatexContextDb:
    db = latexwalker.get_default_latex_context_db()
    db.add_context_category("paperkit-bib", prepend=True, macros=[
        MacroSpec("noopsort", "{"), MacroSpec("href", "{{"), MacroSpec("mbox", "{"),
        MacroSpec("url", "{"), MacroSpec("doi", "{"), MacroSpec("cite", "{"),
    ])
    return db


def _text_context():  # type: ignore[no-untyped-def]
    db = _text_context_db()
    db.add_context_category("paperkit-bib", prepend=True, macros=[
        MacroTextSpec("url", "%(1)s"), MacroTextSpec("doi", "%(1)s"),
        MacroTextSpec("href", "%(2)s"), MacroTextSpec("mbox", "%(1)s"),
        # \noopsort{key} only steers BibTeX's sorting; it prints nothing.
        MacroTextSpec("noopsort", ""), MacroTextSpec("cite", ""),
        MacroTextSpec("LaTeX", "LaTeX"), MacroTextSpec("TeX", "TeX"),
        MacroTextSpec("BibTeX", "BibTeX"),
    ])
    return db


_WALKER_DB = _walker_context()
# keep_comments: a bare % in a bibliography value is text (a URL, "100%"), not a comment.
_TO_TEXT = LatexNodes2Text(latex_context=_text_context(), math_mode="text", keep_comments=True,
                           strict_latex_spaces=False)


def _fold(text: str) -> str:
    """Return `text` with runs of ordinary white space folded to one space, trimmed.

    No-break spaces (from ``~``) are kept: they are content.
    """
    return _SPACES.sub(" ", text).strip(" ")


@lru_cache(maxsize=8192)
def _latex_to_text(latex: str) -> str:
    if not _LATEX_SIGNS.search(latex):
        return latex
    walker = latexwalker.LatexWalker(latex, latex_context=_WALKER_DB, tolerant_parsing=True)
    nodes, _, _ = walker.get_latex_nodes()
    return _TO_TEXT.nodelist_to_text(nodes)


def split_protected(latex: str) -> list[tuple[str, bool]]:
    """Return `latex` cut into ``(piece, protected)`` runs at brace depth zero.

    A top-level brace group is protected unless it is a command's argument (``\\emph{x}``,
    ``\\"{o}``) or starts with a backslash (``{\\"o}``: a BibTeX "special character"). Math
    (``$…$``) is never cut. Escaped braces (``\\{``) do not count.
    """
    pieces: list[tuple[str, bool]] = []
    plain: list[str] = []
    i, size = 0, len(latex)
    in_math = False
    after_argument = False
    while i < size:
        ch = latex[i]
        if ch == "\\" and i + 1 < size:
            plain.append(latex[i:i + 2])
            i += 2
            after_argument = False
            continue
        if ch == "$":
            in_math = not in_math
        if ch != "{" or in_math:
            plain.append(ch)
            i += 1
            after_argument = False
            continue
        end = _group_end(latex, i)
        if end < 0:  # unbalanced: BibTeX would have refused it; keep the text as it is
            plain.append(latex[i:])
            break
        group = latex[i:end]
        so_far = "".join(plain)
        is_argument = after_argument or bool(_COMMAND_BEFORE.search(so_far))
        if is_argument or group[1:2] == "\\":
            plain.append(group)
            after_argument = is_argument
        else:
            if so_far:
                pieces.append((so_far, False))
            plain = []
            pieces.append((group[1:-1], True))
            after_argument = False
        i = end
    if plain:
        pieces.append(("".join(plain), False))
    return pieces


def _group_end(latex: str, start: int) -> int:
    """Return the index just after the group opening at `start`, or -1 if it never closes."""
    depth = 0
    i = start
    while i < len(latex):
        ch = latex[i]
        if ch == "\\":
            i += 2
            continue
        if ch == "{":
            depth += 1
        elif ch == "}":
            depth -= 1
            if depth == 0:
                return i + 1
        i += 1
    return -1


@lru_cache(maxsize=8192)
def decode_latex(latex: str, *, protect: bool = False) -> str:
    """Return the Unicode text of the LaTeX value `latex`, white space folded.

    With `protect`, brace-protected parts are wrapped in ``<span class="nocase">`` so that a
    style's title or sentence case leaves them as written (``{NATO}`` stays "NATO").
    """
    if not protect:
        return _fold(_latex_to_text(latex))
    runs = [[_SPACES.sub(" ", _latex_to_text(piece)), protected]
            for piece, protected in split_protected(latex)]
    _widen_to_words(runs)
    out = [f"{NOCASE_OPEN}{text}{NOCASE_CLOSE}" if protected and text.strip() else text
           for text, protected in runs]
    return _fold("".join(out))


def _widen_to_words(runs: list[list[Any]]) -> None:
    """Extend each protected run over the rest of the words it touches.

    citeproc-py splits text into words per run and joins them with spaces when it changes
    case, so "{Central Asia}: R&D" would print "Central Asia : R&D". Protecting the whole
    word ("Asia:", "NATO's") avoids the stray space and changes nothing else that matters.
    """
    for index, run in enumerate(runs):
        if not run[1]:
            continue
        if index + 1 < len(runs) and not runs[index + 1][1]:
            after = runs[index + 1][0]
            word = after[:_word_end(after)]
            run[0] += word
            runs[index + 1][0] = after[len(word):]
        if index and not runs[index - 1][1]:
            before = runs[index - 1][0]
            start = _word_start(before)
            run[0] = before[start:] + run[0]
            runs[index - 1][0] = before[:start]


def _word_end(text: str) -> int:
    """Return the length of the non-space characters `text` starts with."""
    end = 0
    while end < len(text) and not text[end].isspace():
        end += 1
    return end


def _word_start(text: str) -> int:
    """Return where the non-space characters `text` ends with begin."""
    start = len(text)
    while start > 0 and not text[start - 1].isspace():
        start -= 1
    return start


_VERBATIM_ESCAPES = re.compile(r"\\([_%&#~$])")
_URL_COMMAND = re.compile(r"^\\(?:url|doi)\s*\{(.*)\}$", re.DOTALL)


def decode_verbatim(latex: str) -> str:
    """Return a URL- or DOI-like value as written: braces and ``\\_``-style escapes removed.

    These values are not LaTeX text (``~`` and ``%`` are part of a URL), and line breaks
    inside them are removed.
    """
    value = latex.strip()
    match = _URL_COMMAND.match(value)
    if match:
        value = match.group(1)
    value = _VERBATIM_ESCAPES.sub(r"\1", value)
    value = value.replace("{", "").replace("}", "")
    return re.sub(r"\s+", "", value)
