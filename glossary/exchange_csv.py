"""Term lists as CSV or TSV: the glossary's own columns, and the layouts other tools write.

The header row decides the layout (README, "Import and export", has a table of them):

- **The glossary's own** (what `export` writes): a ``term`` column, then ``context``, ``variants``,
  ``case_sensitive``, ``note`` and per language ``<lang>``, ``<lang>_flags``,
  ``<lang>_forbidden``, ``<lang>_comment``. Only ``term`` is required; an absent column leaves
  that fact as the glossary has it. Lists are ``|``-separated; any other column is an error (a
  typo would otherwise drop data in silence).
- **Language codes** (Amazon Translate's custom terminology, Google's glossaries): ``en,es,zh``,
  one column per language, the English one holding the term; Google's optional ``pos`` and
  ``description`` become the term's note.
- **One row per term and language** (TICO-19): ``sourceLang,targetLang,sourceString,
  targetString``, with optional ``id``/``stringID``, ``pos`` and ``description`` (the note). A
  target string that lists alternatives as ``A : B`` gives the rendering A; the others, and an
  annotation in square brackets after A, go into the rendering's comment.
- **No header, two columns** (DeepL): source, target; the target language comes from ``--lang``.
  Four columns (source, target, source language, target language) name it themselves.

Rows are read as they come and never kept as text; a row with a problem is reported with its
line and the others still read, so the caller can list every problem or skip those rows.
"""
from __future__ import annotations

import csv
import itertools
import re
from collections.abc import Iterable, Iterator
from typing import IO

from .errors import GlossaryError, InvalidTermError
from .exchange_common import (
    Imported,
    Languages,
    Parsed,
    check_text,
    control_character,
    is_source,
    is_tag,
)
from .model import Concept, Rendering, Termbase

SEPARATOR = "|"
BASE_COLUMNS = ("term", "context", "variants", "case_sensitive", "note")
LANG_SUFFIXES = ("", "_flags", "_forbidden", "_comment")
_YES = {"yes", "y", "true", "1", "x"}
_NO = {"no", "n", "false", "0", ""}
_FLAG_WORDS = {"fuzzy", "do-not-translate"}
_NOTE_COLUMNS = ("pos", "description")
_PAIR_COLUMNS = {"id", "stringid", "sourcelang", "targetlang", "sourcestring", "targetstring", *_NOTE_COLUMNS}
_ALTERNATIVES = " : "
_ANNOTATION = re.compile(r"\s*\[([^\[\]]*)\]$")


class _HeaderError(Exception):
    """The header row names a layout wrongly: the file cannot be read (a fatal problem)."""


def _split_list(cell: str) -> tuple[str, ...]:
    return tuple(v.strip() for v in cell.split(SEPARATOR) if v.strip())


def _join_list(values: Iterable[str], what: str) -> str:
    values = list(values)
    for value in values:
        if SEPARATOR in value:
            raise InvalidTermError(f"{what} {value!r} contains {SEPARATOR!r}, the CSV list separator")
    return SEPARATOR.join(values)


def _check_cells(cells: list[str], names: list[str], term: int) -> None:
    """Refuse a control character anywhere in the row, naming the cell that holds it."""
    if control_character("".join(cells)) is None:
        return
    for index, cell in enumerate(cells):
        if control_character(cell) is not None:
            check_text(cell, "the term" if index == term else f"the {names[index]} cell")


def _note(pos: str, description: str) -> str:
    """A note from a part of speech and a description: ``(noun) The disease caused by ...``."""
    pos, description = pos.strip(), description.strip()
    if pos and description:
        return f"({pos}) {description}"
    return f"({pos})" if pos else description


def alternatives(text: str) -> tuple[str, str]:
    """Split a TICO-19 target string into the rendering and a comment for the rest.

    ``可传染 : 有传染性`` lists two renderings: the first is the one to use, the others are kept in
    the comment (``alternatives: 有传染性``) so a reviewer sees them. An annotation in square brackets
    after the first (``冠状病毒 [when referring the generic virus group]``) is advice, not part of
    the rendering: it goes into the comment too.
    """
    parts = [part.strip() for part in text.split(_ALTERNATIVES) if part.strip()]
    if not parts:
        return "", ""
    first, comment = parts[0], []
    annotation = _ANNOTATION.search(first)
    if annotation and annotation.start() > 0:
        first = first[: annotation.start()].rstrip()
        comment.append(annotation.group(1).strip())
    if parts[1:]:
        comment.append("alternatives: " + "; ".join(parts[1:]))
    return first, "\n".join(comment)


def _shared(cache: dict[tuple[str, ...], frozenset[str]], given: list[str]) -> frozenset[str]:
    """One frozenset per distinct set of given facts, shared by every row that gives them: a
    million rows then hold a handful of sets instead of a million (200 bytes each)."""
    key = tuple(given)
    found = cache.get(key)
    if found is None:
        found = cache[key] = frozenset(given)
    return found


# -- layouts -----------------------------------------------------------------------------------
class _Layout:
    """How one kind of file's rows become concepts; `parse_csv` checks each row's width first."""

    first = "header"  # what the row width is compared with, for the message

    def __init__(self, header: list[str]) -> None:
        self.width = len(header)
        self.names = header  # the column names, for messages
        self.term = 0  # the column of the term

    def row(self, cells: list[str], line: int, name: str) -> Imported | None:
        """The concept a row gives, or None when it says nothing that is asked for."""
        raise NotImplementedError


class _Own(_Layout):
    """The glossary's own columns: one row per concept, every fact in a column of its own."""

    def __init__(self, header: list[str], languages: Languages, parsed: Parsed) -> None:
        super().__init__(header)
        if len(set(header)) != len(header):
            raise _HeaderError("a column name appears twice in the header row")
        self.index = {column: i for i, column in enumerate(header)}
        self.term = self.index["term"]
        self.langs: dict[str, dict[str, int]] = {}  # glossary code -> suffix -> column index
        for i, column in enumerate(header):
            if column in BASE_COLUMNS:
                continue
            for suffix in sorted(LANG_SUFFIXES, key=len, reverse=True):
                if suffix and column.endswith(suffix):
                    tag = column[: -len(suffix)]
                    break
            else:
                tag, suffix = column, ""
            try:
                if is_source(tag):
                    raise InvalidTermError("the term column holds the English")
                code = languages.resolve(tag)
            except GlossaryError:
                known = ", ".join(BASE_COLUMNS)
                raise _HeaderError(
                    f"unknown column {column!r} (expected {known}, or a language code)"
                ) from None
            if code is None:
                parsed.left_out.add(tag)
                continue
            columns = self.langs.setdefault(code, {})
            if suffix in columns:
                raise _HeaderError(f"two columns go into {code}{suffix}; import them one at a time with --lang")
            columns[suffix] = i
        self.given_base: list[str] = [c for c in ("variants", "case_sensitive", "note") if c in self.index]
        self.columns: list[tuple[str, int | None, int | None, int | None, int | None]] = [
            (lang, columns.get(""), columns.get("_flags"), columns.get("_forbidden"), columns.get("_comment"))
            for lang, columns in self.langs.items()]
        self.given: dict[tuple[str, ...], frozenset[str]] = {}

    def row(self, cells: list[str], line: int, name: str) -> Imported:
        index = self.index
        case = cells[index["case_sensitive"]].strip().lower() if "case_sensitive" in index else ""
        if case not in _YES and case not in _NO:
            raise InvalidTermError(f"case_sensitive must be yes or no, not {case!r}")
        given = list(self.given_base)
        renderings = []
        for lang, text_at, flags_at, forbidden_at, comment_at in self.columns:
            text = cells[text_at] if text_at is not None else ""
            flag_cell = cells[flags_at] if flags_at is not None else ""
            forbidden = cells[forbidden_at] if forbidden_at is not None else ""
            comment = cells[comment_at] if comment_at is not None else ""
            has_text = bool(text.strip())
            if not (has_text or flag_cell.strip() or forbidden.strip() or comment.strip()):
                continue  # nothing said about this language: leave it as it is
            flags = {f.strip() for f in flag_cell.split(",") if f.strip()} if flag_cell else set()
            unknown = flags - _FLAG_WORDS
            if unknown:
                raise InvalidTermError(
                    f"unknown flag {sorted(unknown)[0]!r} in {lang}_flags (use fuzzy, do-not-translate)"
                )
            renderings.append(Rendering(
                lang=lang, text=text, fuzzy="fuzzy" in flags, keep="do-not-translate" in flags,
                forbidden=_split_list(forbidden) if forbidden else (), comment=comment,
            ))
            # An empty rendering cell says nothing; it never clears a rendering.
            if has_text:
                given.append(lang)
            given += [f"{lang}{suffix}" for suffix, at in zip(LANG_SUFFIXES[1:], (flags_at, forbidden_at, comment_at))
                      if at is not None]
        variants = cells[index["variants"]] if "variants" in index else ""
        concept = Concept(
            term=cells[self.term],
            context=(cells[index["context"]].strip() or None) if "context" in index else None,
            variants=_split_list(variants) if variants else (),
            case_sensitive=case in _YES,
            note=cells[index["note"]] if "note" in index else "",
            renderings=tuple(renderings),
        )
        return Imported(concept, _shared(self.given, given), line, name)


class _ByLanguage(_Layout):
    """A column per language code (``en,es,zh``): the English column holds the term."""

    def __init__(self, header: list[str], languages: Languages, parsed: Parsed) -> None:
        super().__init__(header)
        self.term = -1
        self.notes: dict[str, int] = {}
        self.langs: dict[int, str] = {}
        for i, column in enumerate(header):
            if column.lower() in _NOTE_COLUMNS:
                self.notes[column.lower()] = i
                continue
            if is_source(column):
                if self.term >= 0:
                    raise _HeaderError(f"two English columns ({header[self.term]!r} and {column!r}); keep one")
                self.term = i
                continue
            try:
                code = languages.resolve(column)
            except GlossaryError as exc:
                raise _HeaderError(
                    f"unknown column {column!r} ({exc}); a language-code header holds codes like "
                    "en, es, zh-CN, and pos, description"
                ) from None
            if code is None:
                parsed.left_out.add(column)
            elif code in self.langs.values():
                raise _HeaderError(f"two columns go into {code}; import them one at a time with --lang")
            else:
                self.langs[i] = code
        self.given: dict[tuple[str, ...], frozenset[str]] = {}

    def row(self, cells: list[str], line: int, name: str) -> Imported:
        note = _note(*(cells[self.notes[c]] if c in self.notes else "" for c in _NOTE_COLUMNS))
        renderings = tuple(Rendering(lang, cells[i]) for i, lang in self.langs.items() if cells[i].strip())
        given = [r.lang for r in renderings] + (["note"] if note else [])
        concept = Concept(term=cells[self.term], note=note, renderings=renderings)
        return Imported(concept, _shared(self.given, given), line, name)


class _Pairs(_Layout):
    """One row per term and target language (TICO-19): sourceString, targetString and the
    languages in sourceLang, targetLang (without targetLang, the language is --lang's)."""

    def __init__(self, header: list[str], languages: Languages, parsed: Parsed) -> None:
        super().__init__(header)
        lowered = [column.lower() for column in header]
        unknown = [column for column in header if column.lower() not in _PAIR_COLUMNS]
        if unknown:
            raise _HeaderError(
                f"unknown column {unknown[0]!r} (a sourceString,targetString file has id or "
                "stringID, sourceLang, targetLang, pos, description)"
            )
        if len(set(lowered)) != len(lowered):
            raise _HeaderError("a column name appears twice in the header row")
        self.index = {column: i for i, column in enumerate(lowered)}
        self.term = self.index["sourcestring"]
        self.languages = languages
        self.parsed = parsed
        self.fixed = None if "targetlang" in self.index else languages.single()
        self.given: dict[tuple[str, ...], frozenset[str]] = {}

    def row(self, cells: list[str], line: int, name: str) -> Imported | None:
        index = self.index
        source, target = cells[self.term], cells[index["targetstring"]]
        if not source.strip() and not target.strip():
            return None  # a row with only its languages filled in (TICO-19 has 306 of them)
        source_lang = cells[index["sourcelang"]].strip() if "sourcelang" in index else ""
        if source_lang and not is_source(source_lang):
            raise InvalidTermError(f"sourceLang is {source_lang!r}, but the glossary's terms are English (en)")
        lang = self.fixed
        if lang is None:
            tag = cells[index["targetlang"]].strip()
            if not tag:
                raise InvalidTermError("targetLang is empty")
            lang = self.languages.resolve(tag)
            if lang is None:
                self.parsed.left_out.add(tag)
                return None  # the row is about a language that was not asked for
        note = _note(*(cells[index[c]] if c in index else "" for c in _NOTE_COLUMNS))
        text, comment = alternatives(target)
        concept = Concept(term=source, note=note, renderings=(Rendering(lang, text, comment=comment),))
        given = ([lang] if text else []) + (["note"] if note else []) + ([f"{lang}_comment"] if comment else [])
        return Imported(concept, _shared(self.given, given), line, name)


class _TwoColumns(_Layout):
    """No header: source, target (DeepL's glossary CSV/TSV); four columns add the two languages."""

    first = "first row"

    def __init__(self, first: list[str], languages: Languages, parsed: Parsed) -> None:
        super().__init__(first)
        self.names = ["source", "target", "source language", "target language"][: self.width]
        self.languages = languages
        self.parsed = parsed
        self.given: dict[tuple[str, ...], frozenset[str]] = {}
        if self.width == 4 and is_source(first[2]):
            self.fixed = None
        elif self.width == 2 and languages and not _looks_like_header(first, languages):
            self.fixed = languages.single()
        else:
            raise _HeaderError(
                "no header row this import knows (a 'term' column, language codes with en such as "
                "en,es,zh, or sourceString,targetString); a file without a header row has two "
                "columns, source and target, and needs its target language: give --lang"
            )

    def row(self, cells: list[str], line: int, name: str) -> Imported | None:
        lang = self.fixed
        if lang is None:
            if not is_source(cells[2]):
                raise InvalidTermError(
                    f"the source language is {cells[2]!r}, but the glossary's terms are English (en)")
            lang = self.languages.resolve(cells[3].strip())
            if lang is None:
                self.parsed.left_out.add(cells[3].strip())
                return None
        concept = Concept(term=cells[0], renderings=(Rendering(lang, cells[1]),))
        return Imported(concept, _shared(self.given, [lang] if cells[1].strip() else []), line, name)


def _looks_like_header(first: list[str], languages: Languages) -> bool:
    """A first row that names columns rather than a term (``source,target``, ``English,es``)."""
    for cell in first:
        word = cell.strip().lower()
        if word in {"source", "target", "term", "translation", "english"}:
            return True
        try:
            if languages.resolve(cell.strip()) is not None:
                return True
        except GlossaryError:
            continue
    return False


def _layout(header: list[str], languages: Languages, parsed: Parsed) -> _Layout | None:
    """The layout the header row names, or None when the first row is no header at all."""
    if "term" in header:
        return _Own(header, languages, parsed)
    lowered = {column.lower() for column in header}
    if {"sourcestring", "targetstring"} <= lowered:
        return _Pairs(header, languages, parsed)
    if not any(is_source(column) for column in header):
        return None
    codes = [column for column in header if column.lower() not in _NOTE_COLUMNS]
    if len(header) == 4 and is_source(header[2]) and not all(is_tag(column) for column in codes):
        return None  # DeepL's four columns: source, target, source language, target language
    return _ByLanguage(header, languages, parsed)


# -- reading -----------------------------------------------------------------------------------
def _rows(reader: Iterator[list[str]], parsed: Parsed) -> Iterator[tuple[int, list[str]]]:
    """(first line, cells) per row; a quoting error ends the file with a fatal problem."""
    end = 0
    while True:
        try:
            row = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            parsed.problem(end + 1, f"not CSV: {exc}", fatal=True)
            return
        start, end = end + 1, reader.line_num  # type: ignore[attr-defined]
        yield start, row


def parse_csv(lines: Iterable[str], name: str = "<stream>", *, languages: Languages | None = None,
              delimiter: str = ",") -> Parsed:
    """Read every row of a CSV (or, with ``delimiter="\\t"``, TSV) term list; never raises for
    what is in the file: the problems are in the result, each with its line."""
    languages = languages if languages is not None else Languages()
    parsed = Parsed(name)
    if delimiter == "\t":  # TSV has no quoting: a quote is part of the term
        reader = csv.reader(lines, delimiter=delimiter, quoting=csv.QUOTE_NONE, strict=True)
    else:
        reader = csv.reader(lines, delimiter=delimiter, strict=True)
    rows = _rows(reader, parsed)
    header_line, header = next(((n, r) for n, r in rows if any(c.strip() for c in r)), (1, []))
    if not header:
        if not parsed.problems:
            parsed.problem(1, "empty file: expected a header row with a 'term' column", fatal=True)
        return parsed
    header = [cell.strip().lstrip("\ufeff") for cell in header]
    layout: _Layout | None
    try:
        layout = _layout(header, languages, parsed)
        if layout is None:  # no header: the first row is data
            layout = _TwoColumns(header, languages, parsed)
            rows = itertools.chain([(header_line, header)], rows)
    except _HeaderError as exc:
        parsed.problem(header_line, str(exc), fatal=True)
        return parsed
    items, width, names, term = parsed.items, layout.width, layout.names, layout.term
    for line, cells in rows:
        if not any(cell.strip() for cell in cells):
            continue
        try:
            if len(cells) != width:
                raise InvalidTermError(f"{len(cells)} fields where the {layout.first} has {width}")
            _check_cells(cells, names, term)
            item = layout.row(cells, line, name)
        except GlossaryError as exc:
            parsed.problem(line, str(exc))
            parsed.invalid += 1
            continue
        if item is not None:
            items.append(item)
    return parsed


def read_csv(fileobj: IO[str], name: str = "<stream>", *, languages: Languages | None = None,
             delimiter: str = ",") -> list[Imported]:
    """Read concepts from CSV text (open the file with newline="" as the csv module asks);
    ImportFormatError for the first problem, for callers that take a file whole or not at all."""
    parsed = parse_csv(fileobj, name, languages=languages, delimiter=delimiter)
    parsed.raise_first()
    return parsed.items


# -- writing -----------------------------------------------------------------------------------
def write_csv(termbase: Termbase, fileobj: IO[str], languages: Iterable[str] | None = None) -> None:
    """Write every concept as one CSV row, with all columns, so import restores it exactly."""
    langs = list(languages) if languages is not None else list(termbase.languages)
    writer = csv.writer(fileobj, lineterminator="\n")
    writer.writerow([*BASE_COLUMNS, *(f"{lang}{s}" for lang in langs for s in LANG_SUFFIXES)])
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
