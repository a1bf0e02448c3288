"""The one function that turns text into TeX: :func:`escape`, and what pdflatex cannot set.

Every piece of source text (titles, body text, names, captions, cells, code, bibliography
entries) reaches the ``.tex`` file through :func:`escape`, so text never becomes a TeX
command: ``\\input{/etc/passwd}`` prints as those characters. Already-rendered LaTeX is
marked with :class:`Latex`; the Jinja environment (``latex_env``) escapes everything else.

The output compiles with pdflatex (utf8 + T1 + textcomp), xelatex and lualatex alike:

- the ten specials and ``< > | " ' `` ` `` become text commands, so they print literally
  (under T1 ``<`` and ``"`` would otherwise set other glyphs, ``'`` a curly quote);
- TeX's ligatures that change characters are broken (``--`` an en dash, ``’’`` a double
  quote, ``,,`` a low quote);
- characters pdflatex's core sets are kept as UTF-8 (:data:`PDFLATEX_RANGES`, measured);
- Greek, Cyrillic and CJK runs are wrapped in ``\\pkgreek{..}``, ``\\pkcyrillic{..}``,
  ``\\pkcjk{..}``, and any other character in ``\\pkchar{<char>}{<hex>}``; the template
  defines these per engine (a covering font under xelatex/lualatex; the language packages
  under pdflatex when installed, else a visible placeholder). :func:`unsupported_chars`
  names what pdflatex cannot set, so the writer can report it instead of dropping it.

Labels and URLs have their own rules, kept here too: :func:`anchor` (``\\label`` names) and
:func:`url_argument` (``\\href`` targets).
"""

from __future__ import annotations

import re
import shutil
import subprocess
import unicodedata
from bisect import bisect_right
from functools import lru_cache
from urllib.parse import quote

__all__ = ["Latex", "escape", "anchor", "url_argument", "unsupported_chars", "script_of",
           "installed_scripts", "SCRIPTS", "PDFLATEX_RANGES"]


class Latex(str):
    """A string that is already LaTeX: printed as is by templates, never escaped again."""

    __slots__ = ()

    def __repr__(self) -> str:
        return f"Latex({str.__repr__(self)})"


#: ASCII characters that TeX treats specially or T1 would set as another glyph.
_SPECIALS: dict[str, str] = {
    "\\": r"\textbackslash{}",
    "{": r"\{",
    "}": r"\}",
    "#": r"\#",
    "$": r"\$",
    "%": r"\%",
    "&": r"\&",
    "_": r"\_",
    "~": r"\textasciitilde{}",
    "^": r"\textasciicircum{}",
    "<": r"\textless{}",
    ">": r"\textgreater{}",
    "|": r"\textbar{}",
    '"': r"\textquotedbl{}",
    "'": r"\textquotesingle{}",
    "`": r"\textasciigrave{}",
    "\u00a0": "~",          # no-break space
    "\u00ad": r"\-",        # soft hyphen: a hyphenation point
}

#: Pairs the T1 fonts' ligature tables would merge into another character ("--" an en dash,
#: "–-" an em dash, "’’" a double quote, ",," a low quote, "!‘" an inverted "!"), so
#: :func:`escape` separates them with ``{}`` (found by the compile property test).
_LIGATURES: frozenset[tuple[str, str]] = frozenset({
    ("-", "-"), ("\u2013", "-"), ("\u2019", "\u2019"), ("\u2018", "\u2018"), (",", ","),
    ("!", "\u2018"), ("?", "\u2018"),
})

#: Characters pdflatex lacks as text but can set from the math fonts (engine-neutral).
_SUBSTITUTES: dict[str, str] = {
    "\u2212": r"\textminus{}",
    "\u2264": r"\ensuremath{\leq}",
    "\u2265": r"\ensuremath{\geq}",
    "\u2260": r"\ensuremath{\neq}",
    "\u2248": r"\ensuremath{\approx}",
    "\u221e": r"\ensuremath{\infty}",
    "\u21d2": r"\ensuremath{\Rightarrow}",
    "\u21d4": r"\ensuremath{\Leftrightarrow}",
    "\u2194": r"\ensuremath{\leftrightarrow}",
    "\u2208": r"\ensuremath{\in}",
    "\u2211": r"\ensuremath{\sum}",
    "\u221a": r"\ensuremath{\surd}",
    "\u2032": r"\ensuremath{'}",
    "\u2009": r"\,",        # thin space
    "\u202f": r"\,",        # narrow no-break space
    "\u2002": r"\enspace{}",
    "\u2003": r"\quad{}",
    "\u200b": r"\hspace{0pt}",  # zero-width space: a break point
    # Modifier-letter apostrophes (Uzbek Latin "Oʻzbekiston", Hawaiian ʻokina): the quote
    # marks look the same, and T1 has those.
    "\u02bb": r"\textquoteleft{}",
    "\u02bc": r"\textquoteright{}",
}

#: Code-point ranges pdflatex sets with utf8 + T1 + TS1 (textcomp) and the TeX Gyre fonts.
#: Measured with TeX Live 2022 by typesetting U+00A0..U+2FFF one a line and keeping those
#: without "not set up for use with LaTeX" errors (ASCII is handled by :data:`_SPECIALS`).
PDFLATEX_RANGES: tuple[tuple[int, int], ...] = tuple(
    (int(a, 16), int(b or a, 16)) for a, _, b in (
        item.partition("-") for item in """
        00A0-0125 0128-0137 0139-013E 0141-0148 014A-0165 0168-017E 0192 01C4-01D4
        01E2-01E3 01E6-01EB 01F0 01F4-01F5 0218-021B 0232-0233 0237 02C6-02C7 02D8-02D9
        02DB-02DD 0E3F 1E02-1E03 1E0D 1E1E-1E21 1E25 1E30-1E31 1E37 1E43 1E45 1E47 1E5B
        1E63 1E6D 1E8E-1E91 1E9E 1EF2-1EF3 200C 2010-2016 2018-201A 201C-201E 2020-2022
        2026 2030-2031 2039-203B 203D 2044 204E 2052 20A1 20A4 20A6 20A9 20AB-20AC 20B1
        2103 2116-2117 211E 2120 2122 2126-2127 212E 2190-2193 2329-232A 2422-2423 25E6
        25EF 266A 27E8-27E9 FB00-FB06 FEFF""".split()))
_STARTS = [a for a, _ in PDFLATEX_RANGES]

#: Scripts pdflatex can set only with optional packages, and the code-point ranges of each.
SCRIPTS: dict[str, tuple[tuple[int, int], ...]] = {
    "greek": ((0x0370, 0x03FF), (0x1F00, 0x1FFF)),
    "cyrillic": ((0x0400, 0x052F),),
    # not CJK Extension A (U+3400..4DBF): CJKutf8's fonts have no metrics for it, and
    # pdflatex stops ("Font C70/min/.../34=udmj34 not loadable"; found by the fuzzed compile)
    "cjk": ((0x3000, 0x30FF), (0x4E00, 0x9FFF), (0xF900, 0xFAFF), (0xFF00, 0xFFEF)),
}

#: The files whose presence in the TeX installation says pdflatex can set each script
#: (the encoding and its default fonts; ``latex.tex.j2`` tests the same files).
_SCRIPT_FILES: dict[str, tuple[str, ...]] = {"greek": ("lgrenc.def", "lgrcmr.fd"),
                                             "cyrillic": ("t2aenc.def", "t2acmr.fd"),
                                             "cjk": ("CJKutf8.sty",)}
_WRAPPERS: dict[str, str] = {"greek": "pkgreek", "cyrillic": "pkcyrillic", "cjk": "pkcjk"}


def _pdflatex_core(char: str) -> bool:
    """Return whether pdflatex sets `char` with the core packages (ASCII included)."""
    code = ord(char)
    if 0x20 <= code < 0x7F:
        return True
    i = bisect_right(_STARTS, code) - 1
    return i >= 0 and code <= PDFLATEX_RANGES[i][1]


@lru_cache(maxsize=4096)
def script_of(char: str) -> str | None:
    """Return ``greek``, ``cyrillic`` or ``cjk`` for a character of those scripts, else None."""
    code = ord(char)
    for name, ranges in SCRIPTS.items():
        if any(low <= code <= high for low, high in ranges):
            return name
    return None


def _is_control(char: str) -> bool:
    """Return whether `char` is a control character or a lone surrogate (never printable)."""
    return unicodedata.category(char) in ("Cc", "Cs")


# Printable ASCII is escaped with one str.translate (C speed): the specials become their
# commands, tabs and line breaks spaces, other ASCII controls nothing. Everything else goes
# through a per-code-point cache (:func:`_token`); a 10 MB paper takes seconds, not minutes.
_LINE_BREAKS = "\t\n\r\v\f\u2028\u2029"
_ASCII_TABLE: dict[int, str] = {
    **{code: "" for code in (*range(0x20), 0x7F)},
    **{ord(c): " " for c in "\t\n\r\v\f"},
    **{ord(c): v for c, v in _SPECIALS.items() if c.isascii()},
}
_ASCII_LIGATURES = re.compile(r"-(?=-)|,(?=,)")
_NON_ASCII_RUN = re.compile(r"([^\x00-\x7f]+)")


@lru_cache(maxsize=None)
def _token(char: str) -> tuple[str | None, str]:
    """Return the script run `char` belongs to (None for none) and its LaTeX."""
    script = script_of(char)
    if script is not None:
        return script, char
    if char in _SPECIALS:
        return None, _SPECIALS[char]
    if char in _LINE_BREAKS:
        return None, " "
    if _is_control(char):
        return None, ""
    if _pdflatex_core(char):
        return None, char
    if char in _SUBSTITUTES:
        return None, _SUBSTITUTES[char]
    return None, f"\\pkchar{{{char}}}{{{ord(char):04X}}}"


def _escape_run(run: str, following: str, out: list[str]) -> None:
    """Append the LaTeX of `run` (non-ASCII characters) to `out`; `following` is the
    character after it (for the ligatures a run's last character starts)."""
    script_run: list[str] = []
    run_script: str | None = None
    for i, char in enumerate(run):
        script, latex = _token(char)
        if script is not None:
            if script != run_script and script_run:
                out.append("\\" + _WRAPPERS[run_script or ""] + "{" + "".join(script_run) + "}")
                script_run.clear()
            run_script = script
            script_run.append(char)
            continue
        if script_run:
            out.append("\\" + _WRAPPERS[run_script or ""] + "{" + "".join(script_run) + "}")
            script_run.clear()
            run_script = None
        after = run[i + 1] if i + 1 < len(run) else following
        if (char, after) in _LIGATURES:
            out.append(char + "{}")
        else:
            out.append(latex)
    if script_run:
        out.append("\\" + _WRAPPERS[run_script or ""] + "{" + "".join(script_run) + "}")


def escape(text: str) -> Latex:
    """Return `text` as LaTeX that prints exactly these characters, in any TeX engine.

    The text is NFC-normalised first (so ``e`` + combining acute becomes ``é``). Tabs and
    line breaks become spaces (a blank line would end a paragraph, or break a macro
    argument); other control characters are dropped (:func:`unsupported_chars` reports
    them). The result never holds an unbalanced brace or a command the text spelled out.
    """
    if not text.isascii():
        text = unicodedata.normalize("NFC", text)
    pieces = _NON_ASCII_RUN.split(text)
    out: list[str] = []
    # pieces alternate: ASCII (maybe empty), a non-ASCII run, ASCII, ...
    for index, piece in enumerate(pieces):
        if index % 2 == 0:
            ascii_latex = _ASCII_LIGATURES.sub(r"\g<0>{}", piece.translate(_ASCII_TABLE))
            if piece[-1:] in ("!", "?") and index + 1 < len(pieces) and \
                    pieces[index + 1].startswith("\u2018"):
                ascii_latex += "{}"        # "!‘" is an inverted "!" in T1
            out.append(ascii_latex)
        else:
            following = pieces[index + 1][:1] if index + 1 < len(pieces) else ""
            _escape_run(piece, following, out)
    return Latex("".join(out))


@lru_cache(maxsize=1)
def installed_scripts() -> frozenset[str]:
    """Return the scripts the installed TeX lets pdflatex set (probed once with kpsewhich).

    Without ``kpsewhich`` none are assumed: the characters are reported, and the ``.tex``
    still decides at compile time (``\\IfFileExists``), so it stays the same bytes.
    """
    kpsewhich = shutil.which("kpsewhich")
    if kpsewhich is None:
        return frozenset()
    try:
        wanted = sorted({f for files in _SCRIPT_FILES.values() for f in files})
        found = subprocess.run([kpsewhich, *wanted], capture_output=True, text=True,
                               timeout=30, check=False).stdout
    except (OSError, subprocess.SubprocessError):
        return frozenset()
    names = {line.rsplit("/", 1)[-1] for line in found.splitlines()}
    return frozenset(s for s, files in _SCRIPT_FILES.items()
                     if all(f in names for f in files))


def unsupported_chars(text: str, *, installed: frozenset[str] | None = None) -> set[str]:
    """Return the characters of `text` that pdflatex cannot set (the PDF shows a placeholder).

    Greek, Cyrillic and CJK count as unsupported unless their packages are in `installed`
    (default: what :func:`installed_scripts` finds). Control characters other than tabs and
    line breaks are unsupported too (:func:`escape` drops them). xelatex and lualatex set
    everything their fonts hold.
    """
    # probed only when a character of those scripts occurs: the probe runs kpsewhich (a
    # process, ~10 ms) and most papers have none
    have = installed
    found: set[str] = set()
    for char in set(unicodedata.normalize("NFC", text)):
        if char in _SPECIALS or char in _SUBSTITUTES or char in "\t\n\r\v\f\u2028\u2029":
            continue
        script = script_of(char)
        if script is not None:
            if have is None:
                have = installed_scripts()
            if script not in have:
                found.add(char)
        elif _is_control(char) or not _pdflatex_core(char):
            found.add(char)
    return found


def anchor(name: str) -> str:
    """Return `name` as a label safe for ``\\label``, ``\\hyperref`` and PDF destinations.

    Letters, digits and ``-.:/`` stay; any other character becomes ``+XXXXXX`` (its code
    point in six hex digits, so the encoding is one-to-one: distinct names stay distinct)
    and nothing TeX-special survives.
    """
    return "".join(c if (c.isascii() and c.isalnum()) or c in "-.:/" else f"+{ord(c):06X}"
                   for c in name)


def url_argument(url: str) -> str:
    """Return `url` as ``\\href``'s first argument, safe even inside another argument.

    Characters outside printable ASCII and those TeX or hyperref read specially are
    percent-encoded (``{ } \\ ^ | " < >`` and spaces), as a browser would send them; then
    ``%``, ``#``, ``&`` and ``_`` are written ``\\%``, ``\\#``, ``\\&``, ``\\_``, which hyperref
    turns back into the characters. ``~`` and ``$`` stay: hyperref reads them literally even
    inside a footnote or a table cell (checked with pdfTeX 1.40.24, hyperref 2022).
    """
    encoded = quote(url, safe="!#$%&'()*+,-./:;=?@[]_~")
    return (encoded.replace("%", "\\%").replace("#", "\\#").replace("&", "\\&")
            .replace("_", "\\_"))
