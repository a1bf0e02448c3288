"""Citation locators: split ``p. 33, emphasis added`` into label, locator and the rest.

This follows pandoc's ``Text.Pandoc.Citeproc.Locator`` (which runs when pandoc processes
citations; the Markdown reader leaves everything in the suffix), simplified to work on the
suffix's source text:

- an optional comma and space come first;
- ``{...}`` is a *delimited* locator: an optional label, then anything up to the matching
  brace (``{pp. iv, vi-xi, (xv)-(xvii)}``); without a label it is a page;
- otherwise a label (a CSL locator term in one of its forms, case-insensitive, the longest
  that fits: ``p.``, ``pp.``, ``page``, ``chap.``, ``§``, ...) must be followed by a word that
  holds a digit or a Roman numeral; without a label, a word that holds a digit makes a page
  locator (``[@a, 33]``);
- further words joined by ``,`` belong to the locator while they pass the same test
  (``pp. 33, 35-37, and passim`` gives ``33, 35-37`` and leaves ``, and passim``).

The terms are CSL's English ones (``locales-en-US.xml``), plus ``ch.`` for chapters and
without the chapter symbol ``c.`` (so ``c. 1900`` stays "circa"); pandoc would use the
document language's terms. Where two terms share a form (``v.`` is both verse
and version), the one listed first in CSL's locator list wins, as in pandoc.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

__all__ = ["LOCATOR_TERMS", "parse_locator"]

#: CSL locator label -> its English forms (long, plural, short, short plural, symbols).
LOCATOR_TERMS: dict[str, tuple[str, ...]] = {
    "act": ("act", "acts", "act.", "acts."),
    "appendix": ("appendix", "appendices", "app.", "apps."),
    "article-locator": ("article", "articles", "art.", "arts."),
    "book": ("book", "books", "bk.", "bks."),
    "canon": ("canon", "canons", "can.", "cann."),
    "chapter": ("chapter", "chapters", "chap.", "chaps.", "ch.", "chs."),
    "column": ("column", "columns", "col.", "cols."),
    "elocation": ("location", "locations", "loc.", "locs."),
    "equation": ("equation", "equations", "eq.", "eqq.", "eqs."),
    "figure": ("figure", "figures", "fig.", "figs."),
    "folio": ("folio", "folios", "fol.", "fols."),
    "issue": ("issue", "issues", "no.", "nos.", "number", "numbers"),
    "line": ("line", "lines", "l.", "ll."),
    "note": ("note", "notes", "n.", "nn."),
    "opus": ("opus", "opera", "op.", "opp."),
    "page": ("page", "pages", "p.", "pp."),
    "paragraph": ("paragraph", "paragraphs", "para.", "paras.", "¶", "¶¶"),
    "part": ("part", "parts", "pt.", "pts."),
    "rule": ("rule", "rules", "r.", "rr."),
    "scene": ("scene", "scenes", "sc.", "scs."),
    "section": ("section", "sections", "sec.", "secs.", "§", "§§"),
    "sub-verbo": ("sub verbo", "sub verbis", "s.v.", "s.vv."),
    "supplement": ("supplement", "supplements", "supp.", "supps."),
    "table": ("table", "tables", "tbl.", "tbls."),
    "timestamp": (),
    "title-locator": ("title", "titles", "tit.", "titt."),
    "verse": ("verse", "verses", "v.", "vv."),
    "version": ("version", "versions", "v."),
    "volume": ("volume", "volumes", "vol.", "vols."),
}

_ROMAN = re.compile(r"M*(?:CM)?D?(?:CD)?C*(?:XC)?L?(?:XL)?X*(?:IX)?V?(?:IV)?I*", re.IGNORECASE)
_SEGMENTS = re.compile(r"[^\W_]+")
_SPACE = re.compile(r"\s+")
_NOT_PUNCT = frozenset("-\u2013:")
_OPEN_CLOSE = {"(": ")", "[": "]", "{": "}"}


@lru_cache(maxsize=1)
def _terms() -> dict[str, tuple[tuple[str, str], ...]]:
    """Return (form, label) pairs by first character, longest form first.

    The first label listed wins a form that two labels share.
    """
    seen: dict[str, str] = {}
    for label, forms in LOCATOR_TERMS.items():
        for form in forms:
            seen.setdefault(form.lower(), label)
    by_first: dict[str, list[tuple[str, str]]] = {}
    for form, label in sorted(seen.items(), key=lambda pair: -len(pair[0])):
        by_first.setdefault(form[0], []).append((form, label))
    return {first: tuple(pairs) for first, pairs in by_first.items()}


def _is_punct(char: str) -> bool:
    """Return whether `char` is punctuation that ends a locator word (not ``-``, ``–``, ``:``)."""
    return char not in _NOT_PUNCT and unicodedata.category(char).startswith("P")


def _is_unit(char: str) -> bool:
    return not char.isspace() and not _is_punct(char)


def _scan_unit(text: str, i: int) -> int:
    """Return the end of a page sequence (``33``, ``3.2``, ``.2``, ``xiv``) at `i`, or `i`."""
    n, j = len(text), i
    while j < n:
        if _is_unit(text[j]):
            j += 1
        elif text[j] == "." and j + 1 < n and _is_unit(text[j + 1]):
            j += 2
        else:
            break
    return j


def _scan_word(text: str, i: int) -> int:
    """Return the end of a locator word at `i` (``34(1)(i)``, ``[17]-[18]``), or `i` if none."""
    n, j = len(text), i
    while j < n:
        closer = _OPEN_CLOSE.get(text[j])
        if closer is not None:
            inner = _scan_unit(text, j + 1)
            if inner < n and text[inner] == closer:
                j = inner + 1
                continue
            break
        end = _scan_unit(text, j)
        if end == j:
            break
        j = end
    return j


def _digit_like(word: str, romans: bool) -> bool:
    """Return whether `word` holds a digit (or, when `romans`, a Roman numeral)."""
    if any(c.isdigit() for c in word):
        return True
    return romans and any(_ROMAN.fullmatch(s) for s in _SEGMENTS.findall(word))


def _skip_space(text: str, i: int) -> int:
    match = _SPACE.match(text, i)
    return match.end() if match else i


def _match_label(text: str, i: int, need_word: bool) -> tuple[str, int] | None:
    """Return (label, end) for the longest locator term at `i` that is followed properly.

    With `need_word`, the term must be followed by a locator word that holds a digit or a
    Roman numeral; otherwise by anything. A term ending in a letter must not run on into
    another letter or digit (``chapter3`` is no label).
    """
    folded = text[i:i + 16].lower()
    for form, label in _terms().get(folded[:1], ()):
        if not folded.startswith(form):
            continue
        end = i + len(form)
        if form[-1].isalnum() and end < len(text) and text[end].isalnum():
            continue
        if not need_word:
            if end < len(text):
                return label, end
            continue
        start = _skip_space(text, end)
        word_end = _scan_word(text, start)
        if word_end > start and _digit_like(text[start:word_end], romans=True):
            return label, end
    return None


def _delimited(text: str, i: int) -> tuple[str, str, int] | None:
    """Return (label, locator, end) for ``{label value}`` at `i` (a ``{``), or ``None``."""
    j = _skip_space(text, i + 1)
    found = _match_label(text, j, need_word=False)
    label, j = found if found else ("page", j)
    depth, k = 1, j
    while k < len(text):
        char = text[k]
        if char in "{[":
            depth += 1
        elif char in "}]":
            depth -= 1
            if depth == 0:
                if char != "}":
                    return None
                return label, _SPACE.sub(" ", text[j:k]).strip(), k + 1
        k += 1
    return None


def _integrated(text: str, i: int) -> tuple[str, str, int] | None:
    """Return (label, locator, end) for ``p. 33, 35`` or ``33`` at `i`, or ``None``."""
    found = _match_label(text, i, need_word=True)
    romans = found is not None
    label, j = found if found else ("page", i)
    start = _skip_space(text, j)
    end = _scan_word(text, start)
    if end == start or not _digit_like(text[start:end], romans):
        return None
    parts = [text[start:end]]
    j = end
    while j < len(text):
        k = j
        sep = ""
        if text[k] in ",;":
            sep, k = text[k], k + 1
        after_space = _skip_space(text, k)
        space = " " if after_space > k else ""
        word_end = _scan_word(text, after_space)
        if word_end == after_space or not _digit_like(text[after_space:word_end], romans):
            break
        parts.append(sep + space + text[after_space:word_end])
        j = word_end
    return label, "".join(parts).strip(), j


_RANGE_DASHES = re.compile(r"-{2,3}|\u2013")


def parse_locator(suffix: str) -> tuple[str | None, str | None, int]:
    """Return (label, locator, rest) for a citation suffix such as ``, p. 33, and passim``.

    `rest` is the index in `suffix` where the part after the locator begins; without a
    locator, label and locator are ``None`` and `rest` is 0 (the whole suffix remains).
    """
    i = 0
    if suffix.startswith(","):
        i = 1
    i = _skip_space(suffix, i)
    if i >= len(suffix):
        return None, None, 0
    found = _delimited(suffix, i) if suffix[i] == "{" else _integrated(suffix, i)
    if found is None:
        return None, None, 0
    label, locator, end = found
    # Pandoc's smart typography reads "3--5" as "3–5"; a locator keeps a plain hyphen so
    # the citation style can format the range its own way.
    if locator is not None and ("--" in locator or "\u2013" in locator):
        locator = _RANGE_DASHES.sub("-", locator)
    return label, locator, end
