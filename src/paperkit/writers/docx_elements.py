"""WordprocessingML elements python-docx 1.2 cannot write: runs in hyperlinks, bookmarks,
fields, footnote references, and the style and table properties it has no API for.

The companion of :mod:`.docx_parts` (which adds whole parts: footnotes, numbering, settings,
the package). Only these two modules touch raw OOXML; :mod:`.docx` speaks python-docx's API.
See the module docstring of :mod:`.docx_parts` for the analysis behind both.
"""

from __future__ import annotations

import re
import unicodedata
from typing import AbstractSet, Iterable, Protocol, cast
from weakref import WeakKeyDictionary

from docx.enum.style import WD_STYLE_TYPE
from docx.enum.text import WD_PARAGRAPH_ALIGNMENT
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.opc.part import Part
from docx.document import Document as DocxDocument
from docx.parts.document import DocumentPart
from docx.oxml import OxmlElement, parse_xml
from docx.oxml.ns import nsdecls, qn
from docx.oxml.xmlchemy import BaseOxmlElement
from docx.styles.style import BaseStyle, StyleFactory
from docx.styles.styles import Styles
from docx.table import Table, _Row
from docx.text.paragraph import Paragraph
from docx.text.run import Run

__all__ = ["xml_safe", "Bookmarks", "RunSink", "style_id", "set_paragraph_style",
           "set_table_style", "share_style_ids", "StyleIds", "set_cell_paragraph",
           "add_styled_paragraph", "external_rel", "w_element", "w_rstyle", "reset_style",
           "set_style_font", "set_outline_level", "set_contextual_spacing", "set_paragraph_border",
           "set_paragraph_frame", "set_style_tab", "drop_style_numbering",
           "define_rule_table", "set_table_header_row", "set_row_cant_split", "make_band",
           "set_alt_text"]

# --------------------------------------------------------------------------- text

_XML_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def xml_safe(text: str) -> str:
    """Return `text` with the characters XML 1.0 cannot hold removed.

    Control characters are dropped; lone surrogates (undecodable input) become U+FFFD; a
    carriage return becomes a line feed (python-docx writes it as a line break).
    """
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return _XML_ILLEGAL.sub(lambda m: "\ufffd" if "\ud800" <= m.group() <= "\udfff" else "",
                            text)


# --------------------------------------------------------------------------- bookmarks


class Bookmarks:
    """Word-legal bookmark names for anchor ids, and which bookmarks the document holds.

    :meth:`name` is the one mapping from an anchor (``sec:intro``, ``ref-buzan2022``) to a
    bookmark name (``sec_intro``, ``ref_buzan2022``). Names are at most 40 characters of ASCII
    letters, digits and ``_`` and start with a letter; two anchors that would share a name get
    ``_2``, ``_3``... in the order they are first named, so callers register the targets in
    document order before writing any link.
    """

    def __init__(self) -> None:
        self._names: dict[str, str] = {}
        self._taken: set[str] = set()
        self._placed: set[str] = set()
        self._next_id = 0

    def name(self, anchor: str) -> str:
        """Return the bookmark name of `anchor` (the same name every time)."""
        if anchor in self._names:
            return self._names[anchor]
        ascii_text = unicodedata.normalize("NFKD", anchor).encode("ascii", "ignore").decode()
        base = re.sub(r"[^A-Za-z0-9]+", "_", ascii_text).strip("_")
        if not base[:1].isalpha():
            base = "pk_" + base if base else "pk"
        base = base[:40].rstrip("_")
        name, count = base, 1
        while name in self._taken:
            count += 1
            suffix = f"_{count}"
            name = base[:40 - len(suffix)] + suffix
        self._taken.add(name)
        self._names[anchor] = name
        return name

    def register(self, anchors: Iterable[str]) -> None:
        """Name every anchor of `anchors` now, so collisions resolve in document order."""
        for anchor in anchors:
            self.name(anchor)

    def targets(self) -> AbstractSet[str]:
        """Return the anchors registered as targets (a live view: no copy per link)."""
        return self._names.keys()

    def start(self, sink: RunSink, anchor: str) -> int | None:
        """Open the bookmark of `anchor` in `sink`; return its id (``None`` if already placed)."""
        name = self.name(anchor)
        if name in self._placed:
            return None
        self._placed.add(name)
        self._next_id += 1
        sink.append(w_element("w:bookmarkStart", id=str(self._next_id), name=name))
        return self._next_id

    @staticmethod
    def end(sink: RunSink, bookmark_id: int | None) -> None:
        """Close bookmark `bookmark_id` (opened by :meth:`start`) in `sink`."""
        if bookmark_id is not None:
            sink.append(w_element("w:bookmarkEnd", id=str(bookmark_id)))


def w_element(tag: str, **attributes: str) -> BaseOxmlElement:
    """Return a new ``w:`` element `tag` with ``w:`` attributes."""
    element = OxmlElement(tag)
    for key, value in attributes.items():
        element.set(qn(f"w:{key}"), value)
    return element


# --------------------------------------------------------------------------- style ids

# python-docx resolves a style *name* on every assignment (``paragraph.style = "Body
# Text"``): it searches every style of the document by name, then compares with the
# default style, a few milliseconds each, which made 5,000 references or a 2,000-row table
# take minutes (docs/issue6-bugs.md #5). The answer cannot change once the styles are
# defined, so each (name, type) is looked up once per part, through python-docx's own
# ``part.get_style_id`` (the default style still gives None: no pStyle/rStyle is written),
# and the id is set on the element directly. Likewise an external link's relationship:
# python-docx scans every relationship of the part for one with the same URL.
_STYLE_IDS: WeakKeyDictionary[Part, _StyleIds] = WeakKeyDictionary()
_EXTERNAL_RELS: WeakKeyDictionary[Part, dict[str, str]] = WeakKeyDictionary()


class _StyleIds:
    """One document's style ids by (name, type), resolved as python-docx's
    ``Styles.get_style_id`` does, with each type's default style found once (python-docx
    walks every style in Python for it, ~4 ms a call)."""

    def __init__(self, styles: Styles) -> None:
        self.styles = styles
        self.ids: StyleIds = {}
        self.defaults: dict[WD_STYLE_TYPE, BaseStyle | None] = {}

    def get(self, name: str, kind: WD_STYLE_TYPE) -> str | None:
        key = (name, kind)
        try:
            return self.ids[key]
        except KeyError:
            pass
        style = self.styles[name]      # KeyError for an unknown name, as python-docx
        if style.type != kind:
            raise ValueError(f"assigned style is type {style.type}, need type {kind}")
        if kind not in self.defaults:
            self.defaults[kind] = _default_style(self.styles, kind)
        found = None if style == self.defaults[kind] else style.style_id
        self.ids[key] = found
        return found


_STYLE_TAG, _TYPE, _DEFAULT = qn("w:style"), qn("w:type"), qn("w:default")
_STYLE_TYPES = frozenset(member.xml_value for member in WD_STYLE_TYPE)
_ON_OFF = {"1": True, "true": True, "on": True, "0": False, "false": False, "off": False}


def _default_style(styles: Styles, kind: WD_STYLE_TYPE) -> BaseStyle | None:
    """Return ``styles.default(kind)``: the last style of type `kind` marked default.

    python-docx reads each style's type and flag through its attribute descriptors (~3 ms
    a call, one per type and paper); the raw attributes say the same. An attribute value
    python-docx would reject goes to python-docx, so it reports it as before."""
    want = WD_STYLE_TYPE.to_xml(kind)
    found = None
    strict: BaseStyle | None
    for element in styles.element.iterchildren(_STYLE_TAG):
        kind_value = element.get(_TYPE)
        if kind_value != want:
            if kind_value is not None and kind_value not in _STYLE_TYPES:
                strict = styles.default(kind)
                return strict
            continue
        flag = element.get(_DEFAULT)
        if flag is None:
            continue
        if flag not in _ON_OFF:
            strict = styles.default(kind)
            return strict
        if _ON_OFF[flag]:
            found = element
    return None if found is None else StyleFactory(found)


def set_table_style(table: Table, name: str) -> None:
    """Give `table` the table style `name` (``table.style = name``, cached)."""
    table._tbl.tblStyle_val = style_id(table.part, name, WD_STYLE_TYPE.TABLE)


def style_id(part: Part, name: str, kind: WD_STYLE_TYPE) -> str | None:
    """Return the id of style `name` of type `kind` for content of `part` (None for the
    default style: no pStyle/rStyle is written), looked up once per document."""
    # a header, footer or footnotes part resolves styles through the document part
    document = cast(DocumentPart, getattr(part, "_document_part", part))
    ids = _STYLE_IDS.get(document)
    if ids is None:
        ids = _STYLE_IDS[document] = _StyleIds(document.styles)
    return ids.get(name, kind)


StyleIds = dict[tuple[str, WD_STYLE_TYPE], str | None]


def share_style_ids(document: DocxDocument, ids: StyleIds) -> None:
    """Let `document` resolve style names through `ids`, a dict shared by documents whose
    styles part is a copy of one and the same (the same names, ids, types and default
    styles: :func:`.docx_reference.open_prepared`'s copies), each name looked up once."""
    found = _StyleIds(document.part.styles)
    found.ids = ids
    _STYLE_IDS[document.part] = found


def set_paragraph_style(paragraph: Paragraph, name: str) -> None:
    """Give `paragraph` the paragraph style `name` (``paragraph.style = name``, cached)."""
    found = style_id(paragraph.part, name, WD_STYLE_TYPE.PARAGRAPH)
    p = paragraph._p
    if len(p) and p[0].tag == _PPR:
        p.style = found
    else:
        # what ``p.style = found`` makes of a paragraph without properties, built directly:
        # python-docx places pPr and pStyle by testing for each of their ~40 possible
        # successors (most of the writer's time on a long paper)
        p.insert(0, _properties("w:pPr", "w:pStyle", found))


_PPR, _RPR = qn("w:pPr"), qn("w:rPr")


def set_cell_paragraph(paragraph: Paragraph, name: str, align: WD_PARAGRAPH_ALIGNMENT,
                       keep_with_next: bool) -> None:
    """Give a table cell's `paragraph` style `name`, alignment `align` and, when asked,
    keep-with-next: ``set_paragraph_style``, ``paragraph.alignment = align`` and
    ``paragraph_format.keep_with_next = True`` in one step for a paragraph without
    properties (as python-docx orders them: pStyle, keepNext, jc)."""
    p = paragraph._p
    if len(p) and p[0].tag == _PPR:
        set_paragraph_style(paragraph, name)
        paragraph.alignment = align
        if keep_with_next:
            paragraph.paragraph_format.keep_with_next = True
        return
    ppr = _properties("w:pPr", "w:pStyle", style_id(paragraph.part, name,
                                                     WD_STYLE_TYPE.PARAGRAPH))
    if keep_with_next:
        ppr.append(OxmlElement("w:keepNext"))
    ppr.append(w_element("w:jc", val=str(WD_PARAGRAPH_ALIGNMENT.to_xml(align))))
    p.insert(0, ppr)


def _properties(tag: str, style_tag: str, found: str | None) -> BaseOxmlElement:
    """Return ``<tag><style_tag w:val=found/></tag>`` (empty for the default style, as
    python-docx leaves it)."""
    element = OxmlElement(tag)
    if found is not None:
        element.append(w_element(style_tag, val=found))
    return element


def add_styled_paragraph(out: _ParagraphTarget, name: str) -> Paragraph:
    """Return a new paragraph at the end of `out` in paragraph style `name`
    (``out.add_paragraph(style=name)``, with the style id cached)."""
    paragraph = out.add_paragraph()
    set_paragraph_style(paragraph, name)
    return paragraph


class _ParagraphTarget(Protocol):
    def add_paragraph(self, text: str = "", style: str | None = None) -> Paragraph: ...


def external_rel(part: Part, url: str) -> str:
    """Return the id of `part`'s hyperlink relationship to `url`, added on first use."""
    rels = _EXTERNAL_RELS.get(part)
    if rels is None:
        rels = _EXTERNAL_RELS[part] = {}
    r_id = rels.get(url)
    if r_id is None:
        r_id = rels[url] = part.relate_to(url, RT.HYPERLINK, is_external=True)
    return r_id


# --------------------------------------------------------------------------- runs


_RUN_BREAKS = frozenset("\t\r\n")


class RunSink:
    """Where inline content goes: a paragraph, or a hyperlink inside a paragraph."""

    def __init__(self, paragraph: Paragraph, element: BaseOxmlElement | None = None) -> None:
        self.paragraph = paragraph
        self._element = element if element is not None else paragraph._p
        self.in_link = element is not None

    def append(self, element: BaseOxmlElement) -> None:
        """Append raw `element` (a bookmark, Office Math) at the end of this sink."""
        self._element.append(element)

    def add_run(self, text: str = "", style: str | None = None) -> Run:
        """Return a new run holding `text` in character style `style`.

        Tabs and line feeds in `text` become ``w:tab`` and ``w:br`` (python-docx's rule).
        """
        run = Run(self._element.add_r(), self.paragraph)
        if not text:
            pass
        elif _RUN_BREAKS.isdisjoint(text):
            # what ``run.text = text`` writes for text without tabs or line breaks, without
            # python-docx's per-character state machine and its clearing of the new run
            run._r.add_t(text)
        else:
            run.text = text
        if style is not None:
            # a new run has no rPr yet: ``run._r.style = id`` built directly (see
            # set_paragraph_style); rPr is always a run's first child
            found = style_id(self.paragraph.part, style, WD_STYLE_TYPE.CHARACTER)
            run._r.insert(0, _properties("w:rPr", "w:rStyle", found))
        return run

    def hyperlink(self, *, url: str | None = None, anchor: str | None = None) -> RunSink:
        """Return a sink inside a new hyperlink to external `url` or to bookmark `anchor`.

        Word cannot nest hyperlinks: inside a hyperlink this returns the same sink.
        """
        if self.in_link:
            return self
        link = OxmlElement("w:hyperlink")
        if url is not None:
            r_id = external_rel(self.paragraph.part, url)
            link.set(qn("r:id"), r_id)
        else:
            assert anchor is not None
            link.set(qn("w:anchor"), anchor)
        link.set(qn("w:history"), "1")
        self._element.append(link)
        return RunSink(self.paragraph, link)

    def add_field(self, instruction: str, result: str, style: str | None = None) -> None:
        """Append a complex field (``SEQ Table``, ``PAGE``) showing `result` until updated."""
        def field_run(child: BaseOxmlElement) -> None:
            run = self.add_run(style=style)
            run._r.append(child)

        field_run(w_element("w:fldChar", fldCharType="begin"))
        instr = OxmlElement("w:instrText")
        instr.set(qn("xml:space"), "preserve")
        instr.text = f" {instruction} "
        field_run(instr)
        field_run(w_element("w:fldChar", fldCharType="separate"))
        self.add_run(result, style=style)
        field_run(w_element("w:fldChar", fldCharType="end"))

    def add_footnote_reference(self, note_id: int) -> None:
        """Append the reference mark of footnote `note_id` (Word numbers it)."""
        run = self._element.add_r()
        run.append(w_rstyle("FootnoteReference"))
        run.append(w_element("w:footnoteReference", id=str(note_id)))


def w_rstyle(style_id: str) -> BaseOxmlElement:
    """Return a ``w:rPr`` naming character style `style_id`."""
    rpr = OxmlElement("w:rPr")
    rpr.append(w_element("w:rStyle", val=style_id))
    return rpr


# --------------------------------------------------------------------------- styles

_STYLE_FORMATTING = ("w:link", "w:pPr", "w:rPr", "w:tblPr", "w:trPr", "w:tcPr", "w:tblStylePr")


def reset_style(style: BaseStyle) -> None:
    """Remove every formatting property of `style`, so only what paperkit sets applies.

    python-docx's template gives its built-in styles theme fonts, theme colours and borders;
    clearing them keeps the document's look entirely in the template. The link to a
    "... Char" twin style goes too, since the twin keeps the old look.
    """
    for tag in _STYLE_FORMATTING:
        for child in style.element.findall(qn(tag)):
            style.element.remove(child)


def set_style_font(style: BaseStyle, family: str) -> None:
    """Set `style`'s font to `family` for Latin and complex scripts (East Asian text keeps
    the theme's East Asian font, which has the glyphs a Latin family lacks)."""
    rfonts = style.element.get_or_add_rPr().get_or_add_rFonts()
    for slot in ("ascii", "hAnsi", "cs"):
        rfonts.set(qn(f"w:{slot}"), family)
    for theme in ("asciiTheme", "hAnsiTheme", "cstheme"):
        rfonts.attrib.pop(qn(f"w:{theme}"), None)


def set_outline_level(style: BaseStyle, level: int) -> None:
    """Give `style` outline level `level` (0-based): navigation pane and PDF bookmarks."""
    ppr = style.element.get_or_add_pPr()
    for old in ppr.findall(qn("w:outlineLvl")):
        ppr.remove(old)
    ppr.insert_element_before(w_element("w:outlineLvl", val=str(level)),
                              *_ppr_successors("w:outlineLvl"))


def set_contextual_spacing(style: BaseStyle) -> None:
    """Drop the spacing between paragraphs of the same `style` (tight list items)."""
    ppr = style.element.get_or_add_pPr()
    if ppr.find(qn("w:contextualSpacing")) is not None:
        return
    ppr.insert_element_before(OxmlElement("w:contextualSpacing"),
                              *_ppr_successors("w:contextualSpacing"))


def set_paragraph_border(style: BaseStyle, side: str, eighths: int, space: int = 1,
                         color: str = "auto") -> None:
    """Draw a single line of `eighths`/8 pt in `color` on `side` of paragraphs in `style`,
    `space` pt from the text."""
    ppr = style.element.get_or_add_pPr()
    for old in ppr.findall(qn("w:pBdr")):
        ppr.remove(old)
    border = parse_xml(f'<w:pBdr {nsdecls("w")}><w:{side} w:val="single" w:sz="{eighths}" '
                       f'w:space="{space}" w:color="{color}"/></w:pBdr>')
    ppr.insert_element_before(border, *_ppr_successors("w:pBdr"))


def set_paragraph_frame(style: BaseStyle, fill: str, *, vertical: int, horizontal: int,
                        left: tuple[str, int] | None = None) -> None:
    """Give paragraphs in `style` the background `fill` (hex RGB) reaching `vertical` pt
    above and below the text and `horizontal` pt beside it; `left`, a (colour, eighths of
    a point) pair, draws a rule on the left edge instead of the plain one.

    Word shades a paragraph out to its borders, so borders in the fill colour, that many
    points from the text, make the padding.
    """
    ppr = style.element.get_or_add_pPr()
    for tag in ("w:pBdr", "w:shd"):
        for old in ppr.findall(qn(tag)):
            ppr.remove(old)

    def side(name: str, space: int) -> str:
        color, eighths = left if name == "left" and left is not None else (fill, 4)
        return (f'<w:{name} w:val="single" w:sz="{eighths}" w:space="{space}" '
                f'w:color="{color}"/>')

    sides = "".join(side(name, space) for name, space in (
        ("top", vertical), ("left", horizontal), ("bottom", vertical), ("right", horizontal)))
    ppr.insert_element_before(parse_xml(f'<w:pBdr {nsdecls("w")}>{sides}</w:pBdr>'),
                              *_ppr_successors("w:pBdr"))
    ppr.insert_element_before(w_element("w:shd", val="clear", color="auto", fill=fill),
                              *_ppr_successors("w:shd"))


def set_style_tab(style: BaseStyle, position: int, align: str = "right",
                  leader: str = "dot") -> None:
    """Put a tab stop at `position` twips, `align`ed, with a `leader`, in paragraph `style`."""
    ppr = style.element.get_or_add_pPr()
    tabs = parse_xml(f'<w:tabs {nsdecls("w")}><w:tab w:val="{align}" w:leader="{leader}" '
                     f'w:pos="{position}"/></w:tabs>')
    for old in ppr.findall(qn("w:tabs")):
        ppr.remove(old)
    ppr.insert_element_before(tabs, *_ppr_successors("w:tabs"))


def drop_style_numbering(style: BaseStyle) -> None:
    """Remove any numbering attached to paragraph `style` (a reference document's)."""
    ppr = style.element.pPr
    if ppr is not None:
        for numpr in ppr.findall(qn("w:numPr")):
            ppr.remove(numpr)


#: The schema order of ``w:pPr`` children (as python-docx's CT_PPr declares it).
_PPR_ORDER = (
    "w:pStyle", "w:keepNext", "w:keepLines", "w:pageBreakBefore", "w:framePr",
    "w:widowControl", "w:numPr", "w:suppressLineNumbers", "w:pBdr", "w:shd", "w:tabs",
    "w:suppressAutoHyphens", "w:kinsoku", "w:wordWrap", "w:overflowPunct", "w:topLinePunct",
    "w:autoSpaceDE", "w:autoSpaceDN", "w:bidi", "w:adjustRightInd", "w:snapToGrid",
    "w:spacing", "w:ind", "w:contextualSpacing", "w:mirrorIndents", "w:suppressOverlap",
    "w:jc", "w:textDirection", "w:textAlignment", "w:textboxTightWrap", "w:outlineLvl",
    "w:divId", "w:cnfStyle", "w:rPr", "w:sectPr", "w:pPrChange")


def _ppr_successors(tag: str) -> tuple[str, ...]:
    return _PPR_ORDER[_PPR_ORDER.index(tag) + 1:]


def define_rule_table(style: BaseStyle, *, outer: int, inner: int, margin: int,
                      header_bold: bool = True) -> None:
    """Make table `style` a rules-only ("booktabs") table.

    Rules of `outer`/8 pt above and below the table and `inner`/8 pt under the header row, no
    vertical lines, `margin` twips of cell padding left and right; header text bold.
    """
    bold = "<w:rPr><w:b/><w:bCs/></w:rPr>" if header_bold else ""
    tblpr = parse_xml(
        f'<w:tblPr {nsdecls("w")}><w:tblInd w:w="0" w:type="dxa"/><w:tblBorders>'
        f'<w:top w:val="single" w:sz="{outer}" w:space="0" w:color="auto"/>'
        f'<w:bottom w:val="single" w:sz="{outer}" w:space="0" w:color="auto"/>'
        '</w:tblBorders><w:tblCellMar>'
        f'<w:top w:w="50" w:type="dxa"/><w:left w:w="{margin}" w:type="dxa"/>'
        f'<w:bottom w:w="50" w:type="dxa"/><w:right w:w="{margin}" w:type="dxa"/>'
        '</w:tblCellMar></w:tblPr>')
    header = parse_xml(
        f'<w:tblStylePr {nsdecls("w")} w:type="firstRow">{bold}<w:tblPr/><w:tcPr><w:tcBorders>'
        f'<w:bottom w:val="single" w:sz="{inner}" w:space="0" w:color="auto"/>'
        '</w:tcBorders></w:tcPr></w:tblStylePr>')
    for tag in ("w:tblPr", "w:trPr", "w:tcPr", "w:tblStylePr"):
        for old in style.element.findall(qn(tag)):
            style.element.remove(old)
    # tblPr and tblStylePr close the w:style sequence, after any pPr and rPr.
    style.element.append(tblpr)
    style.element.append(header)


def set_table_header_row(table: Table, row: _Row | None) -> None:
    """Repeat `row` at the top of every page and give it the header look; ``None``: no header.

    The header look comes from the table style's ``firstRow`` formatting; ``w:tblLook``
    switches it on or off. Word and LibreOffice both read ``w:tblHeader`` for repetition.
    """
    look = table._tbl.tblPr.find(qn("w:tblLook"))
    if look is None:
        look = w_element("w:tblLook")
        table._tbl.tblPr.append(look)
    for key, value in (("firstRow", "1" if row is not None else "0"), ("lastRow", "0"),
                       ("firstColumn", "0"), ("lastColumn", "0"), ("noHBand", "1"),
                       ("noVBand", "1")):
        look.set(qn(f"w:{key}"), value)
    look.set(qn("w:val"), "0420" if row is not None else "0600")
    if row is None:
        return
    trpr = row._tr.get_or_add_trPr()
    trpr.append(OxmlElement("w:tblHeader"))


def make_band(table: Table, fill: str, *, width: int, padding: int) -> None:
    """Make one-cell `table` a band filled with `fill` (hex RGB): `width` twips wide from
    the left margin, no borders, `padding` twips between its edges and its text, kept on
    one page."""
    tblpr = table._tbl.tblPr
    for tag in ("w:tblStyle", "w:tblW", "w:jc", "w:tblInd", "w:tblBorders", "w:tblLayout",
                "w:tblCellMar", "w:tblLook"):
        for old in tblpr.findall(qn(tag)):
            tblpr.remove(old)
    none = "".join(f'<w:{side} w:val="nil"/>'
                   for side in ("top", "left", "bottom", "right", "insideH", "insideV"))
    pad = "".join(f'<w:{side} w:w="{padding}" w:type="dxa"/>'
                  for side in ("top", "left", "bottom", "right"))
    for xml in (f'<w:tblW {nsdecls("w")} w:w="{width}" w:type="dxa"/>',
                f'<w:tblInd {nsdecls("w")} w:w="0" w:type="dxa"/>',
                f'<w:tblBorders {nsdecls("w")}>{none}</w:tblBorders>',
                f'<w:tblLayout {nsdecls("w")} w:type="fixed"/>',
                f'<w:tblCellMar {nsdecls("w")}>{pad}</w:tblCellMar>'):
        tblpr.append(parse_xml(xml))
    for grid_col in table._tbl.tblGrid.findall(qn("w:gridCol")):
        grid_col.set(qn("w:w"), str(width))
    set_row_cant_split(table.rows[0])
    tcpr = table.cell(0, 0)._tc.get_or_add_tcPr()
    for old in tcpr.findall(qn("w:tcW")) + tcpr.findall(qn("w:shd")):
        tcpr.remove(old)
    tcpr.insert(0, w_element("w:tcW", w=str(width), type="dxa"))
    tcpr.append(w_element("w:shd", val="clear", color="auto", fill=fill))


def set_row_cant_split(row: _Row) -> None:
    """Keep `row` on one page."""
    trpr = row._tr.get_or_add_trPr()
    trpr.insert(0, OxmlElement("w:cantSplit"))


# --------------------------------------------------------------------------- pictures


def set_alt_text(run: Run, text: str) -> None:
    """Give the picture in `run` the description `text` (screen readers read it)."""
    for doc_pr in run._r.iter("{http://schemas.openxmlformats.org/drawingml/2006/"
                              "wordprocessingDrawing}docPr"):
        doc_pr.set("descr", text)
