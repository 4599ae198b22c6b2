"""The DOCX/ODT conformance suite (`conformance/formats_office.py`), run on documents written for
these tests (never on copies of the reference corpus): it passes on a faithful translation and
names the paragraph a damaged one changed."""
from __future__ import annotations

from pathlib import Path
from types import ModuleType

import pytest
from helpers import load_conformance
from office_docs import docx, odt, p, r

ROOT = Path(__file__).resolve().parent.parent
DOCX = docx(p(r("The "), r("quick", "b"), r(" fox runs.")) + p(r("Second paragraph here.")))
ODT = odt('<text:p>The <text:span text:style-name="T1">quick</text:span> fox runs.<text:line-break/>Next line.'
          "</text:p>")


@pytest.fixture
def suite(monkeypatch: pytest.MonkeyPatch) -> ModuleType:
    """The script as a module; the variables it points at its temporary folder are restored."""
    return load_conformance("formats_office", monkeypatch)


def corpus(folder: Path) -> Path:
    (folder / "formats" / "docx").mkdir(parents=True)
    (folder / "formats" / "odt").mkdir(parents=True)
    (folder / "formats" / "docx" / "fox.docx").write_bytes(DOCX)
    (folder / "formats" / "odt" / "fable.odt").write_bytes(ODT)
    return folder


def test_faithful_translations_pass_with_one_line_of_figures(
        suite: ModuleType, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert suite.main(["--corpus", str(corpus(tmp_path)), "--no-measure"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("formats_office: 2/2 documents keep their structure and text (docx 1, odt 1; es 2, zh 2), "
                          "4 segments, build reproduces 4/4 outputs, 2/2 keep their structure with every sentence changed, in ")
    assert out.count("\n") == 1


def test_a_lost_bold_is_reported_with_its_paragraph(
        suite: ModuleType, tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    from translator.formats import docx as word

    monkeypatch.setattr(word, "_INVISIBLE", word._INVISIBLE | {word._w("b")})  # bold runs merge with plain ones
    assert suite.main(["--corpus", str(corpus(tmp_path)), "--no-measure"]) == 1
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].startswith("formats_office: 1/2 documents keep their structure and text (docx 1, odt 1; es 1, zh 1)")
    assert lines[1].startswith("  fox.docx: es: word/document.xml: paragraph 1 changed: ")
