"""A resolved Paper made in code that holds every model element: writers' test input."""

from __future__ import annotations

import base64
from pathlib import Path

from paperkit.model import (Author, BibEntry, BlockQuote, BulletList, Cite, CiteItem, Code,
                            CodeBlock, Emph, Figure, LineBreak, Link, Math, MathBlock, Note,
                            OrderedList, Paper, Paragraph, Ref, Section, SmallCaps, Strong,
                            Subscript, Superscript, Table, Text, ThematicBreak)

# A 40x30 red PNG, so figures need no file on disk.
PNG = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAACgAAAAeCAIAAADRv8uKAAAALElEQVR4nO3NMQEAAAQAMKTRP4VY"
    "Kvg8W4HldMeHelnFYrFYLBaLxWKxWHyyOVEBVAxZuC4AAAAASUVORK5CYII="
)


def sample_paper(source_dir: Path | str = ".") -> Paper:
    """Return a resolved paper (numbers, citations and reference list filled in)."""
    buzan = Cite([CiteItem("buzan2022")], "[@buzan2022]",
                 rendered=[Text("("), Link([Text("Buzan, 2022")], "#ref-buzan2022"),
                           Text(")")])
    narrative = Cite([CiteItem("takahashi2023", mode="author-in-text")], "@takahashi2023",
                     rendered=[Link([Text("Takahashi (2023)")], "#ref-takahashi2023")])
    missing = Cite([CiteItem("nosuchkey")], "[@nosuchkey]", rendered=[Text("[?nosuchkey]")])
    intro = Section(
        [Text("Introduction")], 1, number="1", label="sec:intro",
        blocks=[
            Paragraph([Text("Plain, "), Emph([Text("emphasis")]), Text(", "),
                       Strong([Text("strong")]), Text(", "), Code("code & <tags>"),
                       Text(", a "), Link([Text("link")], "https://example.org/?a=1&b=2"),
                       Text(" and special characters: # $ % & ~ _ ^ \\ { } < > \" '. "),
                       Text("Unicode: Überprüfung, Ελληνικά, Кириллица, 日本語. "),
                       Text("A citation "), buzan, Text(", a narrative one by "), narrative,
                       Text(", an unresolved one "), missing, Text("."),
                       Note([Paragraph([Text("A footnote with "), Emph([Text("emphasis")]),
                                        Text(" and a citation "), buzan, Text(".")])]),
                       Text(" See "), Ref("sec:method", "2"), Text(", "),
                       Ref("fig:map", "1"), Text(" and "), Ref("tbl:trade", "1"),
                       Text(". Inline math "), Math("E = mc^2"), Text(", H"),
                       Subscript([Text("2")]), Text("O, x"), Superscript([Text("2")]),
                       Text(", "), SmallCaps([Text("Small Caps")]), LineBreak(),
                       Text("after a line break.")]),
            BulletList([[Paragraph("First bullet")],
                        [Paragraph("Second bullet"),
                         BulletList([[Paragraph("Nested bullet")]])]]),
            OrderedList([[Paragraph("First step")], [Paragraph("Second step"),
                         OrderedList([[Paragraph("Nested step")]])]], start=1),
            BlockQuote([Paragraph("A quoted paragraph.")]),
        ],
        subsections=[Section([Text("Background")], 2, number="1.1", label="sec:background",
                             blocks=[Paragraph("Text of a subsection.")],
                             subsections=[Section([Text("Detail")], 3, number="1.1.1",
                                                  label="sec:detail",
                                                  blocks=[Paragraph("Level three.")])])])
    method = Section(
        [Text("Method")], 1, number="2", label="sec:method",
        blocks=[
            Table([[Text("Country")], [Text("Trade")], [Text("Share")]],
                  [[[Text("Kazakhstan")], [Text("1,200")], [Text("40%")]],
                   [[Text("Uzbekistan")], [Text("800")], [Text("27%")]]],
                  ["left", "right", "center"], [Text("Trade with Japan")],
                  label="tbl:trade", number=1),
            Figure("map.png", [Text("A map of the region")], alt="map", label="fig:map",
                   number=1, data=PNG),
            CodeBlock("def f(x):\n    return x & 1  # {braces} \\backslash", "python"),
            MathBlock(r"\int_0^1 x^2 \, dx = \frac{1}{3}"),
            ThematicBreak(),
            Paragraph("After the break."),
        ])
    unnumbered = Section([Text("Acknowledgements")], 1, numbered=False, label="sec:ack",
                         blocks=[Paragraph("Thanks.")])
    return Paper(
        title=[Text("Japan’s Strategic Expansion in Central Asia: The First Summit")],
        subtitle=[Text("A Test Paper")],
        authors=[Author("Ada Lovelace", "University of London", "ada@example.org"),
                 Author("Sei Shōnagon", "Kyoto University")],
        date="2025-12-20",
        abstract=[Paragraph([Text("This abstract has "), Emph([Text("emphasis")]),
                             Text(".")])],
        keywords=["Japan", "Central Asia", "diplomacy"],
        sections=[intro, method, unnumbered],
        bibliography=[
            BibEntry("buzan2022", [Text("Buzan, B. (2022). "),
                                   Emph([Text("Security and development in Central Asia")]),
                                   Text(". Routledge.")]),
            BibEntry("takahashi2023", [Text("Takahashi, M. (2023). "),
                                       Emph([Text("East Asia and Central Asia")]),
                                       Text(". Springer. "),
                                       Link([Text("https://doi.org/10.1000/xyz")],
                                            "https://doi.org/10.1000/xyz")]),
        ],
        source_dir=str(source_dir),
        name="sample",
    )
