"""Shared templates: ``templates/<name>/template.yaml`` read into one typed :class:`Template`.

A template is the single source of a paper's look. The docx, pdf and tex writers all read the
same :class:`Template`; format-specific files (``latex.tex.j2``, an optional
``reference.docx``) sit beside the YAML and are listed in :attr:`Template.files`.

Loading validates every key against :data:`SCHEMA` and reports an unknown key or a wrong value
with its file and line. ``extends: article`` starts from another template and overrides keys.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable

from .errors import TemplateError
from .model import Pos
from .yaml_source import YamlDoc, did_you_mean, load_yaml

__all__ = ["Template", "PageSetup", "Fonts", "HeadingStyle", "load_template",
           "template_names", "locate_template", "PAGE_SIZES", "FONT_FAMILIES", "FontFamily"]

#: Named paper sizes in millimetres (width, height).
PAGE_SIZES: dict[str, tuple[float, float]] = {
    "a4": (210.0, 297.0),
    "letter": (215.9, 279.4),
    "a5": (148.0, 210.0),
}


@dataclass(frozen=True, slots=True)
class FontFamily:
    """A font family as each format names it.

    `pdf` is the stem of the bundled TrueType files (``LiberationSerif`` gives
    ``LiberationSerif-Regular.ttf`` ...), `docx` the name Word and LibreOffice know (the
    Liberation fonts are metric-compatible with these), `latex` the pdflatex package of a
    look-alike, `fontspec` the family xelatex and lualatex load.
    """

    pdf: str
    docx: str
    latex: str
    fontspec: str


#: The font families a template may name.
FONT_FAMILIES: dict[str, FontFamily] = {
    "liberation-serif": FontFamily("LiberationSerif", "Times New Roman", "tgtermes",
                                   "TeX Gyre Termes"),
    "liberation-sans": FontFamily("LiberationSans", "Arial", "tgheros", "TeX Gyre Heros"),
    "liberation-mono": FontFamily("LiberationMono", "Courier New", "tgcursor",
                                  "TeX Gyre Cursor"),
}


@dataclass(frozen=True, slots=True)
class PageSetup:
    """Page size and margins, all in millimetres."""

    width: float
    height: float
    top: float
    bottom: float
    left: float
    right: float

    @property
    def text_width(self) -> float:
        """Return the width between the margins in mm."""
        return self.width - self.left - self.right


@dataclass(frozen=True, slots=True)
class Fonts:
    """The three families, which sets body and headings, the base size and line spacing."""

    serif: FontFamily
    sans: FontFamily
    mono: FontFamily
    body: FontFamily
    headings: FontFamily
    size: float
    line_spacing: float


@dataclass(frozen=True, slots=True)
class HeadingStyle:
    """The look of one heading level (sizes and spacing in pt)."""

    size: float
    bold: bool
    italic: bool
    space_before: float
    space_after: float
    align: str = "left"             # left | center


@dataclass(frozen=True, slots=True)
class Template:
    """Every shared look decision of a paper; all three writers read this same object.

    Lengths: mm for page geometry, indents and the hanging indent; pt for font sizes and
    vertical spacing.
    """

    name: str
    path: Path
    description: str
    page: PageSetup
    fonts: Fonts
    align: str                      # justify | left
    paragraph_indent: float         # mm
    paragraph_space_after: float    # pt
    numbering: str                  # "1.1" | "I.A" | "none"
    headings: dict[int, HeadingStyle]
    title_layout: str               # header | page
    title_size: float
    subtitle_size: float
    author_size: float
    title_align: str                # center | left
    abstract_label: str
    abstract_size: float
    abstract_indent: float          # mm
    keywords_label: str
    running_header: str             # none | title | short-title
    footer: str                     # none | page | page-of
    caption_size: float
    table_label: str
    figure_label: str
    references_title: str
    references_indent: float        # mm
    references_size: float
    citation_style: str
    files: dict[str, Path] = field(default_factory=dict)
    #: the template's folder and those of the templates it extends, nearest first (ending
    #: with article's): where the format files are looked up
    search_path: tuple[Path, ...] = ()
    # Added with the policy-brief and apa-student templates (docs/templates.md); the
    # defaults are the article look, so code that builds a Template by hand keeps working.
    heading_color: str = "#000000"          # headings and the title (outside a cover band)
    accent_color: str = "#000000"           # the cover band's fill, the box's rule
    box_color: str = "#F2F2F2"              # the box's fill
    abstract_style: str = "plain"           # plain | box | page
    page_number_position: str = "bottom-center"  # bottom-center | bottom-right | top-right
    caption_layout: str = "inline"          # inline ("Table 1: Text") | stacked (two lines)
    caption_align: str = "center"           # center | left
    figure_caption_position: str = "below"  # below | above (table captions: always above)
    references_new_page: bool = False

    def heading(self, level: int) -> HeadingStyle:
        """Return the style of heading `level` (levels past the deepest reuse the deepest)."""
        return self.headings[min(level, max(self.headings))]


# --------------------------------------------------------------------------- schema

Check = Callable[[Any], str | None]   # returns an error text, or None when the value is fine


def _number(low: float, high: float) -> Check:
    def check(value: Any) -> str | None:
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            return f"must be a number from {low} to {high}"
        return None if low <= value <= high else f"must be from {low} to {high}"
    return check


def _choice(*options: str) -> Check:
    def check(value: Any) -> str | None:
        if str(value) in options:
            return None
        return "must be one of " + ", ".join(options)
    return check


def _text(value: Any) -> str | None:
    return None if isinstance(value, str) else "must be text"


def _flag(value: Any) -> str | None:
    return None if isinstance(value, bool) else "must be true or false"


def _color(value: Any) -> str | None:
    if isinstance(value, str) and len(value) == 7 and value[0] == "#" and \
            all(c in "0123456789abcdefABCDEF" for c in value[1:]):
        return None
    return 'must be a colour "#RRGGBB" (such as "#1F4E79")'


def _page_size(value: Any) -> str | None:
    if isinstance(value, str) and value.lower() in PAGE_SIZES:
        return None
    if (isinstance(value, list) and len(value) == 2
            and all(isinstance(v, (int, float)) and 50 <= v <= 2000 for v in value)):
        return None
    return "must be one of " + ", ".join(PAGE_SIZES) + ", or [width, height] in mm"


_FAMILY = _choice(*FONT_FAMILIES)
_HEADING = {"size": _number(5, 72), "bold": _flag, "italic": _flag,
            "space-before": _number(0, 144), "space-after": _number(0, 144),
            "align": _choice("left", "center")}

#: The template.yaml schema: nested dicts of key -> check (or a nested schema).
SCHEMA: dict[str, Any] = {
    "description": _text,
    "extends": _text,
    "page": {"size": _page_size,
             "margins": {k: _number(0, 100) for k in ("top", "bottom", "left", "right")}},
    "fonts": {"serif": _FAMILY, "sans": _FAMILY, "mono": _FAMILY,
              "body": _choice("serif", "sans"), "headings": _choice("serif", "sans"),
              "size": _number(6, 24), "line-spacing": _number(0.8, 3)},
    "paragraph": {"align": _choice("justify", "left"), "indent": _number(0, 50),
                  "space-after": _number(0, 72)},
    "headings": {"numbering": _choice("1.1", "I.A", "none"), "color": _color,
                 "levels": {"1": _HEADING, "2": _HEADING, "3": _HEADING}},
    "title": {"layout": _choice("header", "page", "cover"), "size": _number(6, 72),
              "subtitle-size": _number(6, 72), "author-size": _number(6, 72),
              "align": _choice("center", "left")},
    "abstract": {"label": _text, "size": _number(6, 24), "indent": _number(0, 80),
                 "style": _choice("plain", "box", "page")},
    "keywords": {"label": _text},
    "running-header": _choice("none", "title", "short-title"),
    "footer": _choice("none", "page", "page-of"),
    "page-number-position": _choice("bottom-center", "bottom-right", "top-right"),
    "captions": {"size": _number(6, 24), "table-label": _text, "figure-label": _text,
                 "layout": _choice("inline", "stacked"), "align": _choice("center", "left"),
                 "figure-position": _choice("below", "above")},
    "colors": {"accent": _color, "box": _color},
    "references": {"title": _text, "hanging-indent": _number(0, 50), "size": _number(6, 24),
                   "new-page": _flag},
    "citation-style": _text,
}


def _validate(doc: YamlDoc, value: Any, schema: dict[str, Any], path: tuple[str, ...]) -> None:
    if not isinstance(value, dict):
        where = ".".join(path) or "template"
        raise TemplateError.make("PK108", doc.pos(*path), detail=f"'{where}' must be a mapping")
    for key, item in value.items():
        key = str(key)
        key_path = (*path, key)
        if key not in schema:
            dotted = ".".join(key_path)
            raise TemplateError.make(
                "PK108", doc.pos(*key_path),
                detail=f"unknown key '{dotted}'{did_you_mean(key, list(schema))}")
        rule = schema[key]
        if isinstance(rule, dict):
            _validate(doc, item, rule, key_path)
        else:
            problem = rule(item)
            if problem:
                raise TemplateError.make("PK108", doc.pos(*key_path),
                                         detail=f"'{'.'.join(key_path)}' {problem}")


def _merge(base: dict[str, Any], over: dict[str, Any]) -> dict[str, Any]:
    merged = dict(base)
    for key, value in over.items():
        if isinstance(value, dict) and isinstance(merged.get(key), dict):
            merged[key] = _merge(merged[key], value)
        else:
            merged[key] = value
    return merged


# --------------------------------------------------------------------------- locating


def shipped_templates_dir() -> Path:
    """Return the folder of the templates that ship with paperkit.

    In a wheel they live in ``paperkit/templates``; in a source checkout (editable install)
    at the repository's top, ``templates/``.
    """
    inside = Path(__file__).resolve().parent / "templates"
    if inside.is_dir():
        return inside
    return Path(__file__).resolve().parents[2] / "templates"


def template_names() -> list[str]:
    """Return the names of the shipped templates: ``article`` (the default, and the base
    of every other) first, then the rest sorted."""
    root = shipped_templates_dir()
    return sorted((p.parent.name for p in root.glob("*/template.yaml")),
                  key=lambda name: (name != "article", name))


def locate_template(name_or_path: str | Path, base_dir: Path | None = None) -> Path:
    """Return the folder of template `name_or_path`; raise PK106 when there is none."""
    candidate = Path(name_or_path)
    looks_like_path = isinstance(name_or_path, Path) or "/" in str(name_or_path) or \
        str(name_or_path).startswith(".")
    if looks_like_path:
        if not candidate.is_absolute() and base_dir is not None:
            relative = base_dir / candidate
            if relative.exists():
                candidate = relative
        folder = candidate if candidate.is_dir() else candidate.parent
        if not (folder / "template.yaml").is_file():
            raise TemplateError.make("PK106", None, name=str(name_or_path),
                                     hint=": no template.yaml in that folder")
        return folder
    folder = shipped_templates_dir() / str(name_or_path)
    if not (folder / "template.yaml").is_file():
        names = template_names()
        hint = did_you_mean(str(name_or_path), names) or \
            f"; available: {', '.join(sorted(names))}"
        raise TemplateError.make("PK106", None, name=str(name_or_path), hint=hint)
    return folder


def _read_raw(folder: Path, seen: tuple[Path, ...]) -> tuple[dict[str, Any], list[Path]]:
    """Return the merged keys of the template in `folder` and its ``extends`` chain, and
    the chain's folders, `folder` first."""
    file = folder / "template.yaml"
    try:
        text = file.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise TemplateError.make("PK108", Pos(str(file), 0),
                                 detail=f"cannot read {file}: {exc}") from None
    doc = load_yaml(text, str(file), error_code="PK108", error_class=TemplateError)
    raw = doc.value if doc.value is not None else {}
    _validate(doc, raw, SCHEMA, ())
    parent = raw.pop("extends", None)
    if parent is None:
        return raw, [folder]
    parent_dir = locate_template(parent, folder)
    if parent_dir.resolve() in seen:
        raise TemplateError.make("PK108", doc.pos("extends"),
                                 detail=f"'extends: {parent}' makes a loop")
    base, chain = _read_raw(parent_dir, (*seen, parent_dir.resolve()))
    return _merge(base, raw), [folder, *chain]


def load_template(name_or_path: str | Path = "article", *, base_dir: Path | None = None
                  ) -> Template:
    """Return the validated :class:`Template` named `name_or_path` (a shipped name or a folder).

    A relative path is looked up under `base_dir` first (the paper's folder). Every template
    implicitly extends ``article`` for keys it leaves out. Raises :class:`TemplateError`
    naming the file and line of an unknown key or bad value.
    """
    folder = locate_template(name_or_path, base_dir)
    raw, chain = _read_raw(folder, (folder.resolve(),))
    article = shipped_templates_dir() / "article"
    if article.resolve() not in {f.resolve() for f in chain}:
        base, _ = _read_raw(article, ())
        raw = _merge(base, raw)
        chain.append(article)
    return _build(folder, raw, chain)


def _build(folder: Path, raw: dict[str, Any], chain: list[Path]) -> Template:
    page = raw["page"]
    size = page["size"]
    width, height = PAGE_SIZES[size.lower()] if isinstance(size, str) else tuple(size)
    margins = page["margins"]
    fonts = raw["fonts"]
    families = {k: FONT_FAMILIES[fonts[k]] for k in ("serif", "sans", "mono")}
    levels = raw["headings"]["levels"]
    headings = {
        int(level): HeadingStyle(float(v["size"]), bool(v["bold"]), bool(v["italic"]),
                                 float(v["space-before"]), float(v["space-after"]),
                                 str(v["align"]))
        for level, v in levels.items()
    }
    # Format files (latex.tex.j2, its partials, reference.docx) come from the nearest
    # template in the extends chain that has them: the folder's own first.
    files = {p.name: p for f in reversed(chain) for p in sorted(f.iterdir())
             if p.is_file() and p.name != "template.yaml"}
    title = raw["title"]
    return Template(
        name=folder.name,
        path=folder,
        description=str(raw.get("description", "")),
        page=PageSetup(float(width), float(height), float(margins["top"]),
                       float(margins["bottom"]), float(margins["left"]),
                       float(margins["right"])),
        fonts=Fonts(families["serif"], families["sans"], families["mono"],
                    families[fonts["body"]], families[fonts["headings"]],
                    float(fonts["size"]), float(fonts["line-spacing"])),
        align=raw["paragraph"]["align"],
        paragraph_indent=float(raw["paragraph"]["indent"]),
        paragraph_space_after=float(raw["paragraph"]["space-after"]),
        numbering=str(raw["headings"]["numbering"]),
        headings=headings,
        title_layout=title["layout"],
        title_size=float(title["size"]),
        subtitle_size=float(title["subtitle-size"]),
        author_size=float(title["author-size"]),
        title_align=title["align"],
        abstract_label=raw["abstract"]["label"],
        abstract_size=float(raw["abstract"]["size"]),
        abstract_indent=float(raw["abstract"]["indent"]),
        keywords_label=raw["keywords"]["label"],
        running_header=raw["running-header"],
        footer=raw["footer"],
        caption_size=float(raw["captions"]["size"]),
        table_label=raw["captions"]["table-label"],
        figure_label=raw["captions"]["figure-label"],
        references_title=raw["references"]["title"],
        references_indent=float(raw["references"]["hanging-indent"]),
        references_size=float(raw["references"]["size"]),
        citation_style=raw["citation-style"],
        files=files,
        search_path=tuple(chain),
        heading_color=raw["headings"]["color"].upper(),
        accent_color=raw["colors"]["accent"].upper(),
        box_color=raw["colors"]["box"].upper(),
        abstract_style=raw["abstract"]["style"],
        page_number_position=raw["page-number-position"],
        caption_layout=raw["captions"]["layout"],
        caption_align=raw["captions"]["align"],
        figure_caption_position=raw["captions"]["figure-position"],
        references_new_page=bool(raw["references"]["new-page"]),
    )
