"""The title block of the PDF story: title, authors, abstract and keywords as laid out by
the template (``title_layout``: header | cover | page; ``abstract_style``: plain | box | page).

:class:`TitleBlock` is a base of :class:`~paperkit.writers.pdf_story.StoryBuilder`, which
provides the block walker, markup contexts and the style cache it uses.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from reportlab.lib import colors
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import Flowable, PageBreak, Spacer, Table, TableStyle

from ..model import Paper
from ..templates import Template
from . import layout
from .pdf_markup import LINK_COLOR, MarkupContext, inline_markup, text_markup
from .pdf_mathtext import MathParagraph as Paragraph
from .pdf_styles import Styles

__all__ = ["TitleBlock"]


class TitleBlock:
    """The title-block part of the story builder."""

    paper: Paper
    template: Template
    styles: Styles
    ctx: MarkupContext
    text_width: float
    _derived: dict[tuple[object, ...], ParagraphStyle]

    if TYPE_CHECKING:
        def _context(self, size: float, in_note: bool = False) -> MarkupContext: ...
        def _blocks(self, blocks: list[Any], box: Any, after_heading: bool = False
                    ) -> list[Flowable]: ...
        def _abstract_box(self, style: ParagraphStyle) -> Any: ...

    def _title_block(self) -> list[Flowable]:
        """Return the title block, abstract and keywords as the template lays them out.

        ``title_layout``: ``header`` puts them atop page 1; ``cover`` puts the title block
        in a band of the accent colour; ``page`` starts it three body lines below the top
        margin and ends the page after it. ``abstract_style``: ``plain`` follows the title
        block, ``box`` sets abstract and keywords in a filled box with an accent rule, and
        ``page`` gives them a page of their own.
        """
        t, s = self.template, self.styles
        cover = t.title_layout == "cover"
        head = self._title_head(cover)
        summary = self._summary(t.abstract_style == "box")
        out: list[Flowable] = []
        if head and cover:
            out.append(self._filled_box(head, t.accent_color, 6 * mm))
            out.append(Spacer(0, s.body.fontSize))
        elif head and t.title_layout == "page":
            # APA: the title "three to four lines down" from the top margin
            out.append(Spacer(0, 3 * t.fonts.size * t.fonts.line_spacing))
            out.extend(head)
        else:
            out.extend(head)
        if summary and t.abstract_style == "page":
            if out:
                out.append(PageBreak())
            return out + summary + [PageBreak()]
        if summary and t.abstract_style == "box":
            box = self._filled_box(summary, t.box_color, 3.5 * mm, rule=t.accent_color)
            box.spaceBefore = 6
            out.append(box)
        else:
            out.extend(summary)
        if out and not cover:
            # before a first heading only a little: the heading brings its own space (LaTeX
            # sets about 40 pt from the abstract's last line to the first section's)
            starts_with_heading = bool(self.paper.sections) and not self.paper.blocks
            out.append(Spacer(0, 2 if starts_with_heading else s.body.fontSize))
        if t.title_layout == "page" and out:
            out.append(PageBreak())
        return out

    def _title_head(self, white: bool) -> list[Flowable]:
        """Return the title, subtitle, authors, affiliations, e-mails and date paragraphs
        (in white for a cover band)."""
        paper, s = self.paper, self.styles

        def look(style: ParagraphStyle) -> ParagraphStyle:
            if not white:
                return style
            return self._derived_style(style, textColor=colors.white)

        out: list[Flowable] = []
        if paper.title:
            out.append(Paragraph(inline_markup(paper.title, self._context(s.title.fontSize)),
                                 look(s.title)))
        if paper.subtitle:
            out.append(Paragraph(inline_markup(paper.subtitle,
                                               self._context(s.subtitle.fontSize)),
                                 look(s.subtitle)))
        block = layout.author_block(paper)
        if block.names:
            names = [text_markup(name, self.ctx) + (f"<super>{mark}</super>" if mark else "")
                     for name, mark in block.names]
            out.append(Paragraph(", ".join(names), look(s.authors)))
        for mark, affiliation in block.affiliations:
            prefix = f"<super>{mark}</super>" if mark else ""
            out.append(Paragraph(prefix + text_markup(affiliation, self.ctx),
                                 look(s.affiliation)))
        if block.emails:
            # coloured as every other link, and as the LaTeX title block shows them (white
            # on a cover band, as its other text)
            color = "white" if white else LINK_COLOR
            links = [f'<a href="mailto:{text_markup(e, self.ctx)}" color="{color}">'
                     f"{text_markup(e, self.ctx)}</a>" for e in block.emails]
            out.append(Paragraph(", ".join(links), look(s.affiliation)))
        if paper.date:
            out.append(Paragraph(text_markup(paper.date, self.ctx), look(s.date)))
        return out

    def _summary(self, boxed: bool) -> list[Flowable]:
        """Return the abstract (with its label) and the keywords line; `boxed` sets them
        for a box: the label in the box-label style and no side indents."""
        paper, s = self.paper, self.styles
        out: list[Flowable] = []
        abstract, keywords = s.abstract, s.keywords
        if boxed:
            abstract = self._derived_style(abstract, leftIndent=0, rightIndent=0)
            keywords = self._derived_style(keywords, leftIndent=0, rightIndent=0)
        if paper.abstract:
            label = s.box_label if boxed and s.box_label is not None else s.abstract_label
            out.append(Paragraph(text_markup(self.template.abstract_label, self.ctx), label))
            out.extend(self._blocks(paper.abstract, self._abstract_box(abstract)))
        if paper.keywords:
            words = text_markup(", ".join(paper.keywords), self.ctx)
            label = text_markup(self.template.keywords_label, self.ctx)
            out.append(Paragraph(f"<b>{label}:</b> {words}", keywords))
        return out

    def _filled_box(self, content: list[Flowable], fill: str, padding: float,
                    rule: str | None = None) -> Table:
        """Return `content` in a text-wide one-cell table filled with `fill`, padded by
        `padding` points, with a 2 pt rule of colour `rule` on its left edge if given."""
        commands: list[tuple[Any, ...]] = [
            ("BACKGROUND", (0, 0), (-1, -1), colors.HexColor(fill)),
            ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ("LEFTPADDING", (0, 0), (-1, -1), padding),
            ("RIGHTPADDING", (0, 0), (-1, -1), padding),
            ("TOPPADDING", (0, 0), (-1, -1), padding),
            ("BOTTOMPADDING", (0, 0), (-1, -1), padding),
            ("FONT", (0, 0), (-1, -1), self.styles.body.fontName, self.styles.body.fontSize),
        ]
        if rule is not None:
            commands.append(("LINEBEFORE", (0, 0), (0, -1), 2, colors.HexColor(rule)))
        box = Table([[content]], colWidths=[self.text_width], hAlign="LEFT")
        box.setStyle(TableStyle(commands))
        return box

    def _derived_style(self, style: ParagraphStyle, **changes: object) -> ParagraphStyle:
        """Return `style` with `changes` (cached by name and changes)."""
        key = (style.name, "derived", tuple(sorted(changes.items(), key=lambda kv: kv[0])))
        found = self._derived.get(key)
        if found is None:
            found = ParagraphStyle(f"{style.name}-{len(self._derived)}", parent=style,
                                   **changes)
            self._derived[key] = found
        return found
