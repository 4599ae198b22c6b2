"""The conformance scripts (`make conformance`): they run without the corpus, and report right.

The CommonMark suite is run here on a few examples written for these tests (never on copies of
the reference corpus), through the real pipeline and the copy model.
"""
from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from types import ModuleType

import pytest
from helpers import load_conformance

ROOT = Path(__file__).resolve().parent.parent

OWN_EXAMPLES = [
    {"example": 1, "section": "Paragraphs", "markdown": "Two short\nlines.\n"},
    {"example": 2, "section": "Links", "markdown": "See [the report](<https://a.example/x\ny.pdf>).\n"},
    {"example": 3, "section": "Code", "markdown": "    kept   as is\n\n- An item. Another.\n"},
]


@pytest.fixture
def commonmark(monkeypatch: pytest.MonkeyPatch) -> ModuleType:
    """The script as a module; the variables it points at its temporary folder are restored."""
    return load_conformance("commonmark", monkeypatch)


def write_corpus(folder: Path, examples: list[dict]) -> Path:
    (folder / "commonmark").mkdir(parents=True)
    (folder / "commonmark" / "spec_examples.json").write_text(
        json.dumps({"source": "written for this test", "examples": examples}), "utf-8")
    return folder


SUITES = sorted((ROOT / "conformance").glob("[!_]*.py"))  # conformance/_*.py: shared, not suites


@pytest.mark.parametrize("suite", SUITES, ids=[path.stem for path in SUITES])
def test_every_suite_skips_in_one_line_without_its_corpus(suite: Path, tmp_path: Path) -> None:
    """What `make conformance` relies on to run every suite, corpus or not."""
    done = subprocess.run([sys.executable, str(suite), "--corpus", str(tmp_path)],
                          capture_output=True, text=True, timeout=60, check=False)
    assert (done.returncode, done.stderr) == (0, "")
    assert done.stdout.startswith(f"{suite.stem}: skipped") and done.stdout.count("\n") == 1


def test_a_run_points_the_user_folders_into_its_work_folder_and_puts_them_back(
        monkeypatch: pytest.MonkeyPatch) -> None:
    common = load_conformance("_common", monkeypatch)
    monkeypatch.setenv("HOME", "/home/someone")
    monkeypatch.delenv("XDG_CACHE_HOME", raising=False)
    before = {var: os.environ.get(var) for var in common.ISOLATED}
    with common.isolated_work("test") as work:
        assert {var: os.environ[var] for var in common.ISOLATED} == {
            var: str(work / var.lower()) for var in common.ISOLATED}
        assert all((work / var.lower()).is_dir() for var in common.ISOLATED)
    assert {var: os.environ.get(var) for var in common.ISOLATED} == before
    assert not work.exists()


def test_without_the_corpus_it_says_so_and_succeeds(commonmark: ModuleType, tmp_path: Path,
                                                    capsys: pytest.CaptureFixture[str]) -> None:
    assert commonmark.main(["--corpus", str(tmp_path)]) == 0
    assert capsys.readouterr().out == (
        f"commonmark: skipped ({tmp_path}/commonmark/spec_examples.json not found)\n")


def test_examples_go_through_the_pipeline_and_keep_their_html(
        commonmark: ModuleType, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    corpus = write_corpus(tmp_path / "corpus", OWN_EXAMPLES)
    assert commonmark.main(["--corpus", str(corpus)]) == 0
    out = capsys.readouterr().out
    assert out.startswith("commonmark: 3/3 examples keep their HTML (es 3, zh 3) in ")
    assert out.endswith(" s\n") and out.count("\n") == 1


def test_a_changed_rendering_is_reported_by_number(
        commonmark: ModuleType, tmp_path: Path, capsys: pytest.CaptureFixture[str],
        monkeypatch: pytest.MonkeyPatch) -> None:
    # Compared as raw HTML, the joined lines of example 1 ("Two short lines.") differ.
    monkeypatch.setattr(commonmark, "normalized_html", lambda text, renderer=None: renderer.render(text))
    corpus = write_corpus(tmp_path / "corpus", OWN_EXAMPLES)
    assert commonmark.main(["--corpus", str(corpus)]) == 1
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].startswith("commonmark: 2/3 examples keep their HTML (es 2, zh 2) in ")
    assert lines[1:] == ["  es failed: 1", "  zh failed: 1"]


def test_whitespace_counts_as_one_space_except_in_code_blocks(commonmark: ModuleType) -> None:
    assert commonmark.normalized_html("A *b*\nc   d.\n\n    x  \ty\n") == (
        "<p>A <em>b</em> c d.</p> <pre><code>x  \ty\n</code></pre>")


# -- the PO suite, on catalogs written for these tests ---------------------------------------------
OWN_CATALOG = r'''# A catalog written for this test.
msgid ""
msgstr ""
"Project-Id-Version: own 1.0\n"
"Content-Type: text/plain; charset=UTF-8\n"
"Plural-Forms: nplurals=2; plural=(n != 1);\n"

# Checked by the desk.
#. Shown after saving; this extracted comment is long enough that polib would wrap it in two.
#: src/save.py:12
#, python-format
#| msgid "Saved %(n)d file."
#| msgid_plural "Saved %(n)d files."
msgid "One file was saved."
msgid_plural "%(n)d files were saved."
msgstr[0] ""
msgstr[1] ""

#: src/menu.py:3
msgctxt "menu"
msgid "Open the report."
msgstr ""

#, fuzzy
#~ msgid "An old message."
#~ msgstr "Un mensaje antiguo."
'''


@pytest.fixture
def po_suite(monkeypatch: pytest.MonkeyPatch) -> ModuleType:
    """conformance/po.py as a module."""
    return load_conformance("po", monkeypatch)


def write_po_corpus(folder: Path) -> Path:
    (folder / "po").mkdir(parents=True)
    (folder / "po" / "own.pot").write_text(OWN_CATALOG, "utf-8")
    (folder / "po" / "broken.po").write_text('msgid "one"\nmsgstr "uno"\nmsgid "two\n', "utf-8")
    return folder


def test_po_catalogs_keep_what_they_hold_and_malformed_ones_are_refused(
        po_suite: ModuleType, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    corpus = write_po_corpus(tmp_path / "corpus")
    assert po_suite.main(["--corpus", str(corpus)]) == 0
    out = capsys.readouterr().out
    assert out.startswith("po: 1 catalogs into es and zh (2 outputs) pass msgfmt --check and keep 3 "
                          "entries (1 plural, 1 with #|, 1 commented, 1 flagged); 1 malformed refused "
                          "with file:line; 0 failures in ")
    assert out.count("\n") == 1


def test_a_comment_lost_on_the_way_is_reported_with_its_line(
        po_suite: ModuleType, tmp_path: Path, capsys: pytest.CaptureFixture[str],
        monkeypatch: pytest.MonkeyPatch) -> None:
    from translator import pofiles

    monkeypatch.setattr(pofiles, "without_note", lambda comment, note: "")  # a broken writer
    corpus = write_po_corpus(tmp_path / "corpus")
    assert po_suite.main(["--corpus", str(corpus)]) == 1
    lines = capsys.readouterr().out.splitlines()
    assert "2 failures" in lines[0]
    assert lines[1:] == ["  own.pot -> es:8: extracted comment changed",
                         "  own.pot -> zh:8: extracted comment changed"]


def test_building_again_says_whether_the_output_came_back(with_models, tmp_path, monkeypatch):
    """The suites' one check that `translator build` gives each output again, byte for byte."""
    from translator.pipeline import read_source, translate_sources

    common = load_conformance("_common", monkeypatch)
    source = tmp_path / "a.md"
    source.write_text("# Title\n\nThe forum opened. It closed.\n", encoding="utf-8")
    translate_sources([read_source(source)], ["es"], source_lang="en", out_dir=tmp_path / "out",
                      placeholder="[{n}]")
    output, catalog = tmp_path / "out" / "es" / "a.md", tmp_path / "out" / "es" / "a.po"

    assert common.build_again(catalog, output.read_bytes(), tmp_path / "work") is None
    assert common.build_again(catalog, b"something else", tmp_path / "work") == \
        "translator build wrote another file"
    catalog.write_text('msgid "broken\n', encoding="utf-8")
    assert common.build_again(catalog, output.read_bytes(), tmp_path / "work").startswith(
        "translator build failed: ")
