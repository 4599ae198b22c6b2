"""The HTML adapter: prose out of the page and back, everything else byte for byte."""
from __future__ import annotations

from pathlib import Path

import polib
import pytest
from click.testing import CliRunner

from glossary.model import Concept, Rendering, Termbase
from translator import formats, pipeline
from translator.cli import main
from translator.document import Document
from translator.errors import InputError

HTML = formats.by_name("html")


def parse(page: str | bytes, name: str = "page.html") -> Document:
    return HTML.parse(page.encode("utf-8") if isinstance(page, str) else page, name)


def texts(page: str | bytes, name: str = "page.html") -> list[str]:
    return [s.text for s in parse(page, name).segments()]


def render(document: Document, translations: list[str], lang: str | None = None) -> str:
    return HTML.render(document, translations, lang=lang).decode("utf-8")


KEPT_PAGES = {
    "bom-doctype-comments-outside-html": (
        "\ufeff<!DOCTYPE html>\n<!--[if IE]><![endif]-->\n<!-- saved from url=(0010)x -->\n"
        "<html><head><title>A &amp; B</title></head>\n<body><p>One. Two.</p></body></html>\n"
        "<!-- after the end -->\n"),
    "script-with-tags-in-strings": (
        '<p>Before.</p><script>var s = "</p><p>Not prose.</p>"; if (a < b && c) {}</script>'
        "<p>After.</p>"),
    "conditional-comment-around-the-root": (
        "<!DOCTYPE html>\n<!--[if (gt IE 9)|!(IE)]> <!--><html class=x> <!--<![endif]-->\n"
        "<body><p>Text here.</p></body></html>"),
    "entities-and-unquoted-attributes": (
        "<p title=Tip class=a>Caf&eacute; &amp; cr&egrave;me&nbsp;br&ucirc;l&eacute;e &copy 2015.</p>"),
    "crlf-and-hard-wrapped-paragraph": (
        "<html>\r\n<body>\r\n\t<p>A sentence that\r\n\twraps over lines. And\r\n\tanother one.</p>\r\n"
        "</body>\r\n</html>\r\n"),
    "xhtml-self-closing-and-cdata": (
        '<?xml version="1.0" encoding="UTF-8"?>\n<html xmlns="http://www.w3.org/1999/xhtml">'
        '<body><p>Page <a id="p4"/>four text.</p><script><![CDATA[ x < y ]]></script></body></html>'),
    "tag-soup": "<p>Unclosed <b>bold <i>both</p><p>Stray</b> end. <li>Item<li>Other",
}


@pytest.mark.parametrize("page", list(KEPT_PAGES.values()), ids=list(KEPT_PAGES))
def test_a_page_comes_back_byte_for_byte_when_each_sentence_is_kept(page: str) -> None:
    name = "page.xhtml" if page.startswith("<?xml") else "page.html"
    document = parse(page, name)
    assert document.segments()
    assert HTML.render(document, [s.text for s in document.segments()]) == page.encode("utf-8")


@pytest.mark.parametrize(
    ("page", "expected"),
    [
        ("<title>Trade &amp; growth</title>", ["Trade & growth"]),
        ("<h1>Heading</h1><h2>Sub heading</h2>", ["Heading", "Sub heading"]),
        ("<ul><li>First item<li>Second item</ul>", ["First item", "Second item"]),
        ("<table><caption>Rates</caption><tr><th>Country<td>Chile</table>",
         ["Rates", "Country", "Chile"]),
        ("<figure><img src=a.png alt='A harbour'><figcaption>The port.</figcaption></figure>",
         ["A harbour", "The port."]),
        ('<input placeholder="Search the site" aria-label="Search"><abbr title="World Health '
         'Organization">WHO</abbr>', ["Search the site", "Search", "World Health Organization", "WHO"]),
        ('<meta name="description" content="A story. With two sentences.">'
         '<meta property="og:title" content="The headline"><meta name="viewport" content="width=1">',
         ["A story.", "With two sentences.", "The headline"]),
        ("<div>Loose text<div>Nested block</div>tail words</div>",
         ["Loose text", "Nested block", "tail words"]),
        ('<span title="ctx_ver=Z39.88&amp;rft.genre=book">Data titles are kept.</span>',
         ["Data titles are kept."]),
    ],
    ids=["title", "headings", "list-items", "table", "alt-and-caption", "form-attributes",
         "meta", "loose-text", "data-attribute"],
)
def test_what_a_reader_sees_is_translated(page: str, expected: list[str]) -> None:
    assert texts(page) == expected


@pytest.mark.parametrize(
    "page",
    [
        "<p>Prose.</p><script>document.write('Hidden words here.')</script>",
        "<p>Prose.</p><style>p:after { content: 'Styled words.' }</style>",
        "<p>Prose.</p><pre>Preformatted words.\n  kept</pre>",
        "<p>Prose.</p><!-- A comment with words. -->",
        '<p>Prose.</p><div translate="no"><p>Brand words.</p></div>',
        '<p>Prose.</p><p class="lead notranslate">Brand words.</p>',
        "<p>Prose.</p><textarea>Default words.</textarea>",
        "<p>Prose.</p><svg><title>Icon words</title><text>Drawn words</text></svg>",
    ],
    ids=["script", "style", "pre", "comment", "translate-no", "notranslate", "textarea", "svg"],
)
def test_code_comments_and_untranslatable_parts_are_not_translated(page: str) -> None:
    assert texts(page) == ["Prose."]


def test_inline_markup_becomes_markers_that_say_what_they_are() -> None:
    document = parse('<p>Read <a href="https://x.org/a">the report</a> and <em>act</em> now.</p>')
    [segment] = document.segments()
    assert segment.text == "Read <1>the report</1> and <2>act</2> now."
    assert [(t.id, t.kind, t.about) for t in segment.tags] == [
        (1, "open", "link to https://x.org/a"), (1, "close", ""), (2, "open", "emphasis"), (2, "close", "")]
    out = render(document, ["Lea <1>el informe</1> y <2>actúe</2> ya."])
    assert out == '<p>Lea <a href="https://x.org/a">el informe</a> y <em>actúe</em> ya.</p>'


def test_markup_around_a_whole_sentence_stays_outside_it() -> None:
    assert [(s.text, s.tags) for s in parse("<p><b>Bold sentence.</b> Plain one.</p>").segments()] == [
        ("Bold sentence.", ()), ("Plain one.", ())]


def test_a_tag_across_a_sentence_boundary_joins_the_sentences() -> None:
    assert texts("<p>First <em>part. Second</em> part.</p>") == ["First <1>part. Second</1> part."]


def test_a_mark_beside_a_tag_stays_outside_the_sentence() -> None:
    assert texts('<li><a href="#r">^</a> <span>The note. Its second sentence.</span></li>') == [
        "The note.", "Its second sentence."]


def test_inline_code_is_one_marker_and_comes_back_byte_for_byte() -> None:
    document = parse("<p>Call <code>f(&lt;x&gt;)</code> twice.</p>")
    [segment] = document.segments()
    assert segment.text == "Call <1/> twice."
    assert segment.tags[0].about == "code, kept as written: f(<x>)"
    assert render(document, ["Llame a <1/> dos veces."]) == "<p>Llame a <code>f(&lt;x&gt;)</code> dos veces.</p>"


def test_a_footnote_reference_and_an_empty_anchor_are_single_markers() -> None:
    document = parse('<p>It grew<sup id="r1"><a href="#n1">[1]</a></sup> and <a id="p5"></a>fell.</p>')
    [segment] = document.segments()
    assert segment.text == "It grew<1/> and <2/>fell."
    assert [t.about for t in segment.tags] == ["footnote reference [1]", "anchor p5"]


def test_a_translated_attribute_inside_a_sentence_is_written_inside_its_tag() -> None:
    document = parse('<p>See <a href="/m" title="The map">the map</a> now.</p>')
    assert [s.text for s in document.segments()] == ["The map", "See <1>the map</1> now."]
    assert render(document, ['El "mapa"', "Vea <1>el mapa</1> ya."]) == (
        '<p>Vea <a href="/m" title="El &quot;mapa&quot;">el mapa</a> ya.</p>')


def test_translations_are_escaped_where_html_needs_it() -> None:
    document = parse("<p title='Tip' class=x>Text.</p><img alt=Logo>")
    out = render(document, ["It's <b>", "A & B < C > D", 'Logo "x"'])
    assert out == "<p title='It&#39;s &lt;b&gt;' class=x>A &amp; B &lt; C &gt; D</p><img alt=\"Logo &quot;x&quot;\">"


def test_an_unknown_marker_in_a_translation_is_text_not_markup() -> None:
    document = parse("<p>Plain <b>bold</b> text.</p>")
    assert render(document, ["Plain <1>bold</1> <7> text."]) == "<p>Plain <b>bold</b> &lt;7&gt; text.</p>"


@pytest.mark.parametrize(
    ("page", "lang", "expected"),
    [
        ('<html lang="en"><p>Hi there.</p></html>', "es", '<html lang="es"><p>Hi there.</p></html>'),
        ("<html><p>Hi there.</p></html>", "pt_BR", '<html lang="pt-BR"><p>Hi there.</p></html>'),
        ('<html lang="en" xml:lang="en"><p>Hi there.</p></html>', "zh",
         '<html lang="zh" xml:lang="zh"><p>Hi there.</p></html>'),
        ('<html lang="en"><p>Hi there.</p></html>', None, '<html lang="en"><p>Hi there.</p></html>'),
    ],
    ids=["replaced", "added", "both", "no-target"],
)
def test_the_root_language_becomes_the_target_language(page: str, lang: str | None, expected: str) -> None:
    document = parse(page)
    assert render(document, [s.text for s in document.segments()], lang) == expected


def test_an_xhtml_root_without_a_language_gets_lang_and_xml_lang() -> None:
    page = '<html xmlns="http://www.w3.org/1999/xhtml"><p>Hi.</p></html>'
    assert render(parse(page, "a.xhtml"), ["Hola."], "es") == (
        '<html lang="es" xml:lang="es" xmlns="http://www.w3.org/1999/xhtml"><p>Hola.</p></html>')


def test_a_declared_charset_is_kept_and_what_it_cannot_hold_becomes_references() -> None:
    page = '<meta charset="iso-8859-1"><p>Caf\xe9 \x93quoted\x94.</p>'.encode("latin-1")
    document = HTML.parse(page, "old.html")
    assert [s.text for s in document.segments()] == ["Café “quoted”."]
    out = HTML.render(document, ["Café 中文 “citado”."])
    assert out == '<meta charset="iso-8859-1"><p>Caf\xe9 &#20013;&#25991; \x93citado\x94.</p>'.encode("latin-1")


def test_a_page_without_a_charset_is_read_as_utf8() -> None:
    assert texts("<p>Año nuevo.</p>".encode()) == ["Año nuevo."]


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"<p>caf\xe9</p>", "a.html is not UTF-8 text (bad byte at offset 6) and declares no other charset"),
        (b"\x89PNG\r\n\x1a\n\x00\x00<p>", "a.html is not an HTML file (a NUL byte at offset 8)"),
        (b'<meta charset="klingon"><p>Hi.</p>', "a.html declares the charset 'klingon', which is unknown"),
        (b"  \n", "a.html is empty; there is nothing to translate"),
        (b"Just some words.\n", "a.html has no markup at all, so it is not HTML"),
    ],
    ids=["not-utf8", "binary", "unknown-charset", "empty", "plain-text"],
)
def test_what_cannot_be_read_is_refused_in_one_line(data: bytes, message: str) -> None:
    with pytest.raises(InputError) as error:
        HTML.parse(data, "a.html")
    assert str(error.value).startswith(message) and "\n" not in str(error.value)


PAGE = """<!DOCTYPE html>
<html lang="en">
<head><title>Partnership news</title></head>
<body>
<p>The <a href="https://x.org/csp">Comprehensive Strategic Partnership</a> grew fast.</p>
<p>Leaders praised the <em>Comprehensive Strategic Partnership</em> again.</p>
<p>Run <code>make demo</code> to see <span translate="no">Argos Translate</span> work.</p>
</body>
</html>
"""
PARTNERSHIP = Concept("Comprehensive Strategic Partnership",
                      renderings=(Rendering("es", "Asociación Estratégica Integral"),))


def test_a_glossary_term_inside_a_link_or_emphasis_is_enforced_with_its_markup(
        with_models: Path, tmp_path: Path) -> None:
    source = tmp_path / "news.html"
    source.write_text(PAGE, encoding="utf-8")
    result = pipeline.translate_sources([pipeline.read_source(source)], ["es"], source_lang="en",
                                        out_dir=tmp_path / "out", termbase=Termbase([PARTNERSHIP]))
    written = (tmp_path / "out" / "es" / "news.html").read_text(encoding="utf-8")
    assert '<a href="https://x.org/csp">Asociación Estratégica Integral</a> grew fast.' in written
    assert "<em>Asociación Estratégica Integral</em> again." in written
    assert '<html lang="es">' in written
    states = [t.state for s in result.files[0].sentences for t in s.terms]
    assert states == ["enforced", "enforced"]
    entry = polib.pofile(str(tmp_path / "out" / "es" / "news.po")).find(
        "The <1>Comprehensive Strategic Partnership</1> grew fast.")
    assert entry is not None and "markup <1>...</1>: link to https://x.org/csp" in entry.comment


def test_code_and_a_no_translate_span_come_back_byte_for_byte(with_models: Path, tmp_path: Path) -> None:
    source = tmp_path / "news.html"
    source.write_text(PAGE, encoding="utf-8")
    pipeline.translate_sources([pipeline.read_source(source)], ["zh"], source_lang="en",
                               out_dir=tmp_path / "out", termbase=None)
    written = (tmp_path / "out" / "zh" / "news.html").read_text(encoding="utf-8")
    assert '<code>make demo</code> to see <span translate="no">Argos Translate</span>' in written


def test_build_renders_the_page_again_from_its_reviewed_catalog(with_models: Path, tmp_path: Path) -> None:
    source = tmp_path / "news.html"
    source.write_text(PAGE, encoding="utf-8")
    pipeline.translate_sources([pipeline.read_source(source)], ["es"], source_lang="en",
                               out_dir=tmp_path / "out", termbase=None)
    catalog_path = tmp_path / "out" / "es" / "news.po"
    catalog = polib.pofile(str(catalog_path))
    entry = catalog.find("Leaders praised the <1>Comprehensive Strategic Partnership</1> again.")
    entry.msgstr, entry.flags = "Los líderes & la <1>Asociación</1> de nuevo.", []
    catalog.save()
    built = CliRunner().invoke(main, ["build", str(catalog_path), "--out", str(tmp_path / "built")])
    assert built.exit_code == 0, built.output
    page = (tmp_path / "built" / "es" / "news.html").read_text(encoding="utf-8")
    assert "<p>Los líderes &amp; la <em>Asociación</em> de nuevo.</p>" in page
    assert '<html lang="es">' in page


def test_a_refused_page_is_one_line_and_exit_1(with_models: Path, tmp_path: Path) -> None:
    bad = tmp_path / "bad.html"
    bad.write_bytes(b"PK\x03\x04\x00\x00binary")
    result = CliRunner().invoke(main, ["translate", str(bad), "--to", "es", "--out", str(tmp_path / "out")])
    assert result.exit_code == 1
    assert result.stderr == (f"translator: error: {bad} is not an HTML file (a NUL byte at offset 4); "
                             "translate the document it was exported from\n")
    assert not (tmp_path / "out" / "es" / "bad.html").exists()


def test_text_that_reads_like_a_marker_is_kept_behind_a_marker_of_its_own() -> None:
    document = parse("<p>Press &lt;1&gt; to start the <b>engine</b>.</p>")
    [segment] = document.segments()
    assert segment.text == "Press <1/> to start the <2>engine</2>."
    assert segment.tags[0].about == "the text <1>, kept as written"
    assert render(document, ["Pulse <1/> para arrancar el <2>motor</2>."]) == (
        "<p>Pulse &lt;1&gt; para arrancar el <b>motor</b>.</p>")
