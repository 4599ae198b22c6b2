"""OpenDocument text (.odt): the paragraphs and headings of the body, notes, comments, text
boxes, tables, lists, and the headers and footers of the master pages, read from the raw ODF
XML with lxml.

A paragraph (`text:p`) or heading (`text:h`) is a block; its words are its text and the text of
its spans and links. A span whose style formats text (bold, italic, a named character style) is
a marker pair, and neighbouring spans of equal formatting are one stretch; a span whose style
only records revision ids (LibreOffice's `officeooo:rsid`) formats nothing and is left out. A
link (`text:a`) is a pair. A tab and a line break are empty markers that read as spaces to the
sentence splitter; a note, a frame, a comment and a field (page number, date...) are empty
markers kept whole, their own paragraphs translated where they are; bookmarks and other
zero-width marks travel with their neighbours. Spaces follow ODF's rules: runs of white space
in the XML count as one space, `text:s` holds the spaces that count, and the translation's
spaces are written back the same way. A span in a monospaced font, in a code style or in the
language "zxx" (no linguistic content) is kept verbatim, and so is a paragraph in a code style.
Deleted text kept for tracked changes (`text:tracked-changes`) is not translated.

odfpy is not used: it rebuilds documents from its own model and loses what it does not know
(LibreOffice's extension elements and attributes); the raw XML keeps everything.
"""
from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from lxml import etree

from ..errors import InputError
from . import richtext
from .archive import Package, parse_xml
from .office import CJK, OfficeAdapter, Paragraph, language_tag, primary
from .richtext import HARD_SPACE, Frame, OutPiece, Piece

__all__ = ["ADAPTER", "OdtAdapter"]

_NS = {
    "office": "urn:oasis:names:tc:opendocument:xmlns:office:1.0",
    "text": "urn:oasis:names:tc:opendocument:xmlns:text:1.0",
    "style": "urn:oasis:names:tc:opendocument:xmlns:style:1.0",
    "fo": "urn:oasis:names:tc:opendocument:xmlns:xsl-fo-compatible:1.0",
    "draw": "urn:oasis:names:tc:opendocument:xmlns:drawing:1.0",
    "table": "urn:oasis:names:tc:opendocument:xmlns:table:1.0",
    "xlink": "http://www.w3.org/1999/xlink",
    "dc": "http://purl.org/dc/elements/1.1/",
    "manifest": "urn:oasis:names:tc:opendocument:xmlns:manifest:1.0",
    "svg": "urn:oasis:names:tc:opendocument:xmlns:svg-compatible:1.0",
}
_OFFICEOOO = "http://openoffice.org/2009/office"


def _q(name: str) -> str:
    prefix, _, local = name.partition(":")
    return f"{{{_NS[prefix]}}}{local}"


T_P, T_H, T_SPAN, T_A, T_S = _q("text:p"), _q("text:h"), _q("text:span"), _q("text:a"), _q("text:s")
T_TAB, T_BR, T_STYLE = _q("text:tab"), _q("text:line-break"), _q("text:style-name")

_TEXT_MIMETYPE = "application/vnd.oasis.opendocument.text"
_OTHER_KINDS = {"spreadsheet": "a spreadsheet (.ods)", "presentation": "a presentation (.odp)",
                "graphics": "a drawing (.odg)", "chart": "a chart (.odc)", "formula": "a formula (.odf)",
                "image": "an image (.odi)", "database": "a database (.odb)"}
_CONTAINERS = {_q("text:a"), _q("text:meta"), _q("text:bookmark-ref"), _q("text:reference-ref")}
_ZERO = {_q(f"text:{n}") for n in ("bookmark", "bookmark-start", "bookmark-end", "reference-mark",
                                   "reference-mark-start", "reference-mark-end", "toc-mark",
                                   "toc-mark-start", "toc-mark-end", "alphabetical-index-mark",
                                   "alphabetical-index-mark-start", "alphabetical-index-mark-end",
                                   "user-index-mark", "user-index-mark-start", "user-index-mark-end",
                                   "change", "change-start", "change-end")} | {_q("office:annotation-end")}
_DROP = {_q("text:soft-page-break")}
_CODE_STYLE = re.compile(r"(?i)code|verbatim|keyboard|typewriter|preformatted|source[ _]?text|teletype")
_LANGUAGE_ATTRIBUTES = {_q("fo:language"), _q("fo:country"), _q("fo:script"), _q("style:language-asian"),
                        _q("style:country-asian"), _q("style:script-asian"), _q("style:language-complex"),
                        _q("style:country-complex"), _q("style:script-complex"), _q("style:rfc-language-tag"),
                        _q("style:rfc-language-tag-asian"), _q("style:rfc-language-tag-complex")}


@dataclass
class _Style:
    family: str
    display: str
    parent: str | None
    props: dict[str, str]  # style:text-properties, by attribute


@dataclass
class _Context:
    package: Package
    name: str
    styles: dict[tuple[str, str], _Style] = field(default_factory=dict)  # (part or "", name) -> style
    fonts: dict[str, bool] = field(default_factory=dict)  # font-face name -> monospaced

    def style(self, part: str, name: str) -> _Style | None:
        return self.styles.get((part, name)) or self.styles.get(("", name))

    def read(self, tree: Any, part: str) -> None:
        """Styles and font faces of a part: automatic ones are the part's own."""
        root = tree.getroot()
        for face in root.iter(_q("style:font-face")):
            family = (face.get(_q("svg:font-family")) or "").strip("'\"").lower()
            self.fonts[face.get(_q("style:name"), "")] = (face.get(_q("style:font-pitch")) == "fixed"
                                                          or "mono" in family or "courier" in family)
        for container in root.iter(_q("office:styles"), _q("office:automatic-styles")):
            scope = part if container.tag == _q("office:automatic-styles") else ""
            for style in container.iter(_q("style:style")):
                name = style.get(_q("style:name"), "")
                props: dict[str, str] = {}
                for text_props in style.iter(_q("style:text-properties")):
                    props.update(text_props.attrib)
                display = style.get(_q("style:display-name")) or _decode_name(name)
                self.styles[(scope, name)] = _Style(style.get(_q("style:family"), ""), display,
                                                    style.get(_q("style:parent-style-name")), props)

    def is_code(self, part: str, name: str) -> bool:
        seen: set[str] = set()
        while name and name not in seen:
            seen.add(name)
            style = self.style(part, name)
            if style is None:
                return bool(_CODE_STYLE.search(name))
            if (_CODE_STYLE.search(style.display) or style.props.get(_q("fo:language")) == "zxx"
                    or self.fonts.get(style.props.get(_q("style:font-name"), ""), False)):
                return True
            name = style.parent or ""
        return False


def _decode_name(name: str) -> str:
    """A style's name as its author typed it: ODF writes "Source Text" as "Source_20_Text"."""
    return re.sub(r"_([0-9a-fA-F]{2})_", lambda m: chr(int(m.group(1), 16)), name)


def _visible(props: dict[str, str]) -> dict[str, str]:
    return {k: v for k, v in props.items()
            if not k.startswith(f"{{{_OFFICEOOO}}}") and k not in _LANGUAGE_ATTRIBUTES}


def _describe(props: dict[str, str]) -> list[str]:
    words = []
    if props.get(_q("fo:font-weight"), "normal") not in ("normal", "400"):
        words.append("bold")
    if props.get(_q("fo:font-style"), "normal") in ("italic", "oblique"):
        words.append("italic")
    if props.get(_q("style:text-underline-style"), "none") != "none":
        words.append("underlined")
    if props.get(_q("style:text-line-through-style"), "none") != "none":
        words.append("struck through")
    position = props.get(_q("style:text-position"), "")
    if position.startswith("super") or (position[:1].isdigit() and not position.startswith("0")):
        words.append("superscript")
    elif position.startswith(("sub", "-")):
        words.append("subscript")
    if props.get(_q("fo:font-variant")) == "small-caps":
        words.append("small capitals")
    if props.get(_q("style:font-name")):
        words.append(f"font {props[_q('style:font-name')]}")
    if props.get(_q("fo:color")):
        words.append(f"colour {props[_q('fo:color')]}")
    if props.get(_q("fo:background-color"), "transparent") != "transparent":
        words.append("highlighted")
    return words


class _Dialect:
    def describe_run(self, run: Frame, base: Frame | None) -> str:
        return run.about


# -- a paragraph as pieces ------------------------------------------------------------------------


class _Flattener:
    """One paragraph's content as pieces, white space read as ODF says."""

    def __init__(self, context: _Context, part: str) -> None:
        self.context = context
        self.part = part
        self.pieces: list[Piece] = []
        self.after_space = True  # white space at the start of a paragraph is not shown

    def text(self, raw: str | None, path: tuple[Frame, ...]) -> None:
        if not raw:
            return
        out = []
        for ch in re.sub(r"[\t\n\r]", " ", raw):
            if ch == " ":
                if self.after_space:
                    continue
                self.after_space = True
            else:
                self.after_space = False
            out.append(ch)
        if out:
            self.pieces.append(Piece(path, None, text="".join(out)))

    def atom(self, element: Any, path: tuple[Frame, ...], role: richtext.Role = "atom",
             spacing: bool = False, about: str = "") -> None:
        self.pieces.append(Piece(path, None, element=element, role=role, spacing=spacing,
                                 about=about or self.about(element)))
        if role == "atom":
            self.after_space = False

    def walk(self, parent: Any, path: tuple[Frame, ...]) -> None:
        self.text(parent.text, path)
        for child in parent:
            tag = child.tag
            if not isinstance(tag, str):
                self.atom(child, path, "zero", about="XML comment")
            elif tag == T_S:
                count = child.get(_q("text:c"), "1")
                self.pieces.append(Piece(path, None, text=HARD_SPACE * (int(count) if count.isdigit() else 1)))
                self.after_space = False
            elif tag in (T_TAB, T_BR):
                self.atom(child, path, spacing=True)
            elif tag == T_SPAN:
                style = child.get(T_STYLE, "")
                if self.context.is_code(self.part, style):
                    text = "".join(child.itertext())
                    self.atom(child, path, about=f"code: {text}" if text else "code")
                else:
                    frame = self.span(child)
                    self.walk(child, path if frame is None else path + (frame,))
            elif tag in _CONTAINERS:
                self.walk(child, path + (Frame("container", child, about=self.about(child)),))
            elif tag in _DROP:
                self.atom(child, path, "drop")
            elif tag in _ZERO:
                self.atom(child, path, "zero")
            else:
                self.atom(child, path)
            self.text(child.tail, path)

    def span(self, element: Any) -> Frame | None:
        """The span's formatting as a frame; None when its style formats nothing."""
        name = element.get(T_STYLE, "")
        if not name:
            return None
        style = self.context.style(self.part, name)
        if style is None or (self.part, name) not in self.context.styles:
            # A named character style (Emphasis, Strong...), or one the document lacks.
            display = style.display if style is not None else name
            return Frame("span", element, key=("style", name), about=f"style {display}")
        props = _visible(style.props)
        if not props and not style.parent:
            return None  # an automatic style that only records revision ids
        parent = self.context.style(self.part, style.parent) if style.parent else None
        words = [f"style {parent.display if parent is not None else style.parent}"] if style.parent else []
        words += _describe(props)
        return Frame("span", element, key=(style.parent, tuple(sorted(props.items()))),
                     about=", ".join(words) or "formatting")

    def about(self, element: Any) -> str:
        tag = element.tag
        local = tag.rpartition("}")[2]
        if tag == T_TAB:
            return "tab"
        if tag == T_BR:
            return "line break"
        if tag == T_A:
            return f"link to {element.get(_q('xlink:href'), '')}"
        if tag == _q("text:note"):
            citation = element.find(_q("text:note-citation"))
            number = "".join(citation.itertext()) if citation is not None else ""
            return f"{element.get(_q('text:note-class'), 'footnote')} {number}".strip()
        if tag == _q("draw:frame"):
            if element.find(_q("draw:text-box")) is not None:
                return "text box"
            return "image" if element.find(_q("draw:image")) is not None else "frame"
        if tag == _q("office:annotation"):
            return "comment"
        if local.startswith("bookmark") and tag in _ZERO:
            return f"bookmark {element.get(_q('text:name'), '')}".strip()
        if tag in (_q("text:bookmark-ref"), _q("text:reference-ref")):
            return f"reference to {element.get(_q('text:ref-name'), '')}"
        if tag == _q("text:meta"):
            return "metadata"
        if local.startswith("change"):
            return "tracked change"
        if tag in _ZERO:
            return local.replace("-", " ")
        return f"field {local.replace('-', ' ')}" if tag.startswith(f"{{{_NS['text']}}}") else local.replace("-", " ")


# -- pieces back into a paragraph -----------------------------------------------------------------


class _Builder:
    """Writes rendered pieces into an emptied paragraph: spans and links copied, atoms moved,
    spaces written as ODF wants them."""

    def __init__(self, paragraph: Any) -> None:
        self.paragraph = paragraph
        self.stack: list[tuple[Frame, Any]] = []
        self.at_start = True
        self.after_space = False

    @property
    def parent(self) -> Any:
        return self.stack[-1][1] if self.stack else self.paragraph

    def sync(self, path: tuple[Frame, ...]) -> None:
        common = 0
        while common < len(self.stack) and common < len(path) and self.stack[common][0] is path[common]:
            common += 1
        del self.stack[common:]
        for frame in path[common:]:
            element = etree.SubElement(self.parent, frame.element.tag, attrib=dict(frame.element.attrib))
            self.stack.append((frame, element))

    def put(self, piece: OutPiece) -> None:
        self.sync(piece.path)
        if piece.text is not None:
            self.text(piece.text)
            return
        element = piece.element
        element.tail = None
        self.parent.append(element)
        self.at_start = False
        self.after_space = False

    def _append(self, text: str) -> None:
        parent = self.parent
        if len(parent):
            parent[-1].tail = (parent[-1].tail or "") + text
        else:
            parent.text = (parent.text or "") + text

    def text(self, text: str) -> None:
        plain: list[str] = []
        hard = 0

        def flush_plain() -> None:
            if plain:
                self._append("".join(plain))
                plain.clear()

        def flush_hard() -> None:
            nonlocal hard
            if hard:
                flush_plain()
                element = etree.SubElement(self.parent, T_S)
                if hard > 1:
                    element.set(_q("text:c"), str(hard))
                hard = 0

        for ch in text:
            if ch == HARD_SPACE or (ch == " " and (self.after_space or self.at_start)):
                hard += 1
                self.after_space = True
            elif ch in "\t\n":
                flush_hard()
                flush_plain()
                etree.SubElement(self.parent, T_TAB if ch == "\t" else T_BR)
                self.after_space = False
            else:
                flush_hard()
                plain.append(ch)
                self.after_space = ch == " "
            self.at_start = False
        flush_hard()
        flush_plain()


# -- the adapter ----------------------------------------------------------------------------------


class OdtAdapter(OfficeAdapter):
    """OpenDocument text: body, notes, comments, text boxes, headers and footers."""

    name = "odt"
    suffixes = (".odt",)
    what = "OpenDocument text (.odt)"

    def inspect(self, package: Package) -> tuple[list[str], list[str], Any]:
        name = package.name
        mimetype = package.read("mimetype").decode("ascii", "replace").strip() if package.has("mimetype") else ""
        if not mimetype and package.has("META-INF/manifest.xml"):
            manifest = parse_xml(package.read("META-INF/manifest.xml"), name, "META-INF/manifest.xml").getroot()
            for entry in manifest.iter(_q("manifest:file-entry")):
                if entry.get(_q("manifest:full-path")) == "/":
                    mimetype = entry.get(_q("manifest:media-type"), "")
        if not mimetype.startswith(_TEXT_MIMETYPE):
            kind = mimetype.rpartition(".")[2].split("-")[0]
            if kind in _OTHER_KINDS:
                raise InputError(f"{name}: an OpenDocument {_OTHER_KINDS[kind]}, not a text document; "
                                 "translator reads OpenDocument text (.odt)")
            raise InputError(f"{name}: not an OpenDocument text (.odt) (its mimetype is "
                             f"{mimetype or 'missing'}); save it from LibreOffice Writer as .odt")
        if package.has("META-INF/manifest.xml"):
            manifest_bytes = package.read("META-INF/manifest.xml")
            if b"encryption-data" in manifest_bytes:
                manifest = parse_xml(manifest_bytes, name, "META-INF/manifest.xml").getroot()
                if any(True for _ in manifest.iter(_q("manifest:encryption-data"))):
                    raise InputError(f"{name}: the document is password-protected; save a copy "
                                     "without a password and translate that")
        if not package.has("content.xml"):
            raise InputError(f"{name}: not an OpenDocument text (.odt): it has no content.xml; "
                             "save it from LibreOffice Writer as .odt")
        context = _Context(package, name)
        text_parts = ["content.xml"] + (["styles.xml"] if package.has("styles.xml") else [])
        if package.has("styles.xml"):
            context.read(parse_xml(package.read("styles.xml"), name, "styles.xml"), "styles.xml")
        language_parts = ["meta.xml"] if package.has("meta.xml") else []
        return text_parts, language_parts, context

    def paragraphs(self, tree: Any, part: str, context: Any, lang: str) -> Iterator[Paragraph]:
        if part == "content.xml":
            context.read(tree, part)
        root = tree.getroot()
        scope = root.find(_q("office:body")) if part == "content.xml" else root.find(_q("office:master-styles"))
        if scope is None:
            return
        dialect = _Dialect()
        for element in list(scope.iter(T_P, T_H)):
            ancestors = [a.tag for a in element.iterancestors()]
            if _q("text:tracked-changes") in ancestors:
                continue
            if context.is_code(part, element.get(T_STYLE, "")):
                continue
            flattener = _Flattener(context, part)
            flattener.walk(element, ())
            block = richtext.analyse(flattener.pieces, dialect, lang)
            yield Paragraph(element, self._kind(element, ancestors, part), block)

    @staticmethod
    def _kind(element: Any, ancestors: list[str], part: str) -> str:
        for tag in ancestors:
            if tag == _q("text:note"):
                return "footnote"
            if tag == _q("office:annotation"):
                return "comment"
            if tag == _q("draw:text-box"):
                return "text_box"
            if tag.startswith(_q("style:header")):
                return "header"
            if tag.startswith(_q("style:footer")):
                return "footer"
        if element.tag == T_H:
            return "heading"
        if _q("table:table-cell") in ancestors:
            return "table_cell"
        if _q("text:list-item") in ancestors or _q("text:list-header") in ancestors:
            return "list_item"
        return "paragraph"

    def build(self, paragraph: Paragraph, pieces: list[OutPiece], context: Any) -> None:
        element = paragraph.element
        for child in list(element):
            element.remove(child)
        element.text = None
        builder = _Builder(element)
        for piece in pieces:
            builder.put(piece)

    def retag(self, tree: Any, part: str, source: str, target: str) -> bool:
        language, region = language_tag(target)
        root = tree.getroot()
        changed = False

        def put(element: Any, attribute: str, value: str) -> None:
            nonlocal changed
            if element.get(attribute) != value:
                element.set(attribute, value)
                changed = True

        def set_language(element: Any, asian: bool) -> None:
            if asian:
                put(element, _q("style:language-asian"), language)
                put(element, _q("style:country-asian"), region or "none")
            put(element, _q("fo:language"), language)
            put(element, _q("fo:country"), region or "none")

        if part == "meta.xml":
            meta = root.find(_q("office:meta"))
            if meta is not None:
                found = meta.find(_q("dc:language"))
                if found is None:
                    found = etree.SubElement(meta, _q("dc:language"))
                value = f"{language}-{region}" if region else language
                if found.text != value:
                    found.text = value
                    changed = True
            return changed
        for default in root.iter(_q("style:default-style")):
            if default.get(_q("style:family")) == "paragraph":
                props = default.find(_q("style:text-properties"))
                if props is None:
                    props = etree.SubElement(default, _q("style:text-properties"))
                set_language(props, language in CJK)
        for props in root.iter(_q("style:text-properties")):
            current = props.get(_q("fo:language"))
            if current is not None and primary(current) == primary(source):
                put(props, _q("fo:language"), language)
                put(props, _q("fo:country"), region or "none")
            if language in CJK and props.get(_q("style:language-asian")) is not None:
                put(props, _q("style:language-asian"), language)
                put(props, _q("style:country-asian"), region or "none")
        return changed


ADAPTER = OdtAdapter()
