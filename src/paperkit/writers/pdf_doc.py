"""The PDF document template, outline headings and anchors.

:class:`PaperDoc` draws each page's footnotes (:mod:`~paperkit.writers.pdf_flowables`) when
the page ends and stamps a fixed creation date; :class:`Heading` adds an outline entry where
it is drawn; :class:`Anchor` defines a named destination; :func:`anchors_of` lists every
destination a paper's PDF defines.
"""

from __future__ import annotations

import time
from hashlib import md5
from typing import Any

from reportlab.platypus import Flowable
from reportlab.platypus.doctemplate import BaseDocTemplate

from ..model import Block, BlockQuote, BulletList, Figure, OrderedList, Paper, Table
from ..walk import iter_sections
from . import layout
from .pdf_flowables import FootnoteFrame, NoteStore
from .pdf_markup import NOTE_CALLBACK
from .pdf_mathtext import MathParagraph

__all__ = ["PaperDoc", "Heading", "Anchor", "anchors_of"]


# --------------------------------------------------------------------------- document

#: reportlab's invariant-mode time stamp (2000-01-01), the seed of its /ID digest
_INVARIANT_SEED = 946684800.0


class PaperDoc(BaseDocTemplate):  # type: ignore[misc]  # reportlab is untyped
    """A doc template that draws footnotes at page ends and stamps a fixed creation date.

    `store` is the document's :class:`NoteStore`; `epoch` the creation and modification time
    (seconds since 1970) written into the metadata.
    """

    def __init__(self, filename: Any, store: NoteStore, epoch: int, **kwargs: Any) -> None:
        self.store = store
        self.epoch = epoch
        super().__init__(filename, **kwargs)

    def beforeDocument(self) -> None:
        self.canv.setNamedCB(NOTE_CALLBACK, self._marker_drawn)
        self.canv.showOutline()        # open the bookmarks panel: the outline is the TOC
        document = self.canv._doc
        stamp = document._timeStamp
        # reportlab's invariant mode fixes the date to 2000-01-01 (or $SOURCE_DATE_EPOCH),
        # and seeds the trailer /ID digest with it; the build options are the one source of
        # time here, so the seed is reset to the invariant one (the metadata dates, from
        # the options, still go into the digest when the file is saved)
        document.signature = md5(b"a reportlab document" + ascii(_INVARIANT_SEED).encode(),
                                 usedforsecurity=False)
        stamp.t = self.epoch
        stamp.lt = time.gmtime(self.epoch)
        stamp.YMDhms = tuple(stamp.lt)[:6]
        stamp.dhh = stamp.dmm = 0
        stamp.tzname = "UTC"

    def _marker_drawn(self, canv: Any, kind: str, label: str | None) -> None:
        if label is not None:
            self.store.marker_pages.setdefault(label, canv.getPageNumber())

    def handle_pageEnd(self) -> None:
        for frame in self.pageTemplate.frames:
            if isinstance(frame, FootnoteFrame) and frame.draw_notes(self.canv):
                # a page of carried-over note text is content: platypus stops after ten
                # pages it thinks empty
                self._curPageFlowableCount += 1
        super().handle_pageEnd()


# --------------------------------------------------------------------------- small flowables


class Heading(MathParagraph):
    """A heading paragraph that adds a PDF outline entry (bookmark) when drawn.

    `outline` is (title, key, level from 0). `key` must be unique in the document (reportlab
    keys outline entries by destination, so two headings with one label would share an
    entry); the heading defines that destination at its top. Cross-reference targets come
    from ``<a name=...>`` anchors in the markup. A heading is never split across pages.
    """

    outline: tuple[str, str, int] | None = None

    def split(self, availWidth: float, availHeight: float) -> list[Flowable]:
        return []

    def draw(self) -> None:
        super().draw()
        if self.outline is not None:
            title, key, level = self.outline
            self.canv.bookmarkHorizontal(key, 0, self.height)
            self.canv.addOutlineEntry(title, key, level=level, closed=False)


def anchors_of(paper: Paper) -> frozenset[str]:
    """Return every internal link target the PDF defines for `paper`."""
    found: set[str] = set()
    for section in iter_sections(paper.sections):
        if section.label:
            found.add(section.label)
    blocks: list[Block] = list(paper.blocks)
    for section in iter_sections(paper.sections):
        blocks.extend(section.blocks)
    while blocks:
        block = blocks.pop()
        match block:
            case Table(label=label) | Figure(label=label):
                if label:
                    found.add(label)
            case BulletList(items=items) | OrderedList(items=items):
                for item in items:
                    blocks.extend(item)
            case BlockQuote(blocks=inner):
                blocks.extend(inner)
            case _:
                pass
    for entry in paper.bibliography or []:
        found.add(layout.entry_anchor(entry.key))
    return frozenset(found)


class Anchor(Flowable):  # type: ignore[misc]  # reportlab is untyped
    """A zero-size flowable that defines the named destination `name` where it stands."""

    _ZEROSIZE = True

    def __init__(self, name: str) -> None:
        super().__init__()
        self.name = name

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:
        return 0, 0

    def draw(self) -> None:
        self.canv.bookmarkHorizontal(self.name, 0, 0)
