"""Inline markup inside sentences: markers the model carries, markup back around the words,
nothing lost in silence, and a reviewer who breaks a marker stopped by `build`."""
from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from pathlib import Path

import polib
import pytest
from click.testing import CliRunner
from hypothesis import given
from hypothesis import strategies as st

from glossary.model import Concept, Rendering, Termbase
from translator import formats, inline, pipeline
from translator.cli import main
from translator.document import Document, Segment
from translator.engine import CTranslate2Translator
from translator.formats import TextAdapter
from translator.inline import InlineTag


def _mark(body: str) -> tuple[str, list[InlineTag]]:
    """`*words*` -> `<n>words</n>`, `[k]` -> `<n/>`, with the tags they stand for."""
    tags: list[InlineTag] = []

    def bold(m: re.Match[str]) -> str:
        n = len({tag.id for tag in tags}) + 1
        tags.extend([InlineTag(n, "open", "*", "bold"), InlineTag(n, "close", "*")])
        return f"<{n}>{m.group(1)}</{n}>"

    def note(m: re.Match[str]) -> str:
        n = len({tag.id for tag in tags}) + 1
        tags.append(InlineTag(n, "empty", m.group(0), f"footnote {m.group(1)}"))
        return f"<{n}/>"

    return re.sub(r"\[(\d+)\]", note, re.sub(r"\*([^*]+)\*", bold, body)), tags


class Stars(TextAdapter):
    """A toy format: one sentence per line, `*words*` in bold and `[n]` a footnote reference."""

    name = "stars"
    suffixes = (".stars",)

    def parse_text(self, text: str, name: str, *, lang: str = "en") -> Document:
        parts: list[str | Segment] = []
        for number, line in enumerate(text.splitlines(keepends=True), start=1):
            body = line.rstrip("\n")
            if not body.strip():
                parts.append(line)
                continue
            marked, tags = _mark(body)
            parts += [Segment(marked, number, "line", tuple(tags)), line[len(body):]]
        return Document(name, self.name, parts)

    def render(self, document: Document, translations: Sequence[str], *, lang: str | None = None) -> bytes:
        slots = document.segments()
        filled = [inline.fill(t, s.tags, lambda tag: tag.markup) for t, s in zip(translations, slots)]
        return document.render(filled).encode("utf-8")


@pytest.fixture
def stars() -> Iterator[None]:
    formats.register(Stars())
    yield
    formats._REGISTERED.clear()


TEXT = "The *Comprehensive Strategic Partnership* grew fast.[1]\n\nTrade rose *sharply* in May.\n"
PARTNERSHIP = Concept("Comprehensive Strategic Partnership",
                      renderings=(Rendering("es", "Asociación Estratégica Integral"),))


def _translate(tmp_path: Path, factory=None, **kwargs):
    doc = tmp_path / "news.stars"
    doc.write_text(TEXT, encoding="utf-8")
    return pipeline.translate_sources([pipeline.read_source(doc)], ["es"], source_lang="en",
                                      out_dir=tmp_path / "out", termbase=Termbase([PARTNERSHIP]),
                                      translator_factory=factory, **kwargs)


def test_markup_comes_back_around_the_words_and_the_term_inside_it_is_enforced(stars, with_models, tmp_path):
    result = _translate(tmp_path)
    written = (tmp_path / "out" / "es" / "news.stars").read_text(encoding="utf-8")
    assert written == ("The *Asociación Estratégica Integral* grew fast.[1]\n\n"
                       "Trade rose *sharply* in May.\n")
    first = result.files[0].sentences[0]
    assert [t.state for t in first.terms] == ["enforced"]
    entry = polib.pofile(str(tmp_path / "out" / "es" / "news.po"))[0]
    assert entry.msgid == "The <1>Comprehensive Strategic Partnership</1> grew fast.<2/>"
    assert "markup <1>...</1>: bold" in entry.comment and "markup <2/>: footnote 1" in entry.comment


class _DropsMarkers:
    """The real copy model, but every marker and placeholder-wrapped marker is lost."""

    def __init__(self, route):
        self.inner = CTranslate2Translator(route[0])

    def translate(self, sentences, progress=None):
        out = self.inner.translate(sentences, progress)
        return [re.sub(r"\[\d+\]", "", text) for text in out]


def test_markup_the_model_lost_goes_to_the_edges_and_the_sentence_is_flagged(stars, with_models, tmp_path):
    result = _translate(tmp_path, factory=_DropsMarkers, placeholder="[{n}]")
    written = (tmp_path / "out" / "es" / "news.stars").read_text(encoding="utf-8").splitlines()
    assert written[2] == "*Trade rose sharply in May.*"  # the bold kept, around the sentence
    second = result.files[0].sentences[1]
    assert any("the model lost the markup <1>, </1>" in r for r in second.reasons)


def test_build_refuses_a_reviewer_translation_with_broken_markup(stars, with_models, tmp_path):
    _translate(tmp_path)
    catalog_path = tmp_path / "out" / "es" / "news.po"
    po = polib.pofile(str(catalog_path))
    entry = po.find("Trade rose <1>sharply</1> in May.")
    entry.msgstr, entry.flags = "El comercio subió <1>mucho en mayo.", []
    po.save()
    result = CliRunner().invoke(main, ["build", str(catalog_path), "--out", str(tmp_path / "built")])
    assert result.exit_code == 1
    assert "the markup </1> is missing" in result.stderr
    assert "keep each <N>...</N> of the source around the words it marks" in result.stderr
    assert not (tmp_path / "built").exists()


@pytest.mark.parametrize(
    ("text", "problems"),
    [
        ("<1>a</1> b <2/>", []),
        ("<1>a b <2/>", ["the markup </1> is missing"]),
        ("</1>a<1> <2/>", ["the markup <1>...</1> is crossed with another or closed before it opens"]),
        ("<1>a</1><1>b</1> <2/>", ["the markup </1> appears 2 times", "the markup <1> appears 2 times"]),
        ("<1>a</1> <2/> <3/>", ["the markup <3/> is not in the source"]),
    ],
    ids=["fine", "unclosed", "reversed", "duplicated", "invented"],
)
def test_check_names_each_fault_of_the_markers(text, problems):
    tags = [InlineTag(1, "open", "*"), InlineTag(1, "close", "*"), InlineTag(2, "empty", "[1]")]
    assert inline.check(text, tags) == problems


@given(st.lists(st.sampled_from(["word", " ", "<1>", "</1>", "<2/>", "."]), max_size=12).map("".join))
def test_placing_lost_markers_always_yields_every_marker_once(text):
    tags = [InlineTag(1, "open", "*"), InlineTag(1, "close", "*"), InlineTag(2, "empty", "[1]")]
    placed, _ = inline.place_lost(text, tags)
    found = [m.group(0) for m in inline.MARKER.finditer(placed)]
    assert {"<1>", "</1>", "<2/>"} <= set(found)
