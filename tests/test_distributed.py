"""Translating on Ray: a two-node test cluster on this machine gives the files a local run gives,
and an actor killed in the middle of a run costs a retry, not a sentence."""
from __future__ import annotations

import os
import signal
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from helpers import SEEDS, TEST_GLOSSARY, output_files

from glossary.storage import load
from translator import pipeline
from translator.chunks import Chunking
from translator.cli import main
from translator.engine import DecodeOptions

ray = pytest.importorskip("ray")

CATALOG = """msgid ""
msgstr ""
"Content-Type: text/plain; charset=UTF-8\\n"

#: app.py:3
msgid "The forum opened in Mexico City."
msgstr ""

#: app.py:9
msgid "One file"
msgid_plural "%d files"
msgstr[0] ""
msgstr[1] ""
"""


@pytest.fixture(scope="module")
def cluster() -> Iterator[Any]:
    """Ray's own multi-node test cluster: a head and a second node, one CPU each, started once."""
    from ray.cluster_utils import Cluster

    if ray.is_initialized():
        ray.shutdown()
    test_cluster = Cluster(initialize_head=True, head_node_args={"num_cpus": 1, "include_dashboard": False})
    test_cluster.add_node(num_cpus=1)
    ray.init(address=test_cluster.address, log_to_driver=False)
    yield test_cluster
    ray.shutdown()
    test_cluster.shutdown()


def _inputs(tmp_path: Path) -> list[Path]:
    catalog = tmp_path / "app.pot"
    catalog.write_text(CATALOG, encoding="utf-8")
    return [*sorted(SEEDS.glob("*.txt")), catalog]


def _run(out: Path, inputs: list[Path], executor: Any = None,
         chunking: Chunking = Chunking()) -> pipeline.RunResult:
    sources = [pipeline.Input(str(p)) for p in inputs]
    return pipeline.translate_sources(sources, ["es", "zh"], source_lang="en", out_dir=out,
                                      termbase=load(TEST_GLOSSARY), executor=executor,
                                      options=DecodeOptions(threads=1), chunking=chunking)


def test_a_two_node_cluster_writes_the_files_a_local_run_writes(with_models, cluster, tmp_path):
    from translator.distributed import RayExecutor

    inputs = _inputs(tmp_path)
    local = _run(tmp_path / "local", inputs)
    executor = RayExecutor(termbase=load(TEST_GLOSSARY), chunk=8)
    # In chunks of two sources: one actor pool per language pair, kept across its chunks.
    distributed = _run(tmp_path / "ray", inputs, executor, Chunking(documents=2))

    assert output_files(tmp_path / "ray") == output_files(tmp_path / "local")
    assert len(output_files(tmp_path / "local")) == 10  # 2 languages x (2 seeds x 2 files + 1 catalog)
    from translator.report import build_report

    local_report, ray_report = build_report(local), build_report(distributed)
    assert local_report["totals"] == ray_report["totals"]
    nodes = {actor["node"] for actor in ray_report["actors"]}
    assert len(nodes) == 2  # both nodes of the cluster translated
    assert sum(a["sentences"] for a in ray_report["actors"]) == sum(p.translated for p in distributed.pairs)


def test_an_archive_on_a_two_node_cluster_gives_a_local_runs_files_and_counts(cluster, tmp_path, monkeypatch):
    """benchmarks/ray_identity.py on 20 articles (it runs 200): subfolders, chunks of 64."""
    monkeypatch.syspath_prepend(str(Path(__file__).resolve().parents[1] / "benchmarks"))
    import ray_identity as identity

    outcome = identity.compare(identity.archive(tmp_path, 20, tmp_path / "cache"), tmp_path)

    assert outcome.failures == []
    assert outcome.files == 2 * (20 * 2 + 1)  # 2 languages x (20 articles x 2 files + 1 catalog)


def test_an_actor_killed_mid_run_costs_a_retry_not_a_sentence(with_models, cluster, tmp_path):
    from translator.distributed import RayExecutor

    inputs = _inputs(tmp_path)
    _run(tmp_path / "local", inputs)
    killed: list[int] = []

    def kill_once(stats: dict[str, Any], pool: list[Any]) -> None:
        if not killed:
            pid = ray.get(pool[-1].pid.remote())
            os.kill(pid, signal.SIGKILL)  # a crash, not a polite stop
            killed.append(pid)

    executor = RayExecutor(termbase=load(TEST_GLOSSARY), chunk=4, after_chunk=kill_once)
    _run(tmp_path / "ray", inputs, executor)

    assert killed
    assert output_files(tmp_path / "ray") == output_files(tmp_path / "local")
    assert killed[0] not in {row["pid"] for row in executor.workers[-3:]}  # the dead one was replaced


def test_the_command_line_translates_a_folder_on_a_local_ray_instance(with_models, tmp_path):
    """`--ray` with no address starts a local instance (in its own process: this one may hold
    the test cluster)."""
    folder = tmp_path / "articles"
    folder.mkdir()
    (folder / "a.txt").write_text("The forum opened in Mexico City.\n", encoding="utf-8")
    (folder / "nested").mkdir()
    (folder / "nested" / "b.md").write_text("# Title\n\nTrade grew fast.\n", encoding="utf-8")
    (folder / "notes.bin").write_bytes(b"\0not a document")
    out = tmp_path / "out"
    done = subprocess.run(
        [sys.executable, "-m", "translator", "translate", str(folder), "--to", "es", "--no-glossary",
         "--from", "en", "--out", str(out), "--ray", "--quiet"],
        capture_output=True, text=True, env={**os.environ}, timeout=300)
    assert done.returncode == 0, done.stderr[-2000:]
    assert (out / "es" / "a.txt").read_text(encoding="utf-8") == "The forum opened in Mexico City.\n"
    assert (out / "es" / "nested" / "b.md").read_text(encoding="utf-8") == "# Title\n\nTrade grew fast.\n"
    assert (out / "es" / "nested" / "b.po").is_file()  # the folder tree is kept, catalogs beside


def test_without_ray_the_option_says_how_to_install_it(with_models, tmp_path, monkeypatch):
    monkeypatch.setitem(sys.modules, "ray", None)  # import ray -> ImportError
    doc = tmp_path / "a.txt"
    doc.write_text("One sentence.\n", encoding="utf-8")
    result = CliRunner().invoke(main, ["translate", str(doc), "--to", "es", "--ray", "--out", str(tmp_path / "o")])
    assert result.exit_code == 1
    assert result.stderr == ("translator: error: --ray needs Ray, an optional dependency: "
                             "pip install 'translator[ray]' (or .venv/bin/pip install ray)\n")
    assert not (tmp_path / "o").exists()
