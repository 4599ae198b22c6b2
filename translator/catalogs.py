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
"""
from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Iterable, Sequence

import polib

from . import __version__, languages
from .errors import InputError
from .files import atomic_write_text

Key = tuple[str | None, str]  # (msgctxt, msgid)

PLURAL_FORMS = {
    "zh": "nplurals=1; plural=0;", "zt": "nplurals=1; plural=0;", "ja": "nplurals=1; plural=0;",
    "ko": "nplurals=1; plural=0;", "vi": "nplurals=1; plural=0;", "th": "nplurals=1; plural=0;",
    "id": "nplurals=1; plural=0;", "ms": "nplurals=1; plural=0;", "tr": "nplurals=2; plural=(n != 1);",
    "fr": "nplurals=2; plural=(n > 1);", "pt": "nplurals=2; plural=(n != 1);",
    "ru": "nplurals=3; plural=(n%10==1 && n%100!=11 ? 0 : n%10>=2 && n%10<=4 && (n%100<10 || n%100>=20) ? 1 : 2);",
    "uk": "nplurals=3; plural=(n%10==1 && n%100!=11 ? 0 : n%10>=2 && n%10<=4 && (n%100<10 || n%100>=20) ? 1 : 2);",
    "pl": "nplurals=3; plural=(n==1 ? 0 : n%10>=2 && n%10<=4 && (n%100<10 || n%100>=20) ? 1 : 2);",
    "cs": "nplurals=3; plural=(n==1) ? 0 : (n>=2 && n<=4) ? 1 : 2;",
    "sk": "nplurals=3; plural=(n==1) ? 0 : (n>=2 && n<=4) ? 1 : 2;",
    "ar": "nplurals=6; plural=(n==0 ? 0 : n==1 ? 1 : n==2 ? 2 : n%100>=3 && n%100<=10 ? 3 : n%100>=11 ? 4 : 5);",
}
DEFAULT_PLURAL_FORMS = "nplurals=2; plural=(n != 1);"
GENERATOR = f"translator {__version__}"


def plural_forms(lang: str) -> str:
    return PLURAL_FORMS.get(lang, DEFAULT_PLURAL_FORMS)


def nplurals(lang: str) -> int:
    return int(re.search(r"nplurals\s*=\s*(\d+)", plural_forms(lang)).group(1))


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
    if entry.obsolete or "fuzzy" in entry.flags:
        return False
    if entry.msgid_plural:
        return bool(entry.msgstr_plural) and all(entry.msgstr_plural.values())
    return bool(entry.msgstr)


@dataclass
class Catalog:
    """A catalog as found on disk: its entries and the raw text of each, to copy unchanged."""

    path: Path
    data: bytes
    metadata: dict[str, str]
    entries: dict[Key, polib.POEntry] = field(default_factory=dict)
    raw: dict[Key, str] = field(default_factory=dict)
    obsolete: list[tuple[Key, str]] = field(default_factory=list)

    def reviewed(self) -> Iterable[polib.POEntry]:
        return (e for e in self.entries.values() if is_reviewed(e))


def strict_po(text: str, path: Path) -> polib.POFile:
    """Parse a catalog as strictly as msgfmt; InputError naming the file and line otherwise."""
    from glossary.errors import PoSyntaxError
    from glossary.storage import parse_po

    try:
        return parse_po(text, str(path))
    except PoSyntaxError as exc:
        raise InputError(f"{exc}; fix it in a PO editor or move the file away") from None


def _blocks(text: str) -> list[str]:
    """The entries of a PO file as written (separated by blank lines), header first."""
    return [b.strip("\n") for b in re.split(r"\n[ \t]*\n", text) if b.strip()]


def parse_catalog(data: bytes, path: Path) -> Catalog:
    """Read a catalog; InputError naming the file and line when it is not a valid PO file."""
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise InputError(f"{path} is not UTF-8 (bad byte at offset {exc.start})") from None
    po = strict_po(text, path)
    catalog = Catalog(path, data, dict(po.metadata))
    for entry in po:
        catalog.entries[entry_key(entry)] = entry
    # Map every entry to its raw block so reviewed ones can be copied byte for byte.
    for block in _blocks(text):
        try:
            parsed = polib.pofile(block + "\n", wrapwidth=0)
        except (OSError, ValueError):
            continue
        found = list(parsed) + list(parsed.obsolete_entries())
        if len(found) != 1:
            continue  # the header, or blocks not separated by blank lines: re-serialise those
        entry = found[0]
        if entry.obsolete:
            catalog.obsolete.append((entry_key(entry), block))
        elif entry_key(entry) in catalog.entries:
            catalog.raw[entry_key(entry)] = block
    if not catalog.obsolete:
        catalog.obsolete = [(entry_key(e), str(e).strip("\n")) for e in po.obsolete_entries()]
    return catalog


def read_catalog(path: Path) -> Catalog | None:
    """The catalog at `path`, or None when there is none yet."""
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        return None
    except OSError as exc:
        raise InputError(f"cannot read {path}: {exc.strerror}") from None
    return parse_catalog(data, path)


def memory(folder: Path, exclude: Path | None = None) -> dict[str, tuple[str, str]]:
    """Reviewed translations of every catalog in `folder`: msgid -> (msgstr, catalog name)."""
    found: dict[str, tuple[str, str]] = {}
    if not folder.is_dir():
        return found
    for path in sorted(folder.glob("*.po")):
        if exclude is not None and path == exclude:
            continue
        try:
            catalog = read_catalog(path)
        except InputError:
            continue  # a broken catalog is reported when its own document is translated
        for entry in catalog.reviewed() if catalog else ():
            if not entry.msgid_plural:
                found.setdefault(entry.msgid, (entry.msgstr, path.name))
    return found


def machine_entry(key: Key, msgstr: str, occurrence: tuple[str, int], comments: Sequence[str]) -> polib.POEntry:
    """A fresh machine translation: fuzzy, with what happened to it in `#.` comments."""
    return polib.POEntry(
        msgctxt=key[0], msgid=key[1], msgstr=msgstr, occurrences=[(occurrence[0], str(occurrence[1]))],
        comment="\n".join(comments), flags=["fuzzy"],
    )


def _header(lang: str, project: str, source_file: str, old: dict[str, str] | None,
            touch: bool) -> dict[str, str]:
    now = datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M+0000")
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
        "Plural-Forms": plural_forms(lang),
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
        if changed_meanwhile and key in current.entries and is_reviewed(current.entries[key]):
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
    result = {}
    for key, item in final:
        entry = item if isinstance(item, polib.POEntry) else polib.pofile(item + "\n", wrapwidth=0)[0]
        result[key] = entry.msgstr
    return result


def relative_source(catalog: Path, source: Path) -> str:
    """The source file as seen from the catalog's folder (stored in the X-Source-File header)."""
    return Path(os.path.relpath(source.resolve(), catalog.parent.resolve())).as_posix()
