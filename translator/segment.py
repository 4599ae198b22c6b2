"""Sentence splitting that keeps the text's shape.

The translator sends sentences, not paragraphs, to the model (shorter inputs decode faster and
batch better), and it must put the translations back without moving a single space or line
break. So the splitter answers with character spans into the original text instead of sentence
strings: whatever lies between two spans is whitespace that the caller copies verbatim.

Long paragraphs cost linear time and bounded memory: pysbd, whose time grows with the square of
its input, sees windows of at most `WINDOW` characters cut at a likely sentence end, and no
sentence is longer than `MAX_SENTENCE` characters (a longer stretch, such as a 20 MB line with no
punctuation, is cut at its best inner boundary: a clause mark, else a space, else anywhere).

pysbd does the linguistic work (abbreviations, initials, decimals, quotes, parentheses,
ellipses). Its own `char_span` output is not trusted: it includes trailing whitespace, drops a
sentence whose text it altered, and can map a repeated sentence onto an earlier occurrence. We
therefore only take the *boundaries* from pysbd and rebuild every span from the original text.
"""
from __future__ import annotations

import re
from collections import deque
from collections.abc import Iterator
from typing import Any

__all__ = ["split_sentences"]

# pysbd temporarily replaces punctuation inside abbreviations, numbers and quotes by these rare
# characters and replaces them back at the end, so a text that already contains one comes back
# altered. They are masked with an inert letter of the same length before pysbd sees the text:
# offsets stay valid and only the boundaries are used.
_PYSBD_PLACEHOLDERS = "∯♟♝ǃ♨☝ƪᓴᓷ✂☏☉☈☇☄∮ȹȸ⎋⌬ᓸᓳᓱᓰ♭♬"
_MASK = str.maketrans({ch: "x" for ch in _PYSBD_PLACEHOLDERS})

# Abbreviations that announce a number ("Vol. 3", "No. 5", "Nov. 16"): pysbd knows some of
# them, and a sentence does not end between one of them and the digits that follow.
_NUMBER_ABBREVIATIONS = frozenset(
    "no nos vol vols art arts fig figs p pp ch chap sec sect para eq op ed ca approx tel ext jan "
    "feb mar apr jun jul aug sep sept oct nov dec".split()
)
_WORD_BEFORE_CUT = re.compile(r"(?<![\w.])(\w+)\.\Z")
# A text whose every line has at most one run of sentence-final punctuation, at its end, has no
# boundary for pysbd to find (about half the paragraphs of news: headlines, datelines,
# one-sentence paragraphs); pysbd costs about a millisecond per paragraph, this test microseconds.
# Other line breaks (\r, \u2028...) are left to pysbd, which splits at some of them.
_INNER_STOP = re.compile(r"""[.!?…。！？](?![.!?…。！？"'”’)\]]*[ \t]*(?:\n|\Z))"""
                         "|[\r\x0b\x0c\x1c-\x1e\x85\u2028\u2029]")
_FALLBACK_BOUNDARY = re.compile(r"""[.!?…]+["'”’)\]]*(?=\s+["'“‘(\[]?[A-Z0-9])""")

# Writing systems that put no space between sentences: a boundary with no whitespace around
# it is normal there, while in English it means pysbd split inside something like "left.(Then".
_UNSPACED_LANGUAGES = frozenset({"zh", "ja", "my"})

_segmenters: dict[str, Any] = {}

# English text made of words (letters, digits, an apostrophe inside a word), spaces and
# , : ; % -, whose every inner stop follows a lower-case word and precedes a space and a capital
# ("The file was saved. Please try again."), has only the boundaries anyone would see, and pysbd
# finds exactly those: it is split here, twenty times faster (7 us against pysbd's 150 us a
# message, which was most of the time a 50 MB catalog spent outside the model). A stop after a
# word pysbd treats specially (its
# abbreviations, a single letter, a roman numeral, an exclamation word) or anything else in the
# text (quotes, brackets, other punctuation) goes to pysbd.
# `tests/test_segment.py` checks the two agree on generated texts, `conformance/segmentation.py`
# on every paragraph and message of the corpus.
_PLAIN_CHAR = r"[^\W_]|[ ,:;%\-]|(?<=[^\W\d_])['’](?=[^\W\d_])"
_PLAIN_TEXT = re.compile(rf"(?:{_PLAIN_CHAR})+(?:[.?!](?:[ ]+[A-Z](?:{_PLAIN_CHAR})*)?)*\s*")
_PLAIN_STOP = re.compile(r"(?:(?<= )|(?<=\A))([a-z]+)[.?!](?=[ ]+[A-Z])|[.?!]")
_ROMAN_NUMERAL = re.compile(r"[ivxlcdm]+")
_special_words: frozenset[str] | None = None

WINDOW = 4_000  # characters pysbd sees at once (25 KB took it 0.3 s, 200 KB 17 s)
MAX_SENTENCE = 2_000  # characters; far above any real sentence, and far below a runaway line
_LINE_BREAK = re.compile("\n")
_CLAUSE_END = re.compile(r"[;:,–—，；：、]+(?=\s)|[。！？]")
_SPACE = re.compile(r"\s+")
_NEXT_CHAR = re.compile(r"[ \t]*(.?)", re.DOTALL)
_SOLID = re.compile(r"\S+")


def split_sentences(text: str, lang: str = "en") -> list[tuple[int, int]]:
    """(start, end) character spans of the sentences in `text`, in order, non-overlapping; every
    character outside the spans is whitespace and is kept verbatim by the caller.

    A line break always ends a sentence, because a line of its own is a headline, a dateline or
    a list entry more often than half a sentence; callers that know a paragraph was
    hard-wrapped join its lines with spaces first (see `translator.documents`). Spans never
    start or end with whitespace, and a text of whitespace only has no sentences.
    """
    cuts = {m.start() for m in _LINE_BREAK.finditer(text)}
    cuts.update(_sentence_ends(text, lang))
    spans: list[tuple[int, int]] = []
    start = 0
    for cut in sorted(cuts) + [len(text)]:
        span = _strip_span(text, start, cut)
        while span is not None and span[1] - span[0] > MAX_SENTENCE:
            inner = _best_cut(text, span[0], span[0] + MAX_SENTENCE)
            spans.append((span[0], inner))
            span = _strip_span(text, inner, span[1])
        if span is not None:
            spans.append(span)
        start = cut
    return spans


def _best_cut(text: str, start: int, limit: int) -> int:
    """Where to cut text[start:limit] when it cannot stay whole: after its last clause mark in
    the second half, else at its last space there, else at the limit (never before `start`)."""
    half = start + (limit - start) // 2
    clause = _last(_CLAUSE_END.finditer(text, half, limit))
    if clause is not None:
        return clause.end()
    space = _last(_SPACE.finditer(text, half, limit))
    return space.start() if space is not None and space.start() > start else limit


def _last(matches: Iterator[re.Match[str]]) -> re.Match[str] | None:
    found = deque(matches, maxlen=1)
    return found[0] if found else None


def _strip_span(text: str, start: int, end: int) -> tuple[int, int] | None:
    """Shrink [start, end) to its first and last non-whitespace characters, or None if blank."""
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return (start, end) if start < end else None


def _sentence_ends(text: str, lang: str) -> list[int]:
    """Offsets just after the last character of each sentence pysbd finds, corrected."""
    if not text or text.isspace() or not _INNER_STOP.search(text):
        return []
    ends: list[int] = []
    start = 0
    while start < len(text):
        stop, boundary = _window_end(text, start)
        found = [start + end for end in _pysbd_ends(text[start:stop], lang)]
        if not boundary:  # the window's end is only where pysbd had to stop reading
            found = [end for end in found if _strip_span(text, end, stop) is not None]
        ends += found
        start = stop
    return [end for end in ends if _is_real_boundary(text, end, lang)]


def _window_end(text: str, start: int) -> tuple[int, bool]:
    """The end of the window that starts at `start`, and whether it falls at a likely sentence
    end (a stop followed by a capital); the rest of the text when it fits in one window."""
    if len(text) - start <= WINDOW:
        return len(text), True
    half, limit = start + WINDOW // 2, start + WINDOW
    boundary = _last(_FALLBACK_BOUNDARY.finditer(text, half, limit))
    if boundary is not None:
        return boundary.end(), True
    return _best_cut(text, start, limit), False


def _pysbd_ends(text: str, lang: str) -> list[int]:
    """The sentence ends pysbd finds in one window, as offsets into it."""
    if text.isspace() or not _INNER_STOP.search(text):
        return []
    plain = _plain_ends(text) if lang == "en" else None
    if plain is not None:
        return plain
    masked = text.translate(_MASK)
    try:
        sentences = _segmenter(lang).processor(masked).process()
    except Exception:  # a bug in a third-party splitter must not stop a run
        return [m.end() for m in _FALLBACK_BOUNDARY.finditer(text)]
    return _align(masked, sentences)


def _plain_ends(text: str) -> list[int] | None:
    """The sentence ends of plain English text (see `_PLAIN_TEXT`), as pysbd gives them; None
    when the text is not that plain and pysbd must decide."""
    if not _PLAIN_TEXT.fullmatch(text):
        return None
    special = _special_words or _load_special_words()
    ends = []
    for stop in _PLAIN_STOP.finditer(text):
        if stop.end() == len(text) or text[stop.end():].isspace():
            break  # the text's own final stop
        word = stop.group(1)
        if word is None or len(word) < 2 or word in special or _ROMAN_NUMERAL.fullmatch(word):
            return None
        ends.append(stop.end())
    ends.append(len(text.rstrip()))
    return ends


def _load_special_words() -> frozenset[str]:
    """The words before a stop that pysbd reads specially in English, lower-cased."""
    global _special_words
    from pysbd.exclamation_words import ExclamationWords
    from pysbd.lang.english import English

    abbreviations = English.Abbreviation
    _special_words = frozenset(
        word.lower().rstrip("!") for word in (*abbreviations.ABBREVIATIONS,
                                              *abbreviations.PREPOSITIVE_ABBREVIATIONS,
                                              *abbreviations.NUMBER_ABBREVIATIONS,
                                              *ExclamationWords.EXCLAMATION_WORDS))
    return _special_words


def _segmenter(lang: str) -> Any:
    """pysbd's Segmenter for `lang`, built once: building it is cheap, importing pysbd is not."""
    segmenter = _segmenters.get(lang)
    if segmenter is None:
        import pysbd  # deferred: only runs that split text pay for the import

        try:
            segmenter = pysbd.Segmenter(language=lang, clean=False)
        except ValueError:  # a language pysbd has no rules for: English rules beat none
            segmenter = _segmenter("en")
        _segmenters[lang] = segmenter
    return segmenter


def _align(text: str, sentences: list[str]) -> list[int]:
    """Map pysbd's sentence strings back onto `text` by counting non-whitespace characters.

    pysbd normalises whitespace inside and around sentences, but with the placeholders masked
    it keeps every other character, so the n-th non-whitespace character of its output is the
    n-th of the input. When that does not hold, each sentence is searched for in order instead
    and a sentence that cannot be found simply does not end there.
    """
    if "".join(text.split()) == "".join("".join(s.split()) for s in sentences):
        # The n-th non-whitespace character, found word by word (not character by character).
        words = _SOLID.finditer(text)
        ends, count, seen, word = [], 0, 0, None
        for sentence in sentences:
            count += len("".join(sentence.split()))
            if not count:
                continue
            while seen < count:
                word = next(words)
                seen += word.end() - word.start()
            assert word is not None
            ends.append(word.end() - (seen - count))
        return ends
    ends, cursor = [], 0
    for sentence in sentences:
        sentence = sentence.strip()
        found = text.find(sentence, cursor) if sentence else -1
        if found >= 0:
            cursor = found + len(sentence)
            ends.append(cursor)
    return ends


def _is_real_boundary(text: str, end: int, lang: str) -> bool:
    """Veto the boundaries pysbd gets wrong in news text.

    - "…(LAC). in the new era": a sentence does not start with a lower-case letter;
    - "Vol. 3", "No. 5": an abbreviation that announces a number is not a sentence end;
    - "left.(Then": in a spaced language a boundary has whitespace after it.
    """
    if end >= len(text):
        return True
    if not text[end].isspace() and lang.split("-")[0] not in _UNSPACED_LANGUAGES:
        return False
    following = _NEXT_CHAR.match(text, end).group(1)  # type: ignore[union-attr]  # always matches
    if following.islower():
        return False
    word = _WORD_BEFORE_CUT.search(text[max(0, end - 12) : end])
    return not (word and word.group(1).lower() in _NUMBER_ABBREVIATIONS and following.isdigit())
