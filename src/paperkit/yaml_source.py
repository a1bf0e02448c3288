"""YAML with positions: front matter and template.yaml keep the line and column of every key.

PyYAML's ``safe_load`` forgets where values came from and silently keeps the last of two
duplicate keys. Here the text is composed into nodes with ``SafeLoader`` and values are built
from those nodes, recording a :class:`~paperkit.model.Pos` for every mapping key and refusing
duplicate keys.
"""

from __future__ import annotations

import difflib
import functools
import hashlib
import importlib.util
import marshal
import os
from typing import TYPE_CHECKING, Any

from .disk_cache import cache_root, plain_data, write_atomic
from .errors import InputError, PaperkitError
from .model import Pos

if TYPE_CHECKING:
    import yaml

__all__ = ["YamlDoc", "load_yaml", "did_you_mean"]


class YamlDoc:
    """A loaded YAML value plus the position of every key path (``("limits", "words")``)."""

    def __init__(self, value: Any, positions: dict[tuple[str, ...], Pos], file: str) -> None:
        self.value = value
        self.positions = positions
        self.file = file

    def pos(self, *path: str) -> Pos:
        """Return the position of the key at `path`, or of its nearest recorded parent."""
        for cut in range(len(path), 0, -1):
            found = self.positions.get(tuple(path[:cut]))
            if found is not None:
                return found
        return Pos(self.file, self.positions.get((), Pos(self.file, 1)).line, 1)


def load_yaml(text: str, file: str, *, first_line: int = 1, error_code: str = "PK101",
              error_class: type[PaperkitError] = InputError) -> YamlDoc:
    """Return the YAML document in `text`, positions counted from `first_line` of `file`.

    Raises `error_class` (code `error_code`) naming the line and column for a syntax error, a
    duplicate key, or a non-scalar mapping key.

    A text read before (the same template.yaml, an unchanged front matter) comes from the
    disk cache (:mod:`~paperkit.disk_cache`) when its value is plain data: PyYAML's pure
    Python parser takes ~8 ms for template.yaml, read twice a build, and importing it 15 ms
    more. What is cached is what this function returned; a text that failed is always read
    again, so its error is reported as before.
    """
    data = f"{_version()}\0{first_line}\0{text}".encode("utf-8", "surrogatepass")
    key = hashlib.blake2b(data, digest_size=20).hexdigest()
    found = _cached(key, file, first_line)
    if found is not None:
        return found
    doc = _load(text, file, first_line, error_code, error_class)
    _store(key, doc)
    return doc


# Bump when what load_yaml returns for a text changes; an installed PyYAML other than the
# one that made an entry is told apart by its files' time (see _version).
_CACHE_FORMAT = "yaml-1"


@functools.cache
def _version() -> str:
    """Return what identifies this cache format and the installed PyYAML, without importing
    it (a cache hit is what saves the import)."""
    spec = importlib.util.find_spec("yaml")
    origin = spec.origin if spec is not None else None
    try:
        stamp = os.stat(origin).st_mtime_ns if origin else 0
    except OSError:
        stamp = 0
    return f"{_CACHE_FORMAT}:{origin}:{stamp}"


def _cache_file(key: str) -> Any:
    root = cache_root()
    return None if root is None else root / "yaml" / f"{key}.marshal"


def _cached(key: str, file: str, first_line: int) -> YamlDoc | None:
    """Return the cached document for `key`, or None (none, unreadable or malformed)."""
    path = _cache_file(key)
    if path is None:
        return None
    try:
        value, rows = marshal.loads(path.read_bytes())
        if not plain_data(value):
            return None
        positions: dict[tuple[str, ...], Pos] = {(): Pos(file, first_line, 1)}
        for keys, line, column in rows:
            if not (isinstance(keys, tuple) and all(isinstance(k, str) for k in keys)
                    and type(line) is int and type(column) is int):
                return None
            positions[keys] = Pos(file, line, column)
    except (OSError, EOFError, ValueError, TypeError):
        return None
    return YamlDoc(value, positions, file)


def _store(key: str, doc: YamlDoc) -> None:
    """Keep `doc` in the cache when its value is plain data marshal can hold."""
    path = _cache_file(key)
    if path is None:
        return
    rows = [(keys, pos.line, pos.column) for keys, pos in doc.positions.items() if keys]
    try:
        data = marshal.dumps((doc.value, rows))
    except ValueError:               # a date or another YAML type: not cached
        return
    write_atomic(path, data)


def _load(text: str, file: str, first_line: int, error_code: str,
          error_class: type[PaperkitError]) -> YamlDoc:
    import yaml

    offset = first_line - 1
    try:
        node = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 + offset if mark else first_line
        col = mark.column + 1 if mark else 1
        detail = (exc.problem or str(exc)).strip()
        raise error_class.make(error_code, Pos(file, line, col), detail=detail) from None
    except yaml.YAMLError as exc:  # reader errors: control characters and the like
        raise error_class.make(error_code, Pos(file, first_line, 1),
                               detail=str(exc).splitlines()[0]) from None
    positions: dict[tuple[str, ...], Pos] = {(): Pos(file, first_line, 1)}
    if node is None:
        return YamlDoc(None, positions, file)
    builder = _Builder(file, offset, positions, error_code, error_class)
    return YamlDoc(builder.build(node, ()), positions, file)


class _Builder:
    def __init__(self, file: str, offset: int, positions: dict[tuple[str, ...], Pos],
                 code: str, error_class: type[PaperkitError]) -> None:
        self.file = file
        self.offset = offset
        self.positions = positions
        self.code = code
        self.error_class = error_class
        import yaml

        self.constructor = yaml.SafeLoader(b"")
        self.seen: set[int] = set()

    def pos(self, node: yaml.Node) -> Pos:
        return Pos(self.file, node.start_mark.line + 1 + self.offset, node.start_mark.column + 1)

    def build(self, node: yaml.Node, path: tuple[str, ...]) -> Any:
        import yaml

        if isinstance(node, (yaml.MappingNode, yaml.SequenceNode)):
            # The composer hands an alias back as the anchored node itself: a second visit
            # is an alias. Refusing them stops "billion laughs" expansion before it starts.
            if id(node) in self.seen:
                raise self.error_class.make(
                    self.code, Pos(self.file, self.pos(node).line, 1),
                    detail="YAML anchors and aliases (&name, *name) are not allowed here; "
                           "write the value out")
            self.seen.add(id(node))
        if isinstance(node, yaml.MappingNode):
            result: dict[str, Any] = {}
            self.constructor.flatten_mapping(node)
            for key_node, value_node in node.value:
                if not isinstance(key_node, yaml.ScalarNode):
                    raise self.error_class.make(self.code, self.pos(key_node),
                                                detail="a key must be a plain name")
                key = str(self.constructor.construct_object(key_node))
                if key in result:
                    first = self.positions[(*path, key)]
                    raise self.error_class.make(
                        self.code, self.pos(key_node),
                        detail=f"duplicate key '{key}' (first at line {first.line}); "
                               "remove one of them")
                self.positions[(*path, key)] = self.pos(key_node)
                result[key] = self.build(value_node, (*path, key))
            return result
        if isinstance(node, yaml.SequenceNode):
            items = []
            for index, item in enumerate(node.value):
                self.positions[(*path, str(index))] = self.pos(item)
                items.append(self.build(item, (*path, str(index))))
            return items
        try:
            return self.constructor.construct_object(node, deep=True)
        except yaml.YAMLError as exc:
            raise self.error_class.make(self.code, self.pos(node),
                                        detail=str(exc).splitlines()[0]) from None


def did_you_mean(word: str, choices: list[str] | tuple[str, ...] | set[str]) -> str:
    """Return ``" (did you mean 'x'?)"`` for the choice nearest `word`, or ``""``."""
    close = difflib.get_close_matches(word, sorted(choices), n=1, cutoff=0.6)
    return f" (did you mean '{close[0]}'?)" if close else ""
