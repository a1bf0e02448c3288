"""The exit-code table of the README, as a parametrized list of cases."""

from __future__ import annotations

import pytest

from paperkit.diagnostics import CATALOG, Diagnostic, exit_code, writes_outputs

INPUT = Diagnostic.make("PK101", None, detail="x")
UNRESOLVED = Diagnostic.make("PK201", None, key="k")
LIMIT = Diagnostic.make("PK301", None, count="1", detail="x")
WARNING = Diagnostic.make("PK202", None, key="k")

#  finding       build  build --strict  check  check --strict   written by build / strict
TABLE = [
    (INPUT,        2,     2,              2,     2,               False, False),
    (UNRESOLVED,   1,     1,              1,     1,               True, False),
    (LIMIT,        0,     1,              1,     1,               True, False),
    (WARNING,      0,     1,              0,     1,               True, False),
]


@pytest.mark.parametrize("diag, build, build_strict, check, check_strict, written, "
                         "written_strict", TABLE, ids=lambda v: getattr(v, "code", None))
def test_exit_code_table(diag, build, build_strict, check, check_strict, written,
                         written_strict):
    assert exit_code([diag], "build", False) == build
    assert exit_code([diag], "build", True) == build_strict
    assert exit_code([diag], "check", False) == check
    assert exit_code([diag], "check", True) == check_strict
    assert writes_outputs([diag], False) is written
    assert writes_outputs([diag], True) is written_strict


def test_no_findings_exit_zero_and_write():
    assert exit_code([], "build", True) == 0 and writes_outputs([], True)


def test_the_worst_finding_decides():
    assert exit_code([WARNING, LIMIT, UNRESOLVED, INPUT], "check", False) == 2
    assert exit_code([WARNING, LIMIT], "build", False) == 0


def test_catalog_codes_are_well_formed_and_render():
    for code, entry in CATALOG.items():
        assert code == entry.code and code.startswith("PK") and len(code) == 5
        assert entry.kind in ("input", "unresolved", "limit", "warning")
    assert str(UNRESOLVED) == ("paperkit: error PK201: citation key 'k' not found in "
                               "references")
