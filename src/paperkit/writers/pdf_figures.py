"""Figure images for the PDF writer: PNG and JPEG as images, SVG as vector drawings.

Every image is scaled to the text width, or less when that would make it taller than
`max_height`. SVG files are converted with svglib (imported only when a paper has one) into
a reportlab ``Drawing``, so they stay vectors; text in them is set in the bundled Liberation
families instead of the PDF base-14 fonts svglib maps them to, which would not be embedded.
"""

from __future__ import annotations

import io
import logging
from pathlib import Path

from reportlab.graphics.shapes import Drawing, Group, String
from reportlab.pdfbase.pdfmetrics import standardFonts
from reportlab.platypus import Flowable, Image

from ..errors import InputError
from ..model import Figure, Paper
from ..resources import read_image, resolve_image
from .pdf_fonts import face_name, register_family

__all__ = ["is_svg", "figure_image"]

#: svglib's (base-14) font names -> the bundled family that replaces them.
_FAMILIES = {"Helvetica": "LiberationSans", "Times": "LiberationSerif",
             "Courier": "LiberationMono"}


def is_svg(src: str, data: bytes) -> bool:
    """Return whether the image `src` with bytes `data` is an SVG file."""
    if src.lower().endswith((".svg", ".svgz")):
        return True
    head = data[:512].lstrip()
    return head.startswith(b"<svg") or (head.startswith(b"<?xml") and b"<svg" in data[:4096])


def figure_image(paper: Paper, figure: Figure, width: float, max_height: float) -> Flowable:
    """Return `figure`'s image as a centred flowable at most `width` x `max_height` points.

    Raises :class:`InputError` (PK105) when the file cannot be read as an image.
    """
    data = read_image(paper, figure)
    if is_svg(figure.src, data):
        drawing = _svg(paper, figure, data)
        scale = min(width / drawing.width, max_height / drawing.height)
        drawing.renderScale = scale
        drawing.hAlign = "CENTER"
        return drawing
    try:
        image = Image(io.BytesIO(data))
        natural_width, natural_height = image.imageWidth, image.imageHeight
    except Exception as exc:          # reportlab/PIL raise many kinds on bad images
        raise _unreadable(figure, exc) from None
    scale = min(width / natural_width, max_height / natural_height)
    image.drawWidth, image.drawHeight = natural_width * scale, natural_height * scale
    image.hAlign = "CENTER"
    return image


def _unreadable(figure: Figure, reason: object) -> InputError:
    return InputError.make("PK105", figure.pos,
                           detail=f"image '{figure.src}' cannot be read: {reason}")


def _svg(paper: Paper, figure: Figure, data: bytes) -> Drawing:
    """Return the SVG `data` of `figure` as a Drawing with embeddable fonts."""
    from svglib.svglib import svg2rlg        # lxml and friends: only for papers with SVG

    root = Path(paper.source_dir).resolve()
    source: io.BytesIO | str = io.BytesIO(data)
    if figure.data is None:
        # a path lets svglib resolve the file's relative <image> references; it refuses
        # any outside the paper's folder
        source = str(resolve_image(paper, figure.src, figure.pos))
    logger = logging.getLogger("svglib")
    level = logger.level
    logger.setLevel(logging.ERROR)          # svglib warns about every unsupported attribute
    try:
        drawing = svg2rlg(source, external_reference_root=str(root))
    except Exception as exc:                 # lxml syntax errors, svglib conversion errors
        raise _unreadable(figure, exc) from None
    finally:
        logger.setLevel(level)
    if drawing is None or not drawing.width or not drawing.height:
        raise _unreadable(figure, "not a drawable SVG image")
    _embed_fonts(drawing)
    # the renderer starts every drawing by selecting its initial font (Helvetica by default)
    drawing.initialFontName = register_family("LiberationSans")
    return drawing


def _embed_fonts(group: Group) -> None:
    """Set every String of `group` in a bundled family (svglib picks base-14 fonts)."""
    for node in group.contents:
        if isinstance(node, Group):
            _embed_fonts(node)
        elif isinstance(node, String):
            name = str(node.fontName)
            if name not in standardFonts:    # a TrueType font svglib found: embedded
                continue
            family = _FAMILIES.get(name.split("-")[0], "LiberationSans")
            bold = "Bold" in name
            italic = "Italic" in name or "Oblique" in name
            node.fontName = face_name(register_family(family), bold, italic)
