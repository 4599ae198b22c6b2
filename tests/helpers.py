"""Shared test helpers: the fixture packages, unpacked once per session."""
from __future__ import annotations

import json
import shutil
import zipfile
from pathlib import Path
from types import ModuleType

FIXTURE_MODELS = Path(__file__).parent / "fixtures" / "models"
SEEDS = Path(__file__).resolve().parents[1] / "seeds"
# The tests' own glossary: the terms they assert on, independent of the shipped locales/.
# Read it in place; copy it (copy_test_glossary, or the glossary_copy fixture) to change it.
TEST_GLOSSARY = Path(__file__).parent / "data" / "glossary"

SP_ES = "translate-en_es-copytest.argosmodel"
SP_ZH = "translate-en_zh-copytest.argosmodel"
BPE_ES = "translate-en_es-copytest-bpe.argosmodel"
PREFIX_ZH = "translate-en_zh-copytest-prefix.argosmodel"


def unpack(archive_name: str, dest: Path) -> Path:
    """Unpack one fixture archive into `dest` and return the package folder."""
    with zipfile.ZipFile(FIXTURE_MODELS / archive_name) as archive:
        root = archive.namelist()[0].split("/")[0]
        archive.extractall(dest)
    return dest / root


def relabel(package_dir: Path, dest: Path, from_code: str, to_code: str) -> Path:
    """A copy of a package that claims another direction (to build pivot routes)."""
    target = dest / f"translate-{from_code}_{to_code}-relabelled"
    shutil.copytree(package_dir, target)
    meta = json.loads((target / "metadata.json").read_text())
    meta.update(from_code=from_code, to_code=to_code)
    (target / "metadata.json").write_text(json.dumps(meta))
    return target


def copy_test_glossary(dest: Path) -> Path:
    """A writable copy of the test glossary at `dest` (without the malformed-file samples)."""
    shutil.copytree(TEST_GLOSSARY, dest,
                    ignore=shutil.ignore_patterns("malformed", ".glossary.lock", ".*.tmp", ".gitignore"))
    return dest


def output_files(folder: Path) -> dict[str, bytes]:
    """Every file under `folder` (by its path inside it), with the catalog dates masked: what
    must be byte for byte the same between a local, a chunked and a distributed run."""
    found = {}
    for path in sorted(folder.rglob("*")):
        if path.is_file():
            lines = [b"<date>" if line.startswith((b'"PO-Revision-Date:', b'"POT-Creation-Date:')) else line
                     for line in path.read_bytes().split(b"\n")]
            found[path.relative_to(folder).as_posix()] = b"\n".join(lines)
    return found


def load_conformance(name: str, monkeypatch) -> ModuleType:
    """A conformance script (`conformance/NAME.py`) as a module, for tests to call its parts.

    The scripts' folder is importable, as it is when a script runs (the suites import
    `_common`, and one suite imports another), and the module is registered while it loads
    (dataclasses look it up). A suite's main() puts back the variables it points into its
    temporary folder itself (`_common.isolated_work`).
    """
    import importlib.util
    import sys

    root = Path(__file__).resolve().parents[1]
    monkeypatch.syspath_prepend(str(root / "conformance"))
    spec = importlib.util.spec_from_file_location(f"conformance_{name}", root / "conformance" / f"{name}.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    monkeypatch.setitem(sys.modules, spec.name, module)
    spec.loader.exec_module(module)
    return module
