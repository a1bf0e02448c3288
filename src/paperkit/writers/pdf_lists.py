"""Lists in the PDF story: LaTeX's list geometry (indents, marks, spaces) and the item marks.

:class:`ListBuilder` is a base of :class:`~paperkit.writers.pdf_story.StoryBuilder`, which
provides the paragraph, block and style helpers it uses; :class:`Box` is where the story's
blocks go (style, indents, list depth).
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any

from reportlab.lib.styles import ParagraphStyle
from reportlab.platypus import Flowable, Spacer

from ..model import Block, Inline, Paragraph as ParagraphNode
from ..templates import Template
from .layout import LIST_MARGINS, letters, roman
from .pdf_mathtext import MathParagraph as Paragraph

__all__ = ["BULLETS", "LABEL_SEP", "LIST_SPACE", "QUOTE_SPACE", "Box",
           "ListBuilder", "ListSpace", "ordinal"]

BULLETS = ("•", "–", "∗", "·")
# LIST_MARGINS (layout): the indent of an item's text at each list depth (and a
# quotation's margins on both sides, a quotation being a list); the item's mark ends
# \labelsep (0.5 em) before it
LABEL_SEP = 5.45
#: LaTeX's \partopsep (3 pt) above and below a list, and \topsep plus \partopsep (12 pt)
#: above and below a quotation, beyond the space between paragraphs (TeX shrinks both a
#: little on a full page; reportlab cannot)
LIST_SPACE = 3.0
QUOTE_SPACE = 12.0


class ListSpace(Spacer):  # type: ignore[misc]  # reportlab is untyped
    """The space after a list or quotation; gone before a heading (\\addvspace: the heading's
    larger space before it takes its place)."""


@dataclass(frozen=True)
class Box:
    """Where blocks go: the paragraph style to derive from, extra indents, list depth.

    `bullets` and `numbers` count the enclosing bullet and numbered lists apart, since
    LaTeX picks an item's mark from the nesting of its own kind of list.
    """

    style: ParagraphStyle
    left: float = 0.0
    right: float = 0.0
    depth: int = 0
    in_note: bool = False
    bullets: int = 0
    numbers: int = 0


class ListBuilder:
    """The list part of the story builder."""

    template: Template

    if TYPE_CHECKING:
        def _style(self, box: Box, **changes: object) -> ParagraphStyle: ...
        def _paragraph(self, inlines: list[Inline], box: Box, style: ParagraphStyle,
                       **kwargs: Any) -> Paragraph: ...
        def _block(self, block: Block, box: Box, first: bool = False) -> list[Flowable]: ...

    def _list(self, items: list[list[Block]], box: Box, start: int | None
              ) -> list[Flowable]:
        out: list[Flowable] = []
        margin = LIST_MARGINS[min(box.depth, len(LIST_MARGINS) - 1)]
        inner = replace(box, left=box.left + margin, depth=box.depth + 1,
                        bullets=box.bullets + (start is None),
                        numbers=box.numbers + (start is not None))
        # LaTeX sets each mark flush right, \labelsep before the item's text
        item_style = self._style(inner, spaceAfter=2, firstLineIndent=0,
                                 bulletIndent=box.style.leftIndent + inner.left - LABEL_SEP,
                                 bulletAnchor="end", bulletFontName=box.style.fontName,
                                 bulletFontSize=box.style.fontSize)
        # the first item: \partopsep more than the space between paragraphs (or items)
        first_style = self._style(inner, spaceAfter=2, firstLineIndent=0,
                                  bulletIndent=item_style.bulletIndent, bulletAnchor="end",
                                  bulletFontName=box.style.fontName,
                                  bulletFontSize=box.style.fontSize,
                                  spaceBefore=LIST_SPACE + (
                                      2 if box.depth else self.template.paragraph_space_after))
        for number, item in enumerate(items, start or 1):
            mark = BULLETS[box.bullets % len(BULLETS)] if start is None else \
                ordinal(number, box.numbers)
            blocks = list(item)
            head = blocks[0] if blocks else None
            style = first_style if box.in_note is False and not out else item_style
            if isinstance(head, ParagraphNode):
                blocks.pop(0)
                out.append(self._paragraph(head.content, box, style, bulletText=mark))
            else:
                out.append(Paragraph("", style, bulletText=mark))
            for block in blocks:
                out.extend(self._block(block, inner))
        if out and not box.in_note:
            if box.depth == 0:
                out.append(Spacer(0, max(self.template.paragraph_space_after - 2, 0)))
            out.append(ListSpace(0, LIST_SPACE))
        return out


def ordinal(number: int, depth: int) -> str:
    """Return the mark of item `number` of an ordered list at nesting `depth` (LaTeX's)."""
    match depth % 3:
        case 0:
            return f"{number}."
        case 1:
            return f"({letters(number).lower()})"
        case _:
            return f"{roman(number).lower()}."


