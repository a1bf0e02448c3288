"""How big things are on the Word page: table column widths and figure sizes.

Kept apart from :mod:`.docx` so the writer stays about content; the numbers all derive from
the template (text width, page height, font size).
"""

from __future__ import annotations

import io

from docx.image.image import Image
from docx.shared import Emu, Mm, Pt

from ..errors import InputError
from ..model import Figure, Inline
from ..templates import Template
from ..walk import plain_text

__all__ = ["column_widths", "word_image", "fit_image"]

#: Left and right cell padding in tables, twips (the table style uses it too).
CELL_MARGIN = 100


#: reportlab's built-in metrics for the Word families (the Liberation fonts share them).
_METRICS = {"Times New Roman": ("Times-Roman", "Times-Bold"), "Arial": ("Helvetica",
            "Helvetica-Bold"), "Courier New": ("Courier", "Courier-Bold")}


def _text_width(text: str, family: str, size: float, bold: bool) -> float:
    """Return the width of `text` in points; East Asian characters count one em."""
    from reportlab.pdfbase.pdfmetrics import stringWidth

    regular, heavy = _METRICS.get(family, ("Times-Roman", "Times-Bold"))
    wide = sum(1 for c in text if ord(c) >= 0x2E80)
    narrow = "".join(c for c in text if ord(c) < 0x2E80)
    width: float = stringWidth(narrow, heavy if bold else regular, size)
    return width + wide * size


def column_widths(rows: list[list[list[Inline]]], columns: int, template: Template, *,
                  header: bool) -> list[Emu]:
    """Return table column widths: each column's text on one line when the table fits the
    text width; otherwise the columns that fit keep their width and the others share the
    rest in proportion, never narrower than their longest word.

    `header` says the first row is the (bold) header row.
    """
    # Cells are set in the caption size ("Table Text"), as in the PDF.
    family, size = template.fonts.body.docx, template.caption_size
    padding = 2 * CELL_MARGIN / 20 + 3          # cell margins plus a little air, pt
    natural = [0.0] * columns
    least = [0.0] * columns
    for row_index, row in enumerate(rows):
        bold = header and row_index == 0
        for index, cell in enumerate(row[:columns]):
            text = plain_text(cell)
            natural[index] = max(natural[index], _text_width(text, family, size, bold))
            for word in text.split():
                least[index] = max(least[index], _text_width(word, family, size, bold))
    natural = [max(n, size) + padding for n in natural]
    least = [min(w + padding, n) for w, n in zip(least, natural)]
    available = template.page.text_width * 72 / 25.4
    widths = list(natural)
    if sum(natural) > available:
        # Water-filling: columns narrower than a fair share keep their width.
        flexible = set(range(columns))
        remaining = available
        while flexible:
            share = remaining / len(flexible)
            fitting = {c for c in flexible if natural[c] <= share}
            if not fitting:
                break
            flexible -= fitting
            remaining -= sum(natural[c] for c in fitting)
        total = sum(natural[c] for c in flexible)
        for c in flexible:
            widths[c] = max(least[c], remaining * natural[c] / total)
        scale = min(1.0, available / sum(widths))
        widths = [w * scale for w in widths]
    return [Emu(int(Pt(w))) for w in widths]


def word_image(data: bytes, figure: Figure) -> tuple[bytes, Image]:
    """Return image bytes Word can show, and their header, for `figure`'s `data`.

    PNG, JPEG, GIF, BMP and TIFF go in as they are. Anything else Pillow can read (WebP, a
    PNG with a damaged trailer) is converted to PNG; what nothing can read raises
    :class:`InputError` (PK105, as the PDF writer).
    """
    try:
        return data, Image.from_blob(data)
    except Exception:  # noqa: BLE001 - python-docx's header parsers raise many kinds
        pass
    try:
        from PIL import Image as PillowImage      # reportlab's dependency, so present

        with PillowImage.open(io.BytesIO(data)) as opened:
            opened.load()
            picture: PillowImage.Image = opened
            if picture.mode not in ("1", "L", "LA", "P", "RGB", "RGBA"):
                picture = picture.convert("RGBA")
            buffer = io.BytesIO()
            picture.save(buffer, "PNG")
        png = buffer.getvalue()
        return png, Image.from_blob(png)
    except Exception:  # noqa: BLE001 - any decoder failure means "not an image we can use"
        raise InputError.make("PK105", figure.pos,
                              detail=f"image '{figure.src}' is not in a format Word can show "
                                     "(PNG, JPEG, GIF, BMP, TIFF) and cannot be converted"
                              ) from None


def fit_image(image: Image, template: Template) -> tuple[Emu, Emu]:
    """Return the (width, height) of `image` at the text width, no taller than 60% of the
    page height (as the PDF writer), aspect ratio kept."""
    page = template.page
    max_width = int(Mm(page.text_width))           # EMU
    max_height = int(Mm(page.height * 0.6))
    ratio = image.px_height / image.px_width if image.px_width else 1.0
    width, height = max_width, int(max_width * ratio)
    if height > max_height:
        width, height = int(max_height / ratio), max_height
    return Emu(int(width)), Emu(int(height))
