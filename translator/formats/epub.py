"""EPUB (.epub): every spine document through the HTML adapter, the table of contents and the
book's title; the language declared as the target language; every other member as it was.

An EPUB is a zip: `mimetype` (first, stored), `META-INF/container.xml` naming the package
document (OPF), whose manifest lists the members and whose spine orders the reading documents.
What is translated, in reading order:
- the OPF's `dc:title`;
- each XHTML document of the spine, exactly as `translator.formats.html` translates a page
  (its `<html>` gets `lang` and `xml:lang`); the EPUB 3 navigation document too when the spine
  leaves it out;
- the EPUB 2 table of contents (NCX): the book title and every entry's `navLabel` text.
The OPF's first `dc:language` and the package's and NCX's `xml:lang` become the target language.

Each of those members is rewritten by replacing spans of its original text (the HTML adapter's
way), so its markup stays byte for byte; every other member (images, CSS, fonts) is copied
unchanged, in the original order and with its compression. `mimetype` is written first and
stored, as readers require.

Hostile archives are refused with one line: not a zip, not an EPUB (no `mimetype` saying so),
encrypted members, more than `MAX_MEMBERS` members, duplicate names, members that would unpack
to more than `MAX_RATIO` times the archive's size or `MAX_UNPACKED` bytes in all (a zip bomb;
reading never goes past a member's declared size), and package files that declare entities (a
DTD internal subset). XML is parsed by lxml with entity resolution, DTD loading and network
access off; entities in translated text are never expanded.
"""
from __future__ import annotations

import io
import posixpath
import re
import zipfile
import zlib
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal
from urllib.parse import unquote

from lxml import etree

from ..document import Document, Segment
from ..errors import InputError
from . import html as html_format

__all__ = ["ADAPTER", "MAX_MEMBERS", "MAX_RATIO", "MAX_UNPACKED", "Epub", "EpubState"]

MAX_RATIO = 100  # members may unpack to this many times the archive's size in all
MAX_UNPACKED = 1 << 30  # and to 1 GiB at most, whatever the archive's size
MAX_MEMBERS = 10_000

_CONTAINER_NS = "urn:oasis:names:tc:opendocument:xmlns:container"
_OPF_NS = "http://www.idpf.org/2007/opf"
_XHTML_TYPES = frozenset({"application/xhtml+xml"})
_NCX_TYPE = "application/x-dtbncx+xml"
_INTERNAL_SUBSET = re.compile(rb"<!DOCTYPE[^>\[]*\[", re.IGNORECASE)


@dataclass
class Member:
    """A member of the archive that has text to translate, parsed as the HTML adapter does."""

    path: str
    document: Document


@dataclass
class EpubState:
    """The archive as it came (members are copied from it) and the members rewritten."""

    data: bytes
    members: list[Member]


def _open(data: bytes, name: str) -> zipfile.ZipFile:
    """The archive, once it has passed every check a hostile file could fail."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, EOFError):
        raise InputError(f"{name} is not an EPUB (it is not a zip archive); "
                         "export the book again as EPUB") from None
    infos = archive.infolist()
    if len(infos) > MAX_MEMBERS:
        raise InputError(f"{name} has {len(infos)} members, more than the {MAX_MEMBERS} an EPUB "
                         "this tool reads may have; refusing it")
    names = [info.filename for info in infos]
    if len(set(names)) != len(names):
        twice = sorted({n for n in names if names.count(n) > 1})[0]
        raise InputError(f"{name} holds two members named {twice!r}; refusing an ambiguous archive")
    unpacked = sum(info.file_size for info in infos)
    limit = min(MAX_RATIO * len(data), MAX_UNPACKED)
    if unpacked > limit:
        raise InputError(f"{name} would unpack to {unpacked:,} bytes, more than {limit:,} "
                         f"({MAX_RATIO} times its size, at most {MAX_UNPACKED:,}); refusing a "
                         "possible zip bomb")
    encrypted = next((info.filename for info in infos if info.flag_bits & 0x1), None)
    if encrypted is not None:
        raise InputError(f"{name} is encrypted ({encrypted}); translate a copy without DRM")
    if "mimetype" not in names or _read(archive, "mimetype", name).strip() != b"application/epub+zip":
        raise InputError(f"{name} is not an EPUB (no mimetype member saying application/epub+zip); "
                         "export the book again as EPUB")
    return archive


def _read(archive: zipfile.ZipFile, path: str, name: str) -> bytes:
    try:
        return archive.read(path)
    except KeyError:
        raise InputError(f"{name} lacks {path}, which its package names; repair the EPUB") from None
    except (zipfile.BadZipFile, NotImplementedError, zlib.error, OSError, EOFError) as exc:
        raise InputError(f"{name}: its member {path} cannot be read ({exc}); repair the EPUB") from None


def _xml(data: bytes, label: str) -> etree._Element:
    """A package file parsed safely: no entities resolved, no DTD loaded, no network."""
    if _INTERNAL_SUBSET.search(data[:65536]):
        raise InputError(f"{label} declares entities (a DTD internal subset), which an EPUB's "
                         "package files never need; refusing it")
    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False,
                             dtd_validation=False, huge_tree=False)
    try:
        return etree.fromstring(data, parser)
    except etree.XMLSyntaxError as exc:
        raise InputError(f"{label} is not well-formed XML ({exc}); repair the EPUB") from None


def _resolve(base: str, href: str) -> str:
    """A manifest href (relative to the OPF, percent-encoded, maybe with a fragment) as a
    member path."""
    path = unquote(href.split("#", 1)[0])
    return posixpath.normpath(posixpath.join(posixpath.dirname(base), path))


@dataclass(frozen=True)
class _Item:
    path: str
    media_type: str
    properties: frozenset[str]


def _package(archive: zipfile.ZipFile, name: str) -> tuple[str, list[str], str | None]:
    """The OPF's path, the spine's XHTML documents (and the navigation document when the
    spine leaves it out), and the NCX's path."""
    container = _xml(_read(archive, "META-INF/container.xml", name), f"{name} (META-INF/container.xml)")
    rootfiles = container.findall(f".//{{{_CONTAINER_NS}}}rootfile")
    paths = [r.get("full-path") for r in rootfiles
             if r.get("media-type", "application/oebps-package+xml") == "application/oebps-package+xml"]
    if not paths or not paths[0]:
        raise InputError(f"{name}: META-INF/container.xml names no package document; repair the EPUB")
    opf_path = str(paths[0])
    opf = _xml(_read(archive, opf_path, name), f"{name} ({opf_path})")
    items: dict[str, _Item] = {}
    for item in opf.iterfind(f"{{{_OPF_NS}}}manifest/{{{_OPF_NS}}}item"):
        ident, href = item.get("id"), item.get("href")
        if ident and href:
            items[ident] = _Item(_resolve(opf_path, href), item.get("media-type", ""),
                                 frozenset(item.get("properties", "").split()))
    spine = opf.find(f"{{{_OPF_NS}}}spine")
    documents: list[str] = []
    if spine is not None:
        for ref in spine.iterfind(f"{{{_OPF_NS}}}itemref"):
            found = items.get(ref.get("idref", ""))
            if found is not None and found.media_type in _XHTML_TYPES and found.path not in documents:
                documents.append(found.path)
    nav = next((i.path for i in items.values() if "nav" in i.properties and i.media_type in _XHTML_TYPES),
               None)
    if nav is not None and nav not in documents:
        documents.append(nav)
    toc = items.get(spine.get("toc", "")) if spine is not None else None
    if toc is None:
        toc = next((i for i in items.values() if i.media_type == _NCX_TYPE), None)
    return opf_path, documents, toc.path if toc is not None else None


def _texts_of(text: str, label: str, fmt: str, encoding: str, lang: str,
              wanted: dict[str, frozenset[str]], language: dict[str, frozenset[str]]) -> Document:
    """A package file (OPF, NCX) with the text of the `wanted` elements as sentence slots and
    the text of the `language` elements, and the root's xml:lang, as the target language.

    Both map an element's local name to the local names of the parents it counts under. The
    spans come from the HTML adapter's tokenizer, so all else stays byte for byte.
    """
    builder = html_format.Builder(text, label, fmt, lang)
    stack: list[str] = []
    pos = 0
    root = True
    while pos < len(text):
        token = html_format.next_token(text, pos, cdata=True)
        pos = token.end
        if token.type == "end":
            local = token.name.rsplit(":", 1)[-1]
            if local in stack:
                del stack[len(stack) - 1 - stack[::-1].index(local):]
            continue
        if token.type != "start":
            continue
        local = token.name.rsplit(":", 1)[-1]
        if root:
            root = False
            xml_lang = html_format.attribute(token, "xml:lang")
            if xml_lang is not None and xml_lang.value_start >= 0:
                builder.lang_spot(xml_lang.value_start, xml_lang.value_end, "{}")
        parent = stack[-1] if stack else ""
        if token.self_closing:
            continue
        stack.append(local)
        inner = html_format.next_token(text, pos, cdata=True) if pos < len(text) else None
        closing = (html_format.next_token(text, inner.end, cdata=True)
                   if inner is not None and inner.end < len(text) else None)
        if (inner is None or inner.type != "text" or closing is None or closing.type != "end"
                or closing.name != token.name):
            continue  # empty, or holding markup: left alone
        if parent in wanted.get(local, frozenset()):
            prose = html_format.Prose(text, "title")
            prose.add_text(inner.start, inner.end)
            builder.prose(prose)
        elif parent in language.get(local, frozenset()):
            language = {}  # the first one only: a second dc:language names another language
            start, end = inner.start, inner.end
            while start < end and text[start].isspace():
                start += 1
            while end > start and text[end - 1].isspace():
                end -= 1
            builder.lang_spot(start, end, "{}")
    return builder.document(encoding)


class Epub:
    """The document adapter for EPUB 2 and 3 books."""

    name = "epub"
    suffixes = (".epub",)
    kind: Literal["document"] = "document"

    def parse(self, data: bytes, name: str, *, lang: str = "en") -> Document:
        with _open(data, name) as archive:
            opf_path, documents, ncx_path = _package(archive, name)
            members: list[Member] = []

            def member(path: str) -> tuple[str, str, str]:
                label = f"{name} ({path})"
                data = _read(archive, path, name)
                if path == ncx_path:
                    _xml(data, label)  # well-formed, and no entity declarations
                text, encoding = html_format.decode_markup(data, label)
                return label, text, encoding

            label, text, encoding = member(opf_path)
            members.append(Member(opf_path, _texts_of(
                text, label, self.name, encoding, lang, {"title": frozenset({"metadata"})},
                {"language": frozenset({"metadata"})})))
            for path in documents:
                label, text, encoding = member(path)
                members.append(Member(path, html_format.parse_text(
                    text, label, self.name, encoding, lang=lang, xml=True)))
            if ncx_path is not None:
                label, text, encoding = member(ncx_path)
                members.append(Member(ncx_path, _texts_of(
                    text, label, self.name, encoding, lang,
                    {"text": frozenset({"doctitle", "navlabel"})}, {})))
        parts: list[str | Segment] = [part for m in members for part in m.document.parts]
        return Document(name, self.name, parts, EpubState(data, members))

    def render(self, document: Document, translations: Sequence[str], *, lang: str | None = None) -> bytes:
        state = document.state
        assert isinstance(state, EpubState)
        total = sum(len(m.document.segments()) for m in state.members)
        if len(translations) != total:
            raise ValueError(f"{document.name}: {len(translations)} translations for {total} segments")
        rendered: dict[str, bytes] = {}
        done = 0
        for m in state.members:
            count = len(m.document.segments())
            page = m.document.state
            assert isinstance(page, html_format.HtmlState)
            rendered[m.path] = html_format.render_text(
                m.document, translations[done:done + count], lang).encode(page.encoding, "xmlcharrefreplace")
            done += count
        out = io.BytesIO()
        with zipfile.ZipFile(io.BytesIO(state.data)) as source, zipfile.ZipFile(out, "w") as target:
            infos = sorted(source.infolist(), key=lambda info: info.filename != "mimetype")
            for info in infos:
                data = rendered.get(info.filename)
                if data is None:
                    data = source.read(info)
                copy = zipfile.ZipInfo(info.filename, info.date_time)
                copy.compress_type = zipfile.ZIP_STORED if info.filename == "mimetype" else info.compress_type
                copy.external_attr = info.external_attr
                copy.create_system = info.create_system
                copy.comment = info.comment
                target.writestr(copy, data)
        return out.getvalue()


ADAPTER = Epub()
