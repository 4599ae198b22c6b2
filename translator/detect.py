"""Source-language detection (langdetect, seeded so the same text always gets the same answer)."""
from __future__ import annotations

from dataclasses import dataclass

from .languages import from_langdetect

# Below these, langdetect's guesses on news text are unreliable (short headlines flip between
# languages), so the caller falls back to the language it expects.
MIN_CHARS = 40
MIN_PROBABILITY = 0.90
SAMPLE_CHARS = 4000


@dataclass(frozen=True)
class Detection:
    code: str | None  # Argos language code, or None when the text is too short or ambiguous
    probability: float


def detect_language(text: str, min_chars: int = MIN_CHARS) -> Detection:
    """Best guess of the language of `text`, or code None when no guess is trustworthy."""
    sample = text[:SAMPLE_CHARS]
    if len(sample.strip()) < min_chars:
        return Detection(None, 0.0)
    from langdetect import DetectorFactory, detect_langs
    from langdetect.lang_detect_exception import LangDetectException

    DetectorFactory.seed = 0
    try:
        best = detect_langs(sample)[0]
    except LangDetectException:
        return Detection(None, 0.0)
    if best.prob < MIN_PROBABILITY:
        return Detection(None, best.prob)
    return Detection(from_langdetect(best.lang), best.prob)
