"""TBX conformance: do real termbases go through `translator glossary import` as they are?

Every file of `../shared/corpus/tbx` (TBX v2 and v3, TBX-Basic, TBX-Min, TBX-Core, DCA and DCT
style, from LTAC-Global, Weblate and the Translate Toolkit) is imported with the real command, in
this process, into a fresh glossary of its own in a temporary folder.

- A file the corpus made invalid on purpose (``*_bad.tbx``, ``poorly_formed_xml.tbx``) must be
  refused: exit status 1 and one error line, and a file that is not well-formed XML even with
  --skip-invalid. The line also counts the invalid files whose refusal names a problem that
  their valid twin (``*_good.tbx``) does not have, that is, the defect put there on purpose.
- Every other file must import: as it is, or with --skip-invalid where some entries cannot be
  glossary entries because they have no English term that may be used (or, in the converter's
  test data, a language tag that is not one). Any other reason to skip an entry fails the suite.

Run by `make conformance`; prints one line of figures, then what failed, and exits 1 when a file
did not do what it should. Without the corpus it says so and exits 0.
"""
from __future__ import annotations

import argparse
import re
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

from _common import DEFAULT_CORPUS

#: Reasons a valid file's entry may be skipped: the entry has no English term to be a glossary
#: entry under, or its language tag is not one (a converter's test data writes xml:lang="---").
ALLOWED_SKIPS = {
    "no usable en term": re.compile(r"has no en term"),
    "bad xml:lang": re.compile(r"is not a language tag"),
}


def is_invalid(path: Path) -> bool:
    """The files the corpus breaks on purpose."""
    return path.name.endswith("_bad.tbx") or path.name.endswith("poorly_formed_xml.tbx")


@dataclass
class Run:
    code: int
    stdout: str
    stderr: str
    seconds: float

    @property
    def added(self) -> int:
        found = re.search(r": (\d+) added, ", self.stdout)
        return int(found.group(1)) if found else 0

    def reasons(self) -> list[str]:
        """What each listed problem says, without its file and line."""
        lines = self.stderr.splitlines()
        if self.code:
            listed = lines[:-1] or [lines[-1].split(": error: ", 1)[-1]]
        else:
            listed = [line for line in lines if ": skipped: " in line]
        return [re.sub(r"^.*?:\d+: (skipped: )?", "", line) for line in listed]


@dataclass
class Outcome:
    """What the whole corpus did."""

    valid: int = 0
    imported: int = 0
    needed_skip: int = 0
    entries: int = 0
    skipped: dict[str, int] = field(default_factory=dict)
    invalid: int = 0
    refused: int = 0
    own_defect: int = 0
    seconds: float = 0.0
    failures: list[str] = field(default_factory=list)

    def summary(self) -> str:
        skips = ", ".join(f"{n} {why}" for why, n in sorted(self.skipped.items())) or "none"
        return (f"tbx: {self.imported}/{self.valid} valid files imported ({self.needed_skip} with "
                f"--skip-invalid, which skipped entries for: {skips}), {self.entries:,} entries; "
                f"{self.refused}/{self.invalid} invalid files refused in one line "
                f"({self.own_defect} naming their own defect); {self.seconds:.1f} s")


def _import(glossary: Path, path: Path, *extra: str) -> Run:
    from click.testing import CliRunner

    from glossary.cli import glossary as command

    started = time.perf_counter()
    result = CliRunner().invoke(command, ["--glossary", str(glossary), "import", *extra, str(path)])
    return Run(result.exit_code, result.stdout, result.stderr, time.perf_counter() - started)


def _one_error_line(run: Run) -> bool:
    lines = run.stderr.splitlines()
    return run.code == 1 and bool(lines) and lines[-1].startswith("glossary: error: ")


def run(files: list[Path], work: Path) -> Outcome:
    """Import every file into its own glossary under `work` and judge what happened."""
    outcome = Outcome()
    refusals: dict[str, set[str]] = {}
    for number, path in enumerate(files):
        glossary = work / f"g{number}"
        first = _import(glossary, path)
        outcome.seconds += first.seconds
        if is_invalid(path):
            outcome.invalid += 1
            if not _one_error_line(first):
                outcome.failures.append(f"{path.name}: not refused (exit {first.code})")
                continue
            if "poorly_formed" in path.name:
                again = _import(work / f"g{number}-skip", path, "--skip-invalid")
                outcome.seconds += again.seconds
                if not _one_error_line(again):
                    outcome.failures.append(f"{path.name}: accepted with --skip-invalid")
                    continue
                outcome.own_defect += 1  # nothing of it can be read: that is its defect
            outcome.refused += 1
            refusals[path.name] = set(first.reasons())
            continue
        outcome.valid += 1
        refusals[path.name] = set(first.reasons()) if first.code else set()
        if first.code == 0:
            outcome.imported += 1
            outcome.entries += first.added
            continue
        again = _import(work / f"g{number}-skip", path, "--skip-invalid")
        outcome.seconds += again.seconds
        if again.code != 0:
            outcome.failures.append(f"{path.name}: {again.stderr.strip().splitlines()[-1]}")
            continue
        other = False
        for reason in again.reasons():
            why = next((name for name, pattern in ALLOWED_SKIPS.items() if pattern.search(reason)), None)
            if why is None:
                outcome.failures.append(f"{path.name}: an entry skipped because {reason}")
                other = True
            else:
                outcome.skipped[why] = outcome.skipped.get(why, 0) + 1
        if not other:
            outcome.imported += 1
            outcome.needed_skip += 1
            outcome.entries += again.added
    for name, reasons in refusals.items():
        twin = name.replace("_bad.tbx", "_good.tbx")
        if name.endswith("_bad.tbx") and twin in refusals and reasons - refusals[twin]:
            outcome.own_defect += 1
    return outcome


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Import every TBX file of the corpus; judge what happens.")
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS,
                        help="the reference corpus folder (default: ../shared/corpus)")
    args = parser.parse_args(argv)
    files = sorted((args.corpus / "tbx").glob("*.tbx"))
    if not files:
        print(f"tbx: skipped (no .tbx files in {args.corpus / 'tbx'})")
        return 0
    with tempfile.TemporaryDirectory(prefix="conformance-tbx-") as tmp:
        outcome = run(files, Path(tmp))
    print(outcome.summary())
    for failure in outcome.failures:
        print(f"  {failure}")
    return 1 if outcome.failures else 0


if __name__ == "__main__":
    sys.exit(main())
