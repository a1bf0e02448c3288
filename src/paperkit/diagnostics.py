"""Problems as data: the catalog of diagnostic codes, the collector, rendering, exit codes.

Every problem paperkit finds is a :class:`Diagnostic` with a stable code from :data:`CATALOG`,
a severity, a position and a message that says what to fix. Readers, transforms and checks add
them to an explicit :class:`Log`; only the command line turns them into text and exit codes,
through the pure function :func:`exit_code`.

Codes: ``PK1xx`` unreadable or invalid input, ``PK2xx`` citations and bibliography, ``PK3xx``
word limits, ``PK4xx`` structure and cross-references, ``PK5xx`` format-specific problems.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass, field
from typing import Literal

from .model import Pos

__all__ = ["Severity", "Kind", "Code", "CATALOG", "Diagnostic", "Log", "exit_code",
           "render_text", "render_json"]

Severity = Literal["error", "warning"]

#: How a finding affects the exit status (see :func:`exit_code`):
#: ``input`` - unreadable or invalid input, exit 2 and nothing written;
#: ``unresolved`` - a citation or cross-reference that points at nothing, exit 1;
#: ``limit`` - a word limit missed; ``warning`` - everything else worth fixing.
Kind = Literal["input", "unresolved", "limit", "warning"]


@dataclass(frozen=True, slots=True)
class Code:
    """One entry of the catalog: the code, its kind and a message template."""

    code: str
    kind: Kind
    template: str

    @property
    def severity(self) -> Severity:
        """Return ``error`` for input and unresolved findings, else ``warning``."""
        return "error" if self.kind in ("input", "unresolved") else "warning"


CATALOG: dict[str, Code] = {c.code: c for c in [
    Code("PK101", "input", "front matter is not valid YAML: {detail}"),
    Code("PK102", "input", "unknown front-matter key '{key}'{hint}"),
    Code("PK103", "input", "'{key}' {detail}"),
    Code("PK104", "input", "{what} not found: {path}{hint}"),
    Code("PK105", "input", "{detail}"),
    Code("PK106", "input", "unknown template '{name}'{hint}"),
    Code("PK107", "input", "unknown citation style '{name}'{hint}"),
    Code("PK108", "input", "template: {detail}"),
    Code("PK109", "input", "{detail}"),
    Code("PK110", "input", "BibTeX syntax error: {detail}"),
    Code("PK201", "unresolved", "citation key '{key}' not found in references{hint}"),
    Code("PK202", "warning", "reference '{key}' is never cited; cite it or list it in 'nocite'"),
    Code("PK203", "warning", "duplicate reference key '{key}' (first defined at {first}); "
                             "rename one of them"),
    Code("PK204", "warning", "reference '{key}' ({type}) lacks the field '{field}' its type needs"),
    Code("PK205", "warning", "references '{key}' and '{other}' have the same DOI {doi}; "
                             "keep one"),
    Code("PK301", "limit", "main text has {count} words; {detail}"),
    Code("PK302", "limit", "abstract has {count} words; {detail}"),
    Code("PK303", "limit", "section '{section}' has {count} words; {detail}"),
    Code("PK304", "limit", "notes have {count} words; {detail}"),
    Code("PK305", "warning", "limits name section '{section}', which the paper does not have"
                             "{hint}"),
    Code("PK401", "unresolved", "cross-reference '@{label}' points at no section, figure or "
                                "table{hint}"),
    Code("PK402", "unresolved", "label '{label}' is defined twice (first at {first})"),
    Code("PK403", "warning", "footnote '[^{name}]' is defined but never used"),
    Code("PK404", "unresolved", "footnote '[^{name}]' is used but never defined"),
    Code("PK405", "warning", "heading level jumps from {before} to {after}; "
                             "use a level-{expected} heading"),
    Code("PK501", "warning", "{detail}"),
    Code("PK502", "warning", "{detail}"),
    Code("PK503", "unresolved", "{detail}"),
]}


@dataclass(frozen=True, slots=True)
class Diagnostic:
    """A finding: `code` from the catalog, where it is, and a message that says what to fix."""

    code: str
    message: str
    pos: Pos | None = None
    severity: Severity = field(default="error")

    @property
    def kind(self) -> Kind:
        """Return the exit-code kind of this diagnostic's code."""
        return CATALOG[self.code].kind

    @classmethod
    def make(cls, code: str, pos: Pos | None = None, **values: object) -> Diagnostic:
        """Return the diagnostic `code` at `pos`, its message filled from `values`."""
        entry = CATALOG[code]
        values.setdefault("hint", "")
        return cls(code, entry.template.format(**values), pos, entry.severity)

    def location(self) -> str:
        """Return ``file:line:col`` (or just the file, or ``paperkit``) for this finding."""
        if self.pos is None:
            return "paperkit"
        name = _display_path(self.pos.file)
        if self.pos.line <= 0:
            return name
        return f"{name}:{self.pos.line}:{self.pos.column}"

    def __str__(self) -> str:
        return f"{self.location()}: {self.severity} {self.code}: {self.message}"

    def to_dict(self) -> dict[str, object]:
        """Return this diagnostic as a JSON-ready dict."""
        return {
            "file": _display_path(self.pos.file) if self.pos else None,
            "line": self.pos.line if self.pos else None,
            "column": self.pos.column if self.pos else None,
            "severity": self.severity,
            "code": self.code,
            "message": self.message,
        }


def _display_path(path: str) -> str:
    """Return `path` relative to the working directory when it lies below it."""
    if not os.path.isabs(path):
        return path
    try:
        rel = os.path.relpath(path)
    except ValueError:
        return path
    return path if rel.startswith("..") else rel


class Log:
    """An explicit, ordered collector of diagnostics (no global state)."""

    def __init__(self) -> None:
        self.items: list[Diagnostic] = []

    def add(self, code: str, pos: Pos | None = None, **values: object) -> Diagnostic:
        """Record the diagnostic `code` at `pos` and return it."""
        diag = Diagnostic.make(code, pos, **values)
        self.items.append(diag)
        return diag

    def extend(self, diags: list[Diagnostic]) -> None:
        """Record every diagnostic of `diags`."""
        self.items.extend(diags)

    def has_input_errors(self) -> bool:
        """Return whether any finding makes the input unusable."""
        return any(d.kind == "input" for d in self.items)


def exit_code(diagnostics: list[Diagnostic], command: str, strict: bool) -> int:
    """Return the exit status for `command` (``build`` or ``check``) given `diagnostics`.

    The table (README, "Exit codes"): invalid input is 2 everywhere; an unresolved citation or
    cross-reference is 1 everywhere; a missed word limit is 0 for ``build`` and 1 for
    ``build --strict`` and ``check``; other warnings are 1 only under ``--strict``.
    """
    kinds = {d.kind for d in diagnostics}
    if "input" in kinds:
        return 2
    if "unresolved" in kinds:
        return 1
    if "limit" in kinds and (strict or command == "check"):
        return 1
    if "warning" in kinds and strict:
        return 1
    return 0


def writes_outputs(diagnostics: list[Diagnostic], strict: bool) -> bool:
    """Return whether ``build`` may write its outputs (never under a non-zero strict status)."""
    status = exit_code(diagnostics, "build", strict)
    if status == 2:
        return False
    return not (strict and status != 0)


def sort_key(diag: Diagnostic) -> tuple[str, int, int, str]:
    """Return a key ordering diagnostics by file, line, column and code."""
    if diag.pos is None:
        return ("", 0, 0, diag.code)
    return (diag.pos.file, diag.pos.line, diag.pos.column, diag.code)


def render_text(diagnostics: list[Diagnostic]) -> str:
    """Return one line a diagnostic, compiler style, ordered by position."""
    return "".join(f"{d}\n" for d in sorted(diagnostics, key=sort_key))


def render_json(diagnostics: list[Diagnostic]) -> str:
    """Return the diagnostics as a JSON list, ordered by position."""
    return json.dumps([d.to_dict() for d in sorted(diagnostics, key=sort_key)], indent=2,
                      ensure_ascii=False)
