"""Paragraphs of formatted text (Word runs, OpenDocument spans) as sentences with inline markers,
and translations poured back into the paragraph.

Word and OpenDocument keep a paragraph's words in many pieces: runs or spans that each carry
their formatting, hyperlinks and fields around some of them, and things that are not words at
all (a tab, a footnote reference, a bookmark, an image). A format's *dialect* flattens one
paragraph into `Piece`s, each a stretch of text or one such thing (an *atom*), with the
containers it sits in (its `path` of `Frame`s) and, in Word, the run whose formatting it has.

From the pieces this module writes the paragraph as one *marked* string: text as it is, each
container around its words as a pair of markers, each run whose formatting differs from the
paragraph's dominant one as a pair, and each atom as an empty marker (inside the module the
markers are control characters XML can never hold, so no text is mistaken for one). Runs with
equal formatting are one stretch: Word splits text into runs for revision marks and spelling
state, none of which a reader sees. Sentences are found in that string; a sentence never cuts a
marker pair in two (the sentences are joined instead), and the markers around a whole sentence
or at its edges (a link that is the whole paragraph, a footnote reference after the full stop,
a tab and the page number of a table-of-contents line) stay outside it, untranslated. Each
sentence becomes a segment with its markers numbered from 1 (`<1>..</1>`, `<2/>`) and a tag per
marker saying what it stands for.

To render, the segments' translations replace their sentences in the marked string, the string
is read back into pieces (the text of each pair goes into that pair's run or container; each
atom goes where its marker went, so a footnote reference follows the word it followed in the
translation), and the dialect rebuilds the paragraph's XML from them: the first run of each
marked stretch lends its properties to the text put there, containers are copied with their
attributes, atoms are the original elements, moved. Zero-width atoms next to a marked stretch
(bookmarks, comment ranges) travel with it without markers of their own; spelling-state and
layout-cache atoms that fall inside a translated sentence are dropped, since their place in the
new words would be meaningless (the editor rebuilds both).
"""
from __future__ import annotations

import bisect
import re
from collections.abc import Hashable, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal, Protocol

from ..document import has_letter
from ..inline import InlineTag
from ..segment import split_sentences

__all__ = ["HARD_SPACE", "Block", "Frame", "OutPiece", "Piece", "analyse", "pour"]

# Marker syntax inside the marked string: XML 1.0 cannot hold these characters, so the text of a
# document never contains one.
_OPEN, _CLOSE, _EMPTY, _END = "\x01", "\x03", "\x04", "\x02"
HARD_SPACE = "\x05"  # a space that must stay a space (OpenDocument <text:s/>)
_MARK = re.compile("([\x01\x03\x04])(\\d+)\x02")
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
_LOCAL = re.compile(r"<(/?)(\d{1,4})(/?)>")

Role = Literal["text", "atom", "zero", "drop"]


@dataclass(eq=False)
class Frame:
    """Something around a stretch of a paragraph: a run's formatting, a span, a link, a field.

    kind "run": a Word run (its `key` is its visible formatting; text only ever sits in one);
    "span": an OpenDocument span (merged with a neighbour of equal `key`); "container": a link,
    tracked insertion, content control... (never merged); "field": a Word complex field, with
    no element of its own: `opening` (begin, field code, separate) and `closing` (end) are
    written around its result.
    """

    kind: Literal["run", "span", "container", "field"]
    element: Any  # the lxml element copied for each stretch (None for a field)
    key: Hashable = None
    about: str = ""
    props: tuple[Any, ...] = ()  # property children copied into every copy (w:sdtPr...)
    content_tag: str | None = None  # the wrapper its content goes in (w:sdtContent)
    opening: list[Piece] = field(default_factory=list)
    closing: list[Piece] = field(default_factory=list)


@dataclass(eq=False)
class Piece:
    """A stretch of text, or one atom, with the frames it sits in."""

    path: tuple[Frame, ...]
    run: Frame | None  # Word: the run holding it (None for a paragraph-level atom)
    text: str | None = None  # None for an atom
    element: Any = None  # the atom's element
    role: Role = "text"  # "atom", "zero" (zero-width: a bookmark), "drop" (a cache: spelling state)
    spacing: bool = False  # reads as a space between words (a tab, a line break)
    about: str = ""


@dataclass(frozen=True)
class OutPiece:
    """A piece of the rendered paragraph: where it goes and what it is."""

    path: tuple[Frame, ...]
    run: Frame | None
    text: str | None
    element: Any = None


class Dialect(Protocol):
    """What a format tells this module: how a run stretch is described to a reviewer."""

    def describe_run(self, run: Frame, base: Frame | None) -> str: ...


@dataclass
class _Tag:
    """One marker (pair or empty) of a paragraph's marked string."""

    kind: Literal["pair", "empty"]
    frame: Frame | None = None
    base: Frame | None = None  # inside a container: the run that unmarked text takes
    pieces: list[Piece] = field(default_factory=list)  # an empty marker's atoms
    lead: list[Piece] = field(default_factory=list)  # zero-width atoms just before the pair
    trail: list[Piece] = field(default_factory=list)  # ... and just after it
    about: str = ""

    @property
    def spacing(self) -> bool:
        return self.kind == "empty" and any(p.spacing for p in self.pieces)

    @property
    def droppable(self) -> bool:
        return self.kind == "empty" and all(p.role == "drop" for p in self.pieces)


@dataclass
class _Pair:
    tag: _Tag
    inner: list[_Item]


@dataclass
class _Empty:
    tag: _Tag


_Item = str | _Pair | _Empty


@dataclass(frozen=True)
class Sentence:
    """One segment of a paragraph: its text with local markers, its tags, where it sits."""

    text: str
    tags: tuple[InlineTag, ...]
    span: tuple[int, int]  # in the marked string
    local: dict[int, int]  # local marker number -> global tag id


@dataclass
class Block:
    """A paragraph as a marked string, its tags, and the sentences found in it."""

    marked: str
    tags: dict[int, _Tag]
    base: Frame | None
    sentences: list[Sentence]


# -- pieces -> marked string ----------------------------------------------------------------------


def _dominant(pieces: Sequence[Piece], depth: int) -> Frame | None:
    """The run formatting of this level's unmarked text: the one at both ends of the level's
    text if there is one, else the one with the most text ("The <b>quick brown</b> fox." keeps
    the plain runs unmarked even though the bold ones hold more letters)."""
    weight: dict[Hashable, int] = {}
    first: dict[Hashable, Frame] = {}
    runs = [p.run for p in pieces if len(p.path) == depth and p.text is not None and p.run is not None]
    for piece in pieces:
        if len(piece.path) == depth and piece.text is not None and piece.run is not None:
            weight[piece.run.key] = weight.get(piece.run.key, 0) + len(piece.text.strip() or " ")
            first.setdefault(piece.run.key, piece.run)
    if not runs:
        return None
    if runs[0].key == runs[-1].key:
        return first[runs[0].key]
    return first[max(weight, key=lambda key: weight[key])]


def _items(pieces: Sequence[Piece], depth: int, dialect: Dialect) -> tuple[list[_Item], Frame | None]:
    """The marked structure of one level (the paragraph, or inside one container)."""
    base = _dominant(pieces, depth)
    out: list[_Item] = []
    i, n = 0, len(pieces)
    while i < n:
        piece = pieces[i]
        if len(piece.path) > depth:
            frame = piece.path[depth]
            j = i + 1
            while j < n and len(pieces[j].path) > depth and _same_frame(pieces[j].path[depth], frame):
                j += 1
            inner, inner_base = _items(pieces[i:j], depth + 1, dialect)
            out.append(_Pair(_Tag("pair", frame, inner_base, about=frame.about), inner))
            i = j
            continue
        if piece.text is None:
            out.append(_Empty(_Tag("empty", pieces=[piece], about=piece.about)))
            i += 1
            continue
        key = piece.run.key if piece.run is not None else None
        j, last = i + 1, i
        while j < n and len(pieces[j].path) == depth:
            other = pieces[j]
            if other.text is not None:
                if (other.run.key if other.run is not None else None) != key:
                    break
                last = j
            j += 1
        content: list[_Item] = [p.text if p.text is not None else _Empty(_Tag("empty", pieces=[p], about=p.about))
                                for p in pieces[i:last + 1]]
        if piece.run is None or base is None or key == base.key:
            out.extend(content)
        else:
            about = dialect.describe_run(piece.run, base)
            out.append(_Pair(_Tag("pair", piece.run, about=about), content))
        i = last + 1
    return _tidy(out), base


def _same_frame(a: Frame, b: Frame) -> bool:
    return a is b or (a.kind == b.kind == "span" and a.key == b.key)


def _zero(item: _Item) -> bool:
    return isinstance(item, _Empty) and all(p.role in ("zero", "drop") for p in item.tag.pieces)


def _tidy(items: list[_Item]) -> list[_Item]:
    """Zero-width atoms beside a pair travel with it; neighbouring plain atoms share a marker."""
    absorbed: list[_Item] = []
    for k, item in enumerate(items):
        if _zero(item):
            assert isinstance(item, _Empty)
            after = next((x for x in items[k + 1:] if not _zero(x)), None)
            if isinstance(after, _Pair):
                after.tag.lead.extend(item.tag.pieces)
                continue
            before = absorbed[-1] if absorbed else None
            if isinstance(before, _Pair):
                before.tag.trail.extend(item.tag.pieces)
                continue
        absorbed.append(item)
    merged: list[_Item] = []
    for item in absorbed:
        previous = merged[-1] if merged else None
        if (isinstance(item, _Empty) and isinstance(previous, _Empty) and not item.tag.spacing
                and not previous.tag.spacing and not item.tag.droppable and not previous.tag.droppable):
            previous.tag.pieces.extend(item.tag.pieces)
            if item.tag.about and item.tag.about not in previous.tag.about.split("; "):
                previous.tag.about = "; ".join(filter(None, [previous.tag.about, item.tag.about]))
        else:
            merged.append(item)
    return merged


def _write(items: list[_Item], tags: dict[int, _Tag], out: list[str]) -> None:
    for item in items:
        if isinstance(item, str):
            out.append(item)
            continue
        number = len(tags) + 1
        tags[number] = item.tag
        if isinstance(item, _Empty):
            out.append(f"{_EMPTY}{number}{_END}")
        else:
            out.append(f"{_OPEN}{number}{_END}")
            _write(item.inner, tags, out)
            out.append(f"{_CLOSE}{number}{_END}")


# -- sentences ------------------------------------------------------------------------------------


class _Plain:
    """The marked string as the sentence splitter reads it: markers left out, except a tab or
    line break, which reads as a space; any character maps back to the marked string. Kept as
    stretches, not per character, so a long paragraph costs its text and its markers only."""

    def __init__(self, marked: str, tags: dict[int, _Tag]) -> None:
        parts: list[str] = []
        self.starts: list[int] = []  # where each stretch starts in the plain text
        self.origins: list[int] = []  # ... and in the marked string
        self.spacing: list[int] = []  # plain positions of the spaces that stand for a marker
        self.widths: dict[int, int] = {}  # such a position -> its marker's length
        self.opens: dict[int, tuple[int, int]] = {}
        self.closes: dict[int, tuple[int, int]] = {}
        length = done = 0

        def text(start: int, end: int) -> None:
            nonlocal length
            if start < end:
                self.starts.append(length)
                self.origins.append(start)
                parts.append(marked[start:end].replace(HARD_SPACE, " "))
                length += end - start

        for m in _MARK.finditer(marked):
            text(done, m.start())
            done = m.end()
            number = int(m.group(2))
            if m.group(1) == _OPEN:
                self.opens[number] = m.span()
            elif m.group(1) == _CLOSE:
                self.closes[number] = m.span()
            elif tags[number].spacing:
                self.starts.append(length)
                self.origins.append(m.start())
                self.spacing.append(length)
                self.widths[length] = m.end() - m.start()
                parts.append(" ")
                length += 1
        text(done, len(marked))
        self.text = "".join(parts)

    def origin(self, k: int) -> int:
        """Where plain character k starts in the marked string."""
        at = bisect.bisect_right(self.starts, k) - 1
        return self.origins[at] + (k - self.starts[at])

    def end(self, k: int) -> int:
        """Where plain character k ends in the marked string."""
        return self.origin(k) + self.widths.get(k, 1)


def _spans(marked: str, tags: dict[int, _Tag], lang: str) -> list[tuple[int, int]]:
    """Sentence spans in the marked string: whole marker pairs only, edges left outside."""
    plain = _Plain(marked, tags)
    if not has_letter(plain.text):
        return []
    spans: list[tuple[int, int]] = []
    for s, e in split_sentences(plain.text, lang):
        s, e = _trim_chunks(plain, s, e)
        if s < e:
            spans.append((plain.origin(s), plain.end(e - 1)))
    spans = _balance(marked, spans, plain.opens, plain.closes)
    result = []
    for a, b in spans:
        a, b = _edges(marked, a, b, plain.closes)
        if a < b and has_letter(_MARK.sub("", marked[a:b])):
            result.append((a, b))
    return result


def _trim_chunks(plain: _Plain, s: int, e: int) -> tuple[int, int]:
    """Leave out leading and trailing stretches without letters cut off by a tab or line break
    ("1.<tab>Introduction<tab>4" is the sentence "Introduction")."""
    text = plain.text
    cuts = plain.spacing[bisect.bisect_left(plain.spacing, s):bisect.bisect_left(plain.spacing, e)]
    if not cuts:
        return s, e
    bounds = [s - 1, *cuts, e]
    chunks = [(bounds[k] + 1, bounds[k + 1]) for k in range(len(bounds) - 1)]
    lettered = [k for k, (a, b) in enumerate(chunks) if has_letter(text[a:b])]
    if not lettered:
        return s, s
    a, b = chunks[lettered[0]][0], chunks[lettered[-1]][1]
    while a < b and text[a].isspace() and a not in plain.widths:
        a += 1
    while b > a and text[b - 1].isspace() and b - 1 not in plain.widths:
        b -= 1
    return a, b


def _balance(marked: str, spans: list[tuple[int, int]], opens: dict[int, tuple[int, int]],
             closes: dict[int, tuple[int, int]]) -> list[tuple[int, int]]:
    """Widen each span to hold both markers of every pair it holds one of; join overlaps."""
    changed = True
    while changed:
        changed = False
        widened = []
        for a, b in spans:
            na, nb = a, b
            for m in _MARK.finditer(marked, a, b):
                number = int(m.group(2))
                if m.group(1) == _OPEN and number in closes:
                    nb = max(nb, closes[number][1])
                elif m.group(1) == _CLOSE and number in opens:
                    na = min(na, opens[number][0])
            changed |= (na, nb) != (a, b)
            widened.append((na, nb))
        spans = []
        for a, b in sorted(widened):
            if spans and a < spans[-1][1]:
                spans[-1] = (spans[-1][0], max(b, spans[-1][1]))
                changed = True
            else:
                spans.append((a, b))
    return spans


def _edges(marked: str, a: int, b: int, closes: dict[int, tuple[int, int]]) -> tuple[int, int]:
    """Move whitespace, empty markers at the edges, and pairs around the whole sentence out."""
    while a < b:
        if marked[a] in (" ", HARD_SPACE, "\t"):
            a += 1
            continue
        if marked[b - 1] in (" ", HARD_SPACE, "\t"):
            b -= 1
            continue
        first = _MARK.match(marked, a)
        if first is not None and first.group(1) == _EMPTY:
            a = first.end()
            continue
        last = _last_marker(marked, a, b)
        if last is not None and last.end() == b and last.group(1) == _EMPTY:
            b = last.start()
            continue
        if (first is not None and first.group(1) == _OPEN
                and closes.get(int(first.group(2)), (-1, -1))[1] == b):
            a, b = first.end(), closes[int(first.group(2))][0]
            continue
        break
    return a, b


def _last_marker(marked: str, a: int, b: int) -> re.Match[str] | None:
    if b - a < 3 or marked[b - 1] != _END:
        return None
    start = max(marked.rfind(_OPEN, a, b), marked.rfind(_CLOSE, a, b), marked.rfind(_EMPTY, a, b))
    return _MARK.fullmatch(marked, start, b) if start >= 0 else None


def _localise(marked: str, span: tuple[int, int], tags: dict[int, _Tag]) -> Sentence:
    """The sentence as the model and the reviewer see it: markers numbered from 1."""
    local: dict[int, int] = {}
    by_global: dict[int, int] = {}
    inline: list[InlineTag] = []

    def replace(m: re.Match[str]) -> str:
        number = int(m.group(2))
        tag = tags[number]
        if tag.droppable:
            return ""
        if m.group(1) == _CLOSE:
            mine = by_global[number]
            inline.append(InlineTag(mine, "close", _markup(tag, closing=True)))
            return f"</{mine}>"
        mine = len(local) + 1
        local[mine] = number
        by_global[number] = mine
        kind: Literal["open", "empty"] = "open" if m.group(1) == _OPEN else "empty"
        inline.append(InlineTag(mine, kind, _markup(tag), tag.about))
        return f"<{mine}/>" if kind == "empty" else f"<{mine}>"

    text = _MARK.sub(replace, marked[span[0]:span[1]]).replace(HARD_SPACE, " ")
    return Sentence(text, tuple(inline), span, local)


def _markup(tag: _Tag, closing: bool = False) -> str:
    """A short record of what a marker stands for (its element names), for the catalog's tags."""
    if tag.kind == "empty":
        return " ".join(_element_name(p.element) for p in tag.pieces)
    frame = tag.frame
    if frame is None or frame.element is None:
        return "field end" if closing else "field"
    name = _element_name(frame.element)
    return f"/{name}" if closing else name


def _element_name(element: Any) -> str:
    tag = getattr(element, "tag", None)
    if not isinstance(tag, str):
        return "comment"
    prefix = getattr(element, "prefix", None)
    local = tag.rpartition("}")[2]
    return f"{prefix}:{local}" if prefix else local


def analyse(pieces: Sequence[Piece], dialect: Dialect, lang: str) -> Block:
    """The paragraph's marked string, its tags and its sentences."""
    items, base = _items(pieces, 0, dialect)
    tags: dict[int, _Tag] = {}
    out: list[str] = []
    _write(items, tags, out)
    marked = "".join(out)
    sentences = [_localise(marked, span, tags) for span in _spans(marked, tags, lang)]
    return Block(marked, tags, base, sentences)


# -- translations -> pieces -----------------------------------------------------------------------


def _globalise(translation: str, sentence: Sentence, tags: dict[int, _Tag]) -> str:
    """The translation with its `<N>` markers in the marked string's syntax; a marker the
    sentence does not have is text, a repeated one is dropped, a lost one is put at the end."""
    text = _NOT_XML.sub("", translation).replace(HARD_SPACE, " ")
    seen: set[tuple[str, int]] = set()

    def replace(m: re.Match[str]) -> str:
        closing, number, empty = m.group(1), int(m.group(2)), m.group(3)
        if number not in sentence.local or (closing and empty):
            return m.group(0)
        tag = tags[sentence.local[number]]
        if (tag.kind == "empty") != bool(empty):
            return m.group(0)
        symbol = _CLOSE if closing else (_EMPTY if empty else _OPEN)
        if (symbol, number) in seen:
            return ""
        seen.add((symbol, number))
        return f"{symbol}{sentence.local[number]}{_END}"

    result = _LOCAL.sub(replace, text)
    for number, glob in sentence.local.items():
        tag = tags[glob]
        if tag.kind == "empty" and (_EMPTY, number) not in seen:
            result += f"{_EMPTY}{glob}{_END}"
        elif tag.kind == "pair":
            if (_OPEN, number) not in seen:
                result = f"{_OPEN}{glob}{_END}" + result
            if (_CLOSE, number) not in seen:
                result += f"{_CLOSE}{glob}{_END}"
    return result


@dataclass
class _Context:
    path: tuple[Frame, ...]
    run: Frame | None  # the run unmarked text takes here


def pour(block: Block, translations: Sequence[str]) -> list[OutPiece]:
    """The paragraph's pieces with each sentence replaced by its translation."""
    out: list[str] = []
    done = 0
    for sentence, translation in zip(block.sentences, translations):
        out.append(block.marked[done:sentence.span[0]])
        out.append(_globalise(translation, sentence, block.tags))
        done = sentence.span[1]
    out.append(block.marked[done:])
    return _unmark("".join(out), block.tags, block.base)


def _unmark(marked: str, tags: dict[int, _Tag], base: Frame | None) -> list[OutPiece]:
    """Read a marked string back into pieces; tolerant of markers crossed or left open."""
    pieces: list[OutPiece] = []
    stack: list[tuple[int, _Context]] = []
    context = _Context((), base)
    seen: set[int] = set()

    def atoms(found: list[Piece], where: _Context) -> None:
        pieces.extend(OutPiece(where.path, p.run, p.text, p.element) for p in found)

    def text(value: str) -> None:
        if value:
            pieces.append(OutPiece(context.path, context.run, value))

    done = 0
    for m in _MARK.finditer(marked):
        text(marked[done:m.start()])
        done = m.end()
        number = int(m.group(2))
        tag = tags[number]
        seen.add(number)
        if m.group(1) == _EMPTY:
            atoms(tag.pieces, context)
        elif m.group(1) == _OPEN:
            atoms(tag.lead, context)
            stack.append((number, context))
            assert tag.frame is not None
            if tag.frame.kind == "run":  # text inside takes this run's formatting
                context = _Context(context.path, tag.frame)
            else:
                inner = tag.base if tag.base is not None else context.run
                context = _Context(context.path + (tag.frame,), inner)
        elif any(open_number == number for open_number, _ in stack):
            while stack:
                open_number, outer = stack.pop()
                context = outer
                atoms(tags[open_number].trail, context)
                if open_number == number:
                    break
    text(marked[done:])
    while stack:
        open_number, context = stack.pop()
        atoms(tags[open_number].trail, context)
    for number, tag in tags.items():  # only when a caller bypassed the sentences' markers
        if number not in seen and not tag.droppable:
            atoms(tag.pieces + tag.lead + tag.trail, _Context((), base))
    return pieces

