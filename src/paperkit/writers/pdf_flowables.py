"""Bottom-of-page footnotes for platypus, which reportlab lacks.

With :mod:`~paperkit.writers.pdf_doc` (the doc template, outline headings, anchors), the only
module that subclasses platypus internals (``Frame``).

Footnotes, the design
---------------------
reportlab has no footnotes. A footnote's text must sit at the bottom of the page on which its
mark is drawn, and the space it takes is then missing from the text above, so notes have to be
placed *while* the page is laid out, not afterwards:

- :func:`~paperkit.writers.pdf_markup.note_marker` puts an invisible zero-width
  ``<onDraw name="pk_note" label="N"/>`` fragment after each mark. reportlab carries such
  fragments through line breaking and :meth:`Paragraph.split`, so :func:`note_labels` can tell
  which notes any flowable, or any *piece* of a split paragraph, carries.
- :class:`FootnoteFrame` is the page's single body frame. Before it draws a flowable it looks for
  notes in it that are not placed yet and checks that the flowable *and* those notes fit: the
  notes stack up from the frame's bottom under a short rule, and the frame's usable bottom rises
  by their height. When they do not fit, its :meth:`~FootnoteFrame.split` looks for the longest
  first piece of the flowable whose own notes fit with it (a paragraph then breaks after the
  line with the mark, or the mark moves to the next page with its note).
- A note longer than the room left under its mark is split itself (at least two lines stay on
  the mark's page, by the note style's orphan control); the rest is carried to the bottom of
  the next page before any new note (:attr:`NoteStore.carry`). :class:`NotesFlush`, placed at
  the end of the story, adds pages while carried note text remains.
- :class:`~paperkit.writers.pdf_doc.PaperDoc` draws each frame's notes when its page ends.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from reportlab.lib.colors import black
from reportlab.platypus import Flowable, Frame, PageBreak, Paragraph, Table
from reportlab.platypus.flowables import KeepTogether

from .pdf_markup import NOTE_CALLBACK

__all__ = ["NoteStore", "FootnoteFrame", "NotesFlush", "RaiseTop", "note_labels"]


# --------------------------------------------------------------------------- finding notes


def _scan_frags(frags: Any, out: list[str]) -> None:
    if isinstance(frags, (list, tuple)):
        for item in frags:
            _scan_frags(item, out)
        return
    callback = getattr(frags, "cbDefn", None)
    if callback is not None and getattr(callback, "name", None) == NOTE_CALLBACK:
        out.append(str(callback.label))


def _scan(flowable: Any, out: list[str]) -> None:
    if isinstance(flowable, Paragraph):
        text = getattr(flowable, "text", None)
        if isinstance(text, str) and NOTE_CALLBACK not in text:
            return              # its source markup has no mark (split pieces have no text)
        _scan_frags(getattr(flowable, "frags", []), out)
        return
    if isinstance(flowable, Table):
        for row in getattr(flowable, "_cellvalues", []):
            for cell in row:
                for item in cell if isinstance(cell, (list, tuple)) else [cell]:
                    _scan(item, out)
        return
    for attribute in ("_content", "_flowables"):
        content = getattr(flowable, attribute, None)
        if isinstance(content, (list, tuple)):
            for item in content:
                _scan(item, out)


def note_labels(flowable: Flowable) -> list[str]:
    """Return the footnote labels whose marks `flowable` carries, in order, without repeats.

    Looks into paragraphs (also the pieces of a split one), table cells and containers.
    """
    found: list[str] = []
    _scan(flowable, found)
    return list(dict.fromkeys(found))


# --------------------------------------------------------------------------- the store


@dataclass
class NoteStore:
    """Every footnote of a document: its flowables, which are placed, what carries over.

    `notes` maps a label ("3") to the flowables of its text; `carry` holds (label, flowable)
    pieces of note text still to be set at the next page's bottom; `marker_pages` and
    `note_pages` record where marks and note starts were drawn (for checks and tests).
    """

    notes: dict[str, list[Flowable]] = field(default_factory=dict)
    placed: set[str] = field(default_factory=set)
    carry: list[tuple[str, Flowable]] = field(default_factory=list)
    marker_pages: dict[str, int] = field(default_factory=dict)
    note_pages: dict[str, int] = field(default_factory=dict)


@dataclass
class _Placed:
    label: str
    flowable: Flowable
    height: float
    space: float          # space above it in the notes area
    first: bool           # the first piece of its note


# --------------------------------------------------------------------------- the frame


class FootnoteFrame(Frame):  # type: ignore[misc]  # reportlab is untyped
    """A body frame that keeps room at its bottom for the footnotes of its page.

    `store` holds the document's notes; `rule_space` is the height above the notes taken by
    the separator rule and its gaps; `carry_share` caps how much of an empty page notes
    carried over from the previous page may take.
    """

    def __init__(self, store: NoteStore, *args: Any, rule_space: float = 12.0,
                 carry_share: float = 0.6, **kwargs: Any) -> None:
        self.__dict__["store"] = store
        self.__dict__["rule_space"] = rule_space
        self.__dict__["carry_share"] = carry_share
        super().__init__(*args, **kwargs)

    # -- state of one page

    def _reset(self) -> None:
        super()._reset()
        self._notes: list[_Placed] = []
        self._carry_out: list[tuple[str, Flowable]] = []
        store = self.__dict__.get("store")
        if store is not None and store.carry:
            items, store.carry = store.carry, []
            room = self._aH * self.carry_share - self.rule_space
            placed, rest = self._fill(items, room, first_on_page=True)
            if not placed:        # a piece that cannot split: give it the whole page
                placed, rest = self._fill(items, self._aH - self.rule_space, True)
            if not placed:        # taller than a page: set it anyway rather than loop forever
                label, item = items[0]
                placed = [_Placed(label, item, self._piece_height(item, self._aW), 0.0, False)]
                rest = items[1:]
            self._notes = placed
            self._carry_out = rest

    def _notes_height(self, notes: list[_Placed]) -> float:
        if not notes:
            return 0.0
        return float(self.rule_space) + sum(n.height + n.space for n in notes)

    def _space_before(self, flowable: Flowable) -> float:
        """Return the space Frame._add puts above `flowable` here (same rules)."""
        if self._atTop:
            return 0.0
        space = flowable.getSpaceBefore()
        if self._oASpace:
            if getattr(flowable, "_SPACETRANSFER", False) or getattr(flowable, "_ZEROSIZE",
                                                                      False):
                space = self._prevASpace
            space = max(space - self._prevASpace, 0)
        return float(space)

    def _new_labels(self, flowable: Flowable) -> list[str]:
        store = self.store
        if not store.notes:
            return []
        labels = flowable.__dict__.get("_pk_labels")
        if labels is None:      # a flowable's marks never change: scan each one once
            labels = flowable.__dict__["_pk_labels"] = note_labels(flowable)
        return [label for label in labels
                if label in store.notes and label not in store.placed]

    # -- fitting notes

    def _fill(self, items: list[tuple[str, Flowable]], room: float, first_on_page: bool,
              ) -> tuple[list[_Placed], list[tuple[str, Flowable]]]:
        """Return the note pieces of `items` that fit in `room`, and the rest to carry."""
        width = self._getAvailableWidth()
        placed: list[_Placed] = []
        started = {n.label for n in self._notes}
        for index, (label, item) in enumerate(items):
            space = 0.0 if (first_on_page and not placed) else item.getSpaceBefore()
            height = self._piece_height(item, width)
            if height + space <= room + 1e-6:
                placed.append(_Placed(label, item, height, space, label not in started))
                started.add(label)
                room -= height + space
                continue
            pieces = item.split(width, room - space) if room - space > 0 else []
            if len(pieces) > 1:
                _, height = pieces[0].wrap(width, room - space)
                if height + space <= room + 1e-6:
                    placed.append(_Placed(label, pieces[0], height, space,
                                          label not in started))
                    rest = [(label, piece) for piece in pieces[1:]]
                    return placed, rest + list(items[index + 1:])
            return placed, list(items[index:])
        return placed, []

    def _piece_height(self, item: Flowable, width: float) -> float:
        """Return the height of note piece `item` at `width` (cached: layout asks often)."""
        cached = item.__dict__.get("_pk_height")
        if cached is not None and cached[0] == width:
            return float(cached[1])
        _, height = item.wrap(width, self._aH)
        item.__dict__["_pk_height"] = (width, height)
        return float(height)

    def __deepcopy__(self, memo: dict[int, Any]) -> FootnoteFrame:
        # reportlab's _listWrapOn deep-copies the current frame as a scratch frame; copying
        # the note store (every note's flowables) with it would be slow and pointless.
        clone = self.__class__.__new__(self.__class__)
        clone.__dict__.update(self.__dict__)
        clone.__dict__["_notes"] = list(self._notes)
        clone.__dict__["_carry_out"] = list(self._carry_out)
        return clone

    def _plan(self, flowable: Flowable, labels: list[str], canv: Any, strict: bool = True
              ) -> tuple[list[_Placed], list[tuple[str, Flowable]]] | None:
        """Return how the notes `labels` of `flowable` go on this page, or None if no room.

        The flowable must fit above its notes, and at least the first piece of the first new
        note must fit below it (the rest may carry over). When earlier note text on this page
        already carries over, the new notes carry over whole, after it.
        """
        reserved = self._notes_height(self._notes)
        free = self._y - self._space_before(flowable) - self._y1p - reserved
        if free <= 0:
            return None
        flowable._frame = self
        flowable.canv = canv
        try:
            _, height = flowable.wrap(self._getAvailableWidth(), free)
        finally:
            _detach(flowable)
        room = free - height - (0.0 if self._notes else self.rule_space)
        if room <= 0:
            return None
        items = [(label, item) for label in labels for item in self.store.notes[label]]
        if self._carry_out:
            # Earlier note text already runs over to the next page; these notes follow it
            # there, in order (their marks stay here).
            return [], items
        placed, rest = self._fill(items, room, first_on_page=not self._notes)
        # `strict`: every new note must start on this page, only the last may run over, so
        # that split() prefers moving later marks to the next page. Otherwise (as LaTeX
        # does) the notes after one that runs over follow it onto the next page.
        if not placed or (strict and {label for label, _ in items} - {n.label for n in placed}):
            return None
        return placed, rest

    def _add_above(self, flowable: Flowable, canv: Any, try_split: int,
                   notes: list[_Placed]) -> int:
        """Draw `flowable` with the frame bottom raised above `notes` (Frame._add's rules)."""
        bottom = self.__dict__["_y1p"]
        self.__dict__["_y1p"] = bottom + self._notes_height(notes)
        try:
            return int(Frame._add(self, flowable, canv, try_split))
        finally:
            self.__dict__["_y1p"] = bottom

    def _add(self, flowable: Flowable, canv: Any, trySplit: int = 0) -> int:
        """Draw `flowable` if it fits together with its new footnotes; return 1, else 0."""
        if isinstance(flowable, NotesFlush):
            return 0 if self._carry_out else 1
        labels = self._new_labels(flowable)
        if not labels:
            return self._add_above(flowable, canv, trySplit, self._notes)
        if isinstance(flowable, KeepTogether):
            return 0            # it always asks to be split; split() keeps room for notes
        plan = self._plan(flowable, labels, canv, strict="_pk_lenient" not in flowable.__dict__)
        if plan is None:
            return 0
        placed, rest = plan
        if not self._add_above(flowable, canv, trySplit, self._notes + placed):
            return 0
        self._notes.extend(placed)
        self._carry_out.extend(rest)
        self.store.placed.update(labels)
        return 1

    add = _add

    def split(self, flowable: Flowable, canv: Any) -> list[Flowable]:
        """Return `flowable` split so that its first piece fits with that piece's notes."""
        if isinstance(flowable, NotesFlush):
            return [PageBreak(), NotesFlush()] if self._carry_out else []
        labels = self._new_labels(flowable)
        reserved = self._notes_height(self._notes)
        avail = self._y - self._space_before(flowable) - self._y1p - reserved
        if avail <= 0:
            return []
        if not labels:
            return self._split_at(flowable, canv, avail)
        if isinstance(flowable, KeepTogether):
            # keep it together with its notes' full height, or let it break as usual
            full = sum(item.wrap(self._getAvailableWidth(), self._aH)[1]
                       for label in labels for item in self.store.notes[label])
            return self._split_at(flowable, canv, max(avail - full - self.rule_space, 1))
        step = max(getattr(getattr(flowable, "style", None), "leading", 0) or 0, 6.0)

        def attempt(height: float, strict: bool) -> list[Flowable] | bool:
            """Return the pieces, or False (too long with its notes) / True (too short)."""
            pieces = self._split_at(flowable, canv, height)
            if not pieces:
                return True
            first_labels = self._new_labels(pieces[0])
            if first_labels and self._plan(pieces[0], first_labels, canv, strict) is None:
                return False
            return pieces

        # Lenient (notes after one that runs over follow it to the next page) only at the
        # top of a page: lower down, the paragraph goes to the next page instead, where
        # its marks and their notes can start together (a paragraph with hundreds of notes
        # would otherwise set all its marks here and push its notes pages ahead).
        for strict in (True, False) if self._atTop else (True,):
            best = attempt(avail, strict)
            if isinstance(best, bool):
                # Shorter first pieces carry fewer marks; find the longest that fits with its
                # notes (binary search over whole lines: a try is a split and a notes layout).
                best = []
                low, high = 0, int(avail // step)
                while high - low > 1:
                    middle = (low + high) // 2
                    outcome = attempt(middle * step, strict)
                    if outcome is False:
                        high = middle
                    else:
                        low = middle
                        best = outcome if outcome is not True else best
            if best:
                if not strict:
                    best[0].__dict__["_pk_lenient"] = True
                return best
        return []

    def _split_at(self, flowable: Flowable, canv: Any, height: float) -> list[Flowable]:
        """Return `flowable` split so that its first piece is at most `height` tall.

        A hyphenated paragraph's first piece can wrap one line taller than reportlab's split
        promised (the word broken at the split re-flows); the split is then retried a line
        shorter, since a piece that does not fit makes platypus fail the whole build. A
        page that would end in a hyphenated word ends a line earlier when the paragraph
        allows it (TeX's \\brokenpenalty), so no word is cut across a page turn.
        """
        width = self._getAvailableWidth()
        step = max(getattr(getattr(flowable, "style", None), "leading", 0) or 0, 6.0)
        flowable._frame = self
        flowable.canv = canv
        try:
            pieces = self._fitting_split(flowable, width, height, step)
            if len(pieces) == 2 and _breaks_a_word(pieces):
                shorter = self._fitting_split(flowable, width, height - step, step, tries=1)
                if len(shorter) == 2 and not _breaks_a_word(shorter):
                    return shorter
            return pieces
        finally:
            _detach(flowable)

    @staticmethod
    def _fitting_split(flowable: Flowable, width: float, height: float, step: float,
                       tries: int = 4) -> list[Flowable]:
        for _ in range(tries):
            if height <= 0:
                break
            pieces = list(flowable.split(width, height))
            if len(pieces) < 2 or not isinstance(pieces[0], Paragraph):
                return pieces
            if pieces[0].wrap(width, height)[1] <= height + 1e-6:
                return pieces
            height -= step
        return []

    # -- drawing

    def draw_notes(self, canv: Any) -> bool:
        """Draw this page's notes at the frame bottom under a short rule; queue the rest.

        Return whether any note text was drawn.
        """
        drawn = bool(self._notes)
        if self._notes:
            x = self._x1 + self._leftPadding
            top = self._y1p + self._notes_height(self._notes)
            # LaTeX's \footnoterule: 0.4 of the text width, close above the notes (the
            # superscript mark of the first note reaches about its line's top)
            rule_y = top - self.rule_space + min(self.rule_space * 0.5, 3.0)
            canv.saveState()
            canv.setStrokeColor(black)
            canv.setLineWidth(0.4)
            canv.line(x, rule_y, x + self._aW * 0.4, rule_y)
            canv.restoreState()
            y = top - self.rule_space
            for note in self._notes:
                y -= note.space + note.height
                note.flowable.wrap(self._aW, self._aH)   # a failed split() drops its lines
                note.flowable.drawOn(canv, x, y)
                if note.first:
                    self.store.note_pages.setdefault(note.label, canv.getPageNumber())
        self.store.carry = self._carry_out + self.store.carry
        self._notes = []
        self._carry_out = []
        return drawn


def _breaks_a_word(pieces: list[Flowable]) -> bool:
    """Return whether a paragraph split into `pieces` breaks a word at a hyphen.

    The first piece is wrapped already (its lines are known); the second is not, so its
    first word is read from its fragments.
    """
    head, tail = pieces[0], pieces[1]
    if not (isinstance(head, Paragraph) and isinstance(tail, Paragraph)):
        return False
    lines = getattr(getattr(head, "blPara", None), "lines", None)
    if not lines:
        return False
    last = lines[-1]
    words = last[1] if isinstance(last, tuple) else getattr(last, "words", [])
    word = (words[-1] if isinstance(words[-1], str) else getattr(words[-1], "text", "")) \
        if words else ""
    if not word.rstrip().endswith("-"):
        return False
    # a plain paragraph's pieces keep their words in one fragment; a rich one's pieces
    # hold split fragment words, which only getPlainText reads
    first = tail.frags[0] if tail.frags else None
    words = getattr(first, "words", None)
    following = (words[0] if words else tail.getPlainText()).lstrip()
    return bool(following[:1].isalpha())


def _detach(flowable: Flowable) -> None:
    """Remove the frame and canvas Frame.split attaches to a flowable while it works."""
    for name in ("canv", "_frame"):
        if hasattr(flowable, name):
            delattr(flowable, name)


class NotesFlush(Flowable):  # type: ignore[misc]  # reportlab is untyped
    """End-of-story marker: adds pages while footnote text carried over remains."""

    _ZEROSIZE = True

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:
        return 0, 0

    def draw(self) -> None:
        pass


class RaiseTop(Flowable):  # type: ignore[misc]  # reportlab is untyped
    """A zero-size flowable that, at the top of a frame, moves the frame's top up by `lift`
    points, so the next paragraph's first baseline sits that much higher.

    reportlab puts a paragraph's first baseline one font size below the frame top; TeX puts
    the first line of a page \\topskip down, or lower by the height of its tallest letters
    (about the font's ascent, well under its size for an 18 pt title). Anywhere but at a
    frame top it does nothing.
    """

    def __init__(self, lift: float) -> None:
        super().__init__()
        self.lift = lift

    def frameAction(self, frame: Any) -> None:
        if frame._atTop:
            frame._y += self.lift

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:
        return 0, 0

    def draw(self) -> None:
        pass
