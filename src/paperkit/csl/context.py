"""The state of rendering one item: its variables, locator, position and disambiguation.

A :class:`Ctx` is made for each rendering of an item (a citation item, a bibliography
entry, a sort key). Element nodes read variables through :meth:`Ctx.var`, which also keeps
the counts ``cs:group`` needs (a group whose variables are all empty is suppressed).
Variables a ``cs:substitute`` used are "suppressed": empty for the rest of the rendering.
"""

from __future__ import annotations

from typing import Any

from .locale import Locale
from .references import Reference

__all__ = ["Ctx", "Disamb", "PROCESSOR_VARS", "FIRST", "SUBSEQUENT", "IBID", "IBID_WITH_LOCATOR", "NEAR_NOTE"]

FIRST, SUBSEQUENT, IBID, IBID_WITH_LOCATOR, NEAR_NOTE = \
    "first", "subsequent", "ibid", "ibid-with-locator", "near-note"


class Disamb:
    """How an item is disambiguated: names shown, given-name hints, year suffix, condition."""

    __slots__ = ("et_al_names", "hints", "year_suffix", "condition")

    def __init__(self) -> None:
        self.et_al_names: int | None = None
        #: name -> "initials" | "given" | "initials-primary" | "given-primary"
        self.hints: dict[Any, str] = {}
        self.year_suffix: int | None = None
        #: how many ``disambiguate="true"`` tests hold (counted in rendering order)
        self.condition = 0

    def key(self) -> tuple[Any, ...]:
        """Return a hashable summary (for caches of renderings)."""
        return (self.et_al_names, tuple(sorted((repr(k), v) for k, v in self.hints.items())),
                self.year_suffix, self.condition)


_NO_DISAMB = Disamb()

#: The variables :meth:`Ctx.data` does not simply read from the item: the locator, the
#: first page, and the ones the processor puts in `extra` (the only keys it holds).
PROCESSOR_VARS = frozenset(("locator", "page-first", "citation-number", "citation-label",
                             "first-reference-note-number"))


class Ctx:
    """Rendering state for one item."""

    __slots__ = ("ref", "vars", "extra", "locale", "style", "locator", "label", "position",
                 "disamb", "in_sort", "in_bib", "in_substitute", "subst_names", "total",
                 "nonempty", "used_year_suffix", "suppressed", "is_english", "mode",
                 "disamb_tests", "pending")

    def __init__(self, style: Any, ref: Reference, locale: Locale, *,
                 extra: dict[str, Any] | None = None, locator: str | None = None,
                 label: str | None = None, position: frozenset[str] = frozenset(),
                 disamb: Disamb | None = None, in_sort: bool = False,
                 in_bib: bool = False) -> None:
        self.style = style
        self.ref = ref
        self.vars = ref.vars
        self.extra = extra or {}
        self.locale = locale
        self.locator = locator
        self.label = label
        self.position = position
        self.disamb = disamb or _NO_DISAMB
        self.in_sort = in_sort
        self.in_bib = in_bib
        self.in_substitute = False
        self.subst_names: Any = None
        self.total = 0
        self.nonempty = 0
        self.used_year_suffix = False
        self.suppressed: set[str] | None = None
        lang = ref.vars.get("language")
        if isinstance(lang, str) and lang.strip():
            self.is_english = lang.strip().lower().startswith("en")
        else:
            self.is_english = locale.language == "en"
        self.mode = "normal"
        self.disamb_tests = 0
        self.pending: set[str] | None = None

    def lookup(self, name: str) -> Any:
        """Return variable `name` without counting it; a substituted one is empty."""
        if self.suppressed is not None and name in self.suppressed:
            return None
        return self.data(name)

    def data(self, name: str) -> Any:
        """Return variable `name` as the item holds it: conditions test this, so a
        variable a substitute printed still counts as present (citeproc-js, pandoc)."""
        if name not in PROCESSOR_VARS:
            # the common case (~80,000 calls at 500 works): a variable the item holds
            return self.vars.get(name)
        if name == "locator":
            return self.locator
        found = self.extra.get(name)
        if found is not None:
            if name == "first-reference-note-number" and FIRST in self.position:
                return None  # a first cite has no earlier note to point to
            return found
        if name == "page-first":
            page = self.vars.get("page")
            if page is None:
                return None
            return _first_page(page)
        return self.vars.get(name)

    def var(self, name: str) -> Any:
        """Return variable `name`, counting the access for group suppression."""
        suppressed = self.suppressed  # :meth:`lookup` inlined: called for every variable
        value = None if suppressed is not None and name in suppressed else self.data(name)
        self.total += 1
        if value is not None and value != "" and value != []:
            self.nonempty += 1
            return value
        return None

    def suppress(self, names: list[str], later: bool = False) -> None:
        """Make `names` empty for the rest of this rendering (they were substituted).

        With `later` (numbers and dates), only once the substitute is done: an edition
        printed in place of the author still takes its label ("3rd ed.").
        """
        if later:
            if self.pending is None:
                self.pending = set()
            self.pending.update(names)
            return
        if self.suppressed is None:
            self.suppressed = set()
        self.suppressed.update(names)


def _first_page(page: str) -> str:
    for index, ch in enumerate(page):
        if ch in ",;-\u2013&":
            return page[:index].strip()
    return page.strip()
