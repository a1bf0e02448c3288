"""The YAML front matter of ``paper.md``: split it off, validate every key, keep positions.

Unknown keys, wrong types and bad limits are :class:`~paperkit.errors.InputError` with the
key's line and column, and a "did you mean" for a misspelt key.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from ..errors import InputError
from ..model import Author, Limits, Pos, WordLimit
from ..yaml_source import YamlDoc, did_you_mean, load_yaml

__all__ = ["FrontMatter", "split_front_matter", "read_front_matter", "KEYS", "CATEGORIES"]

#: Every front-matter key paperkit knows, with what it takes.
KEYS: dict[str, str] = {
    "title": "text (Markdown)",
    "subtitle": "text (Markdown)",
    "author": "a name, a list of names, or a list of {name, affiliation, email, orcid}",
    "date": "text or a date",
    "abstract": "text (Markdown)",
    "keywords": "a list of words or phrases",
    "lang": "a language tag such as en-US",
    "bibliography": "a .bib file or a list of them",
    "csl": "a citation style name (apa, ieee, ...) or a .csl path",
    "nocite": 'a list of keys, or "@*"',
    "template": "a template name or folder",
    "link-citations": "true or false",
    "number-sections": "true or false",
    "toc": "true or false: a table of contents after the abstract",
    "latex-citations": "rendered (the citation style's text) or biblatex (\\autocite + biber)",
    "limits": "word limits: {words, abstract, notes, sections, count}",
}

#: The word-count categories (README, "Word counts").
CATEGORIES: tuple[str, ...] = ("title", "abstract", "headings", "body", "notes", "captions",
                               "tables", "references")

_LIMIT_KEYS = ("words", "abstract", "notes", "sections", "count")
_AUTHOR_KEYS = ("name", "affiliation", "email", "orcid")


@dataclass(slots=True)
class FrontMatter:
    """Validated front-matter values; Markdown fields are still raw text with their lines."""

    title: str = ""
    title_line: int = 1
    subtitle: str = ""
    subtitle_line: int = 1
    authors: list[Author] = field(default_factory=list)
    date: str = ""
    abstract: str = ""
    abstract_line: int = 1
    keywords: list[str] = field(default_factory=list)
    lang: str = "en-US"
    bibliography: list[tuple[str, Pos]] = field(default_factory=list)
    csl: str | None = None
    csl_pos: Pos | None = None
    nocite: list[str] = field(default_factory=list)
    template: str | None = None
    template_pos: Pos | None = None
    link_citations: bool = True
    number_sections: bool = True
    toc: bool = False
    latex_citations: str | None = None
    limits: Limits = field(default_factory=Limits)


_FENCE = re.compile(r"^---[ \t]*$")
_END = re.compile(r"^(---|\.\.\.)[ \t]*$")
_BLOCK_SCALAR = re.compile(r"^\s*abstract\s*:\s*[|>][-+0-9]*\s*(#.*)?$")


def split_front_matter(text: str, file: str) -> tuple[str | None, str, int]:
    """Return (YAML text or None, the Markdown body, the file line where the body starts).

    Front matter is a ``---`` line at the very top, YAML, then a ``---`` or ``...`` line.
    Raises PK101 for an opening fence that is never closed.
    """
    lines = text.split("\n")
    if not lines or not _FENCE.match(lines[0]):
        return None, text, 1
    for index in range(1, len(lines)):
        if _END.match(lines[index]):
            yaml_text = "\n".join(lines[1:index])
            body = "\n".join(lines[index + 1:])
            return yaml_text, body, index + 2
    raise InputError.make("PK101", Pos(file, 1, 1),
                          detail="the front matter opened by '---' is never closed; "
                                 "add a '---' line after it")


def _type_error(doc: YamlDoc, path: tuple[str, ...], expected: str) -> InputError:
    key = ".".join(path)
    return InputError.make("PK103", doc.pos(*path), key=key, detail=f"must be {expected}")


def _text(doc: YamlDoc, value: Any, path: tuple[str, ...]) -> str:
    if isinstance(value, bool) or value is None or isinstance(value, (list, dict)):
        raise _type_error(doc, path, "text")
    return str(value)


def _flag(doc: YamlDoc, value: Any, path: tuple[str, ...]) -> bool:
    if not isinstance(value, bool):
        raise _type_error(doc, path, "true or false")
    return value


def _text_list(doc: YamlDoc, value: Any, path: tuple[str, ...]) -> list[str]:
    if isinstance(value, (str, int, float)) and not isinstance(value, bool):
        return [str(value)]
    if not isinstance(value, list):
        raise _type_error(doc, path, "a list of text")
    return [_text(doc, item, (*path, str(i))) for i, item in enumerate(value)]


def _authors(doc: YamlDoc, value: Any) -> list[Author]:
    items = value if isinstance(value, list) else [value]
    authors = []
    for index, item in enumerate(items):
        path = ("author", str(index)) if isinstance(value, list) else ("author",)
        if isinstance(item, dict):
            for key in item:
                if key not in _AUTHOR_KEYS:
                    raise InputError.make("PK102", doc.pos(*path, str(key)),
                                          key=f"author.{key}",
                                          hint=did_you_mean(str(key), _AUTHOR_KEYS))
            if "name" not in item:
                raise InputError.make("PK103", doc.pos(*path), key="author",
                                      detail="entry needs a 'name'")
            fields = {k: _text(doc, item[k], (*path, k)) for k in item}
            authors.append(Author(fields["name"], fields.get("affiliation"),
                                  fields.get("email"), fields.get("orcid")))
        else:
            authors.append(Author(_text(doc, item, path)))
    return authors


def _count(doc: YamlDoc, value: Any, path: tuple[str, ...]) -> int:
    if isinstance(value, bool) or not isinstance(value, (int, str)):
        raise _type_error(doc, path, "a whole number of words")
    text = str(value).replace(",", "").replace("_", "").strip()
    if not text.isdigit():
        raise _type_error(doc, path, "a whole number of words")
    return int(text)


def _tolerance(doc: YamlDoc, value: Any, path: tuple[str, ...]) -> float:
    text = str(value).strip()
    try:
        number = float(text[:-1]) / 100 if text.endswith("%") else float(text)
    except ValueError:
        raise _type_error(doc, path, "a percentage such as 10%") from None
    if isinstance(value, bool) or not 0 <= number < 1:
        raise _type_error(doc, path, "a percentage from 0% to 99%")
    return number


def _word_limit(doc: YamlDoc, value: Any, path: tuple[str, ...]) -> WordLimit:
    pos = doc.pos(*path)
    if not isinstance(value, dict):
        return WordLimit(max=_count(doc, value, path), pos=pos)
    allowed = ("min", "max", "target", "tolerance")
    for key in value:
        if key not in allowed:
            raise InputError.make("PK102", doc.pos(*path, str(key)),
                                  key=".".join((*path, str(key))),
                                  hint=did_you_mean(str(key), allowed))
    low = _count(doc, value["min"], (*path, "min")) if "min" in value else None
    high = _count(doc, value["max"], (*path, "max")) if "max" in value else None
    target = _count(doc, value["target"], (*path, "target")) if "target" in value else None
    tolerance = _tolerance(doc, value["tolerance"], (*path, "tolerance")) \
        if "tolerance" in value else (0.1 if target is not None else 0.0)
    if low is None and high is None and target is None:
        raise _type_error(doc, path, "a number, or a mapping with min, max or target")
    if low is not None and high is not None and low > high:
        raise _type_error(doc, path, "have min no larger than max")
    return WordLimit(low, high, target, tolerance, pos=pos)


def _limits(doc: YamlDoc, value: Any) -> Limits:
    if not isinstance(value, dict):
        raise _type_error(doc, ("limits",), "a mapping (words, abstract, notes, sections, count)")
    for key in value:
        if key not in _LIMIT_KEYS:
            raise InputError.make("PK102", doc.pos("limits", str(key)), key=f"limits.{key}",
                                  hint=did_you_mean(str(key), _LIMIT_KEYS))
    words = _word_limit(doc, value["words"], ("limits", "words")) if "words" in value else None
    abstract = _word_limit(doc, value["abstract"], ("limits", "abstract")) \
        if "abstract" in value else None
    notes = _word_limit(doc, value["notes"], ("limits", "notes")) if "notes" in value else None
    sections: dict[str, WordLimit] = {}
    if "sections" in value:
        raw = value["sections"]
        if not isinstance(raw, dict):
            raise _type_error(doc, ("limits", "sections"),
                              'a mapping of section title to limit, e.g. {"Introduction": 300}')
        for name, limit in raw.items():
            sections[str(name)] = _word_limit(doc, limit, ("limits", "sections", str(name)))
    count: tuple[str, ...] = ("headings", "body")
    if "count" in value:
        names = _text_list(doc, value["count"], ("limits", "count"))
        for index, name in enumerate(names):
            if name not in CATEGORIES:
                raise InputError.make(
                    "PK103", doc.pos("limits", "count", str(index)), key="limits.count",
                    detail=f"names unknown category '{name}'{did_you_mean(name, CATEGORIES)}; "
                           f"use {', '.join(CATEGORIES)}")
        count = tuple(names)
    return Limits(words, abstract, notes, sections, count)


def read_front_matter(yaml_text: str | None, file: str) -> FrontMatter:
    """Return the validated front matter of `file` (`yaml_text` starts at the file's line 2)."""
    meta = FrontMatter()
    if yaml_text is None:
        return meta
    doc = load_yaml(yaml_text, file, first_line=2)
    value = doc.value
    if value is None:
        return meta
    if not isinstance(value, dict):
        raise InputError.make("PK101", Pos(file, 2, 1),
                              detail="front matter must be a mapping of keys to values")
    for key in value:
        if key not in KEYS:
            hint = did_you_mean(str(key), list(KEYS))
            if str(key) in _LIMIT_KEYS or did_you_mean(str(key), _LIMIT_KEYS):
                hint = f" (word limits go under 'limits:', e.g. limits: {{words: 1500}})"
            raise InputError.make("PK102", doc.pos(str(key)), key=key, hint=hint)
    yaml_lines = yaml_text.split("\n")
    for key, item in value.items():
        path = (key,)
        line = doc.pos(key).line
        match key:
            case "title":
                meta.title, meta.title_line = _text(doc, item, path), line
            case "subtitle":
                meta.subtitle, meta.subtitle_line = _text(doc, item, path), line
            case "author":
                meta.authors = _authors(doc, item)
            case "date":
                meta.date = _text(doc, item, path)
            case "abstract":
                meta.abstract = _text(doc, item, path)
                # A block scalar (abstract: | or >) starts on the line after the key.
                key_line = yaml_lines[line - 2] if 0 <= line - 2 < len(yaml_lines) else ""
                meta.abstract_line = line + (1 if _BLOCK_SCALAR.match(key_line) else 0)
            case "keywords":
                meta.keywords = _text_list(doc, item, path)
            case "lang":
                meta.lang = _text(doc, item, path)
            case "bibliography":
                names = _text_list(doc, item, path)
                meta.bibliography = [(n, doc.pos(key, str(i)) if isinstance(item, list)
                                      else doc.pos(key)) for i, n in enumerate(names)]
            case "csl":
                meta.csl, meta.csl_pos = _text(doc, item, path), doc.pos(key)
            case "nocite":
                meta.nocite = [k.lstrip("@") if k != "@*" else k
                               for k in _text_list(doc, item, path)]
            case "template":
                meta.template, meta.template_pos = _text(doc, item, path), doc.pos(key)
            case "link-citations":
                meta.link_citations = _flag(doc, item, path)
            case "number-sections":
                meta.number_sections = _flag(doc, item, path)
            case "toc":
                meta.toc = _flag(doc, item, path)
            case "latex-citations":
                meta.latex_citations = _text(doc, item, path)
                if meta.latex_citations not in ("rendered", "biblatex"):
                    raise _type_error(doc, path, "rendered or biblatex")
            case "limits":
                meta.limits = _limits(doc, item)
    return meta
