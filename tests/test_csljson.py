"""CSL-JSON and CSL-YAML bibliographies: Zotero's and Better BibTeX's exports, pandoc's YAML."""

from __future__ import annotations

import json
import textwrap
from pathlib import Path

import pytest

import paperkit
from paperkit.bibliography import load_references
from paperkit.diagnostics import Log
from paperkit.model import Pos
from paperkit.errors import InputError
from paperkit.options import BuildOptions
from paperkit.pipeline import resolve
from paperkit.transforms.cite_traversal import iter_cites
from paperkit.walk import plain_text


def at(pos: Pos | None) -> Pos:
    """Return `pos`, which the reader must have set."""
    assert pos is not None
    return pos


# An excerpt of a Zotero "CSL JSON" export: numbers as strings in date-parts, an
# institutional author as a literal, rich text in a title, a Zotero id with citation-key.
ZOTERO = """[
  {
    "id": "buzan2022",
    "type": "book",
    "title": "Security and development in <i>Central Asia</i>",
    "publisher": "Routledge",
    "publisher-place": "London",
    "author": [{"family": "Buzan", "given": "Barry"}],
    "issued": {"date-parts": [["2022", "5", "17"]]},
    "volume": 3,
    "DOI": "10.4324/9781003000000"
  },
  {
    "id": "mofa2024",
    "type": "report",
    "title": "Diplomatic bluebook 2024",
    "author": [{"literal": "Ministry of Foreign Affairs of Japan"}],
    "issued": {"raw": "2024-04"},
    "shortTitle": "Bluebook"
  },
  {
    "id": "http://zotero.org/users/1/items/ABCD",
    "citation-key": "ignored-when-id-present",
    "type": "article-journal",
    "title": "Keyed by id",
    "issued": {"date-parts": [[2019]]}
  },
  {
    "citation-key": "bbt2020",
    "type": "webpage",
    "title": "Keyed by citation-key",
    "accessed": {"date-parts": [[2024, 1, 2]]},
    "URL": "https://example.org"
  }
]
"""

PANDOC_YAML = """\
---
references:
- id: takahashi2023
  type: book
  author:
  - family: Takahashi
    given: M.
  title: East Asia and Central Asia
  issued: 2023-03-01
  publisher: Springer
- id: old2001
  type: article-journal
  author:
  - family: Old
    given: Style
  issued:
  - year: 2001
    month: 5
  container-title: Journal
- id: edtf2010
  type: book
  title: A range
  issued: 2010/2012
  editor: Some Institute
...
"""


def write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return path


def test_zotero_csl_json(tmp_path: Path) -> None:
    path = write(tmp_path, "refs.json", ZOTERO)
    refs = {r.key: r for r in load_references([path], log=Log())}
    assert list(refs) == ["buzan2022", "mofa2024", "http://zotero.org/users/1/items/ABCD",
                          "bbt2020"]
    buzan = refs["buzan2022"]
    assert buzan.type == "book"
    assert buzan.fields["issued"] == {"date-parts": [[2022, 5, 17]]}
    assert buzan.fields["volume"] == "3"
    # CSL-JSON rich text is kept for the engine
    assert buzan.fields["title"] == "Security and development in <i>Central Asia</i>"
    assert buzan.fields["author"] == [{"family": "Buzan", "given": "Barry"}]
    mofa = refs["mofa2024"]
    assert mofa.fields["author"] == [{"literal": "Ministry of Foreign Affairs of Japan"}]
    assert mofa.fields["issued"] == {"date-parts": [[2024, 4]]}
    assert mofa.fields["title-short"] == "Bluebook"
    assert refs["bbt2020"].fields["accessed"] == {"date-parts": [[2024, 1, 2]]}
    # each reference has the line of its item's "id" (or "citation-key")
    lines = ZOTERO.splitlines()
    assert (at(buzan.pos).file, at(buzan.pos).line) == (str(path), lines.index(
        '    "id": "buzan2022",') + 1)
    assert at(refs["bbt2020"].pos).line == lines.index('    "citation-key": "bbt2020",') + 1


def test_pandoc_csl_yaml(tmp_path: Path) -> None:
    path = write(tmp_path, "refs.yaml", PANDOC_YAML)
    refs = {r.key: r for r in load_references([path], log=Log())}
    assert refs["takahashi2023"].fields["issued"] == {"date-parts": [[2023, 3, 1]]}
    assert refs["old2001"].fields["issued"] == {"date-parts": [[2001, 5]]}
    assert refs["edtf2010"].fields["issued"] == {"date-parts": [[2010], [2012]]}
    assert refs["edtf2010"].fields["editor"] == [{"literal": "Some Institute"}]
    assert [at(r.pos).line for r in refs.values()] == [3, 11, 20]


def test_yaml_list_and_yml_suffix(tmp_path: Path) -> None:
    path = write(tmp_path, "refs.yml", """\
        - id: a
          type: book
          title: A
        - id: b
          title: B
        """)
    refs = load_references([path], log=Log())
    assert [(r.key, r.type, at(r.pos).line) for r in refs] == [("a", "book", 1), ("b", "", 4)]


def test_json_syntax_error_names_line_and_column(tmp_path: Path) -> None:
    path = write(tmp_path, "bad.json", '[\n  {"id": "a", "type": "book",}\n]\n')
    with pytest.raises(InputError) as caught:
        load_references([path], log=Log())
    error = caught.value
    assert error.diagnostic.code == "PK109"
    assert (error.line, error.column) == (2, 30)
    assert "bad.json" in str(error) and "not valid JSON" in str(error)


def test_yaml_syntax_error_names_line(tmp_path: Path) -> None:
    path = write(tmp_path, "bad.yaml", "- id: a\n  title: [unclosed\n- id: b\n")
    with pytest.raises(InputError) as caught:
        load_references([path], log=Log())
    assert caught.value.diagnostic.code == "PK109"
    assert caught.value.line == 3


def test_item_without_id_names_its_line(tmp_path: Path) -> None:
    path = write(tmp_path, "noid.json", '[\n {"id": "a"},\n {"type": "book",\n  "title": "T"}\n]')
    with pytest.raises(InputError) as caught:
        load_references([path], log=Log())
    assert caught.value.diagnostic.code == "PK109"
    assert "item 2 has no 'id'" in str(caught.value)


def test_not_a_list_is_refused(tmp_path: Path) -> None:
    path = write(tmp_path, "obj.json", '{"id": "a"}')
    with pytest.raises(InputError) as caught:
        load_references([path], log=Log())
    assert "list of items" in str(caught.value)


def test_duplicate_ids_within_and_across_files(tmp_path: Path) -> None:
    bib = write(tmp_path, "a.bib", "@book{a, title={From BibTeX}}\n")
    data = write(tmp_path, "b.json", json.dumps(
        [{"id": "b", "title": "B"}, {"id": "b", "title": "B again"}, {"id": "a", "title": "A"}],
        indent=1))
    log = Log()
    refs = load_references([bib, data], log=log)
    assert [(r.key, r.fields["title"]) for r in refs] == [("a", "From BibTeX"), ("b", "B")]
    assert [(d.code, Path(at(d.pos).file).name) for d in log.items] == [("PK203", "b.json"),
                                                                  ("PK203", "b.json")]
    assert "first defined at" in log.items[1].message and "a.bib:1:1" in log.items[1].message


def test_unknown_suffix_is_refused(tmp_path: Path) -> None:
    path = write(tmp_path, "refs.ris", "TY  - BOOK\n")
    with pytest.raises(InputError) as caught:
        load_references([path], log=Log())
    assert caught.value.diagnostic.code == "PK109"
    assert "CSL-JSON (.json)" in str(caught.value)


def test_a_paper_cites_from_csl_json_and_yaml(tmp_path: Path) -> None:
    write(tmp_path, "refs.json", ZOTERO)
    write(tmp_path, "more.yaml", PANDOC_YAML)
    paper_md = write(tmp_path, "paper.md", """\
        ---
        title: T
        bibliography: [refs.json, more.yaml]
        ---

        As [@buzan2022, p. 3] and @takahashi2023 show [see also @mofa2024].
        """)
    resolved, _, report = resolve(paperkit.load(paper_md), BuildOptions(csl="apa"))
    cites = [plain_text(c.rendered or []) for c, _ in iter_cites(resolved)]
    assert cites == ["(Buzan, 2022, p. 3)", "Takahashi (2023)",
                     "(see also Ministry of Foreign Affairs of Japan, 2024)"]
    entries = {e.key: plain_text(e.content) for e in resolved.bibliography or []}
    assert entries["buzan2022"].startswith("Buzan, B. (2022). Security and development in "
                                           "Central Asia (Vol. 3). Routledge.")
    # the same DOI under two keys (here: a .bib and a .json) is reported
    assert not [d for d in report.diagnostics if d.code == "PK205"]


def test_same_doi_across_bib_and_json_is_reported(tmp_path: Path) -> None:
    write(tmp_path, "refs.json", ZOTERO)
    write(tmp_path, "refs.bib", "@book{buzanbib, title = {Copy}, year = 2022,\n"
                                "  doi = {https://doi.org/10.4324/9781003000000}}\n")
    paper_md = write(tmp_path, "paper.md", """\
        ---
        title: T
        bibliography: [refs.json, refs.bib]
        nocite: "@*"
        ---

        Text.
        """)
    report = paperkit.check(paper_md)
    [diag] = [d for d in report.diagnostics if d.code == "PK205"]
    assert "buzanbib" in diag.message and "buzan2022" in diag.message
    assert Path(at(diag.pos).file).name == "refs.bib"
