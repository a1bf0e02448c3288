"""The numbering transform: sections, tables, figures, labels and cross-references."""

from __future__ import annotations

from paperkit.diagnostics import Log
from paperkit.model import Figure, Paper, Paragraph, Pos, Ref, Section, Table, Text
from paperkit.transforms.numbering import number_paper, slug
from paperkit.walk import iter_sections


def numbers(paper):
    return [(s.number, s.label) for s in iter_sections(paper.sections)]


def test_sections_are_numbered_by_the_model():
    paper = Paper(sections=[
        Section("Intro", 1),
        Section("Two", 1, subsections=[Section("A", 2), Section("B", 2,
                subsections=[Section("Deep", 3)])]),
        Section("Thanks", 1, numbered=False),
        Section("Three", 1, subsections=[Section("C", 2)]),
    ])
    out = number_paper(paper, log=Log())
    assert numbers(out) == [("1", "sec:intro"), ("2", "sec:two"), ("2.1", "sec:a"),
                            ("2.2", "sec:b"), ("2.2.1", "sec:deep"), (None, "sec:thanks"),
                            ("3", "sec:three"), ("3.1", "sec:c")]


def test_number_sections_false_numbers_nothing():
    out = number_paper(Paper(sections=[Section("A")], number_sections=False), log=Log())
    assert out.sections[0].number is None


def test_tables_and_figures_count_separately_and_refs_resolve():
    body = [Paragraph([Ref("tbl:b"), Text(" "), Ref("fig:a"), Text(" "), Ref("sec:two")]),
            Figure("a.png", label="fig:a"), Table(["h"], [], label="tbl:a"),
            Table(["h"], [], label="tbl:b")]
    paper = Paper(sections=[Section("One", blocks=body),
                            Section("Two", label="sec:two")])
    log = Log()
    out = number_paper(paper, log=log)
    refs = out.sections[0].blocks[0].content
    assert [r.number for r in refs if isinstance(r, Ref)] == ["2", "1", "2"]
    assert [b.number for b in out.sections[0].blocks[1:]] == [1, 1, 2]
    assert log.items == []


def test_unknown_ref_and_duplicate_label_are_reported_with_positions():
    paper = Paper(sections=[
        Section("A", label="sec:x", pos=Pos("p.md", 3)),
        Section("B", label="sec:x", pos=Pos("p.md", 7),
                blocks=[Paragraph([Ref("sec:y", pos=Pos("p.md", 9, 5))])]),
    ])
    log = Log()
    out = number_paper(paper, log=log)
    messages = [str(d) for d in log.items]
    assert "p.md:7:1: error PK402: label 'sec:x' is defined twice (first at p.md:3:1)" \
        in messages
    assert any(m.startswith("p.md:9:5: error PK401: cross-reference '@sec:y'") and
               "did you mean 'sec:x'" in m for m in messages)
    assert out.sections[1].blocks[0].content[0].number is None


def test_auto_labels_are_unique_and_input_is_unchanged():
    paper = Paper(sections=[Section("Same"), Section("Same"), Section("2.1 Odd: title!")])
    before = repr(paper)
    out = number_paper(paper, log=Log())
    assert [s.label for s in out.sections] == ["sec:same", "sec:same-1", "sec:odd-title"]
    assert repr(paper) == before
    assert slug("Japan’s Strategic Motivations") == "japans-strategic-motivations"
