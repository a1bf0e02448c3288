"""Sort keys (``cs:sort``) and the collation they compare with.

A key of a variable sorts names family-first (with particles as the style demotes them),
dates in time order, numbers numerically and text by a collation key (accents and case
ignored first, then compared). A key of a macro sorts by the macro's text, rendered in
"sort mode" (names inverted, dates and numbers as sortable digits). Empty keys go last, in
both directions.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Callable
from typing import Any

from .context import Ctx
from .dates import date_sort_key
from .person import name_sort_parts
from .output import render
from .references import Date, Name, NUMBER_VARIABLES
from .richtext import plain
from .style import SortKey

__all__ = ["collation_key", "sort_values", "sorted_ids", "compare_keys"]

# Letters NFKD does not decompose, spelled as collation treats them.
_COLLATION = str.maketrans({"æ": "ae", "Æ": "AE", "œ": "oe", "Œ": "OE", "ø": "o", "Ø": "O",
                            "ß": "ss", "đ": "d", "Đ": "D", "ł": "l", "Ł": "L", "þ": "th",
                            "Þ": "TH", "ı": "i"})
_IGNORED = re.compile(r"[\[\]()\"'\u2018\u2019\u201c\u201d\u02bb\u02bf\u02be\u00ab\u00bb<>*]")


@functools.lru_cache(maxsize=65536)
def collation_key(text: str) -> tuple[str, str]:
    """Return `text` as sorting compares it: first without accents, case or quotes, then as
    written (so "Wæver" sorts as "waever", before "World Bank")."""
    decomposed = unicodedata.normalize("NFKD", text.translate(_COLLATION))
    base = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    base = _IGNORED.sub("", base).casefold().replace("-", "")
    base = "".join(" " if unicodedata.category(c)[0] == "P" else c for c in base)
    return (" ".join(base.split()), text)


class SortValues:
    """An item's sort key values, each computed when a comparison first needs it (most
    comparisons are decided by the first key, so later macros rarely render)."""

    __slots__ = ("keys", "make_ctx", "demote", "values")

    def __init__(self, keys: list[SortKey], make_ctx: Callable[[], Ctx], demote: str) -> None:
        self.keys = keys
        self.make_ctx = make_ctx
        self.demote = demote
        self.values: list[Any] = [_UNSET] * len(keys)

    def __len__(self) -> int:
        return len(self.keys)

    def __getitem__(self, index: int) -> Any:
        value = self.values[index]
        if value is _UNSET:
            value = self.values[index] = _key_value(self.keys[index], self.make_ctx(),
                                                    self.demote)
        return value

    def __iter__(self) -> Any:
        return (self[i] for i in range(len(self.keys)))


_UNSET = object()


def sort_values(keys: list[SortKey], make_ctx: Callable[[], Ctx],
                demote: str) -> SortValues:
    """Return the (lazily computed) sort key values of one item (None: an empty key)."""
    return SortValues(keys, make_ctx, demote)


def _key_value(key: SortKey, ctx: Ctx, demote: str) -> Any:
    ctx.in_sort = True
    if key.variable is not None:
        return _variable_value(key.variable, ctx, demote)
    out = key.macro.ev(ctx) if key.macro is not None else None
    text = plain(render(out)).strip() if out is not None else ""
    return collation_key(text) if text else None


def _variable_value(variable: str, ctx: Ctx, demote: str) -> Any:
    value = ctx.lookup(variable)
    if value is None or value == "" or value == []:
        return None
    if isinstance(value, list) and value and isinstance(value[0], Name):
        text = "\u0002".join("\u0001".join(collation_key(p)[0] for p in
                                           name_sort_parts(n, demote) if p)
                             for n in value)
        return (text, "")
    if isinstance(value, Date):
        key = date_sort_key(value)
        return (key, "") if key else None
    text = str(value)
    if variable in NUMBER_VARIABLES or variable == "citation-number":
        match = re.match(r"\s*(\d+)", text)
        if match:
            return (f"{int(match.group(1)):012d}{text[match.end():]}", "")
    plain_text = plain(_rich(text))
    return collation_key(plain_text)


def _rich(text: str) -> list[Any]:
    from .nodes import render_value

    return render_value(text)


def compare_keys(a: Any, b: Any, descending: list[bool]) -> int:
    """Compare two items' sort values: empty values last, then each key's direction."""
    for index, down in enumerate(descending):
        x, y = a[index], b[index]
        if x == y:
            continue
        if x is None:
            return 1
        if y is None:
            return -1
        if x[0] != y[0]:
            result = -1 if x[0] < y[0] else 1
        else:
            result = -1 if x[1] < y[1] else (1 if x[1] > y[1] else 0)
        if result:
            return -result if down else result
    return 0


def sorted_ids(ids: list[str], values: dict[str, Any], keys: list[SortKey]) -> list[str]:
    """Return `ids` ordered by their sort `values` (stable: ties keep their order)."""
    descending = [k.descending for k in keys]
    order = {ident: index for index, ident in enumerate(ids)}

    def cmp(x: str, y: str) -> int:
        result = compare_keys(values[x], values[y], descending)
        return result if result else order[x] - order[y]

    return sorted(ids, key=functools.cmp_to_key(cmp))
