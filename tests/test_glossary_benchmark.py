"""The matching benchmark still runs (on a tiny size: speed is measured there, never asserted)."""
from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest

SCRIPT = Path(__file__).resolve().parent.parent / "benchmarks" / "glossary_match.py"


def test_benchmark_script_runs_and_prints_its_table_row(capsys: pytest.CaptureFixture[str]) -> None:
    spec = importlib.util.spec_from_file_location("glossary_match_benchmark", SCRIPT)
    module = importlib.util.module_from_spec(spec)  # type: ignore[arg-type]
    spec.loader.exec_module(module)  # type: ignore[union-attr]
    assert module.main(["--terms", "200", "--words", "3000", "--vocabulary", "2000", "--repeat", "1"]) == 0
    row = capsys.readouterr().out.splitlines()[3]
    assert row.startswith("| 200 terms | 3,")
