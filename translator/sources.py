"""What a run reads: a document (through its format adapter) or a gettext catalog.

Both sit behind one small interface: the pipeline asks a source for its segments (to tell its
language), and `translator.outputs.plan` makes its plan in a target language (its units, and how
to write them back). Which format a file is in matters only here, when the adapter is chosen by
the file's name.
"""
from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

from . import formats, pofiles
from .document import Document, Segment
from .errors import InputError
from .files import decode_text, read_bytes

if TYPE_CHECKING:
    import polib

    from .formats import DocumentAdapter

__all__ = ["STDIN_NAME", "CatalogSource", "DocumentSource", "Input", "Source", "expand_inputs",
           "output_name", "read_source", "source_from_bytes"]

STDIN_NAME = "<stdin>"


class Source(Protocol):
    """One input, read and parsed."""

    @property
    def name(self) -> str:
        """As the user gave it; "<stdin>" for standard input."""
        ...

    @property
    def path(self) -> Path | None: ...

    @property
    def rel(self) -> str | None:
        """Its path inside the folder the user gave (its outputs keep it); None for a file given
        by itself (its outputs take its bare name)."""
        ...

    def segments(self) -> Iterable[Segment]:
        """The sentences to translate, in order (used to tell the source language, which reads
        only the first ones: a catalog splits its messages as they are asked for)."""
        ...


@dataclass(frozen=True)
class DocumentSource:
    """A document in any format a document adapter reads."""

    name: str
    path: Path | None
    document: Document
    adapter: DocumentAdapter
    rel: str | None = None

    def segments(self) -> list[Segment]:
        return self.document.segments()

    def render(self, translations: list[str], lang: str | None = None) -> bytes:
        return self.adapter.render(self.document, translations, lang=lang)


@dataclass(frozen=True)
class CatalogSource:
    """A gettext catalog (.po/.pot) to pre-translate."""

    name: str
    path: Path | None
    catalog: polib.POFile
    rel: str | None = None
    # Each msgid's sentence split, made once for the run (language detection, every target).
    spans: pofiles.Spans = field(default_factory=dict, compare=False, repr=False)

    def segments(self) -> Iterator[Segment]:
        return (Segment(p.text, p.line, "message") for p in pofiles.iter_pieces(self.catalog, set(), self.spans))


@dataclass(frozen=True)
class Input:
    """One input of a run, not read yet: a run over an archive reads each file only when its
    chunk comes (`translator.chunks`), so the driver never holds the whole archive."""

    name: str  # as the user gave it, or as found in a folder they gave; "-" is standard input
    rel: str | None = None  # see `Source.rel`

    @property
    def path(self) -> Path:
        return Path(self.name)

    def read(self) -> Source:
        return read_source(self.path, self.rel)


def output_name(item: Source | Input) -> str:
    """Where an input's outputs go under OUT/LANG: its path inside the folder it was found in
    (OUT/es/2024/05/a.md), or the bare name of a file given by itself (OUT/es/a.md)."""
    return item.rel if item.rel is not None else Path(item.name).name


def expand_inputs(names: Sequence[str], out_dir: Path) -> list[Input]:
    """The inputs a command line names: files as given, and for a folder every file inside it
    of a format the translator reads (sorted; hidden files and the output folder skipped), with
    its path inside that folder, which its outputs keep."""
    readable = {suffix for info in formats.formats() for suffix in info.suffixes}
    skip = out_dir.resolve()
    found: list[Input] = []
    for name in names:
        folder = Path(name)
        if name == "-" or not folder.is_dir():
            found.append(Input(name))
            continue
        inside = [Input(str(path), path.relative_to(folder).as_posix())
                  for path in sorted(folder.rglob("*"))
                  if path.is_file() and path.suffix.lower() in readable
                  and not any(p.startswith(".") for p in path.relative_to(folder).parts)
                  and skip not in path.resolve().parents]
        found += inside or [Input(name)]  # an empty folder is reported when it is read
    return found


def read_source(path: Path, rel: str | None = None) -> Source:
    """Read and parse one input file; InputError when it cannot be translated. `rel` is its
    path inside the folder it was found in (see `Source.rel`)."""
    if not path.is_file():
        read_bytes(path)  # says why: missing, a directory, unreadable
    adapter = formats.adapter_for(str(path))
    data = read_bytes(path)
    if adapter.kind == "catalog":
        catalog = adapter.read(data, path)  # strict, with the file and line of what is wrong
        decode_text(data, str(path))  # the same checks as any input: not empty
        return CatalogSource(str(path), path, catalog, rel)
    return DocumentSource(str(path), path, adapter.parse(data, str(path)), adapter, rel)


def source_from_bytes(data: bytes, name: str = STDIN_NAME, fmt: str = "txt") -> Source:
    """An input that did not come from a file (standard input)."""
    adapter = formats.by_name(fmt)
    if adapter.kind != "document":
        raise InputError(f"{name}: standard input must be a document (txt or md), not {fmt}")
    return DocumentSource(name, None, adapter.parse(data, name), adapter)
