"""The Template as LaTeX values: geometry, font sizes, spacing, heading styles, fonts.

:func:`template_values` is the one mapping from a :class:`~paperkit.templates.Template` to
what ``latex.tex.j2`` prints in its preamble, so that the ``.tex`` output reads the same
shared decisions as the docx and pdf writers: the same margins in mm, the same body size and
baseline distance (``size * line_spacing``), the same heading sizes and spacing in pt.
Numbers are formatted here (``11``, ``12.7``) and size switches are finished
:class:`~paperkit.writers.latex_escape.Latex` fragments.
"""

from __future__ import annotations

from typing import Any

from ..templates import FontFamily, Template
from .latex_escape import Latex

__all__ = ["template_values", "number", "heading_command", "TEX_PT", "BASE_LEADING"]

#: TeX points (1/72.27 in) per PostScript point (1/72 in). The template's sizes are in the
#: points Word and reportlab use; TeX's ``pt`` is a little smaller, so every size goes to
#: TeX converted (``\fontsize{11.0412}``) and every length in ``bp``.
TEX_PT = 72.27 / 72

#: The document-class option for a body size: the nearest of the class's three (the class
#: size only scales what the template does not set, such as ``\small``).
CLASS_SIZES: tuple[float, ...] = (10.0, 11.0, 12.0)

#: Baseline of ``\normalsize`` as a multiple of the body size; setspace's stretch makes it
#: the template's line spacing.
BASE_LEADING = 1.2

#: Fonts xelatex/lualatex use for scripts the TeX Gyre fonts lack, by body family.
SCRIPT_FONTS = {"serif": "Liberation Serif", "sans": "Liberation Sans"}
CJK_FONTS = {"serif": "Noto Serif CJK JP", "sans": "Noto Sans CJK JP"}

_COMMANDS = {1: "section", 2: "subsection", 3: "subsubsection", 4: "paragraph"}


def number(value: float) -> str:
    """Return `value` as a short, exact-enough TeX number: ``11``, ``12.7``, ``1.0112``."""
    text = f"{value:.4f}".rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


def heading_command(level: int) -> str:
    """Return the LaTeX sectioning command for heading `level` (1 ``section`` ...)."""
    return _COMMANDS.get(level, "subparagraph")


def _stretch(template: Template) -> float:
    """Return the ``\\setstretch`` factor giving a baseline of size * line_spacing (the
    body's ``\\normalsize`` is redefined with a baseline of size * 1.2)."""
    return template.fonts.line_spacing / BASE_LEADING


def _size_switch(size: float, template: Template, leading: float | None = None) -> Latex:
    """Return ``\\fontsize{size}{skip}\\selectfont`` whose skip, once setspace stretches it,
    is `size` times `leading` (default: the template's line spacing).

    Headings, the title block, captions and table cells keep a fixed leading of their own
    (1.2 to 1.3, as the PDF writer sets them), so a double-spaced paper does not
    double-space its captions' second lines.
    """
    factor = template.fonts.line_spacing if leading is None else leading
    skip = size * TEX_PT * factor / _stretch(template)
    # The trailing space ends the control word, so text may follow directly.
    return Latex(f"\\fontsize{{{number(size * TEX_PT)}}}{{{number(skip)}}}\\selectfont ")


def _family(family: FontFamily) -> dict[str, str]:
    return {"latex": family.latex, "fontspec": family.fontspec}


def _page_number(template: Template) -> dict[str, Any] | None:
    """Return where fancyhdr puts the page number (``head``/``foot``, ``C``/``R``) and how
    it reads, or None for no page numbers."""
    if template.footer == "none":
        return None
    text = "\\thepage" if template.footer == "page" else "\\thepage\\ of \\pageref*{LastPage}"
    where, side = {"bottom-center": ("foot", "C"), "bottom-right": ("foot", "R"),
                   "top-right": ("head", "R")}[template.page_number_position]
    return {"where": where, "side": side, "text": Latex(text)}


def template_values(template: Template) -> dict[str, Any]:
    """Return the preamble variables of ``latex.tex.j2`` for `template`.

    Keys: ``page`` (mm), ``fonts`` (class size, custom body size, stretch, families),
    ``paragraph``, ``headings`` (one dict a sectioning command), ``sizes`` (size switches
    for the title block, abstract, captions, references), ``title_block``, ``footer``.
    """
    fonts = template.fonts
    size = fonts.size
    body = "sans" if fonts.body == fonts.sans else "serif"
    head_family = "sans" if fonts.headings == fonts.sans else "serif"
    headings = []
    for level in range(1, 6):
        style = template.heading(level)
        before = max(style.space_before, 0.01)
        # The next paragraph adds \parskip after the heading; subtract it so the gap is
        # the template's space-after, as in Word and the PDF (at least a hair: 0 would
        # make the heading run into the paragraph).
        after = max(style.space_after - template.paragraph_space_after, 0.01)
        # a space-after under \parskip: the difference is taken back after the heading
        shift = min(style.space_after - template.paragraph_space_after, 0)
        font = ["\\sffamily " if head_family == "sans" else "\\rmfamily ",
                _size_switch(style.size, template, 1.2), "\\color{pkheading}"]
        if style.bold:
            font.append("\\bfseries ")
        if style.italic:
            font.append("\\itshape ")
        headings.append({
            "level": level,
            "command": heading_command(level),
            "before": number(before),
            "after": number(after),
            "shift": number(shift),
            "font": Latex("".join(font)),
            "align": Latex("\\centering" if style.align == "center" else "\\raggedright"),
        })
    return {
        "page": {key: number(getattr(template.page, key))
                 for key in ("width", "height", "top", "bottom", "left", "right")},
        "fonts": {
            "class_size": number(min(CLASS_SIZES, key=lambda c: abs(c - size))),
            "size": number(size * TEX_PT),
            "baseline": number(size * TEX_PT * BASE_LEADING),
            # setspace sets footnotes single-spaced: their baseline is not stretched
            "note_size": number(max(size - 2, 6) * TEX_PT),
            "note_baseline": number(max(size - 2, 6) * TEX_PT * 1.2),
            "stretch": number(_stretch(template)),
            "serif": _family(fonts.serif),
            "sans": _family(fonts.sans),
            "mono": _family(fonts.mono),
            "body": body,
            "headings": head_family,
            "script_font": SCRIPT_FONTS[body],
            "cjk_font": CJK_FONTS[body],
        },
        "paragraph": {
            "indent": number(template.paragraph_indent),
            "space_after": number(template.paragraph_space_after),
            "align": template.align,
        },
        "headings": headings,
        "sizes": {
            "title": _size_switch(template.title_size, template, 1.2),
            "subtitle": _size_switch(template.subtitle_size, template, 1.2),
            "author": _size_switch(template.author_size, template, 1.3),
            "abstract": _size_switch(template.abstract_size, template),
            "abstract_label": _size_switch(template.abstract_size, template, 1.3),
            "caption": _size_switch(template.caption_size, template, 1.2),
            "references": _size_switch(template.references_size, template),
            "small": _size_switch(max(template.fonts.size - 2, 6), template, 1.2),
            "footer": _size_switch(max(template.fonts.size - 1.5, 6), template, 1.2),
            "quote": _size_switch(max(template.fonts.size - 1, 6), template),
            "affiliation": _size_switch(max(template.author_size - 1, 6), template, 1.25),
        },
        "colors": {"heading": template.heading_color[1:], "accent": template.accent_color[1:],
                   "box": template.box_color[1:]},
        "abstract_style": template.abstract_style,
        "captions": {"layout": template.caption_layout, "align": template.caption_align,
                     "figure_position": template.figure_caption_position},
        "page_number": _page_number(template),
        "references_new_page": template.references_new_page,
        "title_block": {
            "layout": template.title_layout,
            "align": template.title_align,
            # A title page shows no page number at its foot; one in the header stays.
            "numbered": template.title_layout != "page" or
            template.page_number_position == "top-right",
            "gap": number(3 * template.fonts.size * template.fonts.line_spacing),
            "heading_family": Latex("\\sffamily " if head_family == "sans" else "\\rmfamily "),
        },
        "abstract_indent": number(template.abstract_indent),
        "abstract_label": template.abstract_label,
        "keywords_label": template.keywords_label,
        "references_indent": number(template.references_indent),
        "footer": template.footer,
    }
