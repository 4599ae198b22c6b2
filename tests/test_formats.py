"""The adapter registry and contract: a new format is one module, with no pipeline change."""
from __future__ import annotations

import inspect
from collections.abc import Iterator, Sequence
from pathlib import Path

import polib
import pytest
from click.testing import CliRunner

from translator import formats, pipeline
from translator.cli import main
from translator.document import Document, Segment
from translator.errors import InputError
from translator.formats import TextAdapter


class Lines(TextAdapter):
    """A toy format: every non-empty line of a `.lines` file is one segment."""

    name = "lines"
    suffixes = (".lines",)

    def parse_text(self, text: str, name: str, *, lang: str = "en") -> Document:
        parts: list[str | Segment] = []
        for number, line in enumerate(text.splitlines(keepends=True), start=1):
            body = line.rstrip("\n")
            if body.strip():
                parts.append(Segment(body, number, "line"))
                parts.append(line[len(body):])
            else:
                parts.append(line)
        return Document(name, self.name, parts)


class Shouting(Lines):
    """Renders every translation upper-cased, so a test can see the adapter's render ran."""

    name = "shout"
    suffixes = (".shout",)

    def render(self, document: Document, translations: Sequence[str], *, lang: str | None = None) -> bytes:
        return super().render(document, [t.upper() for t in translations], lang=lang)


@pytest.fixture
def registered() -> Iterator[None]:
    formats.register(Lines())
    formats.register(Shouting())
    yield
    formats._REGISTERED.clear()


@pytest.mark.parametrize("name", ["txt", "md"])
def test_a_text_adapter_gives_back_its_input_when_each_segment_is_kept(name: str) -> None:
    text = "# Title\n\nFirst sentence. Second one.\n\n- An item.\n"
    adapter = formats.by_name(name)
    assert adapter.kind == "document"
    document = adapter.parse(text.encode(), f"a.{name}")
    assert adapter.render(document, [s.text for s in document.segments()]) == text.encode()


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"caf\xe9\n", "a.md is not UTF-8 text (bad byte at offset 3)"),
        (b"  \n", "a.md is empty; there is nothing to translate"),
        (b"a\x00b", "a.md is not a text file (a NUL byte at offset 1)"),
    ],
    ids=["latin-1", "blank", "binary"],
)
def test_a_text_adapter_refuses_what_it_cannot_read_with_input_error(data: bytes, message: str) -> None:
    with pytest.raises(InputError) as error:
        formats.by_name("md").parse(data, "a.md")
    assert str(error.value).startswith(message)


@pytest.mark.parametrize("name", [i.name for i in formats.formats() if i.name != "po"])
def test_every_document_adapter_takes_the_target_language_when_rendering(name: str) -> None:
    """The pipeline and `build` call render(document, translations, lang=LANG)."""
    parameter = inspect.signature(formats.by_name(name).render).parameters["lang"]
    assert (parameter.kind, parameter.default) == (inspect.Parameter.KEYWORD_ONLY, None)


def test_the_gettext_adapter_is_a_catalog_adapter() -> None:
    adapter = formats.adapter_for("messages.POT")
    assert (adapter.name, adapter.kind) == ("po", "catalog")


def test_formats_lists_every_builtin_with_its_suffixes() -> None:
    assert {info.name: info.suffixes for info in formats.formats()} == {
        "txt": (".txt", ".text"), "md": (".md", ".markdown"), "po": (".po", ".pot"),
        "srt": (".srt",), "vtt": (".vtt",), "xliff": (".xlf", ".xliff"),
        "html": (".html", ".htm", ".xhtml"), "epub": (".epub",),
        "docx": (".docx",), "odt": (".odt",)}


def test_a_registered_format_is_translated_with_its_catalog_and_rebuilt(
        registered: None, with_models: Path, tmp_path: Path) -> None:
    source = tmp_path / "notes.shout"
    source.write_text("First line here.\n\nSecond line here.\n", encoding="utf-8")
    out = tmp_path / "out"
    result = pipeline.translate_sources([pipeline.read_source(source)], ["es"], source_lang="en",
                                        out_dir=out)
    assert [s.text for s in result.files[0].segments] == ["First line here.", "Second line here."]
    # The copy model gives the English back; the adapter's own render upper-cased it.
    written = (out / "es" / "notes.shout").read_text(encoding="utf-8")
    assert written == "FIRST LINE HERE.\n\nSECOND LINE HERE.\n"
    catalog = polib.pofile(str(out / "es" / "notes.po"))
    assert [(e.msgid, e.occurrences) for e in catalog] == [
        ("First line here.", [(str(source), "1")]), ("Second line here.", [(str(source), "3")])]

    entry = catalog.find("Second line here.")
    entry.msgstr, entry.flags = "Segunda línea.", []
    catalog.save()
    (out / "es" / "notes.shout").unlink()
    built = CliRunner().invoke(main, ["build", str(out / "es" / "notes.po")])
    assert built.exit_code == 0, built.output
    assert (out / "es" / "notes.shout").read_text(encoding="utf-8") == "FIRST LINE HERE.\n\nSEGUNDA LÍNEA.\n"


def test_an_unknown_suffix_names_every_registered_format(registered: None) -> None:
    with pytest.raises(InputError, match=r"translator reads .*\.pot, .*\.lines and \.shout files$"):
        formats.adapter_for("a.pdf")


def test_parse_document_accepts_only_text_formats() -> None:
    with pytest.raises(ValueError, match="unknown document format 'po'"):
        formats.parse_document("msgid \"\"", "po", "a.po")
