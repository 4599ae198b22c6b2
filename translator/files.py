"""Reading inputs and writing outputs safely, in the translator's own errors.

The rules are `glossary.po`'s, the project's one copy of them: inputs are decoded strictly (a
file that is not UTF-8 text is refused with where the first bad byte is, not translated into
mojibake), PO files are read as strictly as msgfmt, and outputs are written to a temporary file in
the target folder and renamed over the destination, so a reader never sees half a file and an
interrupted run leaves every earlier output intact. This module only turns their failures into
`InputError` and `OutputError`, whose one line says what to do.
"""
from __future__ import annotations

import os
from collections.abc import Iterable
from pathlib import Path

from glossary import po
from glossary.errors import EncodingError, PoSyntaxError

from .errors import InputError, OutputError


def read_text(path: Path) -> str:
    """The text of a UTF-8 file; InputError with one actionable line otherwise."""
    return decode_text(read_bytes(path), str(path))


def read_bytes(path: Path) -> bytes:
    """The bytes of an input file; InputError with one actionable line otherwise."""
    if path.is_dir():
        raise InputError(f"{path} is a folder with no document or catalog in it; "
                         "translator reads the files of the formats it knows inside folders")
    try:
        return path.read_bytes()
    except FileNotFoundError:
        raise InputError(f"{path}: no such file") from None
    except PermissionError:
        raise InputError(f"cannot read {path}: permission denied") from None
    except OSError as exc:
        raise InputError(f"cannot read {path}: {exc.strerror}") from None


def decode_text(data: bytes, name: str) -> str:
    """`data` as text (a leading byte-order mark dropped); InputError when it is not text to translate."""
    try:
        text = po.decode(data, name)
    except EncodingError as exc:
        raise InputError(f"{name} is {exc.reason}") from None
    if not text.strip():
        raise InputError(f"{name} is empty; there is nothing to translate")
    return text


def decode_po(data: bytes, path: Path | str, reuse: po.PoFile | None = None, *,
              raw: bool = True) -> po.PoFile:
    """A PO or POT file read as strictly as msgfmt; InputError naming the file and line otherwise.

    A reason that already says what to do ("...; add msgstr") is shown as it is; the others get
    the general advice. `reuse` is an earlier reading of the same file, `raw` whether to keep
    each entry's text (see `glossary.po.read`).
    """
    try:
        return po.read(data, str(path), reuse=reuse, raw=raw)
    except PoSyntaxError as exc:
        advice = "" if "; " in exc.reason else "; fix it in a PO editor or move the file away"
        raise InputError(f"{exc}{advice}") from None


def atomic_write_text(path: Path, text: str) -> None:
    """Write `text` as UTF-8 (line endings as given) via a temporary file and a rename."""
    atomic_write_bytes(path, text.encode("utf-8"))


def _make_parent(path: Path) -> None:
    """The folder `path` goes in (an archive's subfolders are made as their files are written)."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise OutputError(
            f"cannot write to {path.parent}: {exc.strerror}; choose another folder with --out"
        ) from None


def atomic_write_bytes(path: Path, data: bytes) -> None:
    """Write `data` to `path` via a temporary file and a rename; OutputError on failure."""
    _make_parent(path)
    try:
        po.atomic_write({path: data})
    except OSError as exc:
        raise OutputError(f"cannot write {path}: {exc.strerror}; choose another folder with --out") from None


def replace_if_unchanged(path: Path, data: bytes | Iterable[bytes], expected: bytes | None) -> bool:
    """`glossary.po.replace_if_unchanged` (write unless a person changed the file since it was
    read; False then), with OutputError on failure."""
    _make_parent(path)
    try:
        return po.replace_if_unchanged(path, data, expected)
    except OSError as exc:
        raise OutputError(f"cannot write {path}: {exc.strerror}; choose another folder with --out") from None


def check_writable(path: Path, option: str) -> None:
    """OutputError now, not after a long run, when `path` could not be written."""
    folder = path.parent
    if path.is_dir():
        raise OutputError(f"{path} is a folder; give {option} a file name")
    if folder.exists() and not folder.is_dir():
        raise OutputError(f"cannot write {path}: {folder} is not a folder; choose another {option}")
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise OutputError(f"cannot write to {folder}: {exc.strerror}; choose another {option}") from None
    if not os.access(folder, os.W_OK | os.X_OK):
        raise OutputError(f"cannot write {path}: permission denied; choose another {option}")
