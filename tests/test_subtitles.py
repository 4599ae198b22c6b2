"""SRT and WebVTT: cue text translated and re-broken into the cue's lines; numbers, timings,
settings, NOTE/STYLE/REGION blocks, inline tags and odd syntax come back as they were."""
from __future__ import annotations

from pathlib import Path

import polib
import pytest
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st

from glossary.model import Concept, Rendering, Termbase
from translator import formats, pipeline
from translator.cli import main
from translator.errors import InputError

SRT_PLAIN = ("1\n00:00:01,000 --> 00:00:04,000\nThe talks ended today.\n\n"
             "2\n00:00:05,000 --> 00:00:08,500\nBoth sides signed\nthe agreement.\n")
# Numbered from 0, timestamps without milliseconds or with one digit, entities, a link, a
# trailing space, a block with no timing after the last cue, no final newline.
SRT_ODD = ("0\n00:00:00,1 --> 00:00:04\nHTML5 &lt;video&gt; was supposed to be fun. \n\n"
           "1\n00:00:04 --> 00:00:07\nSee <a href=\"http://example.org/x\">our page</a> now.\n\n"
           "Come follow me at <a href=\"http://example.org\">example.org</a>")
SRT_CRLF_BOM = "\ufeff1\r\n00:00:01,000 --> 00:00:02,000\r\n{\\an8}<i>Up here.</i>\r\n\r\n"
SRT_DIALOGUE = ("5\n01:27:57,100 --> 01:27:59,000\n- Where are you going?\n- Home.\n\n"
                "6\n01:28:00,000 --> 01:28:02,000\n<i>It is late,\nand it is cold.</i>\n")
SRT_NO_BLANK = "1\n00:00:01,000 --> 00:00:02,000\nFirst cue.\n2\n00:00:03,000 --> 00:00:04,000\nSecond cue.\n"

VTT_FULL = """WEBVTT - with extras
kind: captions
lang: en

NOTE This note stays
as it is, over two lines.

STYLE
::cue { color: yellow }

REGION
id:fred width:40%

intro
00:00:09.165 --> 00:00:10.792 position:10%,start align:start size:35%
<v Narrator> You <i>want</i> these people.

00:10.792 --> 00:13.759 region:fred
They <b>order</b> your products,
<b>sign up</b> for your services,

00:00:25.891 --> 00:00:30.396
<c.quotable>Your visitors aren't a
faceless mass of mouse-clickers</c>

00:00:31.000 --> 00:00:32.000
Tom &amp; Jerry <00:00:31.500>run.


"""
VTT_VOICES = ("WEBVTT\n\n00:00.000 --> 00:02.000\n<v Michael Young> We are committed\n"
              "<v Tracy Mitrano> We're a leading university.\n")

CASES = {
    "srt-plain": ("a.srt", SRT_PLAIN),
    "srt-odd-timestamps-entities-untimed-block-no-final-newline": ("a.srt", SRT_ODD),
    "srt-crlf-bom-override-code": ("a.srt", SRT_CRLF_BOM),
    "srt-dialogue-dashes": ("a.srt", SRT_DIALOGUE),
    "srt-no-blank-line-between-cues": ("a.srt", SRT_NO_BLANK),
    "vtt-header-note-style-region-settings": ("a.vtt", VTT_FULL),
    "vtt-voices": ("a.vtt", VTT_VOICES),
}


def _parse(name: str, text: str):
    adapter = formats.adapter_for(name)
    return adapter, adapter.parse(text.encode("utf-8"), name)


@pytest.mark.parametrize(("name", "text"), CASES.values(), ids=CASES.keys())
def test_a_file_comes_back_byte_for_byte_when_every_cue_is_kept(name: str, text: str) -> None:
    adapter, document = _parse(name, text)
    assert adapter.render(document, [s.text for s in document.segments()], lang="es") == text.encode()


@pytest.mark.parametrize(
    ("name", "text", "segments"),
    [
        ("a.srt", SRT_PLAIN, ["The talks ended today.", "Both sides signed the agreement."]),
        ("a.srt", SRT_ODD, ["HTML5 <video> was supposed to be fun.", "See <1>our page</1> now."]),
        ("a.srt", SRT_CRLF_BOM, ["Up here."]),
        ("a.srt", SRT_DIALOGUE, ["Where are you going?", "Home.", "It is late, and it is cold."]),
        ("a.srt", SRT_NO_BLANK, ["First cue.", "Second cue."]),
        ("a.vtt", VTT_FULL, ["You <1>want</1> these people.",
                             "They <1>order</1> your products, <2>sign up</2> for your services,",
                             "Your visitors aren't a faceless mass of mouse-clickers",
                             "Tom & Jerry <1/>run."]),
        ("a.vtt", VTT_VOICES, ["We are committed", "We're a leading university."]),
        ("a.vtt", "WEBVTT\n00:01.000 --> 00:02.000\nNo blank line after the header.\n",
         ["No blank line after the header."]),
    ],
    ids=["lines-joined", "entities-decoded-link-marked-untimed-block-left-out",
         "override-code-and-wrapping-italics-left-out", "dashes-left-out-speakers-apart",
         "a-number-and-timing-start-a-cue", "tags-marked-wrappers-and-voice-left-out",
         "a-voice-starts-a-new-line-of-speech", "a-timing-line-ends-the-header"],
)
def test_what_the_model_gets(name: str, text: str, segments: list[str]) -> None:
    _, document = _parse(name, text)
    assert [s.text for s in document.segments()] == segments


def test_markers_say_what_each_tag_is() -> None:
    _, document = _parse("a.vtt", VTT_FULL)
    tags = document.segments()[3].tags
    assert [(t.id, t.kind, t.markup, t.about) for t in tags] == [
        (1, "empty", "<00:00:31.500>", "timestamp 00:00:31.500")]
    link = _parse("a.srt", SRT_ODD)[1].segments()[1].tags[0]
    assert (link.markup, link.about) == ('<a href="http://example.org/x">', 'link href="http://example.org/x"')


@pytest.mark.parametrize(
    ("translations", "expected"),
    [
        (["Las conversaciones terminaron hoy.", "Ambas partes firmaron el acuerdo."],
         "Las conversaciones terminaron hoy.\n\n2\n00:00:05,000 --> 00:00:08,500\n"
         "Ambas partes\nfirmaron el acuerdo.\n"),
        (["Las conversaciones terminaron hoy.", "Ambas partes, por fin, firmaron el acuerdo de paz."],
         "Las conversaciones terminaron hoy.\n\n2\n00:00:05,000 --> 00:00:08,500\n"
         "Ambas partes, por fin,\nfirmaron el acuerdo de paz.\n"),
        (["会谈今天结束。", "双方签署了协议，会谈圆满结束。"],
         "会谈今天结束。\n\n2\n00:00:05,000 --> 00:00:08,500\n双方签署了协议，\n会谈圆满结束。\n"),
        (["Fin.", "Firmado."],
         "Fin.\n\n2\n00:00:05,000 --> 00:00:08,500\nFirmado.\n"),
    ],
    ids=["two-lines-balanced", "break-after-a-comma", "chinese-between-characters-after-its-comma",
         "one-word-gets-one-line-never-a-blank-one"],
)
def test_a_translated_cue_is_broken_into_the_lines_it_had(translations: list[str], expected: str) -> None:
    adapter, document = _parse("a.srt", SRT_PLAIN)
    out = adapter.render(document, translations).decode()
    assert out == "1\n00:00:01,000 --> 00:00:04,000\n" + expected


def test_line_breaking_keeps_markup_whole_and_each_line_its_own_spaces() -> None:
    text = "1\n00:00:01,000 --> 00:00:02,000\n  Trade <font color=\"red\">rose</font>  \nin May.\n"
    adapter, document = _parse("a.srt", text)
    assert [s.text for s in document.segments()] == ["Trade <1>rose</1> in May."]
    out = adapter.render(document, ["El comercio <1>subió mucho</1> en mayo."]).decode()
    assert out.splitlines()[2:] == ['  El comercio <font color="red">subió  ', "mucho</font> en mayo."]


def test_speakers_keep_their_dashes_and_wrapping_tags_stay_around_the_words() -> None:
    adapter, document = _parse("a.srt", SRT_DIALOGUE)
    out = adapter.render(document, ["¿Adónde vas?", "A casa.", "Es tarde y hace mucho frío fuera."])
    assert out.decode() == ("5\n01:27:57,100 --> 01:27:59,000\n- ¿Adónde vas?\n- A casa.\n\n"
                            "6\n01:28:00,000 --> 01:28:02,000\n<i>Es tarde y hace\nmucho frío fuera.</i>\n")


def test_only_cue_text_changes_in_a_translated_vtt_file() -> None:
    adapter, document = _parse("a.vtt", VTT_FULL)
    out = adapter.render(document, ["Quieres a <1>esta</1> gente.",
                                    "Piden <1>tus</1> productos y se <2>apuntan</2> a tus servicios,",
                                    "Tus visitantes no son una masa anónima de clics",
                                    "Tom & Jerry <1/>corren."]).decode()
    assert out == VTT_FULL.replace(
        "<v Narrator> You <i>want</i> these people.", "<v Narrator> Quieres a <i>esta</i> gente.").replace(
        "They <b>order</b> your products,\n<b>sign up</b> for your services,",
        "Piden <b>tus</b> productos y se\n<b>apuntan</b> a tus servicios,").replace(
        "<c.quotable>Your visitors aren't a\nfaceless mass of mouse-clickers</c>",
        "<c.quotable>Tus visitantes no son\nuna masa anónima de clics</c>").replace(
        "Tom &amp; Jerry <00:00:31.500>run.", "Tom &amp; Jerry <00:00:31.500>corren.")


@pytest.mark.parametrize(
    ("name", "text", "translation", "line"),
    [
        ("a.srt", SRT_ODD, "HTML5 <vídeo> iba a ser divertido & fácil.",
         "HTML5 &lt;vídeo&gt; iba a ser divertido & fácil. "),
        ("a.srt", SRT_PLAIN, "Usa <b> para negrita y a > b.", "Usa &lt;b> para negrita y a > b."),
        ("a.vtt", VTT_VOICES, "Tom & Jerry --> <b>", "<v Michael Young> Tom &amp; Jerry --&gt; &lt;b&gt;"),
    ],
    ids=["srt-writes-entities-as-the-file-did", "srt-never-writes-a-bare-tag",
         "vtt-escapes-like-the-spec"],
)
def test_a_translation_is_escaped_for_the_format(name: str, text: str, translation: str, line: str) -> None:
    adapter, document = _parse(name, text)
    translations = [s.text for s in document.segments()]
    translations[0] = translation
    out = adapter.render(document, translations).decode()
    assert line in out.splitlines()


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("a.srt", b"<html><body><p>Not subtitles.</p></body></html>\n",
         "a.srt: no subtitle cue found; an SRT file holds numbered cues, each with a timing line "
         "such as 00:00:01,000 --> 00:00:04,000"),
        ("a.vtt", SRT_PLAIN.encode(),
         "a.vtt: not a WebVTT file (it does not start with WEBVTT); give a .vtt file, or name an "
         "SRT file .srt"),
        ("a.srt", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "a.srt is not"),
    ],
    ids=["html-named-srt", "srt-named-vtt", "binary"],
)
def test_a_file_that_is_not_what_its_name_says_is_refused(name: str, data: bytes, message: str) -> None:
    with pytest.raises(InputError) as error:
        formats.adapter_for(name).parse(data, name)
    assert str(error.value).startswith(message)
    assert "\n" not in str(error.value)


def test_the_command_line_refuses_it_in_one_line_and_writes_nothing(with_models, tmp_path: Path) -> None:
    bad = tmp_path / "film.srt"
    bad.write_bytes(b"<html><body>no cues</body></html>")
    result = CliRunner().invoke(main, ["translate", str(bad), "--to", "es", "--no-glossary",
                                       "--out", str(tmp_path / "out")])
    assert result.exit_code == 1
    assert result.stderr.count("\n") == 1 and "film.srt: no subtitle cue found" in result.stderr
    assert not (tmp_path / "out" / "es" / "film.srt").exists()


PARTNERSHIP = Concept("Comprehensive Strategic Partnership",
                      renderings=(Rendering("es", "Asociación Estratégica Integral"),))


@pytest.mark.parametrize("suffix", [".srt", ".vtt"])
def test_a_term_inside_italics_comes_out_approved_with_the_italics_around_it(
        with_models, tmp_path: Path, suffix: str) -> None:
    header = "WEBVTT\n\n" if suffix == ".vtt" else "1\n"
    timing = "00:00:01.000 --> 00:00:04.000" if suffix == ".vtt" else "00:00:01,000 --> 00:00:04,000"
    source = tmp_path / f"news{suffix}"
    source.write_text(f"{header}{timing}\nThe <i>Comprehensive Strategic Partnership</i>\ngrew fast.\n",
                      encoding="utf-8")
    pipeline.translate_sources([pipeline.read_source(source)], ["es"], source_lang="en",
                               out_dir=tmp_path / "out", termbase=Termbase([PARTNERSHIP]))
    written = (tmp_path / "out" / "es" / source.name).read_text(encoding="utf-8")
    assert written == (f"{header}{timing}\nThe <i>Asociación Estratégica</i>\n"
                       "<i>Integral</i> grew fast.\n".replace("</i>\n<i>", "\n"))
    catalog = polib.pofile(str(tmp_path / "out" / "es" / "news.po"))
    assert catalog[0].msgid == "The <1>Comprehensive Strategic Partnership</1> grew fast."
    assert "markup <1>...</1>: italic" in catalog[0].comment


def test_translate_writes_the_catalog_and_build_renders_a_reviewed_cue_again(
        with_models, tmp_path: Path) -> None:
    source = tmp_path / "talks.srt"
    source.write_text(SRT_PLAIN, encoding="utf-8")
    out = tmp_path / "out"
    pipeline.translate_sources([pipeline.read_source(source)], ["es", "zh"], source_lang="en",
                               out_dir=out, termbase=None)
    for lang in ("es", "zh"):  # the copy model gives the English back: the file is unchanged
        assert (out / lang / "talks.srt").read_text(encoding="utf-8") == SRT_PLAIN
    catalog_path = out / "es" / "talks.po"
    catalog = polib.pofile(str(catalog_path))
    assert [(e.msgid, e.occurrences[0][1]) for e in catalog] == [
        ("The talks ended today.", "3"), ("Both sides signed the agreement.", "7")]
    entry = catalog.find("Both sides signed the agreement.")
    entry.msgstr, entry.flags = "Ambas partes firmaron el acuerdo.", []
    catalog.save()
    built = CliRunner().invoke(main, ["build", str(catalog_path), "--out", str(tmp_path / "final")])
    assert built.exit_code == 0, built.output
    assert (tmp_path / "final" / "es" / "talks.srt").read_text(encoding="utf-8").endswith(
        "00:00:05,000 --> 00:00:08,500\nAmbas partes\nfirmaron el acuerdo.\n")


def test_a_dash_inside_italics_stays_with_the_italics() -> None:
    text = "1\n00:00:01,000 --> 00:00:02,000\n<i>- Where are you going?</i>\n<i>-Home, <b>sir</b>.</i>\n"
    adapter, document = _parse("a.srt", text)
    assert [s.text for s in document.segments()] == ["Where are you going?", "Home, <1>sir</1>."]
    out = adapter.render(document, ["¿Adónde vas?", "A casa, <1>señor</1>."]).decode()
    assert out.splitlines()[2:] == ["<i>- ¿Adónde vas?</i>", "<i>-A casa, <b>señor</b>.</i>"]


def test_markup_the_model_crossed_is_written_nested() -> None:
    adapter, document = _parse("a.vtt", VTT_FULL)
    translations = [s.text for s in document.segments()]
    translations[1] = "Piden </1>tus<1> productos y se <2>apuntan</2> a tus servicios,"
    out = adapter.render(document, translations).decode()
    assert "<b><b>Piden tus productos y se\napuntan a tus servicios,</b></b>" in out


_WORDS = st.sampled_from(["trade", "rose", "in", "May", "the", "talks", "ended", "会谈", "结束了",
                          "<1>", "</1>", "<2/>", ",", "."])


@settings(max_examples=60, deadline=None)
@given(lines=st.lists(st.lists(st.sampled_from(["Trade", "rose", "sharply", "<i>in</i>", "May.",
                                                "- Yes,", "<b>sir</b>", "&amp;", "{\\an8}"]),
                               min_size=1, max_size=6).map(" ".join), min_size=1, max_size=4),
       words=st.lists(st.lists(_WORDS, max_size=12).map(" ".join), min_size=6, max_size=6))
def test_any_translation_keeps_the_timings_and_never_blanks_a_cue_line(lines: list[str],
                                                                      words: list[str]) -> None:
    text = "1\n00:00:01,000 --> 00:00:02,000\n" + "\n".join(lines) + "\n\n2\n00:00:03,000 --> 00:00:04,000\nEnd.\n"
    adapter, document = _parse("a.srt", text)
    segments = document.segments()
    chosen = [w or s.text for s, w in zip(segments[:-1], words + [""] * 50)] + [segments[-1].text]
    out = adapter.render(document, chosen).decode()
    written = out.split("\n")
    assert written[:2] == ["1", "00:00:01,000 --> 00:00:02,000"]
    cue = written[2:written.index("2")]
    assert cue[-1] == "" and all(line.strip() for line in cue[:-1])
    assert 1 <= len(cue) - 1 <= len(lines)
    assert written[written.index("2"):] == ["2", "00:00:03,000 --> 00:00:04,000", "End.", ""]
