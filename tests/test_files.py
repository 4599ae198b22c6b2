"""Inputs are read strictly and outputs are written atomically."""
import os

import pytest

from translator.errors import InputError, OutputError
from translator.files import atomic_write_text, read_text


@pytest.mark.parametrize(
    "content, message",
    [
        (b"", "is empty; there is nothing to translate"),
        (b"  \n\t\n", "is empty; there is nothing to translate"),
        ("Caf\u00e9 con leche".encode("latin-1"), "is not UTF-8 text (bad byte at offset 3)"),
        (b"PK\x03\x04\x00\x00binary", "is not a text file"),
    ],
    ids=["empty", "whitespace-only", "latin-1", "binary"],
)
def test_unusable_inputs_are_refused_with_a_reason(tmp_path, content, message):
    path = tmp_path / "in.txt"
    path.write_bytes(content)
    with pytest.raises(InputError, match="in.txt " + message.replace("(", r"\(").replace(")", r"\)")):
        read_text(path)


def test_missing_file_and_directory_are_refused(tmp_path):
    with pytest.raises(InputError, match="nope.txt: no such file"):
        read_text(tmp_path / "nope.txt")
    with pytest.raises(InputError, match="is a directory"):
        read_text(tmp_path)


def test_utf8_bom_is_dropped(tmp_path):
    path = tmp_path / "bom.txt"
    path.write_bytes("\ufeffHello.".encode("utf-8"))
    assert read_text(path) == "Hello."


def test_atomic_write_replaces_the_file_and_leaves_no_temporary(tmp_path):
    target = tmp_path / "es" / "a.txt"
    atomic_write_text(target, "uno\r\ndos\n")
    atomic_write_text(target, "tres\n")
    assert target.read_bytes() == b"tres\n"
    assert os.listdir(target.parent) == ["a.txt"]
    assert oct(target.stat().st_mode & 0o777) != oct(0o600)


def test_unwritable_output_folder_is_an_output_error(tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("x")
    with pytest.raises(OutputError, match="choose another folder with --out"):
        atomic_write_text(blocker / "es" / "a.txt", "hola")
