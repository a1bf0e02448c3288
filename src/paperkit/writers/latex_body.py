"""The LaTeX writer's body: one function a node type, sections to inlines.

:func:`render_body` turns sections, blocks and inlines into LaTeX. Every piece of source
text goes through :func:`~paperkit.writers.latex_escape.escape`; math through
:func:`~paperkit.writers.latex_math.check_math`; labels through :func:`anchor`.

Heading numbers, caption labels and cross-reference texts are printed from
``writers.layout`` (``\\section*{2.1\\quad Title}``), not by LaTeX's counters, so they read
exactly as in the docx and pdf outputs, in any numbering scheme.

Each heading and each top-level block is preceded by a ``% paper.md:LINE`` comment, so that
a TeX error in the ``.tex`` can be traced back to the source line (``latex_compile``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import unquote

from ..diagnostics import Log
from ..model import (Block, BlockQuote, BulletList, Cite, Code, CodeBlock, Emph, Figure,
                     Inline, LineBreak, Link, Math, MathBlock, Note, OrderedList, Paper,
                     Paragraph, Pos, Ref, Section, SmallCaps, Strong, Subscript,
                     Superscript, Table, Text, ThematicBreak)
from ..templates import Template
from ..walk import iter_sections, plain_text
from . import layout
from .latex_biblatex import cite_command
from .latex_context import heading_command
from .latex_escape import Latex, anchor, escape, unsupported_chars, url_argument
from .latex_figures import figure_file, table_columns
from .latex_math import check_math

__all__ = ["BodyState", "render_body", "render_blocks", "render_inlines", "heading_latex",
           "deferring", "note_texts", "collect_anchors"]


@dataclass
class BodyState:
    """What rendering the body needs and collects: targets, figures, notes, problems."""

    paper: Paper
    template: Template
    log: Log | None
    anchors: set[str] = field(default_factory=set)
    files: dict[str, bytes] = field(default_factory=dict)
    #: footnote texts waiting for the end of a caption, heading or title (None: not waiting)
    deferred: list[str] | None = None
    in_note: bool = False
    in_box: bool = False
    bullet_depth: int = 0
    number_depth: int = 0
    #: biblatex mode: the keys references.bib holds (None: rendered citations)
    bib_keys: set[str] | None = None
    #: unsupported characters -> where first seen
    unsupported: dict[str, Pos | None] = field(default_factory=dict)

    def text(self, text: str, pos: Pos | None = None) -> Latex:
        """Return `text` escaped, noting characters pdflatex cannot set."""
        for char in sorted(unsupported_chars(text)):
            self.unsupported.setdefault(char, pos)
        return escape(text)

    def warn(self, code: str, pos: Pos | None, detail: str) -> None:
        """Record a format-specific warning when a log was given."""
        if self.log is not None:
            self.log.add(code, pos, detail=detail)


def collect_anchors(paper: Paper) -> set[str]:
    """Return the anchors the paper defines: section, table and figure labels, entries."""
    names = {s.label for s in iter_sections(paper.sections) if s.label}
    for block in _allrender_blocks(paper):
        if isinstance(block, (Table, Figure)) and block.label:
            names.add(block.label)
    for entry in paper.bibliography or []:
        names.add(layout.entry_anchor(entry.key))
    return {anchor(n) for n in names}


def _allrender_blocks(paper: Paper) -> list[Block]:
    found: list[Block] = []

    def visit(blocks: list[Block]) -> None:
        for block in blocks:
            found.append(block)
            match block:
                case BulletList(items=items) | OrderedList(items=items):
                    for item in items:
                        visit(item)
                case BlockQuote(blocks=inner):
                    visit(inner)
                case _:
                    pass

    visit(paper.blocks)
    for section in iter_sections(paper.sections):
        visit(section.blocks)
    return found


# --------------------------------------------------------------------------- body


def render_body(paper: Paper, state: BodyState | None = None) -> Latex:
    """Return the LaTeX body of `paper`: blocks before the first heading, then sections.

    Without `state` (tests, case files) the article template and no log are used.
    """
    if state is None:
        from ..templates import load_template

        state = BodyState(paper, load_template("article"), None)
        state.anchors = collect_anchors(paper)
    parts = [_top_blocks(paper.blocks, state)]
    parts.extend(_section(s, state) for s in paper.sections)
    return Latex("".join(p for p in parts if p))


def source_marker(pos: Pos | None) -> str:
    """Return the ``% paper.md:LINE`` comment line for `pos` ("" without a position).

    The compile step (``latex_compile``) maps a TeX error at a ``.tex`` line back to the
    source line of the nearest marker above it.
    """
    if pos is None or pos.line <= 0:
        return ""
    name = Path(pos.file).name.replace("\n", " ")
    return f"% {name}:{pos.line}\n"


def _top_blocks(blocks: list[Block], state: BodyState) -> str:
    """Return the blocks of a section (or before the first), each after its source marker."""
    parts = []
    for block in blocks:
        text = _block(block, state)
        if text:
            parts.append(source_marker(block.pos) + text)
    return "\n".join(parts)


def heading_latex(level: int, number: str, title: Latex, bookmark: str, label: str | None,
             notes: list[str]) -> str:
    """Return a heading printed with its own `number`, a PDF bookmark and its label.

    `number` and `bookmark` are plain text; `title` is LaTeX already. The contents entry
    (and PDF bookmark) is the plain text: it is written to the .toc file, where a footnote
    mark or a link would break.
    """
    command = heading_command(level)
    shown = f"{escape(number)}\\quad {title}" if number else title
    entry = f"{escape(number)}\\quad {escape(bookmark)}" if number else escape(bookmark)
    mark = escape(f"{number} {bookmark}" if number else bookmark)
    lines = [f"\\{command}*{{{shown}}}",
             f"\\phantomsection\\addcontentsline{{toc}}{{{command}}}"
             f"{{\\texorpdfstring{{{entry}}}{{{mark}}}}}"]
    if label:
        lines.append(f"\\label{{{anchor(label)}}}")
    return "\n".join(lines) + "\n" + note_texts(notes) + "\n"


def _section(section: Section, state: BodyState) -> str:
    with deferring(state) as notes:
        title = render_inlines(section.title, state)
    number = layout.heading_text_number(section, state.template)
    head = heading_latex(section.level, number, title, plain_text(section.title), section.label,
                    notes)
    first = section.blocks[0] if section.blocks else None
    if isinstance(first, (Table, Figure)):
        # Keep the heading with the start of its table or (unbreakable) figure.
        lines = min(len(first.rows) + 6, 14) if isinstance(first, Table) else 16
        head = f"\\Needspace{{{lines}\\baselineskip}}\n" + head
    body = _top_blocks(section.blocks, state)
    subs = "".join(_section(s, state) for s in section.subsections)
    return source_marker(section.pos) + head + body + subs


class deferring:
    """While active, footnotes become ``\\footnotemark`` and their texts are collected.

    Captions and headings may be typeset twice (measured, then set) and a minipage keeps
    its own footnotes, so their notes are printed after the construct with
    :func:`note_texts`.
    """

    def __init__(self, state: BodyState) -> None:
        self.state = state
        self.saved: list[str] | None = None
        self.notes: list[str] = []

    def __enter__(self) -> list[str]:
        self.saved = self.state.deferred
        if self.saved is None:
            self.state.deferred = self.notes
        return self.notes

    def __exit__(self, *exc: object) -> None:
        self.state.deferred = self.saved


def note_texts(notes: list[str]) -> str:
    """Return ``\\footnotetext`` commands for deferred notes, numbered as their marks."""
    if not notes:
        return ""
    texts = "".join(f"\\stepcounter{{footnote}}\\footnotetext{{{n}}}" for n in notes)
    return f"\\addtocounter{{footnote}}{{-{len(notes)}}}{texts}\n"


def render_blocks(blocks: list[Block], state: BodyState, sep: str = "\n") -> Latex:
    return Latex(sep.join(b for b in (_block(b, state) for b in blocks) if b))


def _block(block: Block, state: BodyState) -> str:
    """Return the LaTeX of one block, ending with a newline."""
    match block:
        case Paragraph(content=content):
            text = render_inlines(content, state)
            return f"{text}\n" if text.strip() else ""
        case BulletList(items=items):
            return _list("itemize", None, items, state)
        case OrderedList(items=items, start=start):
            return _list("enumerate", start, items, state)
        case BlockQuote(blocks=blocks):
            inner = _after_item(render_blocks(blocks, state))
            return f"\\begin{{quote}}\\pkquotefont\n{inner}\\end{{quote}}\n"
        case Table():
            return _table(block, state)
        case Figure():
            return _figure(block, state)
        case CodeBlock(text=text):
            # Every space a control space, so indentation and runs of spaces survive.
            lines = [state.text(line, block.pos).replace(" ", "\\ ")
                     for line in text.expandtabs(4).rstrip("\n").split("\n")]
            body = "".join(f"\\pkcodeline{{{line}}}\n" for line in lines)
            env = "pkcodeplain" if state.in_box else "pkcode"   # no shading box in a note
            return f"\\begin{{{env}}}\n{body}\\end{{{env}}}\n"
        case MathBlock(tex=tex):
            result = check_math(tex)
            if result.ok:
                return f"\\[ {result.tex} \\]\n"
            state.warn("PK502", block.pos, f"display math printed as its source: "
                                           f"{result.problem}")
            return f"\\begin{{center}}\\texttt{{{state.text(tex, block.pos)}}}\\end{{center}}\n"
        case ThematicBreak():
            return "\\pkrule\n"
        case _:
            raise TypeError(f"not a block: {block!r}")


#: List marks by depth, bullet and numbered lists each counting their own nesting (as
#: LaTeX does, and the PDF and Word writers): bullet, dash, asterisk, centred dot; 1. (a) i.
_BULLETS = ("\\textbullet", "\\textendash", "\\textasteriskcentered",
            "\\textperiodcentered")
_ORDINALS = ("\\arabic*.", "(\\alph*)", "\\roman*.")


def _after_item(text: str) -> str:
    """Return `text`, the start of a list item or a quote (a list in LaTeX), safe there.

    framed's shaded code box right after ``\\item`` stops pdflatex ("Something's wrong--
    perhaps a missing \\item"; found by the fuzzed compile): the item's line is started,
    then the box pulled up to it.
    """
    if text.lstrip().startswith("\\begin{pkcode}"):
        return "\\leavevmode\\vspace*{-\\baselineskip}" + text.lstrip()
    return text


def _list(env: str, start: int | None, items: list[list[Block]], state: BodyState) -> str:
    bullets = env == "itemize"
    depth = state.bullet_depth if bullets else state.number_depth
    marks = _BULLETS if bullets else _ORDINALS
    option = f"label={marks[depth % len(marks)]}"
    if start is not None and start != 1:
        option += f", start={start}"
    lines = [f"\\begin{{{env}}}[{option}]"]
    saved = state.bullet_depth, state.number_depth
    if bullets:
        state.bullet_depth += 1
    else:
        state.number_depth += 1
    try:
        for item in items:
            # "\item{}" so that an item starting with "[" is not read as \item's label.
            lines.append("\\item{} " + _after_item(render_blocks(item, state).strip()))
    finally:
        state.bullet_depth, state.number_depth = saved
    lines.append(f"\\end{{{env}}}")
    return "\n".join(lines) + "\n"


def _table(table: Table, state: BodyState) -> str:
    """Return a booktabs table: a longtable (header repeated on each page) or, inside a
    footnote or box, a tabular.

    Notes in the caption and cells become marks whose texts follow the table, numbered in
    reading order (a caption may be set twice, and a tabular keeps no footnotes).
    """
    width = max([len(table.header), len(table.align), *(len(r) for r in table.rows)] or [0])
    if width == 0:
        return ""

    def row(cells: list[list[Inline]]) -> str:
        padded = list(cells) + [[]] * (width - len(cells))
        return " & ".join(render_inlines(c, state).strip() for c in padded) + " \\\\"

    has_breaks = any(isinstance(i, LineBreak) for r in [table.header, *table.rows]
                     for c in r for i in c)
    spec = table_columns(table, width, state.template, force_wrap=has_breaks)
    label_text = layout.caption_label("tbl", table.number, state.template)
    with deferring(state) as notes:
        # Rendered in reading order, so the deferred notes are numbered as they print.
        caption = render_inlines(table.caption, state)
        bold: list[list[Inline]] = [[Strong(list(cell))] if cell else []
                                    for cell in table.header]
        header = row(bold) if any(plain_text(c).strip() for c in table.header) else ""
        body = "\n".join(row(r) for r in table.rows)
    target = f"\\pkanchor{{{anchor(table.label)}}}" if table.label else ""
    cap = _caption(label_text, caption)
    head = f"\\toprule\n{header}\n\\midrule\n" if header else "\\toprule\n"
    if state.in_box:
        return (f"\\par{target}{{\\pkcaptionalign\\pkcaptionfont {cap}\\par}}\n"
                f"{{\\pktablefont\\noindent\\begin{{tabular}}{{{spec}}}\n{head}{body}\n"
                f"\\bottomrule\n\\end{{tabular}}\\par}}\n{note_texts(notes)}")
    cont = f"\\toprule\n{header}\n\\midrule\n" if header else ""
    return (f"{target}{{\\pktablefont\n\\begin{{longtable}}{{{spec}}}\n"
            f"\\caption*{{{cap}}}\\\\\n{head}\\endfirsthead\n{cont}\\endhead\n"
            f"\\bottomrule\n\\endlastfoot\n{body}\n\\end{{longtable}}\n}}"
            f"{note_texts(notes)}")


def _figure(figure: Figure, state: BodyState) -> str:
    """Return the image scaled into the text block with its caption below, unfloated."""
    with deferring(state) as notes:
        label_text = layout.caption_label("fig", figure.number, state.template)
        caption = render_inlines(figure.caption, state)
    index = len([n for n in state.files if n.startswith("figures/")]) + 1
    name, data, problem = figure_file(state.paper, figure, index)
    if name is not None:
        state.files[name] = data
        graphic = f"\\pkgraphic{{{name}}}"
    else:
        state.warn("PK501", figure.pos, f"figure '{figure.src}' left out of the .tex: "
                                        f"{problem}")
        graphic = f"\\pkmissingfigure{{{state.text(figure.alt or figure.src, figure.pos)}}}"
    target = f"\\pkanchor{{{anchor(figure.label)}}}" if figure.label else ""
    cap = f"\\pkfigurecaption{{{_caption(label_text, caption)}}}"
    parts = [graphic, cap] if state.template.figure_caption_position == "below" else \
        [cap, graphic]
    return (f"\\begin{{pkfigure}}{target}\n{parts[0]}\n{parts[1]}\n"
            f"\\end{{pkfigure}}\n{note_texts(notes)}")


def _caption(label: str, caption: Latex) -> str:
    """Return the label and caption as the template lays them out (``\\pkcaption``: "**Table
    1:** caption", or the label above the caption), or just the bold label without one."""
    if not caption.strip():
        return f"\\textbf{{{escape(label)}}}"
    return f"\\pkcaption{{{escape(label)}}}{{{caption}}}"


# --------------------------------------------------------------------------- inlines


def render_inlines(inlines: list[Inline], state: BodyState) -> Latex:
    return Latex("".join(_inline(node, state) for node in inlines))


def _inline(node: Inline, state: BodyState) -> str:
    """Return the LaTeX of one inline."""
    match node:
        case Text(text=text):
            return state.text(text, node.pos)
        case Emph(content=c):
            return f"\\emph{{{render_inlines(c, state)}}}"
        case Strong(content=c):
            return f"\\textbf{{{render_inlines(c, state)}}}"
        case SmallCaps(content=c):
            return f"\\textsc{{{render_inlines(c, state)}}}"
        case Superscript(content=c):
            return f"\\textsuperscript{{{render_inlines(c, state)}}}"
        case Subscript(content=c):
            return f"\\textsubscript{{{render_inlines(c, state)}}}"
        case Code(text=text):
            return f"\\texttt{{{state.text(text, node.pos)}}}"
        case Link():
            return _link(node, state)
        case Math(tex=tex):
            result = check_math(tex)
            if result.ok:
                return f"${result.tex}$"
            state.warn("PK502", node.pos, f"math printed as its source: {result.problem}")
            return f"\\texttt{{{state.text(tex, node.pos)}}}"
        case LineBreak():
            return "\\pkbreak{}"
        case Cite():
            return _cite(node, state)
        case Note():
            return _note(node, state)
        case Ref():
            text = state.text(layout.ref_text(node, state.template), node.pos)
            target = anchor(node.label)
            if node.number is not None and target in state.anchors:
                return f"\\hyperref[{target}]{{{text}}}"
            return text
        case _:
            raise TypeError(f"not an inline: {node!r}")


def _cite(cite: Cite, state: BodyState) -> str:
    """Return a citation as LaTeX: its rendered text (links to the reference list kept), or
    in biblatex mode ``\\autocite`` and friends.

    This is the one place citations are printed; an unresolved citation (no rendering)
    shows its source, so the gap stays visible. In biblatex mode a citation of a key that
    references.bib lacks keeps its rendered text (``[?key]``), never an undefined citation.
    """
    if state.bib_keys is not None and all(i.key in state.bib_keys for i in cite.items):
        return cite_command(cite, lambda inlines: render_inlines(inlines, state))
    if cite.rendered is None:
        return state.text(cite.source, cite.pos)
    return render_inlines(cite.rendered, state)


def _note(note: Note, state: BodyState) -> str:
    if state.in_note:
        # A note inside a note: LaTeX cannot nest footnotes; print it in parentheses.
        return f" ({render_blocks(note.blocks, state, sep=' ').strip()})"
    state.in_note, saved_box = True, state.in_box
    state.in_box = True
    try:
        text = render_blocks(note.blocks, state, sep="\\par\n").strip()
    finally:
        state.in_note, state.in_box = False, saved_box
    if state.deferred is not None:
        state.deferred.append(text)
        return "\\footnotemark{}"
    return f"\\footnote{{{text}}}"


def _link(link: Link, state: BodyState) -> str:
    content = render_inlines(link.content, state)
    if link.url.startswith("#"):
        target = anchor(link.url[1:])
        return f"\\hyperref[{target}]{{{content}}}" if target in state.anchors else content
    shown = plain_text(link.content)
    # an autolink's text is the URL as written; its target may be percent-encoded
    if shown == link.url or (" " not in shown and unquote(shown) == unquote(link.url)):
        content = breakable_url(shown)
    return f"\\href{{{url_argument(link.url)}}}{{{content}}}"


_URL_TOKENS = re.compile(r"[A-Za-z0-9]{1,8}|.", re.DOTALL)
# A break point with a little stretch (as url.sty's \Urlmuskip): a line that holds a long
# URL and few spaces would otherwise be too tight to break anywhere and run into the margin.
_URL_BREAK = "\\hspace{0pt plus 2pt}"


def breakable_url(url: str) -> Latex:
    """Return the printed `url` escaped, with a stretchable break point after each of its
    punctuation characters and every 8 letters or digits of a longer run.

    A printed URL (a DOI in a reference, an autolink) has no spaces; without break points
    one holding ``\\input{...}`` or a long query ran off the page (issue6-bugs.md #14). The
    ``//`` after the scheme is never broken.
    """
    tokens = _URL_TOKENS.findall(url)
    out: list[str] = []
    for i, token in enumerate(tokens):
        # letters in a box: TeX would hyphenate them after the glue ("se-cret")
        out.append(f"\\mbox{{{token}}}" if len(token) > 1 else escape(token))
        if i + 1 == len(tokens):
            break
        following = tokens[i + 1]
        if token.isalnum() and token.isascii():
            if following.isalnum() and following.isascii():
                out.append(_URL_BREAK)        # a long run of letters and digits
        elif not (token == ":" and following == "/") and \
                not (token == "/" and i > 0 and tokens[i - 1] in (":", "/")):
            out.append(_URL_BREAK)
    return Latex("".join(out))
