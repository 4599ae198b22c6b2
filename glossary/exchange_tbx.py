"""TBX (ISO 30042) termbases: TBX v2 (``martif``) and v3 (``tbx``), DCA and DCT style, read
safely; TBX-Basic written.

**Reading.** The file is parsed by expat, one concept entry (``termEntry``/``conceptEntry``) at a
time, so memory holds one entry, never the whole tree. The parser never fetches anything: no
external DTD or entity is read, an entity declaration refuses the file (it could make a small file
enormous), an entity that only an external DTD could define refuses it too (naming the entity and
the line: it would otherwise vanish from the term), and elements nested deeper than `MAX_DEPTH`
refuse it (a TBX file nests about ten deep). Those problems, and XML that is not well-formed, are
fatal: nothing in the file can be trusted. Everything else is a problem of one entry, reported
with its line, and the other entries are still read.

What an entry gives (README, "TBX import"): the English language section's terms make the concept
(the first approved one is the term, every other English term a variant, a deprecated one never
the term); each other language section gives the rendering (its first approved term, else its
first admitted or unmarked one), the forbidden renderings (deprecated, superseded, obsolete, not
recommended) and a comment (the section's notes, and other acceptable terms). The entry's
``subjectField`` is the context; its notes and English definitions are the note.
"""
from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import IO
from xml.parsers import expat
from xml.sax.saxutils import escape, quoteattr

from .errors import GlossaryError
from .exchange_common import Imported, Languages, Parsed, control_character, is_source
from .model import SOURCE_LANGUAGE, Concept, Rendering, Termbase

#: Deeper nesting than this is refused: TBX needs about ten levels, and a parser that follows
#: 200,000 of them spends its memory on a file that holds no terms.
MAX_DEPTH = 100

_XML_LANG = "http://www.w3.org/XML/1998/namespace lang"
_CORE_NAMESPACES = {"", "urn:iso:std:iso:30042:ed-2", "urn:iso:std:iso:30042:ed:3.0"}
_ENTRIES = {"termEntry", "conceptEntry"}
_SECTIONS = {"langSet", "langSec"}
_TERM_GROUPS = {"tig", "ntig", "termSec"}
# DCA style: <termNote type="administrativeStatus">; DCT style: <min:administrativeStatus>.
_CATEGORY_ELEMENTS = {"descrip", "admin", "termNote", "transac", "transacNote", "ref", "xref",
                      "descripNote", "adminNote"}
_STATUS_CATEGORIES = {"administrativeStatus", "usageStatus", "normativeAuthorization"}

PREFERRED, ADMITTED, FORBIDDEN = "preferred", "admitted", "forbidden"
#: Every status value this import knows (compared without letter case), and what it means here.
STATUSES = {
    "preferredterm-admn-sts": PREFERRED, "preferred": PREFERRED,
    "standardizedterm-admn-sts": PREFERRED, "legalterm-admn-sts": PREFERRED,
    "regulatedterm-admn-sts": PREFERRED,
    "admittedterm-admn-sts": ADMITTED, "admitted": ADMITTED,
    "deprecatedterm-admn-sts": FORBIDDEN, "deprecated": FORBIDDEN,
    "supersededterm-admn-sts": FORBIDDEN, "superseded": FORBIDDEN,
    "obsolete": FORBIDDEN, "notrecommended": FORBIDDEN, "not recommended": FORBIDDEN,
}
_LAYOUT_BREAK = re.compile(r"[ \t]*\r?\n[ \t]+")
_FLAG_NOTES = {"case-sensitive", "do-not-translate", "fuzzy"}

_PREFERRED_STS = "preferredTerm-admn-sts"
_ADMITTED_STS = "admittedTerm-admn-sts"
_DEPRECATED_STS = "deprecatedTerm-admn-sts"


class _Node:
    """One element of the entry being read, with all the text inside it and its first line."""

    __slots__ = ("attrs", "children", "line", "ns", "tag", "text")

    def __init__(self, tag: str, attrs: dict[str, str], line: int) -> None:
        ns, _, local = tag.rpartition(" ")
        self.ns = ns
        self.tag = local
        self.attrs = {("xml:lang" if k == _XML_LANG else k.rpartition(" ")[2]): v for k, v in attrs.items()}
        self.children: list[_Node] = []
        self.text = ""
        self.line = line

    def walk(self) -> Iterator[_Node]:
        """Every element below this one, in document order (no recursion: depth is bounded
        anyway, but a loop costs nothing)."""
        stack = list(reversed(self.children))
        while stack:
            node = stack.pop()
            yield node
            stack.extend(reversed(node.children))

    @property
    def category(self) -> str | None:
        """The data category the element holds (DCA ``type`` or DCT element name), if any."""
        if self.tag in _CATEGORY_ELEMENTS and self.ns in _CORE_NAMESPACES:
            return self.attrs.get("type", "")
        return self.tag if self.ns not in _CORE_NAMESPACES else None

    @property
    def core(self) -> bool:
        return self.ns in _CORE_NAMESPACES


class _Fatal(Exception):
    def __init__(self, line: int, reason: str) -> None:
        super().__init__(reason)
        self.line = line
        self.reason = reason


@dataclass(frozen=True)
class _Term:
    text: str
    status: str  # PREFERRED, ADMITTED, FORBIDDEN or "" (none given)
    flags: frozenset[str]
    line: int


class _Reader:
    """The expat handlers: build one entry at a time and turn it into an item or problems."""

    def __init__(self, parsed: Parsed, languages: Languages) -> None:
        self.parsed = parsed
        self.languages = languages
        self.depth = 0
        self.root: str | None = None
        self.open: list[_Node] = []  # the entry being read and its open descendants
        parser = expat.ParserCreate(namespace_separator=" ")
        parser.buffer_text = True
        parser.SetParamEntityParsing(expat.XML_PARAM_ENTITY_PARSING_NEVER)
        parser.StartElementHandler = self.start
        parser.EndElementHandler = self.end
        parser.CharacterDataHandler = self.chars
        parser.EntityDeclHandler = self.entity_declaration
        parser.SkippedEntityHandler = self.skipped_entity
        self.parser = parser

    def fail(self, reason: str) -> None:
        raise _Fatal(self.parser.CurrentLineNumber, reason)

    def start(self, tag: str, attrs: dict[str, str]) -> None:
        self.depth += 1
        if self.depth > MAX_DEPTH:
            self.fail(f"elements nested more than {MAX_DEPTH} deep; a TBX file nests about 10 deep")
        node = _Node(tag, attrs, self.parser.CurrentLineNumber)
        if self.root is None:
            self.root = node.tag
            if node.tag not in ("martif", "tbx"):
                self.fail(f"<{node.tag}> is not a TBX root (martif or tbx)")
        if self.open:
            self.open[-1].children.append(node)
            self.open.append(node)
        elif node.tag in _ENTRIES:
            self.open.append(node)

    def end(self, _tag: str) -> None:
        self.depth -= 1
        if self.open:
            node = self.open.pop()
            if not self.open:
                self.entry(node)

    def chars(self, text: str) -> None:
        for node in self.open:
            node.text += text

    def entity_declaration(self, name: str, *_args: object) -> None:
        self.fail(f"entity declarations are not allowed (<!ENTITY {name}>); TBX needs none")

    def skipped_entity(self, name: str, is_parameter_entity: bool) -> None:
        self.fail(f"&{name}; is an entity of an external DTD, which import never reads; "
                  "write the character it stands for instead")

    # -- one entry -----------------------------------------------------------------------------
    def problem(self, line: int, reason: str) -> None:
        self.parsed.problem(line, reason)

    def entry(self, entry: _Node) -> None:
        before = len(self.parsed.problems)
        context = next((n.text.strip() for n in _level(entry) if n.category == "subjectField"), None)
        notes = [_note_text(n) for n in entry.children if n.tag == "note" and n.core and n.text.strip()]
        definitions = [" ".join(n.text.split()) for n in _level(entry) if n.category == "definition"]
        source: list[_Term] = []
        targets: dict[str, list[_Term]] = {}
        comments: dict[str, list[str]] = {}
        seen_tags: list[str] = []
        source_refused = False  # an English term was refused: "no en term" would only repeat it
        for section in entry.children:
            if section.tag not in _SECTIONS:
                continue
            tag = section.attrs.get("xml:lang", section.attrs.get("lang", "")).strip()
            if not tag:
                self.problem(section.line, f"a {section.tag} has no xml:lang")
                continue
            seen_tags.append(tag)
            refused = len(self.parsed.problems)
            terms = list(self.terms(section))
            if is_source(tag):
                source_refused = source_refused or len(self.parsed.problems) > refused
                source += terms
                definitions += [" ".join(n.text.split()) for n in _level(section) if n.category == "definition"]
                continue
            try:
                code = self.languages.resolve(tag)
            except GlossaryError as exc:
                self.problem(section.line, f"{exc} (the xml:lang of this <{section.tag}>)")
                continue
            if code is None:
                self.parsed.left_out.add(tag)
                continue
            targets.setdefault(code, []).extend(terms)
            comments.setdefault(code, []).extend(
                _note_text(n) for n in section.children if n.tag == "note" and n.core and n.text.strip())
        usable = [t for t in source if t.status != FORBIDDEN]
        if source_refused:
            pass
        elif not source:
            others = ", ".join(dict.fromkeys(seen_tags)) or "none"
            self.problem(entry.line, f"the entry has no {SOURCE_LANGUAGE} term (its languages: {others})")
        elif not usable:
            self.problem(entry.line, f"the entry has no {SOURCE_LANGUAGE} term that may be used (every one is "
                                     "deprecated, superseded or obsolete)")
        if len(self.parsed.problems) > before:
            self.parsed.invalid += 1
            return
        term = next((t for t in usable if t.status == PREFERRED), usable[0])
        try:
            renderings = tuple(_rendering(code, terms, comments[code]) for code, terms in targets.items())
            concept = Concept(
                term=term.text, context=context,
                variants=tuple(t.text for t in source if t is not term),
                case_sensitive="case-sensitive" in term.flags,
                note="\n".join(dict.fromkeys(notes + definitions)), renderings=renderings,
            )
        except GlossaryError as exc:
            self.problem(entry.line, str(exc))
            self.parsed.invalid += 1
            return
        given = {"variants", "case_sensitive", "note"}
        given.update(f"{code}{suffix}" for code in targets for suffix in ("", "_flags", "_forbidden", "_comment"))
        self.parsed.items.append(Imported(concept, frozenset(given), entry.line, self.parsed.name))

    def terms(self, section: _Node) -> Iterator[_Term]:
        """The terms of one language section; a term group that is not one clean term is a problem."""
        for group in section.children:
            if group.tag not in _TERM_GROUPS:
                continue
            nodes = [n for n in group.walk() if n.tag == "term" and n.core]
            if len(nodes) != 1:
                what = "no <term>" if not nodes else f"{len(nodes)} <term> elements (lines " + ", ".join(
                    str(n.line) for n in nodes) + ")"
                self.problem(group.line, f"a <{group.tag}> has {what}; it must have exactly one")
                continue
            raw = nodes[0].text
            code = control_character(raw)
            if code is not None:
                self.problem(nodes[0].line, f"the term {raw.strip()!r} contains a control character ({code}); "
                                            "remove it")
                continue
            text = " ".join(raw.split())
            if not text:
                continue  # <term/>: a placeholder that says nothing (converters write them)
            status, flags = "", set[str]()
            for node in group.walk():
                if node.category in _STATUS_CATEGORIES:
                    value = " ".join(node.text.split())
                    meaning = STATUSES.get(value.lower())
                    if meaning is None:
                        self.problem(node.line, f"unknown {node.category} {value!r} (this import knows "
                                                "preferred, admitted, deprecated, superseded, obsolete, "
                                                "notRecommended, and the -admn-sts forms)")
                    elif not status:
                        status = meaning
                elif node.tag == "note" and node.core:
                    flags.update(word.strip() for word in node.text.split(",") if word.strip() in _FLAG_NOTES)
            yield _Term(text, status, frozenset(flags), group.line)


def _note_text(node: _Node) -> str:
    """A note's text: a line break followed by indentation is the file's layout (one space); a
    bare line break is the note's own (this module writes multi-line notes that way)."""
    text = _LAYOUT_BREAK.sub(" ", node.text)
    return "\n".join(" ".join(line.split()) for line in text.strip().split("\n") if line.strip())


def _level(node: _Node) -> Iterator[_Node]:
    """The elements that belong to `node`'s own level: its children and those of its groups."""
    for child in node.children:
        yield child
        if child.tag in ("descripGrp", "adminGrp"):
            yield from child.children


def _rendering(lang: str, terms: list[_Term], notes: list[str]) -> Rendering:
    """One language's terms as a rendering: the first preferred one (else the first admitted or
    unmarked one) is the rendering, deprecated ones are forbidden, other good ones are listed."""
    unique: dict[tuple[str, str], _Term] = {}
    for term in terms:  # the same term twice (a langSet repeated) counts once
        unique.setdefault((term.text, term.status), term)
    forbidden = [t.text for t in unique.values() if t.status == FORBIDDEN]
    usable = [t for t in unique.values() if t.status != FORBIDDEN]
    chosen = next((t for t in usable if t.status == PREFERRED), usable[0] if usable else None)
    comment = list(notes)
    if chosen is not None:
        others = [t for t in usable if t.text != chosen.text]
        preferred = [t.text for t in others if t.status == PREFERRED]
        admitted = [t.text for t in others if t.status != PREFERRED]
        if preferred:
            comment.append("also preferred: " + "; ".join(dict.fromkeys(preferred)))
        if admitted:
            comment.append("also admitted: " + "; ".join(dict.fromkeys(admitted)))
    return Rendering(
        lang=lang,
        text=chosen.text if chosen else "",
        fuzzy=chosen is not None and "fuzzy" in chosen.flags,
        keep=chosen is not None and "do-not-translate" in chosen.flags,
        forbidden=tuple(forbidden),
        comment="\n".join(dict.fromkeys(comment)),
    )


def parse_tbx(fileobj: IO[bytes], name: str = "<stream>", *, languages: Languages | None = None) -> Parsed:
    """Read every entry of a TBX file; what is wrong is in the result, each with its line."""
    parsed = Parsed(name)
    reader = _Reader(parsed, languages if languages is not None else Languages())
    try:
        reader.parser.ParseFile(fileobj)
    except _Fatal as exc:
        parsed.problem(exc.line, exc.reason, fatal=True)
    except expat.ExpatError as exc:
        parsed.problem(exc.lineno, expat.ErrorString(exc.code), fatal=True)
    except RecursionError:  # never expected (nothing recurses), but never an internal error
        parsed.problem(reader.parser.CurrentLineNumber, "the file nests too deep to read", fatal=True)
    else:
        if reader.root is None:
            parsed.problem(1, "no XML element: not a TBX file", fatal=True)
    parsed.problems.sort(key=lambda problem: problem.line or 0)
    return parsed


def read_tbx(fileobj: IO[bytes], name: str = "<stream>", *, languages: Languages | None = None) -> list[Imported]:
    """Read concepts from a TBX file; ImportFormatError for the first problem, for callers that
    take a file whole or not at all."""
    parsed = parse_tbx(fileobj, name, languages=languages)
    parsed.raise_first()
    return parsed.items


# -- writing -----------------------------------------------------------------------------------
def _tbx_lang(lang: str) -> str:
    return lang.replace("_", "-")


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
        out(_tig(concept.term, _PREFERRED_STS, ["case-sensitive"] if concept.case_sensitive else []))
        for variant in concept.variants:
            out(_tig(variant, _ADMITTED_STS, []))
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
                out(_tig(r.text, _ADMITTED_STS if r.fuzzy else _PREFERRED_STS, notes))
            for bad in r.forbidden:
                out(_tig(bad, _DEPRECATED_STS, []))
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
