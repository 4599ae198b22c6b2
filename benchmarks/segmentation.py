"""How long lines scale: time and peak memory to cut one long paragraph into sentences.

Each case runs in a fresh Python process that reports its own high-water mark (VmHWM from
/proc/self/status), so one case's memory never shows in another's. The text is the seed
articles joined into one paragraph and repeated to the size asked for (real sentences, real
abbreviations), plus two hostile cases: a line with no punctuation and one single word.

    .venv/bin/python benchmarks/segmentation.py [--sizes 25000,100000,200000,2000000]
"""
from __future__ import annotations

import argparse
import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

_WORKER = r"""
import json, sys, time
from pathlib import Path
from translator.formats import parse_document

kind, size = sys.argv[1], int(sys.argv[2])
if kind == "news":
    seed = " ".join(" ".join(p.read_text(encoding="utf-8").split()) for p in sorted(Path("seeds").glob("*.txt")))
    text = (seed + " ") * (size // (len(seed) + 1) + 1)
elif kind == "no-punctuation":
    text = "word " * (size // 5 + 1)
else:
    text = "x" * size
text = text[:size] + "\n"
start = time.perf_counter()
document = parse_document(text, "txt", "long.txt")
seconds = time.perf_counter() - start
segments = document.segments()
status = Path("/proc/self/status").read_text()
hwm = next(int(line.split()[1]) for line in status.splitlines() if line.startswith("VmHWM:"))
print(json.dumps({"kind": kind, "chars": size, "seconds": seconds, "segments": len(segments),
                  "longest": max(len(s.text) for s in segments), "peak_mb": hwm / 1024}))
"""


def measure(kind: str, size: int) -> dict[str, float]:
    out = subprocess.run([sys.executable, "-c", _WORKER, kind, str(size)], cwd=ROOT,
                         capture_output=True, text=True, check=True)
    return json.loads(out.stdout)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", default="25000,100000,200000,2000000")
    parser.add_argument("--hostile", type=int, default=20_000_000,
                        help="size of the no-punctuation line and of the single word")
    args = parser.parse_args()
    rows = [measure("news", int(size)) for size in args.sizes.split(",")]
    rows += [measure("no-punctuation", args.hostile), measure("one-word", args.hostile // 4)]
    print("| text | characters | seconds | segments | longest segment | peak memory |")
    print("|---|---|---|---|---|---|")
    for row in rows:
        print(f"| {row['kind']} | {row['chars']:,} | {row['seconds']:.2f} | {row['segments']:,} "
              f"| {row['longest']:,} | {row['peak_mb']:.0f} MB |")


if __name__ == "__main__":
    main()
