"""Both command lines alike: every error is one line with its exit code, one TRANSLATOR_DEBUG.

`translator ...` and `translator glossary ...` (and the glossary group on its own) print
``PROG: error: MESSAGE`` and nothing else on stderr: exit 2 for a bad argument, 1 for a failure
while running. click's parser errors end with a pointer to the command's --help.
"""
from __future__ import annotations

import shlex
from pathlib import Path

import click
import pytest
from click.testing import CliRunner
from hypothesis import given
from hypothesis import strategies as st

from glossary.cli import glossary
from glossary.cli_common import debug_requested, one_line
from glossary.errors import PoSyntaxError
from translator.cli import main
from translator.errors import ModelError

# (id, command line, environment, exit code, the one line on stderr). {tmp} is a folder holding
# a.txt (an English article), {glossary} a copy of the test glossary.
MAIN_CASES = [
    ("translate-beam-out-of-range", "translate {tmp}/a.txt --to es --beam 99", {}, 2,
     "translator: error: Invalid value for '--beam': 99 is not in the range 1<=x<=16. "
     "Try 'translator translate --help'."),
    ("translate-negative-threads", "translate {tmp}/a.txt --to es --threads -1", {}, 2,
     "translator: error: Invalid value for '--threads': -1 is not in the range x>=0. "
     "Try 'translator translate --help'."),
    ("translate-without-to", "translate {tmp}/a.txt", {}, 2,
     "translator: error: Missing option '--to'. Try 'translator translate --help'."),
    ("translate-unknown-stdin-format", "translate - --to es --format docx", {}, 2,
     "translator: error: Invalid value for '--format': 'docx' is not one of 'txt', 'md'. "
     "Try 'translator translate --help'."),
    ("translate-unknown-language", "translate {tmp}/a.txt --to es --from english", {}, 2,
     "translator: error: unknown language code 'english'; use an ISO 639-1 code such as es, zh, fr, de"),
    ("translate-glossary-variable-is-a-file", "translate {tmp}/a.txt --to es",
     {"TRANSLATOR_GLOSSARY": "{tmp}/a.txt"}, 2,
     "translator: error: TRANSLATOR_GLOSSARY={tmp}/a.txt is a file; point it at the glossary "
     "folder (the one holding glossary.pot)"),
    ("translate-glossary-folder-without-glossary", "translate {tmp}/a.txt --to es --glossary {tmp}", {}, 1,
     "translator: error: no glossary in {tmp} (glossary.pot is missing); create one with "
     "`translator glossary add`, or pass --no-glossary"),
    ("unknown-command", "bogus", {}, 2,
     "translator: error: No such command 'bogus'. Try 'translator --help'."),
    ("check-glossary-option-is-a-file", "check --glossary {tmp}/a.txt {tmp}", {}, 2,
     "translator: error: --glossary {tmp}/a.txt is a file; give the glossary folder (the one "
     "holding glossary.pot)"),
    ("check-missing-path", "check --glossary {glossary} {tmp}/nope.po", {}, 1,
     "translator: error: {tmp}/nope.po: no such file or folder"),
    ("build-missing-catalog", "build {tmp}/nope.po", {}, 1,
     "translator: error: {tmp}/nope.po: no such file"),
    ("models-install-without-argument", "models install", {}, 2,
     "translator: error: Missing argument 'FROM TO | FILE.argosmodel...'. "
     "Try 'translator models install --help'."),
    ("models-install-unknown-language", "models install klingon en", {}, 2,
     "translator: error: unknown language code 'klingon'; use an ISO 639-1 code such as es, zh, fr, de"),
    ("models-remove-unknown-package", "models remove translate-xx_yy", {}, 1,
     "translator: error: no installed package named 'translate-xx_yy'; see translator models list"),
    ("glossary-option-after-the-verb-is-a-file", "glossary lint --glossary {tmp}/a.txt", {}, 2,
     "translator: error: --glossary {tmp}/a.txt is a file; give the glossary folder (the one "
     "holding glossary.pot)"),
    ("glossary-variable-is-a-file", "glossary lint", {"TRANSLATOR_GLOSSARY": "{tmp}/a.txt"}, 2,
     "translator: error: TRANSLATOR_GLOSSARY={tmp}/a.txt is a file; point it at the glossary "
     "folder (the one holding glossary.pot)"),
    ("glossary-misspelt-option", "glossary --glosary {glossary} lint", {}, 2,
     "translator: error: No such option '--glosary'. Did you mean '--glossary'? "
     "Try 'translator glossary --help'."),
    ("glossary-folder-without-glossary", "glossary lint --glossary {tmp}", {}, 1,
     "translator: error: no glossary in {tmp} (glossary.pot is missing); pass --glossary DIR or "
     "set TRANSLATOR_GLOSSARY, or start one with `translator glossary add`"),
    ("glossary-list-language-it-lacks", "glossary list --lang fr --glossary {glossary}", {}, 2,
     "translator: error: the glossary has no fr renderings (languages: es, zh)"),
    ("glossary-show-unknown-term", "glossary show G20 --glossary {glossary}", {}, 1,
     "translator: error: no term 'G20' in the glossary; `translator glossary list` shows the terms"),
    ("glossary-add-existing-term", "glossary add CELAC --es Celac --glossary {glossary}", {}, 1,
     "translator: error: 'CELAC' is already in the glossary; change it with "
     "`translator glossary set` instead"),
    ("glossary-add-pair-without-equals", "glossary add G20 --to fr --glossary {glossary}", {}, 2,
     "translator: error: Invalid value for '--to': 'fr' is not LANG=TEXT (for example zh=拉共体). "
     "Try 'translator glossary add --help'."),
    ("glossary-set-nothing", "glossary set CELAC --glossary {glossary}", {}, 2,
     "translator: error: nothing to change: give a rendering or another option "
     "(`translator glossary set --help` lists them)"),
    ("glossary-remove-a-variant", 'glossary remove "Belt and Road" --glossary {glossary}', {}, 1,
     "translator: error: no term 'Belt and Road' in the glossary; `translator glossary list` "
     "shows the terms"),
    ("glossary-import-missing-file", "glossary import {tmp}/nope.csv --glossary {glossary}", {}, 2,
     "translator: error: Invalid value for 'FILE...': File '{tmp}/nope.csv' does not exist. "
     "Try 'translator glossary import --help'."),
    ("glossary-export-unknown-format", "glossary export --format xlsx --glossary {glossary}", {}, 2,
     "translator: error: Invalid value for '--format': 'xlsx' is not one of 'csv', 'tbx'. "
     "Try 'translator glossary export --help'."),
]

# The glossary group run on its own names itself: the same form, the same codes.
STANDALONE_CASES = [
    ("show-unknown-term", "show G20 --glossary {glossary}", {}, 1,
     "glossary: error: no term 'G20' in the glossary; `glossary list` shows the terms"),
    ("export-unknown-format", "--glossary {glossary} export --format xlsx", {}, 2,
     "glossary: error: Invalid value for '--format': 'xlsx' is not one of 'csv', 'tbx'. "
     "Try 'glossary export --help'."),
    ("variable-is-a-file", "list", {"TRANSLATOR_GLOSSARY": "{tmp}/a.txt"}, 2,
     "glossary: error: TRANSLATOR_GLOSSARY={tmp}/a.txt is a file; point it at the glossary "
     "folder (the one holding glossary.pot)"),
    ("unknown-command", "bogus", {}, 2, "glossary: error: No such command 'bogus'. Try 'glossary --help'."),
]


@pytest.fixture
def places(tmp_path: Path, glossary_copy: Path) -> dict[str, str]:
    work = tmp_path / "work"
    work.mkdir()
    (work / "a.txt").write_text("Both sides agreed.\n", encoding="utf-8")
    return {"tmp": str(work), "glossary": str(glossary_copy)}


def _invoke(command: click.Command, line: str, env: dict[str, str], places: dict[str, str]):
    args = [word.format(**places) for word in shlex.split(line)]
    return CliRunner().invoke(command, args, env={k: v.format(**places) for k, v in env.items()})


@pytest.mark.parametrize("line, env, code, message", [c[1:] for c in MAIN_CASES],
                         ids=[c[0] for c in MAIN_CASES])
def test_translator_errors_are_one_line_with_their_exit_code(
    places: dict[str, str], line: str, env: dict[str, str], code: int, message: str
) -> None:
    result = _invoke(main, line, env, places)
    assert (result.exit_code, result.stderr) == (code, message.format(**places) + "\n")
    assert result.exception is None or isinstance(result.exception, SystemExit)


@pytest.mark.parametrize("line, env, code, message", [c[1:] for c in STANDALONE_CASES],
                         ids=[c[0] for c in STANDALONE_CASES])
def test_the_glossary_group_alone_reports_errors_the_same_way(
    places: dict[str, str], line: str, env: dict[str, str], code: int, message: str
) -> None:
    result = _invoke(glossary, line, env, places)
    assert (result.exit_code, result.stderr) == (code, message.format(**places) + "\n")


def test_lint_problems_go_to_stdout_and_the_failure_is_one_line(glossary_copy: Path) -> None:
    runner = CliRunner()
    runner.invoke(main, ["glossary", "add", "G20", "--es", "G20", "--forbid", "es=G20",
                         "--glossary", str(glossary_copy)])
    result = runner.invoke(main, ["glossary", "lint", "--glossary", str(glossary_copy)])
    assert result.exit_code == 1
    assert result.stderr == (f"translator: error: 2 problem(s) in {glossary_copy}; fix them with "
                             "`translator glossary set` or in a PO editor\n")
    assert len(result.stdout.splitlines()) == 2


# -- TRANSLATOR_DEBUG: one meaning in both command lines -------------------------------------
ON = ["1", "yes", "true", "TRUE", "2"]
OFF = ["", "0", "false", "no", "off", " 0 "]


@pytest.mark.parametrize("value", ON, ids=[f"on-{v!r}" for v in ON])
def test_debug_on_lets_a_translator_error_through(monkeypatch: pytest.MonkeyPatch, value: str) -> None:
    monkeypatch.setenv("TRANSLATOR_DEBUG", value)
    result = CliRunner().invoke(main, ["models", "remove", "translate-xx_yy"])
    assert isinstance(result.exception, ModelError)


@pytest.mark.parametrize("value", ON, ids=[f"on-{v!r}" for v in ON])
def test_debug_on_lets_a_glossary_error_through(
    monkeypatch: pytest.MonkeyPatch, glossary_copy: Path, value: str
) -> None:
    po = glossary_copy / "zh" / "glossary.po"
    po.write_text(po.read_text(encoding="utf-8") + "\ngarbage\n", encoding="utf-8")
    monkeypatch.setenv("TRANSLATOR_DEBUG", value)
    result = CliRunner().invoke(main, ["glossary", "list", "--glossary", str(glossary_copy)])
    assert isinstance(result.exception, PoSyntaxError)


@pytest.mark.parametrize("value", OFF, ids=[f"off-{v!r}" for v in OFF])
def test_debug_off_keeps_one_line_in_both_command_lines(
    monkeypatch: pytest.MonkeyPatch, glossary_copy: Path, value: str
) -> None:
    monkeypatch.setenv("TRANSLATOR_DEBUG", value)
    models = CliRunner().invoke(main, ["models", "remove", "translate-xx_yy"])
    assert (models.exit_code, models.stderr) == (
        1, "translator: error: no installed package named 'translate-xx_yy'; see translator models list\n")
    term = CliRunner().invoke(main, ["glossary", "show", "G20", "--glossary", str(glossary_copy)])
    assert (term.exit_code, term.stderr) == (
        1, "translator: error: no term 'G20' in the glossary; `translator glossary list` shows the terms\n")


@pytest.mark.parametrize("value, expected", [(v, True) for v in ON] + [(v, False) for v in OFF],
                         ids=[f"{v!r}" for v in ON + OFF])
def test_debug_requested_reads_the_variable(monkeypatch: pytest.MonkeyPatch, value: str, expected: bool) -> None:
    monkeypatch.setenv("TRANSLATOR_DEBUG", value)
    assert debug_requested() is expected


def test_debug_is_off_when_the_variable_is_unset(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("TRANSLATOR_DEBUG", raising=False)
    assert debug_requested() is False


# -- one line, whatever the message holds ------------------------------------------------------
@given(st.text(), st.sampled_from([1, 2]))
def test_any_error_message_becomes_exactly_one_line(text: str, code: int) -> None:
    error = click.ClickException(text)
    error.exit_code = code
    line = one_line(error, "translator")
    assert len(line.message.splitlines()) == 1
    assert line.message.startswith("translator: error:")
    assert line.exit_code == code


@given(st.text(alphabet=st.characters(blacklist_categories=("Cs",)), min_size=1))
def test_a_usage_error_keeps_its_words_and_points_at_help(text: str) -> None:
    ctx = click.Context(click.Command("translate"), info_name="translate",
                        parent=click.Context(click.Group("translator"), info_name="translator"))
    line = one_line(click.UsageError(text, ctx), "translator").message
    assert len(line.splitlines()) == 1
    assert line.startswith("translator: error: " + " ".join(text.split()))
    assert line.endswith(" Try 'translator translate --help'.")
