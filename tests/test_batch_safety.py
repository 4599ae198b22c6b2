"""A batch never loses work: one broken catalog holds back one document, outputs never replace
inputs, and `build` never writes where a catalog's header says."""
from __future__ import annotations

from pathlib import Path

import polib
import pytest
from click.testing import CliRunner

from translator.cli import main


def _translate(*args: str):
    return CliRunner().invoke(main, ["translate", *args, "--to", "es", "--no-glossary", "--from", "en"])


def test_a_broken_review_catalog_holds_back_only_its_own_document(with_models, tmp_path: Path) -> None:
    out = tmp_path / "out"
    docs = []
    for name in ("a", "b", "c"):
        doc = tmp_path / f"{name}.txt"
        doc.write_text(f"Document {name} opens here.\n", encoding="utf-8")
        docs.append(doc)
    assert _translate(*map(str, docs), "--out", str(out)).exit_code == 0
    broken = out / "es" / "b.po"
    broken.write_text(broken.read_text(encoding="utf-8") + '\nmsgid "dangling\n', encoding="utf-8")
    before = broken.read_bytes()
    for doc in docs:
        doc.write_text(doc.read_text(encoding="utf-8") + "\nA second paragraph follows.\n", encoding="utf-8")

    result = _translate(*map(str, docs), "--out", str(out))

    assert result.exit_code == 1
    [error] = result.stderr.splitlines()
    assert error.startswith(f"translator: error: {broken}:")
    assert broken.read_bytes() == before  # left exactly as the person saved it
    for name in ("a", "c"):
        assert "A second paragraph follows." in (out / "es" / f"{name}.txt").read_text(encoding="utf-8")
        assert polib.pofile(str(out / "es" / f"{name}.po")).find("A second paragraph follows.") is not None
    assert "A second paragraph" not in (out / "es" / "b.txt").read_text(encoding="utf-8")


@pytest.mark.parametrize("suffix", [".txt", ".po"], ids=["document", "catalog"])
def test_a_run_that_would_write_over_its_input_is_refused(with_models, tmp_path: Path, suffix: str) -> None:
    (tmp_path / "es").mkdir()
    source = tmp_path / "es" / f"a{suffix}"
    text = "One sentence here.\n" if suffix == ".txt" else 'msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n\nmsgid "One sentence here."\nmsgstr ""\n'
    source.write_text(text, encoding="utf-8")

    result = _translate(str(source), "--out", str(tmp_path))

    assert result.exit_code == 1
    assert result.stderr == (f"translator: error: translating {source} into es would overwrite the input "
                             f"{source}; choose another folder with --out\n")
    assert source.read_text(encoding="utf-8") == text


def _catalog_for(tmp_path: Path, language: str) -> Path:
    source = tmp_path / "work" / "a.txt"
    source.parent.mkdir()
    source.write_text("One sentence here.\n", encoding="utf-8")
    catalog = tmp_path / "work" / "a.po"
    po = polib.POFile()
    po.metadata = {"Content-Type": "text/plain; charset=UTF-8", "Language": language,
                   "X-Source-File": "a.txt"}
    po.append(polib.POEntry(msgid="One sentence here.", msgstr="Una frase aquí."))
    po.save(str(catalog))
    return catalog


@pytest.mark.parametrize("language", ["../../victim", "/tmp/absolute", "es/../../x", "ES ES"],
                         ids=["parent-folders", "absolute", "hidden-parent", "not-a-code"])
def test_build_never_makes_a_folder_of_the_language_header(tmp_path: Path, language: str) -> None:
    catalog = _catalog_for(tmp_path, language)
    out = tmp_path / "built"

    result = CliRunner().invoke(main, ["build", str(catalog), "--out", str(out)])

    assert result.exit_code == 1
    assert result.stderr == (f"translator: error: {catalog}: its Language header {language!r} is not a "
                             "language code like es, zh or pt_BR; correct the header\n")
    assert not out.exists() and not (tmp_path / "victim").exists()


def test_build_puts_the_document_in_the_language_folder_under_out(tmp_path: Path) -> None:
    catalog = _catalog_for(tmp_path, "pt_BR")
    result = CliRunner().invoke(main, ["build", str(catalog), "--out", str(tmp_path / "built")])
    assert result.exit_code == 0, result.output
    assert (tmp_path / "built" / "pt_BR" / "a.txt").read_text(encoding="utf-8") == "Una frase aquí.\n"


def test_build_refuses_to_write_over_the_source_document(tmp_path: Path) -> None:
    catalog = _catalog_for(tmp_path, "es")  # the catalog sits beside its source: no --out given

    result = CliRunner().invoke(main, ["build", str(catalog)])

    assert result.exit_code == 1
    assert "would overwrite its source" in result.stderr
    assert (tmp_path / "work" / "a.txt").read_text(encoding="utf-8") == "One sentence here.\n"


@pytest.mark.parametrize("where", ["under-a-file", "a-folder"])
def test_an_unwritable_report_is_refused_before_anything_is_written(with_models, tmp_path: Path, where: str) -> None:
    doc = tmp_path / "a.txt"
    doc.write_text("One sentence here.\n", encoding="utf-8")
    blocker = tmp_path / "blocker"
    blocker.write_text("a file, not a folder", encoding="utf-8")
    report = blocker / "report.json" if where == "under-a-file" else tmp_path
    out = tmp_path / "out"

    result = _translate(str(doc), "--out", str(out), "--report", str(report))

    assert result.exit_code == 1
    expected = (f"cannot write {report}: {blocker} is not a folder; choose another --report"
                if where == "under-a-file" else f"{tmp_path} is a folder; give --report a file name")
    assert result.stderr == f"translator: error: {expected}\n"
    assert not out.exists()
