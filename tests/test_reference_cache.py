"""The disk cache of parsed bibliographies gives back what reading the file gives, and only
for the same bytes, path, language and working directory."""

from __future__ import annotations

import marshal
import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from paperkit import disk_cache, memo
from paperkit.bibliography import bibtex, csljson, load_references
from paperkit.diagnostics import Log
from paperkit.errors import InputError
from paperkit.model import Pos

ROOT = Path(__file__).resolve().parents[1]
FILES = [ROOT / "tests" / "data" / "bib" / "corpus.bib",
         ROOT / "tests" / "data" / "bib" / "oracle-known.json",
         ROOT / "tests" / "cases" / "files" / "two.bib",
         *sorted((ROOT / "sources").glob("*/references.bib"))]

DUPLICATE = """@book{a, author = {Doe, J.}, title = {One}, year = {2001}}
@book{a, author = {Roe, R.}, title = {Two}, year = {2002}}
@book{b, author = {Poe, E.}, title = {Three}, year = {2003}, year = {2004}}
"""
YAML = """references:
- id: c
  type: book
  author: [{family: Coe, given: C.}]
  title: Four
  issued: {date-parts: [[2005]]}
"""


@pytest.fixture
def cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    root = tmp_path / "cache"
    monkeypatch.setenv("PAPERKIT_CACHE_DIR", str(root))
    disk_cache.cache_root.cache_clear()
    memo.clear()
    yield root
    memo.clear()
    disk_cache.cache_root.cache_clear()


Row = tuple[str, str, dict[str, Any], Pos | None]


def read(path: Path, lang: str = "en-US") -> tuple[list[Row], list[str]]:
    """Return every reference of `path` as plain tuples (positions included) and the
    diagnostics logged, each in full."""
    log = Log()
    references = load_references([path], log=log, lang=lang)
    return ([(r.key, r.type, r.fields, r.pos) for r in references],
            [f"{d.severity} {d.code} {d.pos} {d.message}" for d in log.items])


def forbid_reading(monkeypatch: pytest.MonkeyPatch) -> None:
    """Make every bibliography reader fail: what comes back must come from the cache."""
    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError("the file was read again")

    for module, name in ((bibtex, "read_bibtex"), (csljson, "read_csl_json"),
                         (csljson, "read_csl_yaml")):
        monkeypatch.setattr(module, name, refuse)


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.name)
def test_a_cached_bibliography_is_what_reading_it_gives(
        path: Path, cache: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PAPERKIT_CACHE_DIR", "off")
    disk_cache.cache_root.cache_clear()
    fresh = read(path)
    assert fresh[0], "the file has references"
    monkeypatch.setenv("PAPERKIT_CACHE_DIR", str(cache))
    disk_cache.cache_root.cache_clear()
    memo.clear()
    assert read(path) == fresh                           # read, and stored
    assert len(list((cache / "references").iterdir())) == 1
    memo.clear()                                         # as a new process
    with monkeypatch.context() as patched:
        forbid_reading(patched)
        again = read(path)
    assert again == fresh
    assert [list(r[2]) for r in again[0]] == [list(r[2]) for r in fresh[0]]  # field order


def test_diagnostics_come_back_at_their_lines_and_follow_the_working_directory(
        cache: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """PK203 names the first definition's file relative to the working directory; an entry
    made in one directory is not used in another."""
    folder = tmp_path / "paper"
    folder.mkdir()
    bib = folder / "references.bib"
    bib.write_text(DUPLICATE, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    inside = read(bib.resolve())
    assert any("PK203" in d and "paper/references.bib:1:1" in d for d in inside[1])
    memo.clear()
    with monkeypatch.context() as patched:
        forbid_reading(patched)
        assert read(bib.resolve()) == inside
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    monkeypatch.chdir(elsewhere)
    memo.clear()
    outside = read(bib.resolve())                        # read again: another directory
    assert any("PK203" in d and f"{bib.resolve()}:1:1" in d for d in outside[1])
    assert outside[0] == inside[0]


def test_an_edited_file_is_read_again_and_replaces_its_entry(
        cache: Path, tmp_path: Path) -> None:
    bib = tmp_path / "references.bib"
    bib.write_text(DUPLICATE, encoding="utf-8")
    first = read(bib)
    bib.write_text(DUPLICATE.replace("{One}", "{Uno}"), encoding="utf-8")
    os.utime(bib, ns=(1, 1))                              # even with an old time
    memo.clear()
    second = read(bib)
    assert second[0][0][2]["title"] == "Uno" and first[0][0][2]["title"] == "One"
    assert len(list((cache / "references").iterdir())) == 1
    # the language is part of the key: titles are read into sentence case for English
    memo.clear()
    assert read(bib, lang="de-DE")[0] is not None
    assert len(list((cache / "references").iterdir())) == 2


def test_a_yaml_bibliography_is_cached_too(cache: Path, tmp_path: Path,
                                          monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "references.yaml"
    path.write_text(YAML, encoding="utf-8")
    fresh = read(path)
    memo.clear()
    with monkeypatch.context() as patched:
        forbid_reading(patched)
        assert read(path) == fresh
    assert fresh[0][0][0] == "c"


@pytest.mark.parametrize("damage", [b"", b"not marshal", marshal.dumps(("x", [], [])),
                                    marshal.dumps(([], [], [])), "fields", "position",
                                    "code"])
def test_a_damaged_entry_is_read_again(cache: Path, tmp_path: Path,
                                       damage: bytes | str) -> None:
    bib = tmp_path / "references.bib"
    bib.write_text(DUPLICATE, encoding="utf-8")
    fresh = read(bib)
    [entry] = (cache / "references").iterdir()
    if isinstance(damage, bytes):
        data = damage
    else:
        digest, rows, diags = marshal.loads(entry.read_bytes())
        if damage == "fields":
            rows[0] = (rows[0][0], rows[0][1], {"title": ("a", "tuple")}, rows[0][3])
        elif damage == "position":
            rows[0] = (*rows[0][:3], ("file", "1", 1))
        else:
            diags[0] = ("PK999", *diags[0][1:])
        data = marshal.dumps((digest, rows, diags))
    entry.write_bytes(data)
    memo.clear()
    assert read(bib) == fresh


def test_a_file_that_fails_is_never_cached(cache: Path, tmp_path: Path) -> None:
    bib = tmp_path / "references.bib"
    bib.write_text("@book{a, title = {unclosed\n", encoding="utf-8")
    for _ in range(2):
        memo.clear()
        with pytest.raises(InputError) as caught:
            load_references([bib], log=Log())
        assert caught.value.diagnostic.code == "PK110"
    assert not (cache / "references").exists()


def test_the_cache_can_be_turned_off(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PAPERKIT_CACHE_DIR", "off")
    disk_cache.cache_root.cache_clear()
    monkeypatch.setenv("HOME", str(tmp_path))
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    try:
        memo.clear()
        read(FILES[0])
    finally:
        disk_cache.cache_root.cache_clear()
        memo.clear()
    assert not list(tmp_path.rglob("*.marshal"))


def test_a_hit_imports_neither_bibtexparser_nor_pylatexenc(tmp_path: Path) -> None:
    paper = tmp_path / "paper"
    shutil.copytree(ROOT / "sources" / "japan-central-asia", paper)
    code = ("import sys; from pathlib import Path; from paperkit.diagnostics import Log; "
            "from paperkit.bibliography import load_references; "
            f"refs = load_references([Path({str(paper / 'references.bib')!r})], log=Log()); "
            "print(len(refs), 'bibtexparser' in sys.modules, 'pylatexenc' in sys.modules)")
    env = {**os.environ, "PAPERKIT_CACHE_DIR": str(tmp_path / "cache")}
    runs = [subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                           env=env, check=True).stdout.split() for _ in range(2)]
    assert runs[0] == ["4", "True", "True"]             # read: the parser was needed
    assert runs[1] == ["4", "False", "False"]           # from the cache: neither imported


def test_the_folder_keeps_the_entries_used_last(cache: Path, tmp_path: Path,
                                                monkeypatch: pytest.MonkeyPatch) -> None:
    """Papers built from ever new folders add an entry each; the folder keeps KEEP of
    them, the least recently used going first (a hit counts as a use)."""
    from paperkit import reference_cache

    monkeypatch.setattr(reference_cache, "KEEP", 3)
    files = {}
    for index, name in enumerate("abcd"):
        files[name] = tmp_path / name / "references.bib"
        files[name].parent.mkdir()
        files[name].write_text(DUPLICATE.replace("{One}", "{" + name + "}"), encoding="utf-8")
    for index, name in enumerate("abc"):
        read(files[name])
        for entry in (cache / "references").iterdir():
            if entry.stat().st_mtime_ns > 10**18:          # the one just written
                os.utime(entry, ns=(index * 10**9, index * 10**9))
    memo.clear()
    with monkeypatch.context() as patched:
        forbid_reading(patched)
        assert read(files["a"])[0][0][2]["title"] == "A"    # a hit: now the newest
    read(files["d"])                                       # a fourth entry: "b" goes
    assert len(list((cache / "references").iterdir())) == 3
    memo.clear()
    with monkeypatch.context() as patched:
        forbid_reading(patched)
        for name in "acd":
            assert read(files[name])[0][0][2]["title"] == name.upper()
        with pytest.raises(AssertionError, match="read again"):
            read(files["b"])
