"""Front matter: every key validated, errors name the line and column."""

from __future__ import annotations

import pytest

from paperkit.errors import InputError
from paperkit.model import Author, WordLimit
from paperkit.readers.frontmatter import read_front_matter, split_front_matter


def meta(yaml_text: str):
    return read_front_matter(yaml_text, "paper.md")


def error_of(yaml_text: str) -> InputError:
    with pytest.raises(InputError) as info:
        meta(yaml_text)
    return info.value


def test_split_returns_body_and_its_first_line():
    yaml_text, body, line = split_front_matter("---\ntitle: T\n---\n# Intro\n", "p.md")
    assert yaml_text == "title: T"
    assert body == "# Intro\n"
    assert line == 4


def test_split_accepts_dots_as_closing_fence_and_no_front_matter():
    assert split_front_matter("---\na: 1\n...\nx", "p.md")[0] == "a: 1"
    assert split_front_matter("# Only text\n", "p.md") == (None, "# Only text\n", 1)


def test_unclosed_front_matter_is_an_error_on_line_one():
    with pytest.raises(InputError) as info:
        split_front_matter("---\ntitle: T\n# Intro\n", "p.md")
    assert str(info.value).startswith("p.md:1:1: error PK101:")
    assert "never closed" in str(info.value)


def test_all_keys():
    m = meta("""title: A *title*
subtitle: Sub
author:
  - name: Ada Lovelace
    affiliation: London
    email: ada@example.org
  - Sei
date: 2025-12-20
abstract: Short.
keywords: [a, b]
lang: de-DE
bibliography: [one.bib, two.bib]
csl: ieee
nocite: ["@x", "y"]
template: article
link-citations: false
number-sections: false
limits:
  words: {min: 100, max: 200}
  abstract: 250
  notes: {target: 50, tolerance: 20%}
  sections: {Introduction: 300}
  count: [headings, body, notes]
""")
    assert m.title == "A *title*" and m.subtitle == "Sub"
    assert m.authors == [Author("Ada Lovelace", "London", "ada@example.org"), Author("Sei")]
    assert m.date == "2025-12-20"
    assert m.keywords == ["a", "b"] and m.lang == "de-DE"
    assert [name for name, _ in m.bibliography] == ["one.bib", "two.bib"]
    assert (m.bibliography[1][1].line, m.bibliography[1][1].column) == (13, 25)
    assert m.csl == "ieee" and m.nocite == ["x", "y"] and m.template == "article"
    assert m.link_citations is False and m.number_sections is False
    assert m.limits.words == WordLimit(min=100, max=200)
    assert m.limits.abstract == WordLimit(max=250)
    assert m.limits.notes == WordLimit(target=50, tolerance=0.2)
    assert m.limits.notes.bounds() == (40, 60)
    assert m.limits.sections == {"Introduction": WordLimit(max=300)}
    assert m.limits.count == ("headings", "body", "notes")
    assert m.limits.words.pos.line == 20


def test_target_defaults_to_ten_percent_and_accepts_commas():
    m = meta('limits:\n  words: {target: "1,500"}\n')
    assert m.limits.words.bounds() == (1350, 1650)


def test_unknown_key_suggests_the_nearest():
    err = error_of("title: T\nbibliograpy: refs.bib\n")
    assert str(err) == ("paper.md:3:1: error PK102: unknown front-matter key 'bibliograpy' "
                        "(did you mean 'bibliography'?)")


def test_unknown_limits_key_and_author_key():
    assert "limits.wrods" in str(error_of("limits:\n  wrods: 10\n"))
    assert "(did you mean 'words'?)" in str(error_of("limits:\n  wrods: 10\n"))
    assert "author.afiliation" in str(error_of("author:\n  - name: A\n    afiliation: B\n"))


@pytest.mark.parametrize("text, where, words", [
    ("link-citations: yes please\n", "paper.md:2:1", "true or false"),
    ("title: [a, b]\n", "paper.md:2:1", "must be text"),
    ("limits:\n  words: many\n", "paper.md:3:3", "whole number"),
    ("limits:\n  words: {min: 10, max: 5}\n", "paper.md:3:3", "min no larger than max"),
    ("limits:\n  words: {target: 10, tolerance: 300%}\n", "paper.md:3:23", "percentage"),
    ("limits:\n  count: [body, footnotes]\n", "paper.md:3:17", "unknown category"),
    ("author:\n  - affiliation: X\n", "paper.md:3:5", "needs a 'name'"),
])
def test_wrong_types_name_line_and_column(text, where, words):
    err = error_of(text)
    assert str(err).startswith(where + ": error PK103:"), str(err)
    assert words in str(err)


def test_yaml_syntax_error_points_into_the_file():
    err = error_of("title: T\nabstract: [unclosed\n")
    assert err.diagnostic.code == "PK101"
    assert err.line is not None and err.line >= 3


def test_duplicate_key_is_an_error_not_silently_the_last():
    err = error_of("title: A\ntitle: B\n")
    assert str(err) == ("paper.md:3:1: error PK101: front matter is not valid YAML: duplicate "
                        "key 'title' (first at line 2); remove one of them")


def test_block_scalar_abstract_starts_on_the_next_line():
    m = meta("abstract: |\n  First line.\n")
    assert m.abstract_line == 3
    assert meta("abstract: Inline.\n").abstract_line == 2
