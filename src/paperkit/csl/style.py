"""A CSL style compiled for one locale: layouts, sort keys, macros and options.

:class:`Style` parses the XML once and builds node trees (:mod:`~paperkit.csl.nodes`,
:mod:`~paperkit.csl.names`, :mod:`~paperkit.csl.dates`) for the citation and bibliography
layouts. Macros are compiled where they are called, once per set of inherited name options
(the style's, the citation's or the bibliography's, a sort key's ``names-min``...), so that
evaluating never looks anything up by name. Localized dates take the locale's format with
the style's date-part overrides at compile time.
"""

from __future__ import annotations

from typing import Any

import xml.etree.ElementTree as ET
from dataclasses import dataclass, field

from .dates import DateNode, DatePart
from .locale import Locale, build_locale, parse_locale_element
from .names import NameOpts, Names
from .choose import Choose, Test, compile_test, specialize
from .nodes import Group, Label, Number, TextTerm, TextValue, TextVariable
from .output import EMPTY, Formatting

__all__ = ["Style", "Layout", "SortKey", "StyleError"]

NS = "{http://purl.org/net/xbiblio/csl}"

_INHERITABLE = ("and", "delimiter-precedes-et-al", "delimiter-precedes-last", "et-al-min",
                "et-al-use-first", "et-al-use-last", "et-al-subsequent-min",
                "et-al-subsequent-use-first", "initialize", "initialize-with",
                "name-as-sort-order", "sort-separator", "name-form", "name-delimiter",
                "names-delimiter")


class StyleError(ValueError):
    """The style is not well-formed CSL."""


@dataclass
class SortKey:
    """One ``cs:key``: a variable or a compiled macro, ascending or descending."""

    variable: str | None
    macro: Group | None
    descending: bool


@dataclass
class Layout:
    """A compiled ``cs:citation`` or ``cs:bibliography``: layout children, formatting, sort
    keys and the element's options."""

    children: list[Any]
    f: Formatting
    sort: list[SortKey]
    options: dict[str, str] = field(default_factory=dict)
    _types: dict[str, tuple[list[Any], list[SortKey]]] = field(default_factory=dict)
    _memo: dict[str, dict[int, object]] = field(default_factory=dict)

    def for_type(self, kind: str) -> tuple[list[Any], list[SortKey]]:
        """Return the children and sort keys specialized to item type `kind`."""
        found = self._types.get(kind)
        if found is None:
            memo = self._memo.setdefault(kind, {})
            children = [specialize(c, kind, memo) for c in self.children]
            keys = [SortKey(k.variable, specialize(k.macro, kind, memo)  # type: ignore
                            if k.macro is not None else None, k.descending) for k in self.sort]
            found = self._types[kind] = (children, keys)
        return found


class Style:
    """A CSL style compiled for one language."""

    def __init__(self, xml: str | bytes, lang: str | None = None) -> None:
        try:
            root = ET.fromstring(xml.encode("utf-8") if isinstance(xml, str) else xml)
        except ET.ParseError as exc:
            raise StyleError(f"not well-formed XML: {exc}") from None
        if root.tag != NS + "style":
            raise StyleError("the root element is not a CSL <style>")
        self.root = root
        self.is_note = root.get("class") == "note"
        self.default_locale = root.get("default-locale")
        self.lang = lang or self.default_locale or "en-US"
        if self.lang.startswith("en-US-x") or "-x-" in self.lang:
            self.lang = self.lang.split("-x-")[0]
        self.locale: Locale = build_locale(
            [parse_locale_element(n) for n in root.findall(NS + "locale")], self.lang)
        self.demote_non_dropping_particle = root.get("demote-non-dropping-particle",
                                                     "display-and-sort")
        self.initialize_with_hyphen = root.get("initialize-with-hyphen", "true") == "true"
        self.page_range_format = root.get("page-range-format")
        self.macros = {m.get("name", ""): m for m in root.findall(NS + "macro")}
        self.uses_year_suffix = any(
            n.get("variable") == "year-suffix" for n in root.iter(NS + "text"))
        self._compiled: dict[tuple[Any, ...], Group] = {}
        self._compiling: set[tuple[Any, ...]] = set()
        base = {k: v for k, v in root.attrib.items() if k in _INHERITABLE}
        citation = root.find(NS + "citation")
        if citation is None:
            raise StyleError("the style has no <citation>")
        self.citation = self._layout(citation, base)
        bibliography = root.find(NS + "bibliography")
        self.bibliography = self._layout(bibliography, base) \
            if bibliography is not None else None

    # ------------------------------------------------------------------ layouts

    def _layout(self, element: ET.Element, base: dict[str, str]) -> Layout:
        inherited = dict(base)
        inherited.update({k: v for k, v in element.attrib.items() if k in _INHERITABLE})
        layout = element.find(NS + "layout")
        if layout is None:
            raise StyleError(f"<{element.tag.replace(NS, '')}> has no <layout>")
        children = [self._element(c, inherited) for c in layout]
        # a layout's affixes go inside its formatting: "<b>([1]–[3])</b>"
        f = Formatting.from_attrs(layout.attrib, delimiter=True).replace(affixes_inside=True)
        keys: list[SortKey] = []
        sort = element.find(NS + "sort")
        if sort is not None:
            for key in sort.findall(NS + "key"):
                descending = key.get("sort") == "descending"
                if key.get("macro"):
                    overrides = dict(inherited)
                    for attr, target in (("names-min", "et-al-min"),
                                         ("names-use-first", "et-al-use-first"),
                                         ("names-use-last", "et-al-use-last")):
                        if key.get(attr) is not None:
                            overrides[target] = key.get(attr)  # type: ignore[assignment]
                    macro = self._macro(key.get("macro", ""), overrides, EMPTY)
                    keys.append(SortKey(None, macro, descending))
                elif key.get("variable"):
                    keys.append(SortKey(key.get("variable"), None, descending))
        options = dict(element.attrib)
        return Layout([c for c in children if c is not None], f, keys, options)

    def _macro(self, name: str, inherited: dict[str, str], f: Formatting) -> Group:
        key = (name, tuple(sorted(inherited.items())))
        found = self._compiled.get(key)
        if found is not None:
            return found if f.is_empty else Group(found.children, f, name)
        macro = self.macros.get(name)
        if macro is None or key in self._compiling:
            return Group([], f, name)
        self._compiling.add(key)
        try:
            group = Group([c for c in (self._element(e, inherited) for e in macro)
                           if c is not None], EMPTY, name)
        finally:
            self._compiling.discard(key)
        self._compiled[key] = group
        return group if f.is_empty else Group(group.children, f, name)

    # ------------------------------------------------------------------ elements

    def _element(self, element: ET.Element, inherited: dict[str, str]) -> object:
        tag = element.tag.replace(NS, "") if isinstance(element.tag, str) else ""
        attrs = element.attrib
        if tag == "text":
            f = Formatting.from_attrs(attrs)
            if "variable" in attrs:
                return TextVariable(attrs["variable"], attrs.get("form") == "short", f)
            if "macro" in attrs:
                return self._macro(attrs["macro"], inherited, f)
            if "term" in attrs:
                return TextTerm(attrs["term"], attrs.get("form", "long"),
                                attrs.get("plural") == "true", f)
            if "value" in attrs:
                return TextValue(attrs["value"], f)
            return None
        if tag == "group":
            return Group([c for c in (self._element(e, inherited) for e in element)
                          if c is not None], Formatting.from_attrs(attrs, delimiter=True))
        if tag == "choose":
            return self._choose(element, inherited)
        if tag == "number":
            return Number(attrs.get("variable", ""), attrs.get("form", "numeric"),
                          Formatting.from_attrs(attrs))
        if tag == "label":
            return Label(attrs.get("variable", ""), attrs.get("form", "long"),
                         attrs.get("plural", "contextual"), Formatting.from_attrs(attrs))
        if tag == "date":
            return self._date(element)
        if tag == "names":
            return self._names(element, inherited)
        return None

    def _choose(self, element: ET.Element, inherited: dict[str, str]) -> Choose:
        branches = []
        for branch in element:
            tag = branch.tag.replace(NS, "")
            if tag not in ("if", "else-if", "else"):
                continue
            conditions: list[tuple[str, str, Test]] = []
            if tag != "else":
                for test in ("type", "variable", "position", "is-numeric", "locator",
                             "is-uncertain-date", "disambiguate"):
                    value = branch.get(test)
                    if value is None:
                        continue
                    if test == "type":
                        # the types listed are one test, whatever `match` says (citeproc-js
                        # and pandoc: type="thesis manuscript" holds for a thesis)
                        conditions.append((test, value, compile_test(test, value)))
                    else:
                        conditions += [(test, v, compile_test(test, v))
                                       for v in value.split()]
                if not conditions:  # an if that tests nothing never holds
                    conditions.append(("never", "", compile_test("never", "")))
            children = [c for c in (self._element(e, inherited) for e in branch)
                        if c is not None]
            branches.append((branch.get("match", "all"), conditions, children))
        return Choose(branches)

    def _date(self, element: ET.Element) -> DateNode:
        attrs = element.attrib
        form = attrs.get("form")
        own = {p.get("name", ""): p for p in element.findall(NS + "date-part")}
        f = Formatting.from_attrs({k: v for k, v in attrs.items() if k != "delimiter"})
        if form in ("text", "numeric"):
            show = attrs.get("date-parts", "year-month-day")
            wanted = {"year-month-day": ("year", "month", "day"), "year-month":
                      ("year", "month"), "year": ("year",)}.get(show, ("year", "month", "day"))
            localized = self.locale.dates.get(form)
            parts = []
            if localized is not None:
                for part in localized.findall(NS + "date-part"):
                    name = part.get("name", "")
                    if name not in wanted:
                        continue
                    merged = dict(part.attrib)
                    override = own.get(name)
                    if override is not None:
                        for key, value in override.attrib.items():
                            if key not in ("prefix", "suffix"):
                                merged[key] = value
                    parts.append(_date_part(merged))
                base = {k: v for k, v in localized.attrib.items()
                        if k not in ("form", "delimiter")}
                if base:
                    merged_attrs = dict(base)
                    merged_attrs.update({k: v for k, v in attrs.items()
                                         if k not in ("delimiter",)})
                    f = Formatting.from_attrs(merged_attrs)
            return DateNode(attrs.get("variable", ""), parts, f,
                            localized.get("delimiter") if localized is not None else None)
        parts = [_date_part(p.attrib) for p in element.findall(NS + "date-part")]
        return DateNode(attrs.get("variable", ""), parts, f, attrs.get("delimiter"))

    def _names(self, element: ET.Element, inherited: dict[str, str]) -> Names:
        attrs = element.attrib
        variables = attrs.get("variable", "").split()
        name_el = element.find(NS + "name")
        et_al_el = element.find(NS + "et-al")
        label_el = element.find(NS + "label")
        label_first = False
        if label_el is not None:
            children = [c for c in element if isinstance(c.tag, str)]
            label_first = name_el is None or children.index(label_el) < \
                children.index(name_el)
        substitute_el = element.find(NS + "substitute")
        name_attrs = {k: v for k, v in inherited.items()
                      if k not in ("name-form", "name-delimiter", "names-delimiter")}
        if "name-form" in inherited:
            name_attrs["form"] = inherited["name-form"]
        if "name-delimiter" in inherited:
            name_attrs["delimiter"] = inherited["name-delimiter"]
        given_f = family_f = None
        name_f = EMPTY
        if name_el is not None:
            name_attrs.update(name_el.attrib)
            name_f = Formatting.from_attrs({k: v for k, v in name_el.attrib.items()
                                            if k != "delimiter"})
            for part in name_el.findall(NS + "name-part"):
                pf = Formatting.from_attrs(part.attrib)
                if part.get("name") == "given":
                    given_f = pf
                elif part.get("name") == "family":
                    family_f = pf
        name = NameOpts(name_attrs, name_f, given_f, family_f)
        et_al = (et_al_el.get("term", "et-al"), Formatting.from_attrs(et_al_el.attrib)) \
            if et_al_el is not None else ("et-al", EMPTY)
        label = None
        if label_el is not None:
            label = (label_el.get("form", "long"), label_el.get("plural", "contextual"),
                     Formatting.from_attrs(label_el.attrib))
        substitute = []
        if substitute_el is not None:
            substitute = [c for c in (self._element(e, inherited) for e in substitute_el)
                          if c is not None]
        delimiter = attrs.get("delimiter", inherited.get("names-delimiter"))
        f_attrs = dict(attrs)
        f_attrs.pop("delimiter", None)
        f = Formatting.from_attrs(f_attrs)
        if delimiter is not None:
            f = f.replace(delimiter=delimiter)
        return Names(variables, name, et_al, label, label_first, substitute, f,
                     has_name=name_el is not None, has_et_al=et_al_el is not None)


def _date_part(attrs: dict[str, str]) -> DatePart:
    name = attrs.get("name", "")
    default = {"year": "long", "month": "long", "day": "numeric"}.get(name, "")
    return DatePart(name, attrs.get("form", default), attrs.get("range-delimiter"),
                    Formatting.from_attrs(attrs))
