"""What the command line prints: diagnostics like a compiler's, in colour on a terminal.

A diagnostic is one line, ``paper.md:12:5: warning PK203: ...``, the shape editors and CI
problem matchers read. Below it, like gcc and rustc, comes the source line with a caret
under the column; by default only on a terminal (``--show-source auto``), because piped
stderr keeps the one-line-per-finding contract scripts and tests rely on. Colour comes
from rich and follows ``--color`` (``auto``: a terminal, and ``NO_COLOR`` unset).
"""

from __future__ import annotations

import json
import os
import unicodedata
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, TextIO

from ..diagnostics import Diagnostic, sort_key

if TYPE_CHECKING:
    from rich.console import Console as RichConsole

__all__ = ["Console", "use_color", "caret_lines", "diagnostics_document", "is_terminal"]

#: The styles of the parts of a diagnostic (rich style names).
_STYLES = {"error": "bold red", "warning": "bold magenta", "location": "bold",
           "code": "dim", "gutter": "bold blue", "caret": "bold green"}


class Text:
    """Text made of styled runs; turned into rich's Text only when it is printed through
    rich (colour or a progress bar), so plain runs never import rich (~35 ms)."""

    def __init__(self, text: str = "", style: str = "") -> None:
        self.runs: list[tuple[str, str]] = []
        if text:
            self.append(text, style)

    def append(self, text: str, style: str = "") -> None:
        """Add `text` in rich style `style` ("" for none)."""
        self.runs.append((text, style))

    @property
    def plain(self) -> str:
        """Return the text without styles."""
        return "".join(text for text, _ in self.runs)

    def to_rich(self) -> object:
        """Return the same text as a rich ``Text``."""
        from rich.text import Text as RichText
        rich = RichText()
        for text, style in self.runs:
            rich.append(text, style=style or None)
        return rich


def is_terminal(stream: TextIO) -> bool:
    """Return whether `stream` is an interactive terminal."""
    try:
        return stream.isatty()
    except (AttributeError, ValueError, OSError):
        return False


def use_color(choice: str, stream: TextIO) -> bool:
    """Return whether to colour `stream` for ``--color`` `choice` (auto, always, never).

    ``always`` and ``never`` win over the environment; ``auto`` colours a terminal unless
    ``NO_COLOR`` is set to anything non-empty (https://no-color.org).
    """
    if choice == "always":
        return True
    if choice == "never":
        return False
    return is_terminal(stream) and not os.environ.get("NO_COLOR")


def _cells(text: str) -> str:
    """Return blanks as wide on screen as `text` (tabs kept, wide CJK characters doubled)."""
    return "".join("\t" if ch == "\t" else
                   "  " if unicodedata.east_asian_width(ch) in "WF" else
                   "" if unicodedata.combining(ch) else " " for ch in text)


def caret_lines(source: str, line: int, column: int) -> tuple[str, str, str]:
    """Return (gutter, the source line, the caret line) for `line`:`column` of `source`."""
    lines = source.split("\n")
    text = lines[line - 1].rstrip("\r")
    column = max(1, min(column, len(text) + 1))
    gutter = f"{line:>5} | "
    return gutter, text, " " * (len(gutter) - 2) + "| " + _cells(text[:column - 1]) + "^"


@dataclass
class Console:
    """The two output streams and how to write to them (colour, source snippets)."""

    out: TextIO
    err: TextIO
    color: bool = False
    show_source: bool = False
    #: a progress bar is on stderr: write through rich so lines appear above it
    live: bool = False
    _sources: dict[str, str | None] = field(default_factory=dict)
    _rich: RichConsole | None = None

    @classmethod
    def make(cls, out: TextIO, err: TextIO, color: str = "auto",
             show_source: str = "auto") -> Console:
        """Return a console for `out` and `err`, deciding colour and snippets for `err`."""
        snippets = show_source == "always" or (show_source == "auto" and is_terminal(err))
        return cls(out, err, use_color(color, err), snippets)

    @property
    def rich(self) -> RichConsole:
        """Return the rich console on stderr (progress bars, coloured diagnostics)."""
        if self._rich is None:
            from rich.console import Console as RichConsole
            self._rich = RichConsole(file=self.err, force_terminal=self.color or None,
                                     no_color=not self.color, highlight=False,
                                     soft_wrap=True, emoji=False, markup=False)
        return self._rich

    def print(self, line: str) -> None:
        """Write `line` to stdout."""
        self.out.write(line + "\n")
        self.out.flush()

    def error(self, message: str) -> None:
        """Write the one-line error `message` to stderr."""
        self.emit(Text(message, style=_STYLES["error"] if self.color else ""))

    def note(self, message: str) -> None:
        """Write the one-line remark `message` to stderr (dim when colouring)."""
        self.emit(Text(message, style="dim" if self.color else ""))

    def emit(self, text: Text) -> None:
        """Write `text` (one or more lines) to stderr, styled when colouring."""
        if self.color or self.live:
            self.rich.print(text.to_rich())
        else:
            self.err.write(text.plain + "\n")
        self.err.flush()

    def diagnostics(self, diags: list[Diagnostic] | tuple[Diagnostic, ...]) -> None:
        """Write `diags` to stderr ordered by position, each with its source line if asked."""
        for diag in sorted(diags, key=sort_key):
            self.emit(self.render(diag))

    def render(self, diag: Diagnostic) -> Text:
        """Return `diag` as styled text: the compiler-style line, then the snippet."""
        text = Text()
        text.append(f"{diag.location()}:", style=_STYLES["location"])
        text.append(" ")
        text.append(diag.severity, style=_STYLES[diag.severity])
        text.append(f" {diag.code}", style=_STYLES["code"])
        text.append(f": {diag.message}")
        snippet = self._snippet(diag) if self.show_source else None
        if snippet is not None:
            gutter, line, caret = snippet
            text.append("\n")
            text.append(gutter, style=_STYLES["gutter"])
            text.append(line)
            text.append("\n")
            bar = caret.index("|") + 1
            text.append(caret[:bar], style=_STYLES["gutter"])
            text.append(caret[bar:], style=_STYLES["caret"])
        return text

    def _snippet(self, diag: Diagnostic) -> tuple[str, str, str] | None:
        pos = diag.pos
        if pos is None or pos.line <= 0:
            return None
        if pos.file not in self._sources:
            try:
                with open(pos.file, encoding="utf-8-sig", newline="") as handle:
                    self._sources[pos.file] = handle.read().replace("\r\n", "\n")
            except (OSError, UnicodeDecodeError):
                self._sources[pos.file] = None
        source = self._sources[pos.file]
        if source is None or pos.line > source.count("\n") + 1:
            return None
        return caret_lines(source, pos.line, pos.column)


def diagnostics_document(papers: list[dict[str, object]], diagnostics: list[Diagnostic],
                         exit_status: int) -> str:
    """Return the ``--format json`` document: every diagnostic, a summary per paper, the
    exit status."""
    return json.dumps({
        "exit_code": exit_status,
        "papers": papers,
        "diagnostics": [d.to_dict() for d in sorted(diagnostics, key=sort_key)],
    }, indent=2, ensure_ascii=False)
