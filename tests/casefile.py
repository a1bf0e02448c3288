"""Literate case files (after pandoc's test/command): Markdown whose code blocks are cases.

A case is a fenced block (use four backticks when the case holds three)::

    % check                       <- the command (a paperkit subcommand, or `native`)
    ---
    title: T                      <- the input, written to input.md in a fresh folder
    ---
    As argued [@nosuchkey].
    ^D
    2> input.md:4:11: error PK201: ...     <- expected stderr lines, then stdout
    => 1                                   <- the exit status, when not 0

Commands run in-process: `native` prints the model dump of input.md as read;
`resolved` prints it after numbering and citations; anything else is `paperkit <command>
input.md` through :func:`paperkit.cli.main`. Extra files come from cases/files/ by name:
``% check --with refs.bib`` copies files/refs.bib beside input.md as references.bib's name.
"""

from __future__ import annotations

import io
import re
import shlex
import shutil
from dataclasses import dataclass
from pathlib import Path

CASES = Path(__file__).parent / "cases"
_FENCE = re.compile(r"^(`{3,})\s*$")


@dataclass
class Case:
    """One case: where it is, its command, input and expected output."""

    file: Path
    line: int
    command: str
    input: str
    expected: str
    raw_expected: str

    @property
    def id(self) -> str:
        return f"{self.file.relative_to(CASES)}:{self.line}"


def parse_cases(path: Path) -> list[Case]:
    """Return the cases of the case file `path`."""
    lines = path.read_text(encoding="utf-8").split("\n")
    cases, index = [], 0
    while index < len(lines):
        match = _FENCE.match(lines[index])
        if not match or index + 1 >= len(lines) or not lines[index + 1].startswith("% "):
            index += 1
            continue
        fence, start = match.group(1), index + 1
        end = next(i for i in range(start, len(lines)) if lines[i] == fence)
        body = lines[start:end]
        command_lines = [body[0][2:]]
        cursor = 1
        while command_lines[-1].endswith("\\"):
            command_lines[-1] = command_lines[-1][:-1]
            command_lines.append(body[cursor])
            cursor += 1
        stop = body.index("^D", cursor)
        expected = "\n".join(body[stop + 1:])
        cases.append(Case(path, start + 1, " ".join(c.strip() for c in command_lines),
                          "\n".join(body[cursor:stop]) + "\n", expected, expected))
        index = end + 1
    return cases


def run_case(case: Case, workdir: Path) -> str:
    """Run `case` in `workdir`; return its actual output in the case format."""
    from paperkit import cli
    from paperkit.native import dump
    from paperkit.readers import load

    args = shlex.split(case.command)
    while "--with" in args:
        at = args.index("--with")
        name = args[at + 1]
        target = "references.bib" if name.endswith(".bib") else name
        shutil.copy(CASES / "files" / name, workdir / target)
        del args[at:at + 2]
    (workdir / "input.md").write_text(case.input, encoding="utf-8")
    out, err = io.StringIO(), io.StringIO()
    status = 0
    if args[0] in ("native", "resolved"):
        from paperkit.errors import PaperkitError

        try:
            paper = load(workdir / "input.md")
            if args[0] == "resolved":
                from paperkit.pipeline import resolve

                paper = resolve(paper)[0]
            out.write(dump(paper))
            for diag in paper.findings:
                err.write(f"{diag}\n")
        except PaperkitError as exc:
            err.write(f"{exc}\n")
            status = 2
    else:
        status = cli.main([*args, "input.md"], out=out, err=err)
    text = "".join(f"2> {line}\n" for line in err.getvalue().splitlines())
    text += out.getvalue()
    if status:
        text += f"=> {status}\n"
    return text.rstrip("\n")


def update_case(case: Case, actual: str) -> None:
    """Rewrite the expected part of `case` in its file with `actual`."""
    text = case.file.read_text(encoding="utf-8")
    lines = text.split("\n")
    body_start = case.line  # 1-based line of the command -> index of the line after it
    stop = lines.index("^D", body_start)
    fence_end = stop + 1 + len(case.raw_expected.split("\n")) if case.raw_expected else stop + 1
    new = lines[:stop + 1] + ([actual] if actual else []) + lines[fence_end:]
    case.file.write_text("\n".join(new), encoding="utf-8")
