"""`glossary import` on the command line: every problem listed with its line, --skip-invalid,
--lang, several files at once, and one-line errors with the right exit status."""
from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner, Result

from glossary.cli import glossary
from glossary.storage import load


def run(directory: Path, *args: str) -> Result:
    return CliRunner().invoke(glossary, ["--glossary", str(directory), *args])


def write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


TBX_TWO_WITHOUT_ENGLISH = """<?xml version="1.0"?>
<tbx type="TBX-Basic" style="dca" xml:lang="en" xmlns="urn:iso:std:iso:30042:ed-2"><text><body>
<conceptEntry id="c1"><langSec xml:lang="en"><termSec><term>open cluster</term></termSec></langSec>
<langSec xml:lang="es"><termSec><term>cúmulo abierto</term></termSec></langSec></conceptEntry>
<conceptEntry id="c2"><langSec xml:lang="zu"><termSec><term>Bally2005</term></termSec></langSec></conceptEntry>
<conceptEntry id="c3"><langSec xml:lang="zu"><termSec><term>Lada2006</term></termSec></langSec></conceptEntry>
</body></text></tbx>
"""


def test_every_problem_is_listed_with_its_line_then_one_error_line(tmp_path: Path) -> None:
    source = write(tmp_path / "astro.tbx", TBX_TWO_WITHOUT_ENGLISH)
    result = run(tmp_path / "g", "import", str(source))
    assert result.exit_code == 1
    assert result.stderr.splitlines() == [
        f"{source}:5: the entry has no en term (its languages: zu)",
        f"{source}:6: the entry has no en term (its languages: zu)",
        f"glossary: error: 2 problems in {source} (listed above); nothing was imported: fix them and import "
        "again, or give --skip-invalid to import the 1 valid entry",
    ]
    assert not (tmp_path / "g" / "glossary.pot").exists()


def test_skip_invalid_imports_the_valid_entries_and_reports_the_rest(tmp_path: Path) -> None:
    source = write(tmp_path / "astro.tbx", TBX_TWO_WITHOUT_ENGLISH)
    result = run(tmp_path / "g", "import", "--skip-invalid", str(source))
    assert result.exit_code == 0
    assert result.stdout == f"imported {source}: 1 added, 0 updated; 2 invalid entries skipped (listed above)\n"
    assert result.stderr.splitlines() == [
        f"{source}:5: skipped: the entry has no en term (its languages: zu)",
        f"{source}:6: skipped: the entry has no en term (its languages: zu)",
    ]
    assert load(tmp_path / "g").get("open cluster").rendering("es").text == "cúmulo abierto"


def test_skip_invalid_cannot_import_a_file_that_is_not_well_formed(tmp_path: Path) -> None:
    source = write(tmp_path / "bad.tbx", "<martif>\n<text>\n</martif>\n")
    result = run(tmp_path / "g", "import", "--skip-invalid", str(source))
    assert (result.exit_code, result.stderr) == (
        1, f"glossary: error: {source}:3: mismatched tag; fix the file and import it again\n")


def test_a_tbx_nested_200000_deep_is_a_one_line_error_not_an_internal_error(tmp_path: Path) -> None:
    source = tmp_path / "deep.tbx"
    source.write_bytes(b"<martif>" + b"<a>" * 200_000 + b"</a>" * 200_000 + b"</martif>")
    result = run(tmp_path / "g", "import", str(source))
    assert (result.exit_code, result.stderr) == (1, (
        f"glossary: error: {source}:1: elements nested more than 100 deep; a TBX file nests about 10 deep; "
        "fix the file and import it again\n"))


def test_an_external_dtd_entity_is_a_one_line_error_naming_it(tmp_path: Path) -> None:
    source = write(tmp_path / "dtd.tbx", '<!DOCTYPE martif SYSTEM "t.dtd">\n<martif><text><body><termEntry>\n'
                   '<langSet xml:lang="en"><tig><term>Dtd &x; Term</term></tig></langSet></termEntry></body></text>'
                   "</martif>\n")
    result = run(tmp_path / "g", "import", str(source))
    assert result.exit_code == 1 and result.stderr.count("\n") == 1
    assert result.stderr.startswith(f"glossary: error: {source}:3: &x; is an entity of an external DTD")


def test_a_nul_in_a_csv_term_is_refused_with_file_and_line(tmp_path: Path) -> None:
    source = write(tmp_path / "t.csv", "term,es\nA\0B,x\n")
    result = run(tmp_path / "g", "import", str(source))
    assert (result.exit_code, result.stderr) == (1, (
        f"glossary: error: {source}:2: the term 'A\\x00B' contains a control character (U+0000); remove it; "
        "fix the file and import it again\n"))


def test_several_files_are_one_import_and_repeats_across_them_merge(tmp_path: Path) -> None:
    first = write(tmp_path / "a.csv", "term,es\nWHO,OMS\nspread,propagación\n")
    second = write(tmp_path / "b.csv", "en,es,zh\nWHO,OMS,世卫组织\nspread,expansión,传播\n")
    result = run(tmp_path / "g", "import", str(first), str(second))
    assert result.exit_code == 0
    assert result.stdout == (
        f"imported {first}, {second}: 2 added, 0 updated; 1 repeated entry merged; 1 disagreeing rendering kept "
        "as a fuzzy proposal (listed above; `lint` shows them)\n")
    assert result.stderr == (f"{second}:3: 'spread' (es): this entry gives 'expansión', {first}:3 gives "
                             "'propagación'; kept 'propagación' as a proposal (fuzzy), the other in its comment\n")
    spread = load(tmp_path / "g").get("spread")
    assert spread.rendering("es").fuzzy and spread.rendering("zh").text == "传播"


def test_lang_reads_regional_codes_as_the_glossary_language(tmp_path: Path) -> None:
    source = write(tmp_path / "g_en_es-419.csv", "stringID,sourceLang,targetLang,pos,description,sourceString,"
                   "targetString\n1,en,es-419,noun,,lockdown,confinamiento\n")
    result = run(tmp_path / "g", "import", "--lang", "es", str(source))
    assert result.exit_code == 0 and load(tmp_path / "g").languages == ("es",)


def test_a_regional_code_beside_the_glossary_language_is_a_usage_error(glossary_copy: Path, tmp_path: Path) -> None:
    source = write(tmp_path / "t.csv", "sourceString,targetString,targetLang\nlockdown,confinamiento,es-419\n")
    result = run(glossary_copy, "import", str(source))
    assert (result.exit_code, result.stderr) == (2, (
        f"glossary: error: {source}: es_419 would be a new language beside es; give --lang es to import every "
        "form of it as es, or --lang es_419 to keep it apart\n"))


def test_a_two_column_file_needs_one_lang(tmp_path: Path) -> None:
    source = write(tmp_path / "deepl.csv", "lockdown,confinamiento\n")
    assert run(tmp_path / "g", "import", str(source)).exit_code == 1
    result = run(tmp_path / "g", "import", "--lang", "es,zh", str(source))
    assert result.exit_code == 2 and "give exactly one --lang" in result.stderr
    result = run(tmp_path / "g", "import", "--lang", "es", str(source))
    assert result.exit_code == 0 and load(tmp_path / "g").get("lockdown").rendering("es").text == "confinamiento"


def test_a_tsv_file_is_read_by_its_name(tmp_path: Path) -> None:
    source = write(tmp_path / "deepl.tsv", "lockdown\tconfinamiento\n")
    assert run(tmp_path / "g", "import", "--lang", "es", str(source)).exit_code == 0


def test_lang_that_is_not_a_language_code_is_a_usage_error(tmp_path: Path) -> None:
    source = write(tmp_path / "t.csv", "term,es\nWHO,OMS\n")
    result = run(tmp_path / "g", "import", "--lang", "spanish", str(source))
    assert result.exit_code == 2 and "'spanish' is not a language code" in result.stderr


def test_languages_lang_leaves_out_are_named_in_the_summary(tmp_path: Path) -> None:
    source = write(tmp_path / "t.csv", "en,es,de\nWHO,OMS,WHO\n")
    result = run(tmp_path / "g", "import", "--lang", "es", str(source))
    assert result.stdout.endswith("; not imported (not in --lang): de\n")


def test_debug_variable_lets_the_refusal_through_with_every_problem(tmp_path: Path) -> None:
    from glossary.errors import ImportRefusedError

    source = write(tmp_path / "astro.tbx", TBX_TWO_WITHOUT_ENGLISH)
    result = CliRunner().invoke(glossary, ["--glossary", str(tmp_path / "g"), "import", str(source)],
                                env={"TRANSLATOR_DEBUG": "1"})
    assert isinstance(result.exception, ImportRefusedError) and len(result.exception.problems) == 2
