"""Word documents: runs and their formatting as markers inside sentences, every part with text,
fields, tracked changes and code kept, the translation poured back as runs."""
from __future__ import annotations

import pytest
from lxml import etree
from office_docs import R, W, docx, member, p, r, word_view

from translator import formats
from translator.document import Document
from translator.formats.office import language_tag

ADAPTER = formats.by_name("docx")
HYPERLINK = ('<w:hyperlink r:id="rId5" w:history="1"><w:r><w:rPr><w:rStyle w:val="Hyperlink"/></w:rPr>'
             '<w:t>{}</w:t></w:r></w:hyperlink>')
FIELD = ('<w:r><w:fldChar w:fldCharType="begin"/></w:r><w:r><w:instrText xml:space="preserve"> {code} </w:instrText>'
         '</w:r><w:r><w:fldChar w:fldCharType="separate"/></w:r><w:r><w:rPr><w:b/></w:rPr><w:t>{result}</w:t></w:r>'
         '<w:r><w:fldChar w:fldCharType="end"/></w:r>')
TAB = '<w:r><w:tab/></w:r>'
BREAK = '<w:r><w:br/></w:r>'


def note_reference(number: int) -> str:
    return (f'<w:r><w:rPr><w:rStyle w:val="FootnoteReference"/></w:rPr>'
            f'<w:footnoteReference w:id="{number}"/></w:r>')


def parse(data: bytes) -> Document:
    return ADAPTER.parse(data, "report.docx")


def texts(data: bytes) -> list[str]:
    return [s.text for s in parse(data).segments()]


def render(data: bytes, translate=lambda text: text, lang: str | None = None) -> bytes:
    document = parse(data)
    return ADAPTER.render(document, [translate(s.text) for s in document.segments()], lang=lang)


def test_bold_inside_a_sentence_is_one_segment_with_a_marker_pair() -> None:
    [segment] = parse(docx(p(r("The "), r("quick", "b"), r(" fox runs.")))).segments()
    assert (segment.text, segment.kind) == ("The <1>quick</1> fox runs.", "paragraph")
    assert [(t.id, t.kind, t.about) for t in segment.tags] == [(1, "open", "bold"), (1, "close", "")]


def test_a_translation_that_moves_the_bold_word_keeps_it_bold_with_the_first_runs_properties() -> None:
    source = docx(p(r("The "), r("quick", "b", rsid="00BEEF00"), r(" fox runs.")))
    out = render(source, lambda text: "El zorro <1>rápido</1> corre.")
    assert word_view(out) == ["El zorro <b>rápido</b> corre."]
    bold_run = etree.fromstring(member(out, "word/document.xml")).find(f".//{{{W}}}b/../..")
    assert bold_run.get(f"{{{W}}}rsidR") == "00BEEF00"


def test_runs_that_differ_only_in_revision_ids_or_proofing_language_are_one_stretch() -> None:
    source = docx(p(r("Hel", rsid="1"), r("lo world.", rsid="2"), r(" Again.", "lang:en-GB")))
    assert texts(source) == ["Hello world.", "Again."]
    assert [s.tags for s in parse(source).segments()] == [(), ()]
    runs = etree.fromstring(member(render(source), "word/document.xml")).iter(f"{{{W}}}r")
    assert ["".join(run.itertext()) for run in runs] == ["Hello world. Again."]


def test_a_style_switched_off_inside_a_sentence_is_named_for_the_reviewer() -> None:
    source = docx(p(r("An italic ", "rStyle:Emphasis"), r("word", "rStyle:Emphasis", "i:0"),
                    r(" here.", "rStyle:Emphasis")))
    [segment] = parse(source).segments()
    assert segment.text == "An italic <1>word</1> here."
    assert segment.tags[0].about == "not italic"


def test_a_hyperlink_is_a_pair_that_keeps_its_target() -> None:
    source = docx(p(r("Read "), HYPERLINK.format("the report"), r(" today.")))
    [segment] = parse(source).segments()
    assert segment.text == "Read <1>the report</1> today."
    assert segment.tags[0].about == "link to https://example.org/report"
    out = render(source, lambda text: "Lea <1>el informe</1> hoy.")
    assert word_view(out) == ["Lea <a rId5><Hyperlink>el informe</Hyperlink></a> hoy."]


def test_a_field_code_is_kept_and_its_result_translated() -> None:
    source = docx(p(r("See "), FIELD.format(code=r"REF _Ref1 \h", result="Table 2"), r(" below.")))
    [segment] = parse(source).segments()
    assert segment.text == "See <1>Table 2</1> below."
    assert segment.tags[0].about == r"field REF _Ref1 \h"
    out = render(source, lambda text: "Véase <1>Tabla 2</1> abajo.")
    assert word_view(out) == [r"Véase <field REF _Ref1 \h><b>Tabla 2</b></field> abajo."]


def test_a_table_of_contents_line_is_its_title_alone() -> None:
    line = p(HYPERLINK.format("Introduction").replace("</w:hyperlink>", TAB + FIELD.format(
        code=r"PAGEREF _Toc1 \h", result="4") + "</w:hyperlink>"))
    assert texts(docx(line)) == ["Introduction"]
    assert word_view(render(docx(line), lambda text: "Introducción")) == [
        r"<a rId5><Hyperlink>Introducción</Hyperlink><tab/><field PAGEREF _Toc1 \h><b>4</b></field></a>"]


def test_tabs_and_line_breaks_inside_a_sentence_are_empty_markers() -> None:
    [segment] = parse(docx(p(r("Line one"), BREAK, r("line two."), BREAK))).segments()
    assert segment.text == "Line one<1/>line two."
    assert segment.tags[0].about == "line break"


def test_a_footnote_reference_inside_a_sentence_is_a_marker_and_one_after_it_stays_outside() -> None:
    source = docx(p(r("Trade grew"), note_reference(1), r(" fast."), note_reference(2), r(" Then it fell.")))
    assert texts(source) == ["Trade grew<1/> fast.", "Then it fell."]
    out = render(source, lambda text: text.replace("Trade grew<1/> fast", "El comercio<1/> creció"))
    assert word_view(out) == ["El comercio<FootnoteReference><fn 1/></FootnoteReference> creció."
                              "<FootnoteReference><fn 2/></FootnoteReference> Then it fell."]


def test_a_marker_the_translation_lost_is_put_back_not_dropped() -> None:
    source = docx(p(r("Trade grew"), note_reference(1), r(" fast.")))
    out = render(source, lambda text: "El comercio creció.")
    assert "<fn 1/>" in word_view(out)[0]


def test_notes_headers_comments_and_text_boxes_are_translated_with_their_kind() -> None:
    box = ('<w:r><w:drawing><wp:anchor xmlns:wp="http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing">'
           '<w:txbxContent><w:p><w:r><w:t>Boxed words here.</w:t></w:r></w:p></w:txbxContent></wp:anchor>'
           "</w:drawing></w:r>")
    source = docx(p(r("Outer text."), box),
                  footnotes=('<w:footnote w:id="1"><w:p><w:r><w:footnoteRef/></w:r>'
                             '<w:r><w:t xml:space="preserve"> A note on sources.</w:t></w:r></w:p></w:footnote>'),
                  header=p(r("Quarterly report")),
                  comments='<w:comment w:id="0" w:author="Ann"><w:p><w:r><w:t>Check this figure.</w:t></w:r></w:p></w:comment>')
    assert [(s.text, s.kind) for s in parse(source).segments()] == [
        ("Outer text.", "paragraph"), ("Boxed words here.", "text_box"), ("A note on sources.", "footnote"),
        ("Quarterly report", "header"), ("Check this figure.", "comment")]
    out = render(source, str.upper)
    assert word_view(out) == ["OUTER TEXT.", "BOXED WORDS HERE."]
    assert word_view(out, "word/footnotes.xml") == [" A NOTE ON SOURCES."]
    assert word_view(out, "word/header1.xml") == ["QUARTERLY REPORT"]


@pytest.mark.parametrize(
    ("body", "kind"),
    [
        (p(r("Results"), style="Heading1"), "heading"),
        (p(r("An item"), props='<w:numPr><w:ilvl w:val="0"/><w:numId w:val="1"/></w:numPr>'), "list_item"),
        (f"<w:tbl><w:tr><w:tc>{p(r('A cell'))}</w:tc></w:tr></w:tbl>", "table_cell"),
    ],
    ids=["heading", "list-item", "table-cell"],
)
def test_headings_list_items_and_table_cells_get_their_kind(body: str, kind: str) -> None:
    assert [s.kind for s in parse(docx(body)).segments()] == [kind]


def test_tracked_changes_show_what_the_document_shows_and_keep_the_deletion_whole() -> None:
    deletion = '<w:del w:id="1" w:author="Ann"><w:r><w:delText xml:space="preserve">fell </w:delText></w:r></w:del>'
    insertion = '<w:ins w:id="2" w:author="Ann"><w:r><w:t xml:space="preserve">rose </w:t></w:r></w:ins>'
    source = docx(p(r("Prices "), deletion, insertion, r("in May.")))
    [segment] = parse(source).segments()
    assert segment.text == "Prices <1/><2>rose </2>in May."
    assert [t.about for t in segment.tags if t.kind != "close"] == [
        "tracked deletion by Ann: 'fell '", "tracked insertion by Ann"]
    out = render(source, lambda text: "Los precios <1/><2>subieron </2>en mayo.")
    assert word_view(out) == ["Los precios <del>fell </del><ins>subieron </ins>en mayo."]
    assert deletion.encode() in etree.tostring(etree.fromstring(member(out, "word/document.xml")))


def test_zero_width_marks_travel_with_the_stretch_beside_them() -> None:
    source = docx(p(r("This is an "), '<w:bookmarkStart w:id="0" w:name="_GoBack"/>', r("italic style", "i"),
                    '<w:bookmarkEnd w:id="0"/>', r(".")))
    assert texts(source) == ["This is an <1>italic style</1>."]
    out = render(source, lambda text: "Esto es un <1>estilo itálico</1>.")
    assert word_view(out) == ["Esto es un <bookmark _GoBack/><i>estilo itálico</i></bookmark>."]


def test_spelling_marks_inside_a_translated_sentence_are_dropped() -> None:
    source = docx(p(r("A "), '<w:proofErr w:type="spellStart"/>', r("mispelt"), '<w:proofErr w:type="spellEnd"/>',
                    r(" word.")))
    assert texts(source) == ["A mispelt word."]
    out = member(render(source, lambda text: "Una palabra."), "word/document.xml")
    assert b"proofErr" not in out


def test_code_runs_come_back_byte_for_byte_and_a_code_paragraph_is_not_translated() -> None:
    code = '<w:r><w:rPr><w:rStyle w:val="HTMLCode"/></w:rPr><w:t>print(x)</w:t></w:r>'
    source = docx(p(r("Call "), code, r(" to print.")) + p(r("x = compute(1)"), style="SourceCode"))
    [segment] = parse(source).segments()
    assert segment.text == "Call <1/> to print."
    assert segment.tags[0].about == "code: print(x)"
    out = render(source, lambda text: "Llame a <1/> para imprimir.")
    assert code_runs(out) == code_runs(source) == [code.replace("<w:r>", f'<w:r xmlns:w="{W}">')]
    assert word_view(out) == ["Llame a <code>print(x)</code> para imprimir.", "x = compute(1)"]


def code_runs(data: bytes) -> list[str]:
    root = etree.fromstring(member(data, "word/document.xml"))
    return [etree.tostring(run, encoding="unicode").replace(f' xmlns:r="{R}"', "")
            for run in root.iter(f"{{{W}}}r") if b"HTMLCode" in etree.tostring(run)]


def test_the_document_language_becomes_the_target() -> None:
    source = docx(p(r("Trade grew.", "lang:en-US")))
    spanish = render(source, lang="es")
    assert b'<w:lang w:val="es-ES" w:eastAsia="en-US"/>' in member(spanish, "word/styles.xml")
    assert b'<w:themeFontLang w:val="es-ES"/>' in member(spanish, "word/settings.xml")
    assert b'<w:lang w:val="es-ES"/>' in member(spanish, "word/document.xml")
    assert b"<dc:language>es-ES</dc:language>" in member(spanish, "docProps/core.xml")
    chinese = render(source, lang="zh")
    assert b'<w:lang w:val="zh-CN" w:eastAsia="zh-CN"/>' in member(chinese, "word/styles.xml")


def test_the_xml_declaration_is_kept_as_written() -> None:
    out = member(render(docx(p(r("Trade grew.")))), "word/document.xml")
    assert out.startswith(b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<w:document ')


def test_a_document_rendered_twice_gives_the_same_bytes() -> None:
    document = parse(docx(p(r("The "), r("quick", "b"), r(" fox runs."))))
    texts_ = [s.text for s in document.segments()]
    assert ADAPTER.render(document, texts_, lang="es") == ADAPTER.render(document, texts_, lang="es")


@pytest.mark.parametrize(("code", "tag"), [("es", ("es", "ES")), ("zh", ("zh", "CN")), ("pt_BR", ("pt", "BR")),
                                           ("pt-PT", ("pt", "PT")), ("xx", ("xx", ""))],
                         ids=["es", "zh", "pt_BR", "pt-PT", "unknown"])
def test_a_target_language_gets_its_likely_region(code: str, tag: tuple[str, str]) -> None:
    assert language_tag(code) == tag
