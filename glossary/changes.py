"""What `add` and `set` do to a concept, as data: a `Change` applied by `apply`.

Kept out of the command line so that scripts get the same rules: a rendering given explicitly is
approved unless marked fuzzy; `keep` (do-not-translate) gives every target language that got no
rendering in the same change the source term itself; setting a rendering clears do-not-translate
for that language; `approve` clears fuzzy on every rendering, and `fuzzy` with no renderings given
turns every rendering into a proposal.
"""
from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field, replace

from .errors import InvalidTermError
from .model import Concept, Rendering, check_language
from .text import clean


@dataclass(frozen=True)
class Change:
    """Everything one `add` or `set` can say about a concept; None and empty mean "leave it"."""

    renderings: tuple[tuple[str, str], ...] = ()  # (lang, text)
    fuzzy: bool = False
    approve: bool = False
    keep: bool = False
    forbid: tuple[tuple[str, str], ...] = ()
    unforbid: tuple[tuple[str, str], ...] = ()
    add_variants: tuple[str, ...] = ()
    remove_variants: tuple[str, ...] = ()
    note: str | None = None
    case_sensitive: bool | None = None
    languages: tuple[str, ...] = field(default=())  # the termbase's target languages

    def is_empty(self) -> bool:
        """True when applying the change could not alter anything."""
        return not (
            self.renderings or self.fuzzy or self.approve or self.keep or self.forbid
            or self.unforbid or self.add_variants or self.remove_variants
            or self.note is not None or self.case_sensitive is not None
        )


def apply(concept: Concept, change: Change) -> Concept:
    """Return `concept` with `change` applied (the concept itself is never modified)."""
    if change.fuzzy and change.approve:
        raise InvalidTermError("a rendering cannot be both approved and fuzzy")
    given: dict[str, str] = {}
    for lang, text in change.renderings:
        check_language(lang)
        if lang in given and given[lang] != clean(text):
            raise InvalidTermError(f"two different {lang} renderings given")
        given[lang] = clean(text)

    variants = list(concept.variants) + [clean(v) for v in change.add_variants]
    for variant in change.remove_variants:
        if clean(variant) not in variants:
            raise InvalidTermError(f"{variant!r} is not a variant of {concept.term!r}")
        variants = [v for v in variants if v != clean(variant)]
    updated = replace(
        concept,
        variants=tuple(variants),
        note=concept.note if change.note is None else change.note,
        case_sensitive=(
            concept.case_sensitive if change.case_sensitive is None else change.case_sensitive
        ),
    )

    def record(lang: str) -> Rendering:
        return updated.entry(lang) or Rendering(check_language(lang))

    for lang, text in given.items():
        if not text:
            raise InvalidTermError(f"the {lang} rendering cannot be empty")
        updated = updated.with_rendering(
            replace(record(lang), text=text, fuzzy=change.fuzzy, keep=False)
        )
    if change.keep:
        targets = [lang for lang in _languages(updated, change) if lang not in given]
        if not targets:
            raise InvalidTermError(
                "do-not-translate applies to target languages given no rendering, and there is none"
            )
        for lang in targets:
            updated = updated.with_rendering(
                replace(record(lang), text=updated.term, fuzzy=change.fuzzy, keep=True)
            )
    if change.approve or (change.fuzzy and not given and not change.keep):
        for rendering in updated.renderings:
            if rendering.text:
                updated = updated.with_rendering(replace(rendering, fuzzy=change.fuzzy))
    for lang, text in change.forbid:
        current = record(lang)
        updated = updated.with_rendering(replace(current, forbidden=(*current.forbidden, text)))
    for lang, text in change.unforbid:
        current = record(lang)
        if clean(text) not in current.forbidden:
            raise InvalidTermError(f"{text!r} is not a forbidden {lang} rendering")
        remaining = tuple(f for f in current.forbidden if f != clean(text))
        updated = updated.with_rendering(replace(current, forbidden=remaining))
    return updated


def _languages(concept: Concept, change: Change) -> Iterable[str]:
    langs = set(change.languages) | {r.lang for r in concept.renderings}
    langs |= {lang for lang, _ in change.renderings}
    return sorted(langs)
