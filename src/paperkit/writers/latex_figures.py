"""Figure files and table column specs for the LaTeX writer.

:func:`figure_file` names a figure's image deterministically (``figures/fig1.png``, the
extension from the bytes, not the source name) and refuses formats pdflatex cannot include.
:func:`table_columns` picks ``l``/``c``/``r`` columns when a table's text fits the line and
wrapping ``p{}`` columns sized to their content when it does not, so tables fit the text
width.
"""

from __future__ import annotations

import struct
import zlib

from ..model import Figure, Paper, Table
from ..resources import read_image
from ..templates import Template
from ..walk import plain_text

__all__ = ["sniff_image", "figure_file", "table_columns"]

_MM_PER_PT = 25.4 / 72.27


def sniff_image(data: bytes) -> tuple[str | None, str]:
    """Return (extension, format name) of image `data`; extension None when pdflatex,
    xelatex and lualatex cannot all include it (or it is not a well-formed image)."""
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return ("png", "PNG") if _png_intact(data) else (None, "a damaged PNG")
    if data.startswith(b"\xff\xd8\xff"):
        return "jpg", "JPEG"
    if data.startswith(b"%PDF-"):
        return "pdf", "PDF"
    for magic, name in [(b"GIF8", "GIF"), (b"II*\x00", "TIFF"), (b"MM\x00*", "TIFF"),
                        (b"BM", "BMP")]:
        if data.startswith(magic):
            return None, name
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return None, "WebP"
    if b"<svg" in data[:1024]:
        return None, "SVG"
    return None, "an unknown format"


def _png_intact(data: bytes) -> bool:
    """Return whether PNG `data` has sound chunks (lengths and CRCs) from IHDR to IEND.

    pdfTeX's PNG reader stops the whole run with a fatal error on a damaged chunk, so the
    writer checks first and reports the figure instead.
    """
    pos, first = 8, True
    while pos + 12 <= len(data):
        (length,) = struct.unpack(">I", data[pos:pos + 4])
        kind = data[pos + 4:pos + 8]
        end = pos + 8 + length
        if end + 4 > len(data) or (first and kind != b"IHDR"):
            return False
        (crc,) = struct.unpack(">I", data[end:end + 4])
        if zlib.crc32(data[pos + 4:end]) != crc:
            return False
        if first:
            width, height = struct.unpack(">II", data[pos + 8:pos + 16])
            if not (width and height):
                return False
        if kind == b"IEND":
            return True
        pos, first = end + 4, False
    return False


def figure_file(paper: Paper, figure: Figure, index: int) -> tuple[str | None, bytes, str]:
    """Return (output name, bytes, problem) for the `index`-th figure of `paper`.

    The name is ``figures/fig<index>.<ext>`` from the image's real format; it is None (and
    `problem` says why) for a format the TeX engines cannot include. A missing image raises
    :class:`~paperkit.errors.InputError` (PK104), as every writer does.
    """
    data = read_image(paper, figure)
    ext, kind = sniff_image(data)
    if ext is None:
        if kind.startswith("a damaged"):
            return None, b"", f"the image is {kind} (pdfTeX would stop on it)"
        return None, b"", f"{kind} images cannot be included by pdflatex (use PNG, JPEG or PDF)"
    return f"figures/fig{index}.{ext}", data, ""


def table_columns(table: Table, width: int, template: Template, *,
                  force_wrap: bool = False) -> str:
    """Return the longtable column spec for `table` (`width` columns).

    Columns are ``l``/``c``/``r`` (``default`` is ``l``) when the longest cells fit the
    line together; otherwise (or with `force_wrap`, for cells holding line breaks) every
    column wraps in a ``p{}`` whose width follows its content: short columns keep their
    natural width, long ones share the rest.
    """
    aligns = list(table.align) + ["default"] * (width - len(table.align))
    lengths = [1] * width
    for row in [table.header, *table.rows]:
        for i, cell in enumerate(row[:width]):
            lengths[i] = max(lengths[i], len(plain_text(cell)))
    # Text width in ems of the body font; a character is about half an em, and each
    # column has 2 \tabcolsep (6pt each) around it.
    line_em = template.page.text_width / (template.fonts.size * _MM_PER_PT)
    pad_em = 12 / template.fonts.size
    natural = [n * 0.5 + pad_em for n in lengths]
    if not force_wrap and sum(natural) <= line_em:
        return "".join({"center": "c", "right": "r"}.get(a, "l") for a in aligns)
    widths = _share(natural, line_em)
    cols = []
    for align, part in zip(aligns, widths):
        flush = {"center": "\\centering", "right": "\\raggedleft"}.get(align, "\\raggedright")
        cols.append(f">{{{flush}\\arraybackslash}}"
                    f"p{{\\dimexpr {part / line_em:.4f}\\linewidth-2\\tabcolsep\\relax}}")
    return "".join(cols)


def _share(natural: list[float], total: float) -> list[float]:
    """Return column widths summing to `total`: narrow columns keep `natural`, the others
    split what is left in proportion to their natural widths."""
    fixed: dict[int, float] = {}
    while True:
        rest = [i for i in range(len(natural)) if i not in fixed]
        room = total - sum(fixed.values())
        if not rest:
            break
        fair = room / len(rest)
        small = {i: natural[i] for i in rest if natural[i] <= fair}
        if not small:
            weight = sum(natural[i] for i in rest)
            for i in rest:
                fixed[i] = room * natural[i] / weight
            break
        fixed.update(small)
    # All columns fitted their natural width (only when forced): spread the slack evenly.
    slack = total - sum(fixed.values())
    return [fixed[i] + slack / len(natural) for i in range(len(natural))]
