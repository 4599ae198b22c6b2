"""Render translated documents from review catalogs, without any model.

A reviewer fixes the catalog (`<out>/<lang>/<name>.po`); `translator build` puts their text back
into the shape of the source document named in the catalog's `X-Source-File` header. Reviewed
entries always win; fuzzy machine entries are used unless only reviewed text is wanted, in which
case those sentences stay in the source language and are counted.
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from glossary.model import is_language_code

from . import catalogs, formats, inline
from .errors import InputError
from .files import atomic_write_bytes, read_bytes


@dataclass
class Built:
    catalog: Path
    output: Path
    reviewed: int = 0
    machine: int = 0
    untranslated: int = 0  # sentences left in the source language


def source_of(catalog: catalogs.Catalog) -> Path:
    """The source document a catalog was made from; InputError when it cannot be found."""
    named = catalog.metadata.get("X-Source-File")
    if not named:
        raise InputError(f"{catalog.path} names no source document (X-Source-File header); "
                         "build works on catalogs written by translator translate")
    for name in catalogs.source_file_candidates(named):
        for candidate in (catalog.path.parent / name, Path(name)):
            if candidate.is_file():
                return candidate
    raise InputError(f"{catalog.path}: its source document {named} is missing; "
                     "restore it next to the catalog's folder as it was when translated")


def build_document(catalog_path: Path, out_dir: Path | None = None, reviewed_only: bool = False,
                   built_here: dict[Path, Path] | None = None) -> Built:
    """Write the document of one catalog into `out_dir` (default: the catalog's folder).

    `built_here` maps the documents this command wrote to their catalogs: with `--out`, the
    catalogs of same-named files from different subfolders of an archive would be built into
    one file, and the second is refused rather than written over the first.
    """
    catalog = catalogs.read_catalog(catalog_path)
    if catalog is None:
        raise InputError(f"{catalog_path}: no such file")
    source = source_of(catalog)
    adapter = formats.adapter_for(str(source))
    if adapter.kind != "document":
        raise InputError(f"{catalog_path}: its source {source} is a catalog, not a document; "
                         "its translation is the catalog itself")
    document = adapter.parse(read_bytes(source), source.name)
    segments = document.segments()
    lang = catalog.metadata.get("Language", "").strip()
    if lang and not is_language_code(lang):
        # The code names a folder under --out: header text never becomes a path.
        raise InputError(f"{catalog_path}: its Language header {lang!r} is not a language code "
                         "like es, zh or pt_BR; correct the header")
    folder = (out_dir / lang if lang else out_dir) if out_dir is not None else catalog_path.parent
    target = folder / source.name
    if target.resolve() == source.resolve():
        raise InputError(f"{catalog_path}: building it here would overwrite its source {source}; "
                         "choose a folder with --out")
    first = built_here.get(target.resolve()) if built_here is not None else None
    if first is not None:
        raise InputError(f"{catalog_path}: its document would be built as {target}, like {first}'s; "
                         "build them into separate folders with --out")
    if built_here is not None:
        built_here[target.resolve()] = catalog_path
    built = Built(catalog_path, target)
    texts = []
    for segment, key in zip(segments, catalogs.segment_keys([s.text for s in segments])):
        entry = catalog.entries.get(key)
        if entry is not None and entry.msgstr and segment.tags:
            problems = inline.check(entry.msgstr, segment.tags)
            if problems:
                raise InputError(f"{catalog_path}:{entry.linenum}: {problems[0]} in the translation of "
                                 f"{segment.text[:60]!r}; keep each <N>...</N> of the source around the "
                                 "words it marks, then build again")
        if entry is not None and catalogs.is_reviewed(entry):
            built.reviewed += 1
            texts.append(entry.msgstr)
        elif entry is not None and entry.msgstr and not reviewed_only:
            built.machine += 1
            texts.append(entry.msgstr)
        else:
            built.untranslated += 1
            texts.append(segment.text)
    atomic_write_bytes(target, adapter.render(document, texts, lang=lang or None))
    return built
