"""One translation run, start to end: read, segment, protect, translate, restore, write.

The time of a run is the model's, so the pipeline's job is to feed it well: every pending sentence
of every file goes to one translator per language pair in a single call (the translator sorts and
batches them), repeated sentences are translated once, and each model is loaded once. Everything
the command line shows comes back in a `RunResult`; the pipeline itself prints nothing.
"""
from __future__ import annotations

import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Callable, Protocol, Sequence

import polib

from . import catalogs, languages, pofiles
from .detect import detect_language
from .documents import Document, Segment, format_for, parse_document
from .engine import DecodeOptions, Translator, load_translator
from .calibrate import placeholder_form
from .enforce import FLAGGED, Protector, TermOutcome, needs_repair, repair, restore, verify
from .errors import InputError, OutputError
from .files import atomic_write_text, decode_text, read_text
from .packages import ModelPackage, find_route, installed_packages
from .qa import ERROR, Finding, run_checks
from .qa import Segment as QaSegment
from .typography import fit_to_target

if TYPE_CHECKING:
    from glossary.model import Termbase

STDIN_NAME = "<stdin>"


@dataclass(frozen=True)
class Source:
    """One input document, read and parsed."""

    name: str  # as the user gave it; "<stdin>" for standard input
    path: Path | None
    document: Document | None  # a .txt or .md document ...
    catalog: polib.POFile | None = None  # ... or a gettext catalog to pre-translate

    def segments(self) -> list[Segment]:
        """The sentences to translate, in order (every msgid sentence for a catalog)."""
        if self.document is not None:
            return self.document.segments()
        return [Segment(p.text, p.line, "message") for p in pofiles.pieces(self.catalog, set())]


@dataclass
class SentenceResult:
    """One distinct source sentence, translated, enforced and checked."""

    source: str
    text: str
    terms: list[TermOutcome] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    origin: str = "machine"  # or "reviewed", "kept" (an unchanged machine entry), "memory"

    @property
    def reasons(self) -> list[str]:
        """Why a reviewer must look at it (empty when nothing is wrong)."""
        reasons = [f"term {t.term!r}: {t.reason}" for t in self.terms if t.state == FLAGGED]
        reasons += [f.message for f in self.findings if f.severity == ERROR]
        return reasons + self.problems

    @property
    def flagged(self) -> bool:
        return bool(self.reasons)


@dataclass
class FileResult:
    """One input document translated into one language."""

    source: str
    target_lang: str
    source_lang: str
    output: Path | None  # None when the text goes to stdout
    text: str | None = None  # the translated document, kept only for stdout
    segments: list[Segment] = field(default_factory=list)
    sentences: list[SentenceResult] = field(default_factory=list)  # one per segment
    catalog: Path | None = None


@dataclass
class PairResult:
    source_lang: str
    target_lang: str
    models: list[ModelPackage]
    segments: int = 0  # sentences in the documents
    translated: int = 0  # distinct sentences sent to the model
    seconds: float = 0.0


@dataclass
class RunResult:
    files: list[FileResult] = field(default_factory=list)
    pairs: list[PairResult] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    timings: dict[str, float] = field(default_factory=dict)

    @property
    def segments(self) -> int:
        return sum(len(f.segments) for f in self.files)


class Progress(Protocol):
    """A progress display the caller may pass in (the CLI's bar on a terminal)."""

    def start(self, label: str, total: int) -> None: ...

    def advance(self, n: int) -> None: ...

    def finish(self) -> None: ...


TranslatorFactory = Callable[[Sequence[ModelPackage]], Translator]


def read_source(path: Path) -> Source:
    """Read and parse one input file; InputError when it cannot be translated."""
    if not path.is_file():
        read_text(path)  # says why: missing, a directory, unreadable
    if path.suffix in (".po", ".pot"):
        read_text(path)  # the same checks as any input: exists, readable, UTF-8, not empty
        return Source(str(path), path, None, pofiles.read_po(path, path.read_bytes()))
    try:
        fmt = format_for(path.name)
    except ValueError:
        raise InputError(
            f"{path}: unsupported file type {path.suffix or '(none)'!r}; "
            "translator reads .txt, .md, .po and .pot files"
        ) from None
    text = read_text(path)
    return Source(str(path), path, parse_document(text, fmt, path.name))


def source_from_bytes(data: bytes, name: str = STDIN_NAME, fmt: str = "txt") -> Source:
    """An input that did not come from a file (standard input)."""
    return Source(name, None, parse_document(decode_text(data, name), fmt, name))


def _source_language(source: Source, expected: str, warnings: list[str]) -> str:
    """`expected` unless it is "auto"; says so when a file looks like another language."""
    sample = " ".join(s.text for s in source.segments()[:200])
    detected = detect_language(sample)
    if expected == "auto":
        if detected.code is None or detected.code not in languages.NAMES:
            return "en"  # the product translates English news; too little text to say otherwise
        return detected.code
    if detected.code is not None and detected.code != expected:
        warnings.append(
            f"{source.name} looks like {languages.name(detected.code)} ({detected.code}), "
            f"not {languages.name(expected)}; translating it as {expected} "
            f"(use --from {detected.code} to change)"
        )
    return expected


def _output_path(out_dir: Path, lang: str, source: Source) -> Path:
    return out_dir / lang / Path(source.name).name


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


def _translate_pair(
    sentences: Sequence[str],
    src: str,
    tgt: str,
    translator: Translator,
    protector: Protector,
    timings: dict[str, float],
    progress: Progress | None,
    format_strings: set[str] = frozenset(),
) -> dict[str, SentenceResult]:
    """Protect, translate (one call), restore, repair (one more call if needed), verify, check.

    Sentences in `format_strings` come from gettext catalogs: their `%s`/`{name}` are protected.
    """
    t0 = time.perf_counter()
    masked = [protector.protect(s, formats=s in format_strings) for s in sentences]
    _add_time(timings, "protect", t0)

    t0 = time.perf_counter()
    if progress is not None:
        progress.start(f"{src} -> {tgt}", len(masked))
    try:
        outputs = translator.translate([m.text for m in masked],
                                       progress.advance if progress is not None else None)
    finally:
        if progress is not None:
            progress.finish()
    _add_time(timings, "translate", t0)

    t0 = time.perf_counter()
    results = [restore(out, m, tgt) for out, m in zip(outputs, masked)]
    broken = [i for i, r in enumerate(results) if needs_repair(r)]
    if broken:
        plain = [protector.protect(sentences[i], terms=False, formats=sentences[i] in format_strings)
                 for i in broken]
        plain_outputs = translator.translate([m.text for m in plain])
        for i, pm, out in zip(broken, plain, plain_outputs):
            results[i] = repair(results[i], masked[i], pm, out, tgt)
    _add_time(timings, "repair", t0)

    t0 = time.perf_counter()
    done: dict[str, SentenceResult] = {}
    for sentence, m, r, raw in zip(sentences, masked, results, outputs):
        r = verify(r, m)
        text = fit_to_target(r.text, tgt)
        findings = run_checks(QaSegment(sentence, text, r.model_text, src, tgt, raw.strip() == m.text.strip()))
        done[sentence] = SentenceResult(sentence, text, r.terms, findings, r.problems)
    _add_time(timings, "verify", t0)
    return done


def _make_folder(folder: Path) -> None:
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise OutputError(
            f"cannot write to {folder}: {exc.strerror}; choose another folder with --out"
        ) from None


def _add_time(timings: dict[str, float], stage: str, since: float) -> None:
    timings[stage] = timings.get(stage, 0.0) + time.perf_counter() - since


@dataclass
class _Plan:
    """What one document needs in one language: kept catalog entries and sentences to translate."""

    source: Source
    segments: list[Segment]
    keys: list[catalogs.Key]
    kept: list[str | polib.POEntry | None]  # raw entry text or a memory entry; None: translate
    origins: list[str]
    catalog_path: Path | None = None
    catalog: catalogs.Catalog | None = None

    def occurrence(self, i: int) -> tuple[str, int]:
        return (self.source.name, self.segments[i].line)


def _plan(source: Source, out_dir: Path, lang: str, refresh: bool) -> _Plan:
    segments = source.document.segments()
    keys = catalogs.segment_keys([s.text for s in segments])
    plan = _Plan(source, segments, keys, [None] * len(keys), ["machine"] * len(keys))
    if source.path is None:
        return plan  # standard input has no catalog
    plan.catalog_path = catalogs.catalog_path(out_dir, lang, source.name)
    plan.catalog = catalogs.read_catalog(plan.catalog_path)
    if plan.catalog is None:
        return plan
    for i, key in enumerate(keys):
        entry = plan.catalog.entries.get(key)
        if entry is None or not entry.msgstr:
            continue
        reviewed = catalogs.is_reviewed(entry)
        if reviewed or not refresh:
            plan.kept[i] = plan.catalog.raw.get(key) or str(entry).rstrip("\n")
            plan.origins[i] = "reviewed" if reviewed else "kept"
    return plan


@dataclass
class _PoPlan:
    """A gettext catalog to pre-translate: entries kept from the last output, sentences to do."""

    source: Source
    output: Path
    kept: dict[catalogs.Key, polib.POEntry]
    pieces: list[pofiles.Piece]


def _plan_po(source: Source, out_dir: Path, lang: str, refresh: bool) -> _PoPlan:
    output = catalogs.catalog_path(out_dir, lang, source.name)
    previous = catalogs.read_catalog(output)
    kept = {}
    for key, entry in (previous.entries.items() if previous else ()):
        if catalogs.is_reviewed(entry) or (not refresh and (entry.msgstr or entry.msgstr_plural)):
            kept[key] = entry
    # An entry is kept only while its source text is the one it was translated from.
    kept = {e_key: kept[e_key] for e in pofiles.translatable(source.catalog)
            if (e_key := catalogs.entry_key(e)) in kept and kept[e_key].msgid_plural == e.msgid_plural}
    return _PoPlan(source, output, kept, pofiles.pieces(source.catalog, set(kept)))


def _write_po(plan: _PoPlan, done: dict[str, SentenceResult], src: str, lang: str,
              models: str) -> FileResult:
    latest = catalogs.read_catalog(plan.output)  # a person may have saved it meanwhile
    kept = dict(plan.kept)
    for key, entry in (latest.entries.items() if latest else ()):
        if catalogs.is_reviewed(entry):
            kept[key] = entry
    texts = {p.text: done[p.text].text for p in plan.pieces}
    atomic_write_text(plan.output, pofiles.pretranslate(
        plan.source.catalog, lang, texts, kept, f"machine translation: {models}"))
    segments = [Segment(p.text, p.line, "message") for p in plan.pieces]
    return FileResult(plan.source.name, lang, src, plan.output, segments=segments,
                      sentences=[done[p.text] for p in plan.pieces], catalog=plan.output)


def _from_memory(key: catalogs.Key, msgstr: str, catalog_name: str, occurrence: tuple[str, int]) -> polib.POEntry:
    return polib.POEntry(msgctxt=key[0], msgid=key[1], msgstr=msgstr,
                         occurrences=[(occurrence[0], str(occurrence[1]))],
                         comment=f"reviewed translation reused from {catalog_name}")


def _entry_comments(sentence: SentenceResult, models: str) -> list[str]:
    """The `#.` lines of a machine entry: model, each term's fate, QA findings, why to review."""
    lines = [f"machine translation: {models}"]
    for t in sentence.terms:
        detail = f"{t.state}: {t.reason}" if t.reason else t.state
        lines.append(f"term: {t.term} -> {t.rendering or '(no rendering)'} ({detail})")
    lines += [f"qa {f.severity}: {f.message}" for f in sentence.findings if f.severity != ERROR]
    lines += [f"needs review: {reason}" for reason in sentence.reasons]
    return lines


def _write(plan: _Plan, done: dict[str, SentenceResult], src: str, lang: str, out_dir: Path,
           models: str) -> FileResult:
    """Save the document's catalog, then render the document from it (reviewed text wins)."""
    source = plan.source
    sentences: list[SentenceResult] = []
    planned: list[tuple[catalogs.Key, str | polib.POEntry]] = []
    for i, key in enumerate(plan.keys):
        kept = plan.kept[i]
        if kept is None:
            sentence = done[key[1]]
            planned.append((key, catalogs.machine_entry(key, sentence.text, plan.occurrence(i),
                                                        _entry_comments(sentence, models))))
        else:
            origin = plan.origins[i] if isinstance(kept, str) else "memory"
            sentence = SentenceResult(key[1], "", origin=origin)
            planned.append((key, kept))
        sentences.append(sentence)
    file_result = FileResult(source.name, lang, src, None, segments=plan.segments, sentences=sentences)
    if plan.catalog_path is None:
        file_result.text = source.document.render([s.text for s in sentences])
        return file_result
    texts = catalogs.save_catalog(
        plan.catalog_path, lang, Path(source.name).name,
        catalogs.relative_source(plan.catalog_path, source.path), planned, plan.catalog)
    for sentence, key in zip(sentences, plan.keys):
        if texts[key] != sentence.text:
            sentence.text = texts[key]
            if sentence.origin == "machine":
                sentence.origin = "reviewed"  # a person saved this entry while the run was going
    file_result.catalog = plan.catalog_path
    file_result.output = _output_path(out_dir, lang, source)
    atomic_write_text(file_result.output, source.document.render([s.text for s in sentences]))
    return file_result


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
) -> RunResult:
    """Translate every source into every target language and write the outputs.

    `translator_factory` builds the translator for a route of packages; tests pass one that wraps
    the real model to see and alter exactly what it receives. `placeholder` forces a placeholder
    form instead of the one calibrated for the model. Reviewed catalog entries are always kept;
    unchanged machine entries are kept too unless `refresh` asks to translate them again.
    """
    started = time.perf_counter()
    result = RunResult()
    targets = [languages.check_code(t) for t in targets]
    if source_lang != "auto":
        source_lang = languages.check_code(source_lang)
    _check_names(sources)

    t0 = time.perf_counter()
    by_pair: dict[tuple[str, str], list[Source]] = {}
    for source in sources:
        lang = _source_language(source, source_lang, result.warnings)
        for target in targets:
            if target == lang:
                result.warnings.append(
                    f"{source.name} is already in {languages.name(lang)}; not translated to {target}"
                )
                continue
            by_pair.setdefault((lang, target), []).append(source)
    _add_time(result.timings, "detect", t0)

    # Fail before any model loads: routes that do not exist, output folders that cannot be made.
    installed = installed_packages() if packages is None else list(packages)
    routes = {pair: find_route(installed, *pair) for pair in by_pair}
    if any(source.path is not None for source in sources):
        for _, target in by_pair:
            _make_folder(out_dir / target)
    build = translator_factory or (lambda route: default_translator(route, options))
    matcher = termbase.matcher() if termbase is not None else None

    for (src, tgt), pair_sources in by_pair.items():
        route = routes[(src, tgt)]
        pair = PairResult(src, tgt, route)
        result.pairs.append(pair)

        t0 = time.perf_counter()
        plans = [_plan(source, out_dir, tgt, refresh) for source in pair_sources if source.document]
        po_plans = [_plan_po(source, out_dir, tgt, refresh) for source in pair_sources if source.catalog]
        recalled = catalogs.memory(out_dir / tgt) if any(p.catalog_path for p in plans) else {}
        pending: dict[str, None] = {}
        format_strings = {p.text for plan in po_plans for p in plan.pieces}
        for plan in po_plans:
            pair.segments += len(plan.pieces)
            pending.update(dict.fromkeys(p.text for p in plan.pieces))
        for plan in plans:
            for i, key in enumerate(plan.keys):
                pair.segments += 1
                if plan.kept[i] is None and key[1] in recalled and key[1] not in pending:
                    plan.kept[i] = _from_memory(key, *recalled[key[1]], plan.occurrence(i))
                if plan.kept[i] is None:
                    pending.setdefault(key[1], None)
        pair.translated = len(pending)
        _add_time(result.timings, "catalogs", t0)

        done: dict[str, SentenceResult] = {}
        if pending:
            t0 = time.perf_counter()
            translator = build(route)
            form = placeholder or placeholder_form(route, translator)
            _add_time(result.timings, "load", t0)
            t0 = time.perf_counter()
            done = _translate_pair(list(pending), src, tgt, translator,
                                   Protector(tgt, matcher if src == "en" else None, form),
                                   result.timings, progress, format_strings)
            pair.seconds = time.perf_counter() - t0

        t0 = time.perf_counter()
        models = ", ".join(p.label for p in route)
        for plan in plans:
            result.files.append(_write(plan, done, src, tgt, out_dir, models))
        for po_plan in po_plans:
            result.files.append(_write_po(po_plan, done, src, tgt, models))
        _add_time(result.timings, "write", t0)

    result.timings["total"] = time.perf_counter() - started
    return result
