"""A resolved Paper -> the platypus story (a list of flowables) for the PDF writer.

:class:`StoryBuilder` walks the model in document order with one ``match`` per node type and
collects footnotes into the :class:`~paperkit.writers.pdf_flowables.NoteStore` as it meets
them, so notes are numbered 1, 2, ... through the document. Styles come from
:class:`~paperkit.writers.pdf_styles.Styles`; all text goes through
:mod:`~paperkit.writers.pdf_markup`.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any, assert_never

from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_LEFT, TA_RIGHT
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import getAscentDescent, stringWidth
from reportlab.platypus import (CondPageBreak, Flowable, HRFlowable, KeepTogether, PageBreak,
                                Spacer, Table, TableStyle, XPreformatted)

from ..model import (Block, BlockQuote, BulletList, CodeBlock, Figure, Inline, MathBlock, Note,
                     OrderedList, Paper, Paragraph as ParagraphNode, Section, Table as TableNode,
                     ThematicBreak)
from ..templates import Template
from ..walk import plain_text
from . import layout
from .pdf_figures import figure_image
from .pdf_fonts import register_family
from .pdf_doc import Anchor, Heading, anchors_of
from .pdf_flowables import NoteStore, NotesFlush, RaiseTop
from .pdf_markup import MarkupContext, dest_name, inline_markup, note_dest, text_markup
from .pdf_math import math_markup
# every paragraph may hold inline math, so every paragraph is a MathParagraph
from .pdf_mathtext import MathFlowable, MathParagraph as Paragraph, layout_math
from .pdf_styles import Styles
from .pdf_lists import QUOTE_SPACE, Box, ListBuilder, ListSpace
from .pdf_tables import column_widths
from .pdf_title import TitleBlock

__all__ = ["StoryBuilder"]

ALIGN = {"left": TA_LEFT, "center": TA_CENTER, "right": TA_RIGHT, "default": TA_LEFT}



class StoryBuilder(ListBuilder, TitleBlock):
    """Builds the flowables of one paper; collects its footnotes in `store`."""

    def __init__(self, paper: Paper, template: Template, styles: Styles, store: NoteStore
                 ) -> None:
        self.paper = paper
        self.template = template
        self.styles = styles
        self.store = store
        self.text_width = template.page.text_width * mm
        page = template.page
        self._body_height = (page.height - page.top - page.bottom) * mm
        anchors = anchors_of(paper)
        self.ctx = MarkupContext(styles.body.fontName, styles.mono, template, anchors,
                                 self._add_note, size=styles.body.fontSize)
        self.note_ctx = replace(self.ctx, add_note=None, size=styles.note.fontSize)
        self._sized: dict[tuple[float, bool], MarkupContext] = {}
        self._derived: dict[tuple[object, ...], ParagraphStyle] = {}
        self._outline_level = -1
        self._unlabelled = 0
        self._headings = 0

    # ------------------------------------------------------------------ whole paper

    def story(self) -> list[Flowable]:
        """Return the complete story: title block, body, references, then a notes flush."""
        out = self._title_block()
        self._space_abstract_label(out)
        title = self.styles.title
        size = self.styles.body.fontSize
        if self.paper.title and self.template.title_layout == "header":
            # LaTeX sets the title's first baseline the height of its letters (at least
            # \topskip, the body size) below the top margin, not a whole font size
            ascent = getAscentDescent(title.fontName, title.fontSize)[0]
            out.insert(0, RaiseTop(title.fontSize - max(ascent, size)))
        elif self.paper.title and self.template.title_layout == "page":
            # on a title page, below \topskip and the \vspace* of the gap: the centre
            # environment's \topsep and \partopsep (size - 2 and 3 pt), then the title's
            # own baselineskip
            out.insert(0, RaiseTop(title.fontSize - (size + size + 1 + title.leading)))
        out.extend(self._blocks(self.paper.blocks, Box(self.styles.body)))
        for section in self.paper.sections:
            out.extend(self._section(section))
        out.extend(self._bibliography())
        out.append(NotesFlush())
        return [flowable for index, flowable in enumerate(out)
                if not (isinstance(flowable, ListSpace) and index + 1 < len(out)
                        and isinstance(out[index + 1], CondPageBreak))]

    def _space_abstract_label(self, out: list[Flowable]) -> None:
        """Move the abstract's label to LaTeX's distance from the title block's last line.

        LaTeX measures it from that line's baseline whatever its size; the label style's
        space before is set for a date line above it.
        """
        label, date = self.styles.abstract_label, self.styles.date
        for above, flowable in zip(out, out[1:]):
            if isinstance(flowable, Paragraph) and flowable.style is label \
                    and isinstance(above, Paragraph):
                shift = (date.leading - date.fontSize) - (above.style.leading
                                                          - above.style.fontSize)
                flowable.style = self._derived_style(
                    label, spaceBefore=max(label.spaceBefore + shift, 0))

    # ------------------------------------------------------------------ sections

    def _heading(self, text: str, outline_title: str, key: str, level: int) -> Heading:
        # PDF outlines may only go one level deeper at a time (a jump from 1 to 3 is
        # a PK405 warning, not an error), so clamp.
        outline_level = min(level - 1, self._outline_level + 1)
        self._outline_level = outline_level
        heading = Heading(f'<a name="{dest_name(key)}"/>{text}', self.styles.heading(level))
        self._headings += 1
        heading.outline = (outline_title, f"pk-outline-{self._headings}", outline_level)
        return heading

    def _section(self, section: Section) -> list[Flowable]:
        number = layout.heading_text_number(section, self.template)
        title = inline_markup(section.title, self.ctx)
        plain = plain_text(section.title)
        # reportlab folds an em space into a plain one; no-break spaces keep LaTeX's
        # one-em gap between a heading's number and its title
        text = f"{number}\u00a0\u00a0\u00a0\u00a0{title}" if number else title
        self._unlabelled += 1
        key = section.label or f"pk-section-{self._unlabelled}"
        out: list[Flowable] = [self._heading(text, f"{number} {plain}".strip(), key,
                                             section.level)]
        out.extend(self._blocks(section.blocks, Box(self.styles.body), after_heading=True))
        for sub in section.subsections:
            nested = self._section(sub)
            if len(out) == 1 and isinstance(nested[0], CondPageBreak):
                # a heading right under its parent's: LaTeX drops the space before it
                # (\@startsection adds none while \@nobreak holds), leaving the parent's
                # space after; the conditional break between them passes that space on
                nested[0]._SPACETRANSFER = True
                parent, child = out[0], nested[1]
                child.style = self._derived_style(child.style, spaceBefore=0)
                # the parent's space after is set for a body line below it (pdf_styles):
                # reset it for the child heading's own line spacing
                body_extra, child_extra = (style.leading - style.fontSize
                                           for style in (self.styles.body, child.style))
                parent.style = self._derived_style(parent.style, spaceAfter=max(
                    parent.style.spaceAfter - body_extra + child_extra, 0))
            out.extend(nested)
        return self._keep_heading(out)

    def _keep_heading(self, out: list[Flowable]) -> list[Flowable]:
        """Return `out` (a heading, then what follows it) led by a conditional page break.

        A heading must not end a page: it needs room for itself and the start of what
        follows (three lines of a paragraph, a whole figure, a table's caption and first
        rows, the next heading's own need). reportlab's keepWithNext would instead keep the
        heading with *all* of the next paragraph, leaving half-empty pages.
        """
        heading = out[0]
        _, height = heading.wrap(self.text_width, 1e6)
        need = height + heading.getSpaceBefore() + heading.getSpaceAfter()
        follower = out[1] if len(out) > 1 else None
        lines = 3 * self.styles.body.leading
        match follower:
            case None:
                pass
            case CondPageBreak():
                need += follower.height
            case Paragraph():
                need += min(3, 1 + follower.text.count(" ") // 12) * follower.style.leading \
                    if isinstance(follower.text, str) else lines
            case KeepTogether():        # a figure: image, caption and spacers
                need += min(sum(part.wrap(self.text_width, 1e6)[1] + part.getSpaceBefore()
                                for part in follower._content),
                            self.template.page.height * mm * 0.6)
            case _:
                need += min(follower.wrap(self.text_width, 1e6)[1], lines)
        return [CondPageBreak(need), *out]

    def _bibliography(self) -> list[Flowable]:
        entries = self.paper.bibliography
        if not entries:
            return []
        title = text_markup(self.template.references_title, self.ctx)
        out: list[Flowable] = [self._heading(title, self.template.references_title,
                                             "pk-references", 1)]
        # the references heading follows level 1's look (APA centres it)
        for entry in entries:
            anchor = f'<a name="{dest_name(layout.entry_anchor(entry.key))}"/>'
            style = self.styles.reference
            out.append(Paragraph(anchor + inline_markup(entry.content,
                                                        self._context(style.fontSize)), style))
        if self.template.references_new_page:
            return [PageBreak(), *out]
        return self._keep_heading(out)

    # ------------------------------------------------------------------ blocks

    def _style(self, box: Box, **changes: object) -> ParagraphStyle:
        """Return `box.style` moved by the box's indents, with `changes` (cached)."""
        key = (box.style.name, box.left, box.right, tuple(sorted(changes.items())))
        style = self._derived.get(key)
        if style is None:
            style = ParagraphStyle(f"{box.style.name}-{len(self._derived)}", parent=box.style,
                                   leftIndent=box.style.leftIndent + box.left,
                                   rightIndent=box.style.rightIndent + box.right, **changes)
            self._derived[key] = style
        return style

    def _context(self, size: float, in_note: bool = False) -> MarkupContext:
        """Return the markup context for text of `size` points (in a footnote or not)."""
        base = self.note_ctx if in_note else self.ctx
        if size == base.size:
            return base
        key = (size, in_note)
        ctx = self._sized.get(key)
        if ctx is None:
            ctx = self._sized[key] = replace(base, size=size)
        return ctx

    def _markup(self, inlines: list[Inline], box: Box) -> str:
        return inline_markup(inlines, self._context(box.style.fontSize, box.in_note))

    def _paragraph(self, inlines: list[Inline], box: Box, style: ParagraphStyle, **kwargs: object
                   ) -> Paragraph:
        """Return a Paragraph of `inlines`; its lines grow around tall inline math."""
        ctx = self._context(style.fontSize, box.in_note)
        ctx.tall_math = False
        markup = inline_markup(inlines, ctx)
        if ctx.tall_math:
            style = ParagraphStyle(f"{style.name}-tall", parent=style, autoLeading="max")
        return Paragraph(markup, style, **kwargs)

    def _abstract_box(self, style: ParagraphStyle) -> Box:
        """Return the box the abstract's blocks go in, with paragraph style `style`."""
        return Box(style)

    def _blocks(self, blocks: list[Block], box: Box, after_heading: bool = False
                ) -> list[Flowable]:
        out: list[Flowable] = []
        for index, block in enumerate(blocks):
            made = self._block(block, box, first=after_heading and index == 0)
            if isinstance(block, ThematicBreak) and index and \
                    isinstance(blocks[index - 1], CodeBlock) and not box.in_note:
                # LaTeX: 33 pt from the last code line to the rule, as to a paragraph
                made[0].spaceBefore = 31.0
            out.extend(made)
        return out

    def _block(self, block: Block, box: Box, first: bool = False) -> list[Flowable]:
        match block:
            case ParagraphNode(content=content):
                style = self._style(box, firstLineIndent=0) if first else self._style(box)
                return [self._paragraph(content, box, style)]
            case BulletList(items=items):
                return self._list(items, box, None)
            case OrderedList(items=items, start=start):
                return self._list(items, box, start)
            case BlockQuote(blocks=inner):
                # LaTeX's quote is a list: its margins on both sides are the \leftmargin of
                # its list depth (2.5 em at the top, narrower inside), and what it holds is
                # one list deeper (nine nested quotes still leave a third of the line)
                margins = layout.LIST_MARGINS
                margin = margins[min(box.depth, len(margins) - 1)]
                quote = replace(box, style=self.styles.quote if not box.in_note else box.style,
                                left=box.left + margin, right=box.right + margin,
                                depth=box.depth + 1)
                blocks = self._blocks(inner, quote)
                if box.in_note or not blocks:
                    return blocks
                # LaTeX's quote is a list: \topsep and \partopsep above (not under a
                # heading) and below it
                lead = [] if first else [Spacer(0, QUOTE_SPACE)]
                return [*lead, *blocks, ListSpace(0, QUOTE_SPACE)]
            case CodeBlock(text=text):
                return [self._code(text, box)]
            case MathBlock(tex=tex):
                return [self._display_math(tex, box)]
            case ThematicBreak():
                # LaTeX's \pkrule: a line of its own after \parskip and 3 pt, the rule
                # raised 0.5 ex: 20 pt below the baseline above, 22.6 pt above the next
                return [HRFlowable(width="30%", thickness=0.5, color=colors.grey,
                                   spaceBefore=17, spaceAfter=11.3, hAlign="CENTER")]
            case TableNode() as table:
                return self._table(table)
            case Figure() as figure:
                return self._figure(figure, box.in_note)
            case _:
                assert_never(block)

    def _display_math(self, tex: str, box: Box) -> Flowable:
        style = self._style(_replace_box(box, self.styles.math))
        size = self.styles.note.fontSize if box.in_note else style.fontSize
        typeset = layout_math(tex, size, display=True)
        if typeset is None:            # mathtext cannot set it: readable text instead
            markup = math_markup(tex, lambda s: text_markup(s, self.ctx))
            return Paragraph(markup, style)
        # LaTeX's \abovedisplayskip and \belowdisplayskip: about the body size
        space = max(style.spaceAfter, size * 0.9)
        return MathFlowable(typeset, space, space, style.leftIndent, style.rightIndent)

    def _code(self, text: str, box: Box) -> Flowable:
        register_family(self.styles.mono)
        if box.in_note:
            size = self.styles.note.fontSize - 1
            style = self._style(_replace_box(box, self.styles.code), fontSize=size,
                                leading=size * 1.2, spaceBefore=2, spaceAfter=2)
        else:
            style = self._style(_replace_box(box, self.styles.code))
        width = self.text_width - style.leftIndent - style.rightIndent - 8
        per_line = max(int(width / stringWidth("M", style.fontName, style.fontSize)), 20)
        lines: list[str] = []
        for line in text.expandtabs(4).split("\n"):
            while len(line) > per_line:        # XPreformatted never wraps: wrap by hand
                lines.append(line[:per_line])
                line = line[per_line:]
            lines.append(line)
        return XPreformatted(text_markup("\n".join(lines), self.ctx), style)

    # ------------------------------------------------------------------ tables, figures

    def _caption(self, kind: str, number: int | None, caption: list[Inline], label: str | None
                 ) -> Paragraph:
        word = text_markup(layout.caption_label(kind, number, self.template), self.ctx)
        body = inline_markup(caption, self._context(self.styles.caption.fontSize))
        anchor = f'<a name="{dest_name(label)}"/>' if label else ""
        style = self.styles.caption
        if self.template.caption_layout == "stacked":
            # APA: the label in bold on a line of its own, the caption in italics below
            text = f"{anchor}<b>{word}</b>" + (f"<br/><i>{body}</i>" if caption else "")
            widest = max(stringWidth(word, style.fontName, style.fontSize),
                         stringWidth(plain_text(caption), style.fontName, style.fontSize))
        else:
            text = f"{anchor}<b>{word}:</b> {body}" if caption else f"{anchor}<b>{word}</b>"
            widest = stringWidth(f"{word}: {plain_text(caption)}", style.fontName,
                                 style.fontSize)
        if widest > self.text_width:
            style = self.styles.caption_long     # several lines: justified, not centred
        return Paragraph(text, style)

    def _table(self, table: TableNode) -> list[Flowable]:
        s = self.styles
        columns = max([len(table.header)] + [len(row) for row in table.rows] + [1])
        aligns = list(table.align) + ["default"] * (columns - len(table.align))

        def cell(inlines: list[Inline], column: int, head: bool) -> Paragraph:
            base = s.cell_head if head else s.cell
            style = self._cell_style(base, aligns[column])
            return Paragraph(inline_markup(inlines, self._context(style.fontSize)), style)

        def row_cells(row: list[list[Inline]], head: bool) -> list[Paragraph]:
            padded = list(row) + [[]] * (columns - len(row))
            return [cell(c, i, head) for i, c in enumerate(padded)]

        # The caption comes first, so footnotes in it are numbered before those in cells.
        caption = None
        if table.caption or table.number is not None:
            caption = self._caption("tbl", table.number, table.caption, table.label)
        data = ([row_cells(table.header, True)] if table.header else []) + \
            [row_cells(row, False) for row in table.rows]
        if not data:
            return []
        widths = column_widths(table, columns, self.styles, self.text_width)
        repeat = 1 if table.header else 0
        flowable = Table(data, colWidths=widths, repeatRows=repeat, hAlign="CENTER")
        flowable.wrap(self.text_width, 1e6)
        heights = flowable._rowHeights
        if max(heights) > self._body_height * 0.5:
            # A row taller than a page would stop the layout: let reportlab split rows
            # (only then, since LaTeX's longtable never splits a row either), and repeat
            # no header that could not fit a page itself.
            if repeat and flowable._rowHeights[0] > self._body_height * 0.25:
                repeat = 0
            flowable = Table(data, colWidths=widths, repeatRows=repeat, hAlign="CENTER",
                             splitInRow=1)
            flowable.wrap(self.text_width, 1e6)
        commands: list[tuple[Any, ...]] = [
            # cells are Paragraphs, but Table still sets its cell font (Helvetica by
            # default), which would put a non-embedded base-14 font into the PDF
            ("FONT", (0, 0), (-1, -1), s.cell.fontName, s.cell.fontSize),
            ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ("LEFTPADDING", (0, 0), (-1, -1), 5), ("RIGHTPADDING", (0, 0), (-1, -1), 5),
            # rows as tight as booktabs sets them, with its gaps at the rules only
            ("TOPPADDING", (0, 0), (-1, -1), 0), ("BOTTOMPADDING", (0, 0), (-1, -1), 0),
            ("TOPPADDING", (0, 0), (-1, 0), 3), ("BOTTOMPADDING", (0, -1), (-1, -1), 2.5),
            ("LINEABOVE", (0, 0), (-1, 0), 0.9, colors.black),
            ("LINEBELOW", (0, -1), (-1, -1), 0.9, colors.black),
            ("LINEBELOW", (0, "splitlast"), (-1, "splitlast"), 0.5, colors.black),
        ]
        if repeat:
            commands += [("LINEBELOW", (0, 0), (-1, 0), 0.5, colors.black),
                         ("BOTTOMPADDING", (0, 0), (-1, 0), 2),
                         ("TOPPADDING", (0, 1), (-1, 1), 3)]
        flowable.setStyle(TableStyle(commands))
        # LaTeX's longtable: 20 pt from the caption's baseline to the header's, and about
        # 12 pt more than a paragraph's space after the bottom rule (\LTpost, \parskip)
        flowable.spaceBefore = s.caption.spaceAfter + 1
        flowable.spaceAfter = s.body.fontSize + 11.6
        out: list[Flowable] = []
        if caption is not None:
            # Keep the caption with the header and first rows, but let a long table start
            # on this page (keepWithNext would move the whole table to the next page).
            _, caption_height = caption.wrap(self.text_width, 1e6)
            needed = caption_height + caption.style.spaceAfter + sum(heights[:4]) + 4
            needed = min(needed, self._body_height * 0.5)
            out.append(CondPageBreak(needed))
            out.append(caption)
        elif table.label:
            out.append(Anchor(dest_name(table.label)))
        out.append(flowable)
        return out

    def _cell_style(self, base: ParagraphStyle, align: str) -> ParagraphStyle:
        key = (base.name, "align", align)
        style = self._derived.get(key)
        if style is None:
            style = ParagraphStyle(f"{base.name}-{align}", parent=base, alignment=ALIGN[align])
            self._derived[key] = style
        return style

    def _figure(self, figure: Figure, in_note: bool = False) -> list[Flowable]:
        """Return `figure`: image and caption kept together on one page.

        In a footnote the parts stay loose and the image smaller: the footnote area
        measures and splits its flowables without a canvas, which KeepTogether needs.
        """
        share = 0.25 if in_note else 0.6
        max_height = self.template.page.height * mm * share
        image = figure_image(self.paper, figure, self.text_width, max_height)
        parts: list[Flowable] = []
        if figure.label:
            parts.append(Anchor(dest_name(figure.label)))
        caption = []
        if figure.caption or figure.number is not None:
            caption = [self._caption("fig", figure.number, figure.caption, None)]
        if self.template.figure_caption_position == "above":
            parts += [*caption, Spacer(0, 2), image]
        else:
            parts += [image, Spacer(0, 4), *caption]
        if in_note:
            return parts
        # LaTeX's \medskip after the figure, \parskip before what follows
        parts.append(Spacer(0, self.styles.body.fontSize * 0.72))
        keep = KeepTogether(parts)
        keep.spaceBefore = 4
        return [keep]

    # ------------------------------------------------------------------ notes

    def _add_note(self, note: Note) -> str:
        label = str(len(self.store.notes) + 1)
        self.store.notes[label] = []      # reserve the number before any nested content
        # a note's later paragraphs indent their first line (LaTeX: 1 em), since notes set
        # no space between paragraphs
        later = self._derived.get(("note-later",))
        if later is None:
            later = self._derived[("note-later",)] = ParagraphStyle(
                "note-later", parent=self.styles.note,
                firstLineIndent=self.styles.note.fontSize)
        box = Box(later, in_note=True)
        blocks = list(note.blocks)
        # LaTeX sets the mark (0.7 of the note size, raised 0.42 of it, black) right-aligned
        # in a box 1.8 em wide and the text right after it
        style = self.styles.note
        mark_size = round(style.fontSize * 0.7, 2)
        indent = round(max(1.8 * style.fontSize
                           - stringWidth(label, style.fontName, mark_size), 0), 2)
        key = ("note-first", indent)
        first_style = self._derived.get(key)
        if first_style is None:
            first_style = self._derived[key] = ParagraphStyle(
                f"note-{indent}", parent=style, firstLineIndent=indent)
        rise = round(style.fontSize * 0.42, 2)
        mark = (f'<a name="{note_dest(label)}"/>'
                f'<super size="{mark_size}" rise="{rise}">{label}</super>')
        head = ""
        first = blocks[0] if blocks else None
        if isinstance(first, ParagraphNode):
            blocks.pop(0)
            head = inline_markup(first.content, self.note_ctx)
        flowables: list[Flowable] = [Paragraph(mark + head, first_style)]
        flowables.extend(self._blocks(blocks, box))
        self.store.notes[label] = flowables
        return label


def _replace_box(box: Box, style: ParagraphStyle) -> Box:
    """Return `box` with its base style replaced by `style`."""
    return replace(box, style=style)
