"""The measured runs, one per process: `python benchmarks/workers.py KIND ARGS.json`.

`benchmarks/run.py` starts each run in a fresh subprocess (so every one pays its own imports
and model load) through a small parent (`benchmarks/launch.py`), with HOME, XDG_* and
ARGOS_PACKAGES_DIR pointing into `benchmarks/.cache/home-*/`, never at the real home. Each
prints one line `RESULT {json}` on stdout (`cli`: into the file its arguments name), with
`vm_hwm_mb`: the process's own peak resident memory, `VmHWM` from /proc/self/status, read as
the run ends (the high-water mark of this process's memory alone: not `ru_maxrss`, which on Linux
starts from the parent's size). KIND is one of:

* `ours`  - this project: `translator.pipeline.read_source` + `translate_sources` over the files
            (what `translator translate FILES --to es` does), writing outputs and catalogs.
* `argos` - Argos Translate's own Python API: `translation.translate(text)` per document,
            with two documented patches (see `_patch_argos`). run.py starts it with the Python of
            the `argostranslate` distribution's own virtualenv (what Argos Translate's users
            install: stanza, spaCy, torch) and, as a second system, with this project's Python
            (argos-translate-lt: the same module without them).
* `raw`   - `ctranslate2.Translator.translate_batch` on the pre-tokenised sentences that `ours`
            sent to the model: the practical limit for this model, beam and thread setting.
* `cli`   - a command line as a user runs it, cold: `translator translate FILE` or
            `argos-translate` (process start, imports, model load, translate, write), with the
            same decoding bound patched into both (see `_bound_ctranslate2`).
* `empty` - nothing at all: the control row of the memory table (a bare Python process).

The timed region of `ours`, `argos` and `raw` starts with the library imported and ends with the
last output produced; it includes loading the model (all three load it once). `cli` and `empty`
are timed as whole processes by run.py.
"""
from __future__ import annotations

import json
import os
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
# run.py snapshots translator/ and glossary/ when it starts, so every run of one benchmark
# measures the same code even while the working tree changes.
if os.environ.get("BENCH_CODE"):
    sys.path.insert(0, os.environ["BENCH_CODE"])


# Memory is reported in MB of 2^20 bytes throughout (what /proc and wait4 count in, per 1,024).
def _rss_now_mb() -> float:
    with open("/proc/self/statm") as f:
        return int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20


def _vm_hwm_mb() -> float:
    """This process's own peak resident memory (Linux `VmHWM`), in MB (2^20 bytes).

    Not `getrusage(RUSAGE_SELF).ru_maxrss`: on Linux that keeps the high-water mark of the memory
    the process had before `exec`, i.e. at least its parent's size when it was started.
    """
    with open("/proc/self/status") as f:
        for line in f:
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024  # kB
    raise RuntimeError("no VmHWM in /proc/self/status")


def _report(result: dict, to: str | None = None) -> None:
    result["vm_hwm_mb"] = round(_vm_hwm_mb(), 1)
    line = "RESULT " + json.dumps(result)
    if to:
        Path(to).write_text(line + "\n")
    else:
        print(line, flush=True)


# ------------------------------------------------------------------------------------------
def run_ours(args: dict) -> None:
    t0 = time.perf_counter()
    from translator import packages
    from translator.enforce import STATES
    from translator.engine import DecodeOptions
    from translator.pipeline import default_translator, load_glossary, read_source, translate_sources
    from translator.report import build_report

    imported = time.perf_counter() - t0
    installed = packages.installed_packages(Path(args["packages_dir"]))
    # A fixed bound, as every compared system gets (the random model never stops early).
    options = DecodeOptions(beam_size=args["beam"], threads=args["threads"],
                            max_decoding_length=args["max_decoding_length"], relative_bound=False,
                            device=args.get("device", "cpu"),
                            compute_type=args.get("compute_type", "auto"))
    calls: list[int] = []
    sentences_seen: list[list[str]] = []

    class Counting:
        """Counts what reaches the model; the real translator does the work."""

        def __init__(self, inner):  # type: ignore[no-untyped-def]
            self.inner = inner

        def translate(self, sentences, progress=None):  # type: ignore[no-untyped-def]
            calls.append(len(sentences))
            if args.get("dump_sentences"):
                sentences_seen.append(list(sentences))
            return self.inner.translate(sentences, progress)

    kwargs = {}
    if args["glossary"]:
        kwargs["termbase"] = load_glossary(REPO / "locales")
    rss_before = _rss_now_mb()
    started = time.perf_counter()
    sources = [read_source(Path(f)) for f in args["files"]]
    result = translate_sources(
        sources, ["es"], source_lang="auto", out_dir=Path(args["out_dir"]), options=options,
        packages=installed, translator_factory=lambda route: Counting(default_translator(route, options)),
        **kwargs,
    )
    seconds = time.perf_counter() - started
    if args.get("dump_sentences") and sentences_seen:
        # The first call holds every distinct sentence of the run: what `raw` gets.
        Path(args["dump_sentences"]).write_text(json.dumps(sentences_seen[-1] if len(sentences_seen) == 1
                                                           else _main_call(sentences_seen)))
    pair = result.pairs[0]
    totals = build_report(result)["totals"]
    states = {state: totals[state] for state in STATES if totals[state]}
    _report({
        "kind": "ours", "seconds": seconds, "import_s": imported, "segments": pair.segments,
        "distinct": pair.translated, "model_calls": calls, "timings": result.timings,
        "glossary": bool(args["glossary"]), "rss_before_mb": round(rss_before, 1),
        "documents": len(args["files"]), "term_states": states,
    })


def _main_call(calls: list[list[str]]) -> list[str]:
    """The run's main model call (the largest); others are calibration or repair passes."""
    return max(calls, key=len)


# ------------------------------------------------------------------------------------------
def _patch_argos(max_decoding_length: int, counter: list[int]) -> None:
    """The two changes Argos Translate needs to run here, both made before it translates:

    1. Its sentence splitters (MiniSBD, stanza, spaCy) need models from the network: every one
       is replaced by this project's splitter (pysbd via `translator.segment.split_sentences`).
       That favours Argos: it gets a splitter with no model to load and no network.
    2. It calls `translate_batch` without `max_decoding_length`, and the benchmark model never
       stops: `ctranslate2.Translator` is replaced by a subclass whose `translate_batch` adds the
       same `max_decoding_length` as every other system gets. Nothing else in its call changes.
    """
    import ctranslate2

    base = ctranslate2.Translator

    class BoundedTranslator(base):  # type: ignore[misc, valid-type]
        def translate_batch(self, source, *a, **kw):  # type: ignore[no-untyped-def]
            kw.setdefault("max_decoding_length", max_decoding_length)
            counter.append(len(source))
            return super().translate_batch(source, *a, **kw)

    ctranslate2.Translator = BoundedTranslator
    _patch_argos_splitter()


def _patch_argos_splitter() -> None:
    """Patch 1 of `_patch_argos`: the project's splitter (pysbd) in place of Argos's own."""
    from argostranslate import sbd
    from argostranslate import translate as argos_translate

    from translator.segment import split_sentences

    class PysbdSentencizer(sbd.ISentenceBoundaryDetectionModel):
        def __init__(self, pkg=None):  # type: ignore[no-untyped-def]
            self.pkg = pkg

        def split_sentences(self, text: str) -> list[str]:
            return [text[a:b] for a, b in split_sentences(text)]

        def __str__(self) -> str:
            return "PysbdSentencizer (benchmark patch)"

    for name in ("MiniSBDSentencizer", "StanzaSentencizer", "SpacySentencizerSmall"):
        setattr(argos_translate, name, PysbdSentencizer)


def run_argos(args: dict) -> None:
    t0 = time.perf_counter()
    from argostranslate import package
    from argostranslate import translate as argos_translate

    imported = time.perf_counter() - t0
    counter: list[int] = []
    _patch_argos(args["max_decoding_length"], counter)
    if not package.get_installed_packages():
        package.install_from_path(Path(args["archive"]))  # Argos's own installer, outside timing
    out_dir = Path(args["out_dir"])
    out_dir.mkdir(parents=True, exist_ok=True)
    rss_before = _rss_now_mb()
    started = time.perf_counter()
    translation = argos_translate.get_translation_from_codes("en", "es")
    sentencizer = translation.underlying.sentencizer
    for name in args["files"]:
        path = Path(name)
        text = path.read_text(encoding="utf-8")
        (out_dir / path.name).write_text(translation.translate(text), encoding="utf-8")
    seconds = time.perf_counter() - started
    assert counter, "the max_decoding_length patch was bypassed"
    assert isinstance(sentencizer, argos_translate.MiniSBDSentencizer), "splitter patch bypassed"
    from argostranslate import settings

    _report({
        "kind": "argos", "seconds": seconds, "import_s": imported, "documents": len(args["files"]),
        "distribution": _argos_distribution(), "heavy_imported": _heavy_imported(),
        "model_calls": len(counter), "sentences_to_model": sum(counter),
        "settings": {"beam_size": settings.beam_size, "inter_threads": settings.inter_threads,
                     "intra_threads": settings.intra_threads, "batch_size": settings.batch_size,
                     "compute_type": settings.compute_type},
        "rss_before_mb": round(rss_before, 1),
    })


def _argos_distribution() -> str:
    """Which distribution provides the `argostranslate` module here, with its version."""
    from importlib.metadata import PackageNotFoundError, version

    for name in ("argostranslate", "argos-translate-lt"):
        try:
            return f"{name} {version(name)}"
        except PackageNotFoundError:
            continue
    return "unknown"


def _heavy_imported() -> list[str]:
    return sorted(m for m in ("torch", "stanza", "spacy") if m in sys.modules)


# ------------------------------------------------------------------------------------------
def run_raw(args: dict) -> None:
    t0 = time.perf_counter()
    import ctranslate2
    import sentencepiece

    from translator.engine import DecodeOptions

    imported = time.perf_counter() - t0
    package = Path(args["package_path"])
    sentences = json.loads(Path(args["sentences"]).read_text())
    sp = sentencepiece.SentencePieceProcessor(model_file=str(package / "sentencepiece.model"))
    tokens = [t for t in sp.encode(sentences, out_type=str) if t]  # pre-tokenised: not timed
    # A fixed bound, as every compared system gets (the random model never stops early).
    options = DecodeOptions(beam_size=args["beam"], threads=args["threads"],
                            max_decoding_length=args["max_decoding_length"], relative_bound=False,
                            device=args.get("device", "cpu"),
                            compute_type=args.get("compute_type", "auto"))
    settings = _engine_settings(options)
    rss_before = _rss_now_mb()
    started = time.perf_counter()
    model = ctranslate2.Translator(str(package / "model"), device=options.device,
                                   compute_type=options.compute_type,
                                   inter_threads=settings["inter_threads"],
                                   intra_threads=settings["intra_threads"])
    loaded = time.perf_counter()
    rss_model = _rss_now_mb()
    model.translate_batch(
        tokens, max_batch_size=settings["max_batch_size"], batch_type="tokens",
        beam_size=options.beam_size, length_penalty=options.length_penalty,
        max_decoding_length=options.max_decoding_length, replace_unknowns=True,
    )
    done = time.perf_counter()
    _report({
        "kind": "raw", "seconds": done - started, "load_s": loaded - started,
        "translate_s": done - loaded, "import_s": imported, "sentences_to_model": len(tokens),
        "tokens": sum(map(len, tokens)), "settings": settings,
        "rss_before_mb": round(rss_before, 1), "rss_with_model_mb": round(rss_model, 1),
    })


def _engine_settings(options) -> dict:  # type: ignore[no-untyped-def]
    """The CTranslate2 settings the project's engine uses for `options` (so raw matches it)."""
    from translator import engine

    describe = getattr(engine, "ctranslate2_settings", None)
    if describe is not None:
        return dict(describe(options))
    return {"inter_threads": 1, "intra_threads": options.threads,
            "max_batch_size": options.max_batch_tokens}


# ------------------------------------------------------------------------------------------
def _bound_ctranslate2(max_decoding_length: int, compute_type: str, counter: list[int]) -> None:
    """The one change both command lines get: every `translate_batch` decodes at most
    `max_decoding_length` tokens (random weights never stop; the project's CLI asks for 256 and
    Argos's for CTranslate2's default, also 256) and, when asked (`--compute-type` on a GPU),
    every model loads with `compute_type` (the project's CLI has no option for it)."""
    import ctranslate2

    base = ctranslate2.Translator

    class BoundedTranslator(base):  # type: ignore[misc, valid-type]
        def __init__(self, *a, **kw):  # type: ignore[no-untyped-def]
            if compute_type != "auto":
                kw["compute_type"] = compute_type
            super().__init__(*a, **kw)

        def translate_batch(self, source, *a, **kw):  # type: ignore[no-untyped-def]
            kw["max_decoding_length"] = max_decoding_length
            counter.append(len(source))
            return super().translate_batch(source, *a, **kw)

    ctranslate2.Translator = BoundedTranslator


def run_cli(args: dict) -> None:
    """`translator ...` or `argos-translate ...` as its console script runs it, in this process
    (started cold by run.py), with the decoding bound patched in; Argos also gets the project's
    sentence splitter, as in `run_argos` (its own needs a model from the network)."""
    counter: list[int] = []
    _bound_ctranslate2(args["max_decoding_length"], args.get("compute_type", "auto"), counter)
    sys.argv = [args["program"], *args["argv"]]
    code = 0
    try:
        if args["program"] == "translator":
            from translator.cli import run

            run()
        else:
            _patch_argos_splitter()
            from argostranslate.cli import main

            main()
    except SystemExit as exc:
        code = exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 1)
    sys.stdout.flush()
    if code == 0 and not counter:
        code = 3  # the bound was bypassed: the run does not count
    detail = {"kind": "cli", "program": args["program"], "exit": code, "model_calls": len(counter),
              "sentences_to_model": sum(counter)}
    if args["program"] != "translator":
        detail["distribution"] = _argos_distribution()
        detail["heavy_imported"] = _heavy_imported()
    _report(detail, to=args["result"])
    sys.exit(code)


def run_empty(args: dict) -> None:
    """The control row: a Python process that does nothing but report its own peak memory."""
    _report({"kind": "empty"})


KINDS = {"ours": run_ours, "argos": run_argos, "raw": run_raw, "cli": run_cli, "empty": run_empty}

if __name__ == "__main__":
    KINDS[sys.argv[1]](json.loads(Path(sys.argv[2]).read_text()))
