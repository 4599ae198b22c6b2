"""Sentences in text that carries inline tags (a subtitle cue, an XLIFF segment): spans that
never cut a pair of tags in two, with the tags around a whole sentence left outside it.

The adapters of tagged formats (SRT, WebVTT, XLIFF) find the tags of a stretch of their source
themselves, as spans of the raw text, and ask `sentences` where the sentences are. The answer
is raw spans too, each with its text for the model: the tags inside the sentence become
numbered markers (`<1>...</1>`, `<2/>`, see `translator.inline`) and entities are decoded.

Why not `translator.document.assemble`: that works on lines and finds sentences in text that
has no markup of its own. Here the markup decides what a sentence is:

- sentence boundaries are found in the *projection* of the text (its characters without the
  tags; a run of tags right after a full stop counts as a space, so "ticket 1.</b><b>When" is
  two sentences, as a reader sees them in two blocks);
- a tag and its partner (`<i>` and `</i>`) always end up in the same sentence: a sentence that
  holds one half of a pair grows to hold the other, and sentences that then overlap merge;
- tags before a sentence's first letter or after its last one that are not needed inside (the
  `<i>...</i>` around a whole cue, a `<v Speaker>` at the start of a line) stay outside, in the
  literal text between sentences, so the model never sees them and cannot move them;
- a tag with no partner (`<v Speaker>` in mid-line, an `<x/>` code) is an empty marker `<N/>`.
"""
from __future__ import annotations

import bisect
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Literal

from ..inline import MARKER, InlineTag, check, place_lost
from ..segment import split_sentences

__all__ = ["Decoded", "Sentence", "Slot", "Tag", "fill_escaped", "filled", "nested", "plain", "sentences"]

_SENTENCE_END = frozenset(".!?…。！？")
_CLOSING_QUOTES = frozenset("\"'”’»)]")
_SPACES = re.compile(r"[ \t\r\n]+")
_LAYOUT = str.maketrans("\r\n\t\f\v", "     ")


@dataclass(frozen=True)
class Tag:
    """One piece of inline markup: its raw span, its kind and the index of its partner."""

    start: int
    end: int  # [start, end) in the raw text
    kind: Literal["open", "close", "empty"]
    partner: int | None = None  # index in the tag list of the other half of a pair
    about: str = ""  # what a reviewer is told it is


@dataclass(frozen=True)
class Sentence:
    """A sentence: its raw span (tags inside included) and what the model gets."""

    start: int
    end: int
    text: str  # decoded text, tags as markers, runs of layout whitespace as one space
    tags: tuple[InlineTag, ...]


@dataclass(frozen=True)
class Slot:
    """Where a document's segment goes back: a sentence's raw span in its text and the index of
    its segment (the subtitle and XLIFF adapters keep one per sentence to render)."""

    start: int
    end: int
    index: int


class Decoded:
    """The text of a stretch of raw source without its markup syntax (entities decoded), with a
    map from each decoded character back to its raw span.

    The map is kept as pieces, not per character: a 20 MB stretch of plain text is one piece.
    `add_plain(raw_start, text)` adds text that is the same raw and decoded; `add_coded(raw_start,
    raw_end, char)` one character written as an entity; `add_silent` raw text that decodes to
    nothing (a CDATA section's delimiters).
    """

    def __init__(self) -> None:
        self.parts: list[str] = []
        self.length = 0
        self._d_starts: list[int] = []  # decoded offset where each piece starts
        self._r_starts: list[int] = []  # raw offset where each piece starts
        self._plain: list[bool] = []  # piece maps one to one (else: one character, raw span)
        self._r_ends: list[int] = []

    def add_plain(self, raw_start: int, text: str) -> None:
        if text:
            self._piece(raw_start, raw_start + len(text), text, True)

    def add_coded(self, raw_start: int, raw_end: int, char: str) -> None:
        self._piece(raw_start, raw_end, char, False)

    def _piece(self, raw_start: int, raw_end: int, text: str, plain: bool) -> None:
        self._d_starts.append(self.length)
        self._r_starts.append(raw_start)
        self._r_ends.append(raw_end)
        self._plain.append(plain)
        self.parts.append(text)
        self.length += len(text)

    @property
    def text(self) -> str:
        return "".join(self.parts)

    def raw_span(self, index: int) -> tuple[int, int]:
        """The raw [start, end) of decoded character `index`."""
        k = bisect.bisect_right(self._d_starts, index) - 1
        if self._plain[k]:
            at = self._r_starts[k] + index - self._d_starts[k]
            return at, at + 1
        return self._r_starts[k], self._r_ends[k]


Decoder = Callable[[str, int, int, Decoded], None]  # decode raw[a:b] into the Decoded


def plain(raw: str, start: int, end: int, into: Decoded) -> None:
    """A decoder for text without any escapes."""
    into.add_plain(start, raw[start:end])


def _projection(text: str, tag_points: list[int]) -> tuple[str, list[int]]:
    """The decoded text as the sentence splitter sees it: layout whitespace as spaces, and a
    space where a run of tags follows sentence-final punctuation and precedes a non-space
    ("1.</b><b>When"). Returns it and the decoded offsets where spaces were inserted."""
    flat = text.translate(_LAYOUT)
    inserted: list[int] = []
    for point in sorted(set(tag_points)):
        if 0 < point < len(flat) and not flat[point].isspace():
            k = point - 1
            while k > 0 and flat[k] in _CLOSING_QUOTES:
                k -= 1
            if flat[k] in _SENTENCE_END:
                inserted.append(point)
    if not inserted:
        return flat, []
    pieces, last = [], 0
    for point in inserted:
        pieces += [flat[last:point], " "]
        last = point
    pieces.append(flat[last:])
    return "".join(pieces), inserted


def sentences(raw: str, start: int, end: int, tags: Sequence[Tag], decode: Decoder,
              lang: str) -> list[Sentence]:
    """The sentences of raw[start:end], whose markup is `tags` (sorted, inside the span)."""
    decoded = Decoded()
    tag_points: list[int] = []  # decoded offset at which each tag sits
    at = start
    for tag in tags:
        if tag.start > at:
            decode(raw, at, tag.start, decoded)
        tag_points.append(decoded.length)
        at = max(at, tag.end)
    if at < end:
        decode(raw, at, end, decoded)
    text = decoded.text
    projected, inserted = _projection(text, tag_points)
    spaces = [point + i for i, point in enumerate(inserted)]  # where they are in `projected`

    spans: list[list[int]] = []
    for s, e in split_sentences(projected, lang):
        first = s - bisect.bisect_left(spaces, s)
        last = (e - 1) - bisect.bisect_left(spaces, e - 1)
        spans.append([decoded.raw_span(first)[0], decoded.raw_span(last)[1]])
    spans = _balanced(spans, tags)

    found: list[Sentence] = []
    starts = [tag.start for tag in tags]
    for a, b in spans:
        sentence = _sentence(raw, a, b, tags, starts, decode)
        if any(ch.isalpha() for ch in MARKER.sub("", sentence.text)):
            found.append(sentence)
    return found


def _balanced(spans: list[list[int]], tags: Sequence[Tag]) -> list[list[int]]:
    """Grow each span to hold the partner of every paired tag inside it; merge overlaps."""
    starts = [tag.start for tag in tags]
    changed = True
    while changed:
        changed = False
        for span in spans:
            k = bisect.bisect_left(starts, span[0])
            while k < len(tags) and tags[k].end <= span[1]:
                partner = tags[k].partner
                if partner is not None:
                    other = tags[partner]
                    if other.start < span[0] or other.end > span[1]:
                        span[0], span[1] = min(span[0], other.start), max(span[1], other.end)
                        changed = True
                        k = bisect.bisect_left(starts, span[0])
                        continue
                k += 1
        merged: list[list[int]] = []
        for span in sorted(spans):
            if merged and span[0] < merged[-1][1]:
                merged[-1][1] = max(merged[-1][1], span[1])
                changed = True
            else:
                merged.append(span)
        spans = merged
    return spans


def _sentence(raw: str, a: int, b: int, tags: Sequence[Tag], starts: list[int],
              decode: Decoder) -> Sentence:
    """The model's text of raw[a:b]: decoded, its tags as markers numbered from 1 (or from
    above any number the text itself writes like a marker, "&lt;1&gt;" in an i18n string, so
    that text stays text)."""
    items: list[str | int] = []  # decoded text, or the index of a tag
    at = a
    for k in range(bisect.bisect_left(starts, a), len(tags)):
        tag = tags[k]
        if tag.end > b:
            break
        if tag.start > at:
            items.append(_decoded(raw, at, tag.start, decode))
        items.append(k)
        at = tag.end
    if at < b:
        items.append(_decoded(raw, at, b, decode))
    base = max((int(m.group(2)) for item in items if isinstance(item, str)
                for m in MARKER.finditer(item)), default=0)
    pieces: list[str] = []
    inline: list[InlineTag] = []
    numbers: dict[int, int] = {}  # tag index -> marker number
    for item in items:
        if isinstance(item, str):
            pieces.append(item)
            continue
        tag = tags[item]
        markup = raw[tag.start:tag.end]
        partner = tag.partner
        paired = partner is not None and a <= tags[partner].start and tags[partner].end <= b
        if paired and tag.kind == "close" and partner in numbers:
            inline.append(InlineTag(numbers[partner], "close", markup, tag.about))
        else:
            numbers[item] = base + len(numbers) + 1
            kind = tag.kind if paired and tag.kind == "open" else "empty"
            inline.append(InlineTag(numbers[item], kind, markup, tag.about))
        pieces.append(_marker(inline[-1]))
    text = _SPACES.sub(" ", "".join(pieces)).strip(" ")
    return Sentence(a, b, text, tuple(inline))


def _decoded(raw: str, start: int, end: int, decode: Decoder) -> str:
    part = Decoded()
    decode(raw, start, end, part)
    return part.text


def _marker(tag: InlineTag) -> str:
    if tag.kind == "open":
        return f"<{tag.id}>"
    if tag.kind == "close":
        return f"</{tag.id}>"
    return f"<{tag.id}/>"


def nested(text: str, tags: Sequence[InlineTag]) -> str:
    """The translation with every marker of its segment once and pairs nested, so the markup it
    becomes is well-formed whatever the model or a reviewer did to the markers (the pipeline has
    flagged such a sentence already): a second copy of a marker goes, a lost one goes to the
    sentence's edge, and when pairs still cross, every pair is put around the whole sentence,
    in the source's order."""
    wanted = {_marker(tag) for tag in tags}

    def faults(text: str) -> list[str]:  # a marker the segment does not have is only text
        return check(MARKER.sub(lambda m: m.group(0) if m.group(0) in wanted else "", text), tags)

    if not tags or not faults(text):
        return text
    seen: set[str] = set()

    def first_only(m: re.Match[str]) -> str:
        found = m.group(0)
        if found not in wanted:
            return found
        if found in seen:
            return ""
        seen.add(found)
        return found

    text, _ = place_lost(MARKER.sub(first_only, text), tags)
    if not faults(text):
        return text
    pairs = [tag for tag in tags if tag.kind == "open"]
    bare = MARKER.sub(lambda m: "" if m.group(0) in wanted and not m.group(3) else m.group(0), text)
    return ("".join(_marker(t) for t in pairs) + bare.strip()
            + "".join(f"</{t.id}>" for t in reversed(pairs)))


def fill_escaped(text: str, tags: Sequence[InlineTag], escape: Callable[[str], str]) -> str:
    """A translation in the format's own syntax: its text escaped, its markers replaced by the
    markup they stand for (a marker the segment does not have is text, escaped as such)."""
    return "".join(piece for piece, _ in filled(text, tags, escape))


def filled(text: str, tags: Sequence[InlineTag], escape: Callable[[str], str]) -> list[tuple[str, bool]]:
    """`fill_escaped` in pieces, each marked True when it is markup (for line breaking)."""
    text = nested(text, tags)
    by_marker = {_marker(tag): tag.markup for tag in tags}
    out: list[tuple[str, bool]] = []
    last = 0
    for m in MARKER.finditer(text):
        markup = by_marker.get(m.group(0))
        if markup is None:
            continue
        out += [(escape(text[last:m.start()]), False), (markup, True)]
        last = m.end()
    out.append((escape(text[last:]), False))
    return [(piece, markup) for piece, markup in out if piece]
