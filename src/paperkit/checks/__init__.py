"""Checks: pure functions from a resolved paper to diagnostics.

:data:`CHECKS` runs in order; :func:`run_checks` adds the findings recorded while reading
(an unused footnote, a duplicate BibTeX key) so that one list holds every problem.
"""

from __future__ import annotations

from typing import Callable

from ..diagnostics import Diagnostic
from ..model import Paper
from .citations import check_citations
from .words import check_words

__all__ = ["CHECKS", "run_checks"]

#: The checks, in the order their findings are reported.
CHECKS: list[Callable[[Paper], list[Diagnostic]]] = [check_citations, check_words]


def run_checks(paper: Paper) -> list[Diagnostic]:
    """Return every diagnostic for `paper`: reading findings, then each check's."""
    found: list[Diagnostic] = [d for d in paper.findings if isinstance(d, Diagnostic)]
    for check in CHECKS:
        found.extend(check(paper))
    unique: dict[tuple[object, ...], Diagnostic] = {}
    for diag in found:
        unique.setdefault((diag.code, diag.pos, diag.message), diag)
    return list(unique.values())
