"""CSL-JSON and CSL-YAML bibliographies (Zotero's and Better BibTeX's exports, pandoc's YAML).

A CSL-JSON file is an array of items (``{"id": "buzan2022", "type": "book", ...}``), already
in the shape of :class:`~paperkit.model.Reference`; a CSL-YAML file is the same data in YAML,
as a list or under a ``references:`` key (pandoc's form). What the exports vary in is made
uniform here:

- dates: ``{"date-parts": [["2020", "5"]]}`` (numbers as strings), ``{"raw": "2020-05"}``,
  EDTF strings (``issued: 2020-05-17``, YAML may even read it as a date), pandoc-citeproc's
  old ``[{year: 2020, month: 5}]``;
- names: a plain string is a literal (institutional) name; ``parse-names`` is dropped;
- numbers become strings, ``shortTitle`` and ``journalAbbreviation`` (old Zotero) their CSL
  names; the key is ``id`` (as pandoc reads it), or ``citation-key`` when there is no id.

Text keeps CSL-JSON's rich-text markup (``<i>``, ``<span class="nocase">``) as written.
Every reference gets the line of its item; a syntax error names its line and column.
"""

from __future__ import annotations

import datetime
import json
import re
from pathlib import Path
from typing import Any


from ..diagnostics import Log
from ..errors import InputError
from ..model import Pos, Reference
from .bibtex import _decode, _display
from .dates import parse_date

__all__ = ["read_csl_json", "read_csl_yaml", "parse_csl_items", "NAME_VARIABLES",
           "DATE_VARIABLES"]

#: CSL 1.0.2's name variables.
NAME_VARIABLES = frozenset({
    "author", "chair", "collection-editor", "compiler", "composer", "container-author",
    "contributor", "curator", "director", "editor", "editorial-director", "editor-translator",
    "executive-producer", "guest", "host", "illustrator", "interviewer", "narrator",
    "organizer", "original-author", "performer", "producer", "recipient", "reviewed-author",
    "script-writer", "series-creator", "translator",
})
#: CSL 1.0.2's date variables.
DATE_VARIABLES = frozenset({"accessed", "available-date", "event-date", "issued",
                            "original-date", "submitted"})
_ALIASES = {"shortTitle": "title-short", "journalAbbreviation": "container-title-short",
            "container-title-abbreviation": "container-title-short"}
_NAME_PARTS = {"family", "given", "literal", "non-dropping-particle", "dropping-particle",
               "suffix", "comma-suffix", "static-ordering"}


def _problem(file: str, line: int, column: int, detail: str) -> InputError:
    return InputError.make("PK109", Pos(file, line, column),
                           detail=f"{_display(file)}: {detail}")


def read_csl_json(path: Path, *, log: Log, lang: str = "en-US") -> list[Reference]:
    """Return the references in the CSL-JSON file at `path`.

    Raises :class:`InputError` PK104 when it is missing, PK105 when it is not UTF-8 and
    PK109 when it is not CSL-JSON (naming the line and column of a syntax error).
    """
    del lang  # CSL-JSON titles are stored as they print
    file = str(path)
    text = _decode(_read(path), file)
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise _problem(file, exc.lineno, exc.colno,
                       f"not valid JSON ({exc.msg}); a CSL-JSON bibliography is an array "
                       "of items such as {\"id\": \"key\", \"type\": \"book\"}") from None
    items = _items(data, file)
    lines = _json_lines(text)
    return parse_csl_items(items, file=file, log=log,
                           lines=[lines.get(_item_id(item), 1) if isinstance(item, dict)
                                  else 1 for item in items])


def read_csl_yaml(path: Path, *, log: Log, lang: str = "en-US") -> list[Reference]:
    """Return the references in the CSL-YAML file at `path` (a list, or ``references:``)."""
    del lang
    import yaml   # here, not at the top: only CSL-YAML bibliographies need the parser

    file = str(path)
    text = _decode(_read(path), file)
    try:
        node = yaml.compose(text, Loader=yaml.SafeLoader)
        data = yaml.safe_load(text)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        raise _problem(file, mark.line + 1 if mark else 1, mark.column + 1 if mark else 1,
                       f"not valid YAML ({(exc.problem or str(exc)).strip()})") from None
    except yaml.YAMLError as exc:
        raise _problem(file, 1, 1, f"not valid YAML ({str(exc).splitlines()[0]})") from None
    items = _items(data, file)
    lines = [1] * len(items)
    if isinstance(node, yaml.MappingNode):
        for key, value in node.value:
            if key.value in ("references", "items"):
                node = value
    if isinstance(node, yaml.SequenceNode) and len(node.value) == len(items):
        lines = [child.start_mark.line + 1 for child in node.value]
    return parse_csl_items(items, file=file, log=log, lines=lines)


def _read(path: Path) -> bytes:
    try:
        return Path(path).read_bytes()
    except OSError as exc:
        raise InputError.make("PK104", Pos(str(path), 0), what="bibliography",
                              path=str(path),
                              hint=f" ({exc.strerror})" if exc.strerror else "") from None


def _items(data: Any, file: str) -> list[Any]:
    if isinstance(data, dict):
        for key in ("references", "items"):
            found = data.get(key)
            if isinstance(found, list):
                return found
    if isinstance(data, list):
        return data
    if data is None:
        return []
    raise _problem(file, 1, 1, "a CSL bibliography is a list of items (or a mapping with "
                               "a 'references' list)")


def _item_id(item: dict[str, Any]) -> str:
    ident = item.get("id", item.get("citation-key"))
    return "" if ident is None else str(ident)


_ID_KEY = re.compile(r'"(id|citation-key)"\s*:\s*("(?:[^"\\]|\\.)*"|-?\d+)')


def _json_lines(text: str) -> dict[str, int]:
    """Return the line of each item's ``"id"`` in the JSON `text`, by id."""
    lines: dict[str, int] = {}
    for match in _ID_KEY.finditer(text):
        try:
            value = str(json.loads(match.group(2)))
        except json.JSONDecodeError:
            continue
        lines.setdefault(value, text.count("\n", 0, match.start()) + 1)
    return lines


def parse_csl_items(items: list[Any], *, file: str, log: Log,
                    lines: list[int] | None = None) -> list[Reference]:
    """Return the references of the CSL items `items` (decoded JSON or YAML).

    An item that is not a mapping or has no id raises PK109 at its line; a key defined
    twice keeps its first item and logs PK203.
    """
    references: list[Reference] = []
    first: dict[str, int] = {}
    for index, item in enumerate(items):
        line = lines[index] if lines and index < len(lines) else 1
        if not isinstance(item, dict):
            raise _problem(file, line, 1, f"item {index + 1} is not a mapping of CSL "
                                          "variables")
        key = _item_id(item)
        if not key:
            raise _problem(file, line, 1, f"item {index + 1} has no 'id'; give every "
                                          "reference the key it is cited by")
        if key in first:
            log.add("PK203", Pos(file, line, 1), key=key,
                    first=f"{_display(file)}:{first[key]}:1")
            continue
        first[key] = line
        # an item without a type stays untyped (as pandoc keeps it): styles render it by
        # their generic branch; see bibtex_to_csl.DEFAULT_TYPE
        csl_type = str(item.get("type") or "")
        fields: dict[str, Any] = {}
        for raw_name, value in item.items():
            if raw_name in ("id", "type"):
                continue
            name = _ALIASES.get(raw_name) or str(raw_name)
            converted = _value(name, value)
            if converted not in (None, "", [], {}):
                fields.setdefault(name, converted)
        references.append(Reference(key, csl_type, fields, pos=Pos(file, line, 1)))
    return references


def _value(name: str, value: Any) -> Any:
    if name in NAME_VARIABLES:
        return _names(value)
    if name in DATE_VARIABLES:
        return _date(value)
    if isinstance(value, bool):
        return value
    if isinstance(value, (int, float)):
        return str(value)
    if isinstance(value, (datetime.date, datetime.datetime)):
        return value.isoformat()
    return value


def _names(value: Any) -> list[dict[str, Any]]:
    if isinstance(value, (str, dict)):
        value = [value]
    names: list[dict[str, Any]] = []
    for name in value or []:
        if isinstance(name, str):
            names.append({"literal": name})
        elif isinstance(name, dict):
            clean = {k: (v if isinstance(v, bool) else str(v)) for k, v in name.items()
                     if k in _NAME_PARTS and v not in (None, "")}
            if clean:
                names.append(clean)
    return names


def _date(value: Any) -> dict[str, Any] | None:
    if isinstance(value, dict):
        if "date-parts" in value:
            parts = [[int(p) for p in part if str(p).strip().lstrip("-").isdigit()]
                     for part in value["date-parts"] or [] if isinstance(part, list)]
            out: dict[str, Any] = {"date-parts": [p for p in parts if p]}
            for extra in ("circa", "season", "literal"):
                if value.get(extra) not in (None, ""):
                    out[extra] = value[extra]
            if not out["date-parts"]:
                del out["date-parts"]
            return out or None
        if "raw" in value:
            return parse_date(str(value["raw"]))
        if "literal" in value:
            return {"literal": str(value["literal"])}
        if "year" in value:
            return _date([value])
        return None
    if isinstance(value, list):  # pandoc-citeproc's [{year: 2020, month: 5}, ...]
        parts = []
        for part in value:
            if isinstance(part, dict) and "year" in part:
                parts.append([int(part[k]) for k in ("year", "month", "day")
                              if str(part.get(k, "")).strip().lstrip("-").isdigit()])
        return {"date-parts": parts} if parts else None
    if isinstance(value, datetime.datetime):
        return {"date-parts": [[value.year, value.month, value.day]]}
    if isinstance(value, datetime.date):
        return {"date-parts": [[value.year, value.month, value.day]]}
    if isinstance(value, int):
        return {"date-parts": [[value]]}
    if isinstance(value, str) and value.strip():
        return parse_date(value)
    return None
