"""SVG figures in Word: the SVG itself, with a PNG of it as the fallback.

Word 2016 and later show an SVG picture stored as Word stores one: the picture's
``a:blip`` names a PNG (what older Word and LibreOffice show) and carries, in an
``a:extLst`` extension, an ``asvg:svgBlip`` naming the SVG part. The PNG is the SVG drawn
by svglib into a PDF and rasterized by poppler's ``pdftoppm`` at 150 dpi (reportlab's own
renderPM needs a Cairo backend that is not a dependency); without pdftoppm, or when
svglib cannot read the file, it is a blank transparent PNG of the SVG's proportions
(``width``/``height`` or ``viewBox``).
"""

from __future__ import annotations

import io
import re
import shutil
import struct
import subprocess
import tempfile
import zlib
from pathlib import Path

from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.opc.part import Part
from docx.oxml import parse_xml
from docx.oxml.ns import qn
from docx.text.run import Run

from ..errors import InputError
from ..model import Figure

__all__ = ["is_svg", "svg_size", "blank_png", "fallback_png", "attach_svg"]

_SVG_EXTENSION = "{96DAC541-7B7A-43D3-8B79-37D633B846F1}"
_ASVG = "http://schemas.microsoft.com/office/drawing/2016/SVG/main"
_R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_A = "http://schemas.openxmlformats.org/drawingml/2006/main"
#: CSS pixels per unit (96 px to the inch)
_UNITS = {"": 1.0, "px": 1.0, "pt": 96 / 72, "pc": 16.0, "mm": 96 / 25.4, "cm": 96 / 2.54,
          "in": 96.0}
_LENGTH = re.compile(r"\s*([0-9.]+(?:[eE][-+]?[0-9]+)?)\s*([a-z]*)\s*$")
_SVG_TAG = re.compile(r"<svg\b([^>]*)>", re.S)
_ATTRIBUTE = re.compile(r"([A-Za-z_][\w:.-]*)\s*=\s*(\"[^\"]*\"|'[^']*')")
# the longest side of the fallback PNG, in pixels: enough for its proportions
_FALLBACK_SIDE = 400


def is_svg(src: str, data: bytes) -> bool:
    """Return whether the image `src` with bytes `data` is an SVG file."""
    if src.lower().endswith(".svg"):
        return True
    head = data[:512].lstrip()
    return head.startswith(b"<svg") or (head.startswith(b"<?xml") and b"<svg" in data[:4096])


def _length(value: str | None) -> float | None:
    found = _LENGTH.match(value or "")
    if found is None or found.group(2) not in _UNITS:
        return None
    return float(found.group(1)) * _UNITS[found.group(2)]


def svg_size(data: bytes, figure: Figure) -> tuple[float, float]:
    """Return the SVG's (width, height) in CSS pixels; PK105 when it has no ``<svg>``.

    The root tag's attributes are read with a pattern, not an XML parser: nothing in the
    file (a DTD, entities) is expanded here; the PDF writer's svglib parses it in full.
    """
    text = data[:65536].decode("utf-8", "replace")
    tag = _SVG_TAG.search(text)
    if tag is None:
        raise InputError.make("PK105", figure.pos,
                              detail=f"image '{figure.src}' is not an SVG file (no <svg> "
                                     "element)")
    attributes = {name: value[1:-1] for name, value in _ATTRIBUTE.findall(tag.group(1))}
    width, height = _length(attributes.get("width")), _length(attributes.get("height"))
    box = attributes.get("viewBox", "").replace(",", " ").split()
    if len(box) == 4 and (width is None or height is None):
        try:
            box_width, box_height = float(box[2]), float(box[3])
        except ValueError:
            box_width = box_height = 0.0
        if box_width > 0 and box_height > 0:
            if width is None and height is None:
                width, height = box_width, box_height
            elif width is None:
                width = (height or box_height) * box_width / box_height
            else:
                height = width * box_height / box_width
    return (width if width and width > 0 else 300.0,
            height if height and height > 0 else 150.0)


def blank_png(width: float, height: float) -> bytes:
    """Return a transparent PNG of `width` x `height`'s proportions (the fallback)."""
    scale = _FALLBACK_SIDE / max(width, height)
    w, h = max(1, round(width * scale)), max(1, round(height * scale))

    def chunk(kind: bytes, body: bytes) -> bytes:
        return struct.pack(">I", len(body)) + kind + body + \
            struct.pack(">I", zlib.crc32(kind + body) & 0xFFFFFFFF)

    rows = b"".join(b"\x00" + b"\x00" * (4 * w) for _ in range(h))
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", w, h, 8, 6, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(rows, 9)) + chunk(b"IEND", b""))


def fallback_png(svg: bytes, figure: Figure) -> bytes:
    """Return the PNG to show where SVG is not read: the drawing rasterized, else blank."""
    drawn = _rasterize(svg)
    return drawn if drawn is not None else blank_png(*svg_size(svg, figure))


def _rasterize(svg: bytes) -> bytes | None:
    tool = shutil.which("pdftoppm")
    if tool is None:
        return None
    try:
        import logging

        from reportlab.graphics import renderPDF
        from svglib.svglib import svg2rlg

        # svglib logs what it skips; a build reports its own problems (as the PDF writer)
        logging.getLogger("svglib.svglib").addHandler(logging.NullHandler())

        drawing = svg2rlg(io.BytesIO(svg))
        if drawing is None:
            return None
        pdf = renderPDF.drawToString(drawing)
        with tempfile.TemporaryDirectory(prefix="paperkit-svg-") as folder:
            source = Path(folder) / "figure.pdf"
            source.write_bytes(pdf)
            subprocess.run([tool, "-png", "-r", "150", "-singlefile", str(source),
                            str(Path(folder) / "figure")], check=True, timeout=30,
                           stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            return (Path(folder) / "figure.png").read_bytes()
    except Exception:  # noqa: BLE001 - any failure leaves the blank fallback
        return None


def attach_svg(run: Run, data: bytes) -> None:
    """Store `data` as an SVG part and name it in the picture of `run` (added just before
    with the fallback PNG), as Word does."""
    part = run.part
    package = part.package
    svg = Part(package.next_partname("/word/media/image%d.svg"), "image/svg+xml", data,
               package)
    r_id = part.relate_to(svg, RT.IMAGE)
    blip = run._r.find(".//" + qn("a:blip"))
    if blip is None:
        return
    blip.append(parse_xml(
        f'<a:extLst xmlns:a="{_A}"><a:ext uri="{_SVG_EXTENSION}"><asvg:svgBlip '
        f'xmlns:asvg="{_ASVG}" xmlns:r="{_R}" r:embed="{r_id}"/></a:ext></a:extLst>'))
