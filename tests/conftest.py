"""Shared test fixtures: real-client tools, the sample paper, temporary builds."""

from __future__ import annotations

import os
import shutil
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))

ROOT = Path(__file__).resolve().parents[1]


def require_tool(name: str) -> str:
    """Return the path of system tool `name`; skip the test when it is missing.

    With ``PAPERKIT_REQUIRE_TOOLS=1`` (as ``.ci/run`` sets) a missing tool fails the test
    instead, so CI can never pass by skipping.
    """
    path = shutil.which(name)
    if path is None:
        message = f"{name} is not installed (apt-get install the package that provides it)"
        if os.environ.get("PAPERKIT_REQUIRE_TOOLS") == "1":
            pytest.fail(f"PAPERKIT_REQUIRE_TOOLS=1 but {message}")
        pytest.skip(message)
    return path


@pytest.fixture
def sample():
    """Return the resolved sample paper that holds every model element."""
    from sample_paper import sample_paper

    return sample_paper()


@pytest.fixture
def article():
    """Return the shipped article template."""
    from paperkit.templates import load_template

    return load_template("article")


def pytest_addoption(parser):
    parser.addoption("--update-goldens", action="store_true",
                     help="rewrite the expected output of failing case files")
