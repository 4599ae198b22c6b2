"""Checks on machine output: each a small function returning a finding or None.

A check judges the model's own words (`model_text`: the output with glossary renderings and
protected spans taken out), so an approved Chinese rendering cannot make English output look
Chinese. `run_checks` collects the findings; an ``error`` finding flags the segment for review.
"""
from __future__ import annotations

import functools
import re
from collections.abc import Callable
from dataclasses import dataclass

from glossary.text import CJK

from .languages import CJK_LANGUAGES

ERROR, WARNING = "error", "warning"


@dataclass(frozen=True, slots=True)
class Finding:
    check: str
    severity: str
    message: str


@dataclass(frozen=True, slots=True)
class Segment:
    """What a check sees of one translated sentence."""

    source: str
    output: str  # the finished translation
    model_text: str  # the model's words only (renderings and protected spans removed)
    source_lang: str
    target_lang: str
    unchanged: bool = False  # the model gave back exactly what it was given
    cut_short: bool = False  # decoding stopped at its length bound, not at the sentence's end


_WORD = re.compile(r"[^\W\d_]{3,}")
_CJK = re.compile(f"[{CJK}]")
_LETTER = re.compile(r"[^\W\d_]")
_REPEAT_CJK = re.compile(f"([{CJK}]{{1,8}}?)\\1{{2,}}")
_REPEAT_WORDS = re.compile(r"(?<!\w)((?:\w+[\s,]+){1,4}?)\1{2,}", re.IGNORECASE)
_NUMBER = re.compile(r"\d+(?:[.,]\d+)*")


def wrong_language(seg: Segment) -> Finding | None:
    """The output is not in the target language (most often: the model returned the source)."""
    words = _WORD.findall(seg.model_text)
    if seg.unchanged and len(words) >= 3 and seg.target_lang != seg.source_lang:
        return _returned_source(seg.source_lang, seg.target_lang)
    if seg.target_lang in CJK_LANGUAGES:
        if len(words) >= 2 and not _CJK.search(seg.model_text):
            return _no_script(seg.source_lang, seg.target_lang)
        return None
    if len(words) < 3 or seg.target_lang == seg.source_lang:
        return None
    source_words = {w.lower() for w in _WORD.findall(seg.source)}
    shared = sum(w.lower() in source_words for w in words) / len(words)
    if shared < 0.5:
        return None  # real translations share little vocabulary with their source
    from .detect import detect_language

    detected = detect_language(seg.model_text, min_chars=20).code
    if detected == seg.source_lang or (detected is None and shared >= 0.9):
        return _returned_source(seg.source_lang, seg.target_lang)
    return None


# One finding per language pair, shared by every sentence it concerns: a model that returns its
# input flags every sentence of a run, and 400,000 copies of one message cost 40 MB.
@functools.lru_cache(maxsize=64)
def _returned_source(source_lang: str, target_lang: str) -> Finding:
    return Finding("wrong-language", ERROR,
                   f"output is in {source_lang}, not {target_lang}: the model returned the source")


@functools.lru_cache(maxsize=64)
def _no_script(source_lang: str, target_lang: str) -> Finding:
    return Finding("wrong-language", ERROR,
                   f"output has no {target_lang} script: the model returned {source_lang}")


def decoding_bound(seg: Segment) -> Finding | None:
    """The model was stopped by the length bound: the end of the translation is missing."""
    if seg.cut_short:
        return Finding("cut-short", ERROR,
                       "the model stopped at its length limit: the translation is probably cut short")
    return None


def repetition(seg: Segment) -> Finding | None:
    """A decoding loop: the same characters or words three or more times in a row."""
    for pattern in (_REPEAT_CJK, _REPEAT_WORDS):
        loop = pattern.search(seg.output)
        if loop and not pattern.search(seg.source):
            return Finding("repetition", ERROR, f"repetition loop: {loop.group(0)[:40]!r}")
    return None


def _numbers(text: str) -> list[str]:
    return [re.sub(r"[.,]", "", n) if re.fullmatch(r"\d{1,3}(?:[.,]\d{3})+", n) else n.replace(",", ".")
            for n in _NUMBER.findall(text)]


def numbers(seg: Segment) -> Finding | None:
    """A number of the source is missing from the output (dropped or changed)."""
    have = _numbers(seg.output)
    missing = [n for n in _numbers(seg.source) if n not in have]
    if missing:
        return Finding("numbers", WARNING, f"number missing or changed: {', '.join(missing[:5])}")
    return None


# Characters of output per character of source that real translations stay within.
_LENGTH_RATIO = {"zh": (0.12, 1.6), "zt": (0.12, 1.6), "ja": (0.15, 1.8)}
_DEFAULT_RATIO = (0.4, 2.8)


def length(seg: Segment) -> Finding | None:
    """The output is implausibly short or long for its source (truncation or hallucination)."""
    if len(_LETTER.findall(seg.source)) < 20:
        return None
    low, high = _LENGTH_RATIO.get(seg.target_lang, _DEFAULT_RATIO)
    ratio = len(seg.output) / max(1, len(seg.source))
    if ratio < low:  # text lost: a reviewer must see it, not only read it in a comment
        return Finding("length", ERROR, f"output implausibly short ({ratio:.2f}x the source)")
    if ratio > high:
        return Finding("length", WARNING, f"output implausibly long ({ratio:.2f}x the source)")
    return None


CHECKS: tuple[Callable[[Segment], Finding | None], ...] = (
    wrong_language, decoding_bound, repetition, numbers, length)


def run_checks(seg: Segment) -> list[Finding]:
    """Every finding of every check, in check order."""
    return [f for f in (check(seg) for check in CHECKS) if f is not None]
