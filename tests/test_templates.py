"""Templates: the schema, validation with file:line, `extends`, user folders, the three
shipped templates, and the sandbox that untrusted LaTeX templates run in."""

from __future__ import annotations

import shutil
import subprocess
import sys
from dataclasses import replace
from pathlib import Path

import pytest

from conftest import ROOT
from paperkit.errors import TemplateError
from paperkit.options import BuildOptions
from paperkit.templates import (FONT_FAMILIES, SCHEMA, load_template, shipped_templates_dir,
                                template_names)
from paperkit.writers.latex import write_latex


def user_template(tmp_path: Path, yaml: str, name: str = "mine", **files: str) -> Path:
    folder = tmp_path / name
    folder.mkdir()
    (folder / "template.yaml").write_text(yaml, encoding="utf-8")
    for file_name, text in files.items():
        (folder / file_name.replace("_", ".")).write_text(text, encoding="utf-8")
    return folder


def schema_keys(schema: dict, prefix: str = "") -> set[str]:
    keys = set()
    for key, rule in schema.items():
        dotted = f"{prefix}{key}"
        if isinstance(rule, dict):
            keys |= schema_keys(rule, dotted + ".")
        else:
            keys.add(dotted)
    return keys


# --------------------------------------------------------------------------- shipped


def test_three_templates_ship_article_first():
    assert template_names() == ["article", "apa-student", "policy-brief"]
    for name in template_names():
        template = load_template(name)
        assert template.name == name and template.description
        assert (shipped_templates_dir() / name / "template.yaml").is_file()


def test_article_sets_every_key_of_the_schema():
    # article is the base of every template: it must set every leaf of the schema.
    import yaml

    raw = yaml.safe_load((shipped_templates_dir() / "article" / "template.yaml").read_text())

    def leaves(value, prefix=""):
        out = set()
        for key, item in value.items():
            dotted = f"{prefix}{key}"
            if isinstance(item, dict):
                out |= leaves(item, dotted + ".")
            else:
                out.add(dotted)
        return out

    expected = {k for k in schema_keys(SCHEMA) if k not in ("description", "extends")}
    assert leaves(raw) - {"description"} == expected


def test_policy_brief_look():
    brief = load_template("policy-brief")
    assert brief.fonts.headings == FONT_FAMILIES["liberation-sans"]
    assert brief.title_layout == "cover" and brief.abstract_style == "box"
    assert brief.abstract_label == "Key findings"
    assert brief.heading_color == brief.accent_color == "#1F4E79"
    assert brief.numbering == "none" and brief.page_number_position == "bottom-right"


def test_apa_student_look():
    apa = load_template("apa-student")
    assert (apa.page.width, apa.page.height) == (215.9, 279.4)       # US letter
    assert (apa.page.top, apa.page.left) == (25.4, 25.4)             # 1 inch
    assert apa.fonts.size == 12 and apa.fonts.line_spacing == 2      # double spacing
    assert apa.paragraph_indent == 12.7 and apa.paragraph_space_after == 0
    assert apa.title_layout == "page" and apa.page_number_position == "top-right"
    assert apa.running_header == "none" and apa.numbering == "none"
    assert [apa.heading(n).align for n in (1, 2, 3)] == ["center", "left", "left"]
    assert apa.heading(3).italic and apa.caption_layout == "stacked"
    assert apa.figure_caption_position == "above" and apa.references_new_page
    assert apa.citation_style == "apa"


# --------------------------------------------------------------------------- validation


@pytest.mark.parametrize("yaml, line, message", [
    ("page:\n  size: a4\n  margin: {top: 20}\n", 3,
     "unknown key 'page.margin' (did you mean 'margins'?)"),
    ("fonts:\n  size: 40\n", 2, "'fonts.size' must be from 6 to 24"),
    ("headings:\n  numbering: a.b\n", 2, "'headings.numbering' must be one of 1.1, I.A, none"),
    ("headings:\n  color: blue\n", 2, "'headings.color' must be a colour \"#RRGGBB\""),
    ("colors:\n  accent: '#12345'\n", 2, "'colors.accent' must be a colour"),
    ("title:\n  layout: banner\n", 2, "must be one of header, page, cover"),
    ("page-number-position: top-left\n", 1,
     "must be one of bottom-center, bottom-right, top-right"),
    ("captions:\n  layout: inline\n  figure-position: left\n", 3, "must be one of below, above"),
    ("headings:\n  levels:\n    1: {size: 14, align: right}\n", 3, "must be one of left, center"),
    ("references:\n  new-page: yes please\n", 2, "must be true or false"),
    ("fonts:\n  serif: comic-sans\n", 2, "must be one of liberation-serif"),
    ("page:\n  size: a4\npage:\n  size: a5\n", 3, "duplicate"),
])
def test_bad_template_names_file_and_line(tmp_path, yaml, line, message):
    folder = user_template(tmp_path, yaml)
    with pytest.raises(TemplateError) as caught:
        load_template(folder)
    error = caught.value
    assert error.diagnostic.code == "PK108"
    assert error.file == str(folder / "template.yaml") and error.line == line
    assert message in str(error)


def test_extends_overrides_a_few_keys(tmp_path):
    folder = user_template(tmp_path, "extends: article\nfonts:\n  size: 12\n"
                                     "page:\n  margins: {left: 30}\n"
                                     "headings:\n  levels:\n    1: {size: 16}\n")
    mine, article = load_template(folder), load_template("article")
    assert mine.name == "mine" and mine.fonts.size == 12
    assert mine.page.left == 30 and mine.page.right == article.page.right
    assert mine.heading(1).size == 16 and mine.heading(1).bold == article.heading(1).bold
    assert mine.heading(2) == article.heading(2)
    assert replace(mine, name="article", path=article.path, files=article.files,
                   search_path=article.search_path,
                   fonts=article.fonts, page=article.page,
                   headings=article.headings) == article


def test_extends_a_shipped_template_and_a_folder(tmp_path):
    brief = user_template(tmp_path, "extends: policy-brief\ncolors:\n  accent: '#7A1F1F'\n",
                          name="red-brief")
    red = load_template(brief)
    assert red.accent_color == "#7A1F1F" and red.title_layout == "cover"
    assert red.heading_color == "#1F4E79"        # from policy-brief, not article
    child = user_template(tmp_path, "extends: ../red-brief\nfonts:\n  size: 10\n",
                          name="child")
    grand = load_template(child)
    assert grand.accent_color == "#7A1F1F" and grand.fonts.size == 10


def test_extends_loop_and_unknown_parent(tmp_path):
    user_template(tmp_path, "extends: ../b\n", name="a")
    user_template(tmp_path, "extends: ../a\n", name="b")
    with pytest.raises(TemplateError) as caught:
        load_template(tmp_path / "a")
    assert "makes a loop" in str(caught.value) and caught.value.line == 1
    lost = user_template(tmp_path, "extends: artcle\n", name="c")
    with pytest.raises(TemplateError) as caught:
        load_template(lost)
    assert "did you mean 'article'" in str(caught.value)


def test_user_folder_without_latex_file_uses_articles(tmp_path, sample):
    folder = user_template(tmp_path, "extends: article\nfonts:\n  size: 12\n")
    tex = write_latex(sample, load_template(folder), BuildOptions())["paper.tex"].decode()
    assert "\\documentclass[12pt]{article}" in tex


def test_user_latex_partial_overrides_only_itself(tmp_path, sample):
    folder = user_template(tmp_path, "extends: article\n",
                           title_tex_j2="\\begin{center}MY TITLE <%= title %>\\end{center}\n")
    tex = write_latex(sample, load_template(folder), BuildOptions())["paper.tex"].decode()
    assert "MY TITLE Japan’s Strategic Expansion" in tex
    assert "\\section*{1\\quad Introduction}" in tex       # the rest from article


def test_cli_template_path(tmp_path):
    shutil.copytree(ROOT / "sources" / "japan-central-asia", tmp_path / "paper")
    user_template(tmp_path, "extends: apa-student\npage:\n  margins: {left: 40}\n",
                  name="house")
    run = subprocess.run([sys.executable, "-m", "paperkit", "build", "paper", "--to", "tex",
                          "--template", "./house", "--out", "out"], cwd=tmp_path,
                         capture_output=True, text=True, timeout=120)
    assert run.returncode == 0, run.stderr
    tex = (tmp_path / "out" / "paper" / "paper.tex").read_text(encoding="utf-8")
    assert "left=40mm" in tex and "paperwidth=215.9mm" in tex
    listing = subprocess.run([sys.executable, "-m", "paperkit", "templates"], cwd=tmp_path,
                             capture_output=True, text=True, timeout=60).stdout
    assert [line.split()[0] for line in listing.splitlines()] == \
        ["article", "apa-student", "policy-brief"]


# --------------------------------------------------------------------------- sandbox


@pytest.mark.parametrize("expression, line", [
    ("<%= ''.__class__.__mro__ %>", 3),
    ("<%= ''.__class__.__mro__[1].__subclasses__() %>", 3),
    ("<%= cycler.__init__.__globals__ %>", 3),
    ("<%= joiner.__init__.__globals__['os'] %>", 3),
    ("<%= namespace.__init__.__globals__ %>", 3),
    ("<%= lipsum.__globals__ %>", 3),
    ("<% set x = title.__class__ %><%= x.__name__ %>", 3),
    ("<%= self.__init__ %>", 3),
    ("<%= range.__self__ %>", 3),
])
def test_sandbox_refuses_python_internals(tmp_path, sample, expression, line):
    # A user's latex.tex.j2 (templates are untrusted input) reaching for Python internals.
    folder = user_template(tmp_path, "extends: article\n",
                           latex_tex_j2=f"\\documentclass{{article}}\n\\begin{{document}}\n"
                                        f"{expression}\n\\end{{document}}\n")
    with pytest.raises(TemplateError) as caught:
        write_latex(sample, load_template(folder), BuildOptions())
    error = caught.value
    assert error.diagnostic.code == "PK108"
    assert error.file == str(folder / "latex.tex.j2") and error.line == line
    assert "not allowed" in str(error) or "undefined" in str(error)


def test_sandbox_missing_variable_in_a_partial(tmp_path, sample):
    folder = user_template(tmp_path, "extends: article\n",
                           bibliography_tex_j2="ok\n<%= bibliography.heading %>\n"
                                               "<%= bibliography.nosuch %>\n")
    with pytest.raises(TemplateError) as caught:
        write_latex(sample, load_template(folder), BuildOptions())
    assert caught.value.file == str(folder / "bibliography.tex.j2")
    assert caught.value.line == 3 and "nosuch" in str(caught.value)


def test_format_files_come_from_the_extends_chain(tmp_path, sample):
    parent = user_template(tmp_path, "extends: policy-brief\n", name="house",
                           title_tex_j2="HOUSE TITLE <%= title %>\n")
    (parent / "reference.docx").write_bytes(b"not read here")
    child = user_template(tmp_path, "extends: ../house\nfonts:\n  size: 10\n", name="child")
    template = load_template(child)
    shipped = shipped_templates_dir().resolve()
    assert tuple(p.resolve() for p in template.search_path) == \
        (child.resolve(), parent.resolve(), shipped / "policy-brief", shipped / "article")
    assert template.files["reference.docx"].resolve() == (parent / "reference.docx").resolve()
    assert template.files["latex.tex.j2"] == shipped_templates_dir() / "article" / \
        "latex.tex.j2"
    tex = write_latex(sample, template, BuildOptions())["paper.tex"].decode()
    assert "HOUSE TITLE Japan’s Strategic Expansion" in tex       # the parent's partial
    assert "\\documentclass[10pt]{article}" in tex                # the child's size
