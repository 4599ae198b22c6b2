"""One translation run, start to end: read, plan, protect, translate, restore, verify, write.

The time of a run is the model's, so the pipeline's job is to feed it well: every pending sentence
of every file goes to one translator per language pair in a single call (the translator sorts and
batches them), repeated sentences are translated once, and each model is loaded once. Everything
the command line shows comes back in a `RunResult`; the pipeline itself prints nothing.
"""
from __future__ import annotations

import gc
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from itertools import islice
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

import polib

from glossary.po import collector_paused

from . import catalogs, languages, outputs
from .calibrate import placeholder_form
from .chunks import Chunking, ChunkProgress, Repeats, Sources, chunked
from .detect import NOT_PROSE_KINDS, could_be_english, detect_language, prose_sample
from .enforce import Protector, has_format_strings
from .engine import DecodeOptions, Translator, load_translator
from .errors import InputError, ModelError, OutputError
from .outputs import Plan, from_memory
from .packages import ModelPackage, find_route, installed_packages
from .report import file_report, joined
from .results import FileResult, PairResult, Progress, RunResult
from .sentences import add_time, translate_sentences
from .sources import CatalogSource, Input, Source, output_name, read_source, source_from_bytes
from .units import Kept, SentenceResult, Unit

__all__ = ["Chunking", "FileResult", "Input", "PairResult", "Progress", "RunResult", "SentenceResult",
           "Source", "Unit", "load_glossary", "read_source", "source_from_bytes", "translate_sources"]

if TYPE_CHECKING:
    from glossary.match import Matcher
    from glossary.model import Termbase

TranslatorFactory = Callable[[Sequence[ModelPackage]], Translator]


class Executor(Protocol):
    """Where the sentences of a language pair are translated: in this process, or on a cluster
    (`translator.distributed.RayExecutor`). The run plans and writes; an executor only turns
    pending sentences into results, one chunk of the run at a time (`translator.chunks`)."""

    def translate(self, pending: dict[str, bool], src: str, tgt: str, route: Sequence[ModelPackage],
                  timings: dict[str, float], progress: Progress | None) -> dict[str, SentenceResult]:
        """The result of each pending sentence (sentence -> protect its format strings?). The
        model (or actor pool) of a pair is made at its first chunk and kept for the others."""
        ...

    def release(self) -> None:
        """The language pair is done: let its model (or actors) go."""
        ...


class LocalExecutor:
    """The model loaded here, once per language pair, and every sentence through it."""

    def __init__(self, build: TranslatorFactory, placeholder: str | None, termbase: Termbase | None):
        self.build = build
        self.placeholder = placeholder
        self.matcher = _matcher(termbase)
        self._loaded: tuple[tuple[str, str, tuple[str, ...]], Translator, Protector] | None = None

    def translate(self, pending: dict[str, bool], src: str, tgt: str, route: Sequence[ModelPackage],
                  timings: dict[str, float], progress: Progress | None) -> dict[str, SentenceResult]:
        key = (src, tgt, tuple(p.label for p in route))
        if self._loaded is None or self._loaded[0] != key:
            t0 = time.perf_counter()
            translator = self.build(route)
            form = self.placeholder or placeholder_form(route, translator)  # None: none survives
            add_time(timings, "load", t0)
            self._loaded = (key, translator, Protector(tgt, self.matcher if src == "en" else None, form))
        _, translator, protector = self._loaded
        return translate_sentences(pending, src, tgt, translator, protector, timings, progress)

    def release(self) -> None:
        self._loaded = None


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


def _check_names(items: Sequence[Source | Input]) -> None:
    """Refuse two inputs whose outputs would be the same files: NAME.txt, NAME.md, NAME.pot and
    the catalog NAME.po share OUT/LANG/NAME.*, whether NAME is a bare name or a path inside a
    folder the user gave (same-named files in different subfolders are written apart)."""
    seen: dict[str, str] = {}
    for item in items:
        if item.path is None:
            continue
        name = Path(output_name(item))
        stem = (name.parent / name.stem).as_posix()
        if stem in seen:
            raise InputError(
                f"{seen[stem]} and {item.name} would both be written as {stem}.*; "
                "translate them in separate runs"
            )
        seen[stem] = item.name


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
    sources: Sequence[Source | Input],
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
    chunking: Chunking = Chunking(),
    keep_units: bool = True,
) -> RunResult:
    """Translate every source into every target language and write the outputs.

    `sources` may be read already, or `Input`s read when their chunk comes (`chunking`), so
    an archive of any size holds one chunk in memory. `translator_factory` builds the translator
    for a route of packages; tests pass one that wraps the real model to see and alter exactly
    what it receives. `placeholder` forces a placeholder form instead of the one calibrated for
    the model. Reviewed catalog entries are always kept; unchanged machine entries are kept too
    unless `refresh` asks to translate them again. `executor` translates elsewhere (a Ray
    cluster); by default the model runs in this process. With `keep_units` False each written
    file keeps only its report row, not its units (the command line's way, for archives).
    """
    started = time.perf_counter()
    result = RunResult()
    targets = [languages.check_code(t) for t in targets]
    if source_lang != "auto":
        source_lang = languages.check_code(source_lang)
    _check_names(sources)

    installed = installed_packages(problems=result.warnings) if packages is None else list(packages)
    inputs = Sources(sources, chunking)
    with _collector_spared() as freeze:
        t0 = time.perf_counter()
        repeats = Repeats(counting=len(inputs) > 1)
        with collector_paused():  # frozen before the collector is back: it never walks them
            by_pair = _pairs(inputs, source_lang, targets, result, installed, repeats)
            freeze()
        repeats.seal()
        add_time(result.timings, "detect", t0)

        # Fail before any model loads: outputs that would overwrite inputs, routes that do not
        # exist, output folders that cannot be made.
        _check_outputs(by_pair, out_dir)
        routes = {pair: find_route(installed, *pair) for pair in by_pair}
        if any(found.path is not None for founds in by_pair.values() for found in founds):
            for _, target in by_pair:
                _make_folder(out_dir / target)
        if executor is None:
            build = translator_factory or (lambda route: default_translator(route, options))
            executor = LocalExecutor(build, placeholder, termbase)

        for (src, tgt), founds in by_pair.items():
            pair = _Pair(PairResult(src, tgt, routes[(src, tgt)]), executor, out_dir, refresh, keep_units,
                         repeats, chunking.segments, freeze)
            result.pairs.append(pair.result)
            t0 = time.perf_counter()
            # Reviewed translations of the language's other catalogs, read once for the pair.
            uses_memory = any(not found.catalog and found.path is not None for found in founds)
            recalled = catalogs.memory(out_dir / tgt) if uses_memory else {}
            add_time(result.timings, "catalogs", t0)
            if progress is not None:
                progress.start(f"{src} -> {tgt}", len(founds) * ChunkProgress.SCALE)
            try:
                plans = pair.plans(inputs, founds, result, progress)
                for chunk in chunked(plans, lambda plan: len(plan.units), chunking):
                    pair.run(chunk, recalled, result, progress)
            finally:
                executor.release()
                if progress is not None:
                    progress.finish()

        result.workers = list(getattr(executor, "workers", []))
    result.timings["total"] = time.perf_counter() - started
    return result


@contextmanager
def _collector_spared() -> Iterator[Callable[[], None]]:
    """A function that takes what the run holds out of the cycle collector's sight (`gc.freeze`),
    undone when the run ends.

    A large catalog is millions of objects that live the whole run and hold no cycle, and every
    full collection walked all of them again: 1.2 s of the 5 MB template's run (9 collections),
    more than linearly more for larger ones. What is alive when the function is called (after the
    first pass, and after each plan is made, so before every chunk, with what the run holds
    across chunks) is frozen; the collector still runs over what is made after, and at the end
    everything is given back to it, so nothing stays out of its reach. The reading before a
    freeze happens with the collector paused (else its first collection after a parse walks
    every object the parse made, 1.5 s of a 50 MB run with nothing to do). A process that froze
    objects itself is left as it is.
    """
    if gc.get_freeze_count():
        yield lambda: None
        return
    try:
        yield gc.freeze
    finally:
        gc.unfreeze()


@dataclass(frozen=True)
class _Found:
    """What the first pass over the inputs learns of one (kept for the run, not its text)."""

    index: int
    name: str
    path: Path | None
    output: str  # `sources.output_name`
    catalog: bool


@dataclass
class _Pair:
    """One language pair of a run, a chunk of sources at a time: what spans its chunks is the
    result of each sentence that occurs again (with whether its format strings were protected),
    so a sentence repeated anywhere in the run goes to the model once. A catalog with more than
    `part_size` sentences to translate comes in parts (`outputs.plans`), each in its chunk; the
    parts' results are joined (`opened`) until the last one writes the file."""

    result: PairResult
    executor: Executor
    out_dir: Path
    refresh: bool
    keep_units: bool
    repeats: Repeats
    part_size: int
    freeze: Callable[[], None]  # see `_collector_spared`
    done: dict[str, tuple[bool, SentenceResult]] = field(default_factory=dict)
    opened: FileResult | None = None  # the parts so far of a catalog translated in parts

    def plans(self, inputs: Sources, founds: Sequence[_Found], run: RunResult,
              progress: Progress | None) -> Iterator[Plan]:
        """Each source's plans (one, or a big catalog's parts), read and made only when the
        chunk they go in is being filled."""
        tgt = self.result.target_lang
        for found in founds:
            made = None
            while True:
                t0 = time.perf_counter()
                try:
                    with collector_paused():  # what it reads is frozen before the collector is back
                        if made is None:
                            made = outputs.plans(inputs.read(found.index), self.out_dir, tgt,
                                                 self.refresh, self.part_size)
                        plan = next(made, None)
                        self.freeze()
                except InputError as exc:  # a broken review catalog: this document waits, not the batch
                    run.failures.append(exc)
                    if progress is not None:
                        progress.advance(ChunkProgress.SCALE)
                    break
                finally:
                    add_time(run.timings, "catalogs", t0)
                if plan is None:
                    break
                self.repeats.add(plan.repeated)
                yield plan  # not timed: the chunk it completes is translated and written meanwhile

    def run(self, plans: list[Plan], recalled: dict[str, tuple[str, str]], run: RunResult,
            progress: Progress | None) -> None:
        """Translate what the chunk's plans leave pending, then write its files."""
        pair, done = self.result, self.done
        t0 = time.perf_counter()
        pending = _pending(plans, recalled, done)
        pair.segments += sum(len(plan.units) for plan in plans)
        pair.translated += len(pending)
        add_time(run.timings, "catalogs", t0)

        share = ChunkProgress(progress, sum(map(_steps, plans))) if progress is not None else None
        chunk: dict[str, tuple[bool, SentenceResult]] = {}
        if pending:
            t0, loading = time.perf_counter(), run.timings.get("load", 0.0)
            fresh = self.executor.translate(pending, pair.source_lang, pair.target_lang, pair.models,
                                            run.timings, share)
            # The pair's translation time, without loading the model (as the report has it).
            pair.seconds += time.perf_counter() - t0 - (run.timings.get("load", 0.0) - loading)
            chunk = {text: (pending[text], sentence) for text, sentence in fresh.items()}
        done.update((text, result) for text, result in chunk.items() if text in self.repeats)

        t0 = time.perf_counter()
        models = ", ".join(p.label for p in pair.models)
        for plan in plans:
            _settle(plan.units, chunk, done)
            try:
                written = plan.write(pair.source_lang, pair.target_lang, self.out_dir, models)
            except InputError as exc:  # its catalog was broken while the run was going
                run.failures.append(exc)
                self.opened = None
                continue
            if not self.keep_units:
                written.report, written.units = file_report(written), []
            if self.opened is not None:
                written = joined(self.opened, written)
            self.opened = written if written.partial else None
            if not written.partial:
                run.files.append(written)
        if share is not None:
            share.complete()
        add_time(run.timings, "write", t0)


def _steps(plan: Plan) -> int:
    """A plan's share of its source's `ChunkProgress.SCALE` steps (a catalog's parts add up to it)."""
    start, end, total = plan.portion
    return ChunkProgress.SCALE * end // total - ChunkProgress.SCALE * start // total


def _pairs(inputs: Sources, source_lang: str, targets: Sequence[str], run: RunResult,
           installed: Sequence[ModelPackage], repeats: Repeats) -> dict[tuple[str, str], list[_Found]]:
    """The inputs of each (source language, target language) pair, in the order given: the
    first pass, which reads every input once (an unreadable one is reported here, before any
    model loads) and keeps only what the run needs to know of it, and which of its sentences
    occur more than once (`repeats`)."""

    def has_models(lang: str) -> bool:
        """Some installed route leads from `lang` to one of the targets."""
        for target in targets:
            try:
                find_route(installed, lang, target)
            except ModelError:
                continue
            return True
        return False

    by_pair: dict[tuple[str, str], list[_Found]] = {}
    for index in range(len(inputs)):
        try:
            source = inputs.read(index)
        except InputError as exc:
            run.failures.append(exc)
            continue
        lang = _source_language(source, source_lang, run.warnings, has_models)
        repeats.count(segment.text for segment in source.segments())
        found = _Found(index, source.name, source.path, output_name(source),
                       isinstance(source, CatalogSource))
        for target in targets:
            if target == lang:
                run.warnings.append(
                    f"{source.name} is already in {languages.name(lang)}; not translated to {target}"
                )
                continue
            by_pair.setdefault((lang, target), []).append(found)
    return by_pair


def _check_outputs(by_pair: dict[tuple[str, str], list[_Found]], out_dir: Path) -> None:
    """Refuse a run that would write over one of its own inputs (say `--out .` with an input
    that lives in a folder named like the target language)."""
    inputs = {found.path.resolve(): found for founds in by_pair.values()
              for found in founds if found.path is not None}
    for (_, target), founds in by_pair.items():
        for found in founds:
            if found.path is None:
                continue
            written = [catalogs.catalog_path(out_dir, target, found.output)]
            if not found.catalog:
                written.append(outputs.output_path(out_dir, target, found.output))
            for path in written:
                hit = inputs.get(path.resolve())
                if hit is not None:
                    raise InputError(f"translating {found.name} into {target} would overwrite "
                                     f"the input {hit.name}; choose another folder with --out")


def _matcher(termbase: Termbase | None) -> Matcher | None:
    if termbase is None:
        return None
    from glossary.match import Matcher

    return Matcher(termbase)


def _pending(plans: Sequence[Plan], recalled: dict[str, tuple[str, str]],
             done: dict[str, tuple[bool, SentenceResult]]) -> dict[str, bool]:
    """Each distinct sentence of a chunk the model must translate (-> protect its format strings?).

    A unit with nothing to keep first looks for a person's translation of its sentence in the
    other catalogs of the language (`recalled`), unless the sentence is already going to the
    model. A sentence an earlier chunk translated (`done`) is not sent again, unless it now needs
    its format strings protected and was translated without: then this chunk's units get the
    protected translation (an unchunked run would have given it to the earlier units too; only
    a sentence with `%s` or `{name}` in both a document and a gettext catalog can tell).
    """
    pending: dict[str, bool] = {}
    for plan in plans:
        for unit in plan.units:
            text = unit.segment.text
            if (unit.pending and plan.uses_memory and text in recalled and text not in pending
                    and text not in done):
                msgstr, catalog_name = recalled[text]
                unit.keep(Kept.MEMORY, from_memory(unit.key, msgstr, catalog_name,
                                                   (plan.source.name, unit.segment.line)))
            if unit.pending:
                earlier = done.get(text)
                if earlier is not None and text not in pending and (
                        earlier[0] or not unit.protect_formats or not has_format_strings(text)):
                    continue
                pending[text] = pending.get(text, False) or unit.protect_formats
    return pending


def _settle(units: Iterable[Unit], chunk: dict[str, tuple[bool, SentenceResult]],
            done: dict[str, tuple[bool, SentenceResult]]) -> None:
    """Give every unit its result: the model's for pending units (translated in this chunk, else
    in an earlier one), its kept entry's otherwise."""
    for unit in units:
        if unit.pending:
            unit.result = (chunk.get(unit.segment.text) or done[unit.segment.text])[1]
        else:
            # The text of a kept catalog entry is known once the catalog is saved (a person may
            # change it meanwhile); a memory entry carries its text.
            text = unit.entry.msgstr if isinstance(unit.entry, polib.POEntry) else ""
            unit.result = SentenceResult(unit.segment.text, text, origin=unit.kept)
