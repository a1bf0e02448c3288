"""Readers: source files in, a :class:`~paperkit.model.Paper` out.

``load(path)`` reads ``paper.md`` (YAML front matter + Markdown) and its bibliography. Problems
that make the input unusable raise :class:`~paperkit.errors.InputError`; everything else is
recorded in the paper's ``findings`` and reported by the checks.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from pathlib import Path

from ..bibliography import load_references
from ..diagnostics import Log
from ..errors import InputError, PaperkitError
from ..templates import locate_template
from ..model import Paper, Pos
from ..resources import check_images, confine
from ..collector import paused_collector
from .frontmatter import read_front_matter, split_front_matter
from .markdown import read_blocks, read_body, read_inlines

__all__ = ["load", "loads", "paper_file", "decode_source"]

# Control characters no output format can hold (tab, newline and carriage return are fine);
# one regex scan instead of a Python loop over every character (~0.1 s at 100k words).
_FORBIDDEN = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ufffe\uffff]")


def paper_file(path: str | Path) -> Path:
    """Return the Markdown file for `path`: a ``.md`` file, or a folder's ``paper.md``."""
    path = Path(path)
    if path.is_dir():
        candidate = path / "paper.md"
        if not candidate.is_file():
            raise InputError.make("PK104", Pos(str(path), 0), what="paper.md", path=str(candidate),
                                  hint="; a paper folder must hold a paper.md")
        return candidate
    if not path.is_file():
        raise InputError.make("PK104", Pos(str(path), 0), what="source", path=str(path),
                              hint="; give a paper folder or a .md file")
    return path


def decode_source(data: bytes, file: str) -> str:
    """Return `data` decoded as UTF-8 (a leading byte-order mark is dropped).

    Raises PK105 naming the line and column of the first byte that is not UTF-8, or of a
    control character that no output format can hold.
    """
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        column = exc.start - (data.rfind(b"\n", 0, exc.start) + 1) + 1
        raise InputError.make("PK105", Pos(file, line, column),
                              detail=f"byte 0x{data[exc.start]:02x} is not UTF-8; "
                                     "save the file as UTF-8") from None
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    found = _FORBIDDEN.search(text)
    if found is not None:
        bad = found.start()
        line = text.count("\n", 0, bad) + 1
        column = bad - (text.rfind("\n", 0, bad) + 1) + 1
        raise InputError.make("PK105", Pos(file, line, column),
                              detail=f"control character U+{ord(text[bad]):04X} cannot appear "
                                     "in a paper; delete it")
    return text


def load(path: str | Path, *, log: Log | None = None,
         allow_outside: Sequence[str | Path] = ()) -> Paper:
    """Return the paper at `path` (a paper folder or a ``.md`` file), with its references.

    The bibliography is the front matter's ``bibliography`` (relative to the paper's folder),
    or ``references.bib`` beside the paper when the key is absent and the file exists.
    Images, bibliographies and .csl files must lie in the paper's folder or in one of the
    `allow_outside` folders.
    """
    file = paper_file(path)
    try:
        data = file.read_bytes()
    except OSError as exc:
        raise InputError.make("PK104", Pos(str(file), 0), what="paper", path=str(file),
                              hint=f" ({exc.strerror})") from None
    with paused_collector():
        return loads(decode_source(data, str(file)), file=str(file), log=log,
                     allow_outside=allow_outside)


def loads(text: str, *, file: str = "paper.md", base_dir: str | Path | None = None,
          log: Log | None = None, allow_outside: Sequence[str | Path] = ()) -> Paper:
    """Return the paper in the Markdown `text`; `file` names it in diagnostics.

    Relative paths (bibliography, images, a .csl style) resolve against `base_dir`, by default
    the folder of `file`, and must stay inside it (or inside an `allow_outside` folder);
    every image must exist (PK104 at its figure). An unknown citation style is PK107 at its
    front-matter line.
    """
    log = log if log is not None else Log()
    base = Path(base_dir) if base_dir is not None else Path(file).parent
    yaml_text, body, body_line = split_front_matter(text, file)
    meta = read_front_matter(yaml_text, file)
    if not body.strip() and not meta.title:
        raise InputError.make("PK109", Pos(file, 1, 1),
                              detail="the paper is empty; write a title and some text")
    if meta.template:
        try:
            locate_template(meta.template, base)
        except PaperkitError as exc:
            raise exc.at(meta.template_pos) from None
    if meta.csl:
        _check_style(meta.csl, meta.csl_pos, base, allow_outside)
    blocks, sections = read_body(body, file=file, first_line=body_line, log=log)
    title = read_inlines(meta.title, file=file, first_line=meta.title_line, log=log)
    subtitle = read_inlines(meta.subtitle, file=file, first_line=meta.subtitle_line, log=log)
    abstract = read_blocks(meta.abstract, file=file, first_line=meta.abstract_line, log=log) \
        if meta.abstract.strip() else []
    bib_paths: list[Path] = []
    # confined (symlinks resolved), but read under the name the user wrote, for messages
    for name, pos in meta.bibliography:
        confine(name, base, pos, "bibliography", allow_outside,
                missing=f" (looked in {base or '.'})")
        bib_paths.append(base / name)
    if not meta.bibliography and (base / "references.bib").is_file():
        confine("references.bib", base, Pos(str(base / "references.bib"), 0), "bibliography",
                allow_outside)
        bib_paths.append(base / "references.bib")
    references = load_references(bib_paths, log=log, lang=meta.lang)
    file_path = Path(file)
    name = file_path.parent.name if file_path.stem == "paper" and file_path.parent.name \
        else file_path.stem
    paper = Paper(
        title=title, subtitle=subtitle, authors=meta.authors, date=meta.date,
        abstract=abstract, keywords=meta.keywords, lang=meta.lang, sections=sections,
        blocks=blocks, references=references, csl=meta.csl, template=meta.template,
        link_citations=meta.link_citations, number_sections=meta.number_sections,
        toc=meta.toc, latex_citations=meta.latex_citations,
        nocite=meta.nocite, limits=meta.limits, source_dir=str(base), source_file=file,
        name=name or "paper", findings=list(log.items), pos=Pos(file, 1, 1),
    )
    return check_images(paper, allow_outside)


def _check_style(style: str, pos: Pos | None, base: Path,
                 allow_outside: Sequence[str | Path]) -> None:
    """Refuse the front matter's `style` now, at its line: unknown, missing or outside."""
    from ..transforms.csl_styles import resolve_style_path

    if style.endswith(".csl") or "/" in style or "\\" in style:
        confine(style, base, pos, "citation style", allow_outside,
                missing="; put the .csl file in the paper's folder or give a style name "
                        "such as 'apa'")
        return
    try:
        resolve_style_path(style, base_dir=base)
    except PaperkitError as exc:
        raise exc.at(pos) from None
