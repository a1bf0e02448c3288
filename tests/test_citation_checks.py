"""The citation check: unresolved keys, uncited references, missing fields, shared DOIs."""

from __future__ import annotations

from dataclasses import replace

from paperkit.bibliography import parse_bibtex
from paperkit.checks.citations import check_citations, missing_fields
from paperkit.diagnostics import Log
from paperkit.model import Cite, CiteItem, Note, Paper, Paragraph, Pos, Reference, Section, Text
from paperkit.transforms.citations import resolve_citations

BIB = """@book{buzan2022,
  author = {Buzan, B.}, title = {Security and Development in Central Asia},
  publisher = {Routledge}, year = {2022}, doi = {10.1000/ABC},
}
@book{takahashi2023,
  author = {Takahashi, M.}, title = {East Asia}, publisher = {Springer}, year = {2023},
}
@article{nojournal,
  author = {Doe, J.}, title = {An Article}, year = {2020},
}
@techreport{report,
  author = {Roe, R.}, title = {A Report}, year = {2019}, doi = {https://doi.org/10.1000/abc},
}
"""
REFS = parse_bibtex(BIB, file="refs.bib", log=Log())


def paper(*keys: str, nocite: list[str] | None = None, refs=REFS) -> Paper:
    content: list = []
    for column, key in enumerate(keys):
        pos = Pos("paper.md", 5, 10 * column + 1)
        key_pos = Pos("paper.md", 5, 10 * column + 2)
        content += [Text("x "), Cite([CiteItem(key, pos=key_pos)], f"[@{key}]", pos=pos)]
    return Paper(sections=[Section("S", blocks=[Paragraph(content)])], references=refs,
                 nocite=nocite or [], pos=Pos("paper.md", 1, 1))


def codes(diags, code):
    return [d for d in diags if d.code == code]


def test_unresolved_key_is_reported_at_the_citation_with_a_suggestion():
    found = codes(check_citations(paper("buzan2022", "buzan2021")), "PK201")
    assert len(found) == 1
    diag = found[0]
    assert (diag.pos.file, diag.pos.line, diag.pos.column) == ("paper.md", 5, 11)
    assert diag.severity == "error"
    assert str(diag) == ("paper.md:5:11: error PK201: citation key 'buzan2021' not found in "
                         "references (did you mean 'buzan2022'?)")


def test_unresolved_key_without_a_close_match_has_no_hint():
    [diag] = codes(check_citations(paper("zzz")), "PK201")
    assert diag.message == "citation key 'zzz' not found in references"


def test_unresolved_key_inside_a_footnote_is_found():
    pos = Pos("paper.md", 9, 4)
    note = Note([Paragraph([Cite([CiteItem("nosuch", pos=pos)], "[@nosuch]", pos=pos)])])
    base = paper("buzan2022")
    doc = replace(base, sections=[Section("S", blocks=[Paragraph([note])])])
    [diag] = codes(check_citations(doc), "PK201")
    assert diag.pos == pos


def test_unknown_nocite_key_is_unresolved():
    [diag] = codes(check_citations(paper("buzan2022", nocite=["takahashi2032"])), "PK201")
    assert "'takahashi2032'" in diag.message and "did you mean 'takahashi2023'" in diag.message


def test_uncited_references_are_reported_at_their_entries():
    found = codes(check_citations(paper("buzan2022", nocite=["takahashi2023"])), "PK202")
    assert [(d.message.split("'")[1], d.pos.line) for d in found] == [
        ("nojournal", 8), ("report", 11)]
    assert all(d.severity == "warning" for d in found)


def test_nocite_star_counts_every_reference_as_cited():
    assert codes(check_citations(paper(nocite=["@*"])), "PK202") == []


def test_missing_required_fields_are_named_in_bibtex_terms():
    found = codes(check_citations(paper(nocite=["@*"])), "PK204")
    assert [d.message for d in found] == [
        "reference 'nojournal' (article) lacks the field 'journal' its type needs",
        "reference 'report' (techreport) lacks the field 'institution' its type needs",
    ]
    assert [d.pos.line for d in found] == [8, 11]


def test_required_fields_for_csl_references():
    web = Reference("site", "webpage", {"title": "A site"})
    assert missing_fields(web) == ["url"]
    chapter = Reference("ch", "chapter", {"author": [{"family": "A"}], "title": "C"})
    assert missing_fields(chapter) == ["booktitle", "publisher", "year"]
    book = Reference("b", "book", {"editor": [{"family": "E"}], "title": "T",
                                   "publisher": "P", "issued": {"date-parts": [[2020]]}})
    assert missing_fields(book) == []


def test_same_doi_under_two_keys():
    [diag] = codes(check_citations(paper(nocite=["@*"])), "PK205")
    assert diag.message == ("references 'report' and 'buzan2022' have the same DOI "
                            "10.1000/abc; keep one")
    assert diag.pos.line == 11


def test_check_gives_the_same_findings_after_the_transform():
    doc = paper("buzan2022", "nosuch", nocite=["takahashi2023"])
    before = check_citations(doc)
    after = check_citations(resolve_citations(doc, style="apa", log=Log()))
    assert [str(d) for d in before] == [str(d) for d in after]
    assert {d.code for d in before} == {"PK201", "PK202", "PK204", "PK205"}


def test_clean_paper_has_no_findings():
    refs = [r for r in REFS if r.key in ("buzan2022", "takahashi2023")]
    assert check_citations(paper("buzan2022", "takahashi2023", refs=refs)) == []


def test_a_key_cut_short_by_the_syntax_says_how_to_cite_it():
    from paperkit.checks.citations import _hint

    assert _hint("q", ["q^z", "other"]) == (
        " (the reference is 'q^z': write [@{q^z}] for a key with characters other than "
        "letters, digits and :.#$%&-+?<>~/_)")
    assert _hint("buzan2021", ["buzan2022"]) == " (did you mean 'buzan2022'?)"
