"""A deterministic, readable text dump of the model (pandoc's ``-t native``), for tests.

``dump(node)`` prints one node a line, children indented, positions left out, empty fields
left out, and runs of inline nodes kept on one line while they are short::

    Section level=1 number='1' label='sec:intro'
      title: [Text 'Introduction']
      Paragraph
        [Text 'As ', Cite '@buzan2022' -> [Text 'Buzan (2022)'], Text '.']
"""

from __future__ import annotations

from dataclasses import MISSING, Field, fields, is_dataclass
from typing import Any

from .model import BibEntry, Cite, Code, LineBreak, Math, Note, Ref, Reference, Text

__all__ = ["dump"]

_WIDTH = 96
_SKIP = {"pos", "findings", "data", "source_dir", "source_file"}


def _inline(node: Any) -> str:
    """Return the one-line form of an inline node."""
    match node:
        case Text(text=text):
            return f"Text {text!r}"
        case Code(text=text):
            return f"Code {text!r}"
        case Math(tex=tex):
            return f"Math {tex!r}"
        case LineBreak():
            return "LineBreak"
        case Ref(label=label, number=number):
            return f"Ref {label!r}" + (f" -> {number!r}" if number is not None else "")
        case Cite(items=items, source=source, rendered=rendered):
            parts = []
            for item in items:
                bits = [item.key]
                if item.mode != "normal":
                    bits.append(item.mode)
                if item.prefix:
                    bits.append(f"prefix={_inlines(item.prefix)}")
                if item.locator is not None:
                    bits.append(f"{item.label}={item.locator!r}")
                if item.suffix:
                    bits.append(f"suffix={_inlines(item.suffix)}")
                parts.append("(" + " ".join(bits) + ")")
            text = f"Cite {source!r} " + " ".join(parts)
            if rendered is not None:
                text += f" -> {_inlines(rendered)}"
            return text
        case Note(blocks=blocks):
            return "Note {" + " | ".join(dump(b).strip().replace("\n", " ") for b in blocks) + "}"
        case _:
            name = type(node).__name__
            content = getattr(node, "content", [])
            extra = f" {node.url!r}" if hasattr(node, "url") else ""
            return f"{name}{extra} {_inlines(content)}"


def _inlines(nodes: list[Any]) -> str:
    return "[" + ", ".join(_inline(n) for n in nodes) + "]"


def _default(f: Field[Any]) -> Any:
    if f.default is not MISSING:
        return f.default
    if f.default_factory is not MISSING:
        return f.default_factory()
    return MISSING


def _is_inline_list(value: Any) -> bool:
    return isinstance(value, list) and all(
        type(v).__name__ in _INLINE_NAMES for v in value)


_INLINE_NAMES = {"Text", "Emph", "Strong", "SmallCaps", "Superscript", "Subscript", "Code",
                 "Link", "Math", "LineBreak", "Cite", "Note", "Ref"}


def dump(node: Any, indent: int = 0) -> str:
    """Return the native dump of `node` (a Paper, Section, block or list), ending in a newline."""
    pad = "  " * indent
    if isinstance(node, list):
        if _is_inline_list(node):
            return f"{pad}{_inlines(node)}\n"
        return "".join(dump(item, indent) for item in node)
    if type(node).__name__ in _INLINE_NAMES:
        return f"{pad}{_inline(node)}\n"
    if not is_dataclass(node):
        return f"{pad}{node!r}\n"
    header: list[str] = [type(node).__name__]
    children: list[str] = []
    for f in fields(node):
        if f.name in _SKIP:
            continue
        value = getattr(node, f.name)
        if value in (None, "", [], {}, ()) or value == _default(f):
            continue
        if isinstance(node, (Reference, BibEntry)) and f.name in ("fields", "content"):
            children.append(f"{pad}  {f.name}: " + (
                _inlines(value) if f.name == "content" else repr(dict(sorted(value.items())))
            ) + "\n")
            continue
        if _is_inline_list(value):
            children.append(f"{pad}  {f.name}: {_inlines(value)}\n")
        elif isinstance(value, list) and value and isinstance(value[0], list) \
                and not _is_inline_list(value[0]):
            for item in value:
                children.append(f"{pad}  - item\n" + dump(item, indent + 2))
        elif isinstance(value, list) or is_dataclass(value):
            if f.name in ("blocks", "subsections", "sections"):
                children.append(dump(value, indent + 1))
            else:
                children.append(f"{pad}  {f.name}:\n" + dump(value, indent + 2))
        else:
            header.append(f"{f.name}={value!r}")
    line = f"{pad}{' '.join(header)}\n"
    return line + "".join(children)
