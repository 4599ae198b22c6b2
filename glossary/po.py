"""PO files, one way in and one way out, for the glossary and the translator alike.

Reading is as strict as GNU `msgfmt --check` on everything that decides what a file *means*:
what plain `msgfmt` refuses (syntax, escapes, ``msgstr[N]`` numbering, ``#~`` mixed into a live
entry, duplicates, a ``\\n`` at one end of msgid but not of msgstr) is refused here too, and so
are the plural rules of ``--check`` (a valid ``Plural-Forms``, as many forms as it says). polib
forgives much of this (it drops a letter of an unterminated string, reads ``msgstr[2]`` after
``msgstr[0]``, keeps ``\\q`` as two letters), so this module parses the file itself and only uses
polib's classes to hold the result: every caller keeps the `polib.POEntry` API. Writing is
`format_entry`: polib's layout for the strings, but comments never re-wrapped and references
kept whole, so what it writes this reader reads back unchanged.

Where this reader and ``msgfmt --check`` part ways, on purpose:

* the bytes must be UTF-8 (msgfmt converts from the header's charset); one message says so, with
  the line and what to run;
* a NUL byte or a ``\\0`` escape is refused (msgfmt cuts the string there without a word), and
  so are octal or hex escapes that do not make UTF-8 (msgfmt copies the bytes);
* a file without a header entry is read (``--check`` wants one to learn the charset, which is
  always UTF-8 here), and xgettext's template header ``nplurals=INTEGER; plural=EXPRESSION;``
  means "no plural rule yet", as in a POT;
* format strings (``c-format``, ``python-format``...) are not compared: that is a QA check on
  translations, not a question of reading the file;
* a ``msgstr[N]`` index split over several lines is refused (the scanner reads a line at a time;
  no tool writes one).

Every error is a `PoSyntaxError` carrying the file and the line of the offending entry (found by
this module's own line scanner, never parsed out of another library's message).

Each entry also keeps its raw text, so a caller can write a person's entry back byte for byte,
and reading a file again can reuse an earlier reading for the entries that did not change.
The same module writes files atomically (a temporary file in the same folder named after the
writing process, fsync, rename, the old file's mode kept; a killed writer's temporary is removed
by the next writer), replaces a file only if it is still what the caller read (a person may be
saving it), takes the glossary's advisory lock, and knows each language's plural rule (Babel's
CLDR data, with GNU gettext's two-form choice where they differ for es, fr, it, pt).
"""
from __future__ import annotations

import codecs
import gc
import hashlib
import io
import itertools
import os
import re
import secrets
import socket
import stat
import sys
import time
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO

import polib

from .errors import EncodingError, LockTimeoutError, PoSyntaxError

# -- decoding ----------------------------------------------------------------------------------
BOM = codecs.BOM_UTF8


def decode(data: bytes, name: str) -> str:
    """The text of a UTF-8 file, a leading byte-order mark dropped; EncodingError otherwise.

    This is the project's one decoding rule (PO files, glossary, documents to translate): bytes
    that are not UTF-8 are refused, never guessed at, and so is a NUL byte, which text never
    holds. The error names the line and the byte's offset, and says how to convert the file.
    """
    nul = data.find(b"\x00")
    if nul >= 0:
        raise EncodingError(name, _line_at(data, nul), f"not a text file (a NUL byte at offset {nul})")
    try:
        return data.decode("utf-8").removeprefix("\ufeff")
    except UnicodeDecodeError as exc:
        raise EncodingError(
            name, _line_at(data, exc.start),
            f"not UTF-8 text (bad byte at offset {exc.start}); convert it first, e.g. iconv -f latin1 -t utf-8",
        ) from None


def _line_at(data: bytes, offset: int) -> int:
    return data.count(b"\n", 0, offset) + 1


# -- the parsed file ---------------------------------------------------------------------------
@dataclass
class PoFile:
    """A PO file as read: polib's catalog for what it means, each entry's text for keeping it.

    `raw[i]` is the text `catalog[i]` was read from: its comment lines, keyword and string lines,
    and any blank line inside it, without the newline at its end. The header entry is not in
    `catalog` (polib keeps it as `catalog.header`, `metadata`, `metadata_is_fuzzy`).
    """

    name: str
    catalog: polib.POFile
    raw: list[str] = field(default_factory=list)
    key_lines: list[int] = field(default_factory=list)  # the line of each entry's msgctxt/msgid
    # Whether each entry is a whole block (blank lines or the file's ends around it, nothing
    # else): such an entry reads the same wherever it stands, so `read(..., reuse=)` may take it
    # as it is when the same text comes back.
    whole_block: bytearray = field(default_factory=bytearray, repr=False)

    def with_raw(self) -> Iterator[tuple[polib.POEntry, str]]:
        """Each entry with its raw text, in file order (obsolete entries included)."""
        return zip(self.catalog, self.raw, strict=True)


def read(data: bytes, name: str, *, reuse: PoFile | None = None, raw: bool = True) -> PoFile:
    """Parse a PO or POT file strictly; PoSyntaxError naming `name` and the line otherwise.

    `name` is what errors call the file (its path, usually). `reuse` is an earlier reading of
    the same file: entries whose text has not changed are taken from it instead of being parsed
    again, so reading a large catalog again after a person saved one entry costs little (a run
    does that just before it replaces a catalog). The result is the same as without it. With
    `raw` False the entries' texts are not kept (`PoFile.raw` is empty): a reader that only looks
    at the entries (a check) holds a quarter less.
    """
    if data.startswith(BOM):
        raise PoSyntaxError(name, 1, "starts with a byte-order mark, which msgfmt refuses; "
                                     "save it as UTF-8 without BOM")
    try:
        text = decode(data, name)
    except EncodingError as exc:
        raise PoSyntaxError(exc.file, exc.line, exc.reason) from None
    with collector_paused():
        if reuse is not None:
            again = _read_reusing(text, name, reuse)
            if again is not None:
                return again
        parser = _Parser(text, name, raw=raw)
        del text  # the parser holds the lines, and lets them go as it reads (a large file's peak)
        return parser.parse()


@contextmanager
def collector_paused() -> Iterator[None]:
    """Python's cycle collector off for a block that makes hundreds of thousands of objects and no
    cycle: parsing a large catalog, or a glossary import from reading to saving. Each full
    collection would walk every object alive again (a third of the time of reading a large
    catalog, half of a million-row import). The collector comes back (and may run) after it."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


# Blank lines (only msgfmt's white space on them) between two blocks of a file.
_BLOCK_SEPARATOR = re.compile(r"\n(?:[ \t\r\f\v]*\n)+")
_EDGE_BLANK_LINES = re.compile(r"\A(?:[ \t\r\f\v]*\n)+|(?:\n[ \t\r\f\v]*)+\Z")


def _read_reusing(text: str, name: str, reuse: PoFile) -> PoFile | None:
    """`text` read block by block, blocks seen in `reuse` taken from it; None when the file
    needs the whole-file parser (any error, so that its message is the same; a backslash at a
    line end, which joins lines across blocks; comments that belong to the block after them).

    Parsing a block on its own gives what the whole-file parser gives for it when the blocks
    before it ended complete entries, which each block's own parse checks; what spans blocks
    (duplicate keys, the header's plural rule) is checked over the whole file afterwards.
    """
    if "\\\n" in text or text.endswith("\\"):
        return None
    known = {raw: i for i, raw in enumerate(reuse.raw) if i < len(reuse.whole_block) and reuse.whole_block[i]}
    catalog = polib.POFile(wrapwidth=78)
    result = PoFile(name, catalog)
    header: tuple[_Parser, int] | None = None
    line, start = 1, 0
    separators = [*_BLOCK_SEPARATOR.finditer(text), None]
    for separator in separators:
        end = separator.start() if separator is not None else len(text)
        block = text[start:end]
        if separator is None:
            block = block.removesuffix("\n")
        index = known.get(block)
        if index is not None:
            old = reuse.catalog[index]
            entry = polib.POEntry.__new__(polib.POEntry)  # a shallow copy, without copy's cost
            entry.__dict__.update(old.__dict__)
            entry.linenum = line
            list.append(catalog, entry)
            result.raw.append(block)
            result.key_lines.append(line + reuse.key_lines[index] - old.linenum)
            result.whole_block.append(True)
        elif block.strip(_WS + "\n"):
            parser = _Parser(block, name)
            try:
                parser.read_lines()
            except PoSyntaxError:
                return None
            if parser.dangling:
                return None
            if parser.header is not None:
                if header is not None:
                    return None
                header = (parser, line - 1)
                catalog.header, catalog.metadata = parser.catalog.header, parser.catalog.metadata
                catalog.metadata_is_fuzzy = parser.catalog.metadata_is_fuzzy
            single = len(parser.raw) == 1 and parser.raw[0] == _EDGE_BLANK_LINES.sub("", block)
            for entry, raw, key_line in zip(parser.catalog, parser.raw, parser.key_lines, strict=True):
                entry.linenum += line - 1
                list.append(catalog, entry)  # polib.POFile.append costs microseconds more
                result.raw.append(raw)
                result.key_lines.append(key_line + line - 1)
                result.whole_block.append(single)
        if separator is not None:
            line += block.count("\n") + separator.group().count("\n")
            start = separator.end()
    keys: set[tuple[str | None, str]] = {(None, "")} if header is not None else set()
    for entry in catalog:
        key = (entry.msgctxt, entry.msgid)
        if key in keys:
            return None
        keys.add(key)
    checker = header[0] if header is not None else _Parser("", name)
    try:
        _check_entries(checker, checker.header, catalog, result.key_lines,
                       header[1] if header is not None else 0)
    except PoSyntaxError:
        return None
    return result


def read_file(fileobj: IO[bytes], name: str) -> PoFile:
    """`read` for an open binary file."""
    return read(fileobj.read(), name)


def render(catalog: polib.POFile, live: Iterable[str] | None = None) -> bytes:
    """The bytes of `catalog`: its header, live entries, then obsolete ones, as `format_entry`
    writes each (the only serialisation the project uses).

    `live`, when given, is the text of the live entries (`format_message`) in place of the
    catalog's own: a writer of a large file builds no entry objects and never holds the file
    as one string, only its bytes.
    """
    comment = "".join("#\n" if not line else f"#{line}\n" if line[0] in ",:" else f"# {line}\n"
                      for line in catalog.header.split("\n"))  # as polib writes it
    wrapwidth = catalog.wrapwidth
    if live is None:
        live = (format_entry(e, wrapwidth) for e in catalog if not e.obsolete)
    texts = itertools.chain([format_entry(catalog.metadata_as_entry(), wrapwidth)], live,
                            (format_entry(e, wrapwidth) for e in catalog.obsolete_entries()))
    out = io.BytesIO()
    out.write(comment.encode("utf-8"))
    separator = ""  # each entry ends with a newline; a blank line between two entries
    while chunk := list(itertools.islice(texts, 1024)):
        out.write((separator + "\n\n".join(chunk) + "\n").encode("utf-8"))
        separator = "\n"
    return out.getvalue()


def write(fileobj: IO[bytes], catalog: polib.POFile) -> None:
    """Write `catalog` to an open binary file, as `render` makes it."""
    fileobj.write(render(catalog))


# -- writing one entry -------------------------------------------------------------------------
# Characters that would end or break a comment line (or that an editor may show as a line break);
# a file name holding one is written with a visible escape in its reference.
_LINE_BREAKING = re.compile("[\x00-\x1f\x7f\x85\u2028\u2029]")
_ESCAPES = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}
_FSI, _PDI = "\u2068", "\u2069"  # FIRST STRONG ISOLATE, POP DIRECTIONAL ISOLATE


def format_entry(entry: polib.POEntry, wrapwidth: int = 78) -> str:
    """One entry as PO text, without the newline after its last line.

    polib's layout for the strings (so files polib wrote before are written the same), with
    corrections that keep what is read back equal to what was written: comments (``#``, ``#.``)
    are never re-wrapped (polib wraps a long one into two lines, which read back as two lines of
    text), ``#:`` references are wrapped between references, never inside a file name, a file
    name that holds whitespace or a line break stays one reference (see `format_reference`), and
    an obsolete entry keeps its ``#.`` and ``#:`` lines (polib drops them; GNU gettext keeps them).
    """
    lines: list[str] = []
    for attribute, prefix in (("tcomment", "# "), ("comment", "#. ")):
        text = getattr(entry, attribute)
        if text:
            lines += [prefix + line for line in text.split("\n")]
    if entry.occurrences:  # an obsolete entry keeps its comments too, as GNU gettext writes it
        lines += _reference_lines([format_reference(path, line) for path, line in entry.occurrences],
                                  wrapwidth)
    if entry.flags:
        lines.append("#, " + ", ".join(entry.flags))
    prefix = "#~| " if entry.obsolete else "#| "
    for name in ("previous_msgctxt", "previous_msgid", "previous_msgid_plural"):
        value = getattr(entry, name)
        if value is not None:
            lines += entry._str_field(name, prefix, "", value, wrapwidth)
    # The strings, as polib's POEntry.__unicode__ writes them.
    delflag = "#~ " if entry.obsolete else ""
    if entry.msgctxt is not None:
        lines += _string_lines("msgctxt", delflag, "", entry.msgctxt, wrapwidth)
    lines += _string_lines("msgid", delflag, "", entry.msgid, wrapwidth)
    if entry.msgid_plural:
        lines += _string_lines("msgid_plural", delflag, "", entry.msgid_plural, wrapwidth)
    if entry.msgstr_plural:
        for index in sorted(entry.msgstr_plural):
            lines += _string_lines("msgstr", delflag, f"[{index}]", entry.msgstr_plural[index], wrapwidth)
    else:
        lines += _string_lines("msgstr", delflag, "", entry.msgstr, wrapwidth)
    return "\n".join(lines)


def format_message(msgctxt: str | None, msgid: str, msgstr: str, *, comment: str = "",
                   tcomment: str = "", flags: Sequence[str] = (), wrapwidth: int = 78) -> str:
    """`format_entry` of a live, singular entry with no references, from plain values: what a
    writer of many entries calls instead of building a `polib.POEntry` for each."""
    lines = [f"# {line}" for line in tcomment.split("\n")] if tcomment else []
    if comment:
        lines += [f"#. {line}" for line in comment.split("\n")]
    if flags:
        lines.append("#, " + ", ".join(flags))
    if msgctxt is not None:
        lines += _string_lines("msgctxt", "", "", msgctxt, wrapwidth)
    lines += _string_lines("msgid", "", "", msgid, wrapwidth)
    lines += _string_lines("msgstr", "", "", msgstr, wrapwidth)
    return "\n".join(lines)


# A string holding none of these, short enough for its line, is written as it is (polib's
# `_str_field` would neither escape nor wrap it); any other goes through polib's own code.
_NOT_PLAIN = re.compile('[\\\\"\x00-\x1f\x7f-\x9f\u2028\u2029]')
_POLIB_ENTRY = polib.POEntry()


def _string_lines(name: str, delflag: str, index: str, value: str, wrapwidth: int) -> list[str]:
    """The lines of one keyword and its string (``msgid "..."``), exactly as polib writes them."""
    if not _NOT_PLAIN.search(value):
        if wrapwidth <= 0 or len(value) <= wrapwidth - len(name) - 3 - len(index):
            return [f'{delflag}{name}{index} "{value}"']
        if "-" not in value and wrapwidth > 2:
            return [f'{delflag}{name}{index} ""', *(f'{delflag}"{line}"' for line in _wrapped(value, wrapwidth - 2))]
    lines: list[str] = _POLIB_ENTRY._str_field(name, delflag, index, value, wrapwidth)
    return lines


_CHUNK = re.compile(" +|[^ ]+")


def _wrapped(text: str, width: int) -> list[str]:
    """`textwrap.wrap(text, width, drop_whitespace=False, break_long_words=False)`, which polib
    wraps long strings with, for a text whose only white space is spaces and that has no hyphen
    (textwrap then cuts it into runs of spaces and runs of the rest, and fills lines greedily):
    the same lines, without textwrap's general machinery (half the time of writing a large
    catalog went there)."""
    lines: list[str] = []
    line: list[str] = []
    length = 0
    for chunk in _CHUNK.findall(text):
        size = len(chunk)
        if line and length + size > width:
            lines.append("".join(line))
            line, length = [], 0
        if not line and size > width:
            lines.append(chunk)  # longer than a line: alone on its own
            continue
        line.append(chunk)
        length += size
    if line:
        lines.append("".join(line))
    return lines


def format_reference(path: str, line: str | int | None = None) -> str:
    """A ``#:`` reference that reads back as one: ``path:line``.

    A file name with whitespace is put between U+2068 and U+2069, as GNU gettext 0.22 writes it
    (and reads it back as one name; older tools and polib see two words, which harms nothing
    that counts); a line break or other control character, which would end the comment line and
    make the file invalid, is written as a visible escape (``\\n``): references are for people
    to find the place, so only the X-Source-File header needs the exact name.
    """
    if _LINE_BREAKING.search(path):
        path = _LINE_BREAKING.sub(lambda m: _ESCAPES.get(m.group(), f"\\x{ord(m.group()):02x}")
                                  if ord(m.group()) < 0x100 else f"\\u{ord(m.group()):04x}", path)
    if any(char.isspace() for char in path):
        path = _FSI + path + _PDI
    return f"{path}:{line}" if line not in (None, "") else path


def _reference_lines(references: list[str], wrapwidth: int) -> list[str]:
    """``#:`` lines holding the references, as many per line as fit in `wrapwidth`."""
    lines: list[str] = []
    current = ""
    for reference in references:
        if current and wrapwidth > 0 and len(current) + 1 + len(reference) + 3 > wrapwidth:
            lines.append("#: " + current)
            current = reference
        else:
            current = f"{current} {reference}" if current else reference
    lines.append("#: " + current)
    return lines


# -- the line scanner and parser ---------------------------------------------------------------
_WS = " \t\r\f\v"  # what msgfmt skips between tokens (a raw \v inside a string is text)
_STRING = re.compile(r'"((?:[^"\\]|\\.)*)"', re.DOTALL)
# The two shapes nearly every line has (keyword "text", "text"), read in one match.
_SIMPLE_LINE = re.compile(
    r'(?:(msgctxt|msgid_plural|msgid|msgstr)(?:\[([0-9]+)\])?[ \t]+)?"((?:[^"\\]|\\.)*)"[ \t\r]*')
_IDENT = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
_INDEX = re.compile(r"[ \t\r\f\v]*\[[ \t\r\f\v]*([0-9]+)[ \t\r\f\v]*\]")
_ESCAPE = re.compile(r'\\(?:([ntbrfva\\"])|([0-7]{1,3})|x([0-9A-Fa-f]+)|(.?))', re.DOTALL)
_SIMPLE_ESCAPES = {"n": "\n", "t": "\t", "b": "\b", "r": "\r", "f": "\f", "v": "\v",
                   "a": "\a", "\\": "\\", '"': '"'}
_KEYWORDS = frozenset({"msgctxt", "msgid", "msgid_plural", "msgstr", "domain"})
_PREVIOUS = frozenset({"msgctxt", "msgid", "msgid_plural"})

# Parser states: what the last token was.
_NONE, _PRE, _PREV, _PREV_S = "none", "pre", "prev", "prev_s"
_CTX, _CTX_S, _ID, _ID_S = "msgctxt", "msgctxt_s", "msgid", "msgid_s"
_PLURAL, _PLURAL_S, _STR, _STR_S = "msgid_plural", "msgid_plural_s", "msgstr", "msgstr_s"
_STRN, _STRN_S = "msgstr[]", "msgstr[]_s"
_NEEDS_STRING = {_PREV, _CTX, _ID, _PLURAL, _STR, _STRN}
_COMPLETE = {_STR_S, _STRN_S}


class _Entry:
    """An entry being read: its pieces, the lines it spans, whether it is obsolete."""

    __slots__ = (
        "comments",
        "field_line",
        "first_line",
        "key_line",
        "last_line",
        "msgctxt",
        "msgid",
        "msgid_plural",
        "msgstr",
        "msgstr_plural",
        "obsolete",
        "prev_field",
        "previous",
        "string_lines",
        "strings",
    )

    def __init__(self, line: int) -> None:
        self.first_line = line
        self.last_line = line
        self.key_line = line
        self.obsolete: bool | None = None
        self.comments: list[str] = []
        self.previous: dict[str, list[str]] = {}
        self.prev_field = ""
        self.msgctxt: list[str] | None = None
        self.msgid: list[str] = []
        self.msgid_plural: list[str] | None = None
        self.msgstr: list[str] | None = None
        self.msgstr_plural: dict[int, list[str]] = {}
        self.strings: list[str] = []  # the field the next string continues
        self.field_line = line  # where that field's keyword is
        self.string_lines: list[tuple[int, str]] = []  # (line, text) of msgstr, for header errors


class _Parser:
    """msgfmt's grammar over a line scanner: tokens are fed to a small state machine."""

    def __init__(self, text: str, name: str, *, raw: bool = True) -> None:
        self.keep_raw = raw
        self.lines = text.split("\n")
        self.released = 0  # lines before this one are no longer needed (`finish`)
        self.name = name
        self.state = _NONE
        self.entry: _Entry | None = None
        self.catalog = polib.POFile(wrapwidth=78)
        self.raw: list[str] = []
        self.keys: dict[tuple[str | None, str], int] = {}
        self.key_lines: list[int] = []
        self.header: _Entry | None = None
        self.line = 0
        self.dangling = False  # comments at the end that no entry followed (dropped)
        self.whole_block = bytearray()
        # Entries are whole blocks only where no backslash joins a line to a blank one.
        self.blocks_apart = "\\\n" not in text and not text.endswith("\\")
        # msgfmt's quirk: after "#| ... # comment", the "previous" mode outlives the line (the
        # comment swallowed its end) until a blank line or a line of tokens.
        self.carry_previous = False

    def fail(self, line: int, reason: str) -> PoSyntaxError:
        return PoSyntaxError(self.name, line, reason)

    # -- scanning ---------------------------------------------------------------------------
    def parse(self) -> PoFile:
        self.read_lines()
        return self.result()

    def read_lines(self) -> None:
        """Read every line (syntax, escapes, entry structure); `result` checks the whole."""
        lines = self.lines
        count = len(lines)
        number = 0
        while number < count:
            line = lines[number]
            number += 1
            first = number
            # A backslash at the very end of a line joins the next one to it: msgfmt drops every
            # backslash-newline pair before it reads anything else, as a C compiler does.
            joined = line
            while joined.endswith("\\") and number < count:
                joined = lines[number]
                line = line[:-1] + joined
                number += 1
            self.line = number
            stripped = line.lstrip(_WS)
            if not stripped:
                self.carry_previous = False
                continue
            if stripped[0] != "#":
                previous, self.carry_previous = self.carry_previous, False
                simple = _SIMPLE_LINE.fullmatch(stripped)
                if previous or simple is None or (simple.group(2) is not None and simple.group(1) != "msgstr"):
                    self.scan(stripped, first, obsolete=False, previous=previous)
                    continue
                keyword, index, body = simple.groups()
                if keyword is not None:
                    self.keyword(first, keyword, None if index is None else int(index), False)
                self.string(first, _unescape(body, self, first), False, False)
                continue
            self.hash(stripped, first, obsolete=False)
        self.end_of_file()

    def hash(self, text: str, line: int, *, obsolete: bool) -> None:
        """What follows a ``#``, at the start of a line or after a token, as msgfmt reads it:
        ``#~`` marks the rest of the line obsolete, ``#|`` makes it a previous msgid, anything
        else is a comment to the end of the line."""
        marker = text[1:2]
        if marker == "~":
            rest = text[2:]
            if rest[:1] == "|":
                self.carry_previous = False
                self.scan(rest[1:], line, obsolete=True, previous=True)
            else:
                previous, self.carry_previous = self.carry_previous, False
                self.scan(rest, line, obsolete=True, previous=previous)
        elif marker == "|":
            self.carry_previous = False
            self.scan(text[2:], line, obsolete=obsolete, previous=True)
        else:
            self.comment(line, text.rstrip(_WS))

    def scan(self, text: str, line: int, *, obsolete: bool, previous: bool) -> None:
        """Feed the tokens of one line (or of the part after ``#~`` or ``#|``) to the parser."""
        position, end = 0, len(text)
        after_string = False
        while position < end:
            char = text[position]
            if char in _WS:
                position += 1
                after_string = False
                continue
            if char == '"':
                match = _STRING.match(text, position)
                if match is None:
                    raise self.fail(line, "malformed string (check the quotes)")
                self.string(line, _unescape(match.group(1), self, line), obsolete, previous)
                position = match.end()
                after_string = True
                continue
            if char == "#":
                # A comment swallows the end of its line, so msgfmt reads the next lines as
                # previous too when this is one (see `carry_previous`).
                self.carry_previous = previous
                self.hash(text[position:], line, obsolete=obsolete)
                return
            word = _IDENT.match(text, position)
            if word is None or word.group() not in _KEYWORDS:
                if after_string:  # msgid "say "hi"": the quote inside ended the string
                    raise self.fail(line, "malformed string (check the quotes)")
                raise self.fail(line, f"not PO syntax: {text.strip(_WS)[:40]!r}")
            after_string = False
            keyword = word.group()
            position = word.end()
            index = None
            if keyword == "msgstr":
                bracket = _INDEX.match(text, position)
                if bracket is not None:
                    index = int(bracket.group(1))
                    position = bracket.end()
            if previous:
                if keyword not in _PREVIOUS:
                    raise self.fail(line, f"syntax error: #| lines hold msgctxt, msgid or msgid_plural, not {keyword}")
                self.previous_keyword(line, keyword, obsolete)
            elif keyword == "domain":
                raise self.fail(line, "a 'domain' line: this tool reads one-domain catalogs; "
                                      "split the file with msgcat or remove the line")
            else:
                self.keyword(line, keyword, index, obsolete)

    # -- the grammar ------------------------------------------------------------------------
    def begin(self, line: int) -> _Entry:
        """The entry a comment, #| line, msgctxt or msgid starts (finishing the one before)."""
        if self.state in _COMPLETE:
            self.finish()
        if self.state == _NONE or self.entry is None:
            self.entry = _Entry(line)
            self.state = _PRE
        return self.entry

    def incomplete(self, line: int, *, at_end: bool = False) -> PoSyntaxError:
        """The error for a token (or the end of the file) while the entry still lacks something."""
        entry = self.entry
        state = self.state
        if state in _NEEDS_STRING:
            assert entry is not None
            word = {_PREV: f"#| {entry.prev_field}", _STRN: "msgstr[N]"}.get(state, state)
            return self.fail(entry.field_line, f"syntax error: {word} needs a string after it")
        if state == _CTX_S:
            assert entry is not None
            return self.fail(entry.key_line if at_end else line,
                             "syntax error: msgctxt must be followed by msgid")
        if state == _ID_S:
            assert entry is not None
            return self.fail(entry.field_line, 'msgid without msgstr; add msgstr "" after it '
                                               "(comments go above msgid)")
        if state == _PLURAL_S:
            assert entry is not None
            return self.fail(entry.field_line, "msgid_plural without msgstr[0]; add msgstr[0] and "
                                               "the other forms after it")
        return self.fail(line, "syntax error")

    def comment(self, line: int, text: str) -> None:
        if self.state == _PREV_S or (self.state == _PRE and self.entry and self.entry.previous):
            raise self.fail(line, "syntax error: a comment after the #| lines; put it above them")
        if self.state not in (_NONE, _PRE) and self.state not in _COMPLETE:
            raise self.incomplete(line)
        entry = self.begin(line)
        entry.comments.append(text)
        entry.last_line = self.line

    def previous_keyword(self, line: int, keyword: str, obsolete: bool) -> None:
        if self.state == _PREV_S:
            self.state = _PRE
        elif self.state not in (_NONE, _PRE) and self.state not in _COMPLETE:
            raise self.incomplete(line)
        entry = self.begin(line)
        order = ["msgctxt", "msgid", "msgid_plural"]
        done = [k for k in order if k in entry.previous]
        allowed = {"msgctxt": not done, "msgid": done in ([], ["msgctxt"]),
                   "msgid_plural": bool(done) and done[-1] == "msgid"}
        if not allowed[keyword]:
            raise self.fail(line, "syntax error: #| lines go in the order msgctxt, msgid, msgid_plural")
        self.check_obsolete(entry, obsolete, line)
        entry.previous[keyword] = []
        entry.prev_field = keyword
        entry.strings = entry.previous[keyword]
        entry.field_line = line
        entry.last_line = self.line
        self.state = _PREV

    def check_obsolete(self, entry: _Entry, obsolete: bool, line: int) -> None:
        if entry.obsolete is None:
            entry.obsolete = obsolete
        elif entry.obsolete != obsolete:
            raise self.fail(line, "inconsistent use of #~: every line of an obsolete entry starts "
                                  "with #~, and no line of a live one does")

    def keyword(self, line: int, keyword: str, index: int | None, obsolete: bool) -> None:
        state = self.state
        if keyword in ("msgctxt", "msgid"):
            if state == _PREV_S:
                assert self.entry is not None
                if "msgid" not in self.entry.previous:
                    raise self.fail(line, "syntax error: #| msgctxt must be followed by #| msgid")
                state = self.state = _PRE
            if keyword == "msgid" and state == _CTX_S:
                entry = self.entry
                assert entry is not None
            elif state in (_NONE, _PRE) or state in _COMPLETE:
                entry = self.begin(line)
                entry.key_line = line
            else:
                raise self.incomplete(line)
            self.check_obsolete(entry, obsolete, line)
            if keyword == "msgctxt":
                entry.msgctxt = []
                entry.strings = entry.msgctxt
                self.state = _CTX
            else:
                entry.strings = entry.msgid
                self.state = _ID
        elif keyword == "msgid_plural":
            if state != _ID_S:
                if state in _NEEDS_STRING or state in (_CTX_S, _PLURAL_S):
                    raise self.incomplete(line)
                raise self.fail(line, "syntax error: msgid_plural must follow msgid")
            entry = self.entry
            assert entry is not None
            self.check_obsolete(entry, obsolete, line)
            entry.msgid_plural = []
            entry.strings = entry.msgid_plural
            self.state = _PLURAL
        elif index is None:  # msgstr
            if state == _PLURAL_S:
                raise self.fail(line, "msgstr after msgid_plural; a plural entry takes msgstr[0], "
                                      "msgstr[1], ...")
            if state != _ID_S:
                if state in _NEEDS_STRING or state == _CTX_S:
                    raise self.incomplete(line)
                raise self.fail(line, "syntax error: msgstr without msgid")
            entry = self.entry
            assert entry is not None
            self.check_obsolete(entry, obsolete, line)
            entry.msgstr = []
            entry.strings = entry.msgstr
            entry.string_lines = []
            self.state = _STR
        else:  # msgstr[N]
            entry = self.entry
            if state == _PLURAL_S:
                assert entry is not None
                if index != 0:
                    raise self.fail(line, f"the first plural form is msgstr[{index}]; it must be msgstr[0]")
            elif state == _STRN_S:
                assert entry is not None
                last = max(entry.msgstr_plural)
                if index != last + 1:
                    raise self.fail(line, f"msgstr[{index}] follows msgstr[{last}]; plural forms are "
                                          "numbered 0, 1, 2, ... without gaps")
            elif state in (_ID_S, _STR_S):
                raise self.fail(line, f"msgstr[{index}] without msgid_plural; use msgstr, or add "
                                      "msgid_plural before it")
            elif state in _NEEDS_STRING or state == _CTX_S:
                raise self.incomplete(line)
            else:
                raise self.fail(line, f"syntax error: msgstr[{index}] without msgid")
            self.check_obsolete(entry, obsolete, line)
            entry.msgstr_plural[index] = []
            entry.strings = entry.msgstr_plural[index]
            self.state = _STRN
        assert self.entry is not None
        self.entry.field_line = line
        self.entry.last_line = self.line

    def string(self, line: int, value: str, obsolete: bool, previous: bool) -> None:
        state = self.state
        entry = self.entry
        if previous:
            if state not in (_PREV, _PREV_S):
                raise self.fail(line, "syntax error: a #| string without #| msgid before it")
            assert entry is not None
            self.check_obsolete(entry, obsolete, line)
            self.state = _PREV_S
        elif state in (_CTX, _CTX_S, _ID, _ID_S, _PLURAL, _PLURAL_S, _STR, _STR_S, _STRN, _STRN_S):
            assert entry is not None
            self.check_obsolete(entry, obsolete, line)
            if state in _NEEDS_STRING:
                self.state = state + "_s"
            if self.state == _STR_S:
                entry.string_lines.append((line, value))
        else:
            raise self.fail(line, "syntax error: a string outside an entry (strings follow msgid, "
                                  "msgstr and the other keywords)")
        entry.strings.append(value)
        entry.last_line = self.line

    def end_of_file(self) -> None:
        state = self.state
        if state in _COMPLETE:
            self.finish()
        elif state == _PRE:
            entry = self.entry
            assert entry is not None
            if entry.previous:
                raise self.fail(entry.field_line, "syntax error: #| lines without an entry after them")
            # Comments after the last entry belong to nothing; msgfmt and polib drop them too.
            self.dangling = True
        elif state != _NONE:
            raise self.incomplete(self.line, at_end=True)

    # -- entries ------------------------------------------------------------------------------
    def finish(self) -> None:
        """Turn the entry just read into a polib entry (or the header), with its raw text."""
        entry = self.entry
        assert entry is not None
        self.entry = None
        self.state = _NONE
        msgctxt = None if entry.msgctxt is None else "".join(entry.msgctxt)
        msgid = "".join(entry.msgid)
        key = (msgctxt, msgid)
        if key in self.keys:
            if key == (None, ""):
                raise self.fail(entry.key_line, "a second header entry (msgid \"\"), the first at "
                                                f"line {self.keys[key]}; merge them into one")
            where = f" in context {msgctxt!r}" if msgctxt is not None else ""
            raise self.fail(entry.key_line, f"duplicate entry for {msgid!r}{where} "
                                            f"(first at line {self.keys[key]})")
        self.keys[key] = entry.key_line
        if msgctxt is None and msgid == "" and not entry.obsolete:
            self.header = entry
            self.set_header(entry)
            return
        po_entry = _po_entry(entry, msgctxt, msgid)
        list.append(self.catalog, po_entry)  # polib.POFile.append costs microseconds more
        self.key_lines.append(entry.key_line)
        if self.keep_raw:
            self.raw.append("\n".join(self.lines[entry.first_line - 1:entry.last_line]))
        lines = self.lines
        self.whole_block.append(self.blocks_apart
                                and (entry.first_line == 1 or not lines[entry.first_line - 2].strip(_WS))
                                and (entry.last_line >= len(lines) or not lines[entry.last_line].strip(_WS)))
        # Nothing reads the lines before this entry (and the one just above it) again: let them go.
        for index in range(self.released, entry.first_line - 2):
            lines[index] = ""
        self.released = max(self.released, entry.first_line - 2)

    def set_header(self, entry: _Entry) -> None:
        comments, flags = [], []
        for text in entry.comments:
            kind = text[1:2]
            if kind == ",":
                flags += _flags(text)
            elif kind not in (".", ":", "|"):
                comments.append(_translator_comment(text))
        self.catalog.header = "\n".join(comments)
        self.catalog.metadata_is_fuzzy = "fuzzy" in flags
        key = None
        for line in "".join(entry.msgstr or []).split("\n"):
            name, colon, value = line.partition(":")
            if colon:
                key = name
                self.catalog.metadata[key] = value.strip()
            elif key is not None and line:
                self.catalog.metadata[key] += "\n" + line.strip()

    def result(self) -> PoFile:
        _check_entries(self, self.header, self.catalog, self.key_lines)
        return PoFile(self.name, self.catalog, self.raw, self.key_lines, self.whole_block)


def _check_entries(parser: _Parser, header: _Entry | None, catalog: polib.POFile,
                   key_lines: list[int], header_offset: int = 0) -> None:
    """What msgfmt --check checks across the file: the header's plural rule, and each
    translated entry's newlines and number of plural forms. `header_offset` is how many lines
    come before the text `parser` read the header from."""
    rule = _HeaderRule.from_header(parser, header)
    rule.line += header_offset
    for po_entry, line in zip(catalog, key_lines, strict=True):
        if po_entry.obsolete or "fuzzy" in po_entry.flags:
            continue
        forms = [po_entry.msgstr_plural[i] for i in sorted(po_entry.msgstr_plural)]
        translated = bool(forms[0]) if po_entry.msgid_plural else bool(po_entry.msgstr)
        if not translated:
            continue  # msgfmt leaves untranslated entries out, unchecked
        _check_newlines(parser, line, po_entry, forms)
        if po_entry.msgid_plural:
            rule.check_entry(parser, line, len(forms))


def _unescape(body: str, parser: _Parser, line: int) -> str:
    """The text of a string's body: msgfmt's escapes decoded, anything else refused.

    Octal and hexadecimal escapes are bytes (``\\303\\251`` is "é" in a UTF-8 file), so they are
    collected as bytes and decoded with the text around them.
    """
    if "\\" not in body:
        return body
    raw_bytes = False

    def replace(match: re.Match[str]) -> str:
        nonlocal raw_bytes
        simple, octal, hexa, other = match.groups()
        if simple is not None:
            return _SIMPLE_ESCAPES[simple]
        if other is not None:
            shown = "\\" + other if other else "a backslash at the end"
            raise parser.fail(line, f"invalid escape {shown} in a string "
                                    "(write \\\\ for a backslash, \\\" for a quote)")
        value = (int(octal, 8) if octal is not None else int(hexa, 16)) & 0xFF
        if value == 0:
            raise parser.fail(line, "a \\0 escape: a message cannot hold a NUL character")
        if value < 0x80:
            return chr(value)
        raw_bytes = True
        return chr(0xDC00 + value)  # a lone byte, as the surrogateescape codec writes it

    text = _ESCAPE.sub(replace, body)
    if raw_bytes:
        try:
            text = text.encode("utf-8", "surrogateescape").decode("utf-8")
        except UnicodeDecodeError:
            raise parser.fail(line, "escape sequences in a string make bytes that are not UTF-8") from None
    return text


def _flags(text: str) -> list[str]:
    # Interned, like reference paths: a large catalog repeats a few of them on every entry.
    return [sys.intern(f) for f in (part.strip(_WS) for part in text[2:].split(",")) if f]


def _translator_comment(text: str) -> str:
    body = text[1:]
    return body.removeprefix(" ")


_REFERENCE = re.compile("\u2068([^\u2069]*)\u2069(?::([0-9]+))?|(\\S+)")


def _po_entry(entry: _Entry, msgctxt: str | None, msgid: str) -> polib.POEntry:
    """The polib entry for what was read, its comments split the way polib splits them."""
    tcomment: list[str] = []
    comment: list[str] = []
    occurrences: list[tuple[str, str]] = []
    flags: list[str] = []
    for text in entry.comments:
        kind = text[1:2]
        if kind == ".":
            body = text[2:]
            if body.strip(_WS):  # polib drops an empty "#." line
                comment.append(body.removeprefix(" "))
        elif kind == ":":
            for isolated, isolated_line, word in _REFERENCE.findall(text, 2):
                if not word:  # GNU gettext 0.22's way to write a name holding spaces
                    occurrences.append((sys.intern(isolated), isolated_line))
                    continue
                path, colon, number = word.rpartition(":")
                occurrences.append((sys.intern(path), number) if colon and number.isdigit() else (word, ""))
        elif kind == ",":
            flags += _flags(text)
        else:
            tcomment.append(_translator_comment(text))
    previous = {k: "".join(v) for k, v in entry.previous.items()}
    po_entry = polib.POEntry(
        msgctxt=msgctxt, msgid=msgid,
        msgid_plural="".join(entry.msgid_plural) if entry.msgid_plural is not None else "",
        msgstr="".join(entry.msgstr) if entry.msgstr is not None else "",
        msgstr_plural={i: "".join(v) for i, v in entry.msgstr_plural.items()},
        obsolete=bool(entry.obsolete), comment="\n".join(comment), tcomment="\n".join(tcomment),
        occurrences=occurrences, flags=flags, linenum=entry.first_line,
        previous_msgctxt=previous.get("msgctxt"), previous_msgid=previous.get("msgid"),
        previous_msgid_plural=previous.get("msgid_plural"),
    )
    return po_entry


def _check_newlines(parser: _Parser, line: int, entry: polib.POEntry, forms: list[str]) -> None:
    """msgfmt's rule: a msgid that begins or ends with \\n has translations that do too."""
    pairs = [("msgid_plural", entry.msgid_plural)] if entry.msgid_plural else []
    if entry.msgid_plural:
        pairs += [(f"msgstr[{i}]", form) for i, form in enumerate(forms)]
    else:
        pairs.append(("msgstr", entry.msgstr))
    for end, test in (("begin", str.startswith), ("end", str.endswith)):
        wanted = test(entry.msgid, "\n")
        for what, value in pairs:
            if test(value, "\n") != wanted:
                raise parser.fail(line, f"msgid and {what} do not both {end} with \\n; "
                                        f"make them agree")


# -- plural forms --------------------------------------------------------------------------------
_TEMPLATE_PLURAL_FORMS = "nplurals=INTEGER; plural=EXPRESSION;"
_CHECKED_UP_TO = 1000  # msgfmt --check evaluates the expression for n = 0 .. 1000


@dataclass
class _HeaderRule:
    """The header's plural rule, checked as msgfmt --check checks it, and applied to entries."""

    nplurals: int | None
    has_expression: bool
    line: int

    @classmethod
    def from_header(cls, parser: _Parser, header: _Entry | None) -> _HeaderRule:
        # Like msgfmt and libintl, look for nplurals= and plural= anywhere in the header.
        text = "".join(header.msgstr or []) if header is not None else ""
        if header is None or _TEMPLATE_PLURAL_FORMS in text:
            return cls(None, False, header.key_line if header is not None else 0)
        line = next((n for n, piece in header.string_lines if "plural" in piece), header.key_line)
        try:
            nplurals, expression = parse_plural_forms(text)
            if nplurals is not None and expression is not None:
                check_plural_rule(nplurals, expression)
        except ValueError as exc:
            raise parser.fail(line, f"Plural-Forms: {exc}") from None
        return cls(nplurals, expression is not None, line)

    def check_entry(self, parser: _Parser, line: int, forms: int) -> None:
        if self.nplurals is None or not self.has_expression:
            raise parser.fail(line, "a translated plural entry, but the header has no Plural-Forms "
                                    "with nplurals and plural; add one, e.g. "
                                    '"Plural-Forms: nplurals=2; plural=(n != 1);\\n"')
        if forms != self.nplurals:
            counted = f"{forms} plural form{'' if forms == 1 else 's'}"
            raise parser.fail(line, f"{counted}, but the header (line {self.line}) says "
                                    f"nplurals={self.nplurals}; give every form")


def parse_plural_forms(value: str) -> tuple[int | None, str | None]:
    """`nplurals` and the `plural` expression of a Plural-Forms value (or a whole header).

    Either may be missing (None); ValueError when one is there but invalid. The expression is
    checked for syntax here; its range is `check_plural_rule`'s job.
    """
    nplurals = expression = None
    found = re.search(r"nplurals=[ \t\r\f\v]*([0-9]*)", value)
    if found:
        if not found.group(1):
            shown = value[found.end():].split(";")[0].strip(_WS)
            raise ValueError(f"invalid nplurals value {shown!r}; it is a number of forms like 2")
        nplurals = int(found.group(1))
    found = re.search(r"plural=([^;\n]*)", value)
    if found:
        expression = found.group(1).strip(" \t")  # all gettext skips in an expression
        plural_function(expression)  # raises ValueError on a syntax error
    return nplurals, expression


def check_plural_rule(nplurals: int, expression: str) -> None:
    """ValueError unless `expression` gives a form below `nplurals` for every n up to 1000."""
    function = plural_function(expression)
    largest = 0
    for n in range(_CHECKED_UP_TO + 1):
        try:
            largest = max(largest, function(n))
        except ZeroDivisionError:
            raise ValueError("the plural expression divides by zero") from None
    if largest >= nplurals:
        raise ValueError(f"nplurals={nplurals}, but the plural expression gives form {largest} "
                         f"(forms are numbered from 0, so nplurals must be at least {largest + 1})")


_TOKEN = re.compile(r"[ \t]*(?:(\d+)|(n)|(\|\||&&|==|!=|<=|>=|[-+*/%<>!?:()]))")
_PRECEDENCE = [("||",), ("&&",), ("==", "!="), ("<", ">", "<=", ">="), ("+", "-"), ("*", "/", "%")]
_MASK = (1 << 64) - 1  # gettext evaluates in unsigned long


def plural_function(expression: str) -> Callable[[int], int]:
    """The form index for n, from a gettext plural expression (C syntax); ValueError if invalid.

    The expression is parsed by gettext's grammar (``?:``, ``||``, ``&&``, comparisons,
    ``+ - * / %``, ``!``, ``n``, numbers, parentheses) into Python source built only from those
    parts, then compiled once, so checking 1,001 values of n costs well under a millisecond.
    """
    tokens: list[str] = []
    position = 0
    text = expression.rstrip(" \t")
    while position < len(text):
        match = _TOKEN.match(text, position)
        if match is None or match.end() == position:
            raise ValueError(f"invalid plural expression {expression!r}")
        tokens.append(match.group(match.lastindex or 0))
        position = match.end()
    tokens.append("")  # end marker
    at = 0

    def peek() -> str:
        return tokens[at]

    def take(expected: str | None = None) -> str:
        nonlocal at
        token = tokens[at]
        if (expected is not None and token != expected) or token == "":
            raise ValueError(f"invalid plural expression {expression!r}")
        at += 1
        return token

    def conditional() -> str:
        test = binary(0)
        if peek() == "?":
            take("?")
            yes = conditional()
            take(":")
            no = conditional()
            return f"({yes} if {test} else {no})"
        return test

    def binary(level: int) -> str:
        if level == len(_PRECEDENCE):
            return unary()
        left = binary(level + 1)
        while peek() in _PRECEDENCE[level]:
            op = take()
            right = binary(level + 1)
            left = _python_operation(op, left, right)
        return left

    def unary() -> str:
        token = peek()
        if token == "!":
            take()
            return f"(0 if {unary()} else 1)"
        if token == "(":
            take()
            inner = conditional()
            take(")")
            return inner
        if token == "n":
            take()
            return "n"
        if token.isdigit():
            take()
            return str(int(token) & _MASK)
        raise ValueError(f"invalid plural expression {expression!r}")

    source = conditional()
    if peek() != "":
        raise ValueError(f"invalid plural expression {expression!r}")
    # The source holds only n, integer literals, operators and the helper below: nothing
    # from the file is evaluated as Python.
    function: Callable[[int], int] = eval(
        compile(f"lambda n: {source}", "<plural expression>", "eval"), {"_div": _div, "_mod": _mod}
    )
    return function


def _python_operation(op: str, left: str, right: str) -> str:
    if op == "||":
        return f"(1 if {left} or {right} else 0)"
    if op == "&&":
        return f"(1 if {left} and {right} else 0)"
    if op in ("==", "!=", "<", ">", "<=", ">="):
        return f"(1 if {left} {op} {right} else 0)"
    if op == "/":
        return f"_div({left}, {right})"
    if op == "%":
        return f"_mod({left}, {right})"
    return f"(({left} {op} {right}) & {_MASK})"


def _div(a: int, b: int) -> int:
    return a // b  # ZeroDivisionError is what check_plural_rule reports


def _mod(a: int, b: int) -> int:
    return a % b


# Where CLDR (Babel's data) and GNU gettext disagree, these are gettext's choice: CLDR gives
# Spanish, French, Italian and Portuguese (and Catalan, for the same reason) a third form for
# round millions ("de millones"), which no PO editor or translator expects.
_GETTEXT_CHOICE = {
    "ca": "nplurals=2; plural=(n != 1);",
    "es": "nplurals=2; plural=(n != 1);",
    "fr": "nplurals=2; plural=(n > 1);",
    "it": "nplurals=2; plural=(n != 1);",
    "pt": "nplurals=2; plural=(n != 1);",
    "pt_BR": "nplurals=2; plural=(n > 1);",
}
DEFAULT_PLURAL_FORMS = "nplurals=2; plural=(n != 1);"
# Codes that are not locales Babel knows: "zt" is how Argos Translate names Traditional Chinese.
_ALIASES = {"zt": "zh_Hant"}


def plural_forms(lang: str) -> str:
    """The Plural-Forms header for a language code ("es", "pt_BR", "zh-Hant"...).

    From Babel's CLDR data, except gettext's two-form rules for es, fr, it and pt (see above);
    a code Babel does not know gets the two-form English rule, which msgfmt accepts.
    """
    from babel.core import UnknownLocaleError
    from babel.messages.plurals import get_plural

    code = _ALIASES.get(lang, lang).replace("-", "_")
    base = code.split("_")[0]
    if code in _GETTEXT_CHOICE or base in _GETTEXT_CHOICE:
        return _GETTEXT_CHOICE.get(code) or _GETTEXT_CHOICE[base]
    try:
        return str(get_plural(code).plural_forms)
    except (UnknownLocaleError, ValueError, TypeError):
        return DEFAULT_PLURAL_FORMS


def nplurals(lang: str) -> int:
    """How many msgstr[N] forms a plural entry has in that language."""
    count, _expression = parse_plural_forms(plural_forms(lang))
    assert count is not None
    return count


def singular_form(plural_forms_value: str) -> int | None:
    """The msgstr index used for n = 1 under a Plural-Forms value (None for a one-form language).

    A machine translation of a plural entry puts the singular's translation there and the
    plural's everywhere else: form 0 is not always "one" (Babel's Latvian rule begins with zero).
    """
    count, expression = parse_plural_forms(plural_forms_value)
    if count is None or expression is None or count < 2:
        return None
    return plural_function(expression)(1)


def language_name(code: str) -> str:
    """The English name of a language code (Babel's), or the code itself when unknown."""
    from babel.core import Locale, UnknownLocaleError

    try:
        name = Locale.parse(_ALIASES.get(code, code).replace("-", "_")).english_name
    except (UnknownLocaleError, ValueError, TypeError):
        return code
    return str(name) if name else code


# -- writing and locking ---------------------------------------------------------------------
# A temporary file is named after the file it replaces, the process writing it and its machine:
# ".NAME.PID-HOST-RANDOM.tmp". A later writer of NAME removes the ones whose process is gone
# (killed before its rename), and leaves a live writer's alone.
_TEMPORARY = re.compile(r"\.(?P<pid>[0-9]+)-(?P<host>[0-9a-f]{8})-[0-9a-f]{8}\.tmp")
_OLD_TEMPORARY = re.compile(r"\.[0-9a-f]{8}\.tmp")  # before the pid was in the name
STALE_AFTER = 600.0  # seconds; a temporary nobody can tell is dead is stale after this long


def atomic_write(files: Mapping[Path, bytes] | Iterable[tuple[Path, bytes]]) -> None:
    """Write each file to a temporary sibling, flush it to disk, then rename them all into place.

    `files` maps each path to its bytes, or yields (path, bytes) pairs: a writer that makes one
    large file after another then holds only one of them at a time.

    Readers see either the old or the new content of each file, never a partial one; a crash
    before the renames leaves every old file as it was, and the temporaries a killed writer left
    are removed by the next writer of the same file (`remove_stale_temporaries`). A file that
    existed keeps its permission bits; a new one gets the usual 0666 less the umask. The files
    are renamed in the order given. OSError (the disk is full, the folder is read-only)
    propagates after the temporary files are removed.
    """
    written: list[tuple[Path, Path]] = []
    try:
        for path, data in files.items() if isinstance(files, Mapping) else files:
            written.append((_write_temporary(path, data), path))
            del data  # the next file's bytes are made while these are already on disk
        for temp, path in written:
            os.replace(temp, path)
        for folder in {path.parent for _temp, path in written}:
            _sync_folder(folder)
    finally:
        for temp, _path in written:
            if temp.exists():
                temp.unlink()


def replace_if_unchanged(path: Path, data: bytes | Iterable[bytes], expected: bytes | None) -> bool:
    """Write `data` (bytes, or its pieces in order) to `path` atomically, unless `path` no longer
    holds `expected` (None: no file); False when it changed, and then nothing is written.

    This is how a run replaces a file a person may be saving at the same time (a PO editor writes
    a temporary file and renames it, like `atomic_write`): the caller read `expected`, merged the
    person's work into `data`, and calls this; on False it reads the file again and merges again.
    The new file is written and flushed first, so the time between the last look at the file
    and the rename is a few system calls, not the time it took to write the data.
    """
    temp = _write_temporary(path, data)
    try:
        before = _identity(path)
        if not _holds(path, expected) or _identity(path) != before:
            return False
        os.replace(temp, path)
        _sync_folder(path.parent)
        return True
    finally:
        if temp.exists():
            temp.unlink()


def _holds(path: Path, expected: bytes | None) -> bool:
    """Whether `path` holds exactly `expected` (None: there is no file), read a block at a time
    (a 50 MB catalog is not copied again to be compared)."""
    try:
        handle = path.open("rb")
    except FileNotFoundError:
        return expected is None
    with handle:
        return expected is not None and same_blocks(expected, iter(lambda: handle.read(1 << 20), b""))


def same_blocks(expected: bytes, blocks: Iterable[bytes]) -> bool:
    """Whether `blocks`, one after the other, are exactly `expected`: a large file and the text
    meant to replace it are compared as they come, without a second whole copy of either."""
    view, at = memoryview(expected), 0
    for block in blocks:
        if view[at:at + len(block)] != block:
            return False
        at += len(block)
    return at == len(expected)


def _identity(path: Path) -> tuple[int, ...] | None:
    """What changes when a file is replaced or rewritten: device, inode, size, modification time."""
    try:
        info = os.stat(path)
    except FileNotFoundError:
        return None
    return (info.st_dev, info.st_ino, info.st_size, info.st_mtime_ns)


def _write_temporary(path: Path, data: bytes | Iterable[bytes]) -> Path:
    """`data` (or its pieces) in a new temporary sibling of `path`, flushed to disk, with
    `path`'s mode."""
    path.parent.mkdir(parents=True, exist_ok=True)
    remove_stale_temporaries(path)
    temp = path.with_name(f".{path.name}.{os.getpid()}-{_host_tag()}-{secrets.token_hex(4)}.tmp")
    descriptor = os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)
    try:
        with os.fdopen(descriptor, "wb") as handle:
            if isinstance(data, bytes):
                handle.write(data)
            else:
                handle.writelines(data)
            handle.flush()
            os.fsync(handle.fileno())
        try:
            os.chmod(temp, stat.S_IMODE(os.stat(path).st_mode))
        except FileNotFoundError:
            pass  # a new file: the umask decided its mode
    except BaseException:
        temp.unlink(missing_ok=True)
        raise
    return temp


def remove_stale_temporaries(path: Path) -> list[Path]:
    """Delete the temporary files of `path` that writers killed before their rename left; return them.

    A temporary is stale when the process named in it is gone from this machine; one from another
    machine (a shared folder) or from before the pid was in the name is stale once it is
    `STALE_AFTER` seconds old, far longer than any write takes. A live writer's is never touched.
    """
    prefix = f".{path.name}"
    removed: list[Path] = []
    try:
        with os.scandir(path.parent) as listing:
            candidates = [item.name for item in listing
                          if item.name.startswith(prefix) and item.name.endswith(".tmp")]
    except OSError:
        return removed
    host = _host_tag()
    for name in candidates:
        rest = name[len(prefix):]
        own = _TEMPORARY.fullmatch(rest)
        if own is None and _OLD_TEMPORARY.fullmatch(rest) is None:
            continue  # not a temporary of this file (".a.po.x.tmp" may belong to "a.po.x")
        leftover = path.parent / name
        alive = process_alive(int(own.group("pid"))) if own and own.group("host") == host else None
        if alive is not None:
            stale = not alive
        else:
            try:
                stale = time.time() - leftover.stat().st_mtime > STALE_AFTER
            except FileNotFoundError:
                continue
        if stale:
            try:
                leftover.unlink()
            except FileNotFoundError:
                continue  # another writer removed it first
            removed.append(leftover)
    return removed


def _host_tag() -> str:
    """Eight hex digits naming this machine in temporary file names."""
    return hashlib.sha1(socket.gethostname().encode("utf-8", "surrogateescape")).hexdigest()[:8]


def process_alive(pid: int) -> bool | None:
    """Whether process `pid` of this machine runs; None where that cannot be asked safely."""
    if pid == os.getpid():
        return True
    if os.name == "nt":
        return None  # os.kill would end the process there, not probe it
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True  # someone else's process
    except (OverflowError, OSError):
        return None
    return True


def _sync_folder(folder: Path) -> None:
    """Flush the folder's entry for the renamed files, where the system allows it."""
    try:
        descriptor = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(descriptor)
    except OSError:
        pass  # not every file system (nor Windows) syncs a folder
    finally:
        os.close(descriptor)


@contextmanager
def lock(path: Path, *, shared: bool, required: bool = True, timeout: float = 30.0) -> Iterator[None]:
    """An advisory lock on the file `path` (flock on POSIX, msvcrt on Windows), created if needed.

    Writers take it exclusive, readers shared. With `required=False` a lock file that cannot be
    created (a read-only checkout) means no lock rather than an error. LockTimeoutError after
    `timeout` seconds of waiting.
    """
    try:
        descriptor = os.open(path, os.O_RDWR | os.O_CREAT, 0o666)
    except OSError:
        if required:
            raise
        yield
        return
    try:
        deadline = time.monotonic() + timeout
        while not _try_lock(descriptor, shared):
            if time.monotonic() > deadline:
                raise LockTimeoutError(str(path), timeout)
            time.sleep(0.05)
        yield
    finally:
        os.close(descriptor)  # closing releases the lock


def _try_lock(descriptor: int, shared: bool) -> bool:
    try:
        import fcntl
    except ImportError:  # Windows: msvcrt has only exclusive locks
        import msvcrt

        try:
            msvcrt.locking(descriptor, msvcrt.LK_NBLCK, 1)  # type: ignore[attr-defined]
        except OSError:
            return False
        return True
    try:
        fcntl.flock(descriptor, (fcntl.LOCK_SH if shared else fcntl.LOCK_EX) | fcntl.LOCK_NB)
    except BlockingIOError:
        return False
    return True
