"""Content decisions every writer shares, computed once so Word, PDF and LaTeX print the same.

Heading numbers in the template's scheme, caption labels, cross-reference texts, the author
and affiliation lines, the running-header text and anchor names all come from here.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

from ..model import Paper, Ref, Section
from ..templates import Template
from ..walk import plain_text

__all__ = ["display_number", "heading_text_number", "caption_label", "ref_text",
           "AuthorBlock", "author_block", "running_title", "entry_anchor", "roman",
           "letters", "LIST_MARGINS", "quote_margin"]

#: LaTeX's \leftmargini..vi at 11 pt (2.5, 2.2, 1.87, 1.7, 1, 1 em), in PostScript points:
#: the indent of a list item's text at each list depth, and a quotation's margin on both
#: sides (a quotation is a list in LaTeX); deeper levels keep the last.
LIST_MARGINS = (27.27, 24.0, 20.4, 18.55, 10.91, 10.91)


def quote_margin(depth: int) -> float:
    """Return, in points, the margin on each side of text `depth` quotations deep (1 for a
    quotation in running text): the sum of the list margins of the levels it is in."""
    return sum(LIST_MARGINS[min(level, len(LIST_MARGINS) - 1)] for level in range(depth))


def roman(value: int) -> str:
    """Return `value` (1..3999) in upper-case Roman numerals."""
    numerals = [(1000, "M"), (900, "CM"), (500, "D"), (400, "CD"), (100, "C"), (90, "XC"),
                (50, "L"), (40, "XL"), (10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I")]
    out = []
    for amount, letters in numerals:
        while value >= amount:
            out.append(letters)
            value -= amount
    return "".join(out)


def letters(value: int) -> str:
    """Return `value` as upper-case letters: 1 -> A, 27 -> AA."""
    out = ""
    while value > 0:
        value, rest = divmod(value - 1, 26)
        out = chr(ord("A") + rest) + out
    return out


def display_number(number: str, scheme: str) -> str:
    """Return the section `number` ("2.1", as the model stores it) in `scheme`.

    ``"1.1"`` gives ``2.1``; ``"I.A"`` gives ``II.A`` (then 1, a, ...); ``"none"`` gives ``""``.
    """
    if scheme == "none" or not number:
        return ""
    if scheme == "1.1":
        return number
    parts = [int(p) for p in number.split(".")]
    styles: list[Callable[[int], str]] = [roman, letters, str, lambda n: letters(n).lower()]
    return ".".join(styles[min(i, 3)](p) for i, p in enumerate(parts))


def heading_text_number(section: Section, template: Template) -> str:
    """Return the number printed before `section`'s title ("" when unnumbered)."""
    if section.number is None or not section.numbered:
        return ""
    return display_number(section.number, template.numbering)


def caption_label(kind: str, number: int | None, template: Template) -> str:
    """Return "Table 2" / "Figure 3" for a caption of `kind` ("tbl" or "fig")."""
    word = template.table_label if kind == "tbl" else template.figure_label
    return f"{word} {number}" if number is not None else word


def ref_text(ref: Ref, template: Template) -> str:
    """Return the text of a cross-reference: "Section 2.1", "Figure 3", "Table 1".

    An unresolved reference gives the visible marker ``[?sec:label]``.
    """
    if ref.number is None:
        return f"[?{ref.label}]"
    kind = ref.kind
    if kind == "sec":
        shown = display_number(ref.number, template.numbering) or ref.number
        return f"Section {shown}"
    word = template.table_label if kind == "tbl" else template.figure_label
    return f"{word} {ref.number}"


@dataclass(frozen=True, slots=True)
class AuthorBlock:
    """Author names with affiliation marks, and the numbered affiliations they point at.

    `names` pairs each name with its mark ("1", "1,2" or "" when there is one affiliation or
    none); `affiliations` pairs each mark with its affiliation; `emails` lists e-mails.
    """

    names: list[tuple[str, str]]
    affiliations: list[tuple[str, str]]
    emails: list[str]


def author_block(paper: Paper) -> AuthorBlock:
    """Return the author lines of `paper`, marks numbered in order of first appearance."""
    order: list[str] = []
    for author in paper.authors:
        if author.affiliation and author.affiliation not in order:
            order.append(author.affiliation)
    marked = len(order) > 1
    names = []
    for author in paper.authors:
        mark = str(order.index(author.affiliation) + 1) if marked and author.affiliation else ""
        names.append((author.name, mark))
    affiliations = [(str(i + 1) if marked else "", aff) for i, aff in enumerate(order)]
    emails = [a.email for a in paper.authors if a.email]
    return AuthorBlock(names, affiliations, emails)


def running_title(paper: Paper, template: Template) -> str:
    """Return the running-header text: the title, or the part before its colon, or ""."""
    if template.running_header == "none":
        return ""
    title = plain_text(paper.title)
    if template.running_header == "short-title" and ":" in title:
        return title.split(":", 1)[0].strip()
    return title


def entry_anchor(key: str) -> str:
    """Return the anchor id of the reference-list entry for citation `key`."""
    return f"ref-{key}"
