"""Inputs are read strictly and outputs are written atomically."""
import os

import pytest

from translator.errors import InputError, OutputError
from translator.files import atomic_write_text, decode_po, read_text


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
    with pytest.raises(InputError, match=r"nope\.txt: no such file"):
        read_text(tmp_path / "nope.txt")
    with pytest.raises(InputError, match="is a folder with no document or catalog in it"):
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


def test_atomic_write_keeps_the_mode_of_the_output_it_replaces(tmp_path):
    target = tmp_path / "a.txt"
    target.write_text("old")
    target.chmod(0o640)
    atomic_write_text(target, "new")
    assert (target.read_text(), oct(target.stat().st_mode & 0o777)) == ("new", oct(0o640))


@pytest.mark.parametrize(
    "content, message",
    [
        (b'msgid "a"\nmsgstr "b\\q"\n', ("x.po:2: invalid escape \\q in a string (write \\\\ for a backslash, "
                                          '\\" for a quote); fix it in a PO editor or move the file away')),
        (b'msgid "a"\nmsgstr "caf\xe9"\n', ("x.po:2: not UTF-8 text (bad byte at offset 21); convert it first, "
                                           "e.g. iconv -f latin1 -t utf-8")),
        (b'msgid "a"\nmsgstr "a\x00"\n', ("x.po:2: not a text file (a NUL byte at offset 19); fix it in a PO "
                                         "editor or move the file away")),
        (b'msgid "a"\n', 'x.po:1: msgid without msgstr; add msgstr "" after it (comments go above msgid)'),
    ],
    ids=["bad-escape", "latin-1", "nul", "missing-msgstr"],
)
def test_a_po_file_is_refused_with_file_line_and_what_to_do(content, message):
    with pytest.raises(InputError) as caught:
        decode_po(content, "x.po")
    assert str(caught.value) == message
