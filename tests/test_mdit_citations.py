"""The Pandoc citation rule (readers/mdit_citations.py) and locators (readers/locators.py)."""

from __future__ import annotations

import pytest
from markdown_it import MarkdownIt

from paperkit.diagnostics import Log
from paperkit.model import Cite, CiteItem, Code, Emph, Link, Ref, Strong, Text
from paperkit.readers.locators import LOCATOR_TERMS, parse_locator
from paperkit.readers.markdown import read_inlines
from paperkit.readers.mdit_citations import citations_plugin, scan_key


def inlines(text: str) -> list:
    log = Log()
    result = read_inlines(text, file="t.md", first_line=1, log=log)
    assert not log.items, [str(d) for d in log.items]
    return result


def cite(source: str, *items: CiteItem) -> Cite:
    return Cite(list(items), source)


def item(key: str, mode: str = "normal", prefix="", locator=None, label=None,
         suffix="") -> CiteItem:
    return CiteItem(key, mode, prefix, locator, label, suffix)  # type: ignore[arg-type]


AIT = "author-in-text"
SUPPRESS = "suppress-author"

# input -> expected inlines (positions are ignored by equality; see the position tests)
CASES: list[tuple[str, list]] = [
    ("[@a]", [cite("[@a]", item("a"))]),
    ("[@a, p. 33]", [cite("[@a, p. 33]", item("a", locator="33", label="page"))]),
    ("[see @a, pp. 3-5; also @b, chap. 2]",
     [cite("[see @a, pp. 3-5; also @b, chap. 2]",
           item("a", prefix="see", locator="3-5", label="page"),
           item("b", prefix="also", locator="2", label="chapter"))]),
    ("[-@a]", [cite("[-@a]", item("a", SUPPRESS))]),
    ("[@a; @b]", [cite("[@a; @b]", item("a"), item("b"))]),
    ("[@a;@b]", [cite("[@a;@b]", item("a"), item("b"))]),
    ("[ @a ]", [cite("[ @a ]", item("a"))]),
    ("[@{weird:key.with/chars}]",
     [cite("[@{weird:key.with/chars}]", item("weird:key.with/chars"))]),
    ("[@{Foo{Bar}}, p. 3]",
     [cite("[@{Foo{Bar}}, p. 3]", item("Foo{Bar}", locator="3", label="page"))]),
    ("@a says", [cite("@a", item("a", AIT)), Text(" says")]),
    ("-@a says", [cite("-@a", item("a", SUPPRESS)), Text(" says")]),
    ("@a [p. 33] says", [cite("@a [p. 33]", item("a", AIT, locator="33", label="page")),
                         Text(" says")]),
    ("@a [p. 33; @b]", [cite("@a [p. 33; @b]", item("a", AIT, locator="33", label="page"),
                             item("b"))]),
    ("@a\n[p. 4]", [cite("@a\n[p. 4]", item("a", AIT, locator="4", label="page"))]),
    ("@a [see also]", [cite("@a [see also]", item("a", AIT, suffix="see also"))]),
    ("@a [@b]", [cite("@a", item("a", AIT)), Text(" "), cite("[@b]", item("b"))]),
    ("@a [x](y)", [cite("@a", item("a", AIT)), Text(" "), Link("x", "y")]),
    ("@buzan2022.", [cite("@buzan2022", item("buzan2022", AIT)), Text(".")]),
    ("@a: yes", [cite("@a", item("a", AIT)), Text(": yes")]),
    ("(@a)", [Text("("), cite("@a", item("a", AIT)), Text(")")]),
    ("@1990 and @_x", [cite("@1990", item("1990", AIT)), Text(" and "),
                       cite("@_x", item("_x", AIT))]),
    ("@key_with:colon", [cite("@key_with:colon", item("key_with:colon", AIT))]),
    ("@http://x.org/a", [cite("@http://x.org/a", item("http://x.org/a", AIT))]),
    ("mail a@b.org now", [Text("mail a@b.org now")]),
    (r"\@a and `@code`", [Text("@a and "), Code("@code")]),
    ("[@a, 33]", [cite("[@a, 33]", item("a", locator="33", label="page"))]),
    ("[@a 33]", [cite("[@a 33]", item("a", locator="33", label="page"))]),
    ("[@a, and more]", [cite("[@a, and more]", item("a", suffix=", and more"))]),
    ("[@a and more]", [cite("[@a and more]", item("a", suffix=" and more"))]),
    ("[@a, p. 33, emphasis added]",
     [cite("[@a, p. 33, emphasis added]",
           item("a", locator="33", label="page", suffix=", emphasis added"))]),
    ("[@a, pp. 33, 35-37, and passim]",
     [cite("[@a, pp. 33, 35-37, and passim]",
           item("a", locator="33, 35-37", label="page", suffix=", and passim"))]),
    ("[@a, § 3]", [cite("[@a, § 3]", item("a", locator="3", label="section"))]),
    ("[@a, ¶ 4]", [cite("[@a, ¶ 4]", item("a", locator="4", label="paragraph"))]),
    ("[@a, vol. 2, p. 33]", [cite("[@a, vol. 2, p. 33]",
                                  item("a", locator="2", label="volume", suffix=", p. 33"))]),
    ("[@a, {pp. iv, vi-xi} with x]",
     [cite("[@a, {pp. iv, vi-xi} with x]",
           item("a", locator="iv, vi-xi", label="page", suffix=" with x"))]),
    ("[@a, chap. A]", [cite("[@a, chap. A]", item("a", suffix=", chap. A"))]),
    ("[@a, p. iv]", [cite("[@a, p. iv]", item("a", locator="iv", label="page"))]),
    ("[*see* @a, p. 3, *emph*]",
     [cite("[*see* @a, p. 3, *emph*]",
           item("a", prefix=[Emph("see")], locator="3", label="page",
                suffix=[Text(", "), Emph("emph")]))]),
    ("[`@code` @a]", [cite("[`@code` @a]", item("a", prefix=[Code("@code")]))]),
    ("[see [note] @a]", [cite("[see [note] @a]", item("a", prefix="see [note]"))]),
    ("[[@a]]", [Text("["), cite("[@a]", item("a")), Text("]")]),
    ("**[@a]**", [Strong([cite("[@a]", item("a"))])]),
    # not citations: an empty part, a part with no key, a link
    ("[@a;]", [Text("["), cite("@a", item("a", AIT)), Text(";]")]),
    ("[@a; no key]", [Text("["), cite("@a", item("a", AIT)), Text("; no key]")]),
    ("[text]", [Text("[text]")]),
    ("[@a](http://x.org)", [Link([cite("@a", item("a", AIT))], "http://x.org")]),
    # cross-references
    ("@sec:intro and @fig:map, @tbl:trade.",
     [Ref("sec:intro"), Text(" and "), Ref("fig:map"), Text(", "), Ref("tbl:trade"), Text(".")]),
    ("[@fig:a]", [Ref("fig:a")]),
    ("[@fig:a; @fig:b]", [Ref("fig:a"), Text(" and "), Ref("fig:b")]),
    ("[@fig:a; @fig:b; @fig:c]", [Ref("fig:a"), Text(", "), Ref("fig:b"), Text(" and "),
                                  Ref("fig:c")]),
    ("[@fig:a; @smith]", [Ref("fig:a"), Text("; "), cite("[@fig:a; @smith]", item("smith"))]),
    ("@sec: alone", [cite("@sec", item("sec", AIT)), Text(": alone")]),
]


@pytest.mark.parametrize(("source", "expected"), CASES, ids=[c[0] for c in CASES])
def test_citation_syntax(source: str, expected: list) -> None:
    assert inlines(source) == expected


# --------------------------------------------------------------------------- locators

LOCATORS = [
    (", p. 33", ("page", "33", "")),
    (", pp. 3-5", ("page", "3-5", "")),
    (", pp. 3–5", ("page", "3-5", "")),             # a range keeps a plain hyphen
    (", pp. 3--5", ("page", "3-5", "")),
    (", P. 33", ("page", "33", "")),
    (", p.33", ("page", "33", "")),
    (", page 4", ("page", "4", "")),
    (", pages 4-6", ("page", "4-6", "")),
    (", chap. 2", ("chapter", "2", "")),
    (", ch. 2", ("chapter", "2", "")),
    (", Chapter 3", ("chapter", "3", "")),
    (", sec. 4", ("section", "4", "")),
    (", §3", ("section", "3", "")),
    (", §§ 3-4", ("section", "3-4", "")),
    (", fig. 2", ("figure", "2", "")),
    (", vol. 2", ("volume", "2", "")),
    (", para. 7", ("paragraph", "7", "")),
    (", l. 3", ("line", "3", "")),
    (", ll. 3-9", ("line", "3-9", "")),
    (", n. 12", ("note", "12", "")),
    (", no. 7", ("issue", "7", "")),
    (", col. 2", ("column", "2", "")),
    (", bk. 3", ("book", "3", "")),
    (", s.v. 3", ("sub-verbo", "3", "")),
    (", sub verbo 3", ("sub-verbo", "3", "")),
    (", v. 3", ("verse", "3", "")),
    (", 33", ("page", "33", "")),
    (", 3.2", ("page", "3.2", "")),
    (", 34(1)(i)", ("page", "34(1)(i)", "")),
    (", p. 33.", ("page", "33", ".")),
    (", p. xiv", ("page", "xiv", "")),
    (", p. 33 and elsewhere", ("page", "33", " and elsewhere")),
    (", c. 1900", (None, None, ", c. 1900")),  # circa, not the chapter symbol
    (", {33}", ("page", "33", "")),
    (", {vol. 2, part b}", ("volume", "2, part b", "")),
    (", chapter3", ("page", "chapter3", "")),  # no label (a word runs on): a page, as pandoc
]


@pytest.mark.parametrize(("suffix", "expected"), LOCATORS, ids=[c[0] for c in LOCATORS])
def test_parse_locator(suffix: str, expected: tuple[str, str, str]) -> None:
    label, locator, rest = parse_locator(suffix)
    assert (label, locator, suffix[rest:]) == expected


@pytest.mark.parametrize("suffix", ["", ", and more", " see also", ", chap. A", ", ivy",
                                    ", p. ", ", {33"])
def test_parse_locator_none(suffix: str) -> None:
    assert parse_locator(suffix) == (None, None, 0)


def test_locator_terms_cover_csl_locators() -> None:
    csl = ("act appendix article-locator book canon chapter column elocation equation figure "
           "folio issue line note opus page paragraph part rule scene section sub-verbo "
           "supplement table timestamp title-locator verse version volume").split()
    assert sorted(LOCATOR_TERMS) == sorted(csl)


# --------------------------------------------------------------------------- the plugin itself


@pytest.fixture(scope="module")
def md() -> MarkdownIt:
    return MarkdownIt("commonmark").use(citations_plugin)


def citation_tokens(md: MarkdownIt, text: str) -> list:
    return [t for t in md.parseInline(text)[0].children if t.type == "citation"]


def test_plugin_token_meta(md: MarkdownIt) -> None:
    (token,) = citation_tokens(md, "As [see @a, p. 3; -@b] said.")
    assert token.content == "[see @a, p. 3; -@b]"
    assert token.meta["offset"] == 3 and token.meta["end"] == 22
    assert token.meta["bracketed"] is True
    first, second = token.meta["items"]
    assert (first["key"], first["mode"], first["offset"]) == ("a", "normal", 8)
    assert (first["label"], first["locator"]) == ("page", "3")
    assert [t.content for t in first["prefix"]] == ["see"]
    assert first["prefix_offset"] == 4
    assert (second["key"], second["mode"], second["offset"]) == ("b", "suppress-author", 18)


def test_plugin_narrative_meta(md: MarkdownIt) -> None:
    (token,) = citation_tokens(md, "So @a [p. 3] says.")
    assert token.content == "@a [p. 3]"
    assert token.meta["bracketed"] is False
    assert (token.meta["offset"], token.meta["end"]) == (3, 12)
    assert token.meta["items"][0]["mode"] == "author-in-text"


def test_plugin_renders_without_a_render_rule(md: MarkdownIt) -> None:
    # the reader never renders, but the plugin must not break markdown-it's own renderer
    assert md.render("[@a]") == '<p><span class="citation" data-cites="a">[@a]</span></p>\n'


@pytest.mark.parametrize(("text", "expected"), [
    ("@abc def", ("abc", 4)),
    ("@a.b.c.", ("a.b.c", 6)),
    ("@a-b+c?d<e>f~g/h", ("a-b+c?d<e>f~g/h", 16)),
    ("@{a b}", None),
    ("@{a{b}c}x", ("a{b}c", 8)),
    ("@{}", None),
    ("@.a", None),
    ("@", None),
    ("@Ünïcødé2020", ("Ünïcødé2020", 12)),
])
def test_scan_key(text: str, expected: tuple[str, int] | None) -> None:
    assert scan_key(text, 0, len(text)) == expected


def test_pathological_brackets_are_linear() -> None:
    import time

    text = "[" * 5000 + "@a" + "]" * 10 + " x" * 2000 + "[" * 3000
    start = time.perf_counter()
    result = read_inlines(text, file="t.md", first_line=1, log=Log())
    assert time.perf_counter() - start < 5
    assert any(isinstance(node, Cite) for node in result)


def test_deeply_nested_citations_do_not_exhaust_the_stack() -> None:
    result = read_inlines("[@a " * 400 + "]" * 400, file="t.md", first_line=1, log=Log())
    depth, node = 0, result[0]
    while isinstance(node, Cite):
        depth += 1
        suffix = node.items[0].suffix
        node = next((n for n in suffix if isinstance(n, Cite)), None)
    assert depth == 5  # the outer citation and four nested ones, then plain text
