"""Types: the package passes ``mypy --strict`` (pyproject's config), and so does code that
uses the public API as a user would (``tests/typing_usage.py``), which also runs."""

from __future__ import annotations

import subprocess
import sys

import pytest

from conftest import ROOT


def mypy(*args: str) -> subprocess.CompletedProcess[str]:
    """Return mypy's run over `args` from the repository root (pyproject's config)."""
    pytest.importorskip("mypy")
    return subprocess.run([sys.executable, "-m", "mypy", "--no-error-summary", *args],
                          cwd=ROOT, capture_output=True, text=True, timeout=600)


def test_the_package_passes_mypy_strict():
    run = mypy()                      # files = ["src/paperkit"], strict = true
    errors = [line for line in run.stdout.splitlines() if ": error:" in line]
    assert errors == [], f"{len(errors)} errors, first:\n" + "\n".join(errors[:20])
    assert run.returncode == 0, run.stdout[-2000:] + run.stderr[-2000:]


def test_public_api_usage_passes_mypy_strict():
    # the examples are users of the API too
    run = mypy("--strict", "tests/typing_usage.py", "examples/from_data.py", "examples/batch.py")
    assert run.returncode == 0, run.stdout[-3000:] + run.stderr[-2000:]


def test_public_api_modules_pass_mypy_strict():
    owned = ["src/paperkit/__init__.py", "src/paperkit/api.py", "src/paperkit/writing.py",
             "src/paperkit/errors.py", "src/paperkit/model.py"]
    run = mypy("--strict", "--follow-imports=silent", *owned)
    assert run.returncode == 0, run.stdout[-3000:] + run.stderr[-2000:]


def test_typing_usage_runs():
    run = subprocess.run([sys.executable, str(ROOT / "tests" / "typing_usage.py")],
                         capture_output=True, text=True, timeout=300)
    assert run.returncode == 0, run.stdout + run.stderr
    assert "['paper.docx', 'paper.pdf'] True PK109" in run.stdout


def test_typed_constructors_match_the_dataclass_fields():
    """model.py declares, for mypy only, the __init__ of each class that takes a ``str``
    where it holds inlines; each must list the dataclass's own parameters, in order."""
    import ast
    import inspect

    import paperkit.model as model

    tree = ast.parse((ROOT / "src" / "paperkit" / "model.py").read_text())
    declared = {}
    for node in tree.body:
        if not isinstance(node, ast.ClassDef):
            continue
        for statement in node.body:
            if isinstance(statement, ast.If) and ast.unparse(statement.test) == "TYPE_CHECKING":
                init = next(f for f in statement.body if isinstance(f, ast.FunctionDef))
                declared[node.name] = init.args
    assert {"Paper", "Section", "Paragraph", "Table", "Figure", "CiteItem", "Link"} <= \
        set(declared)
    for name, args in declared.items():
        runtime = inspect.signature(getattr(model, name)).parameters.values()
        typed = [(a.arg, "positional") for a in args.args[1:]] + \
            [(a.arg, "keyword") for a in args.kwonlyargs]
        actual = [(p.name, "keyword" if p.kind is p.KEYWORD_ONLY else "positional")
                  for p in runtime]
        assert typed == actual, name
        with_default = {a.arg for a, d in zip(args.args[::-1], args.defaults[::-1])} | \
            {a.arg for a, d in zip(args.kwonlyargs, args.kw_defaults) if d is not None}
        runtime_default = {p.name for p in runtime if p.default is not p.empty}
        assert with_default == runtime_default, name
