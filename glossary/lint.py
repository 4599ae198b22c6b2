"""Consistency checks over a whole termbase, run by `translator glossary lint`.

Each check is a small function taking the termbase and yielding `Problem`s; `lint` runs them all.
A problem names the concept, the language when it is about one, a stable code (for scripts and
tests) and a sentence for people. Any problem means the glossary is not ready to enforce, so the
command exits non-zero when there is one.

Codes: duplicate-term, shared-variant (one spelling claimed by two concepts), missing-rendering,
fuzzy-rendering, forbidden-rendering (a rendering that is also listed as forbidden),
keep-mismatch (do-not-translate whose msgstr is not the term).
"""
from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass

from .model import Concept, Termbase, collide
from .text import form_key


@dataclass(frozen=True)
class Problem:
    """One thing wrong with the termbase."""

    code: str
    term: str  # the concept's label: its term, with [context] for homographs
    lang: str | None
    message: str

    def __str__(self) -> str:
        where = f"{self.term} ({self.lang})" if self.lang else self.term
        return f"{where}: {self.message} [{self.code}]"


def check_claims(termbase: Termbase) -> Iterator[Problem]:
    """Two concepts that would match the same text: the matcher could only pick one."""
    owners: dict[tuple[str, ...], list[tuple[Concept, str]]] = {}
    for concept in termbase:
        for form in concept.forms:
            owners.setdefault(form_key(form, False), []).append((concept, form))
    for claims in owners.values():
        for index, (concept, form) in enumerate(claims):
            for other, other_form in claims[:index]:
                if not collide(concept, form, other, other_form):
                    continue
                if form == concept.term and other_form == other.term:
                    yield Problem("duplicate-term", concept.label, None,
                                  f"same term as {other.label!r}")
                else:
                    yield Problem("shared-variant", concept.label, None,
                                  f"{form!r} is also claimed by {other.label!r}")


def check_renderings(termbase: Termbase) -> Iterator[Problem]:
    """Every language needs an approved rendering that is not itself forbidden."""
    languages = termbase.languages
    for concept in termbase:
        for lang in languages:
            rendering = concept.rendering(lang)
            if rendering is None:
                yield Problem("missing-rendering", concept.label, lang, "no rendering")
                continue
            if rendering.fuzzy:
                yield Problem("fuzzy-rendering", concept.label, lang,
                              f"{rendering.text!r} is only a proposal (fuzzy)")
            banned = {f.casefold() for f in rendering.forbidden}
            if rendering.text.casefold() in banned:
                yield Problem("forbidden-rendering", concept.label, lang,
                              f"{rendering.text!r} is also listed as forbidden")
            if rendering.keep and rendering.text != concept.term:
                yield Problem("keep-mismatch", concept.label, lang,
                              f"marked do-not-translate but the rendering is {rendering.text!r}")


CHECKS: tuple[Callable[[Termbase], Iterable[Problem]], ...] = (check_claims, check_renderings)


def lint(termbase: Termbase) -> list[Problem]:
    """Every problem found by every check, in termbase order within each check."""
    return [problem for check in CHECKS for problem in check(termbase)]
