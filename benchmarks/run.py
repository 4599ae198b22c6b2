"""The speed of `translator`, measured: one command, offline, re-runnable.

    .venv/bin/python benchmarks/run.py            # full run (transformer-base, 200 articles; about 75 minutes)
    .venv/bin/python benchmarks/run.py --quick    # about a minute: small model, 16 articles
    .venv/bin/python benchmarks/run.py --smoke    # seconds: a tiny model, for the test suite
    .venv/bin/python benchmarks/run.py --device cuda --compute-type float16 --no-argos   # on a GPU

It builds (once, cached in benchmarks/.cache/) a benchmark-size Argos package with random
weights, a corpus of articles made from seeds/ and a virtualenv holding the `argostranslate`
distribution as Argos Translate's users install it (see benchmarks/build.py), then measures, on
the same model, documents, beam, decoding bound and thread count:

1. this project's `translate_sources` (what `translator translate` runs) against Argos
   Translate's own Python API (`argostranslate.translate`), document by document, run from the
   peer's own virtualenv (`argostranslate` with stanza, spaCy and torch) and, beside it, from
   this project's environment (argos-translate-lt: the same module without them);
2. the project against raw `ctranslate2.Translator.translate_batch` on the same sentences,
   already tokenised (the practical limit);
3. one article, cold, as a user runs it: `translator translate FILE` against `argos-translate`
   (process start, imports, model load, translate, write);
4. start-up: `translator --help` against `argos-translate --help`;
5. glossary matching: 10,000 terms over 1,000,000 words (benchmarks/glossary_match.py);
6. peak memory of each run, each process's own (its `VmHWM`), the project's at two corpus
   sizes, and a control row: an empty worker.

Every run is a fresh subprocess (see benchmarks/workers.py) started through a small parent
(benchmarks/launch.py) that times it; repetitions are interleaved so a busy machine slows every
system alike, and medians are reported (Argos runs once in the full run: one run takes ~26
minutes). The table is printed and written to benchmarks/RESULTS.md (the full run) or
benchmarks/.cache/RESULTS-<size>.md.
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
    argos: str = "both"  # which Argos Translate peers run by default: both, full, lt or none


SIZES = {
    "full": Size("full", 3, 10, 10_000, 1_000_000, 50,
                 "full: transformer-base model, 200 articles", argos_repeat=1),
    "quick": Size("quick", 1, 2, 10_000, 100_000, 4,
                  "QUICK: a smaller model (3+3 layers, d_model 256), 16 short articles, one run "
                  "each; indicative only, run without --quick for the real figures"),
    "smoke": Size("smoke", 1, 1, 200, 3_000, 2,
                  "SMOKE: a tiny model and 4 articles; checks that the benchmark runs, "
                  "measures nothing", argos="lt"),
}


def log(msg: str) -> None:
    print(f"[bench] {msg}", file=sys.stderr, flush=True)


# ------------------------------------------------------------------------------------------
# Subprocesses
# ------------------------------------------------------------------------------------------
def sandbox_env(home: Path, args: argparse.Namespace) -> dict[str, str]:
    """A home of its own for every run, so no run reads or writes the real one."""
    env = {k: v for k, v in os.environ.items()
           if not k.startswith(("ARGOS_", "XDG_", "CT2_", "TRANSLATOR_"))}
    env.update({
        "HOME": str(home), "XDG_CONFIG_HOME": str(home / ".config"),
        "XDG_DATA_HOME": str(home / ".local" / "share"), "XDG_CACHE_HOME": str(home / ".cache"),
        "ARGOS_PACKAGES_DIR": str(home / "argos-packages"),
        # Argos's own knobs, set to the values every system gets (its defaults apart from threads).
        "ARGOS_DEVICE_TYPE": args.device, "ARGOS_COMPUTE_TYPE": args.compute_type,
        "ARGOS_BEAM_SIZE": str(args.beam),
        "ARGOS_INTER_THREADS": "1", "ARGOS_INTRA_THREADS": str(args.threads),
        "PYTHONDONTWRITEBYTECODE": "1",
    })
    return env


@dataclass
class Finished:
    seconds: float  # wall time of the command, from its fork to its exit
    peak_rss_mb: float  # its own peak RSS: wait4 in a small parent (benchmarks/launch.py)
    stdout: str
    stderr: str
    returncode: int
    others_cores: float  # CPU used by other processes meanwhile, in cores (0: none)


LAUNCH = HERE / "launch.py"


def run_process(cmd: list[str], env: dict[str, str], cwd: Path = REPO, stdin: Path | None = None,
                stdout: Path | None = None) -> Finished:
    """Run `cmd` through the small parent benchmarks/launch.py: its wall time, its own peak RSS,
    and how busy the rest of the machine was meanwhile (busy time minus the command's CPU time).

    Not `os.wait4` on a child of this process: on Linux a child's `ru_maxrss` is never below its
    parent's memory at the time it was started, and this process is the larger one.
    """
    with tempfile.TemporaryDirectory(prefix="launch-") as tmp:
        report_file = Path(tmp) / "launch.json"
        out_path = stdout or Path(tmp) / "stdout"
        with open(out_path, "wb") as out, open(Path(tmp) / "stderr", "wb+") as err, \
                open(stdin or os.devnull, "rb") as inp:
            subprocess.run([sys.executable, "-S", str(LAUNCH), str(report_file), *cmd], env=env,
                           cwd=cwd, stdin=inp, stdout=out, stderr=err)
            err.seek(0)
            errors = err.read().decode(errors="replace")
        if not report_file.exists():
            raise SystemExit(f"benchmarks/launch.py failed for {cmd}:\n{errors[-2000:]}")
        info = json.loads(report_file.read_text())
        text = "" if stdout else out_path.read_text(errors="replace")
    seconds = info["seconds"]
    others = max(0.0, info["busy_s"] - info["cpu_s"]) / seconds if seconds else 0.0
    return Finished(seconds, info["peak_rss_mb"], text, errors, info["returncode"], others)


def run_direct_peak(cmd: list[str], env: dict[str, str]) -> float:
    """The old way, kept only for the control row: `wait4` on a child of this (large) process."""
    proc = subprocess.Popen(cmd, env=env, cwd=REPO, stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL)
    _, _, usage = os.wait4(proc.pid, 0)
    return usage.ru_maxrss / 1024


def own_peak_mb() -> float:
    """This benchmark process's own peak RSS so far (VmHWM), in MB of 2^20 bytes."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def run_worker(kind: str, args: dict, env: dict[str, str], scratch: Path,
               python: Path | str = sys.executable, stdin: Path | None = None,
               stdout: Path | None = None, name: str | None = None) -> dict:
    """One measured run of benchmarks/workers.py KIND; its RESULT plus what the launcher saw.

    `peak_mb` is the worker's own peak (VmHWM, read by the worker as it ends); the launcher's
    `wait4` figure is kept beside it as `process_peak_rss_mb` (they agree to a few MB).
    """
    args_file = scratch / f"{name or kind}-args.json"
    if kind == "cli":
        args = {**args, "result": str(scratch / f"{name or kind}-result.txt")}
        Path(args["result"]).unlink(missing_ok=True)
    args_file.write_text(json.dumps(args))
    done = run_process([str(python), str(HERE / "workers.py"), kind, str(args_file)], env,
                       stdin=stdin, stdout=stdout)
    text = Path(args["result"]).read_text() if kind == "cli" and Path(args["result"]).exists() \
        else done.stdout
    line = next((row for row in text.splitlines() if row.startswith("RESULT ")), None)
    if done.returncode != 0 or line is None:
        raise SystemExit(f"benchmark run {name or kind!r} failed (exit {done.returncode}):\n"
                         f"{done.stderr[-3000:]}")
    result = json.loads(line[len("RESULT "):])
    result["process_s"] = done.seconds
    result["process_peak_rss_mb"] = round(done.peak_rss_mb, 1)
    result["peak_mb"] = result["vm_hwm_mb"]
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
    """Install the package for the project (once) and warm its placeholder probe. Argos installs
    it into its own folder with its own installer, in its first run (untimed)."""
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


def _decoding(args: argparse.Namespace) -> dict:
    return {"beam": args.beam, "threads": args.threads, "device": args.device,
            "compute_type": args.compute_type, "max_decoding_length": args.max_decoding_length}


def _ours_args(args: argparse.Namespace, packages_dir: Path, files: list[Path], out: Path,
               glossary: bool, dump: Path | None = None) -> dict:
    if out.exists():
        shutil.rmtree(out)  # a fresh output folder: nothing is reused from an earlier run
    return {"packages_dir": str(packages_dir), "files": [str(f) for f in files],
            "out_dir": str(out), **_decoding(args), "glossary": glossary,
            "dump_sentences": str(dump) if dump else None}


# The two Argos Translate peers: the distribution its users install, from a virtualenv of its own
# (benchmarks/build.py), and argos-translate-lt, the same module from this project's environment.
PEERS = {"argos": "full", "argos-lt": "lt"}


def peer_python(kind: str, peer: build.ArgosEnv | None) -> Path | str:
    if kind.startswith("argos-lt"):
        return sys.executable
    assert peer is not None
    return peer.python


def measure_translation(model: build.BuiltModel, corpus: build.Corpus, size: Size,
                        args: argparse.Namespace, home: Path, scratch: Path,
                        peer: build.ArgosEnv | None) -> dict:
    env = sandbox_env(home, args)
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
    runs: dict[str, list[dict]] = {"ours": []}
    runs.update({kind: [] for kind, which in PEERS.items() if which in args.peers})
    runs["raw"] = []
    if glossary:
        runs["ours-noglossary"] = []
    order = list(runs)
    for rep in range(size.repeat):
        for kind in order[rep % len(order):] + order[:rep % len(order)]:
            if kind == "raw" and not sentences.exists():
                continue  # needs the sentences of a first `ours` run; done after it below
            if kind in PEERS and len(runs[kind]) >= (size.argos_repeat or size.repeat):
                continue
            _one(kind, runs, args, ours_dir, files, scratch, env, model, glossary, sentences, rep,
                 peer)
        if len(runs["raw"]) <= rep:
            _one("raw", runs, args, ours_dir, files, scratch, env, model, glossary, sentences, rep,
                 peer)
    inter_kind = next((kind for kind in PEERS if kind in runs), None)
    for rep in range(size.argos_inter_runs if inter_kind else 0):
        inter_env = {**env, "ARGOS_INTER_THREADS": str(args.threads), "ARGOS_INTRA_THREADS": "1"}
        runs.setdefault("argos-inter", [])
        _one(inter_kind, runs, args, ours_dir, files, scratch, inter_env, model, glossary,
             sentences, rep, peer, key="argos-inter")
    plain = scratch / ("out-ours-noglossary" if glossary else "out-ours") / "es"
    agreement = {kind: _agreement(plain, scratch / f"out-{kind}") for kind in PEERS if kind in runs}
    small = files[: size.memory_docs]
    log(f"memory run: the project on {len(small)} documents")
    runs["ours-small"] = [run_worker("ours", _ours_args(args, ours_dir, small, scratch / "out-small",
                                                        glossary), env, scratch)]
    return {"runs": runs, "glossary": glossary, "glossary_supported": supported,
            "agreement": agreement, "placeholder_form": _calibrated_form(home),
            "ours_dir": ours_dir, "env": env}


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
         peer, key=None):
    if kind in ("ours", "ours-noglossary"):
        use_glossary = glossary and kind == "ours"
        dump = sentences if kind == "ours" and not sentences.exists() else None
        worker_args = _ours_args(args, ours_dir, files, scratch / f"out-{kind}", use_glossary, dump)
        result = run_worker("ours", worker_args, env, scratch)
    elif kind in PEERS:
        out = scratch / f"out-{kind}"
        if out.exists():
            shutil.rmtree(out)
        result = run_worker("argos", {"archive": str(model.archive), "files": [str(f) for f in files],
                                      "out_dir": str(out),
                                      "max_decoding_length": args.max_decoding_length}, env, scratch,
                            python=peer_python(kind, peer), name=kind)
    else:
        package = ours_dir / "translate-en_es-bench"
        result = run_worker("raw", {"package_path": str(package), "sentences": str(sentences),
                                    **_decoding(args)}, env, scratch)
    runs[key or kind].append(result)
    log(f"rep {rep + 1}: {key or kind:16s} {result['seconds']:7.1f} s  "
        f"(peak RSS {result['peak_mb']:.0f} MB)")


def _cold_article(files: list[Path]) -> Path:
    """The article of median size: what the cold, one-article row translates."""
    return sorted(files, key=lambda f: (f.stat().st_size, f.name))[len(files) // 2]


def measure_cold(size: Size, args: argparse.Namespace, files: list[Path], scratch: Path,
                 translation: dict, peer: build.ArgosEnv | None) -> dict:
    """One article as a user translates it, each run a cold process: `translator translate FILE
    --to es --out DIR` against `argos-translate --from-lang en --to-lang es < FILE > OUT` (from
    the peer's virtualenv and from argos-translate-lt), the same decoding bound patched into both
    (benchmarks/workers.py `cli`). Timed from process start to exit; the project's review
    catalog and document both written, a fresh output folder every time."""
    article = _cold_article(files)
    env, ours_dir = translation["env"], translation["ours_dir"]
    common = {"max_decoding_length": args.max_decoding_length, "compute_type": args.compute_type}
    systems: dict[str, dict] = {"translator": {}}
    for kind, which in PEERS.items():
        if which in args.peers:
            systems["argos-translate" + ("-lt" if which == "lt" else "")] = {"kind": kind}
    runs: dict[str, list[dict]] = {name: [] for name in systems}
    order = list(systems)
    for rep in range(size.repeat):
        for name in order[rep % len(order):] + order[:rep % len(order)]:
            out = scratch / f"cold-{name}"
            if out.exists():
                shutil.rmtree(out)
            out.mkdir()
            if name == "translator":
                argv = ["translate", str(article), "--to", "es", "--out", str(out),
                        "--quiet", "--beam", str(args.beam), "--threads", str(args.threads),
                        "--device", args.device]
                result = run_worker("cli", {"program": "translator", "argv": argv, **common},
                                    {**env, "ARGOS_PACKAGES_DIR": str(ours_dir)}, scratch,
                                    name=f"cold-{name}")
                written = sorted(p.name for p in (out / "es").glob("*"))
            else:
                argv = ["--from-lang", "en", "--to-lang", "es"]
                result = run_worker("cli", {"program": "argos-translate", "argv": argv, **common},
                                    env, scratch, python=peer_python(systems[name]["kind"], peer),
                                    stdin=article, stdout=out / article.name, name=f"cold-{name}")
                written = [article.name] if (out / article.name).stat().st_size else []
            if not written:
                raise SystemExit(f"cold run of {name} wrote nothing")
            result["written"] = written
            runs[name].append(result)
            log(f"cold {rep + 1}: {name:20s} {result['process_s']:6.2f} s  "
                f"(peak RSS {result['peak_mb']:.0f} MB)")
    text = article.read_text(encoding="utf-8")
    return {"runs": runs, "article": article.name, "words": len(text.split()),
            "paragraphs": sum(1 for p in text.split("\n") if p.strip())}


def measure_control(env: dict[str, str], scratch: Path) -> dict:
    """The memory table's control row: a worker that does nothing, measured three ways."""
    mine = run_worker("empty", {}, env, scratch)
    direct = run_direct_peak([sys.executable, str(HERE / "workers.py"), "empty",
                              str(scratch / "empty-args.json")], env)
    return {"vm_hwm_mb": mine["vm_hwm_mb"], "launcher_mb": mine["process_peak_rss_mb"],
            "direct_wait4_mb": round(direct, 1), "parent_peak_mb": round(own_peak_mb(), 1)}


def measure_startup(size: Size, home: Path, args: argparse.Namespace,
                    peer: build.ArgosEnv | None) -> dict:
    env = sandbox_env(home, args)
    # The console script; `python -m translator` where the project is on the path but not
    # installed (benchmarks/gpu.sh on a machine with wheels only).
    ours = [str(BIN / "translator")] if (BIN / "translator").exists() else [sys.executable, "-m",
                                                                              "translator"]
    commands = {"translator": [*ours, "--help"]}
    if "full" in args.peers and peer is not None:
        commands["argos-translate"] = [str(peer.bin / "argos-translate"), "--help"]
    if "lt" in args.peers:
        commands["argos-translate-lt"] = [str(BIN / "argos-translate"), "--help"]
    times: dict[str, list[float]] = {name: [] for name in commands}
    peaks: dict[str, list[float]] = {name: [] for name in commands}
    # No untimed warm-up: every program's files were just read by the translation runs.
    for _ in range(size.startup_runs):
        for name, cmd in commands.items():
            done = run_process(cmd, env)
            if done.returncode != 0:
                raise SystemExit(f"{' '.join(cmd)} failed: {done.stderr[-2000:]}")
            times[name].append(done.seconds)
            peaks[name].append(done.peak_rss_mb)
    return {"times": times, "peaks": peaks}


def measure_glossary(size: Size) -> dict:
    script = HERE / "glossary_match.py"
    if not script.exists():
        return {"skipped": "benchmarks/glossary_match.py is not there (yet)"}
    cmd = [sys.executable, str(script), "--terms", str(size.glossary_terms),
           "--words", str(size.glossary_words), "--repeat", "3" if size.name != "smoke" else "1"]
    done = run_process(cmd, dict(os.environ))
    if done.returncode != 0:
        return {"skipped": f"glossary_match.py failed: {done.stderr.strip().splitlines()[-1:]}"}
    rows = [row for row in done.stdout.splitlines() if re.match(r"\| [\d,]+ terms", row)]
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


def _fmt_runs(values: list[float], digits: int = 1) -> str:
    return ", ".join(f"{v:.{digits}f}" for v in values)


def _load() -> str:
    try:
        return " ".join(f"{x:.2f}" for x in os.getloadavg())
    except OSError:
        return "?"


_TICK = os.sysconf("SC_CLK_TCK")


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
    for name in ("ctranslate2", "argos-translate-lt", "sentencepiece"):
        try:
            parts.append(f"{name} {version(name)}")
        except Exception:
            pass
    return f"Python {platform.python_version()}, " + ", ".join(parts)


def _gpu_name() -> str:
    try:
        done = subprocess.run(["nvidia-smi", "--query-gpu=name", "--format=csv,noheader"],
                              capture_output=True, text=True, timeout=30)
        return done.stdout.strip().splitlines()[0] if done.returncode == 0 and done.stdout.strip() \
            else "GPU name unknown"
    except (OSError, subprocess.SubprocessError, IndexError):
        return "GPU name unknown"


def _verdict(ok: bool | None) -> str:
    return "—" if ok is None else ("yes" if ok else "**no**")


def _command(size: Size, args: argparse.Namespace) -> str:
    parts = [".venv/bin/python benchmarks/run.py"]
    if size.name != "full":
        parts.append(f"--{size.name}")
    if args.device != "cpu":
        parts.append(f"--device {args.device}")
    if args.compute_type != "auto":
        parts.append(f"--compute-type {args.compute_type}")
    default_peers = {"both": {"full", "lt"}, "full": {"full"}, "lt": {"lt"}, "none": set()}[size.argos]
    if set(args.peers) != default_peers:
        parts.append("--no-argos" if not args.peers else f"--argos {args.argos}")
    return " ".join(parts)


CONTROL_LIMIT_MB = 60  # "a few tens of MB": a bare Python process is about 10-15 MB


def report(size: Size, model: build.BuiltModel, corpus: build.Corpus, args: argparse.Namespace,
           translation: dict, cold: dict, startup: dict, glossary: dict, control: dict,
           machine: dict, peer: build.ArgosEnv | None) -> str:
    full = size.name == "full"

    def verdict(ok: bool) -> str:  # only a full run is judged against the targets
        return _verdict(ok if full else None)

    runs = translation["runs"]
    med = {k: _median([r["seconds"] for r in v]) for k, v in runs.items() if v}
    ours = runs["ours"]
    t_ours, t_raw = med["ours"], med["raw"]
    t_argos, t_lt = med.get("argos"), med.get("argos-lt")
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
    lt_name = next((r["distribution"] for r in runs.get("argos-lt", [])), "argos-translate-lt")
    full_name = next((r["distribution"] for r in runs.get("argos", [])), "argostranslate")
    device = ("CPU" if args.device == "cpu" else
              f"{args.device.upper()} ({machine.get('gpu', 'GPU name unknown')})")
    argos_runs = [len(runs[k]) for k in PEERS if runs.get(k)]
    lines = [
        f"# Benchmark results ({size.name})",
        "",
        f"Measured by `{_command(size, args)}` on "
        f"{time.strftime('%Y-%m-%d %H:%M', time.localtime(machine['started']))}. {size.label}.",
        "",
        f"- Machine: {machine['cores']} cores ({machine['cpu']}), {_versions()}; device: {device}. "
        f"Load average {machine['load_before']} before, {machine['load_after']} after; other "
        f"processes used {machine['others_cores']:.2f} cores on average during the translation runs"
        + (f" (the busiest: {', '.join(machine['others'])})" if machine["others"] else "") + ".",
        f"- Model: a random-weight Argos package (benchmarks/build.py), {model.spec.label}, "
        f"a vocabulary of {model.vocabulary:,} ({model.pieces:,} SentencePiece pieces"
        + (", filled up with pieces SentencePiece never produces" if model.vocabulary > model.pieces
           else "") + f"), model.bin {model.megabytes:.0f} MB.",
        f"- Corpus: {n} articles made from seeds/, {corpus.words:,} words, {segments:,} sentences "
        f"({distinct:,} distinct; the project translates each once, Argos every time).",
        f"- Every system: beam {args.beam}, max_decoding_length {args.max_decoding_length}, "
        f"{args.threads} CPU threads, the same int8 model (compute type {args.compute_type}) and "
        f"documents. {size.repeat} repetition(s) of each, interleaved, each a fresh process; medians"
        + (f" (Argos Translate: {min(argos_runs)} run each, as one takes "
           f"{max(x for x in (t_argos, t_lt) if x) / 60:.0f} minutes)"
           if argos_runs and min(argos_runs) < size.repeat else "")
        + ". "
        f"The project ran with {gl_note}.",
    ]
    if peer is not None and "argos" in runs:
        lines.append(f"- Argos Translate as its users install it: {peer.describe()}"
                     + (f"; and {lt_name} from this project's environment (the same "
                        f"`argostranslate` module without stanza, spaCy or torch)"
                        if "argos-lt" in runs else "") + ".")
    elif "argos-lt" in runs:
        lines.append(f"- Argos Translate: {lt_name} from this project's environment only (the "
                     f"`argostranslate` distribution's own virtualenv was not used in this run).")
    lines += [
        "- Memory: each process's own peak resident memory (`VmHWM`, read by the process as it "
        "ends), in MB of 2^20 bytes"
        + ("; host memory only (GPU memory is not measured)" if args.device != "cpu" else "")
        + ".",
        "",
        "| measurement | this project | compared with | ratio | target | met |",
        "|---|---|---|---|---|---|",
    ]
    if t_argos:
        lines.append(
            f"| translate {n} articles (glossary {gl}) | {t_ours:.1f} s "
            f"({segments / t_ours:.1f} sentences/s) | Argos Translate Python API ({full_name}, its "
            f"own virtualenv): {t_argos:.1f} s ({segments / t_argos:.1f} sentences/s) | "
            f"{t_argos / t_ours:.2f}x faster | ≥ 4x | {verdict(t_argos / t_ours >= 4)} |")
    if t_lt:
        lines.append(
            f"| translate {n} articles (glossary {gl}), against argos-translate-lt | {t_ours:.1f} s | "
            f"Argos Translate Python API ({lt_name}): {t_lt:.1f} s "
            f"({segments / t_lt:.1f} sentences/s) | {t_lt / t_ours:.2f}x faster | — | — |")
    lines.append(
        f"| same run, against raw CTranslate2 | {t_ours:.1f} s | `translate_batch` on the "
        f"{runs['raw'][0]['sentences_to_model']:,} pre-tokenised sentences: {t_raw:.1f} s | "
        f"{t_ours / t_raw:.2f}x the raw time | ≤ 1.10x | {verdict(t_ours / t_raw <= 1.10)} |")
    t_peer = t_argos or t_lt

    def against_both(label: str, seconds: float) -> str:
        """A row without a target: `seconds` against Argos (when it ran) and raw CTranslate2."""
        return (f"| {label} | {seconds:.1f} s | "
                + (f"Argos: {t_peer:.1f} s; " if t_peer else "") + f"raw: {t_raw:.1f} s | "
                + (f"{t_peer / seconds:.2f}x faster; " if t_peer else "")
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
    # One article, cold.
    c_runs = cold["runs"]
    c_med = {k: _median([r["process_s"] for r in v]) for k, v in c_runs.items()}
    c_mem = {k: _median([r["peak_mb"] for r in v]) for k, v in c_runs.items()}
    c_names = {"argos-translate": f"`argos-translate` ({full_name})",
               "argos-translate-lt": f"`argos-translate` ({lt_name})"}
    others = [k for k in c_runs if k != "translator"]
    lines.append(
        f"| one article, cold: `translator translate FILE --to es` ({cold['words']} words, "
        f"{cold['paragraphs']} paragraphs; process start to exit, median of "
        f"{len(c_runs['translator'])}) | {c_med['translator']:.2f} s, {c_mem['translator']:.0f} MB | "
        + ("; ".join(f"{c_names[k]} `< FILE > OUT`: {c_med[k]:.2f} s, {c_mem[k]:.0f} MB"
                     for k in others) or "—")
        + " | " + ("; ".join(f"{c_med[k] / c_med['translator']:.1f}x faster than {c_names[k]}"
                             for k in others) or "—")
        + " | — | — |")
    times, peaks = startup["times"], startup["peaks"]
    t_help = _median(times["translator"])
    s_others = [k for k in times if k != "translator"]
    s_names = {"argos-translate": f"`argos-translate --help` ({full_name})",
               "argos-translate-lt": f"`argos-translate --help` ({lt_name})"}
    judged = times.get("argos-translate")
    lines.append(
        f"| start-up: `translator --help` (median of {len(times['translator'])}) | "
        f"{t_help * 1000:.0f} ms, {_median(peaks['translator']):.0f} MB | "
        + ("; ".join(f"{s_names[k]}: {_median(times[k]) * 1000:.0f} ms, "
                     f"{_median(peaks[k]):.0f} MB" for k in s_others) or "—")
        + " | " + ("; ".join(f"{_median(times[k]) / t_help:.1f}x faster than {s_names[k]}"
                             for k in s_others) or "—")
        + f" | ≥ 10x | {verdict(_median(judged) / t_help >= 10) if judged else '—'} |")
    if "skipped" in glossary:
        lines.append(f"| glossary matching | skipped: {glossary['skipped']} | — | — | < 2 s | — |")
    else:
        row = glossary["row"]
        worst = max(x for x in (glossary["find_s"], glossary["per_sentence_s"]) if x is not None)
        lines.append(
            f"| glossary matching: {row[0]} over {row[1]} (best of 3) | find {row[3]} over the "
            f"whole text, {row[4]} sentence by sentence; building the matcher {row[2]} | — | — | "
            f"< 2 s | {verdict(worst < 2)} |")
    rss = {k: _median([r["peak_mb"] for r in v]) for k, v in runs.items() if v}
    raw_model = _median([r["rss_with_model_mb"] for r in runs["raw"]])
    small = runs["ours-small"][0]
    growth = rss["ours"] - small["peak_mb"]
    peers_mem = "".join(f"{label}: {rss[k]:.0f} MB; " for k, label in
                        (("argos", f"Argos ({full_name})"), ("argos-lt", f"Argos ({lt_name})"))
                        if k in rss)
    lines.append(
        f"| peak memory (each process's own), {n} articles | {rss['ours']:.0f} MB | "
        + peers_mem
        + f"raw CTranslate2: {rss['raw']:.0f} MB (of which Python + the loaded model: "
        f"{raw_model:.0f} MB) | {_versus(rss['ours'] - rss['raw'])} raw; loaded model + "
        f"{rss['ours'] - raw_model:.0f} MB | model + small, stated overhead | see below |")
    lines.append(
        f"| memory growth with corpus size | {small['documents']} articles: "
        f"{small['peak_mb']:.0f} MB; {n}: {rss['ours']:.0f} MB | — | "
        f"{growth:+.0f} MB for {n - small['documents']} more articles | flat | "
        f"{verdict(abs(growth) < 0.1 * rss['ours'])} |")
    lines.append(
        f"| memory control: an empty worker (`workers.py empty`, a bare Python process) | "
        f"{control['vm_hwm_mb']:.0f} MB (its VmHWM) | the same worker measured by `wait4` in the "
        f"small parent: {control['launcher_mb']:.0f} MB; started straight from the benchmark "
        f"process (the old method): {control['direct_wait4_mb']:.0f} MB, that process's own peak "
        f"then being {control['parent_peak_mb']:.0f} MB | — | a few tens of MB | "
        f"{_verdict(control['vm_hwm_mb'] < CONTROL_LIMIT_MB)} |")
    for kind, agreement in translation.get("agreement", {}).items():
        if agreement:
            same, total = agreement
            lines += ["", f"Same work on both sides: the project (glossary off) and Argos "
                          f"({lt_name if kind == 'argos-lt' else full_name}) produced the same "
                          f"translation for {same:,} of {total:,} paragraphs."]
    lines += ["", "### Every run (timed from the library imported to the last output written; "
                  "includes loading the model)", "",
              "| system | runs (s) | median | sentences to the model | peak memory (median, own) | "
              "other processes' load (cores) |",
              "|---|---|---|---|---|---|"]
    names = {"ours": f"this project, glossary {gl}", "ours-noglossary": "this project, glossary off",
             "argos": f"Argos Translate Python API, {full_name} in its own virtualenv (its default "
                      f"thread layout: inter 1, intra = threads)",
             "argos-lt": f"Argos Translate Python API, {lt_name} (this project's environment; the "
                         f"same thread layout)",
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
    for kind in PEERS:
        if kind not in runs:
            continue
        r = runs[kind][0]
        s = r["settings"]
        heavy = ", ".join(r.get("heavy_imported") or []) or "none of torch, stanza, spaCy"
        lines.append(f"Argos ({r.get('distribution', kind)}) as it ran: beam_size {s['beam_size']}, "
                     f"inter_threads {s['inter_threads']}, intra_threads {s['intra_threads']}, "
                     f"batch_size {s['batch_size']} (tokens, its default), compute_type "
                     f"{s['compute_type']}; imported {heavy}; import took {r['import_s']:.1f} s; "
                     f"sentences split by pysbd (patched in), translate_batch given "
                     f"max_decoding_length {args.max_decoding_length} (patched in).")
    s = runs["raw"][0]["settings"]
    lines.append("CTranslate2 settings of the project, used for the raw run too: "
                 + ", ".join(f"{k} {v}" for k, v in s.items()) + ".")
    lines.append(f"Cold one-article runs ({cold['article']}; s): "
                 + "; ".join(f"{k} {_fmt_runs([r['process_s'] for r in v], 2)}"
                             for k, v in c_runs.items())
                 + f". Each is a fresh process with the decoding bound ({args.max_decoding_length}) "
                 f"patched into CTranslate2 for both programs; Argos also gets the pysbd splitter; "
                 f"the project enforces the glossary and writes the document and its review catalog.")
    lines.append("Start-up runs (ms): " + "; ".join(f"{k} {_fmt_runs([x * 1000 for x in v], 0)}"
                                                    for k, v in times.items()) + ".")
    if "skipped" not in glossary:
        lines += ["", "Glossary matching, as benchmarks/glossary_match.py printed it:", "",
                  glossary["output"]]
    return "\n".join(lines) + "\n"


# ------------------------------------------------------------------------------------------
COMPUTE_TYPES = ["auto", "int8", "int8_float32", "int8_float16", "int8_bfloat16", "int16",
                 "float16", "bfloat16", "float32"]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    group = parser.add_mutually_exclusive_group()
    group.add_argument("--quick", action="store_true",
                       help="small model and corpus (about a minute)")
    group.add_argument("--smoke", action="store_true", help="tiny model; for the test suite")
    parser.add_argument("--repeat", type=int, help="repetitions of each translation run")
    parser.add_argument("--beam", type=int, default=4)
    parser.add_argument("--max-decoding-length", type=int, default=48)
    parser.add_argument("--threads", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--device", choices=["cpu", "cuda"], default="cpu",
                        help="where every system runs the model (default: cpu)")
    parser.add_argument("--compute-type", choices=COMPUTE_TYPES, default="auto",
                        help="CTranslate2 compute type for every system (on a GPU: float16, "
                             "int8_float16, ...; default: auto, the model's int8 on the CPU)")
    parser.add_argument("--glossary", choices=["auto", "on", "off"], default="auto",
                        help="auto: on when the pipeline enforces a glossary")
    parser.add_argument("--argos", choices=["both", "full", "lt", "none"],
                        help="which Argos Translate peers run: the argostranslate distribution in "
                             "its own virtualenv (full), argos-translate-lt from this environment "
                             "(lt), both (default; --smoke: lt) or none")
    parser.add_argument("--no-argos", action="store_true",
                        help="skip every Argos Translate run (the same as --argos none)")
    parser.add_argument("--argos-requirement", default=build.ARGOS_REQUIREMENT,
                        help="what the peer's virtualenv installs (default: %(default)s)")
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
    if args.no_argos:
        args.argos = "none"
    args.argos = args.argos or size.argos
    args.peers = {"both": ["full", "lt"], "full": ["full"], "lt": ["lt"], "none": []}[args.argos]
    machine = {"cores": os.cpu_count(), "cpu": _cpu_model(), "load_before": _load(),
               "started": time.time()}
    if args.device == "cuda":
        import ctranslate2

        if ctranslate2.get_cuda_device_count() < 1:
            raise SystemExit("--device cuda: CTranslate2 sees no CUDA device here")
        machine["gpu"] = _gpu_name()
    cache = args.cache
    cache.mkdir(parents=True, exist_ok=True)
    model = build.build_model(build.MODELS[size.name], cache)
    corpus = build.build_corpus(build.CORPORA[size.name], cache)
    peer = build.argos_env(cache, args.argos_requirement) if "full" in args.peers else None
    home = cache / f"home-{model.spec.key()}"
    home.mkdir(exist_ok=True)
    scratch = Path(tempfile.mkdtemp(prefix=f"run-{size.name}-", dir=cache))
    try:
        log(f"{size.label}; {len(corpus.files)} documents, {args.threads} threads, beam {args.beam}, "
            f"{args.device} ({args.compute_type}); Argos: {args.argos}")
        before, t0 = _process_ticks(), time.perf_counter()
        translation = measure_translation(model, corpus, size, args, home, scratch, peer)
        machine["others"] = _others(before, time.perf_counter() - t0)
        timed = [r for runs in translation["runs"].values() for r in runs]
        machine["others_cores"] = (sum(r["others_cores"] * r["process_s"] for r in timed)
                                   / sum(r["process_s"] for r in timed))
        log("one article, cold")
        cold = measure_cold(size, args, corpus.files, scratch, translation, peer)
        log("start-up")
        startup = measure_startup(size, home, args, peer)
        log("memory control")
        control = measure_control(translation["env"], scratch)
        log("glossary matching")
        glossary = measure_glossary(size)
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    machine["load_after"] = _load()
    text = report(size, model, corpus, args, translation, cold, startup, glossary, control,
                  machine, peer)
    print(text)
    default = (HERE / "RESULTS.md" if size.name == "full" and args.device == "cpu"
               else cache / f"RESULTS-{size.name}{'' if args.device == 'cpu' else '-' + args.device}.md")
    results = args.results or default
    results.write_text(text, encoding="utf-8")
    log(f"written to {results}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
