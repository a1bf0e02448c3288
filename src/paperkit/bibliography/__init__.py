"""Bibliographies: BibTeX/BibLaTeX, CSL-JSON and CSL-YAML files in, CSL-shaped references out.

:func:`load_references` reads every file of a paper's ``bibliography`` list (by suffix:
``.bib``/``.bibtex``, ``.json``, ``.yaml``/``.yml``) and merges them; a key defined twice (in
one file or across files) keeps its first definition and logs PK203.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from ..diagnostics import Log
from ..errors import InputError
from ..model import Pos, Reference
from ..memo import read_references

__all__ = ["load_references", "parse_bibtex", "READERS"]


# The readers import their modules (bibtexparser, pylatexenc) when a file is read: a file
# that comes from the disk cache (paperkit.reference_cache) needs neither (issue 9).

def read_bibtex(path: Path, *, log: Log, lang: str = "en-US") -> list[Reference]:
    """Return the references of the BibTeX file `path` (:func:`.bibtex.read_bibtex`)."""
    from .bibtex import read_bibtex as read

    return read(path, log=log, lang=lang)


def read_csl_json(path: Path, *, log: Log, lang: str = "en-US") -> list[Reference]:
    """Return the references of the CSL-JSON file `path` (:func:`.csljson.read_csl_json`)."""
    from .csljson import read_csl_json as read

    return read(path, log=log, lang=lang)


def read_csl_yaml(path: Path, *, log: Log, lang: str = "en-US") -> list[Reference]:
    """Return the references of the CSL-YAML file `path` (:func:`.csljson.read_csl_yaml`)."""
    from .csljson import read_csl_yaml as read

    return read(path, log=log, lang=lang)


def parse_bibtex(text: str, *, file: str, log: Log, lang: str = "en-US") -> list[Reference]:
    """Return the references in the BibTeX `text`; `file` names it in positions
    (:func:`.bibtex.parse_bibtex`, which says more)."""
    from .bibtex import parse_bibtex as parse

    return parse(text, file=file, log=log, lang=lang)


#: Bibliography readers by file suffix.
READERS = {".bib": read_bibtex, ".bibtex": read_bibtex, ".json": read_csl_json,
           ".yaml": read_csl_yaml, ".yml": read_csl_yaml}


def load_references(paths: Sequence[Path], *, log: Log, lang: str = "en-US"
                    ) -> list[Reference]:
    """Return the references of every file in `paths`, in file order.

    `lang` is the paper's language (English BibTeX titles are read into sentence case for
    an English paper). Raises :class:`InputError`: PK104 for a missing file, PK105 for a
    file that is not UTF-8, PK110 for BibTeX syntax errors, PK109 for a format paperkit
    cannot read or a CSL-JSON/YAML file that is not valid.
    """
    references: list[Reference] = []
    seen: dict[str, Reference] = {}
    for path in paths:
        path = Path(path)
        reader = READERS.get(path.suffix.lower())
        if reader is None:
            raise InputError.make(
                "PK109", Pos(str(path), 0),
                detail=f"cannot read the bibliography {path}: paperkit reads BibTeX "
                       f"(.bib, .bibtex), CSL-JSON (.json) and CSL-YAML (.yaml, .yml) files")
        if not path.is_file():
            raise InputError.make("PK104", Pos(str(path), 0), what="bibliography",
                                  path=str(path))
        # a file read before with the same bytes is reused (paperkit.memo: --watch, library)
        for reference in read_references(reader, path, log=log, lang=lang):
            first = seen.get(reference.key)
            if first is not None:
                from .bibtex import _display as _display_file

                where = first.pos
                log.add("PK203", reference.pos, key=reference.key,
                        first=f"{_display_file(where.file)}:{where.line}:{where.column}"
                        if where else "another file")
                continue
            seen[reference.key] = reference
            references.append(reference)
    return references
