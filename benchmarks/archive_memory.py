"""The driver's own peak memory over an archive: does it stay bounded as the archive grows?

For each size asked for, a corpus of that many news articles (`build.build_corpus`, generated
from the seeds once and cached) is translated into Spanish by `translator translate FOLDER`
in a fresh process, with the bundled copy model (tests/fixtures/models: its time is small, so
what is measured is the driver: reading, planning, writing) and no glossary, language detected
per file as by default. Each row is that process's wall time, CPU time and peak memory (VmHWM,
read by the process itself). `--code` runs another checkout's translator (the same corpus), to
compare before and after a change.

    .venv/bin/python benchmarks/archive_memory.py --articles 200 2000
    .venv/bin/python benchmarks/archive_memory.py --articles 200 2000 --code /path/to/another/checkout
"""
from __future__ import annotations

import argparse
import os
import sys
import tempfile
import zipfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

ROOT = HERE.parent
MODEL = ROOT / "tests" / "fixtures" / "models" / "translate-en_es-copytest.argosmodel"


def main(argv: list[str] | None = None) -> int:
    import build
    from big_catalog import cost

    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--articles", type=int, nargs="+", default=[200, 2000])
    parser.add_argument("--code", type=Path, default=ROOT,
                        help="the checkout whose translator runs (default: this one)")
    args = parser.parse_args(argv)
    print(f"code: {args.code.resolve()}")
    print("| articles | sentences (generated) | wall | CPU | driver peak (VmHWM) |")
    print("|---|---|---|---|---|")
    for articles in args.articles:
        corpus = build.build_corpus(build.CorpusSpec(articles, 4, 14))
        with tempfile.TemporaryDirectory(prefix="archive-memory-") as tmp:
            work = Path(tmp)
            with zipfile.ZipFile(MODEL) as archive:
                archive.extractall(work / "packages")
            env = dict(os.environ, ARGOS_PACKAGES_DIR=str(work / "packages"),
                       XDG_CACHE_HOME=str(work / "cache"), PYTHONPATH=str(args.code.resolve()))
            wall, cpu, peak = cost(["translate", str(corpus.folder), "--to", "es", "--out",
                                    str(work / "out"), "--no-glossary", "-q"], env)
        print(f"| {articles:,} | {corpus.sentence_slots:,} | {wall:.1f} s | {cpu:.1f} s | {peak} MB |",
              flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
