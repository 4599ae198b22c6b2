"""Review catalogs: every machine translation as a PO file a reviewer corrects in any PO editor.

One catalog per document and language (`<out>/<lang>/<name>.po`), one entry per sentence:
msgid = source sentence, msgstr = translation, `#:` source file and line, `#.` what happened to
glossary terms and what QA found, `fuzzy` on every machine translation nobody has reviewed, and
msgctxt ("occurrence 2", ...) to keep a sentence repeated in the document apart.

A reviewer's work is never lost:

* an entry that is not fuzzy and has a msgstr is *reviewed*: a later run keeps it byte for byte
  (its raw text is copied, not re-serialised) and never sends its sentence to the model;
* an unchanged machine entry is kept too (no second trip through the model);
* an entry whose sentence left the document becomes obsolete (`#~`), not deleted, and comes back
  to life (its translation and flags as they were) when the sentence does;
* reviewed entries of every catalog of a language form an exact-match memory for new sentences;
* a catalog is re-read just before it is replaced, and replaced only if it did not change after
  that reading (else it is merged again), so an edit saved while a run is going always wins.

Catalogs are read by `glossary.po` (as strict as msgfmt, the raw text of every entry kept) and
written through its serialisation (`glossary.po.format_entry`) and an atomic rename.
"""
from __future__ import annotations

import os
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import polib

from glossary import po

from . import __version__, languages
from .errors import InputError
from .files import decode_po, replace_if_unchanged

Key = tuple[str | None, str]  # (msgctxt, msgid)

GENERATOR = f"translator {__version__}"


def catalog_path(out_dir: Path, lang: str, output_name: str) -> Path:
    """OUT/LANG/NAME.po for an input whose outputs are OUT/LANG/`output_name` (a bare name, or a
    path inside a folder the user gave: the catalog sits beside its document)."""
    name = Path(output_name)
    return out_dir / lang / name.parent / (name.stem + ".po")


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
    text, in file order) and `retired` (parsed). `parsed` is the reading itself, which the next
    reading of the same file reuses (`read_catalog(..., reuse=)`).
    """

    path: Path
    data: bytes
    metadata: dict[str, str]
    entries: dict[Key, polib.POEntry] = field(default_factory=dict)
    raw: dict[Key, str] = field(default_factory=dict)
    obsolete: list[tuple[Key, str]] = field(default_factory=list)
    retired: dict[Key, polib.POEntry] = field(default_factory=dict)
    parsed: po.PoFile | None = field(default=None, repr=False)

    def reviewed(self) -> Iterable[polib.POEntry]:
        return (e for e in self.entries.values() if is_reviewed(e))


def read_catalog(path: Path, reuse: Catalog | None = None) -> Catalog | None:
    """The catalog at `path`, or None when there is none yet; InputError naming the file and line
    when it is not a valid PO file.

    `reuse` is an earlier reading of the same file: an unchanged file is not read again, and a
    changed one only where it changed (a run reads each catalog again just before replacing it).
    """
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        return None
    except OSError as exc:
        raise InputError(f"cannot read {path}: {exc.strerror}") from None
    if reuse is not None and reuse.data == data:
        return reuse
    parsed = decode_po(data, path, reuse=reuse.parsed if reuse is not None else None)
    catalog = Catalog(path, data, dict(parsed.catalog.metadata), parsed=parsed)
    with po.collector_paused():  # a key per entry: no cycle, and collections would walk them all
        for entry, raw in parsed.with_raw():
            key = entry_key(entry)
            if entry.obsolete:
                catalog.obsolete.append((key, raw))
                catalog.retired[key] = entry
            else:
                catalog.entries[key] = entry
                catalog.raw[key] = raw
    return catalog


def revived(entry: polib.POEntry, occurrence: tuple[str, int] | None = None) -> polib.POEntry:
    """A live copy of an obsolete entry whose message is back: its translation, flags and comments
    as they were, so a reviewed one is reviewed again and PO editors and msgfmt count it."""
    return polib.POEntry(
        msgctxt=entry.msgctxt, msgid=entry.msgid, msgstr=entry.msgstr,
        msgid_plural=entry.msgid_plural, msgstr_plural=dict(entry.msgstr_plural),
        flags=list(entry.flags), comment=entry.comment, tcomment=entry.tcomment,
        occurrences=[(occurrence[0], str(occurrence[1]))] if occurrence else list(entry.occurrences),
        previous_msgctxt=entry.previous_msgctxt, previous_msgid=entry.previous_msgid,
        previous_msgid_plural=entry.previous_msgid_plural,
    )


def changed_meanwhile(key: Key, current: Catalog | None, before: Catalog | None) -> str | None:
    """The raw text of `key`'s entry when a person changed it on disk after `before` was read
    (their entry wins over what a run planned), else None.

    A person's change is an entry that differs from the one read at the start and holds a
    translation (reviewed or not: their text is newer than anything the run has); one they
    emptied or deleted leaves the run's entry in place.
    """
    if current is None or current is before or key not in current.entries:
        return None
    raw = current.raw[key]
    if before is not None and before.raw.get(key) == raw:
        return None
    entry = current.entries[key]
    translated = all(entry.msgstr_plural.values()) if entry.msgid_plural else entry.msgstr
    if before is None and not is_reviewed(entry):
        return None  # a catalog that appeared during the run: only its reviewed entries count
    return raw if translated else None


def memory(folder: Path) -> dict[str, tuple[str, str]]:
    """Reviewed translations of every catalog in `folder` and its subfolders (an archive's
    outputs mirror its folders): msgid -> (msgstr, the catalog's path inside `folder`).

    Obsolete entries a person translated count too: a sentence that comes back to a document
    gets its reviewed translation again instead of a machine one.
    """
    found: dict[str, tuple[str, str]] = {}
    if not folder.is_dir():
        return found
    for path in sorted(folder.rglob("*.po")):
        try:
            catalog = read_catalog(path)
        except InputError:
            continue  # a broken catalog is reported when its own document is translated
        if catalog is None:
            continue
        retired = (e for e in catalog.retired.values() if _translated_by_a_person(e))
        for entry in (*catalog.reviewed(), *retired):
            if not entry.msgid_plural:
                found.setdefault(entry.msgid, (entry.msgstr, path.relative_to(folder).as_posix()))
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


# The values xgettext puts in a template's header, which msgfmt --check warns about: a value
# that starts with one of these is a placeholder, never copied into a catalog.
PLACEHOLDERS = {
    "Project-Id-Version": "PACKAGE VERSION",
    "PO-Revision-Date": "YEAR-MO-DA",
    "Last-Translator": "FULL NAME",
    "Language-Team": "LANGUAGE",
    "Content-Type": "text/plain; charset=CHARSET",
    "Content-Transfer-Encoding": "ENCODING",
}
MACHINE_TRANSLATOR = "translator (machine translation)"


def is_placeholder(name: str, value: str | None) -> bool:
    """An empty header value, or a template's placeholder (`PLACEHOLDERS`)."""
    value = (value or "").strip()
    return not value or value.startswith(PLACEHOLDERS.get(name, "\0"))


def revision_date() -> str:
    """Now, as PO headers write dates."""
    return datetime.now(UTC).strftime("%Y-%m-%d %H:%M+0000")


def _header(lang: str, project: str, source_file: str, old: dict[str, str] | None,
            touch: bool) -> dict[str, str]:
    now = revision_date()
    metadata = {
        "Project-Id-Version": project,
        "Report-Msgid-Bugs-To": "",
        "POT-Creation-Date": now,
        "PO-Revision-Date": now,
        "Last-Translator": MACHINE_TRANSLATOR,
        "Language-Team": languages.name(lang),
        "Language": lang,
        "MIME-Version": "1.0",
        "Content-Type": "text/plain; charset=UTF-8",
        "Content-Transfer-Encoding": "8bit",
        "Plural-Forms": po.plural_forms(lang),
        "X-Generator": GENERATOR,
        "X-Source-File": encode_source_file(source_file),
    }
    if old:
        # Keep what a person or their editor set (Last-Translator, Language-Team, dates...).
        kept = ["POT-Creation-Date", "Last-Translator", "Language-Team", "Report-Msgid-Bugs-To"]
        for name in kept + ([] if touch else ["PO-Revision-Date"]):
            if not is_placeholder(name, old.get(name)):
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
                   obsolete: Sequence[tuple[Key, str | polib.POEntry]],
                   rendered: dict[Key, str] | None = None) -> str:
    """Every entry after the header: raw text as it is, polib entries formatted (`rendered`
    keeps each formatted entry, so merging again after a person's save formats nothing twice)."""
    parts = [""]
    for key, item in list(entries) + list(obsolete):
        if isinstance(item, str):
            parts.append(item)
            continue
        text = rendered.get(key) if rendered is not None and not item.obsolete else None
        if text is None:
            text = po.format_entry(item, 78)
            if rendered is not None and not item.obsolete:
                rendered[key] = text
        parts.append(text)
    return "\n\n".join(parts) + "\n"


def save_catalog(
    path: Path,
    lang: str,
    project: str,
    source_file: str,
    planned: Sequence[tuple[Key, str | polib.POEntry]],
    read_before: Catalog | None,
) -> dict[Key, str]:
    """Write the catalog, letting entries a person saved meanwhile win; return each key's msgstr.

    `planned` is the entry for every segment as this run decided it (raw text kept from the
    catalog read at the start, or a new entry). The file is read again now, merged (a person's
    entry changed on disk since `read_before` replaces the planned one; entries no segment has
    become obsolete), and replaced only if it is still what was just read: when a person saved
    between the reading and the rename, it is read and merged again, so no save is ever lost.
    """
    rendered: dict[Key, str] = {}
    current = read_catalog(path, reuse=read_before)
    for _attempt in attempts(path):
        final = [(key, changed_meanwhile(key, current, read_before) or item) for key, item in planned]
        keys = {key for key, _ in final}
        obsolete: list[tuple[Key, str | polib.POEntry]] = []
        if current is not None:
            for key, entry in current.entries.items():
                if key not in keys:
                    obsolete.append((key, retire(entry)))
            seen = {key for key, _ in obsolete} | keys
            obsolete += [(key, raw) for key, raw in current.obsolete if key not in seen]
        old = current.metadata if current else None
        body = render_entries(final, obsolete, rendered)
        if current is not None and current.data.decode("utf-8") == (
                render_header(lang, project, source_file, old, touch=False) + body):
            break  # nothing changed: no new revision date, no churn in diffs
        data = (render_header(lang, project, source_file, old) + body).encode("utf-8")
        if replace_if_unchanged(path, data, current.data if current is not None else None):
            break
        current = read_catalog(path, reuse=current)  # a person saved it meanwhile: merge again
    return {key: _msgstr(key, item, path, (current, read_before)) for key, item in final}


SAVE_ATTEMPTS = 200  # merges in a row, each undone by a new save, before a run gives up on one catalog


def attempts(path: Path) -> Iterable[int]:
    """The merge-and-replace attempts a run makes on one catalog; InputError (this file waits,
    nothing is written to it) when every one found a newer save than the one it merged."""
    yield from range(SAVE_ATTEMPTS)
    raise InputError(f"{path} was saved again during each of {SAVE_ATTEMPTS} attempts to update it; "
                     "it was left as it is: run again when it is saved less often")


def retire(entry: polib.POEntry) -> polib.POEntry:
    """The obsolete (``#~``) form of a live entry whose segment left the document."""
    gone = polib.POEntry(msgctxt=entry.msgctxt, msgid=entry.msgid, msgstr=entry.msgstr,
                         msgid_plural=entry.msgid_plural, msgstr_plural=entry.msgstr_plural,
                         flags=entry.flags, comment=entry.comment, tcomment=entry.tcomment,
                         previous_msgctxt=entry.previous_msgctxt, previous_msgid=entry.previous_msgid,
                         previous_msgid_plural=entry.previous_msgid_plural)
    gone.obsolete = True
    return gone


def _msgstr(key: Key, item: str | polib.POEntry, path: Path,
            catalogs: tuple[Catalog | None, ...]) -> str:
    """The translation an entry holds, whether it is a polib entry or raw text from a catalog."""
    if isinstance(item, polib.POEntry):
        return str(item.msgstr)
    for catalog in catalogs:
        if catalog is not None and catalog.raw.get(key) == item:
            return str(catalog.entries[key].msgstr)
    return str(decode_po(item.encode("utf-8"), path).catalog[0].msgstr)


# What a header value cannot hold as it is: a line break or other control character (it would
# end the header line), a "%" (the escape itself), white space at either end (a header reader
# strips it). Such characters are written as %XX (UTF-8 bytes), as in a URL.
_UNSAFE_IN_HEADER = re.compile(r"[%\x00-\x1f\x7f\x85\u2028\u2029]|^\s+|\s+$")


def encode_source_file(name: str) -> str:
    """The X-Source-File value for a source path: itself, unless it holds characters a header
    line cannot (`_UNSAFE_IN_HEADER`), which are percent-encoded."""
    return _UNSAFE_IN_HEADER.sub(lambda m: "".join(f"%{b:02X}" for b in m.group().encode("utf-8")), name)


def source_file_candidates(value: str) -> list[str]:
    """The paths an X-Source-File value may name: decoded (`encode_source_file`), then as written
    (a catalog from before the encoding, or a name that merely looks encoded)."""
    from urllib.parse import unquote

    try:
        decoded = unquote(value, errors="strict") if "%" in value else value
    except UnicodeDecodeError:
        decoded = value
    return list(dict.fromkeys([decoded, value]))


def relative_source(catalog: Path, source: Path) -> str:
    """The source file as seen from the catalog's folder (stored in the X-Source-File header)."""
    return Path(os.path.relpath(source.resolve(), catalog.parent.resolve())).as_posix()
