"""The CSL engine's fast paths (issue 9) give what the general paths give.

Each test builds the small inputs a fast path skips work for and checks the result against
the rule the general path applies: variable tests on an item's own variables and on the
processor's variables, compiled ``cs:choose`` matches, ``formatted`` with and without
None, punctuation de-duplication where the next part starts with a letter or a mark,
and formattings that only add affixes.
"""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any

import pytest

from paperkit.csl.choose import Choose, compile_test
from paperkit.csl.context import Ctx
from paperkit.csl.output import EMPTY, Fmt, Formatting, Lit, add_formatting, formatted, render
from paperkit.csl.references import make_reference
from paperkit.csl.richtext import Span, concat, fix_punct, plain


def _ctx(extra: dict[str, Any] | None = None, locator: str | None = None) -> Ctx:
    ref = make_reference({"id": "a", "type": "book", "title": "A Title", "page": "12-19",
                          "note": ""})
    locale: Any = SimpleNamespace(language="en")
    return Ctx(None, ref, locale, extra=extra or {}, locator=locator)


@pytest.mark.parametrize(("name", "expected"), [
    ("title", True), ("note", False), ("volume", False),            # the item's own
    ("citation-number", True), ("citation-label", False),           # the processor's
    ("page-first", True), ("locator", True),
])
def test_variable_test_reads_item_and_processor_variables(name: str, expected: bool) -> None:
    ctx = _ctx(extra={"citation-number": "3"}, locator="4")
    assert compile_test("variable", name)(ctx) is expected
    assert ctx.data("page-first") == "12"
    assert ctx.data("citation-number") == "3" and ctx.data("title") == "A Title"


def test_var_counts_and_honours_substituted_variables() -> None:
    ctx = _ctx()
    assert ctx.var("title") == "A Title" and (ctx.total, ctx.nonempty) == (1, 1)
    ctx.suppress(["title"])
    assert ctx.var("title") is None and (ctx.total, ctx.nonempty) == (2, 1)
    assert ctx.data("title") == "A Title"  # conditions still see it


class _Out:
    def __init__(self, text: str) -> None:
        self.text = text

    def ev(self, ctx: Ctx) -> object:
        return Lit([self.text])


def _choose(match: str, results: list[bool]) -> Choose:
    tests = [("variable", str(i), (lambda r: lambda ctx: r)(r)) for i, r in enumerate(results)]
    return Choose([(match, tests, [_Out("yes")]), ("all", [], [_Out("else")])])


@pytest.mark.parametrize(("match", "results", "expected"), [
    ("all", [True, True], "yes"), ("all", [True, False], "else"),
    ("any", [False, True], "yes"), ("any", [False, False], "else"),
    ("none", [False, False], "yes"), ("none", [False, True], "else"),
])
def test_choose_matches(match: str, results: list[bool], expected: str) -> None:
    assert render(_choose(match, results).ev(_ctx())) == [expected]


def test_choose_short_circuits_in_order() -> None:
    calls: list[int] = []

    def test(index: int, result: bool) -> Any:
        def fn(ctx: Ctx) -> bool:
            calls.append(index)
            return result
        return fn

    node = Choose([("any", [("v", "a", test(1, True)), ("v", "b", test(2, True))],
                    [_Out("x")])])
    assert render(node.ev(_ctx())) == ["x"] and calls == [1]


def test_formatted_drops_none_and_keeps_lists_apart() -> None:
    a, b = Lit(["a"]), Lit(["b"])
    assert formatted(EMPTY, [None, a, None]) is a
    assert formatted(EMPTY, [None]) is None and formatted(EMPTY, []) is None
    items = [a, b]
    out = formatted(Formatting(delimiter=", "), items)
    assert isinstance(out, Fmt) and out.items == [a, b]
    assert render(out) == ["a, b"]


@pytest.mark.parametrize(("parts", "expected"), [
    ([["Title."], [". Next"]], "Title. Next"),      # a mark meets a mark: one kept
    ([["Why?"], ["."]], "Why?"),
    ([["a "], [" b"]], "a b"),
    ([["Title."], ["Next"]], "Title.Next"),          # a letter follows: untouched
    ([["x"], [""], [", y"]], "x, y"),
    ([[Span("italic", ["T."])], ["."]], "T."),
])
def test_fix_punct(parts: list[list[Any]], expected: str) -> None:
    assert plain(concat(fix_punct(parts))) == expected


def test_affix_only_formatting_matches_full_formatting() -> None:
    plain_f = Formatting(prefix="(", suffix=").")
    styled = Formatting(prefix="(", suffix=").", font_style="italic")
    assert not plain_f.styled and styled.styled
    assert add_formatting(plain_f, ["x."]) == ["(x.)."]
    assert add_formatting(plain_f, [""]) == []
    assert add_formatting(styled, ["x"]) == ["(", Span("italic", ["x"]), ")."]
    assert plain_f.replace(font_weight="bold").styled
    assert not styled.replace(font_style="").styled
