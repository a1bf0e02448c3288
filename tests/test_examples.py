"""The two example papers end to end: their checks' numbers, and all three outputs read back.

The builds run once per session (module fixture) through the public API; each test then
reads an output back with the client a user would open it with.
"""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pytest

import paperkit
from conftest import ROOT, require_tool

SEED = ROOT / "sources" / "japan-central-asia"
TOUR = ROOT / "sources" / "feature-tour"

SEED_HEADINGS = [
    "1 Introduction", "2 Central Asia: A Strategic and Resource-Rich Region",
    "2.1 Regional Dynamics and Global Power Plays",
    "3 Japan’s Strategic Motivations for Engagement",
    "3.1 Economic Interests: Critical Resources and Infrastructure",
    "3.2 Geopolitical Balancing and Regional Security",
    "3.3 Diplomatic Counterbalance to China",
    "4 The 2025 Summit: Objectives and Outcomes", "4.1 Economic and Energy Agreements",
    "4.2 Institutional Framework and Future Prospects",
    "4.3 Security and Non-Traditional Challenges",
    "5 Geopolitical Implications and Challenges", "5.1 Multipolarity in Central Asia",
    "5.2 Regional Realities and Constraints", "5.3 Broader Strategic Considerations",
    "6 Conclusion",
]


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    """Build both example papers into a temporary folder; return {name: (result, folder)}."""
    out = tmp_path_factory.mktemp("build")
    results = {}
    for source in (SEED, TOUR):
        result = paperkit.build(paperkit.load(source), out=out,
                                options=paperkit.BuildOptions(source_date_epoch=1767225600))
        results[source.name] = (result, out / source.name)
    return results


# --------------------------------------------------------------------------- checks


def test_seed_numbers():
    report = paperkit.check(paperkit.load(SEED))
    assert 740 <= report.counts.main_text <= 780          # "about 760 words"
    assert report.counts.categories["abstract"] == 72   # wc -w agrees
    assert report.references == 4 and report.citations == 0
    codes = sorted(d.code for d in report.diagnostics)
    assert codes == ["PK202"] * 4 + ["PK301"]
    pk301 = next(d for d in report.diagnostics if d.code == "PK301")
    assert "target is 1,500" in pk301.message and "words short" in pk301.message
    assert report.exit_code("check") == 1 and report.exit_code("build") == 0
    assert report.exit_code("build", strict=True) == 1


def test_seed_sections_are_numbered_by_the_model():
    report = paperkit.check(paperkit.load(SEED))
    assert [f"{s.number} {s.title}" for s in report.counts.sections] == SEED_HEADINGS


def test_feature_tour_passes_every_check():
    report = paperkit.check(paperkit.load(TOUR))
    assert report.diagnostics == []
    assert report.references == 11
    assert report.cited == 10           # the eleventh is listed through nocite
    assert report.exit_code("check", strict=True) == 0


# --------------------------------------------------------------------------- outputs


def test_builds_write_three_formats(built):
    for name, (result, folder) in built.items():
        assert {p.name for p in result.paths} >= {"paper.pdf", "paper.docx", "paper.tex"}, name
        assert all(p.parent == folder or folder in p.parents for p in result.paths)


def test_docx_has_numbered_headings_and_references(built):
    import docx

    document = docx.Document(str(built["feature-tour"][1] / "paper.docx"))
    styles = [(p.style.name, p.text) for p in document.paragraphs]
    headings = [text for style, text in styles if style.startswith("Heading")]
    assert "Introduction" in headings[0]
    assert any("What Changed" in h for h in headings)
    assert any(style == "Heading 3" for style, _ in styles)
    bibliography = [text for style, text in styles if style == "Bibliography"]
    assert len(bibliography) == 11
    assert bibliography[0].startswith("AFP. (2025).")       # APA: sorted by author
    assert any(e.startswith("Buzan, B., & Wæver, O. (2003).") for e in bibliography)
    body = "\n".join(text for _, text in styles)
    assert "(Mackinder, 1904)" in body and "Wæver (2003, Chapter 3)" in body  # narrative
    assert document.core_properties.title.startswith("Corridors and Partners")
    seed = docx.Document(str(built["japan-central-asia"][1] / "paper.docx"))
    seed_headings = [p.text for p in seed.paragraphs if p.style.name.startswith("Heading")]
    assert [h.split(" ", 1)[-1] if h[:1].isdigit() else h for h in seed_headings] == \
        [h.split(" ", 1)[1] for h in SEED_HEADINGS]


def test_pdf_text_metadata_and_outline(built):
    from pypdf import PdfReader

    reader = PdfReader(str(built["japan-central-asia"][1] / "paper.pdf"))
    assert reader.metadata.title.startswith("Japan’s Strategic Expansion in Central Asia")
    titles = []

    def walk(items):
        for item in items:
            if isinstance(item, list):
                walk(item)
            else:
                titles.append(re.sub(r"\s+", " ", item.title))
    walk(reader.outline)
    for heading in SEED_HEADINGS:
        assert any(heading.replace(" ", "") in t.replace(" ", "") for t in titles), heading
    text = re.sub(r"\s+", " ", " ".join(page.extract_text() for page in reader.pages))
    assert "marking a significant shift in its foreign policy" in text
    tour = PdfReader(str(built["feature-tour"][1] / "paper.pdf"))
    tour_text = re.sub(r"\s+", " ", " ".join(page.extract_text() for page in tour.pages))
    assert "(Mackinder, 1904)" in tour_text
    assert "References" in tour_text


@pytest.mark.slow
@pytest.mark.parametrize("name", ["japan-central-asia", "feature-tour"])
def test_tex_compiles_with_pdflatex(built, name, tmp_path):
    pdflatex = require_tool("pdflatex")
    folder = built[name][1]
    work = tmp_path / "tex"
    work.mkdir()
    for path in folder.rglob("*"):
        if path.is_file() and path.suffix != ".pdf":
            target = work / path.relative_to(folder)
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(path.read_bytes())
    for _ in range(2):
        run = subprocess.run([pdflatex, "-interaction=nonstopmode", "-halt-on-error",
                              "-no-shell-escape", "paper.tex"], cwd=work,
                             capture_output=True, text=True, timeout=300)
        assert run.returncode == 0, run.stdout[-3000:]
    log = (work / "paper.log").read_text(errors="replace")
    assert "undefined references" not in log and "Citation" not in log.split("Output")[0] \
        or "There were undefined" not in log
    text = subprocess.run([require_tool("pdftotext"), "paper.pdf", "-"], cwd=work,
                          capture_output=True, text=True, check=True).stdout
    flat = re.sub(r"\s+", " ", text)
    assert "Introduction" in flat
    if name == "feature-tour":
        assert "Mackinder, 1904" in flat and "Table 1" in flat
    else:
        assert "2.1 Regional Dynamics" in flat.replace("  ", " ")


# --------------------------------------------------------------------------- examples/


EXAMPLES = ROOT / "examples"


def run_example(script: str, *args: str, cwd: Path) -> subprocess.CompletedProcess:
    """Run ``examples/<script>`` as a user would (its own process, another folder)."""
    import sys

    return subprocess.run([sys.executable, str(EXAMPLES / script), *args], cwd=cwd,
                          capture_output=True, text=True, timeout=600)


def test_from_data_example_builds_three_formats_from_a_csv(tmp_path):
    import docx
    from pypdf import PdfReader

    run = run_example("from_data.py", "--out", "out", cwd=tmp_path)
    assert run.returncode == 0, run.stderr
    assert run.stdout.startswith("trade-brief: ") and ", exit 0" in run.stdout
    folder = tmp_path / "out" / "trade-brief"
    text = re.sub(r"\s+", " ", " ".join(p.extract_text()
                                        for p in PdfReader(str(folder / "paper.pdf")).pages))
    # the CSV's last row, formatted by the table's format strings
    assert "2,587.3" in text and "812.4" in text and "84.1" in text
    assert "Table 1" in text and "Figure 1" in text and "(JETRO, 2024)" in text
    assert "Dadabaev (2019, pp. 45–47)" in text
    document = docx.Document(str(folder / "paper.docx"))
    assert len(document.inline_shapes) == 1                     # the matplotlib chart
    cells = [c.text for t in document.tables for row in t.rows for c in row.cells]
    assert cells[:4] == ["Year", "Kazakhstan", "Uzbekistan", "Kyrgyzstan"]
    assert "1,843.2" in cells
    tex = (folder / "paper.tex").read_text()
    assert "\\includegraphics" in tex and "2,412.0" in tex
    figures = list((folder / "figures").iterdir())
    assert len(figures) == 1 and figures[0].read_bytes().startswith(b"\x89PNG")


def test_batch_example_prints_a_summary_and_the_worst_status(tmp_path):
    broken = tmp_path / "broken"
    broken.mkdir()
    (broken / "paper.md").write_text("---\ntitle: Broken\nauthr: typo\n---\nText.\n")
    run = run_example("batch.py", str(SEED), str(broken), "--out", "out", "-j", "2",
                      cwd=tmp_path)
    assert run.returncode == 2, run.stdout + run.stderr       # the broken paper's status
    lines = run.stdout.splitlines()
    assert lines[0].split()[:2] == ["paper", "words"]
    seed = next(line for line in lines if line.startswith("japan-central-asia"))
    assert "/ 1,350-1,650" in seed and "0 (0/4)" in seed and seed.split()[-1] == "0"
    row = next(line for line in lines if line.startswith("broken "))
    assert row.split()[-1] == "2"
    assert any("PK102" in line and "authr" in line for line in lines)
    assert lines[-1].startswith("2 papers in ")
    assert (tmp_path / "out" / "japan-central-asia" / "paper.docx").is_file()
    assert not (tmp_path / "out" / "broken").exists()
