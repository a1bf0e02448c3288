"""The paperkit exception family.

::

    PaperkitError            anything paperkit refuses, with the diagnostic that says why
    ├── InputError           a source, bibliography or image that cannot be read or is invalid
    ├── TemplateError        a template that cannot be found, validated or rendered
    ├── WriterError          an output that cannot be produced
    └── UsageError           a call with a value paperkit cannot use (also a ValueError)

Each carries a :class:`~paperkit.diagnostics.Diagnostic`, so ``file``, ``line`` and
``column`` are always at hand and ``str(error)`` is the one-line message the CLI prints::

    >>> import paperkit
    >>> try:
    ...     paperkit.loads("---\\ntitle: T\\ncolour: red\\n---\\nText.\\n", file="x.md")
    ... except paperkit.PaperkitError as error:
    ...     print(type(error).__name__, error.file, error.line, error.column)
    ...     print(error.diagnostic.code)
    InputError x.md 3 1
    PK102
"""

from __future__ import annotations

from typing import Self

from .diagnostics import Diagnostic
from .model import Pos

__all__ = ["PaperkitError", "InputError", "TemplateError", "WriterError", "UsageError"]


class PaperkitError(Exception):
    """Base class: a refusal with a diagnostic (file, line, column, code, message).

    Catch it to handle every problem paperkit refuses to work with (the module docstring
    shows one); ``diagnostics`` holds all that were found when several were.
    """

    def __init__(self, diagnostic: Diagnostic, more: list[Diagnostic] | None = None) -> None:
        super().__init__(str(diagnostic))
        self.diagnostic = diagnostic
        #: every diagnostic known when the error was raised (the first is `diagnostic`)
        self.diagnostics = [diagnostic, *(more or [])]

    @classmethod
    def make(cls, code: str, pos: Pos | None = None, **values: object) -> Self:
        """Return an error of this class carrying the catalog diagnostic `code`."""
        return cls(Diagnostic.make(code, pos, **values))

    def at(self, pos: Pos | None) -> Self:
        """Return this error placed at `pos` when it has no position of its own."""
        if self.diagnostic.pos is not None or pos is None:
            return self
        placed = Diagnostic(self.diagnostic.code, self.diagnostic.message, pos,
                            self.diagnostic.severity)
        return type(self)(placed, self.diagnostics[1:])

    @property
    def file(self) -> str | None:
        """Return the file the problem is in, if known."""
        return self.diagnostic.pos.file if self.diagnostic.pos else None

    @property
    def line(self) -> int | None:
        """Return the 1-based line of the problem, if known."""
        return self.diagnostic.pos.line if self.diagnostic.pos else None

    @property
    def column(self) -> int | None:
        """Return the 1-based column of the problem, if known."""
        return self.diagnostic.pos.column if self.diagnostic.pos else None


class InputError(PaperkitError):
    """A source file, bibliography or image that cannot be read or is invalid."""


class TemplateError(PaperkitError):
    """A template that cannot be found, validated or rendered."""


class WriterError(PaperkitError):
    """An output format that cannot be produced."""


class UsageError(PaperkitError, ValueError):
    """A library call given a value paperkit cannot use: an unknown output format, a file
    object opened in text mode, a TeX engine or LaTeX citation mode that does not exist.
    It is also a :class:`ValueError`, which such calls raised before it existed::

        >>> import paperkit
        >>> try:
        ...     paperkit.build(paperkit.Paper(title="T"), formats=["odt"])
        ... except ValueError as error:
        ...     print(type(error).__name__, error.diagnostic.code)
        UsageError PK109
    """

    @classmethod
    def because(cls, detail: str) -> UsageError:
        """Return the error saying `detail` (what was wrong and what to give instead)."""
        return cls(Diagnostic.make("PK109", None, detail=detail))
