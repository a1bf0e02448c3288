"""Pieces of paper.md and .bib text that fuzzers glue together (hypothesis and atheris).

Random bytes rarely reach past a parser's first check; papers glued from the syntax paperkit
reads (front-matter keys and YAML specials, Markdown blocks and inlines, citations,
cross-references, BibTeX entry parts, LaTeX accents and commands, TeX and XML specials,
scripts and invisible characters) reach every branch while staying random.
"""

from __future__ import annotations

#: Front-matter lines: known keys with good and bad values, unknown keys, YAML syntax
#: (:data:`GOOD_FRONT` holds the ones that are valid on their own).
FRONT = [
    "title: A title\n", "title: 'It''s \\input{x} *em*'\n", "title: [a, b]\n", "title:\n",
    "title: |\n  Two\n  lines\n", "subtitle: Sub\n", "author: Ann\n",
    "author: [Ann, Bob]\n", "author:\n  - name: Ann\n    affiliation: U\n",
    "author:\n  - name: X\n    email: x@y\n    orcid: 0000\n", "author:\n  - affiliation: U\n",
    "author: {name: 1}\n", "date: 2024-01-02\n", "date: 1999\n", "abstract: Short *text*.\n",
    "abstract: |\n  A [@a] b.\n\n  Second.\n", "abstract: >\n  folded\n", "keywords: [a, b]\n",
    "keywords: x\n", "keywords: {a: 1}\n", "lang: en-US\n", "lang: de\n", "lang: ja\n",
    "lang: xx-Bogus\n", "lang: ''\n", "bibliography: refs.bib\n", "bibliography: [refs.bib]\n",
    "bibliography: ../x.bib\n", "bibliography: none.bib\n", "csl: apa\n", "csl: ieee\n",
    "csl: chicago-author-date\n", "csl: nosuch\n", "csl: x.csl\n", "nocite: '@*'\n",
    "nocite: [a, '@b']\n", "template: article\n", "template: nosuch\n",
    "template: ./t\n", "link-citations: false\n", "link-citations: maybe\n",
    "number-sections: false\n", "toc: true\n", "toc: 1\n", "limits: {words: 10}\n",
    "limits:\n  words: {min: 5, max: 3}\n", "limits: {words: {target: 100, tolerance: 10%}}\n",
    "limits: {abstract: 5, notes: 2, sections: {Intro: 3, 'sec:x': 1}}\n",
    "limits: {count: [body, notes]}\n", "limits: {count: [bogus]}\n", "limits: 5\n",
    "limits: {words: -1}\n", "limits: {words: 1,500}\n", "titel: typo\n", "words: 5\n",
    "a: &a [x, y]\n", "b: *a\n", "title: *nope\n", "? complex\n", "title: !!binary aGk=\n",
    "title: !!python/name:os.system\n", "- list\n", "{\n", "'\n", '"\n', ": x\n", "\t\n",
    "title: T\ntitle: U\n", "%YAML 1.1\n", "...\n", "  indented: 1\n", "title: \"\\u0000\"\n",
]

#: Markdown block starts (each ends where a line would).
BLOCKS = [
    "# ", "## ", "### ", "#### ", "####### ", "- ", "* ", "+ ", "1. ", "2) ", "> ", "    ",
    "```\n", "```python\n", "~~~\n", "$$\n", "$$", "| a | b |\n|---|:--:|\n| ", "|---|\n",
    "Table: ", ": ", "[^1]: ", "[^n]: ", "[^1]:\n    ", "---\n", "***\n", "___\n", "\n",
    "\n\n", "  ", "   - ", "      1. ", "<div>\n", "<!-- ", " -->", "<table>", "\\\n",
    "[x]: https://e.org\n", "Term\n: Def\n",
]

#: Markdown inlines, citations, references and hostile characters.
INLINES = [
    "word ", "Word. ", "*", "**", "_", "__", "`", "``", "[", "]", "(", ")", "![", "![cap](",
    "](fig.png)", "](missing.png)", "](https://e.org/x.png)", "](../up.png)", "(https://e.org)",
    "(#sec:x)", "{#sec:x}", "{#fig:y}", "{#tbl:z}", "{#sec:x .unnumbered}", "{-}",
    "{.class key=val}", "{width=50%}", "{#", "@a", "@b", "@a2020", "@{odd key}", "[@a]",
    "[-@a]", "[@a; @b]", "[see @a, p. 3; also @b, chap. 2]", "[@a, pp. 3-5]", "[@nosuch]",
    "@sec:x", "@sec:none", "@fig:y", "@tbl:z", "@fig:", "[^1]", "[^n]", "[^none]", "^[inline]",
    "$x^2$", "$\\frac{a}{b}$", "$\\input{x}$", "$", "\\$", "\\", "\\*", "<", ">", "&", "&amp;",
    "&#0;", "&#x1F600;", "<b>", "</b>", "<br>", "<img src=x>", "<https://e.org/a?b=c&d>",
    "<mail@e.org>", "{", "}", "%", "#", "~", "^", "^^5c", "^sup^", "~sub~", "\\input{x}",
    "\\write18{x}", "\\def\\x{}", "|", "\t", " ", "  \n", "\n", "Ünïcödé ", "日本語", "한국어",
    "Ελληνικά ", "русский ", "עברית", "العربية", "हिन्दी", "\u200b", "\u200d", "\u202e",
    "\u00ad", "\ufeff", "\u2028", "😀", "👩\u200d💻", "e\u0301", "--", "---", "...", "'", '"',
    "\u00a0", "1.", "-", "+", "=", "!", "?", ":", ";", ",", "http://", "www.e.org",
]

#: BibTeX pieces: entry heads, keys, field names, values, LaTeX in values.
BIB = [
    "@article{", "@book{", "@inproceedings{", "@incollection{", "@misc{", "@online{",
    "@phdthesis{", "@techreport{", "@thesis{", "@report{", "@unknowntype{", "@string{",
    "@comment{", "@preamble{", "@misc(", "@", "a,", "b,", "a2020,", "odd:key/1,", "ü,", ",",
    "\n", " ", "}", "{", ")", '"', "#", "=", " = ", "author = {", "editor = {", "title = {",
    "journal = {", "journaltitle = {", "booktitle = {", "publisher = {", "year = ",
    "date = {", "month = ", "pages = {", "volume = ", "number = ", "doi = {", "url = {",
    "note = {", "crossref = {", "xdata = {", "edition = {", "eprint = {", "eprinttype = {",
    "and ", "and others", "Doe, John", "Doe, Jr., John", "van der Berg, Jan", "{Barnes and Noble}",
    "John Doe", "J.~R.~R. Tolkien", "2020", "2020/2021", "2020-01-02", "1999--2000", "--", "---",
    "jan", "feb", "{\\\"o}", "{\\'e}", "\\'{e}", "{\\ss}", "\\textbf{x}", "\\emph{x}",
    "{NATO}", "\\url{https://e.org}", "\\href{a}{b}", "$x^2$", "$", "\\", "\\input", "\\input{x}",
    "\\write18{x}", "\\def", "~", "%", "&", "\\&", "_", "^", "^^5c", "\\c{c}", "\\v{s}",
    "{\\i}", "\\noopsort{a}", "Ünïcödé", "日本語", "\u202e", "x # y", "pre # \"q\" # {b}",
    "\\verb", "\\verb|x|", "\\url", "\\emph", "\\href{", "\\textbf", "\\mbox{", "{\\sc x}",
    "\\'", "\\\"", "\\c", "{\\\"{\\i}}", "\\`", "\\^", "\\~", "\\=", "\\.", "\\u", "\\H",
]

_BAD = ("title: [a, b]\n", "title:\n", "author:\n  - affiliation: U\n", "author: {name: 1}\n",
        "keywords: {a: 1}\n", "lang: ''\n", "bibliography: ../x.bib\n", "bibliography: none.bib\n",
        "csl: nosuch\n", "csl: x.csl\n", "template: nosuch\n", "template: ./t\n",
        "link-citations: maybe\n", "toc: 1\n", "limits:\n  words: {min: 5, max: 3}\n",
        "limits: {count: [bogus]}\n", "limits: 5\n", "limits: {words: -1}\n", "titel: typo\n",
        "words: 5\n", "a: &a [x, y]\n", "b: *a\n", "title: *nope\n", "? complex\n",
        "title: !!binary aGk=\n", "title: !!python/name:os.system\n", "- list\n", "{\n",
        "'\n", '"\n', ": x\n", "\t\n", "title: T\ntitle: U\n", "%YAML 1.1\n", "...\n",
        "  indented: 1\n", 'title: "\\u0000"\n', "limits: {words: 1,500}\n")
#: Front-matter lines that are valid on their own (duplicates aside).
GOOD_FRONT = [line for line in FRONT if line not in _BAD]
