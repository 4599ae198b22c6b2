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

import copy
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime

import polib

import glossary.po

from . import catalogs, languages
from .segment import split_sentences


@dataclass(frozen=True)
class Piece:
    """A sentence of one msgid or msgid_plural."""

    text: str
    line: int
    key: catalogs.Key  # the entry it belongs to


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
                found.append(Piece(field[start:end], entry.linenum, catalogs.entry_key(entry)))
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


def _plural_rule(lang: str, previous: str | None) -> tuple[str, int]:
    """The Plural-Forms to write and its number of forms: the replaced catalog's, when valid."""
    if previous:
        try:
            count, expression = glossary.po.parse_plural_forms(previous)
            if count is not None and expression is not None:
                glossary.po.check_plural_rule(count, expression)
                return previous, count
        except ValueError:
            pass  # the language's own rule replaces a broken one
    rule = glossary.po.plural_forms(lang)
    count, _expression = glossary.po.parse_plural_forms(rule)
    return rule, count or 1


def pretranslate(po: polib.POFile, lang: str, done: dict[str, str],
                 reviewed: dict[catalogs.Key, polib.POEntry], note: str,
                 plural_forms: str | None = None) -> str:
    """The target-language catalog text: machine translations fuzzy, reviewed entries kept.

    `plural_forms` is the Plural-Forms of the catalog this one replaces: it wins over the
    language's rule, so the reviewed plural entries kept from it still have as many forms as the
    header says. A reviewed plural entry whose forms no longer fit the header is kept, marked
    fuzzy for its reviewer, rather than written into a file msgfmt refuses.
    """
    rule, forms = _plural_rule(lang, plural_forms)
    singular = glossary.po.singular_form(rule)  # None: one form, which takes the plural's text
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
            kept = reviewed[key]
            if kept.msgid_plural and len(kept.msgstr_plural) != forms and "fuzzy" not in kept.flags:
                kept = copy.deepcopy(kept)
                kept.flags.insert(0, "fuzzy")
            out.append(kept)
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
