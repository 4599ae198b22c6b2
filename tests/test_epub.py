"""The EPUB adapter: spine documents, table of contents and title translated, the language set,
every other member as it was; hostile archives refused in one line."""
from __future__ import annotations

import io
import zipfile
from pathlib import Path

import polib
import pytest
from click.testing import CliRunner

from translator import formats, pipeline
from translator.cli import main
from translator.errors import InputError
from translator.formats import epub

EPUB = formats.by_name("epub")

CONTAINER = """<?xml version="1.0"?>
<container version="1.0" xmlns="urn:oasis:names:tc:opendocument:xmlns:container">
  <rootfiles><rootfile full-path="OEBPS/content.opf" media-type="application/oebps-package+xml"/></rootfiles>
</container>
"""
OPF = """<?xml version="1.0" encoding="UTF-8"?>
<package xmlns="http://www.idpf.org/2007/opf" version="3.0" xml:lang="en" unique-identifier="id">
  <metadata xmlns:dc="http://purl.org/dc/elements/1.1/">
    <dc:identifier id="id">test-book</dc:identifier>
    <dc:title>A Small Book</dc:title>
    <dc:language>en-GB</dc:language>
  </metadata>
  <manifest>
    <item id="nav" href="nav.xhtml" media-type="application/xhtml+xml" properties="nav"/>
    <item id="ncx" href="toc.ncx" media-type="application/x-dtbncx+xml"/>
    <item id="ch1" href="text/chapter%201.xhtml" media-type="application/xhtml+xml"/>
    <item id="pic" href="images/pic.png" media-type="image/png"/>
  </manifest>
  <spine toc="ncx"><itemref idref="ch1"/></spine>
</package>
"""
NAV = """<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE html>
<html xmlns="http://www.w3.org/1999/xhtml" xmlns:epub="http://www.idpf.org/2007/ops">
<head><title>Contents</title></head>
<body><nav epub:type="toc"><ol><li><a href="text/chapter%201.xhtml">The First Chapter</a></li></ol></nav></body>
</html>
"""
NCX = """<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE ncx PUBLIC "-//NISO//DTD ncx 2005-1//EN" "http://www.daisy.org/z3986/2005/ncx-2005-1.dtd">
<ncx xmlns="http://www.daisy.org/z3986/2005/ncx/" version="2005-1" xml:lang="en">
  <docTitle><text>A Small Book</text></docTitle>
  <navMap><navPoint id="p1" playOrder="1"><navLabel><text>The First Chapter</text></navLabel>
    <content src="text/chapter%201.xhtml"/></navPoint></navMap>
</ncx>
"""
CHAPTER = """<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE html>
<html xmlns="http://www.w3.org/1999/xhtml">
<head><title>The First Chapter</title></head>
<body>
  <h1>The First Chapter</h1>
  <p>Alice was beginning to get very tired of sitting by her
  sister on the bank.<a id="Page_4" class="pageno"/> Then the <i>White Rabbit</i> ran by.</p>
  <img src="../images/pic.png" alt="A white rabbit"/>
</body>
</html>
"""
PNG = b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4


def make_epub(members: dict[str, bytes | str] | None = None, *,
              mimetype: bytes | None = b"application/epub+zip") -> bytes:
    """A small EPUB 3 book with an EPUB 2 NCX, or what `members` says instead."""
    if members is None:
        members = {"META-INF/container.xml": CONTAINER, "OEBPS/content.opf": OPF,
                   "OEBPS/nav.xhtml": NAV, "OEBPS/toc.ncx": NCX,
                   "OEBPS/text/chapter 1.xhtml": CHAPTER, "OEBPS/images/pic.png": PNG}
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        if mimetype is not None:
            archive.writestr(zipfile.ZipInfo("mimetype"), mimetype)
        for name, data in members.items():
            info = zipfile.ZipInfo(name)
            info.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(info, data.encode("utf-8") if isinstance(data, str) else data)
    return buffer.getvalue()


def mark_encrypted(data: bytes, name: str) -> bytes:
    """The archive with `name` flagged as encrypted in the central directory (zipfile cannot
    write such a member)."""
    patched = bytearray(data)
    at = patched.find(b"PK\x01\x02")
    while at >= 0:
        length = int.from_bytes(patched[at + 28:at + 30], "little")
        if patched[at + 46:at + 46 + length] == name.encode():
            patched[at + 8] |= 0x1
        at = patched.find(b"PK\x01\x02", at + 4)
    return bytes(patched)


def test_the_spine_navigation_ncx_and_title_are_translated_in_reading_order() -> None:
    document = EPUB.parse(make_epub(), "book.epub")
    assert [s.text for s in document.segments()] == [
        "A Small Book",  # dc:title
        "The First Chapter", "The First Chapter",  # chapter title and heading
        "Alice was beginning to get very tired of sitting by her sister on the bank.",
        "Then the <1>White Rabbit</1> ran by.", "A white rabbit",
        "Contents", "The First Chapter",  # navigation document (not in the spine)
        "A Small Book", "The First Chapter",  # NCX
    ]


def test_every_member_comes_back_and_only_the_language_changes_when_text_is_kept() -> None:
    data = make_epub()
    document = EPUB.parse(data, "book.epub")
    out = EPUB.render(document, [s.text for s in document.segments()], lang="es")
    before, after = zipfile.ZipFile(io.BytesIO(data)), zipfile.ZipFile(io.BytesIO(out))
    assert [i.filename for i in after.infolist()] == [i.filename for i in before.infolist()]
    first = after.infolist()[0]
    assert (first.filename, first.compress_type, first.extra) == ("mimetype", zipfile.ZIP_STORED, b"")
    assert after.read("OEBPS/images/pic.png") == PNG
    assert after.read("META-INF/container.xml") == CONTAINER.encode()
    opf = after.read("OEBPS/content.opf").decode()
    assert opf == OPF.replace('xml:lang="en"', 'xml:lang="es"').replace(">en-GB<", ">es<")
    chapter = after.read("OEBPS/text/chapter 1.xhtml").decode()
    assert chapter == CHAPTER.replace('<html xmlns=', '<html lang="es" xml:lang="es" xmlns=')
    assert after.read("OEBPS/toc.ncx").decode() == NCX.replace('xml:lang="en"', 'xml:lang="es"')


def test_a_translated_book_keeps_its_markup_around_the_new_words(with_models: Path, tmp_path: Path) -> None:
    source = tmp_path / "book.epub"
    source.write_bytes(make_epub())
    pipeline.translate_sources([pipeline.read_source(source)], ["zh"], source_lang="en",
                               out_dir=tmp_path / "out", termbase=None)
    out = zipfile.ZipFile(tmp_path / "out" / "zh" / "book.epub")
    assert out.infolist()[0].filename == "mimetype"
    assert "<dc:language>zh</dc:language>" in out.read("OEBPS/content.opf").decode()
    chapter = out.read("OEBPS/text/chapter 1.xhtml").decode()
    assert '<html lang="zh" xml:lang="zh"' in chapter
    assert 'Then the <i>White Rabbit</i> ran by.</p>' in chapter
    catalog = polib.pofile(str(tmp_path / "out" / "zh" / "book.po"))
    assert catalog.find("Then the <1>White Rabbit</1> ran by.") is not None


def test_build_writes_the_book_again_from_its_catalog(with_models: Path, tmp_path: Path) -> None:
    source = tmp_path / "book.epub"
    source.write_bytes(make_epub())
    pipeline.translate_sources([pipeline.read_source(source)], ["es"], source_lang="en",
                               out_dir=tmp_path / "out", termbase=None)
    catalog_path = tmp_path / "out" / "es" / "book.po"
    catalog = polib.pofile(str(catalog_path))
    entry = catalog.find("Then the <1>White Rabbit</1> ran by.")
    entry.msgstr, entry.flags = "Entonces pasó el <1>Conejo Blanco</1>.", []
    catalog.save()
    built = CliRunner().invoke(main, ["build", str(catalog_path), "--out", str(tmp_path / "built")])
    assert built.exit_code == 0, built.output
    chapter = zipfile.ZipFile(tmp_path / "built" / "es" / "book.epub").read("OEBPS/text/chapter 1.xhtml")
    assert "Entonces pasó el <i>Conejo Blanco</i>.</p>" in chapter.decode()


BOMB = {"META-INF/container.xml": CONTAINER, "OEBPS/content.opf": OPF, "OEBPS/zeros.txt": b"\0" * 4_000_000}
ENTITIES = OPF.replace('<?xml version="1.0" encoding="UTF-8"?>',
                       '<?xml version="1.0"?>\n<!DOCTYPE package [<!ENTITY a "aaaaaaaaaa">'
                       '<!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]>').replace("A Small Book", "&b;")
EXTERNAL = OPF.replace('<?xml version="1.0" encoding="UTF-8"?>',
                       '<?xml version="1.0"?>\n<!DOCTYPE package [<!ENTITY x SYSTEM "file:///etc/passwd">]>')


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"<html><p>Not a zip.</p></html>", "book.epub is not an EPUB (it is not a zip archive)"),
        ("no-mimetype", "book.epub is not an EPUB (no mimetype member saying application/epub+zip)"),
        ("bomb", "book.epub would unpack to 4,000,"),
        ("encrypted", "book.epub is encrypted (META-INF/container.xml); translate a copy without DRM"),
        ("entities", "book.epub (OEBPS/content.opf) declares entities (a DTD internal subset)"),
        ("external-entity", "book.epub (OEBPS/content.opf) declares entities (a DTD internal subset)"),
        ("malformed-opf", "book.epub (OEBPS/content.opf) is not well-formed XML"),
        ("missing-chapter", "book.epub lacks OEBPS/text/chapter 1.xhtml, which its package names"),
    ],
    ids=["not-a-zip", "no-mimetype", "zip-bomb", "encrypted", "entity-expansion", "external-entity",
         "malformed-opf", "missing-chapter"],
)
def test_a_hostile_or_broken_book_is_refused_in_one_line(data: bytes | str, message: str) -> None:
    members = {"META-INF/container.xml": CONTAINER, "OEBPS/content.opf": OPF}
    built = {
        "no-mimetype": lambda: make_epub(mimetype=None),
        "bomb": lambda: make_epub(BOMB),
        "encrypted": lambda: mark_encrypted(make_epub(members), "META-INF/container.xml"),
        "entities": lambda: make_epub({**members, "OEBPS/content.opf": ENTITIES}),
        "external-entity": lambda: make_epub({**members, "OEBPS/content.opf": EXTERNAL}),
        "malformed-opf": lambda: make_epub({**members, "OEBPS/content.opf": OPF[:-20]}),
        "missing-chapter": lambda: make_epub(members),
    }
    payload = built[data]() if isinstance(data, str) else data
    with pytest.raises(InputError) as error:
        EPUB.parse(payload, "book.epub")
    assert str(error.value).startswith(message) and "\n" not in str(error.value)


def test_an_archive_with_too_many_members_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(epub, "MAX_MEMBERS", 3)
    with pytest.raises(InputError, match=r"^book\.epub has 7 members, more than the 3 an EPUB"):
        EPUB.parse(make_epub(), "book.epub")


def test_a_refused_book_is_one_line_on_stderr_and_exit_1(tmp_path: Path) -> None:
    bomb = tmp_path / "bomb.epub"
    bomb.write_bytes(make_epub(BOMB))
    result = CliRunner().invoke(main, ["translate", str(bomb), "--to", "es", "--out", str(tmp_path / "out")])
    assert result.exit_code == 1
    assert result.stderr.startswith(f"translator: error: {bomb} would unpack to 4,000,")
    assert result.stderr.endswith("refusing a possible zip bomb\n") and result.stderr.count("\n") == 1
    assert not (tmp_path / "out").exists()
