"""The library's entry points that are not the pipeline's own: ``loads`` with references,
``build`` with its arguments checked, and references from BibTeX text or CSL dicts.

The pipeline (:mod:`paperkit.pipeline`) does the work; these functions check what a caller
passes, so a mistake surfaces as a :class:`~paperkit.errors.PaperkitError` naming the value,
never as a ``KeyError`` deep inside a writer.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .diagnostics import Diagnostic, Log
from .errors import UsageError
from .model import Block, Paper, Reference
from .options import FORMATS, BuildOptions

if TYPE_CHECKING:      # the pipeline loads the citation engine: imported when first called
    from .pipeline import BuildResult

__all__ = ["loads", "build", "references_from_bibtex", "references_from_csl",
           "blocks_from_markdown", "check_formats", "check_arguments"]

# The values the LaTeX writer and the TeX compile take (writers.latex.CITATION_MODES,
# writers.latex_compile.ENGINES), repeated so that checking them loads neither.
_CITATION_MODES = ("rendered", "biblatex")
_ENGINES = ("pdflatex", "xelatex", "lualatex")


def references_from_bibtex(text: str, *, file: str = "<bibtex>", lang: str = "en-US",
                           log: Log | None = None) -> list[Reference]:
    """Return the references in the BibTeX (or BibLaTeX) `text`.

    `file` names the text in positions and messages; `lang` is the paper's language (English
    titles are read into sentence case). A duplicate key keeps the first entry (and logs
    PK203 into `log`, when given); a syntax error raises
    :class:`~paperkit.errors.InputError` (PK110) at its line::

        >>> refs = references_from_bibtex(
        ...     "@book{buzan2003, author = {Buzan, Barry and W{\\\\ae}ver, Ole},"
        ...     " title = {Regions and Powers}, publisher = {CUP}, year = 2003}")
        >>> refs[0].key, refs[0].type, refs[0].fields["author"][1]
        ('buzan2003', 'book', {'family': 'Wæver', 'given': 'Ole'})
    """
    from .bibliography import parse_bibtex

    return parse_bibtex(text, file=file, log=log if log is not None else Log(), lang=lang)


def references_from_csl(items: Iterable[Mapping[str, Any]], *, file: str = "<csl>",
                        log: Log | None = None) -> list[Reference]:
    """Return the references described by CSL-JSON `items` (dicts, as Zotero exports them).

    Each needs an ``id`` (the key it is cited by); see
    :meth:`paperkit.Reference.from_csl` for what else is accepted::

        >>> refs = references_from_csl([
        ...     {"id": "mackinder1904", "type": "article-journal",
        ...      "author": [{"family": "Mackinder", "given": "H. J."}],
        ...      "title": "The geographical pivot of history",
        ...      "container-title": "The Geographical Journal", "issued": "1904"}])
        >>> refs[0].key, refs[0].fields["issued"]
        ('mackinder1904', {'date-parts': [[1904]]})
    """
    from .bibliography.csljson import parse_csl_items
    from .errors import InputError

    dicts = [dict(item) for item in items]
    try:
        return parse_csl_items(dicts, file=file, log=log if log is not None else Log())
    except (TypeError, ValueError, AttributeError, KeyError) as exc:
        if isinstance(exc, InputError):
            raise
        # a value of a shape CSL-JSON does not have (an author given as a number ...)
        key = next((str(d.get("id")) for d in dicts if _malformed(d)), "?")
        raise InputError.make("PK109", None, detail=f"{file}: reference '{key}' is not "
                              f"valid CSL-JSON ({exc}); names are lists of "
                              "{'family', 'given'} or strings, dates 'date-parts' or "
                              "text") from None


def _malformed(item: dict[str, Any]) -> bool:
    """Return whether the CSL item `item` alone fails to read."""
    from .bibliography.csljson import parse_csl_items

    try:
        parse_csl_items([item], file="<csl>", log=Log())
    except Exception:               # any failure marks the item to name in the message
        return True
    return False


def blocks_from_markdown(text: str, *, file: str = "<markdown>",
                         log: Log | None = None) -> list[Block]:
    """Return the blocks of the Markdown `text`: paragraphs, lists, tables, figures, math...

    For the prose of a paper made in code, with paperkit's whole syntax — citations,
    cross-references, footnotes (defined in the same text), ``Table:`` captions. Headings
    are not sections here (use :class:`~paperkit.Section`): one becomes a bold paragraph.
    Findings such as an unused footnote go to `log`, when given::

        >>> blocks = blocks_from_markdown(
        ...     "Exports grew [@jetro2024, p. 3], see @tbl:trade.[^1]\\n\\n"
        ...     "[^1]: In current dollars.\\n\\n- one\\n- two\\n")
        >>> [type(b).__name__ for b in blocks]
        ['Paragraph', 'BulletList']
        >>> [type(node).__name__ for node in blocks[0].content]
        ['Text', 'Cite', 'Text', 'Ref', 'Text', 'Note']
    """
    from .readers.markdown import read_blocks

    return read_blocks(text, file=file, first_line=1, log=log if log is not None else Log())


def loads(text: str, *, bib: str | None = None,
          references: Iterable[Reference | Mapping[str, Any]] = (),
          file: str = "paper.md", base_dir: str | Path | None = None,
          allow_outside: Sequence[str | Path] = (), log: Log | None = None) -> Paper:
    """Return the paper in the Markdown `text` (YAML front matter, then the body).

    `bib` is BibTeX text and `references` are :class:`~paperkit.Reference` objects or
    CSL-JSON dicts; both are added after any bibliography the front matter names. A key
    given twice keeps its first reference (PK203, reported by :func:`paperkit.check`).
    `file` names the text in diagnostics; relative paths (images, a ``.bib``) resolve
    against `base_dir`, by default the folder of `file`. Findings made while reading go
    into the paper's ``findings`` (and `log`, when given)::

        >>> paper = loads("---\\ntitle: Notes\\n---\\n# Intro\\n\\nAs @kim2020 shows.\\n",
        ...               references=[{"id": "kim2020", "type": "book", "title": "Steppe",
        ...                            "author": [{"family": "Kim", "given": "J."}],
        ...                            "issued": 2020, "publisher": "Brill"}])
        >>> [r.key for r in paper.references], paper.sections[0].title
        (['kim2020'], [Text(text='Intro')])

    Invalid input raises :class:`~paperkit.errors.InputError` with the file, line and column.
    """
    from .readers import loads as read

    log = log if log is not None else Log()
    paper = read(text, file=file, base_dir=base_dir, log=log, allow_outside=allow_outside)
    extra: list[Reference] = []
    if bib is not None:
        extra.extend(references_from_bibtex(bib, file=f"{file} (bib)", lang=paper.lang,
                                            log=log))
    dicts: list[Mapping[str, Any]] = []
    for item in references:
        if isinstance(item, Reference):
            extra.append(item)
        elif isinstance(item, Mapping):
            dicts.append(item)
        else:
            raise UsageError.because(f"a reference must be a paperkit.Reference or a CSL-JSON "
                                     f"dict, not {type(item).__name__}")
    if dicts:
        extra.extend(references_from_csl(dicts, file=f"{file} (references)", log=log))
    if not extra:
        return paper
    merged = list(paper.references)
    seen = {ref.key for ref in merged}
    findings: list[Any] = list(paper.findings)
    for ref in extra:
        if ref.key in seen:
            findings.append(Diagnostic.make("PK203", ref.pos, key=ref.key,
                                            first="an earlier reference"))
            continue
        seen.add(ref.key)
        merged.append(ref)
    findings.extend(d for d in log.items if d not in findings)
    return replace(paper, references=merged, findings=findings)


def check_formats(formats: str | Iterable[str]) -> tuple[str, ...]:
    """Return `formats` as a tuple of known format names.

    A single string may name one format or several joined by commas (``"pdf,docx"``); an
    unknown name raises :class:`~paperkit.errors.UsageError`::

        >>> check_formats("pdf,docx")
        ('pdf', 'docx')
        >>> check_formats(["odt"])
        Traceback (most recent call last):
        ...
        paperkit.errors.UsageError: paperkit: error PK109: unknown output format 'odt'; ...
    """
    names = tuple(f.strip() for f in formats.split(",")) if isinstance(formats, str) \
        else tuple(formats)
    for name in names:
        if not isinstance(name, str) or name not in FORMATS:
            raise UsageError.because(f"unknown output format {name!r}; use "
                                     f"{', '.join(FORMATS[:-1])} or {FORMATS[-1]}")
    if not names:
        raise UsageError.because("no output format given; use pdf, docx or tex")
    return names


def check_arguments(paper: Paper | None, options: BuildOptions | None) -> None:
    """Raise :class:`~paperkit.errors.UsageError` for option values and model values made
    in code that no writer can use (a LaTeX citation mode, a TeX engine, a section level)."""
    modes = [options.latex_citations if options else None,
             paper.latex_citations if paper else None]
    for mode in modes:
        if mode is not None and mode not in _CITATION_MODES:
            raise UsageError.because(f"unknown latex_citations {mode!r}; use "
                                     f"{' or '.join(_CITATION_MODES)}")
    if options and options.engine not in _ENGINES:
        raise UsageError.because(f"unknown TeX engine {options.engine!r}; use "
                                 f"{', '.join(_ENGINES)}")
    if paper is not None:
        from .walk import plain_text

        stack = list(paper.sections)
        while stack:
            section = stack.pop()
            if not isinstance(section.level, int) or section.level < 1:
                raise UsageError.because(f"section '{plain_text(section.title)}' has level "
                                         f"{section.level!r}; levels start at 1")
            stack.extend(section.subsections)


def build(source: Paper | str | Path, formats: str | Iterable[str] = FORMATS,
          out: str | Path = "build", *, template: str | None = None, strict: bool = False,
          options: BuildOptions | None = None, processes: int | None = None) -> BuildResult:
    """Build `source` (a Paper, a paper folder or a ``.md`` file) into
    ``<out>/<paper name>/paper.<fmt>`` for each of `formats`; return the report, the paths
    written and the exit status.

    `formats` is an iterable of ``"pdf"``, ``"docx"``, ``"tex"`` (or one string, such as
    ``"pdf"`` or ``"pdf,docx"``). Outputs are written only when the findings allow it (the
    README's exit-code table): never for invalid input, never under `strict` with a
    finding; a refused build leaves earlier outputs as they were. The writers run side by
    side in at most `processes` processes, this one included (default: one a CPU; ``1``
    writes every format in this process)::

        >>> import tempfile, paperkit
        >>> paper = paperkit.Paper(title="Tiny", sections=[
        ...     paperkit.Section("Intro", blocks=[paperkit.Paragraph("Hi.")])])
        >>> with tempfile.TemporaryDirectory() as out:
        ...     result = paperkit.build(paper, "docx", out)
        ...     print([p.name for p in result.paths], result.exit_code)
        ['paper.docx'] 0

    Raises :class:`~paperkit.errors.InputError` for unreadable input, ``TemplateError``
    for an unknown or invalid template, ``WriterError`` when an output cannot be written and
    ``UsageError`` for an unknown format.
    """
    from .pipeline import build as run

    chosen = check_formats(formats)
    check_arguments(source if isinstance(source, Paper) else None, options)
    return run(source, chosen, out, template=template, strict=strict,
               options=options, processes=processes)
