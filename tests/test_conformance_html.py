"""The HTML and EPUB conformance scripts, run on a page and a book written for these tests (never
on copies of the reference corpus): they pass good translations and name what a broken one
changed."""
from __future__ import annotations

import io
import zipfile
from pathlib import Path
from types import ModuleType

import pytest
from helpers import load_conformance
from test_epub import PNG, make_epub
from test_html import PAGE


@pytest.fixture
def html_suite(monkeypatch: pytest.MonkeyPatch) -> ModuleType:
    return load_conformance("formats_html", monkeypatch)


@pytest.fixture
def epub_suite(monkeypatch: pytest.MonkeyPatch) -> ModuleType:
    return load_conformance("formats_epub", monkeypatch)


def test_a_page_passes_in_both_languages_with_its_figures(
        html_suite: ModuleType, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "formats" / "html").mkdir(parents=True)
    (tmp_path / "formats" / "html" / "news.html").write_text(PAGE, encoding="utf-8")
    assert html_suite.main(["--corpus", str(tmp_path)]) == 0
    out = capsys.readouterr().out
    assert out.startswith("formats_html: 1/1 pages keep their markup and text (es 1, zh 1), ")
    assert "1/1 keep their markup with every sentence changed; build reproduces 2/2 outputs; " in out
    assert "largest news.html (0 KB) to es+zh in a fresh process: " in out and out.count("\n") == 1


def test_a_book_passes_in_both_languages(epub_suite: ModuleType, tmp_path: Path,
                                          capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "formats" / "epub").mkdir(parents=True)
    (tmp_path / "formats" / "epub" / "book.epub").write_bytes(make_epub())
    assert epub_suite.main(["--corpus", str(tmp_path)]) == 0
    out = capsys.readouterr().out
    assert out.startswith("formats_epub: 1/1 books keep every member (es 1, zh 1), 10 sentences")
    assert "build reproduces 2/2 outputs" in out


@pytest.mark.parametrize(
    ("after", "problem"),
    [
        ("<p>A b. C.</p>", "event 1: 'text A' became 'text A b. C.'"),
        ("<p>A <b>B</b>. C.</p>", "event 3: 'text b' became 'text B'"),
        ('<p title="x">A <b>b</b>. C.</p>', "event 0: 'start p' became 'start p title=x'"),
        ("<p>A <b>b</b>. C.</p><!-- new -->", "7 events became 8"),
    ],
    ids=["tag-lost", "text-changed", "attribute-added", "comment-added"],
)
def test_a_changed_page_is_named_by_its_first_difference(html_suite: ModuleType, after: str, problem: str) -> None:
    assert html_suite.compare_markup("<p>A <b>b</b>. C.</p>", after, None) == problem


def test_the_root_language_must_be_the_target(html_suite: ModuleType) -> None:
    page = '<html lang="en"><p>Hi.</p></html>'
    assert html_suite.compare_markup(page, page.replace("en", "es"), "es") is None
    assert html_suite.compare_markup(page, page, "es") == "the root says lang=en, not es"


def test_a_model_that_changed_a_sentence_is_excused_only_where_its_catalog_says(html_suite: ModuleType) -> None:
    before, after = "<p>The cat sat.</p>", "<p>The cat sits.</p>"
    assert html_suite.compare_markup(before, after, None) is not None
    assert html_suite.compare_markup(before, after, None, excused=[("The cat sat.", "The cat sits.")]) is None
    assert html_suite.compare_markup(before, after, None, excused=[("A dog.", "The cat sits.")]) is not None


def test_a_book_with_a_changed_image_or_a_moved_mimetype_fails(epub_suite: ModuleType) -> None:
    book = make_epub()
    members = {i.filename: zipfile.ZipFile(io.BytesIO(book)).read(i) for i in zipfile.ZipFile(io.BytesIO(book)).infolist()}
    changed = dict(members, **{"OEBPS/images/pic.png": PNG[::-1]})
    del changed["mimetype"]
    assert epub_suite.compare_books(book, make_epub(changed), "es") == "OEBPS/images/pic.png: changed"
    moved = io.BytesIO()
    with zipfile.ZipFile(moved, "w") as archive:
        for name, data in reversed(members.items()):
            archive.writestr(name, data)
    assert epub_suite.compare_books(book, moved.getvalue(), "es") == "mimetype is not the first member, stored"
