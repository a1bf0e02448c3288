"""``cs:date``: localized (the locale's text or numeric format) and non-localized dates,
ranges ("May 5–June 6, 2000", "2000–2001"), seasons, BC/AD years, and the year suffix a
disambiguated item carries ("2000a").
"""

from __future__ import annotations

from typing import Any

from .context import Ctx
from .nodes import apply_formatting, render_value, year_suffix_text
from .output import EMPTY, Fmt, Formatting, Lit, Tag, formatted
from .references import Date

__all__ = ["DatePart", "DateNode", "date_sort_key"]


class DatePart:
    """One ``cs:date-part``: name (year, month, day), form, range delimiter, formatting."""

    __slots__ = ("name", "form", "range_delimiter", "f")

    def __init__(self, name: str, form: str, range_delimiter: str | None,
                 f: Formatting) -> None:
        self.name = name
        self.form = form
        self.range_delimiter = range_delimiter
        self.f = f


_ORDER = {"year": 0, "month": 1, "day": 2}


class DateNode:
    """``<date variable=... form=... date-parts=...>``."""

    __slots__ = ("variable", "parts", "f", "delimiter")

    def __init__(self, variable: str, parts: list[DatePart], f: Formatting,
                 delimiter: str | None) -> None:
        self.variable = variable
        #: for a localized date: the locale's parts with the style's overrides applied
        self.parts = parts
        self.f = f
        self.delimiter = EMPTY.replace(delimiter=delimiter) if delimiter else EMPTY

    def ev(self, ctx: Ctx) -> object:
        date = ctx.var(self.variable)
        if not isinstance(date, Date):
            return None
        if ctx.in_substitute:
            ctx.suppress([self.variable], later=True)
        parts, f = self.parts, self.f
        if ctx.in_sort:
            key = date_sort_key(date, [p.name for p in parts])
            return Lit([key]) if key else None
        if date.literal and not date.parts:
            return apply_formatting(f, Tag("date", date, Lit(render_value(date.literal))), ctx)
        pieces = _render(date, parts, ctx, self.delimiter)
        if not pieces:
            ctx.nonempty -= 1
            return None
        out: object = Tag("date", date, formatted(self.delimiter, pieces))
        if self.variable == "accessed":  # left out when telling cites apart
            out = Tag("accessed", None, out)
        return apply_formatting(f, out, ctx)


def _render(date: Date, parts: list[DatePart], ctx: Ctx, delimiter: Formatting) -> list[Any]:
    """Return the date parts' outputs (a range as one piece: "2–4 January 1999")."""
    start = _seasonal(date.parts[0], date.season)
    if start is None:
        return []
    if len(date.parts) < 2:
        return [p for p in (_part(part, start, ctx) for part in parts) if p is not None]
    end = _seasonal(date.parts[1], date.season)
    if end is None:
        return []
    names = [p.name for p in parts]
    value = {"year": 0, "month": 1, "day": 2}
    same = set()
    for name in sorted(names, key=_ORDER.__getitem__):
        if start[value[name]] == end[value[name]]:
            same.add(name)
        else:
            break
    if len(same) == len(names):
        return [p for p in (_part(part, start, ctx) for part in parts) if p is not None]
    index = 0
    while index < len(parts) and parts[index].name in same:
        index += 1
    first_same = parts[:index]
    rest = parts[index:]
    index = 0
    while index < len(rest) and rest[index].name not in same:
        index += 1
    diffs, last_same = rest[:index], rest[index:]
    # an implicit year suffix follows the whole range ("1948–1953a", as citeproc and
    # pandoc print it), not its first year
    years_differ = any(p.name == "year" for p in diffs)
    used = ctx.used_year_suffix
    if years_differ:
        ctx.used_year_suffix = True
    left = [p for p in (_part(part, start, ctx) for part in diffs) if p is not None]
    if years_differ:
        ctx.used_year_suffix = used
    right = [p for p in (_part(part, end, ctx) for part in diffs) if p is not None]
    largest = min(diffs, key=lambda p: _ORDER[p.name])
    range_delimiter = largest.range_delimiter if largest.range_delimiter is not None \
        else "\u2013"
    out = [p for p in (_part(part, start, ctx) for part in first_same) if p is not None]
    middle = [formatted(delimiter, _drop_last_suffix(left)), Lit([range_delimiter]),
              formatted(delimiter, _drop_first_prefix(right))]
    out.append(Fmt(EMPTY, [m for m in middle if m is not None]))
    out += [p for p in (_part(part, start, ctx) for part in last_same) if p is not None]
    return _drop_last_suffix(out)


def _seasonal(ymd: tuple[Any, ...], season: int | None) -> tuple[Any, ...] | None:
    """Return (year, month, day) with a season as pseudo-month 13-16 (None: invalid)."""
    year, month, day = ymd
    if month is None:
        if season is not None and 1 <= season <= 4:
            return (year, 12 + season, None)
        return ymd
    if month < 1 or month > 24:
        return None
    if month > 12:
        return (year, 13 + (month - 13) % 4, None)
    return ymd


def _drop_last_suffix(items: list[Any]) -> list[Any]:
    if items and isinstance(items[-1], Fmt) and items[-1].f.suffix:
        last = items[-1]
        return items[:-1] + [Fmt(last.f.replace(suffix=""), last.items)]
    return items


def _drop_first_prefix(items: list[Any]) -> list[Any]:
    if items and isinstance(items[0], Fmt) and items[0].f.prefix:
        first = items[0]
        return [Fmt(first.f.replace(prefix=""), first.items)] + items[1:]
    return items


def _keep_affixes(f: Formatting, node: object, ctx: Ctx) -> object:
    """Return `node` under a date part's formatting, kept apart (a range drops affixes)."""
    return node if f.is_empty else Fmt(f, [node])


def _part(part: DatePart, ymd: tuple[Any, ...], ctx: Ctx) -> object:
    name = part.name
    locale = ctx.locale
    if name == "year":
        year = ymd[0]
        if year is None:
            return None
        if year == 0:
            return Lit([""])
        text = str(abs(year)) if part.form != "short" else f"{abs(year) % 100:02d}"
        pieces: list[Any] = [Lit([text])]
        if year < 0:
            pieces.append(Lit([locale.term("bc") or "BC"]))
        elif year < 1000:
            pieces.append(Lit([locale.term("ad") or "AD"]))
        if ctx.disamb.year_suffix is not None and not ctx.style.uses_year_suffix and \
                not ctx.used_year_suffix and not ctx.in_sort:
            ctx.used_year_suffix = True
            suffix = ctx.disamb.year_suffix
            pieces.append(Tag("year-suffix", suffix, Lit([year_suffix_text(suffix)])))
        return _keep_affixes(part.f, Fmt(EMPTY, pieces) if len(pieces) > 1 else pieces[0],
                                ctx)
    if name == "month":
        month = ymd[1]
        if month is None:
            return None
        if month > 12:
            season = month - 12 if month <= 16 else month - 20
            text = locale.term(f"season-{season:02d}") or ""
            # a season never prints as a number
        elif part.form == "numeric":
            text = str(month)
        elif part.form == "numeric-leading-zeros":
            text = f"{month:02d}"
        else:
            text = locale.term(f"month-{month:02d}", "short" if part.form == "short"
                               else "long") or str(month)
        if not text:
            return None
        return _keep_affixes(part.f, Lit([text]), ctx)
    day = ymd[2]
    if day is None:
        return None
    if part.form == "numeric-leading-zeros":
        text = f"{day:02d}"
    elif part.form == "ordinal":
        if locale.limit_day_ordinals and day != 1:
            text = str(day)
        else:
            gender = locale.gender(f"month-{ymd[1]:02d}") if ymd[1] else ""
            text = locale.ordinal(day, gender)
    else:
        text = str(day)
    return _keep_affixes(part.f, Lit([text]), ctx)


def date_sort_key(date: Date, shown: list[str] | None = None) -> str:
    """Return a string that sorts dates in time order ("" for a literal-only date)."""
    if not date.parts:
        return ""
    pieces = []
    for year, month, day in date.parts:
        y = year or 0
        # digits only (collation drops "-"): BC years sort before AD ones
        text = f"1{y:06d}" if y >= 0 else f"0{500000 + y:06d}"
        m = month or (12 + date.season if date.season else 0)
        if shown is not None and "month" not in shown:
            m = 0
        d = day or 0
        if shown is not None and "day" not in shown:
            d = 0
        pieces.append(f"{text}{m:02d}{d:02d}")
    return pieces[0] if len(pieces) == 1 else pieces[0] + pieces[1]
