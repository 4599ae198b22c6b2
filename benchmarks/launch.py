"""A small parent for one measured command: `python launch.py RESULT.json CMD ARG...`.

`benchmarks/run.py` starts every measured command through this script instead of waiting for it
itself, because on Linux a child's peak RSS as `wait4` reports it is never below what its
parent's memory was when the child was started (the `ru_maxrss` of a process that calls `exec`
keeps the high-water mark of the memory it had before): started straight from the benchmark
(which holds the corpus, the glossary and several hundred MB at its peak), an empty Python process
reported 413 MB, and every run of `--quick` the same 424 MB. This parent is a bare Python process
(about 10 MB, far below any command measured here) that imports nothing else, forks, execs the
command and writes, for that child alone:

* `seconds`: wall time from just before the fork to the child's exit (this script's own start-up
  is not in it);
* `peak_rss_mb`: the child's `ru_maxrss` (its own high-water mark; the floor is this parent's
  size, not the benchmark's);
* `cpu_s`: the child's user + system CPU time;
* `busy_s`: CPU seconds the whole machine spent busy meanwhile (all processes), so the caller
  can tell how much the rest of the machine used;
* `returncode`.

Standard input, output and error are the caller's: the child inherits them.
"""
import json
import os
import sys
import time

_TICK = os.sysconf("SC_CLK_TCK")


def busy_seconds() -> float:
    """CPU seconds the whole machine has spent busy since boot (all processes)."""
    try:
        with open("/proc/stat") as f:
            fields = f.readline().split()[1:]
        user, nice, system, _idle, _iowait, irq, softirq = (int(x) for x in fields[:7])
        return (user + nice + system + irq + softirq) / _TICK
    except (OSError, ValueError):
        return float("nan")


def main() -> int:
    result_file, cmd = sys.argv[1], sys.argv[2:]
    busy = busy_seconds()
    started = time.perf_counter()
    pid = os.fork()
    if pid == 0:
        try:
            os.execvp(cmd[0], cmd)
        finally:
            os._exit(127)
    _, status, usage = os.wait4(pid, 0)
    seconds = time.perf_counter() - started
    code = os.waitstatus_to_exitcode(status)
    with open(result_file, "w") as f:
        json.dump({"seconds": seconds, "peak_rss_mb": usage.ru_maxrss / 1024,
                   "cpu_s": usage.ru_utime + usage.ru_stime,
                   "busy_s": busy_seconds() - busy, "returncode": code}, f)
    return 0


if __name__ == "__main__":
    sys.exit(main())
