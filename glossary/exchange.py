"""Import and export: term lists (CSV, TSV) and termbases (TBX) in and out of the glossary.

The formats live in their own modules: `glossary.exchange_csv` (the glossary's own columns and the
layouts other tools write) and `glossary.exchange_tbx` (TBX v2 and v3, read safely). This module
is what a caller uses:

- `parse_file` reads one file into its valid entries and every problem, each with file and line;
- `import_into` folds the entries of one import together and merges them into a termbase:

  * **Repeats.** Entries for the same term (same context, same spelling apart from letter case
    and typography), within a file or across the files of one import, become one: lists
    (variants, forbidden renderings) and notes are joined. Two renderings that disagree are a
    *conflict*: the first is kept as a proposal (fuzzy, so it is reported and never enforced)
    with the other in its comment, and the conflict is reported with both lines.
  * **All or nothing.** Any problem refuses the whole import (`ImportRefusedError` lists them
    all) unless `skip_invalid`, which leaves out the entries that have one and reports them. A
    file that cannot be read at all (not UTF-8, not well-formed XML) refuses it either way.
  * **Merging.** A new concept is added; an existing one (same term and context) gets the facts
    the file gives and keeps the others. A clash with another concept (a variant that is
    someone else's term) is a problem of that entry.

- `export_text` writes the whole termbase as CSV or TBX.
"""
from __future__ import annotations

import io
from collections.abc import Iterable, Sequence
from contextlib import AbstractContextManager
from dataclasses import dataclass, field, replace
from pathlib import Path

from .errors import GlossaryError, ImportOptionError, ImportRefusedError
from .exchange_common import Imported, Languages, Parsed, Problem
from .exchange_csv import parse_csv, read_csv, write_csv
from .exchange_tbx import parse_tbx, read_tbx, write_tbx
from .model import Concept, Rendering, Termbase
from .po import collector_paused
from .text import fold_typography

__all__ = [
    "FORMATS",
    "ImportReport",
    "Imported",
    "Languages",
    "Parsed",
    "Problem",
    "bulk",
    "check_files",
    "combine",
    "export_text",
    "format_for",
    "import_into",
    "merge",
    "parse_file",
    "read_csv",
    "read_file",
    "read_tbx",
    "write_csv",
    "write_tbx",
]

FORMATS = ("csv", "tsv", "tbx")
_SUFFIXES = {"csv": "csv", "tsv": "tsv", "tab": "tsv", "tbx": "tbx"}


def format_for(path: str | Path) -> str:
    """The exchange format a file name implies (csv, tsv or tbx), or ValueError."""
    suffix = Path(path).suffix.lower().lstrip(".")
    if suffix in _SUFFIXES:
        return _SUFFIXES[suffix]
    raise ValueError(f"cannot tell the format of {Path(path).name}; use .csv, .tsv or .tbx")


# -- reading -----------------------------------------------------------------------------------
def parse_file(path: str | Path, fmt: str | None = None, languages: Languages | None = None) -> Parsed:
    """Read one file (format from `fmt` or its name) into its entries and problems."""
    path = Path(path)
    fmt = fmt or format_for(path)
    name = str(path)
    if fmt == "tbx":
        with open(path, "rb") as handle:
            return parse_tbx(handle, name, languages=languages)
    with open(path, "rb") as handle:
        # Excel's "Unicode text" is UTF-16 with a byte order mark; everything else must be UTF-8.
        encoding = "utf-16" if handle.read(2) in (b"\xff\xfe", b"\xfe\xff") else "utf-8-sig"
        handle.seek(0)
        text = io.TextIOWrapper(handle, encoding=encoding, newline="")
        try:  # row by row: the file is never held whole, as bytes or as text
            return parse_csv(text, name, languages=languages, delimiter="\t" if fmt == "tsv" else ",")
        except UnicodeDecodeError:
            pass
    parsed = Parsed(name)
    parsed.problem(_bad_line(path, encoding), "not UTF-8 text (save it as CSV UTF-8)", fatal=True)
    return parsed


def _bad_line(path: Path, encoding: str) -> int:
    """The line of the first byte that is not `encoding` (found again, now that it matters)."""
    data = path.read_bytes()
    try:
        data.decode(encoding)
    except UnicodeDecodeError as exc:
        return data[: exc.start].decode(encoding, errors="replace").count("\n") + 1
    return 1


def read_file(path: str | Path, fmt: str | None = None) -> list[Imported]:
    """Read a CSV, TSV or TBX file whole; ImportFormatError for its first problem."""
    parsed = parse_file(path, fmt)
    parsed.raise_first()
    return parsed.items


# -- repeats -----------------------------------------------------------------------------------
_Origin = tuple[str, int]  # (file, line) of the entry that gave a rendering


def _where(item: Imported, origin: _Origin) -> str:
    return f"line {origin[1]}" if origin[0] == item.file else f"{origin[0]}:{origin[1]}"


def _lines(*texts: str) -> str:
    return "\n".join(dict.fromkeys(line for text in texts for line in text.split("\n") if line.strip()))


def _fold(kept: Imported, item: Imported, origins: dict[str, _Origin]) -> tuple[Imported, list[Problem], bool]:
    """`item` folded into `kept` (an earlier entry for the same term), the conflicts, and whether
    `item` repeated a rendering `kept` already had (rather than only adding a language).

    `origins` says which entry gave each of `kept`'s renderings, so a conflict names both lines.
    """
    first, other = kept.concept, item.concept
    conflicts: list[Problem] = []
    given = set(kept.given | item.given)
    case_sensitive = first.case_sensitive
    if "case_sensitive" in kept.given and "case_sensitive" in item.given and \
            first.case_sensitive != other.case_sensitive:
        conflicts.append(Problem(item.file, item.line, (
            f"{other.term!r}: case_sensitive differs from {_where(item, (kept.file, kept.line))}; "
            f"kept {'yes' if case_sensitive else 'no'}")))
    elif "case_sensitive" in item.given:
        case_sensitive = other.case_sensitive
    concept = replace(first, variants=first.variants + other.variants, note=_lines(first.note, other.note),
                      case_sensitive=case_sensitive)
    repeated = not other.renderings  # a bare term again repeats the term
    for incoming in other.renderings:
        lang = incoming.lang
        current = concept.entry(lang)
        if current is None or not current.text:
            if incoming.text:
                origins[lang] = (item.file, item.line)
            if current is None:
                concept = concept.with_rendering(incoming)
                continue
        repeated = repeated or bool(current.text and incoming.text)
        forbidden = current.forbidden + incoming.forbidden
        text = current.text or incoming.text
        fuzzy = current.fuzzy or incoming.fuzzy
        rival = incoming.text if current.text and incoming.text and incoming.text != current.text else None
        banned = bool(text) and text.casefold() in {f.casefold() for f in forbidden} and not (
            current.text and current.text.casefold() in {f.casefold() for f in current.forbidden})
        if rival is None:
            comment = _lines(current.comment, incoming.comment)
        else:  # the rival's own comment (its alternatives) stays with it
            comment = current.comment
            if f"also given: {rival} (" not in comment:  # each rival reported once
                said = "; ".join(incoming.comment.split("\n"))
                comment = _lines(comment, f"also given: {rival} ({Path(item.file).name} line {item.line}"
                                 + (f"; {said})" if said else ")"))
                conflicts.append(Problem(item.file, item.line, (
                    f"{other.term!r} ({lang}): this entry gives {rival!r}, {_where(item, origins[lang])} "
                    f"gives {text!r}; kept {text!r} as a proposal (fuzzy), the other in its comment")))
        if banned:
            conflicts.append(Problem(item.file, item.line, (
                f"{other.term!r} ({lang}): {text!r} is forbidden here and the rendering on "
                f"{_where(item, origins[lang])}; kept it as a proposal (fuzzy)")))
        if rival is not None or banned:
            fuzzy = True
            given.update((f"{lang}_flags", f"{lang}_comment"))
        concept = concept.with_rendering(replace(
            current, text=text, fuzzy=fuzzy, keep=current.keep or incoming.keep,
            forbidden=forbidden, comment=comment))
    return Imported(concept, frozenset(given), kept.line, kept.file), conflicts, repeated


@dataclass
class Combined:
    """The entries of one import with repeats folded together."""

    items: list[Imported]
    merged: int  # entries that repeated a rendering an earlier one gave, and agreed
    conflicts: list[Problem]  # renderings that disagreed (kept as fuzzy proposals)


def combine(items: Iterable[Imported]) -> Combined:
    """Fold entries for the same term into one (see the module docstring for how)."""
    out: list[Imported] = []
    # Which entry gave each rendering of out[slot], once a second entry folded into it (before
    # that, out[slot] itself gave them all): a dict per folded slot only, not per entry.
    origins: dict[int, dict[str, _Origin]] = {}
    slots: dict[tuple[str | None, str], int] = {}
    apart: dict[tuple[str | None, str], list[int]] = {}  # case-sensitive spellings kept apart
    merged = 0
    conflicts: list[Problem] = []
    for item in items:
        concept = item.concept
        key = (concept.context, fold_typography(concept.term).lower())
        slot = slots.get(key)
        if slot is not None and concept.case_sensitive:
            # "AIDS" and "Aids" may both be terms when both keep their case.
            candidates = [slot, *apart.get(key, ())]
            slot = next((i for i in candidates if not (out[i].concept.case_sensitive
                                                         and out[i].concept.term != concept.term)), None)
            if slot is None:
                apart.setdefault(key, []).append(len(out))
                out.append(item)
                continue
        if slot is None:
            slots[key] = len(out)
            out.append(item)
            continue
        kept = out[slot]
        origin = origins.get(slot)
        if origin is None:
            origin = origins[slot] = {r.lang: (kept.file, kept.line) for r in kept.concept.renderings if r.text}
        out[slot], found, repeated = _fold(kept, item, origin)
        merged += repeated and not found
        conflicts += found
    return Combined(out, merged, conflicts)


def bulk() -> AbstractContextManager[None]:
    """Pause Python's cyclic garbage collector for one import, from reading to saving: a million
    rows build millions of objects and no reference cycle (`po.collector_paused`)."""
    return collector_paused()


# -- merging into a termbase ------------------------------------------------------------------------
def _merge_concept(current: Concept, incoming: Concept, given: frozenset[str]) -> Concept:
    changes: dict[str, object] = {}
    if "variants" in given:
        changes["variants"] = incoming.variants
    if "case_sensitive" in given:
        changes["case_sensitive"] = incoming.case_sensitive
    if "note" in given:
        changes["note"] = incoming.note
    merged = replace(current, **changes)  # type: ignore[arg-type]
    for rendering in incoming.renderings:
        lang = rendering.lang
        old = current.entry(lang) or Rendering(lang)
        fields: dict[str, object] = {}
        if lang in given:
            fields["text"] = rendering.text
        if f"{lang}_flags" in given:
            fields["fuzzy"], fields["keep"] = rendering.fuzzy, rendering.keep
        if f"{lang}_forbidden" in given:
            fields["forbidden"] = rendering.forbidden
        if f"{lang}_comment" in given:
            fields["comment"] = rendering.comment
        merged = merged.with_rendering(replace(old, **fields))  # type: ignore[arg-type]
    return merged


def _merge_items(termbase: Termbase, items: Iterable[Imported]) -> tuple[int, int, list[Problem]]:
    added = updated = 0
    problems: list[Problem] = []
    for item in items:
        incoming = item.concept
        try:
            if incoming.key not in termbase:
                termbase.add(incoming)
                added += 1
                continue
            current = termbase.get(incoming.term, incoming.context)
            merged = _merge_concept(current, incoming, item.given)
            if merged != current:
                termbase.replace(merged)
                updated += 1
        except GlossaryError as exc:
            problems.append(Problem(item.file, item.line, str(exc)))
    return added, updated, problems


def merge(termbase: Termbase, items: Iterable[Imported], name: str = "<stream>") -> tuple[int, int]:
    """Apply imported concepts to `termbase`; return (added, updated).

    ImportFormatError (file:line) for the first clash with another concept; the termbase may then
    hold part of the items, so callers that save use `import_into` inside `storage.edit`.
    """
    added, updated, problems = _merge_items(termbase, items)
    if problems:
        raise problems[0].error()
    return added, updated


@dataclass
class ImportReport:
    """What one import did, for the command's summary."""

    files: list[str]
    added: int = 0
    updated: int = 0
    merged: int = 0
    conflicts: list[Problem] = field(default_factory=list)
    skipped: list[Problem] = field(default_factory=list)  # what was wrong with the entries left out
    skipped_entries: int = 0  # how many entries were left out (one may have several problems)
    left_out: set[str] = field(default_factory=set)  # languages --lang did not ask for


def _refuse(problems: Sequence[Problem], valid: int) -> ImportRefusedError:
    return ImportRefusedError([p.error() for p in problems], valid, not any(p.fatal for p in problems))


def _check_new_languages(termbase: Termbase, items: list[Imported]) -> None:
    """A new code beside another form of its language (es_419 beside es or es_XX, es beside
    es_419), in the glossary or in the same import, is almost always one language spelled by two
    tools: ask which is meant (``--lang``) rather than split the renderings between them."""
    first: dict[str, str] = {}  # language code -> the file that brings it
    for item in items:
        for rendering in item.concept.renderings:
            first.setdefault(rendering.lang, item.file)
    codes = set(termbase.languages) | set(first)
    for lang, file in first.items():
        base = lang.split("_")[0]
        if lang in termbase.languages:
            continue
        others = sorted(code for code in codes if code != lang and code.split("_")[0] == base)
        if others:
            raise ImportOptionError(
                f"{file}: {lang} would be a new language beside {', '.join(others)}; give --lang {base} "
                f"to import every form of it as {base}, or --lang {lang} to keep it apart"
            )


def check_files(files: Sequence[Parsed], *, skip_invalid: bool = False) -> None:
    """Refuse before touching the glossary when the files have problems that refuse the import:
    any problem without `skip_invalid`, a fatal one (a file that cannot be read) with it."""
    problems = [problem for parsed in files for problem in parsed.problems]
    if problems and (not skip_invalid or any(p.fatal for p in problems)):
        raise _refuse(problems, sum(len(parsed.items) for parsed in files))


def import_into(termbase: Termbase, files: Sequence[Parsed], *, skip_invalid: bool = False,
                languages: Languages | None = None) -> ImportReport:
    """Merge the parsed files into `termbase` as one import (all or nothing unless `skip_invalid`).

    Raises ImportRefusedError with every problem when the import cannot go in whole; the
    termbase may then be half-changed, so call it inside `storage.edit`, which saves nothing
    when the block raises. ImportOptionError when the file's languages need --lang.
    """
    check_files(files, skip_invalid=skip_invalid)
    report = ImportReport([parsed.name for parsed in files])
    problems = [problem for parsed in files for problem in parsed.problems]
    items = [item for parsed in files for item in parsed.items]
    for parsed in files:
        report.left_out |= parsed.left_out
    combined = combine(items)
    if not languages:
        _check_new_languages(termbase, combined.items)
    report.merged, report.conflicts = combined.merged, combined.conflicts
    report.added, report.updated, clashes = _merge_items(termbase, combined.items)
    if clashes and not skip_invalid:
        raise _refuse(clashes, len(items) - len(clashes))
    report.skipped = problems + clashes
    report.skipped_entries = sum(parsed.invalid for parsed in files) + len(clashes)
    return report


# -- export ------------------------------------------------------------------------------------
def export_text(termbase: Termbase, fmt: str, languages: Iterable[str] | None = None) -> str:
    """The whole termbase as CSV or TBX text."""
    buffer = io.StringIO()
    (write_csv if fmt == "csv" else write_tbx)(termbase, buffer, languages)
    return buffer.getvalue()

