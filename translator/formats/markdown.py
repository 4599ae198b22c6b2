"""Markdown (.md): CommonMark blocks and GFM tables; only prose reaches the model.

Markdown follows CommonMark (with GFM tables): the lines of one paragraph are joined; a line
ending in two spaces or a backslash is a hard break, and no sentence crosses it. Sentences are
never cut inside an inline code span, a link or an inline tag: a later step protects those with
placeholders, and half of one in each of two sentences could not be protected.
Letters in code spans, tags and link targets do not count as prose, so a paragraph that is only
`code`, an autolink or a stray </div> stays literal; so does the "[^1]:" label of a footnote.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import NamedTuple

from ..document import Document, Lines, Run, Span, assemble, strip_span
from . import TextAdapter

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


def _unsplit_inline_markup(text: str, spans: list[Span]) -> list[Span]:
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


def _prose(sentence: str) -> str:
    return _MARKUP_ONLY.sub("", sentence)


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

    def __init__(self, lines: Lines) -> None:
        self.lines = lines
        self.src = lines.text
        self.runs: list[Run] = []
        self.stack: list[_Container] = []
        self.leaf: _Paragraph | _Fence | _Html | _IndentedCode | _Table | None = None

    def parse(self) -> list[Run]:
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
        a, b = strip_span(src, pos, end)
        paragraph = self.leaf
        if not isinstance(paragraph, _Paragraph):
            self._close_leaf()
            paragraph = self.leaf = _Paragraph(self._block_kind(), [])
            footnote = _FOOTNOTE.match(src, a, b)
            if footnote:  # "[^1]: The note." - the label is markup, the note is prose
                a, b = strip_span(src, footnote.end(), b)
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
        a, b = strip_span(self.src, start, stop)
        if a < b:
            self.runs.append(Run("heading", [(a, b)]))

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
                self.runs.append(Run(kind or paragraph.kind, pieces))
                pieces = []
        if pieces:
            self.runs.append(Run(kind or paragraph.kind, pieces))

    def _close_leaf(self) -> None:
        if isinstance(self.leaf, _Paragraph):
            self._emit(self._without_link_definitions(self.leaf))
        self.leaf = None

    def _cells(self, start: int, end: int) -> list[tuple[int, int]]:
        """Stripped spans of a table row's cells (pipes split cells unless escaped)."""
        src = self.src
        start, end = strip_span(src, start, end)
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
                cells.append(strip_span(src, cell_start, k))
                cell_start = k + 1
            k += 1
        cells.append(strip_span(src, cell_start, end))
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
                self.runs.append(Run("table_cell", [(a, b)]))


class Markdown(TextAdapter):
    name = "md"
    suffixes = (".md", ".markdown")

    def parse_text(self, text: str, name: str, *, lang: str = "en") -> Document:
        lines = Lines(text)
        parts = assemble(lines, _MarkdownParser(lines).parse(), lang,
                         keep_together=_unsplit_inline_markup, prose=_prose)
        return Document(name, self.name, parts)


ADAPTER = Markdown()
