"""One translation run, start to end: read, plan, protect, translate, restore, verify, write.

The time of a run is the model's, so the pipeline's job is to feed it well: every pending sentence
of every file goes to one translator per language pair in a single call (the translator sorts and
batches them), repeated sentences are translated once, and each model is loaded once. Everything
the command line shows comes back in a `RunResult`; the pipeline itself prints nothing.
"""
from __future__ import annotations

import time
from collections.abc import Callable, Iterable, Sequence
from itertools import islice
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

import polib

from . import catalogs, languages, outputs
from .calibrate import placeholder_form
from .detect import NOT_PROSE_KINDS, could_be_english, detect_language, prose_sample
from .enforce import Protector
from .engine import DecodeOptions, Translator, load_translator
from .errors import InputError, ModelError, OutputError
from .outputs import Plan, from_memory
from .packages import ModelPackage, find_route, installed_packages
from .results import FileResult, PairResult, Progress, RunResult
from .sentences import add_time, translate_sentences
from .sources import CatalogSource, Source, read_source, source_from_bytes
from .units import Kept, SentenceResult, Unit

__all__ = ["FileResult", "PairResult", "Progress", "RunResult", "SentenceResult", "Source",
           "Unit", "load_glossary", "read_source", "source_from_bytes", "translate_sources"]

if TYPE_CHECKING:
    from glossary.match import Matcher
    from glossary.model import Termbase

TranslatorFactory = Callable[[Sequence[ModelPackage]], Translator]


class Executor(Protocol):
    """Where the sentences of a language pair are translated: in this process, or on a cluster
    (`translator.distributed.RayExecutor`). The run plans and writes; an executor only turns
    pending sentences into results."""

    def translate(self, pending: dict[str, bool], src: str, tgt: str, route: Sequence[ModelPackage],
                  timings: dict[str, float], progress: Progress | None) -> dict[str, SentenceResult]:
        """The result of each pending sentence (sentence -> protect its format strings?)."""
        ...


class LocalExecutor:
    """The model loaded here, once per language pair, and every sentence through it."""

    def __init__(self, build: TranslatorFactory, placeholder: str | None, termbase: Termbase | None):
        self.build = build
        self.placeholder = placeholder
        self.matcher = _matcher(termbase)

    def translate(self, pending: dict[str, bool], src: str, tgt: str, route: Sequence[ModelPackage],
                  timings: dict[str, float], progress: Progress | None) -> dict[str, SentenceResult]:
        t0 = time.perf_counter()
        translator = self.build(route)
        form = self.placeholder or placeholder_form(route, translator)  # None: none survives
        add_time(timings, "load", t0)
        protector = Protector(tgt, self.matcher if src == "en" else None, form)
        return translate_sentences(pending, src, tgt, translator, protector, timings, progress)


def _source_language(source: Source, expected: str, warnings: list[str],
                     has_models: Callable[[str], bool]) -> str:
    """`expected` unless it is "auto"; says so when a file looks like another language.

    Only prose is looked at (no table cells, code, links or names). A text detected as a
    language no installed model reads, that could be English, is translated as English with a
    warning: an English table of names and figures is more likely than a stray Italian file.
    """
    prose = [s.text for s in islice((s for s in source.segments() if s.kind not in NOT_PROSE_KINDS), 200)]
    sample = prose_sample(prose or [s.text for s in islice(source.segments(), 200)])
    detected = detect_language(sample)
    if expected == "auto":
        if detected.code is None or detected.code not in languages.NAMES:
            return "en"  # the product translates English news; too little text to say otherwise
        if detected.code != "en" and not has_models(detected.code) and could_be_english(sample):
            warnings.append(
                f"{source.name} looks like {languages.name(detected.code)} ({detected.code}), but no "
                f"installed model reads {detected.code} and it reads as English too; translating "
                f"it as English (use --from to choose)"
            )
            return "en"
        return detected.code
    if detected.code is not None and detected.code != expected:
        warnings.append(
            f"{source.name} looks like {languages.name(detected.code)} ({detected.code}), "
            f"not {languages.name(expected)}; translating it as {expected} "
            f"(use --from {detected.code} to change)"
        )
    return expected


def _check_names(sources: Sequence[Source]) -> None:
    seen: dict[str, str] = {}
    for source in sources:
        if source.path is None:
            continue
        stem = source.path.stem  # NAME.txt, NAME.md, NAME.pot and the catalog NAME.po share it
        if stem in seen:
            raise InputError(
                f"{seen[stem]} and {source.name} would both be written as {stem}.*; "
                "translate them in separate runs"
            )
        seen[stem] = source.name


def default_translator(route: Sequence[ModelPackage], options: DecodeOptions) -> Translator:
    return load_translator(route, options)


def _make_folder(folder: Path) -> None:
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise OutputError(
            f"cannot write to {folder}: {exc.strerror}; choose another folder with --out"
        ) from None


def load_glossary(directory: Path | None) -> Termbase | None:
    """The termbase in `directory`, None when there is none; GlossaryError when it is broken."""
    if directory is None or not (directory / "glossary.pot").is_file():
        return None
    from glossary.storage import load

    return load(directory)


def translate_sources(
    sources: Sequence[Source],
    targets: Sequence[str],
    *,
    source_lang: str = "auto",
    out_dir: Path = Path("out"),
    options: DecodeOptions = DecodeOptions(),
    packages: Sequence[ModelPackage] | None = None,
    termbase: Termbase | None = None,
    translator_factory: TranslatorFactory | None = None,
    placeholder: str | None = None,
    refresh: bool = False,
    progress: Progress | None = None,
    executor: Executor | None = None,
) -> RunResult:
    """Translate every source into every target language and write the outputs.

    `translator_factory` builds the translator for a route of packages; tests pass one that wraps
    the real model to see and alter exactly what it receives. `placeholder` forces a placeholder
    form instead of the one calibrated for the model. Reviewed catalog entries are always kept;
    unchanged machine entries are kept too unless `refresh` asks to translate them again.
    `executor` translates elsewhere (a Ray cluster); by default the model runs in this process.
    """
    started = time.perf_counter()
    result = RunResult()
    targets = [languages.check_code(t) for t in targets]
    if source_lang != "auto":
        source_lang = languages.check_code(source_lang)
    _check_names(sources)

    installed = installed_packages(problems=result.warnings) if packages is None else list(packages)
    t0 = time.perf_counter()
    by_pair = _pairs(sources, source_lang, targets, result.warnings, installed)
    add_time(result.timings, "detect", t0)

    # Fail before any model loads: outputs that would overwrite inputs, routes that do not
    # exist, output folders that cannot be made.
    _check_outputs(by_pair, out_dir)
    routes = {pair: find_route(installed, *pair) for pair in by_pair}
    if any(source.path is not None for source in sources):
        for _, target in by_pair:
            _make_folder(out_dir / target)
    if executor is None:
        build = translator_factory or (lambda route: default_translator(route, options))
        executor = LocalExecutor(build, placeholder, termbase)

    for (src, tgt), pair_sources in by_pair.items():
        route = routes[(src, tgt)]
        pair = PairResult(src, tgt, route)
        result.pairs.append(pair)

        t0 = time.perf_counter()
        plans = []
        for source in pair_sources:
            try:
                plans.append(outputs.plan(source, out_dir, tgt, refresh))
            except InputError as exc:  # a broken review catalog: this document waits, not the batch
                result.failures.append(exc)
        pending = _pending(plans, out_dir / tgt)
        pair.segments = sum(len(plan.units) for plan in plans)
        pair.translated = len(pending)
        add_time(result.timings, "catalogs", t0)

        done: dict[str, SentenceResult] = {}
        if pending:
            t0, loading = time.perf_counter(), result.timings.get("load", 0.0)
            done = executor.translate(pending, src, tgt, route, result.timings, progress)
            # The pair's translation time, without loading the model (as the report has it).
            pair.seconds = time.perf_counter() - t0 - (result.timings.get("load", 0.0) - loading)

        t0 = time.perf_counter()
        models = ", ".join(p.label for p in route)
        for plan in plans:
            _settle(plan.units, done)
            try:
                result.files.append(plan.write(src, tgt, out_dir, models))
            except InputError as exc:  # its catalog was broken while the run was going
                result.failures.append(exc)
        add_time(result.timings, "write", t0)

    result.workers = list(getattr(executor, "workers", []))
    result.timings["total"] = time.perf_counter() - started
    return result


def _pairs(sources: Sequence[Source], source_lang: str, targets: Sequence[str],
           warnings: list[str], installed: Sequence[ModelPackage]) -> dict[tuple[str, str], list[Source]]:
    """The sources of each (source language, target language) pair, in the order given."""

    def has_models(lang: str) -> bool:
        """Some installed route leads from `lang` to one of the targets."""
        for target in targets:
            try:
                find_route(installed, lang, target)
            except ModelError:
                continue
            return True
        return False

    by_pair: dict[tuple[str, str], list[Source]] = {}
    for source in sources:
        lang = _source_language(source, source_lang, warnings, has_models)
        for target in targets:
            if target == lang:
                warnings.append(
                    f"{source.name} is already in {languages.name(lang)}; not translated to {target}"
                )
                continue
            by_pair.setdefault((lang, target), []).append(source)
    return by_pair


def _check_outputs(by_pair: dict[tuple[str, str], list[Source]], out_dir: Path) -> None:
    """Refuse a run that would write over one of its own inputs (say `--out .` with an input
    that lives in a folder named like the target language)."""
    inputs = {source.path.resolve(): source for sources in by_pair.values()
              for source in sources if source.path is not None}
    for (_, target), sources in by_pair.items():
        for source in sources:
            if source.path is None:
                continue
            written = [catalogs.catalog_path(out_dir, target, source.name)]
            if not isinstance(source, CatalogSource):
                written.append(outputs.output_path(out_dir, target, source))
            for path in written:
                hit = inputs.get(path.resolve())
                if hit is not None:
                    raise InputError(f"translating {source.name} into {target} would overwrite "
                                     f"the input {hit.name}; choose another folder with --out")


def _matcher(termbase: Termbase | None) -> Matcher | None:
    if termbase is None:
        return None
    from glossary.match import Matcher

    return Matcher(termbase)


def _pending(plans: Sequence[Plan], folder: Path) -> dict[str, bool]:
    """Each distinct sentence the model must translate (-> protect its format strings?).

    A unit with nothing to keep first looks for a person's translation of its sentence in the
    other catalogs of the language (memory), unless the sentence is already going to the model.
    """
    uses_memory = any(p.uses_memory and p.source.path is not None for p in plans)
    recalled = catalogs.memory(folder) if uses_memory else {}
    pending: dict[str, bool] = {}
    for plan in plans:
        for unit in plan.units:
            text = unit.segment.text
            if unit.pending and plan.uses_memory and text in recalled and text not in pending:
                msgstr, catalog_name = recalled[text]
                unit.keep(Kept.MEMORY, from_memory(unit.key, msgstr, catalog_name,
                                                   (plan.source.name, unit.segment.line)))
            if unit.pending:
                pending[text] = pending.get(text, False) or unit.protect_formats
    return pending


def _settle(units: Iterable[Unit], done: dict[str, SentenceResult]) -> None:
    """Give every unit its result: the model's for pending units, its kept entry's otherwise."""
    for unit in units:
        if unit.pending:
            unit.result = done[unit.segment.text]
        else:
            # The text of a kept catalog entry is known once the catalog is saved (a person may
            # change it meanwhile); a memory entry carries its text.
            text = unit.entry.msgstr if isinstance(unit.entry, polib.POEntry) else ""
            unit.result = SentenceResult(unit.segment.text, text, origin=unit.kept)
