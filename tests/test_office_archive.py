"""Zip packages: members copied byte for byte, and hostile or mislabelled files refused in one
line before anything is inflated or resolved."""
from __future__ import annotations

import io
import struct
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner
from office_docs import docx, odt, p, r

from translator import formats
from translator.cli import main
from translator.errors import InputError
from translator.formats.archive import RATIO, Package


def _replace(data: bytes, name: str, content: bytes) -> bytes:
    """The archive with one member's content replaced (everything else as it was)."""
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for info in source.infolist():
            if info.filename == name:
                info.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(info, content if info.filename == name else source.read(info))
    return out.getvalue()


def _encrypted(data: bytes) -> bytes:
    """The archive with the 'encrypted' flag set on every member in its central directory."""
    out = bytearray(data)
    at = out.find(b"PK\x01\x02")
    while at >= 0:
        flags = struct.unpack_from("<H", out, at + 8)[0]
        struct.pack_into("<H", out, at + 8, flags | 1)
        at = out.find(b"PK\x01\x02", at + 4)
    return bytes(out)


BOMB = _replace(docx(p(r("Hello."))), "word/media/image1.png", b"\0" * (4 * 1024 * 1024))
XXE = (b'<?xml version="1.0"?><!DOCTYPE w:document [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
       b'<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body><w:p><w:r>'
       b"<w:t>&x;</w:t></w:r></w:p></w:body></w:document>")
LAUGHS = (b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;">]>'
          b'<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body><w:p><w:r>'
          b"<w:t>&lol2;</w:t></w:r></w:p></w:body></w:document>")
ODS = _replace(odt("<text:p>Hello.</text:p>"), "mimetype", b"application/vnd.oasis.opendocument.spreadsheet")
PROTECTED_ODT = _replace(odt("<text:p>Hello.</text:p>"), "META-INF/manifest.xml", (
    b'<manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0">'
    b'<manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml">'
    b'<manifest:encryption-data manifest:checksum-type="SHA1" manifest:checksum="x"/></manifest:file-entry>'
    b"</manifest:manifest>"))


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("a.docx", b"Just some text, not a zip.", "a.docx: not a Word document (.docx) (not a readable zip archive"),
        ("a.docx", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 512,
         "a.docx: an OLE compound file (a legacy Office format such as .doc, or a password-protected document)"),
        ("a.docx", BOMB, f"more than {RATIO} times the archive's"),
        ("a.docx", _encrypted(docx(p(r("Hello.")))), "a.docx: the Word document (.docx) is password-protected"),
        ("a.docx", _replace(docx(p(r("Hello."))), "word/document.xml", XXE),
         "a.docx: its part word/document.xml declares a DTD"),
        ("a.docx", _replace(docx(p(r("Hello."))), "word/document.xml", LAUGHS),
         "a.docx: its part word/document.xml declares a DTD"),
        ("a.docx", _replace(docx(p(r("Hello."))), "word/document.xml", b"<w:document><w:body>"),
         "a.docx: its part word/document.xml is not well-formed XML (line 1"),
        ("a.docx", odt("<text:p>Hello.</text:p>"), "a.docx: not a Word document (.docx): the archive has no "
                                                   "[Content_Types].xml"),
        ("a.odt", ODS, "a.odt: an OpenDocument a spreadsheet (.ods), not a text document"),
        ("a.odt", docx(p(r("Hello."))), "a.odt: not an OpenDocument text (.odt) (its mimetype is missing)"),
        ("a.odt", PROTECTED_ODT, "a.odt: the document is password-protected"),
    ],
    ids=["not-a-zip", "ole-doc", "zip-bomb", "encrypted-zip", "external-entity", "entity-expansion",
         "malformed-xml", "odt-named-docx", "spreadsheet-named-odt", "docx-named-odt", "password-odt"],
)
def test_hostile_or_mislabelled_files_are_refused_in_one_line(name: str, data: bytes, message: str) -> None:
    adapter = formats.adapter_for(name)
    with pytest.raises(InputError) as refused:
        adapter.parse(data, name)
    assert message in str(refused.value)
    assert "\n" not in str(refused.value)


def test_the_command_line_says_one_line_exits_1_and_writes_nothing(with_models: Path, tmp_path: Path) -> None:
    bomb = tmp_path / "bomb.docx"
    bomb.write_bytes(BOMB)
    out = tmp_path / "out"
    result = CliRunner().invoke(main, ["translate", str(bomb), "--to", "es", "--no-glossary", "--out", str(out)])
    assert result.exit_code == 1
    assert result.stderr.count("\n") == 1 and result.stderr.startswith(f"translator: error: {bomb}: ")
    assert not out.exists() or not any(out.rglob("*.docx"))


def test_a_package_written_without_changes_copies_every_member_byte_for_byte() -> None:
    data = docx(p(r("Hello.")))
    # zipfile wrote the test file without data descriptors or extra fields, so a copy that keeps
    # every member's compressed bytes, date and attributes is the very same file.
    assert Package(data, "a.docx", "Word document").write({}) == data


def test_a_replaced_member_keeps_its_name_place_and_compression() -> None:
    data = docx(p(r("Hello.")))
    out = Package(data, "a.docx", "Word document").write({"word/document.xml": b"<new/>"})
    before, after = zipfile.ZipFile(io.BytesIO(data)), zipfile.ZipFile(io.BytesIO(out))
    assert [(i.filename, i.compress_type, i.date_time) for i in before.infolist()] == [
        (i.filename, i.compress_type, i.date_time) for i in after.infolist()]
    assert after.read("word/document.xml") == b"<new/>"
    assert after.testzip() is None
