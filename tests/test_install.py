"""What `pip install .` brings: the runtime needs no torch, stanza, spaCy or transformers.

The `argostranslate` module comes from the argos-translate-lt distribution (its authors' light
build); the `argostranslate` distribution depends on stanza, and stanza on torch (1.7 GB).
"""
from __future__ import annotations

import subprocess
import sys
import tomllib
from importlib import metadata
from pathlib import Path

import pytest
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

REPO = Path(__file__).resolve().parents[1]
PYPROJECT = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))
HEAVY = {"torch", "stanza", "spacy", "transformers", "argostranslate"}


def _closure(extras: tuple[str, ...] = ()) -> set[str]:
    """Every distribution `translator[extras]` pulls in, as installed here (markers evaluated)."""
    seen: set[str] = set()
    todo = [("translator", extras)]
    while todo:
        name, wanted = todo.pop()
        key = canonicalize_name(name)
        if (key, wanted) in seen:
            continue
        seen.add((key, wanted))
        for line in metadata.requires(name) or []:
            req = Requirement(line)
            if req.marker and not any(req.marker.evaluate({"extra": e}) for e in ("", *wanted)):
                continue
            todo.append((req.name, tuple(sorted(req.extras))))
    return {key for key, _ in seen}


def test_runtime_dependencies_name_the_light_argos_distribution():
    names = {canonicalize_name(Requirement(r).name) for r in PYPROJECT["project"]["dependencies"]}
    assert "argos-translate-lt" in names
    assert not names & HEAVY


@pytest.mark.parametrize("extras", [(), ("test",)], ids=["runtime", "test"])
def test_installed_closure_has_no_torch_stanza_or_spacy(extras):
    closure = _closure(extras)
    assert "argos-translate-lt" in closure and "ctranslate2" in closure
    assert not closure & HEAVY, sorted(closure & HEAVY)


def test_only_the_train_extra_asks_for_torch():
    extras = PYPROJECT["project"]["optional-dependencies"]
    asking = {name for name, reqs in extras.items()
              if any(canonicalize_name(Requirement(r).name) == "torch" for r in reqs)}
    assert asking == {"train"}
    assert "torch==2.13.0" in (REPO / "constraints.txt").read_text().splitlines()


def test_make_installs_without_the_torch_constraints():
    makefile = (REPO / "Makefile").read_text(encoding="utf-8")
    assert "pip install -q -e .\n" in makefile and "pip install -q -e '.[test]'" in makefile
    assert "constraints.txt" not in makefile


def test_benchmark_model_is_built_without_torch_or_transformers(tmp_path):
    probe = (
        "import sys; sys.path.insert(0, 'benchmarks'); import build;"
        "m = build.build_model(build.MODELS['smoke'], build.Path(sys.argv[1]));"
        "print(m.pieces, sorted(n for n in ('torch', 'transformers') if n in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", probe, str(tmp_path)], cwd=REPO,
                         capture_output=True, text=True, check=True).stdout
    assert out.split() == ["1000", "[]"]
