"""``cs:names`` and ``cs:name``: name lists with et-al, "and", initials, sort order, labels.

A :class:`Names` node renders each of its variables (``editor`` and ``translator`` as one
``editortranslator`` list when they hold the same people), each as a ``names`` tag holding
``name`` tags, so that disambiguation and cite grouping can find them. When every variable
is empty, the first ``cs:substitute`` child that renders anything stands in, and the
variables it used are empty for the rest of the item.
"""

from __future__ import annotations

from typing import Any

from .context import SUBSEQUENT, Ctx
from .output import affixes, EMPTY, Fmt, Formatting, Lit, Tag, formatted
from .nodes import apply_formatting, render_value
from .person import render_name
from .references import Name, is_romanesque

__all__ = ["NameOpts", "Names"]


class NameOpts:
    """The attributes of one ``cs:name`` (with the inherited name options filled in)."""

    __slots__ = ("and_", "delimiter", "delimiter_precedes_et_al", "delimiter_precedes_last",
                 "et_al_min", "et_al_use_first", "et_al_subsequent_min",
                 "et_al_subsequent_use_first", "et_al_use_last", "form", "initialize",
                 "initialize_with", "name_as_sort_order", "sort_separator", "f",
                 "given_f", "family_f")

    def __init__(self, attrs: dict[str, str], f: Formatting, given_f: Formatting | None,
                 family_f: Formatting | None) -> None:
        get = attrs.get
        self.and_ = get("and", "")
        self.delimiter = get("delimiter", ", ")
        self.delimiter_precedes_et_al = get("delimiter-precedes-et-al", "contextual")
        self.delimiter_precedes_last = get("delimiter-precedes-last", "contextual")
        self.et_al_min = _int(get("et-al-min"))
        self.et_al_use_first = _int(get("et-al-use-first"))
        self.et_al_subsequent_min = _int(get("et-al-subsequent-min"))
        self.et_al_subsequent_use_first = _int(get("et-al-subsequent-use-first"))
        self.et_al_use_last = get("et-al-use-last") == "true"
        self.form = get("form", "long")
        self.initialize = get("initialize", "true") != "false"
        self.initialize_with = get("initialize-with")
        self.name_as_sort_order = get("name-as-sort-order", "")
        self.sort_separator = get("sort-separator", ", ")
        self.f = f
        self.given_f = given_f
        self.family_f = family_f


def _int(value: str | None) -> int | None:
    if value is None:
        return None
    try:
        return int(value)
    except ValueError:
        return None


class Names:
    """``<names variable=...>`` with its name, et-al, label and substitute children."""

    __slots__ = ("variables", "name", "et_al", "label", "label_first", "substitute", "f",
                 "has_name", "has_et_al", "has_label")

    def __init__(self, variables: list[str], name: NameOpts, et_al: tuple[str, Formatting],
                 label: tuple[str, str, Formatting] | None, label_first: bool,
                 substitute: list[Any], f: Formatting, *, has_name: bool, has_et_al: bool) -> None:
        self.variables = variables
        self.name = name
        self.et_al = et_al
        self.label = label
        self.label_first = label_first
        self.substitute = substitute
        self.f = f
        self.has_name = has_name
        self.has_et_al = has_et_al
        self.has_label = label is not None

    def ev(self, ctx: Ctx) -> object:
        own = self
        parent = ctx.subst_names
        if parent is not None:
            # a names element in a substitute takes what it lacks from the one it stands for
            own = _inherit(self, parent)
        variables = self.variables
        if "editor" in variables and "translator" in variables:
            editor, translator = ctx.lookup("editor"), ctx.lookup("translator")
            if editor and editor == translator and \
                    ctx.locale.term("editortranslator", own.label[0] if own.label else "long"):
                variables = ["editortranslator" if v == "editor" else v
                             for v in variables if v != "translator"]
        found: list[tuple[str, list[Name]]] = []
        for var in variables:
            value = ctx.var("editor" if var == "editortranslator" else var)
            if value:
                found.append((var, value))
        if not found:
            if self.substitute and not ctx.in_substitute:
                return self._substitute(ctx, own)
            return None
        if ctx.in_substitute:
            ctx.suppress(["editor" if v == "editortranslator" else v for v, _ in found] +
                         (["translator"] if any(v == "editortranslator" for v, _ in found)
                          else []))
        if own.name.form == "count":
            count = sum(_count(own, ctx, names) for _, names in found)
            if not count:
                return None
            return Lit([str(count)])
        outs = [self._one(own, var, names, ctx) for var, names in found]
        f = own.f
        if f.text_case == "title" and not ctx.is_english:
            f = f.replace(text_case="")
        if ctx.in_sort:
            f = f.replace(prefix="", suffix="")
        return formatted(f, outs)

    def _substitute(self, ctx: Ctx, own: Names) -> object:
        ctx.in_substitute = True
        saved = ctx.subst_names
        ctx.subst_names = own
        try:
            for element in self.substitute:
                out = element.ev(ctx)
                if out is not None:
                    if not isinstance(out, Tag) or out.kind != "names":
                        out = Tag("names", ("", ()), out)
                    # the substitute prints with the names element's own affixes
                    return apply_formatting(own.f, out, ctx) if not ctx.in_sort else out
            return None
        finally:
            ctx.in_substitute = False
            ctx.subst_names = saved
            if ctx.pending:
                ctx.suppress(list(ctx.pending))
                ctx.pending = None


    def _one(self, own: Names, var: str, names: list[Name], ctx: Ctx) -> object:
        opts = own.name
        count = len(names)
        use_first, use_last = _et_al(opts, ctx, count)
        shown = count if use_first is None else min(use_first, count)
        if count > 1 and names[-1].literal.lower() == "others" and not names[-1].family:
            # BibTeX's "and others" (pandoc's convention): it counts as a name for
            # et-al-min, and prints as "et al." where it would be shown
            shown = min(shown, count - 1)
            use_first, use_last = shown, False
        rendered = [render_name(opts, name, index, ctx)
                    for index, name in enumerate(names[:shown])]
        delim = opts.delimiter
        and_term = None
        if opts.and_ == "symbol":
            and_term = ctx.locale.term("and", "symbol") or "&"
        elif opts.and_ == "text":
            and_term = ctx.locale.term("and") or "and"
        items: list[Any] = []
        if shown == 0:
            return None
        truncated = use_first is not None and shown < count
        for index in range(shown):
            node = Tag("name", names[index], rendered[index])
            if index == 0:
                items.append(node)
                continue
            if index == shown - 1 and not truncated and and_term and not ctx.in_sort:
                before = _precedes(opts.delimiter_precedes_last, opts, shown, index, delim,
                                   names[index - 1])
                joiner = (before if before else " ") + and_term + " "
                if before and before.endswith(" "):
                    joiner = before + and_term + " "
                items.append(Fmt(affixes(joiner), [node]))
            else:
                items.append(Fmt(affixes(delim), [node]))
        if truncated and ctx.in_sort:
            if use_last and count >= shown + 2:  # a sort key keeps the last name too
                items.append(Fmt(affixes(delim), [Tag(
                    "name", names[-1], render_name(opts, names[-1], count - 1, ctx))]))
        elif truncated:
            if use_last and count >= shown + 2:
                items.append(Fmt(affixes(delim + "\u2026 "), [Tag(
                    "name", names[-1], render_name(opts, names[-1], count - 1, ctx))]))
            else:
                term, et_al_f = own.et_al
                text = ctx.locale.term(term)
                if text:
                    before = _precedes(opts.delimiter_precedes_et_al, opts, shown, shown, delim,
                                       names[shown - 1])
                    # no space before a CJK "et al." (等)
                    joiner = before if before else ("" if text and not is_romanesque(text[0])
                                                    else " ")
                    et_al = apply_formatting(et_al_f, Lit(render_value(text)), ctx)
                    items.append(Fmt(affixes(joiner), [et_al]))
        out: object = Tag("namelist", None, formatted(EMPTY, items))
        if own.label is not None and not ctx.in_sort:
            label = _label(own.label, var, count, ctx)
            if label is not None:
                out = Fmt(EMPTY, [label, out] if own.label_first else [out, label])
        return Tag("names", (var, tuple(names)), out)


def _count(own: Names, ctx: Ctx, names: list[Name]) -> int:
    use_first, _ = _et_al(own.name, ctx, len(names))
    return len(names) if use_first is None else min(use_first, len(names))


def _et_al(opts: NameOpts, ctx: Ctx, count: int) -> tuple[int | None, bool]:
    """Return how many names to show (None: all) and whether to add the last name."""
    minimum, first = opts.et_al_min, opts.et_al_use_first
    if SUBSEQUENT in ctx.position:
        if opts.et_al_subsequent_min is not None:
            minimum = opts.et_al_subsequent_min
        if opts.et_al_subsequent_use_first is not None:
            first = opts.et_al_subsequent_use_first
    if minimum is None or first is None or count < minimum:
        return None, False
    extra = ctx.disamb.et_al_names
    if extra is not None and not ctx.in_sort:
        first = max(first, extra)
    return first, opts.et_al_use_last


def _precedes(rule: str, opts: NameOpts, shown: int, index: int, delim: str,
              previous: Name | None = None) -> str:
    """Return the delimiter before "and"/"et al." under `rule` ("" for none)."""
    if rule == "always":
        return delim
    if rule == "never":
        return ""
    if rule == "after-inverted-name":
        inverted = opts.name_as_sort_order == "all" or \
            (opts.name_as_sort_order == "first" and index - 1 == 0)
        if previous is not None and (previous.literal or not previous.given):
            inverted = False  # an organisation's name is never inverted
        return delim if inverted else ""
    # contextual: with three or more names (two or more before "et al.")
    if index == shown and shown >= 2:  # et al.
        return delim
    if index < shown and shown >= 3:
        return delim
    return ""


def _label(label: tuple[str, str, Formatting], var: str, count: int, ctx: Ctx) -> object:
    form, plural_rule, f = label
    plural = count > 1 if plural_rule == "contextual" else plural_rule == "always"
    term = var
    text = ctx.locale.term(term, form, plural)
    if not text:
        return None
    if f.suffix_text.startswith(".") and text.endswith(".") and not f.strip_periods:
        f = f.replace(suffix=f.suffix_text[1:])
    return apply_formatting(f, Lit(render_value(text)), ctx)


def _inherit(names: Names, parent: Names) -> Names:
    """Return `names` (inside a substitute) with the parent's name/et-al/label where it has none."""
    clone = Names.__new__(Names)
    clone.variables = names.variables
    clone.name = names.name if names.has_name else parent.name
    clone.et_al = names.et_al if names.has_et_al else parent.et_al
    clone.label = names.label if names.has_label else parent.label
    clone.label_first = names.label_first if names.has_label else parent.label_first
    clone.substitute = names.substitute
    clone.f = names.f
    clone.has_name = clone.has_et_al = True
    clone.has_label = clone.label is not None
    return clone
