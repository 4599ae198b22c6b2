"""XLIFF 1.2 and 2.0 in, the same file out with its targets filled: inline codes kept with their
ids, `translate="no"` and approved targets untouched, everything else byte for byte."""
from __future__ import annotations

from pathlib import Path

import polib
import pytest
from click.testing import CliRunner
from hypothesis import given
from hypothesis import strategies as st

from glossary.model import Concept, Rendering, Termbase
from translator import formats, inline, pipeline
from translator.cli import main
from translator.errors import InputError
from translator.formats import tagged
from translator.inline import MARKER, InlineTag

X12 = """<?xml version="1.0" encoding="UTF-8"?>
<!-- made by hand -->
<xliff version="1.2" xmlns="urn:oasis:names:tc:xliff:document:1.2" xmlns:acme="urn:acme">
  <file original="a.html" source-language="en" target-language="de" datatype="html">
    <header><acme:tool id='t1'/></header>
    <body>
      <trans-unit id="1" resname="title">
        <source>Trade <g id="b1">rose</g> in May.<x id="br"/></source>
        <note from="author">A headline.</note>
      </trans-unit>
      <trans-unit id="2" translate="no">
        <source>ACME-42</source>
      </trans-unit>
      <trans-unit id="3">
        <source>Press <bpt id="1">&lt;b&gt;</bpt>OK<ept id="1">&lt;/b&gt;</ept> &amp; wait. Then <ph id="2">{0}</ph> <mrk mtype="protected">NoTranslate</mrk> it.</source>
        <target state="translated">Drücken Sie OK.</target>
        <acme:extra>kept</acme:extra>
      </trans-unit>
      <trans-unit id="4" approved="yes">
        <source>Approved one.</source>
        <target>Genehmigt.</target>
      </trans-unit>
      <group id="g" translate="no">
        <trans-unit id="5"><source>Inside a group that is not translated.</source></trans-unit>
      </group>
      <trans-unit id="6"><source><x id="img"/> 2024</source></trans-unit>
      <trans-unit id="7"><source>Final one.</source><target state="final">Letzter.</target></trans-unit>
    </body>
  </file>
</xliff>
"""

X12_SEGMENTED = """<?xml version="1.0" encoding="utf-8"?><xliff version="1.2" xmlns="urn:oasis:names:tc:xliff:document:1.2" xmlns:sdl="http://sdl.com/FileTypes/SdlXliff/1.0"><file original="m.doc" source-language="en" datatype="x-sdl"><body>
<trans-unit id="a"><source>Note: Use only this cable. Others can damage it.</source><seg-source><x id="p1"/><mrk mtype="seg" mid="1">Note:</mrk> <mrk mtype="seg" mid="2">Use only this cable.</mrk> <mrk mtype="seg" mid="3">Others can damage it.</mrk></seg-source><target><x id="p1"/><mrk mtype="seg" mid="1" /> <mrk mtype="seg" mid="2">Nur dieses Kabel.</mrk> <mrk mtype="seg" mid="3">Andere schaden.</mrk></target><sdl:seg-defs><sdl:seg id="1"/><sdl:seg id="2" conf="ApprovedTranslation"/><sdl:seg id="3" conf="Translated"/></sdl:seg-defs></trans-unit>
<trans-unit id="b"><source>Plug it in.</source><seg-source><mrk mtype="seg" mid="4">Plug it in.</mrk></seg-source></trans-unit>
</body></file></xliff>"""

X2 = """<?xml version='1.0' encoding='UTF-8'?>
<xliff xmlns="urn:oasis:names:tc:xliff:document:2.0" xmlns:mda="urn:oasis:names:tc:xliff:metadata:2.0" version="2.0" srcLang="en-us" trgLang="es-419">
    <file id="f1" original="form.xlsx">
        <unit id="u1">
            <mda:metadata><mda:metaGroup><mda:meta type="part">sheet1</mda:meta></mda:metaGroup></mda:metadata>
            <segment id="1" state="initial">
                <source>Design <pc id="2" type="fmt" subType="m:b">Quality</pc>:</source>
                <target></target>
            </segment>
            <ignorable><source> </source></ignorable>
            <segment id="3">
                <source>Policy &amp; standards. <mrk id="m1" translate="no">Form-7</mrk> is <ph id="4" equiv="{x}"/> due.</source>
            </segment>
        </unit>
        <unit id="u2" translate="no">
            <segment id="5"><source>Not for translation.</source></segment>
        </unit>
        <unit id="u3">
            <notes><note>Checked by legal.</note></notes>
            <segment id="6" state="final"><source>Signed off.</source><target>Firmado.</target></segment>
            <segment id="7" state="reviewed"><source>Reviewed.</source><target>Revisado.</target></segment>
        </unit>
    </file>
</xliff>
"""


def _parse(text: str | bytes, name: str = "a.xlf"):
    adapter = formats.adapter_for(name)
    data = text.encode("utf-8") if isinstance(text, str) else text
    return adapter, adapter.parse(data, name)


def _render(text: str, translations=None, lang: str | None = "es", name: str = "a.xlf") -> str:
    adapter, document = _parse(text, name)
    segments = document.segments()
    chosen = [s.text for s in segments] if translations is None else translations(segments)
    return adapter.render(document, chosen, lang=lang).decode("utf-8")


def _skeleton(data: bytes) -> bytes:
    """The file without its targets, the attributes a run sets, and whitespace-only text: what
    must not change when targets are filled."""
    from lxml import etree

    root = etree.fromstring(data, etree.XMLParser(resolve_entities=False, no_network=True))
    for target in list(root.iter("{*}target")):
        target.getparent().remove(target)
    for element in root.iter():
        for name in ("state", "state-qualifier", "subState", "target-language", "trgLang"):
            element.attrib.pop(name, None)
        if element.text is not None and not element.text.strip():
            element.text = None
        if element.tail is not None and not element.tail.strip():
            element.tail = None
    return etree.tostring(root, method="c14n")


@pytest.mark.parametrize(("text", "lang", "targets"), [(X12, "de", 5), (X12_SEGMENTED, "es", 2),
                                                      (X2, "es", 4)],
                         ids=["1.2", "1.2-segmented", "2.0"])
def test_filling_targets_changes_nothing_else(text: str, lang: str, targets: int) -> None:
    """Every translatable unit has a target afterwards (none where translate="no")."""
    out = _render(text, lambda segs: [s.text.upper() for s in segs], lang=lang)
    assert _skeleton(out.encode()) == _skeleton(text.encode())
    assert out.count("<target") == targets


@pytest.mark.parametrize(
    ("text", "segments"),
    [
        (X12, ["Trade <1>rose</1> in May.",
               "Press <1/>OK<2/> & wait.", "Then <1/> <2/> it."]),
        (X12_SEGMENTED, ["Note:", "Others can damage it.", "Plug it in."]),
        (X2, ["Design <1>Quality</1>:", "Policy & standards. <1/> is <2/> due."]),
    ],
    ids=["1.2-codes-marked-untranslatable-and-approved-units-left-out",
         "1.2-one-per-segment-sdl-approved-left-out", "2.0-multi-segment"],
)
def test_what_the_model_gets(text: str, segments: list[str]) -> None:
    _, document = _parse(text)
    assert [s.text for s in document.segments()] == segments


def test_markers_carry_the_codes_ids_and_say_what_they_are() -> None:
    _, document = _parse(X12)
    first, press = document.segments()[0], document.segments()[1]
    assert [(t.id, t.kind, t.markup, t.about) for t in first.tags] == [
        (1, "open", '<g id="b1">', "g b1"), (1, "close", "</g>", "g b1")]
    assert [t.markup for t in press.tags] == ['<bpt id="1">&lt;b&gt;</bpt>', '<ept id="1">&lt;/b&gt;</ept>']
    _, document = _parse(X2)
    assert [(t.markup, t.about) for t in document.segments()[1].tags] == [
        ('<mrk id="m1" translate="no">Form-7</mrk>', "mrk m1"), ('<ph id="4" equiv="{x}"/>', "ph 4 ({x})")]


def test_a_1_2_target_is_filled_in_place_or_added_after_its_source() -> None:
    out = _render(X12, lambda segs: ["El comercio <1>subió</1> en mayo.", "Pulse <1/>OK<2/> y espere.",
                                     "Luego <2/> <1/> eso."], lang="de")
    assert ('<source>Trade <g id="b1">rose</g> in May.<x id="br"/></source>\n'
            '        <target state="needs-review-translation" state-qualifier="mt-suggestion">'
            'El comercio <g id="b1">subió</g> en mayo.<x id="br"/></target>\n'
            '        <note from="author">A headline.</note>') in out
    assert ('<target state="needs-review-translation" state-qualifier="mt-suggestion">Pulse '
            '<bpt id="1">&lt;b&gt;</bpt>OK<ept id="1">&lt;/b&gt;</ept> y espere. Luego '
            '<mrk mtype="protected">NoTranslate</mrk> <ph id="2">{0}</ph> eso.</target>') in out
    assert "<acme:extra>kept</acme:extra>" in out and "<acme:tool id='t1'/>" in out


def test_translate_no_units_and_groups_stay_byte_for_byte() -> None:
    out = _render(X12, lambda segs: [s.text.upper() for s in segs], lang="de")
    assert '<trans-unit id="2" translate="no">\n        <source>ACME-42</source>\n      </trans-unit>' in out
    assert '<trans-unit id="5"><source>Inside a group that is not translated.</source></trans-unit>' in out
    out = _render(X2, lambda segs: [s.text.upper() for s in segs])
    assert '<segment id="5"><source>Not for translation.</source></segment>' in out


def test_a_unit_with_nothing_to_translate_gets_a_copy_of_its_source() -> None:
    out = _render(X12, lang="de")
    assert '<trans-unit id="6"><source><x id="img"/> 2024</source><target><x id="img"/> 2024</target></trans-unit>' in out


@pytest.mark.parametrize(
    ("text", "kept"),
    [
        (X12, ['<trans-unit id="4" approved="yes">\n        <source>Approved one.</source>\n'
               '        <target>Genehmigt.</target>',
               '<source>Final one.</source><target state="final">Letzter.</target>']),
        (X12_SEGMENTED, ['<mrk mtype="seg" mid="2">Nur dieses Kabel.</mrk>']),
        (X2, ['<segment id="6" state="final"><source>Signed off.</source><target>Firmado.</target></segment>',
              '<segment id="7" state="reviewed"><source>Reviewed.</source><target>Revisado.</target>']),
    ],
    ids=["1.2-approved-yes-and-final", "1.2-sdl-approved-translation", "2.0-final-and-reviewed"],
)
def test_targets_a_person_approved_stay_byte_for_byte(text: str, kept: list[str]) -> None:
    out = _render(text, lambda segs: [s.text.upper() for s in segs], lang="de" if text != X2 else "es")
    for piece in kept:
        assert piece in out


def test_rendering_approved_targets_into_another_language_is_refused() -> None:
    adapter, document = _parse(X12)
    with pytest.raises(InputError, match=r"^a\.xlf: 2 target\(s\) a person approved are in de; "
                                         r"translating into es would lose them"):
        adapter.render(document, [s.text for s in document.segments()], lang="es")


def test_a_segmented_1_2_target_is_filled_mrk_by_mrk_or_made_from_the_seg_source() -> None:
    out = _render(X12_SEGMENTED, lambda segs: ["Nota:", "Otros pueden dañarlo.", "Enchúfelo."])
    assert ('<target state="needs-review-translation" state-qualifier="mt-suggestion"><x id="p1"/>'
            '<mrk mtype="seg" mid="1">Nota:</mrk> <mrk mtype="seg" mid="2">Nur dieses Kabel.</mrk> '
            '<mrk mtype="seg" mid="3">Otros pueden dañarlo.</mrk></target>') in out
    assert ('<seg-source><mrk mtype="seg" mid="4">Plug it in.</mrk></seg-source><target '
            'state="needs-review-translation" state-qualifier="mt-suggestion"><mrk mtype="seg" '
            'mid="4">Enchúfelo.</mrk></target></trans-unit>') in out
    assert 'target-language="es"' in out


def test_a_2_0_segment_gets_its_target_and_state_and_the_file_its_language() -> None:
    out = _render(X2, lambda segs: ["Calidad del <1>diseño</1>:",
                                    "Política y normas. <1/> vence <2/>."])
    assert 'srcLang="en-us" trgLang="es-419">' in out  # a variant of es is kept
    assert ('<segment id="1" state="initial" subState="translator:mt">\n'
            '                <source>Design <pc id="2" type="fmt" subType="m:b">Quality</pc>:</source>\n'
            '                <target>Calidad del <pc id="2" type="fmt" subType="m:b">diseño</pc>:</target>') in out
    assert ('<segment id="3" state="initial" subState="translator:mt">\n'
            '                <source>Policy &amp; standards. <mrk id="m1" translate="no">Form-7</mrk> is '
            '<ph id="4" equiv="{x}"/> due.</source>\n'
            '                <target>Política y normas. <mrk id="m1" translate="no">Form-7</mrk> vence '
            '<ph id="4" equiv="{x}"/>.</target>\n            </segment>') in out
    assert '<ignorable><source> </source></ignorable>' in out
    unapproved = X2.replace('trgLang="es-419"', 'trgLang="es"').replace('state="final"', "").replace(
        'state="reviewed"', "")
    assert _render(unapproved, lang="es-MX").count(
        'trgLang="es-MX"') == 1  # a run into another variant names it


@pytest.mark.parametrize(
    ("encoding", "bom"),
    [("utf-16", b""), ("utf-8", b"\xef\xbb\xbf"), ("iso-8859-1", b"")],
    ids=["utf-16", "utf-8-bom", "latin-1-declared"],
)
def test_the_file_keeps_its_encoding_and_characters_it_cannot_hold_become_references(
        encoding: str, bom: bytes) -> None:
    text = X12_SEGMENTED.replace('encoding="utf-8"', f'encoding="{encoding}"')
    data = bom + text.encode(encoding)
    adapter, document = _parse(data)
    out = adapter.render(document, ["注意：", "其他的会损坏它。", "插上。"], lang="zh")
    assert out.startswith(bom + '<?xml'.encode(encoding))
    written = out[len(bom):].decode(encoding)
    assert written.startswith(text[:text.index('<trans-unit id="a">')].replace(
        'datatype="x-sdl"', 'datatype="x-sdl" target-language="zh"'))
    assert ("&#27880;&#24847;&#65306;" if encoding == "iso-8859-1" else "注意：") in written


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b'<?xml version="1.0"?>\n<!DOCTYPE xliff [<!ENTITY x SYSTEM "file:///etc/passwd">]>\n'
         b'<xliff version="1.2"><file><body><trans-unit id="1"><source>&x;</source></trans-unit>'
         b'</body></file></xliff>',
         "a.xlf: it declares its own entities (a DOCTYPE with an internal subset)"),
        (b'<?xml version="1.0"?><!DOCTYPE l [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;">'
         b']><xliff version="1.2"><file><body><trans-unit id="1"><source>&b;</source></trans-unit>'
         b'</body></file></xliff>',
         "a.xlf: it declares its own entities"),
        (b'<xliff version="1.2"><file><body><trans-unit id="1"><source>open</trans-unit></xliff>',
         "a.xlf: not well-formed XML (Opening and ending tag mismatch"),
        (b"<html><body><p>A web page.</p></body></html>",
         "a.xlf: not an XLIFF file (its root element is <html>); give an XLIFF 1.2 or 2.0 file"),
        (b"\x00\x01\x02PK\x03\x04binary", "a.xlf"),
        (b"<?xml version='1.0' encoding='klingon'?><xliff/>",
         "a.xlf: its XML declaration names an unknown encoding 'klingon'"),
    ],
    ids=["external-entity", "entity-expansion", "malformed", "html-named-xlf", "binary",
         "unknown-encoding"],
)
def test_hostile_or_wrong_files_are_refused_in_one_line(data: bytes, message: str) -> None:
    with pytest.raises(InputError) as error:
        formats.adapter_for("a.xlf").parse(data, "a.xlf")
    assert str(error.value).startswith(message)
    assert "\n" not in str(error.value)


def test_the_command_line_refuses_an_external_entity_and_writes_nothing(with_models, tmp_path: Path) -> None:
    bad = tmp_path / "evil.xlf"
    bad.write_bytes(b'<?xml version="1.0"?>\n<!DOCTYPE xliff [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
                    b'<xliff version="1.2"><file><body><trans-unit id="1"><source>&x;</source>'
                    b'</trans-unit></body></file></xliff>')
    result = CliRunner().invoke(main, ["translate", str(bad), "--to", "es", "--no-glossary",
                                       "--out", str(tmp_path / "out")])
    assert result.exit_code == 1
    assert result.stderr.count("\n") == 1 and "evil.xlf: it declares its own entities" in result.stderr
    assert not (tmp_path / "out" / "es").exists() or not any((tmp_path / "out" / "es").iterdir())


PARTNERSHIP = Concept("Comprehensive Strategic Partnership",
                      renderings=(Rendering("es", "Asociación Estratégica Integral"),))
TERM_12 = """<?xml version="1.0" encoding="UTF-8"?>
<xliff version="1.2" xmlns="urn:oasis:names:tc:xliff:document:1.2">
  <file original="n.html" source-language="en" datatype="html">
    <body>
      <trans-unit id="1">
        <source>The <g id="1" ctype="x-html-a">Comprehensive Strategic Partnership</g> grew. Trade <x id="2"/> rose.</source>
      </trans-unit>
    </body>
  </file>
</xliff>
"""


def test_a_term_inside_a_code_pair_comes_out_approved_with_the_code_around_it_and_build_agrees(
        with_models, tmp_path: Path) -> None:
    source = tmp_path / "news.xlf"
    source.write_text(TERM_12, encoding="utf-8")
    out = tmp_path / "out"
    pipeline.translate_sources([pipeline.read_source(source)], ["es"], source_lang="en",
                               out_dir=out, termbase=Termbase([PARTNERSHIP]))
    written = (out / "es" / "news.xlf").read_text(encoding="utf-8")
    assert ('<target state="needs-review-translation" state-qualifier="mt-suggestion">The '
            '<g id="1" ctype="x-html-a">Asociación Estratégica Integral</g> grew. Trade <x id="2"/> rose.'
            '</target>') in written
    assert 'source-language="en" datatype="html" target-language="es">' in written
    catalog = polib.pofile(str(out / "es" / "news.po"))
    assert [e.msgid for e in catalog] == ["The <1>Comprehensive Strategic Partnership</1> grew.",
                                          "Trade <1/> rose."]
    assert "markup <1>...</1>: g 1 (x-html-a)" in catalog[0].comment
    (out / "es" / "news.xlf").unlink()
    built = CliRunner().invoke(main, ["build", str(out / "es" / "news.po")])
    assert built.exit_code == 0, built.output
    assert (out / "es" / "news.xlf").read_text(encoding="utf-8") == written


def test_approved_targets_keep_a_file_in_its_own_language(with_models, tmp_path: Path) -> None:
    source = tmp_path / "form.xliff"
    source.write_text(X2, encoding="utf-8")
    out = tmp_path / "out"
    result = pipeline.translate_sources([pipeline.read_source(source)], ["es", "zh"],
                                        source_lang="en", out_dir=out, termbase=None)
    written = (out / "es" / "form.xliff").read_text(encoding="utf-8")
    assert 'trgLang="es-419"' in written
    assert "<target>Policy &amp; standards. <mrk id=\"m1\" translate=\"no\">Form-7</mrk>" in written
    assert not (out / "zh" / "form.xliff").exists()
    assert [str(e) for e in result.failures] == [
        f"{source}: 2 target(s) a person approved are in es-419; translating into zh would lose "
        "them: translate it into es, or remove those targets first"]


def test_codes_the_model_crossed_still_make_well_formed_xml() -> None:
    from lxml import etree

    out = _render(TERM_12, lambda segs: ["La </1>Asociación<1> creció.", "El comercio subió."])
    root = etree.fromstring(out.encode())  # raises when the target is not well-formed
    target = next(root.iter("{*}target"))
    assert [(e.tag.rsplit("}", 1)[-1], e.get("id")) for e in target.iter()] == [
        ("target", None), ("g", "1"), ("x", "2")]


@given(st.lists(st.sampled_from(["word", " ", "<1>", "</1>", "<2>", "</2>", "<3/>", "<7>", "."]),
                max_size=14).map("".join))
def test_any_arrangement_of_markers_is_written_nested_with_each_once(text: str) -> None:
    tags = [InlineTag(1, "open", "<g>"), InlineTag(2, "open", "<b>"), InlineTag(2, "close", "</b>"),
            InlineTag(1, "close", "</g>"), InlineTag(3, "empty", "<x/>")]
    assert inline.check(MARKER.sub(lambda m: "" if m.group(0) == "<7>" else m.group(0),
                                   tagged.nested(text, tags)), tags) == []


@pytest.mark.parametrize(
    ("text", "segments"),
    [
        ('<xliff version="1.2"><file source-language="en" datatype="plaintext" original="x"><body>'
         '<trans-unit id="1"><source>No namespace here.</source></trans-unit></body></file></xliff>',
         ["No namespace here."]),
        ('<xliff version="1.2" xmlns="urn:oasis:names:tc:xliff:document:1.2"><file source-language="en" '
         'datatype="plaintext" original="x"><body><trans-unit id="1"><source>Kept <!-- a note -->as '
         '<![CDATA[<raw> & text]]>.</source></trans-unit></body></file></xliff>',
         ["Kept <1/>as <raw> & text."]),
    ],
    ids=["1.2-without-namespace", "comment-and-cdata-in-a-source"],
)
def test_unusual_but_valid_sources(text: str, segments: list[str]) -> None:
    adapter, document = _parse(text)
    assert [s.text for s in document.segments()] == segments
    out = adapter.render(document, [s.text for s in document.segments()], lang="es").decode()
    source = text[text.index("<source>"):text.index("</source>") + 9]
    assert source + source.replace("source>", "target>") in out.replace(
        ' state="needs-review-translation" state-qualifier="mt-suggestion"', "")


def test_source_text_written_like_a_marker_stays_text() -> None:
    text = TERM_12.replace("grew. Trade <x id=\"2\"/> rose.", "grew. Click &lt;1&gt;here&lt;/1&gt; <x id=\"2\"/> now.")
    adapter, document = _parse(text)
    assert [s.text for s in document.segments()] == [
        "The <1>Comprehensive Strategic Partnership</1> grew.", "Click <1>here</1> <2/> now."]
    out = adapter.render(document, ["La <1>Asociación</1> creció.", "Pulse <1>aquí</1> <2/> ya."],
                         lang="es").decode()
    assert "Pulse &lt;1&gt;aquí&lt;/1&gt; <x id=\"2\"/> ya.</target>" in out
