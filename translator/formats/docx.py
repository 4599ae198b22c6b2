"""Word documents (.docx): the paragraphs of the body, headers, footers, footnotes, endnotes,
comments and text boxes, read from the raw WordprocessingML with lxml.

A paragraph (`w:p`) is a block; its words are the `w:t` of its runs (`w:r`). A run whose
visible formatting (bold, italic, a character style, a font...) differs from the paragraph's
dominant one is a marker pair, runs with equal formatting are one stretch (Word splits text at
every revision and spelling mark); a hyperlink, a tracked insertion, a content control and a
field's result are pairs too, and everything else inside a paragraph is an empty marker or
stays outside the sentence: tabs and line breaks, footnote and comment references, drawings,
bookmarks, a tracked deletion (kept whole: the document shows it as deleted), equations. A
complex field (`w:fldChar` begin, `w:instrText` code, separate, result, end) is a pair around
its result when begin, separate and end sit in the same container: the code is never touched,
the result is translated (Word recomputes it when fields are updated). A run in a code style
(HTML Code, Verbatim...) or a monospaced font is kept verbatim as one empty marker, and a
paragraph in a code style is not translated at all.

python-docx is not used: it models paragraphs, runs and tables, and drops or cannot reach what
it does not model (fields, content controls, text boxes, tracked changes, comments), which a
translation must give back untouched.
"""
from __future__ import annotations

import copy
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from lxml import etree

from ..errors import InputError
from . import richtext
from .archive import Package, parse_xml
from .office import CJK, OfficeAdapter, Paragraph, language_tag, primary
from .richtext import Frame, OutPiece, Piece

__all__ = ["ADAPTER", "DocxAdapter"]

_W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
_STRICT_W = "http://purl.oclc.org/ooxml/wordprocessingml/main"
_R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_MATH = "http://schemas.openxmlformats.org/officeDocument/2006/math"
_CT = "http://schemas.openxmlformats.org/package/2006/content-types"
_PR = "http://schemas.openxmlformats.org/package/2006/relationships"
_DC = "http://purl.org/dc/elements/1.1/"
_XML_SPACE = "{http://www.w3.org/XML/1998/namespace}space"
_CORE = "application/vnd.openxmlformats-package.core-properties+xml"


def _w(name: str) -> str:
    return f"{{{_W}}}{name}"


W_P, W_R, W_T, W_PPR, W_RPR = _w("p"), _w("r"), _w("t"), _w("pPr"), _w("rPr")
W_TAB, W_BR, W_VAL, W_LANG = _w("tab"), _w("br"), _w("val"), _w("lang")

_TEXT_TYPES = {
    "document.main": "body", "document.macroEnabled.main": "body", "template.main": "body",
    "template.macroEnabledTemplate.main": "body", "header": "header", "footer": "footer",
    "footnotes": "footnote", "endnotes": "endnote", "comments": "comment",
}
_CONTENT_TYPE = re.compile(r"application/vnd\.(?:openxmlformats-officedocument\.wordprocessingml|ms-word)"
                           r"\.([\w.]+)\+xml")

# Paragraph-level elements that hold runs: a pair around their words.
_CONTAINERS = {_w(n) for n in ("hyperlink", "ins", "moveTo", "smartTag", "customXml", "fldSimple",
                                "dir", "bdo", "sdt")}
_PROPS = {_w(n) for n in ("sdtPr", "sdtEndPr", "smartTagPr", "customXmlPr", "fldData")}
# Zero-width marks: they travel with a neighbouring stretch instead of a marker of their own.
_ZERO = {_w(n) for n in ("bookmarkStart", "bookmarkEnd", "commentRangeStart", "commentRangeEnd",
                          "permStart", "permEnd", "moveFromRangeStart", "moveFromRangeEnd",
                          "moveToRangeStart", "moveToRangeEnd", "customXmlInsRangeStart",
                          "customXmlInsRangeEnd", "customXmlDelRangeStart", "customXmlDelRangeEnd")}
# Caches an editor recomputes: inside a translated sentence their place means nothing.
_DROP = {_w(n) for n in ("proofErr", "lastRenderedPageBreak", "softHyphen")}
# Run content that reads as a space between words, and can share a run with text.
_SPACING = {_w(n) for n in ("tab", "ptab", "cr")}
_MERGEABLE = _SPACING | {_w(n) for n in ("br", "noBreakHyphen", "softHyphen")}
_ABOUT = {
    "tab": "tab", "ptab": "tab", "cr": "line break", "noBreakHyphen": "non-breaking hyphen",
    "footnoteReference": "footnote reference", "endnoteReference": "endnote reference",
    "commentReference": "comment reference", "drawing": "drawing", "pict": "picture",
    "object": "embedded object", "AlternateContent": "drawing", "sym": "symbol",
    "footnoteRef": "note number", "endnoteRef": "note number", "annotationRef": "comment mark",
    "separator": "note separator", "continuationSeparator": "note separator", "pgNum": "page number",
    "ruby": "ruby text", "del": "tracked deletion", "moveFrom": "tracked move (old place)",
    "oMath": "equation", "oMathPara": "equation", "bookmarkStart": "bookmark",
    "bookmarkEnd": "bookmark end", "commentRangeStart": "comment start",
    "commentRangeEnd": "comment end",
}
# Character and paragraph styles whose text is code, and fonts that are monospaced.
_CODE_STYLE = re.compile(r"(?i)code|verbatim|keyboard|typewriter|preformatted|source ?text|macro ?text"
                         r"|html ?(sample|variable)")
_MONOSPACE = frozenset({
    "courier", "courier new", "consolas", "menlo", "monaco", "lucida console", "lucida sans typewriter",
    "dejavu sans mono", "liberation mono", "source code pro", "fira code", "fira mono", "cascadia code",
    "cascadia mono", "ubuntu mono", "roboto mono", "jetbrains mono", "noto mono", "andale mono",
    "sf mono", "inconsolata", "hack", "ocr a extended",
})
_HEADING_STYLE = re.compile(r"(?i)^(heading\s*\d|title|subtitle|toc ?heading)$")
# Properties that change nothing a reader of Latin or Chinese text sees (proofing language,
# complex-script variants): runs that differ only in them are one stretch.
_INVISIBLE = {W_LANG, _w("noProof"), _w("specVanish"), _w("webHidden"), _w("bCs"), _w("iCs"), _w("szCs")}


@dataclass
class _Context:
    """What the parts of one document share: styles and each part's relationships."""

    package: Package
    name: str
    # style id -> (its name, the style it is based on, whether it sets an outline level)
    styles: dict[str, tuple[str, str | None, bool]] = field(default_factory=dict)
    links: dict[str, dict[str, str]] = field(default_factory=dict)  # part -> rId -> target
    kinds: dict[str, str] = field(default_factory=dict)  # part -> body/header/...

    def style_name(self, style_id: str) -> str:
        return self.styles.get(style_id, (style_id, None, False))[0] or style_id

    def is_heading(self, style_id: str) -> bool:
        seen = set()
        while style_id and style_id not in seen:
            seen.add(style_id)
            name, based_on, outline = self.styles.get(style_id, (style_id, None, False))
            if outline or _HEADING_STYLE.match(name) or _HEADING_STYLE.match(style_id):
                return True
            style_id = based_on or ""
        return False

    def is_code(self, style_id: str) -> bool:
        return bool(_CODE_STYLE.search(style_id) or _CODE_STYLE.search(self.style_name(style_id)))

    def link(self, part: str, rid: str) -> str:
        if part not in self.links:
            folder, _, base = part.rpartition("/")
            rels = f"{folder}/_rels/{base}.rels" if folder else f"_rels/{base}.rels"
            targets: dict[str, str] = {}
            if self.package.has(rels):
                tree = parse_xml(self.package.read(rels), self.name, rels)
                for rel in tree.getroot():
                    if isinstance(rel.tag, str) and rel.get("Id"):
                        targets[rel.get("Id", "")] = rel.get("Target", "")
            self.links[part] = targets
        return self.links[part].get(rid, rid)


def _canon(element: Any) -> tuple[Any, ...]:
    return (element.tag, tuple(sorted(element.attrib.items())),
            tuple(_canon(child) for child in element if isinstance(child.tag, str)))


def _run_key(run: Any) -> tuple[Any, ...]:
    """The visible formatting of a run: what decides whether two runs are one stretch."""
    rpr = run.find(W_RPR)
    if rpr is None:
        return ()
    return tuple(_canon(child) for child in rpr if isinstance(child.tag, str) and child.tag not in _INVISIBLE)


def _off(element: Any) -> bool:
    return element.get(W_VAL, "true").lower() in ("0", "false", "off", "none")


def _describe(element: Any, context: _Context) -> str:
    """What one run property means to a reader, or "" when it is not worth saying."""
    local = element.tag.rpartition("}")[2]
    value = element.get(W_VAL, "")
    simple = {"b": "bold", "i": "italic", "strike": "struck through", "dstrike": "struck through",
              "caps": "capitals", "smallCaps": "small capitals", "vanish": "hidden", "u": "underlined",
              "emboss": "embossed", "imprint": "engraved", "outline": "outlined", "shadow": "shadowed"}
    if local in simple:
        return f"not {simple[local]}" if _off(element) else simple[local]
    if local == "rStyle":
        return f"style {context.style_name(value)}"
    if local == "vertAlign" and value in ("superscript", "subscript"):
        return value
    if local == "color" and value and value != "auto":
        return f"colour #{value}"
    if local == "highlight" and value != "none":
        return f"highlighted {value}"
    if local == "shd":
        return "shaded"
    if local == "rFonts":
        font = element.get(_w("ascii")) or element.get(_w("hAnsi"))
        return f"font {font}" if font else ""
    if local == "sz" and value.isdigit():
        return f"{int(value) / 2:g} pt"
    return ""


class _Dialect:
    def __init__(self, context: _Context) -> None:
        self.context = context

    def describe_run(self, run: Frame, base: Frame | None) -> str:
        def props(frame: Frame | None) -> dict[tuple[Any, ...], Any]:
            rpr = frame.element.find(W_RPR) if frame is not None else None
            if rpr is None:
                return {}
            return {_canon(c): c for c in rpr if isinstance(c.tag, str) and c.tag not in _INVISIBLE}

        mine, theirs = props(run), props(base)
        added = [_describe(e, self.context) for k, e in mine.items() if k not in theirs]
        removed = [_describe(e, self.context) for k, e in theirs.items() if k not in mine]
        words = [w for w in added if w] + [f"without {w}" for w in removed if w and not w.startswith("not ")]
        return ", ".join(dict.fromkeys(words)) or "formatting"


# -- a paragraph as pieces ------------------------------------------------------------------------


class _Flattener:
    """One paragraph's content as pieces, fields paired around their results."""

    def __init__(self, context: _Context, part: str) -> None:
        self.context = context
        self.part = part
        self.pieces: list[Piece] = []

    def walk(self, parent: Any, path: tuple[Frame, ...]) -> None:
        for child in parent:
            tag = child.tag
            if not isinstance(tag, str):  # an XML comment or processing instruction
                self.pieces.append(Piece(path, None, element=child, role="zero", about="XML comment"))
            elif tag == W_PPR or tag in _PROPS:
                continue
            elif tag == W_R:
                self.run(child, path)
            elif tag in _CONTAINERS:
                frame = self.container(child)
                inner = child.find(_w("sdtContent")) if tag == _w("sdt") else child
                if inner is not None:
                    self.walk(inner, path + (frame,))
            else:
                role: richtext.Role = "drop" if tag in _DROP else ("zero" if tag in _ZERO else "atom")
                self.pieces.append(Piece(path, None, element=child, role=role, about=self.about(child)))

    def container(self, element: Any) -> Frame:
        local = element.tag.rpartition("}")[2]
        props = tuple(c for c in element if c.tag in _PROPS)
        if local == "hyperlink":
            rid = element.get(f"{{{_R}}}id")
            anchor = element.get(_w("anchor"))
            target = self.context.link(self.part, rid) if rid else f"#{anchor or ''}"
            about = f"link to {target}"
        elif local in ("ins", "moveTo"):
            about = f"tracked {'insertion' if local == 'ins' else 'move'} by {element.get(_w('author'), 'someone')}"
        elif local == "fldSimple":
            about = f"field {' '.join(element.get(_w('instr'), '').split())}"
        elif local == "sdt":
            alias = element.find(f"{_w('sdtPr')}/{_w('alias')}")
            about = "content control" + (f" {alias.get(W_VAL)}" if alias is not None else "")
        else:
            about = {"smartTag": "smart tag", "customXml": "custom XML", "dir": "text direction",
                     "bdo": "text direction"}.get(local, local)
        return Frame("container", element, about=about, props=props,
                     content_tag=_w("sdtContent") if local == "sdt" else None)

    def run(self, run: Any, path: tuple[Frame, ...]) -> None:
        if self.is_code(run):
            text = "".join(t.text or "" for t in run.iter(W_T))
            self.pieces.append(Piece(path, None, element=run, about=f"code: {text}" if text else "code"))
            return
        frame = Frame("run", run, key=_run_key(run))
        for child in run:
            tag = child.tag
            if tag == W_RPR:
                continue
            if tag == W_T:
                if child.text:
                    self.pieces.append(Piece(path, frame, text=child.text))
                continue
            role: richtext.Role = "drop" if tag in _DROP else "atom"
            spacing = tag in _SPACING or (tag == W_BR and child.get(_w("type"), "textWrapping") == "textWrapping")
            self.pieces.append(Piece(path, frame, element=child, role=role, spacing=spacing,
                                     about=self.about(child)))

    def is_code(self, run: Any) -> bool:
        rpr = run.find(W_RPR)
        if rpr is None:
            return False
        style = rpr.find(_w("rStyle"))
        if style is not None and self.context.is_code(style.get(W_VAL, "")):
            return True
        fonts = rpr.find(_w("rFonts"))
        font = (fonts.get(_w("ascii")) or fonts.get(_w("hAnsi")) or "") if fonts is not None else ""
        return font.lower() in _MONOSPACE

    def about(self, element: Any) -> str:
        local = element.tag.rpartition("}")[2] if isinstance(element.tag, str) else "comment"
        if local == "br":
            kind = element.get(_w("type"), "textWrapping")
            return {"page": "page break", "column": "column break"}.get(kind, "line break")
        if local == "fldChar":
            return f"field {element.get(_w('fldCharType'), '')}".strip()
        if local == "instrText":
            return f"field code {' '.join((element.text or '').split())}"
        if local in ("footnoteReference", "endnoteReference", "commentReference"):
            return f"{_ABOUT[local]} {element.get(_w('id'), '')}".strip()
        if local in ("bookmarkStart",):
            return f"bookmark {element.get(_w('name'), '')}".strip()
        if local in ("del", "moveFrom"):
            deleted = "".join(t.text or "" for t in element.iter(_w("delText"), W_T))
            return f"{_ABOUT[local]} by {element.get(_w('author'), 'someone')}: {deleted!r}"
        if local == "drawing" and any(True for _ in element.iter(_w("txbxContent"))):
            return "text box"
        return _ABOUT.get(local, local)

    def finish(self) -> list[Piece]:
        return _pair_fields(self.pieces)


def _field_char(piece: Piece) -> str:
    element = piece.element
    if element is None or not isinstance(element.tag, str):
        return ""
    if element.tag == _w("fldChar"):
        return element.get(_w("fldCharType"), "")
    if element.tag == _w("instrText"):
        return "code"
    return ""


def _pair_fields(pieces: list[Piece]) -> list[Piece]:
    """Complex fields whose begin, separate and end sit in one container become a frame around
    their result: the field code travels with the pair, untouched."""
    found: list[tuple[int, int, int]] = []
    stack: list[list[int]] = []  # [begin, separate or -1]
    for i, piece in enumerate(pieces):
        kind = _field_char(piece)
        if kind == "begin":
            stack.append([i, -1])
        elif kind == "separate" and stack:
            stack[-1][1] = i
        elif kind == "end" and stack:
            begin, separate = stack.pop()
            if separate >= 0:
                found.append((begin, separate, i))
    accepted: list[tuple[int, int, int]] = []
    for begin, separate, end in sorted(found):
        if any(b <= begin <= s for b, s, _ in accepted):
            continue  # a field inside another's code is part of that code
        outer = pieces[begin].path
        code = pieces[begin:separate + 1]
        result = pieces[separate + 1:end]
        if (any(p.path != outer or p.text is not None for p in code) or pieces[end].path != outer
                or any(p.path[:len(outer)] != outer for p in result)):
            continue
        inside = {p.path[len(outer)] for p in result if len(p.path) > len(outer)}
        outside = pieces[:begin] + pieces[end + 1:]
        if any(len(p.path) > len(outer) and p.path[len(outer)] in inside for p in outside):
            continue
        accepted.append((begin, separate, end))
    if not accepted:
        return pieces
    frames: dict[int, Frame] = {}
    for begin, separate, end in accepted:
        code_text = " ".join("".join(p.element.text or "" for p in pieces[begin:separate + 1]
                                     if _field_char(p) == "code").split())
        frames[begin] = Frame("field", None, about=f"field {code_text}".strip(),
                              opening=pieces[begin:separate + 1], closing=[pieces[end]])
    removed = {i for b, s, e in accepted for i in [*range(b, s + 1), e]}
    out: list[Piece] = []
    for i, piece in enumerate(pieces):
        if i in removed:
            continue
        enclosing = [(b, frames[b]) for b, s, e in accepted if s < i < e]
        path = piece.path
        for k, (b, frame) in enumerate(enclosing):  # outermost first (sorted by begin)
            at = len(pieces[b].path) + k
            path = path[:at] + (frame,) + path[at:]
        if path is not piece.path:
            piece = Piece(path, piece.run, piece.text, piece.element, piece.role, piece.spacing, piece.about)
        out.append(piece)
    return out


# -- pieces back into a paragraph -----------------------------------------------------------------


class _Builder:
    """Writes rendered pieces into an emptied paragraph: runs from their frames, containers
    copied, atoms moved."""

    def __init__(self, paragraph: Any) -> None:
        self.paragraph = paragraph
        self.stack: list[tuple[Frame, Any]] = []
        self.last_run: Any = None
        self.last_key: Any = None

    @property
    def parent(self) -> Any:
        return self.stack[-1][1] if self.stack else self.paragraph

    def sync(self, path: tuple[Frame, ...]) -> None:
        common = 0
        while common < len(self.stack) and common < len(path) and self.stack[common][0] is path[common]:
            common += 1
        while len(self.stack) > common:
            frame, _ = self.stack.pop()
            if frame.kind == "field":
                for piece in frame.closing:
                    self.atom(piece.run, piece.element)
        for frame in path[common:]:
            if frame.kind == "field":
                for piece in frame.opening:
                    self.atom(piece.run, piece.element)
                self.stack.append((frame, self.parent))
                continue
            element = etree.SubElement(self.parent, frame.element.tag, attrib=dict(frame.element.attrib))
            for prop in frame.props:
                element.append(copy.deepcopy(prop))
            inner = etree.SubElement(element, frame.content_tag) if frame.content_tag else element
            self.stack.append((frame, inner))

    def put(self, piece: OutPiece) -> None:
        self.sync(piece.path)
        if piece.text is not None:
            self.text(piece.run, piece.text)
        else:
            self.atom(piece.run, piece.element)

    def run(self, frame: Frame | None, mergeable: bool) -> Any:
        key = frame.key if frame is not None else None
        parent = self.parent
        if (mergeable and self.last_run is not None and len(parent) and parent[-1] is self.last_run
                and self.last_key == key):
            return self.last_run
        run = etree.SubElement(parent, W_R, attrib=dict(frame.element.attrib) if frame is not None else {})
        rpr = frame.element.find(W_RPR) if frame is not None else None
        if rpr is not None:
            run.append(copy.deepcopy(rpr))
        self.last_run, self.last_key = (run, key) if mergeable else (None, None)
        return run

    def text(self, frame: Frame | None, text: str) -> None:
        run = self.run(frame, True)
        for part in re.split(r"(\t|\n)", text):
            if part == "\t":
                etree.SubElement(run, W_TAB)
            elif part == "\n":
                etree.SubElement(run, W_BR)
            elif part:
                last = run[-1] if len(run) else None
                if last is not None and last.tag == W_T:
                    part = (last.text or "") + part
                else:
                    last = etree.SubElement(run, W_T)
                last.text = part
                if part[0].isspace() or part[-1].isspace() or "  " in part:
                    last.set(_XML_SPACE, "preserve")

    def atom(self, frame: Frame | None, element: Any) -> None:
        element.tail = None
        if frame is None:
            self.parent.append(element)
            self.last_run = None
            return
        mergeable = isinstance(element.tag, str) and element.tag in _MERGEABLE
        self.run(frame, mergeable).append(element)


# -- the adapter ----------------------------------------------------------------------------------


class DocxAdapter(OfficeAdapter):
    """Word .docx: body, headers, footers, notes, comments and text boxes, paragraph by paragraph."""

    name = "docx"
    suffixes = (".docx",)
    what = "Word document (.docx)"

    def inspect(self, package: Package) -> tuple[list[str], list[str], Any]:
        name = package.name
        if not package.has("[Content_Types].xml"):
            raise InputError(f"{name}: not a Word document (.docx): the archive has no "
                             "[Content_Types].xml; save it from Word as a .docx file")
        types = parse_xml(package.read("[Content_Types].xml"), name, "[Content_Types].xml").getroot()
        context = _Context(package, name)
        text_parts: list[tuple[int, str]] = []
        language_parts: list[str] = []
        order = {member: k for k, member in enumerate(package.names())}
        for override in types.iter(f"{{{_CT}}}Override"):
            part = override.get("PartName", "").lstrip("/")
            content_type = override.get("ContentType", "")
            match = _CONTENT_TYPE.fullmatch(content_type)
            if not package.has(part):
                continue
            if match and match.group(1) in _TEXT_TYPES:
                kind = _TEXT_TYPES[match.group(1)]
                context.kinds[part] = kind
                text_parts.append((0 if kind == "body" else 1 + order[part], part))
            elif (match and match.group(1) in ("styles", "settings")) or content_type == _CORE:
                language_parts.append(part)
        if not any(kind == "body" for kind in context.kinds.values()):
            strict = package.has("word/document.xml") and _STRICT_W.encode() in package.read("word/document.xml")[:4000]
            hint = ("it is saved as Strict Open XML; save it as a Word Document (.docx)" if strict
                    else "save it from Word as a .docx file")
            raise InputError(f"{name}: not a Word document (.docx): no main document part; {hint}")
        for part in language_parts:
            if part.endswith("styles.xml") and "styles" in part:
                self._read_styles(context, part)
        return [part for _, part in sorted(text_parts)], language_parts, context

    def _read_styles(self, context: _Context, part: str) -> None:
        root = parse_xml(context.package.read(part), context.name, part).getroot()
        for style in root.iter(_w("style")):
            style_id = style.get(_w("styleId"), "")
            name = style.find(_w("name"))
            based = style.find(_w("basedOn"))
            outline = style.find(f"{W_PPR}/{_w('outlineLvl')}")
            context.styles[style_id] = (name.get(W_VAL, "") if name is not None else "",
                                        based.get(W_VAL) if based is not None else None,
                                        outline is not None and outline.get(W_VAL, "9") not in ("9",))

    def paragraphs(self, tree: Any, part: str, context: Any, lang: str) -> Iterator[Paragraph]:
        dialect = _Dialect(context)
        root = tree.getroot()
        if root.tag.startswith(f"{{{_STRICT_W}}}"):
            raise InputError(f"{context.name}: saved as Strict Open XML; save it as a Word Document (.docx)")
        part_kind = context.kinds.get(part, "body")
        for element in list(root.iter(W_P)):
            style = element.find(f"{W_PPR}/{_w('pStyle')}")
            style_id = style.get(W_VAL, "") if style is not None else ""
            if style_id and context.is_code(style_id):
                continue
            flattener = _Flattener(context, part)
            flattener.walk(element, ())
            block = richtext.analyse(flattener.finish(), dialect, lang)
            yield Paragraph(element, self._kind(element, part_kind, style_id, context), block)

    @staticmethod
    def _kind(element: Any, part_kind: str, style_id: str, context: _Context) -> str:
        ancestors = {a.tag for a in element.iterancestors()}
        if _w("txbxContent") in ancestors:
            return "text_box"
        if part_kind != "body":
            return part_kind
        if _w("tc") in ancestors:
            return "table_cell"
        if (style_id and context.is_heading(style_id)) or element.find(f"{W_PPR}/{_w('outlineLvl')}") is not None:
            return "heading"
        if element.find(f"{W_PPR}/{_w('numPr')}") is not None:
            return "list_item"
        return "paragraph"

    def build(self, paragraph: Paragraph, pieces: list[OutPiece], context: Any) -> None:
        element = paragraph.element
        for child in list(element):
            if child.tag != W_PPR:
                element.remove(child)
        builder = _Builder(element)
        for piece in pieces:
            builder.put(piece)
        builder.sync(())

    def retag(self, tree: Any, part: str, source: str, target: str) -> bool:
        language, region = language_tag(target)
        value = f"{language}-{region}" if region else language
        root = tree.getroot()
        changed = False

        def put(element: Any, attribute: str, new: str) -> None:
            nonlocal changed
            if element.get(attribute) != new:
                element.set(attribute, new)
                changed = True

        if root.tag == _w("styles"):
            defaults = root.find(f"{_w('docDefaults')}/{_w('rPrDefault')}")
            if defaults is not None:
                rpr = defaults.find(W_RPR)
                if rpr is None:
                    rpr = etree.SubElement(defaults, W_RPR)
                lang_element = rpr.find(W_LANG)
                if lang_element is None:
                    lang_element = etree.SubElement(rpr, W_LANG)
                put(lang_element, W_VAL, value)
                if language in CJK:
                    put(lang_element, _w("eastAsia"), value)
        if root.tag == _w("settings"):
            theme = root.find(_w("themeFontLang"))
            if theme is not None:
                put(theme, W_VAL, value)
                if language in CJK:
                    put(theme, _w("eastAsia"), value)
        for element in root.iter(W_LANG):
            current = element.get(W_VAL)
            if current is not None and primary(current) == primary(source):
                put(element, W_VAL, value)
            if language in CJK and element.get(_w("eastAsia")) is not None:
                put(element, _w("eastAsia"), value)
        for element in root.iter(f"{{{_DC}}}language"):
            if (element.text or "") != value:
                element.text = value
                changed = True
        return changed


ADAPTER = DocxAdapter()
