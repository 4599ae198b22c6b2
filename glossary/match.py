"""Find every glossary term in English text, fast enough for a 10,000-term glossary.

Build a `Matcher` once from a termbase (or any iterable of concepts), then call `find` per text::

    matcher = Matcher(termbase)
    for m in matcher.find(sentence):         # list[Match], in text order, never overlapping
        m.start, m.end                       # character offsets: sentence[m.start:m.end] == m.text
        m.concept.rendering("es")            # what the translation must say
        m.term                               # the source form that matched (term or variant)

The rules, in the order they decide:

- Word boundaries: a term matches whole words only ("Celaco" and "apex" are not terms).
- Case: a case-sensitive concept (acronyms such as CELAC) matches its exact capitals; every other
  concept matches in any case.
- Typography: curly and straight apostrophes, hyphens and en dashes are interchangeable, and any
  run of whitespace (line breaks included) matches the single space in a term.
- English inflection: the last word of a term may take its regular plural ("Comprehensive
  Strategic Partnerships"; `Match.plural` says so). A possessive ("CELAC's", "Leaders'") is
  matched through the term, and the "'s" stays outside the span, so replacing the span leaves the
  English grammatical around it.
- Overlaps: scanning left to right, the longest term that starts at a position wins, and scanning
  resumes after it, so "APEC Economic Leaders' Meeting" is one match, not "APEC" plus change.
  Punctuation inside a phrase must be the term's own: "Asia-Pacific Economic Cooperation (APEC)
  Economic Leaders' Meeting" gives two matches (the long name and "APEC"), because "(APEC)" is
  not "APEC"; a variant spelled with the parenthesis makes it one.
- Homographs (one spelling, several concepts split by msgctxt): `Match.concept` is the first in
  termbase order and `Match.alternatives` lists the others, so enforcement can ask a person.

How it is fast: the text is cut into pieces once (one C-level regex split, see `glossary.text`),
the pieces that can start a term are picked with a set lookup, and only from those does a walk
down a trie of lower-cased pieces look for the longest term; capitals are verified only on the
rare spans where a case-sensitive term was found. `benchmarks/glossary_match.py` measures it.
"""
from __future__ import annotations

import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from itertools import compress, count

from .model import Concept
from .text import SPLIT, fold_typography, form_key, pieces, plural

_END = None  # key of the entries that end at a trie node (pieces are always strings)


@dataclass(frozen=True, slots=True)
class Match:
    """One occurrence of a glossary term in a text."""

    start: int
    end: int
    text: str  # the text as written, text[start:end]
    term: str  # the concept's form that matched: its term or one of its variants
    concept: Concept
    plural: bool = False  # matched through the regular plural of the form's last word
    alternatives: tuple[Concept, ...] = ()  # other concepts with the same spelling (homographs)


class _Entry:
    """Concepts that end at one trie node with one exact spelling (internal)."""

    __slots__ = ("concepts", "exact", "form", "plural", "rank")

    def __init__(self, exact: tuple[str, ...] | None, form: str, plural: bool, rank: int) -> None:
        self.exact = exact  # the pieces with their capitals, or None when case does not matter
        self.form = form
        self.plural = plural
        self.concepts: list[Concept] = []
        self.rank = rank


class Matcher:
    """All forms of a set of concepts, compiled for repeated `find` calls."""

    def __init__(self, concepts: Iterable[Concept]) -> None:
        self._root: dict = {}
        self._forms = 0
        for rank, concept in enumerate(concepts):
            for form in concept.forms:
                self._add(concept, form, rank)
        self._first = frozenset(self._root)

    def __len__(self) -> int:
        """How many spellings (terms and variants, not plurals) the matcher knows."""
        return self._forms

    def _add(self, concept: Concept, form: str, rank: int) -> None:
        self._forms += 1
        exact = form_key(form, True)
        spellings = [(exact, False)]
        inflected = plural(exact[-1])
        if inflected is not None:
            spellings.append((exact[:-1] + (inflected,), True))
        for key, is_plural in spellings:
            self._insert(key, form, is_plural, concept, rank)
            decomposed = tuple(unicodedata.normalize("NFD", p) for p in key)
            if decomposed != key:  # text written with combining accents ("Lo\u0301pez")
                self._insert(decomposed, form, is_plural, concept, rank)

    def _insert(
        self, key: tuple[str, ...], form: str, is_plural: bool, concept: Concept, rank: int
    ) -> None:
        node = self._root
        for piece in key:
            node = node.setdefault(piece.lower(), {})
        exact = key if concept.case_sensitive else None
        entries: list[_Entry] = node.setdefault(_END, [])
        for entry in entries:
            if entry.exact == exact and entry.plural == is_plural:
                break
        else:
            entry = _Entry(exact, form, is_plural, rank)
            entries.append(entry)
            # Exact spellings before plurals, capitals before any-case, then termbase order.
            entries.sort(key=lambda e: (e.plural, e.exact is None, e.rank))
        if concept not in entry.concepts:
            entry.concepts.append(concept)

    @staticmethod
    def _verify(entries: list[_Entry], written: str) -> list[_Entry]:
        """The entries whose capitals agree with the text, best first (rare path)."""
        written_key = None
        chosen = []
        for entry in entries:
            if entry.exact is not None:
                if written_key is None:
                    written_key = tuple(pieces(written))
                if written_key != entry.exact:
                    continue
            chosen.append(entry)
        return chosen

    def find(self, text: str) -> list[Match]:
        """Every term occurrence in `text`, left to right, longest first, never overlapping."""
        if not text or not self._first:
            return []
        folded = fold_typography(text)
        lowered = folded.lower()
        # Tuples, not lists: a tuple of strings drops out of the garbage collector's sight after
        # one pass, where a list of a million strings would be rescanned by every collection
        # that the Match objects below trigger (that costs a third of the time on a long text).
        if len(lowered) == len(folded):
            parts = tuple(SPLIT.split(lowered))
            lengths = parts
        else:  # a few characters grow when lower-cased (U+0130): lower piece by piece instead
            lengths = tuple(SPLIT.split(folded))
            parts = tuple(p.lower() for p in lengths)
        n = len(parts)
        root = self._root
        # Words sit at even indices and separators, one character each, at odd ones; keep the
        # words that can start a term (C-level map and compress, no Python loop per word).
        words = parts[0::2]
        starts = compress(count(0, 2), map(self._first.__contains__, words))
        if lengths is not parts:
            words = lengths[0::2]

        found: list[Match] = []
        resume = 0
        cursor_k = cursor_pos = 0  # character offset of piece cursor_k (even), moved on demand

        for i in starts:
            if i < resume:
                continue
            node = root[parts[i]]
            j = i + 1
            last = None  # (end piece, entries) of the longest term found so far
            shorter = None  # the other, shorter ones: needed only if capitals rule `last` out
            while True:
                entries = node.get(_END)
                if entries is not None:
                    if last is not None:
                        if shorter is None:
                            shorter = [last]
                        else:
                            shorter.append(last)
                    last = (j, entries)
                if j >= n:
                    break
                piece = parts[j]
                if j & 1 and (piece == " " or piece.isspace()):
                    # A whitespace run is split as " ", "", " ", ...: one space in a term.
                    while j + 2 < n and parts[j + 1] == "" and parts[j + 2].isspace():
                        j += 2
                    piece = " "
                node = node.get(piece)
                if node is None:
                    break
                j += 1
            if last is None:
                continue

            # Offset of piece i: the words before it plus one character per separator.
            if i >= cursor_k:
                cursor_pos += (i - cursor_k) // 2 + sum(map(len, words[cursor_k // 2:i // 2]))
            else:
                cursor_pos -= (cursor_k - i) // 2 + sum(map(len, words[i // 2:cursor_k // 2]))
            cursor_k = i
            start = cursor_pos
            candidates = [last] if shorter is None else [last, *reversed(shorter)]
            for end_k, entries in candidates:  # longest first
                end = start + (end_k - i) // 2 + sum(map(len, words[i // 2:(end_k + 1) // 2]))
                best = entries[0]
                if len(entries) == 1 and best.exact is None and len(best.concepts) == 1:
                    others: tuple[Concept, ...] = ()  # the usual case: one concept, any case
                else:
                    chosen = self._verify(entries, folded[start:end])
                    if not chosen:
                        continue
                    best = chosen[0]
                    others = tuple(
                        dict.fromkeys(c for e in chosen for c in e.concepts if c is not best.concepts[0])
                    )
                found.append(
                    Match(start, end, text[start:end], best.form, best.concepts[0], best.plural, others)
                )
                resume = end_k
                break
        return found
