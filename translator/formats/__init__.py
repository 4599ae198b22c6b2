"""Format adapters: one module per file format, found by file name through one registry.

The pipeline knows units and documents, never a format. A *document adapter* turns the bytes of
a file into a `Document` (literal parts and sentence slots, see `translator.document`) and a
document plus one translation per slot back into bytes. A *catalog adapter* (gettext `.po`/`.pot`)
is read as a catalog of messages instead: its output is the catalog itself, pre-translated.

Adding a format is one module here with a module-level `ADAPTER`, one line in `_BUILTIN` and its
tests: nothing in the pipeline, the review catalogs or the report changes. Adapters are imported
on first use, so `translator --help` pays for none of their libraries.

The contract a document adapter keeps (tested for every registered adapter):
- `parse` refuses what it cannot read with `InputError` (one line naming the file), never
  another exception;
- `render(doc, [s.text for s in doc.segments()])` gives back a file with the same structure and
  text as the input (byte for byte for txt and md when no sentence spans a line break);
- everything that is not a slot (markup, code, whitespace, attributes) comes out as it went in.
"""
from __future__ import annotations

import importlib
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path, PurePath
from typing import TYPE_CHECKING, Literal, Protocol

from ..document import Document
from ..errors import InputError
from ..files import decode_text

if TYPE_CHECKING:
    import polib

__all__ = [
    "Adapter",
    "DocumentAdapter",
    "FormatInfo",
    "TextAdapter",
    "adapter_for",
    "by_name",
    "formats",
    "parse_document",
    "register",
]


class DocumentAdapter(Protocol):
    """What a document format provides: bytes -> `Document`, and back."""

    name: str  # short name used in catalogs, reports and `--format`: "txt", "md"
    suffixes: tuple[str, ...]  # lower-case file suffixes it reads, with the dot
    kind: Literal["document"]

    def parse(self, data: bytes, name: str, *, lang: str = "en") -> Document:
        """Cut the file into literals and sentence slots; InputError when it cannot be read."""
        ...

    def render(self, document: Document, translations: Sequence[str], *, lang: str | None = None) -> bytes:
        """The file with slot i replaced by translations[i] and everything else kept; `lang`
        (the target language) for formats that declare their language (`<html lang>`)."""
        ...


class CatalogAdapter(Protocol):
    """A message catalog (gettext): read as entries, pre-translated as a catalog."""

    name: str
    suffixes: tuple[str, ...]
    kind: Literal["catalog"]

    def read(self, data: bytes, path: Path) -> polib.POFile:
        """The catalog, strictly parsed; InputError with file and line when it is malformed."""
        ...


Adapter = DocumentAdapter | CatalogAdapter


@dataclass(frozen=True)
class FormatInfo:
    """A registry row: enough to pick an adapter by name or suffix without importing it."""

    name: str
    suffixes: tuple[str, ...]
    module: str  # the module whose `ADAPTER` implements it


_BUILTIN = (
    FormatInfo("txt", (".txt", ".text"), "translator.formats.text"),
    FormatInfo("md", (".md", ".markdown"), "translator.formats.markdown"),
    FormatInfo("po", (".po", ".pot"), "translator.formats.po"),
    FormatInfo("srt", (".srt",), "translator.formats.srt"),
    FormatInfo("vtt", (".vtt",), "translator.formats.vtt"),
    FormatInfo("xliff", (".xlf", ".xliff"), "translator.formats.xliff"),
    FormatInfo("html", (".html", ".htm", ".xhtml"), "translator.formats.html"),
    FormatInfo("epub", (".epub",), "translator.formats.epub"),
    FormatInfo("docx", (".docx",), "translator.formats.docx"),
    FormatInfo("odt", (".odt",), "translator.formats.odt"),
)
_REGISTERED: dict[str, Adapter] = {}


def register(adapter: Adapter) -> None:
    """Add (or replace) an adapter: for formats that live outside this package, and tests."""
    _REGISTERED[adapter.name] = adapter


def formats() -> list[FormatInfo]:
    """Every known format, built-in first."""
    known = {info.name: info for info in _BUILTIN}
    for name, adapter in _REGISTERED.items():
        known[name] = FormatInfo(name, adapter.suffixes, type(adapter).__module__)
    return list(known.values())


def by_name(name: str) -> Adapter:
    """The adapter called `name` ("txt", "md", "po"); ValueError for an unknown one."""
    if name in _REGISTERED:
        return _REGISTERED[name]
    for info in _BUILTIN:
        if info.name == name:
            adapter: Adapter = importlib.import_module(info.module).ADAPTER
            return adapter
    raise ValueError(f"unknown format {name!r}; known: {', '.join(i.name for i in formats())}")


def adapter_for(filename: str) -> Adapter:
    """The adapter for a file, by its suffix; InputError naming what is supported otherwise."""
    suffix = PurePath(filename).suffix.lower()
    for info in formats():
        if suffix in info.suffixes:
            return by_name(info.name)
    known = [s for info in formats() for s in info.suffixes]
    raise InputError(
        f"{filename}: unsupported file type {suffix or '(none)'!r}; "
        f"translator reads {', '.join(known[:-1])} and {known[-1]} files"
    )


class TextAdapter:
    """Base of the adapters for UTF-8 text formats: decoding and encoding done once, here."""

    name: str
    suffixes: tuple[str, ...]
    kind: Literal["document"] = "document"

    def parse(self, data: bytes, name: str, *, lang: str = "en") -> Document:
        return self.parse_text(decode_text(data, name), name, lang=lang)

    def parse_text(self, text: str, name: str, *, lang: str = "en") -> Document:
        raise NotImplementedError

    def render(self, document: Document, translations: Sequence[str], *, lang: str | None = None) -> bytes:
        return document.render(translations).encode("utf-8")


def parse_document(text: str, format: str, name: str = "<stdin>", *, lang: str = "en") -> Document:
    """Parse text already decoded (tests, standard input) with the text adapter `format`."""
    try:
        adapter = by_name(format)
    except ValueError:
        adapter = None
    if not isinstance(adapter, TextAdapter):
        text_formats = [i.name for i in formats() if isinstance(by_name(i.name), TextAdapter)]
        raise ValueError(f"{name}: unknown document format {format!r}; "
                         f"text formats are {', '.join(text_formats)}")
    return adapter.parse_text(text, name, lang=lang)
