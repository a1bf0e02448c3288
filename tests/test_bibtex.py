"""BibTeX/BibLaTeX reading: decoding, names, macros, crossref, errors, the CSL mapping."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from paperkit.bibliography import load_references, parse_bibtex
from paperkit.bibliography.bibtex_to_csl import CSL_TYPES, DEFAULT_TYPE, to_csl
from paperkit.bibliography.dates import parse_date, parse_month
from paperkit.bibliography.latex_text import decode_latex, split_protected
from paperkit.diagnostics import Log
from paperkit.model import Pos, Reference
from paperkit.errors import InputError


def at(pos: Pos | None) -> Pos:
    """Return `pos`, which the reader must have set."""
    assert pos is not None
    return pos


# The CSL 1.0.2 item types (csl-types in the CSL schema).
CSL_ITEM_TYPES = {
    "article", "article-journal", "article-magazine", "article-newspaper", "bill", "book",
    "broadcast", "chapter", "classic", "collection", "dataset", "document", "entry",
    "entry-dictionary", "entry-encyclopedia", "event", "figure", "graphic", "hearing",
    "interview", "legal_case", "legislation", "manuscript", "map", "motion_picture",
    "musical_score", "pamphlet", "paper-conference", "patent", "performance", "periodical",
    "personal_communication", "post", "post-weblog", "regulation", "report", "review",
    "review-book", "software", "song", "speech", "standard", "thesis", "treaty", "webpage",
}

# Every entry type in the BibLaTeX manual (2.1.1 regular, 2.1.2 aliases, 2.1.3
# non-standard) and BibTeX's standard styles.
BIBLATEX_TYPES = [
    "article", "book", "mvbook", "inbook", "bookinbook", "suppbook", "booklet", "collection",
    "mvcollection", "incollection", "suppcollection", "dataset", "manual", "misc", "online",
    "patent", "periodical", "suppperiodical", "proceedings", "mvproceedings",
    "inproceedings", "reference", "mvreference", "inreference", "report", "set", "software",
    "thesis", "unpublished", "xdata", "conference", "electronic", "mastersthesis",
    "phdthesis", "techreport", "www", "artwork", "audio", "bibnote", "commentary", "image",
    "jurisdiction", "legislation", "legal", "letter", "movie", "music", "performance",
    "review", "standard", "video",
]


def one(text: str, log: Log | None = None) -> Reference:
    refs = parse_bibtex(text, file="refs.bib", log=log or Log())
    assert len(refs) == 1
    return refs[0]


# ---------------------------------------------------------------------- LaTeX text


@pytest.mark.parametrize("latex, text", [
    (r"{\"o}ld {\'e}t\'e", "öld été"),
    (r"Sch\"{o}n \v{S}koda {\c c} \ss{} \o{} \aa", "Schön Škoda ç ß ø å"),
    (r"R\&D -- 1990--2000 --- end", "R&D – 1990–2000 — end"),
    (r"Page~12", "Page\u00a012"),
    ("100\\% of \\$5 and \\#1 \\_x", "100% of $5 and #1 _x"),
    (r"\emph{Italic} and \textbf{bold}", "Italic and bold"),
    (r"``Quoted'' text", "\u201cQuoted\u201d text"),
    ("A title\n   broken over    lines", "A title broken over lines"),
    (r"\noopsort{a}Zeta", "Zeta"),
    (r"\LaTeX{} and \url{http://a.org/x_y}", "LaTeX and http://a.org/x_y"),
])
def test_latex_values_decode_to_unicode(latex: str, text: str) -> None:
    assert decode_latex(latex) == text


def test_protected_parts_are_found_at_brace_depth_zero() -> None:
    pieces = split_protected(r"The {NATO} and {\"o}zal \emph{Cold} {War}s")
    # a group starting with a command is protected too ({\"o}), as in biblatex and pandoc;
    # a command's argument (\emph{Cold}) is not
    assert pieces == [("The ", False), ("NATO", True), (" and ", False), (r'\"o', True),
                      (r"zal \emph{Cold} ", False), ("War", True), ("s", False)]


def test_title_keeps_protected_capitals_as_nocase_spans() -> None:
    ref = one(r"@book{k, title = {Security in {Central Asia}: {NATO} and {\"O}zal}}")
    assert ref.fields["title"] == ('Security in <span class="nocase">Central Asia</span>: '
                                   '<span class="nocase">NATO</span> and '
                                   '<span class="nocase">Ö</span>zal')


def test_non_title_fields_drop_braces_without_markup() -> None:
    ref = one(r"@book{k, publisher = {{ACM} Press}, note = {See {Appendix} A}}")
    assert ref.fields["publisher"] == "ACM Press"
    assert ref.fields["note"] == "See Appendix A"


# ---------------------------------------------------------------------- macros, months


def test_string_macros_and_concatenation_expand() -> None:
    ref = one('@string{RTL = "Routledge"}\n@string{place = {London}}\n'
              '@book{k, publisher = rtl # " Press", address = place # ", UK", year = 2022}')
    assert ref.fields["publisher"] == "Routledge Press"
    assert ref.fields["publisher-place"] == "London, UK"
    assert ref.fields["issued"] == {"date-parts": [[2022]]}


@pytest.mark.parametrize("month, number", [
    ("jan", 1), ("{May}", 5), ('"oct"', 10), ("{12}", 12), ("sep", 9), ('"Feb."', 2),
])
def test_month_macros_and_names_become_numbers(month: str, number: int) -> None:
    ref = one(f"@article{{k, year = 2021, month = {month}}}")
    assert ref.fields["issued"] == {"date-parts": [[2021, number]]}


def test_month_with_day_and_day_field() -> None:
    ref = one('@article{k, year = 2021, month = jan # "~15"}')
    assert ref.fields["issued"] == {"date-parts": [[2021, 1]]}
    ref = one("@article{k, year = 2021, month = mar, day = 7}")
    assert ref.fields["issued"] == {"date-parts": [[2021, 3, 7]]}


@pytest.mark.parametrize("text, date", [
    ("2022", {"date-parts": [[2022]]}),
    ("2022-05-17", {"date-parts": [[2022, 5, 17]]}),
    ("2020/2022", {"date-parts": [[2020], [2022]]}),
    ("2020-05-01/2020-05-03", {"date-parts": [[2020, 5, 1], [2020, 5, 3]]}),
    ("1990--1995", {"date-parts": [[1990], [1995]]}),
    ("in press", {"literal": "in press"}),
])
def test_dates_and_ranges(text: str, date: dict[str, Any]) -> None:
    assert parse_date(text) == date


def test_parse_month_rejects_non_months() -> None:
    assert parse_month("13") is None
    assert parse_month("spring") is None
    assert parse_month("Dec.") == 12


# ---------------------------------------------------------------------- names


def test_names_family_given_particles_suffix() -> None:
    ref = one(r"@book{k, author = {van der Berg, Jan and Ludwig van Beethoven and "
              r"Doe, Jr., John and {\"O}zt{\"u}rk, Ay{\c{s}}e}}")
    assert ref.fields["author"] == [
        {"family": "Berg", "given": "Jan", "dropping-particle": "van der"},
        {"family": "Beethoven", "given": "Ludwig", "dropping-particle": "van"},
        {"family": "Doe", "given": "John", "suffix": "Jr."},
        {"family": "Öztürk", "given": "Ayşe"},
    ]


def test_braced_family_name_is_kept_whole() -> None:
    # BibTeX treats a braced group as one token: no particle is split off
    ref = one("@book{k, author = {{van der Berg}, Jan}}")
    assert ref.fields["author"] == [{"family": "van der Berg", "given": "Jan"}]


def test_corporate_author_in_double_braces_is_literal() -> None:
    ref = one("@report{k, author = {{Ministry of Foreign Affairs of Japan} and "
              "{Barnes and Noble}}}")
    assert ref.fields["author"] == [{"literal": "Ministry of Foreign Affairs of Japan"},
                                    {"literal": "Barnes and Noble"}]


def test_and_others_becomes_a_marker_name() -> None:
    ref = one("@book{k, author = {Buzan, Barry and Wæver, Ole and others}}")
    assert ref.fields["author"][-1] == {"literal": "others"}
    assert len(ref.fields["author"]) == 3


# ---------------------------------------------------------------------- crossref


def test_crossref_child_inherits_missing_fields() -> None:
    refs = parse_bibtex("""
@inproceedings{child, author = {Doe, Jane}, title = {A Paper}, crossref = {Proc20},
               pages = {1--10}}
@proceedings{proc20, title = {Proceedings of {X}}, editor = {Roe, Richard},
             publisher = {ACM}, address = {New York}, year = 2020}
""", file="refs.bib", log=Log())
    child = refs[0]
    assert child.type == "paper-conference"
    assert child.fields["title"] == "A paper"  # sentence case, see test_titles
    assert child.fields["container-title"] == 'Proceedings of <span class="nocase">X</span>'
    assert child.fields["publisher"] == "ACM"
    assert child.fields["publisher-place"] == "New York"
    assert child.fields["editor"] == [{"family": "Roe", "given": "Richard"}]
    assert child.fields["issued"] == {"date-parts": [[2020]]}
    assert child.fields["page"] == "1-10"
    assert "crossref" not in child.fields


def test_crossref_to_a_periodical_gives_the_journal() -> None:
    refs = parse_bibtex("@article{a, title = {T}, crossref = {j}}\n"
                        "@periodical{j, title = {Journal of Things}, year = 2019}",
                        file="refs.bib", log=Log())
    assert refs[0].fields["container-title"] == "Journal of Things"


# ---------------------------------------------------------------------- errors


def test_each_reference_has_the_line_of_its_entry() -> None:
    refs = parse_bibtex("% comment\n\n@book{a, title={A}}\n\n\n@misc{b,\n title={B}}\n",
                        file="refs.bib", log=Log())
    assert [(r.key, at(r.pos).file, at(r.pos).line, at(r.pos).column) for r in refs] == [
        ("a", "refs.bib", 3, 1), ("b", "refs.bib", 6, 1)]


def test_duplicate_key_keeps_the_first_and_warns_at_the_second() -> None:
    log = Log()
    refs = parse_bibtex("@book{dup, title={First}}\n\n@book{dup, title={Second}}\n",
                        file="refs.bib", log=log)
    assert [r.fields["title"] for r in refs] == ["First"]
    assert [(d.code, at(d.pos).line) for d in log.items] == [("PK203", 3)]
    assert "first defined at refs.bib:1:1" in log.items[0].message


def test_syntax_error_is_reported_at_its_line_and_later_entries_still_checked() -> None:
    text = ("@book{good, title = {Fine}}\n"          # 1
            "\n"                                      # 2
            "@article{broken,\n"                      # 3
            "  title = {Unbalanced {brace},\n"        # 4
            "  year = 2020\n"                         # 5
            "}\n"                                     # 6
            "\n"                                      # 7
            "@misc{after, title = {After}}\n"         # 8
            "@misc{also broken title = {x}}\n")       # 9
    log = Log()
    with pytest.raises(InputError) as caught:
        parse_bibtex(text, file="refs.bib", log=log)
    error = caught.value
    assert error.diagnostic.code == "PK110"
    assert (error.file, error.line) == ("refs.bib", 3)
    assert "broken" in error.diagnostic.message
    assert [(d.code, at(d.pos).line) for d in log.items] == [("PK110", 3), ("PK110", 9)]
    assert [at(d.pos).line for d in error.diagnostics] == [3, 9]


def test_unterminated_entry_at_end_of_file() -> None:
    with pytest.raises(InputError) as caught:
        parse_bibtex("@book{a, title={A}}\n\n@book{b, title = {never closed\n",
                     file="refs.bib", log=Log())
    assert caught.value.diagnostic.code == "PK110"
    assert caught.value.line == 3


def test_entry_without_key_is_a_syntax_error() -> None:
    with pytest.raises(InputError) as caught:
        parse_bibtex("\n@book{, title = {x}}", file="refs.bib", log=Log())
    assert (caught.value.diagnostic.code, caught.value.line) == ("PK110", 2)


def test_missing_bibliography_file(tmp_path: Path) -> None:
    missing = tmp_path / "nope.bib"
    with pytest.raises(InputError) as caught:
        load_references([missing], log=Log())
    assert caught.value.diagnostic.code == "PK104"
    assert "nope.bib" in str(caught.value)


def test_invalid_utf8_names_the_line_of_the_bad_byte(tmp_path: Path) -> None:
    bib = tmp_path / "latin1.bib"
    bib.write_bytes("@book{a, title={Fine}}\n@book{b,\n  title={Caf\u00e9}}\n"
                    .encode("latin-1"))
    with pytest.raises(InputError) as caught:
        load_references([bib], log=Log())
    error = caught.value
    assert error.diagnostic.code == "PK105"
    assert (error.line, error.column) == (3, 13)
    assert "0xe9" in str(error)


def test_duplicates_across_files_keep_the_first_file(tmp_path: Path) -> None:
    first, second = tmp_path / "a.bib", tmp_path / "b.bib"
    first.write_text("@book{k, title={From A}}\n", encoding="utf-8")
    second.write_text("\n@book{k, title={From B}}\n@book{m, title={M}}\n", encoding="utf-8")
    log = Log()
    refs = load_references([first, second], log=log)
    assert [(r.key, r.fields["title"]) for r in refs] == [("k", "From a"), ("m", "M")]
    assert [(d.code, Path(at(d.pos).file).name, at(d.pos).line) for d in log.items] == [
        ("PK203", "b.bib", 2)]


def test_byte_order_mark_and_crlf_are_accepted(tmp_path: Path) -> None:
    bib = tmp_path / "bom.bib"
    bib.write_bytes(b"\xef\xbb\xbf@book{a,\r\n title={A}}\r\n\r\n@book{b, title={B}}\r\n")
    refs = load_references([bib], log=Log())
    assert [(r.key, at(r.pos).line) for r in refs] == [("a", 1), ("b", 4)]


# ---------------------------------------------------------------------- the CSL mapping


@pytest.mark.parametrize("entry_type", BIBLATEX_TYPES)
def test_every_biblatex_type_has_a_csl_type(entry_type: str) -> None:
    assert entry_type in CSL_TYPES
    # "" = untyped, as pandoc reads @misc: styles take their generic branch
    assert CSL_TYPES[entry_type] in CSL_ITEM_TYPES | {""}


def test_mapping_table_only_names_csl_types() -> None:
    assert set(CSL_TYPES.values()) <= CSL_ITEM_TYPES | {""}
    assert DEFAULT_TYPE == ""
    assert to_csl("nonsense", {"title": "T"})[0] == DEFAULT_TYPE
    # the works of no particular kind stay untyped, as pandoc leaves them
    assert {t for t, csl in CSL_TYPES.items() if csl == ""} == {
        "misc", "set", "xdata", "bibnote", "customa", "customb", "customc", "customd",
        "custome", "customf"}


@pytest.mark.parametrize("entry_type, csl_type", [
    ("article", "article-journal"), ("book", "book"), ("incollection", "chapter"),
    ("inbook", "chapter"), ("inproceedings", "paper-conference"), ("techreport", "report"),
    ("report", "report"), ("phdthesis", "thesis"), ("mastersthesis", "thesis"),
    ("misc", ""), ("online", "webpage"), ("unpublished", "manuscript"),
    ("booklet", "pamphlet"), ("proceedings", "book"), ("manual", "book"),
])
def test_common_types(entry_type: str, csl_type: str) -> None:
    assert to_csl(entry_type.upper(), {})[0] == csl_type


def test_field_mapping() -> None:
    csl_type, fields = to_csl("article", {
        "author": "Doe, Jane", "title": "Main", "subtitle": "A Sub", "journal": "J. Things",
        "volume": "3", "number": "2", "pages": "10--20", "year": "2020",
        "doi": "https://doi.org/10.1000/XYZ", "url": r"https://a.org/~x\_y%20z",
        "urldate": "2024-01-02", "issn": "1234-5678", "note": "A note", "addendum": "More",
        "langid": "english", "abstract": "Abs", "keywords": "a, b", "eprint": "2101.00001",
        "eprinttype": "arxiv", "mycustom": "{Kept}",
    })
    assert csl_type == "article-journal"
    assert fields["title"] == "Main: A sub"
    assert fields["container-title"] == "J. Things"
    assert fields["volume"] == "3"
    assert fields["issue"] == "2"
    assert fields["page"] == "10-20"
    assert fields["DOI"] == "10.1000/XYZ"
    assert fields["URL"] == "https://a.org/~x_y%20z"
    assert fields["accessed"] == {"date-parts": [[2024, 1, 2]]}
    assert fields["ISSN"] == "1234-5678"
    assert fields["note"] == "A note. More"  # BibLaTeX prints the addendum after the note
    assert fields["language"] == "en-US"
    assert fields["keyword"] == "a, b"
    # no field is lost: those without a CSL variable keep their own names
    assert fields["eprint"] == "2101.00001"
    assert fields["eprinttype"] == "arxiv"
    assert fields["mycustom"] == "Kept"
    assert fields["bibtex-type"] == "article"
    assert "subtitle" not in fields


@pytest.mark.parametrize("entry_type, target", [
    ("article", "issue"), ("techreport", "number"), ("book", "collection-number"),
])
def test_number_depends_on_the_type(entry_type: str, target: str) -> None:
    assert to_csl(entry_type, {"number": "7"})[1][target] == "7"


@pytest.mark.parametrize("field", ["institution", "school", "organization"])
def test_institutions_become_the_publisher(field: str) -> None:
    assert to_csl("techreport", {field: "MIT"})[1]["publisher"] == "MIT"


def test_every_publishing_body_is_kept_in_the_publisher() -> None:
    # school, institution, organization, howpublished, publisher (biblatex literal lists,
    # "and" separating items), in that order, as pandoc joins them
    fields = to_csl("inproceedings", {"publisher": "ACM and IEEE", "organization": "SIGPLAN"})[1]
    assert fields["publisher"] == "SIGPLAN; ACM; IEEE"
    assert "organization" not in fields


def test_thesis_genre_and_biblatex_fields() -> None:
    fields = to_csl("phdthesis", {"school": "MIT", "location": "Cambridge",
                                  "date": "2019-06", "series": "Theses", "edition": "2"})[1]
    assert fields["genre"] == "PhD thesis"
    assert fields["publisher"] == "MIT"
    assert fields["publisher-place"] == "Cambridge"
    assert fields["issued"] == {"date-parts": [[2019, 6]]}
    assert fields["collection-title"] == "Theses"
    assert fields["edition"] == "2"


def test_howpublished_url_becomes_the_url() -> None:
    fields = to_csl("misc", {"howpublished": r"\url{https://example.org/a_b}"})[1]
    assert fields["URL"] == "https://example.org/a_b"
    fields = to_csl("misc", {"howpublished": "Online"})[1]
    assert fields["publisher"] == "Online"


def test_the_seed_bibliography(tmp_path: Path) -> None:
    root = Path(__file__).resolve().parents[1]
    refs = load_references([root / "sources/japan-central-asia/references.bib"], log=Log())
    by_key = {r.key: r for r in refs}
    assert set(by_key) == {"afp2025", "mofa2024", "takahashi2023", "buzan2022"}
    assert by_key["mofa2024"].type == "report"
    assert by_key["mofa2024"].fields["author"] == [
        {"literal": "Ministry of Foreign Affairs of Japan"}]
    # English titles are read into sentence case (BibTeX's convention, as pandoc reads them);
    # the proper nouns the .bib protects with braces keep their capitals
    assert by_key["afp2025"].fields["title"] == (
        '<span class="nocase">Japanese</span> <span class="nocase">Prime Minister</span> '
        '<span class="nocase">Sanae Takaichi</span> and <span class="nocase">Kazakhstan’s'
        '</span> <span class="nocase">President</span> exchange partnership statements')
    assert by_key["buzan2022"].fields["author"] == [{"family": "Buzan", "given": "B."}]
