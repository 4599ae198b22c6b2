"""An archive's folder tree is kept in the outputs: OUT/LANG/2024/05/a.md with its review catalog
beside it, so same-named articles of different subfolders are fine, and `build` and `check`
still find what they need."""
from __future__ import annotations

from pathlib import Path

import polib
from click.testing import CliRunner

from translator.cli import main

A_2024 = "# Budget\n\nThe forum opened in Mexico City.\n"
A_2025 = "Trade grew fast last year.\n"


def _translate(*args: str):
    return CliRunner().invoke(main, ["translate", *args, "--to", "es", "--no-glossary", "--from", "en",
                                     "--quiet"])


def _archive(root: Path) -> Path:
    """archive/2024/05/a.md, archive/2025/01/a.md (the same name) and archive/top.txt."""
    for rel, text in {"2024/05/a.md": A_2024, "2025/01/a.md": A_2025, "top.txt": "One line.\n"}.items():
        path = root / "archive" / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return root / "archive"


def test_a_folder_input_keeps_its_subfolders_in_the_outputs(with_models, tmp_path):
    archive, out = _archive(tmp_path), tmp_path / "out"

    result = _translate(str(archive), "--out", str(out))

    assert result.exit_code == 0, result.output
    assert (out / "es" / "2024" / "05" / "a.md").read_text(encoding="utf-8") == A_2024  # the copy model
    assert (out / "es" / "2025" / "01" / "a.md").read_text(encoding="utf-8") == A_2025
    assert (out / "es" / "top.txt").read_text(encoding="utf-8") == "One line.\n"
    assert sorted(p.relative_to(out).as_posix() for p in out.rglob("*.po")) == [
        "es/2024/05/a.po", "es/2025/01/a.po", "es/top.po"]
    assert polib.pofile(str(out / "es" / "2025" / "01" / "a.po")).find("Trade grew fast last year.")


def test_a_file_given_by_itself_keeps_the_flat_layout(with_models, tmp_path):
    archive, out = _archive(tmp_path), tmp_path / "out"

    assert _translate(str(archive / "2024" / "05" / "a.md"), "--out", str(out)).exit_code == 0

    assert sorted(p.relative_to(out).as_posix() for p in out.rglob("*") if p.is_file()) == ["es/a.md", "es/a.po"]


def test_two_inputs_written_to_the_same_place_are_refused_in_one_line(with_models, tmp_path):
    archive, out = _archive(tmp_path), tmp_path / "out"
    (archive / "2024" / "05" / "a.txt").write_text("Another article.\n", encoding="utf-8")

    result = _translate(str(archive), "--out", str(out))

    assert result.exit_code == 1
    assert result.stderr == (f"translator: error: {archive / '2024' / '05' / 'a.md'} and "
                             f"{archive / '2024' / '05' / 'a.txt'} would both be written as 2024/05/a.*; "
                             "translate them in separate runs\n")
    assert not (out / "es" / "top.txt").exists()  # refused before anything is written


def test_two_folders_with_the_same_subpath_are_refused(with_models, tmp_path):
    first = _archive(tmp_path / "one")
    second = _archive(tmp_path / "two")

    result = _translate(str(first), str(second), "--out", str(tmp_path / "out"))

    assert result.exit_code == 1
    assert "would both be written as 2024/05/a.*" in result.stderr


def test_build_finds_the_source_of_a_catalog_in_a_subfolder(with_models, tmp_path):
    archive, out = _archive(tmp_path), tmp_path / "out"
    assert _translate(str(archive), "--out", str(out)).exit_code == 0
    catalog_path = out / "es" / "2024" / "05" / "a.po"
    catalog = polib.pofile(str(catalog_path))
    source_file = catalog.metadata["X-Source-File"]
    assert not Path(source_file).is_absolute()  # relative to the catalog's folder
    assert (catalog_path.parent / source_file).resolve() == (archive / "2024" / "05" / "a.md").resolve()
    entry = catalog.find("The forum opened in Mexico City.")
    entry.msgstr, entry.flags = "El foro se inauguró en Ciudad de México.", []
    catalog.save()
    (out / "es" / "2024" / "05" / "a.md").unlink()

    result = CliRunner().invoke(main, ["build", str(catalog_path)])

    assert result.exit_code == 0, result.output
    assert (out / "es" / "2024" / "05" / "a.md").read_text(encoding="utf-8") == (
        "# Budget\n\nEl foro se inauguró en Ciudad de México.\n")


def test_build_into_one_folder_refuses_a_second_catalog_of_the_same_name(with_models, tmp_path):
    archive, out = _archive(tmp_path), tmp_path / "out"
    assert _translate(str(archive), "--out", str(out)).exit_code == 0
    first, second = out / "es" / "2024" / "05" / "a.po", out / "es" / "2025" / "01" / "a.po"
    built = tmp_path / "built"

    result = CliRunner().invoke(main, ["build", str(first), str(second), "--out", str(built)])

    assert result.exit_code == 1
    assert result.stderr == (f"translator: error: {second}: its document would be built as "
                             f"{built / 'es' / 'a.md'}, like {first}'s; build them into separate "
                             "folders with --out\n")
    assert (built / "es" / "a.md").read_text(encoding="utf-8") == A_2024  # the first, not overwritten


def test_reviewed_translations_in_subfolders_are_memory_for_the_archive(with_models, tmp_path):
    archive, out = _archive(tmp_path), tmp_path / "out"
    assert _translate(str(archive), "--out", str(out)).exit_code == 0
    catalog_path = out / "es" / "2025" / "01" / "a.po"
    catalog = polib.pofile(str(catalog_path))
    entry = catalog.find("Trade grew fast last year.")
    entry.msgstr, entry.flags = "El comercio creció rápido el año pasado.", []
    catalog.save()
    (archive / "top.txt").write_text("One line.\n\nTrade grew fast last year.\n", encoding="utf-8")

    assert _translate(str(archive), "--out", str(out)).exit_code == 0

    reused = polib.pofile(str(out / "es" / "top.po")).find("Trade grew fast last year.")
    assert reused.msgstr == "El comercio creció rápido el año pasado."
    assert reused.comment == "reviewed translation reused from 2025/01/a.po"


def test_check_takes_a_nested_document_language_from_its_catalog(with_models, glossary_copy, tmp_path):
    archive, out = _archive(tmp_path), tmp_path / "out"
    assert _translate(str(archive), "--out", str(out)).exit_code == 0
    assert CliRunner().invoke(main, ["glossary", "--glossary", str(glossary_copy), "set",
                                     "Comprehensive Strategic Partnership", "--forbid",
                                     "es=Asociación Estratégica Amplia"]).exit_code == 0
    document = out / "es" / "2025" / "01" / "a.md"
    document.write_text("Celebraron su Asociación Estratégica Amplia.\n", encoding="utf-8")

    result = CliRunner().invoke(main, ["check", "--glossary", str(glossary_copy), str(document)])

    assert result.exit_code == 1
    assert result.stdout.startswith(f"{document}:1: term 'Comprehensive Strategic Partnership': forbidden rendering")
