"""The `translator` command line: a thin click layer over `translator.pipeline` and friends.

Only click (and `glossary.cli_common`, which imports nothing else) is loaded at start-up; each
command imports what it needs when it runs, so `translator --help` answers at once (no
ctranslate2, sentencepiece, langdetect or argostranslate). Errors, TRANSLATOR_DEBUG and
--glossary follow `glossary.cli_common`, shared with `translator glossary`.
"""
from __future__ import annotations

import errno
import os
import sys
from pathlib import Path
from typing import Any, ClassVar

import click

from glossary.cli_common import (
    ENV_DEBUG,
    CommandError,
    CommandUsageError,
    OneLineGroup,
    debug_requested,
    echo_error,
    glossary_option,
    program_name,
)


class _Group(OneLineGroup):
    """Reports `TranslatorError`s as one line and mounts `glossary` only when it is used."""

    lazy: ClassVar[dict[str, tuple[str, str, str]]] = {
        "glossary": ("glossary.cli", "glossary", "Edit and check the termbase (PO glossary)."),
    }

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted([*super().list_commands(ctx), *self.lazy])

    def get_command(self, ctx: click.Context, name: str) -> click.Command | None:
        if name in self.lazy:
            import importlib

            module, attr, _ = self.lazy[name]
            return getattr(importlib.import_module(module), attr)
        return super().get_command(ctx, name)

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        rows = []
        for name in self.list_commands(ctx):
            if name in self.lazy:
                rows.append((name, self.lazy[name][2]))
            else:
                command = super().get_command(ctx, name)
                if command is not None and not command.hidden:
                    rows.append((name, command.get_short_help_str(limit=60)))
        with formatter.section("Commands"):
            formatter.write_dl(rows)

    def failure(self, exc: Exception) -> click.ClickException | None:
        from .errors import TranslatorError

        return CommandError(str(exc)) if isinstance(exc, TranslatorError) else None


@click.group(name="translator", cls=_Group, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="translator", prog_name="translator")
def main() -> None:
    """Translate articles offline with Argos Translate models, enforcing a PO glossary."""


def _split_languages(value: str) -> list[str]:
    from .errors import LanguageError
    from .languages import check_code

    codes = [part for part in value.replace(" ", ",").split(",") if part]
    if not codes:
        raise CommandUsageError("--to needs at least one language code, e.g. --to es,zh")
    try:
        return list(dict.fromkeys(check_code(code) for code in codes))
    except LanguageError as exc:
        raise CommandUsageError(str(exc)) from None


class _Bar:
    """click's progress bar behind the pipeline's Progress protocol; shown on a terminal only."""

    def __init__(self) -> None:
        self._bar: Any = None

    def start(self, label: str, total: int) -> None:
        self._bar = click.progressbar(length=total, label=f"translating {label}", file=sys.stderr)
        self._bar.__enter__()

    def advance(self, n: int) -> None:
        self._bar.update(n)

    def finish(self) -> None:
        if self._bar is not None:
            self._bar.__exit__(None, None, None)
            self._bar = None


@main.command()
@click.argument("files", nargs=-1, required=True, metavar="FILE... | -")
@click.option("--to", "targets", required=True, metavar="LANGS",
              help="Target languages, comma-separated (e.g. es,zh).")
@click.option("--from", "source", default="auto", show_default=True, metavar="LANG",
              help="Source language, or auto to detect it per file.")
@click.option("--out", "out_dir", type=click.Path(path_type=Path), default=Path("out"),
              show_default=True, help="Folder for the outputs: OUT/LANG/NAME.")
@click.option("--format", "stdin_format", type=click.Choice(["txt", "md"]), default="txt",
              show_default=True, help="Format of standard input (-).")
@click.option("--device", type=click.Choice(["cpu", "cuda", "auto"]), default="cpu",
              show_default=True, help="Where the model runs.")
@click.option("--threads", type=click.IntRange(min=0), default=0, show_default=True,
              help="CPU threads for the model (0: all cores).")
@click.option("--beam", type=click.IntRange(1, 16), default=4, show_default=True,
              help="Beam size: 1 is fastest, 4 is Argos Translate's quality setting.")
@glossary_option("Glossary folder to enforce "
                 "[default: $TRANSLATOR_GLOSSARY, else ./locales if it exists].")
@click.option("--no-glossary", is_flag=True, help="Translate without enforcing any glossary.")
@click.option("--report", "report_path", type=click.Path(path_type=Path), default=None,
              metavar="FILE.json", help="Write the full run report (terms, flags, timings) as JSON.")
@click.option("--refresh", is_flag=True,
              help="Translate unreviewed (fuzzy) catalog entries again; reviewed ones are always kept.")
@click.option("--ray", "ray_address", is_flag=False, flag_value="local", default=None,
              metavar="[ADDRESS]", help="Translate on Ray: a local instance, or auto / ray://HOST:PORT "
              "to join a cluster (needs the ray extra).")
@click.option("-q", "--quiet", is_flag=True, help="No progress bar and no summary.")
def translate(files: tuple[str, ...], targets: str, source: str, out_dir: Path,
              stdin_format: str, device: str, threads: int, beam: int, glossary_dir: Path | None,
              no_glossary: bool, report_path: Path | None, refresh: bool, ray_address: str | None,
              quiet: bool) -> None:
    """Translate documents and catalogs (or - for stdin) into each target language.

    Each document goes to OUT/LANG/NAME with its shape kept, beside its review catalog
    OUT/LANG/NAME.po (reviewed entries there are kept and never sent to the model). A .po/.pot
    input is pre-translated into OUT/LANG/NAME.po. A folder is searched for every format the
    translator reads, and its files keep their subfolders (OUT/LANG/SUB/NAME). Standard input
    goes to standard output.
    """
    from .engine import DecodeOptions
    from .errors import InputError, LanguageError, TranslatorError
    from .languages import check_code
    from .pipeline import Input, Source, source_from_bytes, translate_sources

    langs = _split_languages(targets)
    if source != "auto":
        try:
            source = check_code(source)
        except LanguageError as exc:
            raise CommandUsageError(str(exc)) from None
    if files.count("-") > 1:
        raise CommandUsageError("standard input (-) can be given only once")
    if "-" in files and len(langs) != 1:
        raise CommandUsageError(
            "standard input is translated to standard output: give one --to language")
    if report_path is not None:
        from .files import check_writable

        check_writable(report_path, "--report")  # before any output is written, like --out

    from .sources import expand_inputs

    if ray_address is not None:
        from .distributed import import_ray

        try:
            import_ray()
        except TranslatorError as exc:
            raise CommandError(str(exc)) from None
    # Files are read by the run, a chunk at a time (an archive is never held whole); standard
    # input, which cannot be read twice, now.
    sources: list[Source | Input] = []
    failures = 0
    for item in expand_inputs(files, out_dir):
        try:
            sources.append(source_from_bytes(sys.stdin.buffer.read(), fmt=stdin_format)
                           if item.name == "-" else item)
        except InputError as exc:
            if debug_requested():
                raise
            failures += 1
            echo_error(str(exc))
    if not sources:
        raise click.exceptions.Exit(1)

    termbase = None if no_glossary else _load_glossary(glossary_dir, ", or pass --no-glossary")
    to_stdout = any(s.path is None for s in sources)
    show_progress = not quiet and sys.stderr.isatty()
    options = DecodeOptions(beam_size=beam, device=device, threads=threads)
    executor = None
    if ray_address is not None:
        from .distributed import RayExecutor

        executor = RayExecutor(None if ray_address == "local" else ray_address, termbase=termbase,
                               options=DecodeOptions(beam_size=beam, device=device, threads=threads or 1))
    try:
        result = translate_sources(
            sources, langs, source_lang=source, out_dir=out_dir, termbase=termbase, refresh=refresh,
            options=options, progress=_Bar() if show_progress else None, executor=executor,
            keep_units=False,
        )
    finally:
        if executor is not None:
            executor.close()
    from .files import atomic_write_text
    from .report import build_report, to_json

    report = build_report(result)
    if report_path is not None:
        atomic_write_text(report_path, to_json(report))
    for warning in result.warnings:
        click.echo(f"{program_name()}: warning: {warning}", err=True)
    if result.failures and debug_requested():
        raise result.failures[0]
    for failure in result.failures:
        failures += 1
        echo_error(str(failure))
    for file_result in result.files:
        if file_result.text is not None:
            click.echo(file_result.text, nl=False)
    if not quiet and (result.files or not result.failures):  # all unreadable: the errors say it
        _summary(result, report, out_dir, to_stdout, termbase)
    if failures:
        raise click.exceptions.Exit(1)


def _load_glossary(directory: Path | None, way_out: str = "") -> Any:
    """The termbase to enforce: `directory` (--glossary or $TRANSLATOR_GLOSSARY), else ./locales.

    A folder the user named must hold a glossary; the default ./locales may be absent (None).
    `way_out` ends each message with the command's own escape (", or pass --no-glossary").
    """
    from glossary.cli_common import DEFAULT_GLOSSARY
    from glossary.errors import GlossaryError

    from .pipeline import load_glossary

    if directory is not None and not (directory / "glossary.pot").is_file():
        raise CommandError(f"no glossary in {directory} (glossary.pot is missing); "
                           f"create one with `translator glossary add`{way_out}")
    try:
        return load_glossary(directory or DEFAULT_GLOSSARY)
    except GlossaryError as exc:
        if debug_requested():
            raise
        raise CommandError(f"{exc}; fix the glossary{way_out}") from exc


def _summary(result: Any, report: dict[str, Any], out_dir: Path, to_stdout: bool,
             termbase: Any) -> None:
    from .report import summary_table

    files = len({f.source for f in result.files})
    langs = ", ".join(dict.fromkeys(f.target_lang for f in result.files)) or "nothing"
    sent = sum(p.translated for p in result.pairs)
    where = "" if to_stdout else f"; outputs in {out_dir}/"
    lines = [
        f"Translated {files} file{'s' * (files != 1)} into {langs}: {result.segments} segments "
        f"({sent} sent to the model) in {result.timings.get('total', 0.0):.1f} s{where}"
    ]
    for pair in result.pairs:
        models = " then ".join(p.label for p in pair.models)
        about = "; ".join(p.description for p in pair.models if p.description)
        lines.append(f"  {pair.source_lang} -> {pair.target_lang}: {models}"
                     + (f" ({about})" if about else ""))
    totals = report["totals"]
    if termbase is None:
        lines.append("  glossary: none")
    else:
        accuracy = totals["term_accuracy"]
        lines.append(f"  glossary: {len(termbase)} terms; {totals['term_occurrences']} occurrences, "
                     f"{totals['enforced']} enforced, {totals['repaired']} repaired, "
                     f"{totals['flagged']} flagged"
                     + (f" (term accuracy {accuracy:.0%})" if accuracy is not None else ""))
    if report["files"]:
        lines.append(summary_table(report))
    if totals["flagged_segments"]:
        lines.append(f"{totals['flagged_segments']} segments flagged for review"
                     " (reasons: the #. comments in each review catalog, or --report FILE.json)")
    click.echo("\n".join(lines), err=to_stdout)


@main.command()
@click.argument("catalogs", nargs=-1, required=True, type=click.Path(path_type=Path),
                metavar="CATALOG.po...")
@click.option("--out", "out_dir", type=click.Path(path_type=Path), default=None,
              help="Write to OUT/LANG/NAME instead of next to each catalog.")
@click.option("--reviewed-only", is_flag=True,
              help="Use only reviewed entries; unreviewed sentences stay in the source language.")
def build(catalogs: tuple[Path, ...], out_dir: Path | None, reviewed_only: bool) -> None:
    """Render translated documents from review catalogs (reviewed text wins; no model needed)."""
    from .build import build_document
    from .errors import TranslatorError

    failures = 0
    built_here: dict[Path, Path] = {}
    for path in catalogs:
        try:
            built = build_document(path, out_dir, reviewed_only, built_here)
        except TranslatorError as exc:
            if debug_requested():
                raise
            failures += 1
            echo_error(str(exc))
            continue
        note = (f", {built.untranslated} left untranslated" if built.untranslated else "")
        click.echo(f"Built {built.output}: {built.reviewed} reviewed, {built.machine} machine{note}")
    if failures:
        raise click.exceptions.Exit(1)


@main.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path), metavar="PATH...")
@click.option("--lang", default=None, metavar="LANG",
              help="Language of the translations [default: each catalog's Language header, or its folder name].")
@glossary_option()
def check(paths: tuple[Path, ...], lang: str | None, glossary_dir: Path | None) -> None:
    """Audit translations and catalogs against the glossary; exit 1 on any violation.

    Catalogs (.po) are checked entry by entry (approved renderings present, no forbidden ones);
    translated .txt/.md files for forbidden renderings; and across all files, for a term
    rendered two ways. Folders are searched for .po, .txt and .md files.
    """
    from .check import audit

    termbase = _load_glossary(glossary_dir)
    if termbase is None:
        raise CommandError("no glossary in ./locales; pass --glossary DIR or set TRANSLATOR_GLOSSARY")
    violations = audit(paths, termbase, lang)
    for violation in violations:
        click.echo(str(violation))
    if violations:
        click.echo(f"{len(violations)} glossary violation{'s' * (len(violations) != 1)}", err=True)
        raise click.exceptions.Exit(1)
    click.echo("No glossary violations.")


@main.group()
def models() -> None:
    """List, install and remove Argos Translate models."""


@models.command("list")
@click.option("--available", is_flag=True, help="List what the Argos package index offers (online).")
def models_list(available: bool) -> None:
    """Show installed models (folder: ARGOS_PACKAGES_DIR or Argos's default)."""
    from . import packages

    if available:
        for from_code, to_code, version in packages.available_from_index():
            click.echo(f"{from_code} -> {to_code}  {version}")
        return
    problems: list[str] = []
    installed = packages.installed_packages(problems=problems)
    for problem in problems:
        click.echo(f"{program_name()}: warning: {problem}", err=True)
    if not installed:
        click.echo(f"No models installed in {packages.packages_dir()}; "
                   "install one with: translator models install en es")
        return
    for pkg in installed:
        click.echo(f"{pkg.from_code} -> {pkg.to_code}  {pkg.label}  [{pkg.tokenizer}]"
                   + (f"  {pkg.description}" if pkg.description else ""))


@models.command("install")
@click.argument("what", nargs=-1, required=True, metavar="FROM TO | FILE.argosmodel...")
def models_install(what: tuple[str, ...]) -> None:
    """Install from .argosmodel files (offline) or FROM TO from the Argos index (online)."""
    from . import packages
    from .errors import LanguageError
    from .languages import check_code

    is_pair = len(what) == 2 and not any(w.endswith(".argosmodel") or os.path.exists(w) for w in what)
    if is_pair:
        try:
            from_code, to_code = check_code(what[0]), check_code(what[1])
        except LanguageError as exc:
            raise CommandUsageError(str(exc)) from None
        installed = [packages.install_from_index(from_code, to_code)]
    else:
        installed = [packages.install_file(Path(w)) for w in what]
    for pkg in installed:
        click.echo(f"Installed {pkg.from_code} -> {pkg.to_code}: {pkg.label} in {pkg.path.parent}")


@models.command("remove")
@click.argument("what", nargs=-1, required=True, metavar="NAME | FROM TO")
def models_remove(what: tuple[str, ...]) -> None:
    """Remove an installed model by folder name or by direction."""
    from . import packages

    for pkg in packages.remove(what):
        click.echo(f"Removed {pkg.from_code} -> {pkg.to_code}: {pkg.label}")


COPY_MODEL_BANNER = (
    "NOTE: no real model was available for {pairs}{why}, so the bundled TEST model was\n"
    "      installed. It is a copy model used for testing: its output repeats the English\n"
    "      input and is NOT a translation. Drop real .argosmodel files into models/ or run\n"
    "      {commands} online for real translations."
)


@models.command("ensure")
@click.option("--to", "targets", required=True, metavar="LANGS", help="Target languages, e.g. es,zh.")
@click.option("--from", "source", default="en", show_default=True, metavar="LANG")
@click.option("--local", "local_dir", type=click.Path(path_type=Path), default=Path("models"),
              show_default=True, help="Folder of .argosmodel files to install from first.")
@click.option("--offline", is_flag=True, help="Do not try the Argos package index.")
@click.option("--fallback", type=click.Path(path_type=Path), multiple=True,
              help="An .argosmodel file (or folder of them) to use when nothing else is available; repeatable.")
def models_ensure(targets: str, source: str, local_dir: Path, offline: bool,
                  fallback: tuple[Path, ...]) -> None:
    """Make sure a model is installed for each direction (used by `make demo`).

    Tries, in order: an installed model, the --local folder, the Argos index, --fallback.
    """
    from . import packages

    fell_back, unreachable = [], False
    for target in _split_languages(targets):
        got = packages.ensure_direction(source, target, local_dir=local_dir, online=not offline,
                                        fallback=fallback)
        origin = {"installed": "already installed", "local": f"installed from {local_dir}/",
                  "index": "downloaded from the Argos index",
                  "fallback": "installed from the fallback packages"}[got.origin]
        click.echo(f"{source} -> {target}: {got.package.label} ({origin})")
        if got.origin == "fallback":
            fell_back.append(target)
            unreachable = unreachable or bool(got.note)
    if fell_back:
        click.echo(COPY_MODEL_BANNER.format(
            pairs=", ".join(f"{source} -> {t}" for t in fell_back),
            why=" (the Argos index could not be reached)" if unreachable else "",
            commands=" and ".join(f"`translator models install {source} {t}`" for t in fell_back),
        ), err=True)


def os_error_line(exc: OSError) -> str:
    """An operating-system failure as one line a user can act on."""
    what = exc.strerror or " ".join(str(exc).split())
    where = f"{exc.filename}: " if exc.filename else ""
    advice = {errno.ENOSPC: "free some space and run again", errno.EDQUOT: "free some space and run again",
              errno.ENAMETOOLONG: "use a shorter file or folder name",
              errno.EROFS: "choose a writable folder", errno.EACCES: "check the permissions"}
    return f"{where}{what}; {advice.get(exc.errno or 0, 'check the path and run again')}"


def run() -> None:
    """Entry point: click's main with a last guard so no traceback reaches a user by accident."""
    try:
        main(prog_name="translator")
    except OSError as exc:  # a full disk, a name too long, a folder where a file should be
        if debug_requested():
            raise
        echo_error(os_error_line(exc))
        sys.exit(1)
    except Exception as exc:  # the last line of defence, debuggable on request
        if debug_requested():
            raise
        click.echo(f"translator: internal error: {' '.join(str(exc).split())} "
                   f"(run again with {ENV_DEBUG}=1 for details)", err=True)
        sys.exit(70)
