"""BibTeX name lists to CSL names.

``Buzan, Barry and van der Berg, Jan and {{Ministry of Foreign Affairs of Japan}} and others``
becomes family/given names, a non-dropping particle ("van der") and a literal (corporate)
name. BibTeX's splitting rules (first / von / last / jr, braces as one token) come from
bibtexparser's name functions; each part is then decoded from LaTeX.

A trailing ``and others`` becomes the name ``{"literal": "others"}`` (pandoc's convention);
the citation engine prints it as the style's "et al.", never as a name.
"""

from __future__ import annotations

from typing import Any

from bibtexparser.middlewares.names import (parse_single_name_into_parts,
                                            split_multiple_persons_names)

from .latex_text import decode_latex

__all__ = ["parse_names", "OTHERS"]

#: The name a trailing ``and others`` becomes.
OTHERS: dict[str, str] = {"literal": "others"}


def _is_braced_whole(text: str) -> bool:
    """Return whether `text` is one brace group from its first to its last character."""
    if not (text.startswith("{") and text.endswith("}")):
        return False
    depth = 0
    for i, ch in enumerate(text):
        if ch == "{":
            depth += 1
        elif ch == "}":
            depth -= 1
            if depth == 0 and i != len(text) - 1:
                return False
    return True


def _join(parts: list[str]) -> str:
    return decode_latex(" ".join(parts))


def parse_name(raw: str) -> dict[str, Any]:
    """Return the CSL name for one BibTeX name `raw` (``"van der Berg, Jan"``)."""
    text = raw.strip()
    if _is_braced_whole(text):
        # {Ministry of Foreign Affairs of Japan}: an institution, never split or initialled.
        return {"literal": decode_latex(text[1:-1])}
    try:
        parts = parse_single_name_into_parts(text, strict=False)
    except Exception:  # bibtexparser raises on odd names; keep the name whole
        return {"literal": decode_latex(text)}
    name: dict[str, Any] = {}
    if parts.last:
        name["family"] = _join(parts.last)
    if parts.first:
        name["given"] = _join(parts.first)
    if parts.von:
        name["non-dropping-particle"] = _join(parts.von)
    if parts.jr:
        name["suffix"] = _join(parts.jr)
    if "family" not in name:
        return {"literal": decode_latex(text)}
    return name


def parse_names(raw: str) -> list[dict[str, Any]]:
    """Return the CSL name list for the BibTeX name list `raw` (names joined by ``and``)."""
    names = []
    for person in split_multiple_persons_names(raw):
        if person.strip().lower() == "others":
            names.append(dict(OTHERS))
        elif person.strip():
            names.append(parse_name(person))
    return names
