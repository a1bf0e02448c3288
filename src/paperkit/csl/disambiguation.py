"""Disambiguation: make cites of different works read differently.

Two cites are ambiguous when they render to the same text (without locators and affixes).
The style's methods are tried in CSL's order on each set of colliding works:

1. ``disambiguate-add-names``: show more names before "et al.", the fewest that help;
2. ``disambiguate-add-givenname`` (``by-cite``): add initials, then full given names, to
   the names that differ; the global rules (``all-names``, ``primary-name``, with or
   without initials) expand every name that shares its family name with another first;
3. ``disambiguate="true"`` conditions of ``cs:choose`` are switched on;
4. ``disambiguate-add-year-suffix``: "2000a", "2000b", in the order of the bibliography.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from .context import FIRST, IBID, SUBSEQUENT
from .person import initialize
from .output import Fmt, Tag, render
from .references import Name
from .richtext import plain

if TYPE_CHECKING:
    from .processor import Processor

__all__ = ["disambiguate"]


def disambiguate(proc: Processor, cites: list[Any], ids: list[str],
                 bib_order: list[str]) -> None:
    """Set the disambiguation state of every work so that no two cites collide."""
    style = proc.style
    layout = style.citation
    opts = layout.options
    add_names = opts.get("disambiguate-add-names") == "true"
    add_given = opts.get("disambiguate-add-givenname") == "true"
    rule = opts.get("givenname-disambiguation-rule", "by-cite")
    add_year = opts.get("disambiguate-add-year-suffix") == "true"
    condition = sum(1 for n in style.root.iter()
                    if isinstance(n.tag, str) and n.get("disambiguate") == "true")
    if not (add_names or add_given or add_year or condition):
        return
    pairs: list[tuple[str, frozenset[str]]] = []
    seen: set[tuple[str, frozenset[str]]] = set()
    cited = set()
    for cite in cites:
        if cite.item.id not in proc.refs or cite.item.mode == "author-only":
            continue
        if IBID in cite.position:
            # "Ibid." points at the cite just before it: two works' "Ibid." are no
            # ambiguity to resolve (pandoc alike)
            cited.add(cite.item.id)
            continue
        pair = (cite.item.id, cite.position - {"near-note"})
        cited.add(cite.item.id)
        if pair not in seen:
            seen.add(pair)
            pairs.append(pair)
    for ident in ids:  # works listed but not cited (nocite) must differ from cited ones
        if ident not in cited and ident in proc.refs:
            pair = (ident, frozenset({FIRST}))
            seen.add(pair)
            pairs.append(pair)
    later = any(SUBSEQUENT in position for _, position in pairs) and \
        SUBSEQUENT in proc.position_tokens
    if later or any(k in opts or k in style.root.attrib for k in ("et-al-subsequent-min",
                                                                  "et-al-subsequent-use-first")):
        # cites may later print in their subsequent form: that form must differ too, from
        # every other work's ("Doe, supra note 1" for two books of one note: citeproc-js)
        for ident in list(dict.fromkeys(p[0] for p in pairs)):
            pair = (ident, frozenset({"subsequent"}))
            if pair not in seen:
                seen.add(pair)
                pairs.append(pair)
    run = _Run(proc, pairs)
    if add_given and rule != "by-cite":
        run.global_names(rule)
    order = {ident: index for index, ident in enumerate(bib_order)}
    for group in run.groups(pairs):
        amb = group
        if add_names:
            amb = run.add_names(amb, add_given and rule == "by-cite")
        elif add_given and rule == "by-cite":
            amb = run.add_given(amb)
        if condition and amb:
            amb = run.conditions(amb, condition)
        if add_year and amb:
            for part in run.groups([p for p in pairs if p[0] in amb]):
                ranked = sorted(part, key=lambda i: order.get(i, len(order)))
                for number, ident in enumerate(ranked, 1):
                    proc.disamb[ident].year_suffix = number


class _Run:
    def __init__(self, proc: Processor, pairs: list[tuple[str, frozenset[str]]]) -> None:
        self.proc = proc
        self.pairs = pairs
        self.texts: dict[int, tuple[object, str]] = {}
        self.by_id: dict[str, list[frozenset[str]]] = {}
        for ident, position in pairs:
            self.by_id.setdefault(ident, []).append(position)

    def render(self, ident: str, position: frozenset[str]) -> object:
        return self.proc.render_item(ident, self.proc.style.citation, position=position)

    def text(self, ident: str, position: frozenset[str]) -> str:
        node = self.render(ident, position)
        found = self.texts.get(id(node))
        if found is None or found[0] is not node:
            found = self.texts[id(node)] = (node, plain(render(_without_accessed(node))))
        return found[1]

    def groups(self, pairs: list[tuple[str, frozenset[str]]]) -> list[list[str]]:
        """Return the sets of works whose cites collide (connected through shared texts)."""
        by_text: dict[str, list[str]] = {}
        for ident, position in pairs:
            text = self.text(ident, position)
            if not text.strip():
                continue
            owners = by_text.setdefault(text, [])
            if ident not in owners:
                owners.append(ident)
        parent: dict[str, str] = {}

        def find(x: str) -> str:
            while parent.get(x, x) != x:
                x = parent[x]
            return x

        for owners in by_text.values():
            if len(owners) > 1:
                for other in owners[1:]:
                    a, b = find(owners[0]), find(other)
                    if a != b:
                        parent[b] = a
        members: dict[str, list[str]] = {}
        for owners in by_text.values():
            if len(owners) > 1:
                for ident in owners:
                    root = find(ident)
                    if ident not in members.setdefault(root, []):
                        members[root].append(ident)
        return list(members.values())

    def ambiguous(self, ids: list[str]) -> list[str]:
        """Return the works among `ids` that still share a rendering with another."""
        by_text: dict[str, set[str]] = {}
        for ident in ids:
            for position in self.by_id.get(ident, [frozenset({FIRST})]):
                text = self.text(ident, position)
                if text.strip():
                    by_text.setdefault(text, set()).add(ident)
        out: list[str] = []
        for owners in by_text.values():
            if len(owners) > 1:
                out += [i for i in owners if i not in out]
        return [i for i in ids if i in out]

    # ------------------------------------------------------------------ add names

    def _name_count(self, ident: str) -> int:
        ref = self.proc.refs[ident]
        counts = [len(v) for v in ref.vars.values()
                  if isinstance(v, list) and v and isinstance(v[0], Name)]
        return max(counts, default=0)

    def add_names(self, amb: list[str], by_cite: bool) -> list[str]:
        """Show more names (and, `by_cite`, given names) until the works differ.

        A work that becomes distinct keeps the count that made it so; works that stay
        ambiguous keep the count of the last step that told any of them apart (none when
        no step did: a year suffix will do it).
        """
        disamb = self.proc.disamb
        most = max((self._name_count(i) for i in amb), default=0)
        unresolved = list(amb)
        last_split: int | None = None
        classes = self.classes(amb)
        for n in range(1, most + 1):
            for ident in unresolved:
                disamb[ident].et_al_names = n
            if by_cite:
                self.hint(unresolved)
            now = self.classes(amb)
            if now > classes:
                last_split = n
                classes = now
            left = self.ambiguous(amb)
            unresolved = [i for i in unresolved if i in left]
            if not unresolved:
                break
        for ident in unresolved:
            disamb[ident].et_al_names = last_split
        return self.ambiguous(amb)

    def classes(self, ids: list[str]) -> int:
        """Return how many different renderings `ids` have."""
        return len({self.text(i, p) for i in ids for p in self.by_id.get(i, [])})

    def _shown_names(self, ident: str) -> list[Name]:
        names: list[Name] = []
        for position in self.by_id.get(ident, [frozenset({FIRST})]):
            _collect(self.render(ident, position), names)
        return names

    def conditions(self, amb: list[str], most: int) -> list[str]:
        """Switch on the style's ``disambiguate="true"`` tests one more at a time (in the
        order a rendering meets them) until the works differ."""
        disamb = self.proc.disamb
        unresolved = list(amb)
        for level in range(1, most + 1):
            for ident in unresolved:
                disamb[ident].condition = level
            left = self.ambiguous(amb)
            unresolved = [i for i in unresolved if i in left]
            if not unresolved:
                break
        return self.ambiguous(amb)

    def hint(self, ids: list[str]) -> None:
        """Give the shown names of `ids` that share a family name with a different name
        shown by another of them initials (when those differ) or full given names."""
        disamb = self.proc.disamb
        shown = {i: self._shown_names(i) for i in ids}
        for ident in ids:
            others = [n for o in ids if o != ident for n in shown[o]]
            for name in shown[ident]:
                rivals = [o for o in others if _family(o) == _family(name) and
                          _given_key(o) != _given_key(name)]
                if not rivals or name.literal:
                    continue
                if all(_initials(o) != _initials(name) for o in rivals):
                    hint = "initials"
                else:
                    hint = "given"
                if disamb[ident].hints.get(name) != "given":
                    disamb[ident].hints = {**disamb[ident].hints, name: hint}

    def add_given(self, amb: list[str]) -> list[str]:
        self.hint(amb)
        return self.ambiguous(amb)

    def global_names(self, rule: str) -> None:
        """Expand names that share a family name with another, document-wide."""
        disamb = self.proc.disamb
        primary = rule.startswith("primary")
        only_initials = rule.endswith("with-initials")
        per_item: dict[str, list[tuple[int, Name]]] = {}
        for ident in self.by_id:
            found: list[tuple[int, Name]] = []
            for position in self.by_id[ident]:
                for names in _name_lists(self.render(ident, position)):
                    for index, name in enumerate(names):
                        if (index, name) not in found:
                            found.append((index, name))
            per_item[ident] = found
        by_family: dict[tuple[str, str], list[Name]] = {}
        for found in per_item.values():
            for index, name in found:
                if primary and index:
                    continue
                group = by_family.setdefault(_family(name), [])
                if name not in group:
                    group.append(name)
        # each name's (given-name key, initials), once per family group: a family many
        # works share would otherwise recompute them for every pair (quadratic)
        keyed: dict[tuple[str, str], list[tuple[str, str]]] = {
            family: [(_given_key(o), _initials(o)) for o in group]
            for family, group in by_family.items()}
        for ident, found in per_item.items():
            for index, name in found:
                if (primary and index) or name.literal:
                    continue
                given = _given_key(name)
                rivals = [initials for key, initials in keyed.get(_family(name), ())
                          if key != given]
                if not rivals:
                    continue
                same_initials = _initials(name) in rivals
                if only_initials:
                    if same_initials:
                        continue
                    hint = "initials"
                elif not same_initials:
                    hint = "initials"
                else:
                    hint = "given"
                if primary:
                    hint += "-primary"
                disamb[ident].hints = {**disamb[ident].hints, name: hint}


def _family(name: Name) -> tuple[str, str]:
    return (name.non_dropping_particle, name.family or name.literal)


def _given_key(name: Name) -> str:
    return name.given.replace(".", "").replace(" ", "").casefold()


def _initials(name: Name, initialize_with: str | None = None) -> str:
    """Return the initials of `name` (the same for every style: "J. P." vs "J. R.")."""
    return initialize(name.given, "", True, False) if name.given else ""


def _collect(node: object, out: list[Any], with_index: bool = False) -> None:
    """Collect the names shown in output `node` (with their index in their list)."""
    stack: list[object] = [node]
    while stack:
        current = stack.pop()
        if current is None:
            continue
        if isinstance(current, Tag):
            if current.kind == "names" and with_index:
                _, names = current.value
                _names_in(current.child, out, list(names))
                continue
            if current.kind == "name":
                if not with_index and current.value not in out:
                    out.append(current.value)
                continue
            stack.append(current.child)
        elif isinstance(current, Fmt):
            stack.extend(reversed(current.items))


def _names_in(node: object, out: list[Any], all_names: list[Any]) -> None:
    stack: list[object] = [node]
    while stack:
        current = stack.pop()
        if current is None:
            continue
        if isinstance(current, Tag):
            if current.kind == "name":
                entry = (all_names.index(current.value) if current.value in all_names else 0,
                         current.value)
                if entry not in out:
                    out.append(entry)
                continue
            stack.append(current.child)
        elif isinstance(current, Fmt):
            stack.extend(reversed(current.items))


def _name_lists(node: object) -> list[tuple[Any, ...]]:
    """Return the full name lists of the names tags in output `node`."""
    found: list[tuple[Any, ...]] = []
    stack: list[object] = [node]
    while stack:
        current = stack.pop()
        if current is None:
            continue
        if isinstance(current, Tag):
            if current.kind == "names" and current.value[1]:
                found.append(current.value[1])
                continue
            stack.append(current.child)  # a substitute's wrapper holds the real names
        elif isinstance(current, Fmt):
            stack.extend(reversed(current.items))
    return found


def _without_accessed(node: object) -> object:
    """Return output `node` without its access dates (they never tell works apart)."""
    if isinstance(node, Tag):
        if node.kind == "accessed":
            return None
        return Tag(node.kind, node.value, _without_accessed(node.child))
    if isinstance(node, Fmt):
        return Fmt(node.f, [_without_accessed(i) for i in node.items if i is not None])
    return node
