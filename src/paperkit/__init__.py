"""paperkit: build a structured paper into Word, PDF and LaTeX from one source.

Typical use::

    import paperkit

    paper = paperkit.load("sources/japan-central-asia")     # paper.md + references.bib
    report = paperkit.check(paper)                           # word counts, citation problems
    result = paperkit.build(paper, formats=("pdf", "docx", "tex"), out="build")

A paper can also be made in code::

    from paperkit import Paper, Section, Paragraph, Table
    paper = Paper(title="Notes", sections=[Section("Introduction", blocks=[
        Paragraph("Hi."), Table.from_rows([["a", 1], ["b", 2]], header=["x", "n"])])])
    paperkit.build(paper, out="build")

The public API is exactly what ``__all__`` names (``docs/api.md`` documents it):

- reading: :func:`load` (a folder or ``.md`` file), :func:`loads` (Markdown text, with
  optional BibTeX text or CSL dicts), :func:`references_from_bibtex`,
  :func:`references_from_csl` (``parse_bibtex`` is the same as ``references_from_bibtex``,
  kept for existing code), :func:`blocks_from_markdown` (prose for a paper made in code),
  :func:`load_template`;
- checking: :func:`check` -> :class:`Report` (with :class:`Diagnostic` items), :func:`count`
  -> :class:`WordCounts`;
- writing: :func:`build` (every format into a folder) -> :class:`BuildResult`, :func:`write`
  (one format to a path or a binary file object) -> :class:`WriteResult`;
  :class:`BuildOptions`, :class:`Template`;
- the model: :class:`Paper`, :class:`Section`, the block and inline classes;
- errors: :class:`PaperkitError` and its subclasses :class:`InputError`,
  :class:`TemplateError`, :class:`WriterError`, :class:`UsageError`, each with ``file``,
  ``line``, ``column`` and ``diagnostic``.

Every other module (``paperkit.pipeline``, ``paperkit.writers`` ...) is internal and may
change without notice.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

# The public names are imported on first use (PEP 562), so `import paperkit` stays cheap and
# reportlab, python-docx and the citation engine load only when a command needs them.
_EXPORTS: dict[str, str] = {
    "load": "readers", "loads": "api", "build": "api",
    "references_from_bibtex": "api", "references_from_csl": "api",
    "blocks_from_markdown": "api",
    "check": "pipeline", "count": "pipeline",
    "Report": "pipeline", "BuildResult": "pipeline",
    "write": "writing", "WriteResult": "writing",
    "WordCounts": "checks.words",
    "load_template": "templates", "Template": "templates",
    "BuildOptions": "options",
    "Diagnostic": "diagnostics",
    "PaperkitError": "errors", "InputError": "errors", "TemplateError": "errors",
    "WriterError": "errors", "UsageError": "errors",
}
_ALIASES: dict[str, tuple[str, str]] = {"parse_bibtex": ("api", "references_from_bibtex")}
_MODEL_NAMES = (
    "Author", "BibEntry", "Block", "BlockQuote", "BulletList", "Cite", "CiteItem", "Code",
    "CodeBlock", "Emph", "Figure", "Inline", "LineBreak", "Limits", "Link", "Math", "MathBlock",
    "Note", "OrderedList", "Paper", "Paragraph", "Pos", "Ref", "Reference", "Section",
    "SmallCaps", "Strong", "Subscript", "Superscript", "Table", "Text", "ThematicBreak",
    "WordLimit",
)
_EXPORTS.update({name: "model" for name in _MODEL_NAMES})

if TYPE_CHECKING:
    from .api import (blocks_from_markdown, build, loads, references_from_bibtex,
                      references_from_csl)
    from .api import references_from_bibtex as parse_bibtex
    from .checks.words import WordCounts
    from .diagnostics import Diagnostic
    from .errors import InputError, PaperkitError, TemplateError, UsageError, WriterError
    from .model import (Author, BibEntry, Block, BlockQuote, BulletList, Cite, CiteItem, Code,
                        CodeBlock, Emph, Figure, Inline, LineBreak, Limits, Link, Math,
                        MathBlock, Note, OrderedList, Paper, Paragraph, Pos, Ref, Reference,
                        Section, SmallCaps, Strong, Subscript, Superscript, Table, Text,
                        ThematicBreak, WordLimit)
    from .options import BuildOptions
    from .pipeline import BuildResult, Report, check, count
    from .readers import load
    from .templates import Template, load_template
    from .writing import WriteResult, write


def __getattr__(name: str) -> Any:
    module, attribute = _ALIASES.get(name) or (_EXPORTS.get(name), name)
    if module is None:
        raise AttributeError(f"module 'paperkit' has no attribute {name!r}")
    from importlib import import_module

    value = getattr(import_module(f".{module}", __name__), attribute)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(__all__)


__version__ = "0.1.0"

__all__ = [
    "load", "loads", "check", "count", "build", "write",
    "references_from_bibtex", "references_from_csl", "parse_bibtex", "load_template",
    "blocks_from_markdown",
    "Report", "BuildResult", "WriteResult", "WordCounts", "BuildOptions", "Diagnostic",
    "Template",
    "PaperkitError", "InputError", "TemplateError", "WriterError", "UsageError",
    "Paper", "Section", "Author", "Limits", "WordLimit", "Reference", "BibEntry", "Pos",
    "Block", "Paragraph", "BulletList", "OrderedList", "BlockQuote", "Table", "Figure",
    "CodeBlock", "MathBlock", "ThematicBreak",
    "Inline", "Text", "Emph", "Strong", "SmallCaps", "Superscript", "Subscript", "Code",
    "Link", "Math", "LineBreak", "Cite", "CiteItem", "Note", "Ref",
    "__version__",
]
