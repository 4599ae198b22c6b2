"""Plain text (.txt): paragraphs, list entries and headlines, with hard-wrapped lines rejoined.

Plain text has no markup, so `_is_soft_break` guesses. Two consecutive non-blank lines A, B are
joined only when both contain a letter, B is not a list entry ("- ", "* ", "• ", "1. "), and
one of these holds: B starts with a lower-case letter (a sentence does not); A ends in letter +
hyphen (nobody ends a line of their own on a hyphen); or the file is visibly hard-wrapped at
some width W and B's first word would not have fitted on A (the test every greedy wrapper
applies). W is the longest line of 30-100 characters that is followed by more text and has a
second such line within 10 characters of it, so one long headline does not set it and an
unwrapped article (paragraphs of hundreds of characters on one line) has none. Thus a headline
over a dateline or byline keeps its line breaks, and wrapped prose is joined.
"""
from __future__ import annotations

import itertools
import re

from ..document import Document, Lines, Run, assemble, has_letter, strip_span
from . import TextAdapter

_TEXT_LIST_MARKER = re.compile(r"[ \t]*(?:[-*+•‣–]|\d{1,3}[.)])[ \t]+(?=\S)")
_MIN_WRAP, _MAX_WRAP, _WRAP_SLACK = 30, 100, 10


def _parse_text(lines: Lines) -> list[Run]:
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
    runs: list[Run] = []
    for block in blocks:
        previous = None
        for i in block:
            marker = _TEXT_LIST_MARKER.match(src, lines.starts[i], lines.ends[i])
            start = marker.end() if marker else lines.starts[i]
            piece = strip_span(src, start, lines.ends[i])
            if previous is not None and not marker and _is_soft_break(lines, previous, i, width):
                runs[-1].pieces.append(piece)
            else:
                runs.append(Run("list_item" if marker else "paragraph", [piece]))
            previous = i
    for run in runs:  # a one-line run that does not end like a sentence is a title or headline
        if run.kind == "paragraph" and len(run.pieces) == 1:
            end = run.pieces[0][1]
            if src[end - 1].isalnum():
                run.kind = "heading"
    return runs


def _wrap_width(lines: Lines, blocks: list[list[int]]) -> int | None:
    """The width the file was hard-wrapped at, or None when nothing shows it was."""
    lengths = sorted(
        len(lines.content(i).rstrip())
        for block in blocks
        for i, nxt in itertools.pairwise(block)
        if has_letter(lines.content(i)) and has_letter(lines.content(nxt))
        and _MIN_WRAP <= len(lines.content(i).rstrip()) <= _MAX_WRAP
    )
    for k in range(len(lengths) - 1, 0, -1):
        if lengths[k] - lengths[k - 1] <= _WRAP_SLACK:
            return lengths[k]
    return None


def _is_soft_break(lines: Lines, a: int, b: int, width: int | None) -> bool:
    """Does line b continue the sentence on line a? (See the module docstring.)"""
    first, second = lines.content(a).rstrip(), lines.content(b).strip()
    if not (has_letter(first) and has_letter(second)):
        return False
    if second[0].islower():
        return True
    if first.endswith("-") and first[-2:-1].isalpha() and second[0].isalpha():
        return True  # "China-" / "Latin America": nobody ends a line of their own on a hyphen
    if width is None or len(first) > width:
        return False
    next_word = second.split()[0]
    return len(first) + 1 + len(next_word) > width


class PlainText(TextAdapter):
    name = "txt"
    suffixes = (".txt", ".text")

    def parse_text(self, text: str, name: str, *, lang: str = "en") -> Document:
        lines = Lines(text)
        return Document(name, self.name, assemble(lines, _parse_text(lines), lang))


ADAPTER = PlainText()
