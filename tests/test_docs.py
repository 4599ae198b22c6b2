"""Every command and every option of both command lines is in the README (so it cannot drift).

The walk starts at `translator` and goes through every group, `translator glossary` included.
The README's "Command reference" table must list exactly each command's options (a new option
fails here until it is documented, a removed one until its row is fixed), and every option must
also be named where the README explains it.
"""
from __future__ import annotations

import re
from pathlib import Path

import click
import pytest

from translator.cli import main

README = (Path(__file__).resolve().parents[1] / "README.md").read_text(encoding="utf-8")


def _commands(command: click.Command, path: str) -> list[tuple[str, click.Command]]:
    found = [(path, command)]
    if isinstance(command, click.Group):
        ctx = click.Context(command)
        for name in command.list_commands(ctx):
            found += _commands(command.get_command(ctx, name), f"{path} {name}")
    return found


COMMANDS = _commands(main, "translator")
SUBCOMMANDS = COMMANDS[1:]


def _option_names(path: str, command: click.Command) -> set[str]:
    ctx = click.Context(command, info_name=path.split()[-1])
    help_option = command.get_help_option(ctx)
    return {name for param in command.get_params(ctx)
            if isinstance(param, click.Option) and param is not help_option
            for name in [*param.opts, *param.secondary_opts]}


def _reference() -> dict[str, set[str]]:
    """The README's command reference: command path -> the option names its row lists."""
    section = README.split("## Command reference", 1)[1].split("\n## ", 1)[0]
    rows = {}
    for line in section.splitlines():
        cells = [cell.strip() for cell in line.strip().strip("|").split(" | ")]
        if len(cells) != 2 or not cells[0].startswith("`translator"):
            continue
        words = cells[0].strip("`").split()
        path = " ".join(word for word in words if re.fullmatch(r"[a-z]+", word))  # args are upper case
        rows[path] = set(re.findall(r"(?<![\w-])(--?[A-Za-z][\w-]*)", cells[1]))
    return rows


REFERENCE = _reference()
OPTIONS = sorted((path, name) for path, command in COMMANDS for name in _option_names(path, command))


def _mentioned(word: str) -> bool:
    """`word` stands on its own in the README (so --to is not found inside --top)."""
    return re.search(rf"(?<![\w-]){re.escape(word)}(?![\w-])", README) is not None


@pytest.mark.parametrize("name, command", SUBCOMMANDS, ids=[name for name, _ in SUBCOMMANDS])
def test_command_has_help_and_is_in_the_readme(name: str, command: click.Command) -> None:
    assert (command.help or "").strip(), f"{name} has no help text"
    assert name in README, f"{name} is not documented in README.md"


@pytest.mark.parametrize("name, command", COMMANDS, ids=[name for name, _ in COMMANDS])
def test_the_command_reference_lists_exactly_the_commands_options(name: str, command: click.Command) -> None:
    assert name in REFERENCE, f"{name} has no row in the README's command reference"
    assert REFERENCE[name] == _option_names(name, command)


def test_the_command_reference_has_no_row_for_a_command_that_does_not_exist() -> None:
    assert set(REFERENCE) == {name for name, _ in COMMANDS}


@pytest.mark.parametrize("name, option", OPTIONS, ids=[f"{name} {option}" for name, option in OPTIONS])
def test_every_option_is_in_the_readme(name: str, option: str) -> None:
    assert _mentioned(option), f"{name} {option} is not documented in README.md"


def test_the_walk_reaches_the_glossary_verbs_and_their_options() -> None:
    # Guards the walk itself: the lazily mounted glossary group must be part of it.
    assert "translator glossary lint" in dict(COMMANDS)
    assert ("translator glossary lint", "--glossary") in OPTIONS
    assert ("translator glossary set", "--case-insensitive") in OPTIONS


def test_help_options_are_in_the_readme() -> None:
    assert _mentioned("--help") and _mentioned("-h")
