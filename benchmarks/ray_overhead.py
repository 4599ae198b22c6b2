"""What `--ray` costs on one machine, and what stays serial on the driver.

Translates the benchmark corpus with the benchmark model twice in fresh processes: locally (the
engine with `--threads` threads) and through Ray (a local instance, `--actors` single-threaded
actors), same decoding (beam, fixed bound), no glossary. Reports each run's wall time, the Ray
run's overhead against the local one, the driver's own serial time (detect, plan, write: the
part that does not spread over nodes) per sentence, and the actors' throughput, from which the
README's scaling model follows: with N nodes of throughput T sentences/s each, the driver (serial
cost d s/sentence) becomes the bottleneck when N * T > 1 / d.

    .venv/bin/python benchmarks/ray_overhead.py [--full] [--repeat 3]
"""
from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

_WORKER = r"""
import json, os, sys, time
from pathlib import Path
started = time.perf_counter()
from translator import pipeline
from translator.engine import DecodeOptions
args = json.loads(sys.argv[1])
os.environ["ARGOS_PACKAGES_DIR"] = args["packages"]
options = DecodeOptions(beam_size=args["beam"], threads=args["threads"], relative_bound=False,
                        max_decoding_length=args["bound"])
sources = [pipeline.read_source(Path(p)) for p in args["files"]]
executor = None
ray_start = 0.0
if args["ray"]:
    import ray
    from translator.distributed import RayExecutor
    t0 = time.perf_counter()
    ray.init(num_cpus=args["actors"], include_dashboard=False, log_to_driver=False)
    ray_start = time.perf_counter() - t0
    executor = RayExecutor(options=options, actors=args["actors"], placeholder="[{n}]")
t0 = time.perf_counter()
result = pipeline.translate_sources(sources, ["es"], source_lang="en", out_dir=Path(args["out"]),
                                    options=options, executor=executor, placeholder="[{n}]")
wall = time.perf_counter() - t0
busy = sum(row["seconds"] for row in result.workers)
print("RESULT " + json.dumps({
    "wall_s": wall, "ray_start_s": ray_start, "timings": result.timings,
    "sentences": sum(p.translated for p in result.pairs), "segments": result.segments,
    "actor_busy_s": busy, "actors": len({(r["node"], r["pid"]) for r in result.workers})}))
"""


def _run(spec: dict) -> dict:
    done = subprocess.run([sys.executable, "-c", _WORKER, json.dumps(spec)], capture_output=True,
                          text=True, cwd=HERE.parent)
    line = next((row for row in done.stdout.splitlines() if row.startswith("RESULT ")), None)
    if done.returncode != 0 or line is None:
        raise SystemExit(f"run failed:\n{done.stderr[-3000:]}")
    return json.loads(line[len("RESULT "):])


def main() -> None:
    import build

    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--full", action="store_true", help="transformer-base and 200 articles")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--actors", type=int, default=2)
    parser.add_argument("--beam", type=int, default=4)
    parser.add_argument("--bound", type=int, default=48)
    args = parser.parse_args()
    size = "full" if args.full else "quick"
    model = build.build_model(build.MODELS[size])
    corpus = build.build_corpus(build.CORPORA[size])
    packages = Path(tempfile.mkdtemp(prefix="ray-bench-packages-"))
    with zipfile.ZipFile(model.archive) as archive:
        archive.extractall(packages)
    common = {"packages": str(packages), "files": [str(f) for f in corpus.files], "beam": args.beam,
              "bound": args.bound}
    runs: dict[str, list[dict]] = {"local": [], "ray": []}
    for _ in range(args.repeat):  # interleaved, so a busy minute hurts both
        for kind in ("local", "ray"):
            out = tempfile.mkdtemp(prefix=f"ray-bench-{kind}-")
            runs[kind].append(_run({**common, "out": out, "ray": kind == "ray", "actors": args.actors,
                                    "threads": args.actors if kind == "local" else 1}))
    local = statistics.median(r["wall_s"] for r in runs["local"])
    ray = statistics.median(r["wall_s"] for r in runs["ray"])
    sample = runs["ray"][len(runs["ray"]) // 2]
    serial = sum(sample["timings"].get(k, 0.0) for k in ("detect", "catalogs", "write"))
    sentences = sample["sentences"]
    throughput = sentences / max(sample["actor_busy_s"], 1e-9)  # one actor's: busy time summed over all
    print(f"model {model.spec.label}; corpus {len(corpus.files)} articles, {sentences} sentences to the "
          f"model; beam {args.beam}, bound {args.bound}; {args.repeat} runs each, medians")
    print("| run | wall time | against local |")
    print("|---|---|---|")
    print(f"| local engine, {args.actors} threads | {local:.1f} s | — |")
    start = sample["ray_start_s"]
    print(f"| Ray, {args.actors} single-threaded actors (local instance; start {start:.1f} s not counted) "
          f"| {ray:.1f} s | {100 * (ray - local) / local:+.1f}% |")
    print(f"driver serial time (detect + plan + write): {serial:.2f} s = {1000 * serial / max(1, sentences):.2f} ms "
          f"per sentence; one actor translates {throughput:.1f} sentences/s")
    print(f"scaling: the driver keeps up with about {1 / max(serial / max(1, sentences), 1e-9) / throughput:.0f} "
          "actors of this speed")


if __name__ == "__main__":
    main()
