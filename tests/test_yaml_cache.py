"""The disk cache of parsed YAML gives back what parsing gives, and only that."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from paperkit import disk_cache, yaml_source
from paperkit.errors import InputError

TEXT = "title: A\nlimits:\n  words: {max: 10}\nauthor:\n  - name: B\n    email: b@x.org\n"


@pytest.fixture
def cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    root = tmp_path / "cache"
    monkeypatch.setenv("PAPERKIT_CACHE_DIR", str(root))
    disk_cache.cache_root.cache_clear()
    yield root
    disk_cache.cache_root.cache_clear()


def test_a_cached_text_loads_the_same_value_and_positions(cache: Path) -> None:
    first = yaml_source.load_yaml(TEXT, "a/paper.md", first_line=2)
    assert len(list((cache / "yaml").iterdir())) == 1
    again = yaml_source.load_yaml(TEXT, "b/paper.md", first_line=2)
    assert again.value == first.value
    assert list(again.value) == list(first.value)              # key order too
    assert again.pos("author", "0", "email").line == 7
    assert {k: (p.line, p.column) for k, p in again.positions.items()} == \
        {k: (p.line, p.column) for k, p in first.positions.items()}
    assert {p.file for p in again.positions.values()} == {"b/paper.md"}
    # another first line is another entry: positions depend on it
    moved = yaml_source.load_yaml(TEXT, "a/paper.md", first_line=5)
    assert moved.pos("limits", "words").line == 7
    assert len(list((cache / "yaml").iterdir())) == 2


def test_a_hit_needs_no_yaml_import(cache: Path) -> None:
    yaml_source.load_yaml(TEXT, "paper.md")
    code = ("import sys\nfrom paperkit.yaml_source import load_yaml\n"
            f"doc = load_yaml({TEXT!r}, 'paper.md')\n"
            "print(doc.value['limits']['words']['max'], 'yaml' in sys.modules)\n")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True, env={**__import__("os").environ,
                                          "PAPERKIT_CACHE_DIR": str(cache)}).stdout
    assert out.split() == ["10", "False"]


def test_errors_and_non_plain_values_are_never_cached(cache: Path) -> None:
    bad = "title: [unclosed\n"
    for _ in range(2):
        with pytest.raises(InputError, match=r"paper.md:2:1: .*PK101"):
            yaml_source.load_yaml(bad, "paper.md")
    dated = yaml_source.load_yaml("date: 2025-06-01\n", "paper.md")
    assert type(dated.value["date"]).__name__ == "date"
    assert not (cache / "yaml").exists()


def test_a_damaged_entry_is_read_again(cache: Path) -> None:
    yaml_source.load_yaml(TEXT, "paper.md")
    (entry,) = (cache / "yaml").iterdir()
    marshal = __import__("marshal")
    code = compile("1", "x", "eval")
    for junk in (b"", b"\x00garbage", marshal.dumps(({"x": 1}, [(("x",), "1", 1)])),
                 marshal.dumps(({"title": code}, [(("title",), 1, 1)]))):
        entry.write_bytes(junk)
        assert yaml_source.load_yaml(TEXT, "paper.md").value["title"] == "A"


def test_the_cache_can_be_turned_off(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PAPERKIT_CACHE_DIR", "off")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    disk_cache.cache_root.cache_clear()
    try:
        assert yaml_source.load_yaml(TEXT, "paper.md").value["title"] == "A"
        assert not any(tmp_path.rglob("*.marshal"))
    finally:
        disk_cache.cache_root.cache_clear()
