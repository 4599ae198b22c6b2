"""HTML (.html, .htm, .xhtml): the text a reader sees, cut out of the original bytes and put back.

The page is never re-serialised from a parsed tree: a tokenizer that keeps the offset of every
tag, comment and text run finds the stretches of prose, and `render` replaces exactly those
spans. Everything else (doctype, comments before `<html>` and after `</html>`, IE conditional
comments, scripts, styles, attribute order and quoting, entities outside translated text, line
endings, a byte-order mark) is copied byte for byte. A serialiser would normalise all of that,
and a page whose only change is its prose is what a reviewer can diff.

What is translated:
- the text of every block (paragraph, heading, list item, table cell, caption, `<title>`, any
  element's own text), one segment per sentence: entities decoded, whitespace collapsed as a
  browser shows it;
- the attributes people read: `alt`, `title`, `placeholder`, `aria-label`, and the `content` of
  the meta description and the Open Graph / Twitter title and description.

What is kept as it was: `<script>`, `<style>`, `<pre>`, `<textarea>`, `<svg>`, `<math>`,
`<template>`, `<iframe>`, comments, and every element with `translate="no"` or the class
`notranslate` (with everything inside, as the attribute's specification says); `<code>`,
`<kbd>`, `<samp>` and `<var>` inside a sentence travel as one marker and come back byte for byte.

Inline markup inside a sentence (`<a>`, `<em>`, `<b>`, `<span>`, `<br>`, `<img>`, a footnote
reference `<sup>[1]</sup>`...) becomes numbered markers (see `translator.inline`) whose note
says what each is ("link to https://...", "emphasis"). Markup that wraps a whole sentence stays
outside it, so most sentences carry no marker at all. A tag pair that a sentence boundary would
cut joins the two sentences.

A sentence that comes back unchanged is written as it was in the source, entities and line
breaks included; a changed one is written with its whitespace collapsed and `&`, `<`, `>` (and
the quote, in attributes) escaped. The root element's `lang` (and `xml:lang`) becomes the target
language, added when missing. The page keeps its encoding: a declared charset (BOM, XML
declaration, `<meta charset>`) is honoured and kept, characters it cannot hold are written as
character references; a page that declares none is read as UTF-8.
"""
from __future__ import annotations

import bisect
import codecs
import html
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from html.entities import html5 as _HTML5_ENTITIES
from typing import Literal

from .. import inline
from ..document import Document, Segment, has_letter
from ..errors import InputError
from ..inline import InlineTag
from ..segment import split_sentences

__all__ = ["ADAPTER", "Html", "HtmlState", "decode_markup", "render_text"]

# -- what the elements are ----------------------------------------------------------------------

# Phrasing elements that can sit inside a sentence as a pair of markers.
_INLINE_PAIRED = frozenset(
    "a abbr acronym b bdi bdo big blink cite data del dfn em font i ins label mark nobr q rb rp "
    "rt rtc ruby s small span strike strong sub sup time tt u".split()
)
# Empty phrasing elements: one marker each.
_INLINE_VOID = frozenset({"br", "wbr", "img"})
# Kept byte for byte with everything inside them; inside a sentence, one marker.
_VERBATIM_INLINE = frozenset(
    "code kbd samp var svg math script style template iframe object embed video audio canvas "
    "noembed textarea".split()
)
_VERBATIM_BLOCK = frozenset({"pre", "listing", "xmp", "plaintext", "noframes"})
# Verbatim elements that read as a word in their sentence (their marker stands for a name or a
# value); the others (an icon, a script) take no room in the text the splitter sees.
_WORDLIKE = frozenset({"code", "kbd", "samp", "var", "math"})
# The tokenizer reads these elements' content as text up to their end tag (not in SVG/MathML).
_RAW_TEXT = frozenset(
    "script style xmp iframe noembed noframes textarea title plaintext".split()
)
_VOID = frozenset(
    "area base basefont bgsound br col embed frame hr img input keygen link meta param source "
    "track wbr".split()
)
_FOREIGN = frozenset({"svg", "math"})
# What a block of text is, from its nearest enclosing element (for catalogs and reports).
_BLOCK_KIND = {
    **{f"h{n}": "heading" for n in range(1, 7)},
    "li": "list_item", "dt": "list_item", "dd": "list_item",
    "td": "table_cell", "th": "table_cell",
    "caption": "caption", "figcaption": "caption",
    "blockquote": "quote",
    "p": "paragraph",
}
# Start tags that close an open <p> (HTML's "close a p element"), and the elements an implied
# end stops at.
_CLOSES_P = frozenset(
    "address article aside blockquote center details dialog dir div dl fieldset figcaption "
    "figure footer form h1 h2 h3 h4 h5 h6 header hgroup hr li listing main menu nav ol p pre "
    "section summary table ul dd dt plaintext xmp".split()
)
_SCOPE = frozenset({"table", "td", "th", "caption", "html", "button", "object", "template", "marquee"})
_IMPLIED: dict[str, tuple[frozenset[str], frozenset[str]]] = {
    # start tag: (open elements it closes, elements that stop the search)
    "li": (frozenset({"li"}), frozenset({"ul", "ol"}) | _SCOPE),
    "dt": (frozenset({"dt", "dd"}), frozenset({"dl"}) | _SCOPE),
    "dd": (frozenset({"dt", "dd"}), frozenset({"dl"}) | _SCOPE),
    "td": (frozenset({"td", "th"}), frozenset({"tr", "table"})),
    "th": (frozenset({"td", "th"}), frozenset({"tr", "table"})),
    "tr": (frozenset({"tr"}), frozenset({"table", "tbody", "thead", "tfoot"})),
    "tbody": (frozenset({"tbody", "thead", "tfoot"}), frozenset({"table"})),
    "thead": (frozenset({"tbody", "thead", "tfoot"}), frozenset({"table"})),
    "tfoot": (frozenset({"tbody", "thead", "tfoot"}), frozenset({"table"})),
    "option": (frozenset({"option"}), frozenset({"select", "datalist"})),
    "optgroup": (frozenset({"option", "optgroup"}), frozenset({"select"})),
}
_TRANSLATED_ATTRIBUTES = frozenset({"alt", "title", "placeholder", "aria-label"})
# An attribute value of one "word" holding these is data (a URL, a query, a file or page name,
# a COinS citation), not words for a reader.
_DATA_VALUE = re.compile(r"[=&%/\\_#@|{}]|\.(?:jpe?g|png|gif|svg|webp)$", re.IGNORECASE)
_TRANSLATED_META = frozenset({"description", "og:title", "og:description", "twitter:title",
                              "twitter:description"})

# -- tokens -------------------------------------------------------------------------------------

_SPACE = "\t\n\f\r "
_SPACES = re.compile(r"[\t\n\f\r ]*")
_TAG_NAME = re.compile(r"[A-Za-z][^\t\n\f\r />]*")
_ATTR_NAME = re.compile(r"[^\t\n\f\r />][^\t\n\f\r />=]*")
_UNQUOTED = re.compile(r"[^\t\n\f\r >]*")
_COMMENT_END = re.compile(r"--!?>")
_RAW_ENDS: dict[str, re.Pattern[str]] = {}

TokenType = Literal["text", "start", "end", "comment", "markup"]


@dataclass
class Attr:
    """One attribute of a tag, by offsets into the source (value_start -1: no value)."""

    name: str  # lower-cased
    name_end: int
    value_start: int
    value_end: int
    quote: str  # '"', "'" or "" (unquoted)


@dataclass
class Token:
    type: TokenType  # "markup": doctype, processing instruction, CDATA, bogus comment, </>
    start: int
    end: int
    name: str = ""  # tags: lower-cased name
    attrs: list[Attr] = field(default_factory=list)
    self_closing: bool = False
    name_end: int = 0  # tags: offset just after the name


def next_token(src: str, pos: int, *, cdata: bool = False) -> Token:
    """The token that starts at `pos`, as HTML's tokenizer reads it (data state). With `cdata`
    (XML, SVG, MathML), `<![CDATA[` runs to `]]>`; in HTML it is a bogus comment."""
    n = len(src)
    if src[pos] != "<":
        end = src.find("<", pos + 1)
        return Token("text", pos, n if end < 0 else end)
    if src.startswith("<!--", pos):
        if src.startswith(">", pos + 4):
            return Token("comment", pos, pos + 5)
        if src.startswith("->", pos + 4):
            return Token("comment", pos, pos + 6)
        m = _COMMENT_END.search(src, pos + 4)
        return Token("comment", pos, m.end() if m else n)
    if cdata and src.startswith("<![CDATA[", pos):
        end = src.find("]]>", pos + 9)
        return Token("markup", pos, n if end < 0 else end + 3)
    if src.startswith("<!", pos) or src.startswith("<?", pos):
        end = src.find(">", pos + 2)
        return Token("markup", pos, n if end < 0 else end + 1)
    closing = src.startswith("</", pos)
    name = _TAG_NAME.match(src, pos + 2 if closing else pos + 1)
    if name is None:
        if not closing:
            end = src.find("<", pos + 1)
            return Token("text", pos, n if end < 0 else end)
        if src.startswith(">", pos + 2):  # "</>" is dropped by browsers
            return Token("markup", pos, pos + 3)
        end = src.find(">", pos + 2)  # "</ x>": a bogus comment
        return Token("markup", pos, n if end < 0 else end + 1)
    token = Token("end" if closing else "start", pos, n, name.group().lower(),
                  name_end=name.end())
    i = name.end()
    while True:
        i = _SPACES.match(src, i).end()  # type: ignore[union-attr]  # matches the empty string
        if i >= n:
            return Token("markup", pos, n)  # a tag cut off by the end of the file: dropped
        ch = src[i]
        if ch == ">":
            token.end = i + 1
            return token
        if ch == "/":
            if src.startswith(">", i + 1):
                token.self_closing, token.end = True, i + 2
                return token
            i += 1
            continue
        attr_name = _ATTR_NAME.match(src, i)
        assert attr_name is not None  # ch is none of the characters it excludes
        i = _SPACES.match(src, attr_name.end()).end()  # type: ignore[union-attr]
        attr = Attr(attr_name.group().lower(), attr_name.end(), -1, -1, "")
        if src.startswith("=", i):
            i = _SPACES.match(src, i + 1).end()  # type: ignore[union-attr]
            if i < n and src[i] in "\"'":
                close = src.find(src[i], i + 1)
                if close < 0:
                    return Token("markup", pos, n)
                attr.value_start, attr.value_end, attr.quote = i + 1, close, src[i]
                i = close + 1
            else:
                value = _UNQUOTED.match(src, i)
                assert value is not None
                attr.value_start, attr.value_end = i, value.end()
                i = value.end()
        token.attrs.append(attr)


def raw_text_end(src: str, pos: int, name: str) -> int:
    """Where the raw text of a `<script>`, `<style>`, `<title>`... that starts at `pos` ends:
    at its end tag, or at the end of the file."""
    if name == "plaintext":
        return len(src)
    pattern = _RAW_ENDS.get(name)
    if pattern is None:
        pattern = _RAW_ENDS[name] = re.compile(rf"</{name}[\t\n\f\r />]", re.IGNORECASE)
    m = pattern.search(src, pos)
    return m.start() if m else len(src)


def attribute(token: Token, name: str) -> Attr | None:
    """The first attribute called `name` (browsers ignore repeats)."""
    for attr in token.attrs:
        if attr.name == name:
            return attr
    return None


def attr_value(src: str, token: Token, name: str) -> str | None:
    attr = attribute(token, name)
    if attr is None:
        return None
    return "" if attr.value_start < 0 else html.unescape(src[attr.value_start:attr.value_end])


# -- text as a reader sees it, mapped back to the source ---------------------------------------

_REFERENCE_OR_SPACE = re.compile(
    r"&(?:#[0-9]+;?|#[xX][0-9a-fA-F]+;?|[A-Za-z][A-Za-z0-9]*;?)|[\t\n\f\r ]+"
)
_REFERENCE = re.compile(r"&(?:#[0-9]+;?|#[xX][0-9a-fA-F]+;?|[A-Za-z][A-Za-z0-9]*;?)")
WORD = "\ue000"  # stands in the prose for an element kept verbatim that reads as a word


def _decode_reference(ref: str, in_attribute: bool, following: str) -> str | None:
    """A character reference's text, or None when it is none (HTML's rules: in an attribute,
    a legacy reference without ";" is text when "=" or a letter or digit follows)."""
    if (in_attribute and not ref.endswith(";") and not ref.startswith("&#")
            and (ref[1:] not in _HTML5_ENTITIES or following == "=")):
        return None
    decoded = html.unescape(ref)
    return None if decoded == ref else decoded


@dataclass
class Tag:
    """A tag (or an element kept whole) inside a stretch of prose, at a position of the prose."""

    kind: Literal["open", "close", "empty"]
    start: int
    end: int
    name: str
    about: str
    regions: list[Attr] = field(default_factory=list)  # translatable attributes
    pos: int = 0  # offset in the prose where it sits (before the character there)
    word: bool = False  # it occupies one character (WORD) of the prose
    partner: int = -1  # index of the other tag of a pair


class Prose:
    """A stretch of source read as text: entities decoded, each run of whitespace one space,
    no leading whitespace; every character mapped back to the source span it came from.

    Pieces are kept instead of a map per character, so a 20 MB paragraph costs a few entries
    per entity and line break, not 40 bytes per character.
    """

    def __init__(self, src: str, kind: str) -> None:
        self.src = src
        self.kind = kind
        self.texts: list[str] = []
        self.starts: list[int] = []  # offset in the prose of each piece
        self.spans: list[tuple[int, int]] = []  # its source span
        self.same: list[bool] = []  # its text is its source, character for character
        self.length = 0
        self.spaced = True  # ends in whitespace, or is empty: the next whitespace collapses
        self.tags: list[Tag] = []
        self._open: list[int] = []

    def _piece(self, text: str, start: int, end: int, same: bool) -> None:
        if not text:
            return
        self.texts.append(text)
        self.starts.append(self.length)
        self.spans.append((start, end))
        self.same.append(same)
        self.length += len(text)
        self.spaced = text[-1] in _SPACE

    def add_text(self, start: int, end: int, *, in_attribute: bool = False) -> None:
        """Add the source text [start, end). Text that reads like a marker ("<1>", written
        "&lt;1&gt;") is kept as written behind a marker of its own, so it is never taken for
        markup."""
        if not in_attribute:
            for found_start, found_end in self._marker_like(start, end):
                self._add_text(start, found_start, in_attribute=False)
                shown = html.unescape(self.src[found_start:found_end])
                self.add_tag(Tag("empty", found_start, found_end, "#text",
                                 f"the text {shown}, kept as written", word=True))
                start = found_end
        self._add_text(start, end, in_attribute=in_attribute)

    def _marker_like(self, start: int, end: int) -> list[tuple[int, int]]:
        """Source spans in [start, end) whose text reads like an inline marker."""
        src = self.src
        if src.find("<", start, end) < 0 and src.find("&", start, end) < 0:
            return []
        texts: list[str] = []
        spans: list[tuple[int, int]] = []  # the source of each piece of `texts`
        i = start
        for m in _REFERENCE.finditer(src, start, end):
            following = src[m.end()] if m.end() < len(src) else ""
            decoded = _decode_reference(m.group(), False, following)
            if decoded is None:
                continue
            texts += [src[i:m.start()], decoded]
            spans += [(i, m.start()), (m.start(), m.end())]
            i = m.end()
        texts.append(src[i:end])
        spans.append((i, end))
        decoded_text = "".join(texts)
        found = list(inline.MARKER.finditer(decoded_text))
        if not found:
            return []
        where: list[tuple[int, int]] = []  # source span of each decoded character
        for text, (a, b) in zip(texts, spans):
            same = len(text) == b - a and src.startswith(text, a)
            where += [(a + k, a + k + 1) if same else (a, b) for k in range(len(text))]
        return [(where[m.start()][0], where[m.end() - 1][1]) for m in found]

    def _add_text(self, start: int, end: int, *, in_attribute: bool) -> None:
        src, i = self.src, start
        for m in _REFERENCE_OR_SPACE.finditer(src, start, end):
            if m.start() > i:
                self._piece(src[i:m.start()], i, m.start(), True)
            found = m.group()
            if found[0] == "&":
                following = src[m.end()] if m.end() < len(src) else ""
                decoded = _decode_reference(found, in_attribute, following)
                if decoded is None:
                    self._piece(found, m.start(), m.end(), True)
                else:
                    self._piece(decoded, m.start(), m.end(), False)
            elif not self.spaced:
                self._piece(" ", m.start(), m.end(), False)
            i = m.end()
        if i < end:
            self._piece(src[i:end], i, end, True)

    def add_tag(self, tag: Tag) -> None:
        tag.pos = self.length
        index = len(self.tags)
        if tag.kind == "close":
            match = next((k for k in range(len(self._open) - 1, -1, -1)
                          if self.tags[self._open[k]].name == tag.name), None)
            if match is None:
                tag.kind, tag.about = "empty", f"end of <{tag.name}>"  # a stray end tag
            else:
                opener = self._open[match]
                for left in self._open[match + 1:]:  # opened inside it and never closed
                    self._single(left)
                del self._open[match:]
                if self.length == self.tags[opener].pos and opener == index - 1:
                    self._collapse(opener, tag, "")  # <a id="x"></a>: one empty marker
                    return
                if tag.name in ("sup", "sub") and not has_letter(self.text(self.tags[opener].pos)):
                    self._collapse(opener, tag, self.text(self.tags[opener].pos))  # [1], 2
                    return
                if self.length == self.tags[opener].pos:  # only tags inside: <a><img></a>
                    self._collapse(opener, tag, "")
                    return
                tag.partner, self.tags[opener].partner = opener, index
        self.tags.append(tag)
        if tag.kind == "open":
            self._open.append(index)
        if tag.word:
            self._piece(WORD, tag.start, tag.end, False)

    def _collapse(self, opener: int, closer: Tag, inner: str) -> None:
        """Make the element from tag `opener` to `closer` one empty tag (prose inside dropped)."""
        first = self.tags[opener]
        regions = [r for t in self.tags[opener:] for r in t.regions] + closer.regions
        inner_tags = self.tags[opener + 1:]
        self.truncate(first.pos)
        del self.tags[opener:]
        self._open = [k for k in self._open if k < opener]
        about = first.about
        if inner.strip():
            about = f"{'footnote reference' if first.name == 'sup' else first.about} {' '.join(inner.split())}"
        elif inner_tags:
            about = "; ".join([first.about] + [t.about for t in inner_tags if t.kind != "close" and t.about])
        self.tags.append(Tag("empty", first.start, closer.end, first.name, about, regions, first.pos))

    def truncate(self, length: int) -> None:
        """Drop the prose from `length` on (tags always sit between pieces)."""
        while self.starts and self.starts[-1] >= length:
            self.texts.pop()
            self.starts.pop()
            self.spans.pop()
            self.same.pop()
        self.length = self.starts[-1] + len(self.texts[-1]) if self.texts else 0
        self.spaced = not self.texts or self.texts[-1][-1] in _SPACE

    def _single(self, index: int) -> None:
        """An open tag never closed: a single marker, kept where it is."""
        tag = self.tags[index]
        tag.kind, tag.about = "empty", f"{tag.about} (its end is elsewhere)"

    def close(self) -> None:
        """Tags left unpaired become single markers."""
        for index in self._open:
            self._single(index)
        self._open = []

    def text(self, start: int = 0) -> str:
        k = bisect.bisect_right(self.starts, start) - 1
        if k < 0:
            return "".join(self.texts)
        return "".join(self.texts[k:])[start - self.starts[k]:]

    def source_start(self, p: int) -> int:
        k = bisect.bisect_right(self.starts, p) - 1
        return self.spans[k][0] + (p - self.starts[k] if self.same[k] else 0)

    def source_end(self, p: int) -> int:
        """Where the source of prose character `p` ends."""
        k = bisect.bisect_right(self.starts, p) - 1
        return self.spans[k][0] + p - self.starts[k] + 1 if self.same[k] else self.spans[k][1]


# Marks that decorate rather than punctuate: a sentence is cut from them where a tag sits, so
# that "^ <span>The note.</span>" and "<a>Read more</a> »" keep the mark literal. A full stop,
# a bracket or a quote beside a tag belongs to its sentence and is never cut off.
_DECORATION = frozenset("^*•·‣◦▪►▸|/\\»«›‹→←⇒–—-~#+=")


def _decoration(text: str) -> bool:
    return all(ch.isspace() or ch in _DECORATION for ch in text)


def _cut_at_edge_tags(spans: list[tuple[int, int]], text: str, positions: list[int]) -> list[tuple[int, int]]:
    """Sentences cut where a tag sits with only decoration on one side of it ("^ <span>The
    note...</span>", "<a>Read more</a> »"): the marks stay literal, and the tag can wrap the
    sentence instead of joining it with the ones it spans."""
    cut: list[tuple[int, int]] = []
    for s, e in spans:
        for p in positions[bisect.bisect_right(positions, s):bisect.bisect_left(positions, e)]:
            if p - s > 8 and e - p > 8:  # decoration is a mark or two, not a phrase
                continue
            if not (_decoration(text[s:p]) or _decoration(text[p:e])):
                continue
            left = p
            while left > s and text[left - 1].isspace():
                left -= 1
            right = p
            while right < e and text[right].isspace():
                right += 1
            if s < left and right < e:
                cut.append((s, left))
                s = right
        cut.append((s, e))
    return cut


@dataclass(eq=False)
class _Group:
    """One sentence (or sentences joined by markup): prose [s, e), extended to [a, b] by the
    tags it includes; [lo, hi) in the source."""

    a: int
    b: int
    s: int
    e: int
    lo: int
    hi: int
    tags: list[int] = field(default_factory=list)


class _Grouping:
    """Which tags of a stretch of prose go inside which sentence; the rest stay literal.

    A pair goes inside when either tag sits strictly inside a sentence (joining sentences when
    it spans several); a pair that only wraps whole sentences, and an empty tag at a sentence's
    edge or between sentences, stay outside. Whatever lies in the source between the first and
    last thing a sentence includes is included too. Groups stay sorted and disjoint, so every
    lookup is a bisection and a merge replaces a slice: linear in the tags, whatever the page.
    """

    def __init__(self, prose: Prose, spans: list[tuple[int, int]], text: str) -> None:
        self.tags = prose.tags
        cut = _cut_at_edge_tags(spans, text, sorted({t.pos for t in self.tags}))
        self.groups = [_Group(s, e, s, e, prose.source_start(s), prose.source_end(e - 1)) for s, e in cut]
        self._firsts = [g.a for g in self.groups]
        self._lasts = [g.b for g in self.groups]
        self._los = [g.lo for g in self.groups]
        self.by_start = sorted(range(len(self.tags)), key=lambda i: self.tags[i].start)
        self.member: dict[int, _Group] = {}
        changed = bool(self.groups)
        while changed:
            changed = self._by_position() | self._by_source()

    def _at(self, p: int, *, word: bool = False) -> _Group | None:
        """The group with p strictly inside (a word character: inside its prose)."""
        k = (bisect.bisect_right if word else bisect.bisect_left)(self._firsts, p) - 1
        if k >= 0 and p < self.groups[k].b:
            return self.groups[k]
        return None

    def _include(self, indexes: list[int], group: _Group | None = None) -> None:
        """Put these tags inside a sentence: the one given, and every one their span crosses."""
        lo = min(self.tags[i].pos for i in indexes)
        hi = max(self.tags[i].pos for i in indexes)
        if group is None and lo == hi:
            group = self._at(lo, word=True)
        j0 = bisect.bisect_right(self._lasts, lo)  # the first group that ends after lo
        j1 = bisect.bisect_left(self._firsts, hi)  # the first that starts at hi or later
        if group is not None:
            k = bisect.bisect_left(self._firsts, group.a)
            j0, j1 = min(j0, k), max(j1, k + 1)
        if j0 >= j1:  # in a gap: the nearest group takes it
            j0 = min(j0, len(self.groups) - 1)
            j1 = j0 + 1
        touched = self.groups[j0:j1]
        keep = max(touched, key=lambda g: len(g.tags))  # the others' tags move into it
        for g in touched:
            if g is not keep:
                keep.tags += g.tags
                for i in g.tags:
                    self.member[i] = keep
        keep.a, keep.b = min(lo, touched[0].a), max(hi, touched[-1].b)
        keep.s, keep.e = touched[0].s, touched[-1].e
        keep.lo, keep.hi = touched[0].lo, touched[-1].hi
        for i in indexes:
            if i not in self.member:
                keep.tags.append(i)
                self.member[i] = keep
            keep.lo, keep.hi = min(keep.lo, self.tags[i].start), max(keep.hi, self.tags[i].end)
        self.groups[j0:j1] = [keep]
        self._firsts[j0:j1] = [keep.a]
        self._lasts[j0:j1] = [keep.b]
        self._los[j0:j1] = [keep.lo]

    def _with_partner(self, i: int) -> list[int]:
        partner = self.tags[i].partner
        return [i] if self.tags[i].kind == "empty" or partner < 0 else [i, partner]

    def _by_position(self) -> bool:
        changed = False
        for i, tag in enumerate(self.tags):
            if i in self.member or tag.kind == "close":
                continue
            if tag.kind == "open":
                if self._at(tag.pos) is None and self._at(self.tags[tag.partner].pos) is None:
                    continue  # wraps whole sentences, or sits between them
                self._include([i, tag.partner])
                changed = True
            else:
                group = self._at(tag.pos, word=tag.word)
                if group is not None:
                    self._include([i], group)
                    changed = True
        return changed

    def _by_source(self) -> bool:
        """Include every tag that lies in the source between what a sentence holds."""
        changed = False
        for i in self.by_start:
            if i in self.member:
                continue
            start = self.tags[i].start
            k = bisect.bisect_right(self._los, start) - 1
            if k >= 0 and start < self.groups[k].hi:
                self._include(self._with_partner(i), self.groups[k])
                changed = True
        return changed


# -- the document being built ------------------------------------------------------------------


@dataclass
class Slot:
    """How segment i is written back."""

    kind: Literal["text", "attr"]
    source: str  # the span's source text: written as it was when the sentence is unchanged
    quote: str = ""  # attributes: the value's quote ("" unquoted: quoted when changed)
    inner: bool = False  # an attribute of a tag inside a sentence: written inside that tag
    # Text: each marker's markup with the translated attributes it holds, as source text and
    # the indexes of those attribute slots (markers without any use the tag's own markup).
    markup: dict[str, list[str | int]] = field(default_factory=dict)


@dataclass
class HtmlState:
    """What `render` needs besides the parts: how each slot is written, where the language
    goes, and the page's encoding."""

    slots: list[Slot]
    lang_parts: dict[int, str]  # part index -> its text with "{}" for the target language
    encoding: str


def _is_prose(value: str) -> bool:
    """Is an attribute's value words for a reader (not a URL, a query, a file name)?"""
    value = value.strip()
    return has_letter(value) and (any(ch.isspace() for ch in value) or not _DATA_VALUE.search(value))


class Builder:
    """Collects the segments and the language spots of one page; makes the Document."""

    def __init__(self, src: str, name: str, fmt: str, lang: str) -> None:
        self.src = src
        self.name = name
        self.format = fmt
        self.lang = lang
        self._found: list[tuple[int, int, int, Segment | str, Slot | None]] = []
        self._inner: dict[int, list[Slot]] = {}  # id of a text slot -> the attribute slots in it
        self._newlines = [m.start() for m in re.finditer("\n", src)]

    def line(self, offset: int) -> int:
        return bisect.bisect_left(self._newlines, offset) + 1

    def _add(self, start: int, end: int, item: Segment | str, slot: Slot | None) -> None:
        self._found.append((start, len(self._found), end, item, slot))

    def lang_spot(self, start: int, end: int, template: str) -> None:
        """Source [start, end) becomes `template` with the target language for "{}"."""
        self._add(start, end, template, None)

    # -- attributes

    def attribute(self, attr: Attr, kind: str) -> None:
        """A translatable attribute of a tag written as it is: its sentences become slots."""
        if attr.value_start < 0:
            return
        prose = Prose(self.src, kind)
        prose.add_text(attr.value_start, attr.value_end, in_attribute=True)
        text = prose.text()
        if not _is_prose(text):
            return
        if not attr.quote:  # an unquoted value is one word: one slot, quoted when it changes
            spans = [(0, len(text.rstrip()))]
        else:
            spans = split_sentences(text, self.lang)
        for s, e in spans:
            sentence = text[s:e]
            if not has_letter(sentence):
                continue
            start, end = prose.source_start(s), prose.source_end(e - 1)
            if not attr.quote:
                start, end = attr.value_start, attr.value_end
            slot = Slot("attr", self.src[start:end], attr.quote)
            self._add(start, end, Segment(sentence, self.line(start), kind), slot)

    def _inner_attribute(self, attr: Attr, at: int) -> Slot | None:
        """An attribute of a tag inside a sentence: one slot, written inside the tag's markup
        (registered before the sentence, at its start, taking no room of its own)."""
        if attr.value_start < 0:
            return None
        prose = Prose(self.src, "attribute")
        prose.add_text(attr.value_start, attr.value_end, in_attribute=True)
        text = prose.text().strip()
        if not _is_prose(text):
            return None
        slot = Slot("attr", self.src[attr.value_start:attr.value_end], attr.quote, inner=True)
        self._add(at, at, Segment(text, self.line(attr.value_start), "attribute"), slot)
        return slot

    # -- prose

    def prose(self, prose: Prose) -> None:
        """Cut a stretch of prose into sentence slots; its other tags stay literal."""
        prose.close()
        text = prose.text()
        tags = prose.tags
        spans = split_sentences(text, self.lang) if has_letter(text.replace(WORD, "")) else []
        grouping = _Grouping(prose, spans, text)
        inside: set[int] = set()
        for g in grouping.groups:
            if not has_letter(text[g.s:g.e].replace(WORD, "")):
                continue
            self._sentence(prose, text, g, (g.lo, g.hi))
            inside.update(g.tags)
        for i, tag in enumerate(tags):
            if i not in inside:
                for attr in tag.regions:
                    self.attribute(attr, "attribute")

    def _sentence(self, prose: Prose, text: str, g: _Group, span: tuple[int, int]) -> None:
        tags, src = prose.tags, self.src
        included = sorted(g.tags, key=lambda i: tags[i].start)
        ids: dict[int, int] = {}
        number = 0
        for i in included:
            if tags[i].kind != "close":
                number += 1
                ids[i] = number
                if tags[i].kind == "open":
                    ids[tags[i].partner] = number
        pieces: list[str] = []
        inline_tags: list[InlineTag] = []
        markup: dict[str, list[str | int]] = {}
        inner: list[Slot] = []
        p = g.a
        for i in included:
            tag = tags[i]
            pieces.append(text[p:tag.pos])
            p = tag.pos + 1 if tag.word else tag.pos
            inline_tag = InlineTag(ids[i], tag.kind, src[tag.start:tag.end], tag.about)
            inline_tags.append(inline_tag)
            pieces.append(inline.marker(inline_tag))
            template: list[str | int] = []
            cursor = tag.start
            for attr in tag.regions:
                slot = self._inner_attribute(attr, span[0])
                if slot is None:
                    continue
                inner.append(slot)
                template += [src[cursor:attr.value_start], -len(inner)]  # resolved in document()
                cursor = attr.value_end
            if template:
                markup[inline.marker(inline_tag)] = template + [src[cursor:tag.end]]
        pieces.append(text[p:g.b])
        sentence = "".join(pieces)
        slot = Slot("text", src[span[0]:span[1]], markup=markup)
        if inner:
            self._inner[id(slot)] = inner
        self._add(span[0], span[1], Segment(sentence, self.line(span[0]), prose.kind,
                                            tuple(inline_tags)), slot)

    # -- the result

    def document(self, encoding: str) -> Document:
        parts: list[str | Segment] = []
        slots: list[Slot] = []
        lang_parts: dict[int, str] = {}
        done = 0
        found = sorted(self._found, key=lambda f: (f[0], f[1]))
        for start, _, end, item, slot in found:
            if start < done:
                raise AssertionError(f"{self.name}: overlapping spans at {start}")  # a bug here
            if start > done:
                parts.append(self.src[done:start])
            if isinstance(item, Segment):
                assert slot is not None
                parts.append(item)
                slots.append(slot)
            else:
                lang_parts[len(parts)] = item
                parts.append(self.src[start:end])
            done = end
        if done < len(self.src):
            parts.append(self.src[done:])
        index = {id(slot): i for i, slot in enumerate(slots)}
        for slot in slots:
            inner = self._inner.get(id(slot))
            if inner is None:
                continue
            for key, template in slot.markup.items():
                slot.markup[key] = [index[id(inner[-piece - 1])] if isinstance(piece, int) else piece
                                    for piece in template]
        return Document(self.name, self.format, parts, HtmlState(slots, lang_parts, encoding))


# -- the walk over a page ----------------------------------------------------------------------


def _about(src: str, token: Token) -> str:
    """What a reviewer is told an inline tag is."""
    name = token.name
    if name == "a":
        href = attr_value(src, token, "href")
        if href:
            return f"link to {_short(href)}"
        anchor = attr_value(src, token, "id") or attr_value(src, token, "name")
        return f"anchor {_short(anchor)}" if anchor else "link"
    if name == "img":
        alt = attr_value(src, token, "alt")
        return f"image: {_short(alt)}" if alt else "image"
    if name in ("abbr", "acronym"):
        title = attr_value(src, token, "title")
        return f"abbreviation ({_short(title)})" if title else "abbreviation"
    if name == "span":
        cls = attr_value(src, token, "class")
        return f"span (class {_short(cls)})" if cls else "span"
    return _ABOUT.get(name, f"<{name}> element")


_ABOUT = {
    "b": "bold", "strong": "strong emphasis", "i": "italic", "em": "emphasis", "u": "underline",
    "s": "struck-through text", "strike": "struck-through text", "del": "deleted text",
    "ins": "inserted text", "mark": "highlight", "small": "small print", "big": "large text",
    "sub": "subscript", "sup": "superscript", "cite": "title of a work", "q": "quotation",
    "dfn": "defined term", "time": "date or time", "font": "font change", "label": "form label",
    "br": "line break", "wbr": "line-break opportunity", "tt": "monospace", "bdi": "isolated text",
    "bdo": "text direction", "data": "data value", "nobr": "no line break", "ruby": "ruby",
}


def _short(value: str, limit: int = 60) -> str:
    value = " ".join(value.split())
    return value if len(value) <= limit else value[: limit - 1] + "…"


def _verbatim_text(src: str, start: int, end: int) -> str:
    """The words of an element kept as it is (for its marker's note)."""
    inner = re.sub(r"<[^>]*>", "", src[start:end])
    return " ".join(html.unescape(inner).split())


def _says_no(src: str, token: Token) -> bool:
    """translate="no" or class="notranslate": the element and everything in it stay as they are."""
    if (attr_value(src, token, "translate") or "").strip().lower() == "no":
        return True
    return "notranslate" in (attr_value(src, token, "class") or "").split()


@dataclass
class _Verbatim:
    depth: int  # its index in the stack of open elements
    start: int
    inline: bool
    token: Token


class Walker:
    """Reads a page token by token, keeping a stack of open elements, and hands each stretch of
    prose (the text and inline tags between two block boundaries) to the builder."""

    def __init__(self, src: str, builder: Builder, *, xml: bool) -> None:
        self.src = src
        self.builder = builder
        self.xml = xml
        self.stack: list[str] = []  # open elements, innermost last
        self.kinds: list[str] = []  # the block kind at each depth (see `_kind`)
        self.foreign = 0  # open <svg> and <math> elements: no raw text inside them
        self.prose: Prose | None = None
        self.verbatim: _Verbatim | None = None
        self.root_seen = False

    def walk(self, start: int = 0) -> None:
        src, pos = self.src, start
        while pos < len(src):
            token = next_token(src, pos, cdata=self.xml or self.foreign > 0)
            self._handle(token)
            pos = token.end
            if (token.type == "start" and token.name in _RAW_TEXT and not self.foreign
                    and not (token.self_closing and self.xml)):
                end = raw_text_end(src, pos, token.name)
                if token.name == "title" and self.verbatim is None:
                    self._flush()
                    title = Prose(src, "title")
                    title.add_text(pos, end)
                    self.builder.prose(title)
                pos = end
        if self.verbatim is not None:
            self._end_verbatim(len(src))
        self._flush()

    # -- elements

    def _kind(self) -> str:
        """What a block of text here is: its nearest enclosing heading, list item, cell..."""
        return self.kinds[-1] if self.kinds else "paragraph"

    def _push(self, name: str) -> None:
        self.stack.append(name)
        self.kinds.append(_BLOCK_KIND.get(name) or self._kind())
        self.foreign += name in _FOREIGN

    def _pop_to(self, k: int) -> None:
        """Close the element at depth k and everything inside it."""
        self.foreign -= sum(name in _FOREIGN for name in self.stack[k:])
        del self.stack[k:]
        del self.kinds[k:]

    def _find(self, name: str) -> int | None:
        for k in range(len(self.stack) - 1, -1, -1):
            if self.stack[k] == name:
                return k
        return None

    def _implied_close(self, name: str) -> int | None:
        """Index of the open element that starting `name` closes (HTML's implied end tags)."""
        if self.xml or self.foreign:
            return None
        closes, stops = _IMPLIED.get(name, (frozenset(), frozenset()))
        if name in _CLOSES_P:
            closes, stops = closes | {"p"}, stops | _SCOPE
        if not closes:
            return None
        for k in range(len(self.stack) - 1, -1, -1):
            if self.stack[k] in closes:
                return k
            if self.stack[k] in stops:
                return None
        return None

    def _pushes(self, token: Token) -> bool:
        if token.name in _VOID and not self.foreign:
            return False
        return not (token.self_closing and (self.xml or self.foreign))

    # -- prose

    def _open_prose(self) -> Prose:
        if self.prose is None:
            self.prose = Prose(self.src, self._kind())
        return self.prose

    def _flush(self) -> None:
        if self.prose is not None:
            self.builder.prose(self.prose)
            self.prose = None

    # -- tokens

    def _handle(self, token: Token) -> None:
        if self.verbatim is not None:
            if self._inside_verbatim(token):
                return
            self._end_verbatim(token.start)
        if token.type == "text":
            self._open_prose().add_text(token.start, token.end)
        elif token.type == "comment":
            self._open_prose().add_tag(Tag("empty", token.start, token.end, "!--", "comment"))
        elif token.type == "markup":
            self._flush()
        elif token.type == "start":
            self._start(token)
        else:
            self._end(token)

    def _inside_verbatim(self, token: Token) -> bool:
        """Does the token belong to the element kept verbatim? (Its own end tag does; an end
        tag of an element around it, or a start tag that implies its end, does not.)"""
        assert self.verbatim is not None
        depth = self.verbatim.depth
        if token.type == "end":
            k = self._find(token.name)
            if k is None:
                return True
            if k < depth:
                return False
            self._pop_to(k)
            if k == depth:
                self._end_verbatim(token.end)
            return True
        if token.type == "start":
            k = self._implied_close(token.name)
            if k is not None and k <= depth:
                return False
            if k is not None:
                self._pop_to(k)
            if self._pushes(token):
                self._push(token.name)
        return True

    def _end_verbatim(self, end: int) -> None:
        assert self.verbatim is not None
        v, self.verbatim = self.verbatim, None
        self._pop_to(v.depth)
        if not v.inline:
            return
        name = v.token.name
        words = _verbatim_text(self.src, v.start, end) if name in _WORDLIKE or name in _INLINE_PAIRED else ""
        word = any(ch.isalnum() for ch in words) and name not in ("sup", "sub")
        if name in ("code", "kbd", "samp", "var"):
            about = f"code, kept as written: {_short(words, 40)}"
        elif words:
            about = f"kept as written: {_short(words, 40)}"
        else:
            about = f"<{name}> kept as written"
        self._open_prose().add_tag(Tag("empty", v.start, end, name, about, word=word))

    def _root(self, token: Token) -> None:
        """The root element's language becomes the target language (added when missing)."""
        self.root_seen = True
        found = False
        for attr in token.attrs:
            if attr.name in ("lang", "xml:lang"):
                found = True
                if attr.value_start < 0:
                    self.builder.lang_spot(attr.name_end, attr.name_end, '="{}"')
                else:
                    self.builder.lang_spot(attr.value_start, attr.value_end, "{}")
        if not found:
            extra = ' lang="{}" xml:lang="{}"' if self.xml else ' lang="{}"'
            self.builder.lang_spot(token.name_end, token.name_end, extra)

    def _start(self, token: Token) -> None:
        name, src = token.name, self.src
        k = self._implied_close(name)
        if k is not None:
            self._pop_to(k)
        if name == "html" and not self.root_seen:
            self._root(token)
        pushes = self._pushes(token)
        if name in _VERBATIM_INLINE or name in _VERBATIM_BLOCK or _says_no(src, token):
            inline_element = name not in _VERBATIM_BLOCK and (
                name in _VERBATIM_INLINE or name in _INLINE_PAIRED or name in _INLINE_VOID)
            if not inline_element:
                self._flush()
            if pushes:
                self._push(name)
            self.verbatim = _Verbatim(len(self.stack) - 1, token.start, inline_element, token)
            if not pushes:
                self._end_verbatim(token.end)
            return
        regions = self._regions(token)
        if name in _INLINE_PAIRED and pushes:
            self._open_prose().add_tag(Tag("open", token.start, token.end, name, _about(src, token), regions))
            self._push(name)
        elif name in _INLINE_PAIRED or name in _INLINE_VOID:
            self._open_prose().add_tag(Tag("empty", token.start, token.end, name, _about(src, token), regions))
        else:
            self._flush()
            kind = "meta" if name == "meta" else "attribute"
            for attr in regions:
                self.builder.attribute(attr, kind)
            if pushes:
                self._push(name)

    def _end(self, token: Token) -> None:
        name = token.name
        k = self._find(name)
        if name in _INLINE_PAIRED:
            self._open_prose().add_tag(Tag("close", token.start, token.end, name, ""))
        elif name == "br":  # </br> is a line break to browsers
            self._open_prose().add_tag(Tag("empty", token.start, token.end, name, _ABOUT["br"]))
        else:
            self._flush()
        if k is not None:
            self._pop_to(k)

    def _regions(self, token: Token) -> list[Attr]:
        """The attributes of this tag that people read."""
        src = self.src
        regions = []
        seen: set[str] = set()
        for attr in token.attrs:
            if attr.name in seen:
                continue
            seen.add(attr.name)
            if attr.name in _TRANSLATED_ATTRIBUTES:
                regions.append(attr)
        if token.name == "meta":
            key = (attr_value(src, token, "name") or attr_value(src, token, "property") or "").strip().lower()
            content = attribute(token, "content")
            if key in _TRANSLATED_META and content is not None:
                regions.append(content)
        return regions


# -- bytes in, bytes out -----------------------------------------------------------------------

_XML_DECLARATION = re.compile(rb"""\s*<\?xml[^>]*?encoding\s*=\s*["']([A-Za-z0-9_.:-]+)["']""")
_META_CHARSET = re.compile(rb"""<meta\b[^>]*?charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.IGNORECASE)
_BYTE_COMMENT = re.compile(rb"<!--.*?-->", re.DOTALL)
_PRESCAN = 64 * 1024  # bytes searched for a declared charset (browsers look at 1,024)
_LOOKS_LIKE_MARKUP = re.compile(r"<[A-Za-z!?/]")


def _declared_encoding(data: bytes, name: str) -> tuple[str, str | None]:
    """(Python codec, the label the page declared or None) from its BOM, XML declaration or
    `<meta charset>`; UTF-8 when it declares none."""
    if data.startswith(codecs.BOM_UTF8):
        return "utf-8", "UTF-8"
    if data.startswith(codecs.BOM_UTF16_LE):
        return "utf-16-le", "UTF-16"
    if data.startswith(codecs.BOM_UTF16_BE):
        return "utf-16-be", "UTF-16"
    head = data[:_PRESCAN]
    found = _XML_DECLARATION.match(head) or _META_CHARSET.search(_BYTE_COMMENT.sub(b"", head))
    if found is None:
        return "utf-8", None
    label = found.group(1).decode("ascii")
    try:
        codec = codecs.lookup(label).name
    except LookupError:
        raise InputError(f"{name} declares the charset {label!r}, which is unknown; convert it to "
                         'UTF-8 and declare <meta charset="utf-8">') from None
    if codec.startswith(("utf-16", "utf-32")):  # a BOM-less page that says UTF-16 is ASCII-based
        codec = "utf-8"
    if codec in ("ascii", "latin-1", "iso8859-1"):  # what browsers read them as (WHATWG)
        codec = "cp1252"
    return codec, label


def decode_markup(data: bytes, name: str) -> tuple[str, str]:
    """The page as text, and the codec to write it back with; InputError for what is not an
    HTML or XML page (binary content, a broken encoding, no markup at all)."""
    codec, label = _declared_encoding(data, name)
    nul = -1 if codec.startswith("utf-16") else data.find(b"\x00")
    if nul >= 0:
        raise InputError(f"{name} is not an HTML file (a NUL byte at offset {nul}); "
                         "translate the document it was exported from")
    try:
        try:
            text = data.decode(codec)
        except UnicodeDecodeError:
            if codec != "cp1252":
                raise
            codec = "latin-1"  # it uses one of the five bytes windows-1252 leaves undefined
            text = data.decode(codec)
    except UnicodeDecodeError as exc:
        if label is None:
            raise InputError(f"{name} is not UTF-8 text (bad byte at offset {exc.start}) and declares "
                             "no other charset; convert it to UTF-8 or declare its charset with "
                             "<meta charset=...>") from None
        raise InputError(f"{name} is not valid {label} text as it declares (bad byte at offset "
                         f"{exc.start}); correct its charset declaration") from None
    nul = text.find("\x00")
    if nul >= 0:
        raise InputError(f"{name} is not an HTML file (a NUL character at offset {nul}); "
                         "translate the document it was exported from")
    if not text.strip().lstrip("\ufeff").strip():
        raise InputError(f"{name} is empty; there is nothing to translate")
    if not _LOOKS_LIKE_MARKUP.search(text):
        raise InputError(f"{name} has no markup at all, so it is not HTML; name it .txt to "
                         "translate it as plain text")
    return text, codec


def parse_text(text: str, name: str, fmt: str, encoding: str, *, lang: str = "en",
               xml: bool = False) -> Document:
    """A decoded page as literals and sentence slots (the EPUB adapter calls this too)."""
    builder = Builder(text, name, fmt, lang)
    Walker(text, builder, xml=xml).walk(1 if text.startswith("\ufeff") else 0)
    return builder.document(encoding)


def render_text(document: Document, translations: Sequence[str], lang: str | None = None) -> str:
    """The page with each slot's translation, as text (not yet encoded), its root's language
    `lang` (None: as it was)."""
    state = document.state
    if not isinstance(state, HtmlState):
        raise TypeError(f"{document.name}: not a document parsed by the HTML adapter")
    segments = document.segments()
    if len(translations) != len(segments):
        raise ValueError(f"{document.name}: {len(translations)} translations for {len(segments)} segments")
    changed = [t != s.text for t, s in zip(translations, segments)]
    attrs: dict[int, str] = {}
    for i, slot in enumerate(state.slots):
        if slot.kind == "attr":
            attrs[i] = _escape_attribute(translations[i], slot.quote) if changed[i] else slot.source

    def text_slot(i: int) -> str:
        slot, segment = state.slots[i], segments[i]
        inner = [piece for template in slot.markup.values() for piece in template if isinstance(piece, int)]
        if not changed[i] and not any(changed[k] for k in inner):
            return slot.source

        def markup(tag: InlineTag) -> str:
            template = slot.markup.get(inline.marker(tag))
            if template is None:
                return tag.markup
            return "".join(attrs[piece] if isinstance(piece, int) else piece for piece in template)

        return _fill(translations[i], segment.tags, markup)

    out: list[str] = []
    index = 0
    target = lang.replace("_", "-") if lang else None
    for n, part in enumerate(document.parts):
        if isinstance(part, Segment):
            slot = state.slots[index]
            if slot.kind == "text":
                out.append(text_slot(index))
            elif not slot.inner:
                out.append(attrs[index])
            index += 1
        elif n in state.lang_parts and target is not None:
            out.append(state.lang_parts[n].replace("{}", html.escape(target)))
        else:
            out.append(part)
    return "".join(out)


def _escape_text(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _escape_attribute(text: str, quote: str) -> str:
    text = _escape_text(text)
    if quote == "'":
        return text.replace("'", "&#39;")
    text = text.replace('"', "&quot;")
    return text if quote else f'"{text}"'


def _fill(text: str, tags: Sequence[InlineTag], markup: Callable[[InlineTag], str]) -> str:
    """The translation as HTML: its text escaped, its markers replaced by their markup."""
    known = {inline.marker(tag) for tag in tags}
    pieces: list[str] = []
    last = 0
    for m in inline.MARKER.finditer(text):
        pieces.append(_escape_text(text[last:m.start()]))
        pieces.append(m.group() if m.group() in known else _escape_text(m.group()))
        last = m.end()
    pieces.append(_escape_text(text[last:]))
    return inline.fill("".join(pieces), tags, markup)


class Html:
    """The document adapter for HTML and XHTML pages."""

    name = "html"
    suffixes = (".html", ".htm", ".xhtml")
    kind: Literal["document"] = "document"

    def parse(self, data: bytes, name: str, *, lang: str = "en") -> Document:
        text, encoding = decode_markup(data, name)
        xml = name.lower().endswith(".xhtml") or text.lstrip("\ufeff").startswith("<?xml")
        return parse_text(text, name, self.name, encoding, lang=lang, xml=xml)

    def render(self, document: Document, translations: Sequence[str], *, lang: str | None = None) -> bytes:
        state = document.state
        assert isinstance(state, HtmlState)
        return render_text(document, translations, lang).encode(state.encoding, "xmlcharrefreplace")


ADAPTER = Html()
