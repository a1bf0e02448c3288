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

from typing import TYPE_CHECKING, Any

# The public names are imported on first use (PEP 562), so `import paperkit` stays cheap and
# reportlab, python-docx and the citation engine load only when a command needs them.
_EXPORTS: dict[str, str] = {
    "load": "readers", "loads": "readers",
    "check": "pipeline", "count": "pipeline", "build": "pipeline",
    "Report": "pipeline", "BuildResult": "pipeline",
    "parse_bibtex": "bibliography",
    "load_template": "templates", "Template": "templates",
    "BuildOptions": "options",
    "Diagnostic": "diagnostics",
    "PaperkitError": "errors", "InputError": "errors", "TemplateError": "errors",
    "WriterError": "errors",
}
_MODEL_NAMES = (
    "Author", "BibEntry", "Block", "BlockQuote", "BulletList", "Cite", "CiteItem", "Code",
    "CodeBlock", "Emph", "Figure", "Inline", "LineBreak", "Limits", "Link", "Math", "MathBlock",
    "Note", "OrderedList", "Paper", "Paragraph", "Pos", "Ref", "Reference", "Section",
    "SmallCaps", "Strong", "Subscript", "Superscript", "Table", "Text", "ThematicBreak",
    "WordLimit",
)
_EXPORTS.update({name: "model" for name in _MODEL_NAMES})

if TYPE_CHECKING:
    from .bibliography import parse_bibtex
    from .diagnostics import Diagnostic
    from .errors import InputError, PaperkitError, TemplateError, WriterError
    from .model import (Author, BibEntry, Block, BlockQuote, BulletList, Cite, CiteItem, Code,
                        CodeBlock, Emph, Figure, Inline, LineBreak, Limits, Link, Math,
                        MathBlock, Note, OrderedList, Paper, Paragraph, Pos, Ref, Reference,
                        Section, SmallCaps, Strong, Subscript, Superscript, Table, Text,
                        ThematicBreak, WordLimit)
    from .options import BuildOptions
    from .pipeline import BuildResult, Report, build, check, count
    from .readers import load, loads
    from .templates import Template, load_template


def __getattr__(name: str) -> Any:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'paperkit' has no attribute {name!r}")
    from importlib import import_module

    value = getattr(import_module(f".{module}", __name__), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(__all__)


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
