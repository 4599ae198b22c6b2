"""Plans and writers: what each source keeps in a language, and writing it when translated.

Before translation a *plan* decides for every unit of a source whether it already has an entry
worth keeping (reviewed by a person, an unchanged machine entry, a reviewed translation of the
same sentence in another catalog of the language) or must go to the model; after translation
the plan writes the source's outputs. A document's catalog is saved first (reviewed work
winning, see `translator.catalogs`) and the document rendered from it, so the two always agree.
"""
from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import ClassVar, Protocol

import polib

from . import catalogs, pofiles
from .document import Segment
from .files import atomic_write_bytes, atomic_write_text
from .inline import InlineTag, marker
from .qa import ERROR
from .results import FileResult
from .sources import CatalogSource, DocumentSource, Source
from .units import Kept, Key, SentenceResult, Unit


class Plan(Protocol):
    """One source in one target language: its units, and how to write them once translated."""

    units: list[Unit]
    uses_memory: ClassVar[bool]  # may units take a reviewed translation from other catalogs?

    @property
    def source(self) -> Source: ...

    def write(self, src: str, lang: str, out_dir: Path, models: str) -> FileResult:
        """Write the outputs from the units' results; the FileResult says what was written."""
        ...


def plan(source: Source, out_dir: Path, lang: str, refresh: bool) -> Plan:
    """The units of `source` in `lang`: which have an entry worth keeping, which go to the model."""
    if isinstance(source, CatalogSource):
        return CatalogPlan.make(source, out_dir, lang, refresh)
    if isinstance(source, DocumentSource):
        return DocumentPlan.make(source, out_dir, lang, refresh)
    raise TypeError(f"{source.name}: not a source this pipeline knows")


def output_path(out_dir: Path, lang: str, source: Source) -> Path:
    return out_dir / lang / Path(source.name).name


@dataclass
class DocumentPlan:
    """A document: one unit per segment, kept entries from its review catalog."""

    source: DocumentSource
    units: list[Unit]
    catalog_path: Path | None = None
    catalog: catalogs.Catalog | None = None
    uses_memory: ClassVar[bool] = True

    @classmethod
    def make(cls, source: DocumentSource, out_dir: Path, lang: str, refresh: bool) -> DocumentPlan:
        segments = source.document.segments()
        keys = catalogs.segment_keys([s.text for s in segments])
        plan = cls(source, [Unit(segment, key) for segment, key in zip(segments, keys)])
        if source.path is None:
            return plan  # standard input has no catalog
        plan.catalog_path = catalogs.catalog_path(out_dir, lang, source.name)
        plan.catalog = catalogs.read_catalog(plan.catalog_path)
        if plan.catalog is None:
            return plan
        for unit in plan.units:
            entry = plan.catalog.entries.get(unit.key)
            if entry is None or not entry.msgstr:
                continue
            reviewed = catalogs.is_reviewed(entry)
            if reviewed or not refresh:
                unit.keep(Kept.REVIEWED if reviewed else Kept.UNCHANGED,
                          plan.catalog.raw.get(unit.key) or str(entry).rstrip("\n"))
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
        file_result.output = output_path(out_dir, lang, source)
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
    uses_memory: ClassVar[bool] = False

    @classmethod
    def make(cls, source: CatalogSource, out_dir: Path, lang: str, refresh: bool) -> CatalogPlan:
        output = catalogs.catalog_path(out_dir, lang, source.name)
        previous = catalogs.read_catalog(output)
        kept = {}
        for key, entry in (previous.entries.items() if previous else ()):
            if catalogs.is_reviewed(entry) or (not refresh and (entry.msgstr or entry.msgstr_plural)):
                kept[key] = entry
        # An entry is kept only while its source text is the one it was translated from.
        kept = {e_key: kept[e_key] for e in pofiles.translatable(source.catalog)
                if (e_key := catalogs.entry_key(e)) in kept
                and kept[e_key].msgid_plural == e.msgid_plural}
        units = [Unit(Segment(p.text, p.line, "message"), p.key, protect_formats=True)
                 for p in pofiles.pieces(source.catalog, set(kept))]
        return cls(source, output, kept, units)

    def write(self, src: str, lang: str, out_dir: Path, models: str) -> FileResult:
        latest = catalogs.read_catalog(self.output)  # a person may have saved it meanwhile
        kept = dict(self.kept)
        for key, entry in (latest.entries.items() if latest else ()):
            if catalogs.is_reviewed(entry):
                kept[key] = entry
        texts = {unit.segment.text: _result(unit).text for unit in self.units}
        # The catalog being replaced keeps its plural rule (a person may have set it).
        plural_forms = latest.metadata.get("Plural-Forms") if latest else None
        atomic_write_text(self.output, pofiles.pretranslate(
            self.source.catalog, lang, texts, kept, f"machine translation: {models}", plural_forms))
        return FileResult(self.source.name, lang, src, self.output, units=self.units,
                          catalog=self.output)


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
