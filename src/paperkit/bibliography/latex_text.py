"""BibTeX field values (LaTeX) to Unicode text.

BibTeX values are LaTeX: ``{\\"o}`` is ``ö``, ``\\&`` is ``&``, ``--`` an en dash, ``~`` a
no-break space, and, as TeX typesets them, ``'`` is a right quote (an apostrophe, "’")
and ``` ``quoted'' ``` is “quoted”. Decoding uses pylatexenc (a bibtexparser dependency)
with a few bibliography macros added (``\\url``, ``\\href``, ``\\noopsort``, ``\\mbox``,
``\\enquote``, ``\\S``, ``\\LaTeX``).

:func:`marked_text` keeps what a title needs to know in private-use *marks*: italic and bold
runs, small capitals, super- and subscripts and math (which a case change must not touch),
and quotation marks that came from LaTeX quote syntax (which a case change looks through,
as pandoc's ``Quoted`` inlines). :func:`decode_latex` is the plain text: marks removed,
quotes as curly quotes. :func:`split_protected` finds BibTeX's case protection, the brace
groups of a title.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Any

# pylatexenc ships no type information
from pylatexenc import latexwalker  # type: ignore[import-untyped]
from pylatexenc.latex2text import LatexNodes2Text, MacroTextSpec  # type: ignore[import-untyped]
from pylatexenc.latex2text import (
    get_default_latex_context_db as _text_context_db)
from pylatexenc.macrospec import MacroSpec  # type: ignore[import-untyped]

__all__ = ["decode_latex", "decode_verbatim", "marked_text", "split_protected", "MARKS",
           "QUOTES", "plain"]

#: Private-use marks in :func:`marked_text` output, as (open, close) pairs by meaning.
MARKS = {
    "italic": ("\ue020", "\ue021"),
    "bold": ("\ue022", "\ue023"),
    "smallcaps": ("\ue024", "\ue025"),
    "sup": ("\ue026", "\ue027"),
    "sub": ("\ue028", "\ue029"),
    "math": ("\ue02a", "\ue02b"),
}
#: Quotation marks from LaTeX syntax (``, '', `, ') and the characters they print.
QUOTES = {"\ue02c": "\u201c", "\ue02d": "\u201d", "\ue02e": "\u2018", "\ue02f": "\u2019"}
_FORMAT_MARKS = re.compile("[\ue020-\ue02b]")
_QUOTE_MARKS = re.compile("[\ue02c-\ue02f]")

# A value with none of these needs no LaTeX decoding, only white-space folding.
_LATEX_SIGNS = re.compile(r"[\\{}$~\ue02c-\ue02f]|--")
_SPACES = re.compile(r"[ \t\r\n\f\v]+")
# A command (word or symbol) right before a brace: the brace group is its argument.
_COMMAND_BEFORE = re.compile(r"\\(?:[A-Za-z@]+|[^A-Za-z@\s])\s*$")


def _wrap(mark: str, arg: str = "%(1)s") -> str:
    open_, close = MARKS[mark]
    return f"{open_}{arg}{close}"


def _walker_context() -> Any:
    db = latexwalker.get_default_latex_context_db()
    db.add_context_category("paperkit-bib", prepend=True, macros=[
        MacroSpec("noopsort", "{"), MacroSpec("href", "{{"), MacroSpec("mbox", "{"),
        MacroSpec("url", "{"), MacroSpec("doi", "{"), MacroSpec("cite", "{"),
        MacroSpec("enquote", "{"), MacroSpec("textsuperscript", "{"),
        MacroSpec("textsubscript", "{"),
    ])
    return db


def _text_context() -> Any:
    db = _text_context_db()
    db.add_context_category("paperkit-bib", prepend=True, macros=[
        MacroTextSpec("url", "%(1)s"), MacroTextSpec("doi", "%(1)s"),
        MacroTextSpec("href", "%(2)s"), MacroTextSpec("mbox", "%(1)s"),
        # \noopsort{key} only steers BibTeX's sorting; it prints nothing.
        MacroTextSpec("noopsort", ""), MacroTextSpec("cite", ""),
        MacroTextSpec("LaTeX", "LaTeX"), MacroTextSpec("TeX", "TeX"),
        MacroTextSpec("BibTeX", "BibTeX"), MacroTextSpec("S", "§"),
        MacroTextSpec("enquote", "\ue02c%(1)s\ue02d"),
        MacroTextSpec("emph", _wrap("italic")), MacroTextSpec("textit", _wrap("italic")),
        MacroTextSpec("textsl", _wrap("italic")), MacroTextSpec("textbf", _wrap("bold")),
        MacroTextSpec("textsc", _wrap("smallcaps")),
        MacroTextSpec("textsuperscript", _wrap("sup")),
        MacroTextSpec("textsubscript", _wrap("sub")),
        MacroTextSpec(",", "\u2009"), MacroTextSpec("thinspace", "\u2009"),
        # A .bib value never reads files: \input and friends print nothing (pylatexenc
        # would otherwise try to read them, and crashes when the argument is missing).
        MacroTextSpec("input", ""), MacroTextSpec("include", ""),
        MacroTextSpec("InputIfFileExists", ""), MacroTextSpec("includeonly", ""),
    ])
    return db


_PLACEHOLDER = re.compile(r"%(?:\((\d+)\))?s|%%")


class _BibNodes2Text(LatexNodes2Text):  # type: ignore[misc]  # pylatexenc is untyped
    """pylatexenc's text converter, where a macro's missing argument is an empty one.

    A .bib value may end in ``\\emph`` or ``\\href{x}``: pylatexenc's own %-formatting
    raises KeyError for ``%(1)s`` there, and prints ``%s/%s`` literally for ``\\frac``.
    """

    def apply_simplify_repl(self, node: object, simplify_repl: object, what: str) -> str:
        """Return the text of `node` by its replacement `simplify_repl`."""
        if (callable(simplify_repl) or not isinstance(simplify_repl, str)
                or "%" not in simplify_repl or len(simplify_repl) == 1
                or not node.isNodeType(latexwalker.LatexMacroNode)):  # type: ignore[attr-defined]
            return str(super().apply_simplify_repl(node, simplify_repl, what))
        argd = node.nodeargd  # type: ignore[attr-defined]
        args = [str(self._groupnodecontents_to_text(arg))
                for arg in (argd.argnlist if argd is not None and argd.argnlist else [])]
        sequential = iter(args)

        def fill(match: re.Match[str]) -> str:
            if match.group(0) == "%%":
                return "%"
            if match.group(1) is None:
                return next(sequential, "")
            index = int(match.group(1)) - 1
            return args[index] if index < len(args) else ""

        return _PLACEHOLDER.sub(fill, simplify_repl)


@lru_cache(maxsize=1)
def _decoder() -> tuple[Any, _BibNodes2Text]:
    """Return pylatexenc's parser context and text converter, built on first use (~4 ms:
    many .bib files hold no LaTeX but braces)."""
    # keep_comments: a bare % in a bibliography value is text (a URL, "100%"), not a comment.
    return _walker_context(), _BibNodes2Text(latex_context=_text_context(), math_mode="text",
                                             keep_comments=True, strict_latex_spaces=False)


# Characters pylatexenc turns into something else (with the marks of math and quotes): a
# value with none of them, only dashes and balanced braces, is its text with ``---`` and
# ``--`` as dashes and the braces left out (page ranges, corporate names).
_SPECIALS = re.compile(r"[\\$~&%#^_\ue02a-\ue02f]")
# The fallback when pylatexenc cannot parse a value (``\verb`` at its very end): commands
# dropped, escaped specials kept, braces removed. A value is text, never an internal error.
_COMMAND = re.compile(r"\\(?:([A-Za-z@]+)\s*|([^A-Za-z@]))")


def _prepare(latex: str) -> str:
    """Return `latex` with its quote syntax and math delimiters replaced by marks.

    ```` `` ```` and ``''`` become double-quote marks, a backquote and the ``'`` that closes
    it single-quote marks, any other ``'`` a right quote (’); ``$`` pairs become math marks.
    Escaped characters (``\\'e``, ``\\$``) are left to the LaTeX decoder.
    """
    if "'" not in latex and "`" not in latex and "$" not in latex:
        return latex
    out: list[str] = []
    i, size = 0, len(latex)
    single_open = False
    in_math = False
    while i < size:
        ch = latex[i]
        if ch == "\\" and i + 1 < size:
            out.append(latex[i:i + 2])
            i += 2
            continue
        if ch == "$":
            out.append(MARKS["math"][1] if in_math else MARKS["math"][0])
            in_math = not in_math
        elif in_math:
            out.append(ch)
        elif latex.startswith("``", i):
            out.append("\ue02c")
            i += 1
        elif latex.startswith("''", i):
            out.append("\ue02d")
            i += 1
        elif ch == "`":
            out.append("\ue02e")
            single_open = True
        elif ch == "'":
            after = latex[i + 1:i + 2]
            if single_open and not after.isalnum():
                out.append("\ue02f")
                single_open = False
            else:
                out.append("\u2019")
        else:
            out.append(ch)
        i += 1
    return "".join(out)


def _math_to_text(text: str) -> str:
    """Return `text` with the LaTeX inside each math mark decoded (``$\\alpha$`` is α)."""
    open_, close = MARKS["math"]

    def decode(match: re.Match[str]) -> str:
        return open_ + _decode_nodes(match.group(1)) + close

    return re.sub(f"{open_}(.*?){close}", decode, text, flags=re.DOTALL)


def _decode_nodes(latex: str) -> str:
    try:
        context, to_text = _decoder()
        walker = latexwalker.LatexWalker(latex, latex_context=context, tolerant_parsing=True)
        nodes, _, _ = walker.get_latex_nodes()
        return str(to_text.nodelist_to_text(nodes))
    except (IndexError, KeyError, ValueError, TypeError, latexwalker.LatexWalkerError):
        # pylatexenc's own parser errors on truncated input (``\\verb`` with nothing after)
        return _rough_text(latex)


def _rough_text(latex: str) -> str:
    """Return `latex` with its commands dropped and its braces removed.

    ``\\&`` keeps the ``&``; a word command (``\\verb``, ``\\emph``) prints nothing.
    """
    text = _COMMAND.sub(lambda m: m.group(2) or "", latex)
    return text.replace("{", "").replace("}", "")


@lru_cache(maxsize=8192)
def marked_text(latex: str) -> str:
    """Return the Unicode text of `latex` with formatting and quotes as marks (see MARKS).

    White space is not folded.
    """
    prepared = _prepare(latex)
    if not _LATEX_SIGNS.search(prepared):
        return prepared
    if not _SPECIALS.search(prepared) and _balanced(prepared):
        # as pylatexenc reads it (dashes first: "-{}-" stays two hyphens)
        dashed = prepared.replace("---", "\u2014").replace("--", "\u2013")
        return dashed.replace("{", "").replace("}", "")
    if MARKS["math"][0] in prepared:
        # math is decoded on its own, so that its marks survive the text decoder
        parts = re.split("([\ue02a\ue02b])", prepared)
        out, in_math = [], False
        for part in parts:
            if part == MARKS["math"][0]:
                in_math = True
            elif part == MARKS["math"][1]:
                in_math = False
            out.append(part if part in MARKS["math"] else
                       _decode_nodes(part) if in_math or _LATEX_SIGNS.search(part) else part)
        return "".join(out)
    return _decode_nodes(prepared)


def _balanced(text: str) -> bool:
    """Return whether the braces of `text` pair up."""
    depth = 0
    for match in _BRACES.finditer(text):
        depth += 1 if match.group() == "{" else -1
        if depth < 0:
            return False
    return depth == 0


_BRACES = re.compile("[{}]")


def plain(marked: str) -> str:
    """Return `marked` (see :func:`marked_text`) as plain text: curly quotes, no marks."""
    return _FORMAT_MARKS.sub("", _QUOTE_MARKS.sub(lambda m: QUOTES[m.group(0)], marked))


def _fold(text: str) -> str:
    """Return `text` with runs of ordinary white space folded to one space, trimmed.

    No-break spaces (from ``~``) are kept: they are content.
    """
    return _SPACES.sub(" ", text).strip(" ")


@lru_cache(maxsize=8192)
def decode_latex(latex: str) -> str:
    """Return the Unicode text of the LaTeX value `latex`, white space folded."""
    return _fold(plain(marked_text(latex)))


def split_protected(latex: str) -> list[tuple[str, bool]]:
    """Return `latex` cut into ``(piece, protected)`` runs at brace depth zero.

    A top-level brace group is protected unless it is a command's argument (``\\emph{x}``,
    ``\\"{o}``); a group that starts with a command is protected too (``{\\"O}zal``,
    ``{\\em Word}``), as biblatex and pandoc treat it. Math (``$…$``) is never cut. Escaped
    braces (``\\{``) do not count.
    """
    if "{" not in latex:
        return [(latex, False)] if latex else []  # no group: one plain run, as the loop gives
    pieces: list[tuple[str, bool]] = []
    plain_run: list[str] = []
    i, size = 0, len(latex)
    in_math = False
    after_argument = False
    while i < size:
        ch = latex[i]
        if ch == "\\" and i + 1 < size:
            plain_run.append(latex[i:i + 2])
            i += 2
            after_argument = False
            continue
        if ch == "$":
            in_math = not in_math
        if ch != "{" or in_math:
            plain_run.append(ch)
            i += 1
            after_argument = False
            continue
        end = _group_end(latex, i)
        if end < 0:  # unbalanced: BibTeX would have refused it; keep the text as it is
            plain_run.append(latex[i:])
            break
        group = latex[i:end]
        so_far = "".join(plain_run)
        is_argument = after_argument or bool(_COMMAND_BEFORE.search(so_far))
        if is_argument:
            plain_run.append(group)
            after_argument = True
        else:
            if so_far:
                pieces.append((so_far, False))
            plain_run = []
            pieces.append((group[1:-1], True))
            after_argument = False
        i = end
    if plain_run:
        pieces.append(("".join(plain_run), False))
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
