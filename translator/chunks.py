"""The driver's memory: a run over an archive planned, translated and written a chunk at a time.

A run used to read every source, plan every unit, translate, then write: its memory grew with
the archive. Now each language pair goes through its sources in chunks (a few hundred documents,
or fewer when they are long): read, plan, translate what is pending, write, let go. What must
span the whole run stays, and is small: each distinct sentence's result (repeated sentences are
translated once in the whole run, not once per chunk), the reviewed-translation memory, and one
report row per file. The outputs are the files an unchunked run writes (`tests/test_chunks.py`).
"""
from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import TypeVar

from .results import Progress
from .sources import CatalogSource, DocumentSource, Input, Source

__all__ = ["ChunkProgress", "Chunking", "Repeats", "Sources", "chunked"]

T = TypeVar("T")


@dataclass(frozen=True)
class Chunking:
    """How much of an archive the driver holds at once: a chunk closes at `documents` sources
    or `segments` sentences, whichever comes first (one longer document is a chunk by itself).

    256 news articles are about 2,500 sentences: the engine sorts and batches them as well as
    it does a whole archive (its batches are 32 sentences or 2,048 tokens), a pool of actors
    gets dozens of 64-sentence tasks, and the driver holds a few megabytes of documents and
    units. 10,000 sentences bounds a chunk of long documents (books, big catalogs) the same way.
    """

    documents: int = 256
    segments: int = 10_000


def chunked(items: Iterable[T], size: Callable[[T], int], limits: Chunking) -> Iterator[list[T]]:
    """`items` in consecutive lists within `limits` (`size` counts an item's sentences); lazy,
    so an item is made only when its chunk is being filled."""
    chunk: list[T] = []
    sentences = 0
    for item in items:
        chunk.append(item)
        sentences += size(item)
        if len(chunk) >= limits.documents or sentences >= limits.segments:
            yield chunk
            chunk, sentences = [], 0
    if chunk:
        yield chunk


class Sources:
    """A run's inputs, read when asked for. A run small enough to be one chunk keeps each
    source once read (every language pair and the language detection share one reading, as
    before chunking); a larger one reads a source again when a later pass needs it, so no
    more than a chunk of sources is held at a time. The source read last is always kept: a run
    over one large file (a 50 MB catalog, a book) reads and splits it once, not once per pass."""

    def __init__(self, items: Sequence[Source | Input], limits: Chunking) -> None:
        self.items = items
        self.limits = limits
        self._keep = len(items) <= limits.documents
        self._read: dict[int, Source] = {}
        self._sentences = 0  # in the sources kept
        self._last: tuple[int, Source] | None = None

    def __len__(self) -> int:
        return len(self.items)

    def read(self, index: int) -> Source:
        """The source (InputError when it cannot be read)."""
        item = self.items[index]
        if not isinstance(item, Input):
            return item
        source = self._read.get(index)
        if source is None and self._last is not None and self._last[0] == index:
            source = self._last[1]
        if source is None:
            source = item.read()
            if self._keep:
                self._hold(index, source)
        self._last = (index, source)
        return source

    def _hold(self, index: int, source: Source) -> None:
        """Keep `source`, unless the kept ones outgrow a chunk: then keep none (a few long
        documents are read again rather than held)."""
        self._sentences += (len(source.document.segments()) if isinstance(source, DocumentSource)
                            else len(source.catalog) if isinstance(source, CatalogSource) else 0)
        if self._sentences > self.limits.segments:
            self._keep = False
            self._read.clear()
        else:
            self._read[index] = source


class Repeats:
    """Which sentences occur more than once in the run, counted by hash in the first pass: only
    their results need to outlive the chunk they were translated in (a sentence that occurs
    once is never looked up again). The sentences seen once are let go at `seal`, so the run
    keeps a set of hashes of its repeated sentences, not a result per distinct sentence. A hash
    collision only keeps one result too many.

    A run of one input is one chunk in every language pair, so nothing it translates is looked
    up in a later chunk: with `counting` off nothing is counted, and a catalog whose entries are
    all kept is never split into sentences at all.
    """

    def __init__(self, counting: bool = True) -> None:
        self.counting = counting
        self._seen: set[int] | None = set()
        self._repeated: set[int] = set()

    def count(self, texts: Iterable[str]) -> None:
        assert self._seen is not None, "counted after the first pass"
        if not self.counting:
            return
        for text in texts:
            key = hash(text)
            if key in self._seen:
                self._repeated.add(key)
            else:
                self._seen.add(key)

    def add(self, hashes: Iterable[int]) -> None:
        """Sentences found to occur again after the first pass (in a later part of a catalog
        translated in parts: `translator.outputs.plans`)."""
        self._repeated.update(hashes)

    def seal(self) -> None:
        """The first pass is over."""
        self._seen = None

    def __contains__(self, text: str) -> bool:
        return hash(text) in self._repeated


class ChunkProgress:
    """One chunk's sentences, as the executor reports them, moving the pair's bar, which counts
    documents (`SCALE` steps each): one bar for the whole pair however many chunks it takes."""

    SCALE = 100

    def __init__(self, bar: Progress, steps: int) -> None:
        self.bar = bar
        self.steps = steps  # SCALE for each document of the chunk, a share of it for a part
        self.total = 0
        self.done = 0
        self.shown = 0

    def start(self, label: str, total: int) -> None:
        self.total = total

    def advance(self, n: int) -> None:
        self.done += n
        self._show(self.steps * self.done // self.total if self.total else 0)

    def finish(self) -> None:
        """Nothing: the chunk is complete once it is written (`complete`)."""

    def complete(self) -> None:
        self._show(self.steps)

    def _show(self, position: int) -> None:
        position = min(position, self.steps)
        if position > self.shown:
            self.bar.advance(position - self.shown)
            self.shown = position
