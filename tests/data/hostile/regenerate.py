"""Write the TeX-injection cases of the hostile corpus (tests/data/hostile/tex-*/).

Each ``tex-<attack>/`` folder is a paper whose every text place holds one attack string:
title, subtitle, author name, affiliation and email, date, abstract, keywords, a heading,
body text, emphasis, inline code, a code block, a list item, a quote, a table header and
cell, a figure caption, a footnote, a citation prefix and suffix, a link's text and URL, an
autolink, and every field of seven BibTeX entries (article, book, incollection, phdthesis,
techreport, misc, inproceedings) that are all cited. Run ``python regenerate.py`` after
changing an attack; the other cases of the corpus are written by hand.
"""

from __future__ import annotations

from pathlib import Path

HERE = Path(__file__).parent

#: attack name -> (the string placed in paper.md and front matter, the one placed in .bib
#: fields; BibTeX needs balanced braces, so the .bib variant of an unbalanced attack is a
#: balanced one)
ATTACKS: dict[str, tuple[str, str]] = {
    "tex-input": (
        r"\input{secret.tex} \input{/etc/passwd} \include{secret} "
        r"\InputIfFileExists{secret.tex}{}{}",
        r"\input{secret.tex} \input{/etc/passwd} \InputIfFileExists{secret.tex}{}{}"),
    "tex-write18": (
        r"\write18{touch pwned-write18.txt} \immediate\write18{touch pwned-immediate.txt}",
        r"\write18{touch pwned-write18.txt} \immediate\write18{touch pwned-immediate.txt}"),
    "tex-openout": (
        r"\immediate\openout5=pwned-openout.txt \immediate\write5{x} \immediate\closeout5 "
        r"\newwrite\pw \openout\pw=pwned-newwrite.txt",
        r"\immediate\openout5=pwned-openout.txt \immediate\write5{x} \immediate\closeout5"),
    "tex-catcode": (
        # (no backquote in paper.md: Markdown would pair it with the next one as code)
        r"\catcode 92=12 \catcode 123=1 \catcode 36=11 \makeatletter \input{secret.tex}",
        r"\catcode`\^=12 \catcode 92=12 \catcode 123=1 \makeatletter \input{secret.tex}"),
    "tex-caret": (
        r"^^5cinput{secret.tex} ^^5c^^5c ^^7b ^^M ^^0a \^^5cinput",
        r"^^5cinput{secret.tex} ^^5c^^5c ^^7b ^^M \^^5cinput"),
    "tex-def": (
        r"\def\x{\input{secret.tex}}\x \let\y\input \y{secret.tex} "
        r"\newcommand{\w}{\input{secret.tex}}\w \csname input\endcsname{secret.tex}",
        r"\def\x{\input{secret.tex}}\x \let\y\input \y{secret.tex} "
        r"\csname input\endcsname{secret.tex}"),
    "tex-braces": (
        r"}}}}{ \end{document} \iffalse{ \fi % comment \verb+x+ \begin{verbatim} "
        r"\\ # & _ ~ \input{secret.tex}",
        r"{\end{document}} {\iffalse} {%} \verb+x+ {\begin{verbatim}} # & _ ~ "
        r"\input{secret.tex}"),
}

BIB_ENTRIES = {
    "article": ("art", ["author", "title", "journal", "volume", "number", "pages", "doi",
                        "url", "note", "month", "issn", "abstract", "keywords", "language"]),
    "book": ("bk", ["author", "editor", "title", "subtitle", "publisher", "address",
                    "edition", "series", "isbn", "volume", "note"]),
    "incollection": ("inc", ["author", "title", "booktitle", "editor", "publisher", "pages",
                             "chapter", "address"]),
    "phdthesis": ("th", ["author", "title", "school", "type", "address"]),
    "techreport": ("tr", ["author", "title", "institution", "number", "type"]),
    "misc": ("mi", ["author", "title", "howpublished", "organization", "eprint", "url"]),
    "inproceedings": ("pr", ["author", "title", "booktitle", "organization", "address",
                             "publisher", "editor"]),
}

PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d49484452000000040000000308020000003b963991000000104944415478"
    "9c636870508023069c1c00d1670a8165a607180000000049454e44ae426082")


def yaml_quote(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def paper(name: str, attack: str) -> str:
    q = yaml_quote(attack)
    url = "https://example.org/" + attack.replace(" ", "").replace(">", "").replace("<", "")
    keys = "; ".join(f"@{key}" for key, _ in BIB_ENTRIES.values())
    return f"""---
title: {q}
subtitle: {q}
author:
  - name: {yaml_quote("Ann " + attack)}
    affiliation: {q}
    email: {q}
date: {q}
abstract: {q}
keywords: [{q}, plain]
---
# Heading {attack}

Body {attack} end.

*Emphasis {attack}* and **strong {attack}** and `` code {attack} `` and
[link {attack}](<{url}>) and <{url}>.[^n]

[^n]: Footnote {attack} end.

- Item {attack}

> Quote {attack}

```
Code {attack}
```

| Head {attack} | b |
|---|---|
| Cell {attack} | c |

Table: Caption {attack} {{#tbl:t}}

![Figure {attack}](fig.png){{#fig:f}}

As cited [see {attack} {keys}, suffix {attack}].
"""


def bib(attack: str) -> str:
    out = []
    for kind, (key, fields) in BIB_ENTRIES.items():
        values = []
        for field in fields:
            if field in ("author", "editor"):
                value = f"Field-{field} {attack}, Ann and Zed, Field-{field}2"
            elif field == "doi":
                value = f"10.1000/{attack}"
            else:
                value = f"Field-{field} {attack}"
            values.append(f"  {field} = {{{value}}},")
        values.append("  year = {2020}")
        out.append(f"@{kind}{{{key},\n" + "\n".join(values) + "\n}\n")
    return "\n".join(out)


def main() -> None:
    combined = []
    for name, (text, bib_text) in ATTACKS.items():
        folder = HERE / name
        folder.mkdir(exist_ok=True)
        (folder / "paper.md").write_text(paper(name, text), encoding="utf-8")
        (folder / "references.bib").write_text(bib(bib_text), encoding="utf-8")
        (folder / "fig.png").write_bytes(PNG)
        prefix = name.replace("-", "")
        combined.append(bib(bib_text).replace("{art,", f"{{{prefix}art,")
                        .replace("{bk,", f"{{{prefix}bk,").replace("{inc,", f"{{{prefix}inc,")
                        .replace("{th,", f"{{{prefix}th,").replace("{tr,", f"{{{prefix}tr,")
                        .replace("{mi,", f"{{{prefix}mi,").replace("{pr,", f"{{{prefix}pr,"))
    # every attack's .bib in one paper, for the biblatex mode (biber reads every field)
    folder = HERE / "tex-bib-all"
    folder.mkdir(exist_ok=True)
    (folder / "references.bib").write_text("\n".join(combined), encoding="utf-8")
    (folder / "paper.md").write_text(
        '---\ntitle: Every attack in every BibTeX field\nnocite: "@*"\n---\n'
        "The references below hold the attacks; biblatex mode hands each field to biber.\n",
        encoding="utf-8")


if __name__ == "__main__":
    main()
