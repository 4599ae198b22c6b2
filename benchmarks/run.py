"""The speed of `translator`, measured: one command, offline, re-runnable.

    .venv/bin/python benchmarks/run.py            # full run (transformer-base, 200 articles; 45 minutes)
    .venv/bin/python benchmarks/run.py --quick    # under a minute: small model, 16 articles
    .venv/bin/python benchmarks/run.py --smoke    # seconds: a tiny model, for the test suite

It builds (once, cached in benchmarks/.cache/) a benchmark-size Argos package with random
weights and a corpus of articles made from seeds/ (see benchmarks/build.py), then measures, on
the same model, documents, beam, decoding bound and thread count:

1. this project's `translate_sources` (what `translator translate` runs) against Argos
   Translate's own Python API (`argostranslate.translate`), document by document;
2. the project against raw `ctranslate2.Translator.translate_batch` on the same sentences,
   already tokenised (the practical limit);
3. start-up: `translator --help` against `argos-translate --help`;
4. glossary matching: 10,000 terms over 1,000,000 words (benchmarks/glossary_match.py);
5. peak memory (RSS) of each run, and the project's at 50 and 200 documents.

Every run is a fresh subprocess (see benchmarks/workers.py); repetitions are interleaved so a
busy machine slows every system alike, and medians are reported (Argos runs once in the full run:
one run takes ~26 minutes). The table is printed and
written to benchmarks/RESULTS.md (the full run) or benchmarks/.cache/RESULTS-<size>.md.
"""
from __future__ import annotations

import argparse
import inspect
import json
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(REPO))

import build  # noqa: E402  (benchmarks/build.py)

BIN = Path(sys.executable).parent


@dataclass(frozen=True)
class Size:
    name: str
    repeat: int
    startup_runs: int
    glossary_terms: int
    glossary_words: int
    memory_docs: int  # the smaller corpus for the memory-growth run
    label: str
    argos_inter_runs: int = 0  # extra Argos runs with ARGOS_INTER_THREADS=threads (not its default)
    argos_repeat: int | None = None  # Argos runs, when fewer than `repeat` (one is 26 minutes in the full run)


SIZES = {
    "full": Size("full", 3, 10, 10_000, 1_000_000, 50,
                 "full: transformer-base model, 200 articles", argos_repeat=1),
    "quick": Size("quick", 1, 2, 10_000, 100_000, 4,
                  "QUICK: a smaller model (3+3 layers, d_model 256), 16 short articles, one run "
                  "each; indicative only, run without --quick for the real figures"),
    "smoke": Size("smoke", 1, 1, 200, 3_000, 2,
                  "SMOKE: a tiny model and 4 articles; checks that the benchmark runs, "
                  "measures nothing"),
}


def log(msg: str) -> None:
    print(f"[bench] {msg}", file=sys.stderr, flush=True)


# ------------------------------------------------------------------------------------------
# Subprocesses
# ------------------------------------------------------------------------------------------
def sandbox_env(home: Path, threads: int, beam: int) -> dict[str, str]:
    """A home of its own for every run, so no run reads or writes the real one."""
    env = {k: v for k, v in os.environ.items()
           if not k.startswith(("ARGOS_", "XDG_", "CT2_", "TRANSLATOR_"))}
    env.update({
        "HOME": str(home), "XDG_CONFIG_HOME": str(home / ".config"),
        "XDG_DATA_HOME": str(home / ".local" / "share"), "XDG_CACHE_HOME": str(home / ".cache"),
        "ARGOS_PACKAGES_DIR": str(home / "argos-packages"),
        # Argos's own knobs, set to the values every system gets (its defaults apart from threads).
        "ARGOS_DEVICE_TYPE": "cpu", "ARGOS_BEAM_SIZE": str(beam),
        "ARGOS_INTER_THREADS": "1", "ARGOS_INTRA_THREADS": str(threads),
        "PYTHONDONTWRITEBYTECODE": "1",
    })
    return env


@dataclass
class Finished:
    seconds: float  # wall time of the whole subprocess
    peak_rss_mb: float  # from wait4's rusage: this child's own peak
    stdout: str
    stderr: str
    returncode: int
    others_cores: float  # CPU used by other processes meanwhile, in cores (0: none)


_TICK = os.sysconf("SC_CLK_TCK")


def busy_seconds() -> float:
    """CPU seconds the whole machine has spent busy since boot (all processes)."""
    try:
        fields = Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]
        user, nice, system, _idle, _iowait, irq, softirq = (int(x) for x in fields[:7])
        return (user + nice + system + irq + softirq) / _TICK
    except (OSError, ValueError):
        return float("nan")


def run_process(cmd: list[str], env: dict[str, str], cwd: Path = REPO) -> Finished:
    """Run `cmd`; its wall time, its own peak RSS (wait4 on its pid), and how busy the rest of
    the machine was meanwhile (machine busy time minus this child's CPU time)."""
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        busy = busy_seconds()
        started = time.perf_counter()
        proc = subprocess.Popen(cmd, env=env, cwd=cwd, stdout=out, stderr=err)
        _, status, usage = os.wait4(proc.pid, 0)
        seconds = time.perf_counter() - started
        others = max(0.0, busy_seconds() - busy - usage.ru_utime - usage.ru_stime) / seconds
        proc.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        return Finished(seconds, usage.ru_maxrss / 1024, out.read().decode(errors="replace"),
                        err.read().decode(errors="replace"), proc.returncode, others)


def run_worker(kind: str, args: dict, env: dict[str, str], scratch: Path) -> dict:
    args_file = scratch / f"{kind}-args.json"
    args_file.write_text(json.dumps(args))
    done = run_process([sys.executable, str(HERE / "workers.py"), kind, str(args_file)], env)
    line = next((l for l in done.stdout.splitlines() if l.startswith("RESULT ")), None)
    if done.returncode != 0 or line is None:
        raise SystemExit(f"benchmark run {kind!r} failed (exit {done.returncode}):\n"
                         f"{done.stderr[-3000:]}")
    result = json.loads(line[len("RESULT "):])
    result["process_s"] = done.seconds
    result["process_peak_rss_mb"] = round(done.peak_rss_mb, 1)
    result["others_cores"] = round(done.others_cores, 2)
    return result


# ------------------------------------------------------------------------------------------
# The measurements
# ------------------------------------------------------------------------------------------
def glossary_supported() -> bool:
    """True once the pipeline enforces a glossary (translate_sources takes a termbase)."""
    from translator.pipeline import translate_sources

    return "termbase" in inspect.signature(translate_sources).parameters


def prepare(model: build.BuiltModel, env: dict[str, str], home: Path, scratch: Path,
            files: list[Path], args: argparse.Namespace, glossary: bool) -> Path:
    """Install the package for both systems (once) and warm the project's placeholder probe."""
    ours_dir = home / "translator-packages"
    if not (ours_dir / "translate-en_es-bench").exists():
        code = ("import sys; from pathlib import Path; from translator.packages import install_file;"
                "install_file(Path(sys.argv[1]), Path(sys.argv[2]))")
        done = run_process([sys.executable, "-c", code, str(model.archive), str(ours_dir)], env)
        if done.returncode:
            raise SystemExit(f"installing the benchmark package failed:\n{done.stderr}")
    # One document through the pipeline: the model's placeholder form is probed and cached
    # (as on any first use of a model), so no timed run pays for the probe.
    if not (home / ".cache" / "translator").exists():
        run_worker("ours", _ours_args(args, ours_dir, files[:1], scratch / "warm", glossary), env,
                   scratch)
    return ours_dir


def _ours_args(args: argparse.Namespace, packages_dir: Path, files: list[Path], out: Path,
               glossary: bool, dump: Path | None = None) -> dict:
    if out.exists():
        shutil.rmtree(out)  # a fresh output folder: nothing is reused from an earlier run
    return {"packages_dir": str(packages_dir), "files": [str(f) for f in files],
            "out_dir": str(out), "beam": args.beam, "threads": args.threads,
            "max_decoding_length": args.max_decoding_length, "glossary": glossary,
            "dump_sentences": str(dump) if dump else None}


def measure_translation(model: build.BuiltModel, corpus: build.Corpus, size: Size,
                        args: argparse.Namespace, home: Path, scratch: Path) -> dict:
    env = sandbox_env(home, args.threads, args.beam)
    code = scratch / "code"
    for package in ("translator", "glossary"):
        shutil.copytree(REPO / package, code / package,
                        ignore=shutil.ignore_patterns("__pycache__"))
    env["BENCH_CODE"] = str(code)
    glossary = {"on": True, "off": False, "auto": None}[args.glossary]
    supported = glossary_supported()
    if glossary is None:
        glossary = supported
    if glossary and not supported:
        raise SystemExit("--glossary on: this pipeline cannot enforce a glossary yet")
    files = corpus.files
    ours_dir = prepare(model, env, home, scratch, files, args, glossary)
    sentences = scratch / "sentences.json"
    runs: dict[str, list[dict]] = {"ours": [], "argos": [], "raw": []}
    if args.no_argos:
        del runs["argos"]
    if glossary:
        runs["ours-noglossary"] = []
    order = list(runs)
    for rep in range(size.repeat):
        for kind in order[rep % len(order):] + order[:rep % len(order)]:
            if kind == "raw" and not sentences.exists():
                continue  # needs the sentences of a first `ours` run; done after it below
            if kind == "argos" and len(runs["argos"]) >= (size.argos_repeat or size.repeat):
                continue
            _one(kind, runs, args, ours_dir, files, scratch, env, model, glossary, sentences, rep)
        if len(runs["raw"]) <= rep:
            _one("raw", runs, args, ours_dir, files, scratch, env, model, glossary, sentences, rep)
    for rep in range(size.argos_inter_runs if not args.no_argos else 0):
        inter_env = {**env, "ARGOS_INTER_THREADS": str(args.threads), "ARGOS_INTRA_THREADS": "1"}
        runs.setdefault("argos-inter", [])
        _one("argos", runs, args, ours_dir, files, scratch, inter_env, model, glossary, sentences,
             rep, key="argos-inter")
    plain = scratch / ("out-ours-noglossary" if glossary else "out-ours") / "es"
    agreement = _agreement(plain, scratch / "out-argos")
    small = files[: size.memory_docs]
    log(f"memory run: the project on {len(small)} documents")
    runs["ours-small"] = [run_worker("ours", _ours_args(args, ours_dir, small, scratch / "out-small",
                                                        glossary), env, scratch)]
    return {"runs": runs, "glossary": glossary, "glossary_supported": supported,
            "agreement": agreement, "placeholder_form": _calibrated_form(home)}


def _calibrated_form(home: Path) -> str:
    """What the project's placeholder probe decided for the benchmark model (cached in `home`)."""
    try:
        forms = json.loads((home / ".cache" / "translator" / "placeholder-forms.json").read_text())
    except (OSError, ValueError):
        return "unknown (no calibration cached)"
    values = list(forms.values())
    if not values:
        return "unknown (no calibration cached)"
    return f"`{values[0]}`" if values[0] else "none"


def _agreement(ours: Path, argos: Path) -> tuple[int, int] | None:
    """Paragraphs that the project (glossary off) and Argos translated identically: the same
    model, beam and bound give the same words, whitespace and underscores aside (Argos turns
    every "_" into a space; it also joins a paragraph's sentences with its own spacing)."""
    if not ours.is_dir() or not argos.is_dir():
        return None
    same = total = 0
    for theirs in sorted(argos.glob("*.txt")):
        mine = ours / theirs.name
        if not mine.exists():
            continue
        a = [p for p in theirs.read_text(encoding="utf-8").split("\n") if p.strip()]
        b = [p for p in mine.read_text(encoding="utf-8").split("\n") if p.strip()]
        if len(a) != len(b):
            total += max(len(a), len(b))
            continue
        for x, y in zip(a, b):
            total += 1
            same += "".join(x.replace("_", " ").split()) == "".join(y.replace("_", " ").split())
    return same, total


def _one(kind, runs, args, ours_dir, files, scratch, env, model, glossary, sentences, rep,  # type: ignore[no-untyped-def]
         key=None):
    if kind in ("ours", "ours-noglossary"):
        use_glossary = glossary and kind == "ours"
        dump = sentences if kind == "ours" and not sentences.exists() else None
        worker_args = _ours_args(args, ours_dir, files, scratch / f"out-{kind}", use_glossary, dump)
        result = run_worker("ours", worker_args, env, scratch)
    elif kind == "argos":
        out = scratch / "out-argos"
        if out.exists():
            shutil.rmtree(out)
        result = run_worker("argos", {"archive": str(model.archive), "files": [str(f) for f in files],
                                      "out_dir": str(out),
                                      "max_decoding_length": args.max_decoding_length}, env, scratch)
    else:
        package = ours_dir / "translate-en_es-bench"
        result = run_worker("raw", {"package_path": str(package), "sentences": str(sentences),
                                    "beam": args.beam, "threads": args.threads,
                                    "max_decoding_length": args.max_decoding_length}, env, scratch)
    runs[key or kind].append(result)
    log(f"rep {rep + 1}: {key or kind:16s} {result['seconds']:7.1f} s  "
        f"(peak RSS {result['process_peak_rss_mb']:.0f} MB)")


def measure_startup(size: Size, home: Path, args: argparse.Namespace) -> dict:
    env = sandbox_env(home, args.threads, args.beam)
    commands = {"translator": [str(BIN / "translator"), "--help"],
                "argos-translate": [str(BIN / "argos-translate"), "--help"]}
    times: dict[str, list[float]] = {name: [] for name in commands}
    # No untimed warm-up: both programs' files were just read by the translation runs.
    for _ in range(size.startup_runs):
        for name, cmd in commands.items():
            done = run_process(cmd, env)
            if done.returncode != 0:
                raise SystemExit(f"{' '.join(cmd)} failed: {done.stderr[-2000:]}")
            times[name].append(done.seconds)
    return times


def measure_glossary(size: Size) -> dict:
    script = HERE / "glossary_match.py"
    if not script.exists():
        return {"skipped": "benchmarks/glossary_match.py is not there (yet)"}
    cmd = [sys.executable, str(script), "--terms", str(size.glossary_terms),
           "--words", str(size.glossary_words), "--repeat", "3" if size.name != "smoke" else "1"]
    done = run_process(cmd, dict(os.environ))
    if done.returncode != 0:
        return {"skipped": f"glossary_match.py failed: {done.stderr.strip().splitlines()[-1:]}"}
    rows = [l for l in done.stdout.splitlines() if re.match(r"\| [\d,]+ terms", l)]
    if not rows:
        return {"skipped": "glossary_match.py printed no result row"}
    cells = [c.strip() for c in rows[0].strip("|").split("|")]
    seconds = [float(m.group(1)) if (m := re.match(r"([\d.]+) s", c)) else None for c in cells]
    return {"row": cells, "build_s": seconds[2], "find_s": seconds[3], "per_sentence_s": seconds[4],
            "peak_rss_mb": round(done.peak_rss_mb, 1), "output": done.stdout.strip()}


# ------------------------------------------------------------------------------------------
# The report
# ------------------------------------------------------------------------------------------
def _versus(mb: float) -> str:
    return f"{mb:.0f} MB more than" if mb >= 0 else f"{-mb:.0f} MB less than"


def _term_states(run: dict) -> str:
    states = run.get("term_states") or {}
    return ", ".join(f"{k} {v:,}" for k, v in sorted(states.items())) or "none recorded"


def _median(values: list[float]) -> float:
    return statistics.median(values) if values else float("nan")


def _fmt_runs(values: list[float]) -> str:
    return ", ".join(f"{v:.1f}" for v in values)


def _load() -> str:
    try:
        return " ".join(f"{x:.2f}" for x in os.getloadavg())
    except OSError:
        return "?"


def _process_ticks() -> dict[int, tuple[str, int]]:
    """pid -> (command line, CPU ticks so far) for every process but this one and its children."""
    mine = {os.getpid()}
    table = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            text = stat.read_text()
            pid = int(stat.parent.name)
            fields = text.rsplit(")", 1)[1].split()
            cmd = (stat.parent / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
        except (OSError, ValueError, IndexError):
            continue
        if pid in mine or int(fields[1]) in mine:
            continue
        table[pid] = (cmd.strip()[:70] or text.split("(", 1)[1].split(")", 1)[0], int(fields[11]) + int(fields[12]))
    return table


def _others(before: dict[int, tuple[str, int]], seconds: float) -> list[str]:
    """The other processes that used the CPU most while the benchmark ran."""
    after = _process_ticks()
    used = []
    for pid, (cmd, ticks) in after.items():
        if pid in before and ticks - before[pid][1] > 0.05 * seconds * _TICK:
            used.append(((ticks - before[pid][1]) / _TICK, cmd))
    return [f"`{cmd}` ({cpu:.0f} CPU-s)" for cpu, cmd in sorted(used, reverse=True)[:4]]


def _cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine()


def _versions() -> str:
    from importlib.metadata import version

    parts = []
    for name in ("ctranslate2", "argostranslate", "sentencepiece"):
        try:
            parts.append(f"{name} {version(name)}")
        except Exception:  # noqa: BLE001
            pass
    return f"Python {platform.python_version()}, " + ", ".join(parts)


def _verdict(ok: bool | None) -> str:
    return "—" if ok is None else ("yes" if ok else "**no**")


def report(size: Size, model: build.BuiltModel, corpus: build.Corpus, args: argparse.Namespace,
           translation: dict, startup: dict, glossary: dict, machine: dict) -> str:
    full = size.name == "full"

    def verdict(ok: bool) -> str:  # only a full run is judged against the targets
        return _verdict(ok if full else None)

    runs = translation["runs"]
    med = {k: _median([r["seconds"] for r in v]) for k, v in runs.items() if v}
    ours = runs["ours"]
    t_ours, t_raw = med["ours"], med["raw"]
    t_argos = med.get("argos")
    segments, distinct = ours[0]["segments"], ours[0]["distinct"]
    gl = "on" if translation["glossary"] else "off"
    gl_note = ("glossary ON (the project's own termbase, locales/)" if translation["glossary"] else
               "glossary OFF" + ("" if translation["glossary_supported"] else
                                 " (the pipeline does not enforce one yet)"))
    stages: dict[str, list[float]] = {}
    for r in ours:
        for stage, seconds in r["timings"].items():
            stages.setdefault(stage, []).append(seconds)
    repair = _median(stages.get("repair", [0.0]))
    repaired = _median([sum(r["model_calls"][1:]) for r in ours])
    n = len(corpus.files)
    lines = [
        f"# Benchmark results ({size.name})",
        "",
        f"Measured by `.venv/bin/python benchmarks/run.py{'' if full else ' --' + size.name}` on "
        f"{time.strftime('%Y-%m-%d %H:%M', time.localtime(machine['started']))}. {size.label}.",
        "",
        f"- Machine: {machine['cores']} cores ({machine['cpu']}), {_versions()}. Load average "
        f"{machine['load_before']} before, {machine['load_after']} after; other processes used "
        f"{machine['others_cores']:.2f} cores on average during the translation runs"
        + (f" (the busiest: {', '.join(machine['others'])})" if machine["others"] else "") + ".",
        f"- Model: a random-weight Argos package (benchmarks/build.py), {model.spec.label}, "
        f"{model.pieces:,} SentencePiece pieces, model.bin {model.megabytes:.0f} MB.",
        f"- Corpus: {n} articles made from seeds/, {corpus.words:,} words, {segments:,} sentences "
        f"({distinct:,} distinct; the project translates each once, Argos every time).",
        f"- Every system: beam {args.beam}, max_decoding_length {args.max_decoding_length}, "
        f"{args.threads} CPU threads, the same int8 model and documents. {size.repeat} "
        f"repetition(s) of each, interleaved, each a fresh process; medians"
        + (f" (Argos Translate: {len(runs['argos'])} run, as each takes "
           f"{t_argos / 60:.0f} minutes)" if t_argos and len(runs["argos"]) < size.repeat else "")
        + ". "
        f"The project ran with {gl_note}.",
        "",
        "| measurement | this project | compared with | ratio | target | met |",
        "|---|---|---|---|---|---|",
    ]
    if t_argos:
        lines.append(
            f"| translate {n} articles (glossary {gl}) | {t_ours:.1f} s "
            f"({segments / t_ours:.1f} sentences/s) | Argos Translate Python API: {t_argos:.1f} s "
            f"({segments / t_argos:.1f} sentences/s) | {t_argos / t_ours:.2f}x faster | ≥ 4x | "
            f"{verdict(t_argos / t_ours >= 4)} |")
    lines.append(
        f"| same run, against raw CTranslate2 | {t_ours:.1f} s | `translate_batch` on the "
        f"{runs['raw'][0]['sentences_to_model']:,} pre-tokenised sentences: {t_raw:.1f} s | "
        f"{t_ours / t_raw:.2f}x the raw time | ≤ 1.10x | {verdict(t_ours / t_raw <= 1.10)} |")
    def against_both(label: str, seconds: float) -> str:
        """A row without a target: `seconds` against Argos (when it ran) and raw CTranslate2."""
        return (f"| {label} | {seconds:.1f} s | "
                + (f"Argos: {t_argos:.1f} s; " if t_argos else "") + f"raw: {t_raw:.1f} s | "
                + (f"{t_argos / seconds:.2f}x faster; " if t_argos else "")
                + f"{seconds / t_raw:.2f}x raw | — | — |")

    if translation["glossary"] and repaired:
        lines.append(against_both("glossary on, less its repair pass (derived: run − repair stage)",
                                  t_ours - repair))
    if "ours-noglossary" in med:
        lines.append(against_both("translate, glossary off", med["ours-noglossary"]))
    if "argos-inter" in med:
        t_ai = med["argos-inter"]
        lines.append(
            f"| Argos with `ARGOS_INTER_THREADS={args.threads}`, `ARGOS_INTRA_THREADS=1` "
            f"(the project's thread layout; not Argos's default) | {t_ours:.1f} s | Argos: "
            f"{t_ai:.1f} s ({len(runs['argos-inter'])} run) | {t_ai / t_ours:.2f}x faster | — | — |")
    t_help, t_argos_help = _median(startup["translator"]), _median(startup["argos-translate"])
    lines.append(
        f"| start-up: `translator --help` (median of {len(startup['translator'])}) | "
        f"{t_help * 1000:.0f} ms | `argos-translate --help`: {t_argos_help * 1000:.0f} ms | "
        f"{t_argos_help / t_help:.1f}x faster | ≥ 10x | {verdict(t_argos_help / t_help >= 10)} |")
    if "skipped" in glossary:
        lines.append(f"| glossary matching | skipped: {glossary['skipped']} | — | — | < 2 s | — |")
    else:
        row = glossary["row"]
        worst = max(x for x in (glossary["find_s"], glossary["per_sentence_s"]) if x is not None)
        lines.append(
            f"| glossary matching: {row[0]} over {row[1]} (best of 3) | find {row[3]} over the "
            f"whole text, {row[4]} sentence by sentence; building the matcher {row[2]} | — | — | "
            f"< 2 s | {verdict(worst < 2)} |")
    rss = {k: _median([r["process_peak_rss_mb"] for r in v]) for k, v in runs.items() if v}
    raw_model = _median([r["rss_with_model_mb"] for r in runs["raw"]])
    small = runs["ours-small"][0]
    growth = rss["ours"] - small["process_peak_rss_mb"]
    lines.append(
        f"| peak memory (RSS), {n} articles | {rss['ours']:.0f} MB | "
        + (f"Argos: {rss['argos']:.0f} MB; " if "argos" in rss else "")
        + f"raw CTranslate2: {rss['raw']:.0f} MB (of which Python + the loaded model: "
        f"{raw_model:.0f} MB) | {_versus(rss['ours'] - rss['raw'])} raw; loaded model + "
        f"{rss['ours'] - raw_model:.0f} MB | model + small, stated overhead | see below |")
    lines.append(
        f"| memory growth with corpus size | {small['documents']} articles: "
        f"{small['process_peak_rss_mb']:.0f} MB; {n}: {rss['ours']:.0f} MB | — | "
        f"{growth:+.0f} MB for {n - small['documents']} more articles | flat | "
        f"{verdict(abs(growth) < 0.1 * rss['ours'])} |")
    if translation.get("agreement"):
        same, total = translation["agreement"]
        lines += ["", f"Same work on both sides: the project (glossary off) and Argos produced the "
                      f"same translation for {same:,} of {total:,} paragraphs."]
    lines += ["", "### Every run (timed from the library imported to the last output written; "
                  "includes loading the model)", "",
              "| system | runs (s) | median | sentences to the model | peak RSS (median) | "
              "other processes' load (cores) |",
              "|---|---|---|---|---|---|"]
    names = {"ours": f"this project, glossary {gl}", "ours-noglossary": "this project, glossary off",
             "argos": "Argos Translate Python API (its default thread layout: inter 1, intra = threads)",
             "argos-inter": f"Argos Translate, ARGOS_INTER_THREADS={args.threads}",
             "raw": "raw CTranslate2 translate_batch", "ours-small": f"this project, "
             f"{small['documents']} articles (memory run)"}
    for kind, results in runs.items():
        if not results:
            continue
        if kind.startswith("ours"):
            calls = results[0]["model_calls"]
            to_model = f"{calls[0]:,}" + (f" + {sum(calls[1:]):,} (repair pass)" if calls[1:] else "")
        else:
            to_model = f"{results[0]['sentences_to_model']:,}"
            if kind.startswith("argos"):
                to_model += f" in {results[0]['model_calls']:,} calls"
        lines.append(f"| {names[kind]} | {_fmt_runs([r['seconds'] for r in results])} | "
                     f"{med[kind]:.1f} | {to_model} | {rss[kind]:.0f} MB | "
                     f"{_fmt_runs([r['others_cores'] for r in results])} |")
    if translation["glossary"]:
        form = translation.get("placeholder_form", "unknown")
        lines += ["", f"Placeholder form the project calibrated for this model: {form}. "
                  + ("No form survives random weights, so the sentences went to the model as "
                     "written, once, and the terms were enforced in that translation "
                     "(`enforce.post_edit`). " if form == "none" else "")
                  + "Term states over the run: " + _term_states(ours[0]) + "."]
    lines += ["", f"Where the project's time went (glossary {gl}, median seconds per stage): "
              + ", ".join(f"{k} {_median(v):.2f}" for k, v in stages.items()) + "."]
    if "argos" in runs:
        s = runs["argos"][0]["settings"]
        lines.append(f"Argos as it ran: beam_size {s['beam_size']}, inter_threads "
                     f"{s['inter_threads']}, intra_threads {s['intra_threads']}, batch_size "
                     f"{s['batch_size']} (tokens, its default), compute_type {s['compute_type']}; "
                     f"sentences split by pysbd (patched in), translate_batch given "
                     f"max_decoding_length {args.max_decoding_length} (patched in).")
    s = runs["raw"][0]["settings"]
    lines.append("CTranslate2 settings of the project, used for the raw run too: "
                 + ", ".join(f"{k} {v}" for k, v in s.items()) + ".")
    lines.append(f"Start-up runs (s): translator {_fmt_runs(startup['translator'])}; "
                 f"argos-translate {_fmt_runs(startup['argos-translate'])}.")
    if "skipped" not in glossary:
        lines += ["", "Glossary matching, as benchmarks/glossary_match.py printed it:", "",
                  glossary["output"]]
    return "\n".join(lines) + "\n"


# ------------------------------------------------------------------------------------------
def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    group = parser.add_mutually_exclusive_group()
    group.add_argument("--quick", action="store_true", help="small model and corpus (< 1 minute)")
    group.add_argument("--smoke", action="store_true", help="tiny model; for the test suite")
    parser.add_argument("--repeat", type=int, help="repetitions of each translation run")
    parser.add_argument("--beam", type=int, default=4)
    parser.add_argument("--max-decoding-length", type=int, default=48)
    parser.add_argument("--threads", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--glossary", choices=["auto", "on", "off"], default="auto",
                        help="auto: on when the pipeline enforces a glossary")
    parser.add_argument("--no-argos", action="store_true", help="skip the Argos Translate runs")
    parser.add_argument("--argos-repeat", type=int,
                        help="Argos Translate runs (default: 1 in the full run, else --repeat)")
    parser.add_argument("--argos-inter", type=int, default=0,
                        help="extra Argos runs with the project's thread layout (inter = threads)")
    parser.add_argument("--cache", type=Path, default=build.CACHE, help="where inputs are cached")
    parser.add_argument("--results", type=Path, help="where to write the table")
    args = parser.parse_args(argv)
    size = SIZES["quick" if args.quick else "smoke" if args.smoke else "full"]
    if args.repeat:
        size = Size(**{**size.__dict__, "repeat": args.repeat})
    if args.argos_repeat:
        size = Size(**{**size.__dict__, "argos_repeat": args.argos_repeat})
    if args.argos_inter:
        size = Size(**{**size.__dict__, "argos_inter_runs": args.argos_inter})
    machine = {"cores": os.cpu_count(), "cpu": _cpu_model(), "load_before": _load(),
               "started": time.time()}
    cache = args.cache
    cache.mkdir(parents=True, exist_ok=True)
    model = build.build_model(build.MODELS[size.name], cache)
    corpus = build.build_corpus(build.CORPORA[size.name], cache)
    home = cache / f"home-{model.spec.key()}"
    home.mkdir(exist_ok=True)
    scratch = Path(tempfile.mkdtemp(prefix=f"run-{size.name}-", dir=cache))
    try:
        log(f"{size.label}; {len(corpus.files)} documents, {args.threads} threads, beam {args.beam}")
        before, t0 = _process_ticks(), time.perf_counter()
        translation = measure_translation(model, corpus, size, args, home, scratch)
        machine["others"] = _others(before, time.perf_counter() - t0)
        timed = [r for runs in translation["runs"].values() for r in runs]
        machine["others_cores"] = (sum(r["others_cores"] * r["process_s"] for r in timed)
                                   / sum(r["process_s"] for r in timed))
        log("start-up")
        startup = measure_startup(size, home, args)
        log("glossary matching")
        glossary = measure_glossary(size)
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    machine["load_after"] = _load()
    text = report(size, model, corpus, args, translation, startup, glossary, machine)
    print(text)
    results = args.results or (HERE / "RESULTS.md" if size.name == "full"
                               else cache / f"RESULTS-{size.name}.md")
    results.write_text(text, encoding="utf-8")
    log(f"written to {results}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
