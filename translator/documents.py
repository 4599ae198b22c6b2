"""Files -> segments -> files: what is sent to the model, and how the answer is put back.

A `Document` is the source text cut into two kinds of parts: literals (markup, whitespace, code,
anything the model must not see) and `Segment` slots (one sentence each). Rendering joins the
literals with one translation per slot, so everything that is not a sentence comes out
byte-for-byte as it went in: line endings (LF or CRLF), blank lines, indentation, list markers,
code, front matter, and the presence or absence of a final newline.

The shape guarantee
-------------------
A segment is a sentence, and a sentence may run over a *soft* line break (a hard-wrapped
paragraph). The model gets such a sentence on one line: `Segment.text` joins its lines with a
single space (with nothing after a line ending in letter + hyphen, where wrappers break
compounds such as "China-Latin"). The rendered translation replaces the whole source sentence,
continuation lines and their prefixes ("> ", list indentation) included. Hence, when every
translation is a single line:

- every literal is output verbatim, in order;
- the output has the input's lines, except that each sentence that spanned k soft line breaks
  now occupies one line: its k continuation lines are merged into the line where it started;
- so every blank line, the number of paragraphs (runs of non-blank lines) and the final newline
  (or its absence) are kept; and
- ``doc.render([s.text for s in doc.segments()]) == text`` exactly when no sentence spans a line
  break (always true of one-paragraph-per-line files such as the seeds).

Which line breaks are soft
--------------------------
Markdown follows CommonMark (with GFM tables): the lines of one paragraph are joined; a line
ending in two spaces or a backslash is a hard break, and no sentence crosses it. Sentences are
never cut inside an inline code span, a link or an inline tag: a later step protects those with
placeholders, and half of one in each of two sentences could not be protected.

Plain text has no markup, so `_is_soft_break` guesses. Two consecutive non-blank lines A, B are
joined only when both contain a letter, B is not a list entry ("- ", "* ", "• ", "1. "), and
one of these holds: B starts with a lower-case letter (a sentence does not); A ends in letter +
hyphen (nobody ends a line of their own on a hyphen); or the file is visibly hard-wrapped at
some width W and B's first word would not have fitted on A (the test every greedy wrapper
applies). W is the longest line of 30-100 characters that is followed by more text and has a
second such line within 10 characters of it, so one long headline does not set it and an
unwrapped article (paragraphs of hundreds of characters on one line) has none. Thus a headline
over a dateline or byline keeps its line breaks, and wrapped prose is joined.

Sentences without any letter ("2021-09-20 18:13", "***", "42", a table cell "$5") stay literal:
the model has nothing to translate in them and could only damage them. In Markdown, letters in
code spans, tags and link targets do not count, so a paragraph that is only `code`, an autolink
or a stray </div> is literal too; so is the "[^1]:" label of a footnote.
"""
from __future__ import annotations

import bisect
import re
from dataclasses import dataclass
from pathlib import PurePath
from typing import NamedTuple, Sequence

from translator.segment import split_sentences

__all__ = ["Document", "Segment", "format_for", "parse_document"]

FORMATS = {".txt": "txt", ".text": "txt", ".md": "md", ".markdown": "md"}


@dataclass(frozen=True)
class Segment:
    """One sentence to translate, and where it came from (for review catalogs and reports)."""

    text: str  # what the model should translate; soft line breaks collapsed to single spaces
    line: int  # 1-based source line where the sentence starts (PO "#:" references)
    kind: str  # the block: "heading" | "paragraph" | "list_item" | "quote" | "table_cell"


@dataclass
class Document:
    """A source file as literals and segment slots, so a translation can be poured back in."""

    name: str  # e.g. "article.md"; "<stdin>" for standard input
    format: str  # "txt" | "md"
    parts: list[str | Segment]  # literal text and segment slots, in document order

    def segments(self) -> list[Segment]:
        """The slots in order: index i here is index i of `render`'s translations."""
        return [part for part in self.parts if isinstance(part, Segment)]

    def render(self, translations: Sequence[str]) -> str:
        """The document with segment i replaced by translations[i] and every literal kept verbatim."""
        count = sum(isinstance(part, Segment) for part in self.parts)
        if len(translations) != count:
            raise ValueError(
                f"{self.name}: {len(translations)} translations for {count} segments"
            )
        pending = iter(translations)
        return "".join(next(pending) if isinstance(part, Segment) else part for part in self.parts)


def format_for(filename: str) -> str:
    """The document format a file name implies, so the caller can refuse a file early."""
    suffix = PurePath(filename).suffix.lower()
    try:
        return FORMATS[suffix]
    except KeyError:
        raise ValueError(
            f"{filename}: unsupported file type {suffix or '(no extension)'}; "
            "expected .txt, .text, .md or .markdown"
        ) from None


def parse_document(text: str, format: str, name: str = "<stdin>", *, lang: str = "en") -> Document:
    """Cut `text` into literals and sentences; `lang` is the source language, for the splitter."""
    lines = _Lines(text)
    if format == "txt":
        runs = _parse_text(lines)
    elif format == "md":
        runs = _MarkdownParser(lines).parse()
    else:
        raise ValueError(f"{name}: unknown document format {format!r}; expected 'txt' or 'md'")
    return Document(name, format, _assemble(lines, runs, lang, markdown=format == "md"))


# ---------------------------------------------------------------------------------------------
# Shared machinery: lines, runs, and turning runs into parts.


class _Lines:
    """The source split at "\\n" (never at other Unicode line separators), with offsets."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.starts: list[int] = []  # offset of each line's first character
        self.ends: list[int] = []  # offset just past each line's content (before "\r\n" / "\n")
        start = 0
        while start < len(text) or not self.starts:
            newline = text.find("\n", start)
            stop = len(text) if newline < 0 else newline
            end = stop - 1 if stop > start and text[stop - 1] == "\r" and newline >= 0 else stop
            self.starts.append(start)
            self.ends.append(end)
            if newline < 0:
                break
            start = newline + 1
        if text.startswith("\ufeff"):  # a byte-order mark is not part of the first line's text
            self.starts[0] = min(1, self.ends[0])
        self._line_of = [0] + self.starts[1:]

    def __len__(self) -> int:
        return len(self.starts)

    def content(self, i: int) -> str:
        return self.text[self.starts[i] : self.ends[i]]

    def is_blank(self, i: int) -> bool:
        return not self.content(i).strip()

    def line_number(self, offset: int) -> int:
        """1-based number of the line holding `offset`."""
        return bisect.bisect_right(self._line_of, offset)


@dataclass
class _Run:
    """Text read as one stretch: its pieces (stripped spans, one per line) join at soft breaks."""

    kind: str
    pieces: list[tuple[int, int]]


def _strip(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


def _has_letter(text: str) -> bool:
    return any(ch.isalpha() for ch in text)


def _joins_hyphenated(src: str, last: int, first: int) -> bool:
    """A line ending in letter + hyphen was broken inside a compound ("China-" / "Latin"), so
    the pieces join without a space."""
    return last > 0 and src[last] == "-" and src[last - 1].isalpha() and src[first].isalpha()


def _assemble(
    lines: _Lines, runs: list[_Run], lang: str, markdown: bool = False
) -> list[str | Segment]:
    """Split every run into sentences and cut the source around them into parts."""
    src = lines.text
    found: list[tuple[int, int, Segment]] = []
    for run in runs:
        chunks: list[str] = []
        origin: list[int] = []  # source offset of each character of `joined` (-1: a joining space)
        for a, b in run.pieces:
            if chunks and not _joins_hyphenated(src, origin[-1], a):
                chunks.append(" ")
                origin.append(-1)
            chunks.append(src[a:b])
            origin.extend(range(a, b))
        joined = "".join(chunks)
        spans = split_sentences(joined, lang)
        if markdown:
            spans = _unsplit_inline_markup(joined, spans)
        for s, e in spans:
            sentence = joined[s:e]
            if _has_letter(_MARKUP_ONLY.sub("", sentence) if markdown else sentence):
                start = origin[s]
                segment = Segment(sentence, lines.line_number(start), run.kind)
                found.append((start, origin[e - 1] + 1, segment))
    found.sort(key=lambda item: item[0])
    parts: list[str | Segment] = []
    done = 0
    for start, end, segment in found:
        if start > done:
            parts.append(src[done:start])
        parts.append(segment)
        done = end
    if done < len(src):
        parts.append(src[done:])
    return parts


# Inline Markdown the splitter must not cut through: a later step swaps code spans and URLs for
# placeholders, and half a code span or link in each of two sentences cannot be protected.
_INLINE_MARKUP = re.compile(
    r"(?<!`)(`+)(?!`).+?(?<!`)\1(?!`)"  # code span: a run of n backticks to the next run of n
    r"|!?\[[^\]]*\]\([^)]*\)"  # inline link or image: [text](url "title")
    r"|!?\[[^\]]*\]\[[^\]]*\]"  # reference link: [text][label]
    r"|<[^<>]+>"  # autolink or inline HTML tag
)


# What is left of a Markdown sentence for the model once code, tags and link targets are
# taken away: a paragraph that is only `code`, <https://a.link> or </div> is not prose.
_MARKUP_ONLY = re.compile(r"(?<!`)(`+)(?!`).+?(?<!`)\1(?!`)|<[^<>]+>|\]\([^)]*\)")


def _unsplit_inline_markup(text: str, spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Merge neighbouring sentences whose boundary falls inside a code span, link or tag."""
    inside = [(m.start(), m.end()) for m in _INLINE_MARKUP.finditer(text)]
    if not inside:
        return spans
    merged = [spans[0]] if spans else []
    for start, end in spans[1:]:
        previous_end = merged[-1][1]
        if any(a < previous_end and start < b for a, b in inside):
            merged[-1] = (merged[-1][0], end)
        else:
            merged.append((start, end))
    return merged


# ---------------------------------------------------------------------------------------------
# Plain text.

_TEXT_LIST_MARKER = re.compile(r"[ \t]*(?:[-*+•‣–]|\d{1,3}[.)])[ \t]+(?=\S)")
_MIN_WRAP, _MAX_WRAP, _WRAP_SLACK = 30, 100, 10


def _parse_text(lines: _Lines) -> list[_Run]:
    src = lines.text
    blocks: list[list[int]] = []
    for i in range(len(lines)):
        if lines.is_blank(i):
            continue
        if blocks and blocks[-1][-1] == i - 1:
            blocks[-1].append(i)
        else:
            blocks.append([i])
    width = _wrap_width(lines, blocks)
    runs: list[_Run] = []
    for block in blocks:
        previous = None
        for i in block:
            marker = _TEXT_LIST_MARKER.match(src, lines.starts[i], lines.ends[i])
            start = marker.end() if marker else lines.starts[i]
            piece = _strip(src, start, lines.ends[i])
            if previous is not None and not marker and _is_soft_break(lines, previous, i, width):
                runs[-1].pieces.append(piece)
            else:
                runs.append(_Run("list_item" if marker else "paragraph", [piece]))
            previous = i
    for run in runs:  # a one-line run that does not end like a sentence is a title or headline
        if run.kind == "paragraph" and len(run.pieces) == 1:
            a, b = run.pieces[0]
            if src[b - 1].isalnum():
                run.kind = "heading"
    return runs


def _wrap_width(lines: _Lines, blocks: list[list[int]]) -> int | None:
    """The width the file was hard-wrapped at, or None when nothing shows it was."""
    lengths = sorted(
        len(lines.content(i).rstrip())
        for block in blocks
        for i, nxt in zip(block, block[1:])
        if _has_letter(lines.content(i)) and _has_letter(lines.content(nxt))
        and _MIN_WRAP <= len(lines.content(i).rstrip()) <= _MAX_WRAP
    )
    for k in range(len(lengths) - 1, 0, -1):
        if lengths[k] - lengths[k - 1] <= _WRAP_SLACK:
            return lengths[k]
    return None


def _is_soft_break(lines: _Lines, a: int, b: int, width: int | None) -> bool:
    """Does line b continue the sentence on line a? (See the module docstring.)"""
    first, second = lines.content(a).rstrip(), lines.content(b).strip()
    if not (_has_letter(first) and _has_letter(second)):
        return False
    if second[0].islower():
        return True
    if first.endswith("-") and first[-2:-1].isalpha() and second[0].isalpha():
        return True  # "China-" / "Latin America": nobody ends a line of their own on a hyphen
    if width is None or len(first) > width:
        return False
    next_word = second.split()[0]
    return len(first) + 1 + len(next_word) > width


# ---------------------------------------------------------------------------------------------
# Markdown: a line-based block parser after CommonMark (containers: block quotes and list
# items; leaves: paragraphs, headings, code, HTML, tables). It only decides which characters
# are prose; everything else stays literal.

_ATX = re.compile(r"#{1,6}(?=[ \t]|$)")
_ATX_CLOSE = re.compile(r"(?:^|[ \t]+)#+[ \t]*$")
_FENCE = re.compile(r"(`{3,}|~{3,})(.*)$")
_SETEXT = re.compile(r"(=+|-+)[ \t]*$")
_THEMATIC = re.compile(r"(?:(?:\*[ \t]*){3,}|(?:-[ \t]*){3,}|(?:_[ \t]*){3,})$")
_LIST_MARKER = re.compile(r"(?:[-+*]|(\d{1,9})[.)])(?=[ \t]|$)")
_FOOTNOTE = re.compile(r"\[\^[^\]\s]+\]:")
_TABLE_DELIMITER = re.compile(r"\|?[ \t]*:?-+:?[ \t]*(?:\|[ \t]*:?-+:?[ \t]*)*\|?[ \t]*$")
_LINK_DEFINITION = re.compile(
    r"[ \t]*\[(?:[^\]\\]|\\.)+\]:[ \t]*(?:<[^>\n]*>|\S+)"
    r"(?:[ \t]+(?:\"(?:[^\"\\]|\\.)*\"|'(?:[^'\\]|\\.)*'|\((?:[^)\\]|\\.)*\)))?[ \t]*$"
)
_BLOCK_TAGS = (
    "address|article|aside|base|basefont|blockquote|body|caption|center|col|colgroup|dd|details|"
    "dialog|dir|div|dl|dt|fieldset|figcaption|figure|footer|form|frame|frameset|h[1-6]|head|"
    "header|hr|html|iframe|legend|li|link|main|menu|menuitem|nav|noframes|ol|optgroup|option|p|"
    "param|search|section|summary|table|tbody|td|tfoot|th|thead|title|tr|track|ul"
)
# (start, end): end None means "ends at a blank line"; the last kind cannot interrupt a paragraph.
_HTML_BLOCKS = [
    (re.compile(r"<(?:script|pre|style|textarea)(?:[ \t>]|$)", re.I),
     re.compile(r"</(?:script|pre|style|textarea)>", re.I)),
    (re.compile(r"<!--"), re.compile(r"-->")),
    (re.compile(r"<\?"), re.compile(r"\?>")),
    (re.compile(r"<![A-Za-z]"), re.compile(r">")),
    (re.compile(r"<!\[CDATA\["), re.compile(r"\]\]>")),
    (re.compile(rf"</?(?:{_BLOCK_TAGS})(?:[ \t]|/?>|$)", re.I), None),
    (re.compile(
        r"(?:<[A-Za-z][A-Za-z0-9-]*(?:[ \t]+[A-Za-z_:][\w.:-]*"
        r"(?:[ \t]*=[ \t]*(?:[^ \t\"'=<>`]+|'[^']*'|\"[^\"]*\"))?)*[ \t]*/?>"
        r"|</[A-Za-z][A-Za-z0-9-]*[ \t]*>)[ \t]*$"
    ), None),
]


class _Cursor(NamedTuple):
    pos: int  # offset in the source
    col: int  # column of that offset, tabs expanded
    virtual: int  # columns left of a tab that a marker consumed only partly


@dataclass
class _Container:
    kind: str  # "quote" | "item"
    indent: int = 0  # item: columns its content is indented by, relative to its parent
    opened_blank: bool = False  # item: its marker line had no content
    has_content: bool = False


@dataclass
class _Paragraph:
    kind: str
    lines: list[tuple[int, int, bool]]  # (start, end, hard break after) per line, stripped


@dataclass
class _Fence:
    char: str
    length: int


@dataclass
class _Html:
    end: re.Pattern[str] | None


class _IndentedCode:
    pass


class _Table:
    pass


class _MarkdownParser:
    """Walks the lines once, keeping CommonMark's stack of open containers and one open leaf."""

    def __init__(self, lines: _Lines) -> None:
        self.lines = lines
        self.src = lines.text
        self.runs: list[_Run] = []
        self.stack: list[_Container] = []
        self.leaf: _Paragraph | _Fence | _Html | _IndentedCode | _Table | None = None

    def parse(self) -> list[_Run]:
        for i in range(self._front_matter_end(), len(self.lines)):
            self._line(i)
        self._close_leaf()
        return self.runs

    def _front_matter_end(self) -> int:
        """Index of the first line after a YAML front matter block (0 when there is none)."""
        if self.lines.content(0).strip("\ufeff").rstrip() != "---":
            return 0
        for i in range(1, len(self.lines)):
            if self.lines.content(i).rstrip() in ("---", "..."):
                return i + 1
        return 0

    # -- columns ------------------------------------------------------------------------------
    # A cursor is (offset, column, virtual): the column is counted from the line start with tab
    # stops every 4 columns, and `virtual` is what is left of a tab that a container marker
    # consumed only partly (CommonMark's "partially consumed tab").

    def _indent(self, at: _Cursor, end: int) -> tuple[int, int]:
        """(columns of indentation at the cursor, offset of the first non-blank character)."""
        pos, col, columns = at.pos, at.col, at.virtual
        while pos < end and self.src[pos] in " \t":
            width = 4 - col % 4 if self.src[pos] == "\t" else 1
            columns, col, pos = columns + width, col + width, pos + 1
        return columns, pos

    def _advance(self, at: _Cursor, end: int, columns: int) -> _Cursor:
        """The cursor moved past `columns` columns of indentation, splitting a tab if need be."""
        pos, col, virtual = at
        used = min(virtual, columns)
        virtual, columns = virtual - used, columns - used
        while columns > 0 and pos < end and self.src[pos] in " \t":
            width = 4 - col % 4 if self.src[pos] == "\t" else 1
            pos, col = pos + 1, col + width
            if width > columns:
                virtual, columns = width - columns, 0
            else:
                columns -= width
        return _Cursor(pos, col, virtual)

    def _skip_to(self, at: _Cursor, end: int, offset: int) -> _Cursor:
        """The cursor moved to `offset` (no further than the line end) over plain characters."""
        pos, col = at.pos, at.col
        while pos < min(offset, end):
            col = col + (4 - col % 4 if self.src[pos] == "\t" else 1)
            pos += 1
        return _Cursor(pos, col, 0)

    def _blank(self, pos: int, end: int) -> bool:
        return not self.src[pos:end].strip()

    # -- one line -----------------------------------------------------------------------------

    def _line(self, i: int) -> None:
        src, end = self.src, self.lines.ends[i]
        at = _Cursor(self.lines.starts[i], 0, 0)
        matched = 0
        for container in self.stack:
            if container.kind == "quote":
                indent, p = self._indent(at, end)
                if indent > 3 or p >= end or src[p] != ">":
                    break
                at = self._after_quote_marker(at, end, p)
            elif self._blank(at.pos, end):
                if container.opened_blank and not container.has_content:
                    break
            else:
                if self._indent(at, end)[0] < container.indent:
                    break
                at = self._advance(at, end, container.indent)
            matched += 1
        all_matched = matched == len(self.stack)

        new: list[_Container] = []
        if not (all_matched and isinstance(self.leaf, (_Fence, _Html))):
            at = self._open_containers(at, end, new, all_matched)

        if (
            not new
            and not all_matched
            and isinstance(self.leaf, _Paragraph)
            and not self._blank(at.pos, end)
            and not self._interrupts_paragraph(at, end)
        ):
            self._paragraph_line(at.pos, end)  # a lazy continuation line
            return
        if not all_matched:
            self._close_leaf()
            del self.stack[matched:]
        if new:
            self._close_leaf()
            self.stack.extend(new)
        self._leaf_line(at, end)

    def _after_quote_marker(self, at: _Cursor, end: int, marker: int) -> _Cursor:
        """Past ">" and the one optional space after it (one column of a tab)."""
        at = self._skip_to(at, end, marker + 1)
        return self._advance(at, end, 1)

    def _open_containers(
        self, at: _Cursor, end: int, new: list[_Container], all_matched: bool
    ) -> _Cursor:
        src = self.src
        while True:
            indent, p = self._indent(at, end)
            if indent >= 4 or p >= end:
                return at
            if src[p] == ">":
                new.append(_Container("quote"))
                at = self._after_quote_marker(at, end, p)
                continue
            marker = _LIST_MARKER.match(src, p, end)
            if not marker or _THEMATIC.match(src, p, end):
                return at
            m_end = marker.end()
            empty = self._blank(m_end, end)
            # Only an item that would land in the paragraph's own container interrupts it.
            in_paragraph = all_matched and not new and self._open_paragraph_has_text()
            if in_paragraph and (empty or (marker.group(1) and int(marker.group(1)) != 1)):
                return at  # such an item cannot interrupt a paragraph
            after_marker = self._skip_to(at, end, m_end)
            spaces, _ = self._indent(after_marker, end)
            width = indent + (m_end - p)
            if empty:
                width, at = width + 1, self._skip_to(after_marker, end, end)
            elif spaces >= 5:  # the content is indented code: the item's indent is one space
                width, at = width + 1, self._advance(after_marker, end, 1)
            else:
                width, at = width + spaces, self._advance(after_marker, end, spaces)
            new.append(_Container("item", indent=width, opened_blank=empty))

    def _interrupts_paragraph(self, at: _Cursor, end: int) -> bool:
        """Would this line start a new block rather than continue a paragraph lazily?"""
        indent, p = self._indent(at, end)
        if indent >= 4:
            return False
        src = self.src
        return bool(
            _ATX.match(src, p, end)
            or _FENCE.match(src, p, end)
            or _THEMATIC.match(src, p, end)
            or any(start.match(src, p, end) for start, _ in _HTML_BLOCKS[:-1])
        )

    def _leaf_line(self, at: _Cursor, end: int) -> None:
        src, leaf, pos = self.src, self.leaf, at.pos
        if isinstance(leaf, _Fence):
            indent, p = self._indent(at, end)
            closing = _FENCE.match(src, p, end)
            if (indent < 4 and closing and closing.group(1)[0] == leaf.char
                    and len(closing.group(1)) >= leaf.length and not closing.group(2).strip()):
                self.leaf = None
            return
        if isinstance(leaf, _Html):
            if leaf.end is None and self._blank(pos, end):
                self.leaf = None
            elif leaf.end is not None and leaf.end.search(src, pos, end):
                self.leaf = None
            return
        if isinstance(leaf, _IndentedCode):
            if self._blank(pos, end) or self._indent(at, end)[0] >= 4:
                return
            self.leaf = None
        if self._blank(pos, end):
            self._close_leaf()
            return
        for container in self.stack:
            container.has_content = True
        indent, p = self._indent(at, end)
        if indent >= 4:
            if self._open_paragraph_has_text():  # (after link definitions alone: code, to be safe)
                self._paragraph_line(pos, end)
            else:
                self._close_leaf()
                self.leaf = _IndentedCode()
            return
        fence = _FENCE.match(src, p, end)
        if fence and not (fence.group(1)[0] == "`" and "`" in fence.group(2)):
            self._close_leaf()
            self.leaf = _Fence(fence.group(1)[0], len(fence.group(1)))
            return
        if _ATX.match(src, p, end):
            self._close_leaf()
            self._heading(p, end)
            return
        if isinstance(self.leaf, _Paragraph) and _SETEXT.match(src, p, end):
            paragraph = self._without_link_definitions(self.leaf)
            if paragraph.lines:
                self.leaf = None
                self._emit(paragraph, kind="heading")
                return
        if _THEMATIC.match(src, p, end):
            self._close_leaf()
            return
        for n, (start, stop) in enumerate(_HTML_BLOCKS):
            if start.match(src, p, end):
                if n == len(_HTML_BLOCKS) - 1 and self._open_paragraph_has_text():
                    break  # a lone tag does not interrupt a paragraph
                self._close_leaf()
                if stop is None or not stop.search(src, p, end):  # may end on its first line
                    self.leaf = _Html(stop)
                return
        if self._table_starts(p, end):
            return
        if isinstance(self.leaf, _Table):
            self._table_row(p, end)
            return
        self._paragraph_line(p, end)

    # -- leaves -------------------------------------------------------------------------------

    def _paragraph_line(self, pos: int, end: int) -> None:
        src = self.src
        hard = src[pos:end].endswith("  ")
        trailing = len(src[pos:end]) - len(src[pos:end].rstrip("\\"))
        if trailing % 2 == 1:  # "text\" + newline: a hard break; the backslash stays literal
            hard, end = True, end - 1
        a, b = _strip(src, pos, end)
        paragraph = self.leaf
        if not isinstance(paragraph, _Paragraph):
            self._close_leaf()
            paragraph = self.leaf = _Paragraph(self._block_kind(), [])
            footnote = _FOOTNOTE.match(src, a, b)
            if footnote:  # "[^1]: The note." - the label is markup, the note is prose
                a, b = _strip(src, footnote.end(), b)
        if a < b:
            paragraph.lines.append((a, b, hard))
        elif paragraph.lines and hard:  # a line that is only "\" breaks after the one before
            a0, b0, _ = paragraph.lines[-1]
            paragraph.lines[-1] = (a0, b0, True)

    def _open_paragraph_has_text(self) -> bool:
        """Is a paragraph open with more than link reference definitions in it?"""
        leaf = self.leaf
        return isinstance(leaf, _Paragraph) and bool(self._without_link_definitions(leaf).lines)

    def _block_kind(self) -> str:
        for container in reversed(self.stack):
            return "list_item" if container.kind == "item" else "quote"
        return "paragraph"

    def _heading(self, p: int, end: int) -> None:
        marks = _ATX.match(self.src, p, end)
        assert marks is not None
        start, stop = marks.end(), end
        closing = _ATX_CLOSE.search(self.src, start, end)
        if closing:
            stop = closing.start()
        a, b = _strip(self.src, start, stop)
        if a < b:
            self.runs.append(_Run("heading", [(a, b)]))

    def _without_link_definitions(self, paragraph: _Paragraph) -> _Paragraph:
        """The paragraph minus the link reference definitions it starts with (kept literal)."""
        lines = paragraph.lines
        k = 0
        while k < len(lines) and _LINK_DEFINITION.match(self.src, lines[k][0], lines[k][1]):
            k += 1
        return _Paragraph(paragraph.kind, lines[k:])

    def _emit(self, paragraph: _Paragraph, kind: str | None = None) -> None:
        """One run per stretch between hard line breaks."""
        pieces: list[tuple[int, int]] = []
        for a, b, hard in paragraph.lines:
            pieces.append((a, b))
            if hard:
                self.runs.append(_Run(kind or paragraph.kind, pieces))
                pieces = []
        if pieces:
            self.runs.append(_Run(kind or paragraph.kind, pieces))

    def _close_leaf(self) -> None:
        if isinstance(self.leaf, _Paragraph):
            self._emit(self._without_link_definitions(self.leaf))
        self.leaf = None

    def _cells(self, start: int, end: int) -> list[tuple[int, int]]:
        """Stripped spans of a table row's cells (pipes split cells unless escaped)."""
        src = self.src
        start, end = _strip(src, start, end)
        if start < end and src[start] == "|":
            start += 1
        if end > start and src[end - 1] == "|" and (end - 2 < start or src[end - 2] != "\\"):
            end -= 1
        cells, cell_start, k = [], start, start
        while k < end:
            if src[k] == "\\":
                k += 2
                continue
            if src[k] == "|":
                cells.append(_strip(src, cell_start, k))
                cell_start = k + 1
            k += 1
        cells.append(_strip(src, cell_start, end))
        return cells

    def _table_starts(self, p: int, end: int) -> bool:
        """A delimiter row turns the paragraph's last line into a table header (as in GFM, the
        lines before it stay a paragraph of their own)."""
        leaf = self.leaf
        if not (isinstance(leaf, _Paragraph) and leaf.lines):
            return False
        if "|" not in self.src[p:end] or not _TABLE_DELIMITER.match(self.src, p, end):
            return False
        a, b, _ = leaf.lines[-1]
        if "|" not in self.src[a:b]:
            return False
        header = self._cells(a, b)
        if len(header) != len(self._cells(p, end)):
            return False
        self._emit(self._without_link_definitions(_Paragraph(leaf.kind, leaf.lines[:-1])))
        self.leaf = _Table()
        self._table_cells(header)
        return True

    def _table_row(self, p: int, end: int) -> None:
        self._table_cells(self._cells(p, end))

    def _table_cells(self, cells: list[tuple[int, int]]) -> None:
        for a, b in cells:
            if a < b:
                self.runs.append(_Run("table_cell", [(a, b)]))
