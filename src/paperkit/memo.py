"""What a long-lived process reuses from one build to the next (library use, ``--watch``).

A second build of the same paper should only redo what changed. Kept here, per process:

- parsed bibliography files, keyed by the file's path, size, modification time and a hash
  of its bytes (and the paper's language, which changes how titles are read); the
  diagnostics the first read logged are logged again on every reuse, so a rebuild reports
  exactly what a fresh build reports. A fresh process finds them in the disk cache
  (:mod:`paperkit.reference_cache`);
- loaded templates, keyed by the template folder's real path (papers in different folders
  that use the same template share one load; a paper naming it by another path gets it
  spelled with that path, as a fresh load gives it) and checked before each reuse against
  every file of the template's folders (and those it extends): an edited ``template.yaml``,
  ``latex.tex.j2`` or ``reference.docx``, or a file added or removed there, loads it again.

Compiled CSL styles are cached by :mod:`paperkit.transforms.csl_styles`, and the PDF
writer keeps its fonts and hyphenation dictionaries. Nothing here changes a result: a hit
returns what a fresh read of the same bytes returns. :func:`clear` forgets everything.
"""

from __future__ import annotations

import hashlib
import os
from collections import OrderedDict
from collections.abc import Callable, Iterable
from dataclasses import replace
from pathlib import Path
from typing import TypeVar

from . import reference_cache
from .diagnostics import Diagnostic, Log
from .model import Reference
from .templates import Template, load_template, locate_template

__all__ = ["read_references", "template", "clear", "MAX_ENTRIES"]

#: How many bibliography files and templates each cache keeps (least recently used go).
MAX_ENTRIES = 32

_Key = tuple[object, ...]
_V = TypeVar("_V")

_REFERENCES: OrderedDict[_Key, tuple[list[Reference], list[Diagnostic]]] = OrderedDict()
_TEMPLATES: OrderedDict[_Key, tuple[_Key, Template]] = OrderedDict()

ReferenceReader = Callable[..., Iterable[Reference]]


def clear() -> None:
    """Forget every cached bibliography and template."""
    _REFERENCES.clear()
    _TEMPLATES.clear()


def _remember(cache: OrderedDict[_Key, _V], key: _Key, value: _V) -> None:
    cache[key] = value
    cache.move_to_end(key)
    while len(cache) > MAX_ENTRIES:
        cache.popitem(last=False)


def read_references(reader: ReferenceReader, path: Path, *, log: Log,
                    lang: str) -> list[Reference]:
    """Return ``list(reader(path, log=log, lang=lang))``, reusing an earlier read of the
    same bytes; the diagnostics of that read are logged into `log` again."""
    try:
        stat = path.stat()
        digest = _digest(path)
    except OSError:                       # let the reader report it as it always does
        return list(reader(path, log=log, lang=lang))
    # the working directory too: a diagnostic names a file relative to it
    key: _Key = (str(path), os.path.realpath(path), stat.st_size, stat.st_mtime_ns, digest,
                 lang, getattr(reader, "__module__", ""), getattr(reader, "__qualname__", ""),
                 _working_directory())
    found = _REFERENCES.get(key)
    if found is None:
        # the same bytes read by an earlier process (the disk cache), else read now
        stored = (str(path), *key[5:])
        found = reference_cache.load(stored, digest)
        if found is None:
            own = Log()
            references = list(reader(path, log=own, lang=lang))
            found = (references, list(own.items))
            if _digest(path) == digest:     # not rewritten while it was read: safe to keep
                reference_cache.store(stored, digest, found)
                _remember(_REFERENCES, key, found)
        else:
            _remember(_REFERENCES, key, found)
    else:
        _REFERENCES.move_to_end(key)
    log.extend(list(found[1]))
    return list(found[0])


def _working_directory() -> str:
    try:
        return os.getcwd()
    except OSError:                       # removed under this process
        return ""


def _digest(path: Path) -> bytes:
    return hashlib.blake2b(path.read_bytes(), digest_size=16).digest()


def _fingerprint(folders: Iterable[Path]) -> _Key:
    """Return what identifies the current contents of `folders` (names, sizes, times)."""
    parts: list[object] = []
    for folder in folders:
        try:
            with os.scandir(folder) as entries:
                for entry in sorted(entries, key=lambda e: e.name):
                    stat = entry.stat()
                    parts.append((str(folder), entry.name, stat.st_size, stat.st_mtime_ns))
        except OSError:
            parts.append((str(folder), None))
    return tuple(parts)


def template(name_or_path: str | Path, *, base_dir: Path | None = None) -> Template:
    """Return :func:`~paperkit.templates.load_template`'s template for the same arguments,
    reused while no file of its folders changed."""
    folder = locate_template(name_or_path, base_dir)      # raises PK106 as load_template
    # What load_template reads is determined by the located folder alone: `name_or_path`
    # and `base_dir` only serve to find it. Keying by the paper's folder gave every paper
    # of a batch its own Template (and the writers' per-template caches a miss each time);
    # the real path also joins "a/../tpl" and "b/../tpl", papers beside a shared template.
    key: _Key = (os.path.realpath(folder),)
    found = _TEMPLATES.get(key)
    # the folders as the last load found them (the template and those it extends)
    chain = found[1].search_path if found is not None and found[1].search_path else (folder,)
    before = _fingerprint(chain)
    if found is not None and found[0] == before:
        _TEMPLATES.move_to_end(key)
        return _rerooted(found[1], folder)
    loaded = load_template(name_or_path, base_dir=base_dir)
    if loaded.search_path and tuple(loaded.search_path) != tuple(chain):
        # a new chain (first load, or an edited 'extends'): its files as they are now
        before = _fingerprint(loaded.search_path)
    _remember(_TEMPLATES, key, (before, loaded))
    return loaded


def _rerooted(found: Template, folder: Path) -> Template:
    """Return `found` as :func:`load_template` gives it when it locates the same real folder
    as `folder` (its name, path, chain and files spelled from there, as in messages)."""
    old = found.path
    if old == folder:
        return found

    def move(path: Path) -> Path:
        try:
            return folder / path.relative_to(old)
        except ValueError:                      # outside the folder: an extended template
            return path

    return replace(found, name=folder.name, path=folder,
                   search_path=tuple(move(p) for p in found.search_path),
                   files={name: move(p) for name, p in found.files.items()})
