"""Prepared Word base documents kept on disk: the same .docx, never a stale base."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SEED = ROOT / "sources" / "japan-central-asia"


def _docx(out: Path, cache: str, template: str = "article") -> bytes:
    """Build the seed to .docx in a fresh process with PAPERKIT_CACHE_DIR=`cache`."""
    done = subprocess.run([sys.executable, "-m", "paperkit", "build", str(SEED), "--to",
                           "docx", "--out", str(out), "--template", template],
                          capture_output=True, text=True,
                          env={**os.environ, "PAPERKIT_CACHE_DIR": cache})
    assert done.returncode == 0, done.stderr
    return (out / SEED.name / "paper.docx").read_bytes()


def test_a_stored_base_gives_the_same_docx(tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    fresh = _docx(tmp_path / "off", "off")
    assert _docx(tmp_path / "cold", str(cache)) == fresh          # prepared and stored
    (entry,) = (cache / "docx").iterdir()
    stamp = entry.stat().st_mtime_ns
    assert _docx(tmp_path / "warm", str(cache)) == fresh          # opened from the entry
    assert entry.stat().st_mtime_ns == stamp
    entry.write_bytes(b"\x00garbage")                             # damaged: prepared again
    assert _docx(tmp_path / "damaged", str(cache)) == fresh


def test_another_template_look_or_reference_is_another_entry(tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    mine = tmp_path / "mine"
    shutil.copytree(ROOT / "templates" / "article", mine)
    plain = _docx(tmp_path / "a", str(cache), str(mine))
    text = (mine / "template.yaml").read_text(encoding="utf-8")
    assert "size: 11" in text
    (mine / "template.yaml").write_text(text.replace("size: 11", "size: 12", 1),
                                        encoding="utf-8")
    bigger = _docx(tmp_path / "b", str(cache), str(mine))
    assert bigger != plain and bigger == _docx(tmp_path / "c", "off", str(mine))
    shutil.copy(tmp_path / "a" / SEED.name / "paper.docx", mine / "reference.docx")
    with_reference = _docx(tmp_path / "d", str(cache), str(mine))
    assert with_reference == _docx(tmp_path / "e", "off", str(mine))
    assert len(list((cache / "docx").iterdir())) == 3
