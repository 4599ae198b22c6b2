"""How big a batch fills a GPU: the project's engine over the benchmark corpus at several budgets.

    python3 benchmarks/gpu_batches.py --compute-type float16 [--cache DIR] [--out FILE.json]
    python3 benchmarks/gpu_batches.py --prepare .gpucache   # here: what the GPU machine needs
    python3 benchmarks/gpu_batches.py --check --cache DIR   # there: a GPU, and the same model

The batch budgets of `translator.engine.DecodeOptions` (`max_batch_tokens`,
`max_batch_hypotheses`) were chosen for CPU cores; a GPU runs one batch at a time and wants more.
For each pair of budgets below, one engine is loaded (not timed), warmed up on 64 sentences, then
every distinct sentence of the full benchmark corpus is translated once with the benchmark's
fixed 48-token bound, and the wall time is printed as one JSON line. The `gpu_batch_*` defaults
of `DecodeOptions` come from this sweep (README "GPU"). Needs a CUDA device; run it through
benchmarks/gpu.sh on a GPU machine.
"""
from __future__ import annotations

import argparse
import hashlib
import json
import shutil
import sys
import tempfile
import time
import zipfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent))

import build  # noqa: E402  (benchmarks/build.py)

BUDGETS = [(2048, 128), (2048, 1024), (4096, 1024), (4096, 2048), (8192, 2048), (8192, 4096),
           (16384, 4096)]


def distinct_sentences(files: list[Path]) -> list[str]:
    """Every distinct sentence of the corpus, split as the pipeline splits paragraphs."""
    from translator.segment import split_sentences

    seen: dict[str, None] = {}
    for path in files:
        for paragraph in path.read_text(encoding="utf-8").split("\n\n"):
            for start, end in split_sentences(paragraph):
                seen.setdefault(paragraph[start:end])
    return list(seen)


def model_md5(archive: Path) -> str:
    with zipfile.ZipFile(archive) as zipped:
        name = next(n for n in zipped.namelist() if n.endswith("/model/model.bin"))
        return hashlib.md5(zipped.read(name)).hexdigest()


def prepare(folder: Path) -> None:
    """Copy what a machine without the registries needs to rebuild the same model and corpus.

    The tokenizer is trained on text read from the installed packages, so another machine would
    train a different one; given this one (`build.build_model` reuses a cached tokenizer), the
    random weights come from a fixed seed and the model is the same, byte for byte.
    """
    spec = build.MODELS["full"]
    model = build.build_model(spec)
    corpus = build.build_corpus(build.CORPORA["full"])
    folder.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(model.archive) as zipped:
        name = next(n for n in zipped.namelist() if n.endswith("/sentencepiece.model"))
        (folder / f"sentencepiece-{spec.key()}.model").write_bytes(zipped.read(name))
    shutil.copytree(corpus.folder, folder / corpus.folder.name, dirs_exist_ok=True)
    print(f"model.bin md5 here: {model_md5(model.archive)}")


def check(cache: Path) -> None:
    """Fail early, before minutes go to benchmarks, when CTranslate2 sees no GPU."""
    import ctranslate2

    count = ctranslate2.get_cuda_device_count()
    print(f"ctranslate2 {ctranslate2.__version__}: {count} CUDA device(s)")
    if not count:
        raise SystemExit("no CUDA device visible to CTranslate2")
    print("compute types on cuda:", sorted(ctranslate2.get_supported_compute_types("cuda")))
    model = build.build_model(build.MODELS["full"], cache)
    print(f"model.bin md5 there: {model_md5(model.archive)}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--compute-type", default="float16")
    parser.add_argument("--cache", type=Path, default=build.CACHE)
    parser.add_argument("--out", type=Path)
    parser.add_argument("--prepare", type=Path, metavar="FOLDER")
    parser.add_argument("--check", action="store_true")
    args = parser.parse_args()
    if args.prepare:
        return prepare(args.prepare)
    if args.check:
        return check(args.cache)

    from translator.engine import CTranslate2Translator, DecodeOptions
    from translator.packages import load_package

    model = build.build_model(build.MODELS["full"], args.cache)
    corpus = build.build_corpus(build.CORPORA["full"], args.cache)
    unpacked = Path(tempfile.mkdtemp(prefix="gpu-batches-"))
    with zipfile.ZipFile(model.archive) as archive:
        archive.extractall(unpacked)
    package = load_package(next(p for p in unpacked.iterdir() if p.is_dir()))
    sentences = distinct_sentences(corpus.files)
    print(f"{len(sentences):,} distinct sentences, compute type {args.compute_type}", flush=True)
    rows = []
    for tokens, hypotheses in BUDGETS:
        options = DecodeOptions(beam_size=4, max_decoding_length=48, relative_bound=False,
                                device="cuda", compute_type=args.compute_type,
                                gpu_batch_tokens=tokens, gpu_batch_hypotheses=hypotheses)
        engine = CTranslate2Translator(package, options)
        engine.translate(sentences[:64])  # CUDA kernels and allocator warmed up
        started = time.perf_counter()
        engine.translate(sentences)
        seconds = time.perf_counter() - started
        row = {"gpu_batch_tokens": tokens, "gpu_batch_hypotheses": hypotheses,
               "seconds": round(seconds, 2), "sentences_per_s": round(len(sentences) / seconds, 1)}
        rows.append(row)
        print(json.dumps(row), flush=True)
        del engine
    if args.out:
        args.out.write_text(json.dumps(rows, indent=1) + "\n")


if __name__ == "__main__":
    main()
