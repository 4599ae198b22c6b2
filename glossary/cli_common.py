"""What the two command lines share, so `translator ...` and `translator glossary ...` behave alike.

- **Errors:** every error is one line on stderr, ``PROG: error: MESSAGE``, exit status 2 for a
  bad argument and 1 for a failure while running. click's own usage errors (an unknown option, a
  value out of range) say what is wrong but not what to do, so their line ends with
  ``Try 'PROG COMMAND --help'.``; the commands' own messages already say what to do.
- **TRANSLATOR_DEBUG:** any value but empty, ``0``, ``false``, ``no`` or ``off`` lets library
  exceptions through with their traceback, for developers.
- **--glossary DIR:** one option, one default (``$TRANSLATOR_GLOSSARY``, else ``./locales``) and
  one check (a file is refused as a usage error) for every command that reads a glossary.

It lives in `glossary` because `glossary` must never import `translator`; `translator.cli`
imports it. It imports only click, so `--help` stays fast.
"""
from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO, Any, TypeVar

import click
from click.core import ParameterSource

ENV_DEBUG = "TRANSLATOR_DEBUG"
ENV_GLOSSARY = "TRANSLATOR_GLOSSARY"
DEFAULT_GLOSSARY = Path("locales")
_DEBUG_OFF = frozenset({"", "0", "false", "no", "off"})

F = TypeVar("F", bound=Callable[..., Any])


def debug_requested() -> bool:
    """True when TRANSLATOR_DEBUG asks for tracebacks instead of one-line messages.

    One reading for both command lines: ``TRANSLATOR_DEBUG=1`` (or ``yes``, ``true``) turns it
    on, and ``TRANSLATOR_DEBUG=0`` really turns it off, as a user who sets it to 0 expects.
    """
    return os.environ.get(ENV_DEBUG, "").strip().lower() not in _DEBUG_OFF


class CommandError(click.ClickException):
    """A failure while running, with a message that says what to do: exit status 1."""

    exit_code = 1


class CommandUsageError(click.UsageError):
    """An argument the command cannot use, with a message that says what to give instead: exit 2."""


class OneLineError(click.ClickException):
    """Any click error, already rendered as the one line that goes to stderr."""

    def __init__(self, line: str, exit_code: int) -> None:
        super().__init__(line)
        self.exit_code = exit_code  # type: ignore[misc]  # click declares it on the class

    def show(self, file: IO[Any] | None = None) -> None:
        click.echo(self.message, file=file, err=file is None)


def error_line(prog: str, message: str) -> str:
    """``PROG: error: MESSAGE`` on one line, whatever line breaks the message carried."""
    return f"{prog}: error: {' '.join(message.split())}"


def program_name(ctx: click.Context | None = None) -> str:
    """The name the user typed for the outermost command (``translator``, or ``glossary`` alone)."""
    ctx = ctx or click.get_current_context(silent=True)
    if ctx is None:
        return "translator"
    root = ctx.find_root()
    return root.info_name or root.command.name or "translator"


def echo_error(message: str) -> None:
    """Report one error and carry on (one bad file of many): the same line an exit would print."""
    click.echo(error_line(program_name(), message), err=True)


def one_line(exc: click.ClickException, prog: str) -> OneLineError:
    """`exc` as one line; click's parser errors get a pointer to the command's --help."""
    message = exc.format_message()
    ctx = getattr(exc, "ctx", None)
    if (isinstance(exc, click.UsageError) and not isinstance(exc, CommandUsageError)
            and ctx is not None and ctx.command.get_help_option(ctx) is not None):
        help_name = max(ctx.command.get_help_option_names(ctx), key=len)
        message = message.rstrip()
        if not message.endswith((".", "?", "!")):
            message += "."
        message += f" Try '{ctx.command_path} {help_name}'."
    return OneLineError(error_line(prog, message), exc.exit_code)


def _shows_help(exc: click.ClickException) -> bool:
    # click >= 8.2 raises NoArgsIsHelpError for a bare group: its "error" is the help page.
    return type(exc).__name__ == "NoArgsIsHelpError"


class OneLineGroup(click.Group):
    """A click group whose errors, and those of every command below it, are one line on stderr.

    click prints a usage block, a "Try --help" line and the error for a usage error (four lines);
    this group turns every `click.ClickException` into a `OneLineError` where it is raised, in
    parsing (`make_context`) and in running (`invoke`), before click shows it.
    """

    def make_context(self, info_name: str | None, args: list[str],
                     parent: click.Context | None = None, **extra: Any) -> click.Context:
        prog = program_name(parent) if parent is not None else (info_name or self.name or "translator")
        with _one_line(prog, self):
            return super().make_context(info_name, args, parent=parent, **extra)

    def invoke(self, ctx: click.Context) -> Any:
        with _one_line(program_name(ctx), self):
            return super().invoke(ctx)

    def failure(self, exc: Exception) -> click.ClickException | None:
        """The error to show for a library exception that reached the group; None lets it through.

        Subclasses name their library's error base here (`translator.errors.TranslatorError`).
        """
        return None


@contextmanager
def _one_line(prog: str, group: OneLineGroup) -> Iterator[None]:
    try:
        yield
    except OneLineError:
        raise
    except click.ClickException as exc:
        if _shows_help(exc):
            raise
        raise one_line(exc, prog) from exc
    except Exception as exc:  # only what `failure` claims is caught
        failure = group.failure(exc)
        if failure is None or debug_requested():
            raise
        raise one_line(failure, prog) from exc


def _check_folder(ctx: click.Context, param: click.Parameter, value: Path | None) -> Path | None:
    """Refuse a file where a glossary folder belongs, naming where the value came from."""
    if value is None or not value.exists() or value.is_dir():
        return value
    if ctx.get_parameter_source(param.name or "") == ParameterSource.ENVIRONMENT:
        raise CommandUsageError(
            f"{ENV_GLOSSARY}={value} is a file; point it at the glossary folder (the one holding "
            "glossary.pot)", ctx)
    raise CommandUsageError(
        f"--glossary {value} is a file; give the glossary folder (the one holding glossary.pot)", ctx)


def glossary_option(
    help_text: str = "Glossary folder: glossary.pot and <lang>/glossary.po "
                     "[default: $TRANSLATOR_GLOSSARY, else ./locales].",
    *,
    environment: bool = True,
    then: Callable[[click.Context, Path | None], None] | None = None,
) -> Callable[[F], F]:
    """The ``--glossary DIR`` option; the value is None when neither it nor the variable is set.

    `environment=False` leaves $TRANSLATOR_GLOSSARY to an enclosing group's option, so that a
    value given on the command line is never overridden by the variable. `then` receives the
    checked value instead of the command (the option is then not passed to the command).
    """
    def callback(ctx: click.Context, param: click.Parameter, value: Path | None) -> Path | None:
        value = _check_folder(ctx, param, value)
        if then is not None:
            then(ctx, value)
        return value

    return click.option(
        "--glossary", "glossary_dir", metavar="DIR", type=click.Path(path_type=Path),
        default=None, envvar=ENV_GLOSSARY if environment else None, callback=callback,
        expose_value=then is None, help=help_text,
    )
