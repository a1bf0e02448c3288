"""paperkit: build a structured paper into Word, PDF and LaTeX from one source.

Typical use::

    import paperkit

    paper = paperkit.load("sources/japan-central-asia")     # paper.md + references.bib
    report = paperkit.check(paper)                           # word counts, citation problems
    result = paperkit.build(paper, formats=("pdf", "docx", "tex"), out="build")

A paper can also be made in code::

    from paperkit import Paper, Section, Paragraph
    paper = Paper(title="Notes", sections=[Section("Introduction", blocks=[Paragraph("Hi.")])])
    paperkit.build(paper, out="build")
"""

from __future__ import annotations

from .bibliography import parse_bibtex
from .diagnostics import Diagnostic
from .errors import InputError, PaperkitError, TemplateError, WriterError
from .model import (Author, BibEntry, Block, BlockQuote, BulletList, Cite, CiteItem, Code,
                    CodeBlock, Emph, Figure, Inline, LineBreak, Limits, Link, Math, MathBlock,
                    Note, OrderedList, Paper, Paragraph, Pos, Ref, Reference, Section,
                    SmallCaps, Strong, Subscript, Superscript, Table, Text, ThematicBreak,
                    WordLimit)
from .options import BuildOptions
from .pipeline import BuildResult, Report, build, check, count
from .readers import load, loads
from .templates import Template, load_template

__version__ = "0.1.0"

__all__ = [
    "load", "loads", "check", "count", "build", "parse_bibtex", "load_template",
    "Report", "BuildResult", "BuildOptions", "Diagnostic", "Template",
    "PaperkitError", "InputError", "TemplateError", "WriterError",
    "Paper", "Section", "Author", "Limits", "WordLimit", "Reference", "BibEntry", "Pos",
    "Block", "Paragraph", "BulletList", "OrderedList", "BlockQuote", "Table", "Figure",
    "CodeBlock", "MathBlock", "ThematicBreak",
    "Inline", "Text", "Emph", "Strong", "SmallCaps", "Superscript", "Subscript", "Code",
    "Link", "Math", "LineBreak", "Cite", "CiteItem", "Note", "Ref",
    "__version__",
]
