"""The document the Word writer starts from: python-docx's blank one, or a template's
``reference.docx`` (pandoc's convention).

A template folder may hold a ``reference.docx``, typically a paperkit output restyled in
Word or a house template. Its content is dropped; what it contributes:

- **Styles** it defines that the template does not (a "Sidebar" style, a table style) stay
  as they are. Styles paperkit defines start from the reference's definition and get the
  template's values set over it (fonts, sizes, spacing, indents, alignment, numbering), so
  a property the template says nothing about (a heading colour, a paragraph border) stays.
  The template wins for every value both define.
- **Page setup**: the header and footer distances, gutter, columns and page-number format
  stay; page size, orientation and margins are the template's.
- **Headers and footers** that hold anything (text, a field, a picture) are used instead of
  paperkit's running header or page-number footer; a story the reference leaves empty is
  paperkit's.
- Its theme, font table, web settings and endnote separators stay; its comments, footnotes
  and the relationships only its dropped content used go.
"""

from __future__ import annotations

import copy
import os
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Callable, TypeVar, cast

from docx import Document
from docx.document import Document as DocxDocument
from docx.opc.package import OpcPackage
from docx.opc.part import Part
from docx.opc.rel import Relationships
from docx.package import ImageParts
from docx.parts.image import ImagePart
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.oxml.ns import qn

from ..errors import TemplateError
from ..model import Pos
from ..templates import Template
from .docx_base_cache import load_prepared, store_prepared
from .docx_parts import tidy_package

__all__ = ["Base", "open_base", "open_prepared", "REFERENCE_DOCX"]

#: The file name a template's reference document has in :attr:`Template.files`.
REFERENCE_DOCX = "reference.docx"

#: Relationships of the document part that only the body's content uses: dropped with the
#: content when nothing left refers to them.
_CONTENT_RELS = {RT.IMAGE, RT.HYPERLINK, RT.HEADER, RT.FOOTER, RT.OLE_OBJECT, RT.CHART,
                 RT.PACKAGE, RT.DIAGRAM_DATA, RT.DIAGRAM_LAYOUT, RT.DIAGRAM_QUICK_STYLE,
                 RT.DIAGRAM_COLORS,
                 "http://schemas.microsoft.com/office/2007/relationships/diagramDrawing"}

#: Parts tied to the dropped content, always removed (paperkit writes its own footnotes).
_CONTENT_PARTS = {RT.FOOTNOTES, RT.COMMENTS,
                  "http://schemas.microsoft.com/office/2011/relationships/commentsExtended",
                  "http://schemas.microsoft.com/office/2016/09/relationships/commentsIds",
                  "http://schemas.microsoft.com/office/2018/08/relationships/commentsExtensible",
                  "http://schemas.microsoft.com/office/2011/relationships/people"}

_R_ATTRIBUTES = (qn("r:id"), qn("r:embed"), qn("r:link"), qn("r:pict"))


@dataclass(frozen=True, slots=True)
class Base:
    """The document to write into, and what of its reference it keeps.

    `merge` says the styles come from a reference (see :func:`.docx_styles.define_styles`);
    `header` and `footer` that the reference's headers or footers are kept.
    """

    doc: DocxDocument
    merge: bool = False
    header: bool = False
    footer: bool = False


@dataclass(slots=True)
class _Prepared:
    """A base document prepared for a template, kept unwritten to be copied per paper."""

    look: Template
    reference: tuple[str, int, int, int] | None
    prepare: Callable[[Base, Template], None]
    package: OpcPackage
    merge: bool
    header: bool
    footer: bool
    #: what the writer caches per prepared document and may share among its copies
    shared: dict[str, object] = field(default_factory=dict)


# The base documents prepared lately (a process that builds many papers, or one paper
# again: a batch, --watch, library use), the most recently used last. Reused by value: the
# Template's look (a dataclass compared field by field; its folder, however spelled, and its
# other files do not enter the Word document) and the same, unchanged reference.docx give
# the same package, whichever Template object carries them.
_PREPARED: list[_Prepared] = []

#: How many prepared documents :data:`_PREPARED` keeps.
_PREPARED_MAX = 4


def open_prepared(template: Template, prepare: Callable[[Base, Template], None]
                  ) -> tuple[Base, dict[str, object]]:
    """Return ``open_base(template)`` after ``prepare(base, template)`` (the writer's
    styles), and a dict the writer may use to share what it derives from the prepared
    document among its copies.

    The first call for a template prepares a document and keeps a copy of its package
    untouched; a later call for an equal `template` (and `prepare`), its reference.docx the
    same file and unchanged, returns a deep copy of that package instead: the same parts
    and XML, without reading the base document and preparing it again (~30 ms a paper).
    Raises as :func:`open_base`.
    """
    look, reference = _look(template), _reference(template)
    if reference is None and REFERENCE_DOCX in template.files:
        # a reference.docx that cannot be read: open_base reports it (nothing is kept)
        base = open_base(template)
        prepare(base, template)
        return base, {}
    for index, entry in enumerate(_PREPARED):
        if entry.prepare is prepare and entry.reference == reference and entry.look == look:
            _PREPARED.append(_PREPARED.pop(index))
            package = _copy_package(entry.package)
            doc = package.main_document_part.document
            return Base(doc, entry.merge, entry.header, entry.footer), entry.shared
    stored = load_prepared(look, reference, prepare)      # prepared by an earlier run
    if stored is not None:
        base = Base(*stored)
    else:
        base = open_base(template)
        prepare(base, template)
        store_prepared(look, reference, prepare, base.doc, base.merge, base.header,
                       base.footer)
    package = base.doc.part.package
    entry = _Prepared(look, reference, prepare, _copy_package(package), base.merge,
                      base.header, base.footer)
    _PREPARED.append(entry)
    del _PREPARED[:-_PREPARED_MAX]
    return base, entry.shared


#: Attributes of python-docx parts that never change once a part is loaded: shared by copies.
_SHARED = frozenset({"_partname", "_content_type", "_blob", "_image"})


def _copy_package(package: OpcPackage) -> OpcPackage:
    """Return a deep copy of `package`: its parts' XML copied (lxml, in C), their
    relationships and the package's image collection rebuilt, what never changes shared
    (``copy.deepcopy`` of the whole object graph spends ~4 ms a paper in Python). State it
    does not know is copied by ``copy.deepcopy``, as everything is then."""
    fresh = _bare(package)
    if fresh is None:
        return _deep_copy(package)
    parts = list(package.iter_parts())
    # python-docx's image collection is state, not a cache: it holds every image part the
    # document was loaded with, a dropped one too (it numbers new images after them and
    # reuses one whose bytes a paper adds again)
    images: list[Part] = list(vars(package).get("image_parts", ()))
    everything = [*parts, *(image for image in images if image not in parts)]
    clones: dict[int, Part] = {}
    for part in everything:
        clone = _bare(part)
        if clone is None:
            return _deep_copy(package)
        element = getattr(part, "_element", None)
        copied = copy.deepcopy(element)
        for key, value in vars(part).items():
            if key in _SHARED:
                setattr(clone, key, value)
            elif element is not None and value is element:    # _element, SettingsPart's alias
                setattr(clone, key, copied)
        setattr(clone, "_package", fresh)
        clones[id(part)] = clone

    def rels(source: Relationships) -> Relationships | None:
        copied = Relationships(source._baseURI)
        for r_id, rel in source.items():
            target = rel.target_ref if rel.is_external else clones.get(id(rel.target_part))
            if target is None:
                return None
            copied.add_relationship(rel.reltype, target, r_id, rel.is_external)
        return copied

    copied_rels = rels(package.rels)
    if copied_rels is None:
        return _deep_copy(package)
    vars(fresh)["rels"] = copied_rels
    for part in everything:
        copied_rels = rels(part.rels)
        if copied_rels is None:                 # a dropped part's link to a part gone too
            return _deep_copy(package)
        clone = clones[id(part)]
        vars(clone)["rels"] = copied_rels
        setattr(clone, "_rels", copied_rels)
    if "image_parts" in vars(package):
        collection = ImageParts()  # type: ignore[no-untyped-call]
        for image in images:
            collection.append(cast(ImagePart, clones[id(image)]))
        vars(fresh)["image_parts"] = collection
    return fresh


def _deep_copy(package: OpcPackage) -> OpcPackage:
    """Return ``copy.deepcopy(package)`` after dropping the parts' known caches (one may hold
    an element below a part's root, which a copy of the tree would leave behind)."""
    for part in package.iter_parts():
        for name in _CACHES:
            vars(part).pop(name, None)
    copied: OpcPackage = copy.deepcopy(package)
    return copied


_T = TypeVar("_T")

#: Lazily computed attributes of python-docx parts that are caches (found again from the
#: XML or the relationships): a copy computes them afresh. ``inline_shapes`` would even hold
#: an element below the root, which a copy of the tree leaves behind.
_CACHES = frozenset({"inline_shapes", "numbering_part", "numbering_definitions",
                     "_document_part"})

#: Attributes :func:`_copy_package` sets itself.
_REBUILT = frozenset({"_package", "_element", "rels", "_rels", "image_parts"})


def _bare(source: _T) -> _T | None:
    """Return a new object of `source`'s class with none of its attributes, or None when
    `source` holds state :func:`_copy_package` does not know (then it deep-copies)."""
    cls = type(source)
    for key, value in vars(source).items():
        if key in _SHARED or key in _REBUILT or key in _CACHES:
            continue
        if value is getattr(source, "_element", None):
            continue
        return None
    bare: _T = object.__new__(cls)
    return bare


def _look(template: Template) -> Template:
    """Return `template` without what does not enter the Word document: its name, folder
    and files (the reference.docx is compared by :func:`_reference`)."""
    return replace(template, name="", path=Path(), search_path=(), files={})


def _reference(template: Template) -> tuple[str, int, int, int] | None:
    """Return which reference.docx `template` has and what tells an edit of it (real path,
    modification time, size, inode); None without one or when it cannot be read."""
    path = template.files.get(REFERENCE_DOCX)
    if path is None:
        return None
    try:
        found = Path(path).stat()
    except OSError:
        return None
    return os.path.realpath(path), found.st_mtime_ns, found.st_size, found.st_ino


def open_base(template: Template) -> Base:
    """Return the document to write `template`'s paper into.

    Raises :class:`~paperkit.errors.TemplateError` (PK108) when the template's
    ``reference.docx`` is not a Word document.
    """
    path = template.files.get(REFERENCE_DOCX)
    if path is None:
        doc = Document()
        tidy_package(doc)
        return Base(doc)
    try:
        doc = Document(str(path))
    except Exception as exc:  # noqa: BLE001 - zip, XML and package errors alike
        raise TemplateError.make(
            "PK108", Pos(str(Path(path)), 1),
            detail=f"{REFERENCE_DOCX} is not a Word document: {exc}") from None
    tidy_package(doc)
    _clear_body(doc)
    section = doc.sections[0]
    header = any(_has_content(section, kind) for kind in
                 ("header", "first_page_header", "even_page_header"))
    footer = any(_has_content(section, kind) for kind in
                 ("footer", "first_page_footer", "even_page_footer"))
    return Base(doc, merge=True, header=header, footer=footer)


def _clear_body(doc: DocxDocument) -> None:
    """Drop the reference's content, keeping its last section's properties, and the parts
    and relationships only that content used."""
    body = doc.element.body
    for child in list(body):
        if child.tag != qn("w:sectPr"):
            body.remove(child)
    part = doc.part
    used = {value for element in part.element.iter() for key, value in element.attrib.items()
            if key in _R_ATTRIBUTES}
    for r_id, rel in list(part.rels.items()):
        if rel.reltype in _CONTENT_PARTS or (rel.reltype in _CONTENT_RELS and r_id not in used):
            del part.rels[r_id]
    settings = doc.settings.element
    for note_pr in settings.findall(qn("w:footnotePr")):
        settings.remove(note_pr)


def _has_content(section: object, story: str) -> bool:
    """Return whether `section`'s header or footer `story` holds text, a field or a picture."""
    part = getattr(section, story)
    if part.is_linked_to_previous:
        return False
    element = part._element
    if "".join(element.itertext()).strip():
        return True
    return any(True for _ in element.iter(qn("w:drawing"), qn("w:pict"), qn("w:fldSimple"),
                                          qn("w:fldChar")))
