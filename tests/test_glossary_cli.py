"""The `glossary` command group: every verb, its output, its errors and their exit codes."""
from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import click
import polib
import pytest
from click.testing import CliRunner, Result
from helpers import TEST_GLOSSARY

from glossary.cli import glossary
from glossary.errors import PoSyntaxError
from glossary.storage import load

REPO = Path(__file__).resolve().parent.parent


def run(directory: Path, *args: str, env: dict[str, str] | None = None) -> Result:
    return CliRunner().invoke(glossary, ["--glossary", str(directory), *args], env=env)


# -- help --------------------------------------------------------------------------------------
COMMANDS = ["list", "show", "add", "set", "remove", "lint", "import", "export"]


def test_group_is_named_glossary_and_has_every_verb() -> None:
    assert isinstance(glossary, click.Group) and glossary.name == "glossary"
    assert sorted(glossary.commands) == sorted(COMMANDS)


@pytest.mark.parametrize("command", COMMANDS)
def test_every_command_has_help_text(command: str) -> None:
    result = CliRunner().invoke(glossary, [command, "--help"])
    first_line = (glossary.commands[command].help or "").split("\n")[0]
    assert result.exit_code == 0 and first_line
    assert first_line in " ".join(result.output.split())


def test_help_does_not_import_the_storage_or_matching_code() -> None:
    code = ("import sys\nfrom glossary.cli import glossary\n"
            "try:\n    glossary(['--help'])\nexcept SystemExit:\n    pass\n"
            "print(sorted(m for m in sys.modules if m.startswith(('polib', 'glossary.'))))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=REPO)
    assert out.stdout.strip().splitlines()[-1] == "['glossary.cli', 'glossary.cli_common']"


# -- --glossary before or after the verb ------------------------------------------------------
def _terms(directory: Path) -> set[str]:
    return {concept.term for concept in load(directory)}


# For every verb: arguments that succeed on the test glossary, and what that did to it.
# {csv} is a CSV file adding G20.
VERBS: dict[str, tuple[list[str], Callable[[Path, Result], bool]]] = {
    "list": (["--lang", "es"], lambda d, r: "Xinhua\tXinhua (do-not-translate)" in r.stdout),
    "show": (["Belt and Road"], lambda d, r: r.stdout.startswith("Belt and Road Initiative\n")),
    "add": (["G20", "--es", "G20", "--zh", "二十国集团"], lambda d, r: "G20" in _terms(d)),
    "set": (["multilateralism", "--zh", "多边主义原则"],
            lambda d, r: load(d).get("multilateralism").rendering("zh").text == "多边主义原则"),
    "remove": (["Xinhua"], lambda d, r: "Xinhua" not in _terms(d)),
    "lint": ([], lambda d, r: r.stdout == f"{d}: 14 terms, languages es, zh: no problems\n"),
    "import": (["{csv}"], lambda d, r: "G20" in _terms(d)),
    "export": (["--format", "csv"], lambda d, r: len(r.stdout.splitlines()) == 15),
}


def test_the_placement_table_covers_every_verb() -> None:
    assert sorted(VERBS) == sorted(glossary.commands)


@pytest.mark.parametrize("where", ["before-the-verb", "after-the-verb"])
@pytest.mark.parametrize("verb", sorted(VERBS))
def test_every_verb_takes_the_glossary_option_before_or_after_it(
    glossary_copy: Path, tmp_path: Path, verb: str, where: str
) -> None:
    from translator.cli import main

    csv = tmp_path / "terms.csv"
    csv.write_text("term,es,zh\nG20,G20,二十国集团\n", encoding="utf-8")
    elsewhere = tmp_path / "elsewhere"  # what $TRANSLATOR_GLOSSARY says: the option must win
    elsewhere.mkdir()
    args, did = VERBS[verb]
    args = [arg.format(csv=csv) for arg in args]
    option = ["--glossary", str(glossary_copy)]
    line = [*option, verb, *args] if where == "before-the-verb" else [verb, *args, *option]
    result = CliRunner().invoke(main, ["glossary", *line], env={"TRANSLATOR_GLOSSARY": str(elsewhere)})
    assert result.exit_code == 0, result.output
    assert did(glossary_copy, result)
    assert list(elsewhere.iterdir()) == []


def test_the_option_after_the_verb_wins_over_the_one_before(glossary_copy: Path, tmp_path: Path) -> None:
    result = run(tmp_path / "none", "lint", "--glossary", str(glossary_copy))
    assert (result.exit_code, result.stdout) == (0, f"{glossary_copy}: 14 terms, languages es, zh: no problems\n")


@pytest.mark.parametrize("verb", sorted(VERBS))
def test_every_verb_lists_the_glossary_option_in_its_help(verb: str) -> None:
    result = CliRunner().invoke(glossary, [verb, "--help"])
    assert result.exit_code == 0 and "--glossary DIR" in result.stdout


# -- list and show -----------------------------------------------------------------------------
def test_list_prints_one_tab_separated_line_per_term(glossary_copy: Path) -> None:
    result = run(glossary_copy, "list")
    lines = result.stdout.splitlines()
    assert result.exit_code == 0 and len(lines) == 14
    assert "CELAC\tes: CELAC (do-not-translate)\tzh: 拉共体" in lines


def test_list_for_one_language(glossary_copy: Path) -> None:
    result = run(glossary_copy, "list", "--lang", "zh")
    assert "multilateralism\t多边主义" in result.stdout.splitlines()


def test_list_json_has_every_fact(glossary_copy: Path) -> None:
    data = json.loads(run(glossary_copy, "list", "--json").stdout)
    partnership = next(d for d in data if d["term"] == "Comprehensive Strategic Partnership")
    assert partnership["variants"] == ["Comprehensive Strategic Association"]
    assert partnership["renderings"]["es"]["text"] == "Asociación Estratégica Integral"
    assert partnership["renderings"]["es"]["approved"] is True


def test_list_of_a_language_the_glossary_lacks_is_a_usage_error(glossary_copy: Path) -> None:
    result = run(glossary_copy, "list", "--lang", "fr")
    assert result.exit_code == 2
    assert "the glossary has no fr renderings (languages: es, zh)" in result.stderr


def test_list_with_an_invalid_language_code_is_a_usage_error(glossary_copy: Path) -> None:
    result = run(glossary_copy, "list", "--lang", "Spanish")
    assert result.exit_code == 2 and "'Spanish' is not a language code" in result.stderr


def test_show_finds_a_concept_by_its_variant(glossary_copy: Path) -> None:
    result = run(glossary_copy, "show", "community of destiny")
    assert result.exit_code == 0
    assert result.stdout.splitlines()[:3] == [
        "community with a shared future", "  variants: community of destiny", "  case: insensitive"]
    assert "  zh: 命运共同体" in result.stdout.splitlines()


def test_show_of_an_unknown_term_fails_with_a_hint(glossary_copy: Path) -> None:
    result = run(glossary_copy, "show", "G20")
    assert result.exit_code == 1
    assert result.stderr == "glossary: error: no term 'G20' in the glossary; `glossary list` shows the terms\n"


def test_hints_name_the_command_as_mounted_in_the_main_cli(glossary_copy: Path) -> None:
    main = click.Group("translator")
    main.add_command(glossary)
    result = CliRunner().invoke(main, ["glossary", "--glossary", str(glossary_copy), "show", "G20"])
    assert "`translator glossary list`" in result.stderr


# -- add, set, remove --------------------------------------------------------------------------
def test_add_writes_the_term_to_every_file(glossary_copy: Path) -> None:
    result = run(glossary_copy, "add", "G20", "--es", "G20", "--zh", "二十国集团", "--variant", "Group of Twenty",
                 "--note", "The forum, not the summit.", "--forbid", "es=G-20")
    assert (result.exit_code, result.stdout) == (0, f"added 'G20' to {glossary_copy}\n")
    entry = polib.pofile(str(glossary_copy / "es" / "glossary.po")).find("G20")
    assert (entry.msgstr, entry.tcomment) == ("G20", "forbidden: G-20")
    assert "variant: Group of Twenty" in polib.pofile(str(glossary_copy / "glossary.pot")).find("G20").comment


def test_add_with_a_new_language_creates_its_po_file(glossary_copy: Path) -> None:
    result = run(glossary_copy, "add", "G20", "--to", "fr=G20", "--es", "G20", "--zh", "二十国集团")
    assert result.exit_code == 0
    assert polib.pofile(str(glossary_copy / "fr" / "glossary.po")).find("G20").msgstr == "G20"
    assert polib.pofile(str(glossary_copy / "fr" / "glossary.po")).metadata["Language"] == "fr"


def test_add_keep_uses_the_term_in_languages_without_a_rendering(glossary_copy: Path) -> None:
    assert run(glossary_copy, "add", "BRICS", "--keep", "--zh", "金砖国家", "--case-sensitive").exit_code == 0
    concept = load(glossary_copy).get("BRICS")
    assert (concept.rendering("es").text, concept.rendering("es").keep) == ("BRICS", True)
    assert concept.case_sensitive


def test_add_fuzzy_stores_a_proposal(glossary_copy: Path) -> None:
    run(glossary_copy, "add", "G20", "--es", "G20", "--zh", "二十国集团", "--fuzzy")
    assert "fuzzy" in polib.pofile(str(glossary_copy / "zh" / "glossary.po")).find("G20").flags


def test_add_of_an_existing_term_fails_and_changes_nothing(glossary_copy: Path) -> None:
    before = (glossary_copy / "es" / "glossary.po").read_bytes()
    result = run(glossary_copy, "add", "CELAC", "--es", "Celac")
    assert result.exit_code == 1
    assert result.stderr == ("glossary: error: 'CELAC' is already in the glossary; "
                             "change it with `glossary set` instead\n")
    assert (glossary_copy / "es" / "glossary.po").read_bytes() == before


def test_add_of_a_variant_another_term_claims_fails(glossary_copy: Path) -> None:
    result = run(glossary_copy, "add", "Strategic Association", "--variant", "Comprehensive Strategic Association")
    assert result.exit_code == 1
    assert result.stderr.startswith(
        "glossary: error: 'Comprehensive Strategic Association' is already claimed by the glossary entry "
        "'Comprehensive Strategic Partnership'; remove it there first")


@pytest.mark.parametrize(
    "args, message",
    [(["--to", "fr"], "'fr' is not LANG=TEXT"), (["--to", "english=x"], "'english' is not a language code"),
     (["--forbid", "es="], "'es=' is not LANG=TEXT"), (["--keep"], "do-not-translate applies to")],
    ids=["pair-without-equals", "bad-language", "empty-forbidden", "keep-with-no-language"],
)
def test_add_with_a_bad_argument_is_a_usage_error(tmp_path: Path, args: list[str], message: str) -> None:
    result = run(tmp_path / "new", "add", "G20", *args)
    assert result.exit_code == 2 and message in result.stderr


def test_add_to_an_empty_directory_starts_a_glossary(tmp_path: Path) -> None:
    assert run(tmp_path / "fresh", "add", "Xinhua", "--es", "Xinhua", "--zh", "新华社").exit_code == 0
    assert [c.term for c in load(tmp_path / "fresh")] == ["Xinhua"]


def test_set_changes_a_rendering_and_approve_clears_fuzzy(glossary_copy: Path) -> None:
    assert run(glossary_copy, "set", "multilateralism", "--zh", "多边主义原则", "--fuzzy").exit_code == 0
    assert load(glossary_copy).get("multilateralism").rendering("zh").fuzzy
    result = run(glossary_copy, "set", "multilateralism", "--approve")
    assert (result.exit_code, result.stdout) == (0, "updated 'multilateralism'\n")
    assert load(glossary_copy).get("multilateralism").rendering("zh").approved


def test_set_adds_and_removes_variants(glossary_copy: Path) -> None:
    run(glossary_copy, "set", "China-CELAC Forum", "--variant", "China-CELAC Ministerial Forum",
        "--remove-variant", "China-Latin America Forum")
    assert load(glossary_copy).get("China-CELAC Forum").variants == (
        "China-Latin America Community Forum", "China-CELAC Ministerial Forum")


def test_set_with_nothing_to_change_is_a_usage_error(glossary_copy: Path) -> None:
    result = run(glossary_copy, "set", "CELAC")
    assert result.exit_code == 2 and "nothing to change" in result.stderr


def test_set_of_an_unknown_term_fails(glossary_copy: Path) -> None:
    result = run(glossary_copy, "set", "G20", "--es", "G20")
    assert result.exit_code == 1 and "no term 'G20' in the glossary" in result.stderr


def test_set_in_a_directory_without_a_glossary_fails_and_creates_nothing(tmp_path: Path) -> None:
    result = run(tmp_path / "none", "set", "CELAC", "--es", "CELAC")
    assert result.exit_code == 1 and "no glossary in" in result.stderr
    assert not (tmp_path / "none").exists()


def test_set_case_insensitive_changes_the_case_rule(glossary_copy: Path) -> None:
    run(glossary_copy, "set", "APEC", "--case-insensitive")
    assert not load(glossary_copy).get("APEC").case_sensitive


def test_remove_deletes_the_term_from_every_file(glossary_copy: Path) -> None:
    result = run(glossary_copy, "remove", "Xinhua")
    assert (result.exit_code, result.stdout) == (0, "removed 'Xinhua'\n")
    for path in [glossary_copy / "glossary.pot", *(glossary_copy / lang / "glossary.po" for lang in ("es", "zh"))]:
        assert polib.pofile(str(path)).find("Xinhua") is None


@pytest.mark.parametrize("name", ["G20", "community of destiny"], ids=["unknown", "a-variant"])
def test_remove_of_something_that_is_not_a_term_fails(glossary_copy: Path, name: str) -> None:
    result = run(glossary_copy, "remove", name)
    assert result.exit_code == 1 and f"no term {name!r} in the glossary" in result.stderr


# -- lint ----------------------------------------------------------------------------------------
def test_lint_of_a_clean_glossary_passes() -> None:
    result = run(TEST_GLOSSARY, "lint")
    assert result.exit_code == 0, result.output
    assert result.stdout == f"{TEST_GLOSSARY}: 14 terms, languages es, zh: no problems\n"


def test_lint_lists_problems_and_exits_1(glossary_copy: Path) -> None:
    run(glossary_copy, "add", "G20", "--es", "G20", "--forbid", "es=G20")
    result = run(glossary_copy, "lint")
    assert result.exit_code == 1
    assert result.stdout.splitlines() == [
        "G20 (es): 'G20' is also listed as forbidden [forbidden-rendering]",
        "G20 (zh): no rendering [missing-rendering]",
    ]
    assert result.stderr.startswith("glossary: error: 2 problem(s) in ")


def test_malformed_po_gives_file_and_line_not_a_traceback(glossary_copy: Path) -> None:
    po = glossary_copy / "es" / "glossary.po"
    po.write_text(po.read_text(encoding="utf-8").replace('msgstr "multilateralismo"', 'msgstr "multilateralismo'),
                  encoding="utf-8")
    line = po.read_text(encoding="utf-8").splitlines().index('msgstr "multilateralismo') + 1
    result = run(glossary_copy, "lint")
    assert result.exit_code == 1
    assert result.stderr == (f"glossary: error: {po}:{line}: malformed string (check the quotes); "
                             "fix that line (msgfmt --check shows it too) or restore the file\n")


def test_debug_variable_lets_the_original_exception_through(glossary_copy: Path) -> None:
    po = glossary_copy / "zh" / "glossary.po"
    po.write_text(po.read_text(encoding="utf-8") + "\ngarbage\n", encoding="utf-8")
    result = run(glossary_copy, "list", env={"TRANSLATOR_DEBUG": "1"})
    assert isinstance(result.exception, PoSyntaxError)


def test_missing_glossary_says_how_to_point_at_one(tmp_path: Path) -> None:
    result = run(tmp_path / "none", "list")
    assert result.exit_code == 1
    assert "no glossary in" in result.stderr and "pass --glossary DIR or set TRANSLATOR_GLOSSARY" in result.stderr


def test_environment_variable_picks_the_glossary(glossary_copy: Path) -> None:
    result = CliRunner().invoke(glossary, ["list", "--lang", "es"], env={"TRANSLATOR_GLOSSARY": str(glossary_copy)})
    assert result.exit_code == 0 and "Xinhua\tXinhua (do-not-translate)" in result.stdout


# -- import and export ---------------------------------------------------------------------------
@pytest.mark.parametrize("fmt", ["csv", "tbx"])
def test_export_then_import_into_an_empty_glossary_reproduces_the_files(
    glossary_copy: Path, tmp_path: Path, fmt: str
) -> None:
    exported = tmp_path / f"terms.{fmt}"
    assert run(glossary_copy, "export", "--format", fmt, "-o", str(exported)).exit_code == 0
    result = run(tmp_path / "copy", "import", str(exported))
    assert (result.exit_code, result.stdout) == (0, f"imported {exported}: 14 added, 0 updated\n")
    for name in ["es/glossary.po", "zh/glossary.po"]:
        new = [(e.msgid, e.msgstr, e.flags, e.comment) for e in polib.pofile(str(tmp_path / "copy" / name))]
        old = [(e.msgid, e.msgstr, e.flags, e.comment) for e in polib.pofile(str(glossary_copy / name))]
        assert new == old


def test_export_to_standard_output(glossary_copy: Path) -> None:
    result = run(glossary_copy, "export")
    assert result.exit_code == 0 and result.stdout.splitlines()[0].startswith("term,context,variants")


def test_import_of_a_bad_csv_names_file_and_line_and_changes_nothing(glossary_copy: Path, tmp_path: Path) -> None:
    bad = tmp_path / "bad.csv"
    bad.write_text("term,es\nG20,G20\nBRICS,BRICS,extra\n", encoding="utf-8")
    result = run(glossary_copy, "import", str(bad))
    assert result.exit_code == 1
    assert result.stderr == (f"glossary: error: {bad}:3: 3 fields where the header has 2; "
                             "fix the file and import it again, or give --skip-invalid to import the 1 valid entry\n")
    assert "G20" not in {c.term for c in load(glossary_copy)}


def test_import_of_a_bad_tbx_names_file_and_line(glossary_copy: Path, tmp_path: Path) -> None:
    bad = tmp_path / "bad.tbx"
    bad.write_text("<martif>\n<text>\n</martif>\n", encoding="utf-8")
    result = run(glossary_copy, "import", str(bad))
    assert result.exit_code == 1 and result.stderr.startswith(f"glossary: error: {bad}:3: mismatched tag")


def test_import_of_an_unknown_format_is_a_usage_error(glossary_copy: Path, tmp_path: Path) -> None:
    other = tmp_path / "terms.xlsx"
    other.write_bytes(b"PK")
    result = run(glossary_copy, "import", str(other))
    assert result.exit_code == 2 and "cannot tell the format of terms.xlsx" in result.stderr


def test_import_of_a_missing_file_is_a_usage_error(glossary_copy: Path, tmp_path: Path) -> None:
    result = run(glossary_copy, "import", str(tmp_path / "nope.csv"))
    assert result.exit_code == 2 and "does not exist" in result.stderr


def test_import_updates_existing_terms(glossary_copy: Path, tmp_path: Path) -> None:
    update = tmp_path / "update.csv"
    update.write_text("term,zh,zh_flags\nmultilateralism,多边主义原则,fuzzy\n", encoding="utf-8")
    result = run(glossary_copy, "import", str(update))
    assert result.stdout == f"imported {update}: 0 added, 1 updated\n"
    assert load(glossary_copy).get("multilateralism").rendering("zh").fuzzy
