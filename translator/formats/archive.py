"""Zip packages (DOCX, ODT): read with a bound on what they expand to, written back member by
member, and their XML parsed without entities, DTDs or network.

A Word or OpenDocument file is a zip archive of XML parts and media. Translating it changes a
few XML parts; every other member must come back as it was, so the writer here copies an
untouched member's *compressed bytes* from the input (same method, same CRC, same bytes: no
recompression that could differ from the original deflater), keeps the member order (an ODF
`mimetype` stays first and stored), and recompresses only the parts it was given anew, with
the method they had.

Hostile archives are refused before any member is inflated: the sizes the archive declares for
its members may add up to at most `RATIO` times the archive's own size (real documents expand
1.5 to 30 times; a zip bomb a million times), and zipfile never inflates a member past its
declared size, so memory stays bounded by that multiple. XML parts are parsed by lxml with
entity resolution, DTD loading and network access off and its default size limits on; a part
that declares a DTD at all is refused (neither format ever has one, and a DTD is how entity
expansion attacks start).
"""
from __future__ import annotations

import io
import re
import struct
import zipfile
import zlib
from dataclasses import dataclass
from typing import Any

from lxml import etree

from ..errors import InputError

__all__ = ["MAX_MEMBERS", "RATIO", "Package", "parse_xml", "serialize_xml"]

RATIO = 100  # the members may declare at most RATIO x the archive's size, uncompressed, in all
MAX_MEMBERS = 10_000  # a document has tens of members; a zip of a million empty files is an attack
_ENCRYPTED = 0x1
_DATA_DESCRIPTOR = 0x8
_UTF8_NAME = 0x800
_ZIP64_EXTRA = 0x0001
_OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # the signature of Microsoft's compound files
_DECLARATION = re.compile(rb"\A(?:\xef\xbb\xbf)?\s*<\?xml[^>]*\?>\s*")


@dataclass(frozen=True)
class _Written:
    """One member as it goes into the new archive."""

    info: zipfile.ZipInfo
    method: int
    crc: int
    size: int
    payload: bytes  # compressed as `method` says


class Package:
    """A zip package held in memory: its members in order, read on demand, written back."""

    def __init__(self, data: bytes, name: str, what: str) -> None:
        """Open `data` (the file `name`, a `what` such as "Word document"); InputError when it is
        not a zip archive, is encrypted, or would expand past `RATIO` times its size."""
        self.data = data
        self.name = name
        self.what = what
        if data.startswith(_OLE):
            raise InputError(f"{name}: an OLE compound file (a legacy Office format such as .doc, or a "
                             f"password-protected document), not a {what}; save it from its editor as "
                             f"{what} without a password")
        try:
            self.zip = zipfile.ZipFile(io.BytesIO(data))
            infos = self.zip.infolist()
        except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, EOFError,
                struct.error) as exc:
            raise InputError(f"{name}: not a {what} (not a readable zip archive: {exc}); "
                             "save it again from its editor") from None
        if len(infos) > MAX_MEMBERS:
            raise InputError(f"{name}: a zip archive of {len(infos)} members, more than a {what} "
                             f"ever has ({MAX_MEMBERS}); refusing it")
        names = [info.filename for info in infos]
        if len(set(names)) != len(names):
            twice = sorted({n for n in names if names.count(n) > 1})[0]
            raise InputError(f"{name}: the archive holds two members named {twice}; "
                             "save it again from its editor")
        if any(info.flag_bits & _ENCRYPTED for info in infos):
            raise InputError(f"{name}: the {what} is password-protected; save a copy without a "
                             "password and translate that")
        declared = sum(info.file_size for info in infos)
        if declared > RATIO * max(len(data), 1):
            raise InputError(f"{name}: its members would expand to {declared:,} bytes, more than "
                             f"{RATIO} times the archive's {len(data):,}; refusing it as a possible "
                             "zip bomb")
        self.infos = infos
        self._by_name = {info.filename: info for info in infos}

    def names(self) -> list[str]:
        return [info.filename for info in self.infos]

    def has(self, member: str) -> bool:
        return member in self._by_name

    def read(self, member: str) -> bytes:
        """A member's bytes, inflated (never past its declared size); InputError when broken."""
        try:
            return self.zip.read(self._by_name[member])
        except (zipfile.BadZipFile, zlib.error, NotImplementedError, OSError, EOFError,
                ValueError, RuntimeError) as exc:
            raise InputError(f"{self.name}: its member {member} cannot be read ({exc}); "
                             "save the file again from its editor") from None

    def write(self, replaced: dict[str, bytes]) -> bytes:
        """The archive again: members named in `replaced` with their new bytes (recompressed with
        their own method, or deflated when that method is neither stored nor deflated), every
        other member's compressed bytes copied as they were; same order, names, dates and
        attributes."""
        written = []
        for info in self.infos:
            if info.filename in replaced:
                written.append(_compressed(info, replaced[info.filename]))
            else:
                written.append(_Written(info, info.compress_type, info.CRC, info.file_size,
                                        self._raw(info)))
        return _archive(written, self.zip.comment)

    def _raw(self, info: zipfile.ZipInfo) -> bytes:
        """The member's compressed bytes as stored in the input (after its local header)."""
        start = info.header_offset
        header = self.data[start:start + 30]
        if len(header) < 30 or header[:4] != b"PK\x03\x04":
            raise InputError(f"{self.name}: the local header of {info.filename} is damaged; "
                             "save the file again from its editor")
        name_length, extra_length = struct.unpack("<HH", header[26:30])
        begin = start + 30 + name_length + extra_length
        payload = self.data[begin:begin + info.compress_size]
        if len(payload) != info.compress_size:
            raise InputError(f"{self.name}: the member {info.filename} is cut short; "
                             "save the file again from its editor")
        return payload


def _compressed(info: zipfile.ZipInfo, data: bytes) -> _Written:
    if info.compress_type == zipfile.ZIP_STORED:
        return _Written(info, zipfile.ZIP_STORED, zlib.crc32(data), len(data), data)
    deflater = zlib.compressobj(zlib.Z_DEFAULT_COMPRESSION, zlib.DEFLATED, -15)
    payload = deflater.compress(data) + deflater.flush()
    return _Written(info, zipfile.ZIP_DEFLATED, zlib.crc32(data), len(data), payload)


def _extra(info: zipfile.ZipInfo) -> bytes:
    """The member's extra field without a ZIP64 block (sizes here always fit 32 bits)."""
    extra, kept = info.extra, b""
    while len(extra) >= 4:
        kind, length = struct.unpack("<HH", extra[:4])
        if kind != _ZIP64_EXTRA:
            kept += extra[:4 + length]
        extra = extra[4 + length:]
    return kept


def _dos_time(date_time: tuple[int, int, int, int, int, int]) -> tuple[int, int]:
    year, month, day, hour, minute, second = date_time
    year = min(max(year, 1980), 2107)
    return (hour << 11 | minute << 5 | second // 2), ((year - 1980) << 9 | month << 5 | day)


def _archive(members: list[_Written], comment: bytes) -> bytes:
    """A zip archive (no ZIP64: the size cap keeps every document far below 4 GB)."""
    out = io.BytesIO()
    central = []
    for member in members:
        info = member.info
        try:
            name = info.filename.encode("ascii")
            flags = info.flag_bits & ~_DATA_DESCRIPTOR
        except UnicodeEncodeError:
            name = info.filename.encode("utf-8")
            flags = (info.flag_bits | _UTF8_NAME) & ~_DATA_DESCRIPTOR
        if flags & _UTF8_NAME:
            name = info.filename.encode("utf-8")
        extra = _extra(info)
        dostime, dosdate = _dos_time(info.date_time)
        version = max(info.extract_version, 20 if member.method == zipfile.ZIP_DEFLATED else 10)
        offset = out.tell()
        out.write(struct.pack("<4s5H3L2H", b"PK\x03\x04", version, flags, member.method, dostime,
                              dosdate, member.crc, len(member.payload), member.size, len(name),
                              len(extra)))
        out.write(name + extra + member.payload)
        central.append(struct.pack("<4s4B4H3L5H2L", b"PK\x01\x02", info.create_version,
                                   info.create_system, version, 0, flags, member.method, dostime,
                                   dosdate, member.crc, len(member.payload), member.size, len(name),
                                   len(extra), len(info.comment), 0, info.internal_attr,
                                   info.external_attr, offset) + name + extra + info.comment)
    start = out.tell()
    for record in central:
        out.write(record)
    size = out.tell() - start
    out.write(struct.pack("<4s4H2LH", b"PK\x05\x06", 0, 0, len(members), len(members), size, start,
                          len(comment)) + comment)
    return out.getvalue()


def parse_xml(data: bytes, file: str, member: str) -> etree._ElementTree:
    """The part parsed safely; InputError naming the file and member when it is not well-formed
    or declares a DTD."""
    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False,
                             huge_tree=False, remove_blank_text=False)
    try:
        root = etree.fromstring(data, parser)
    except etree.XMLSyntaxError as exc:
        raise InputError(f"{file}: its part {member} is not well-formed XML (line {exc.lineno}: "
                         f"{exc.msg}); save the file again from its editor") from None
    except ValueError as exc:
        raise InputError(f"{file}: its part {member} cannot be read as XML ({exc})") from None
    tree = root.getroottree()
    if tree.docinfo.doctype or tree.docinfo.internalDTD is not None:
        raise InputError(f"{file}: its part {member} declares a DTD, which these documents never "
                         "do; refusing it (a DTD is how XML entity attacks start)")
    return tree


def serialize_xml(tree: etree._ElementTree, original: bytes) -> bytes:
    """The tree as bytes, under the original XML declaration (lxml would rewrite its quotes)."""
    encoding = tree.docinfo.encoding or "UTF-8"
    if encoding.upper().replace("-", "") != "UTF8":
        out: Any = etree.tostring(tree, encoding=encoding, xml_declaration=True)
        return bytes(out)
    body = etree.tostring(tree, encoding="UTF-8", xml_declaration=False)
    declaration = _DECLARATION.match(original)
    if declaration is None:
        return bytes(body)
    return declaration.group(0) + bytes(body)
