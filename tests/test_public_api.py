"""The public API is exactly what __all__ names, each name resolves and is documented, and
every docstring example of the public modules runs."""

from __future__ import annotations

import subprocess
import sys

import paperkit

PUBLIC = {
    "load", "loads", "check", "count", "build", "write", "parse_bibtex", "load_template",
    "references_from_bibtex", "references_from_csl", "blocks_from_markdown",
    "Report", "BuildResult", "WriteResult", "WordCounts", "BuildOptions", "Diagnostic",
    "Template", "PaperkitError", "InputError", "TemplateError", "WriterError", "UsageError",
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
    code = ("import sys, paperkit; paperkit.Paper; paperkit.write; paperkit.loads; "
            "paperkit.build; paperkit.PaperkitError; paperkit.Table.from_rows([[1]], ['n']); "
            "print(sorted(m for m in ('reportlab', 'docx', 'jinja2', 'citeproc', 'lxml', "
            "'matplotlib', 'PIL') if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True).stdout
    assert out.strip() == "[]"


def test_py_typed_marker_ships():
    from importlib.resources import files

    assert files("paperkit").joinpath("py.typed").is_file()


def test_every_public_name_has_a_docstring():
    import typing

    for name in paperkit.__all__:
        value = getattr(paperkit, name)
        if name == "__version__" or typing.get_origin(value) is typing.Union:
            continue                       # Block and Inline are type aliases
        assert (value.__doc__ or "").strip(), name


def test_public_functions_have_examples():
    for name in ("loads", "build", "write", "references_from_bibtex", "references_from_csl",
                 "blocks_from_markdown"):
        assert ">>>" in getattr(paperkit, name).__doc__, name
    for cls, method in [(paperkit.Table, "from_rows"), (paperkit.Table, "from_records"),
                        (paperkit.Figure, "from_bytes"), (paperkit.Reference, "from_csl")]:
        assert ">>>" in (getattr(cls, method).__doc__ or ""), f"{cls.__name__}.{method}"


def test_errors_form_one_family():
    for name in ("InputError", "TemplateError", "WriterError", "UsageError"):
        error = getattr(paperkit, name)
        assert issubclass(error, paperkit.PaperkitError)
    assert issubclass(paperkit.UsageError, ValueError)     # what build() raised before
    for attribute in ("file", "line", "column", "diagnostic"):
        assert hasattr(paperkit.PaperkitError, attribute) or attribute == "diagnostic"


def test_docstring_examples_run(tmp_path, monkeypatch):
    import doctest
    import importlib

    monkeypatch.chdir(tmp_path)
    for module in ("paperkit.model", "paperkit.errors", "paperkit.api", "paperkit.writing"):
        result = doctest.testmod(importlib.import_module(module),
                                 optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE)
        assert result.failed == 0, module
        assert result.attempted > 0, module
