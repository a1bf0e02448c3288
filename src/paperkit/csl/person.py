"""One name: its parts in display or sort order, initials, particles, name-part formatting.

:func:`render_name` renders a :class:`~paperkit.csl.references.Name` under a ``cs:name``'s
options: long or short form, inverted ("Doe, John") for ``name-as-sort-order``, particles
demoted as the style says ("Fontaine, Jean de La"), given names as initials
(:func:`initialize`), family names first and unspaced for CJK names, and the
disambiguation hints that add initials or full given names.
"""

from __future__ import annotations

from typing import Any, TYPE_CHECKING

from .context import Ctx
from .nodes import apply_formatting, render_value
from .output import EMPTY, Fmt, Formatting, Lit, affixes, formatted
from .references import Name

if TYPE_CHECKING:
    from .names import NameOpts

__all__ = ["render_name", "initialize", "name_sort_parts", "name_rich"]


def render_name(opts: NameOpts, name: Name, index: int, ctx: Ctx) -> object:
    """Return the output of `name`, the `index`-th of its list, under `opts`."""
    form = opts.form
    initialize_on = opts.initialize
    hint = ctx.disamb.hints.get(name) if ctx.disamb.hints else None
    if hint is not None:
        if hint in ("initials", "given") or (hint.endswith("primary") and index == 0):
            form = "long"
            if hint.startswith("given"):
                initialize_on = False
    if name.literal:
        rich = name_rich(name.literal)
        out: object = Lit(rich)
        if opts.family_f is not None:
            out = Fmt(opts.family_f, [out])
        return apply_formatting(opts.f, out, ctx)
    style = ctx.style
    inverted = ctx.in_sort or opts.name_as_sort_order == "all" or \
        (opts.name_as_sort_order == "first" and index == 0)
    given: str | list[Any] = name.given
    if name.given and opts.initialize_with is not None and name.family:
        if "<" in name.given:
            given = _initialize_rich(name.given, opts.initialize_with, initialize_on,
                                     style.initialize_with_hyphen)
        else:
            given = initialize(name.given, opts.initialize_with, initialize_on,
                               style.initialize_with_hyphen)
    family_f = opts.family_f
    given_f = opts.given_f
    if family_f is None and given_f is None and isinstance(given, str) and \
            "<" not in name.family:
        return apply_formatting(opts.f, Lit([_plain_name(name, given, form, inverted, opts,
                                                         ctx)]), ctx)
    fam = _part(family_f, name.family)
    ndp = _part(family_f, name.non_dropping_particle)
    giv = _part(given_f, given)
    dp = _part(given_f, name.dropping_particle)
    suffix = Lit([name.suffix]) if name.suffix else None
    if not name.romanesque:
        if form == "short":
            out = _affixed(family_f, [fam])
        else:  # family name first, no space: 田中太郎
            out = formatted(EMPTY, [_affixed(family_f, [fam]), _affixed(given_f, [giv])])
        return apply_formatting(opts.f, out, ctx)
    sep = opts.sort_separator
    demote = style.demote_non_dropping_particle
    if form == "short":
        out = _affixed(family_f, [_join([ndp, fam], name.non_dropping_particle)])
    elif inverted and demote in ("never", "sort-only") and not ctx.in_sort:
        out = _sep([_affixed(family_f, [_join([ndp, fam], name.non_dropping_particle)]),
                    _affixed(given_f, [_join([giv, dp], given)]), suffix], sep)
    elif inverted and ctx.in_sort and demote == "never":
        out = _sep([_affixed(family_f, [_join([ndp, fam], name.non_dropping_particle)]),
                    _affixed(given_f, [_join([giv, dp], given)]), suffix], sep)
    elif inverted:
        out = _sep([_affixed(family_f, [fam]),
                    _affixed(given_f, [_join([giv, dp, ndp], given, name.dropping_particle)]),
                    suffix], sep)
    else:
        family_part = _join([dp, ndp, fam], name.dropping_particle,
                            name.non_dropping_particle)
        if suffix is not None:
            if name.comma_suffix:
                family_part = _sep([family_part, suffix], ", ")
            else:
                family_part = _join([family_part, suffix], "x")
        out = _join([_affixed(given_f, [giv]), _affixed(family_f, [family_part])], given)
    return apply_formatting(opts.f, out, ctx)


def _glue(parts: list[str]) -> str:
    """Return name parts joined by spaces, none after "d'" or "al-"."""
    out = ""
    for part in parts:
        if not part:
            continue
        if out and not (out[-1] in "'\u2019-\u2013" or out[-1].isspace()):
            out += " "
        out += part
    return out


def _plain_name(name: Name, given: str, form: str, inverted: bool, opts: NameOpts,
                ctx: Ctx) -> str:
    """Return a name without name-part formatting as one string (the fast common case)."""
    fam = name.family.replace("'", "\u2019")
    given = given.replace("'", "\u2019")
    ndp = name.non_dropping_particle.replace("'", "\u2019")
    dp = name.dropping_particle.replace("'", "\u2019")
    if not name.romanesque:
        return fam if form == "short" else fam + given
    if form == "short":
        return _glue([ndp, fam])
    sep = opts.sort_separator
    demote = ctx.style.demote_non_dropping_particle
    if inverted:
        if (demote in ("never", "sort-only") and not ctx.in_sort) or \
                (ctx.in_sort and demote == "never"):
            parts = [_glue([ndp, fam]), _glue([given, dp]), name.suffix]
        else:
            parts = [fam, _glue([given, dp, ndp]), name.suffix]
        return sep.join(p for p in parts if p)
    family = _glue([dp, ndp, fam])
    if name.suffix:
        family = f"{family}, {name.suffix}" if name.comma_suffix else \
            _glue([family, name.suffix])
    return _glue([given, family])


def name_rich(text: str) -> list[Any]:
    """Return a name part as rich text: apostrophes are "’", never quotation marks."""
    text = text.replace("'", "\u2019")
    return render_value(text) if "<" in text else [text]


def _part(f: Formatting | None, text: str | list[Any]) -> object:
    if not text:
        return None
    out: object = Lit(text if isinstance(text, list) else name_rich(text))
    if f is not None and not f.is_empty:
        inner = f.replace(prefix="", suffix="")
        if not inner.is_empty:
            out = Fmt(inner, [out])
    return out


def _affixed(f: Formatting | None, items: list[Any]) -> object:
    items = [i for i in items if i is not None]
    if not items:
        return None
    if f is None or (not f.prefix and not f.suffix):
        return formatted(EMPTY, items)
    return Fmt(affixes(f.prefix_text, f.suffix_text), items)


def _join(items: list[Any], *texts: object) -> object:
    """Return `items` joined with spaces, with no space after a particle ending in an
    apostrophe or hyphen ("d'Aubigné")."""
    present = [i for i in items if i is not None]
    if not present:
        return None
    if len(present) == 1:
        return present[0]
    out: list[Any] = [present[0]]
    for previous, item in zip(present, present[1:]):
        tail = _last_text(previous)
        if tail and (tail[-1] in "'\u2019-\u2013" or tail[-1].isspace()):
            out.append(item)
        else:
            out.append(Fmt(affixes(" "), [item]))
    return Fmt(EMPTY, out)


def _sep(items: list[Any], sep: str) -> object:
    present = [i for i in items if i is not None]
    if not present:
        return None
    return Fmt(_delimiter(sep), present) if len(present) > 1 else present[0]


_DELIMITERS: dict[str, Formatting] = {}


def _delimiter(sep: str) -> Formatting:
    found = _DELIMITERS.get(sep)
    if found is None:
        found = _DELIMITERS[sep] = EMPTY.replace(delimiter=sep)
    return found


def _last_text(node: object) -> str:
    from .output import render
    from .richtext import last_char

    return last_char(render(node))


def initialize(given: str, initialize_with: str, make_initials: bool, hyphen: bool) -> str:
    """Return `given` with initials: "John Paul" → "J. P.", "Jean-Paul" → "J.-P."."""
    words: list[tuple[bool, str]] = []  # (already an initial, text)
    current = ""
    for ch in given:
        if ch == ".":
            if current:
                words.append((True, current))
            current = ""
        elif ch == "-":
            if current:
                words.append((False, current))
            current = "-"
        elif ch == " ":
            if current:
                words.append((len(current) == 1, current))
            current = ""
        else:
            current += ch
    if current:
        words.append((len(current) == 1, current))
    out = []
    for initial, word in words:
        if initial:
            out.append(word + initialize_with)
        elif word.islower() and not word.startswith("-"):
            out.append(word + " " if initialize_with.endswith(" ") else " " + word + " ")
        elif make_initials:
            found = _initial(word, hyphen)
            out.append(found + initialize_with if found else "")
        else:
            out.append(word + " ")
    return "".join(out).replace(" -", "-").strip()


def _initialize_rich(given: str, initialize_with: str, make_initials: bool,
                     hyphen: bool) -> list[Any]:
    """Return initials of a given name holding markup ("<b>John</b> Q." → "<b>J.</b> Q.")."""
    from .markup import parse_markup
    from .richtext import Span, plain

    out: list[Any] = []
    previous_ends_space = False
    for piece in parse_markup(given.replace("'", "\u2019")):
        text = piece if isinstance(piece, str) else plain(piece.children)
        if not text.strip():
            previous_ends_space = previous_ends_space or bool(text)
            continue
        done = initialize(text, initialize_with, make_initials, hyphen)
        if out and (previous_ends_space or text[:1].isspace()):
            out.append(" ")
        out.append(done if isinstance(piece, str) else Span(piece.kind, [done], piece.arg))
        previous_ends_space = text[-1:].isspace()
    return out


def _initial(word: str, hyphen: bool) -> str:
    if word.startswith("-"):
        rest = word[1:]
        if rest[:1].isupper():
            return ("-" if hyphen else "") + rest[0]
        return ""
    first = word[:1]
    if len(word) > 2 and word[1].isupper() and word[2:].islower():
        return first + word[1].lower()
    return first


def name_sort_parts(name: Name, demote: str) -> list[str]:
    """Return the parts a name sorts by (family first, particles demoted per the style)."""
    if name.literal:
        return [name.literal]
    if not name.romanesque:
        return [name.family, name.given]
    if demote == "never":
        family = (name.non_dropping_particle + " " + name.family).strip()
        return [family, name.dropping_particle, name.given, name.suffix]
    particles = (name.dropping_particle + " " + name.non_dropping_particle).strip()
    return [name.family, particles, name.given, name.suffix]
