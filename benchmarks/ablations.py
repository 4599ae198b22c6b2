"""What each engine choice buys, measured on raw CTranslate2 with the benchmark model.

    .venv/bin/python benchmarks/ablations.py [--docs 16] [--repeat 2] [--quick] [VARIANT ...]

The same sentences (the first --docs articles of the benchmark corpus, split by the project's
splitter) go through CTranslate2 in different ways, each variant in a fresh process, the
repetitions interleaved; the table gives the median time and the speed-up over the first
variant, which calls the model the way Argos Translate does (one `translate_batch` per
paragraph, its default 32-token batches). Beam, decoding bound and thread count are the same
everywhere unless a variant says otherwise.
"""
from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent))

VARIANTS = {
    "argos-style": {"mode": "paragraph", "batch": 32, "inter": 1},
    "sorted-2048": {"mode": "sorted", "batch": 2048, "inter": 1},
    "sorted-1024": {"mode": "sorted", "batch": 1024, "inter": 1},
    "sorted-4096": {"mode": "sorted", "batch": 4096, "inter": 1},
    "sorted-2048-inter2": {"mode": "sorted", "batch": 2048, "inter": 2},
    "sorted-1024-inter2": {"mode": "sorted", "batch": 1024, "inter": 2},
    "sorted-512-inter2": {"mode": "sorted", "batch": 512, "inter": 2},
    "sorted-256-inter2": {"mode": "sorted", "batch": 256, "inter": 2},
    "argos-style-inter2": {"mode": "paragraph", "batch": 32, "inter": 2},
    "sorted-1024-inter2-avx512": {"mode": "sorted", "batch": 1024, "inter": 2,
                                  "env": {"CT2_FORCE_CPU_ISA": "AVX512"}},
    "argos-style-avx512": {"mode": "paragraph", "batch": 32, "inter": 1,
                           "env": {"CT2_FORCE_CPU_ISA": "AVX512"}},
    "engine": {"mode": "engine"},
    "engine-1024": {"mode": "engine", "max_batch_tokens": 1024},
    "engine-mmap": {"mode": "engine", "env": {"MALLOC_MMAP_THRESHOLD_": "131072"}},
    "engine-arena": {"mode": "engine", "env": {"MALLOC_ARENA_MAX": "1"}},
    "engine-4096": {"mode": "engine", "max_batch_tokens": 4096},
    "greedy-engine": {"mode": "engine", "beam": 1},
}


def worker(variant: dict, data: dict) -> float:
    import ctranslate2
    import sentencepiece

    package = Path(data["package"])
    sp = sentencepiece.SentencePieceProcessor(model_file=str(package / "sentencepiece.model"))
    paragraphs = [[sp.encode(s, out_type=str) for s in p] for p in data["paragraphs"]]
    threads, beam = data["threads"], variant.get("beam", data["beam"])
    common = dict(beam_size=beam, max_decoding_length=data["max_decoding_length"],
                  length_penalty=0.2, replace_unknowns=True)
    if variant["mode"] == "engine":  # the project's engine, whatever it does now
        from translator.engine import CTranslate2Translator, DecodeOptions
        from translator.packages import load_package

        options = DecodeOptions(beam_size=beam, threads=threads, relative_bound=False,
                                max_decoding_length=data["max_decoding_length"],
                                max_batch_tokens=variant.get("max_batch_tokens", 2048))
        sentences = [s for p in data["paragraphs"] for s in p]
        started = time.perf_counter()
        CTranslate2Translator(load_package(package), options).translate(sentences)
        return time.perf_counter() - started
    inter = variant["inter"]
    started = time.perf_counter()
    model = ctranslate2.Translator(str(package / "model"), device="cpu", compute_type="auto",
                                   inter_threads=inter, intra_threads=max(1, threads // inter))
    if variant["mode"] == "paragraph":
        for tokens in paragraphs:
            model.translate_batch(tokens, max_batch_size=variant["batch"], batch_type="tokens",
                                  return_scores=True, **common)
    else:
        flat = sorted((t for p in paragraphs for t in p), key=len)
        for _ in model.translate_iterable(iter(flat), max_batch_size=variant["batch"],
                                          batch_type="tokens", **common):
            pass
    return time.perf_counter() - started


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("variants", nargs="*", default=["argos-style", "sorted-2048",
                                                        "sorted-2048-inter2", "engine"])
    parser.add_argument("--docs", type=int, default=16)
    parser.add_argument("--repeat", type=int, default=2)
    parser.add_argument("--quick", action="store_true", help="the quick model")
    parser.add_argument("--threads", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--beam", type=int, default=4)
    parser.add_argument("--max-decoding-length", type=int, default=48)
    parser.add_argument("--worker", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.worker:
        variant, data = json.loads(Path(args.worker).read_text())
        seconds = worker(variant, data)
        # The process's own peak (VmHWM), not ru_maxrss: on Linux that starts from the parent's.
        status = Path("/proc/self/status").read_text()
        peak = int(status.split("VmHWM:", 1)[1].split()[0]) / 1024
        print(json.dumps([seconds, peak]))
        return 0

    import zipfile

    import build

    from translator.segment import split_sentences

    size = "quick" if args.quick else "full"
    model = build.build_model(build.MODELS[size])
    corpus = build.build_corpus(build.CORPORA[size])
    unpacked = model.archive.parent / "unpacked"
    if not unpacked.exists():
        with zipfile.ZipFile(model.archive) as zf:
            zf.extractall(unpacked)
    paragraphs = []
    for path in corpus.files[: args.docs]:
        for block in path.read_text(encoding="utf-8").split("\n"):
            if block.strip():
                paragraphs.append([block[a:b] for a, b in split_sentences(block)])
    count = sum(map(len, paragraphs))
    data = {"package": str(unpacked / "translate-en_es-bench"), "paragraphs": paragraphs,
            "threads": args.threads, "beam": args.beam,
            "max_decoding_length": args.max_decoding_length}
    times: dict[str, list[float]] = {v: [] for v in args.variants}
    peaks: dict[str, list[float]] = {v: [] for v in args.variants}
    with tempfile.TemporaryDirectory() as tmp:
        for rep in range(args.repeat):
            for name in args.variants:
                job = Path(tmp) / "job.json"
                job.write_text(json.dumps([VARIANTS[name], data]))
                out = subprocess.run([sys.executable, __file__, "--worker", str(job)],
                                     capture_output=True, text=True, check=True,
                                     env={**os.environ, **VARIANTS[name].get("env", {})})
                seconds, peak = json.loads(out.stdout.strip().splitlines()[-1])
                times[name].append(seconds)
                peaks[name].append(peak)
                print(f"[ablation] rep {rep + 1} {name}: {times[name][-1]:.1f} s "
                      f"(load {os.getloadavg()[0]:.2f})", file=sys.stderr, flush=True)
    base = statistics.median(times[args.variants[0]])
    print(f"{count} sentences from {args.docs} articles, {size} model, beam {args.beam}, "
          f"max_decoding_length {args.max_decoding_length}, {args.threads} threads, "
          f"median of {args.repeat}")
    print("| variant | runs (s) | median | sentences/s | speed-up | peak RSS |")
    print("|---|---|---|---|---|---|")
    for name, values in times.items():
        med = statistics.median(values)
        print(f"| {name} | {', '.join(f'{v:.1f}' for v in values)} | {med:.1f} s | "
              f"{count / med:.1f} | {base / med:.2f}x | {statistics.median(peaks[name]):.0f} MB |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
