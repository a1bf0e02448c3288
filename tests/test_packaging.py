"""The built wheel carries what an editable install hides: templates, fonts, py.typed."""

from __future__ import annotations

import subprocess
import sys
import zipfile

import pytest

from conftest import ROOT


@pytest.mark.slow
def test_wheel_contains_templates_fonts_and_marker(tmp_path):
    build = subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w",
                            str(tmp_path), str(ROOT)], capture_output=True, text=True,
                           timeout=600)
    assert build.returncode == 0, build.stderr[-2000:]
    wheel = next(tmp_path.glob("paperkit-*.whl"))
    names = set(zipfile.ZipFile(wheel).namelist())
    assert "paperkit/templates/article/template.yaml" in names
    assert "paperkit/templates/article/latex.tex.j2" in names
    assert "paperkit/fonts/LiberationSerif-Regular.ttf" in names
    assert "paperkit/fonts/LICENSE-Liberation.txt" in names
    assert "paperkit/py.typed" in names
    assert not any(name.startswith("paperkit/templates/") and "__pycache__" in name
                   for name in names)
