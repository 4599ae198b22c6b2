"""What the DOCX and ODT adapters share: a zipped package of XML parts whose paragraphs are cut
into sentences, and rendered back part by part.

Both formats are the same job: open the package (`archive.Package`, with its zip-bomb cap),
find the XML parts that hold text (a Word document's body, headers, footers, notes and comments;
an OpenDocument's content and master-page styles), walk their paragraphs in document order,
flatten each into pieces with the format's dialect and let `richtext` find its sentences. The
`#:` line of a segment in the review catalog is the number of its paragraph in the document
(paragraphs counted through every part in that order), not an XML line.

Rendering parses each text part again from the original bytes (so the parsed document can be
rendered into several languages), rebuilds each paragraph that has sentences from its
translations, sets the document's language to the target, and writes the package: parts that
did not change are copied byte for byte. lxml re-serialises a part it changed: the XML a reader
sees is the same (elements, attributes, namespaces, order), though not its bytes; byte spans in
the original cannot be used because a paragraph's runs are rebuilt, not just re-worded.
"""
from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any, Literal

from ..document import Document, Segment
from . import richtext
from .archive import Package, parse_xml, serialize_xml

__all__ = ["CJK", "OfficeAdapter", "Paragraph", "language_tag", "primary"]


@dataclass
class Paragraph:
    """One paragraph of a part, flattened, with its sentences found."""

    element: Any
    kind: str  # the segment kind: "paragraph", "heading", "table_cell", "footnote"...
    block: richtext.Block


@dataclass(frozen=True)
class _State:
    """What `render` needs: the package, the parts with text, the source language."""

    package: Package
    text_parts: tuple[str, ...]
    language_parts: tuple[str, ...]
    lang: str
    context: Any  # the adapter's own record of the package (styles, relationships)


class OfficeAdapter:
    """The common flow; a format says which parts hold text and how a paragraph is made."""

    name: str
    suffixes: tuple[str, ...]
    kind: Literal["document"] = "document"
    what: str  # "Word document", in messages

    # -- what a format provides -----------------------------------------------------------------

    def inspect(self, package: Package) -> tuple[list[str], list[str], Any]:
        """The parts with text (in reading order), the other parts that carry the document's
        language, and the format's context; InputError when the package is not this format."""
        raise NotImplementedError

    def paragraphs(self, tree: Any, part: str, context: Any, lang: str) -> Iterator[Paragraph]:
        """Every paragraph of a text part that has anything to translate, in document order."""
        raise NotImplementedError

    def build(self, paragraph: Paragraph, pieces: list[richtext.OutPiece], context: Any) -> None:
        """Rebuild the paragraph's content from the rendered pieces."""
        raise NotImplementedError

    def retag(self, tree: Any, part: str, source: str, target: str) -> bool:
        """Set the language of a part to `target`; whether anything changed."""
        raise NotImplementedError

    # -- the adapter contract -------------------------------------------------------------------

    def parse(self, data: bytes, name: str, *, lang: str = "en") -> Document:
        package = Package(data, name, self.what)
        text_parts, language_parts, context = self.inspect(package)
        parts: list[str | Segment] = []
        number = 0
        for part in text_parts:
            tree = parse_xml(package.read(part), name, part)
            for paragraph in self.paragraphs(tree, part, context, lang):
                number += 1
                parts.extend(Segment(s.text, number, paragraph.kind, s.tags)
                             for s in paragraph.block.sentences)
        state = _State(package, tuple(text_parts), tuple(language_parts), lang, context)
        return Document(name, self.name, parts, state)

    def render(self, document: Document, translations: Sequence[str], *, lang: str | None = None) -> bytes:
        state = document.state
        assert isinstance(state, _State), "render takes a document this adapter parsed"
        count = len(document.segments())
        if len(translations) != count:
            raise ValueError(f"{document.name}: {len(translations)} translations for {count} segments")
        package = state.package
        replaced: dict[str, bytes] = {}
        done = 0
        for part in state.text_parts:
            original = package.read(part)
            tree = parse_xml(original, document.name, part)
            found = list(self.paragraphs(tree, part, state.context, state.lang))
            changed = False
            for paragraph in found:
                sentences = paragraph.block.sentences
                if not sentences:
                    continue
                texts = translations[done:done + len(sentences)]
                done += len(sentences)
                self.build(paragraph, richtext.pour(paragraph.block, texts), state.context)
                changed = True
            if lang is not None:
                changed = self.retag(tree, part, state.lang, lang) or changed
            if changed:
                replaced[part] = serialize_xml(tree, original)
        if done != count:
            raise ValueError(f"{document.name}: the document's paragraphs changed since it was parsed")
        if lang is not None:
            for part in state.language_parts:
                original = package.read(part)
                tree = parse_xml(original, document.name, part)
                if self.retag(tree, part, state.lang, lang):
                    replaced[part] = serialize_xml(tree, original)
        return package.write(replaced)


def language_tag(code: str) -> tuple[str, str]:
    """(language, region) for a target code: "es" -> ("es", "ES"), "zh" -> ("zh", "CN"),
    "pt_BR" -> ("pt", "BR"): word processors want a region, so the likely one is taken from
    CLDR (Babel's likely subtags)."""
    parts = code.replace("-", "_").split("_")
    language = parts[0].lower()
    region = next((p.upper() for p in parts[1:] if len(p) == 2 and p.isalpha()), "")
    if not region:
        from babel.core import get_global

        likely = str(get_global("likely_subtags").get(language, ""))
        region = next((p for p in likely.split("_")[1:] if len(p) == 2 and p.isalpha()), "")
    return language, region


def primary(tag: str) -> str:
    """The language of a tag: "en-US" -> "en"."""
    return tag.replace("_", "-").split("-")[0].lower()


CJK = frozenset({"zh", "ja", "ko"})
