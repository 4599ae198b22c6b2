"""How a large gettext template scales: pre-translate it, run again with nothing to do, check it.

A template of the size asked for is generated (distinct English messages with extracted
comments, references, python-format flags, a plural every tenth and a context every tenth, a
third of them two sentences long), then three commands run, each in a fresh process, with the
bundled copy model (tests/fixtures/models) and the checkout's glossary (locales/):

1. `translator translate BIG.pot --to es` into an empty folder (every sentence to the model);
2. the same again (every entry kept: nothing for the model);
3. `translator check` on the output.

Each prints its wall time, CPU time (user + system) and the process's own peak memory (VmHWM,
read by the process itself, so no parent's size is counted). "model" is the time the copy model
alone takes for the distinct sentences of the first run, in one call (`translator.engine`:
tokenizing, CTranslate2, detokenizing), for comparison; its peak includes reading the template.
Timings on a shared machine vary (CPU time less than wall time); run it when the machine is quiet.

    .venv/bin/python benchmarks/big_catalog.py --mb 5
    .venv/bin/python benchmarks/big_catalog.py --mb 50 --code /path/to/another/checkout
"""
from __future__ import annotations

import argparse
import json
import os
import random
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
MODEL = ROOT / "tests" / "fixtures" / "models" / "translate-en_es-copytest.argosmodel"
WORDS = ("report file folder user account message server network project invoice order payment "
         "customer setting window document page table column row value session password email "
         "address country region language translation update").split()
VERBS = "deleted saved opened closed updated created moved copied sent received".split()
HEADER = '''msgid ""
msgstr ""
"Project-Id-Version: big 1.0\\n"
"POT-Creation-Date: 2026-11-01 10:00+0000\\n"
"PO-Revision-Date: YEAR-MO-DA HO:MI+ZONE\\n"
"Last-Translator: FULL NAME <EMAIL@ADDRESS>\\n"
"Language-Team: LANGUAGE <LL@li.org>\\n"
"MIME-Version: 1.0\\n"
"Content-Type: text/plain; charset=CHARSET\\n"
"Content-Transfer-Encoding: 8bit\\n"
"Plural-Forms: nplurals=INTEGER; plural=EXPRESSION;\\n"
'''
# Runs a command line of `translator` in this process, then reports what it cost.
RUNNER = """
import resource, runpy, sys, time
sys.argv = ["translator", *sys.argv[1:]]
started, code = time.perf_counter(), 0
try:
    runpy.run_module("translator", run_name="__main__")
except SystemExit as exc:
    code = exc.code or 0
usage = resource.getrusage(resource.RUSAGE_SELF)
peak = next(line for line in open("/proc/self/status") if line.startswith("VmHWM")).split()[1]
print("COST", time.perf_counter() - started, usage.ru_utime + usage.ru_stime, int(peak) // 1024,
      code, file=sys.stderr)
"""


def write_template(path: Path, megabytes: float, seed: int = 7) -> int:
    """A template of about `megabytes` MB; returns its number of entries."""
    pick = random.Random(seed).choice
    parts, size, n = [HEADER], len(HEADER), 0
    while size < megabytes * 1e6:
        n += 1
        a, b, c = pick(WORDS), pick(VERBS), pick(WORDS)
        text = f"The {a} {n} was {b} by the {c}." + (
            f" Please check the {pick(WORDS)} and try again." if n % 3 == 0 else "")
        entry = f"\n#. Shown in the {c} view.\n#: src/module{n % 97}/view.py:{n % 1000}\n"
        if n % 10 == 0:
            entry += (f'#, python-format\nmsgid "One {a} was {b} ({n})."\n'
                      f'msgid_plural "%(count)d {a}s were {b} ({n})."\nmsgstr[0] ""\nmsgstr[1] ""\n')
        elif n % 10 == 1:
            entry += f'msgctxt "menu {n % 50}"\nmsgid "{text}"\nmsgstr ""\n'
        else:
            entry += f'msgid "{text}"\nmsgstr ""\n'
        parts.append(entry)
        size += len(entry)
    path.write_text("".join(parts), encoding="utf-8")
    return n


def cost(args: list[str], env: dict[str, str]) -> tuple[float, float, int]:
    """(wall s, CPU s, peak MB) of one `translator` command in a fresh process."""
    done = subprocess.run([sys.executable, "-c", RUNNER, *args], env=env, capture_output=True,
                          text=True, check=False)
    line = next((text for text in done.stderr.splitlines() if text.startswith("COST ")), None)
    # `check` exits 1 when it finds violations; anything else is a failure.
    if line is None or line.split()[4] not in ("0", "1") or (args[0] == "translate" and line.split()[4] != "0"):
        raise SystemExit(f"translator {' '.join(args)} failed: {done.stderr.strip()[-500:]}")
    wall, cpu, peak = line.split()[1:4]
    return float(wall), float(cpu), int(peak)


def model_only(packages: Path, pot: Path, env: dict[str, str]) -> tuple[float, float, int, int]:
    """The copy model alone on the run's distinct sentences, in a fresh process: wall and CPU
    time of the translation, the process's peak memory, the number of sentences."""
    script = f"""
import sys
from pathlib import Path
from translator.engine import DecodeOptions, load_translator
from translator.packages import installed_packages
from translator.sources import read_source
source = read_source(Path({str(pot)!r}))
sentences = list(dict.fromkeys(s.text for s in source.segments()))
translator = load_translator(installed_packages(Path({str(packages)!r})), DecodeOptions())
import resource, time
before = resource.getrusage(resource.RUSAGE_SELF)
started = time.perf_counter()
translator.translate(sentences)
after = resource.getrusage(resource.RUSAGE_SELF)
cpu = after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime
peak = next(line for line in open("/proc/self/status") if line.startswith("VmHWM")).split()[1]
print("MODEL", time.perf_counter() - started, cpu, int(peak) // 1024, len(sentences), file=sys.stderr)
"""
    done = subprocess.run([sys.executable, "-c", script], env=env, capture_output=True, text=True,
                          check=False)
    line = next((text for text in done.stderr.splitlines() if text.startswith("MODEL ")), None)
    if line is None:
        raise SystemExit(f"the model-only run failed: {done.stderr.strip()[-500:]}")
    seconds, cpu, peak, count = line.split()[1:]
    return float(seconds), float(cpu), int(peak), int(count)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--mb", type=float, default=5.0, help="template size in MB (default 5)")
    parser.add_argument("--code", type=Path, default=ROOT,
                        help="the checkout whose translator runs (default: this one)")
    parser.add_argument("--no-model-only", action="store_true", help="skip the model-only run")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="big-catalog-") as tmp:
        work = Path(tmp)
        packages = work / "packages"
        with zipfile.ZipFile(MODEL) as archive:
            archive.extractall(packages)
        env = dict(os.environ, ARGOS_PACKAGES_DIR=str(packages), XDG_CACHE_HOME=str(work / "cache"),
                   PYTHONPATH=str(args.code.resolve()))
        pot = work / "big.pot"
        entries = write_template(pot, args.mb)
        out = work / "out"
        glossary = str(args.code.resolve() / "locales")
        translate = ["translate", str(pot), "--to", "es", "--from", "en", "--out", str(out),
                     "--glossary", glossary, "-q"]
        rows = {"pre-translate": cost(translate, env), "again, nothing to do": cost(translate, env),
                "check": cost(["check", "--glossary", glossary, str(out / "es" / "big.po")], env)}
        if not args.no_model_only:
            seconds, cpu, peak, sentences = model_only(packages, pot, env)
            rows[f"model alone ({sentences} sentences)"] = (seconds, cpu, peak)
    print(json.dumps({"mb": args.mb, "entries": entries, "code": str(args.code)}))
    for name, (wall, cpu, peak) in rows.items():
        print(f"{name:32s} {wall:8.1f} s wall {cpu:8.1f} s CPU {peak:6d} MB peak")
    return 0


if __name__ == "__main__":
    sys.exit(main())
