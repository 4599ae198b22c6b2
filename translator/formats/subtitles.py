"""What SRT and WebVTT share: cues whose text is translated and re-broken, everything else kept.

A subtitle file is kept byte for byte except the text of its cues: numbers, identifiers, timing
lines (with their settings and whatever odd timestamp format they use), header, NOTE, STYLE and
REGION blocks, blank lines, a block without timing, line endings, a byte-order mark and the
absence of a final newline all come back as they were. The two formats differ only in how a
file is cut into cues (`srt.py`, `vtt.py`) and in which entities they write.

A cue's text is read in *runs*: consecutive lines that belong together. A line that starts a new
speaker (a dialogue dash "- ", a WebVTT `<v Name>`) starts a new run; the other lines of a run
are joined with spaces, cut into sentences (`translator.formats.tagged`, so a tag pair is never
cut in two) and each sentence is one segment. Inline tags (`<i>`, `<b>`, `<u>`, `<font>`,
`<a href>`, `<c.class>`, `<v Name>`, `<lang>`, `<ruby>`, timestamps `<00:01.000>`, `{\\an8}`)
become markers; those around a whole run (`<i>...</i>`, a leading `<v Name>`) stay outside the
sentence, where the model cannot move them. Entities (`&lt;`, `&amp;`, ...) are decoded for the
model and written again on the way out.

Rendering puts the translated sentences of a run back together and breaks them into as many
lines as the run had, as even in width as can be (Chinese counts two columns a character and
may break between characters, never before closing punctuation); each line keeps the leading
and trailing whitespace its source line had. A run whose sentences all come back unchanged is
copied as it was, line breaks included. Only a translation with fewer words than the run had
lines gets fewer lines (a blank line would end the cue).
"""
from __future__ import annotations

import bisect
import html
import itertools
import math
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass

from ..document import Document, Segment
from ..errors import InputError
from ..files import decode_text
from . import TextAdapter
from .tagged import Decoded, Sentence, Slot, Tag, filled, sentences

__all__ = ["Line", "SubtitleAdapter", "split_lines"]

_LINE_END = re.compile(r"\r\n|\r|\n")
_ENTITY = re.compile(r"&(?:#[0-9]{1,7}|#[xX][0-9a-fA-F]{1,6}|[A-Za-z][A-Za-z0-9]{1,31});")
# Markup inside cue text: HTML-like tags (SRT's <i> <b> <u> <font> and stray <a href>, WebVTT's
# <c.x> <v Name> <lang xx> <ruby> <rt>), WebVTT timestamps <00:01.000> and SSA override codes
# {\an8} that many SRT files carry.
_TAG = re.compile(r"</?[A-Za-z][^<>\r\n]*>|<[0-9][0-9:.]*>|\{\\[^{}\r\n]*\}")
_TAG_NAME = re.compile(r"</?([A-Za-z][A-Za-z0-9]*)")
# A line that starts a new speaker inside a cue: a dialogue dash, or a WebVTT voice tag.
_NEW_SPEAKER = re.compile(r"(?:(?:<(?!v[\s.>])[^<>]*>|\{\\[^{}]*\})*[-‐–—](?=[\s\w¿¡\"“'‘]))|<v[\s.>]")
_DASH = re.compile(r"(?:<[^<>]*>|\{\\[^{}]*\})*[-‐–—][ \t]*")
_CJK = re.compile(r"[\u2e80-\u9fff\uac00-\ud7af\uf900-\ufaff\uff00-\uffef\U00020000-\U0003ffff]")
_NO_BREAK_BEFORE = frozenset("，。、！？：；）」』】》〉…—,.!?:;)]}%”’")
_NO_BREAK_AFTER = frozenset("（「『【《〈“‘([{")
_PHRASE_END = frozenset(",.;:!?…，。；：！？、")
_MID_PHRASE = 4  # columns: how much wider a line may be to break after punctuation instead
_SPACE_RUN = re.compile("[ \t\r\n\f\v\u2028\u2029]+")  # a translation stays on one line


@dataclass(frozen=True)
class Line:
    """One line of the file: its content [start, end) and where the next line starts."""

    start: int
    end: int
    next: int


def split_lines(text: str) -> list[Line]:
    """The lines of a subtitle file, ended by CRLF, LF or a lone CR."""
    lines: list[Line] = []
    start = 0
    for m in _LINE_END.finditer(text):
        lines.append(Line(start, m.start(), m.end()))
        start = m.end()
    if start < len(text) or not lines:
        lines.append(Line(start, len(text), len(text)))
    return lines


@dataclass(frozen=True)
class _Run:
    """Lines of one cue read as one stretch of text, and the sentences found in them."""

    start: int  # the run's text: from its first line's first non-space character...
    end: int  # ...to its last line's last one
    lines: int  # how many lines it has
    leads: tuple[str, ...]  # each line's leading whitespace (the first line's is outside the run)
    trails: tuple[str, ...]  # each line's trailing whitespace (the last line's is outside)
    newline: str  # what ends its lines
    slots: tuple[Slot, ...]


@dataclass(frozen=True)
class _State:
    text: str
    runs: tuple[_Run, ...]
    escaped: frozenset[str]  # characters the file writes as entities in its cue text


def _decode(raw: str, start: int, end: int, into: Decoded) -> None:
    """Cue text without its entities (`&lt;` -> "<"); an unknown entity stays as written."""
    at = start
    for m in _ENTITY.finditer(raw, start, end):
        char = html.unescape(m.group(0))
        if char == m.group(0) or len(char) != 1:
            continue
        into.add_plain(at, raw[at:m.start()])
        into.add_coded(m.start(), m.end(), char)
        at = m.end()
    into.add_plain(at, raw[at:end])


def _tags(text: str, start: int, end: int) -> list[Tag]:
    """The inline tags of text[start:end], each open tag paired with its closing tag by name."""
    found: list[Tag] = []
    open_tags: list[tuple[str, int]] = []
    partners: dict[int, int] = {}
    for m in _TAG.finditer(text, start, end):
        markup = m.group(0)
        name_match = _TAG_NAME.match(markup)
        index = len(found)
        found.append(Tag(m.start(), m.end(), "empty", None, _about(markup)))
        if name_match is None or markup.endswith("/>"):
            continue
        name = name_match.group(1).lower()
        if not markup.startswith("</"):
            open_tags.append((name, index))
            continue
        for k in range(len(open_tags) - 1, -1, -1):
            if open_tags[k][0] == name:
                opener = open_tags[k][1]
                del open_tags[k:]
                partners[opener], partners[index] = index, opener
                break
    return [Tag(t.start, t.end, "open" if partners.get(i, i) > i else "close", partners[i], t.about)
            if i in partners else t for i, t in enumerate(found)]


def _about(markup: str) -> str:
    """What a tag is, for the reviewer's note in the catalog."""
    names = {"i": "italic", "b": "bold", "u": "underline", "v": "voice", "c": "class span",
             "font": "font", "a": "link", "lang": "language span", "ruby": "ruby", "rt": "ruby text"}
    if markup.startswith("{"):
        return f"override code {markup}"
    if markup[1:2].isdigit():
        return f"timestamp {markup[1:-1]}"
    match = _TAG_NAME.match(markup)
    name = match.group(1).lower() if match else ""
    detail = markup.strip("</>")[len(name):].strip(" .")
    label = names.get(name, f"<{name}>")
    return f"{label} {detail}".strip() if detail else label


def _width(char: str) -> int:
    if unicodedata.combining(char):
        return 0
    return 2 if unicodedata.east_asian_width(char) in ("W", "F") else 1


class SubtitleAdapter(TextAdapter):
    """Base of the SRT and WebVTT adapters: `payloads` says which lines are cue text."""

    escape_always: frozenset[str] = frozenset()  # characters always written as entities

    def payloads(self, text: str, lines: list[Line], name: str) -> list[list[int]]:
        """For each cue, the indexes of its text lines; InputError when the file is not one."""
        raise NotImplementedError

    def parse(self, data: bytes, name: str, *, lang: str = "en") -> Document:
        text = decode_text(data, name)
        if data.startswith(b"\xef\xbb\xbf"):  # decode_text drops it; the output keeps it
            text = "\ufeff" + text
        return self.parse_text(text, name, lang=lang)

    def parse_text(self, text: str, name: str, *, lang: str = "en") -> Document:
        lines = split_lines(text)
        starts = [line.start for line in lines]
        segments: list[Segment] = []
        runs: list[_Run] = []
        for payload in self.payloads(text, lines, name):
            for group in self._runs(text, lines, payload):
                run, found = self._run(text, lines, group, lang, len(segments))
                for sentence in found:
                    segments.append(Segment(sentence.text,
                                            bisect.bisect_right(starts, sentence.start),
                                            "cue", sentence.tags))
                runs.append(run)
        parts: list[str | Segment] = []
        done = 0
        slots = [slot for run in runs for slot in run.slots]
        for slot in slots:
            if slot.start > done:
                parts.append(text[done:slot.start])
            parts.append(segments[slot.index])
            done = slot.end
        if done < len(text):
            parts.append(text[done:])
        escaped = frozenset(html.unescape(m.group(0)) for run in runs
                            for m in _ENTITY.finditer(text, run.start, run.end))
        return Document(name, self.name, parts, _State(text, tuple(runs), escaped & set("<>&")))

    @staticmethod
    def _runs(text: str, lines: list[Line], payload: list[int]) -> list[list[int]]:
        """The payload's lines cut where a new speaker starts; lines with no text left out."""
        groups: list[list[int]] = []
        for i in payload:
            content = text[lines[i].start:lines[i].end].strip()
            if not content:
                continue
            if not groups or _NEW_SPEAKER.match(content):
                groups.append([i])
            else:
                groups[-1].append(i)
        return groups

    @staticmethod
    def _run(text: str, lines: list[Line], group: list[int], lang: str,
             first: int) -> tuple[_Run, list[Sentence]]:
        spans = []
        for i in group:
            a, b = lines[i].start, lines[i].end
            content = text[a:b]
            stripped = content.strip()
            lead = len(content) - len(content.lstrip())
            spans.append((a, a + lead, a + lead + len(stripped), b))
        start, end = spans[0][1], spans[-1][2]
        # A speaker's dash (after any tags: "<i>- Yes.</i>") is no part of what they say; the
        # tags before it pair with none in the sentence.
        dash = _DASH.match(text, start, end)
        begin = dash.end() if dash else start
        tags = _tags(text, begin, end)
        found = sentences(text, begin, end, tags, _decode, lang)
        newline = text[lines[group[0]].end:lines[group[0]].next] if len(group) > 1 else "\n"
        run = _Run(start, end, len(group),
                   tuple(text[a:c] for a, c, _, _ in spans), tuple(text[d:b] for _, _, d, b in spans),
                   newline, tuple(Slot(s.start, s.end, first + k) for k, s in enumerate(found)))
        return run, found

    def render(self, document: Document, translations: Sequence[str], *,
               lang: str | None = None) -> bytes:
        state = document.state
        if not isinstance(state, _State):
            return super().render(document, translations)
        segments = document.segments()
        if len(translations) != len(segments):
            raise ValueError(f"{document.name}: {len(translations)} translations for "
                             f"{len(segments)} segments")
        text = state.text
        out: list[str] = []
        done = 0
        for run in state.runs:
            given = [_SPACE_RUN.sub(" ", translations[s.index]).strip(" ") for s in run.slots]
            if all(t == segments[s.index].text for t, s in zip(given, run.slots)):
                continue  # nothing changed: the run stays as it was, line breaks and all
            written = self._rebroken(text, run, given, segments, state.escaped)
            if written is None:
                continue
            out += [text[done:run.start], written]
            done = run.end
        out.append(text[done:])
        return "".join(out).encode("utf-8")

    def _escape(self, escaped: frozenset[str]) -> _Escaper:
        return _Escaper(escaped | self.escape_always)

    def _rebroken(self, text: str, run: _Run, given: list[str], segments: list[Segment],
                  escaped: frozenset[str]) -> str | None:
        """The run's sentences, translated, broken into as many lines as the run had."""
        escape = self._escape(escaped)
        pieces: list[tuple[str, bool]] = []  # (text, is markup)
        breakable: list[bool] = []  # per piece: may a line break at its spaces?
        done = run.start
        for k, (slot, translation) in enumerate(zip(run.slots, given)):
            gap = _layout_collapsed(text[done:slot.start])
            for piece in _raw_pieces(gap):
                pieces.append(piece)
                breakable.append(k > 0)
            segment = segments[slot.index]
            if translation == segment.text:
                own = _raw_pieces(_layout_collapsed(text[slot.start:slot.end]))
            else:
                own = filled(translation, segment.tags, escape)
            pieces += own
            breakable += [True] * len(own)
            done = slot.end
        for piece in _raw_pieces(_layout_collapsed(text[done:run.end])):
            pieces.append(piece)
            breakable.append(False)
        if not any(not markup and piece.strip() for piece, markup in pieces):
            return None  # nothing left to show: keep the source rather than blank the cue
        lines = _break_lines(pieces, breakable, run.lines)
        out = [lines[0]]
        for k in range(1, len(lines)):
            out += [run.trails[k - 1], run.newline, run.leads[k], lines[k]]
        return "".join(out)


class _Escaper:
    """Writes characters of a translation that cue text cannot hold as they are as entities."""

    def __init__(self, escaped: frozenset[str]) -> None:
        self.escaped = escaped

    def __call__(self, text: str) -> str:
        if "&" in self.escaped:
            text = text.replace("&", "&amp;")
        if "<" in self.escaped:
            text = text.replace("<", "&lt;")
        else:  # a "<" that would start a tag is never written bare
            text = re.sub(r"<(?=[A-Za-z/0-9])", "&lt;", text)
        if ">" in self.escaped:
            text = text.replace(">", "&gt;")
        return text


def _layout_collapsed(text: str) -> str:
    return re.sub(r"[ \t]*(?:\r\n|\r|\n)[ \t]*|[ \t]{2,}", " ", text)


def _raw_pieces(text: str) -> list[tuple[str, bool]]:
    """Source cue text as pieces of text and markup."""
    pieces: list[tuple[str, bool]] = []
    last = 0
    for m in _TAG.finditer(text):
        if m.start() > last:
            pieces.append((text[last:m.start()], False))
        pieces.append((m.group(0), True))
        last = m.end()
    if last < len(text):
        pieces.append((text[last:], False))
    return pieces


def _break_lines(pieces: list[tuple[str, bool]], breakable: list[bool], count: int) -> list[str]:
    """The pieces as `count` lines (fewer only when there are not enough places to break), each
    as close to the same width as the places allow."""
    chars: list[str] = []
    widths: list[int] = []
    may_break: list[bool] = []  # a break may replace this character (a space) or precede it
    spaces: list[bool] = []
    for (piece, markup), can in zip(pieces, breakable):
        for char in piece:
            chars.append(char)
            widths.append(0 if markup else _width(char))
            spaces.append(not markup and char == " ")
            may_break.append(can and not markup)
    text = "".join(chars)
    candidates: list[tuple[int, int]] = []  # (line ends here, next line starts here)
    for i, char in enumerate(chars):
        if not may_break[i] or i == 0:
            continue
        if spaces[i]:
            candidates.append((i, i + 1))
        elif (_CJK.match(char) or _CJK.match(chars[i - 1])) and not spaces[i - 1] \
                and may_break[i - 1] and char not in _NO_BREAK_BEFORE \
                and chars[i - 1] not in _NO_BREAK_AFTER:
            candidates.append((i, i))
    prefix = [0]
    for w in widths:
        prefix.append(prefix[-1] + w)
    after = [text[end - 1] if end > 0 else "" for end, _ in candidates]
    cuts = _balanced_cuts(candidates, prefix, after, min(count - 1, len(candidates)))
    lines: list[str] = []
    start = 0
    for end, nxt in cuts:
        lines.append(text[start:end].rstrip(" "))
        start = nxt
    lines.append(text[start:].lstrip(" ") if cuts else text[start:])
    return [line for line in lines if line] or [text]


def _balanced_cuts(candidates: list[tuple[int, int]], prefix: list[int], after: list[str],
                   breaks: int) -> list[tuple[int, int]]:
    """`breaks` of the candidates that make the widest line as narrow as possible, counting a
    break that does not follow punctuation as wider (by a sixth of the text, at least
    `_MID_PHRASE` columns); then the most even
    widths (least sum of squares). `after[k]` is the character before candidate k."""
    if breaks <= 0:
        return []
    total = prefix[-1]
    if math.comb(len(candidates), breaks) > 100_000:  # far longer than any real cue
        chosen: list[tuple[int, int]] = []
        for k in range(1, breaks + 1):
            target = total * k / (breaks + 1)
            later = [c for c in candidates if not chosen or c[0] > chosen[-1][1]]
            if later:
                chosen.append(min(later, key=lambda c: abs(prefix[c[0]] - target)))
        return chosen
    mid_phrase = max(_MID_PHRASE, total // 6)
    best: tuple[int, int] | None = None
    best_cuts: tuple[int, ...] = ()
    for cuts in itertools.combinations(range(len(candidates)), breaks):
        widths, start = [], 0
        for k in cuts:
            widths.append(prefix[candidates[k][0]] - prefix[start])
            start = candidates[k][1]
        widths.append(total - prefix[start])
        penalty = sum(mid_phrase for k in cuts if after[k] not in _PHRASE_END)
        score = (max(widths) + penalty, sum(w * w for w in widths))
        if best is None or score < best:
            best, best_cuts = score, cuts
    return [candidates[k] for k in best_cuts]


def refuse(name: str, what: str) -> InputError:
    """The one-line error for a file that is not the subtitle format its name says."""
    return InputError(f"{name}: {what}")
