"""``paperkit count``: the per-section and per-category word table with its limits.

Every limit sits on the row it applies to (a section, a category, the main text) with how
far the count is from it: ``+120`` over the maximum, ``-45`` short of the minimum, ``ok``
within it. Columns are as wide as their widest cell, so the table stays aligned for any
title length.
"""

from __future__ import annotations

from ..checks.words import WordCounts, describe_limit, find_section
from ..model import Limits, WordLimit

__all__ = ["count_table"]


def _bounds(limit: WordLimit) -> str:
    low, high = limit.bounds()
    if low is not None and high is not None:
        return f"{low:,}-{high:,}"
    return f"max {high:,}" if high is not None else f"min {low:,}"


def _off(limit: WordLimit, count: int) -> str:
    """Return how far `count` is from `limit`: ``ok``, ``+N`` over or ``-N`` short."""
    low, high = limit.bounds()
    if high is not None and count > high:
        return f"+{count - high:,} over"
    if low is not None and count < low:
        return f"-{low - count:,} short"
    return "ok"


def _align(rows: list[list[str]], right: set[int]) -> list[str]:
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    lines = []
    for row in rows:
        cells = [cell.rjust(widths[i]) if i in right else cell.ljust(widths[i])
                 for i, cell in enumerate(row)]
        lines.append("  " + "  ".join(cells).rstrip())
    return lines


def count_table(name: str, counts: WordCounts, limits: Limits) -> str:
    """Return the text table ``paperkit count`` prints for the paper `name`."""
    section_limits: dict[int, WordLimit] = {}
    missing: list[str] = []
    for section, limit in limits.sections.items():
        row = find_section(counts.sections, section)
        if row is None:
            missing.append(section)
        else:
            section_limits[id(row)] = limit
    rows = [["section", "own", "total", "limit", "off"]]
    for s in counts.sections:
        title = f"{'  ' * (s.level - 1)}{s.number + ' ' if s.number else ''}{s.title}"
        if len(title) > 60:
            title = title[:57] + "..."
        cap = section_limits.get(id(s))
        rows.append([title, f"{s.own:,}", f"{s.total:,}",
                     _bounds(cap) if cap else "", _off(cap, s.total) if cap else ""])
    lines = [name, *_align(rows, {1, 2, 3})]
    category_limits: dict[str, WordLimit | None] = {"abstract": limits.abstract, "notes": limits.notes}
    rows = [["category", "words", "limit", "off"]]
    for category, words in counts.categories.items():
        mark = " *" if category in counts.counted else ""
        kept = category_limits.get(category)
        rows.append([category + mark, f"{words:,}", _bounds(kept) if kept else "",
                     _off(kept, words) if kept else ""])
    main = limits.words
    rows.append(["main text (* summed)", f"{counts.main_text:,}",
                 _bounds(main) if main else "", _off(main, counts.main_text) if main else ""])
    lines += ["", *_align(rows, {1, 2})]
    notes = []
    for label, named, value in [("main text", limits.words, counts.main_text),
                                ("abstract", limits.abstract, counts.categories["abstract"]),
                                ("notes", limits.notes, counts.categories["notes"])]:
        if named is not None:
            ok, detail = describe_limit(named, value)
            notes.append(f"limit {label}: {value:,} words; {detail}{' (met)' if ok else ''}")
    for section, limit in limits.sections.items():
        row = find_section(counts.sections, section)
        if row is not None:
            ok, detail = describe_limit(limit, row.total)
            notes.append(f"limit section '{section}': {row.total:,} words; "
                         f"{detail}{' (met)' if ok else ''}")
    notes += [f"limit section '{section}': no such section" for section in missing]
    if notes:
        lines += ["", *(f"  {line}" for line in notes)]
    return "\n".join(lines) + "\n"
