"""The speed benchmark still runs end to end and prints its table (speed is never asserted here).

`--smoke` builds a tiny random-weight Argos package and four articles in a temporary cache, then
goes through every measurement of `benchmarks/run.py` (the project, Argos Translate's Python API
with its two patches from argos-translate-lt, raw CTranslate2, one article cold through both
command lines, start-up, glossary matching, memory with its control row) in a few seconds. The
peer's own virtualenv (the `argostranslate` distribution with torch) is not built here: it takes
a minute and 1.4 GB; `--quick` and the full run make it.
"""
from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

BENCHMARKS = Path(__file__).resolve().parent.parent / "benchmarks"
RUN = BENCHMARKS / "run.py"


@pytest.fixture(scope="module")
def smoke(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    """One `--smoke` run in a temporary cache: (its folder, what it printed)."""
    tmp = tmp_path_factory.mktemp("smoke")
    done = subprocess.run(
        [sys.executable, str(RUN), "--smoke", "--cache", str(tmp / "cache"),
         "--results", str(tmp / "RESULTS.md")],
        capture_output=True, text=True, timeout=600,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    return tmp, done.stdout


def test_smoke_benchmark_prints_and_writes_its_table(smoke: tuple[Path, str]) -> None:
    tmp, table = smoke
    assert "| measurement | this project | compared with | ratio | target | met |" in table
    for row in ("| translate 4 articles", "against argos-translate-lt", "raw CTranslate2",
                "| one article, cold: `translator translate FILE --to es`",
                "| start-up: `translator --help`", "| glossary matching",
                "| peak memory (each process's own)", "| memory growth with corpus size",
                "| memory control: an empty worker"):
        assert row in table, row
    assert "SMOKE" in table  # never mistaken for a real measurement
    assert (tmp / "RESULTS.md").read_text(encoding="utf-8") in table
    assert not list((tmp / "cache").glob("argos-env-*"))  # no torch virtualenv in the suite


def test_smoke_memory_is_each_process_own(smoke: tuple[Path, str]) -> None:
    """The control row: a bare worker reports a few tens of MB however big the benchmark is."""
    row = next(line for line in smoke[1].splitlines() if line.startswith("| memory control"))
    own = int(re.search(r"\| (\d+) MB \(its VmHWM\)", row).group(1))
    launcher = int(re.search(r"small parent: (\d+) MB", row).group(1))
    assert 5 <= own < 60 and 5 <= launcher < 60, row
    assert row.rstrip().endswith("| yes |")


def test_launcher_reports_the_child_not_the_parent(tmp_path: Path) -> None:
    """A parent holding 200 MB: wait4 on its own child reports at least that; launch.py does not."""
    probe = f"""
import json, os, subprocess, sys
ballast = bytearray(200 * 2**20)
for i in range(0, len(ballast), 4096):
    ballast[i] = 1
cmd = [sys.executable, "-c", "pass"]
child = subprocess.Popen(cmd)
_, _, usage = os.wait4(child.pid, 0)
subprocess.run([sys.executable, "-S", {str(BENCHMARKS / "launch.py")!r}, sys.argv[1], *cmd], check=True)
print(usage.ru_maxrss / 1024, json.load(open(sys.argv[1]))["peak_rss_mb"])
"""
    out = subprocess.run([sys.executable, "-c", probe, str(tmp_path / "launch.json")],
                         capture_output=True, text=True, check=True).stdout.split()
    direct, launched = float(out[0]), float(out[1])
    assert direct >= 200  # the floor the old method measured
    assert launched < 60
