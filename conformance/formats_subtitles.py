"""SRT and WebVTT conformance: does a translation keep every cue, timing and block of the
reference subtitles (`../shared/corpus/formats/srt`, `.../vtt`)?

All the files go through the real pipeline in one run, into Spanish and Chinese, with the
bundled *copy* model and no glossary. The outputs are compared with their sources by a reader
written here, independent of the adapter: every line that is not cue text (numbers,
identifiers, timing lines with their settings, the header, NOTE/STYLE/REGION blocks, blank
lines, a block without timing, the final newline or its absence) must be the same, byte for
byte; every cue must have as many text lines as before, and the same text (lines joined, runs
of spaces as one: the copy model gives English back, so there is no typography to allow for).
`translator build` on each output's review catalog must give the output again, byte for byte.

The copy model changes no sentence, and an unchanged cue is copied as it was; so each file is
also rendered with every sentence changed (its words in reverse order, and again in Chinese
characters): the skeleton must stay the same and each cue keep its number of lines.

Then the largest file of each format is translated once more by a fresh `translator translate`
process, whose wall time and peak memory (VmHWM) are reported.

Run by `make conformance`; prints one line of figures, then each failure, and exits 1 on any.
Without the corpus it says so and exits 0.
"""
from __future__ import annotations

import re
import sys
import time
from dataclasses import dataclass
from pathlib import Path

from _common import (
    TARGETS,
    build_again,
    corpus_argument,
    isolated_work,
    measure_translate,
    report,
    translate_with_copy_models,
)

KINDS = ("srt", "vtt")
_LINE_END = re.compile(r"\r\n|\r|\n")
_SPACES = re.compile(r"\s+")


@dataclass
class Cues:
    """A subtitle file as its reader here sees it: the lines that are not cue text, each with
    its line ending, a "\\0" where a cue's text is; and the text lines of each cue."""

    skeleton: list[tuple[str, str]]
    cues: list[list[tuple[str, str]]]


def read_cues(text: str, kind: str) -> Cues:
    """Cue text lines: those after a line holding "-->" up to a blank line (SubRip: or up to a
    number), outside the WebVTT header and NOTE/STYLE/REGION blocks."""
    lines, at = [], 0
    for m in _LINE_END.finditer(text):
        lines.append((text[at:m.start()], m.group(0)))
        at = m.end()
    lines.append((text[at:], ""))
    skeleton: list[tuple[str, str]] = []
    cues: list[list[tuple[str, str]]] = []
    in_cue = False
    block_start = True
    literal_block = kind == "vtt"  # the header
    for line, end in lines:
        if not line.strip():
            in_cue, block_start, literal_block = False, True, False
            skeleton.append((line, end))
            continue
        if block_start and kind == "vtt" and re.match(r"(NOTE|STYLE|REGION)(\s|$)", line):
            literal_block = True
        block_start = False
        if literal_block:
            skeleton.append((line, end))
        elif "-->" in line:
            in_cue = True
            cues.append([])
            skeleton += [(line, end), ("\0", "")]
        elif in_cue and not (kind == "srt" and line.strip().isdigit()):
            cues[-1].append((line, end))
        else:
            in_cue = False
            skeleton.append((line, end))
    return Cues(skeleton, cues)


def compare(source: str, output: str, kind: str, same_text: bool) -> list[str]:
    """What differs between a subtitle file and its translation, as sentences."""
    a, b = read_cues(source, kind), read_cues(output, kind)
    if len(a.cues) != len(b.cues):
        return [f"{len(b.cues)} cues instead of {len(a.cues)}"]
    problems = []
    if a.skeleton != b.skeleton:
        problems.append("a line that is not cue text changed")
    for n, (before, after) in enumerate(zip(a.cues, b.cues), start=1):
        if len(before) != len(after):
            problems.append(f"cue {n}: {len(after)} lines instead of {len(before)}")
        elif [end for _, end in before] != [end for _, end in after]:
            problems.append(f"cue {n}: its line endings changed")
        elif same_text and _SPACES.sub(" ", " ".join(t for t, _ in before)).strip() != \
                _SPACES.sub(" ", " ".join(t for t, _ in after)).strip():
            problems.append(f"cue {n}: its text changed")
    return problems


def _reversed_words(text: str) -> str:
    """A sentence changed but with every marker kept: its words in reverse order."""
    return " ".join(reversed(text.split()))


def _chinese(text: str) -> str:
    """A sentence in Chinese characters, as long as the English, markers kept."""
    return re.sub(r"[A-Za-z]+", lambda m: "中文"[: max(1, len(m.group(0)) // 2)], text) + "。"


@dataclass
class Outcome:
    files: int
    failures: list[str]
    rebuilt: int
    changed_kept: int
    seconds: float
    largest: list[str]

    def summary(self) -> str:
        broken = {f.split(":", 1)[0] for f in self.failures}
        kept = self.files - len(broken)
        return (f"formats_subtitles: {kept}/{self.files} files keep every cue, timing and block "
                f"in es and zh ({self.seconds:.1f} s); {self.rebuilt}/{2 * self.files} outputs "
                f"rebuilt from their catalogs; {self.changed_kept}/{self.files} keep them with "
                f"every sentence changed; {'; '.join(self.largest)}")

    @property
    def ok(self) -> bool:
        return not self.failures


def run(files: list[Path], work: Path) -> Outcome:
    from translator import formats
    from translator.pipeline import read_source

    out_dir = work / "out"
    failures: list[str] = []
    started = time.perf_counter()
    result = translate_with_copy_models([read_source(path) for path in files], out_dir)
    seconds = time.perf_counter() - started
    failures += [f"{e}: refused" for e in result.failures]

    rebuilt = 0
    for path in files:
        kind = path.suffix[1:]
        source = path.read_text(encoding="utf-8")
        for lang in TARGETS:
            output = out_dir / lang / path.name
            if not output.is_file():
                failures.append(f"{path.name}: no {lang} output")
                continue
            written = output.read_bytes()
            failures += [f"{path.name}: {lang}: {p}"
                         for p in compare(source, written.decode("utf-8"), kind, same_text=True)]
            problem = build_again(out_dir / lang / f"{path.stem}.po", written, work)
            if problem is None:
                rebuilt += 1
            else:
                failures.append(f"{path.name}: {lang}: {problem}")

    changed_kept = 0
    for path in files:
        adapter = formats.adapter_for(path.name)
        document = adapter.parse(path.read_bytes(), path.name)
        source = path.read_text(encoding="utf-8")
        problems = []
        for change in (_reversed_words, _chinese):
            out = adapter.render(document, [change(s.text) for s in document.segments()], lang="es")
            problems += compare(source, out.decode("utf-8"), path.suffix[1:], same_text=False)
        failures += [f"{path.name}: changed: {p}" for p in problems]
        changed_kept += not problems

    largest = []  # time and peak memory of a fresh `translator translate` of one file into es
    for kind in KINDS:
        biggest = max((p for p in files if p.suffix == f".{kind}"), key=lambda p: p.stat().st_size)
        took, peak_mb, returncode, error = measure_translate(biggest, work, "--to", "es", "--from", "en")
        if returncode:
            failures.append(f"{biggest.name}: a fresh translate exited {returncode}: {error}")
        largest.append(f"largest .{kind} ({biggest.stat().st_size / 1024:.1f} KB): {took:.2f} s, {peak_mb:.0f} MB")
    return Outcome(len(files), failures, rebuilt, changed_kept, seconds, largest)


def main(argv: list[str] | None = None) -> int:
    corpus = corpus_argument("Translate the reference SRT and WebVTT files with the copy model; compare cues.", argv)
    files = sorted(p for kind in KINDS for p in (corpus / "formats" / kind).glob(f"*.{kind}"))
    if not all(any(p.suffix == f".{kind}" for p in files) for kind in KINDS):
        print(f"formats_subtitles: skipped (no .srt and .vtt files in {corpus / 'formats'})")
        return 0
    with isolated_work("subtitles") as work:
        outcome = run(files, work)
    return report(outcome.summary(), outcome.failures, outcome.ok)


if __name__ == "__main__":
    sys.exit(main())
