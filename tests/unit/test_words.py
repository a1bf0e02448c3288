"""Word counts: the rules of the README, per category and per section, and the limits."""

from __future__ import annotations

import pytest

from paperkit.checks.words import check_words, count_paper, count_words
from paperkit.model import (BibEntry, BlockQuote, BulletList, Cite, CiteItem, CodeBlock, Figure,
                            Limits, Note, Paper, Paragraph, Pos, Section, Table, Text, WordLimit)


@pytest.mark.parametrize("text, words", [
    ("", 0),
    ("one two  three", 3),
    ("China-Pakistan corridor", 2),
    ("nations—Kazakhstan, Uzbekistan", 2),
    ("a — b", 2),
    ("U.S. 2025 19-year-old", 3),
    ("( ) — – ... *", 0),
    ("日本語", 3),
    ("東京Tokyo", 3),
    ("Überprüfung Ελληνικά Кириллица", 3),
    ("(Buzan, 2022)", 2),
])
def test_count_words_rules(text, words):
    assert count_words(text) == words


def test_categories_sections_and_main_text():
    cite = Cite([CiteItem("b")], "[@b]", rendered=[Text("(Buzan, 2022)")])
    paper = Paper(
        title="Two words", subtitle="and three more",
        abstract=[Paragraph("Four words in abstract")],
        sections=[
            Section("Intro duction", number="1", label="sec:i", blocks=[
                Paragraph([Text("Five words here, cited "), cite,
                           Note([Paragraph("Note has four words")])]),
                BulletList([[Paragraph("list item")]]),
                BlockQuote([Paragraph("quoted")]),
                CodeBlock("not counted at all"),
                Table([["Head"], ["Two"]], [[["cell one"], ["x"]]], caption="Cap tion"),
                Figure("f.png", caption="Fig cap here"),
            ], subsections=[Section("Sub", 2, number="1.1", label="sec:s",
                                    blocks=[Paragraph("Three more words")])]),
        ],
        bibliography=[BibEntry("b", [Text("Buzan, B. (2022). Book.")])],
    )
    counts = count_paper(paper)
    assert counts.categories == {"title": 5, "abstract": 4, "headings": 3, "body": 12,
                                 "notes": 4, "captions": 5, "tables": 5, "references": 4}
    assert counts.main_text == 15
    assert [(s.number, s.own, s.total) for s in counts.sections] == [("1", 11, 15),
                                                                      ("1.1", 4, 4)]


def test_limits_report_how_far_off():
    paper = Paper(
        sections=[Section("Intro", number="1", blocks=[Paragraph("word " * 90)])],
        abstract=[Paragraph("a b c")],
        limits=Limits(words=WordLimit(target=150, tolerance=0.1, pos=Pos("p.md", 5, 3)),
                      abstract=WordLimit(max=2),
                      sections={"Intro": WordLimit(min=100), "Missing": WordLimit(max=1)}))
    messages = sorted(str(d) for d in check_words(paper))
    assert "p.md:5:3: warning PK301: main text has 91 words; the target is 150 ± 10% " \
           "(135-165): 44 words short" in messages
    assert any("PK302: abstract has 3 words; the limit is 2: 1 words over" in m
               for m in messages)
    assert any("PK303: section 'Intro' has 91 words; the minimum is 100: 9 words short" in m
               for m in messages)
    assert any("PK305: limits name section 'Missing'" in m for m in messages)


def test_count_names_other_categories():
    paper = Paper(sections=[Section("H", blocks=[Paragraph([Text("a b"),
                                                             Note([Paragraph("c d e")])])])],
                  limits=Limits(words=WordLimit(max=3), count=("body", "notes")))
    assert count_paper(paper).main_text == 5
    assert [d.code for d in check_words(paper)] == ["PK301"]
