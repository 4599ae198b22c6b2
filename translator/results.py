"""What a run produces: its inputs, each translated sentence, each file, each language pair.

Plain data shared by the pipeline, the writers of outputs and the report, so none of them needs
to import another to know the shape of a result.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol

import polib

from . import pofiles
from .documents import Document, Segment
from .enforce import FLAGGED, TermOutcome
from .packages import ModelPackage
from .qa import ERROR, Finding


@dataclass(frozen=True)
class Source:
    """One input document, read and parsed."""

    name: str  # as the user gave it; "<stdin>" for standard input
    path: Path | None
    document: Document | None  # a .txt or .md document ...
    catalog: polib.POFile | None = None  # ... or a gettext catalog to pre-translate

    def segments(self) -> list[Segment]:
        """The sentences to translate, in order (every msgid sentence for a catalog)."""
        if self.document is not None:
            return self.document.segments()
        return [Segment(p.text, p.line, "message") for p in pofiles.pieces(self.catalog, set())]


@dataclass
class SentenceResult:
    """One distinct source sentence, translated, enforced and checked."""

    source: str
    text: str
    terms: list[TermOutcome] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    origin: str = "machine"  # or "reviewed", "kept" (an unchanged machine entry), "memory"

    @property
    def reasons(self) -> list[str]:
        """Why a reviewer must look at it (empty when nothing is wrong)."""
        reasons = [f"term {t.term!r}: {t.reason}" for t in self.terms if t.state == FLAGGED]
        reasons += [f.message for f in self.findings if f.severity == ERROR]
        return reasons + self.problems

    @property
    def flagged(self) -> bool:
        return bool(self.reasons)


@dataclass
class FileResult:
    """One input document translated into one language."""

    source: str
    target_lang: str
    source_lang: str
    output: Path | None  # None when the text goes to stdout
    text: str | None = None  # the translated document, kept only for stdout
    segments: list[Segment] = field(default_factory=list)
    sentences: list[SentenceResult] = field(default_factory=list)  # one per segment
    catalog: Path | None = None


@dataclass
class PairResult:
    source_lang: str
    target_lang: str
    models: list[ModelPackage]
    segments: int = 0  # sentences in the documents
    translated: int = 0  # distinct sentences sent to the model
    seconds: float = 0.0


@dataclass
class RunResult:
    files: list[FileResult] = field(default_factory=list)
    pairs: list[PairResult] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    timings: dict[str, float] = field(default_factory=dict)

    @property
    def segments(self) -> int:
        return sum(len(f.segments) for f in self.files)


class Progress(Protocol):
    """A progress display the caller may pass in (the CLI's bar on a terminal)."""

    def start(self, label: str, total: int) -> None: ...

    def advance(self, n: int) -> None: ...

    def finish(self) -> None: ...

