"""The OOXML that python-docx 1.2 lacks, kept apart from ``docx.py`` as python-docx keeps oxml.

Analysis (what Word needs, what python-docx gives, what this module adds):

- **Footnotes.** python-docx has no footnote API (its issue #1). Word keeps notes in a
  ``word/footnotes.xml`` part (relationship ``footnotes`` from the document part) whose
  ``w:footnote`` elements hold ordinary block content. Ids ``-1`` and ``0`` are the separator
  and continuation-separator notes Word expects (``settings.xml`` names them in
  ``w:footnotePr``); real notes count from 1. The body marks a note with a run holding
  ``w:footnoteReference w:id="n"`` in the ``FootnoteReference`` character style; the note's
  first paragraph starts with a ``w:footnoteRef`` run (Word prints the number there).
  :class:`Footnotes` adds the part lazily and hands out a python-docx ``BlockItemContainer``
  per note, so notes are written with the same code as the body.
- **Hyperlinks and bookmarks** (in :mod:`.docx_elements`). python-docx reads ``w:hyperlink``
  but cannot write one. ``RunSink`` appends runs to a paragraph or to a hyperlink inside it
  and writes bookmarks, fields (``SEQ``, ``PAGE``), footnote references and Office Math.
  Bookmark names must be at most 40 characters of letters, digits and ``_`` starting with a letter;
  ``Bookmarks`` maps paperkit's anchor ids (``sec:intro``, ``ref-buzan2022``) to such
  names in one place, so links and targets always agree.
- **Numbering.** python-docx can only point a paragraph at an existing ``w:num``. Heading
  numbers ("1", "1.1", "1.1.1" or "I", "I.A", ...) and lists need their own ``w:abstractNum``
  definitions; :class:`Numbering` writes them into ``numbering.xml``. Each ordered list gets
  its own ``w:num`` with a ``w:startOverride`` so it restarts at its ``start``.
- **Style details** (in :mod:`.docx_elements`). Borders, contextual spacing, outline levels,
  table-style conditional formatting and theme-font removal have no python-docx API; helpers
  set them on styles created through the public API.
- **Package.** Deterministic bytes need fixed zip timestamps and order (:func:`normalize_zip`);
  :func:`tidy_package` drops template leftovers (thumbnail, ``stylesWithEffects``).
"""

from __future__ import annotations

import hashlib
import io
import zipfile
import zlib
from collections import OrderedDict
from datetime import datetime
from typing import Any

from docx.blkcntnr import BlockItemContainer
from docx.document import Document as DocxDocument
from docx.opc.constants import CONTENT_TYPE as CT
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.opc.packuri import PackURI
from docx.opc.pkgwriter import _ContentTypesItem
from docx.opc.part import Part
from docx.oxml import OxmlElement, parse_xml
from docx.oxml.parser import register_element_cls
from docx.oxml.ns import nsdecls, qn
from docx.oxml.settings import CT_Settings
from docx.oxml.xmlchemy import BaseOxmlElement, ZeroOrMore
from docx.parts.story import StoryPart
from docx.styles.style import BaseStyle
from docx.text.paragraph import Paragraph

from .xml_text import quoteattr
from .docx_elements import set_paragraph_style, w_element, w_rstyle

__all__ = ["Footnotes", "Numbering", "ListLevel", "set_style_numbering",
           "set_paragraph_numbering", "set_doc_defaults", "set_document_settings",
           "tidy_package", "normalize_zip", "package_entries", "write_zip",
           "app_properties_xml", "set_app_properties", "set_update_fields", "LIST_STEP"]

_STYLES_WITH_EFFECTS = "http://schemas.microsoft.com/office/2007/relationships/stylesWithEffects"
_THUMBNAIL = "http://schemas.openxmlformats.org/package/2006/relationships/metadata/thumbnail"

#: Indent step of list levels in twips (6 mm, as the PDF writer): a level's text starts one
#: step right of its parent's; its bullet `_LABEL_INDENT` (1.5 mm) right of the parent's text,
#: its number where the parent's text starts.
LIST_STEP = 340
_LABEL_INDENT = 85


# --------------------------------------------------------------------------- footnotes


class CT_Footnote(BaseOxmlElement):
    """``<w:footnote>``: a note's block content, as in a table cell."""

    p = ZeroOrMore("w:p")
    tbl = ZeroOrMore("w:tbl")


register_element_cls("w:footnote", CT_Footnote)

_FOOTNOTES_XML = (
    f'<w:footnotes {nsdecls("w", "r")}>'
    '<w:footnote w:type="separator" w:id="-1"><w:p><w:pPr>'
    '<w:spacing w:after="0" w:line="240" w:lineRule="auto"/></w:pPr>'
    '<w:r><w:separator/></w:r></w:p></w:footnote>'
    '<w:footnote w:type="continuationSeparator" w:id="0"><w:p><w:pPr>'
    '<w:spacing w:after="0" w:line="240" w:lineRule="auto"/></w:pPr>'
    '<w:r><w:continuationSeparator/></w:r></w:p></w:footnote>'
    '</w:footnotes>')


class FootnotesPart(StoryPart):
    """The ``word/footnotes.xml`` part (a story part, so notes may hold links and images)."""

    @classmethod
    def new(cls, package: Any) -> FootnotesPart:
        """Return a footnotes part holding only the two separator notes."""
        return cls(PackURI("/word/footnotes.xml"), CT.WML_FOOTNOTES,
                   parse_xml(_FOOTNOTES_XML), package)


class Footnotes:
    """The native footnotes of one document, created on first use."""

    def __init__(self, document: DocxDocument) -> None:
        self._document = document
        self._part: FootnotesPart | None = None
        self._next_id = 1

    def add(self) -> tuple[int, BlockItemContainer]:
        """Return the id of a new, empty footnote and a container to write its blocks into.

        Call :meth:`finish` once the blocks are written.
        """
        part = self._get_part()
        note_id = self._next_id
        self._next_id += 1
        note = w_element("w:footnote", id=str(note_id))
        part.element.append(note)
        return note_id, BlockItemContainer(note, part)

    @staticmethod
    def finish(container: BlockItemContainer, paragraph_style: str) -> None:
        """Put Word's note-number mark (``w:footnoteRef``) at the start of the note."""
        note = container._element
        first = note[0] if len(note) else None
        if first is None or first.tag != qn("w:p"):
            paragraph = OxmlElement("w:p")
            note.insert(0, paragraph)
            set_paragraph_style(Paragraph(paragraph, container), paragraph_style)
            first = paragraph
        mark = OxmlElement("w:r")
        mark.append(w_rstyle("FootnoteReference"))
        mark.append(OxmlElement("w:footnoteRef"))
        space = OxmlElement("w:r")
        text = OxmlElement("w:t")
        text.set(qn("xml:space"), "preserve")
        text.text = " "
        space.append(text)
        position = 1 if len(first) and first[0].tag == qn("w:pPr") else 0
        first.insert(position, space)
        first.insert(position, mark)

    @property
    def count(self) -> int:
        """Return how many notes were added."""
        return self._next_id - 1

    def _get_part(self) -> FootnotesPart:
        if self._part is None:
            document_part = self._document.part
            self._part = FootnotesPart.new(document_part.package)
            document_part.relate_to(self._part, RT.FOOTNOTES)
            settings = self._document.settings.element
            footnote_pr = parse_xml(f'<w:footnotePr {nsdecls("w")}><w:footnote w:id="-1"/>'
                                    '<w:footnote w:id="0"/></w:footnotePr>')
            _insert_setting(settings, footnote_pr)
        return self._part


# --------------------------------------------------------------------------- numbering


class ListLevel:
    """One level of a numbering definition: format, text, indents (twips), linked style."""

    def __init__(self, fmt: str, text: str, left: int, hanging: int, *,
                 style: str | None = None, suffix: str = "tab") -> None:
        self.fmt, self.text, self.left, self.hanging = fmt, text, left, hanging
        self.style, self.suffix = style, suffix

    def xml(self, level: int) -> str:
        """Return the ``w:lvl`` XML of this level at index `level`."""
        style = f'<w:pStyle w:val="{self.style}"/>' if self.style else ""
        return (f'<w:lvl w:ilvl="{level}"><w:start w:val="1"/>'
                f'<w:numFmt w:val="{self.fmt}"/>{style}<w:suff w:val="{self.suffix}"/>'
                f'<w:lvlText w:val={quoteattr(self.text)}/><w:lvlJc w:val="left"/>'
                f'<w:pPr><w:tabs><w:tab w:val="num" w:pos="{self.left}"/></w:tabs>'
                f'<w:ind w:left="{self.left}" w:hanging="{self.hanging}"/></w:pPr></w:lvl>')


#: List marks by nesting depth, as the PDF writer's (LaTeX's): bullets, and 1. (a) i.
_BULLETS = ["\u2022", "\u2013", "\u2217"]                                 # • – ∗
_ORDERED = [("decimal", "%{n}."), ("lowerLetter", "(%{n})"), ("lowerRoman", "%{n}.")]


class Numbering:
    """The numbering definitions paperkit adds to ``numbering.xml``."""

    def __init__(self, document: DocxDocument) -> None:
        self._root = document.part.numbering_part.element
        ids = [int(v) for v in self._root.xpath("./w:abstractNum/@w:abstractNumId")]
        self._next_abstract = max(ids, default=-1) + 1
        self._bullet_abstract: int | None = None
        self._ordered_abstract: int | None = None
        self._bullet_num: int | None = None

    def add_abstract(self, name: str, levels: list[ListLevel], kind: str = "hybridMultilevel"
                     ) -> int:
        """Return the id of a new ``w:abstractNum`` called `name` with `levels`."""
        abstract_id = self._next_abstract
        self._next_abstract += 1
        nsid = f"{zlib.crc32(name.encode()) & 0xFFFFFFFF:08X}"
        body = "".join(level.xml(i) for i, level in enumerate(levels))
        element = parse_xml(
            f'<w:abstractNum {nsdecls("w")} w:abstractNumId="{abstract_id}">'
            f'<w:nsid w:val="{nsid}"/><w:multiLevelType w:val="{kind}"/>'
            f'<w:name w:val={quoteattr(name)}/>{body}</w:abstractNum>')
        existing_nums = self._root.findall(qn("w:num"))
        if existing_nums:
            existing_nums[0].addprevious(element)
        else:
            self._root.append(element)
        return abstract_id

    def add_num(self, abstract_id: int, starts: dict[int, int] | None = None) -> int:
        """Return the id of a new ``w:num`` using `abstract_id`, levels restarting at `starts`."""
        num = self._root.add_num(abstract_id)
        for level, start in sorted((starts or {}).items()):
            override = parse_xml(f'<w:lvlOverride {nsdecls("w")} w:ilvl="{level}">'
                                 f'<w:startOverride w:val="{start}"/></w:lvlOverride>')
            num.append(override)
        return int(num.numId)

    def bullets(self) -> int:
        """Return the num id all bullet lists share (bullets need no restart)."""
        if self._bullet_num is None:
            levels = [ListLevel("bullet", _BULLETS[i % len(_BULLETS)], LIST_STEP * (i + 1),
                                LIST_STEP - _LABEL_INDENT) for i in range(9)]
            self._bullet_abstract = self.add_abstract("paperkit bullets", levels)
            self._bullet_num = self.add_num(self._bullet_abstract)
        return self._bullet_num

    def ordered(self, level: int, start: int) -> int:
        """Return a new num id for one ordered list at `level`, restarting at `start`."""
        if self._ordered_abstract is None:
            levels = []
            for i in range(9):
                fmt, text = _ORDERED[i % len(_ORDERED)]
                # Numbers such as "(a)" or "viii." need the whole step before the text.
                levels.append(ListLevel(fmt, text.format(n=i + 1), LIST_STEP * (i + 1),
                                        LIST_STEP))
            self._ordered_abstract = self.add_abstract("paperkit ordered", levels)
        return self.add_num(self._ordered_abstract, {level: max(0, start)})


def set_style_numbering(style: BaseStyle, num_id: int, level: int) -> None:
    """Attach numbering `num_id` at `level` to paragraph `style` (as Word's heading lists do)."""
    _set_numpr(style.element.get_or_add_pPr(), num_id, level)


def set_paragraph_numbering(paragraph: Paragraph, num_id: int, level: int | None) -> None:
    """Number `paragraph` with `num_id` at `level`; ``num_id=0`` switches numbering off."""
    _set_numpr(paragraph._p.get_or_add_pPr(), num_id, level)


def _set_numpr(ppr: Any, num_id: int, level: int | None) -> None:
    numpr = ppr.find(_NUMPR)
    if numpr is None:
        # what python-docx's get_or_add_numPr/ilvl/numId make of a pPr without numbering,
        # built directly: it places each new child by testing for each of its successors
        # through its descriptors (~0.1 ms a heading style or list item)
        numpr = OxmlElement("w:numPr")
        if level is not None:
            numpr.append(w_element("w:ilvl", val=str(level)))
        numpr.append(w_element("w:numId", val=str(num_id)))
        for tag in _NUMPR_SUCCESSORS:        # python-docx's order: the first tag found
            successor = ppr.find(tag)
            if successor is not None:
                successor.addprevious(numpr)
                return
        ppr.append(numpr)
        return
    if level is not None:
        numpr.get_or_add_ilvl().val = level
    numpr.get_or_add_numId().val = num_id


#: ``w:numPr`` and the children of ``w:pPr`` that come after it (python-docx's CT_PPr).
_NUMPR = qn("w:numPr")
_NUMPR_SUCCESSORS = tuple(qn(f"w:{tag}") for tag in (
    "suppressLineNumbers", "pBdr", "shd", "tabs", "suppressAutoHyphens", "kinsoku",
    "wordWrap", "overflowPunct", "topLinePunct", "autoSpaceDE", "autoSpaceDN", "bidi",
    "adjustRightInd", "snapToGrid", "spacing", "ind", "contextualSpacing", "mirrorIndents",
    "suppressOverlap", "jc", "textDirection", "textAlignment", "textboxTightWrap",
    "outlineLvl", "divId", "cnfStyle", "rPr", "sectPr", "pPrChange"))


# --------------------------------------------------------------------------- document-wide

#: The schema order of the ``w:settings`` children paperkit inserts, and of what may follow
#: them (Word rejects a settings part whose children are out of order).
_SETTINGS_ORDER = (
    "w:defaultTabStop", "w:autoHyphenation", "w:consecutiveHyphenLimit", "w:hyphenationZone",
    "w:doNotHyphenateCaps", "w:showEnvelope", "w:summaryLength", "w:clickAndTypeStyle",
    "w:defaultTableStyle", "w:evenAndOddHeaders", "w:bookFoldRevPrinting",
    "w:bookFoldPrinting", "w:bookFoldPrintingSheets", "w:drawingGridHorizontalSpacing",
    "w:drawingGridVerticalSpacing", "w:displayHorizontalDrawingGridEvery",
    "w:displayVerticalDrawingGridEvery", "w:doNotUseMarginsForDrawingGridOrigin",
    "w:drawingGridHorizontalOrigin", "w:drawingGridVerticalOrigin", "w:doNotShadeFormData",
    "w:noPunctuationKerning", "w:characterSpacingControl", "w:printTwoOnOne",
    "w:strictFirstAndLastChars", "w:noLineBreaksAfter", "w:noLineBreaksBefore",
    "w:savePreviewPicture", "w:doNotValidateAgainstSchema", "w:saveInvalidXml",
    "w:ignoreMixedContent", "w:alwaysShowPlaceholderText", "w:doNotDemarcateInvalidXml",
    "w:saveXmlDataOnly", "w:useXSLTWhenSaving", "w:saveThroughXslt", "w:showXMLTags",
    "w:alwaysMergeEmptyNamespace", "w:updateFields", "w:hdrShapeDefaults", "w:footnotePr",
    "w:endnotePr", "w:compat", "w:docVars", "w:rsids", "m:mathPr", "w:attachedSchema",
    "w:themeFontLang", "w:clrSchemeMapping", "w:doNotIncludeSubdocsInStats",
    "w:doNotAutoCompressPictures", "w:forceUpgrade", "w:captions", "w:readModeInkLockDown",
    "w:smartTagType", "sl:schemaLibrary", "w:shapeDefaults", "w:doNotEmbedSmartTags",
    "w:decimalSymbol", "w:listSeparator")


def _insert_setting(settings: CT_Settings, element: BaseOxmlElement) -> None:
    """Insert `element` into ``w:settings`` at its schema position (Word is strict)."""
    tag = element.tag
    existing = settings.find(tag)
    if existing is not None:
        settings.remove(existing)
    name = next(t for t in _SETTINGS_ORDER if qn(t) == tag)
    successors = _SETTINGS_ORDER[_SETTINGS_ORDER.index(name) + 1:]
    settings.insert_element_before(element, *successors)


def set_doc_defaults(document: DocxDocument, family: str, size: float, lang: str) -> None:
    """Set the document defaults: font `family` and `size` (pt), language `lang`, no spacing.

    The language lets Word and LibreOffice spell-check and hyphenate in the paper's language;
    East Asian and right-to-left tags also go to their own slots.
    """
    styles = document.styles.element
    defaults = styles.find(qn("w:docDefaults"))
    if defaults is not None:
        styles.remove(defaults)
    primary = lang.split("-")[0].lower()
    east_asia = lang if primary in ("ja", "zh", "ko") else "ja-JP"
    bidi = lang if primary in ("ar", "he", "fa", "ur", "yi") else "ar-SA"
    half_points = round(size * 2)
    defaults = parse_xml(
        f'<w:docDefaults {nsdecls("w")}><w:rPrDefault><w:rPr>'
        f'<w:rFonts w:ascii={quoteattr(family)} w:hAnsi={quoteattr(family)} '
        f'w:cs={quoteattr(family)} w:eastAsiaTheme="minorEastAsia"/>'
        f'<w:sz w:val="{half_points}"/><w:szCs w:val="{half_points}"/>'
        f'<w:lang w:val={quoteattr(lang)} w:eastAsia={quoteattr(east_asia)} '
        f'w:bidi={quoteattr(bidi)}/></w:rPr></w:rPrDefault>'
        '<w:pPrDefault><w:pPr><w:spacing w:after="0" w:line="240" w:lineRule="auto"/>'
        '</w:pPr></w:pPrDefault></w:docDefaults>')
    styles.insert(0, defaults)


def set_document_settings(document: DocxDocument, lang: str) -> None:
    """Switch on automatic hyphenation, leave compatibility mode, and let Word re-check
    spelling in `lang` (the template claims its text was already checked)."""
    settings = document.settings.element
    for tag in ("w:proofState", "w:rsids"):
        for child in settings.findall(qn(tag)):
            settings.remove(child)
    _insert_setting(settings, OxmlElement("w:autoHyphenation"))
    compat = settings.find(qn("w:compat"))
    if compat is not None:
        # A line ended by a manual break is not stretched in justified text (as in LaTeX).
        compat.insert(0, OxmlElement("w:doNotExpandShiftReturn"))
    for setting in settings.iter(qn("w:compatSetting")):
        if setting.get(qn("w:name")) == "compatibilityMode":
            setting.set(qn("w:val"), "15")
    theme_lang = settings.find(qn("w:themeFontLang"))
    if theme_lang is not None:
        theme_lang.set(qn("w:val"), lang)


_APP_NS = "http://schemas.openxmlformats.org/officeDocument/2006/extended-properties"


def app_properties_xml(words: int, characters: int, with_spaces: int, paragraphs: int
                       ) -> bytes:
    """Return ``docProps/app.xml``: paperkit as the application, and the document's counts.

    Word shows these in the file's properties until it recounts. There is no page count:
    only a layout engine knows it, and a wrong one is worse than none.
    """
    values = [("Template", "Normal.dotm"), ("TotalTime", "0"), ("Words", words),
              ("Characters", characters), ("Application", "paperkit"), ("DocSecurity", 0),
              ("Paragraphs", paragraphs), ("ScaleCrop", "false"),
              ("LinksUpToDate", "false"), ("CharactersWithSpaces", with_spaces),
              ("SharedDoc", "false"), ("HyperlinksChanged", "false")]
    body = "".join(f"<{name}>{value}</{name}>" for name, value in values)
    return (b"<?xml version='1.0' encoding='UTF-8' standalone='yes'?>\n"
            + f'<Properties xmlns="{_APP_NS}">{body}</Properties>'.encode())


def set_app_properties(document: DocxDocument, xml: bytes) -> None:
    """Make `xml` the document's extended (app) properties part, adding the part if needed."""
    package = document.part.package
    for rel in package.rels.values():
        if rel.reltype == RT.EXTENDED_PROPERTIES:
            rel.target_part._blob = xml
            return
    part = Part(PackURI("/docProps/app.xml"), CT.OFC_EXTENDED_PROPERTIES, xml, package)
    package.relate_to(part, RT.EXTENDED_PROPERTIES)


def set_update_fields(document: DocxDocument) -> None:
    """Ask Word to update every field when it opens the document (it asks the user first)."""
    _insert_setting(document.settings.element, w_element("w:updateFields", val="true"))


def tidy_package(document: DocxDocument) -> None:
    """Drop what python-docx's template carries but a paper must not: its thumbnail, the
    duplicate ``stylesWithEffects`` part and the custom XML item. (The app properties are
    written at the end, by :func:`set_app_properties`.)"""
    part = document.part
    for r_id, rel in list(part.rels.items()):
        if rel.reltype in (_STYLES_WITH_EFFECTS, RT.CUSTOM_XML):
            del part.rels[r_id]
    package = part.package
    for r_id, rel in list(package.rels.items()):
        if rel.reltype == _THUMBNAIL:
            del package.rels[r_id]


def package_entries(document: DocxDocument) -> dict[str, bytes]:
    """Return the zip entries ``document.save()`` would write: member name -> bytes.

    What python-docx's ``OpcPackage.save`` writes, without its zip: :func:`write_zip` writes
    the only zip (saving and re-reading one costs a deflate and an inflate per paper)."""
    package = document.part.package
    for part in package.parts:
        part.before_marshal()
    parts = package.parts
    types = _ContentTypesItem.from_parts(parts)  # type: ignore[no-untyped-call]
    entries = {"[Content_Types].xml": types.blob,
               "_rels/.rels": package.rels.xml}
    for part in parts:
        entries[part.partname.membername] = part.blob
        if len(part.rels):
            entries[part.partname.rels_uri.membername] = part.rels.xml
    return entries


def normalize_zip(data: bytes, when: datetime) -> bytes:
    """Return the zip `data` rewritten with fixed timestamps (`when`) and a stable order
    (:func:`write_zip` of its entries)."""
    with zipfile.ZipFile(io.BytesIO(data)) as source:
        entries = {info.filename: source.read(info.filename) for info in source.infolist()}
    return write_zip(entries, when)


def write_zip(entries: dict[str, bytes], when: datetime) -> bytes:
    """Return a zip of `entries` (member name -> bytes) with fixed timestamps (`when`) and
    a stable order.

    ``[Content_Types].xml`` and ``_rels/.rels`` come first, then every other entry sorted by
    name, all deflated the same way, so equal content gives equal bytes.
    """
    stamp = max(when.timetuple()[:6], (1980, 1, 1, 0, 0, 0))
    first = [n for n in ("[Content_Types].xml", "_rels/.rels") if n in entries]
    order = first + sorted(n for n in entries if n not in first)
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as target:
        for name in order:
            info = zipfile.ZipInfo(name, date_time=stamp)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.create_system = 0
            info.external_attr = 0
            data = entries[name]
            if len(data) < _DEFLATED_MIN:
                target.writestr(info, data, compresslevel=_LEVEL)
            else:
                _write_deflated(target, info, data)
    return out.getvalue()


#: The deflate level of every entry, and the deflate streams of large entries written
#: before, by digest of their bytes: the styles part (~350 kB, ~4 ms to deflate), the theme
#: and the font table are the same in every paper of a template.
_LEVEL, _DEFLATED_MIN, _DEFLATED_MAX = 6, 8192, 16
_DEFLATED: OrderedDict[bytes, bytes] = OrderedDict()
_COMPRESS_TYPE = type(zlib.compressobj())


def _write_deflated(target: zipfile.ZipFile, info: zipfile.ZipInfo, data: bytes) -> None:
    """Do ``target.writestr(info, data, compresslevel=6)``, handing zipfile the deflate
    stream of `data` from :data:`_DEFLATED` (or made here by the same zlib call zipfile
    makes): the same bytes, deflated once a process."""
    key = hashlib.blake2b(data, digest_size=20).digest()
    stream = _DEFLATED.get(key)
    if stream is None:
        compressor = zlib.compressobj(_LEVEL, zlib.DEFLATED, -15)   # zipfile's own call
        stream = compressor.compress(data) + compressor.flush()
        _DEFLATED[key] = stream
        while len(_DEFLATED) > _DEFLATED_MAX:
            _DEFLATED.popitem(last=False)
    else:
        _DEFLATED.move_to_end(key)
    setattr(info, "_compresslevel", _LEVEL)     # what writestr(compresslevel=6) sets
    info.file_size = len(data)
    with target.open(info, mode="w") as dest:
        if isinstance(getattr(dest, "_compressor", None), _COMPRESS_TYPE):
            dest._compressor = _Replay(data, stream)  # type: ignore[attr-defined]
        dest.write(data)


class _Replay:
    """Stands in for zipfile's compressor of one entry: gives the stream computed before
    for the one ``compress(data)`` call zipfile makes, falling back to zlib otherwise."""

    def __init__(self, data: bytes, stream: bytes) -> None:
        self._data: bytes | None = data
        self._stream = stream
        self._real: Any = None

    def compress(self, data: bytes) -> bytes:
        if self._real is None and data is self._data:
            self._data = None
            self._real = False                  # replayed: nothing may follow
            return self._stream
        if self._real is False:
            raise RuntimeError("zipfile wrote an entry in more than one piece")
        if self._real is None:
            self._data = None
            self._real = zlib.compressobj(_LEVEL, zlib.DEFLATED, -15)
        chunk: bytes = self._real.compress(data)
        return chunk

    def flush(self) -> bytes:
        if not self._real:
            return b""
        rest: bytes = self._real.flush()
        return rest
