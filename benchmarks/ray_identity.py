"""Ray identity: does an archive translated on a two-node Ray cluster give a local run's files?

The benchmark's 200-article corpus (`benchmarks/build.py`: news articles generated from the
seeds) is laid out as an archive in ten subfolders, with a gettext template beside it, and
translated into Spanish and Chinese twice with the bundled *copy* model and the tests' glossary:
in this process (one chunk), and on Ray's own two-node test cluster (`ray.cluster_utils.Cluster`,
both nodes on this machine, one CPU each) in chunks of 64 documents. Every output file must be
the same bytes (catalog dates aside) and the report's counts the same: totals, each file's row,
each language pair's segments and sentences sent to the model.

Prints one line (with each run's wall time), then what differed, and exits 1 when anything did;
without Ray installed it says so in one line and exits 0. `tests/test_distributed.py` runs it
on 20 articles.

    .venv/bin/python benchmarks/ray_identity.py [--articles 200]
"""
from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
import time
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from translator.pipeline import Input, RunResult

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
MODELS = ROOT / "tests" / "fixtures" / "models"
GLOSSARY = ROOT / "tests" / "data" / "glossary"
TARGETS = ("es", "zh")
# The archive site's own strings: a context, a python-format flag, a plural.
TEMPLATE = """msgid ""
msgstr ""
"Content-Type: text/plain; charset=UTF-8\\n"

#: site/menu.py:12
msgctxt "menu"
msgid "Archive"
msgstr ""

#: site/search.py:40
#, python-format
msgid "Search %(count)d articles from the Xinhua archive."
msgstr ""

#: site/list.py:7
msgid "One article"
msgid_plural "%d articles"
msgstr[0] ""
msgstr[1] ""
"""


@dataclass
class Outcome:
    articles: int = 0
    files: int = 0  # output files compared
    local_s: float = 0.0
    ray_s: float = 0.0
    failures: list[str] = field(default_factory=list)

    def summary(self) -> str:
        verdict = "byte-identical (catalog dates aside)" if not self.failures else "compared"
        return (f"ray identity: {self.articles} articles in 10 subfolders + 1 template into "
                f"{' and '.join(TARGETS)}: {self.files} output files {verdict}, report counts "
                f"{'identical' if not self.failures else 'compared'}; local {self.local_s:.1f} s, "
                f"two-node Ray cluster in chunks of 64 {self.ray_s:.1f} s; {len(self.failures)} failures")


def archive(root: Path, articles: int, cache: Path | None = None) -> list[Input]:
    """The corpus as an archive: article n in folder n % 10, a template at the top (the corpus
    is generated once into `cache`, by default the benchmarks' own)."""
    sys.path.insert(0, str(HERE))
    import build

    from translator.sources import expand_inputs

    spec = build.CorpusSpec(articles, 4, 14)
    corpus = build.build_corpus(spec) if cache is None else build.build_corpus(spec, cache)
    folder = root / "archive"
    for n, path in enumerate(corpus.files):
        target = folder / f"{n % 10:02d}" / path.name
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(path, target)
    (folder / "app.pot").write_text(TEMPLATE, encoding="utf-8")
    return expand_inputs([str(folder)], root / "out")


def _translate(items: list[Input], out: Path, packages: Path, **kwargs: Any) -> RunResult:
    from glossary.storage import load
    from translator import pipeline
    from translator.packages import installed_packages

    return pipeline.translate_sources(items, list(TARGETS), out_dir=out, termbase=load(GLOSSARY),
                                      packages=installed_packages(packages), placeholder="[{n}]",
                                      keep_units=False, **kwargs)


def _counts(result: RunResult) -> dict[str, Any]:
    from translator.report import build_report

    report = build_report(result)
    return {"totals": report["totals"],
            "files": [{k: v for k, v in row.items() if k != "output"} for row in report["files"]],
            "pairs": [(p["source_lang"], p["target_lang"], p["segments"], p["sent_to_model"])
                      for p in report["pairs"]]}


def compare(items: list[Input], work: Path) -> Outcome:
    """Translate `items` locally and on the Ray instance this process is connected to."""
    sys.path.insert(0, str(ROOT / "tests"))
    from helpers import output_files

    from glossary.storage import load
    from translator.chunks import Chunking
    from translator.distributed import RayExecutor
    from translator.engine import DecodeOptions

    packages = work / "packages"
    for path in sorted(MODELS.glob("translate-en_*-copytest.argosmodel")):
        with zipfile.ZipFile(path) as zipped:
            zipped.extractall(packages)
    outcome = Outcome(articles=sum(1 for item in items if not item.name.endswith(".pot")))
    started = time.perf_counter()
    local = _translate(items, work / "local", packages)
    outcome.local_s = time.perf_counter() - started
    executor = RayExecutor(termbase=load(GLOSSARY), placeholder="[{n}]", options=DecodeOptions(threads=1))
    started = time.perf_counter()
    try:
        distributed = _translate(items, work / "ray", packages, executor=executor,
                                 chunking=Chunking(documents=64))
    finally:
        executor.close()
    outcome.ray_s = time.perf_counter() - started

    mine, theirs = output_files(work / "local"), output_files(work / "ray")
    outcome.files = len(mine)
    outcome.failures += [f"{name}: differs" for name in sorted(mine) if theirs.get(name) != mine[name]]
    outcome.failures += [f"{name}: only in the Ray run" for name in sorted(set(theirs) - set(mine))]
    counted = _counts(distributed)
    outcome.failures += [f"report {part}: {counted[part]!r:.200} != {value!r:.200}"
                         for part, value in _counts(local).items() if counted[part] != value]
    outcome.failures += [f"failure in a run: {failure}" for failure in [*local.failures, *distributed.failures]]
    return outcome


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--articles", type=int, default=200)
    args = parser.parse_args(argv)
    try:
        import ray
        from ray.cluster_utils import Cluster
    except ImportError:
        print("ray identity: skipped, Ray is not installed (pip install '.[ray]')")
        return 0
    with tempfile.TemporaryDirectory(prefix="ray-identity-") as tmp:
        work = Path(tmp)
        items = archive(work, args.articles)
        cluster = Cluster(initialize_head=True, head_node_args={"num_cpus": 1, "include_dashboard": False})
        cluster.add_node(num_cpus=1)
        ray.init(address=cluster.address, log_to_driver=False)
        try:
            outcome = compare(items, work)
        finally:
            ray.shutdown()
            cluster.shutdown()
    print(outcome.summary())
    for failure in outcome.failures[:20]:
        print(f"  {failure}")
    return 0 if not outcome.failures else 1


if __name__ == "__main__":
    sys.exit(main())
