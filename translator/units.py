"""The unit: one segment of one source on its way through a run, and what became of it.

A run plans every unit once (is there an entry worth keeping, and why?), sends the units that
need the model to it, and writes each source from its units. Everything one stage learns about a
segment is recorded on its unit, so no stage has to keep lists aligned with another's.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from enum import Enum

import polib

from .catalogs import Key
from .document import Segment
from .enforce import FLAGGED, TermOutcome
from .qa import ERROR, Finding

__all__ = ["Kept", "Key", "SentenceResult", "Unit"]


class Kept(Enum):
    """Why a unit's translation does not come from the model in this run (or that it does)."""

    REVIEWED = "reviewed"  # a person's translation in this document's catalog
    UNCHANGED = "kept"  # the machine entry of an earlier run, for the same source text
    MEMORY = "memory"  # a person's translation of the same sentence in another catalog
    NEW = "machine"  # nothing to keep: the model translates it in this run


@dataclass(slots=True)
class SentenceResult:
    """One distinct source sentence, translated, enforced and checked."""

    source: str
    text: str
    terms: list[TermOutcome] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    origin: Kept = Kept.NEW

    @property
    def reasons(self) -> list[str]:
        """Why a reviewer must look at it (empty when nothing is wrong)."""
        reasons = [f"term {t.term!r}: {t.reason}" for t in self.terms if t.state == FLAGGED]
        reasons += [f.message for f in self.findings if f.severity == ERROR]
        return reasons + self.problems

    @property
    def flagged(self) -> bool:
        return bool(self.reasons)


@dataclass(slots=True)
class Unit:
    """One segment of a source in one target language: where it is, its entry, its fate."""

    segment: Segment
    key: Key  # the review catalog entry it belongs to
    kept: Kept = Kept.NEW
    # What is kept: the raw text of a catalog entry (copied byte for byte), or a new entry
    # made from a reviewed translation found in another catalog (memory).
    entry: str | polib.POEntry | None = None
    protect_formats: bool = False  # gettext messages: `%s` and `{name}` travel as placeholders
    result: SentenceResult | None = None  # set when the run has decided the unit's text

    @property
    def pending(self) -> bool:
        """The model must translate it."""
        return self.kept is Kept.NEW

    def keep(self, why: Kept, entry: str | polib.POEntry) -> None:
        self.kept, self.entry = why, entry
