"""The document model every format adapter produces: literal parts and sentence slots.

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

A format adapter (see `translator.formats`) decides which stretches of its source are prose:
it hands `assemble` a list of `Run`s (spans of the source, one per line, that read as one
stretch of text) and gets back the parts. Sentences without any letter ("2021-09-20 18:13",
"***", "42", a table cell "$5") stay literal: the model has nothing to translate in them and
could only damage them.
"""
from __future__ import annotations

import bisect
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from translator.inline import InlineTag
from translator.segment import split_sentences

__all__ = ["Document", "Lines", "Run", "Segment", "Span", "assemble", "has_letter", "strip_span"]

Span = tuple[int, int]  # [start, end) offsets into a text


@dataclass(frozen=True)
class Segment:
    """One sentence to translate, and where it came from (for review catalogs and reports)."""

    text: str  # what the model should translate; soft line breaks collapsed to single spaces
    line: int  # 1-based source line where the sentence starts (PO "#:" references)
    kind: str  # the block: "heading" | "paragraph" | "list_item" | "quote" | "table_cell" | ...
    # Inline markup inside the sentence, as markers in `text` (see translator.inline).
    tags: tuple[InlineTag, ...] = ()


@dataclass
class Document:
    """A source file as literals and segment slots, so a translation can be poured back in."""

    name: str  # e.g. "article.md"; "<stdin>" for standard input
    format: str  # the adapter's name: "txt", "md", ...
    parts: list[str | Segment]  # literal text and segment slots, in document order
    # The adapter's own record of what it parsed (an XML tree, a zip's members...), for its
    # `render`; text formats need none, since their literals are the whole file.
    state: object = None

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



class Lines:
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
class Run:
    """Text read as one stretch: its pieces (stripped spans, one per line) join at soft breaks."""

    kind: str
    pieces: list[Span]


def strip_span(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


def has_letter(text: str) -> bool:
    return any(ch.isalpha() for ch in text)


def _joins_hyphenated(src: str, last: int, first: int) -> bool:
    """A line ending in letter + hyphen was broken inside a compound ("China-" / "Latin"), so
    the pieces join without a space."""
    return last > 0 and src[last] == "-" and src[last - 1].isalpha() and src[first].isalpha()


def _origin(joined_starts: list[int], source_starts: list[int], j: int) -> int:
    """Source offset of character j of a run's joined text (never a joining space: spans are
    stripped, so they start and end inside a piece)."""
    k = bisect.bisect_right(joined_starts, j) - 1
    return source_starts[k] + j - joined_starts[k]


def assemble(
    lines: Lines,
    runs: list[Run],
    lang: str,
    *,
    keep_together: Callable[[str, list[Span]], list[Span]] | None = None,
    prose: Callable[[str], str] | None = None,
) -> list[str | Segment]:
    """Split every run into sentences and cut the source around them into parts.

    A format with inline markup passes `keep_together` (merges sentences whose boundary falls
    inside a tag or code span, which could not be protected in halves) and `prose` (the text of a
    sentence without its markup, so a sentence that is only markup stays literal).
    """
    src = lines.text
    found: list[tuple[int, int, Segment]] = []
    for run in runs:
        chunks: list[str] = []
        # Where each piece starts in `joined` and in the source: enough to map any character
        # back (a list per character would cost 36 bytes each on a 20 MB line).
        joined_starts: list[int] = []
        source_starts: list[int] = []
        length = 0
        for a, b in run.pieces:
            if a >= b:
                continue  # an empty piece adds no text (and no joining space)
            if chunks and not _joins_hyphenated(src, source_starts[-1] + len(chunks[-1]) - 1, a):
                chunks.append(" ")
                length += 1
            joined_starts.append(length)
            source_starts.append(a)
            chunks.append(src[a:b])
            length += b - a

        joined = "".join(chunks)
        spans = split_sentences(joined, lang)
        if keep_together is not None:
            spans = keep_together(joined, spans)
        for s, e in spans:
            sentence = joined[s:e]
            if has_letter(prose(sentence) if prose is not None else sentence):
                start = _origin(joined_starts, source_starts, s)
                segment = Segment(sentence, lines.line_number(start), run.kind)
                found.append((start, _origin(joined_starts, source_starts, e - 1) + 1, segment))
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
