"""Rendering the bibliography: entries in order, ``subsequent-author-substitute`` ("———."
for a repeated author), ``second-field-align`` (the first field in the margin).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from .output import EMPTY, Fmt, Formatting, Lit, Tag, formatted, render
from .richtext import drop_end, plain, quotes_inside
from .markup import parse_markup
from .collapse import names_only

if TYPE_CHECKING:
    from .processor import Processor

__all__ = ["render_bibliography"]


def render_bibliography(proc: Processor, order: list[str]) -> list[tuple[str, list[Any]]]:
    """Return (id, rich text) for every work in `order` the style lists (empty entries
    are left out)."""
    layout = proc.style.bibliography
    assert layout is not None
    opts = layout.options
    align = opts.get("second-field-align")
    substitute = opts.get("subsequent-author-substitute")
    rule = opts.get("subsequent-author-substitute-rule", "complete-all")
    f = layout.f.replace(delimiter=None)
    nodes: list[tuple[str, object]] = []
    for ident in order:
        node = proc.render_item(ident, layout, in_bib=True)
        if node is None:
            continue
        if align:
            node = _second_field(node)
        nodes.append((ident, node))
    if substitute is not None:
        nodes = _substitute_authors(nodes, substitute, rule)
    out: list[tuple[str, list[Any]]] = []
    bare = f.replace(suffix="") if align and f.suffix else f  # once, not once per entry
    for ident, node in nodes:
        if align and isinstance(node, Fmt) and f.suffix:
            node = _suffix_inside(node, f)
            rich = render(formatted(bare, [node]))
        else:
            rich = render(formatted(f, [node]))
        rich = drop_end(rich, lambda c: c == " ")
        if proc.locale.punctuation_in_quote:
            rich = quotes_inside(rich)
        if plain(rich).strip():
            out.append((ident, rich))
    return out


def _second_field(node: object) -> object:
    """Return an entry split into its first field (left margin) and the rest."""
    if not isinstance(node, Fmt) or len(node.items) < 2:
        return Fmt(EMPTY.replace(display="left-margin"), [node])
    first, rest = node.items[0], node.items[1:]
    return Fmt(node.f, [Fmt(EMPTY.replace(display="left-margin"), [first]),
                        Fmt(EMPTY.replace(display="right-inline"), rest)])


def _suffix_inside(node: Fmt, f: Formatting) -> object:
    """Return `node` with the layout suffix moved into its last display block."""
    last = node.items[-1]
    if isinstance(last, Fmt) and last.f.display:
        moved = Fmt(last.f.replace(suffix=last.f.suffix_text + f.suffix_text), last.items)
        return Fmt(node.f, node.items[:-1] + [moved])
    return node


def _substitute_authors(nodes: list[tuple[str, object]], text: str,
                        rule: str) -> list[tuple[str, object]]:
    out: list[tuple[str, object]] = []
    previous: Tag | None = None
    for ident, node in nodes:
        names = names_only(node)
        if previous is not None and names is not None:
            new = _replace(node, names, previous, text, rule)
            if new is not None:
                out.append((ident, new))
                continue
        previous = names
        out.append((ident, node))
    return out


def _replace(node: object, names: Tag, previous: Tag, text: str, rule: str) -> object | None:
    """Return `node` with its names substituted, or None when they do not match."""
    current = _name_texts(names)
    before = _name_texts(previous)
    if not current or not before:
        # a substitute (a title) stands for the names: it must read the same
        if current or before or plain(render(names)) != plain(render(previous)):
            return None
        count = 0
    elif rule in ("complete-all", "complete-each"):
        if current != before:
            return None
        count = len(current)
    else:
        count = 0
        for a, b in zip(current, before):
            if a != b:
                break
            count += 1
        if count == 0:
            return None
    replacement = Lit(parse_markup(text)) if text else None
    if rule == "complete-all" or not current:
        if not current:
            return _map(node, names, lambda tag: Tag("names", tag.value, replacement))
        return _map(node, names, lambda tag: _map_kind(tag, "namelist", lambda t: Tag(
            "namelist", None, replacement)))
    limit = count if rule in ("partial-each", "complete-each") else 1
    seen = [0]

    def swap(tag: Tag) -> Tag:
        seen[0] += 1
        return Tag("name", tag.value, replacement) if seen[0] <= limit else tag

    return _map(node, names, lambda tag: _map_kind(tag, "name", swap))


def _name_texts(names: Tag) -> tuple[str, ...]:
    """Return the rendered text of each name in a names tag."""
    found: list[str] = []
    stack: list[object] = [names.child]
    while stack:
        current = stack.pop()
        if current is None:
            continue
        if isinstance(current, Tag):
            if current.kind == "name":
                found.append(plain(render(current)))
                continue
            stack.append(current.child)
        elif isinstance(current, Fmt):
            stack.extend(reversed(current.items))
    return tuple(found)


def _map(node: object, target: object, fn: Callable[[Any], object]) -> object:
    """Return `node` with the subtree `target` replaced by ``fn(target)``."""
    if node is target:
        return fn(node)
    if isinstance(node, Tag):
        return Tag(node.kind, node.value, _map(node.child, target, fn))
    if isinstance(node, Fmt):
        return Fmt(node.f, [_map(i, target, fn) if i is not None else None
                            for i in node.items])
    return node


def _map_kind(node: object, kind: str, fn: Callable[[Tag], object]) -> object:
    """Return `node` with every tag of `kind` replaced by ``fn(tag)``."""
    if node is None:
        return None
    if isinstance(node, Tag):
        if node.kind == kind:
            return fn(node)
        return Tag(node.kind, node.value, _map_kind(node.child, kind, fn))
    if isinstance(node, Fmt):
        return Fmt(node.f, [_map_kind(i, kind, fn) for i in node.items])
    return node
