"""BibTeX name lists to CSL names, by BibLaTeX's rules.

``Buzan, Barry and van der Berg, Jan and {{Ministry of Foreign Affairs of Japan}} and others``
becomes family and given names, a particle ("van der") and a literal (corporate) name:

- names are separated by ``and`` outside braces; a trailing ``and others`` becomes the name
  ``{"literal": "others"}`` (pandoc's convention), which the citation engine prints as the
  style's "et al.";
- a name that is one brace group (``{World Health Organization}``, written in double braces
  in the field) is an institution: a literal, never split or initialled;
- ``von Last, Jr, First``, ``von Last, First`` and ``First von Last`` are split as biblatex
  (and pandoc) split them: the particle is the run of lower-case words at the start of the
  ``von Last`` part, so "Drummond de Andrade, Carlos" keeps "Drummond de Andrade" as the
  family name (BibTeX would take "Drummond de" for the particle; biblatex issue 236);
  a brace group counts as neither case ("{\\"O}zal" is one word, "{van der Berg}" one
  family name);
- a particle is *dropping* (printed after the given name in inverted lists and ignored in
  sorting, "Berg, Jan van der") unless the entry's ``options`` say ``useprefix=true``:
  that is biblatex's default, ``useprefix=false``;
- ``J.G. Smith`` is read as ``J. G. Smith``; biblatex's extended name format
  (``family=Berg, given=Jan, prefix=van der, useprefix=true``) is understood.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Any

from bibtexparser.middlewares.names import split_multiple_persons_names

from .latex_text import decode_latex, split_protected

__all__ = ["parse_names", "parse_name", "OTHERS"]

#: The name a trailing ``and others`` becomes.
OTHERS: dict[str, str] = {"literal": "others"}

# "J.G." -> "J. G.": a one-letter capital, a period, another one-letter capital
_INITIALS = re.compile(r"(?<![^\s.~])([^\W\d_])\.(?=([^\W\d_])(?:[.\s~,]|$))")


def _is_braced_whole(text: str) -> bool:
    """Return whether `text` is one brace group from its first to its last character."""
    if not (text.startswith("{") and text.endswith("}")):
        return False
    depth = 0
    for i, ch in enumerate(text):
        if ch == "\\":
            continue
        if ch == "{":
            depth += 1
        elif ch == "}":
            depth -= 1
            if depth == 0 and i != len(text) - 1:
                return False
    return True


def _split_top(text: str, separators: str) -> list[str]:
    """Return `text` cut at the characters in `separators` outside braces (empty parts kept)."""
    if "{" not in text and "}" not in text and "\\" not in text:
        # most names hold no brace or command: a plain split (one regex in C) does
        return _separator_pattern(separators).split(text)
    parts, current, depth, i = [], [], 0, 0
    while i < len(text):
        ch = text[i]
        if ch == "\\" and i + 1 < len(text):
            current.append(text[i:i + 2])
            i += 2
            continue
        if ch == "{":
            depth += 1
        elif ch == "}":
            depth -= 1
        if ch in separators and depth == 0:
            parts.append("".join(current))
            current = []
        else:
            current.append(ch)
        i += 1
    parts.append("".join(current))
    return parts


@lru_cache(maxsize=8)
def _separator_pattern(separators: str) -> re.Pattern[str]:
    return re.compile(f"[{re.escape(separators)}]")


def _words(part: str) -> list[str]:
    return [w for w in _split_top(part, " \t\n~") if w.strip()]


def _capitalised(word: str) -> bool:
    """Return whether `word` counts as upper-case (pandoc's ``isCapitalized``).

    Brace groups are skipped; digits are looked through; no letter at all counts as upper.
    """
    for piece, protected in split_protected(word):
        if protected:
            continue
        text = decode_latex(piece)
        for ch in text:
            if ch.isdigit():
                continue
            return ch.isupper()
    return True


def _spaced_initials(text: str) -> str:
    """Return `text` with run-together initials spaced: "J.G." is "J. G."."""
    previous = None
    while previous != text:
        previous = text
        text = _INITIALS.sub(lambda m: m.group(1) + ". " if m.group(1).isupper()
                             and m.group(2).isupper() else m.group(0), text)
    return text


def _decode_words(words: list[str]) -> str:
    return " ".join(decode_latex(w) for w in words)


def _extended(text: str, useprefix: bool) -> dict[str, Any]:
    """Return the CSL name for biblatex's ``family=…, given=…`` format."""
    name: dict[str, Any] = {}
    prefix, use = None, useprefix
    for part in _split_top(text, ","):
        key, _, value = part.partition("=")
        key, value = key.strip().lower(), decode_latex(value.strip().strip("{}").strip())
        if key == "family":
            name["family"] = value
        elif key == "given":
            name["given"] = f"{name['given']} {value}" if "given" in name else value
        elif key == "prefix":
            prefix = value
        elif key == "suffix":
            name["suffix"] = value
        elif key == "useprefix":
            use = value.lower() == "true"
    if prefix:
        name["non-dropping-particle" if use else "dropping-particle"] = prefix
    return name


def parse_name(raw: str, *, useprefix: bool = False) -> dict[str, Any]:
    """Return the CSL name for one BibTeX name `raw` (``"van der Berg, Jan"``)."""
    text = " ".join(raw.split())
    if _is_braced_whole(text):
        # {Ministry of Foreign Affairs of Japan}: an institution, never split or initialled.
        return {"literal": decode_latex(text[1:-1])}
    first_word = (_words(text) or [""])[0]
    if "=" in first_word:
        return _extended(text, useprefix)
    parts = [_words(p) for p in _split_top(_spaced_initials(text), ",")]
    first: list[str]
    jr: list[str] = []
    if len(parts) == 1:
        words = parts[0]
        caps = 0
        while caps < len(words) and _capitalised(words[caps]):
            caps += 1
        if caps == len(words) and words:
            first, vonlast = words[:-1], words[-1:]
        else:
            first, vonlast = words[:caps], words[caps:]
    elif len(parts) == 2:
        vonlast, first = parts
    else:
        vonlast, jr, first = parts[0], parts[1], parts[2]
    lower = 0
    while lower < len(vonlast) and not _capitalised(vonlast[lower]):
        lower += 1
    if lower == len(vonlast) and vonlast:
        von, last = vonlast[:-1], vonlast[-1:]
    else:
        von, last = vonlast[:lower], vonlast[lower:]
    name: dict[str, Any] = {}
    if last:
        name["family"] = _decode_words(last)
    if first:
        name["given"] = _decode_words(first)
    if von:
        name["non-dropping-particle" if useprefix else "dropping-particle"] = _decode_words(von)
    if jr:
        name["suffix"] = _decode_words(jr)
    return name


def parse_names(raw: str, *, useprefix: bool = False) -> list[dict[str, Any]]:
    """Return the CSL name list for the BibTeX name list `raw` (names joined by ``and``)."""
    names = []
    for person in split_multiple_persons_names(raw):
        if person.strip().lower() == "others":
            names.append(dict(OTHERS))
        elif person.strip():
            name = parse_name(person, useprefix=useprefix)
            if name:
                names.append(name)
    return names
