"""Coverage-guided fuzzing of paperkit with atheris (libFuzzer for Python).

    python tests/fuzz/fuzz.py reader  [libFuzzer options] [CORPUS_DIR ...]
    python tests/fuzz/fuzz.py bibtex  -max_total_time=600 /tmp/bib-corpus
    python tests/fuzz/fuzz.py build   -max_total_time=600 -timeout=60

The seed corpus (example papers, the hostile corpus, the test .bib files) is copied into the
first corpus folder given (or a temporary one). A crash or failed property saves the input
as ``crash-<sha1>`` in the working folder; rerun one input with
``python tests/fuzz/fuzz.py reader crash-<sha1>``. See tests/fuzz/README.md.
"""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
sys.path.insert(0, str(HERE))

import atheris  # noqa: E402

with atheris.instrument_imports(include=["paperkit"]):
    import paperkit  # noqa: F401
    import paperkit.bibliography  # noqa: F401
    import paperkit.native  # noqa: F401
    import paperkit.pipeline  # noqa: F401
    import paperkit.readers  # noqa: F401
    import paperkit.transforms  # noqa: F401
    import paperkit.writers.docx  # noqa: F401  (loaded lazily by the build otherwise,
    import paperkit.writers.latex  # noqa: F401  and then not instrumented)
    import paperkit.writers.pdf  # noqa: F401

from targets import TARGETS  # noqa: E402


def seeds(target: str) -> list[bytes]:
    """Return seed inputs for `target`: real files, prefixed for raw-bytes mode."""
    if target == "bibtex":
        files = [*ROOT.glob("sources/*/*.bib"), *ROOT.glob("tests/data/**/*.bib"),
                 *ROOT.glob("tests/cases/files/*.bib")]
    else:
        files = [*ROOT.glob("sources/*/paper.md"), *ROOT.glob("tests/data/hostile/*/paper.md"),
                 *ROOT.glob("tests/data/hostile/*/*.md")]
    # seeds that hit a known, reported bug (docs/issue6-bugs.md) would stop every
    # run at once: name their folders here until the bug is fixed
    known: set[str] = set()
    files = [f for f in files if f.parent.name not in known]
    return [b"\x00" + f.read_bytes()[:200_000] for f in sorted(set(files))]


def main() -> None:
    if len(sys.argv) < 2 or sys.argv[1] not in TARGETS:
        sys.exit(f"usage: {sys.argv[0]} {{{','.join(TARGETS)}}} [libFuzzer options] [CORPUS]")
    target = sys.argv.pop(1)
    corpora = [a for a in sys.argv[1:] if not a.startswith("-")]
    if not corpora:
        corpora = [tempfile.mkdtemp(prefix=f"paperkit-{target}-corpus-")]
        sys.argv.append(corpora[0])
    if os.path.isdir(corpora[0]) and not os.listdir(corpora[0]):
        for index, data in enumerate(seeds(target)):
            Path(corpora[0], f"seed-{index}").write_bytes(data)
    atheris.Setup(sys.argv, TARGETS[target])
    atheris.Fuzz()


if __name__ == "__main__":
    main()
