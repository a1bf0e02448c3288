"""paperkit's cache on disk: results of slow, pure set-up work kept between runs.

Each entry is keyed by what it is computed from, so a stale entry is never used: parsed
bibliography files (:mod:`~paperkit.reference_cache`), math layouts
(:mod:`~paperkit.writers.pdf_mathtext`, which saves matplotlib's import), parsed hyphenation
patterns (:mod:`~paperkit.writers.pdf_styles`), parsed fonts
(:mod:`~paperkit.writers.pdf_font_cache`), parsed YAML (:mod:`~paperkit.yaml_source`:
template.yaml and front matter), prepared Word base documents
(:mod:`~paperkit.writers.docx_base_cache`) and Jinja's compiled LaTeX templates
(:mod:`~paperkit.writers.latex_env`). None changes a byte of any output. The folder is
``$PAPERKIT_CACHE_DIR``, else ``$XDG_CACHE_HOME/paperkit`` or ``~/.cache/paperkit``;
``PAPERKIT_CACHE_DIR=off`` turns the cache off. paperkit's own entries are data (JSON,
marshal of plain values) checked on reading, never code; Jinja's are code, as Python's own
``__pycache__`` is, kept in a private (0700) folder.
"""

from __future__ import annotations

import functools
import os
import tempfile
from pathlib import Path
from typing import Any

__all__ = ["cache_root", "write_atomic", "plain_data", "file_stamp"]


@functools.cache
def cache_root() -> Path | None:
    """Return the cache folder, or None when the cache is off."""
    chosen = os.environ.get("PAPERKIT_CACHE_DIR")
    if chosen == "off":
        return None
    if chosen:
        return Path(chosen)
    return Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "paperkit"


def write_atomic(path: Path, data: bytes) -> None:
    """Store `data` at `path` in one step (readers never see half a file); a cache that
    cannot be written is skipped."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile("wb", dir=path.parent, suffix=".tmp",
                                         delete=False) as handle:
            handle.write(data)
        os.replace(handle.name, path)
    except OSError:
        pass


def plain_data(value: Any, depth: int = 0) -> bool:
    """Return whether `value` is plain data: None, bool, int, float, str, and lists and
    str-keyed dicts of them (what a marshal entry may hold: data, never code)."""
    kind = type(value)
    if value is None or kind in (bool, int, float, str):
        return True
    if depth > 50:
        return False
    if kind is list:
        return all(plain_data(item, depth + 1) for item in value)
    if kind is dict:
        return all(type(k) is str and plain_data(v, depth + 1) for k, v in value.items())
    return False


def file_stamp(path: Path) -> str:
    """Return ``size:mtime_ns`` of `path` ("-" when it cannot be read): part of the key of
    an entry computed by, or from, that file."""
    try:
        found = path.stat()
    except OSError:
        return "-"
    return f"{found.st_size}:{found.st_mtime_ns}"
