"""BibLaTeX input: names, crossref and xdata inheritance, dates, localisation keys, the field
mapping (one test per rule), entry types bibtexparser mistakes, malformed entries."""

from __future__ import annotations

import pytest

from paperkit.bibliography import parse_bibtex
from paperkit.bibliography.bibtex import transform_key
from paperkit.bibliography.bibtex_to_csl import to_csl
from paperkit.bibliography.dates import date_from_parts, parse_date
from paperkit.bibliography.names import parse_name, parse_names
from paperkit.diagnostics import Log
from paperkit.errors import InputError


def refs(text: str) -> dict:
    return {r.key: r for r in parse_bibtex(text, file="refs.bib", log=Log())}


def one(text: str):
    [ref] = parse_bibtex(text, file="refs.bib", log=Log())
    return ref


# ---------------------------------------------------------------------- names


@pytest.mark.parametrize("raw, name", [
    ("Drummond de Andrade, Carlos", {"family": "Drummond de Andrade", "given": "Carlos"}),
    ("de la Fontaine, Jean", {"family": "Fontaine", "given": "Jean",
                              "dropping-particle": "de la"}),
    ("Jean de La Fontaine", {"family": "La Fontaine", "given": "Jean",
                             "dropping-particle": "de"}),
    ("Tolkien, J.R.R.", {"family": "Tolkien", "given": "J. R. R."}),
    ("Jean-Paul Sartre", {"family": "Sartre", "given": "Jean-Paul"}),
    ("Bagehot", {"family": "Bagehot"}),
    ("King, Jr., Martin Luther", {"family": "King", "given": "Martin Luther",
                                  "suffix": "Jr."}),
    (r"O'Connor, Siobh{\'a}n", {"family": "O’Connor", "given": "Siobhán"}),
    (r"{\"O}zal, Turgut", {"family": "Özal", "given": "Turgut"}),
    ("Garc{\\'\\i}a M{\\'a}rquez, Gabriel", {"family": "García Márquez", "given": "Gabriel"}),
    ("family=Berg, given=Jan, prefix=van der, useprefix=true",
     {"family": "Berg", "given": "Jan", "non-dropping-particle": "van der"}),
    ("{World Health Organization}", {"literal": "World Health Organization"}),
])
def test_biblatex_names(raw, name):
    assert parse_name(raw) == name


def test_useprefix_makes_particles_non_dropping():
    ref = one("@book{k, author = {van Gogh, Vincent}, options = {useprefix=true}}")
    assert ref.fields["author"] == [{"family": "Gogh", "given": "Vincent",
                                     "non-dropping-particle": "van"}]


def test_and_inside_braces_does_not_split_names():
    assert parse_names("{Barnes and Noble} and Doe, J. and others") == [
        {"literal": "Barnes and Noble"}, {"family": "Doe", "given": "J."}, {"literal": "others"}]


def test_editor_types_and_name_roles():
    fields = to_csl("movie", {"editor": "Curtiz, Michael", "editortype": "director",
                              "bookauthor": "Doe, J.", "translator": "Roe, R."})[1]
    assert fields["director"] == [{"family": "Curtiz", "given": "Michael"}]
    assert "editor" not in fields and "editortype" not in fields
    assert fields["container-author"] == [{"family": "Doe", "given": "J."}]
    assert fields["translator"] == [{"family": "Roe", "given": "R."}]


def test_patent_holder_stands_in_for_a_missing_author():
    fields = to_csl("patent", {"holder": "{Apple Inc.}", "location": "countryus and countryde",
                               "number": "7,966,578"})[1]
    assert fields["author"] == [{"literal": "Apple Inc."}]
    assert fields["jurisdiction"] == "United States of America; Germany"
    assert fields["number"] == "7,966,578"


# ---------------------------------------------------------------------- crossref and xdata


def test_inbook_inherits_book_title_as_booktitle_and_author_as_bookauthor():
    found = refs("""
@book{parent, author = {Arendt, Hannah}, title = {The Origins of Totalitarianism},
      subtitle = {A Study}, publisher = {Harcourt}, year = 1973, shorttitle = {Origins}}
@inbook{child, title = {Antisemitism}, pages = {3--10}, crossref = {parent}}
""")
    child = found["child"].fields
    assert child["container-title"] == "The origins of totalitarianism: A study"
    assert child["author"] == child["container-author"] == [
        {"family": "Arendt", "given": "Hannah"}]
    assert child["title"] == "Antisemitism"
    assert "title-short" not in child           # a parent's shorttitle is never inherited
    assert child["publisher"] == "Harcourt" and child["issued"] == {"date-parts": [[1973]]}


def test_book_in_mvbook_gets_maintitle_and_volume_title():
    found = refs("""
@mvbook{set, author = {Churchill, Winston}, title = {The Second World War}, volumes = 6,
        publisher = {Cassell}, date = {1948/1953}}
@book{vol2, title = {Their Finest Hour}, volume = 2, crossref = {set}}
""")
    vol2 = found["vol2"].fields
    assert vol2["title"] == "The second world war"
    assert vol2["volume-title"] == "Their finest hour"
    assert vol2["container-author"] == [{"family": "Churchill", "given": "Winston"}]
    assert vol2["volume"] == "2" and vol2["number-of-volumes"] == "6"


def test_xdata_lends_fields_and_is_no_reference():
    found = refs("""
@xdata{press, publisher = {Cornell University Press}, location = {Ithaca}}
@xdata{more, xdata = {press}, edition = 2}
@book{a, title = {A}, xdata = {more}, publisher = {Own Press}}
""")
    assert list(found) == ["a"]
    a = found["a"].fields
    assert a["publisher"] == "Own Press"          # the entry's own field wins
    assert a["publisher-place"] == "Ithaca" and a["edition"] == "2"


def test_crossref_cycles_stop():
    found = refs("@book{a, title = {A}, crossref = {b}}\n@book{b, note = {N}, crossref = {a}}")
    assert found["a"].fields["note"] == "N"


@pytest.mark.parametrize("parent, child, field, names", [
    ("book", "inbook", "title", ["booktitle"]),
    ("book", "inbook", "author", ["bookauthor", "author"]),
    ("mvbook", "book", "title", ["maintitle"]),
    ("mvcollection", "incollection", "subtitle", ["mainsubtitle"]),
    ("proceedings", "inproceedings", "titleaddon", ["booktitleaddon"]),
    ("periodical", "article", "title", ["journaltitle"]),
    ("book", "inbook", "shorttitle", []),
    ("book", "inbook", "ids", []),
    ("misc", "misc", "title", ["title"]),
])
def test_transform_key(parent, child, field, names):
    assert transform_key(parent, child, field) == names


# ---------------------------------------------------------------------- dates


@pytest.mark.parametrize("text, date", [
    ("2020~", {"date-parts": [[2020]], "circa": True}),
    ("2020-22", {"date-parts": [[2020]], "season": 2}),
    ("2019-06-09/2019-06-15", {"date-parts": [[2019, 6, 9], [2019, 6, 15]]}),
    ("2020/..", {"date-parts": [[2020]]}),
    ("-0044-03-15", {"date-parts": [[-44, 3, 15]]}),
    ("c. 1900", {"date-parts": [[1900]], "circa": True}),
    ("2021-05-03T10:00:00", {"date-parts": [[2021, 5, 3]]}),
    ("forthcoming", {"literal": "forthcoming"}),
])
def test_edtf_dates(text, date):
    assert parse_date(text) == date


def test_year_month_day_and_end_fields():
    assert date_from_parts("2019", "sep", "15") == {"date-parts": [[2019, 9, 15]]}
    assert date_from_parts("2019", "5", None, "2020", "6") == {"date-parts": [[2019, 5],
                                                                              [2020, 6]]}
    assert date_from_parts("in press", None, None) == {"literal": "in press"}
    assert date_from_parts(None, "may", None) is None


def test_every_date_field():
    fields = to_csl("book", {"year": "1995", "origyear": "1949", "urldate": "2020-04-01",
                             "eventdate": "2019-06-09/2019-06-15"})[1]
    assert fields["issued"] == {"date-parts": [[1995]]}
    assert fields["original-date"] == {"date-parts": [[1949]]}
    assert fields["accessed"] == {"date-parts": [[2020, 4, 1]]}
    assert fields["event-date"] == {"date-parts": [[2019, 6, 9], [2019, 6, 15]]}


# ---------------------------------------------------------------------- the field mapping


@pytest.mark.parametrize("entry_type, fields, variable, value", [
    ("report", {"institution": "MIT"}, "publisher", "MIT"),
    ("thesis", {"school": "LSE", "institution": "Univ"}, "publisher", "LSE; Univ"),
    ("manual", {"organization": "R Foundation"}, "publisher", "R Foundation"),
    ("misc", {"howpublished": "Leaflet"}, "publisher", "Leaflet"),
    ("book", {"location": "London and New York"}, "publisher-place", "London; New York"),
    ("book", {"address": "Paris", "location": "Lyon"}, "publisher-place", "Paris"),
    ("thesis", {"type": "phdthesis"}, "genre", "PhD thesis"),
    ("mastersthesis", {}, "genre", "Master’s thesis"),
    ("report", {"type": "techreport"}, "genre", "technical report"),
    ("report", {"type": "Working Paper"}, "genre", "Working Paper"),
    ("article", {"pubstate": "inpress"}, "status", "in press"),
    ("article", {"year": "forthcoming"}, "status", "forthcoming"),
    ("article", {"number": "2", "issue": "Spring"}, "issue", "2, Spring"),
    ("article", {"issue": "Spring"}, "issue", "Spring"),
    ("inproceedings", {"number": "7"}, "collection-number", "7"),
    ("misc", {"number": "7"}, "number", "7"),
    ("book", {"volume": "3", "part": "B"}, "volume", "3.B"),
    ("book", {"pagetotal": "912"}, "number-of-pages", "912"),
    ("inbook", {"chapter": "4"}, "chapter-number", "4"),
    ("book", {"edition": "2nd"}, "edition", "2nd"),
    ("software", {"version": "1.2"}, "version", "1.2"),
    ("article", {"pages": "123–145"}, "page", "123-145"),
    ("book", {"series": "3"}, "collection-title", "3rd series"),
    ("book", {"note": "A note", "addendum": "More"}, "note", "A note. More"),
    ("book", {"note": "Is it?", "addendum": "More"}, "note", "Is it? More"),
    ("book", {"annotation": "Good"}, "annote", "Good"),
    ("online", {"url": r"https://a.org/x\_y"}, "URL", "https://a.org/x_y"),
    ("article", {"eprint": "2706785", "eprinttype": "jstor"}, "URL",
     "https://www.jstor.org/stable/2706785"),
    ("article", {"eprint": "123", "archiveprefix": "arXiv"}, "URL", "https://arxiv.org/abs/123"),
    ("article", {"doi": "doi:10.1/X"}, "DOI", "10.1/X"),
    ("book", {"isbn": "1-58648-306-4"}, "ISBN", "1-58648-306-4"),
    ("article", {"issn": "1389-9341"}, "ISSN", "1389-9341"),
    ("article", {"pmid": "31234567"}, "PMID", "31234567"),
    ("book", {"library": "JX1391"}, "call-number", "JX1391"),
    ("inproceedings", {"eventtitle": "ICML 2019", "venue": "Long Beach"}, "event", "ICML 2019"),
    ("inproceedings", {"venue": "Long Beach"}, "event-place", "Long Beach"),
    ("book", {"origtitle": "Krieg und Frieden"}, "original-title", "Krieg und frieden"),
    ("book", {"origpublisher": "Russkii Vestnik"}, "original-publisher", "Russkii Vestnik"),
    ("article", {"shortjournal": "World Dev."}, "container-title-short", "World Dev."),
])
def test_field_mapping_rules(entry_type, fields, variable, value):
    assert to_csl(entry_type, fields)[1][variable] == value


def test_url_and_doi_options():
    fields = to_csl("book", {"url": "https://a.org", "doi": "10.1/x",
                             "options": "url=false, doi=false"})[1]
    assert "URL" not in fields and "DOI" not in fields


def test_unpublished_talk_is_a_speech():
    assert to_csl("unpublished", {"eventtitle": "Annual Meeting"})[0] == "speech"
    assert to_csl("unpublished", {})[0] == "manuscript"


def test_magazine_and_newspaper_subtypes():
    assert to_csl("article", {"entrysubtype": "magazine"})[0] == "article-magazine"
    assert to_csl("periodical", {"entrysubtype": "newspaper"})[0] == "article-newspaper"


def test_periodical_issue():
    csl_type, fields = to_csl("periodical", {"title": "International Organization",
                                             "issuetitle": "The Rational Design",
                                             "number": "4", "note": "N"})
    assert csl_type == "periodical"
    assert fields["title"] == "The rational design"
    assert fields["container-title"] == "International Organization"
    assert fields["issue"] == "4"


def test_fields_without_a_csl_variable_are_kept():
    fields = to_csl("book", {"commentator": "Doe, J.", "eprintclass": "cs.LG", "mycustom": "X",
                             "crossref": "a", "sortkey": "z"})[1]
    assert fields["commentator"] == "Doe, J." and fields["mycustom"] == "X"
    assert "eprintclass" not in fields and "crossref" not in fields and "sortkey" not in fields


# ---------------------------------------------------------------------- parsing


def test_commentary_is_an_entry_not_a_comment():
    found = parse_bibtex("@comment{ a comment }\n\n@commentary{aquinas,\n  title = {On "
                         "Politics}, year = 2007}\n", file="refs.bib", log=Log())
    assert [(r.key, r.type, r.fields["bibtex-type"], r.pos.line) for r in found] == [
        ("aquinas", "book", "commentary", 3)]


def test_parenthesised_entries_and_upper_case_fields():
    ref = one('@ARTICLE(k,\n  TITLE = "Upper",\n  YEAR = 2013)')
    assert ref.fields["title"] == "Upper" and ref.fields["issued"] == {"date-parts": [[2013]]}


def test_a_missing_comma_names_the_line_of_the_field():
    # bibtexparser reads `title = {B}` and `year = 2020` as one value; BibTeX refuses it
    text = "@book{a, title = {A}}\n\n@book{b,\n  title = {B}\n  year = 2020\n}\n"
    log = Log()
    with pytest.raises(InputError) as caught:
        parse_bibtex(text, file="refs.bib", log=log)
    assert caught.value.diagnostic.code == "PK110"
    assert (caught.value.file, caught.value.line) == ("refs.bib", 4)
    assert "'b'" in str(caught.value) and "comma missing before 'year = 2020'" in \
        str(caught.value)


@pytest.mark.parametrize("value", ['{B} # {C}', 'rtl # " Press"', '{A {b} c}', '"a {"} b"',
                                   "jan # \"~15\"", "2020"])
def test_valid_values_pass(value):
    assert one(f"@string{{rtl = {{R}}}}\n@book{{k, note = {value}}}").fields["note"]
