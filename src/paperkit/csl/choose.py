"""``cs:choose`` with compiled conditions, and styles specialized to one item type.

Each ``if``/``else-if`` test becomes a small function of the rendering context, built once.
Most of a large style's branches test the item type (APA's bibliography layout chooses
among dozens of types); :func:`specialize` returns a copy of a node tree with every type
test decided for one type, dead branches dropped, so that rendering a book never looks at
the branches for journal articles.
"""

from __future__ import annotations

from typing import Any

from collections.abc import Callable

from .context import (FIRST, IBID, IBID_WITH_LOCATOR, NEAR_NOTE, PROCESSOR_VARS, SUBSEQUENT,
                      Ctx)
from .numbers import is_numeric
from .output import Fmt
from .references import Date

__all__ = ["Choose", "compile_test", "specialize"]

Test = Callable[[Ctx], bool]
_POSITIONS = {"first": FIRST, "subsequent": SUBSEQUENT, "ibid": IBID,
              "ibid-with-locator": IBID_WITH_LOCATOR, "near-note": NEAR_NOTE}


def compile_test(test: str, value: str) -> Test:
    """Return the function that evaluates one condition (`test` is the attribute name)."""
    if test == "variable":
        if value == "locator":
            return lambda ctx: bool(ctx.locator)
        if value == "year-suffix":
            return lambda ctx: ctx.disamb.year_suffix is not None

        if value not in PROCESSOR_VARS:
            # the item's own variable (what Ctx.data returns for it), read directly: the
            # test runs ~200,000 times for 2,000 citations in a note style
            def own(ctx: Ctx, name: str = value) -> bool:
                found = ctx.vars.get(name)
                return found is not None and found != "" and found != []
            return own

        def has(ctx: Ctx, name: str = value) -> bool:
            found = ctx.data(name)
            return found is not None and found != "" and found != []
        return has
    if test == "type":
        types = frozenset(value.split())
        return lambda ctx: ctx.ref.type in types
    if test == "position":
        position = _POSITIONS.get(value)
        return lambda ctx: position in ctx.position
    if test == "is-numeric":
        def numeric(ctx: Ctx, name: str = value) -> bool:
            found = ctx.data(name)
            return isinstance(found, str) and is_numeric(found)
        return numeric
    if test == "locator":
        def locator(ctx: Ctx) -> bool:
            if not ctx.locator:
                return False  # no locator is of no type
            label = ctx.label or "page"
            return label == value or (value == "sub-verbo" and label == "sub verbo")
        return locator
    if test == "disambiguate":
        wanted = value == "true"

        def disambiguate(ctx: Ctx) -> bool:
            ctx.disamb_tests += 1
            return (ctx.disamb_tests <= ctx.disamb.condition) == wanted
        return disambiguate
    if test == "is-uncertain-date":
        def uncertain(ctx: Ctx, name: str = value) -> bool:
            found = ctx.data(name)
            return isinstance(found, Date) and found.circa
        return uncertain
    return lambda ctx: False


class Choose:
    """``<choose>``: the first branch whose conditions hold.

    A branch is (match, [(test, value, function)], children); no tests means "else".
    """

    __slots__ = ("branches", "plan")

    def __init__(self, branches: list[tuple[str, list[tuple[str, str, Test]], list[Any]]]) -> None:
        self.branches = branches
        # the branches as evaluation needs them, built once per (specialized) node: the
        # match as a small int (0: else, 1: any, 2: none, 3: all), the test functions
        self.plan: tuple[tuple[int, tuple[Test, ...], tuple[Any, ...]], ...] = tuple(
            (0 if not tests else 1 if match == "any" else 2 if match == "none" else 3,
             tuple(fn for _, _, fn in tests), tuple(children))
            for match, tests, children in branches)

    def ev(self, ctx: Ctx) -> object:
        for match, tests, children in self.plan:
            if match == 1:
                for fn in tests:
                    if fn(ctx):
                        break
                else:
                    continue
            elif match == 3:
                for fn in tests:
                    if not fn(ctx):
                        break
                else:
                    match = 0
                if match:
                    continue
            elif match == 2:
                for fn in tests:
                    if fn(ctx):
                        break
                else:
                    match = 0
                if match:
                    continue
            items: list[Any] = []
            for child in children:
                out = child.ev(ctx)
                if out is None:
                    continue
                if type(out) is Fmt and out.f is SPLICE:
                    items.extend(out.items)
                else:
                    items.append(out)
            if not items:
                return None
            return items[0] if len(items) == 1 else Fmt(SPLICE, items)
        return None


def specialize(node: object, kind: str, memo: dict[int, object]) -> object:
    """Return `node` with every ``type`` test decided for item type `kind`."""
    key = id(node)
    found = memo.get(key)
    if found is not None:
        return found
    from .names import Names
    from .nodes import Group

    out: object = node
    if isinstance(node, Choose):
        out = _choose(node, kind, memo)
    elif isinstance(node, Group):
        out = Group([specialize(c, kind, memo) for c in node.children], node.f, node.name)
    elif isinstance(node, Names) and node.substitute:
        clone = Names.__new__(Names)
        for slot in Names.__slots__:
            setattr(clone, slot, getattr(node, slot))
        clone.substitute = [specialize(c, kind, memo) for c in node.substitute]
        out = clone
    memo[key] = out
    return out


def _choose(node: Choose, kind: str, memo: dict[int, object]) -> Choose:
    branches = []
    for match, tests, children in node.branches:
        children = [specialize(c, kind, memo) for c in children]
        if not tests:
            branches.append((match, tests, children))
            break
        constants = [(test == "type", kind in value.split()) for test, value, _ in tests]
        dynamic = [t for t in tests if t[0] != "type"]
        known = [result for is_type, result in constants if is_type]
        if match == "any":
            if any(known):
                branches.append((match, [], children))
                break
            if not dynamic:
                continue
        elif match == "none":
            if any(known):
                continue
            if not dynamic:
                branches.append((match, [], children))
                break
        else:
            if known and not all(known):
                continue
            if not dynamic:
                branches.append((match, [], children))
                break
        branches.append((match, dynamic, children))
    return Choose(branches)


from .nodes import SPLICE  # noqa: E402 - nodes imports this module's users lazily
