"""Paper -> LaTeX: the body in Python (``latex_body``), the document by the Jinja template.

:func:`write_latex` renders the body (sections, blocks, inlines, notes, citations, the
reference list) to LaTeX, then hands it with the template's values (``latex_context``) to
``latex.tex.j2`` in the template folder (``latex_env``).

Citations come in two modes (front matter ``latex-citations`` or ``--latex-citations``):
``rendered`` prints the citation style's text, as the docx and pdf outputs do; ``biblatex``
prints ``\\autocite``/``\\textcite`` commands, writes ``references.bib`` and lets biber
format the list with the biblatex style closest to the CSL style (``latex_biblatex``).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from ..diagnostics import Log
from ..model import Paper
from ..options import BuildOptions
from ..templates import Template, shipped_templates_dir
from ..walk import plain_text
from . import layout
from .latex_biblatex import (BIB_ALIASES, bib_file, biblatex_styles, citation_format,
                             usable_key)
from .latex_body import (BodyState, collect_anchors, deferring, heading_latex, note_texts,
                         render_blocks, render_body, render_inlines)
from .latex_context import number, template_values
from .latex_env import TEMPLATE_FILE, make_environment, render_template
from .latex_escape import SCRIPTS, Latex, anchor, escape, script_of, url_argument

__all__ = ["write_latex", "render_body", "citation_mode", "LATEXMKRC", "CITATION_MODES"]

#: The LaTeX citation modes: the style's rendered text, or biblatex commands + biber.
CITATION_MODES = ("rendered", "biblatex")

#: Written beside ``paper.tex`` so ``latexmk`` builds it safely, into ``latex-build/`` (the
#: reportlab ``paper.pdf`` in the same folder is left alone).
LATEXMKRC = """\
# paperkit: `latexmk` builds paper.tex with pdflatex into latex-build/.
# For Greek, Cyrillic or CJK text without the TeX language packages use:  latexmk -xelatex
$pdf_mode = 1;
$out_dir = 'latex-build';
$pdflatex = 'pdflatex -interaction=nonstopmode -halt-on-error -no-shell-escape %O %S';
$xelatex = 'xelatex -interaction=nonstopmode -halt-on-error -no-shell-escape %O %S';
$lualatex = 'lualatex -interaction=nonstopmode -halt-on-error -no-shell-escape %O %S';
"""

_SCRIPT_NAMES = {"greek": "Greek", "cyrillic": "Cyrillic", "cjk": "CJK"}
_SCRIPT_PACKAGES = {"greek": "texlive-lang-greek", "cyrillic": "texlive-lang-cyrillic",
                    "cjk": "latex-cjk-all"}


# --------------------------------------------------------------------------- entry point


def citation_mode(paper: Paper, options: BuildOptions) -> str:
    """Return how citations are printed: `options` first, then the front matter, else
    ``rendered``. ``biblatex`` needs references; without any it is ``rendered``."""
    mode = options.latex_citations or paper.latex_citations or "rendered"
    if mode not in CITATION_MODES:
        raise ValueError(f"latex_citations must be one of {', '.join(CITATION_MODES)}, "
                         f"not {mode!r}")
    return mode if paper.references else "rendered"


def write_latex(paper: Paper, template: Template, options: BuildOptions, *,
                log: Log | None = None) -> dict[str, bytes]:
    """Return ``paper.tex``, its figures (``figures/fig1.png`` ...) and a ``latexmkrc``, plus
    ``references.bib`` in biblatex mode.

    The ``.tex`` compiles with pdflatex, xelatex and lualatex (biblatex mode: then biber,
    then the engine twice more). Characters pdflatex cannot set, refused math and unusable
    images are reported to `log` (PK501, PK502) when given. Raises
    :class:`~paperkit.errors.TemplateError` (PK108) for a broken ``latex.tex.j2``.
    """
    state = BodyState(paper, template, log)
    state.anchors = collect_anchors(paper)
    if citation_mode(paper, options) == "biblatex":
        state.bib_keys = {r.key for r in paper.references if usable_key(r.key)}
    context = _context(paper, template, state, options)
    # The template's own folder, then those it extends: the nearest latex.tex.j2 (and
    # partial) wins.
    folders = [template.path, *template.search_path, shipped_templates_dir() / "article"]
    env = make_environment(list(dict.fromkeys(folders)))
    tex = render_template(env, TEMPLATE_FILE, context)
    _report_unsupported(state)
    outputs: dict[str, bytes] = {"paper.tex": tex.encode("utf-8"),
                                 "latexmkrc": LATEXMKRC.encode("utf-8")}
    if state.bib_keys is not None:
        outputs["references.bib"] = bib_file(paper.references).encode("utf-8")
    outputs.update(state.files)
    return outputs


def _context(paper: Paper, template: Template, state: BodyState,
             options: BuildOptions) -> dict[str, Any]:
    """Return every variable ``latex.tex.j2`` prints: template values, title block, body."""
    values = template_values(template)
    blocks = layout.author_block(paper)
    with deferring(state) as title_notes:
        title = render_inlines(paper.title, state)
        subtitle = render_inlines(paper.subtitle, state)
    for value in [a.name for a in paper.authors] + [a for _, a in blocks.affiliations] + \
            blocks.emails + paper.keywords + [paper.date]:
        state.text(value, paper.pos)
    body = render_body(paper, state)
    abstract, abstract_notes = _abstract(paper, state)
    values.update({
        "title": title,
        "subtitle": subtitle,
        "title_notes": Latex("".join(title_notes)),
        "authors": [{"name": name, "mark": mark} for name, mark in blocks.names],
        "affiliations": [{"mark": mark, "text": text} for mark, text in blocks.affiliations],
        "emails": [{"text": e, "url": Latex(url_argument(f"mailto:{e}"))}
                   for e in blocks.emails],
        "date": paper.date,
        "abstract": abstract,
        "abstract_notes": abstract_notes,
        "keywords": list(paper.keywords),
        "running_title": layout.running_title(paper, template),
        "meta": {
            "title": plain_text(paper.title),
            "subtitle": plain_text(paper.subtitle),
            "author": ", ".join(a.name for a in paper.authors),
            "keywords": ", ".join(paper.keywords),
            # Only a language tag's characters: the value sits in hyperref's key=value list.
            "lang": "".join(c for c in paper.lang if c.isascii() and (c.isalnum() or c == "-"))
                    or "en",
        },
        "body": body,
        "bibliography": _bibliography(paper, state),
        "biblatex": _biblatex(paper, template, state, options),
    })
    return values


def _abstract(paper: Paper, state: BodyState) -> tuple[Latex, Latex]:
    """Return the abstract's LaTeX and the texts of its footnotes when they must follow it.

    A boxed abstract is set in a minipage, which would keep its footnotes inside the box
    (numbered a, b, ...); its notes become marks whose texts follow the box, and its code
    and tables take their unboxed forms.
    """
    if state.template.abstract_style != "box":
        return render_blocks(paper.abstract, state), Latex("")
    saved = state.in_box
    state.in_box = True
    try:
        with deferring(state) as notes:
            text = render_blocks(paper.abstract, state)
    finally:
        state.in_box = saved
    return text, Latex(note_texts(notes))


def _report_unsupported(state: BodyState) -> None:
    """Add one PK501 a script (or one for other characters) pdflatex cannot set."""
    groups: dict[str, list[str]] = {}
    for char in state.unsupported:
        groups.setdefault(script_of(char) or "other", []).append(char)
    for group, chars in groups.items():
        pos = state.unsupported[chars[0]]
        shown = ", ".join(f"'{c}' (U+{ord(c):04X})" if c.isprintable() else f"U+{ord(c):04X}"
                          for c in sorted(chars)[:8]) + (", ..." if len(chars) > 8 else "")
        if group in SCRIPTS:
            detail = (f"pdflatex cannot set the {_SCRIPT_NAMES[group]} characters {shown} "
                      f"without {_SCRIPT_PACKAGES[group]}; its PDF shows "
                      f"[{_SCRIPT_NAMES[group]}] instead (build the .tex with xelatex or "
                      "lualatex to keep them)")
        else:
            detail = (f"pdflatex cannot set {shown}; its PDF shows a [U+...] placeholder "
                      "(xelatex or lualatex set them if the font has them; control "
                      "characters are left out)")
        state.warn("PK501", pos, detail)


# --------------------------------------------------------------------------- references


def _bibliography(paper: Paper, state: BodyState) -> dict[str, Any] | None:
    """Return the reference list for the template: its heading and one entry a work (in
    biblatex mode no entries: ``\\printbibliography`` sets them)."""
    if not paper.bibliography:
        return None
    title = state.template.references_title
    heading = heading_latex(1, "", escape(title), title, None, [])
    if state.bib_keys is not None:
        return {"heading": Latex(heading), "entries": [], "title": title,
                "printbibliography": True}
    entries = [{"anchor": Latex(anchor(layout.entry_anchor(e.key))),
                "content": render_inlines(e.content, state)} for e in paper.bibliography]
    return {"heading": Latex(heading), "entries": entries, "title": title,
            "printbibliography": False}


def _biblatex(paper: Paper, template: Template, state: BodyState,
              options: BuildOptions) -> dict[str, Any] | None:
    """Return the preamble values of biblatex mode (None in rendered mode): the style
    choice as TeX (the best installed style wins), ``\\nocite`` keys, the hanging indent."""
    if state.bib_keys is None:
        return None
    csl = options.csl or paper.csl or template.citation_style
    choices = biblatex_styles(csl, citation_format(_csl_path(csl, paper)))
    # Worst first, each overridden by a better one TeX finds: the last found wins.
    lines = []
    for file, package, package_options in reversed(choices):
        define = f"\\def\\pk@bibpackage{{{package}}}\\def\\pk@bibstyle{{{package_options}}}"
        lines.append(f"\\IfFileExists{{{file}}}{{{define}}}{{}}" if file else define)
    nocite = ["*"] if "@*" in paper.nocite or "*" in paper.nocite else \
        [k for k in paper.nocite if k in state.bib_keys]
    lines.append(BIB_ALIASES)       # the names references.bib uses for \pkchar & co.
    return {"style_choice": Latex("\n".join(lines)), "nocite": Latex(",".join(nocite)),
            "hang": number(template.references_indent), "csl": csl}


def _csl_path(csl: str, paper: Paper) -> str | None:
    """Return the file of CSL style `csl`, or None when it cannot be found."""
    from ..transforms.csl_styles import resolve_style_path

    try:
        return resolve_style_path(csl, base_dir=paper.source_dir)
    except Exception:                    # an unknown style was reported while resolving
        return None
