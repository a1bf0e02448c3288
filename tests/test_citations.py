"""The citation transform: citation forms per style, links, the reference list, errors."""

from __future__ import annotations

import os
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest

from paperkit.bibliography import parse_bibtex
from paperkit.diagnostics import Log
from paperkit.errors import InputError
from paperkit.model import (BibEntry, Block, BlockQuote, BulletList, Cite, CiteItem, Emph,
                            Figure, Inline, Link, Note, Paper, Paragraph, Section, SmallCaps,
                            Strong, Superscript, Table, Text)
from paperkit.transforms.citations import resolve_citations
from paperkit.transforms.cite_traversal import iter_cites
from paperkit.csl import CiteInput
from paperkit.csl.richtext import Span
from paperkit.transforms.csl_richtext import link_urls, rich_to_inlines
from paperkit.transforms.csl_styles import load_style
from paperkit.walk import plain_text

BIB = r"""
@misc{afp2025,
  author = {{AFP}},
  title  = {Japanese Prime Minister Sanae Takaichi and Kazakhstan's President Exchange
            Partnership Statements},
  year   = {2025},
}
@report{mofa2024,
  author      = {{Ministry of Foreign Affairs of Japan}},
  title       = {Japan and Central Asia: Strategic Partnerships for the Future},
  institution = {{Ministry of Foreign Affairs of Japan}},
  year        = {2024},
}
@book{takahashi2023,
  author    = {Takahashi, M.},
  title     = {East Asia and Central Asia: Geopolitical Bridges in the 21st Century},
  publisher = {Springer},
  year      = {2023},
  doi       = {10.1000/xyz},
}
@book{buzan2022,
  author    = {Buzan, B.},
  title     = {Security and Development in Central Asia},
  publisher = {Routledge},
  year      = {2022},
}
@book{buzan2003,
  author    = {Buzan, Barry and W{\ae}ver, Ole},
  title     = {Regions and Powers},
  publisher = {Cambridge University Press},
  year      = {2003},
}
@article{many2020,
  author  = {van der Berg, Jan and Smith, Anna and others},
  title   = {On {NATO} and {Central Asia}},
  journal = {Journal of Things},
  volume  = {3}, number = {2}, pages = {10--20},
  year    = {2020},
}
"""
REFS = parse_bibtex(BIB, file="refs.bib", log=Log())


def inl(node: Inline) -> list[Inline]:
    """Return the rendered inlines of a citation (which must be one, and rendered)."""
    assert isinstance(node, Cite) and node.rendered is not None
    return node.rendered


def bib(paper: Paper) -> list[BibEntry]:
    """Return the reference list of a resolved paper."""
    assert paper.bibliography is not None
    return paper.bibliography


def para(block: Block) -> list[Inline]:
    """Return the inlines of a paragraph."""
    assert isinstance(block, Paragraph)
    return block.content


def note_blocks(node: Inline) -> list[Block]:
    """Return the blocks of a footnote."""
    assert isinstance(node, Note)
    return node.blocks


def cite(*items: CiteItem) -> Cite:
    return Cite(list(items), "[@…]")


def paper_with(*cites: Cite, **options: Any) -> Paper:
    content: list[Inline] = []
    for c in cites:
        content += [Text("x "), c]
    return Paper(sections=[Section("Intro", blocks=[Paragraph(content)])], references=REFS,
                 **options)


def rendered(paper: Paper, style: str) -> list[Cite]:
    out = resolve_citations(paper, style=style, log=Log())
    return [c for c, _ in iter_cites(out)]


def texts(paper: Paper, style: str) -> list[str]:
    return [plain_text(inl(c), notes=True) for c in rendered(paper, style)]


def I(key: str, **kw: Any) -> CiteItem:  # noqa: E743 - short name for the case tables
    return CiteItem(key, **kw)


FORMS = [
    cite(I("buzan2022")),
    cite(I("buzan2022", locator="33", label="page")),
    cite(I("buzan2022", prefix="see", locator="3", label="page"),
         I("takahashi2023", prefix="also")),
    cite(I("buzan2022", mode="author-in-text")),
    cite(I("buzan2022", mode="suppress-author")),
    cite(I("buzan2022", mode="author-in-text", locator="7", label="page")),
    cite(I("takahashi2023"), I("buzan2022")),
    cite(I("buzan2003")),
    cite(I("buzan2003", mode="author-in-text")),
    cite(I("many2020")),
    cite(I("mofa2024", mode="author-in-text")),
]


# Checked against pandoc 3.9's citeproc (the oracle): a narrative citation prints the
# author as the citation does ("Buzan & Wæver", not APA 7's "and"); Chicago adds initials
# and given names to tell B. Buzan from Barry Buzan; a numeric style prints "[1]" alone for
# a narrative citation; "van der" is a dropping particle (biblatex's useprefix=false).
@pytest.mark.parametrize("style, expected", [
    ("apa", [
        "(Buzan, 2022)", "(Buzan, 2022, p. 33)",
        "(see Buzan, 2022, p. 3; also Takahashi, 2023)", "Buzan (2022)", "(2022)",
        "Buzan (2022, p. 7)", "(Buzan, 2022; Takahashi, 2023)", "(Buzan & Wæver, 2003)",
        "Buzan & Wæver (2003)", "(Berg et al., 2020)",
        "Ministry of Foreign Affairs of Japan (2024)",
    ]),
    ("chicago-author-date", [
        "(B. Buzan 2022)", "(B. Buzan 2022, 33)", "(see B. Buzan 2022, 3; also Takahashi 2023)",
        "B. Buzan (2022)", "(2022)", "B. Buzan (2022, 7)", "(Takahashi 2023; B. Buzan 2022)",
        "(Barry Buzan and Wæver 2003)", "Barry Buzan and Wæver (2003)", "(Berg et al. 2020)",
        "Ministry of Foreign Affairs of Japan (2024)",
    ]),
    ("ieee", [
        "[1]", "[1, p. 33]", "see [1, p. 3], also [2]", "[1]", "[1]", "[1, p. 7]",
        "[1], [2]", "[3]", "[3]", "[4]", "[5]",
    ]),
])
def test_citation_forms(style: str, expected: list[str]) -> None:
    assert texts(paper_with(*FORMS), style) == expected


def test_note_style_turns_citations_into_footnotes_and_renders_inline_inside_notes() -> None:
    inside = Note([Paragraph([Text("See "), cite(I("takahashi2023")), Text(".")])])
    paper = Paper(sections=[Section("Intro", blocks=[Paragraph([
        Text("As argued "), cite(I("buzan2022")), Text(". Again "),
        cite(I("buzan2022", locator="33", label="page")), Text(" and "), inside,
        Text(" then "), cite(I("buzan2022", mode="author-in-text")), Text(" said.")])])],
        references=REFS)
    out = resolve_citations(paper, style="chicago-note-bibliography", log=Log())
    content = para(out.sections[0].blocks[0])
    first = content[1]
    assert isinstance(first, Cite) and len(inl(first)) == 1
    note = inl(first)[0]
    assert isinstance(note, Note)
    assert plain_text(para(note.blocks[0])) == (
        "B. Buzan, Security and Development in Central Asia (Routledge, 2022).")
    # the period after the citation moved before the note mark
    assert content[0] == Text("As argued.")
    second = content[3]
    assert plain_text(para(note_blocks(inl(second)[0])[0])) == (
        "Buzan, Security and Development in Central Asia, 33.")
    # a citation already inside a footnote is rendered in place, not as a nested note
    in_note = para(note_blocks(para(out.sections[0].blocks[0])[5])[0])
    assert not any(isinstance(n, Note) for c in in_note if isinstance(c, Cite)
                   for n in inl(c))
    # as pandoc prints it: in brackets, without the note's closing period
    assert plain_text(in_note) == ("See (M. Takahashi, East Asia and Central Asia: Geopolitical"
                                   " Bridges in the 21st Century (Springer, 2023), "
                                   "https://doi.org/10.1000/xyz).")
    narrative = content[7]
    assert isinstance(inl(narrative)[0], Link)
    assert plain_text(inl(narrative)[:1]) == "Buzan"
    assert isinstance(inl(narrative)[1], Note)


def test_link_citations_wrap_each_item_in_a_link_to_its_entry() -> None:
    [many] = rendered(paper_with(cite(I("buzan2022", prefix="see", locator="3",
                                        label="page"), I("takahashi2023"))), "apa")
    assert many.rendered == [
        Text("(see "), Link([Text("Buzan, 2022, p. 3")], "#ref-buzan2022"), Text("; "),
        Link([Text("Takahashi, 2023")], "#ref-takahashi2023"), Text(")")]
    [narrative] = rendered(paper_with(cite(I("buzan2022", mode="author-in-text"))), "apa")
    assert narrative.rendered == [Link([Text("Buzan")], "#ref-buzan2022"), Text(" ("),
                                  Link([Text("2022")], "#ref-buzan2022"), Text(")")]
    [numeric] = rendered(paper_with(cite(I("buzan2022"))), "ieee")
    assert numeric.rendered == [Link([Text("[1]")], "#ref-buzan2022")]


def test_link_citations_off_gives_plain_text() -> None:
    [one] = rendered(paper_with(cite(I("buzan2022"), I("takahashi2023")),
                                link_citations=False), "apa")
    assert one.rendered == [Text("(Buzan, 2022; Takahashi, 2023)")]


def test_unresolved_keys_render_a_marker_and_keep_the_others() -> None:
    resolved = rendered(paper_with(cite(I("nosuchkey")),
                                   cite(I("buzan2022"), I("nosuchkey", locator="3"))), "apa")
    assert resolved[0].rendered == [Text("[?nosuchkey]")]
    assert plain_text(inl(resolved[1])) == "(Buzan, 2022; [?nosuchkey])"
    assert inl(resolved[1])[1] == Link([Text("Buzan, 2022")], "#ref-buzan2022")
    # a note style does not make a footnote of a citation that resolves to nothing
    [note] = rendered(paper_with(cite(I("nosuchkey"))), "chicago-notes-bibliography")
    assert note.rendered == [Text("[?nosuchkey]")]


def test_apa_reference_list_is_alphabetical_with_formatting_and_links() -> None:
    out = resolve_citations(paper_with(cite(I("takahashi2023")), cite(I("buzan2022")),
                                       cite(I("many2020"))), style="apa", log=Log())
    # "van der Berg" has a dropping particle: it sorts under B (pandoc, biblatex)
    assert [e.key for e in bib(out)] == ["many2020", "buzan2022", "takahashi2023"]
    assert bib(out)[1] == BibEntry("buzan2022", [
        Text("Buzan, B. (2022). "), Emph([Text("Security and development in central asia")]),
        Text(". Routledge.")])
    takahashi = bib(out)[2].content
    assert takahashi[-1] == Link([Text("https://doi.org/10.1000/xyz")],
                                 "https://doi.org/10.1000/xyz")
    many = plain_text(bib(out)[0].content)
    assert many == ("Berg, J. van der, Smith, A., et al. (2020). On NATO and Central Asia. "
                    "Journal of Things, 3(2), 10–20.")
    assert "others" not in many


def test_reference_list_sorts_accented_names_as_collation_does() -> None:
    refs = parse_bibtex(r"""
@book{wb, author = {{World Bank}}, title = {B}, year = 2019}
@book{wa, author = {W{\ae}ver, Ole}, title = {W}, year = 1995}
@book{zh, author = {Zhang, Li}, title = {Z}, year = 2001}
@book{oz, author = {{\"O}zal, Turgut}, title = {O}, year = 1990}
""", file="r.bib", log=Log())
    out = resolve_citations(replace(paper_with(nocite=["@*"]), references=refs),
                            style="apa", log=Log())
    assert [e.key for e in bib(out)] == ["oz", "wa", "wb", "zh"]


def test_numeric_reference_list_follows_the_order_of_first_citation() -> None:
    out = resolve_citations(paper_with(cite(I("takahashi2023")), cite(I("buzan2022")),
                                       cite(I("takahashi2023"))), style="ieee", log=Log())
    assert [e.key for e in bib(out)] == ["takahashi2023", "buzan2022"]
    first = plain_text(bib(out)[0].content)
    # the unprotected BibTeX title is read in sentence case, as pandoc reads it
    assert first == ("[1] M. Takahashi, East asia and central asia: Geopolitical bridges in "
                     "the 21st century. Springer, 2023. doi: 10.1000/xyz.")
    # IEEE prints a bare DOI; it still links to the resolver
    assert Link([Text("10.1000/xyz")], "https://doi.org/10.1000/xyz") in \
        bib(out)[0].content
    assert plain_text(bib(out)[1].content).startswith("[2] B. Buzan, ")
    assert [plain_text(inl(c)) for c, _ in iter_cites(out)] == ["[1]", "[2]", "[1]"]


def test_nocite_adds_entries_and_star_adds_every_reference() -> None:
    one = resolve_citations(paper_with(cite(I("buzan2022")), nocite=["mofa2024"]),
                            style="apa", log=Log())
    assert [e.key for e in bib(one)] == ["buzan2022", "mofa2024"]
    every = resolve_citations(paper_with(nocite=["@*"]), style="apa", log=Log())
    assert [e.key for e in bib(every)] == [
        "afp2025", "many2020", "buzan2022", "buzan2003", "mofa2024", "takahashi2023"]
    # an unknown nocite key is the check's business, not an error here
    unknown = resolve_citations(paper_with(nocite=["nosuch"]), style="apa", log=Log())
    assert bib(unknown) == []


def test_unknown_style_name_suggests_the_closest() -> None:
    with pytest.raises(InputError) as caught:
        resolve_citations(paper_with(cite(I("buzan2022"))), style="apaa", log=Log())
    assert caught.value.diagnostic.code == "PK107"
    assert "unknown citation style 'apaa' (did you mean 'apa'?)" in str(caught.value)


def test_missing_csl_file_is_reported(tmp_path: Path) -> None:
    with pytest.raises(InputError) as caught:
        resolve_citations(replace(paper_with(), source_dir=str(tmp_path)),
                          style="styles/mine.csl", log=Log())
    assert caught.value.diagnostic.code == "PK104"


SENTENCE_CSL = """<?xml version="1.0" encoding="utf-8"?>
<style xmlns="http://purl.org/net/xbiblio/csl" class="in-text" version="1.0">
  <info><title>Test</title><id>test</id><updated>2024-01-01T00:00:00+00:00</updated></info>
  <citation>
    <layout prefix="[" suffix="]" delimiter="; "><text variable="title" text-case="sentence"/></layout>
  </citation>
  <bibliography>
    <layout><text variable="title" text-case="sentence" font-style="italic"/></layout>
  </bibliography>
</style>
"""


def test_csl_file_relative_to_the_paper_and_protected_case(tmp_path: Path) -> None:
    (tmp_path / "sentence.csl").write_text(SENTENCE_CSL, encoding="utf-8")
    paper = replace(paper_with(cite(I("many2020")), cite(I("buzan2022"))),
                    source_dir=str(tmp_path))
    out = resolve_citations(paper, style="sentence.csl", log=Log())
    # {NATO} and {Central Asia} were braced in the .bib: sentence case leaves them alone
    assert [plain_text(inl(c)) for c, _ in iter_cites(out)] == [
        "[On NATO and Central Asia]", "[Security and development in central asia]"]
    assert bib(out)[0].content == [Emph([Text("On NATO and Central Asia")])]


def test_title_case_keeps_protected_words_and_their_punctuation() -> None:
    refs = parse_bibtex("@article{k, author = {Doe, J.}, title = {the {iPhone} and "
                        "{Central Asia}: a {de facto} survey}, journal = {J}, year = 2020}",
                        file="r.bib", log=Log())
    out = resolve_citations(replace(paper_with(cite(I("k"))), references=refs),
                            style="chicago-author-date", log=Log())
    assert plain_text(bib(out)[0].content) == (
        "Doe, J. 2020. “The iPhone and Central Asia: A de facto Survey.” J.")


@pytest.mark.parametrize("label, expected", [
    ("chapter", "(Buzan, 2022, Chapter 3)"), ("page", "(Buzan, 2022, p. 3)"),
    ("section", "(Buzan, 2022, Section 3)"),
])
def test_locator_labels(label: str, expected: str) -> None:
    assert texts(paper_with(cite(I("buzan2022", locator="3", label=label))), "apa") == [
        expected]


def test_locale_follows_the_paper_language() -> None:
    paper = replace(paper_with(cite(I("buzan2022", locator="33", label="page"))),
                    lang="de-DE")
    assert texts(paper, "apa") == ["(Buzan, 2022, S. 33)"]


def test_citations_everywhere_in_the_paper_are_rendered() -> None:
    c = cite(I("buzan2022"))
    paper = Paper(
        title=[Text("T "), c], abstract=[Paragraph([Text("A "), c])],
        blocks=[BulletList([[Paragraph([c])]]), BlockQuote([Paragraph([c])])],
        sections=[Section([Text("Title "), c], blocks=[
            Table([[c]], [[[c]]], caption=[c]), Figure("f.png", caption=[c]),
            Paragraph([Note([Paragraph([c])])])])],
        references=REFS)
    out = resolve_citations(paper, style="apa", log=Log())
    found = list(iter_cites(out))
    assert len(found) == 10
    assert all(plain_text(inl(c)) == "(Buzan, 2022)" for c, _ in found)
    assert [in_note for _, in_note in found] == [False] * 9 + [True]
    # the input is left as it was
    assert all(c.rendered is None for c, _ in iter_cites(paper))


def test_cited_key_case_is_kept_apart() -> None:
    refs = parse_bibtex("@book{Smith2020, author={Smith, A.}, title={Upper}, year=2020}\n"
                        "@book{smith2020, author={Smith, B.}, title={Lower}, year=2021}",
                        file="r.bib", log=Log())
    paper = replace(paper_with(cite(I("smith2020")), cite(I("Smith2020"))), references=refs)
    # APA's givenname rule (primary-name-with-initials) adds initials to the two Smiths
    assert texts(paper, "apa") == ["(B. Smith, 2021)", "(A. Smith, 2020)"]


def test_parsed_styles_are_cached() -> None:
    assert load_style("apa") is load_style("apa")
    assert load_style("chicago-note-bibliography") is load_style("chicago-notes-bibliography")


def test_an_edited_style_file_is_compiled_again(tmp_path: Path) -> None:
    # --watch and library use build again in one process: the cache must see the edit
    path = tmp_path / "mine.csl"
    path.write_text(SENTENCE_CSL, encoding="utf-8")
    first = load_style(str(path))
    assert load_style(str(path)) is first
    edited = SENTENCE_CSL.replace('prefix="["', 'prefix="&lt;"').replace('suffix="]"',
                                                                         'suffix="&gt;"')
    path.write_text(edited, encoding="utf-8")
    stat = path.stat()
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000_000))
    second = load_style(str(path))
    assert second is not first
    paper = replace(paper_with(cite(I("buzan2022"))), source_dir=str(tmp_path))
    out = resolve_citations(paper, style=str(path), log=Log())
    assert [plain_text(inl(c)) for c, _ in iter_cites(out)] == [
        "<Security and development in central asia>"]


def test_a_paper_without_citations_still_has_its_own_style_checked(tmp_path: Path) -> None:
    # a shipped style is not compiled when nothing cites (it is known to compile), but the
    # author's own .csl always is: a broken one is reported (PK109) before anything cites
    (tmp_path / "broken.csl").write_text("<style", encoding="utf-8")
    paper = replace(paper_with(), source_dir=str(tmp_path))
    for cited in (paper, replace(paper_with(cite(I("buzan2022"))), source_dir=str(tmp_path))):
        with pytest.raises(InputError) as caught:
            resolve_citations(cited, style="broken.csl", log=Log())
        assert caught.value.diagnostic.code == "PK109"
    assert resolve_citations(paper, style="apa", log=Log()).bibliography == []
    with pytest.raises(InputError) as missing:
        resolve_citations(paper, style="apaa", log=Log())
    assert missing.value.diagnostic.code == "PK107"


# ---------------------------------------------------------------------- rich text


def test_engine_rich_text_converts_to_inlines() -> None:
    rich = ["A ", Span("italic", ["title ", Span("bold", ["bold"]), Span("italic", ["up"])]),
            ", ", Span("sup", ["2"]), Span("smallcaps", ["sc"]), Span("nocase", ["u"]),
            " R&D <x> ", Span("quoted", ["q ", Span("quoted", ["i"])])]
    assert rich_to_inlines(rich) == [
        Text("A "), Emph([Text("title "), Strong([Text("bold")]), Text("up")]), Text(", "),
        Superscript([Text("2")]), SmallCaps([Text("sc")]),
        Text("u R&D <x> \u201cq \u2018i\u2019\u201d")]


def test_and_others_prints_as_et_al() -> None:
    refs = parse_bibtex("@book{k, author = {Doe, Jan and others}, title = {T}, year = 2021}",
                        file="r.bib", log=Log())
    out = resolve_citations(replace(paper_with(cite(I("k"))), references=refs), style="apa",
                            log=Log())
    assert [plain_text(inl(c)) for c, _ in iter_cites(out)] == ["(Doe et al., 2021)"]
    assert plain_text(bib(out)[0].content) == "Doe, J. et al. (2021). T."


def test_narrative_citation_of_an_edited_book_names_the_editors() -> None:
    refs = parse_bibtex("@book{ed, editor = {Roe, Richard and Poe, Paula}, title = {Edited},"
                        " publisher = {P}, year = 2020}", file="r.bib", log=Log())
    paper = replace(paper_with(cite(I("ed", mode="author-in-text")), cite(I("ed"))),
                    references=refs)
    assert texts(paper, "apa") == ["Roe & Poe (2020)", "(Roe & Poe, 2020)"]


def test_urls_in_entries_become_links_without_trailing_punctuation() -> None:
    inlines = link_urls([Text("See https://a.org/x?b=1&c=2. And doi: 10.1/a.")], doi="10.1/a")
    assert inlines == [Text("See "), Link([Text("https://a.org/x?b=1&c=2")],
                                          "https://a.org/x?b=1&c=2"),
                       Text(". And doi: "), Link([Text("10.1/a")], "https://doi.org/10.1/a"),
                       Text(".")]


# ---------------------------------------------------------------------- engine features
# Expectations below are what pandoc 3.9's citeproc prints for the same .bib and citations.

SAME = parse_bibtex("""
@book{smith2025a, author = {Smith, John}, title = {First Book}, publisher = {P}, year = {2025}}
@book{smith2025b, author = {Smith, John}, title = {Second Book}, publisher = {P}, year = {2025}}
@book{smith2025c, author = {Smith, Jane}, title = {Third Book}, publisher = {P}, year = {2025}}
@book{doe2020, author = {Doe, Ann}, title = {Doe Book}, publisher = {P}, year = {2020}}
@book{roe2021, author = {Roe, Bob}, title = {Roe Book}, publisher = {P}, year = {2021}}
""", file="same.bib", log=Log())


def same_paper(*cites: Cite) -> Paper:
    return replace(paper_with(*cites), references=SAME)


def test_year_suffixes_and_given_names_tell_works_apart() -> None:
    paper = same_paper(cite(I("smith2025a"), I("smith2025b")), cite(I("smith2025c")))
    assert texts(paper, "chicago-author-date") == ["(John Smith 2025a, 2025b)",
                                                   "(Jane Smith 2025)"]
    out = resolve_citations(paper, style="chicago-author-date", log=Log())
    assert [plain_text(e.content) for e in bib(out)] == [
        "Smith, Jane. 2025. Third Book. P.", "Smith, John. 2025a. First Book. P.",
        "Smith, John. 2025b. Second Book. P."]


def test_numeric_citations_collapse_into_ranges() -> None:
    paper = same_paper(cite(I("smith2025a"), I("smith2025b"), I("smith2025c")),
                       cite(I("doe2020"), I("smith2025c"), I("roe2021"), I("smith2025a")))
    assert texts(paper, "vancouver") == ["(1–3)", "(1,3–5)"]
    assert texts(paper, "ieee") == ["[1], [2], [3]", "[1], [3], [4], [5]"]


def test_note_style_uses_short_forms_for_later_citations() -> None:
    paper = same_paper(cite(I("doe2020")), cite(I("doe2020")),
                       cite(I("doe2020", locator="4", label="page")))
    assert texts(paper, "chicago-notes-bibliography") == [
        "Ann Doe, Doe Book (P, 2020).", "Doe, Doe Book.", "Doe, Doe Book, 4."]


def test_citations_inside_a_footnote_of_a_note_style_print_in_place() -> None:
    note = Note([Paragraph([Text("As "), cite(I("doe2020", mode="author-in-text",
                                                locator="5", label="page")),
                            Text(" say, and "), cite(I("roe2021", prefix=[Text("see")])),
                            Text(".")])])
    paper = replace(Paper(sections=[Section("S", blocks=[Paragraph([Text("Text."), note])])]),
                    references=SAME)
    out = resolve_citations(paper, style="chicago-notes-bibliography", log=Log())
    content = para(note_blocks(para(out.sections[0].blocks[0])[1])[0])
    assert plain_text(content) == ("As Ann Doe, Doe Book (P, 2020), 5 say, and "
                                   "(see Bob Roe, Roe Book (P, 2021)).")


def test_superscript_citations_follow_the_word() -> None:
    out = resolve_citations(paper_with(cite(I("buzan2022", prefix=[Text("see")], locator="3",
                                                label="page"), I("takahashi2023",
                                                                 prefix=[Text("also")]))),
                            style="nature", log=Log())
    content = para(out.sections[0].blocks[0])
    assert content[0] == Text("x")
    assert plain_text(inl(content[1])) == "see 1,also 2"
    assert isinstance(inl(content[1])[0], Superscript)


@pytest.mark.parametrize("style, expected", [
    ("chicago-notes-bibliography-subsequent-ibid", [
        "Ann Doe, Doe Book (P, 2020).", "Ibid., 4.", "Ibid.", "Bob Roe, Roe Book (P, 2021).",
        "Doe, Doe Book."]),
    # OSCOLA points back to the note of the first citation ("n 1")
    ("oscola", ["Ann Doe, Doe Book (P 2020).", "Ibid 4.", "Ibid.",
                "Bob Roe, Roe Book (P 2021).", "Doe (n 1)."]),
])
def test_note_styles_print_ibid_and_back_references(style: str, expected: list[str]) -> None:
    paper = same_paper(cite(I("doe2020")), cite(I("doe2020", locator="4", label="page")),
                       cite(I("doe2020", locator="4", label="page")), cite(I("roe2021")),
                       cite(I("doe2020")))
    assert texts(paper, style) == expected


# ---------------------------------------------------------------------- engine decisions
# (each matches pandoc --citeproc; see benchmarks/ORACLE.md)

_MINIMAL_STYLE = """<?xml version="1.0" encoding="utf-8"?>
<style xmlns="http://purl.org/net/xbiblio/csl" class="in-text" version="1.0">
  <info><title>t</title><id>t</id><updated>2020-01-01T00:00:00+00:00</updated></info>
  <citation><layout prefix="(" suffix=")" delimiter="; ">
    <choose><if type="speech"><text value="speech"/></if>
      <else-if type="article-journal"><text value="journal"/></else-if>
      <else><text variable="title"/></else></choose>
  </layout></citation>
</style>"""


def test_a_csl_1_0_2_type_the_style_never_names_renders_as_its_older_type() -> None:
    from paperkit.csl import CitationInput, CiteInput, Processor, Style

    items = [{"id": "p", "type": "performance", "title": "Hamilton"},
             {"id": "q", "type": "periodical", "title": "Issue"},
             {"id": "d", "type": "", "title": "Untyped"}]
    result = Processor(Style(_MINIMAL_STYLE, "en-US"), items).process(
        [CitationInput([CiteInput(k)]) for k in ("p", "q", "d")], bibliography=False)
    assert [plain_rich(c.rich) for c in result.citations] == [
        "(speech)", "(journal)", "(Untyped)"]
    # a style that names the type gets it as it is
    named = _MINIMAL_STYLE.replace('type="speech"', 'type="performance"')
    result = Processor(Style(named, "en-US"), items[:1]).process(
        [CitationInput([CiteInput("p")])], bibliography=False)
    assert plain_rich(result.citations[0].rich) == "(speech)"


def test_a_cite_the_style_prints_nothing_for_leaves_no_delimiter() -> None:
    from paperkit.csl import CitationInput, CiteInput, Processor, Style

    items = [{"id": "a", "type": "book", "title": "A"}, {"id": "b", "type": "book"}]
    result = Processor(Style(_MINIMAL_STYLE, "en-US"), items).process(
        [CitationInput([CiteInput("a"), CiteInput("b")])], bibliography=False)
    assert plain_rich(result.citations[0].rich) == "(A)"


def test_misc_entries_stay_untyped_and_are_listed_in_chicago_notes() -> None:
    refs = parse_bibtex("@misc{m, author = {Ostrom, Elinor}, title = {Lecture Notes}, "
                        "year = 2001}", file="m.bib", log=Log())
    assert refs[0].type == ""
    paper = Paper(sections=[Section("Intro", blocks=[Paragraph([cite(I("m"))])])],
                  references=refs)
    out = resolve_citations(paper, style="chicago-notes-bibliography", log=Log())
    assert [plain_text(e.content) for e in bib(out)] == [
        "Ostrom, Elinor. Lecture Notes. 2001."]


def plain_rich(rich: list[Any]) -> str:
    from paperkit.csl.richtext import plain

    return plain(rich)


def test_a_type_list_holds_for_any_of_its_types_even_under_match_all() -> None:
    from paperkit.csl import CitationInput, CiteInput, Processor, Style

    style = _MINIMAL_STYLE.replace(
        '<if type="speech"><text value="speech"/></if>',
        '<if type="thesis manuscript" variable="title"><text value="thesis-or-manuscript"/></if>')
    items = [{"id": "t", "type": "thesis", "title": "T"}, {"id": "b", "type": "book", "title": "B"}]
    result = Processor(Style(style, "en-US"), items).process(
        [CitationInput([CiteInput("t")]), CitationInput([CiteInput("b")])], bibliography=False)
    assert [plain_rich(c.rich) for c in result.citations] == ["(thesis-or-manuscript)", "(B)"]


def test_an_implicit_year_suffix_follows_a_year_range() -> None:
    from paperkit.csl import CitationInput, CiteInput, Processor, Style

    style = """<?xml version="1.0" encoding="utf-8"?>
<style xmlns="http://purl.org/net/xbiblio/csl" class="in-text" version="1.0">
  <info><title>t</title><id>t</id><updated>2020-01-01T00:00:00+00:00</updated></info>
  <citation disambiguate-add-year-suffix="true"><layout prefix="(" suffix=")">
    <group delimiter=" "><names variable="author"><name form="short"/></names>
    <date variable="issued"><date-part name="year"/></date></group>
  </layout></citation>
</style>"""
    items = [{"id": k, "type": "book", "title": k, "author": [{"family": "Churchill"}],
              "issued": {"date-parts": [[1948], [1953]]}} for k in ("a", "b")]
    result = Processor(Style(style, "en-US"), items).process(
        [CitationInput([CiteInput("a")]), CitationInput([CiteInput("b")])], bibliography=False)
    assert [plain_rich(c.rich) for c in result.citations] == [
        "(Churchill 1948–1953a)", "(Churchill 1948–1953b)"]


_NOTE_STYLE = """<?xml version="1.0" encoding="utf-8"?>
<style xmlns="http://purl.org/net/xbiblio/csl" class="note" version="1.0">
  <info><title>t</title><id>t</id><updated>2020-01-01T00:00:00+00:00</updated></info>
  <citation><layout suffix="." delimiter="; ">
    <choose>
      <if position="ibid"><text term="ibid" text-case="capitalize-first"/></if>
      <else><group delimiter=", ">
        <names variable="author"><name form="short"/></names>
        <choose><if disambiguate="true"><text variable="title"/></if></choose>
      </group></else>
    </choose>
  </layout></citation>
</style>"""


def _notes(items: list[dict[str, Any]], cites: list[CiteInput]) -> list[str]:
    from paperkit.csl import CitationInput, Processor, Style

    result = Processor(Style(_NOTE_STYLE, "en-US"), items).process(
        [CitationInput([c], note=n) for n, c in enumerate(cites, 1)], bibliography=False)
    return [(plain_rich(c.author) + " | " if c.author else "") + plain_rich(c.rich)
            for c in result.citations]


def test_a_narrative_ibid_keeps_its_author_in_the_text() -> None:
    from paperkit.csl import CiteInput

    items = [{"id": "a", "type": "book", "title": "A", "author": [{"family": "Buzan"}]}]
    assert _notes(items, [CiteInput("a"), CiteInput("a", mode="author-in-text")]) == [
        "Buzan.", "Buzan | Ibid."]


def test_two_works_in_ibid_position_are_not_ambiguous() -> None:
    from paperkit.csl import CiteInput

    items = [{"id": "a", "type": "book", "title": "A", "author": [{"family": "Buzan"}]},
             {"id": "b", "type": "book", "title": "B", "author": [{"family": "Wæver"}]}]
    # both print "Ibid." once; neither needs its title to be told apart
    assert _notes(items, [CiteInput("a"), CiteInput("a"), CiteInput("b"), CiteInput("b")]) == [
        "Buzan.", "Ibid.", "Wæver.", "Ibid."]
