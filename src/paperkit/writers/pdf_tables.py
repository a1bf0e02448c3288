"""Table column widths for the PDF writer.

Columns get their natural width (the widest cell on one line) when the table fits the text
width; otherwise they are shrunk as an HTML table's automatic layout does, never below the
column's longest word.
"""

from __future__ import annotations

from reportlab.pdfbase.pdfmetrics import stringWidth

from ..model import Note, Table
from ..walk import iter_inlines, plain_text
from .pdf_styles import Styles

__all__ = ["column_widths"]


def column_widths(table: Table, columns: int, styles: Styles, text_width: float) -> list[float]:
    """Return column widths: natural when they fit, else shrunk toward longest words."""
    pad = 12.0            # cell padding 2 x 5 pt, plus slack so a fitting line never wraps
    s = styles
    natural = [pad + 6] * columns
    minimum = [pad + 6] * columns
    rows = [(table.header, True)] + [(row, False) for row in table.rows]
    for row, head in rows:
        style = s.cell_head if head else s.cell
        for i, inlines in enumerate(row[:columns]):
            text = plain_text(inlines)
            marks = sum(isinstance(node, Note) for node in iter_inlines(inlines))
            width = stringWidth(text, style.fontName, style.fontSize) + pad + 6 * marks
            longest = max((stringWidth(w, style.fontName, style.fontSize)
                           for w in text.split()), default=0) + pad
            natural[i] = max(natural[i], width)
            minimum[i] = max(minimum[i], min(longest, text_width / columns))
    if sum(natural) <= text_width:
        return natural
    # Like an HTML table's automatic layout: columns narrower than an even share keep
    # their natural width; the wide ones share what is left in proportion to their
    # natural widths, never below their longest word.
    fixed: dict[int, float] = {}
    while len(fixed) < columns:
        left = text_width - sum(fixed.values())
        wide = [i for i in range(columns) if i not in fixed]
        narrow = [i for i in wide if natural[i] <= left / len(wide)]
        if narrow:
            fixed.update((i, natural[i]) for i in narrow)
            continue
        weight = sum(natural[i] for i in wide)
        share = {i: left * natural[i] / weight for i in wide}
        cramped = [i for i in wide if minimum[i] > share[i]]
        if cramped:
            fixed.update((i, minimum[i]) for i in cramped)
            continue
        fixed.update(share)
    widths = [fixed[i] for i in range(columns)]
    total = sum(widths)
    if total > text_width:            # longest words alone overflow: scale down
        widths = [w * text_width / total for w in widths]
    return widths
