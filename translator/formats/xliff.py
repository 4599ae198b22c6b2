"""XLIFF 1.2 and 2.0 (.xlf, .xliff): every translatable unit's target filled, the rest of the
file as it was, byte for byte.

An XLIFF file comes in like a .po file: it is the exchange format itself, so the output is the
same file with its targets filled (`OUT/LANG/NAME.xlf`), beside the usual review catalog.

What is a segment. XLIFF 1.2: each `<trans-unit>`'s `<source>`, or, when the unit is segmented
(`<seg-source>` with `<mrk mtype="seg">`), each of those segments; XLIFF 2.0: each `<segment>`'s
`<source>`. Each is cut into sentences (`translator.formats.tagged`), one review-catalog entry
each. Inline codes become markers with what they are in the catalog note: pairs (1.2 `<g>` and
`<mrk>`, 2.0 `<pc>` and `<mrk>`) `<N>...</N>`, the rest (`<x/> <bx/> <ex/> <bpt> <ept> <ph>
<it>`, 2.0 `<sc/> <ec/> <ph/> <sm/> <em/> <cp/>`) `<N/>`, and every one is written back as it
was in the source, ids and all. A `<mrk mtype="protected">` (1.2) or `<mrk translate="no">`
(2.0) is one `<N/>` with its content: the model never sees that text.

What is never sent to the model: units with `translate="no"` (on the unit or a group or file
around it), and targets a person approved: 1.2 `approved="yes"` or `state="final"` /
`"signed-off"`, SDL's per-segment `conf="ApprovedTranslation"`/`"ApprovedSignOff"` or
`locked="true"`; 2.0 `state="reviewed"` / `"final"`. Those stay byte for byte. Approved targets
are in the file's target language: rendering the file into another language is refused (their
translation would be lost), so translate such a file into its own target language.

What a filled target says. 1.2: `state="needs-review-translation"
state-qualifier="mt-suggestion"`; 2.0: `state="initial"` (the specification's state for a
target no person has worked on) with `subState="translator:mt"`. A unit with nothing to
translate (only codes or numbers) and no target gets a copy of its source. `target-language`
(1.2, every `<file>`) and `trgLang` (2.0) are set to the run's language, unless they already
name a variant of it (es-419 stays es-419 for a run into es); a target's own `xml:lang` too.
Segmented 1.2 targets keep their `<mrk mtype="seg" mid="...">` skeleton: each mrk is filled;
when the target lacks one, the whole target is made from the `<seg-source>`.

How render works: by editing the original text, never by serialising a tree. lxml reads the file
(safely: no DTD loading, no entity resolution, no network, no huge trees; a DOCTYPE with an
internal subset is refused before lxml sees it) to know what everything is; a scan of the same
text finds where each element starts and ends; render splices the new targets and attributes in
at those offsets. So comments, whitespace, attribute order and quotes, namespace prefixes, CDATA,
entities, base64 skeletons and every extension element stay exactly as they were, without a
proof that a serialiser changed nothing. A sentence whose translation is its own text is copied
as written (its entities, line breaks and all).

Files may be UTF-8 (with or without a byte-order mark), UTF-16 or any encoding their XML
declaration names; the output keeps it.
"""
from __future__ import annotations

import bisect
import codecs
import dataclasses
import itertools
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Literal

from ..document import Document, Segment
from ..errors import InputError
from .tagged import Decoded, Slot, Tag, fill_escaped, sentences

if TYPE_CHECKING:
    from lxml import etree

__all__ = ["Xliff"]

NS12 = "urn:oasis:names:tc:xliff:document:1.2"
NS2_PREFIX = "urn:oasis:names:tc:xliff:document:2."
SDL = "http://sdl.com/FileTypes/SdlXliff/1.0"
ITS = "http://www.w3.org/2005/11/its"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"

APPROVED_12 = frozenset({"final", "signed-off"})
APPROVED_2 = frozenset({"reviewed", "final"})
SDL_APPROVED = frozenset({"ApprovedTranslation", "ApprovedSignOff"})
MT_STATE_12 = (("state", "needs-review-translation"), ("state-qualifier", "mt-suggestion"))
MT_STATE_2 = (("state", "initial"), ("subState", "translator:mt"))

_MARKUP = re.compile(
    r"<!--.*?-->|<!\[CDATA\[.*?\]\]>|<\?.*?\?>"
    r"""|<!(?:[^>"'\[]|"[^"]*"|'[^']*'|\[.*?\])*>"""
    r"|</[^>]*>"
    r"""|<(?:[^>"']|"[^"]*"|'[^']*')*>""",
    re.DOTALL,
)
_NAME = re.compile(r"</?([^\s/>]+)")
_TAG_END = re.compile(r"\s*/?>\Z")
_ATTRIBUTE = re.compile(r"""(\s+)([^\s=/>]+)(\s*=\s*)(?:"([^"]*)"|'([^']*)')""")
_REFERENCE = re.compile(r"&(#[0-9]+|#x[0-9a-fA-F]+|[A-Za-z_][\w.-]*);|<!\[CDATA\[(.*?)\]\]>",
                        re.DOTALL)
_PREDEFINED = {"amp": "&", "lt": "<", "gt": ">", "quot": '"', "apos": "'"}
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
_DECLARED_ENCODING = re.compile(rb"""<\?xml[^>]*?encoding\s*=\s*["']([A-Za-z0-9._-]+)["']""")


# -- where things are in the text ---------------------------------------------------------------


@dataclass
class _Node:
    """An element, comment or processing instruction, by its offsets in the text."""

    kind: str  # "element" | "comment" | "pi"
    name: str  # qualified name as written ("sdl:seg"); "" for comments and PIs
    start: int
    open_end: int  # just past the start tag (for comments and PIs: `end`)
    close_start: int  # where the end tag starts (an empty element: `open_end`)
    end: int
    empty: bool = False


def _scan(text: str) -> list[_Node]:
    """Every element, comment and PI of a well-formed document, in document order."""
    nodes: list[_Node] = []
    stack: list[_Node] = []
    pos = text.find("<")
    while pos >= 0:
        m = _MARKUP.match(text, pos)
        if m is None:
            raise ValueError(f"unreadable markup at offset {pos}")
        token = m.group(0)
        if token.startswith("<!--"):
            nodes.append(_Node("comment", "", m.start(), m.end(), m.end(), m.end()))
        elif token.startswith("<?"):
            nodes.append(_Node("pi", "", m.start(), m.end(), m.end(), m.end()))
        elif token.startswith("<!"):
            pass  # CDATA (text) or the DOCTYPE
        elif token.startswith("</"):
            node = stack.pop()
            node.close_start, node.end = m.start(), m.end()
        else:
            name = _NAME.match(token)
            empty = token.endswith("/>")
            node = _Node("element", name.group(1) if name else "", m.start(), m.end(), m.end(),
                         m.end(), empty)
            nodes.append(node)
            if not empty:
                stack.append(node)
        pos = text.find("<", m.end())
    return nodes


def _decode_xml(raw: str, start: int, end: int, into: Decoded) -> None:
    """XML character data without its syntax: references decoded, CDATA unwrapped."""
    at = start
    for m in _REFERENCE.finditer(raw, start, end):
        into.add_plain(at, raw[at:m.start()])
        if m.group(2) is not None:  # CDATA: its content, as it is
            into.add_plain(m.start(2), m.group(2))
        else:
            ref = m.group(1)
            if ref.startswith("#x"):
                char = chr(int(ref[2:], 16))
            elif ref.startswith("#"):
                char = chr(int(ref[1:]))
            else:
                char = _PREDEFINED.get(ref, m.group(0))
            if len(char) == 1:
                into.add_coded(m.start(), m.end(), char)
            else:
                into.add_plain(m.start(), char)
        at = m.end()
    into.add_plain(at, raw[at:end])


def _escape(text: str) -> str:
    text = _NOT_XML.sub("", text)
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _escape_attribute(text: str) -> str:
    return _escape(text).replace('"', "&quot;")


# -- the state render works from ----------------------------------------------------------------


@dataclass(frozen=True)
class _Content:
    """What a target gets: the source text of [start, end) with each slot translated."""

    start: int
    end: int
    slots: tuple[Slot, ...]


@dataclass(frozen=True)
class _Lang:
    """The target language as the `file`-th file writes it (None as `current`: not there)."""

    file: int
    current: str | None


@dataclass(frozen=True)
class _Edit:
    """Replace text[start:end] with the pieces; dropped when a `_Lang` in it has no value."""

    start: int
    end: int
    pieces: tuple[str | _Content | _Lang, ...]


@dataclass(frozen=True)
class _State:
    text: str
    codec: str
    bom: bytes
    edits: tuple[_Edit, ...]
    declared: tuple[str | None, ...]  # each file's target language as the file gave it
    approved: tuple[int, ...]  # each file's approved targets (kept; their language must match)


# -- reading ------------------------------------------------------------------------------------


_BOMS = ((codecs.BOM_UTF8, "utf-8"), (codecs.BOM_UTF32_LE, "utf-32-le"),
         (codecs.BOM_UTF32_BE, "utf-32-be"), (codecs.BOM_UTF16_LE, "utf-16-le"),
         (codecs.BOM_UTF16_BE, "utf-16-be"))


def _decode(data: bytes, name: str) -> tuple[str, str, bytes]:
    """The text, the codec it is written in and its byte-order mark."""
    bom, codec = next(((b, c) for b, c in _BOMS if data.startswith(b)), (b"", ""))
    if not codec:
        if data.startswith(b"<\x00"):
            codec = "utf-16-le"
        elif data.startswith(b"\x00<"):
            codec = "utf-16-be"
        else:
            declared = _DECLARED_ENCODING.match(data[:200])
            codec = declared.group(1).decode("ascii").lower() if declared else "utf-8"
    try:
        codec = codecs.lookup(codec).name
        text = data[len(bom):].decode(codec)
    except LookupError:
        raise InputError(f"{name}: its XML declaration names an unknown encoding {codec!r}; "
                         "save it as UTF-8") from None
    except UnicodeDecodeError as exc:
        raise InputError(f"{name} is not valid {codec} (bad byte at offset {exc.start}); "
                         "save it again as UTF-8") from None
    if not text.strip():
        raise InputError(f"{name} is empty; there is nothing to translate")
    return text, codec, bom


def _parse_xml(data: bytes, text: str, name: str) -> etree._Element:
    """The tree, read without DTDs, entities or network; InputError for anything else."""
    from lxml import etree

    prolog_end = _first_element(text)
    prolog = text[:prolog_end if prolog_end >= 0 else len(text)]
    if "<!ENTITY" in prolog or re.search(r"<!DOCTYPE[^>\[]*\[", prolog):
        raise InputError(f"{name}: it declares its own entities (a DOCTYPE with an internal "
                         "subset), which XLIFF never needs and translator never expands; "
                         "remove the DOCTYPE")
    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False,
                             huge_tree=False, remove_blank_text=False, remove_comments=False,
                             remove_pis=False, strip_cdata=False, recover=False)
    try:
        root = etree.fromstring(data, parser)
    except etree.XMLSyntaxError as exc:
        raise InputError(f"{name}: not well-formed XML ({exc}); fix the file in an XLIFF "
                         "editor and translate it again") from None
    except ValueError as exc:
        raise InputError(f"{name}: cannot be read as XML ({exc})") from None
    return root


def _first_element(text: str) -> int:
    """Offset of the root element's start tag (-1 when there is none)."""
    pos = text.find("<")
    while pos >= 0:
        m = _MARKUP.match(text, pos)
        if m is None:
            return -1
        token = m.group(0)
        if not token.startswith(("<!", "<?")):
            return pos
        pos = text.find("<", m.end())
    return -1


def _local(element: Any) -> str:
    tag = element.tag
    return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else ""


def _namespace(element: Any) -> str:
    tag = element.tag
    return tag[1:].split("}", 1)[0] if isinstance(tag, str) and tag.startswith("{") else ""


class _Reader:
    """One file read into segments and the edits that fill its targets."""

    def __init__(self, text: str, root: Any, name: str, lang: str) -> None:
        self.text = text
        self.name = name
        self.lang = lang
        self.namespace = _namespace(root)
        self.line_starts = [0] + [m.end() for m in re.finditer(r"\r\n|\r|\n", text)]
        self.segments: list[Segment] = []
        self.slots: list[Slot] = []
        self.edits: list[_Edit] = []
        self.declared: list[str | None] = []
        self.approved: list[int] = []
        self.nodes = self._nodes(root)

    def _nodes(self, root: Any) -> dict[Any, _Node]:
        """Each lxml node with its offsets: the scan's nodes inside the root, zipped in order."""
        try:
            scanned = _scan(self.text)
        except (ValueError, IndexError):
            raise InputError(f"{self.name}: its markup could not be located; "
                             "save it again from an XLIFF editor") from None
        root_at = next((k for k, n in enumerate(scanned) if n.kind == "element"), 0)
        inside = [n for n in scanned[root_at:] if n.end <= scanned[root_at].end]
        from lxml import etree

        tree = list(root.iter())
        if len(tree) != len(inside):
            raise InputError(f"{self.name}: its markup could not be located "
                             f"({len(tree)} nodes read, {len(inside)} found); "
                             "save it again from an XLIFF editor")
        nodes: dict[Any, _Node] = {}
        for element, node in zip(tree, inside):
            kind = "element" if isinstance(element.tag, str) else \
                "comment" if isinstance(element, etree._Comment) else "pi"
            if kind != node.kind or (kind == "element"
                                     and node.name.rsplit(":", 1)[-1] != _local(element)):
                raise InputError(f"{self.name}: its markup could not be located (at line "
                                 f"{self.line(node.start)}); save it again from an XLIFF editor")
            nodes[element] = node
        self._tree = tree  # keeps lxml's proxies (the dictionary's keys) alive
        return nodes

    def line(self, offset: int) -> int:
        return bisect.bisect_right(self.line_starts, offset)

    # -- helpers on elements --------------------------------------------------------------

    def children(self, element: Any, local: str) -> list[Any]:
        return [c for c in element if _local(c) == local and _namespace(c) == self.namespace]

    def child(self, element: Any, local: str) -> Any:
        found = self.children(element, local)
        return found[0] if found else None

    def has_content(self, element: Any) -> bool:
        node = self.nodes[element]
        return not node.empty and bool(self.text[node.open_end:node.close_start].strip())

    def prefix(self, element: Any) -> str:
        qname = self.nodes[element].name
        return qname.rsplit(":", 1)[0] + ":" if ":" in qname else ""

    # -- inline content -------------------------------------------------------------------

    def content(self, element: Any, version: int) -> _Content:
        """A source (or segment mrk) as sentences: its segments added, its slots returned."""
        node = self.nodes[element]
        if node.empty:
            return _Content(node.open_end, node.open_end, ())
        tags = self.inline_tags(element, version)
        found = sentences(self.text, node.open_end, node.close_start, tags, _decode_xml, self.lang)
        slots = []
        for sentence in found:
            slots.append(Slot(sentence.start, sentence.end, len(self.segments)))
            self.segments.append(Segment(sentence.text, self.line(sentence.start), "unit",
                                         sentence.tags))
        self.slots += slots
        return _Content(node.open_end, node.close_start, tuple(slots))

    def inline_tags(self, element: Any, version: int) -> list[Tag]:
        tags: list[Tag] = []

        def walk(parent: Any) -> None:
            for child in parent:
                node = self.nodes[child]
                if node.kind != "element":
                    tags.append(Tag(node.start, node.end, "empty", None,
                                    "XML comment" if node.kind == "comment" else "XML instruction"))
                    continue
                about = self.about(child)
                if self.is_pair(child, version) and not node.empty:
                    opening = len(tags)
                    tags.append(Tag(node.start, node.open_end, "open", None, about))
                    walk(child)
                    tags.append(Tag(node.close_start, node.end, "close", opening, about))
                    tags[opening] = dataclasses.replace(tags[opening], partner=len(tags) - 1)
                else:
                    tags.append(Tag(node.start, node.end, "empty", None, about))

        walk(element)
        return tags

    def is_pair(self, element: Any, version: int) -> bool:
        """An inline element whose content is text to translate (the others are codes)."""
        if _namespace(element) != self.namespace:
            return False
        if element.get(f"{{{ITS}}}translate") == "no":
            return False
        local = _local(element)
        if version == 1:
            return local == "g" or (local == "mrk" and element.get("mtype") != "protected")
        return local == "pc" or (local == "mrk" and element.get("translate") != "no")

    @staticmethod
    def about(element: Any) -> str:
        """What an inline code is, for the reviewer: its name, id and type or display text."""
        local = _local(element)
        ident = element.get("id") or element.get("mid") or element.get("startRef") or ""
        details = [element.get(a) for a in ("ctype", "type", "subType", "mtype", "equiv-text",
                                            "equiv", "equivStart", "disp", "dispStart")]
        shown = ", ".join(d for d in details if d)
        label = f"{local} {ident}".strip()
        return f"{label} ({shown})" if shown else label

    # -- edits ----------------------------------------------------------------------------

    def set_attributes(self, element: Any, values: Sequence[tuple[str, str | _Lang]]) -> None:
        """An edit of the element's start tag: each attribute set (added when missing)."""
        node = self.nodes[element]
        self.edits.append(_Edit(node.start, node.open_end,
                                _start_tag(self.text[node.start:node.open_end], values)))

    def fill(self, element: Any, content: _Content,
             values: Sequence[tuple[str, str | _Lang]] = ()) -> None:
        """Put `content` into an existing element (its start tag's attributes set too)."""
        node = self.nodes[element]
        if node.empty:
            tag = _start_tag(self.text[node.start:node.open_end], values)
            self.edits.append(_Edit(node.start, node.end,
                                    (*_opened(tag), content, f"</{node.name}>")))
            return
        if values:
            self.set_attributes(element, values)
        self.edits.append(_Edit(node.open_end, node.close_start, (content,)))

    def insert_after(self, anchor: Any, like: Any, local: str, content: _Content,
                     values: Sequence[tuple[str, str]]) -> None:
        """A new element after `anchor`, on a line of its own when `like` has one."""
        node = self.nodes[anchor]
        at = self.nodes[like].start
        line_start = max(self.text.rfind("\n", 0, at), self.text.rfind("\r", 0, at)) + 1
        indent = self.text[line_start:at]
        newline = "\r\n" if self.text[line_start - 2:line_start] == "\r\n" else \
            self.text[line_start - 1:line_start]
        space = newline + indent if line_start and not indent.strip() else ""
        name = self.prefix(anchor) + local
        attributes = "".join(f' {k}="{_escape_attribute(v)}"' for k, v in values)
        self.edits.append(_Edit(node.end, node.end,
                                (f"{space}<{name}{attributes}>", content, f"</{name}>")))

    # -- XLIFF 1.2 ------------------------------------------------------------------------

    def read_12(self, root: Any) -> None:
        for file in root.iter(f"{{{self.namespace}}}file" if self.namespace else "file"):
            index = len(self.declared)
            self.declared.append(file.get("target-language"))
            self.approved.append(0)
            self.set_attributes(file, [("target-language", _Lang(index, file.get("target-language")))])
            for unit in file.iter(f"{{{self.namespace}}}trans-unit" if self.namespace else "trans-unit"):
                if not self.translatable_12(unit, file):
                    continue
                self.unit_12(unit, index)

    @staticmethod
    def translatable_12(unit: Any, file: Any) -> bool:
        element = unit
        while element is not None and element is not file:
            if element.get("translate") == "no":
                return False
            element = element.getparent()
        return True

    def unit_12(self, unit: Any, file: int) -> None:
        source = self.child(unit, "source")
        if source is None:
            return
        target = self.child(unit, "target")
        seg_source = self.child(unit, "seg-source")
        approved = unit.get("approved") == "yes" or (
            target is not None and target.get("state") in APPROVED_12)
        if approved and target is not None and self.has_content(target):
            self.approved[file] += 1
            return
        language = self.target_language(target, file)
        marks = [m for m in seg_source.iter(f"{{{self.namespace}}}mrk" if self.namespace else "mrk")
                 if m.get("mtype") == "seg"] if seg_source is not None else []
        if not marks:
            content = self.content(source, 1)
            anchor = source if seg_source is None else seg_source
            self.write_target(unit, target, anchor, source, content, language)
            return
        target_marks = {} if target is None else {
            m.get("mid"): m for m in target.iter(f"{{{self.namespace}}}mrk" if self.namespace else "mrk")
            if m.get("mtype") == "seg"}
        if target is not None and all(m.get("mid") in target_marks for m in marks):
            kept = self.sdl_kept(unit)
            machine = False
            for mark in marks:
                mid = mark.get("mid")
                if mid in kept and self.has_content(target_marks[mid]):
                    self.approved[file] += 1
                    continue
                content = self.content(mark, 1)
                if content.slots or not self.has_content(target_marks[mid]):
                    self.fill(target_marks[mid], content)
                    machine = machine or bool(content.slots)
            if machine:
                self.set_attributes(target, [*MT_STATE_12, *language])
            return
        contents = [self.content(mark, 1) for mark in marks]
        node = self.nodes[seg_source]
        whole = _Content(node.open_end, node.close_start,
                         tuple(slot for content in contents for slot in content.slots))
        self.write_target(unit, target, seg_source, source, whole, language)

    def sdl_kept(self, unit: Any) -> set[str]:
        """The mids of segments SDL Trados marks approved or locked."""
        kept = set()
        for seg in unit.iter(f"{{{SDL}}}seg"):
            if seg.get("conf") in SDL_APPROVED or seg.get("locked") == "true":
                kept.add(seg.get("id"))
        return kept

    def target_language(self, target: Any, file: int) -> list[tuple[str, str | _Lang]]:
        """The target's own xml:lang, to be set to the run's language, when it has one."""
        if target is not None and target.get(XML_LANG) is not None:
            return [("xml:lang", _Lang(file, target.get(XML_LANG)))]
        return []

    def write_target(self, unit: Any, target: Any, anchor: Any, like: Any, content: _Content,
                     language: list[tuple[str, str | _Lang]]) -> None:
        """Fill the unit's target (1.2), or add one after `anchor`."""
        state = MT_STATE_12 if content.slots else ()
        if target is None:
            self.insert_after(anchor, like, "target", content, state)
        elif content.slots:
            self.fill(target, content, [*state, *language])
        elif not self.has_content(target):
            self.fill(target, content)

    # -- XLIFF 2.0 ------------------------------------------------------------------------

    def read_2(self, root: Any) -> None:
        self.declared.append(root.get("trgLang"))
        self.approved.append(0)
        self.set_attributes(root, [("trgLang", _Lang(0, root.get("trgLang")))])
        for unit in root.iter(f"{{{self.namespace}}}unit"):
            if any(e.get("translate") == "no" for e in (unit, *unit.iterancestors())):
                continue
            for segment in self.children(unit, "segment"):
                self.segment_2(segment)

    def segment_2(self, segment: Any) -> None:
        source = self.child(segment, "source")
        if source is None:
            return
        target = self.child(segment, "target")
        if segment.get("state") in APPROVED_2 and target is not None and self.has_content(target):
            self.approved[0] += 1
            return
        content = self.content(source, 2)
        if target is None:
            self.insert_after(source, source, "target", content, ())
        elif content.slots:
            self.fill(target, content, self.target_language(target, 0))
        elif not self.has_content(target):
            self.fill(target, content)
        if content.slots:
            self.set_attributes(segment, MT_STATE_2)


def _start_tag(tag: str, values: Sequence[tuple[str, str | _Lang]]) -> tuple[str | _Lang, ...]:
    """A start tag with attributes set: pieces of text and `_Lang`s."""
    pieces: list[str | _Lang] = []
    at = 0
    wanted = dict(values)
    for m in _ATTRIBUTE.finditer(tag):
        name = m.group(2)
        if name in wanted:
            quote_at = m.end(3)
            pieces.append(tag[at:quote_at + 1])
            pieces.append(_value(wanted.pop(name)))
            at = m.end() - 1
    end = _TAG_END.search(tag).start()  # type: ignore[union-attr]  # a tag ends in ">"
    pieces.append(tag[at:end])
    for name, value in wanted.items():
        pieces += [f' {name}="', _value(value), '"']
    pieces.append(tag[end:])
    return tuple(pieces)


def _value(value: str | _Lang) -> str | _Lang:
    return value if isinstance(value, _Lang) else _escape_attribute(value)


def _opened(pieces: tuple[str | _Lang, ...]) -> tuple[str | _Lang, ...]:
    """An empty element's start tag (`<x .../>`) as a start tag (`<x ...>`)."""
    last = pieces[-1]
    assert isinstance(last, str)
    return (*pieces[:-1], re.sub(r"\s*/>\Z", ">", last))


def _target_value(lang: str, declared: str | None) -> str:
    """The run's language as XLIFF writes it (BCP 47); a declared variant of it is kept."""
    tag = lang.replace("_", "-")
    if declared:
        same = declared.split("-")[0].lower() == tag.split("-")[0].lower()
        if same and ("-" not in tag or declared.lower() == tag.lower()):
            return declared
    return tag


class Xliff:
    name = "xliff"
    suffixes = (".xlf", ".xliff")
    kind: Literal["document"] = "document"

    def parse(self, data: bytes, name: str, *, lang: str = "en") -> Document:
        text, codec, bom = _decode(data, name)
        root = _parse_xml(data, text, name)
        namespace = _namespace(root)
        if _local(root) != "xliff":
            raise InputError(f"{name}: not an XLIFF file (its root element is <{_local(root)}>); "
                             "give an XLIFF 1.2 or 2.0 file")
        if namespace.startswith(NS2_PREFIX):
            version = 2
        elif namespace == NS12 or (not namespace and (root.get("version") or "1").startswith("1")):
            version = 1
        else:
            raise InputError(f"{name}: XLIFF in the namespace {namespace!r} is not supported; "
                             "give an XLIFF 1.2 or 2.0 file")
        reader = _Reader(text, root, name, lang)
        if version == 1:
            reader.read_12(root)
        else:
            reader.read_2(root)
        edits = sorted(reader.edits, key=lambda e: (e.start, e.end))
        for before, after in itertools.pairwise(edits):
            if after.start < before.end:
                raise AssertionError(f"{name}: overlapping edits at {before.start}, {after.start}")
        parts: list[str | Segment] = []
        done = 0
        for number, slot in enumerate(reader.slots):  # read in document order
            if slot.index != number or slot.start < done:
                raise AssertionError(f"{name}: segments out of document order")
            parts += [text[done:slot.start], reader.segments[slot.index]]
            done = slot.end
        parts.append(text[done:])
        return Document(name, self.name, [p for p in parts if p != ""],
                        _State(text, codec, bom, tuple(edits), tuple(reader.declared),
                               tuple(reader.approved)))

    def render(self, document: Document, translations: Sequence[str], *,
               lang: str | None = None) -> bytes:
        state = document.state
        if not isinstance(state, _State):
            raise ValueError(f"{document.name}: not parsed by the XLIFF adapter")
        segments = document.segments()
        if len(translations) != len(segments):
            raise ValueError(f"{document.name}: {len(translations)} translations for "
                             f"{len(segments)} segments")
        values: list[str | None] = list(state.declared)
        if lang:
            for declared, approved in zip(state.declared, state.approved):
                if approved and declared and _target_value(lang, declared) != declared:
                    raise InputError(
                        f"{document.name}: {approved} target(s) a person approved are in "
                        f"{declared}; translating into {lang} would lose them: translate it "
                        f"into {declared.split('-')[0]}, or remove those targets first")
            values = [_target_value(lang, declared) for declared in state.declared]
        text = state.text
        out: list[str] = []
        done = 0
        for edit in state.edits:
            pieces: list[str] = []
            for piece in edit.pieces:
                if isinstance(piece, str):
                    pieces.append(piece)
                elif isinstance(piece, _Lang):
                    value = values[piece.file] if lang else piece.current
                    if value is None:
                        break
                    pieces.append(_escape_attribute(value))
                else:
                    pieces.append(self._content(text, piece, translations, segments))
            else:
                out += [text[done:edit.start], *pieces]
                done = edit.end
        out.append(text[done:])
        return state.bom + "".join(out).encode(state.codec, errors="xmlcharrefreplace")

    @staticmethod
    def _content(text: str, content: _Content, translations: Sequence[str],
                 segments: list[Segment]) -> str:
        out: list[str] = []
        done = content.start
        for slot in content.slots:
            out.append(text[done:slot.start])
            translation, segment = translations[slot.index], segments[slot.index]
            if translation == segment.text:
                out.append(text[slot.start:slot.end])  # as written: entities, line breaks
            else:
                out.append(fill_escaped(translation, segment.tags, _escape))
            done = slot.end
        out.append(text[done:content.end])
        return "".join(out)


ADAPTER = Xliff()
