"""Compiled CSL rendering elements: text, number, label, group (choose, names and dates live
in :mod:`~paperkit.csl.choose`, :mod:`~paperkit.csl.names` and :mod:`~paperkit.csl.dates`).

Each node's ``ev(ctx)`` returns an output node (:mod:`~paperkit.csl.output`) or None. Nodes
are built once per style (and per context of inherited name options) by
:mod:`~paperkit.csl.style`; evaluating them does no XML work.
"""

from __future__ import annotations

from typing import Any

import re

from .context import Ctx
from .numbers import format_number, is_numeric, is_plural, page_range
from .output import EMPTY, Fmt, Formatting, Lit, Tag, add_formatting, formatted
from .references import Date
from .markup import parse_markup

__all__ = ["TextVariable", "TextValue", "TextTerm", "Group", "Number", "Label",
           "apply_formatting", "render_value", "year_suffix_text", "splice", "SPLICE"]


def apply_formatting(f: Formatting, node: object, ctx: Ctx) -> object:
    """Return `node` under `f` (title case only for English items, as CSL asks)."""
    if node is None:
        return None
    if f.is_empty:
        return node
    if f.text_case == "title" and not ctx.is_english:
        f = f.replace(text_case="")
    if isinstance(node, Lit):
        # formatted once here: one node less to walk when rendering
        return Lit(add_formatting(f, node.rich)) if not f.display else Fmt(f, [node])
    return Fmt(f, [node])


_MARKUP_CACHE: dict[str, list[Any]] = {}


def render_value(value: str) -> list[Any]:
    """Return the rich text of a variable value (markup parsed once per distinct value)."""
    found = _MARKUP_CACHE.get(value)
    if found is None:
        if len(_MARKUP_CACHE) > 50000:
            _MARKUP_CACHE.clear()
        found = _MARKUP_CACHE[value] = parse_markup(value)
    return found


def year_suffix_text(number: int) -> str:
    """Return the year suffix for `number`: 1 → "a", 26 → "z", 27 → "aa"."""
    if number <= 26:
        return chr(ord("a") + number - 1)
    number -= 1
    return chr(ord("a") - 1 + number // 26) + chr(ord("a") + number % 26)


class TextVariable:
    """``<text variable=...>`` (form long or short)."""

    __slots__ = ("variable", "short", "f")

    def __init__(self, variable: str, short: bool, f: Formatting) -> None:
        self.variable = variable
        self.short = short
        self.f = f

    def ev(self, ctx: Ctx) -> object:
        var = self.variable
        if var == "citation-number":
            number = ctx.var(var)
            if number is None:
                return None
            return apply_formatting(self.f, Tag("citation-number", int(number),
                                                Lit([str(number)])), ctx)
        if var == "year-suffix":
            suffix = ctx.disamb.year_suffix
            if suffix is None:
                return None
            ctx.used_year_suffix = True
            return apply_formatting(self.f, Tag("year-suffix", suffix,
                                                Lit([year_suffix_text(suffix)])), ctx)
        if var == "locator":
            value = ctx.var("locator")
            if value is None:
                return None
            if "&" in value:
                value = value.replace("&", ctx.locale.term("and", "symbol") or "&")
            label = ctx.label or "page"
            text = page_range(value, ctx.style.page_range_format if label == "page" else
                              None, _range_delimiter(ctx))
            return apply_formatting(self.f, Tag("locator", None, Lit(render_value(text))),
                                    ctx)
        value = None
        if self.short:
            value = ctx.var(var + "-short") if ctx.lookup(var + "-short") is not None \
                else None
            if value is None and var == "title":
                value = ctx.lookup("title-short")
        if value is None:
            value = ctx.var(var)
        if value is None or isinstance(value, (list, Date)):
            if ctx.in_substitute and value is not None:
                ctx.suppress([var])
            return None
        if ctx.in_substitute:
            ctx.suppress([var])
        if var == "page":
            value = page_range(value, ctx.style.page_range_format, _range_delimiter(ctx))
        rich = render_value(value) if isinstance(value, str) else [str(value)]
        out: object = Lit(rich)
        if var == "citation-label" and ctx.disamb.year_suffix is not None and \
                not ctx.style.uses_year_suffix and not ctx.used_year_suffix:
            ctx.used_year_suffix = True
            suffix = ctx.disamb.year_suffix
            out = Fmt(EMPTY, [out, Tag("year-suffix", suffix, Lit([year_suffix_text(suffix)]))])
        if var == "title":
            out = Tag("title", None, out)
        elif var in ("URL", "DOI", "PMID", "PMCID"):
            out = Tag("link", var, out)
        return apply_formatting(self.f, out, ctx)


def _range_delimiter(ctx: Ctx) -> str:
    return ctx.locale.term("page-range-delimiter") or "\u2013"


class TextValue:
    """``<text value=...>``."""

    __slots__ = ("rich", "f")

    def __init__(self, value: str, f: Formatting) -> None:
        self.rich = parse_markup(value)
        self.f = f

    def ev(self, ctx: Ctx) -> object:
        return apply_formatting(self.f, Lit(self.rich), ctx) if self.rich else None


class TextTerm:
    """``<text term=...>``."""

    __slots__ = ("term", "form", "plural", "f")

    def __init__(self, term: str, form: str, plural: bool, f: Formatting) -> None:
        self.term = term
        self.form = form
        self.plural = plural
        self.f = f

    def ev(self, ctx: Ctx) -> object:
        text = ctx.locale.term(self.term, self.form, self.plural)
        if not text:
            return None
        out: object = Tag("term", self.term, Lit(render_value(text)))
        if self.term == "no date" and ctx.disamb.year_suffix is not None and \
                not ctx.style.uses_year_suffix and not ctx.used_year_suffix:
            ctx.used_year_suffix = True
            suffix = ctx.disamb.year_suffix
            out = Fmt(EMPTY, [out, Tag("year-suffix", suffix,
                                       Lit([year_suffix_text(suffix)]))])
        return apply_formatting(self.f, out, ctx)


class Group:
    """``<group>``, and a macro called by ``<text macro=...>``: suppressed when it calls
    variables and all of them are empty."""

    __slots__ = ("children", "f", "name")

    def __init__(self, children: list[Any], f: Formatting, name: str = "") -> None:
        self.children = children
        self.f = f
        self.name = name

    def ev(self, ctx: Ctx) -> object:
        total, nonempty = ctx.total, ctx.nonempty
        items: list[Any] = []
        for child in self.children:
            out = child.ev(ctx)
            if out is not None:
                if type(out) is Fmt and out.f is SPLICE:  # Fmt has no subclasses
                    items.extend(out.items)
                else:
                    items.append(out)
        if ctx.total != total and ctx.nonempty == nonempty:
            return None
        if not items:
            return None
        if self.name:
            # CSL 1.0.2: a macro that prints something counts as a non-empty variable for
            # the group around it ("n.d." alone keeps its group)
            ctx.total += 1
            ctx.nonempty += 1
        f = self.f
        if f.text_case == "title" and not ctx.is_english:
            f = f.replace(text_case="")
        return formatted(f, items)


#: The formatting of a choose's output: its elements count as the enclosing element's
#: children (a group's delimiter goes between them).
SPLICE = Formatting()
SPLICE.is_empty = False


def splice(items: list[Any]) -> list[Any]:
    """Return `items` with None dropped and choose outputs spliced in."""
    out: list[Any] = []
    for item in items:
        if item is None:
            continue
        if isinstance(item, Fmt) and item.f is SPLICE:
            out.extend(splice(item.items))
        else:
            out.append(item)
    return out


class Number:
    """``<number variable=... form=...>``."""

    __slots__ = ("variable", "form", "f")

    def __init__(self, variable: str, form: str, f: Formatting) -> None:
        self.variable = variable
        self.form = form
        self.f = f

    def ev(self, ctx: Ctx) -> object:
        value = ctx.var(self.variable)
        if value is None or not isinstance(value, str):
            return None
        if ctx.in_substitute:
            ctx.suppress([self.variable], later=True)
        if is_numeric(value) or value.strip().isdigit():
            gender = ctx.locale.gender(self.variable) if self.form in (
                "ordinal", "long-ordinal") else ""
            text = format_number(value, self.form, ctx.locale, gender)
            if ctx.in_sort and value.strip().isdigit():
                text = f"{int(value):08d}"
            out: object = Lit([text])
        else:
            out = Lit([value])  # a number variable holds no markup
        return apply_formatting(self.f, out, ctx)


class Label:
    """``<label variable=... form=... plural=...>`` (outside cs:names)."""

    __slots__ = ("variable", "form", "plural", "f")

    def __init__(self, variable: str, form: str, plural: str, f: Formatting) -> None:
        self.variable = variable
        self.form = form
        self.plural = plural
        self.f = f

    def ev(self, ctx: Ctx) -> object:
        var = self.variable
        if var == "locator":
            value = ctx.locator
            if not value:
                return None
            if ctx.label is None and re.match(r"^\s|^[^\W\d]+\. ", value):
                return None  # "vol. 1, fol. 186" names its own parts
            term = ctx.label or "page"
            if term in ("sub verbo", "sub-verbo"):  # CSL 1.0.1 and 1.0.2 names
                term = "sub-verbo" if ctx.locale.find("sub-verbo") else "sub verbo"
        else:
            value = ctx.lookup(var)
            if value is None or value == "":
                return None
            term = "editor" if var == "editortranslator" else var
            if var == "editortranslator":
                term = var
        if isinstance(value, list):
            plural = len(value) > 1
        elif var in ("number-of-pages", "number-of-volumes"):
            text = str(value).strip()
            plural = text.isdigit() and int(text) > 1 or is_plural(text)
        else:
            plural = is_plural(str(value))
        if self.plural == "always":
            plural = True
        elif self.plural == "never":
            plural = False
        label = ctx.locale.term(term, self.form, plural)
        if not label:
            return None
        f = self.f
        if f.suffix_text.startswith(".") and label.endswith(".") and not f.strip_periods:
            f = f.replace(suffix=f.suffix_text[1:])
        return apply_formatting(f, Lit(render_value(label)), ctx)
