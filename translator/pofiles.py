"""Gettext catalogs as input: machine pre-translation of a `.pot` or `.po` file.

Each msgid (and msgid_plural) is split into sentences, which join every other sentence of the
run on their way to the model; the translations are put back together with the original
whitespace. The result is a catalog for the target language: every entry kept with its
comments, references and flags, msgstr filled and marked fuzzy, plural forms filled for the
target's `Plural-Forms` (the singular's translation in the form the rule picks for n = 1, the
plural's in the others; a one-form language gets the plural's). Entries a person already
translated in an earlier output (not fuzzy) are left exactly as they are. Format strings (`%s`,
`%(name)s`, `{name}`) travel as protected placeholders. Reading is `glossary.po`'s.
"""
from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import polib  # type: ignore[import-untyped]

from glossary.po import nplurals, plural_forms, singular_form

from . import catalogs, languages
from .files import decode_po
from .segment import split_sentences


@dataclass(frozen=True)
class Piece:
    """A sentence of one msgid or msgid_plural."""

    text: str
    line: int


def read_po(path: Path, data: bytes) -> polib.POFile:
    """A .po/.pot input to pre-translate; InputError naming the file and line when it is invalid.

    Kept for the pipeline's `read_source`; the reading is `translator.files.decode_po`'s.
    """
    return decode_po(data, path).catalog


def _sentences(text: str) -> list[tuple[int, int]]:
    return split_sentences(text) if text.strip() else []


def _fields(entry: polib.POEntry) -> list[str]:
    return [entry.msgid] + ([entry.msgid_plural] if entry.msgid_plural else [])


def translatable(po: polib.POFile) -> Iterator[polib.POEntry]:
    return (e for e in po if not e.obsolete and e.msgid)


def pieces(po: polib.POFile, keep: set[catalogs.Key]) -> list[Piece]:
    """The sentences to translate: every field of every entry not in `keep`, in order."""
    found = []
    for entry in translatable(po):
        if catalogs.entry_key(entry) in keep:
            continue
        for field in _fields(entry):
            for start, end in _sentences(field):
                found.append(Piece(field[start:end], entry.linenum))
    return found


def _translate_field(text: str, done: dict[str, str]) -> str:
    spans = _sentences(text)
    if not spans:
        return text
    out, last = [], 0
    for start, end in spans:
        out.append(text[last:start])
        out.append(done[text[start:end]])
        last = end
    out.append(text[last:])
    return "".join(out)


def pretranslate(po: polib.POFile, lang: str, done: dict[str, str],
                 reviewed: dict[catalogs.Key, polib.POEntry], note: str) -> str:
    """The target-language catalog text: machine translations fuzzy, reviewed entries kept."""
    rule = plural_forms(lang)
    forms = nplurals(lang)
    singular = singular_form(rule)  # None: one form, which takes the plural's text
    out = polib.POFile(wrapwidth=78)
    out.header = po.header
    now = datetime.now(UTC).strftime("%Y-%m-%d %H:%M+0000")
    out.metadata = {"PO-Revision-Date": now, "Last-Translator": "translator (machine translation)"}
    out.metadata.update(po.metadata)
    out.metadata.update({
        "Language": lang,
        "Language-Team": languages.name(lang),
        "Plural-Forms": rule,
        "Content-Type": "text/plain; charset=UTF-8",
        "Content-Transfer-Encoding": "8bit",
        "MIME-Version": "1.0",
        "X-Generator": catalogs.GENERATOR,
    })
    for entry in po:
        key = catalogs.entry_key(entry)
        if key in reviewed:
            out.append(reviewed[key])
            continue
        new = polib.POEntry(
            msgctxt=entry.msgctxt, msgid=entry.msgid, msgid_plural=entry.msgid_plural,
            occurrences=entry.occurrences, comment=entry.comment, tcomment=entry.tcomment,
            flags=[f for f in entry.flags if f != "fuzzy"], obsolete=entry.obsolete,
            previous_msgid=entry.previous_msgid, previous_msgctxt=entry.previous_msgctxt,
            previous_msgid_plural=entry.previous_msgid_plural,
        )
        if entry.obsolete or not entry.msgid:
            new.msgstr, new.msgstr_plural = entry.msgstr, entry.msgstr_plural
        elif entry.msgid_plural:
            one = _translate_field(entry.msgid, done)
            plural = _translate_field(entry.msgid_plural, done)
            new.msgstr_plural = {i: (one if i == singular else plural) for i in range(forms)}
            new.flags.insert(0, "fuzzy")
        else:
            new.msgstr = _translate_field(entry.msgid, done)
            new.flags.insert(0, "fuzzy")
        if not entry.obsolete and entry.msgid:
            new.comment = "\n".join(filter(None, [entry.comment, note]))
        out.append(new)
    return str(out)
