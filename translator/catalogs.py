"""Review catalogs: every machine translation as a PO file a reviewer corrects in any PO editor.

One catalog per document and language (`<out>/<lang>/<name>.po`), one entry per sentence:
msgid = source sentence, msgstr = translation, `#:` source file and line, `#.` what happened to
glossary terms and what QA found, `fuzzy` on every machine translation nobody has reviewed, and
msgctxt ("occurrence 2", ...) to keep a sentence repeated in the document apart.

A reviewer's work is never lost:

* an entry that is not fuzzy and has a msgstr is *reviewed*: a later run keeps it byte for byte
  (its raw text is copied, not re-serialised) and never sends its sentence to the model;
* an unchanged machine entry is kept too (no second trip through the model);
* an entry whose sentence left the document becomes obsolete (`#~`), not deleted;
* reviewed entries of every catalog of a language form an exact-match memory for new sentences;
* a catalog is re-read just before it is replaced, so edits saved while a run was going win.

Catalogs are read by `glossary.po` (as strict as msgfmt, the raw text of every entry kept) and
written through polib's serialisation and an atomic rename.
"""
from __future__ import annotations

import os
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import polib

from glossary import po

from . import __version__, languages
from .errors import InputError
from .files import atomic_write_text, decode_po

Key = tuple[str | None, str]  # (msgctxt, msgid)

GENERATOR = f"translator {__version__}"


def catalog_path(out_dir: Path, lang: str, source_name: str) -> Path:
    return out_dir / lang / (Path(source_name).stem + ".po")


def segment_keys(texts: Sequence[str]) -> list[Key]:
    """The catalog key of each segment: its text, with a context for the 2nd, 3rd... repeat."""
    seen: dict[str, int] = {}
    keys = []
    for text in texts:
        seen[text] = seen.get(text, 0) + 1
        keys.append((None if seen[text] == 1 else f"occurrence {seen[text]}", text))
    return keys


def entry_key(entry: polib.POEntry) -> Key:
    return (entry.msgctxt, entry.msgid)


def is_reviewed(entry: polib.POEntry) -> bool:
    """A person's translation: not fuzzy, not obsolete, and translated."""
    return not entry.obsolete and _translated_by_a_person(entry)


@dataclass
class Catalog:
    """A catalog as found on disk: its entries and the raw text of each, to copy unchanged.

    `entries` and `raw` hold the live entries; obsolete ones (``#~``) are in `obsolete` (raw
    text, in file order) and `retired` (parsed).
    """

    path: Path
    data: bytes
    metadata: dict[str, str]
    entries: dict[Key, polib.POEntry] = field(default_factory=dict)
    raw: dict[Key, str] = field(default_factory=dict)
    obsolete: list[tuple[Key, str]] = field(default_factory=list)
    retired: dict[Key, polib.POEntry] = field(default_factory=dict)

    def reviewed(self) -> Iterable[polib.POEntry]:
        return (e for e in self.entries.values() if is_reviewed(e))


def read_catalog(path: Path) -> Catalog | None:
    """The catalog at `path`, or None when there is none yet; InputError naming the file and line
    when it is not a valid PO file."""
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        return None
    except OSError as exc:
        raise InputError(f"cannot read {path}: {exc.strerror}") from None
    parsed = decode_po(data, path)
    catalog = Catalog(path, data, dict(parsed.catalog.metadata))
    for entry, raw in parsed.with_raw():
        key = entry_key(entry)
        if entry.obsolete:
            catalog.obsolete.append((key, raw))
            catalog.retired[key] = entry
        else:
            catalog.entries[key] = entry
            catalog.raw[key] = raw
    return catalog


def memory(folder: Path) -> dict[str, tuple[str, str]]:
    """Reviewed translations of every catalog in `folder`: msgid -> (msgstr, catalog name).

    Obsolete entries a person translated count too: a sentence that comes back to a document
    gets its reviewed translation again instead of a machine one.
    """
    found: dict[str, tuple[str, str]] = {}
    if not folder.is_dir():
        return found
    for path in sorted(folder.glob("*.po")):
        try:
            catalog = read_catalog(path)
        except InputError:
            continue  # a broken catalog is reported when its own document is translated
        if catalog is None:
            continue
        retired = (e for e in catalog.retired.values() if _translated_by_a_person(e))
        for entry in (*catalog.reviewed(), *retired):
            if not entry.msgid_plural:
                found.setdefault(entry.msgid, (entry.msgstr, path.name))
    return found


def _translated_by_a_person(entry: polib.POEntry) -> bool:
    """`is_reviewed`, obsolete or not."""
    if "fuzzy" in entry.flags:
        return False
    if entry.msgid_plural:
        return bool(entry.msgstr_plural) and all(entry.msgstr_plural.values())
    return bool(entry.msgstr)


def machine_entry(key: Key, msgstr: str, occurrence: tuple[str, int], comments: Sequence[str]) -> polib.POEntry:
    """A fresh machine translation: fuzzy, with what happened to it in `#.` comments."""
    return polib.POEntry(
        msgctxt=key[0], msgid=key[1], msgstr=msgstr, occurrences=[(occurrence[0], str(occurrence[1]))],
        comment="\n".join(comments), flags=["fuzzy"],
    )


def _header(lang: str, project: str, source_file: str, old: dict[str, str] | None,
            touch: bool) -> dict[str, str]:
    now = datetime.now(UTC).strftime("%Y-%m-%d %H:%M+0000")
    metadata = {
        "Project-Id-Version": project,
        "Report-Msgid-Bugs-To": "",
        "POT-Creation-Date": now,
        "PO-Revision-Date": now,
        "Last-Translator": "translator (machine translation)",
        "Language-Team": languages.name(lang),
        "Language": lang,
        "MIME-Version": "1.0",
        "Content-Type": "text/plain; charset=UTF-8",
        "Content-Transfer-Encoding": "8bit",
        "Plural-Forms": po.plural_forms(lang),
        "X-Generator": GENERATOR,
        "X-Source-File": source_file,
    }
    if old:
        # Keep what a person or their editor set (Last-Translator, Language-Team, dates...).
        kept = ["POT-Creation-Date", "Last-Translator", "Language-Team", "Report-Msgid-Bugs-To"]
        for name in kept + ([] if touch else ["PO-Revision-Date"]):
            if old.get(name):
                metadata[name] = old[name]
    return metadata


def render_header(lang: str, project: str, source_file: str, old: dict[str, str] | None,
                  touch: bool = True) -> str:
    """The header entry; `touch` sets a new PO-Revision-Date (the entries are rendered apart)."""
    header = polib.POFile(wrapwidth=78)
    header.metadata = _header(lang, project, source_file, old, touch)
    header.header = f"Review catalog for {project} ({languages.name(lang)}), made by {GENERATOR}.\n" \
                    "Entries marked fuzzy are machine translations nobody has reviewed yet:\n" \
                    "correct the text and clear the fuzzy flag; later runs keep your work."
    return str(header).rstrip("\n")


def render_entries(entries: Sequence[tuple[Key, str | polib.POEntry]],
                   obsolete: Sequence[tuple[Key, str | polib.POEntry]]) -> str:
    """Every entry after the header (polib's wrapping makes this the costly part of a catalog)."""
    parts = [""]
    for _, item in list(entries) + list(obsolete):
        parts.append(item if isinstance(item, str) else str(item).rstrip("\n"))
    return "\n\n".join(parts) + "\n"


def save_catalog(
    path: Path,
    lang: str,
    project: str,
    source_file: str,
    planned: Sequence[tuple[Key, str | polib.POEntry]],
    read_before: Catalog | None,
) -> dict[Key, str]:
    """Write the catalog, letting reviewed entries saved meanwhile win; return each key's msgstr.

    `planned` is the entry for every segment as this run decided it (raw text kept from the
    catalog read at the start, or a new machine entry). The file is read again now: when a
    person reviewed an entry while the run was going, their entry replaces the planned one.
    """
    current = read_catalog(path)
    changed_meanwhile = current is not None and (read_before is None or current.data != read_before.data)
    final: list[tuple[Key, str | polib.POEntry]] = []
    for key, item in planned:
        if changed_meanwhile and current is not None and key in current.entries \
                and is_reviewed(current.entries[key]):
            item = current.raw.get(key) or str(current.entries[key]).rstrip("\n")
        final.append((key, item))
    keys = {key for key, _ in final}
    obsolete: list[tuple[Key, str | polib.POEntry]] = []
    if current is not None:
        for key, entry in current.entries.items():
            if key not in keys:
                gone = polib.POEntry(msgctxt=entry.msgctxt, msgid=entry.msgid, msgstr=entry.msgstr,
                                     msgid_plural=entry.msgid_plural, msgstr_plural=entry.msgstr_plural,
                                     flags=entry.flags, comment=entry.comment, tcomment=entry.tcomment)
                gone.obsolete = True
                obsolete.append((key, gone))
        seen = {key for key, _ in obsolete} | keys
        obsolete += [(key, raw) for key, raw in current.obsolete if key not in seen]
    old = current.metadata if current else None
    body = render_entries(final, obsolete)
    untouched = render_header(lang, project, source_file, old, touch=False) + body
    if current is None or untouched != current.data.decode("utf-8"):
        # Only a catalog whose content changes gets a new revision date (no churn in diffs).
        atomic_write_text(path, render_header(lang, project, source_file, old) + body)
    return {key: _msgstr(key, item, path, (current, read_before)) for key, item in final}


def _msgstr(key: Key, item: str | polib.POEntry, path: Path,
            catalogs: tuple[Catalog | None, ...]) -> str:
    """The translation an entry holds, whether it is a polib entry or raw text from a catalog."""
    if isinstance(item, polib.POEntry):
        return str(item.msgstr)
    for catalog in catalogs:
        if catalog is not None and catalog.raw.get(key) == item:
            return str(catalog.entries[key].msgstr)
    return str(decode_po(item.encode("utf-8"), path).catalog[0].msgstr)


def relative_source(catalog: Path, source: Path) -> str:
    """The source file as seen from the catalog's folder (stored in the X-Source-File header)."""
    return Path(os.path.relpath(source.resolve(), catalog.parent.resolve())).as_posix()
