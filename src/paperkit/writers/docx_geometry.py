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


def column_widths(rows: list[list[list[Inline]]], columns: int, template: Template
                   ) -> list[Emu]:
    """Return column widths from each column's longest cell, fitted to the text width.

    A column is as wide as its longest text (an average glyph is half the font size) up to
    the text width; when the columns together are wider, they shrink in proportion.
    """
    em = template.fonts.size
    natural = []
    for index in range(columns):
        longest = max((len(plain_text(row[index])) for row in rows if index < len(row)),
                      default=0)
        natural.append(max(3.0, min(longest, 80)) * em * 0.5 + 2 * CELL_MARGIN / 20 + 2)
    available = template.page.text_width * 72 / 25.4
    scale = min(1.0, available / sum(natural))
    return [Emu(int(Pt(points * scale))) for points in natural]


def word_image(data: bytes, figure: Figure) -> tuple[bytes, Image]:
    """Return image bytes Word can show, and their header, for `figure`'s `data`.

    PNG, JPEG, GIF, BMP and TIFF go in as they are. Anything else Pillow can read (WebP, a
    PNG with a damaged trailer) is converted to PNG; what nothing can read raises
    :class:`InputError` (PK109).
    """
    try:
        return data, Image.from_blob(data)
    except Exception:  # noqa: BLE001 - python-docx's header parsers raise many kinds
        pass
    try:
        from PIL import Image as PillowImage      # reportlab's dependency, so present

        with PillowImage.open(io.BytesIO(data)) as picture:
            picture.load()
            if picture.mode not in ("1", "L", "LA", "P", "RGB", "RGBA"):
                picture = picture.convert("RGBA")
            buffer = io.BytesIO()
            picture.save(buffer, "PNG")
        png = buffer.getvalue()
        return png, Image.from_blob(png)
    except Exception:  # noqa: BLE001 - any decoder failure means "not an image we can use"
        raise InputError.make("PK109", figure.pos,
                              detail=f"image '{figure.src}' is not in a format Word can show "
                                     "(PNG, JPEG, GIF, BMP, TIFF) and cannot be converted"
                              ) from None


def fit_image(image: Image, template: Template) -> tuple[Emu, Emu]:
    """Return the (width, height) of `image` at the text width, no taller than 60% of the
    text height, aspect ratio kept."""
    page = template.page
    max_width = Mm(page.text_width)
    max_height = Mm((page.height - page.top - page.bottom) * 0.6)
    ratio = image.px_height / image.px_width if image.px_width else 1.0
    width, height = max_width, int(max_width * ratio)
    if height > max_height:
        width, height = int(max_height / ratio), max_height
    return Emu(int(width)), Emu(int(height))
