"""``paperkit.toml``: defaults for every paper under a folder, like Quarto's project file.

The file is found by walking up from a paper's folder; the first one wins. It sets what
:class:`~paperkit.options.BuildOptions` holds plus the output folder and the number of
jobs. A paper's front matter overrides it (``template``, ``csl``, ``latex-citations``),
and command-line flags override both. Relative paths in it are relative to its folder::

    out = "build"
    template = "article"
    csl = "apa"
    formats = ["pdf", "docx"]
    strict = true
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..options import FORMATS
from ..yaml_source import did_you_mean

__all__ = ["PROJECT_FILE", "KEYS", "Project", "ProjectError", "find_project", "load_project"]

PROJECT_FILE = "paperkit.toml"

#: Every key the project file takes, with what it takes.
KEYS: dict[str, str] = {
    "out": "the output folder (each paper goes to <out>/<paper>/)",
    "template": "a template name or folder",
    "csl": "a citation style name or .csl file",
    "formats": "a list (or comma-separated string) of pdf, docx, tex",
    "strict": "true or false: any finding fails and nothing is written",
    "latex-citations": "rendered or biblatex",
    "compile": "true or false: also run the TeX engine on paper.tex",
    "engine": "pdflatex, xelatex or lualatex",
    "allow-outside": "a list of folders papers may read files from",
    "jobs": "how many papers to build at once (a positive integer)",
}

_CHOICES = {"latex-citations": ("rendered", "biblatex"),
            "engine": ("pdflatex", "xelatex", "lualatex")}


class ProjectError(Exception):
    """A project file that cannot be read or holds a key or value paperkit does not take."""


@dataclass(frozen=True, slots=True)
class Project:
    """The settings of one ``paperkit.toml`` (paths made absolute against its folder)."""

    file: Path
    values: dict[str, Any] = field(default_factory=dict)

    @property
    def root(self) -> Path:
        """Return the folder holding the project file."""
        return self.file.parent

    def get(self, key: str) -> Any:
        """Return the value of `key`, or None when the file does not set it."""
        return self.values.get(key)


def find_project(start: Path) -> Project | None:
    """Return the project file nearest above `start` (a folder or a file), or None."""
    folder = start.resolve()
    if not folder.is_dir():
        folder = folder.parent
    for candidate in (folder, *folder.parents):
        file = candidate / PROJECT_FILE
        if file.is_file():
            return load_project(file)
    return None


def _line_of(text: str, key: str) -> int:
    """Return the 1-based line where `key` is assigned in `text` (1 when not found)."""
    pattern = re.compile(rf"""^\s*(?:{re.escape(key)}|"{re.escape(key)}"|'{re.escape(key)}')"""
                         rf"""\s*(?:=|\]|\.)|^\s*\[+\s*{re.escape(key)}\s*\]""")
    for number, line in enumerate(text.splitlines(), 1):
        if pattern.search(line):
            return number
    return 1


def _shown(file: Path) -> str:
    """Return `file` relative to the working directory when it lies below it."""
    try:
        rel = os.path.relpath(file)
    except ValueError:
        return str(file)
    return str(file) if rel.startswith("..") else rel


def load_project(file: Path) -> Project:
    """Return the validated project file `file`; raise :class:`ProjectError` saying where."""
    import tomllib  # here: only a folder with a project file needs it (~6 ms of start-up)
    try:
        text = file.read_text(encoding="utf-8")
        data = tomllib.loads(text)
    except OSError as exc:
        raise ProjectError(f"{_shown(file)}: error: cannot read the project file: "
                           f"{exc.strerror or exc}") from None
    except UnicodeDecodeError:
        raise ProjectError(f"{_shown(file)}: error: the project file is not UTF-8; save it as UTF-8") from None
    except tomllib.TOMLDecodeError as exc:
        found = re.search(r"\(at line (\d+), column (\d+)\)", str(exc))
        message = re.sub(r"\s*\(at line \d+, column \d+\)", "", str(exc))
        place = f"{_shown(file)}:{found.group(1)}:{found.group(2)}" if found else _shown(file)
        raise ProjectError(f"{place}: error: not valid TOML: {message}") from None
    values: dict[str, Any] = {}
    for key, value in data.items():
        where = f"{_shown(file)}:{_line_of(text, key)}"
        if key not in KEYS:
            alias = key.replace("_", "-")
            hint = f" (did you mean '{alias}'?)" if alias in KEYS else did_you_mean(key, list(KEYS))
            raise ProjectError(f"{where}: error: unknown key '{key}' in {PROJECT_FILE}"
                               f"{hint or '; known keys: ' + ', '.join(KEYS)}")
        values[key] = _value(key, value, file.parent, where)
    return Project(file, values)


def _value(key: str, value: Any, root: Path, where: str) -> Any:
    """Return `value` of `key` checked and normalised; raise ProjectError at `where`."""
    def bad(what: str) -> ProjectError:
        return ProjectError(f"{where}: error: '{key}' must be {what}")

    match key:
        case "strict" | "compile":
            if not isinstance(value, bool):
                raise bad("true or false")
            return value
        case "jobs":
            if isinstance(value, bool) or not isinstance(value, int) or value < 1:
                raise bad("a positive integer")
            return value
        case "formats":
            names = value.split(",") if isinstance(value, str) else value
            if not isinstance(names, list) or not all(isinstance(n, str) for n in names):
                raise bad("a list of formats such as [\"pdf\", \"docx\"]")
            aliases = {"latex": "tex", "word": "docx"}
            cleaned = [aliases.get(n.strip().lower(), n.strip().lower()) for n in names]
            unknown = [n for n in cleaned if n not in FORMATS]
            if unknown or not cleaned:
                raise bad(f"a list of {', '.join(FORMATS)} (not '{unknown[0] if unknown else ''}')")
            return tuple(dict.fromkeys(cleaned))
        case "allow-outside":
            if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
                raise bad("a list of folders")
            return tuple(str(root / v) for v in value)
        case "out":
            if not isinstance(value, str) or not value:
                raise bad("a folder name")
            return str(root / value)
        case "template" | "csl":
            if not isinstance(value, str) or not value:
                raise bad(KEYS[key])
            looks_like_path = "/" in value or value.startswith(".") or value.endswith(".csl")
            return str(root / value) if looks_like_path else value
        case "latex-citations" | "engine":
            if value not in _CHOICES[key]:
                raise bad(" or ".join(_CHOICES[key]) +
                          (did_you_mean(str(value), _CHOICES[key]) if isinstance(value, str)
                           else ""))
            return value
        case _:
            raise AssertionError(key)
