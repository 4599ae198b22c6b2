"""CSV and TBX import and export, for spreadsheets and terminology tools.

CSV: one row per concept, UTF-8 (a BOM from Excel is accepted), a header row naming the columns::

    term,context,variants,case_sensitive,note,es,es_flags,es_forbidden,es_comment,zh,...

Only ``term`` is required; every other column is optional and an absent column leaves that fact
as it is in the termbase on import. Lists (``variants``, ``<lang>_forbidden``) are separated by
``|``; ``case_sensitive`` is yes/no; ``<lang>_flags`` holds the PO flags ``fuzzy`` and
``do-not-translate``, comma-separated. Any other column name is an error (a typo would otherwise
drop data silently).

TBX: TBX-Basic (ISO 30042 ``martif``) is written; TBX v3 (``tbx``/``conceptEntry``) is read as well.
One ``termEntry`` per concept; the ``en`` langSet holds the term (administrativeStatus
preferredTerm-admn-sts) and its variants (admittedTerm-admn-sts); a target langSet holds the
rendering (preferred, or admitted when it is a fuzzy proposal) and forbidden renderings
(deprecatedTerm-admn-sts). The context is the entry's ``subjectField``, the note its ``note``;
``case-sensitive``, ``do-not-translate`` and ``fuzzy`` are ``note`` elements on the term.

Import merges: a new concept is added, an existing one (same term and context) gets the facts the
file gives. A clash with another concept stops the import before anything is written.
"""
from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from dataclasses import dataclass, replace
from pathlib import Path
from typing import IO
from xml.parsers import expat
from xml.sax.saxutils import escape, quoteattr

from .errors import GlossaryError, ImportFormatError, InvalidTermError
from .model import SOURCE_LANGUAGE, Concept, Rendering, Termbase, check_language

FORMATS = ("csv", "tbx")
_SEPARATOR = "|"
_BASE_COLUMNS = ("term", "context", "variants", "case_sensitive", "note")
_LANG_SUFFIXES = ("", "_flags", "_forbidden", "_comment")
_YES = {"yes", "y", "true", "1", "x"}
_NO = {"no", "n", "false", "0", ""}
_FLAG_WORDS = {"fuzzy", "do-not-translate"}


@dataclass(frozen=True)
class Imported:
    """A concept read from a file, which of its facts the file gave, and where it was."""

    concept: Concept
    given: frozenset[str]  # "variants", "case_sensitive", "note", "<lang>", "<lang>_flags", ...
    line: int


def format_for(path: str | Path) -> str:
    """The exchange format a file name implies (csv or tbx), or ValueError."""
    suffix = Path(path).suffix.lower().lstrip(".")
    if suffix in FORMATS:
        return suffix
    raise ValueError(f"cannot tell the format of {Path(path).name}; use .csv or .tbx")


# -- merge ---------------------------------------------------------------------------------
def merge(termbase: Termbase, items: Iterable[Imported], name: str) -> tuple[int, int]:
    """Apply imported concepts to `termbase`; return (added, updated). Clashes name file:line."""
    added = updated = 0
    for item in items:
        incoming = item.concept
        try:
            if incoming.key not in termbase:
                termbase.add(incoming)
                added += 1
                continue
            current = termbase.get(incoming.term, incoming.context)
            merged = _merge_concept(current, incoming, item.given)
            if merged != current:
                termbase.replace(merged)
                updated += 1
        except GlossaryError as exc:
            raise ImportFormatError(name, item.line, str(exc)) from None
    return added, updated


def _merge_concept(current: Concept, incoming: Concept, given: frozenset[str]) -> Concept:
    changes: dict[str, object] = {}
    if "variants" in given:
        changes["variants"] = incoming.variants
    if "case_sensitive" in given:
        changes["case_sensitive"] = incoming.case_sensitive
    if "note" in given:
        changes["note"] = incoming.note
    merged = replace(current, **changes)  # type: ignore[arg-type]
    for rendering in incoming.renderings:
        lang = rendering.lang
        old = current.entry(lang) or Rendering(lang)
        fields: dict[str, object] = {}
        if lang in given:
            fields["text"] = rendering.text
        if f"{lang}_flags" in given:
            fields["fuzzy"], fields["keep"] = rendering.fuzzy, rendering.keep
        if f"{lang}_forbidden" in given:
            fields["forbidden"] = rendering.forbidden
        if f"{lang}_comment" in given:
            fields["comment"] = rendering.comment
        merged = merged.with_rendering(replace(old, **fields))  # type: ignore[arg-type]
    return merged


# -- CSV -----------------------------------------------------------------------------------
def _split_list(cell: str) -> tuple[str, ...]:
    return tuple(v.strip() for v in cell.split(_SEPARATOR) if v.strip())


def _join_list(values: Iterable[str], what: str) -> str:
    values = list(values)
    for value in values:
        if _SEPARATOR in value:
            raise InvalidTermError(f"{what} {value!r} contains {_SEPARATOR!r}, the CSV list separator")
    return _SEPARATOR.join(values)


def read_csv(fileobj: IO[str], name: str = "<stream>") -> list[Imported]:
    """Read concepts from CSV text (open the file with newline="" as the csv module asks)."""
    reader = csv.reader(fileobj, strict=True)
    try:
        header = next(reader, None)
    except csv.Error as exc:
        raise ImportFormatError(name, 1, f"not CSV: {exc}") from None
    if not header:
        raise ImportFormatError(name, 1, "empty file: expected a header row with a 'term' column")
    header = [h.strip().lstrip("\ufeff") for h in header]
    columns = _check_header(header, name)
    items: list[Imported] = []
    seen: dict[tuple[str | None, str], int] = {}
    while True:
        try:
            row = next(reader)
        except StopIteration:
            break
        except csv.Error as exc:
            raise ImportFormatError(name, reader.line_num, f"not CSV: {exc}") from None
        line = reader.line_num
        if not any(cell.strip() for cell in row):
            continue
        if len(row) != len(header):
            raise ImportFormatError(
                name, line, f"{len(row)} fields where the header has {len(header)}"
            )
        cells = dict(zip(header, row))
        try:
            item = _concept_from_row(cells, columns, line)
        except GlossaryError as exc:
            raise ImportFormatError(name, line, str(exc)) from None
        key = item.concept.key
        if key in seen:
            raise ImportFormatError(
                name, line, f"{item.concept.label!r} already appears on line {seen[key]}"
            )
        seen[key] = line
        items.append(item)
    return items


def _check_header(header: list[str], name: str) -> dict[str, list[str]]:
    if "term" not in header:
        raise ImportFormatError(name, 1, "no 'term' column in the header row")
    if len(set(header)) != len(header):
        raise ImportFormatError(name, 1, "a column name appears twice in the header row")
    langs: dict[str, list[str]] = {}
    for column in header:
        if column in _BASE_COLUMNS:
            continue
        for suffix in sorted(_LANG_SUFFIXES, key=len, reverse=True):
            if suffix and column.endswith(suffix):
                lang = column[: -len(suffix)]
                break
        else:
            lang, suffix = column, ""
        try:
            check_language(lang)
        except GlossaryError:
            known = ", ".join(_BASE_COLUMNS)
            raise ImportFormatError(
                name, 1, f"unknown column {column!r} (expected {known}, or a language code)"
            ) from None
        langs.setdefault(lang, []).append(column)
    return langs


def _concept_from_row(cells: dict[str, str], langs: dict[str, list[str]], line: int) -> Imported:
    given: set[str] = {c for c in ("variants", "case_sensitive", "note") if c in cells}
    case = cells.get("case_sensitive", "").strip().lower()
    if case not in _YES | _NO:
        raise InvalidTermError(f"case_sensitive must be yes or no, not {case!r}")
    renderings = []
    for lang, columns in langs.items():
        if not any(cells[column].strip() for column in columns):
            continue  # nothing said about this language: leave it as it is
        flags = {f.strip() for f in cells.get(f"{lang}_flags", "").split(",") if f.strip()}
        unknown = flags - _FLAG_WORDS
        if unknown:
            raise InvalidTermError(
                f"unknown flag {sorted(unknown)[0]!r} in {lang}_flags (use fuzzy, do-not-translate)"
            )
        renderings.append(
            Rendering(
                lang=lang,
                text=cells.get(lang, ""),
                fuzzy="fuzzy" in flags,
                keep="do-not-translate" in flags,
                forbidden=_split_list(cells.get(f"{lang}_forbidden", "")),
                comment=cells.get(f"{lang}_comment", ""),
            )
        )
        # An empty rendering cell says nothing; it never clears a rendering.
        given.update(c for c in columns if c != lang or cells[lang].strip())
    context = cells.get("context", "").strip() or None
    concept = Concept(
        term=cells["term"],
        context=context,
        variants=_split_list(cells.get("variants", "")),
        case_sensitive=case in _YES,
        note=cells.get("note", ""),
        renderings=tuple(renderings),
    )
    return Imported(concept, frozenset(given), line)


def write_csv(termbase: Termbase, fileobj: IO[str], languages: Iterable[str] | None = None) -> None:
    """Write every concept as one CSV row, with all columns, so import restores it exactly."""
    langs = list(languages) if languages is not None else list(termbase.languages)
    writer = csv.writer(fileobj, lineterminator="\n")
    writer.writerow([*_BASE_COLUMNS, *(f"{lang}{s}" for lang in langs for s in _LANG_SUFFIXES)])
    for concept in termbase:
        row = [
            concept.term,
            concept.context or "",
            _join_list(concept.variants, "variant"),
            "yes" if concept.case_sensitive else "no",
            concept.note,
        ]
        for lang in langs:
            r = concept.entry(lang) or Rendering(lang)
            flags = ["fuzzy"] * r.fuzzy + ["do-not-translate"] * r.keep
            row += [r.text, ",".join(flags), _join_list(r.forbidden, "forbidden rendering"), r.comment]
        writer.writerow(row)


# -- TBX -----------------------------------------------------------------------------------
_XML_LANG = "http://www.w3.org/XML/1998/namespace lang"
_PREFERRED = "preferredTerm-admn-sts"
_ADMITTED = "admittedTerm-admn-sts"
_DEPRECATED = {"deprecatedTerm-admn-sts", "supersededTerm-admn-sts"}


class _Node:
    __slots__ = ("attrs", "children", "line", "tag", "text")

    def __init__(self, tag: str, attrs: dict[str, str], line: int) -> None:
        self.tag = tag.rsplit(" ", 1)[-1]  # local name, namespace dropped
        self.attrs = {k.rsplit(" ", 1)[-1] if k != _XML_LANG else "xml:lang": v for k, v in attrs.items()}
        self.children: list[_Node] = []
        self.text = ""
        self.line = line

    def find(self, *tags: str) -> list[_Node]:
        return [c for c in self.children if c.tag in tags]

    def walk(self) -> Iterable[_Node]:
        for child in self.children:
            yield child
            yield from child.walk()


def _parse_xml(data: bytes, name: str) -> _Node:
    """Parse XML with line numbers kept, refusing entity declarations (billion laughs)."""
    parser = expat.ParserCreate(namespace_separator=" ")
    stack: list[_Node] = []
    root: list[_Node] = []

    def start(tag: str, attrs: dict[str, str]) -> None:
        node = _Node(tag, attrs, parser.CurrentLineNumber)
        if stack:
            stack[-1].children.append(node)
        else:
            root.append(node)
        stack.append(node)

    def end(_tag: str) -> None:
        stack.pop()

    def chars(text: str) -> None:
        if stack:
            stack[-1].text += text

    def entity(*_args: object) -> None:
        raise ImportFormatError(name, parser.CurrentLineNumber, "entity declarations are not allowed")

    parser.StartElementHandler = start
    parser.EndElementHandler = end
    parser.CharacterDataHandler = chars
    parser.EntityDeclHandler = entity
    try:
        parser.Parse(data, True)
    except expat.ExpatError as exc:
        raise ImportFormatError(name, exc.lineno, expat.ErrorString(exc.code)) from None
    return root[0]


def _lang_of(node: _Node) -> str:
    return node.attrs.get("xml:lang", node.attrs.get("lang", "")).strip()


def _po_lang(tag: str) -> str:
    """TBX (BCP 47) language tag to a gettext code: es-ES -> es_ES, zh-Hans -> zh_Hans."""
    parts = tag.replace("_", "-").split("-")
    return "_".join([parts[0].lower(), *parts[1:]])


def _tbx_lang(lang: str) -> str:
    return lang.replace("_", "-")


def _terms(lang_node: _Node) -> list[tuple[str, str, set[str], int]]:
    """(term, administrative status, note words, line) for each term of a langSet/langSec."""
    found = []
    for group in lang_node.find("tig", "ntig", "termSec"):
        term_nodes = [n for n in group.walk() if n.tag == "term"]
        if not term_nodes:
            continue
        status = ""
        notes: set[str] = set()
        for node in group.walk():
            if node.tag == "termNote" and node.attrs.get("type") == "administrativeStatus":
                status = node.text.strip()
            elif node.tag == "note":
                notes.update(w.strip() for w in node.text.split(","))
        found.append((term_nodes[0].text, status, notes, group.line))
    return found


def read_tbx(fileobj: IO[bytes], name: str = "<stream>") -> list[Imported]:
    """Read concepts from a TBX file (TBX-Basic v2 martif, or TBX v3)."""
    root = _parse_xml(fileobj.read(), name)
    if root.tag not in ("martif", "tbx"):
        raise ImportFormatError(name, root.line, f"<{root.tag}> is not a TBX root (martif or tbx)")
    source = _po_lang(_lang_of(root) or SOURCE_LANGUAGE).split("_")[0]
    items: list[Imported] = []
    seen: dict[tuple[str | None, str], int] = {}
    entries = [n for n in root.walk() if n.tag in ("termEntry", "conceptEntry")]
    for entry in entries:
        try:
            item = _concept_from_entry(entry, source)
        except GlossaryError as exc:
            raise ImportFormatError(name, getattr(exc, "line", None) or entry.line, str(exc)) from None
        if item.concept.key in seen:
            raise ImportFormatError(
                name, entry.line, f"{item.concept.label!r} already appears on line {seen[item.concept.key]}"
            )
        seen[item.concept.key] = entry.line
        items.append(item)
    return items


def _concept_from_entry(entry: _Node, source: str) -> Imported:
    context = next((d.text.strip() for d in entry.find("descrip") if d.attrs.get("type") == "subjectField"), None)
    note = "\n".join(n.text.strip() for n in entry.find("note") if n.text.strip())
    term = None
    variants: list[str] = []
    case_sensitive = False
    renderings = []
    given = {"variants", "case_sensitive", "note"}
    for lang_node in entry.find("langSet", "langSec"):
        tag = _lang_of(lang_node)
        if not tag:
            raise InvalidTermError("a langSet has no xml:lang")
        terms = _terms(lang_node)
        if _po_lang(tag).split("_")[0] == source:  # en, en-US, en-GB: all source spellings
            usable = [t for t in terms if t[1] not in _DEPRECATED]
            preferred = next((t for t in usable if t[1] == _PREFERRED), usable[0] if usable else None)
            if term is None and preferred is not None:
                term = preferred[0]
                case_sensitive = "case-sensitive" in preferred[2]
            variants += [t[0] for t in usable if t[0] != term]
            continue
        lang = check_language(_po_lang(tag))
        forbidden = [t[0] for t in terms if t[1] in _DEPRECATED]
        usable = [t for t in terms if t[1] not in _DEPRECATED]
        chosen = next((t for t in usable if t[1] == _PREFERRED), usable[0] if usable else None)
        comment = "\n".join(n.text.strip() for n in lang_node.find("note") if n.text.strip())
        renderings.append(
            Rendering(
                lang=lang,
                text=chosen[0] if chosen else "",
                fuzzy=chosen is not None and ("fuzzy" in chosen[2] or chosen[1] == _ADMITTED),
                keep=chosen is not None and "do-not-translate" in chosen[2],
                forbidden=tuple(forbidden),
                comment=comment,
            )
        )
        given.update(f"{lang}{s}" for s in _LANG_SUFFIXES)
    if term is None:
        raise InvalidTermError(f"the entry has no {source} term")
    concept = Concept(
        term=term, context=context, variants=tuple(variants), case_sensitive=case_sensitive,
        note=note, renderings=tuple(renderings),
    )
    return Imported(concept, frozenset(given), entry.line)


def write_tbx(termbase: Termbase, fileobj: IO[str], languages: Iterable[str] | None = None) -> None:
    """Write TBX-Basic (martif), one termEntry per concept, readable by terminology tools."""
    langs = list(languages) if languages is not None else list(termbase.languages)
    out = fileobj.write
    out('<?xml version="1.0" encoding="UTF-8"?>\n')
    out('<!DOCTYPE martif SYSTEM "TBXBasiccoreStructV02.dtd">\n')
    out(f'<martif type="TBX-Basic" xml:lang="{SOURCE_LANGUAGE}">\n')
    out("  <martifHeader>\n    <fileDesc>\n      <sourceDesc><p>translator glossary</p></sourceDesc>\n"
        "    </fileDesc>\n  </martifHeader>\n  <text>\n    <body>\n")
    for number, concept in enumerate(termbase, start=1):
        out(f'      <termEntry id="c{number}">\n')
        if concept.context is not None:
            out(f'        <descrip type="subjectField">{escape(concept.context)}</descrip>\n')
        if concept.note:
            out(f"        <note>{escape(concept.note)}</note>\n")
        out(f'        <langSet xml:lang="{SOURCE_LANGUAGE}">\n')
        out(_tig(concept.term, _PREFERRED, ["case-sensitive"] if concept.case_sensitive else []))
        for variant in concept.variants:
            out(_tig(variant, _ADMITTED, []))
        out("        </langSet>\n")
        for lang in langs:
            r = concept.entry(lang)
            if r is None or not (r.text or r.forbidden or r.comment):
                continue
            out(f"        <langSet xml:lang={quoteattr(_tbx_lang(lang))}>\n")
            if r.comment:
                out(f"          <note>{escape(r.comment)}</note>\n")
            if r.text:
                notes = ["fuzzy"] * r.fuzzy + ["do-not-translate"] * r.keep
                out(_tig(r.text, _ADMITTED if r.fuzzy else _PREFERRED, notes))
            for bad in r.forbidden:
                out(_tig(bad, "deprecatedTerm-admn-sts", []))
            out("        </langSet>\n")
        out("      </termEntry>\n")
    out("    </body>\n  </text>\n</martif>\n")


def _tig(term: str, status: str, notes: list[str]) -> str:
    lines = [
        "          <tig>\n",
        f"            <term>{escape(term)}</term>\n",
        f'            <termNote type="administrativeStatus">{status}</termNote>\n',
        *(f"            <note>{note}</note>\n" for note in notes),
        "          </tig>\n",
    ]
    return "".join(lines)


# -- files ---------------------------------------------------------------------------------
def read_file(path: str | Path, fmt: str | None = None) -> list[Imported]:
    """Read a CSV or TBX file (format from `fmt` or the file name)."""
    path = Path(path)
    fmt = fmt or format_for(path)
    if fmt == "csv":
        data = path.read_bytes()
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            line = data[: exc.start].count(b"\n") + 1
            raise ImportFormatError(str(path), line, "not UTF-8 text (save it as CSV UTF-8)") from None
        return read_csv(io.StringIO(text, newline=""), str(path))
    with open(path, "rb") as handle:
        return read_tbx(handle, str(path))


def export_text(termbase: Termbase, fmt: str, languages: Iterable[str] | None = None) -> str:
    """The whole termbase as CSV or TBX text."""
    buffer = io.StringIO()
    (write_csv if fmt == "csv" else write_tbx)(termbase, buffer, languages)
    return buffer.getvalue()

