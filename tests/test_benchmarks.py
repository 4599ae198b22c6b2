"""The speed benchmark still runs end to end and prints its table (speed is never asserted here).

`--smoke` builds a tiny random-weight Argos package and four articles in a temporary cache, then
goes through every measurement of `benchmarks/run.py` (the project, Argos Translate's Python API
with its two patches, raw CTranslate2, start-up, glossary matching, memory) in about 20 seconds.
"""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

RUN = Path(__file__).resolve().parent.parent / "benchmarks" / "run.py"


def test_smoke_benchmark_prints_and_writes_its_table(tmp_path: Path) -> None:
    results = tmp_path / "RESULTS.md"
    done = subprocess.run(
        [sys.executable, str(RUN), "--smoke", "--cache", str(tmp_path / "cache"),
         "--results", str(results)],
        capture_output=True, text=True, timeout=600,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    table = done.stdout
    assert "| measurement | this project | compared with | ratio | target | met |" in table
    for row in ("| translate 4 articles", "Argos Translate Python API", "raw CTranslate2",
                "| start-up: `translator --help`", "| glossary matching", "| peak memory (RSS)",
                "| memory growth with corpus size"):
        assert row in table, row
    assert "SMOKE" in table  # never mistaken for a real measurement
    assert results.read_text(encoding="utf-8") in table
