"""What the conformance suites share: where things are, an isolated work folder, the copy models,
and one way to time a fresh `translator translate`.

Not a suite (`make conformance` and the tests skip `conformance/_*.py`). The suites run as
scripts (`python conformance/po.py`), so their own folder is on `sys.path` and they import this as
`_common`; `tests/helpers.load_conformance` puts the folder there too.
"""
from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import time
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple

if TYPE_CHECKING:
    from translator.pipeline import Source

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_CORPUS = ROOT.parent / "shared" / "corpus"
MODELS = ROOT / "tests" / "fixtures" / "models"
TARGETS = ("es", "zh")
# Pointed into the run's work folder: Argos creates its folders, and the pipeline caches each
# model's placeholder form, under them.
ISOLATED = ("HOME", "XDG_CACHE_HOME", "XDG_DATA_HOME", "XDG_CONFIG_HOME", "ARGOS_PACKAGES_DIR")

# The measured process: `translator ARGS...` run as its console script runs it (`translator.cli.run`,
# so the exit status is the command's), writing its own peak memory (VmHWM, kB) to the file named
# by its first argument as it exits. A file, not stderr: the command may write there itself.
_MEASURED = """
import atexit, sys
def peak(path):
    with open("/proc/self/status") as status:
        kilobytes = next(line.split()[1] for line in status if line.startswith("VmHWM:"))
    with open(path, "w") as out:
        out.write(kilobytes)
atexit.register(peak, sys.argv[1])
sys.argv = ["translator", *sys.argv[2:]]
from translator.cli import run
run()
"""


@contextmanager
def isolated_work(name: str) -> Iterator[Path]:
    """A temporary work folder for one run of suite `name`, with every ISOLATED variable pointed
    at a folder of its own inside it (so a run neither reads nor leaves anything in the user's
    folders). On the way out the variables are put back as they were, unset ones unset again:
    a test that calls a suite's main() leaves the environment as it found it."""
    saved = {var: os.environ.get(var) for var in ISOLATED}
    with tempfile.TemporaryDirectory(prefix=f"conformance-{name}-") as tmp:
        work = Path(tmp)
        try:
            for var in ISOLATED:
                folder = work / var.lower()
                folder.mkdir()
                os.environ[var] = str(folder)
            yield work
        finally:
            for var, value in saved.items():
                if value is None:
                    os.environ.pop(var, None)
                else:
                    os.environ[var] = value


def unpack_models(dest: Path) -> Path:
    """The bundled copy-model packages (en->es, en->zh: they give their input back) unpacked into
    the Argos packages folder `dest`, which is returned."""
    for archive_path in sorted(MODELS.glob("translate-en_*-copytest.argosmodel")):
        with zipfile.ZipFile(archive_path) as archive:
            archive.extractall(dest)
    return dest


class Measurement(NamedTuple):
    """One fresh `translator translate` process."""

    seconds: float  # wall time, from starting the interpreter to its exit (model load included)
    peak_mb: float  # the process's own peak resident memory (VmHWM); 0 if it died before saying
    returncode: int
    error: str  # the last line it wrote to stderr ("" when none)


def measure_translate(path: Path, work: Path, *options: str) -> Measurement:
    """Translate `path` alone in a fresh process (`translator translate PATH --no-glossary --quiet
    OPTIONS...`, into a folder under `work`), under the caller's environment: its wall time and
    peak memory. A process of its own, so the figures are those of a user's run, not of a suite
    that has already loaded the models and translated the whole corpus."""
    folder = work / f"measure-{path.name}"
    folder.mkdir(parents=True, exist_ok=True)
    peak = folder / "peak"
    started = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-c", _MEASURED, str(peak), "translate", str(path), "--no-glossary", "--quiet",
         "--out", str(folder / "out"), *options],
        capture_output=True, text=True, check=False, cwd=ROOT)  # `-c` imports the checkout's translator
    seconds = time.perf_counter() - started
    kilobytes = int(peak.read_text()) if peak.is_file() else 0
    lines = done.stderr.strip().splitlines()
    return Measurement(seconds, kilobytes / 1024, done.returncode, lines[-1] if lines else "")


def translate_with_copy_models(sources: list[Source], out_dir: Path, termbase: Any = None) -> Any:
    """`translate_sources` of `sources` from English into TARGETS with the copy models, unpacked into
    the isolated ARGOS_PACKAGES_DIR (see `isolated_work`): every suite's one pipeline run, whose
    outputs should give the sources back. Returns the pipeline's result."""
    from translator.packages import installed_packages
    from translator.pipeline import translate_sources

    packages_dir = unpack_models(Path(os.environ["ARGOS_PACKAGES_DIR"]))
    return translate_sources(sources, TARGETS, source_lang="en", out_dir=out_dir,
                             packages=installed_packages(packages_dir), termbase=termbase)


def build_again(catalog: Path, expected: bytes, work: Path) -> str | None:
    """`translator build` on an output's review catalog, into a folder of `work`: None when it
    writes the output again byte for byte (`expected`), else what went wrong, in a few words."""
    from translator.build import build_document
    from translator.errors import TranslatorError

    try:
        built = build_document(catalog, work / "built").output
    except TranslatorError as exc:
        return f"translator build failed: {exc}"
    return None if built.read_bytes() == expected else "translator build wrote another file"


def corpus_argument(description: str, argv: list[str] | None) -> Path:
    """The one option every suite takes: where the reference corpus is."""
    import argparse

    parser = argparse.ArgumentParser(description=description)
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS,
                        help="the reference corpus folder (default: ../shared/corpus)")
    return parser.parse_args(argv).corpus


def report(summary: str, failures: list[str], ok: bool) -> int:
    """Print a suite's summary line and each failure under it; the exit status `make conformance`
    reads (0 passed, 1 failed)."""
    print(summary)
    for failure in failures:
        print(f"  {failure}")
    return 0 if ok else 1
