"""Parsed TrueType faces kept in the PDF writer's disk cache (:mod:`.pdf_cache`).

reportlab parses a TrueType file's tables (names, metrics, the character map, glyph
offsets) every time a :class:`~reportlab.pdfbase.ttfonts.TTFont` is made: 20-30 ms a face,
so ~80 ms a build for the body and heading families, the largest single cost of a small
paper's PDF. What it extracts is plain data, so it is kept as a marshal of plain values,
keyed by the file's path, size and modification time and reportlab's version, and checked
on reading (types and the exact set of attributes), never code. The font file's bytes are
read again on every load (reportlab subsets from them), so a hit yields the same face a
parse would: :func:`load_ttfont` checks exactly that when it writes an entry, and writes
nothing when the two differ.
"""

from __future__ import annotations

import hashlib
import marshal
import os
from fnmatch import fnmatch
from itertools import chain
from typing import Any
from weakref import WeakKeyDictionary

import reportlab
from reportlab import rl_config
from reportlab.pdfbase import ttfonts
from reportlab.pdfbase.ttfonts import TTEncoding, TTFNameBytes, TTFont, TTFontFace

from .pdf_cache import cache_root, write_atomic

__all__ = ["load_ttfont"]

#: Attributes not stored: the file's bytes (read again) and the scale function (rebuilt).
_SKIPPED = ("_ttf_data", "_pdfScale")
#: The kinds of plain single values.
_SCALARS: set[type] = {int, float, str, bytes, bool, type(None)}
#: Marks a TTFNameBytes (bytes with its decoded text) in a stored entry.
_NAME = "\x00name"


def load_ttfont(name: str, path: str, subfont_index: int = 0) -> TTFont:
    """Return ``TTFont(name, path, subfontIndex=subfont_index)``, its face taken from the disk
    cache when it is there (a CJK fallback font takes ~0.15 s to parse, ~0.01 s to read back).
    """
    entry = _entry_path(path, subfont_index)
    if entry is not None:
        state = _read(entry)
        if state is not None:
            font = _from_state(name, path, state)
            if font is not None:
                return font
    font = TTFont(name, path, subfontIndex=subfont_index)
    if entry is not None:
        state = _to_state(font.face)
        if state is not None:
            again = _from_state(name, path, marshal.loads(marshal.dumps(state)))
            if again is not None and _same_face(again.face, font.face) and \
                    _same_font(again, font):
                write_atomic(entry, marshal.dumps(state))
    return font


def _entry_path(path: str, subfont_index: int = 0) -> Any:
    root = cache_root()
    if root is None:
        return None
    try:
        stat = os.stat(path)
    except OSError:
        return None
    key = f"{os.path.realpath(path)}\0{stat.st_size}\0{stat.st_mtime_ns}\0{reportlab.Version}"
    if subfont_index:
        key += f"\0{subfont_index}"                   # a face of a collection (.ttc)
    digest = hashlib.sha256(key.encode("utf-8", "surrogateescape")).hexdigest()[:24]
    return root / f"ttf-{os.path.basename(path)}-{digest}.marshal"


def _read(entry: Any) -> dict[str, Any] | None:
    try:
        state = marshal.loads(entry.read_bytes())
    except (OSError, EOFError, ValueError, TypeError):
        return None
    if type(state) is not dict or not state or set(map(type, state)) != {str}:
        return None
    return state


def _to_state(face: TTFontFace) -> dict[str, Any] | None:
    """Return `face`'s attributes as plain values, or None if one is of an unexpected kind."""
    state: dict[str, Any] = {}
    for key, value in vars(face).items():
        if key in _SKIPPED:
            continue
        if isinstance(value, TTFNameBytes):
            state[key] = (_NAME, bytes(value), value.ustr)
        elif _plain(value):
            state[key] = value
        else:
            return None
    return state


def _plain(value: Any, depth: int = 0) -> bool:
    """Return whether `value` is made only of None, bool, int, float, str, bytes, and
    (to a small depth) tuples, lists and dicts of them."""
    kind = type(value)
    if value is None or kind in (bool, int, float, str, bytes):
        return True
    if depth > 3:
        return False
    if kind in (tuple, list):
        kinds = set(map(type, value))
        if kinds <= _SCALARS:
            return True
        if kinds == {tuple}:
            # hmetrics: thousands of (advance, left side bearing) pairs, checked in C
            inner = set(map(type, chain.from_iterable(value)))
            if inner <= _SCALARS:
                return True
        return all(_plain(v, depth + 1) for v in value)
    if kind is dict:
        keys = set(map(type, value))
        if not keys <= {int, str}:
            return False
        kinds = set(map(type, value.values()))
        if kinds <= {int, float, str}:
            return True
        if kinds <= {list, tuple}:
            # glyphToChar: thousands of glyph -> [code points] lists, checked in C
            inner = set(map(type, chain.from_iterable(value.values())))
            if inner <= _SCALARS:
                return True
        return all(_plain(v, depth + 1) for v in value.values())
    return False


def _from_state(name: str, path: str, state: dict[str, Any]) -> TTFont | None:
    """Return the font `name` built from a stored `state` and the file's bytes, or None
    when the entry does not look like a face this reportlab makes."""
    for key, value in list(state.items()):
        if type(value) is tuple and len(value) == 3 and value[0] == _NAME:
            if type(value[1]) is not bytes or type(value[2]) is not str:
                return None
            named = TTFNameBytes(value[1])
            named.ustr = value[2]
            state[key] = named
        elif not _plain(value):
            return None
    needed = {"charToGlyph", "charWidths", "glyphPos", "hmetrics", "table", "tables",
              "unitsPerEm", "name", "filename"}
    if not needed <= set(state) or type(state["unitsPerEm"]) is not int or \
            state["unitsPerEm"] <= 0 or type(state["table"]) is not dict:
        return None
    try:
        with open(path, "rb") as handle:
            data = handle.read()
    except OSError:
        return None
    face = TTFontFace.__new__(TTFontFace)
    face.__dict__.update(state)
    face._ttf_data = data
    units = state["unitsPerEm"]
    # as reportlab's TTFontFile.extractInfo sets it
    face._pdfScale = (lambda x: x) if units == 1000 else _scaler(1000 / units)
    font = TTFont.__new__(TTFont)
    # as TTFont.__init__ does after parsing (checked against a parse when the entry is
    # written, and the entry is keyed by reportlab's version)
    font.fontName = name
    font.face = face
    font.encoding = TTEncoding()
    font.state = WeakKeyDictionary()
    font._asciiReadable = rl_config.ttfAsciiReadable
    font.shapable = not any(fnmatch(name, glob) for glob in ttfonts.unShapedFontGlob)
    return font


def _scaler(factor: float) -> Any:
    return lambda x: x * factor


def _same_font(built: TTFont, parsed: TTFont) -> bool:
    """Return whether two fonts hold the same attributes besides their faces and state."""
    mine, theirs = vars(built), vars(parsed)
    return set(mine) == set(theirs) and all(
        mine[key] == value for key, value in theirs.items()
        if key not in ("face", "encoding", "state")) and \
        vars(built.encoding) == vars(parsed.encoding)


def _same_face(built: TTFontFace, parsed: TTFontFace) -> bool:
    """Return whether two faces hold the same attributes (the scale function by value)."""
    mine, theirs = vars(built), vars(parsed)
    if set(mine) != set(theirs):
        return False
    for key, value in theirs.items():
        if key == "_pdfScale":
            if any(mine[key](x) != value(x) for x in (1, 7, 1000, 2048, 123.5)):
                return False
        elif type(mine[key]) is not type(value) or mine[key] != value:
            return False
        elif isinstance(value, TTFNameBytes) and mine[key].ustr != value.ustr:
            return False
    return True
