"""The Markdown body reader (readers/markdown.py): every construct, positions, robustness, speed."""

from __future__ import annotations

import random
import time

import pytest
from hypothesis import HealthCheck, given, settings, strategies as st

from paperkit.diagnostics import Log
from paperkit.model import (BlockQuote, BulletList, Cite, CiteItem, Code, CodeBlock, Emph, Figure,
                            LineBreak, Link, Math, MathBlock, Note, OrderedList, Paragraph,
                            Ref, Section, SmallCaps, Strong, Subscript, Superscript, Table, Text,
                            ThematicBreak)
from paperkit.readers.markdown import read_blocks, read_body, read_inlines
from paperkit.walk import iter_inlines, iter_sections

FILE = "paper.md"


def body(text: str, first_line: int = 1):
    """Return (blocks, sections, diagnostics) for `text`."""
    log = Log()
    blocks, sections = read_body(text, file=FILE, first_line=first_line, log=log)
    return blocks, sections, log.items


def blocks_of(text: str, first_line: int = 1) -> list:
    blocks, sections, diags = body(text, first_line)
    assert not sections
    assert not diags, [str(d) for d in diags]
    return blocks


def para(text: str) -> list:
    (block,) = blocks_of(text)
    assert isinstance(block, Paragraph)
    return block.content


def where(node) -> tuple[int, int]:
    assert node.pos is not None, node
    assert node.pos.file == FILE
    return node.pos.line, node.pos.column


def find_all(blocks, kind) -> list:
    from paperkit.walk import block_inlines

    return [node for block in blocks for inl in block_inlines(block)
            for node in iter_inlines(inl) if isinstance(node, kind)]


# --------------------------------------------------------------------------- inlines


def test_emphasis_strong_code_link() -> None:
    assert para("A *b* **c** `d` [e](http://x.org \"T\") <http://y.org>") == [
        Text("A "), Emph("b"), Text(" "), Strong("c"), Text(" "), Code("d"), Text(" "),
        Link("e", "http://x.org", "T"), Text(" "), Link("http://y.org", "http://y.org")]


def test_soft_break_is_one_space_and_hard_break_is_linebreak() -> None:
    assert para("one\ntwo  \nthree\\\nfour") == [
        Text("one two"), LineBreak(), Text("three"), LineBreak(), Text("four")]


def test_inline_math_and_currency() -> None:
    assert para("If $x^2$ costs $20 and $30.") == [
        Text("If "), Math("x^2"), Text(" costs $20 and $30.")]


def test_superscript_subscript_smallcaps() -> None:
    assert para("H~2~O is 1^st^ in [Pandoc]{.smallcaps} [plain]{.other}") == [
        Text("H"), Subscript("2"), Text("O is 1"), Superscript("st"), Text(" in "),
        SmallCaps("Pandoc"), Text(" plain")]


def test_html_is_literal_text_and_comments_vanish() -> None:
    assert para("a <b>bold</b> <!-- hidden --> c") == [Text("a <b>bold</b>  c")]
    blocks = blocks_of("<div>\nraw\n</div>\n\n<!-- a comment -->\n\nafter")
    assert blocks == [Paragraph([Text("<div>"), LineBreak(), Text("raw"), LineBreak(),
                                 Text("</div>")]), Paragraph("after")]


def test_inline_image_becomes_emphasised_alt_text() -> None:
    assert para("See ![a *map*](m.png) here") == [
        Text("See "), Emph([Text("a "), Emph("map")]), Text(" here")]


def test_escapes_and_entities() -> None:
    assert para(r"\*not\* &amp; \[x]") == [Text("*not* & [x]")]


# --------------------------------------------------------------------------- blocks


def test_lists_nested_and_ordered_start() -> None:
    blocks = blocks_of("3. three\n4. four\n   - a\n   - b\n\n     more b\n")
    assert blocks == [OrderedList([
        [Paragraph("three")],
        [Paragraph("four"), BulletList([[Paragraph("a")], [Paragraph("b"), Paragraph("more b")]])],
    ], start=3)]


def test_quote_code_math_break() -> None:
    text = ("> quoted\n> > nested\n\n```python\nx = 1\n\n```\n\n    indented\n\n"
            "$$\nE = mc^2\n$$\n\n---\n\n~~~ {.r}\ny <- 2\n~~~\n")
    assert blocks_of(text) == [
        BlockQuote([Paragraph("quoted"), BlockQuote([Paragraph("nested")])]),
        CodeBlock("x = 1\n", "python"),
        CodeBlock("indented"),
        MathBlock("E = mc^2"),
        ThematicBreak(),
        CodeBlock("y <- 2", "r"),
    ]


def test_display_math_inside_a_paragraph_splits_it() -> None:
    blocks = blocks_of("The index is\n$$\nH = \\sum s_i^2\n$$\nwhere *s* is a share.\n\n"
                       "Inline $$x$$ stays *$$y$$*.")
    assert blocks == [
        Paragraph("The index is"), MathBlock(r"H = \sum s_i^2"),
        Paragraph([Text("where "), Emph("s"), Text(" is a share.")]),
        Paragraph("Inline"), MathBlock("x"), Paragraph([Text("stays "), Emph([Math("y")]),
                                                        Text(".")]),
    ]
    assert [where(b) for b in blocks[:3]] == [(1, 1), (2, 1), (5, 1)]
    assert where(blocks[2].content[0]) == (5, 1)


TABLE = "| Left | Mid | Right | Plain |\n|:-----|:---:|------:|-------|\n| a | *b* | 3 | [@k] |\n"


def test_table_alignment_and_cells() -> None:
    (table,) = blocks_of(TABLE)
    assert table == Table(
        [[Text("Left")], [Text("Mid")], [Text("Right")], [Text("Plain")]],
        [[[Text("a")], [Emph("b")], [Text("3")], [Cite([CiteItem("k")], "[@k]")]]],
        ["left", "center", "right", "default"])


@pytest.mark.parametrize("text", [
    "Table: Trade *flows* {#tbl:trade}\n\n" + TABLE,
    TABLE + "\nTable: Trade *flows* {#tbl:trade}\n",
    TABLE + "\n: Trade *flows* {#trade}\n",
    TABLE + "Table: Trade *flows* {#tbl:trade}\n",   # no blank line: markdown-it's last row
    "table: Trade *flows* {#tbl:trade}\n" + TABLE,
])
def test_table_caption_before_or_after(text: str) -> None:
    (table,) = blocks_of(text)
    assert table.caption == [Text("Trade "), Emph("flows")]
    assert table.label == "tbl:trade"
    assert len(table.rows) == 1


def test_table_caption_goes_to_one_table_only() -> None:
    blocks = blocks_of(TABLE + "\nTable: First\n\n" + TABLE + "\nTable: Second\n\nTable: Stray\n")
    first, second, stray = blocks
    assert first.caption == [Text("First")] and second.caption == [Text("Second")]
    assert stray == Paragraph("Table: Stray")
    assert blocks_of("Table: lonely {#tbl:x}") == [Paragraph("Table: lonely {#tbl:x}")]


def test_figure_alone_in_paragraph() -> None:
    (figure,) = blocks_of("![The *map* of trade](img/map.png){#fig:map width=50%}")
    assert figure == Figure("img/map.png", [Text("The "), Emph("map"), Text(" of trade")],
                            alt="The map of trade", label="fig:map")
    (bare,) = blocks_of("![Cap](m.png){#map}")
    assert bare.label == "fig:map"
    (plain,) = blocks_of("![Cap](m.png)")
    assert plain.label is None and plain.caption == [Text("Cap")]


# --------------------------------------------------------------------------- sections


def test_sections_nest_by_level_with_labels() -> None:
    blocks, sections, diags = body(
        "Lead.\n\n# Intro {#sec:intro}\n\nA.\n\n## Sub {#sub}\n\nB.\n\n## Other {-}\n\n"
        "# Next {.unnumbered}\n\nSetext\n------\n")
    assert not diags
    assert blocks == [Paragraph("Lead.")]
    assert sections == [
        Section("Intro", 1, [Paragraph("A.")], [
            Section("Sub", 2, [Paragraph("B.")], label="sec:sub"),
            Section("Other", 2, numbered=False),
        ], label="sec:intro"),
        Section("Next", 1, [], [Section("Setext", 2)], numbered=False),
    ]
    assert all(s.number is None for s in iter_sections(sections))


def test_heading_level_jump_logs_pk405_and_nests() -> None:
    _, sections, diags = body("# A\n\n### C\n\ntext\n\n## B\n")
    assert sections == [Section("A", 1, [], [Section("C", 2, [Paragraph("text")]),
                                             Section("B", 2)])]
    (diag,) = diags
    assert diag.code == "PK405" and (diag.pos.line, diag.pos.column) == (3, 1)
    assert "from 1 to 3; use a level-2 heading" in diag.message


def test_first_heading_level_is_depth_one() -> None:
    _, sections, diags = body("## A\n\n### B\n\n## C\n")
    assert not diags
    assert sections == [Section("A", 1, subsections=[Section("B", 2)]), Section("C", 1)]


def test_heading_title_is_inline_markdown() -> None:
    _, (section,), _ = body("# The *Great* Game of @sec:intro {#sec:g}\n")
    assert section.title == [Text("The "), Emph("Great"), Text(" Game of "), Ref("sec:intro")]
    assert section.label == "sec:g"


def test_read_blocks_makes_headings_bold_paragraphs() -> None:
    log = Log()
    blocks = read_blocks("# Odd\n\nAbstract *text*.", file=FILE, first_line=3, log=log)
    assert blocks == [Paragraph([Strong("Odd")]), Paragraph([Text("Abstract "), Emph("text"),
                                                             Text(".")])]
    assert where(blocks[1]) == (5, 1)


def test_read_inlines_title() -> None:
    log = Log()
    title = read_inlines("A *Feature* Tour of @a", file=FILE, first_line=2, log=log,
                         first_column=8)
    assert title == [Text("A "), Emph("Feature"), Text(" Tour of "),
                     Cite([CiteItem("a", "author-in-text")], "@a")]
    assert where(title[3]) == (2, 8 + 20)
    assert read_inlines("", file=FILE, first_line=1, log=log) == []
    assert read_inlines("1. Not a list", file=FILE, first_line=1, log=log) == [
        Text("1. Not a list")]


# --------------------------------------------------------------------------- footnotes


NOTES = """Text[^1] and again[^1] and inline^[An *inline* note.].

[^1]: First paragraph.

    Second paragraph [@k].

[^unused]: Never referenced.
"""


def test_footnotes_are_inline_notes_duplicated_when_reused() -> None:
    blocks, _, diags = body(NOTES)
    (paragraph,) = blocks
    note = Note([Paragraph("First paragraph."),
                 Paragraph([Text("Second paragraph "), Cite([CiteItem("k")], "[@k]"),
                            Text(".")])])
    assert paragraph.content == [Text("Text"), note, Text(" and again"), note,
                                 Text(" and inline"),
                                 Note([Paragraph([Text("An "), Emph("inline"), Text(" note.")])]),
                                 Text(".")]
    notes = [n for n in paragraph.content if isinstance(n, Note)]
    assert [where(n) for n in notes] == [(1, 5), (1, 19), (1, 34)]
    assert where(notes[0].blocks[1].content[1]) == (5, 22)
    (diag,) = diags
    assert diag.code == "PK403" and "[^unused]" in diag.message
    assert (diag.pos.line, diag.pos.column) == (7, 1)


def test_undefined_footnote_logs_pk404_and_stays_literal() -> None:
    blocks, _, diags = body("Text [^nope] here.", first_line=4)
    assert blocks == [Paragraph("Text [^nope] here.")]
    (diag,) = diags
    assert diag.code == "PK404" and (diag.pos.line, diag.pos.column) == (4, 6)


def test_self_referencing_footnote_does_not_loop() -> None:
    blocks, _, _ = body("A[^a].\n\n[^a]: See [^a].\n")
    (note,) = [n for n in blocks[0].content if isinstance(n, Note)]
    assert note.blocks == [Paragraph("See [^a].")]


# --------------------------------------------------------------------------- positions

POSITIONS = """First line cites [@a] here,
and a later line cites @b and [see @c, p. 3].

- item with [@d]
  continued with @e
  - nested @f

> quoted [@g]
> > inner @h
lazy @i

| x | y |
|---|---|
| @j | [@k] |
"""


def cites_by_key(blocks) -> dict[str, Cite]:
    return {c.items[0].key: c for c in find_all(blocks, Cite)}


@pytest.mark.parametrize("offset", [1, 5])
def test_cite_positions_everywhere(offset: int) -> None:
    blocks = blocks_of(POSITIONS, first_line=offset)
    cites = cites_by_key(blocks)
    shift = offset - 1
    expected = {"a": (1, 18), "b": (2, 24), "c": (2, 31), "d": (4, 13), "e": (5, 18),
                "f": (6, 12), "g": (8, 10), "h": (9, 11), "i": (10, 6), "j": (14, 3),
                "k": (14, 8)}
    assert {k: where(c) for k, c in cites.items()} == {
        k: (line + shift, col) for k, (line, col) in expected.items()}
    # items point at their key's @
    assert where(cites["c"].items[0]) == (2 + shift, 36)
    assert where(cites["a"].items[0]) == (1 + shift, 19)


def test_block_positions() -> None:
    text = "Intro.\n\n# Head {#sec:h}\n\n  Indented para.\n\n![Cap](m.png){#fig:m}\n\n" \
           "Table: T\n\n| a |\n|---|\n| 1 |\n\n- x\n\n> q\n\n```\ncode\n```\n"
    blocks, (section,), _ = body(text, first_line=10)
    assert where(blocks[0]) == (10, 1)
    assert where(section) == (12, 1)
    para_, figure, table, bullets, quote, code = section.blocks
    assert where(para_) == (14, 3)
    assert where(figure) == (16, 1)
    assert where(table) == (20, 1)
    assert where(bullets) == (24, 1)
    assert where(quote) == (26, 1)
    assert where(code) == (28, 1)


def test_ref_and_text_positions() -> None:
    (paragraph,) = blocks_of("Before\nsee @fig:map and `x`\nafter", first_line=3)
    text, ref, text2, code, text3 = paragraph.content
    assert ref == Ref("fig:map") and where(ref) == (4, 5)
    assert where(text) == (3, 1)
    assert where(code) == (4, 18)
    assert text3 == Text(" after") and where(text3) == (4, 21)


def test_inline_markup_positions() -> None:
    text = "> a *b* **c** [d](u) $e$ [f]{.smallcaps} ^g^ [@h] <i@j.org>"
    ((paragraph,),) = [block.blocks for block in blocks_of(text, first_line=2)]
    assert [(type(node).__name__, where(node)) for node in paragraph.content
            if not isinstance(node, Text)] == [
        ("Emph", (2, 5)), ("Strong", (2, 9)), ("Link", (2, 15)), ("Math", (2, 22)),
        ("SmallCaps", (2, 26)), ("Superscript", (2, 42)), ("Cite", (2, 46)),
        ("Link", (2, 51))]


def test_table_cell_with_escaped_pipe() -> None:
    (table,) = blocks_of("| a \\| b | [@k] |\n|---|---|\n| 1 | 2 |\n")
    assert table.header == [[Text("a | b")], [Cite([CiteItem("k")], "[@k]")]]
    assert [where(cell[0]) for cell in table.header] == [(1, 3), (1, 12)]


def test_positions_with_tabs_and_unicode() -> None:
    (paragraph,) = blocks_of("Ünïcødé 中央アジア [@a]")
    (cite,) = [n for n in paragraph.content if isinstance(n, Cite)]
    assert where(cite) == (1, 15)
    (bullets,) = blocks_of("-\tTabbed [@b]")
    (cite,) = find_all([bullets], Cite)
    assert where(cite) == (1, 10)


# --------------------------------------------------------------------------- robustness

MARKDOWN_BITS = st.sampled_from([
    "a", "b", " ", "  ", "\n", "\n\n", "\t", "@", "-@", "[", "]", "^", ";", ":", "{", "}", "#",
    ".", ",", "*", "_", "`", "$", "$$", "~", "|", ">", "!", "(", ")", "\\", "<", "<!--", "-->",
    "[@a", "@{x}", "[^1]", "[^1]: ", "Table: ", "{#fig:x}", "{-}", "![a](b)", "```", "- ", "1. ",
    "> ", "|---|", "# ", "## ", "### ", "p. 3", "^[", "[-@", "@sec:x", "    ", "<div>", "&amp;",
    "é", "中", "\u2028", "\x00", "\\|", "\t- ", ">\t", "| a | b |\n|---|---|\n| ", " | ",
    "[see @k, p. 3]", "@k [p. 4]", "^[n @k]",
])


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(MARKDOWN_BITS, max_size=60).map("".join) | st.text(max_size=80))
def test_reader_never_raises(text: str) -> None:
    for first_line in (1, 7):
        log = Log()
        blocks, sections = read_body(text, file=FILE, first_line=first_line, log=log)
        read_blocks(text, file=FILE, first_line=first_line, log=Log())
        read_inlines(text, file=FILE, first_line=first_line, log=Log())
        lines = text.split("\n")
        for cite in find_all(blocks, Cite):
            line, column = where(cite)
            assert first_line <= line < first_line + len(lines)
            # CommonMark replaces NUL with U+FFFD before parsing (paperkit's loader refuses
            # control characters before the reader sees them).
            at = lines[line - first_line][column - 1:].replace("\x00", "\ufffd")
            if "|" not in cite.source:  # a cell's pipes lost their backslashes
                assert at.startswith(cite.source.split("\n")[0]), (cite.source, at)
        for diag in log.items:
            assert diag.pos is not None and diag.pos.line >= first_line


# --------------------------------------------------------------------------- speed


def generate_paper(words: int = 100_000, cites: int = 2_000, seed: int = 1) -> str:
    """Return Markdown prose of about `words` words holding `cites` citations."""
    rng = random.Random(seed)
    vocabulary = ("the of and to in a is that for it as was with be by on not this are or "
                  "from at which but have an they were there one all their region policy "
                  "trade *corridor* **summit** `code` $x_i$ Japan Central Asia").split()
    per_paragraph = 100
    paragraphs, count, cited, index = [], 0, 0, 0
    while count < words:
        chunk = [rng.choice(vocabulary) for _ in range(per_paragraph)]
        for slot in (17, 61):
            if cited < cites:
                key = f"key{rng.randint(1, 300)}"
                chunk[slot] = (f"[see @{key}, p. {rng.randint(1, 400)}]" if slot == 17
                               else f"@{key}")
                cited += 1
        lines = [" ".join(chunk[i:i + 14]) for i in range(0, per_paragraph, 14)]
        prefix = "- " if index % 7 == 3 else ""
        paragraphs.append(prefix + ("\n  " if prefix else "\n").join(lines))
        index += 1
        count += per_paragraph
        if index % 12 == 0:
            paragraphs.append(f"{'#' * (1 + index % 2)} Section {index}")
    return "\n\n".join(paragraphs)


def test_speed_100k_words_2000_citations() -> None:
    text = generate_paper()
    timings = []
    for _ in range(3):
        start = time.perf_counter()
        blocks, sections = read_body(text, file=FILE, first_line=1, log=Log())
        timings.append(time.perf_counter() - start)
    every = list(blocks)
    for section in iter_sections(sections):
        every.extend(section.blocks)
    cites = find_all(every, Cite)
    assert len(cites) == 2000
    lines = text.split("\n")
    for cite in cites[::97]:
        line, column = where(cite)
        assert lines[line - 1][column - 1:].startswith(cite.source)
    print(f"\nread_body: {len(text.split())} words, {len(cites)} citations, "
          f"best of 3: {min(timings):.3f} s")


def _deep(depth: int) -> str:
    """Return lists and quotes nested `depth` levels: quote, list, quote, list..."""
    lines, prefix = [], ""
    for level in range(depth):
        if level % 2 == 0:
            prefix += "> "
            lines += [f"{prefix}level{level + 1}", prefix.rstrip()]
        else:
            lines.append(f"{prefix}- level{level + 1}")
            prefix += "  "
    return "\n".join(lines) + "\n"


def test_nine_levels_of_lists_and_quotes_are_all_read() -> None:
    """issue6-bugs.md #3: markdown-it's commonmark maxNesting (20 tokens, ~9 list levels)
    dropped deeper text silently; now every level up to the maximum is read."""
    from paperkit.walk import plain_text
    blocks = read_blocks(_deep(9) + "\n" + "- " * 9 + "bullets\n", file="p.md",
                         first_line=1, log=Log())

    def words(items: list) -> list[str]:
        out: list[str] = []
        for block in items:
            if isinstance(block, (BulletList, OrderedList)):
                for item in block.items:
                    out += words(item)
            elif isinstance(block, BlockQuote):
                out += words(block.blocks)
            else:
                out += plain_text(block.content).split()
        return out

    assert words(blocks) == [f"level{d + 1}" for d in range(9)] + ["bullets"]


@pytest.mark.parametrize("source, where", [
    (_deep(10), "p.md:17:19"),
    ("> " * 12 + "deep\n", "p.md:3:19"),
    ("\n".join("  " * d + f"- l{d}" for d in range(30)) + "\n", "p.md:12:19"),
])
def test_nesting_beyond_nine_levels_is_refused_at_its_marker(source, where) -> None:
    from paperkit.errors import InputError
    with pytest.raises(InputError) as caught:
        read_body(source, file="p.md", first_line=3, log=Log())
    shown = str(caught.value.diagnostic)
    assert shown.startswith(f"{where}: error PK109: lists and block quotes nest 10 levels "
                            "deep here; paperkit supports at most 9"), shown
