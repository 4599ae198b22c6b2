"""Gettext catalogs as input: machine pre-translation of a `.pot` or `.po` file.

Each msgid (and msgid_plural) is split into sentences, which join every other sentence of the
run on their way to the model; the translations are put back together with the original
whitespace. The result is a catalog for the target language: every entry kept with its
comments, references, flags and previous msgids (``#|``), msgstr filled and marked fuzzy, plural
forms filled for the target's `Plural-Forms` (the singular's translation in the form the rule
picks for n = 1, the plural's in the others; a one-form language gets the plural's). Entries a
person already translated in an earlier output (not fuzzy) are copied byte for byte, and an
earlier output's entries whose message left the template become obsolete (``#~``), as msgmerge
does, so they come back when the message does. Format strings (`%s`, `%(name)s`, `{name}`)
travel as protected placeholders. Reading is `glossary.po`'s.

Each field is split into sentences once per run (`Spans`): the pieces sent to the model and
the translations put back use the same split, whatever the size of the catalog.
"""
from __future__ import annotations

import copy
import itertools
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import polib

import glossary.po

from . import catalogs, languages
from .segment import split_sentences

Spans = dict[str, tuple[tuple[int, int], ...]]  # field text -> its sentence spans, split once


@dataclass(frozen=True, slots=True)
class Piece:
    """A sentence of one msgid or msgid_plural."""

    text: str
    line: int
    key: catalogs.Key  # the entry it belongs to


def _sentences(text: str, spans: Spans | None = None) -> tuple[tuple[int, int], ...]:
    if spans is not None:
        found = spans.get(text)
        if found is not None:
            return found
    split = tuple(split_sentences(text)) if text.strip() else ()
    if spans is not None:
        spans[text] = split
    return split


def _fields(entry: polib.POEntry) -> list[str]:
    return [entry.msgid] + ([entry.msgid_plural] if entry.msgid_plural else [])


def translatable(po: polib.POFile) -> Iterator[polib.POEntry]:
    return (e for e in po if not e.obsolete and e.msgid)


def pieces(po: polib.POFile, keep: set[catalogs.Key], spans: Spans | None = None) -> list[Piece]:
    """The sentences to translate: every field of every entry not in `keep`, in order.

    `spans` keeps each field's split for the next call (and for `pretranslate`)."""
    return list(iter_pieces(po, keep, spans))


def iter_pieces(po: polib.POFile, keep: set[catalogs.Key], spans: Spans | None = None) -> Iterator[Piece]:
    """`pieces`, split as they are asked for (telling the language reads only the first ones)."""
    for entry in translatable(po):
        key = catalogs.entry_key(entry)
        if key in keep:
            continue
        for field in _fields(entry):
            for start, end in _sentences(field, spans):
                yield Piece(field[start:end], entry.linenum, key)


def _translate_field(text: str, done: Mapping[str, str], spans: Spans | None = None) -> str:
    sentences = _sentences(text, spans)
    if not sentences:
        return text
    out, last = [], 0
    for start, end in sentences:
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


def without_note(comment: str, note: str) -> str:
    """`comment` without the lines a run of this tool added (its `note`'s kind, "machine
    translation: ..."), so a catalog made by this tool and translated again carries one note."""
    kind = note.split(":", 1)[0] + ":"
    return "\n".join(line for line in comment.split("\n") if not line.startswith(kind))


def header_metadata(po: polib.POFile, lang: str, rule: str, name: str | None,
                    previous: Mapping[str, str] | None, touch: bool) -> dict[str, str]:
    """The output's header: the template's real values, never its placeholders.

    A template's "YEAR-MO-DA HO:MI+ZONE", "FULL NAME <EMAIL@ADDRESS>", "PACKAGE VERSION"... are
    replaced: the revision date is the run's (or, when `touch` is off, the replaced catalog's),
    the last translator the machine, the project the template's name. What a person set in the
    catalog being replaced (Last-Translator, Language-Team) is kept.
    """
    metadata = {"Project-Id-Version": name or "messages"}
    metadata.update((k, v) for k, v in po.metadata.items() if not catalogs.is_placeholder(k, v))
    previous = previous or {}
    date = previous.get("PO-Revision-Date", "")
    metadata["PO-Revision-Date"] = (
        date if not touch and not catalogs.is_placeholder("PO-Revision-Date", date)
        else catalogs.revision_date())
    for field, default in (("Last-Translator", catalogs.MACHINE_TRANSLATOR),
                           ("Language-Team", languages.name(lang))):
        value = previous.get(field, "")
        metadata[field] = value if not catalogs.is_placeholder(field, value) else default
    metadata.update({
        "Language": lang,
        "Plural-Forms": rule,
        "Content-Type": "text/plain; charset=UTF-8",
        "Content-Transfer-Encoding": "8bit",
        "MIME-Version": "1.0",
        "X-Generator": catalogs.GENERATOR,
    })
    return metadata


def pretranslate(po: polib.POFile, lang: str, done: Mapping[str, str],
                 reviewed: Mapping[catalogs.Key, polib.POEntry], note: str,
                 plural_forms: str | None = None, **options: Any) -> str:
    """The target-language catalog text (`pretranslated`, joined)."""
    return "".join(pretranslated(po, lang, done, reviewed, note, plural_forms, **options))


def pretranslated(po: polib.POFile, lang: str, done: Mapping[str, str],
                  reviewed: Mapping[catalogs.Key, polib.POEntry], note: str,
                  plural_forms: str | None = None, *,
                  raw: Mapping[catalogs.Key, str] | None = None,
                  retired: Sequence[tuple[catalogs.Key, str | polib.POEntry]] = (),
                  previous: Mapping[str, str] | None = None,
                  name: str | None = None,
                  spans: Spans | None = None,
                  touch: bool = True,
                  rendered: dict[catalogs.Key, str] | None = None) -> Iterator[str]:
    """The target-language catalog text, in pieces (a 50 MB catalog is written as it is made,
    not joined into one string first): machine translations fuzzy, reviewed entries kept.

    `reviewed` holds the entries kept from the catalog this one replaces (reviewed, or unchanged
    machine entries), `raw` the text of those that are copied byte for byte. `plural_forms` is
    that catalog's Plural-Forms: it wins over the language's rule, so the reviewed plural
    entries kept from it still have as many forms as the header says. A reviewed plural entry
    whose forms no longer fit the header is kept, marked fuzzy for its reviewer, rather than
    written into a file msgfmt refuses. `retired` are that catalog's entries whose message left
    the template, written obsolete at the end; `previous` its header (`header_metadata`).
    `rendered` keeps each machine entry's text for a second call (after a person's save).
    """
    rule, forms = _plural_rule(lang, plural_forms)
    singular = glossary.po.singular_form(rule)  # None: one form, which takes the plural's text
    header = polib.POFile(wrapwidth=78)
    header.header = po.header
    header.metadata = header_metadata(po, lang, rule, name, previous, touch)
    live: list[str] = []
    obsolete: list[str] = []
    # The replaced catalog's entry wins over the template's obsolete one: it holds a translation.
    gone = {key: item if isinstance(item, str) else glossary.po.format_entry(item, 78)
            for key, item in retired}
    for entry in po:
        key = catalogs.entry_key(entry)
        if entry.obsolete:
            obsolete.append(gone.pop(key, "")
                            or _machine(entry, key, done, note, (singular, forms), spans, rendered))
        elif key in reviewed:
            live.append(_kept(reviewed[key], forms, (raw or {}).get(key)))
        else:
            gone.pop(key, "")
            live.append(_machine(entry, key, done, note, (singular, forms), spans, rendered))
    obsolete += gone.values()
    yield glossary.po.render(header).decode("utf-8")
    separator = "\n"
    for entry in itertools.chain(live, obsolete):
        yield separator
        yield entry
        separator = "\n\n"
    if live or obsolete:
        yield "\n"


def _kept(kept: polib.POEntry, forms: int, raw: str | None) -> str:
    """A kept entry's text: as it was written, unless its plural forms no longer fit the rule."""
    if kept.msgid_plural and len(kept.msgstr_plural) != forms and "fuzzy" not in kept.flags:
        kept = copy.deepcopy(kept)
        kept.flags.insert(0, "fuzzy")
        return glossary.po.format_entry(kept, 78)
    return raw if raw is not None else glossary.po.format_entry(kept, 78)


def _machine(entry: polib.POEntry, key: catalogs.Key, done: Mapping[str, str], note: str,
             plural: tuple[int | None, int], spans: Spans | None,
             rendered: dict[catalogs.Key, str] | None) -> str:
    """The output entry of a template entry nobody translated: the machine's text, fuzzy."""
    if rendered is not None and key in rendered:
        return rendered[key]
    singular, forms = plural
    new = polib.POEntry(
        msgctxt=entry.msgctxt, msgid=entry.msgid, msgid_plural=entry.msgid_plural,
        occurrences=entry.occurrences, comment=entry.comment, tcomment=entry.tcomment,
        flags=[f for f in entry.flags if f != "fuzzy"], obsolete=entry.obsolete,
        previous_msgid=entry.previous_msgid, previous_msgctxt=entry.previous_msgctxt,
        previous_msgid_plural=entry.previous_msgid_plural,
    )
    if entry.obsolete or not entry.msgid:
        new.msgstr, new.msgstr_plural = entry.msgstr, entry.msgstr_plural
        new.flags = list(entry.flags)
    elif entry.msgid_plural:
        one = _translate_field(entry.msgid, done, spans)
        plural_text = _translate_field(entry.msgid_plural, done, spans)
        new.msgstr_plural = {i: (one if i == singular else plural_text) for i in range(forms)}
        new.flags.insert(0, "fuzzy")
    else:
        new.msgstr = _translate_field(entry.msgid, done, spans)
        new.flags.insert(0, "fuzzy")
    if not entry.obsolete and entry.msgid:
        new.comment = "\n".join(filter(None, [without_note(entry.comment, note), note]))
    text = glossary.po.format_entry(new, 78)
    if rendered is not None:
        rendered[key] = text
    return text
