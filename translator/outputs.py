"""Writing a run's results: each document beside its review catalog, each pre-translated catalog.

Before translation a *plan* says, per document and language, which sentences already have an
entry worth keeping (reviewed by a person, an unchanged machine entry, a reviewed translation of
the same sentence in another catalog of the language) and which must go to the model; after
translation the catalog is saved (reviewed work winning, see `translator.catalogs`) and the
document is rendered from it, so a document and its catalog always agree.
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import polib

from . import catalogs, pofiles
from .documents import Segment
from .files import atomic_write_text
from .qa import ERROR
from .results import FileResult, SentenceResult, Source


def output_path(out_dir: Path, lang: str, source: Source) -> Path:
    return out_dir / lang / Path(source.name).name


@dataclass
class DocumentPlan:
    """What one document needs in one language: kept catalog entries and sentences to translate."""

    source: Source
    segments: list[Segment]
    keys: list[catalogs.Key]
    kept: list[str | polib.POEntry | None]  # raw entry text or a memory entry; None: translate
    origins: list[str]
    catalog_path: Path | None = None
    catalog: catalogs.Catalog | None = None

    def occurrence(self, i: int) -> tuple[str, int]:
        return (self.source.name, self.segments[i].line)


def plan_document(source: Source, out_dir: Path, lang: str, refresh: bool) -> DocumentPlan:
    segments = source.document.segments()
    keys = catalogs.segment_keys([s.text for s in segments])
    plan = DocumentPlan(source, segments, keys, [None] * len(keys), ["machine"] * len(keys))
    if source.path is None:
        return plan  # standard input has no catalog
    plan.catalog_path = catalogs.catalog_path(out_dir, lang, source.name)
    plan.catalog = catalogs.read_catalog(plan.catalog_path)
    if plan.catalog is None:
        return plan
    for i, key in enumerate(keys):
        entry = plan.catalog.entries.get(key)
        if entry is None or not entry.msgstr:
            continue
        reviewed = catalogs.is_reviewed(entry)
        if reviewed or not refresh:
            plan.kept[i] = plan.catalog.raw.get(key) or str(entry).rstrip("\n")
            plan.origins[i] = "reviewed" if reviewed else "kept"
    return plan


@dataclass
class CatalogPlan:
    """A gettext catalog to pre-translate: entries kept from the last output, sentences to do."""

    source: Source
    output: Path
    kept: dict[catalogs.Key, polib.POEntry]
    pieces: list[pofiles.Piece]


def plan_catalog(source: Source, out_dir: Path, lang: str, refresh: bool) -> CatalogPlan:
    output = catalogs.catalog_path(out_dir, lang, source.name)
    previous = catalogs.read_catalog(output)
    kept = {}
    for key, entry in (previous.entries.items() if previous else ()):
        if catalogs.is_reviewed(entry) or (not refresh and (entry.msgstr or entry.msgstr_plural)):
            kept[key] = entry
    # An entry is kept only while its source text is the one it was translated from.
    kept = {e_key: kept[e_key] for e in pofiles.translatable(source.catalog)
            if (e_key := catalogs.entry_key(e)) in kept and kept[e_key].msgid_plural == e.msgid_plural}
    return CatalogPlan(source, output, kept, pofiles.pieces(source.catalog, set(kept)))


def write_catalog(plan: CatalogPlan, done: dict[str, SentenceResult], src: str, lang: str,
              models: str) -> FileResult:
    latest = catalogs.read_catalog(plan.output)  # a person may have saved it meanwhile
    kept = dict(plan.kept)
    for key, entry in (latest.entries.items() if latest else ()):
        if catalogs.is_reviewed(entry):
            kept[key] = entry
    texts = {p.text: done[p.text].text for p in plan.pieces}
    atomic_write_text(plan.output, pofiles.pretranslate(
        plan.source.catalog, lang, texts, kept, f"machine translation: {models}"))
    segments = [Segment(p.text, p.line, "message") for p in plan.pieces]
    return FileResult(plan.source.name, lang, src, plan.output, segments=segments,
                      sentences=[done[p.text] for p in plan.pieces], catalog=plan.output)


def from_memory(key: catalogs.Key, msgstr: str, catalog_name: str, occurrence: tuple[str, int]) -> polib.POEntry:
    return polib.POEntry(msgctxt=key[0], msgid=key[1], msgstr=msgstr,
                         occurrences=[(occurrence[0], str(occurrence[1]))],
                         comment=f"reviewed translation reused from {catalog_name}")


def _entry_comments(sentence: SentenceResult, models: str) -> list[str]:
    """The `#.` lines of a machine entry: model, each term's fate, QA findings, why to review."""
    lines = [f"machine translation: {models}"]
    for t in sentence.terms:
        detail = f"{t.state}: {t.reason}" if t.reason else t.state
        lines.append(f"term: {t.term} -> {t.rendering or '(no rendering)'} ({detail})")
    lines += [f"qa {f.severity}: {f.message}" for f in sentence.findings if f.severity != ERROR]
    lines += [f"needs review: {reason}" for reason in sentence.reasons]
    return lines


def write_document(plan: DocumentPlan, done: dict[str, SentenceResult], src: str, lang: str, out_dir: Path,
           models: str) -> FileResult:
    """Save the document's catalog, then render the document from it (reviewed text wins)."""
    source = plan.source
    sentences: list[SentenceResult] = []
    planned: list[tuple[catalogs.Key, str | polib.POEntry]] = []
    for i, key in enumerate(plan.keys):
        kept = plan.kept[i]
        if kept is None:
            sentence = done[key[1]]
            planned.append((key, catalogs.machine_entry(key, sentence.text, plan.occurrence(i),
                                                        _entry_comments(sentence, models))))
        else:
            origin = plan.origins[i] if isinstance(kept, str) else "memory"
            sentence = SentenceResult(key[1], "", origin=origin)
            planned.append((key, kept))
        sentences.append(sentence)
    file_result = FileResult(source.name, lang, src, None, segments=plan.segments, sentences=sentences)
    if plan.catalog_path is None:
        file_result.text = source.document.render([s.text for s in sentences])
        return file_result
    texts = catalogs.save_catalog(
        plan.catalog_path, lang, Path(source.name).name,
        catalogs.relative_source(plan.catalog_path, source.path), planned, plan.catalog)
    for sentence, key in zip(sentences, plan.keys):
        if texts[key] != sentence.text:
            sentence.text = texts[key]
            if sentence.origin == "machine":
                sentence.origin = "reviewed"  # a person saved this entry while the run was going
    file_result.catalog = plan.catalog_path
    file_result.output = output_path(out_dir, lang, source)
    atomic_write_text(file_result.output, source.document.render([s.text for s in sentences]))
    return file_result
