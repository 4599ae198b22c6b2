"""DOCX and ODT conformance: does a translation keep every document's structure and text?

Every `.docx` and `.odt` file of the reference corpus (`../shared/corpus/formats/docx`, `odt`)
goes through the real pipeline in one run, into Spanish and Chinese, with the bundled *copy*
model (it gives its input back) and no glossary. Since the model changes no text, any
difference between a document and its "translation" is damage done by the adapter or the
pipeline. Each output is compared with its input:

- the package: the same members in the same order with the same compression method, the ODF
  `mimetype` first and stored, every member's CRC right, and every member that holds neither
  text nor the document's language copied byte for byte (its compressed bytes, not only its
  content);
- each XML part that holds text: the same elements and attributes outside paragraphs, and in
  every paragraph the same sequence of formatted stretches of text, containers (links, fields,
  content controls, spans) and other elements, read as a reader sees them: runs or spans of
  equal visible formatting are one stretch (Word splits runs for revision and spelling marks,
  LibreOffice spans for revision ids), Word's spelling and layout caches (`w:proofErr`,
  `w:lastRenderedPageBreak`, `text:soft-page-break`) and empty runs do not count, text
  compares with each run of white space as one space (the model's tokenizer collapses them),
  and an OpenDocument's white space is read as ODF says (`text:s` is spaces);
- the language: every language attribute is left out of that comparison, and the document's
  default language must be the target's;
- `translator build` on the output's review catalog must write the output again, byte for byte;
- rendered again with every letter of every sentence made a Chinese character (markers where
  they were), each document must keep the same structure (every stretch, container and element;
  only the text differs).

It also measures the largest file of each format translated alone into Spanish by a fresh
`translator translate` process: its wall time and its peak memory (VmHWM). Run by
`make conformance`; prints one line of figures, then each failure, and exits 1 on any failure.
Without the corpus it says so and exits 0.
"""
from __future__ import annotations

import argparse
import io
import re
import struct
import sys
import time
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from _common import (
    DEFAULT_CORPUS,
    TARGETS,
    build_again,
    isolated_work,
    measure_translate,
    report,
    translate_with_copy_models,
)

FORMATS = ("docx", "odt")

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
TEXT = "urn:oasis:names:tc:opendocument:xmlns:text:1.0"
STYLE = "urn:oasis:names:tc:opendocument:xmlns:style:1.0"
FO = "urn:oasis:names:tc:opendocument:xmlns:xsl-fo-compatible:1.0"
OFFICE = "urn:oasis:names:tc:opendocument:xmlns:office:1.0"
DC = "http://purl.org/dc/elements/1.1/"
OFFICEOOO = "http://openoffice.org/2009/office"
# Parts the translation may change: those with text, and those that carry the language.
MAY_CHANGE = {
    "docx": re.compile(r"word/(document|header\d*|footer\d*|footnotes|endnotes|comments|styles|settings)\.xml"
                       r"|docProps/core\.xml"),
    "odt": re.compile(r"content\.xml|styles\.xml|meta\.xml"),
}
# What a reader never sees: caches the editor rebuilds, and run properties that change nothing
# in Latin or Chinese text (proofing language, complex-script variants).
IGNORED = {f"{{{W}}}proofErr", f"{{{W}}}lastRenderedPageBreak", f"{{{TEXT}}}soft-page-break"}
INVISIBLE = {f"{{{W}}}{n}" for n in ("lang", "noProof", "specVanish", "webHidden", "bCs", "iCs", "szCs")}
W_CONTAINERS = {f"{{{W}}}{n}" for n in ("hyperlink", "ins", "moveTo", "smartTag", "customXml", "fldSimple",
                                         "dir", "bdo")}
# The language of an ODF style (a Word run's language is its w:lang, left out with the invisible
# properties, and w:lang / w:themeFontLang / dc:language elements are left out of the skeleton).
LANGUAGE_ATTRIBUTES = {f"{{{FO}}}language", f"{{{FO}}}country", f"{{{STYLE}}}language-asian",
                       f"{{{STYLE}}}country-asian"}
WHITESPACE = re.compile(r"\s+")


@dataclass
class Outcome:
    """What one run found."""

    files: dict[str, int] = field(default_factory=dict)  # format -> files
    kept: dict[str, int] = field(default_factory=dict)  # target -> outputs that kept everything
    segments: int = 0
    built: int = 0
    failures: list[str] = field(default_factory=list)
    seconds: float = 0.0
    largest: list[str] = field(default_factory=list)
    spacing: dict[str, int] = field(default_factory=dict)  # target -> paragraphs the model re-spaced
    changed: int = 0  # documents that keep their structure with every sentence changed

    def summary(self) -> str:
        total = sum(self.files.values())
        both = total - len({f.split(":")[0] for f in self.failures})
        per_format = ", ".join(f"{fmt} {n}" for fmt, n in self.files.items())
        per_lang = ", ".join(f"{lang} {n}" for lang, n in self.kept.items())
        line = (f"formats_office: {both}/{total} documents keep their structure and text ({per_format}; "
                f"{per_lang}), {self.segments:,} segments, build reproduces {self.built}/{total * len(TARGETS)} "
                f"outputs, {self.changed}/{total} keep their structure with every sentence changed, "
                f"in {self.seconds:.1f} s")
        spaced = ", ".join(f"{n} in {lang}" for lang, n in self.spacing.items() if n)
        if spaced:
            line += f" (paragraphs whose only change is spacing the copy model changed: {spaced})"
        return line + (f"; largest: {'; '.join(self.largest)}" if self.largest else "")

    @property
    def ok(self) -> bool:
        return not self.failures


# -- the package ----------------------------------------------------------------------------------


def raw_members(data: bytes) -> list[tuple[str, int, bytes]]:
    """(name, method, compressed bytes) of each member, in order."""
    archive = zipfile.ZipFile(io.BytesIO(data))
    found = []
    for info in archive.infolist():
        start = info.header_offset
        name_length, extra_length = struct.unpack("<HH", data[start + 26:start + 30])
        begin = start + 30 + name_length + extra_length
        found.append((info.filename, info.compress_type, data[begin:begin + info.compress_size]))
    return found


def compare_packages(fmt: str, source: bytes, output: bytes) -> list[str]:
    before, after = raw_members(source), raw_members(output)
    problems = []
    if [m[0] for m in before] != [m[0] for m in after]:
        problems.append("the members or their order changed")
    for (name, method, raw), (_, new_method, new_raw) in zip(before, after):
        if method != new_method:
            problems.append(f"{name}: compression {method} became {new_method}")
        if not MAY_CHANGE[fmt].fullmatch(name) and raw != new_raw:
            problems.append(f"{name}: not copied byte for byte")
    if fmt == "odt" and (after[0][0] != "mimetype" or after[0][1] != zipfile.ZIP_STORED):
        problems.append("mimetype is not the first member, stored")
    broken = zipfile.ZipFile(io.BytesIO(output)).testzip()
    if broken is not None:
        problems.append(f"{broken}: its CRC does not match its content")
    return problems


# -- the XML parts --------------------------------------------------------------------------------


def parse(data: bytes) -> Any:
    from lxml import etree

    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False)
    return etree.fromstring(data, parser)


def attributes(element: Any) -> tuple[tuple[str, str], ...]:
    return tuple(sorted((k, v) for k, v in element.attrib.items()
                        if not k.startswith(f"{{{W}}}rsid") and k not in LANGUAGE_ATTRIBUTES))


def canon(element: Any) -> tuple[Any, ...]:
    return (element.tag, attributes(element),
            tuple(canon(c) for c in element if isinstance(c.tag, str) and c.tag not in INVISIBLE),
            (element.text or "").strip())


class OdfStyles:
    """The visible text formatting of each ODF style name (automatic styles per part)."""

    def __init__(self) -> None:
        self.styles: dict[tuple[str, str], tuple[Any, ...] | None] = {}

    def read(self, root: Any, part: str) -> None:
        for container in root.iter(f"{{{OFFICE}}}styles", f"{{{OFFICE}}}automatic-styles"):
            automatic = container.tag.endswith("automatic-styles")
            for style in container.iter(f"{{{STYLE}}}style"):
                name = style.get(f"{{{STYLE}}}name", "")
                if not automatic:
                    self.styles[("", name)] = ("named", name)
                    continue
                props = {k: v for p in style.iter(f"{{{STYLE}}}text-properties") for k, v in p.attrib.items()
                         if not k.startswith(f"{{{OFFICEOOO}}}") and k not in LANGUAGE_ATTRIBUTES
                         and "rfc-language" not in k and "script" not in k and "language" not in k
                         and "country" not in k}
                parent = style.get(f"{{{STYLE}}}parent-style-name")
                self.styles[(part, name)] = (parent, tuple(sorted(props.items()))) if props or parent else None

    def key(self, part: str, name: str) -> tuple[Any, ...] | None:
        if (part, name) in self.styles:
            return self.styles[(part, name)]
        return self.styles.get(("", name), ("named", name) if name else None)


class Signature:
    """A paragraph as a reader sees it: formatted stretches of text, containers, elements."""

    def __init__(self, fmt: str, part: str, odf: OdfStyles | None) -> None:
        self.fmt, self.part, self.odf = fmt, part, odf
        self.items: list[Any] = []

    def text(self, context: tuple[Any, ...], value: str | None) -> None:
        if not value:
            return
        if self.items and self.items[-1][0] == "text" and self.items[-1][1] == context:
            self.items[-1] = ("text", context, self.items[-1][2] + value)
        else:
            self.items.append(("text", context, value))

    def atom(self, context: tuple[Any, ...], element: Any) -> None:
        if isinstance(element.tag, str) and element.tag in IGNORED:
            return
        tag = element.tag if isinstance(element.tag, str) else "comment"
        text = "".join(element.itertext()) if tag == f"{{{W}}}instrText" else ""
        self.items.append(("atom", context, tag, attributes(element) if isinstance(element.tag, str) else (), text))

    def word(self, parent: Any, context: tuple[Any, ...]) -> None:
        for child in parent:
            tag = child.tag
            if not isinstance(tag, str):
                self.atom(context, child)
            elif tag == f"{{{W}}}pPr":
                self.items.append(("pPr", canon(child)))
            elif tag == f"{{{W}}}r":
                rpr = child.find(f"{{{W}}}rPr")
                formatting = tuple(canon(c) for c in rpr if isinstance(c.tag, str) and c.tag not in INVISIBLE) \
                    if rpr is not None else ()
                for item in child:
                    if item.tag == f"{{{W}}}rPr":
                        continue
                    if item.tag == f"{{{W}}}t":
                        self.text(context + (formatting,), item.text)
                    else:
                        self.atom(context + (formatting,), item)
            elif tag == f"{{{W}}}sdt":
                props = tuple(canon(c) for c in child if c.tag != f"{{{W}}}sdtContent")
                content = child.find(f"{{{W}}}sdtContent")
                if content is not None:
                    self.word(content, context + (("sdt", props),))
            elif tag in W_CONTAINERS:
                props = tuple(canon(c) for c in child if c.tag != f"{{{W}}}r" and c.tag.endswith("Pr"))
                self.word(child, context + ((tag, attributes(child), props),))
            else:
                self.atom(context, child)

    def odt(self, parent: Any, context: tuple[Any, ...]) -> None:
        self.odt_text(context, parent.text)
        for child in parent:
            tag = child.tag
            if tag == f"{{{TEXT}}}s":
                count = child.get(f"{{{TEXT}}}c", "1")
                self.text(context, " " * int(count))
            elif tag == f"{{{TEXT}}}span":
                assert self.odf is not None
                key = self.odf.key(self.part, child.get(f"{{{TEXT}}}style-name", ""))
                self.odt(child, context + ((("span", key),) if key is not None else ()))
            elif tag in (f"{{{TEXT}}}a", f"{{{TEXT}}}meta", f"{{{TEXT}}}bookmark-ref", f"{{{TEXT}}}reference-ref"):
                self.odt(child, context + ((tag, attributes(child)),))
            else:
                self.atom(context, child)
            self.odt_text(context, child.tail)

    def odt_text(self, context: tuple[Any, ...], value: str | None) -> None:
        self.text(context, re.sub(r"[\t\r\n]", " ", value) if value else value)

    def result(self) -> list[Any]:
        out = []
        for item in self.items:
            if item[0] == "text":
                text = WHITESPACE.sub(" ", item[2])
                if out and out[-1][0] == "text" and out[-1][1] == item[1]:
                    out[-1] = ("text", item[1], WHITESPACE.sub(" ", out[-1][2] + text))
                elif text.strip() or not out or out[-1][0] != "text":
                    out.append(("text", item[1], text))
            else:
                out.append(item)
        # Edges of a paragraph: white space there is not shown.
        return [("text", i[1], i[2].strip()) if i[0] == "text" else i for i in out
                if i[0] != "text" or i[2].strip()]


def describe_part(fmt: str, part: str, root: Any, odf: OdfStyles | None) -> tuple[list[Any], list[Any]]:
    """The part's skeleton (everything outside paragraphs) and each paragraph's signature."""
    paragraph_tags = {f"{{{W}}}p"} if fmt == "docx" else {f"{{{TEXT}}}p", f"{{{TEXT}}}h"}
    language_elements = {f"{{{W}}}lang", f"{{{W}}}themeFontLang", f"{{{DC}}}language"}
    skeleton: list[Any] = []
    paragraphs: list[Any] = []

    def walk(element: Any) -> None:
        for child in element:
            if not isinstance(child.tag, str):
                continue
            if child.tag in language_elements:
                continue
            if child.tag in paragraph_tags:
                skeleton.append(("paragraph", child.tag, attributes(child)))
                signature = Signature(fmt, part, odf)
                if fmt == "docx":
                    signature.word(child, ())
                else:
                    signature.odt(child, ())
                paragraphs.append(signature.result())
                for holder in _paragraph_holders(child, paragraph_tags):  # text boxes, notes
                    walk(holder)
                continue
            skeleton.append((child.tag, attributes(child), (child.text or "").strip()))
            walk(child)
            skeleton.append("end")

    walk(root)
    return skeleton, paragraphs


def _paragraph_holders(paragraph: Any, paragraph_tags: set[str]) -> list[Any]:
    """The elements inside a paragraph whose children are paragraphs (a text box's content, a
    note's body), outermost only."""
    holders = []
    for nested in paragraph.iter(*paragraph_tags):
        if nested is paragraph:
            continue
        holder = nested.getparent()
        if holder not in holders and not any(h in holder.iterancestors() for h in holders):
            holders.append(holder)
    return holders


def compare_parts(fmt: str, source: bytes, output: bytes, target: str, model_spacing: bool = False,
                  text_changed: bool = False) -> tuple[list[str], int]:
    """What differs between the parts of `source` and `output`, and how many paragraphs differ
    only in spaces the model itself dropped or added (`model_spacing`: its catalog shows it).
    With `text_changed`, the text of each stretch is not compared, only that it is there."""
    before_zip = zipfile.ZipFile(io.BytesIO(source))
    after_zip = zipfile.ZipFile(io.BytesIO(output))
    problems = []
    spacing = 0
    odf_before = OdfStyles() if fmt == "odt" else None
    odf_after = OdfStyles() if fmt == "odt" else None
    names = [n for n in before_zip.namelist() if MAY_CHANGE[fmt].fullmatch(n)]
    roots = {n: (parse(before_zip.read(n)), parse(after_zip.read(n))) for n in names}
    if fmt == "odt":
        assert odf_before is not None and odf_after is not None
        for n in ("styles.xml", "content.xml"):
            if n in roots:
                odf_before.read(roots[n][0], n)
                odf_after.read(roots[n][1], n)
    for name in names:
        before_root, after_root = roots[name]
        skeleton_a, paragraphs_a = describe_part(fmt, name, before_root, odf_before)
        skeleton_b, paragraphs_b = describe_part(fmt, name, after_root, odf_after)
        if skeleton_a != skeleton_b:
            first = next((k for k, (x, y) in enumerate(zip(skeleton_a, skeleton_b)) if x != y),
                         min(len(skeleton_a), len(skeleton_b)))
            problems.append(f"{name}: the structure outside paragraphs changed at element {first}")
        if len(paragraphs_a) != len(paragraphs_b):
            problems.append(f"{name}: {len(paragraphs_a)} paragraphs became {len(paragraphs_b)}")
        for number, (a, b) in enumerate(zip(paragraphs_a, paragraphs_b), start=1):
            if text_changed:
                a, b = _shape(a), _shape(b)
            if a != b:
                if model_spacing and _without_spaces(a) == _without_spaces(b):
                    spacing += 1
                else:
                    problems.append(f"{name}: paragraph {number} changed: {_first_difference(a, b)}")
    language = _language(fmt, after_zip)
    if language is None or not language.lower().startswith(target):
        problems.append(f"the document's language is {language!r}, not {target}")
    return problems, spacing


def _shape(items: list[Any]) -> list[Any]:
    return [(i[0], i[1]) if i[0] == "text" else i for i in items]


def changed(text: str) -> str:
    """A sentence with every letter made a Chinese character, its markers where they were."""
    return re.sub(r"[^\W\d_]", "中", text)


def _without_spaces(items: list[Any]) -> list[Any]:
    return [(i[0], i[1], WHITESPACE.sub("", i[2])) if i[0] == "text" else i for i in items]


def model_changed_spaces(catalog: Path) -> bool:
    """Whether the model gave back some sentence with its spaces changed (and nothing else)."""
    import polib

    return any(e.msgstr != e.msgid and WHITESPACE.sub("", e.msgstr) == WHITESPACE.sub("", e.msgid)
               for e in polib.pofile(str(catalog)))


def _first_difference(a: list[Any], b: list[Any]) -> str:
    for x, y in zip(a, b):
        if x != y:
            return f"{str(x)[-160:]} became {str(y)[-160:]}"
    return f"{len(a)} items became {len(b)}"


def _language(fmt: str, archive: zipfile.ZipFile) -> str | None:
    if fmt == "docx":
        root = parse(archive.read("word/styles.xml"))
        found = root.find(f"{{{W}}}docDefaults/{{{W}}}rPrDefault/{{{W}}}rPr/{{{W}}}lang")
        return found.get(f"{{{W}}}val") if found is not None else None
    root = parse(archive.read("meta.xml"))
    found = root.find(f".//{{{DC}}}language")
    return found.text if found is not None else None


# -- the run --------------------------------------------------------------------------------------


def run(files: list[Path], work: Path, measure: bool = True) -> Outcome:
    """Translate every file into every target in one pipeline run under `work`, and compare."""
    from translator.errors import TranslatorError
    from translator.pipeline import Source, read_source

    outcome = Outcome()
    out_dir = work / "out"
    started = time.perf_counter()
    sources: list[Source] = []
    for path in files:
        fmt = path.suffix.lstrip(".")
        outcome.files[fmt] = outcome.files.get(fmt, 0) + 1
        try:
            sources.append(read_source(path))
        except TranslatorError as exc:
            outcome.failures.append(f"{path.name}: refused: {exc}")
    outcome.segments = sum(len(s.segments()) for s in sources)
    translate_with_copy_models(sources, out_dir)
    outcome.seconds = time.perf_counter() - started
    outcome.kept = {lang: 0 for lang in TARGETS}
    for path in files:
        fmt = path.suffix.lstrip(".")
        source = path.read_bytes()
        for lang in TARGETS:
            output_path = out_dir / lang / path.name
            if not output_path.is_file():
                outcome.failures.append(f"{path.name}: no {lang} output")
                continue
            output = output_path.read_bytes()
            catalog = out_dir / lang / f"{path.stem}.po"
            found, spacing = compare_parts(fmt, source, output, lang, model_changed_spaces(catalog))
            problems = compare_packages(fmt, source, output) + found
            outcome.spacing[lang] = outcome.spacing.get(lang, 0) + spacing
            outcome.failures += [f"{path.name}: {lang}: {p}" for p in problems]
            outcome.kept[lang] += not problems
            problem = build_again(catalog, output, work)
            if problem is None:
                outcome.built += 1
            else:
                outcome.failures.append(f"{path.name}: {lang}: {problem}")
    from translator import formats

    for path in files:
        fmt = path.suffix.lstrip(".")
        adapter = formats.by_name(fmt)
        source = path.read_bytes()
        try:
            document = adapter.parse(source, path.name)
            output = adapter.render(document, [changed(s.text) for s in document.segments()], lang="zh")
        except TranslatorError as exc:
            outcome.failures.append(f"{path.name}: every sentence changed: {exc}")
            continue
        problems = compare_packages(fmt, source, output) + compare_parts(fmt, source, output, "zh",
                                                                         text_changed=True)[0]
        outcome.failures += [f"{path.name}: every sentence changed: {p}" for p in problems]
        outcome.changed += not problems
    if measure:
        for fmt in FORMATS:
            candidates = [p for p in files if p.suffix == f".{fmt}"]
            if candidates:
                largest = max(candidates, key=lambda p: p.stat().st_size)
                outcome.largest.append(_measure(largest, work))
    return outcome


def _measure(path: Path, work: Path) -> str:
    """Wall time and peak memory of a fresh process translating `path` alone into es."""
    seconds, peak_mb, returncode, error = measure_translate(path, work, "--to", "es")
    if returncode:
        return f"{path.name} not measured (exit {returncode}: {error})"
    return f"{path.name} ({path.stat().st_size / 1024:,.0f} KB) {seconds:.2f} s, {peak_mb:.0f} MB"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description="Translate the corpus's DOCX and ODT files with the copy model; compare structure.")
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS,
                        help="the reference corpus folder (default: ../shared/corpus)")
    parser.add_argument("--no-measure", action="store_true", help="skip the time and memory figures")
    args = parser.parse_args(argv)
    folder = args.corpus / "formats"
    files = sorted(p for fmt in FORMATS for p in (folder / fmt).glob(f"*.{fmt}")) if folder.is_dir() else []
    if not files:
        print(f"formats_office: skipped (no .docx or .odt files under {folder})")
        return 0
    with isolated_work("office") as work:
        outcome = run(files, work, measure=not args.no_measure)
    return report(outcome.summary(), outcome.failures, outcome.ok)


if __name__ == "__main__":
    sys.exit(main())
