"""The termbase in memory: concepts, their renderings per language, and the collection of them.

A `Concept` is one glossary entry: a canonical English term (the PO msgid), an optional context
that splits homographs (msgctxt), source variants that mean the same thing, a case rule, a note,
and one `Rendering` per target language. Both are frozen: an edit builds a new value with
`dataclasses.replace` or the `with_*` helpers and hands it to the `Termbase`, which keeps the
concepts in a stable order and refuses two concepts that would claim the same text.

What the translation step asks of a concept::

    r = concept.rendering("es")   # None when there is no rendering for es
    r.text                        # the approved rendering (the term itself when r.keep)
    r.approved                    # False: only a fuzzy proposal, report it but do not enforce
    concept.forbidden("es")       # renderings that must not appear
    concept.case_sensitive, concept.note

The termbase never touches files; `glossary.storage` reads and writes it.
"""
from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, replace

from .errors import (
    AmbiguousTermError,
    DuplicateTermError,
    InvalidTermError,
    TermConflictError,
    UnknownTermError,
)
from .text import clean, form_key

#: The language of every term; target languages are gettext codes such as es, zh, pt_BR.
SOURCE_LANGUAGE = "en"
_LANGUAGE = re.compile(r"[a-z]{2,3}(?:_[A-Z]{2}|_[A-Z][a-z]{3}|_[0-9]{3})?(?:@[a-z]+)?")


def is_language_code(code: str) -> bool:
    """A plain gettext language code (es, zh, pt_BR, sr@latin): safe to use as a folder name."""
    return _LANGUAGE.fullmatch(code) is not None


def check_language(lang: str) -> str:
    """Return `lang` if it can name a target language directory, else raise InvalidTermError.

    The code becomes a directory name (locales/<lang>/glossary.po), so anything that is not a
    plain gettext code is refused rather than turned into a path.
    """
    if not is_language_code(lang):
        raise InvalidTermError(
            f"{lang!r} is not a language code like es, zh or pt_BR"
        )
    if lang == SOURCE_LANGUAGE:
        raise InvalidTermError("en is the source language; it cannot have renderings")
    return lang


def _text(value: str, what: str) -> str:
    cleaned = clean(value)
    if not cleaned:
        raise InvalidTermError(f"{what} cannot be empty")
    return cleaned


def _unique(values: Iterable[str], what: str) -> tuple[str, ...]:
    seen: dict[str, None] = {}
    for value in values:
        seen.setdefault(_text(value, what), None)
    return tuple(seen)


@dataclass(frozen=True, slots=True)
class Rendering:
    """What one concept becomes in one target language.

    `text` empty means "no rendering yet"; a record can still exist to carry forbidden renderings
    or a translator's comment. `fuzzy` marks a proposal (the PO `fuzzy` flag): shown and reported,
    never enforced. `keep` is do-not-translate: the rendering is the source term itself.
    """

    lang: str
    text: str = ""
    fuzzy: bool = False
    keep: bool = False
    forbidden: tuple[str, ...] = ()
    comment: str = ""
    flags: tuple[str, ...] = ()  # other PO flags found on the entry, kept as found

    def __post_init__(self) -> None:
        check_language(self.lang)
        object.__setattr__(self, "text", clean(self.text))
        object.__setattr__(self, "forbidden", _unique(self.forbidden, "a forbidden rendering"))
        object.__setattr__(self, "comment", self.comment.strip())
        object.__setattr__(self, "flags", tuple(self.flags))

    @property
    def approved(self) -> bool:
        """True when the rendering exists and is not only a proposal: the one to enforce."""
        return bool(self.text) and not self.fuzzy

    @property
    def is_empty(self) -> bool:
        """True when the record says nothing: equal to `Rendering(self.lang)`."""
        return not (self.text or self.fuzzy or self.keep or self.forbidden or self.comment or self.flags)


@dataclass(frozen=True, slots=True)
class Concept:
    """One glossary entry: a source term, how to recognise it, and its renderings."""

    term: str
    context: str | None = None
    variants: tuple[str, ...] = ()
    case_sensitive: bool = False
    note: str = ""
    renderings: tuple[Rendering, ...] = ()
    flags: tuple[str, ...] = ()  # other POT flags, kept as found

    def __post_init__(self) -> None:
        term = _text(self.term, "a term")
        object.__setattr__(self, "term", term)
        if self.context is not None:
            object.__setattr__(self, "context", _text(self.context, "a context"))
        variants = tuple(v for v in _unique(self.variants, "a variant") if v != term)
        object.__setattr__(self, "variants", variants)
        object.__setattr__(self, "note", self.note.strip())
        by_lang: dict[str, Rendering] = {}
        for rendering in self.renderings:
            if rendering.is_empty:
                continue  # an empty record says nothing: "no rendering" has one representation
            if rendering.lang in by_lang:
                raise InvalidTermError(f"{term!r} has two {rendering.lang} renderings")
            by_lang[rendering.lang] = rendering
        object.__setattr__(self, "renderings", tuple(by_lang[k] for k in sorted(by_lang)))
        object.__setattr__(self, "flags", tuple(self.flags))

    @property
    def key(self) -> tuple[str | None, str]:
        """(msgctxt, msgid): what identifies the entry in the PO files."""
        return (self.context, self.term)

    @property
    def label(self) -> str:
        """How messages name the concept: the term, with its context when it has one."""
        return f"{self.term} [{self.context}]" if self.context is not None else self.term

    @property
    def forms(self) -> tuple[str, ...]:
        """Every source spelling that belongs to the concept: the term, then its variants."""
        return (self.term, *self.variants)

    def entry(self, lang: str) -> Rendering | None:
        """The stored record for `lang`, even when it has no text yet."""
        for rendering in self.renderings:
            if rendering.lang == lang:
                return rendering
        return None

    def rendering(self, lang: str) -> Rendering | None:
        """The rendering to use in `lang` (approved or a proposal), or None when there is none."""
        rendering = self.entry(lang)
        return rendering if rendering is not None and rendering.text else None

    def expected(self, rendering: Rendering) -> str:
        """What a translation must say for this concept given one of its renderings: the term
        itself when it is do-not-translate (whatever the msgstr says), else the rendering."""
        return self.term if rendering.keep else rendering.text

    def forbidden(self, lang: str) -> tuple[str, ...]:
        """Renderings that must not be used in `lang`."""
        rendering = self.entry(lang)
        return rendering.forbidden if rendering is not None else ()

    def as_dict(self, languages: Iterable[str] | None = None) -> dict[str, object]:
        """Plain data for JSON output (`list --json`, `show --json`), limited to `languages`."""
        langs = set(languages) if languages is not None else None
        return {
            "term": self.term,
            "context": self.context,
            "variants": list(self.variants),
            "case_sensitive": self.case_sensitive,
            "note": self.note,
            "renderings": {
                r.lang: {
                    "text": r.text,
                    "approved": r.approved,
                    "fuzzy": r.fuzzy,
                    "keep": r.keep,
                    "forbidden": list(r.forbidden),
                    "comment": r.comment,
                }
                for r in self.renderings
                if langs is None or r.lang in langs
            },
        }

    def with_rendering(self, rendering: Rendering) -> Concept:
        """A copy in which `rendering` replaces whatever the concept had for its language."""
        others = tuple(r for r in self.renderings if r.lang != rendering.lang)
        return replace(self, renderings=(*others, rendering))


def collide(concept: Concept, form: str, other: Concept, other_form: str) -> bool:
    """Would two concepts' spellings (already equal but for letter case) match the same text?

    Homographs share their spelling on purpose (msgctxt tells them apart), and "AIDS" and "Aids"
    can live side by side when both keep their case. The termbase refuses a collision on edit;
    lint reports the ones a hand-edited PO file brings in.
    """
    if other.term == concept.term and other.context != concept.context:
        return False
    return not (concept.case_sensitive and other.case_sensitive
                and form_key(form, True) != form_key(other_form, True))


_Claimant = tuple[tuple[str | None, str], str]  # (concept key, the form it spells that way)


def _claim(form: str) -> str | tuple[str, ...]:
    """The termbase's index key for a spelling: the pieces of `form_key` (case folded) joined
    into one string, which costs a fraction of the tuple and its strings in a large glossary;
    the tuple itself in the odd case that a piece holds the separator."""
    pieces = form_key(form, False)
    joined = "\x00".join(pieces)
    return joined if joined.count("\x00") == len(pieces) - 1 else pieces


def sort_key(concept: Concept) -> tuple[str, str, str]:
    """The order of entries in every file: alphabetical, so two people's additions rarely touch."""
    return (concept.term.casefold(), concept.term, concept.context or "")


class Termbase:
    """All concepts of a glossary plus the target languages it has files for.

    It refuses two concepts that would claim the same text (a variant of one spelled like the
    term of another), except homographs: concepts with the same term told apart by context.
    `meta` belongs to `glossary.storage`, which keeps file headers there between load and save.
    """

    def __init__(self, concepts: Iterable[Concept] = (), languages: Iterable[str] = ()) -> None:
        self._concepts: dict[tuple[str | None, str], Concept] = {}
        # Who claims each spelling, by `_claim` of the form: one (concept key, form), or a list
        # of them where several concepts claim it (rare: a list per form would double the index).
        self._claims: dict[str | tuple[str, ...], _Claimant | list[_Claimant]] = {}
        self._languages: set[str] = {check_language(lang) for lang in languages}
        self._order: list[Concept] | None = None
        self.meta: dict[str, object] = {}
        for concept in concepts:
            self.add(concept)

    # -- reading -----------------------------------------------------------------------------
    @property
    def languages(self) -> tuple[str, ...]:
        """Target languages: those with files plus those any concept has a rendering for."""
        langs = set(self._languages)
        for concept in self._concepts.values():
            langs.update(r.lang for r in concept.renderings)
        return tuple(sorted(langs))

    def __iter__(self) -> Iterator[Concept]:
        if self._order is None:
            self._order = sorted(self._concepts.values(), key=sort_key)
        return iter(self._order)

    def __len__(self) -> int:
        return len(self._concepts)

    def __contains__(self, key: object) -> bool:
        return key in self._concepts

    def get(self, term: str, context: str | None = None) -> Concept:
        """The concept whose msgid is exactly `term` (after cleaning) in `context`."""
        try:
            return self._concepts[(context, clean(term))]
        except KeyError:
            raise UnknownTermError(term, context) from None

    def find(self, name: str, context: str | None = None) -> Concept:
        """The concept a person means by `name`: its term or a variant, in any letter case.

        Exact msgid first, then any form spelled the same apart from case and typography.
        Several homographs and no `context` raise AmbiguousTermError.
        """
        cleaned = clean(name)
        if (context, cleaned) in self._concepts:
            return self._concepts[(context, cleaned)]
        owners = {key for key, _form in self._claimants(cleaned)}
        found = [self._concepts[k] for k in owners if context is None or k[0] == context]
        if not found:
            raise UnknownTermError(name, context)
        if len(found) > 1:
            exact = [c for c in found if c.term == cleaned]
            if len(exact) == 1:
                return exact[0]
            raise AmbiguousTermError(name, sorted((c.context for c in found), key=str))
        return found[0]

    def claims(self, form: str) -> list[tuple[Concept, str]]:
        """Every (concept, form) whose spelling matches `form` apart from case and typography."""
        return [
            (self._concepts[key], owned)
            for key, owned in self._claimants(form)
        ]

    # -- changing ----------------------------------------------------------------------------
    def add(self, concept: Concept, *, allow_conflicts: bool = False) -> None:
        """Add a new concept; DuplicateTermError if it exists, TermConflictError on a clash.

        `allow_conflicts` is for loading files as they are, so that `lint` can report clashes a
        person made in a PO editor instead of the load failing before anyone sees them.
        """
        if concept.key in self._concepts:
            raise DuplicateTermError(concept.term, concept.context)
        if not allow_conflicts:
            self._check_claims(concept, ignore=None)
        self._store(concept)

    def replace(self, concept: Concept, old_key: tuple[str | None, str] | None = None) -> None:
        """Put `concept` in place of the one stored under `old_key` (default: its own key)."""
        old_key = concept.key if old_key is None else old_key
        if old_key not in self._concepts:
            raise UnknownTermError(old_key[1], old_key[0])
        if concept.key != old_key and concept.key in self._concepts:
            raise DuplicateTermError(concept.term, concept.context)
        self._check_claims(concept, ignore=old_key)
        self._drop(old_key)
        self._store(concept)

    def remove(self, term: str, context: str | None = None) -> Concept:
        """Remove and return the concept stored under (context, term)."""
        concept = self.get(term, context)
        self._drop(concept.key)
        return concept

    # -- internals ---------------------------------------------------------------------------
    def _claimants(self, form: str) -> list[_Claimant]:
        found = self._claims.get(_claim(form))
        return [] if found is None else found if isinstance(found, list) else [found]

    def _check_claims(self, concept: Concept, ignore: tuple[str | None, str] | None) -> None:
        for form in concept.forms:
            for key, owned in self._claimants(form):
                if key == ignore:
                    continue
                other = self._concepts[key]
                if collide(concept, form, other, owned):
                    raise TermConflictError(form, other.label)

    def _store(self, concept: Concept) -> None:
        key = concept.key  # one tuple for the index and every claim (a million terms: 56 MB each)
        self._concepts[key] = concept
        for form in concept.forms:
            claim = _claim(form)
            found = self._claims.get(claim)
            mine = (key, form)
            self._claims[claim] = (mine if found is None else [*found, mine] if isinstance(found, list)
                                   else [found, mine])
        self._order = None

    def _drop(self, key: tuple[str | None, str]) -> None:
        concept = self._concepts.pop(key)
        for form in concept.forms:
            claim = _claim(form)
            remaining = [c for c in self._claimants(form) if c[0] != key]
            if remaining:
                self._claims[claim] = remaining if len(remaining) > 1 else remaining[0]
            else:
                self._claims.pop(claim, None)
        self._order = None
