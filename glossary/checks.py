"""Term checks on a finished translation: is every approved rendering there, and no forbidden one?

Used by the translator's enforcement (to verify its own output) and by `translator check` (to
audit translations made by anyone), and usable on its own as a QA step in another pipeline::

    issues = check_pair(source, target, "zh", Matcher(termbase))

Latin renderings are found as whole words, case-insensitively ("CELAC" is not inside
"CELACO"); Chinese and Japanese renderings are found anywhere, because those scripts have no
spaces between words.
"""
from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from .text import HAN, KANA

if TYPE_CHECKING:
    from .match import Matcher
    from .model import Concept

MISSING, FORBIDDEN = "missing", "forbidden"
_NO_SPACES_SCRIPT = re.compile(f"[{KANA}{HAN}]")


def find(text: str, needle: str, case_sensitive: bool = False) -> re.Match[str] | None:
    """Where `needle` occurs in `text` by the rules above, or None.

    `case_sensitive` is for source spellings of a case-sensitive term: "WHO" left in a Spanish
    output is the English term, "who" is not.
    """
    if not needle:
        return None
    if _NO_SPACES_SCRIPT.search(needle):
        return re.search(re.escape(needle), text)
    flags = 0 if case_sensitive else re.IGNORECASE
    return re.search(rf"(?<!\w){re.escape(needle)}(?!\w)", text, flags)


def contains(text: str, needle: str, case_sensitive: bool = False) -> bool:
    return find(text, needle, case_sensitive) is not None


@dataclass(frozen=True)
class TermIssue:
    code: str  # missing, forbidden or inconsistent
    term: str  # the concept's label
    lang: str
    message: str
    found: str = ""  # the forbidden rendering that was used, for forbidden issues


def check_pair(source: str, target: str, lang: str, matcher: Matcher) -> list[TermIssue]:
    """Problems with the glossary terms of `source` in its translation `target`."""
    issues: list[TermIssue] = []
    for match in matcher.find(source):
        rendering = match.concept.rendering(lang)
        if rendering is None or not rendering.approved:
            continue  # proposals and missing renderings are lint's business, not a violation
        value = match.concept.expected(rendering)
        label = match.concept.label
        if not contains(target, value):
            issues.append(TermIssue(MISSING, label, lang,
                                    f"term {label!r}: the approved rendering {value!r} is missing"))
        for bad in rendering.forbidden:
            if contains(target, bad):
                issues.append(TermIssue(FORBIDDEN, label, lang,
                                        f"term {label!r}: forbidden rendering {bad!r} used (approved: {value!r})",
                                        bad))
    return issues


def forbidden_in(target: str, lang: str, concepts: Iterable[Concept]) -> list[TermIssue]:
    """Forbidden renderings in a translation whose source is unknown (a bare translated file)."""
    issues = []
    for concept in concepts:
        rendering = concept.rendering(lang)
        if rendering is None:
            continue
        for bad in rendering.forbidden:
            if contains(target, bad):
                value = concept.expected(rendering)
                message = f"term {concept.label!r}: forbidden rendering {bad!r} used (approved: {value!r})"
                issues.append(TermIssue(FORBIDDEN, concept.label, lang, message, bad))
    return issues
