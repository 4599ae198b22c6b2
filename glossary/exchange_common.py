"""What every import format yields, the problems it reports, and the rules they share.

A reader (`glossary.exchange_csv`, `glossary.exchange_tbx`) turns one file into `Imported` items,
one per entry (a CSV row, a TBX concept entry), and a list of `Problem`s, each with its file and
line. It never stops at the first problem: a person fixing a file wants the whole list. A problem
is either *fatal* (the file cannot be read at all: not UTF-8, not well-formed XML, a header it does
not know) or about one entry, which `--skip-invalid` may leave out while the others go in.

Language tags are written many ways (es, es-419, es_XX, zh-CN, zh_CN); `Languages` turns them into
the glossary's gettext codes: as written by default (es-419 -> es_419), or onto the codes a person
names with ``--lang`` (es-419, es_XX, es-ES -> es), which also leaves out every other language.
"""
from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field

from .errors import GlossaryError, ImportFormatError, ImportOptionError, InvalidTermError
from .model import SOURCE_LANGUAGE, Concept, check_language, is_language_code


@dataclass(frozen=True, slots=True)
class Imported:
    """A concept read from a file, which of its facts the file gave, and where it was."""

    concept: Concept
    given: frozenset[str]  # "variants", "case_sensitive", "note", "<lang>", "<lang>_flags", ...
    line: int
    file: str = "<stream>"


@dataclass(frozen=True)
class Problem:
    """One thing wrong with an import, where it is, and whether the rest of the file can go in."""

    file: str
    line: int | None
    reason: str
    fatal: bool = False  # the file cannot be read at all, so --skip-invalid cannot help

    def __str__(self) -> str:
        return f"{self.file}:{self.line}: {self.reason}" if self.line else f"{self.file}: {self.reason}"

    def error(self) -> ImportFormatError:
        """The problem as the exception a caller that wants only the first one catches."""
        return ImportFormatError(self.file, self.line, self.reason)


@dataclass
class Parsed:
    """What reading one file found: its valid entries and every problem, in file order."""

    name: str
    items: list[Imported] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    #: Languages in the file that --lang left out (as written there), so the summary can say so.
    left_out: set[str] = field(default_factory=set)
    #: Entries (rows, concept entries) with at least one problem: what --skip-invalid leaves out.
    invalid: int = 0

    @property
    def fatal(self) -> bool:
        return any(p.fatal for p in self.problems)

    def problem(self, line: int | None, reason: str, *, fatal: bool = False) -> None:
        self.problems.append(Problem(self.name, line, reason, fatal))

    def raise_first(self) -> None:
        """For callers that take a file whole or not at all and want one exception."""
        if self.problems:
            raise self.problems[0].error()


# -- text --------------------------------------------------------------------------------------
# C0 and C1 control characters and DEL; tab and line breaks are whitespace, which clean() folds.
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")


def control_character(value: str) -> str | None:
    """The first control character in `value` as U+XXXX, or None: such text never reaches a PO
    file (msgfmt refuses NUL, and an invisible character makes a term match nothing)."""
    found = _CONTROL.search(value)
    return f"U+{ord(found.group()):04X}" if found else None


def check_text(value: str, what: str) -> None:
    """Refuse control characters, naming what holds one (InvalidTermError)."""
    code = control_character(value)
    if code is not None:
        raise InvalidTermError(f"{what} {value!r} contains a control character ({code}); remove it")


# -- language tags ------------------------------------------------------------------------------
_TAG = re.compile(r"[A-Za-z]{2,3}(?:[-_][A-Za-z0-9]{1,8})*")


def is_tag(text: str) -> bool:
    """Whether `text` is spelled like a language tag (es, es-419, zh_CN, en-US)."""
    return _TAG.fullmatch(text.strip()) is not None


def base_language(tag: str) -> str:
    """es for es-419, es_XX and ES; the part every regional form of a language shares."""
    return re.split(r"[-_]", tag.strip(), maxsplit=1)[0].lower()


def gettext_code(tag: str) -> str:
    """A BCP 47 or gettext tag in gettext's spelling: es-ES -> es_ES, zh-hans -> zh_Hans,
    es-419 -> es_419 (the result may still not be a code the glossary can use)."""
    parts = re.split(r"[-_]", tag.strip())
    out = [parts[0].lower()]
    for part in parts[1:]:
        if len(part) == 4 and part.isalpha():
            out.append(part.title())  # a script: Hans, Latn
        else:
            out.append(part.upper())  # a region: ES, CN, 419
    return "_".join(out)


def is_source(tag: str) -> bool:
    """Any spelling of English (en, en-US, EN_gb): the glossary's source language."""
    return base_language(tag) == SOURCE_LANGUAGE


class Languages:
    """Which languages of a file go into the glossary, and under which code.

    Without a choice, every language goes in as the file writes it, in gettext spelling (es-419
    becomes es_419, so a round trip through another tool keeps pt_BR apart from pt). With a
    choice (``--lang es,zh``), a tag goes in when it is one of the chosen codes or a regional
    form of one (es-419, es_XX and es-ES all become es), and every other language is left out.
    """

    def __init__(self, chosen: Iterable[str] = ()) -> None:
        self.chosen = tuple(dict.fromkeys(check_language(code) for code in chosen))
        self._cache: dict[str, str | None] = {}

    def __bool__(self) -> bool:
        return bool(self.chosen)

    def resolve(self, tag: str) -> str | None:
        """The glossary code for a target-language `tag`, None when it is left out.

        GlossaryError when `tag` is not a language tag at all, or has no gettext spelling.
        """
        if tag in self._cache:
            return self._cache[tag]
        code = self._resolve(tag)
        self._cache[tag] = code
        return code

    def _resolve(self, tag: str) -> str | None:
        if not _TAG.fullmatch(tag.strip()):
            raise GlossaryError(f"{tag!r} is not a language tag like es, es-419 or zh-CN")
        code = gettext_code(tag)
        if self.chosen:
            if code in self.chosen:
                return code
            base = base_language(tag)
            return base if base in self.chosen else None
        if not is_language_code(code):
            raise GlossaryError(
                f"{tag!r} has no gettext code; give --lang {base_language(tag)} to import it "
                f"as {base_language(tag)}"
            )
        return check_language(code)

    def single(self) -> str:
        """The one target language of a file that does not name its languages (two columns)."""
        if len(self.chosen) != 1:
            raise ImportOptionError(
                "a two-column file (source,target, as DeepL writes it) does not name its target "
                "language; give exactly one --lang, for example --lang es"
            )
        return self.chosen[0]
