"""The `glossary` click group: `translator glossary list|show|add|set|remove|lint|import|export`.

`translator.cli` mounts it as `translator glossary`; it runs on its own too (a PO editor's
companion), which is why it owns its options and never imports `translator`. `--glossary DIR`
is accepted before the verb and after it, as the README promises for every command; given in
both places, the one after the verb wins. Each command parses its options, calls the library
(`glossary.storage`, `changes`, `lint`, `exchange`), and turns a `GlossaryError` into one line
that says what to do; the line's form, the exit codes and TRANSLATOR_DEBUG are those of
`glossary.cli_common`, shared with the rest of `translator`. Modules are imported inside the
commands so that `--help` loads only click.
"""
from __future__ import annotations

import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

import click

from .cli_common import (
    DEFAULT_GLOSSARY,
    ENV_GLOSSARY,
    CommandError,
    CommandUsageError,
    OneLineGroup,
    debug_requested,
    glossary_option,
)

if TYPE_CHECKING:
    from .model import Concept, Termbase

_T = TypeVar("_T")
_F = TypeVar("_F", bound=Callable[..., Any])


@dataclass(frozen=True)
class _Settings:
    directory: Path
    command: str  # "translator glossary" when mounted, "glossary" on its own: for hints


@contextmanager
def _reported(settings: _Settings) -> Iterator[None]:
    """Turn library errors into one actionable line (or let them through with TRANSLATOR_DEBUG)."""
    from .errors import GlossaryError

    try:
        yield
    except GlossaryError as exc:
        if debug_requested():
            raise
        raise _explain(exc, settings.command) from exc
    except OSError as exc:
        if debug_requested():
            raise
        where = f"{exc.filename}: " if exc.filename else ""
        raise CommandError(
            f"{where}{exc.strerror or exc}; check the path and its permissions"
        ) from exc


def _explain(exc: Exception, command: str) -> click.ClickException:
    from . import errors

    hints: list[tuple[type[Exception], str]] = [
        (errors.PoSyntaxError, "fix that line (msgfmt --check shows it too) or restore the file"),
        (errors.ImportFormatError, "fix the file and import it again"),
        (errors.GlossaryNotFoundError,
         f"pass --glossary DIR or set {ENV_GLOSSARY}, or start one with `{command} add`"),
        (errors.UnknownTermError, f"`{command} list` shows the terms"),
        (errors.AmbiguousTermError, "say which one with --context"),
        (errors.DuplicateTermError, f"change it with `{command} set` instead"),
        (errors.LockTimeoutError, "try again when the other glossary command has finished"),
    ]
    if isinstance(exc, errors.InvalidTermError):
        return CommandUsageError(str(exc))
    if isinstance(exc, errors.TermConflictError):
        return CommandError(
            f"{exc}; remove it there first (`{command} set {exc.owner!r} --remove-variant "
            f"{exc.form!r}`) or split homographs with --context"
        )
    for kind, hint in hints:
        if isinstance(exc, kind):
            return CommandError(f"{exc}; {hint}")
    return CommandError(str(exc))


def _pairs(ctx: click.Context, param: click.Parameter, values: tuple[str, ...]) -> tuple:
    """Parse repeated LANG=TEXT options into (lang, text) pairs."""
    from .errors import InvalidTermError
    from .model import check_language

    pairs = []
    for value in values:
        lang, sep, text = value.partition("=")
        if not sep or not text.strip():
            raise click.BadParameter(f"{value!r} is not LANG=TEXT (for example zh=拉共体)")
        try:
            pairs.append((check_language(lang.strip()), text.strip()))
        except InvalidTermError as exc:
            raise click.BadParameter(str(exc)) from None
    return tuple(pairs)


def _language(ctx: click.Context, param: click.Parameter, value: str | None) -> str | None:
    from .errors import InvalidTermError
    from .model import check_language

    if value is None:
        return None
    try:
        return check_language(value)
    except InvalidTermError as exc:
        raise click.BadParameter(str(exc)) from None


def _use_directory(ctx: click.Context, directory: Path | None) -> None:
    """`--glossary` given after the verb: it replaces the group's choice for this command."""
    if directory is not None and isinstance(ctx.obj, _Settings):
        ctx.obj = replace(ctx.obj, directory=directory)


class _Group(OneLineGroup):
    """Every verb also takes --glossary DIR (after the verb), not only the group (before it)."""

    def add_command(self, cmd: click.Command, name: str | None = None) -> None:
        if not any(param.name == "glossary_dir" for param in cmd.params):
            glossary_option(environment=False, then=_use_directory)(cmd)
        super().add_command(cmd, name)


@click.group(name="glossary", cls=_Group)
@glossary_option()
@click.pass_context
def glossary(ctx: click.Context, glossary_dir: Path | None) -> None:
    """Keep the approved renderings of key terms (PO files in locales/).

    Every term has a canonical English form, optional variants, and one rendering per target
    language; translations enforce the approved ones. Edit here or in any PO editor. Every
    command takes --glossary DIR, before or after its name.
    """
    ctx.obj = _Settings(directory=glossary_dir or DEFAULT_GLOSSARY, command=ctx.command_path)


# -- reading ---------------------------------------------------------------------------------
def _load(settings: _Settings) -> Termbase:
    from .storage import load

    return load(settings.directory)


def _shown(concept: Concept, lang: str) -> str:
    rendering = concept.rendering(lang)
    if rendering is None:
        return "-"
    marks = ["fuzzy"] * rendering.fuzzy + ["do-not-translate"] * rendering.keep
    return rendering.text + (f" ({', '.join(marks)})" if marks else "")


@glossary.command("list")
@click.option("--lang", callback=_language, help="Show only this language's renderings.")
@click.option("--json", "as_json", is_flag=True, help="Print JSON (all facts of every term).")
@click.pass_obj
def list_terms(settings: _Settings, lang: str | None, as_json: bool) -> None:
    """List every term with its renderings, one per line (tab-separated)."""
    with _reported(settings):
        termbase = _load(settings)
        if lang is not None and lang not in termbase.languages:
            known = ", ".join(termbase.languages) or "none"
            raise CommandUsageError(f"the glossary has no {lang} renderings (languages: {known})")
        languages = [lang] if lang else list(termbase.languages)
        if as_json:
            import json

            data = [concept.as_dict(languages) for concept in termbase]
            click.echo(json.dumps(data, ensure_ascii=False, indent=2))
            return
        for concept in termbase:
            if lang:
                cells = [concept.label, _shown(concept, lang)]
            else:
                cells = [concept.label, *(f"{code}: {_shown(concept, code)}" for code in languages)]
            click.echo("\t".join(cells))


@glossary.command("show")
@click.argument("term")
@click.option("--context", help="Which homograph, when the term has several.")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@click.pass_obj
def show(settings: _Settings, term: str, context: str | None, as_json: bool) -> None:
    """Show everything about TERM (its canonical form or any variant)."""
    with _reported(settings):
        termbase = _load(settings)
        concept = termbase.find(term, context)
        if as_json:
            import json

            click.echo(json.dumps(concept.as_dict(), ensure_ascii=False, indent=2))
            return
        lines = [concept.term]
        if concept.context is not None:
            lines.append(f"  context: {concept.context}")
        if concept.variants:
            lines.append(f"  variants: {' | '.join(concept.variants)}")
        lines.append(f"  case: {'sensitive' if concept.case_sensitive else 'insensitive'}")
        if concept.note:
            lines.append(f"  note: {concept.note}")
        for lang in termbase.languages:
            lines.append(f"  {lang}: {_shown(concept, lang)}")
            if concept.forbidden(lang):
                lines.append(f"  {lang} forbidden: {' | '.join(concept.forbidden(lang))}")
            entry = concept.entry(lang)
            if entry is not None and entry.comment:
                lines.append(f"  {lang} comment: {entry.comment}")
        click.echo("\n".join(lines))


# -- editing ---------------------------------------------------------------------------------
def _rendering_options(command: _F) -> _F:
    """The options add and set share, in the order --help lists them."""
    options = [
        click.option("--es", help="Spanish rendering."),
        click.option("--zh", help="Chinese rendering."),
        click.option("--to", "to", multiple=True, callback=_pairs, metavar="LANG=TEXT",
                     help="Rendering in any language, e.g. --to fr='Forum Chine-CELAC' (repeatable)."),
        click.option("--forbid", multiple=True, callback=_pairs, metavar="LANG=TEXT",
                     help="A rendering that must not be used (repeatable)."),
        click.option("--variant", multiple=True,
                     help="Another English spelling of the same concept (repeatable)."),
        click.option("--note", help="A note for translators and reviewers."),
        click.option("--keep", is_flag=True,
                     help="Do not translate: languages given no rendering here keep the term."),
        click.option("--fuzzy", is_flag=True,
                     help="The renderings are proposals: reported, not enforced."),
        click.option("--context", help="msgctxt: only to split homographs."),
    ]
    for option in reversed(options):
        command = option(command)
    return command


def _renderings(es: str | None, zh: str | None, to: tuple) -> tuple[tuple[str, str], ...]:
    given = [("es", es), ("zh", zh)]
    return tuple((lang, text) for lang, text in given if text is not None) + tuple(to)


def _save_change(settings: _Settings, build: Callable[[Termbase], _T], create: bool = False) -> _T:
    """Run `build` on the termbase under the glossary's write lock and save what it did."""
    from .storage import edit

    with edit(settings.directory, create=create) as termbase:
        return build(termbase)


@glossary.command("add")
@click.argument("term")
@_rendering_options
@click.option("--case-sensitive", is_flag=True, help="Match the exact capitals (acronyms).")
@click.pass_obj
def add(settings: _Settings, term: str, es: str | None, zh: str | None, to: tuple,
        forbid: tuple, variant: tuple[str, ...], note: str | None, keep: bool, fuzzy: bool,
        context: str | None, case_sensitive: bool) -> None:
    """Add TERM with its renderings.

    --es and --zh are shortcuts for --to es=... and --to zh=...; a language the glossary does not
    have yet gets its own <lang>/glossary.po.
    """
    from .changes import Change, apply
    from .model import Concept

    def build(termbase: Termbase) -> Concept:
        change = Change(
            renderings=_renderings(es, zh, to), fuzzy=fuzzy, keep=keep, forbid=forbid,
            add_variants=variant, note=note, case_sensitive=case_sensitive,
            languages=termbase.languages,
        )
        concept = apply(Concept(term, context=context), change)
        termbase.add(concept)
        return concept

    with _reported(settings):
        concept = _save_change(settings, build, create=True)
    click.echo(f"added {concept.label!r} to {settings.directory}")


@glossary.command("set")
@click.argument("term")
@_rendering_options
@click.option("--remove-variant", multiple=True, help="Drop a variant (repeatable).")
@click.option("--unforbid", multiple=True, callback=_pairs, metavar="LANG=TEXT",
              help="No longer forbid a rendering (repeatable).")
@click.option("--approve", is_flag=True, help="Approve every rendering of the term (clear fuzzy).")
@click.option("--case-sensitive/--case-insensitive", default=None,
              help="Change the case rule.")
@click.pass_obj
def set_term(settings: _Settings, term: str, es: str | None, zh: str | None, to: tuple,
             forbid: tuple, variant: tuple[str, ...], note: str | None, keep: bool, fuzzy: bool,
             context: str | None, remove_variant: tuple[str, ...], unforbid: tuple,
             approve: bool, case_sensitive: bool | None) -> None:
    """Change TERM: renderings, variants, note, case rule, approval."""
    from .changes import Change, apply

    change = Change(
        renderings=_renderings(es, zh, to), fuzzy=fuzzy, approve=approve, keep=keep,
        forbid=forbid, unforbid=unforbid, add_variants=variant, remove_variants=remove_variant,
        note=note, case_sensitive=case_sensitive,
    )
    if change.is_empty():
        raise CommandUsageError(f"nothing to change: give a rendering or another option "
                                f"(`{settings.command} set --help` lists them)")

    def build(termbase: Termbase) -> Concept:
        from dataclasses import replace

        current = termbase.find(term, context)
        concept = apply(current, replace(change, languages=termbase.languages))
        termbase.replace(concept, old_key=current.key)
        return concept

    with _reported(settings):
        concept = _save_change(settings, build)
    click.echo(f"updated {concept.label!r}")


@glossary.command("remove")
@click.argument("term")
@click.option("--context", help="Which homograph, when the term has several.")
@click.pass_obj
def remove(settings: _Settings, term: str, context: str | None) -> None:
    """Remove TERM and its renderings in every language.

    TERM must be the canonical form (a variant is refused, so a slip cannot remove a concept).
    """
    from .errors import UnknownTermError

    def build(termbase: Termbase) -> Concept:
        concept = termbase.find(term, context)
        if concept.term.casefold() != term.strip().casefold():
            raise UnknownTermError(term, context)  # a variant: removing its concept would surprise
        return termbase.remove(concept.term, concept.context)

    with _reported(settings):
        concept = _save_change(settings, build)
    click.echo(f"removed {concept.label!r}")


# -- checking and exchange ---------------------------------------------------------------------
@glossary.command("lint")
@click.pass_obj
def lint_command(settings: _Settings) -> None:
    """Check the glossary; exit 1 when anything is wrong.

    Finds duplicate terms, variants claimed by two terms, missing or fuzzy renderings, renderings
    that are also forbidden, and do-not-translate entries whose rendering is not the term.
    """
    from .lint import lint

    with _reported(settings):
        termbase = _load(settings)
        problems = lint(termbase)
    for problem in problems:
        click.echo(str(problem))
    if problems:
        raise CommandError(
            f"{len(problems)} problem(s) in {settings.directory}; fix them with "
            f"`{settings.command} set` or in a PO editor"
        )
    click.echo(
        f"{settings.directory}: {len(termbase)} terms, languages {', '.join(termbase.languages)}: "
        "no problems"
    )


@glossary.command("import")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--format", "fmt", type=click.Choice(["csv", "tbx"]),
              help="File format (default: from the file name).")
@click.pass_obj
def import_command(settings: _Settings, file: Path, fmt: str | None) -> None:
    """Add or update terms from a CSV or TBX file.

    New terms are added; existing ones (same term and context) take the facts the file gives.
    Nothing is written when any line is wrong.
    """
    from .exchange import format_for, merge, read_file

    if fmt is None:
        try:
            fmt = format_for(file)
        except ValueError as exc:
            raise CommandUsageError(f"{exc}, or give --format") from None
    with _reported(settings):
        items = read_file(file, fmt)

        def build(termbase: Termbase) -> tuple[int, int]:
            return merge(termbase, items, str(file))

        added, updated = _save_change(settings, build, create=True)
    click.echo(f"imported {file}: {added} added, {updated} updated")


@glossary.command("export")
@click.option("--format", "fmt", type=click.Choice(["csv", "tbx"]), default="csv",
              show_default=True, help="Output format.")
@click.option("--lang", "langs", multiple=True, callback=lambda c, p, v: tuple(_language(c, p, x) for x in v),
              help="Only these languages (repeatable; default all).")
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path),
              help="Write to this file instead of standard output.")
@click.pass_obj
def export_command(settings: _Settings, fmt: str, langs: tuple[str, ...], output: Path | None) -> None:
    """Export the glossary as CSV or TBX (TBX-Basic)."""
    from .exchange import export_text

    with _reported(settings):
        termbase = _load(settings)
        text = export_text(termbase, fmt, langs or None)
        if output is None:
            sys.stdout.write(text)
            return
        from .storage import atomic_write

        atomic_write({output: text.encode("utf-8")})
    click.echo(f"exported {len(termbase)} terms to {output}", err=True)
