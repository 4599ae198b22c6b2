"""TICO-19 translation: every term occurrence found, none falsely flagged, nothing cut short.

The four TICO-19 term lists are imported as published (one option, `--lang es,zh`), and the
English side of the TICO-19 translation memory (3,071 sentences of COVID-19 text, many of them
long) is translated into Spanish and Chinese in one run, with that glossary enforced, by the
bundled copy model. Three things are checked:

- **occurrences**: the pipeline's count of term occurrences equals the count of an independent
  matcher written here (one regular expression per spelling: the term, its variants and their
  regular plural, at word boundaries, by the term's case rule, longest match first, no overlap;
  text inside a web address is not prose: "cdc.gov/coronavirus/2019-nCoV" holds no term to
  translate, and the pipeline keeps addresses verbatim);
- **no false flag**: the copy model carries every placeholder, so no term occurrence may end
  flagged (its approved rendering is what the output holds);
- **nothing cut short in silence**: the copy model gives every word back, so an output that
  lacks more than half of its source's words (those outside glossary terms, which become their
  renderings) was cut short, and must carry an error finding.

The line gives the counts and the import and translation times. Run by `make conformance`; exits
1 on any failure. Without the corpus it says so and exits 0.
"""
from __future__ import annotations

import argparse
import json
import re
import sys
import time
from collections import Counter
from pathlib import Path
from typing import Any

from _common import DEFAULT_CORPUS, isolated_work, translate_with_copy_models

LISTS = ("f_en-es_XX.csv", "f_en-zh_CN.csv", "g_en_es-419.csv", "g_en_zh-CN.csv")
MEMORY = "tmx_en-es-419.jsonl"  # the English side is the same in both memories
_WORD = re.compile(r"[^\W\d_]+")
_ADDRESS = re.compile(r"\b(?:https?|ftp)://\S+|\bwww\.\S+|\S+@\S+\.[A-Za-z]+")
_FOLD = str.maketrans({"\u2019": "'", "\u2018": "'", "\u2010": "-", "\u2011": "-", "\u2013": "-",
                       "\u2212": "-"})


def _plural(word: str) -> str:
    """English regular plural, written independently of glossary.text.plural."""
    if word.isupper() and len(word) > 1:
        return word + "s"
    if re.search(r"(s|x|z|ch|sh)$", word, re.IGNORECASE):
        return word + "es"
    if re.search(r"[^aeiou]y$", word, re.IGNORECASE):
        return word[:-1] + "ies"
    return word + "s"


def independent_count(termbase: Any, sentences: list[str]) -> Counter[str]:
    """Occurrences per concept label, found without the project's matcher."""
    patterns = []
    for concept in termbase:
        for form in concept.forms:
            words = form.split(" ")
            spellings = {form}
            if words[-1][-1:].isalpha():
                spellings.add(" ".join([*words[:-1], _plural(words[-1])]))
            for spelling in spellings:
                body = r"\s+".join(re.escape(w) for w in spelling.translate(_FOLD).split(" "))
                flags = 0 if concept.case_sensitive else re.IGNORECASE
                pattern = re.compile(rf"(?<![\w]){body}(?![\w])", flags)
                patterns.append((pattern, concept.label, spelling != form))
    counts: Counter[str] = Counter()
    for sentence in sentences:
        text = _ADDRESS.sub(lambda m: " " * len(m.group(0)), sentence.translate(_FOLD))
        # Leftmost, then longest, then a spelling as written before another term's plural.
        found = [(m.start(), m.end(), plural, label) for pattern, label, plural in patterns
                 for m in pattern.finditer(text)]
        found.sort(key=lambda item: (item[0], -(item[1] - item[0]), item[2]))
        end = -1
        for start, stop, _plural_form, label in found:
            if start >= end:
                counts[label] += 1
                end = stop
    return counts


def run(corpus: Path, work: Path) -> tuple[bool, str]:
    from click.testing import CliRunner

    from glossary.cli import glossary as glossary_command
    from glossary.storage import load
    from translator.enforce import FLAGGED, STATES
    from translator.pipeline import read_source
    from translator.qa import ERROR

    glossary = work / "glossary"
    started = time.perf_counter()
    imported = CliRunner().invoke(glossary_command, ["--glossary", str(glossary), "import", "--lang", "es,zh",
                                                     *(str(corpus / "tico19" / name) for name in LISTS)])
    import_s = time.perf_counter() - started
    if imported.exit_code != 0:
        return False, f"tico19_translate: the term lists did not import: {imported.stderr.strip()[-300:]}"
    termbase = load(glossary)

    english = [json.loads(line)["en"] for line in (corpus / "tico19" / MEMORY).read_text("utf-8").splitlines()]
    document = work / "tico19.txt"
    document.write_text("\n\n".join(" ".join(s.split()) for s in english) + "\n", encoding="utf-8")
    started = time.perf_counter()
    result = translate_with_copy_models([read_source(document)], work / "out", termbase)
    translate_s = time.perf_counter() - started

    failures: list[str] = []
    summary = []
    for file in result.files:
        tool: Counter[str] = Counter()
        flagged = silent = 0
        for unit in file.units:
            sentence = unit.result
            assert sentence is not None
            for outcome in sentence.terms:
                tool[outcome.term] += 1
                flagged += outcome.state == FLAGGED and outcome.state in STATES
            in_terms = {w.lower() for outcome in sentence.terms for w in _WORD.findall(outcome.source)}
            words = [w.lower() for w in _WORD.findall(unit.segment.text) if w.lower() not in in_terms]
            kept = {w.lower() for w in _WORD.findall(sentence.text)}
            lost = sum(w not in kept for w in words) > 0.5 * len(words)
            errors = [f for f in sentence.findings if f.severity == ERROR and f.check in ("cut-short", "length")]
            if lost and not errors:
                silent += 1
        independent = independent_count(termbase, [unit.segment.text for unit in file.units])
        if tool != independent:
            differ = sorted(set(tool) | set(independent), key=lambda k: -abs(tool[k] - independent[k]))[:5]
            failures.append(f"{file.target_lang}: occurrences differ: "
                            + "; ".join(f"{k}: tool {tool[k]}, independent {independent[k]}" for k in differ))
        if flagged:
            failures.append(f"{file.target_lang}: {flagged} term occurrences flagged")
        if silent:
            failures.append(f"{file.target_lang}: {silent} outputs cut short without an error finding")
        summary.append(f"{file.target_lang} {sum(tool.values()):,} = {sum(independent.values()):,}, "
                       f"{flagged} flagged, {silent} silent cuts")
    line = (f"tico19_translate: {len(english):,} sentences into es and zh with {len(list(termbase)):,} terms; "
            f"occurrences tool = independent: {'; '.join(summary)}; import {import_s:.2f} s, "
            f"translation {translate_s:.1f} s")
    return not failures, "\n".join([line, *(f"  {f}" for f in failures)])


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    args = parser.parse_args(argv)
    if not (args.corpus / "tico19" / MEMORY).is_file():
        print(f"tico19_translate: skipped ({args.corpus / 'tico19'} not found)")
        return 0
    with isolated_work("tico19") as work:
        ok, line = run(args.corpus, work)
    print(line)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
