"""OpenDocument text: spans and links as markers, white space as ODF reads it, notes, headers
and code kept, the translation poured back as spans."""
from __future__ import annotations

import pytest
from office_docs import member, odt, odt_view

from translator import formats
from translator.document import Document

ADAPTER = formats.by_name("odt")
LINK = '<text:a xlink:type="simple" xlink:href="https://example.org/report">{}</text:a>'
NOTE = ('<text:note text:id="ftn1" text:note-class="footnote"><text:note-citation>1</text:note-citation>'
        '<text:note-body><text:p text:style-name="Footnote">A source for this.</text:p></text:note-body></text:note>')


def parse(data: bytes) -> Document:
    return ADAPTER.parse(data, "report.odt")


def texts(data: bytes) -> list[str]:
    return [s.text for s in parse(data).segments()]


def render(data: bytes, translate=lambda text: text, lang: str | None = None) -> bytes:
    document = parse(data)
    return ADAPTER.render(document, [translate(s.text) for s in document.segments()], lang=lang)


def body(*paragraphs: str) -> bytes:
    return odt("".join(f'<text:p text:style-name="Standard">{p}</text:p>' for p in paragraphs))


@pytest.mark.parametrize(
    ("paragraph", "text", "about"),
    [
        ('The <text:span text:style-name="T1">quick</text:span> fox runs.', "The <1>quick</1> fox runs.", "bold"),
        ('A <text:span text:style-name="Emphasis">named</text:span> style.', "A <1>named</1> style.", "style Emphasis"),
        (f"Read {LINK.format('the report')} today.", "Read <1>the report</1> today.",
         "link to https://example.org/report"),
    ],
    ids=["automatic-style", "named-style", "link"],
)
def test_spans_and_links_inside_a_sentence_are_marker_pairs(paragraph: str, text: str, about: str) -> None:
    [segment] = parse(body(paragraph)).segments()
    assert (segment.text, segment.tags[0].about) == (text, about)


def test_a_translation_that_moves_the_linked_words_keeps_the_link() -> None:
    source = body(f"Read {LINK.format('the report')} today.")
    out = render(source, lambda text: "Hoy lea <1>el informe</1>.")
    assert odt_view(out) == ["Hoy lea <a https://example.org/report>el informe</a>."]


def test_a_span_that_only_records_a_revision_id_is_no_marker() -> None:
    source = body('Hel<text:span text:style-name="T2">lo</text:span> world.')
    assert texts(source) == ["Hello world."]
    assert odt_view(render(source, lambda text: "Hola mundo.")) == ["Hola mundo."]


def test_line_breaks_are_markers_inside_a_sentence_and_stay_outside_at_its_end() -> None:
    source = body("First line<text:line-break/>second line.<text:line-break/>")
    [segment] = parse(source).segments()
    assert (segment.text, segment.tags[0].about) == ("First line<1/>second line.", "line break")
    assert odt_view(render(source, lambda text: "Primera línea<1/>segunda.")) == [
        "Primera línea<line-break/>segunda.<line-break/>"]


def test_spaces_are_read_and_written_as_odf_says() -> None:
    source = body("A <text:s text:c=\"2\"/>gap,   and\n  collapsed  spaces.")
    assert texts(source) == ["A   gap, and collapsed spaces."]
    assert odt_view(render(source)) == ["A <s 2/>gap, and collapsed spaces."]
    assert odt_view(render(source, lambda text: "Un    hueco.")) == ["Un <s 3/>hueco."]


def test_a_note_stays_where_it_was_and_its_body_is_translated() -> None:
    source = body(f"Trade grew.{NOTE} Then it fell.")
    assert [(s.text, s.kind) for s in parse(source).segments()] == [
        ("Trade grew.", "paragraph"), ("Then it fell.", "paragraph"), ("A source for this.", "footnote")]
    out = render(source, str.upper)
    assert odt_view(out) == ["TRADE GREW.<note/> THEN IT FELL.", "A SOURCE FOR THIS."]


def test_a_page_break_cache_inside_a_sentence_is_dropped_and_one_before_it_kept() -> None:
    source = body("<text:soft-page-break/>The first<text:soft-page-break/> page ends here.")
    assert texts(source) == ["The first page ends here."]
    assert odt_view(render(source, lambda text: "La primera página acaba aquí.")) == [
        "<soft-page-break/>La primera página acaba aquí."]


@pytest.mark.parametrize(
    "code",
    ['<text:span text:style-name="T3">print(x)</text:span>',
     '<text:span text:style-name="Source_20_Text">print(x)</text:span>',
     '<text:span text:style-name="T5">print(x)</text:span>'],
    ids=["monospaced-font", "source-text-style", "no-linguistic-content"],
)
def test_code_and_spans_in_no_language_come_back_byte_for_byte(code: str) -> None:
    source = body(f"Call {code} to print.")
    [segment] = parse(source).segments()
    assert (segment.text, segment.tags[0].about) == ("Call <1/> to print.", "code: print(x)")
    out = member(render(source, lambda text: "Llame a <1/> para imprimir."), "content.xml")
    assert f"Llame a {code} para imprimir.".encode() in out


def test_a_paragraph_in_a_code_style_and_deleted_text_of_tracked_changes_are_not_translated() -> None:
    changes = ('<text:tracked-changes><text:changed-region text:id="ct1"><text:deletion><office:change-info>'
               '<dc:creator>Ann</dc:creator></office:change-info><text:p>Deleted words.</text:p></text:deletion>'
               '</text:changed-region></text:tracked-changes>')
    source = odt(changes + '<text:p text:style-name="Preformatted_20_Text">x = compute(1)</text:p>'
                 '<text:p>Kept <text:change text:change-id="ct1"/>words.</text:p>')
    [segment] = parse(source).segments()
    assert (segment.text, segment.tags[0].about) == ("Kept <1/>words.", "tracked change")


def test_headings_lists_tables_boxes_comments_and_the_page_header_get_their_kind() -> None:
    source = odt('<text:h text:outline-level="1">Results</text:h><text:list><text:list-item><text:p>An item'
                 '</text:p></text:list-item></text:list><table:table xmlns:table="urn:oasis:names:tc:opendocument:'
                 'xmlns:table:1.0"><table:table-row><table:table-cell><text:p>A cell</text:p></table:table-cell>'
                 '</table:table-row></table:table><text:p>Outer words.<draw:frame draw:name="Box"><draw:text-box>'
                 '<text:p>Boxed words.</text:p></draw:text-box></draw:frame><office:annotation><dc:creator>Ann'
                 '</dc:creator><text:p>Check this.</text:p></office:annotation></text:p>',
                 header="<text:p>Quarterly report</text:p>")
    assert [(s.text, s.kind) for s in parse(source).segments()] == [
        ("Results", "heading"), ("An item", "list_item"), ("A cell", "table_cell"), ("Outer words.", "paragraph"),
        ("Boxed words.", "text_box"), ("Check this.", "comment"), ("Quarterly report", "header")]
    out = render(source, str.upper)
    assert odt_view(out)[3:] == ["OUTER WORDS.", "BOXED WORDS.", "CHECK THIS."]
    assert b"<dc:creator>Ann</dc:creator>" in member(out, "content.xml")
    assert odt_view(out, "styles.xml") == ["QUARTERLY REPORT"]


def test_the_document_language_becomes_the_target() -> None:
    source = body('Trade <text:span text:style-name="T4">grew</text:span>.')
    spanish = render(source, lang="es")
    assert b"<dc:language>es-ES</dc:language>" in member(spanish, "meta.xml")
    assert b'fo:language="es" fo:country="ES"' in member(spanish, "styles.xml")
    assert b'fo:language="es" fo:country="ES"' in member(spanish, "content.xml")
    chinese = render(source, lang="zh")
    assert b'style:language-asian="zh" style:country-asian="CN"' in member(chinese, "styles.xml")


def test_the_mimetype_stays_first_and_stored() -> None:
    import io
    import zipfile

    out = zipfile.ZipFile(io.BytesIO(render(body("Trade grew."), lang="es")))
    first = out.infolist()[0]
    assert (first.filename, first.compress_type) == ("mimetype", zipfile.ZIP_STORED)
