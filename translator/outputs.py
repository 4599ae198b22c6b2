"""Plans and writers: what each source keeps in a language, and writing it when translated.

Before translation a *plan* decides for every unit of a source whether it already has an entry
worth keeping (reviewed by a person, an unchanged machine entry, a reviewed translation of the
same sentence in another catalog of the language) or must go to the model; after translation
the plan writes the source's outputs. A document's catalog is saved first (reviewed work
winning, see `translator.catalogs`) and the document rendered from it, so the two always agree.
"""
from __future__ import annotations

import dataclasses
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from itertools import islice
from pathlib import Path
from typing import ClassVar, Protocol

import polib

from glossary import po

from . import catalogs, pofiles
from .document import Segment
from .files import atomic_write_bytes, replace_if_unchanged
from .inline import InlineTag, marker
from .qa import ERROR
from .results import FileResult
from .sources import CatalogSource, DocumentSource, Source, output_name
from .units import Kept, Key, SentenceResult, Unit


class Plan(Protocol):
    """One source in one target language: its units, and how to write them once translated."""

    units: list[Unit]
    uses_memory: ClassVar[bool]  # may units take a reviewed translation from other catalogs?

    @property
    def source(self) -> Source: ...

    @property
    def portion(self) -> tuple[int, int, int]:
        """Where its units lie among its source's sentences to translate: (start, end, total);
        (0, 1, 1) for a plan that covers its source (see `plans`)."""
        ...

    @property
    def repeated(self) -> frozenset[int]:
        """Hashes of its sentences that a later part of the same source has too: their results
        must outlive this part's chunk (`translator.chunks.Repeats`)."""
        ...

    def write(self, src: str, lang: str, out_dir: Path, models: str) -> FileResult:
        """Write the outputs from the units' results; the FileResult says what was written
        (`partial`: nothing yet, the source's last part writes them)."""
        ...


def plan(source: Source, out_dir: Path, lang: str, refresh: bool) -> Plan:
    """The units of `source` in `lang`: which have an entry worth keeping, which go to the model."""
    if isinstance(source, CatalogSource):
        return CatalogPlan.make(source, out_dir, lang, refresh)
    if isinstance(source, DocumentSource):
        return DocumentPlan.make(source, out_dir, lang, refresh)
    raise TypeError(f"{source.name}: not a source this pipeline knows")


def plans(source: Source, out_dir: Path, lang: str, refresh: bool, segments: int) -> Iterator[Plan]:
    """`plan`, but a catalog with more than `segments` sentences to translate comes in parts of
    at most that many, made as they are asked for: a run then holds one part's units and results
    at a time, and the catalog's last part writes the file from every part's translations."""
    if isinstance(source, CatalogSource):
        yield from CatalogPlan.parts(source, out_dir, lang, refresh, segments)
    else:
        yield plan(source, out_dir, lang, refresh)


def output_path(out_dir: Path, lang: str, name: str) -> Path:
    """OUT/LANG/NAME for a document whose `sources.output_name` is NAME (a bare name, or
    SUBFOLDERS/NAME for a file found in a folder the user gave)."""
    return out_dir / lang / name


@dataclass
class DocumentPlan:
    """A document: one unit per segment, kept entries from its review catalog."""

    source: DocumentSource
    units: list[Unit]
    catalog_path: Path | None = None
    catalog: catalogs.Catalog | None = None
    uses_memory: ClassVar[bool] = True
    portion: ClassVar[tuple[int, int, int]] = (0, 1, 1)
    repeated: ClassVar[frozenset[int]] = frozenset()

    @classmethod
    def make(cls, source: DocumentSource, out_dir: Path, lang: str, refresh: bool) -> DocumentPlan:
        segments = source.document.segments()
        keys = catalogs.segment_keys([s.text for s in segments])
        plan = cls(source, [Unit(segment, key) for segment, key in zip(segments, keys)])
        if source.path is None:
            return plan  # standard input has no catalog
        plan.catalog_path = catalogs.catalog_path(out_dir, lang, output_name(source))
        plan.catalog = catalogs.read_catalog(plan.catalog_path)
        if plan.catalog is None:
            return plan
        for unit in plan.units:
            entry = plan.catalog.entries.get(unit.key)
            kept: str | polib.POEntry | None = plan.catalog.raw.get(unit.key)
            if entry is None:
                # A sentence that left the document and came back: its obsolete entry lives again.
                entry = plan.catalog.retired.get(unit.key)
                kept = None if entry is None else catalogs.revived(entry, plan._occurrence(unit))
            if entry is None or not entry.msgstr:
                continue
            reviewed = catalogs.is_reviewed(kept if isinstance(kept, polib.POEntry) else entry)
            if reviewed or not refresh:
                unit.keep(Kept.REVIEWED if reviewed else Kept.UNCHANGED,
                          kept or po.format_entry(entry))
        return plan

    def write(self, src: str, lang: str, out_dir: Path, models: str) -> FileResult:
        """Save the document's catalog, then render the document from it (reviewed text wins)."""
        source = self.source
        file_result = FileResult(source.name, lang, src, None, units=self.units)
        if self.catalog_path is None:
            file_result.text = source.render(_texts(self.units), lang).decode("utf-8")
            return file_result
        planned: list[tuple[Key, str | polib.POEntry]] = []
        for unit in self.units:
            if unit.entry is not None:
                planned.append((unit.key, unit.entry))
            else:
                planned.append((unit.key, catalogs.machine_entry(
                    unit.key, _result(unit).text, self._occurrence(unit),
                    _entry_comments(_result(unit), models, unit.segment.tags))))
        assert source.path is not None  # a document with a catalog came from a file
        texts = catalogs.save_catalog(
            self.catalog_path, lang, Path(source.name).name,
            catalogs.relative_source(self.catalog_path, source.path), planned, self.catalog)
        for unit in self.units:
            saved = texts[unit.key]
            if saved != _result(unit).text:
                # A person saved this entry while the run was going: their text is the result.
                origin = Kept.REVIEWED if unit.pending else _result(unit).origin
                unit.result = dataclasses.replace(_result(unit), text=saved, origin=origin)
        file_result.catalog = self.catalog_path
        file_result.output = output_path(out_dir, lang, output_name(source))
        atomic_write_bytes(file_result.output, source.render(_texts(self.units), lang))
        return file_result

    def _occurrence(self, unit: Unit) -> tuple[str, int]:
        return (self.source.name, unit.segment.line)


@dataclass
class CatalogPlan:
    """A gettext catalog to pre-translate: entries kept from the last output, sentences to do."""

    source: CatalogSource
    output: Path
    kept: dict[Key, polib.POEntry]
    units: list[Unit]
    previous: catalogs.Catalog | None = None  # the output as read when the plan was made
    uses_memory: ClassVar[bool] = False

    # A catalog planned in `parts`: the translations of its parts so far (one dict for all of
    # them), where this part lies among the catalog's sentences to translate, and which of its
    # sentences a later part has too.
    earlier: dict[str, str] = field(default_factory=dict)
    portion: tuple[int, int, int] = (0, 1, 1)
    repeated: frozenset[int] = frozenset()

    @classmethod
    def make(cls, source: CatalogSource, out_dir: Path, lang: str, refresh: bool) -> CatalogPlan:
        output, previous, kept = cls._kept(source, out_dir, lang, refresh)
        units = _units(pofiles.iter_pieces(source.catalog, set(kept), source.spans))
        return cls(source, output, kept, units, previous)

    @classmethod
    def parts(cls, source: CatalogSource, out_dir: Path, lang: str, refresh: bool,
              segments: int) -> Iterator[CatalogPlan]:
        """The plan in parts of at most `segments` sentences (one part when it fits), each part
        made when it is asked for; all but the last only record their translations."""
        output, previous, kept = cls._kept(source, out_dir, lang, refresh)
        keep = set(kept)
        pieces = pofiles.iter_pieces(source.catalog, keep, source.spans)
        part = list(islice(pieces, segments))
        following = list(islice(pieces, segments))
        if not following:
            yield cls(source, output, kept, _units(part), previous)
            return
        # More than one part: count the sentences and find the repeated ones (each message is
        # split once, `source.spans`, so this pass only hashes).
        seen: set[int] = set()
        repeated: set[int] = set()
        total = 0
        for piece in pofiles.iter_pieces(source.catalog, keep, source.spans):
            key = hash(piece.text)
            (repeated if key in seen else seen).add(key)
            total += 1
        del seen
        earlier: dict[str, str] = {}
        start = 0
        while part:
            end = start + len(part)
            ahead = {hash(p.text) for p in part} & repeated if end < total else frozenset()
            yield cls(source, output, kept, _units(part), previous, earlier, (start, end, total),
                      frozenset(ahead))
            start, part, following = end, following, list(islice(pieces, segments))

    @staticmethod
    def _kept(source: CatalogSource, out_dir: Path, lang: str,
              refresh: bool) -> tuple[Path, catalogs.Catalog | None, dict[Key, polib.POEntry]]:
        """The output's path, the output as it is now, and its entries worth keeping."""
        output = catalogs.catalog_path(out_dir, lang, output_name(source))
        previous = catalogs.read_catalog(output)
        kept: dict[Key, polib.POEntry] = {}
        if previous is None:
            return output, previous, kept
        with po.collector_paused():  # hundreds of thousands of keys and entries, no cycle
            # An obsolete entry lives again when its message is back in the template.
            candidates = [*((k, catalogs.revived(e)) for k, e in previous.retired.items()),
                          *previous.entries.items()]
            for key, entry in candidates:
                if catalogs.is_reviewed(entry) or (not refresh and _translated(entry)):
                    kept[key] = entry
            return output, previous, _still_current(source, kept)

    def write(self, src: str, lang: str, out_dir: Path, models: str) -> FileResult:
        """Write the pre-translated catalog, letting entries a person saved meanwhile win.

        As for a document's catalog (`catalogs.save_catalog`): the output is read again, merged,
        and replaced only if it did not change since; else read and merged again. A part that
        is not the catalog's last only records its translations.
        """
        texts = self.earlier
        texts.update((unit.segment.text, _result(unit).text) for unit in self.units)
        if self.portion[1] < self.portion[2]:
            return FileResult(self.source.name, lang, src, self.output, units=self.units,
                              catalog=self.output, partial=True)
        rendered: dict[Key, str] = {}  # machine entries, formatted once
        note = f"machine translation: {models}"
        latest = catalogs.read_catalog(self.output, reuse=self.previous)
        # A key and an entry's text per entry, in hundreds of thousands, and no cycle among them.
        with po.collector_paused():
            for _attempt in catalogs.attempts(self.output):
                render = self._merged(latest, lang, texts, note, rendered)
                if latest is not None and _same(latest.data, render(False)):
                    break  # nothing changed: no new revision date
                if replace_if_unchanged(self.output, _encoded(render(True)),
                                        latest.data if latest is not None else None):
                    break
                latest = catalogs.read_catalog(self.output, reuse=latest)  # a person saved meanwhile
        return FileResult(self.source.name, lang, src, self.output, units=self.units,
                          catalog=self.output)

    def _merged(self, latest: catalogs.Catalog | None, lang: str, texts: dict[str, str], note: str,
                rendered: dict[Key, str]) -> Callable[[bool], Iterator[str]]:
        """The output's text (a function of whether to set a new revision date): this run's
        plan, with the entries a person changed in `latest` since the plan was made, and
        `latest`'s entries whose message left the template made obsolete."""
        previous = self.previous
        kept = dict(self.kept)
        raw = {key: previous.raw[key] for key in kept
               if previous is not None and key in previous.raw and previous.entries[key] is kept[key]}
        retired: list[tuple[Key, str | polib.POEntry]] = []
        if latest is not None:
            source_keys = {catalogs.entry_key(e) for e in pofiles.translatable(self.source.catalog)}
            for key, entry in latest.entries.items():
                if key not in source_keys:
                    retired.append((key, catalogs.retire(entry)))
                    continue
                theirs = catalogs.changed_meanwhile(key, latest, previous)
                if theirs is not None:
                    kept[key], raw[key] = entry, theirs
            kept = _still_current(self.source, kept)
            retired += [(key, text) for key, text in latest.obsolete if key not in source_keys]
        header = latest.metadata if latest is not None else None

        def render(touch: bool) -> Iterator[str]:
            return pofiles.pretranslated(
                self.source.catalog, lang, texts, kept, note,
                # The replaced catalog keeps its plural rule (a person may have set it).
                header.get("Plural-Forms") if header is not None else None,
                raw=raw, retired=retired, previous=header, name=Path(self.source.name).name,
                spans=self.source.spans, touch=touch, rendered=rendered)

        return render


def _encoded(pieces: Iterable[str], size: int = 1 << 20) -> Iterator[bytes]:
    """`pieces` as UTF-8, about `size` characters at a time."""
    batch: list[str] = []
    length = 0
    for piece in pieces:
        batch.append(piece)
        length += len(piece)
        if length >= size:
            yield "".join(batch).encode("utf-8")
            batch, length = [], 0
    yield "".join(batch).encode("utf-8")


def _same(data: bytes, pieces: Iterable[str]) -> bool:
    """Whether `pieces`, encoded, are `data`, compared a block at a time (a large catalog's new
    text is never held whole)."""
    return po.same_blocks(data, _encoded(pieces))


def _translated(entry: polib.POEntry) -> bool:
    if entry.msgid_plural:
        return bool(entry.msgstr_plural) and all(entry.msgstr_plural.values())
    return bool(entry.msgstr)


def _still_current(source: CatalogSource, kept: dict[Key, polib.POEntry]) -> dict[Key, polib.POEntry]:
    """The kept entries whose message is still in the template, with the same plural: an entry
    is kept only while its source text is the one it was translated from."""
    return {key: kept[key] for e in pofiles.translatable(source.catalog)
            if (key := catalogs.entry_key(e)) in kept and kept[key].msgid_plural == e.msgid_plural}


def _units(pieces: Iterable[pofiles.Piece]) -> list[Unit]:
    return [Unit(Segment(p.text, p.line, "message"), p.key, protect_formats=True) for p in pieces]


def from_memory(key: Key, msgstr: str, catalog_name: str, occurrence: tuple[str, int]) -> polib.POEntry:
    """A new entry for a sentence a person translated in another catalog of the language."""
    return polib.POEntry(msgctxt=key[0], msgid=key[1], msgstr=msgstr,
                         occurrences=[(occurrence[0], str(occurrence[1]))],
                         comment=f"reviewed translation reused from {catalog_name}")


def _result(unit: Unit) -> SentenceResult:
    if unit.result is None:
        raise ValueError(f"{unit.segment.text!r} was written before it was translated")
    return unit.result


def _texts(units: list[Unit]) -> list[str]:
    return [_result(unit).text for unit in units]


def _entry_comments(sentence: SentenceResult, models: str, tags: Sequence[InlineTag] = ()) -> list[str]:
    """The `#.` lines of a machine entry: model, what its markup markers stand for, each term's
    fate, QA findings, why to review."""
    lines = [f"machine translation: {models}"]
    lines += [f"markup {marker(tag)}{f'...</{tag.id}>' if tag.kind == 'open' else ''}: {tag.about}"
              for tag in tags if tag.kind != "close" and tag.about]
    for t in sentence.terms:
        detail = f"{t.state}: {t.reason}" if t.reason else t.state
        lines.append(f"term: {t.term} -> {t.rendering or '(no rendering)'} ({detail})")
    lines += [f"qa {f.severity}: {f.message}" for f in sentence.findings if f.severity != ERROR]
    lines += [f"needs review: {reason}" for reason in sentence.reasons]
    return lines
