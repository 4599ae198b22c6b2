"""CommonMark conformance: does a translation keep the structure of every spec example?

Each of the CommonMark specification's examples (`../shared/corpus/commonmark/spec_examples.json`)
is written to a file of its own, and all of them go through the real pipeline in one run: the
Markdown adapter, sentence splitting, protection, the bundled *copy* model (it gives its input
back) and rendering, into Spanish and Chinese, with no glossary. Since the model changes no text,
any difference between the HTML of an example and the HTML of its "translation" is damage done by
the pipeline: a line break that was syntax joined away, a marker rewritten, a span cut in two.
Whitespace inside text counts as one space: joining a paragraph's lines for the model turns soft
line breaks into spaces, and the model's tokenizer collapses runs of spaces, neither of which
changes what a reader sees. Inside `<pre>` (code blocks) every character is compared.

Run by `make conformance`; prints one line of figures, then the failing example numbers, and exits
1 when any example lost its HTML. Without the corpus it says so and exits 0.
"""
from __future__ import annotations

import json
import re
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from _common import TARGETS, corpus_argument, isolated_work, translate_with_copy_models

if TYPE_CHECKING:
    from markdown_it import MarkdownIt

_WHITESPACE = re.compile(r"\s+")
_PRE = re.compile(r"(<pre>.*?</pre>)", re.DOTALL)


def normalized_html(markdown: str, renderer: MarkdownIt | None = None) -> str:
    """The CommonMark rendering as a reader sees it: each run of whitespace as one space, except
    in code blocks, where whitespace is content."""
    if renderer is None:
        from markdown_it import MarkdownIt

        renderer = MarkdownIt("commonmark")
    pieces = _PRE.split(renderer.render(markdown))
    return "".join(piece if n % 2 else _WHITESPACE.sub(" ", piece)
                   for n, piece in enumerate(pieces)).strip()


@dataclass
class Outcome:
    """What one run found: the examples whose HTML changed, per target language."""

    total: int
    failed: dict[str, list[int]]
    seconds: float

    def summary(self) -> str:
        both = self.total - len(set().union(*self.failed.values()))
        kept = ", ".join(f"{lang} {self.total - len(nums)}" for lang, nums in self.failed.items())
        return (f"commonmark: {both}/{self.total} examples keep their HTML ({kept}) "
                f"in {self.seconds:.1f} s")

    @property
    def ok(self) -> bool:
        return not any(self.failed.values())


def run(examples: list[dict[str, Any]], work: Path) -> Outcome:
    """Translate every example into every target in one pipeline run, under `work`.

    `work` comes from `_common.isolated_work` (the packages go into its ARGOS_PACKAGES_DIR).
    """
    from markdown_it import MarkdownIt

    from translator.errors import InputError
    from translator.pipeline import Source, read_source

    inputs, out_dir = work / "tmp", work / "out"
    inputs.mkdir()
    failed: dict[str, list[int]] = {lang: [] for lang in TARGETS}

    started = time.perf_counter()
    sources: list[Source] = []
    for example in examples:
        path = inputs / f"ex_{example['example']:03d}.md"
        with open(path, "w", encoding="utf-8", newline="") as handle:
            handle.write(example["markdown"])
        try:
            sources.append(read_source(path))
        except InputError:  # refused: no output to compare
            for numbers in failed.values():
                numbers.append(example["example"])
    translate_with_copy_models(sources, out_dir)
    seconds = time.perf_counter() - started

    renderer = MarkdownIt("commonmark")
    for example in examples:
        expected = normalized_html(example["markdown"], renderer)
        for lang in TARGETS:
            out = out_dir / lang / f"ex_{example['example']:03d}.md"
            if not out.is_file():
                if example["example"] not in failed[lang]:
                    failed[lang].append(example["example"])
                continue
            with open(out, encoding="utf-8", newline="") as handle:
                if normalized_html(handle.read(), renderer) != expected:
                    failed[lang].append(example["example"])
    return Outcome(len(examples), failed, seconds)


def main(argv: list[str] | None = None) -> int:
    corpus = corpus_argument("Translate the CommonMark spec examples with the copy model; compare HTML.", argv)
    spec = corpus / "commonmark" / "spec_examples.json"
    if not spec.is_file():
        print(f"commonmark: skipped ({spec} not found)")
        return 0
    examples = json.loads(spec.read_text("utf-8"))["examples"]
    with isolated_work("commonmark") as work:
        outcome = run(examples, work)
    print(outcome.summary())
    for lang, numbers in outcome.failed.items():
        if numbers:
            print(f"  {lang} failed: {' '.join(map(str, numbers))}")
    return 0 if outcome.ok else 1


if __name__ == "__main__":
    sys.exit(main())
