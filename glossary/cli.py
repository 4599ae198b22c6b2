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
    from .errors import ImportRefusedError
    from .exchange import ImportReport
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
    if isinstance(exc, (errors.InvalidTermError, errors.ImportOptionError)):
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


def _import_languages(ctx: click.Context, param: click.Parameter, values: tuple[str, ...]) -> tuple[str, ...]:
    """--lang es,zh or --lang es --lang zh: glossary language codes, checked."""
    from .errors import InvalidTermError
    from .model import check_language

    codes = []
    for value in values:
        for code in value.split(","):
            if code.strip():
                try:
                    codes.append(check_language(code.strip()))
                except InvalidTermError as exc:
                    raise click.BadParameter(str(exc)) from None
    return tuple(codes)


def _refused(exc: ImportRefusedError, files: tuple[Path, ...], skip_invalid: bool) -> CommandError:
    """The last line of a refused import; every problem but a lone one was printed above it."""
    offer = ""
    if exc.skippable and exc.valid and not skip_invalid:
        offer = f", or give --skip-invalid to import the {_count(exc.valid, 'valid entry', 'valid entries')}"
    if len(exc.problems) == 1:
        return CommandError(f"{exc}; fix the file and import it again{offer}")
    where = files[0] if len(files) == 1 else f"{len(files)} files"
    return CommandError(f"{len(exc.problems)} problems in {where} (listed above); nothing was imported: "
                        f"fix them and import again{offer}")


def _count(number: int, one: str, many: str) -> str:
    return f"{number} {one if number == 1 else many}"


def _summary(files: tuple[Path, ...], report: ImportReport) -> str:
    parts = [f"imported {', '.join(map(str, files))}: {report.added} added, {report.updated} updated"]
    if report.merged:
        parts.append(_count(report.merged, "repeated entry", "repeated entries") + " merged")
    if report.conflicts:
        parts.append(_count(len(report.conflicts), "disagreeing rendering kept as a fuzzy proposal",
                            "disagreeing renderings kept as fuzzy proposals") + " (listed above; `lint` shows them)")
    if report.skipped:
        parts.append(_count(report.skipped_entries, "invalid entry", "invalid entries") + " skipped (listed above)")
    if report.left_out:
        parts.append(f"not imported (not in --lang): {', '.join(sorted(report.left_out))}")
    return "; ".join(parts)


@glossary.command("import")
@click.argument("files", nargs=-1, required=True, metavar="FILE...",
                type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--format", "fmt", type=click.Choice(["csv", "tsv", "tbx"]),
              help="File format (default: from each file's name).")
@click.option("--lang", "langs", multiple=True, callback=_import_languages, metavar="LANGS",
              help="Import only these languages (es,zh; repeatable); a regional code in the file "
                   "(es-419, es_XX, zh-CN) is read as the one given. Names the target language "
                   "of a two-column source,target file.")
@click.option("--skip-invalid", is_flag=True,
              help="Import the valid entries and report the others (default: any problem imports nothing).")
@click.pass_obj
def import_command(settings: _Settings, files: tuple[Path, ...], fmt: str | None, langs: tuple[str, ...],
                   skip_invalid: bool) -> None:
    """Add or update terms from CSV, TSV or TBX files.

    New terms are added; existing ones (same term and context) take the facts the file gives.
    Repeated entries of one term are merged; renderings that disagree are kept as fuzzy
    proposals and reported. Every problem is listed with its line, and nothing is written when
    there is one, unless --skip-invalid.
    """
    from .errors import ImportRefusedError
    from .exchange import Languages, bulk, check_files, format_for, import_into, parse_file

    formats = {}
    for file in files:
        try:
            formats[file] = fmt or format_for(file)
        except ValueError as exc:
            raise CommandUsageError(f"{exc}, or give --format") from None
    with _reported(settings), bulk():
        languages = Languages(langs)
        parsed = [parse_file(file, formats[file], languages) for file in files]
        try:
            check_files(parsed, skip_invalid=skip_invalid)

            def build(termbase: Termbase) -> ImportReport:
                report = import_into(termbase, parsed, skip_invalid=skip_invalid, languages=languages)
                parsed.clear()  # the entries are in the termbase now: free them before the save
                return report

            report = _save_change(settings, build, create=True)
        except ImportRefusedError as exc:
            if debug_requested():
                raise
            if len(exc.problems) > 1:
                for error in exc.problems:
                    click.echo(str(error), err=True)
            raise _refused(exc, files, skip_invalid) from exc
    for problem in report.skipped:
        click.echo(f"{problem.file}:{problem.line}: skipped: {problem.reason}", err=True)
    for problem in report.conflicts:
        click.echo(str(problem), err=True)
    click.echo(_summary(files, report))


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
