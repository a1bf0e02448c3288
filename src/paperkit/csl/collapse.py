"""Assembling a citation: cite affixes and modes, cite grouping and collapsing.

- ``collapse="citation-number"``: three or more consecutive numbers become a range
  ("[1]–[3]"); ranges are followed by ``after-collapse-delimiter``.
- ``cite-group-delimiter`` (or any ``collapse``): adjacent cites with the same names form a
  group, joined by the cite-group delimiter.
- ``collapse="year"``: later cites of a group drop their names ("Doe 2000, 2001");
  ``year-suffix`` also drops a repeated year ("Doe 2000a, b"); ``year-suffix-ranged``
  makes three or more consecutive suffixes a range ("Doe 2000a–c").
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from .context import IBID, IBID_WITH_LOCATOR
from .output import EMPTY, Fmt, Lit, Tag, formatted, render
from .richtext import Span
from .markup import parse_markup

if TYPE_CHECKING:
    from .processor import CitationInput, CitationResult, Processor

__all__ = ["assemble", "strip_names", "names_only"]


def assemble(proc: Processor, citation: CitationInput, cites: list[Any]) -> CitationResult:
    """Return the rendered citation of `cites` (already sorted, positions set)."""
    from .processor import CitationResult

    style = proc.style
    layout = style.citation
    author = None
    entries: list[tuple[Any, object]] = []
    for index, cite in enumerate(cites):
        item = cite.item
        if item.id not in proc.refs:
            entries.append((cite, Lit([f"{item.id}?"])))
            continue
        node = proc.render_item(item.id, layout, locator=item.locator, label=item.label,
                                position=cite.position)
        if not (item.prefix or item.suffix) and not proc.rich(node):
            continue  # a work the style prints nothing for leaves no delimiter behind
        mode = item.mode
        if mode == "normal" and not style.is_note:
            # the cite prints as its cached rendering; tags kept for grouping
            node = _prerendered(proc, node, alone=len(cites) == 1)
        if mode == "author-in-text" and index == 0:
            found = names_only(node)
            if found is None and IBID in cite.position:
                # "Ibid." prints no names, but the sentence still needs its subject: the
                # names as a later cite prints them (pandoc: "Buzan and Wæver" + note)
                found = names_only(proc.render_item(
                    item.id, layout, locator=item.locator, label=item.label,
                    position=cite.position - {IBID, IBID_WITH_LOCATOR}))
            author = render(found, marks=True) if found is not None else None
            if author is not None:
                author = [_item_span(item.id, author)]
            node = strip_names(node)
        elif mode == "suppress-author":
            node = strip_names(node)
        elif mode == "author-only":
            node = names_only(node)
        if node is None:
            continue
        if style.is_note and ((index == 0 and not item.prefix) or
                              (item.prefix and _ends_sentence(item.prefix))):
            node = _capitalize_initial_term(node)
        node = Tag("item", (mode, item.id), node)
        if item.prefix or item.suffix:
            pieces: list[object] = []
            if item.prefix:
                pieces.append(Lit([Span("affix", parse_markup(item.prefix,
                                                               quotes="straight"))]))
            pieces.append(node)
            if item.suffix:
                pieces.append(Lit([Span("affix", parse_markup(item.suffix,
                                                               quotes="straight"))]))
            node = Tag("affixed", (bool(item.prefix), bool(item.suffix)),
                       Fmt(EMPTY, pieces))
        entries.append((cite, node))
    parts = _join(proc, entries)
    f = layout.f.replace(delimiter=None)
    out = formatted(f, parts) if parts else None
    rich = render(out, marks=True) if out is not None else []
    from .richtext import drop_end, quotes_inside

    rich = drop_end(rich, lambda c: c == " ")
    if style.locale.punctuation_in_quote:
        rich = quotes_inside(rich)
    return CitationResult(rich, author)


def _prerendered(proc: Processor, node: object, alone: bool) -> object:
    """Return `node` with its text rendered once (cached), keeping the tags that cite
    grouping and collapsing look at (a cite alone in its citation needs none)."""
    rich = proc.rich(node)
    if alone:
        return Lit(rich)
    names = names_only(node)
    number = _number_of(node)
    out: object = Lit(rich)
    if number is not None:
        return Tag("citation-number", number, out)
    if names is not None or _suffixes_of(node):
        return node  # grouping and year-suffix collapsing need the structure
    return out


def _ends_sentence(prefix: str) -> bool:
    """Return whether a cite prefix ends a sentence ("See the list. " but not "Cf. ")."""
    text = prefix.rstrip().rstrip("\"'\u201d\u2019")
    return prefix[-1:].isspace() and text[-1:] in (".", "?", "!") and \
        prefix.strip().count(" ") >= 1


def _item_span(ident: str, rich: list[Any]) -> object:
    from .richtext import Span

    return Span("item", rich, ident)


def _join(proc: Processor, entries: list[tuple[Any, object]]) -> list[Any]:
    """Return the cites' outputs with the delimiters the style's collapsing asks for."""
    layout = proc.style.citation
    opts = layout.options
    delimiter = layout.f.delimiter
    delim_text = "".join(p for p in (delimiter or []) if isinstance(p, str))
    collapse = opts.get("collapse")
    group_delim = opts.get("cite-group-delimiter")
    after = opts.get("after-collapse-delimiter", delim_text)
    nodes = [node for _, node in entries]
    if collapse == "citation-number":
        return _number_ranges(nodes, delim_text, after)
    years = collapse in ("year", "year-suffix", "year-suffix-ranged")
    if group_delim is None and not years:
        return _delimited(nodes, delim_text)
    year_delim = opts.get("year-suffix-delimiter", group_delim or delim_text)
    if group_delim is None:
        group_delim = ", "
    # cite grouping: in a sorted citation a cite joins the earlier group with the same
    # names (CSL 1.0.1); unsorted, only neighbours group
    groups: list[list[tuple[Any, object]]] = []
    for cite, node in entries:
        candidates = groups if layout.sort else groups[-1:]
        for group in candidates:
            if _same_names(group[-1][1], node):
                group.append((cite, node))
                break
        else:
            groups.append([(cite, node)])
    out: list[Any] = []
    previous_collapsed = False
    for group in groups:
        if out:
            between = after if (collapse == "year" or previous_collapsed) and years \
                else delim_text
            out.append(Lit([between]))
        # (node, whether it ends a collapsed run, whether it prints a locator or suffix)
        members: list[tuple[object, bool, bool]] = [
            (node if index == 0 or not years else strip_names(node), False,
             _has_extra(cite)) for index, (cite, node) in enumerate(group)]
        if years and collapse != "year":
            members = _collapse_suffixes(members, year_delim,
                                         collapse == "year-suffix-ranged")
        pieces: list[Any] = []
        previous: tuple[object, bool, bool] | None = None
        for member in members:
            if member[0] is None:
                continue
            if previous is not None:
                pieces.append(Lit([after if years and (previous[1] or previous[2])
                                   else group_delim]))
            pieces.append(member[0])
            previous = member
        previous_collapsed = len(group) > 1
        out.append(pieces[0] if len(pieces) == 1 else Fmt(EMPTY, pieces))
    return out


def _has_extra(cite: Any) -> bool:
    """Return whether a cite prints more than names and date (a locator or suffix)."""
    return bool(cite.item.locator or cite.item.suffix)


def _delimited(nodes: list[Any], delimiter: str) -> list[Any]:
    out: list[Any] = []
    for node in nodes:
        if out and delimiter and _starts_with(node) not in (",", ";", "."):
            joiner = delimiter
            if _ends_with(out[-1]) in (",", ";", ":", ".") and joiner[:1] in ",;:.":
                # a cite suffix that ends in punctuation replaces the delimiter's
                joiner = joiner[1:]
            out.append(Lit([joiner]))
        out.append(node)
    return out


def _ends_with(node: object) -> str:
    from .richtext import last_char

    if isinstance(node, Tag) and node.kind == "affixed" and node.value[1]:
        return last_char(render(node))
    return ""


def _starts_with(node: object) -> str:
    from .richtext import first_char

    if isinstance(node, Tag) and node.kind == "affixed" and node.value[0]:
        return first_char(render(node))
    return ""


def _delimited_node(nodes: list[Any], delimiter: str) -> object:
    if len(nodes) == 1:
        return nodes[0]
    return Fmt(EMPTY, _delimited(nodes, delimiter))


def _number_of(node: object) -> int | None:
    """Return the citation number a cite renders as, when that is all it renders."""
    current = node
    while True:
        if isinstance(current, Tag):
            if current.kind == "citation-number":
                number: int = current.value
                return number
            if current.kind in ("item",):
                current = current.child
                continue
            return None
        if isinstance(current, Fmt) and len(current.items) == 1:
            current = current.items[0]
            continue
        return None


def _number_ranges(nodes: list[Any], delimiter: str, after: str) -> list[Any]:
    runs: list[list[object]] = []
    for node in nodes:
        number = _number_of(node)
        if runs and number is not None and _number_of(runs[-1][-1]) == number - 1:
            runs[-1].append(node)
        else:
            runs.append([node])
    out: list[Any] = []
    previous_range = False
    for run in runs:
        if out:
            out.append(Lit([after if previous_range else delimiter]))
        if len(run) >= 3:
            out.append(Fmt(EMPTY, [run[0], Lit(["\u2013"]), run[-1]]))
            previous_range = True
        else:
            out.extend(_delimited(run, delimiter))
            previous_range = False
    return out


def _first_leaf(node: object) -> object:
    current = node
    if isinstance(current, Tag) and current.kind == "affixed":
        # the cite inside its prefix and suffix
        child = current.child
        items = child.items if isinstance(child, Fmt) else []
        current = next((i for i in items if isinstance(i, Tag) and i.kind == "item"), current)
    while True:
        if isinstance(current, Fmt):
            if not current.items:
                return None
            current = current.items[0]
        elif isinstance(current, Tag) and current.kind not in ("names",):
            current = current.child
        else:
            return current


def _same_names(a: object, b: object) -> bool:
    if isinstance(a, Tag) and a.kind == "affixed" and a.value[1]:
        return False
    if isinstance(b, Tag) and b.kind == "affixed" and b.value[0]:
        return False
    x, y = _first_leaf(a), _first_leaf(b)
    if names_only(a) is None and names_only(b) is None:
        return True  # cites that print no names at all group together ("1965a,b")
    if not isinstance(x, Tag) or not isinstance(y, Tag) or x.kind != "names" or \
            y.kind != "names":
        return False
    return render(x) == render(y)


def _dates_of(node: object) -> list[Any]:
    found: list[Any] = []
    _walk(node, lambda t: found.append(_without_suffix(t)) if t.kind == "date" else None)
    return found


def _without_suffix(tag: Tag) -> str:
    from .richtext import plain

    return plain(render(_drop_kind(tag.child, "year-suffix")))


def _drop_kind(node: object, kind: str) -> object:
    if isinstance(node, Tag):
        return None if node.kind == kind else Tag(node.kind, node.value,
                                                  _drop_kind(node.child, kind))
    if isinstance(node, Fmt):
        return Fmt(node.f, [_drop_kind(i, kind) for i in node.items if i is not None])
    return node


def _suffixes_of(node: object) -> list[Any]:
    found: list[Any] = []
    _walk(node, lambda t: found.append(t) if t.kind == "year-suffix" else None)
    return found


def _walk(node: object, fn: Callable[[Tag], object]) -> None:
    stack: list[object] = [node]
    while stack:
        current = stack.pop()
        if current is None:
            continue
        if isinstance(current, Tag):
            fn(current)
            stack.append(current.child)
        elif isinstance(current, Fmt):
            stack.extend(reversed(current.items))


def _collapse_suffixes(members: list[tuple[object, bool, bool]], delimiter: str,
                       ranged: bool) -> list[tuple[object, bool, bool]]:
    """Return `members` with repeated years reduced to their year suffixes ("2000a, b")."""
    out: list[tuple[object, bool, bool]] = []
    runs: list[list[tuple[object, bool, bool]]] = []
    for member in members:
        node = member[0]
        if runs and not runs[-1][-1][2] and _dates_of(node) and \
                _dates_of(runs[-1][0][0]) == _dates_of(node) and _suffixes_of(node) and \
                _suffixes_of(runs[-1][0][0]):
            runs[-1].append(member)
        else:
            runs.append([member])
    for run in runs:
        if len(run) == 1:
            out.append(run[0])
            continue
        first = run[0][0]
        suffixes = [_suffixes_of(m[0])[0] for m in run[1:]]
        if ranged:
            pieces = _suffix_ranges([_suffixes_of(first)[0]] + suffixes, delimiter)
            node = Fmt(EMPTY, [first] + pieces[1:]) if len(pieces) > 1 else first
        else:
            pieces = [first]
            for tag in suffixes:
                pieces += [Lit([delimiter]), tag]
            node = Fmt(EMPTY, pieces)
        out.append((node, True, run[-1][2]))
    return out


def _suffix_ranges(tags: list[Any], delimiter: str) -> list[Any]:
    runs: list[list[Tag]] = []
    for tag in tags:
        if runs and runs[-1][-1].value == tag.value - 1:
            runs[-1].append(tag)
        else:
            runs.append([tag])
    pieces: list[Any] = []
    for index, run in enumerate(runs):
        if index:
            pieces.append(Lit([delimiter]))
        if len(run) >= 3:
            pieces += [run[0], Lit(["\u2013"]), run[-1]]
        else:
            for j, tag in enumerate(run):
                if j:
                    pieces.append(Lit([delimiter]))
                pieces.append(tag)
    # pieces[0] is the first cite's own suffix: the caller keeps the cite instead
    return pieces


def strip_names(node: object) -> object:
    """Return `node` without its first names list (suppress-author)."""
    done = [False]

    def go(current: object) -> object:
        if done[0] or current is None:
            return current
        if isinstance(current, Tag):
            if current.kind == "names":
                done[0] = True
                return None
            child = go(current.child)
            return None if child is None else Tag(current.kind, current.value, child)
        if isinstance(current, Fmt):
            items = [go(i) for i in current.items]
            return formatted(current.f, items)
        return current

    return go(node)


def names_only(node: object) -> Tag | None:
    """Return the first names list of `node` (author-only), or None."""
    stack = [node]
    while stack:
        current = stack.pop()
        if current is None:
            continue
        if isinstance(current, Tag):
            if current.kind == "names":
                return current
            stack.append(current.child)
        elif isinstance(current, Fmt):
            stack.extend(reversed(current.items))
    return None


def _capitalize_initial_term(node: object) -> object:
    """Return `node` with a leading term ("ibid.") capitalized, as a note starts."""
    if isinstance(node, Tag):
        if node.kind == "term":
            return Fmt(EMPTY.replace(text_case="capitalize-first"), [node])
        return Tag(node.kind, node.value, _capitalize_initial_term(node.child))
    if isinstance(node, Fmt) and node.items:
        return Fmt(node.f, [_capitalize_initial_term(node.items[0])] + node.items[1:])
    return node
