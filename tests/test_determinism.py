"""Byte-identical outputs however a build runs: serial, forked writers, writers started
before the paper was read, a warm repeat build in the same process, another process with
another hash seed. Guards the speed work of issue 9 (no optimisation may change a byte).
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from paperkit import memo
from paperkit.pipeline import build
from paperkit.writers import processes

ROOT = Path(__file__).resolve().parents[1]
PAPERS = [ROOT / "sources" / "japan-central-asia", ROOT / "sources" / "feature-tour"]


def _files(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir()) if p.is_file()}


@pytest.mark.parametrize("source", PAPERS, ids=lambda p: p.name)
def test_every_way_of_building_gives_the_same_bytes(source: Path, tmp_path: Path,
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    memo.clear()
    runs: dict[str, dict[str, bytes]] = {}

    def run(name: str, **kwargs: object) -> None:
        result = build(source, out=tmp_path / name, **kwargs)  # type: ignore[arg-type]
        assert result.written, name
        runs[name] = _files(tmp_path / name / source.name)

    run("serial", processes=1)
    if hasattr(os, "fork"):
        run("forked", processes=3)
        monkeypatch.setattr(processes, "_BUILDS", [0])
        run("early", early=processes.start_early(("pdf", "docx", "tex"), source=source))
    run("warm")                           # bibliography, template, style all from caches
    run("warm again")
    env = {**os.environ, "PYTHONHASHSEED": "12345"}
    code = (f"from paperkit.pipeline import build; "
            f"build({str(source)!r}, out={str(tmp_path / 'other')!r})")
    subprocess.run([sys.executable, "-c", code], check=True, env=env, cwd=tmp_path)
    runs["other process"] = _files(tmp_path / "other" / source.name)
    first = runs["serial"]
    assert {"paper.pdf", "paper.docx", "paper.tex"} <= set(first)
    for name, files in runs.items():
        differing = [n for n in first if files.get(n) != first[n]]
        assert files == first, f"{name} differs in {differing}"
