"""Source-language detection: a word-count test for plain English, langdetect for the rest.

Nearly every input of this tool is English news, and langdetect costs a third of a second to load
its profiles plus a few milliseconds per document; English prose is recognised for free by its
function words. Only text that is not clearly English goes to langdetect (seeded, so the same text
always gets the same answer).
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from .languages import from_langdetect

# Below these, langdetect's guesses on news text are unreliable (short headlines flip between
# languages), so the caller falls back to the language it expects.
MIN_CHARS = 40
MIN_PROBABILITY = 0.90
SAMPLE_CHARS = 4000

# Frequent in English prose, rare elsewhere (no "in", "is", "on", "as", "of", "was", "will", "a":
# common words of German, Dutch, Italian, French or Portuguese too). They are 15-25% of the words
# of the seed articles and never under 5% of a paragraph of English; FOREIGN_WORDS, the commonest
# short words of the other Latin-script languages, keep a mixed text away from the shortcut.
ENGLISH_WORDS = frozenset(
    "the and that for with from his her has have are were which this their its been who not but "
    "they after would about there when than also said".split()
)
FOREIGN_WORDS = frozenset(
    "de la el los las que del por con una para der die das und den ist nicht het een van og och "
    "som til il di che della le les des et est pour dans não uma com zu".split()
)
ENGLISH_SHARE = 0.05
FOREIGN_SHARE = 0.02
MIN_WORDS = 20
_WORD = re.compile(r"\w+")


# What tells nothing about a text's language: links, code, markup, numbers, and names (a capital
# letter after another word: "Andrés Manuel López Obrador" would make a table of names Spanish).
_NOT_PROSE = re.compile(
    r"https?://\S+|www\.\S+|\S+@\S+\.\w+|`[^`]*`|<[^<>]*>|\d[\d.,:/%-]*"
    r"|(?<=[\w,;:)\]] )[A-ZÀ-Þ][\w'’-]*"
)
# Sentence kinds that are tables of data rather than prose.
NOT_PROSE_KINDS = frozenset({"table_cell"})


def prose_sample(sentences: list[str]) -> str:
    """The words of `sentences` that say which language they are in."""
    return " ".join(" ".join(_NOT_PROSE.sub(" ", s).split()) for s in sentences)


def could_be_english(text: str) -> bool:
    """A weaker test than `clearly_english`: English function words are present at all, and
    more often than the other languages' (a short or list-like English text, say)."""
    words = [w.lower() for w in _WORD.findall(text)]
    english = sum(w in ENGLISH_WORDS for w in words)
    foreign = sum(w in FOREIGN_WORDS for w in words)
    return english >= max(2, FOREIGN_SHARE * len(words)) and english > foreign


def clearly_english(text: str) -> bool:
    """True when English function words are common and other languages' ones next to absent."""
    words = [w.lower() for w in _WORD.findall(text)]
    if len(words) < MIN_WORDS:
        return False
    english = sum(w in ENGLISH_WORDS for w in words)
    foreign = sum(w in FOREIGN_WORDS for w in words)
    return english >= ENGLISH_SHARE * len(words) and foreign <= FOREIGN_SHARE * len(words)


@dataclass(frozen=True)
class Detection:
    code: str | None  # Argos language code, or None when the text is too short or ambiguous


def detect_language(text: str, min_chars: int = MIN_CHARS) -> Detection:
    """Best guess of the language of `text`, or code None when no guess is trustworthy."""
    sample = text[:SAMPLE_CHARS]
    if len(sample.strip()) < min_chars:
        return Detection(None)
    if clearly_english(sample):
        return Detection("en")
    from langdetect import DetectorFactory, detect_langs
    from langdetect.lang_detect_exception import LangDetectException

    DetectorFactory.seed = 0
    try:
        best = detect_langs(sample)[0]
    except LangDetectException:
        return Detection(None)
    if best.prob < MIN_PROBABILITY:
        return Detection(None)
    return Detection(from_langdetect(best.lang))
