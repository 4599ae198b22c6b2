"""Markdown (.md): CommonMark blocks and GFM tables, found by markdown-it-py; only prose reaches
the model.

markdown-it-py (the CommonMark reference behaviour, with line maps on its block tokens) decides
what is a paragraph, a heading or a table cell; everything else (code, HTML blocks, link
reference definitions, rules, container markers, list indentation) stays literal, byte for byte.
Its block rules are wrapped so that each block notes the column where every one of its lines
starts inside its containers: the prose spans are then exact spans of the original source.

The lines of one paragraph are joined for the model at soft line breaks (CommonMark strips only
spaces and tabs around them, and so does the join); a line ending in two spaces or a backslash is
a hard break, and no sentence crosses it. A line break is not always a space to a Markdown
reader, though: inside `<...>` it can keep a link destination or an HTML tag from forming
("[a](<b\\nc>)" is text, "[a](<b c>)" a link); a first line that gains the rest of its
paragraph can become an HTML block or a link reference definition; a lone list marker joined to
the next line starts a list. So a lone marker ends its run, and a paragraph with such markup is
parsed again, joined: where its structure changes, all its line breaks stay literal.

Sentences are never cut inside an inline code span, a link or an inline tag: a later step
protects those with placeholders, and half of one in each of two sentences could not be
protected. Letters in code spans, tags and link targets do not count as prose, so a paragraph
that is only `code`, an autolink or a stray </div> stays literal; so does the "[^1]:" label of a
footnote. A YAML front matter block at the top is literal too.
"""
from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from itertools import pairwise
from typing import TYPE_CHECKING, Any

from markdown_it import MarkdownIt

from ..document import Document, Lines, Run, Span, assemble, strip_span
from ..errors import InputError
from . import TextAdapter

if TYPE_CHECKING:
    from markdown_it.rules_block import StateBlock
    from markdown_it.token import Token

    BlockRule = Callable[[StateBlock, int, int, bool], bool]

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

_FOOTNOTE = re.compile(r"\[\^[^\]\s]+\]:")
# A list marker alone on a line does not interrupt a paragraph (an empty item cannot), so it can
# be a line of one; with the next line joined to it, it would start a list.
_EMPTY_ITEM = re.compile(r"[-+*]|[0-9]{1,9}[.)]")
_LINE_END = re.compile(r"\r\n?|\n")
# The key under which the wrapped block rules leave each block's line columns on its tokens.
_COLUMNS = "columns"


def _unsplit_inline_markup(text: str, spans: list[Span]) -> list[Span]:
    """Merge neighbouring sentences whose boundary falls inside a code span, link or tag."""
    inside = [(m.start(), m.end()) for m in _INLINE_MARKUP.finditer(text)]
    if not inside:
        return spans
    # One sweep: the boundaries only move forward, so the markup spans that begin before a
    # boundary are taken in once each, keeping the farthest end (linear in spans + markup,
    # where testing every span against every link was quadratic on a paragraph of links).
    merged = [spans[0]] if spans else []
    taken, reach = 0, -1
    for start, end in spans[1:]:
        previous_end = merged[-1][1]
        while taken < len(inside) and inside[taken][0] < previous_end:
            reach = max(reach, inside[taken][1])
            taken += 1
        if reach > start:  # a code span, link or tag runs across the boundary
            merged[-1] = (merged[-1][0], end)
        else:
            merged.append((start, end))
    return merged


def _prose(sentence: str) -> str:
    return _MARKUP_ONLY.sub("", sentence)


# -- markdown-it, with block rules that note where their lines start ----------------------------


def _column(state: StateBlock, line: int) -> int:
    """Where the line's content starts inside its containers, in characters from its start."""
    pos = state.bMarks[line] + state.tShift[line]
    return pos - (state.src.rfind("\n", 0, pos) + 1)


def _noting_columns(rule: BlockRule, name: str) -> BlockRule:
    """The block rule, leaving on its inline (or table row) tokens the column of each line.

    markdown-it hands its rules line marks that already skip the container markers ("> ",
    list indentation); the tokens it makes keep only line numbers. This keeps the marks.
    """

    wanted = "tr_open" if name == "table" else "inline"

    def noted(state: StateBlock, start: int, end: int, silent: bool) -> bool:
        first_new = len(state.tokens)
        found = rule(state, start, end, silent)
        if not found or silent:
            return found
        for token in state.tokens[first_new:]:
            if token.type != wanted or token.map is None:
                continue
            if name == "heading":  # the text after the "#" marks (the inline token holds it)
                pos = state.bMarks[start] + state.tShift[start]
                while state.src.startswith("#", pos):
                    pos += 1
                pos = state.src.find(token.content, pos) if token.content else pos
                if pos < 0:
                    continue
                token.meta[_COLUMNS] = [pos - (state.src.rfind("\n", 0, pos) + 1)]
            else:
                token.meta[_COLUMNS] = [_column(state, i) for i in range(*token.map)]
        return True

    return noted


@dataclass(frozen=True)
class _Parsers:
    blocks: MarkdownIt  # the block structure, with line columns; inline parsing skipped
    full: MarkdownIt  # plain CommonMark + tables, to see what a joined paragraph turns into


def _make_parsers() -> _Parsers:
    blocks = MarkdownIt("commonmark").enable("table")
    ruler = blocks.block.ruler
    for rule in list(ruler.__rules__):
        if rule.name in ("paragraph", "heading", "lheading", "table"):
            ruler.at(rule.name, _noting_columns(rule.fn, rule.name), {"alt": list(rule.alt)})
    blocks.core.ruler.disable(["inline", "text_join"])  # sentences are found by `assemble`
    return _Parsers(blocks, MarkdownIt("commonmark").enable("table"))


class _SourceLines:
    r"""The source's lines as CommonMark counts them: ended by "\n", "\r\n" or a lone "\r".

    (The document's `Lines` ends lines at "\n" only; it numbers the segments.) Line i of
    markdown-it's tokens is line i here, and a column in it is a column here.
    """

    def __init__(self, text: str) -> None:
        self.text = text
        self.starts = [1 if text.startswith("\ufeff") else 0]  # a byte-order mark is no text
        self.ends: list[int] = []
        for end in _LINE_END.finditer(text):
            self.ends.append(end.start())
            self.starts.append(end.end())
        self.ends.append(len(text))

    def content(self, i: int) -> str:
        return self.text[self.starts[i] : self.ends[i]]

    def front_matter_end(self) -> int:
        """Index of the first line after a YAML front matter block (0 when there is none)."""
        if self.content(0).rstrip() != "---":
            return 0
        for i in range(1, len(self.starts)):
            if self.content(i).rstrip() in ("---", "..."):
                return i + 1
        return 0

    def for_markdown_it(self) -> str:
        """The source without its byte-order mark, its front matter as blank lines, and a final
        line ending (which changes nothing in CommonMark, and keeps markdown-it-py's rules from
        reading past the end of a text that ends in a bare ">", a known class of its bugs)."""
        skip = self.front_matter_end()
        rest = self.text[self.starts[skip]:] if skip < len(self.starts) else ""
        return "\n" * skip + rest + "\n"


_Shape = tuple[str, str, tuple[tuple[str, str], ...], str]  # type, tag, attributes, markup


def _structure(tokens: Sequence[Token]) -> list[_Shape]:
    """What a reader of the rendering sees apart from text and the space in it."""
    found: list[_Shape] = []
    for token in tokens:
        if token.type == "inline":
            found.extend(_structure(token.children or []))
        elif token.type not in ("text", "softbreak"):
            attrs = tuple(sorted((k, " ".join(str(v).split())) for k, v in token.attrs.items()))
            verbatim = token.type in ("code_inline", "html_inline", "html_block")
            found.append((token.type, token.tag, attrs,
                          " ".join(token.content.split()) if verbatim else ""))
    return found


def _strip_blanks(text: str, start: int, end: int) -> Span:
    """[start, end) without the spaces and tabs at its ends: what CommonMark strips from the
    lines of a paragraph. (Other Unicode space is text: "#\u00a0" is no heading, "# " is.)"""
    while start < end and text[start] in " \t":
        start += 1
    while end > start and text[end - 1] in " \t":
        end -= 1
    return start, end


class _Blocks:
    """Turns markdown-it's block tokens into runs: exact spans of the source, by kind."""

    def __init__(self, lines: _SourceLines, parsers: _Parsers, env: dict[str, Any]) -> None:
        self.lines = lines
        self.src = lines.text
        self.parsers = parsers
        self.env = env
        self.runs: list[Run] = []

    def walk(self, tokens: Sequence[Token]) -> list[Run]:
        containers: list[str] = []
        cells: list[Span] = []
        for n, token in enumerate(tokens):
            kind = token.type
            if kind in ("blockquote_open", "list_item_open"):
                containers.append("quote" if kind == "blockquote_open" else "list_item")
            elif kind in ("blockquote_close", "list_item_close"):
                containers.pop()
            elif kind == "tr_open" and token.map is not None and _COLUMNS in token.meta:
                cells = self._cells(token.map[0], token.meta[_COLUMNS][0])
            elif kind == "inline" and token.map is not None and _COLUMNS in token.meta:
                opener = tokens[n - 1]
                columns = token.meta[_COLUMNS]
                if opener.type == "paragraph_open":
                    block = containers[-1] if containers else "paragraph"
                    self._paragraph(token.map[0], columns, block, footnote=True)
                elif opener.type == "heading_open" and opener.markup in ("=", "-"):
                    self._paragraph(token.map[0], columns, "heading", footnote=False)
                elif opener.type == "heading_open":
                    start = self.lines.starts[token.map[0]] + columns[0]
                    self._single("heading", start, start + len(token.content))
            elif kind == "inline" and tokens[n - 1].type in ("th_open", "td_open") and cells:
                self._single("table_cell", *cells.pop(0))
        return self.runs

    def _single(self, kind: str, start: int, end: int) -> None:
        a, b = strip_span(self.src, start, min(end, len(self.src)))
        if a < b:
            self.runs.append(Run(kind, [(a, b)]))

    def _cells(self, line: int, column: int) -> list[Span]:
        """The spans of a table row's cells: split at pipes that no backslash escapes, an empty
        first and last cell (the row's outer pipes) dropped, as markdown-it splits them."""
        src = self.src
        start, end = strip_span(src, self.lines.starts[line] + column, self.lines.ends[line])
        cells: list[Span] = []
        cell_start, escaped = start, False
        for k in range(start, end):
            if src[k] == "|" and not escaped:
                cells.append((cell_start, k))
                cell_start = k + 1
            escaped = src[k] == "\\"
        cells.append((cell_start, end))
        if cells[0][0] == cells[0][1]:
            cells.pop(0)
        if cells and cells[-1][0] == cells[-1][1]:
            cells.pop()
        return cells

    def _paragraph(self, first: int, columns: list[int], kind: str, *, footnote: bool) -> None:
        """A paragraph's runs: its lines joined at soft breaks, cut at hard ones."""
        src, lines = self.src, self.lines
        pieces: list[tuple[int, int, bool]] = []  # stripped span of each line, hard break after
        for k, column in enumerate(columns):
            start, end = lines.starts[first + k] + column, lines.ends[first + k]
            hard = src.endswith("  ", start, end)
            if (end - start - len(src[start:end].rstrip("\\"))) % 2:  # "text\": the "\" stays
                hard, end = True, end - 1
            a, b = _strip_blanks(src, start, end)
            if k == 0 and footnote:  # "[^1]: The note." - the label is markup, the note is prose
                label = _FOOTNOTE.match(src, a, b)
                if label:
                    a, b = _strip_blanks(src, label.end(), b)
            if a < b:
                pieces.append((a, b, hard))
            elif pieces and hard:  # a line that is only "\" breaks after the one before
                pieces[-1] = (pieces[-1][0], pieces[-1][1], True)
        if not pieces:
            return
        soft = [not hard and not _EMPTY_ITEM.fullmatch(src, a, b) for a, b, hard in pieces[:-1]]
        if any(soft):
            head_start = lines.starts[first] + columns[0]
            head = src[head_start : pieces[0][0]] if pieces[0][0] <= lines.ends[first] else None
            if not self._joining_keeps_structure(head, pieces, soft):
                soft = [False] * len(soft)
        run = Run(kind, [pieces[0][:2]])
        for (a, b, _), joined in zip(pieces[1:], soft):
            if not joined:
                self.runs.append(run)
                run = Run(kind, [])
            run.pieces.append((a, b))
        self.runs.append(run)

    def _joining_keeps_structure(self, head: str | None, pieces: list[tuple[int, int, bool]],
                                 soft: list[bool]) -> bool:
        """Does the paragraph read the same with its soft breaks joined as `assemble` joins them?

        A line break is a space to CommonMark nearly everywhere. The exceptions: inside `<...>`
        (a link destination or an HTML tag that a line break keeps from forming), in a link label
        where a hyphenated word is joined without a space, and on the paragraph's first line,
        which joined can become an HTML block or a link reference definition (markdown-it ends a
        definition's title at a line that could start a list). Only paragraphs with such markup
        are parsed again: their inline content, and their first line as a block (`head` is
        what precedes the first piece on that line; None when the line has no piece).
        """
        src = self.src
        texts = [src[a:b] for a, b, _ in pieces]
        hyphen = [src[b - 1] == "-" and b - 2 >= 0 and src[b - 2].isalpha() and src[a2].isalpha()
                  for (_, b, _), (a2, _, _) in pairwise(pieces)]
        inline_risk = any("<" in text for text in texts) or (
            any(h and s for h, s in zip(hyphen, soft)) and any("[" in text for text in texts))
        first_line = head + texts[0] if head is not None and soft[0] else ""
        block_risk = first_line.startswith(("<", "["))
        if not inline_risk and not block_risk:
            return True
        parts = [texts[0]]
        for text, join, hyphenated in zip(texts[1:], soft, hyphen):
            parts.append(("" if hyphenated else " ") if join else "\n")
            parts.append(text)
        joined = "".join(parts)
        full = self.parsers.full
        references = self.env.get("references", {})
        try:
            if inline_risk and (
                _structure(full.parseInline("\n".join(texts), {"references": dict(references)}))
                != _structure(full.parseInline(joined, {"references": dict(references)}))
            ):
                return False
            if block_risk:
                first_run = joined.partition("\n")[0]
                alone = full.parse(first_line + "\n", {"references": dict(references)})
                whole = full.parse(f"{head}{first_run}\n", {"references": dict(references)})
                return (alone[0].type if alone else None) == (whole[0].type if whole else None)
        except IndexError:  # markdown-it-py reading past the end: keep the line breaks
            return False
        return True


class Markdown(TextAdapter):
    name = "md"
    suffixes = (".md", ".markdown")

    def __init__(self) -> None:
        self._parsers: _Parsers | None = None  # built on first use: `--help` never pays for it

    def __getstate__(self) -> dict[str, Any]:
        """Nothing: markdown-it parsers do not pickle, and are rebuilt where they are needed."""
        return {}

    def __setstate__(self, state: dict[str, Any]) -> None:
        self._parsers = None

    def parse_text(self, text: str, name: str, *, lang: str = "en") -> Document:
        if self._parsers is None:
            self._parsers = _make_parsers()
        lines = _SourceLines(text)
        env: dict[str, Any] = {}
        try:
            tokens = self._parsers.blocks.parse(lines.for_markdown_it(), env)
        except IndexError as exc:  # a markdown-it-py bug that the final line ending did not avoid
            raise InputError(f"{name}: markdown-it-py could not parse this Markdown ({exc}); "
                             "translate a copy named .txt to translate it as plain text") from None
        runs = _Blocks(lines, self._parsers, env).walk(tokens)
        parts = assemble(Lines(text), runs, lang, keep_together=_unsplit_inline_markup, prose=_prose)
        return Document(name, self.name, parts)


ADAPTER = Markdown()
