"""DOCX and ODT through the whole pipeline with the copy model: the same document back, a review
catalog with markers, `build` writing the same bytes, glossary terms enforced inside markup."""
from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import polib
import pytest
from click.testing import CliRunner
from office_docs import docx, member, odt, odt_view, p, r, word_view

from glossary.model import Concept, Rendering, Termbase
from translator import pipeline
from translator.cli import main

LINKED_TERM = ('<w:hyperlink r:id="rId5"><w:r><w:rPr><w:rStyle w:val="Hyperlink"/></w:rPr>'
               "<w:t>Comprehensive Strategic Partnership</w:t></w:r></w:hyperlink>")
CODE_RUN = '<w:r><w:rPr><w:rStyle w:val="HTMLCode"/></w:rPr><w:t>run --fast</w:t></w:r>'
NOTE = ('<w:r><w:rPr><w:rStyle w:val="FootnoteReference"/></w:rPr><w:footnoteReference w:id="1"/></w:r>')
DOCX = docx(p(r("Trade talks"), style="Heading1")
            + p(r("The "), LINKED_TERM, r(" grew "), r("fast", "b"), r(" this year."), NOTE,
                r(" Use "), CODE_RUN, r(" to check.")),
            footnotes='<w:footnote w:id="1"><w:p><w:r><w:t>Figures from May.</w:t></w:r></w:p></w:footnote>')
ODT = odt('<text:h text:outline-level="1">Trade talks</text:h><text:p>The <text:span text:style-name="Emphasis">'
          'Comprehensive Strategic Partnership</text:span> grew <text:span text:style-name="T1">fast</text:span> '
          'this year.<text:line-break/>See <text:a xlink:href="https://example.org/r">the report</text:a>.'
          '<text:note text:note-class="footnote"><text:note-citation>1</text:note-citation><text:note-body>'
          '<text:p>Figures from May.</text:p></text:note-body></text:note> Use <text:span '
          'text:style-name="Source_20_Text">run --fast</text:span> to check.</text:p>')
PARTNERSHIP = Concept("Comprehensive Strategic Partnership",
                      renderings=(Rendering("es", "Asociación Estratégica Integral"),))
CASES = [("news.docx", DOCX, word_view), ("news.odt", ODT, odt_view)]
IDS = ["docx", "odt"]


def _translate(tmp_path: Path, name: str, data: bytes, targets: tuple[str, ...], termbase: Termbase | None = None):
    source = tmp_path / name
    source.write_bytes(data)
    return pipeline.translate_sources([pipeline.read_source(source)], list(targets), source_lang="en",
                                      out_dir=tmp_path / "out", termbase=termbase)


@pytest.mark.parametrize(("name", "data", "view"), CASES, ids=IDS)
def test_the_copy_model_gives_back_the_same_document_in_each_language(
        with_models: Path, tmp_path: Path, name: str, data: bytes, view: Callable[[bytes], list[str]]) -> None:
    _translate(tmp_path, name, data, ("es", "zh"))
    for lang in ("es", "zh"):
        assert view((tmp_path / "out" / lang / name).read_bytes()) == view(data)


@pytest.mark.parametrize(("name", "data", "view"), CASES, ids=IDS)
def test_the_catalog_shows_the_markers_and_build_writes_the_same_file(
        with_models: Path, tmp_path: Path, name: str, data: bytes, view: Callable[[bytes], list[str]]) -> None:
    _translate(tmp_path, name, data, ("es",))
    catalog = tmp_path / "out" / "es" / f"{Path(name).stem}.po"
    entries = {e.msgid: e for e in polib.pofile(str(catalog))}
    marked = next(e for msgid, e in entries.items() if msgid.startswith("The <1>"))
    assert marked.msgid == "The <1>Comprehensive Strategic Partnership</1> grew <2>fast</2> this year."
    assert "Figures from May." in entries
    written = (tmp_path / "out" / "es" / name).read_bytes()
    result = CliRunner().invoke(main, ["build", str(catalog), "--out", str(tmp_path / "built")])
    assert result.exit_code == 0, result.output
    assert (tmp_path / "built" / "es" / name).read_bytes() == written


@pytest.mark.parametrize(("name", "data", "view"), CASES, ids=IDS)
def test_a_glossary_term_inside_a_link_or_emphasis_comes_out_approved_inside_its_markup(
        with_models: Path, tmp_path: Path, name: str, data: bytes, view: Callable[[bytes], list[str]]) -> None:
    result = _translate(tmp_path, name, data, ("es",), Termbase([PARTNERSHIP]))
    paragraph = view((tmp_path / "out" / "es" / name).read_bytes())[1]
    if name.endswith(".docx"):
        assert paragraph.startswith("The <a rId5><Hyperlink>Asociación Estratégica Integral</Hyperlink></a> grew ")
    else:
        assert paragraph.startswith("The <Emphasis>Asociación Estratégica Integral</Emphasis> grew ")
    states = [t.state for s in result.files[0].sentences for t in s.terms]
    assert states == ["enforced"]


@pytest.mark.parametrize(("name", "data", "part", "code"), [
    ("news.docx", DOCX, "word/document.xml", CODE_RUN.encode()),
    ("news.odt", ODT, "content.xml", b'<text:span text:style-name="Source_20_Text">run --fast</text:span>'),
], ids=IDS)
def test_code_comes_back_byte_for_byte(with_models: Path, tmp_path: Path, name: str, data: bytes, part: str,
                                       code: bytes) -> None:
    _translate(tmp_path, name, data, ("es",))
    assert code in member((tmp_path / "out" / "es" / name).read_bytes(), part)
