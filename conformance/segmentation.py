"""Segmentation conformance: does splitting plain English without pysbd change any boundary?

`translator.segment` splits plain English text itself (lower-case words, commas, hyphens, an
inner stop followed by a space and a capital) and leaves everything else to pysbd, because
pysbd's cost was most of what a large catalog spent outside the model. Its promise is that the
two agree. Every text the pipeline would hand to pysbd while reading the reference corpus (every
document in `formats/`, every catalog in `po/`, the English side of the TICO-19 translation
memory, the CommonMark examples, and the bundled `seeds/`) is split both ways here; any text
where the shortcut answers differently from pysbd is a failure.

Run by `make conformance`; prints one line of figures, then what failed, and exits 1 when
anything did. Without the corpus it says so in one line and exits 0.
"""
from __future__ import annotations

import json
import sys
import time
from pathlib import Path

from _common import ROOT, corpus_argument, report

from translator import segment
from translator.errors import InputError
from translator.sources import read_source

READABLE = ("formats", "po")
MEMORY = "tico19/tmx_en-es-419.jsonl"
COMMONMARK = "commonmark/spec_examples.json"


def parts(corpus: Path) -> tuple[list[Path], Path | None, Path | None]:
    """The corpus's documents and catalogs, its translation memory and its CommonMark examples
    (None: not there)."""
    files = [p for folder in READABLE for p in sorted((corpus / folder).rglob("*")) if p.is_file()]
    memory, commonmark = corpus / MEMORY, corpus / COMMONMARK
    return files, memory if memory.is_file() else None, commonmark if commonmark.is_file() else None


def pysbd_texts(files: list[Path], memory: Path | None, commonmark: Path | None) -> list[str]:
    """Every window of English text the pipeline asks pysbd about while reading `files` (and
    the seeds), the memory's English sentences and the CommonMark examples."""
    asked: list[str] = []
    real = segment._pysbd_ends

    def spy(text: str, lang: str) -> list[int]:
        if lang == "en":
            asked.append(text)
        return real(text, lang)

    segment._pysbd_ends = spy  # type: ignore[assignment]
    try:
        for path in [*files, *sorted((ROOT / "seeds").glob("*.txt"))]:
            try:
                list(read_source(path).segments())
            except InputError:
                continue  # a format the tool does not read, or a file the corpus keeps broken
        for line in memory.read_text(encoding="utf-8").splitlines() if memory else []:
            segment.split_sentences(json.loads(line)["en"])
        examples = json.loads(commonmark.read_text(encoding="utf-8"))["examples"] if commonmark else []
        for example in examples:
            segment.split_sentences(example["markdown"])
    finally:
        segment._pysbd_ends = real  # type: ignore[assignment]
    return asked


def by_pysbd(text: str) -> list[int]:
    """pysbd's boundaries for `text`, the way `segment._pysbd_ends` takes them without the shortcut."""
    masked = text.translate(segment._MASK)
    return segment._align(masked, segment._segmenter("en").processor(masked).process())


def main(argv: list[str] | None = None) -> int:
    corpus = corpus_argument(__doc__.split("\n\n")[0], argv)
    files, memory, commonmark = parts(corpus)
    if not files and memory is None and commonmark is None:
        print(f"segmentation: skipped (no documents, catalogs, memory or examples under {corpus})")
        return 0
    started = time.perf_counter()
    texts = list(dict.fromkeys(pysbd_texts(files, memory, commonmark)))
    failures: list[str] = []
    plain = 0
    for text in texts:
        fast = segment._plain_ends(text)
        if fast is None:
            continue
        plain += 1
        expected = by_pysbd(text)
        if fast != expected:
            failures.append(f"{text[:120]!r}: split at {fast}, pysbd at {expected}")
    summary = (f"segmentation: {len(texts):,} distinct texts with an inner stop, {plain:,} plain "
               f"enough to split without pysbd, {plain - len(failures):,} of them where pysbd "
               f"splits ({time.perf_counter() - started:.1f} s)")
    return report(summary, failures, not failures)


if __name__ == "__main__":
    sys.exit(main())
