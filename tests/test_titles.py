"""BibTeX titles: LaTeX decoding, sentence case as pandoc reads it, short titles, rich text.

The expected sentence-case strings are pandoc 3.9's reading of the same titles
(``pandoc -f biblatex -t csljson``), rule for rule (see paperkit.bibliography.titles).
"""

from __future__ import annotations

import pytest

from paperkit.bibliography import parse_bibtex
from paperkit.bibliography.latex_text import decode_latex, marked_text
from paperkit.bibliography.titles import read_title, sentence_case
from paperkit.diagnostics import Log


@pytest.mark.parametrize("latex, expected", [
    (r"Regions and Powers: The Structure of International Security",
     "Regions and powers: The structure of international security"),
    (r"Der {\"O}zal Effect", "Der Özal effect"),           # a brace group with a command
    (r"Der \"Ozal Effect", "Der özal effect"),              # no braces: not protected
    (r"{NATO}-Led Operations", "NATO-led operations"),
    (r"Part Two: Beginnings", "Part two: beginnings"),       # the last word after a colon
    (r"``Soft Power'' and Limits", "“Soft power” and limits"),  # quotes are looked through
    (r"“Soft Power” and Limits", "“Soft power” and limits"),
    (r"The {EU}, {NATO}", "The EU, NATO"),
    (r"{S}{\~a}o {P}aulo Report", "São Paulo report"),
    (r"Über Alles Now", "Über alles now"),
    (r"\emph{Homo Sapiens} End", "Homo sapiens end"),          # italics are looked through
    (r"McDonald's Story", "McDonald’s story"),
    (r"O'Brien Again", "O’brien again"),
    (r"Twenty-Two Authors", "Twenty-two authors"),
    (r"The iPhone: Its History", "The iPhone: Its history"),
    (r"Deep Learning. Part Two", "Deep learning. Part two"),
    (r"What? Really Now", "What? Really now"),
    (r"ALL CAPS TITLE", "ALL CAPS TITLE"),
    (r"{van} Gogh Letters", "van gogh letters"),
    (r"ÖSTERREICH Heute", "ÖSTERREICH heute"),
    (r"Éric and Émile", "Éric and émile"),
    (r"Einstein's {Relativity}", "Einstein’s Relativity"),
    (r"A {B}ook", "A Book"),
    (r"Self-Attention GANs", "Self-attention GANs"),
    (r"One/Two Paths", "One/two paths"),
    (r"Before {\relax Ch}ristmas", "Before Christmas"),
    (r"The Rise (and Fall) of Rome", "The rise (and fall) of rome"),
    (r"Start {\em Italic Words} End", "Start Italic Words end"),
    (r"Mid \textsc{Small Caps} End", "Mid Small Caps end"),   # small capitals are kept
    (r"The {\noopsort{a}}Zebra Study", "The zebra study"),
    (r"Title. Second Sentence Here", "Title. Second sentence here"),
    (r"Single", "Single"),
])
def test_sentence_case_as_pandoc_reads_it(latex, expected):
    assert read_title(latex, sentence_case=True).plain() == expected


def test_sentence_case_of_plain_text():
    assert sentence_case("Trade Networks in the Baltic") == "Trade networks in the baltic"


def test_markup_is_csl_json_rich_text():
    title = read_title(r"The Evolution of \emph{Homo sapiens}, H\textsubscript{2}O, "
                       r"x\textsuperscript{2} and \textsc{Small} {NATO} $\alpha$",
                       sentence_case=True)
    assert title.markup() == (
        'The evolution of <i>homo sapiens</i>, h<sub>2</sub>o, x<sup>2</sup> and '
        '<span style="font-variant:small-caps;">Small</span> '
        '<span class="nocase">NATO</span> <span class="nocase">α</span>')


def test_titles_not_in_sentence_case_keep_their_case():
    title = read_title(r"Security in {Central Asia}", sentence_case=False)
    assert title.markup() == 'Security in <span class="nocase">Central Asia</span>'


def test_short_title_is_the_part_before_the_colon():
    title = read_title(r"{EfficientNet}: Rethinking Model Scaling", sentence_case=True)
    assert title.before_colon().markup() == '<span class="nocase">EfficientNet</span>'
    assert read_title("No Colon Here", sentence_case=True).before_colon() is None


def test_subtitles_join_as_pandoc_joins_them():
    main = read_title("Is It Over?", sentence_case=True)
    sub = read_title("The Cold War", sentence_case=True)
    assert main.join(sub, ":").plain() == "Is it over? The cold war"
    assert read_title("Main", sentence_case=True).join(sub, ":").plain() == "Main: The cold war"


def one(text: str, **kwargs):
    [ref] = parse_bibtex(text, file="refs.bib", log=Log(), **kwargs)
    return ref


def test_title_fields_and_journal_titles():
    ref = one(r"""@incollection{k, title = {A Chapter: The Sub}, booktitle = {The Big Book},
        series = {Studies in Things}, journal = {Not Used}}""")
    assert ref.fields["title"] == "A chapter: The sub"
    assert ref.fields["container-title"] == "The big book"     # a book title: sentence case
    assert ref.fields["collection-title"] == "Studies in things"
    assert ref.fields["title-short"] == "A chapter"
    ref = one(r"@article{k, title = {On Things}, journal = {Journal of Things}}")
    assert ref.fields["container-title"] == "Journal of Things"  # journals keep their case


@pytest.mark.parametrize("langid, lang, expected", [
    ("", "en-US", "Über die grenzen"),
    ("langid = {english},", "en-GB", "Über die grenzen"),
    ("langid = {ngerman},", "en-US", "Über die Grenzen"),     # a German title is left alone
    ("hyphenation = {french},", "en-US", "Über die Grenzen"),
    ("", "de-DE", "Über die Grenzen"),                        # so is any title of a German paper
])
def test_sentence_case_only_for_english(langid, lang, expected):
    ref = one(f"@article{{k, {langid} title = {{Über die Grenzen}}}}", lang=lang)
    assert ref.fields["title"] == expected


def test_language_becomes_an_ietf_tag():
    assert one("@book{k, langid = {ngerman}}").fields["language"] == "de-DE"
    assert one("@book{k, langid = {english}, langidopts = {variant=british}}"
               ).fields["language"] == "en-GB"


@pytest.mark.parametrize("latex, text", [
    (r"Kazakhstan's Role", "Kazakhstan’s Role"),          # TeX prints ' as a right quote
    (r"``Soft'' and `Hard'", "“Soft” and ‘Hard’"),
    (r"\enquote{quoted}", "“quoted”"),
    (r"\S 5 and x\,y", "§5 and x\u2009y"),
    (r"$\alpha$-Helix", "α-Helix"),
    (r"\'{e}t\'e \`a \^o", "été à ô"),
])
def test_latex_punctuation(latex, text):
    assert decode_latex(latex) == text


def test_marked_text_keeps_formatting_marks():
    assert marked_text(r"\emph{a}") == "\ue020a\ue021"
    assert decode_latex(r"\emph{a} \textbf{b}") == "a b"
