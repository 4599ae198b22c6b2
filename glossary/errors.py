"""Every failure the glossary library reports, under one base class.

Callers (the `translator glossary` command line, the translation pipeline, a QA script) catch
`GlossaryError` and decide how to show it; the library itself never prints and never exits.
Errors about a file's contents carry the file and the line, so the message can say where to look.
"""
from __future__ import annotations


class GlossaryError(Exception):
    """Base class of every error the glossary package raises on purpose."""


class FileFormatError(GlossaryError):
    """A file could not be read as what it claims to be."""

    def __init__(self, file: str, line: int | None, reason: str) -> None:
        self.file = file
        self.line = line
        self.reason = reason
        where = f"{file}:{line}" if line else file
        super().__init__(f"{where}: {reason}")


class PoSyntaxError(FileFormatError):
    """A PO or POT file is malformed (or not UTF-8 text): what msgfmt would refuse."""


class EncodingError(FileFormatError):
    """A file is not UTF-8 text, or holds binary data."""


class ImportFormatError(FileFormatError):
    """A CSV or TBX file handed to import is malformed."""


class ImportRefusedError(ImportFormatError):
    """An import found problems and wrote nothing; `problems` lists every one, file and line.

    It reads as the first problem (file, line, reason), so a caller that handles one
    `ImportFormatError` still shows something true. `valid` counts the entries that had no
    problem (what --skip-invalid would import); `skippable` is False when a file could not be
    read at all.
    """

    def __init__(self, problems: list[ImportFormatError], valid: int, skippable: bool) -> None:
        first = problems[0]
        super().__init__(first.file, first.line, first.reason)
        self.problems = problems
        self.valid = valid
        self.skippable = skippable


class ImportOptionError(GlossaryError):
    """An import needs an option the command line did not give (the language of a file)."""


class GlossaryNotFoundError(GlossaryError):
    """The glossary directory has no glossary.pot."""

    def __init__(self, directory: str) -> None:
        self.directory = directory
        super().__init__(f"no glossary in {directory} (glossary.pot is missing)")


class UnknownTermError(GlossaryError):
    """No concept has that term (or variant) in that context."""

    def __init__(self, term: str, context: str | None = None) -> None:
        self.term = term
        self.context = context
        where = f" in context {context!r}" if context is not None else ""
        super().__init__(f"no term {term!r}{where} in the glossary")


class AmbiguousTermError(GlossaryError):
    """A term names several homographs and the caller did not say which one."""

    def __init__(self, term: str, contexts: list[str | None]) -> None:
        self.term = term
        self.contexts = contexts
        shown = ", ".join(repr(c) if c is not None else "(none)" for c in contexts)
        super().__init__(f"{term!r} exists in several contexts: {shown}")


class DuplicateTermError(GlossaryError):
    """The concept being added is already in the termbase."""

    def __init__(self, term: str, context: str | None = None) -> None:
        self.term = term
        self.context = context
        where = f" (context {context!r})" if context is not None else ""
        super().__init__(f"{term!r}{where} is already in the glossary")


class TermConflictError(GlossaryError):
    """A term or variant would match text that another concept already claims."""

    def __init__(self, form: str, owner: str) -> None:
        self.form = form
        self.owner = owner
        super().__init__(f"{form!r} is already claimed by the glossary entry {owner!r}")


class InvalidTermError(GlossaryError):
    """A term, variant, rendering or language code that cannot be stored."""


class LockTimeoutError(GlossaryError):
    """Another process kept the glossary locked for too long."""

    def __init__(self, path: str, seconds: float) -> None:
        self.path = path
        self.seconds = seconds
        super().__init__(f"{path} stayed locked by another writer for {seconds:g} s")
