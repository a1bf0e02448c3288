"""``paperkit new NAME``: a paper folder that builds and passes ``paperkit check --strict``.

The folder holds ``paper.md`` (front matter with every common key, three sections that
show citations, a cross-reference, a footnote and a word limit) and ``references.bib`` with
two complete entries, both cited. It is made in a staging folder beside the target and
renamed into place, so an existing path is never overwritten, even by a race.
"""

from __future__ import annotations

import os
import re
import shutil
import tempfile
from pathlib import Path

from ..templates import locate_template

__all__ = ["ScaffoldError", "new_paper", "paper_text", "BIB_TEXT"]


class ScaffoldError(Exception):
    """The folder cannot be made (it exists, or the template is unknown)."""


BIB_TEXT = """\
% References of the new paper; each one is cited in paper.md.
% Add more entries here and cite them as [@key] or @key.

@book{mackinder1919,
  author    = {Mackinder, Halford J.},
  title     = {Democratic Ideals and Reality},
  publisher = {Constable},
  address   = {London},
  year      = {1919},
}

@article{ostrom2010,
  author  = {Ostrom, Elinor},
  title   = {Beyond Markets and States: Polycentric Governance of Complex Economic Systems},
  journal = {American Economic Review},
  volume  = {100},
  number  = {3},
  pages   = {641--672},
  year    = {2010},
  doi     = {10.1257/aer.100.3.641},
}
"""

_PAPER = """\
---
title: "{title}"
author:
  - name: Your Name
    affiliation: Your Institution
date: {date}
abstract: |
  One paragraph that says what the paper argues and why it matters.
keywords: [first keyword, second keyword]
{template}bibliography: references.bib
limits:
  words: {{max: 8000}}
---

# Introduction {{#sec:intro}}

Start with the question. Cite a source in parentheses [@ostrom2010, p. 642] or name its
author in the sentence, as @mackinder1919 does.[^first] @sec:argument develops the
argument.

[^first]: Footnotes are written like this one.

# Argument {{#sec:argument}}

Each heading starts a numbered section; `paperkit count` shows the words in each.

# Conclusion

Close by answering the question from @sec:intro.
"""


def _title(name: str) -> str:
    words = re.split(r"[-_\s]+", name.strip())
    return " ".join(w[:1].upper() + w[1:] for w in words if w) or "Untitled Paper"


def _today() -> str:
    import datetime

    return datetime.date.today().isoformat()


def paper_text(name: str, template: str | None = None, date: str = "") -> str:
    """Return the ``paper.md`` of a new paper called `name` (the folder name)."""
    line = f"template: {template}\n" if template else ""
    title = _title(name).replace("\\", "\\\\").replace('"', '\\"')
    return _PAPER.format(title=title, date=date or _today(), template=line)


def new_paper(target: Path, template: str | None = None, date: str = "") -> list[Path]:
    """Make the paper folder `target`; return the files written.

    Raises :class:`ScaffoldError` when `target` exists (nothing is touched then) or names
    an unknown template.
    """
    if target.exists() or target.is_symlink():
        raise ScaffoldError(f"{target} already exists; choose a new name "
                            "(paperkit new never overwrites)")
    if template is not None:
        from ..errors import PaperkitError

        try:
            folder = locate_template(template, Path.cwd())
        except PaperkitError as exc:
            raise ScaffoldError(str(exc.diagnostic.message)) from None
        if "/" in template or template.startswith("."):
            # the front matter names it relative to the paper folder
            template = os.path.relpath(folder.resolve(), target.resolve().parent / target.name)
    parent = target.resolve().parent
    if not parent.is_dir():
        raise ScaffoldError(f"{parent} does not exist; make it first")
    staging = Path(tempfile.mkdtemp(prefix=".paperkit-new-", dir=parent))
    try:
        (staging / "paper.md").write_text(paper_text(target.name, template, date),
                                          encoding="utf-8")
        (staging / "references.bib").write_text(BIB_TEXT, encoding="utf-8")
        try:
            # rename would replace an empty folder made since the first check; checking
            # again just before it keeps that window to microseconds
            if target.exists():
                raise FileExistsError(str(target))
            os.rename(staging, target)
        except OSError:
            raise ScaffoldError(f"{target} already exists; choose a new name "
                                "(paperkit new never overwrites)") from None
    finally:
        if staging.exists():
            shutil.rmtree(staging, ignore_errors=True)
    return [target / "paper.md", target / "references.bib"]
