"""Compiled LaTeX templates kept on disk: the same .tex, never a stale or broken template."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SEED = ROOT / "sources" / "japan-central-asia"


def _tex(paper: Path, out: Path, cache: str, template: Path | None = None) -> bytes:
    """Build `paper` to .tex in a fresh process with PAPERKIT_CACHE_DIR=`cache`."""
    args = [sys.executable, "-m", "paperkit", "build", str(paper), "--to", "tex",
            "--out", str(out)]
    if template is not None:
        args += ["--template", str(template)]
    done = subprocess.run(args, capture_output=True, text=True,
                          env={**os.environ, "PAPERKIT_CACHE_DIR": cache})
    assert done.returncode == 0, done.stderr
    return (out / paper.name / "paper.tex").read_bytes()


def test_cached_templates_give_the_same_tex(tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    fresh = _tex(SEED, tmp_path / "off", "off")
    first = _tex(SEED, tmp_path / "a", str(cache))
    entries = list(cache.rglob("__jinja2_*"))
    assert entries, "nothing was cached"
    assert {oct(p.parent.stat().st_mode & 0o777) for p in entries} == {"0o700"}
    stamps = [p.stat().st_mtime_ns for p in entries]
    again = _tex(SEED, tmp_path / "b", str(cache))      # compiled code read back
    assert fresh == first == again
    assert [p.stat().st_mtime_ns for p in entries] == stamps   # read, not written again
    for entry in entries:                                # a damaged entry is compiled again
        entry.write_bytes(b"\x00garbage")
    assert _tex(SEED, tmp_path / "c", str(cache)) == fresh


def test_an_edited_template_is_compiled_again(tmp_path: Path) -> None:
    cache = str(tmp_path / "cache")
    template = tmp_path / "mine"
    shutil.copytree(ROOT / "templates" / "article", template)
    before = _tex(SEED, tmp_path / "a", cache, template)
    tex_file = template / "latex.tex.j2"
    text = tex_file.read_text(encoding="utf-8")
    marker = "<# a comment #>"
    assert "\\begin{document}" in text
    tex_file.write_text(text.replace("\\begin{document}",
                                     "% edited\n\\begin{document}" + marker), encoding="utf-8")
    after = _tex(SEED, tmp_path / "b", cache, template)
    assert b"% edited\n" in after and b"% edited\n" not in before


def test_a_cache_that_cannot_be_written_is_skipped(tmp_path: Path) -> None:
    if os.geteuid() == 0:
        blocked = tmp_path / "file-not-folder"      # root may write anywhere: a file instead
        blocked.write_text("x")
    else:
        blocked = tmp_path / "ro"
        blocked.mkdir(mode=0o500)
    assert _tex(SEED, tmp_path / "a", str(blocked)) == _tex(SEED, tmp_path / "b", "off")
    # and every other cache (fonts, hyphenation, math, YAML) skips it as well
    tour = ROOT / "sources" / "feature-tour"
    done = subprocess.run([sys.executable, "-m", "paperkit", "build", str(tour), "--out",
                           str(tmp_path / "all")], capture_output=True, text=True,
                          env={**os.environ, "PAPERKIT_CACHE_DIR": str(blocked)})
    assert done.returncode == 0, done.stderr
    assert sorted(p.name for p in (tmp_path / "all" / tour.name).glob("paper.*")) == \
        ["paper.docx", "paper.pdf", "paper.tex"]


@pytest.mark.parametrize("settings", ["jinja-tex-1"])
def test_the_folder_names_the_environment_settings(settings: str) -> None:
    from paperkit.writers import latex_env
    assert latex_env._SETTINGS_VERSION == settings, (
        "settings changed: bump _SETTINGS_VERSION so code compiled with the old ones is "
        "not used, then update this test")
