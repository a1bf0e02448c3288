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


@pytest.mark.xfail(strict=False, reason="the package is being brought to mypy --strict module "
                                        "by module; the lead removes this mark when all are")
def test_the_package_passes_mypy_strict():
    run = mypy()                      # files = ["src/paperkit"], strict = true
    errors = [line for line in run.stdout.splitlines() if ": error:" in line]
    assert errors == [], f"{len(errors)} errors, first:\n" + "\n".join(errors[:20])
    assert run.returncode == 0, run.stdout[-2000:] + run.stderr[-2000:]


def test_public_api_usage_passes_mypy_strict():
    run = mypy("--strict", "tests/typing_usage.py")
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
