"""Audit existing translations against the glossary: the engine of `translator check`.

Catalogs (`.po`) give source and translation side by side, so every term of every msgid is
checked in its msgstr (approved rendering present, no forbidden one). Bare translated files
(any document format an adapter reads: `.txt`, `.md`, ...) have no source beside them: only
forbidden renderings can be found there, sentence by sentence as the adapter reads them. Across
all files, a term rendered in two different ways (the approved rendering here, a forbidden one
there) is reported once more as inconsistent, so a CI gate catches drift between articles.
"""
from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from .errors import InputError
from .files import decode_po, read_bytes, read_text

if TYPE_CHECKING:
    from glossary.model import Termbase


@dataclass(frozen=True)
class Violation:
    path: Path
    line: int
    code: str
    term: str
    message: str
    rendering: str = ""  # the rendering seen (for the consistency check)
    lang: str = ""

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.message}"


def expand(paths: Iterable[Path]) -> list[Path]:
    """Files to audit: the given files, and inside given folders every file of a format the
    translator reads (catalogs and documents)."""
    from . import formats

    readable = {suffix for info in formats.formats() for suffix in info.suffixes}
    found: list[Path] = []
    for path in paths:
        if path.is_dir():
            found += sorted(p for p in path.rglob("*") if p.suffix.lower() in readable and p.is_file())
        elif path.exists():
            found.append(path)
        else:
            raise InputError(f"{path}: no such file or folder")
    return found


def _language(path: Path, header: str | None, given: str | None) -> str:
    lang = given or header or path.parent.name
    if not lang or lang in (".", ""):
        raise InputError(f"{path}: cannot tell its language; pass --lang")
    return lang.split("_")[0] if lang not in ("pt_BR", "zh_TW") else lang


def _document_language(path: Path) -> str | None:
    """The language of a translated document: its review catalog's Language header (the
    catalog sits beside it, NAME.po), else the nearest folder named by a language code (an
    archive's outputs are OUT/LANG/SUBFOLDERS/NAME), else None (its folder's name is used)."""
    from . import languages
    from .catalogs import read_catalog

    try:
        catalog = read_catalog(path.with_suffix(".po")) if path.suffix != ".po" else None
    except InputError:
        catalog = None  # a broken catalog is reported when it is checked itself
    header = catalog.metadata.get("Language", "").strip() if catalog is not None else ""
    if header:
        return header
    return next((p.name for p in path.parents if p.name in languages.NAMES), None)


def audit(paths: Iterable[Path], termbase: Termbase, lang: str | None = None) -> list[Violation]:
    """Every violation in the given files, file by file, then the inconsistencies across them."""
    from glossary.checks import check_pair, contains, forbidden_in
    from glossary.match import Matcher

    matcher = Matcher(termbase)
    concepts = list(termbase)
    violations: list[Violation] = []
    for path in expand(paths):
        if path.suffix == ".po":
            catalog = decode_po(read_bytes(path), path, raw=False).catalog  # entries, not their text
            target_lang = _language(path, catalog.metadata.get("Language"), lang)
            for entry in catalog:
                if entry.obsolete or not entry.msgstr:
                    continue
                for issue in check_pair(entry.msgid, entry.msgstr, target_lang, matcher):
                    violations.append(Violation(path, entry.linenum, issue.code, issue.term,
                                                issue.message, issue.found, target_lang))
                for match in matcher.find(entry.msgid):
                    rendering = match.concept.rendering(target_lang)
                    if rendering and rendering.approved:
                        value = match.concept.expected(rendering)
                        if contains(entry.msgstr, value):
                            violations.append(Violation(path, entry.linenum, "used",
                                                        match.concept.label, "", value, target_lang))
        else:
            target_lang = _language(path, None if lang else _document_language(path), lang)
            for number, line in _sentences(path):
                for issue in forbidden_in(line, target_lang, concepts):
                    violations.append(Violation(path, number, issue.code, issue.term,
                                                issue.message, issue.found, target_lang))
    return _with_consistency(violations)


def _sentences(path: Path) -> list[tuple[int, str]]:
    """(line, text) of each sentence of a translated document, as its adapter reads it (markup
    markers removed); the lines of a plain-text file."""
    from . import formats, inline

    adapter = formats.adapter_for(str(path))
    if adapter.kind != "document" or isinstance(adapter, formats.TextAdapter):
        return list(enumerate(read_text(path).splitlines(), start=1))
    document = adapter.parse(read_bytes(path), str(path))
    return [(s.line, inline.strip(s.text)) for s in document.segments()]


def _with_consistency(found: list[Violation]) -> list[Violation]:
    """Drop the 'used' bookkeeping rows and add one inconsistency per term seen two ways."""
    seen: dict[tuple[str, str], dict[str, Violation]] = {}
    for v in found:
        if v.code in ("used", "forbidden"):
            seen.setdefault((v.lang, v.term), {}).setdefault(v.rendering, v)
    result = [v for v in found if v.code != "used"]
    for (lang, term), ways in seen.items():
        if len(ways) > 1:
            first = min(ways.values(), key=lambda v: (str(v.path), v.line))
            places = "; ".join(f"{r!r} in {v.path}:{v.line}" for r, v in sorted(ways.items()))
            result.append(Violation(first.path, first.line, "inconsistent", term,
                                    f"term {term!r} is rendered {len(ways)} ways in {lang}: {places}",
                                    lang=lang))
    return result
