"""The termbase on disk: gettext PO files, read and written so that every PO tool accepts them.

Layout of a glossary directory (default ``./locales``)::

    glossary.pot          one entry per concept: msgid = canonical English term, msgstr ""
    es/glossary.po        the same entries with msgstr = the Spanish rendering
    zh/glossary.po        ... one directory per target language

Where each fact lives (see also README.md, "Glossary"):

========================  ====================================================================
``msgctxt``               only to split homographs (two concepts spelled alike)
``#. variant: TEXT``      another English spelling of the concept, one line each
``#. note: TEXT``         a note for translators and reviewers
``#, case-sensitive``     match the term's exact capitals (acronyms)
``msgstr``                the rendering in that language ("" while there is none)
``#, fuzzy``              (PO) the rendering is a proposal: reported, not enforced
``#, do-not-translate``   (PO) the rendering is the source term itself
``# forbidden: TEXT``     (PO) a rendering that must not be used, one line each
``# other text``          (PO) a translator's free comment, kept as written
========================  ====================================================================

The POT is the authority for source facts (context, variants, note, case); each PO carries a
copy of them, rewritten on every save, so a PO editor shows them next to the rendering. A
comment line that starts with a space continues the line above: long values are wrapped that way
so that polib (which re-wraps comments longer than 78 columns) never changes a file it reads.

API: `read_po`/`write_po` move one catalog between a file object and a `polib.POFile` (tests use
`io.BytesIO`): `glossary.po` reads and writes it, and `read_po` adds the glossary's own rule (no
plural entries); `to_termbase`/`to_catalogs` convert catalogs to and from a `Termbase`; `load`
and `save` do whole directories, and `edit` wraps load-change-save in an exclusive lock so that
two concurrent writers cannot drop each other's entries. `save` writes every changed file with
`glossary.po.atomic_write` (a temporary file renamed into place, so a crash never leaves half a
file); it writes nothing when nothing changed, and entries are sorted, so diffs stay small.
"""
from __future__ import annotations

import os
import textwrap
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import IO

import polib

from . import po
from .errors import GlossaryError, GlossaryNotFoundError, PoSyntaxError
from .model import Concept, Rendering, Termbase, check_language, sort_key
from .po import atomic_write

__all__ = [
    "LOCK_NAME",
    "POT_NAME",
    "PO_NAME",
    "atomic_write",
    "edit",
    "load",
    "read_po",
    "render_catalog",
    "save",
    "to_catalogs",
    "to_termbase",
    "write_po",
]

POT_NAME = "glossary.pot"
PO_NAME = "glossary.po"
LOCK_NAME = ".glossary.lock"

FUZZY = "fuzzy"
CASE_SENSITIVE = "case-sensitive"
KEEP = "do-not-translate"
_OWN_FLAGS = {FUZZY, CASE_SENSITIVE, KEEP}

VARIANT = "variant:"
NOTE = "note:"
FORBIDDEN = "forbidden:"
COMMENT = "comment:"

_WIDTH = 75  # polib re-wraps a comment line when prefix + text exceed 78 columns


@dataclass
class CatalogHeader:
    """What a file holds besides its entries, kept between load and save (internal to storage)."""

    comment: str
    metadata: dict[str, str]
    fuzzy: bool = False
    obsolete: list[polib.POEntry] = field(default_factory=list)


# -- one catalog <-> file object ---------------------------------------------------------------
def read_po(fileobj: IO[bytes], name: str = "<stream>") -> polib.POFile:
    """Parse one glossary catalog from a binary file object; `name` is what errors call it.

    `glossary.po.read` does the reading (as strict as msgfmt, PoSyntaxError with the line); a
    glossary also refuses plural entries, which a term cannot mean.
    """
    catalog = po.read_file(fileobj, name).catalog
    for entry in catalog:
        if entry.msgid_plural and not entry.obsolete:
            raise PoSyntaxError(name, entry.linenum, "plural entries have no meaning in a glossary")
    return catalog


def write_po(fileobj: IO[bytes], catalog: polib.POFile) -> None:
    """Write `catalog` exactly as `polib.POFile.save` would, so polib round-trips it unchanged."""
    po.write(fileobj, catalog)


# -- comments --------------------------------------------------------------------------------
def _logical_lines(block: str) -> list[str]:
    lines: list[str] = []
    for line in block.split("\n"):
        if line.startswith(" ") and lines:
            lines[-1] = f"{lines[-1]} {line.strip()}".strip()
        elif line.strip():
            lines.append(line.rstrip())
    return lines


def _physical_lines(line: str) -> list[str]:
    wrapped = textwrap.wrap(
        line, _WIDTH, subsequent_indent=" ", break_long_words=False, break_on_hyphens=False
    )
    return wrapped or [line]


def _parse_source_comment(block: str) -> tuple[list[str], list[str]]:
    variants, note = [], []
    for line in _logical_lines(block):
        if line.startswith(VARIANT):
            variants.append(line[len(VARIANT):].strip())
        elif line.startswith(NOTE):
            note.append(line[len(NOTE):].strip())
        else:
            note.append(line.strip())  # a note written by hand, without the prefix
    return variants, note


def _format_source_comment(concept: Concept) -> str:
    if not (concept.variants or concept.note):
        return ""  # most concepts: nothing to write
    lines = [f"{VARIANT} {v}" for v in concept.variants]
    lines += [f"{NOTE} {n.strip()}" for n in concept.note.split("\n") if n.strip()]
    return "\n".join(p for line in lines for p in _physical_lines(line))


def _parse_translator_comment(block: str) -> tuple[list[str], list[str]]:
    forbidden, comment = [], []
    for line in _logical_lines(block):
        if line.startswith(FORBIDDEN):
            forbidden.append(line[len(FORBIDDEN):].strip())
        elif line.startswith(COMMENT):
            comment.append(line[len(COMMENT):].strip())
        else:
            comment.append(line)
    return forbidden, comment


def _format_translator_comment(rendering: Rendering | None) -> str:
    if rendering is None or not (rendering.comment or rendering.forbidden):
        return ""  # most renderings: nothing to write
    lines = []
    for line in rendering.comment.split("\n"):
        if not line.strip():
            continue
        # Plain text stays plain (it is what a PO editor shows); only text that would read back
        # as something else is escaped.
        if line.startswith((FORBIDDEN, COMMENT, " ")):
            line = f"{COMMENT} {line.strip()}"
        lines.append(line)
    lines += [f"{FORBIDDEN} {f}" for f in rendering.forbidden]
    return "\n".join(p for line in lines for p in _physical_lines(line))


# -- catalogs <-> termbase ---------------------------------------------------------------------
def _concept_from_entry(entry: polib.POEntry, name: str) -> Concept:
    variants, note = _parse_source_comment(entry.comment or "")
    extra = tuple(f for f in entry.flags if f not in _OWN_FLAGS)
    try:
        return Concept(
            term=entry.msgid,
            context=entry.msgctxt,
            variants=tuple(variants),
            case_sensitive=CASE_SENSITIVE in entry.flags,
            note="\n".join(note),
            flags=extra,
        )
    except GlossaryError as exc:
        raise PoSyntaxError(name, entry.linenum, str(exc)) from None


def _header(catalog: polib.POFile) -> CatalogHeader:
    return CatalogHeader(
        comment=catalog.header,
        metadata=dict(catalog.metadata),
        fuzzy=bool(catalog.metadata_is_fuzzy),
        obsolete=[e for e in catalog if e.obsolete],
    )


def to_termbase(
    template: polib.POFile,
    translations: Mapping[str, polib.POFile],
    names: Mapping[str, str] | None = None,
) -> Termbase:
    """Build a termbase from the POT and the PO of each language (keyed by language code).

    A PO entry missing from the POT still becomes a concept (from the copy of the source facts
    in the PO), so nothing a translator added is lost; the next save puts it in the POT too.
    """
    names = dict(names or {})
    pot_name = names.get("", POT_NAME)
    concepts: dict[tuple[str | None, str], Concept] = {}
    for entry in template:
        if entry.obsolete or not entry.msgid:
            continue
        concept = _concept_from_entry(entry, pot_name)
        concepts[concept.key] = concept
    termbase = Termbase(languages=translations)
    headers = {"": _header(template)}
    for lang, catalog in sorted(translations.items()):
        po_name = names.get(lang, f"{lang}/{PO_NAME}")
        headers[lang] = _header(catalog)
        for entry in catalog:
            if entry.obsolete or not entry.msgid:
                continue
            key = (entry.msgctxt, entry.msgid)
            concept = concepts.get(key) or _concept_from_entry(entry, po_name)
            forbidden, comment = _parse_translator_comment(entry.tcomment or "")
            own = _OWN_FLAGS | set(concept.flags)
            try:
                rendering = Rendering(
                    lang=lang,
                    text=entry.msgstr,
                    fuzzy=FUZZY in entry.flags,
                    keep=KEEP in entry.flags,
                    forbidden=tuple(forbidden),
                    comment="\n".join(comment),
                    flags=tuple(f for f in entry.flags if f not in own),
                )
            except GlossaryError as exc:
                raise PoSyntaxError(po_name, entry.linenum, str(exc)) from None
            concepts[concept.key] = concept.with_rendering(rendering)
    for concept in concepts.values():
        termbase.add(concept, allow_conflicts=True)
    termbase.meta["headers"] = headers
    return termbase


def _default_header(lang: str | None) -> CatalogHeader:
    now = datetime.now(UTC).strftime("%Y-%m-%d %H:%M+0000")
    if lang is None:
        comment = (
            "Source terms of the translator glossary: msgid is the canonical English term.\n"
            "Renderings live in <lang>/glossary.po. Conventions: README.md, \"Glossary\"."
        )
        code, team = "en", "English"
    else:
        name = po.language_name(lang)
        comment = (
            f"{name} renderings of the translator glossary: msgstr is the approved rendering.\n"
            "Edit with `translator glossary` or any PO editor. Conventions: README.md, \"Glossary\"."
        )
        code, team = lang, name
    metadata = {
        "Project-Id-Version": "translator glossary",
        "PO-Revision-Date": now,
        "Last-Translator": "translator glossary",
        "Language-Team": team,
        "Language": code,
        "MIME-Version": "1.0",
        "Content-Type": "text/plain; charset=UTF-8",
        "Content-Transfer-Encoding": "8bit",
    }
    if lang is not None:
        metadata["Plural-Forms"] = po.plural_forms(lang)
    return CatalogHeader(comment=comment, metadata=metadata)


def _new_catalog(header: CatalogHeader) -> polib.POFile:
    catalog = polib.POFile(wrapwidth=78)
    catalog.header = header.comment
    catalog.metadata = dict(header.metadata)
    catalog.metadata_is_fuzzy = header.fuzzy
    return catalog


def to_catalogs(termbase: Termbase) -> tuple[polib.POFile, dict[str, polib.POFile]]:
    """The POT and one PO per target language, entries in termbase order, ready to write."""
    headers: dict[str, CatalogHeader] = termbase.meta.get("headers", {})  # type: ignore[assignment]
    template = _new_catalog(headers.get("") or _default_header(None))
    translations = {
        lang: _new_catalog(headers.get(lang) or _default_header(lang))
        for lang in termbase.languages
    }
    for concept in sorted(termbase, key=sort_key):
        source_comment = _format_source_comment(concept)
        source_flags = ([CASE_SENSITIVE] if concept.case_sensitive else []) + list(concept.flags)
        template.append(
            polib.POEntry(
                msgctxt=concept.context, msgid=concept.term, msgstr="",
                comment=source_comment, flags=list(source_flags),
            )
        )
        for lang, catalog in translations.items():
            rendering = concept.entry(lang)
            flags = ([FUZZY] if rendering is not None and rendering.fuzzy else []) + source_flags
            if rendering is not None:
                flags += ([KEEP] if rendering.keep else []) + list(rendering.flags)
            catalog.append(
                polib.POEntry(
                    msgctxt=concept.context, msgid=concept.term,
                    msgstr=rendering.text if rendering is not None else "",
                    comment=source_comment, tcomment=_format_translator_comment(rendering),
                    flags=flags,
                )
            )
    for key, catalog in [("", template), *translations.items()]:
        header = headers.get(key)
        for entry in header.obsolete if header else []:
            catalog.append(entry)
    return template, translations


# -- directories -------------------------------------------------------------------------------
def _read_file(path: Path, name: str) -> polib.POFile:
    with open(path, "rb") as handle:
        return read_po(handle, name)


def _language_dirs(directory: Path) -> dict[str, Path]:
    found = {}
    if directory.is_dir():
        for child in sorted(directory.iterdir()):
            po = child / PO_NAME
            if po.is_file():
                try:
                    found[check_language(child.name)] = po
                except GlossaryError:
                    continue  # not a language directory (docs, scripts): not ours to read
    return found


def _load_unlocked(directory: Path, missing_ok: bool) -> Termbase:
    pot = directory / POT_NAME
    po_files = _language_dirs(directory)
    if not pot.is_file() and not po_files:
        if missing_ok:
            return Termbase()
        raise GlossaryNotFoundError(str(directory))
    names = {"": str(pot)} | {lang: str(path) for lang, path in po_files.items()}
    template = _read_file(pot, str(pot)) if pot.is_file() else polib.POFile()
    translations = {lang: _read_file(path, str(path)) for lang, path in po_files.items()}
    termbase = to_termbase(template, translations, names)
    if not pot.is_file():
        headers = termbase.meta["headers"]
        assert isinstance(headers, dict)
        headers.pop("", None)
    return termbase


def load(directory: str | os.PathLike[str]) -> Termbase:
    """Read the glossary in `directory` (glossary.pot plus every <lang>/glossary.po).

    Takes a shared lock when it can, so it never reads one file before and another after a
    concurrent save.
    """
    directory = Path(directory)
    with po.lock(directory / LOCK_NAME, shared=True, required=False):
        return _load_unlocked(directory, missing_ok=False)


def save(termbase: Termbase, directory: str | os.PathLike[str]) -> list[Path]:
    """Write the termbase to `directory` and return the files that changed.

    Call it through `edit` when other processes may write the same glossary: on its own it
    overwrites whatever is on disk with what is in memory. The files are made one at a time,
    straight from the concepts (the same bytes as `to_catalogs` then `po.render`, without an
    entry object per concept), so a million-term glossary holds one file's bytes at a time.
    """
    directory = Path(directory)
    changed: list[Path] = []

    def wanted() -> Iterator[tuple[Path, bytes]]:
        # PO files first, the POT last: a crash in between leaves renderings without their source
        # entry, which the next load still reads (see to_termbase), never a source entry lost.
        for lang in [*termbase.languages, None]:
            path = directory / POT_NAME if lang is None else directory / lang / PO_NAME
            data = render_catalog(termbase, lang)
            if not (path.is_file() and path.stat().st_size == len(data) and path.read_bytes() == data):
                changed.append(path)
                yield path, data

    atomic_write(wanted())
    return changed


def render_catalog(termbase: Termbase, lang: str | None) -> bytes:
    """The bytes of the POT (`lang` None) or of one language's PO, as `save` writes them: the
    file's kept header and obsolete entries (`to_termbase` read them), every concept in order."""
    headers: dict[str, CatalogHeader] = termbase.meta.get("headers", {})  # type: ignore[assignment]
    header = headers.get(lang or "")
    catalog = _new_catalog(header or _default_header(lang))
    for entry in header.obsolete if header else []:
        catalog.append(entry)
    return po.render(catalog, live=_entry_texts(termbase, lang))


def _entry_texts(termbase: Termbase, lang: str | None) -> Iterator[str]:
    """Each concept's entry in the POT or one language's PO, as text: the entries `to_catalogs`
    builds, formatted as `po.format_entry` writes them."""
    for concept in termbase:
        source_comment = _format_source_comment(concept)
        source_flags = ([CASE_SENSITIVE] if concept.case_sensitive else []) + list(concept.flags)
        if lang is None:
            yield po.format_message(concept.context, concept.term, "", comment=source_comment,
                                    flags=source_flags)
            continue
        rendering = concept.entry(lang)
        flags = ([FUZZY] if rendering is not None and rendering.fuzzy else []) + source_flags
        if rendering is not None:
            flags += ([KEEP] if rendering.keep else []) + list(rendering.flags)
        yield po.format_message(concept.context, concept.term,
                                rendering.text if rendering is not None else "",
                                comment=source_comment, tcomment=_format_translator_comment(rendering),
                                flags=flags)


@contextmanager
def edit(
    directory: str | os.PathLike[str], *, create: bool = False, timeout: float = 30.0
) -> Iterator[Termbase]:
    """Load, let the caller change the termbase, save: all under an exclusive lock.

    A second writer waits for the first and then loads what the first saved, so neither drops
    the other's entry. Nothing is saved when the block raises. With `create`, a directory with
    no glossary yet yields an empty termbase (the first `add` creates the files); without it,
    that is GlossaryNotFoundError, and nothing is created.
    """
    directory = Path(directory)
    if create:
        directory.mkdir(parents=True, exist_ok=True)
    elif not (directory / POT_NAME).is_file() and not _language_dirs(directory):
        raise GlossaryNotFoundError(str(directory))
    with po.lock(directory / LOCK_NAME, shared=False, timeout=timeout):
        termbase = _load_unlocked(directory, missing_ok=create)
        yield termbase
        save(termbase, directory)
