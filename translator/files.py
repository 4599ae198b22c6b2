"""Reading inputs and writing outputs safely.

Inputs are decoded strictly (a file that is not UTF-8 text is refused with the offset of the first
bad byte, not translated into mojibake). Outputs are written to a temporary file in the target
folder and renamed over the destination, so a reader never sees half a file and an interrupted run
leaves every earlier output intact.
"""
from __future__ import annotations

import os
import tempfile
from pathlib import Path

from .errors import InputError, OutputError


def read_text(path: Path) -> str:
    """The text of a UTF-8 file; InputError with one actionable line otherwise."""
    return decode_text(read_bytes(path), str(path))


def read_bytes(path: Path) -> bytes:
    """The bytes of an input file; InputError with one actionable line otherwise."""
    if path.is_dir():
        raise InputError(f"{path} is a directory; pass the files inside it (e.g. {path}/*.txt)")
    try:
        return path.read_bytes()
    except FileNotFoundError:
        raise InputError(f"{path}: no such file") from None
    except PermissionError:
        raise InputError(f"cannot read {path}: permission denied") from None
    except OSError as exc:
        raise InputError(f"cannot read {path}: {exc.strerror}") from None


def decode_text(data: bytes, name: str) -> str:
    if b"\x00" in data[:8192]:
        raise InputError(f"{name} is not a text file (it holds binary data)")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InputError(
            f"{name} is not UTF-8 text (bad byte at offset {exc.start}); "
            f"convert it first, e.g. iconv -f latin1 -t utf-8"
        ) from None
    if not text.strip():
        raise InputError(f"{name} is empty; there is nothing to translate")
    return text


def atomic_write_text(path: Path, text: str) -> None:
    """Write `text` as UTF-8 (line endings as given) via a temporary file and a rename."""
    atomic_write_bytes(path, text.encode("utf-8"))


def atomic_write_bytes(path: Path, data: bytes) -> None:
    """Write `data` to `path` via a temporary file and a rename; OutputError on failure."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    except OSError as exc:
        raise OutputError(
            f"cannot write to {path.parent}: {exc.strerror}; choose another folder with --out"
        ) from None
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(tmp, 0o666 & ~_umask())  # mkstemp makes 0600 files; outputs are shared
        os.replace(tmp, path)
    except OSError as exc:
        Path(tmp).unlink(missing_ok=True)
        raise OutputError(f"cannot write {path}: {exc.strerror}; choose another folder with --out") from None
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


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


def _umask() -> int:
    current = os.umask(0)
    os.umask(current)
    return current
