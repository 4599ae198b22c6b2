"""TICO-19 conformance: do the published COVID-19 term lists import as they are?

TICO-19 publishes its English->Spanish and English->Chinese terminology in two CSV layouts, one row
per term and language (`f_en-es_XX.csv`, `f_en-zh_CN.csv`: ``id,sourceLang,targetLang,
sourceString,targetString``; `g_en_es-419.csv`, `g_en_zh-CN.csv`: with ``pos`` and
``description`` too). All four are imported in one run of the real command, in this process, into
a fresh glossary in a temporary folder, with one documented option: ``--lang es,zh``, which reads
es_XX and es-419 as es and zh_CN and zh-CN as zh. No file is converted by hand. The glossary is
then linted.

Repeated rows of one term merge when they agree; renderings that disagree (within a list, or
between the two lists) are kept as fuzzy proposals with the other rendering in the comment, and
lint lists them. The line gives the rows read, the terms imported, the merges, the disagreements
and what lint found, and the import's time.

Run by `make conformance`; exits 1 when the import fails. Without the corpus it says so and exits 0.
"""
from __future__ import annotations

import argparse
import re
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

from _common import DEFAULT_CORPUS

LISTS = ("f_en-es_XX.csv", "f_en-zh_CN.csv", "g_en_es-419.csv", "g_en_zh-CN.csv")
OPTION = ["--lang", "es,zh"]


def _rows(path: Path) -> int:
    import csv

    with open(path, encoding="utf-8-sig", newline="") as handle:
        return sum(1 for row in csv.reader(handle) if any(cell.strip() for cell in row[3:])) - 1


def run(files: list[Path], glossary: Path) -> tuple[int, str]:
    """Import `files` into `glossary` and lint it: (exit status, the line of figures)."""
    from click.testing import CliRunner

    from glossary.cli import glossary as command
    from glossary.lint import lint
    from glossary.storage import load

    started = time.perf_counter()
    result = CliRunner().invoke(command, ["--glossary", str(glossary), "import", *OPTION, *map(str, files)])
    seconds = time.perf_counter() - started
    if result.exit_code != 0:
        return 1, f"tico19_terms: import failed (exit {result.exit_code}): {result.stderr.strip().splitlines()[-1]}"
    summary = result.stdout.strip()
    numbers = {name: int(found.group(1)) if (found := re.search(pattern, summary)) else 0
               for name, pattern in {"added": r"(\d+) added", "merged": r"(\d+) repeated entr",
                                     "conflicts": r"(\d+) disagreeing rendering"}.items()}
    termbase = load(glossary)
    problems = Counter(problem.code for problem in lint(termbase))
    languages = ", ".join(f"{lang} {sum(1 for c in termbase if c.rendering(lang))}" for lang in termbase.languages)
    found = ", ".join(f"{n} {code}" for code, n in sorted(problems.items())) or "no problems"
    rows = sum(_rows(path) for path in files)
    return 0, (f"tico19_terms: {len(files)} lists, {rows:,} rows, imported with {' '.join(OPTION)}: "
               f"{numbers['added']} terms (renderings: {languages}), {numbers['merged']} repeated rows "
               f"merged, {numbers['conflicts']} disagreements kept as fuzzy proposals; lint: {found}; "
               f"import {seconds:.2f} s")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Import the TICO-19 term lists; lint the glossary.")
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS,
                        help="the reference corpus folder (default: ../shared/corpus)")
    args = parser.parse_args(argv)
    files = [args.corpus / "tico19" / name for name in LISTS]
    missing = [path for path in files if not path.is_file()]
    if missing:
        print(f"tico19_terms: skipped ({missing[0]} not found)")
        return 0
    with tempfile.TemporaryDirectory(prefix="conformance-tico19-") as tmp:
        status, line = run(files, Path(tmp) / "glossary")
    print(line)
    return status


if __name__ == "__main__":
    sys.exit(main())
