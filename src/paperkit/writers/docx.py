"""Paper -> .docx with python-docx: Word's named styles from the template, native footnotes.

Every look decision comes from the :class:`~paperkit.templates.Template` through one function,
:func:`.docx_styles.define_styles`; the content only names styles. Headings use Word's
Heading styles with Word's own multilevel numbering attached to them, lists use real
numbering definitions, footnotes are Word footnotes, captions carry ``SEQ`` fields and every
cross-reference target is a bookmark. The document starts from the template's
``reference.docx`` when it has one (:mod:`.docx_reference`); the title block (header,
title page or cover band; plain, boxed or own-page abstract) is :mod:`.docx_title`'s, the
page setup, running header and page number :mod:`.docx_page`'s; the table of contents,
anchors and properties live in :mod:`.docx_front`; the OOXML python-docx cannot write in
:mod:`.docx_parts` and :mod:`.docx_elements`; TeX math becomes Office Math through
:mod:`.docx_math`.
"""

from __future__ import annotations

import io
from dataclasses import dataclass, replace
from datetime import datetime, timezone
from typing import assert_never, cast

from docx.document import Document as DocxDocument
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.image.image import Image
from docx.enum.text import WD_BREAK, WD_PARAGRAPH_ALIGNMENT
from docx.oxml.ns import qn
from docx.shared import Emu, Mm, Pt, Twips
from docx.table import Table as DocxTable
from docx.text.paragraph import Paragraph as DocxParagraph

from ..model import (Block, BlockQuote, BulletList, Cite, Code, CodeBlock, Emph, Figure, Inline,
                     LineBreak, Link, Math, MathBlock, Note, OrderedList, Paper, Paragraph, Ref,
                     Section, SmallCaps, Strong, Subscript, Superscript, Table, Text,
                     ThematicBreak)
from ..options import BuildOptions
from ..templates import Template
from ..walk import block_inlines, plain_text
from . import layout
from .docx_elements import (Bookmarks, RunSink, add_styled_paragraph, set_alt_text,
                            set_cell_paragraph, set_row_cant_split, set_table_header_row,
                            set_table_style, share_style_ids, StyleIds, xml_safe)
from .docx_front import REFERENCES_ANCHOR, add_toc, collect_anchors, set_properties, \
    set_statistics
from .docx_geometry import column_widths, fit_image, word_image
from .docx_math import tex_to_omml
from .docx_svg import attach_svg, fallback_png, is_svg
from .docx_parts import (LIST_STEP, Footnotes, Numbering, package_entries,
                         set_paragraph_numbering, write_zip)
from .docx_reference import Base, open_prepared
from .docx_page import setup_page
from .docx_styles import STYLE, number_headings, set_language
from .docx_title import Blocks as _Blocks
from .docx_title import write_title_block
from .docx_styles import define_styles

__all__ = ["write_docx", "warm"]


def write_docx(paper: Paper, template: Template, options: BuildOptions) -> dict[str, bytes]:
    """Return ``{"paper.docx": bytes}``: `paper` as a Word document in `template`'s look.

    The bytes depend only on the arguments: dates come from `options.source_date_epoch`
    (0: 2000-01-01) and the zip is written with fixed timestamps. Raises
    :class:`~paperkit.errors.InputError` for an image that is missing (PK104) or that
    neither Word nor Pillow can read (PK105), and :class:`~paperkit.errors.TemplateError`
    (PK108) for a template ``reference.docx`` that is not a Word document.
    """
    when = (datetime.fromtimestamp(options.source_date_epoch, timezone.utc)
            if options.source_date_epoch > 0 else datetime(2000, 1, 1, tzinfo=timezone.utc))
    builder = _Builder(paper, template)
    builder.build()
    return {"paper.docx": builder.save(when)}


def warm() -> None:
    """Prepare, before the paper is known, the base document of the shipped article template
    (what most papers use): a writer process started early does it while the paper is read,
    and the paper's write then copies it (see :func:`.docx_reference.open_prepared`)."""
    from ..memo import template as cached_template

    open_prepared(cached_template("article"), _prepare)


def _prepare(base: Base, template: Template) -> None:
    """Define `template`'s styles in a new base document (kept and copied per paper)."""
    define_styles(base.doc, template, merge=base.merge)


@dataclass(frozen=True, slots=True)
class _Ctx:
    """Where blocks are being written: paragraph styles to use and list nesting."""

    paragraph: str = STYLE.body
    first: str = STYLE.first
    list_paragraph: str = STYLE.list
    depth: int = 0
    quote: int = 0
    in_note: bool = False


@dataclass(frozen=True, slots=True)
class _Fmt:
    """Character formatting in effect for the inlines being written."""

    emph: bool = False
    strong: bool = False
    code: bool = False
    small_caps: bool = False
    sup: bool = False
    sub: bool = False
    link: bool = False


#: Tables with at most this many rows are kept on one page; longer ones may break (their
#: header row repeats).
_KEEP_TABLE_ROWS = 15

_NOTE_CTX = _Ctx(STYLE.footnote, STYLE.footnote, STYLE.footnote, in_note=True)
_ALIGN = {"left": WD_PARAGRAPH_ALIGNMENT.LEFT, "center": WD_PARAGRAPH_ALIGNMENT.CENTER,
          "right": WD_PARAGRAPH_ALIGNMENT.RIGHT, "default": WD_PARAGRAPH_ALIGNMENT.LEFT}


class _Builder:
    """Writes one paper into a fresh python-docx document."""

    def __init__(self, paper: Paper, template: Template) -> None:
        self.paper = paper
        self.template = template
        self.base, shared = open_prepared(template, _prepare)
        self.doc: DocxDocument = self.base.doc
        share_style_ids(self.doc, cast(StyleIds, shared.setdefault("style ids", {})))
        set_language(self.doc, template, paper.lang)
        self.numbering = Numbering(self.doc)
        self.headings = number_headings(self.doc, self.numbering, paper, template)
        self.footnotes = Footnotes(self.doc)
        self.marks = Bookmarks()
        anchors = collect_anchors(paper, template, self.headings)
        self.marks.register(anchors)
        #: labels whose references can be REF fields: "caption" or "heading"
        self.live_refs = {label: kind for label, kind in anchors.items() if kind}
        self.sequence = {"tbl": 0, "fig": 0}

    # ------------------------------------------------------------------ document

    def build(self) -> None:
        """Write the title block, the body, the reference list, page setup and properties."""
        paper, template, base = self.paper, self.template, self.base
        setup_page(self.doc, template, self._running_title, reference=base.merge,
                   keep_header=base.header, keep_footer=base.footer)
        abstract = _Ctx(STYLE.abstract, STYLE.abstract, STYLE.abstract)
        new_page = write_title_block(
            self.doc, paper, template,
            lambda sink, nodes: self._inlines(sink, nodes, _Fmt(), _Ctx()),
            lambda out, blocks: self._blocks(out, blocks, abstract))
        body = self.doc.element.body
        # Where the body will start: before the section properties that close the body.
        start = len(body) - (1 if len(body) and body[-1].tag == qn("w:sectPr") else 0)
        if paper.toc:
            add_toc(self.doc, paper, template, self.marks)
        self._blocks(self.doc, paper.blocks, _Ctx(), first=True)
        for section in paper.sections:
            self._section(section)
        self._bibliography()
        if new_page and start < len(body) and body[start].tag != qn("w:sectPr"):
            _break_before(self.doc, start)
        set_properties(self.doc, paper)

    def save(self, when: datetime) -> bytes:
        """Return the document's bytes, dated `when`, in a normalized zip."""
        props = self.doc.core_properties
        naive = when.astimezone(timezone.utc).replace(tzinfo=None)
        props.created = props.modified = naive
        props.last_printed = naive
        set_statistics(self.doc)
        return write_zip(package_entries(self.doc), naive)

    def _running_title(self, paragraph: DocxParagraph) -> bool:
        text = layout.running_title(self.paper, self.template)
        if text:
            RunSink(paragraph).add_run(xml_safe(text))
        return bool(text)

    # ------------------------------------------------------------------ sections

    def _section(self, section: Section) -> None:
        level = min(max(section.level, 1), 9)
        paragraph = add_styled_paragraph(self.doc, f"Heading {level}")
        typed = self.headings.get(id(section))
        if typed is not None:
            set_paragraph_numbering(paragraph, 0, None)
        sink = RunSink(paragraph)
        mark = self.marks.start(sink, section.label) if section.label else None
        if typed:
            sink.add_run(xml_safe(typed) + "\t")
        self._inlines(sink, section.title, _Fmt(), _Ctx())
        self.marks.end(sink, mark)
        self._blocks(self.doc, section.blocks, _Ctx(), first=True)
        for subsection in section.subsections:
            self._section(subsection)

    def _bibliography(self) -> None:
        entries = self.paper.bibliography
        if not entries:
            return
        heading = add_styled_paragraph(self.doc, STYLE.heading1)
        if self.template.references_new_page:
            heading.paragraph_format.page_break_before = True
        if self.template.numbering != "none":
            set_paragraph_numbering(heading, 0, None)
        sink = RunSink(heading)
        mark = self.marks.start(sink, REFERENCES_ANCHOR)
        sink.add_run(xml_safe(self.template.references_title))
        self.marks.end(sink, mark)
        for entry in entries:
            paragraph = add_styled_paragraph(self.doc, STYLE.bibliography)
            sink = RunSink(paragraph)
            mark = self.marks.start(sink, layout.entry_anchor(entry.key))
            self._inlines(sink, entry.content, _Fmt(), _Ctx())
            self.marks.end(sink, mark)

    # ------------------------------------------------------------------ blocks

    def _blocks(self, out: _Blocks, blocks: list[Block], ctx: _Ctx, *,
                first: bool = False) -> None:
        for index, block in enumerate(blocks):
            self._block(out, block, ctx, first=first and index == 0)

    def _block(self, out: _Blocks, block: Block, ctx: _Ctx, *, first: bool = False) -> None:
        match block:
            case Paragraph(content=content):
                paragraph = add_styled_paragraph(out, ctx.first if first else ctx.paragraph)
                if ctx.quote > 1:        # the style holds the first level's margins
                    margin = Pt(layout.quote_margin(ctx.quote))
                    paragraph.paragraph_format.left_indent = margin
                    paragraph.paragraph_format.right_indent = margin
                self._inlines(RunSink(paragraph), content, _Fmt(), ctx)
            case BulletList(items=items):
                self._list(out, items, ctx, self.numbering.bullets())
            case OrderedList(items=items, start=start):
                self._list(out, items, ctx, self.numbering.ordered(min(ctx.depth, 8), start))
            case BlockQuote(blocks=blocks):
                style = STYLE.footnote if ctx.in_note else STYLE.quote
                inner = replace(ctx, paragraph=style, first=style, quote=ctx.quote + 1)
                self._blocks(out, blocks, inner)
            case Table():
                self._table(out, block, ctx)
            case Figure():
                self._figure(out, block)
            case CodeBlock(text=text):
                paragraph = add_styled_paragraph(out, STYLE.code)
                RunSink(paragraph).add_run(xml_safe(text.rstrip("\n")))
            case MathBlock(tex=tex):
                paragraph = add_styled_paragraph(out, STYLE.display_math)
                self._math(RunSink(paragraph), tex, display=True)
            case ThematicBreak():
                add_styled_paragraph(out, STYLE.rule)
            case _:
                assert_never(block)

    def _list(self, out: _Blocks, items: list[list[Block]], ctx: _Ctx, num_id: int) -> None:
        level = min(ctx.depth, 8)
        inner = replace(ctx, depth=ctx.depth + 1)
        for item in items:
            blocks = list(item)
            paragraph = add_styled_paragraph(out, ctx.list_paragraph)
            set_paragraph_numbering(paragraph, num_id, level)
            if blocks and isinstance(blocks[0], Paragraph):
                self._inlines(RunSink(paragraph), blocks[0].content, _Fmt(), ctx)
                blocks.pop(0)
            for block in blocks:
                if isinstance(block, Paragraph):
                    # A further paragraph of the item: aligned with the item's text, unnumbered.
                    more = add_styled_paragraph(out, ctx.list_paragraph)
                    more.paragraph_format.left_indent = Twips(LIST_STEP * (level + 1))
                    self._inlines(RunSink(more), block.content, _Fmt(), ctx)
                else:
                    self._block(out, block, inner)

    def _caption(self, out: _Blocks, kind: str, label: str | None, number: int | None,
                 caption: list[Inline]) -> DocxParagraph | None:
        """Write "Table 2: caption" with a SEQ field and a bookmark on "Table 2".

        A stacked caption (APA) has "Table 2" in bold on a line of its own, the caption
        text below it in italics."""
        if number is None and not caption:
            return None
        style = STYLE.table_caption if kind == "tbl" else STYLE.image_caption
        paragraph = add_styled_paragraph(out, style)
        sink = RunSink(paragraph)
        mark = self.marks.start(sink, label) if label else None
        word = self.template.table_label if kind == "tbl" else self.template.figure_label
        label = STYLE.caption_label          # "Table 2:" in bold, as in the PDF
        if number is not None:
            self.sequence[kind] += 1
            sink.add_run(xml_safe(word) + " ", style=label)
            name = "Table" if kind == "tbl" else "Figure"
            # Word renumbers SEQ fields when they update; "\r" pins a number the model
            # gives out of sequence so Word keeps showing the model's number.
            reset = f" \\r {number}" if number != self.sequence[kind] else ""
            self.sequence[kind] = number
            sink.add_field(f"SEQ {name} \\* ARABIC{reset}", str(number), style=label)
        else:
            sink.add_run(xml_safe(word), style=label)
        self.marks.end(sink, mark)
        if caption and self.template.caption_layout == "stacked":
            sink.add_run().add_break()
            self._inlines(sink, caption, _Fmt(emph=True), _Ctx())
        elif caption:
            sink.add_run(":", style=label)
            sink.add_run(" ")
            self._inlines(sink, caption, _Fmt(), _Ctx())
        return paragraph

    def _table(self, out: _Blocks, table: Table, ctx: _Ctx) -> None:
        self._caption(out, "tbl", table.label, table.number, table.caption)
        rows = ([table.header] if table.header else []) + list(table.rows)
        columns = max([len(row) for row in rows] + [len(table.align), 1])
        widths = column_widths(rows, columns, self.template, header=bool(table.header))
        docx_table = _add_table(out, len(rows) or 1, columns, sum(widths))
        set_table_style(docx_table, STYLE.table)
        docx_table.alignment = WD_TABLE_ALIGNMENT.CENTER
        docx_table.autofit = False
        for index, column in enumerate(docx_table.columns):
            column.width = widths[index]
        docx_rows = list(docx_table.rows)     # python-docx rebuilds the list on each [i]
        keep = len(rows) <= _KEEP_TABLE_ROWS
        aligns = [_ALIGN[table.align[index] if index < len(table.align) else "default"]
                  for index in range(columns)]
        for row_index, (row, docx_row) in enumerate(zip(rows, docx_rows)):
            set_row_cant_split(docx_row)
            for index, cell in enumerate(docx_row.cells):
                cell.width = widths[index]
                paragraph = cell.paragraphs[0]
                # Pagination, not look: a short table stays on one page, as in LaTeX.
                set_cell_paragraph(paragraph, STYLE.table_text, aligns[index],
                                   keep and row_index < len(rows) - 1)
                if index < len(row):
                    self._inlines(RunSink(paragraph), row[index], _Fmt(), ctx)
        set_table_header_row(docx_table, docx_rows[0] if table.header else None)
        # A paragraph after the table keeps the next caption or table from touching it.
        add_styled_paragraph(out, STYLE.after_table)

    def _figure(self, out: _Blocks, figure: Figure) -> None:
        from ..resources import read_image

        data = read_image(self.paper, figure)
        svg = data if is_svg(figure.src, data) else None
        if svg is not None:
            data = fallback_png(svg, figure)
            image = Image.from_blob(data)
        else:
            data, image = word_image(data, figure)
        width, height = fit_image(image, self.template)
        above = self.template.figure_caption_position == "above"
        if above:
            self._caption(out, "fig", figure.label, figure.number, figure.caption)
        paragraph = add_styled_paragraph(out, STYLE.figure)
        run = RunSink(paragraph).add_run()
        run.add_picture(io.BytesIO(data), width=width, height=height)
        if svg is not None:
            attach_svg(run, svg)
        set_alt_text(run, xml_safe(figure.alt or plain_text(figure.caption)))
        if not above:
            self._caption(out, "fig", figure.label, figure.number, figure.caption)

    # ------------------------------------------------------------------ inlines

    def _inlines(self, sink: RunSink, nodes: list[Inline], fmt: _Fmt, ctx: _Ctx) -> None:
        for node in nodes:
            self._inline(sink, node, fmt, ctx)

    def _inline(self, sink: RunSink, node: Inline, fmt: _Fmt, ctx: _Ctx) -> None:
        match node:
            case Text(text=text):
                self._run(sink, text, fmt)
            case Emph(content=content):
                self._inlines(sink, content, replace(fmt, emph=True), ctx)
            case Strong(content=content):
                self._inlines(sink, content, replace(fmt, strong=True), ctx)
            case SmallCaps(content=content):
                self._inlines(sink, content, replace(fmt, small_caps=True), ctx)
            case Superscript(content=content):
                self._inlines(sink, content, replace(fmt, sup=True, sub=False), ctx)
            case Subscript(content=content):
                self._inlines(sink, content, replace(fmt, sub=True, sup=False), ctx)
            case Code(text=text):
                self._run(sink, text, replace(fmt, code=True))
            case Link(content=content, url=url):
                self._link(sink, content, url, fmt, ctx)
            case Math(tex=tex):
                self._math(sink, tex, display=False)
            case LineBreak():
                sink.add_run().add_break()
            case Cite(rendered=rendered, items=items, source=source):
                if rendered is None:
                    keys = "; ".join(item.key for item in items)
                    self._run(sink, f"[?{keys or source}]", fmt)
                else:
                    self._inlines(sink, rendered, fmt, ctx)
            case Note(blocks=blocks):
                self._note(sink, blocks, fmt, ctx)
            case Ref():
                self._ref(sink, node, fmt)
            case _:
                assert_never(node)

    def _run(self, sink: RunSink, text: str, fmt: _Fmt) -> None:
        text = xml_safe(text)
        if not text:
            return
        # One character style per run: the first that applies; the rest as direct toggles.
        styles = [s for s, on in ((STYLE.verbatim, fmt.code), (STYLE.hyperlink, fmt.link),
                                  (STYLE.emphasis, fmt.emph), (STYLE.strong, fmt.strong)) if on]
        run = sink.add_run(text, style=styles[0] if styles else None)
        if STYLE.emphasis in styles[1:]:
            run.italic = True
        if STYLE.strong in styles[1:]:
            run.bold = True
        if fmt.small_caps:
            run.font.small_caps = True
        if fmt.sup:
            run.font.superscript = True
        elif fmt.sub:
            run.font.subscript = True

    def _link(self, sink: RunSink, content: list[Inline], url: str, fmt: _Fmt,
              ctx: _Ctx) -> None:
        if url.startswith("#"):
            anchor = url[1:]
            if anchor in self.marks.targets() and not sink.in_link:
                link = sink.hyperlink(anchor=self.marks.name(anchor))
                self._inlines(link, content, replace(fmt, link=True), ctx)
            else:
                self._inlines(sink, content, fmt, ctx)
            return
        target = xml_safe(url).strip()
        if target and not sink.in_link:
            self._inlines(sink.hyperlink(url=target), content, replace(fmt, link=True), ctx)
        else:
            self._inlines(sink, content, fmt, ctx)

    def _ref(self, sink: RunSink, ref: Ref, fmt: _Fmt) -> None:
        """Write a cross-reference: a link to the target's bookmark showing
        :func:`layout.ref_text`, its number a ``REF`` field where Word can keep it current.

        A caption's bookmark holds "Table 2" (label and SEQ field), so ``REF`` shows it
        whole; a heading's number comes from ``REF \\w`` (the paragraph's full number).
        """
        text = layout.ref_text(ref, self.template)
        if ref.number is None or ref.label not in self.marks.targets():
            self._run(sink, text, fmt)
            return
        name = self.marks.name(ref.label)
        inner = sink.in_link
        link = sink.hyperlink(anchor=name)
        fmt = fmt if inner else replace(fmt, link=True)
        style = STYLE.hyperlink if fmt.link else STYLE.emphasis if fmt.emph else \
            STYLE.strong if fmt.strong else None
        kind = self.live_refs.get(ref.label)
        shown = layout.display_number(ref.number, self.template.numbering)
        # MERGEFORMAT: an update keeps this text's look, not the bold caption label's.
        if kind == "caption":
            link.add_field(f"REF {name} \\h \\* MERGEFORMAT", xml_safe(text), style=style)
        elif kind == "heading" and shown and text.endswith(shown):
            self._run(link, text[:-len(shown)], fmt)
            link.add_field(f"REF {name} \\w \\h \\* MERGEFORMAT", xml_safe(shown),
                           style=style)
        else:
            self._run(link, text, fmt)

    def _math(self, sink: RunSink, tex: str, *, display: bool) -> None:
        element = None if sink.in_link else tex_to_omml(tex, display=display)
        if element is None:
            self._run(sink, tex, _Fmt(emph=True))
        else:
            sink.append(element)

    def _note(self, sink: RunSink, blocks: list[Block], fmt: _Fmt, ctx: _Ctx) -> None:
        if ctx.in_note:
            # Word has no notes inside notes (a note-style citation in a footnote): the
            # inner note's text joins the footnote in place.
            for block in blocks:
                for inlines in block_inlines(block):
                    self._inlines(sink, inlines, fmt, ctx)
            return
        note_id, container = self.footnotes.add()
        sink.add_footnote_reference(note_id)
        self._blocks(container, blocks, _NOTE_CTX)
        self.footnotes.finish(container, STYLE.footnote)


# ---------------------------------------------------------------------- helpers


def _break_before(doc: DocxDocument, index: int) -> None:
    """Start the body element at `index` (the first after the title block) on a new page:
    a paragraph breaks before itself; before a table or the table of contents the title
    block's last paragraph ends with a page break."""
    body = doc.element.body
    element = body[index]
    if element.tag == qn("w:p"):
        DocxParagraph(element, doc._body).paragraph_format.page_break_before = True
        return
    for previous in reversed(body[:index]):
        if previous.tag == qn("w:p"):
            DocxParagraph(previous, doc._body).add_run().add_break(WD_BREAK.PAGE)
            return


def _add_table(out: _Blocks, rows: int, columns: int, width: int) -> DocxTable:
    table: DocxTable
    if isinstance(out, DocxDocument):
        table = out.add_table(rows, columns)
    else:
        table = out.add_table(rows, columns, Emu(width))  # type: ignore[attr-defined]
    return table
