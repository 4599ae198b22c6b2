"""What a run produces: each file in each language (its units), each language pair, the run.

Plain data shared by the pipeline, the writers of outputs and the report, so none of them needs
to import another to know the shape of a result.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

from .document import Segment
from .errors import TranslatorError
from .packages import ModelPackage
from .units import SentenceResult, Unit


@dataclass
class FileResult:
    """One input document translated into one language."""

    source: str
    target_lang: str
    source_lang: str
    output: Path | None  # None when the text goes to stdout
    text: str | None = None  # the translated document, kept only for stdout
    units: list[Unit] = field(default_factory=list)
    catalog: Path | None = None
    # Its row of the run report, made when a long run lets its units go (`keep_units=False`).
    report: dict[str, Any] | None = None
    # One part of a catalog translated in parts: nothing is written until its last part.
    partial: bool = False

    @property
    def segment_count(self) -> int:
        return len(self.units) if self.report is None else int(self.report["segments"])

    @property
    def segments(self) -> list[Segment]:
        return [unit.segment for unit in self.units]

    @property
    def sentences(self) -> list[SentenceResult]:
        """Each unit's result (every unit of a written file has one)."""
        return [unit.result for unit in self.units if unit.result is not None]


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
    # Sources that could not be translated into one language (their review catalog is broken,
    # say): reported, while every other source of the batch is still written.
    failures: list[TranslatorError] = field(default_factory=list)
    timings: dict[str, float] = field(default_factory=dict)
    # Distributed runs: one row per chunk of sentences an actor translated (who, how long).
    workers: list[dict[str, Any]] = field(default_factory=list)

    @property
    def segments(self) -> int:
        return sum(f.segment_count for f in self.files)


class Progress(Protocol):
    """A progress display the caller may pass in (the CLI's bar on a terminal)."""

    def start(self, label: str, total: int) -> None: ...

    def advance(self, n: int) -> None: ...

    def finish(self) -> None: ...
