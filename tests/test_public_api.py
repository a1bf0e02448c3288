"""The public API is exactly what __all__ names, and each name resolves."""

from __future__ import annotations

import subprocess
import sys

import paperkit

PUBLIC = {
    "load", "loads", "check", "count", "build", "parse_bibtex", "load_template",
    "Report", "BuildResult", "BuildOptions", "Diagnostic", "Template",
    "PaperkitError", "InputError", "TemplateError", "WriterError",
    "Paper", "Section", "Author", "Limits", "WordLimit", "Reference", "BibEntry", "Pos",
    "Block", "Paragraph", "BulletList", "OrderedList", "BlockQuote", "Table", "Figure",
    "CodeBlock", "MathBlock", "ThematicBreak",
    "Inline", "Text", "Emph", "Strong", "SmallCaps", "Superscript", "Subscript", "Code",
    "Link", "Math", "LineBreak", "Cite", "CiteItem", "Note", "Ref", "__version__",
}


def test_all_is_pinned_and_every_name_resolves():
    assert set(paperkit.__all__) == PUBLIC
    for name in paperkit.__all__:
        assert getattr(paperkit, name) is not None


def test_import_paperkit_loads_no_writer_library():
    code = ("import sys, paperkit; paperkit.Paper; "
            "print(sorted(m for m in ('reportlab', 'docx', 'jinja2', 'citeproc') "
            "if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True).stdout
    assert out.strip() == "[]"


def test_py_typed_marker_ships():
    from importlib.resources import files

    assert files("paperkit").joinpath("py.typed").is_file()
