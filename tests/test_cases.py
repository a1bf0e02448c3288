"""Run every case of tests/cases/**/*.md (see casefile.py); --update-goldens rewrites them."""

from __future__ import annotations

import difflib

import pytest

from casefile import CASES, parse_cases, run_case, update_case

ALL = [case for path in sorted(CASES.rglob("*.md")) for case in parse_cases(path)]


@pytest.mark.parametrize("case", ALL, ids=[c.id for c in ALL])
def test_case(case, tmp_path, monkeypatch, request):
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("NO_COLOR", "1")
    actual = run_case(case, tmp_path)
    if actual != case.expected.rstrip("\n"):
        if request.config.getoption("--update-goldens"):
            update_case(case, actual)
            return
        diff = "\n".join(difflib.unified_diff(
            case.expected.rstrip("\n").split("\n"), actual.split("\n"),
            f"tests/cases/{case.id}", case.command, lineterm=""))
        pytest.fail(diff, pytrace=False)
