"""Benchmark `glossary import` on large CSV term lists: time per phase and peak memory.

    .venv/bin/python benchmarks/glossary_import.py [--rows 10000,100000,1000000]

For each size, a CSV in the glossary's own layout (``term,es,zh``: terms of one to four made-up
words, a Spanish and a Chinese rendering each; fixed random seed) is imported into an empty
glossary in a fresh process, the way `translator glossary import` does it: read the file, merge
it into the termbase under the glossary's lock, save the PO files. It prints one table row per size
with the CPU time of each phase (the machine this was written on is shared, so wall time would
measure the neighbours too), the wall time of the whole child process, and its peak resident
memory.
"""
from __future__ import annotations

import argparse
import json
import os
import platform
import random
import string
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent


def write_terms(path: Path, rows: int, seed: int = 7) -> None:
    """`rows` distinct terms with a Spanish and a Chinese rendering each."""
    rng = random.Random(seed)
    words = sorted({"".join(rng.choice(string.ascii_lowercase) for _ in range(rng.randint(4, 9)))
                    for _ in range(max(1000, rows // 10))})
    seen: set[str] = set()
    with open(path, "w", encoding="utf-8", newline="") as out:
        out.write("term,es,zh\n")
        while len(seen) < rows:
            term = " ".join(rng.choice(words) for _ in range(rng.choice([1, 2, 2, 3, 3, 4])))
            if term in seen:
                continue
            seen.add(term)
            out.write(f"{term},{term[::-1]},术语{len(seen)}\n")


def child(path: Path, glossary: Path) -> dict[str, float]:
    """One import, as the command does it, timed by phase (run in a fresh process)."""
    import resource

    from glossary.exchange import Languages, bulk, import_into, parse_file
    from glossary.storage import edit

    times: dict[str, float] = {}
    clock = time.process_time  # CPU seconds: on a shared machine, wall time measures the neighbours
    with bulk():
        started = clock()
        parsed = [parse_file(path, None, Languages())]
        times["read"] = clock() - started
        with edit(glossary, create=True) as termbase:
            started = clock()
            report = import_into(termbase, parsed)
            parsed.clear()
            times["merge"] = clock() - started
            started = clock()
        times["save"] = clock() - started  # edit() saved on leaving the block
    times["added"] = report.added
    times["peak_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return times


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rows", default="10000,100000,1000000",
                        help="comma-separated sizes (default 10000,100000,1000000)")
    parser.add_argument("--child", nargs=2, metavar=("CSV", "GLOSSARY"), help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        print(json.dumps(child(Path(args.child[0]), Path(args.child[1]))))
        return 0
    load = f", load average {os.getloadavg()[0]:.1f}" if hasattr(os, "getloadavg") else ""
    print(f"python {platform.python_version()} on {platform.machine()}, {os.cpu_count()} CPUs{load}")
    print("| rows | read (CPU) | merge (CPU) | save (CPU) | total CPU | wall | peak memory |")
    print("|---|---|---|---|---|---|---|")
    for rows in (int(size) for size in args.rows.split(",")):
        with tempfile.TemporaryDirectory(prefix="glossary-import-") as tmp:
            csv_path = Path(tmp) / "terms.csv"
            write_terms(csv_path, rows)
            started = time.perf_counter()
            done = subprocess.run([sys.executable, __file__, "--child", str(csv_path), str(Path(tmp) / "g")],
                                  capture_output=True, text=True, check=True, cwd=REPO)
            wall = time.perf_counter() - started
            t = json.loads(done.stdout)
        assert t["added"] == rows, t
        total = t["read"] + t["merge"] + t["save"]
        print(f"| {rows:,} | {t['read']:.1f} s | {t['merge']:.1f} s | {t['save']:.1f} s | {total:.1f} s "
              f"| {wall:.1f} s | {t['peak_mb']:,.0f} MB |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
