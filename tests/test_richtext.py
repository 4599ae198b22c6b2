"""The paragraph engine shared by DOCX and ODT: where sentences start and end around markup,
and nothing the paragraph holds is lost whatever the model does to the markers."""
from __future__ import annotations

import re

from hypothesis import given, settings
from hypothesis import strategies as st
from lxml import etree
from office_docs import W, docx, member, odt, p, r, word_view

from translator import formats

DOCX = formats.by_name("docx")
ODT = formats.by_name("odt")
NOTE = '<w:r><w:footnoteReference w:id="7"/></w:r>'
DELETION = '<w:del w:id="1" w:author="Ann"><w:r><w:delText>old</w:delText></w:r></w:del>'
CODE = '<w:r><w:rPr><w:rStyle w:val="HTMLCode"/></w:rPr><w:t>f(x)</w:t></w:r>'
LINK = '<w:hyperlink r:id="rId5"><w:r><w:t>{}</w:t></w:r></w:hyperlink>'
BUSY = docx(p(r("Prices "), DELETION, r("rose "), r("sharply", "b"), NOTE, r(" after "), CODE,
              r(" ran, see "), LINK.format("the report"), r(".")))


def test_a_paragraph_that_is_all_one_link_is_translated_inside_it() -> None:
    [segment] = DOCX.parse(docx(p(LINK.format("The whole paragraph is a link."))), "a.docx").segments()
    assert (segment.text, segment.tags) == ("The whole paragraph is a link.", ())


def test_sentences_inside_one_stretch_stay_apart_and_markup_across_a_sentence_end_joins_them() -> None:
    source = docx(p(r("First one. "), r("Bold starts. Bold ends.", "b"), r(" Last one.")))
    texts = [s.text for s in DOCX.parse(source, "a.docx").segments()]
    assert texts == ["First one.", "Bold starts.", "Bold ends.", "Last one."]
    out = DOCX.render(DOCX.parse(source, "a.docx"), ["Uno.", "Negrita uno.", "Negrita dos.", "Fin."])
    assert word_view(out) == ["Uno. <b>Negrita uno. Negrita dos.</b> Fin."]
    source = docx(p(r("First one. Bold "), r("starts. Bold", "b"), r(" ends. Last one.")))
    texts = [s.text for s in DOCX.parse(source, "a.docx").segments()]
    assert texts == ["First one.", "Bold <1>starts. Bold</1> ends.", "Last one."]


def test_a_paragraph_without_letters_is_left_alone() -> None:
    source = docx(p(r("2024-05-06"), '<w:r><w:tab/></w:r>', r("42")))
    assert DOCX.parse(source, "a.docx").segments() == []


_MARKERS = ["<1>", "</1>", "<2/>", "<3/>", "<4/>", "<5>", "</5>", "<9>", "</9>", "<1/>"]


@settings(max_examples=60, deadline=None)
@given(st.lists(st.one_of(st.sampled_from(_MARKERS), st.sampled_from(["palabra", " ", ".", "<", "&"])),
                max_size=14))
def test_whatever_the_model_does_to_the_markers_nothing_is_lost(pieces: list[str]) -> None:
    document = DOCX.parse(BUSY, "a.docx")
    [segment] = document.segments()
    assert re.findall(r"<\d/>", segment.text) == ["<1/>", "<3/>", "<4/>"]  # deletion, note, code
    out = member(DOCX.render(document, ["".join(pieces)]), "word/document.xml")
    root = etree.fromstring(out)
    assert len(root.findall(f".//{{{W}}}footnoteReference")) == 1
    assert len(root.findall(f".//{{{W}}}del")) == 1
    assert len([t for t in root.iter(f"{{{W}}}t") if t.text == "f(x)"]) == 1
    assert len(root.findall(f".//{{{W}}}hyperlink")) <= 1


@settings(max_examples=30, deadline=None)
@given(st.lists(st.sampled_from(["<1>", "</1>", "<2/>", "<3>", "</3>", "uno", " ", "  "]), max_size=12))
def test_any_translation_of_an_odt_paragraph_renders_and_keeps_its_note(pieces: list[str]) -> None:
    source = odt('<text:p>Trade <text:span text:style-name="T1">grew</text:span><text:note text:note-class='
                 '"footnote"><text:note-citation>1</text:note-citation><text:note-body><text:p>Source.</text:p>'
                 '</text:note-body></text:note> in <text:a xlink:href="https://example.org">May</text:a>.</text:p>')
    document = ODT.parse(source, "a.odt")
    assert [s.text for s in document.segments()] == ["Trade <1>grew</1><2/> in <3>May</3>.", "Source."]
    out = member(ODT.render(document, ["".join(pieces), "Fuente."]), "content.xml")
    assert out.count(b"<text:note ") == 1 and b"Fuente." in out
