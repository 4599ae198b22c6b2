"""Small Word and OpenDocument files written for the tests, and a readable view of their
paragraphs (so a test can say what came out in one line)."""
from __future__ import annotations

import io
import zipfile

from lxml import etree

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
TEXT = "urn:oasis:names:tc:opendocument:xmlns:text:1.0"
PNG = b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4  # not a real picture: bytes to copy

_W_NS = f'xmlns:w="{W}" xmlns:r="{R}"'
_DOCX_TYPES = {
    "word/document.xml": "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml",
    "word/styles.xml": "application/vnd.openxmlformats-officedocument.wordprocessingml.styles+xml",
    "word/settings.xml": "application/vnd.openxmlformats-officedocument.wordprocessingml.settings+xml",
    "word/footnotes.xml": "application/vnd.openxmlformats-officedocument.wordprocessingml.footnotes+xml",
    "word/header1.xml": "application/vnd.openxmlformats-officedocument.wordprocessingml.header+xml",
    "word/comments.xml": "application/vnd.openxmlformats-officedocument.wordprocessingml.comments+xml",
    "docProps/core.xml": "application/vnd.openxmlformats-package.core-properties+xml",
}
STYLES = f"""<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<w:styles {_W_NS}><w:docDefaults><w:rPrDefault><w:rPr><w:lang w:val="en-US" w:eastAsia="en-US"/></w:rPr>
</w:rPrDefault></w:docDefaults>
<w:style w:type="paragraph" w:styleId="Heading1"><w:name w:val="heading 1"/></w:style>
<w:style w:type="paragraph" w:styleId="SourceCode"><w:name w:val="Source Code"/></w:style>
<w:style w:type="character" w:styleId="HTMLCode"><w:name w:val="HTML Code"/></w:style>
<w:style w:type="character" w:styleId="Strong"><w:name w:val="Strong"/></w:style>
</w:styles>"""


def docx(body: str, *, footnotes: str = "", header: str = "", comments: str = "",
         core_language: str | None = "en-US") -> bytes:
    """A .docx whose body is `body` (WordprocessingML inside <w:body>), with a picture, styles,
    settings, and the optional parts given (their paragraphs inside the part's root)."""
    parts: dict[str, bytes] = {
        "word/document.xml": (f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
                              f"<w:document {_W_NS}><w:body>{body}</w:body></w:document>").encode(),
        "word/styles.xml": STYLES.encode(),
        "word/settings.xml": (f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
                              f'<w:settings {_W_NS}><w:themeFontLang w:val="en-US"/></w:settings>').encode(),
        "word/media/image1.png": PNG,
    }
    if footnotes:
        parts["word/footnotes.xml"] = f"<w:footnotes {_W_NS}>{footnotes}</w:footnotes>".encode()
    if header:
        parts["word/header1.xml"] = f"<w:hdr {_W_NS}>{header}</w:hdr>".encode()
    if comments:
        parts["word/comments.xml"] = f"<w:comments {_W_NS}>{comments}</w:comments>".encode()
    if core_language is not None:
        parts["docProps/core.xml"] = (
            '<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" '
            f'xmlns:dc="http://purl.org/dc/elements/1.1/"><dc:language>{core_language}</dc:language>'
            "</cp:coreProperties>").encode()
    overrides = "".join(f'<Override PartName="/{name}" ContentType="{kind}"/>'
                        for name, kind in _DOCX_TYPES.items() if name in parts)
    types = ('<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
             '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
             '<Default Extension="xml" ContentType="application/xml"/><Default Extension="png" ContentType="image/png"/>'
             f"{overrides}</Types>")
    rels = ('<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" '
            'Target="word/document.xml"/></Relationships>')
    doc_rels = ('<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
                '<Relationship Id="rId5" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/hyperlink" '
                'Target="https://example.org/report" TargetMode="External"/>'
                '<Relationship Id="rId6" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/image" '
                'Target="media/image1.png"/></Relationships>')
    members = {"[Content_Types].xml": types.encode(), "_rels/.rels": rels.encode(),
               "word/_rels/document.xml.rels": doc_rels.encode(), **parts}
    return _zip(members, stored={"word/media/image1.png"})


def p(*runs: str, style: str = "", props: str = "") -> str:
    """A paragraph of the given runs (use r() and friends)."""
    ppr = f'<w:pStyle w:val="{style}"/>' if style else ""
    return f'<w:p w:rsidR="00AB12CD"><w:pPr>{ppr}{props}</w:pPr>{"".join(runs)}</w:p>' if ppr or props \
        else f'<w:p w:rsidR="00AB12CD">{"".join(runs)}</w:p>'


def r(text: str, *props: str, rsid: str = "00112233") -> str:
    """A run of text with run properties (b, i, rStyle:Strong, lang:en-US ...)."""
    rpr = "".join(_prop(prop) for prop in props)
    rpr = f"<w:rPr>{rpr}</w:rPr>" if rpr else ""
    return f'<w:r w:rsidR="{rsid}">{rpr}<w:t xml:space="preserve">{text}</w:t></w:r>'


def _prop(prop: str) -> str:
    name, _, value = prop.partition(":")
    return f'<w:{name} w:val="{value}"/>' if value else f"<w:{name}/>"


def odt(body: str, *, header: str = "", meta_language: str | None = "en-US") -> bytes:
    """An .odt whose office:text holds `body`; automatic styles T1 (bold), T2 (revision id
    only), T3 (a monospaced font), T4 (British English), T5 (no language: "zxx"); named styles
    Emphasis and Source_20_Text; a header."""
    ns = ('xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
          f'xmlns:text="{TEXT}" xmlns:style="urn:oasis:names:tc:opendocument:xmlns:style:1.0" '
          'xmlns:fo="urn:oasis:names:tc:opendocument:xmlns:xsl-fo-compatible:1.0" '
          'xmlns:xlink="http://www.w3.org/1999/xlink" xmlns:officeooo="http://openoffice.org/2009/office" '
          'xmlns:draw="urn:oasis:names:tc:opendocument:xmlns:drawing:1.0" '
          'xmlns:svg="urn:oasis:names:tc:opendocument:xmlns:svg-compatible:1.0" '
          'xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:meta="urn:oasis:names:tc:opendocument:xmlns:meta:1.0"')
    fonts = ('<office:font-face-decls><style:font-face style:name="Liberation Mono" '
             'svg:font-family="&apos;Liberation Mono&apos;" style:font-pitch="fixed"/>'
             '<style:font-face style:name="Liberation Serif" svg:font-family="&apos;Liberation Serif&apos;" '
             'style:font-pitch="variable"/></office:font-face-decls>')
    content = (f'<?xml version="1.0" encoding="UTF-8"?>\n<office:document-content {ns} office:version="1.3">{fonts}'
               '<office:automatic-styles>'
               '<style:style style:name="T1" style:family="text"><style:text-properties fo:font-weight="bold"/></style:style>'
               '<style:style style:name="T2" style:family="text"><style:text-properties officeooo:rsid="0012ab"/></style:style>'
               '<style:style style:name="T3" style:family="text"><style:text-properties style:font-name="Liberation Mono"/>'
               '</style:style><style:style style:name="T4" style:family="text">'
               '<style:text-properties fo:language="en" fo:country="GB"/></style:style>'
               '<style:style style:name="T5" style:family="text">'
               '<style:text-properties fo:language="zxx" fo:country="none"/></style:style>'
               f'</office:automatic-styles><office:body><office:text>{body}</office:text></office:body>'
               '</office:document-content>')
    header_xml = (f'<office:master-styles><style:master-page style:name="Standard"><style:header>{header}'
                  '</style:header></style:master-page></office:master-styles>') if header else ""
    styles = (f'<?xml version="1.0" encoding="UTF-8"?>\n<office:document-styles {ns} office:version="1.3">{fonts}'
              '<office:styles><style:default-style style:family="paragraph">'
              '<style:text-properties fo:language="en" fo:country="US"/></style:default-style>'
              '<style:style style:name="Emphasis" style:family="text"><style:text-properties fo:font-style="italic"/>'
              '</style:style><style:style style:name="Source_20_Text" style:display-name="Source Text" '
              'style:family="text"/><style:style style:name="Preformatted_20_Text" '
              'style:display-name="Preformatted Text" style:family="paragraph"/></office:styles>'
              f"{header_xml}</office:document-styles>")
    language = f"<dc:language>{meta_language}</dc:language>" if meta_language else ""
    meta = (f'<?xml version="1.0" encoding="UTF-8"?>\n<office:document-meta {ns}><office:meta>{language}'
            "<dc:title>Test</dc:title></office:meta></office:document-meta>")
    manifest = ('<?xml version="1.0" encoding="UTF-8"?>\n<manifest:manifest '
                'xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" manifest:version="1.3">'
                '<manifest:file-entry manifest:full-path="/" manifest:media-type="application/vnd.oasis.opendocument.text"/>'
                '<manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/>'
                "</manifest:manifest>")
    members = {"mimetype": b"application/vnd.oasis.opendocument.text", "content.xml": content.encode(),
               "styles.xml": styles.encode(), "meta.xml": meta.encode(), "Thumbnails/thumbnail.png": PNG,
               "META-INF/manifest.xml": manifest.encode()}
    return _zip(members, stored={"mimetype", "Thumbnails/thumbnail.png"})


def _zip(members: dict[str, bytes], stored: set[str]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        for name, data in members.items():
            info = zipfile.ZipInfo(name, date_time=(2024, 5, 6, 7, 8, 10))
            info.compress_type = zipfile.ZIP_STORED if name in stored else zipfile.ZIP_DEFLATED
            archive.writestr(info, data, compresslevel=9)
    return out.getvalue()


def member(data: bytes, name: str) -> bytes:
    return zipfile.ZipFile(io.BytesIO(data)).read(name)


# -- a readable view of the paragraphs ------------------------------------------------------------


def word_view(data: bytes, part: str = "word/document.xml") -> list[str]:
    """Each paragraph of a Word part as text with its formatting as tags: <b>, <i>, <Strong>
    (a character style), <a href>, <field CODE>, <ins>, <del>, <tab/>, <br/>, <fn 1/>,
    <bookmark NAME/>, <code/> (a run kept whole)."""
    root = etree.fromstring(member(data, part))
    return [_word_content(paragraph) for paragraph in root.iter(f"{{{W}}}p")]


def _word_content(parent: etree._Element) -> str:
    out = []
    field: list[str] = []
    for child in parent:
        local = etree.QName(child).localname
        if local == "r":
            out.append(_word_run(child, field))
        elif local == "hyperlink":
            target = child.get(f"{{{R}}}id") or f"#{child.get(f'{{{W}}}anchor')}"
            out.append(f"<a {target}>{_word_content(child)}</a>")
        elif local in ("ins", "moveTo"):
            out.append(f"<ins>{_word_content(child)}</ins>")
        elif local == "del":
            out.append(f"<del>{''.join(child.itertext())}</del>")
        elif local == "bookmarkStart":
            out.append(f"<bookmark {child.get(f'{{{W}}}name')}/>")
        elif local == "bookmarkEnd":
            out.append("</bookmark>")
    return "".join(out)


def _word_run(run: etree._Element, field: list[str]) -> str:
    rpr = run.find(f"{{{W}}}rPr")
    wraps = []
    if rpr is not None:
        for prop in rpr:
            local = etree.QName(prop).localname
            if local in ("b", "i", "u") and prop.get(f"{{{W}}}val") not in ("0", "false"):
                wraps.append(local)
            elif local == "rStyle":
                wraps.append(prop.get(f"{{{W}}}val"))
    inside = []
    for child in run:
        local = etree.QName(child).localname
        if local == "t":
            inside.append(child.text or "")
        elif local in ("tab", "br"):
            inside.append(f"<{local}/>")
        elif local == "footnoteReference":
            inside.append(f"<fn {child.get(f'{{{W}}}id')}/>")
        elif local == "fldChar":
            kind = child.get(f"{{{W}}}fldCharType")
            inside.append({"begin": "<field", "separate": ">", "end": "</field>"}[kind])
        elif local == "instrText":
            inside.append(f" {' '.join((child.text or '').split())}")
    text = "".join(inside)
    if rpr is not None and any(w == "HTMLCode" for w in wraps):
        return f"<code>{text}</code>"
    for wrap in reversed(wraps):
        text = f"<{wrap}>{text}</{wrap}>"
    return text


def odt_view(data: bytes, part: str = "content.xml") -> list[str]:
    """Each paragraph and heading as text with <T1>..</T1> for spans (by style name), <a href>,
    <tab/>, <br/>, <s n/> for kept spaces, <note/> for a note."""
    root = etree.fromstring(member(data, part))
    return [_odt_content(paragraph) for paragraph in root.iter(f"{{{TEXT}}}p", f"{{{TEXT}}}h")]


def _odt_content(parent: etree._Element) -> str:
    out = [parent.text or ""]
    for child in parent:
        local = etree.QName(child).localname
        if local == "span":
            style = child.get(f"{{{TEXT}}}style-name")
            out.append(f"<{style}>{_odt_content(child)}</{style}>")
        elif local == "a":
            out.append(f"<a {child.get('{http://www.w3.org/1999/xlink}href')}>{_odt_content(child)}</a>")
        elif local == "s":
            out.append(f"<s {child.get(f'{{{TEXT}}}c', '1')}/>")
        elif local in ("tab", "line-break", "note", "soft-page-break"):
            out.append(f"<{local}/>")
        elif local in ("bookmark-start", "bookmark-end"):
            out.append(f"<{local} {child.get(f'{{{TEXT}}}name')}/>")
        out.append(child.tail or "")
    return "".join(out)
