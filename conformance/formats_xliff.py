"""XLIFF conformance: does a translation fill every target of the reference XLIFF files
(`../shared/corpus/formats/xliff`, 1.2 and 2.0) and change nothing else?

All the files go through the real pipeline in one run, into Spanish and Chinese, with the
bundled *copy* model and no glossary. Each output is read with lxml here, independently of the
adapter, and compared with its source:

- nothing but targets changed: with every `<target>` taken out, the run's attributes removed
  (`state`, `state-qualifier`, `subState`, `target-language`, `trgLang`) and whitespace-only
  text ignored, source and output are the same canonical XML (C14N);
- every translatable unit (1.2 `<trans-unit>`, each `<mrk mtype="seg">` of a segmented one;
  2.0 each `<segment>`) outside `translate="no"` has a target with the same inline codes as its
  source (element and id, in order) and the same text (the copy model gives English back;
  whitespace runs count as one space), in the documented state; units with `translate="no"`
  are byte for byte the same;
- the target language is the run's (a declared variant of it kept: es-419 for es);
- `translator build` on the output's review catalog gives the output again, byte for byte.

Each file is also rendered with every sentence changed (its words reversed): the skeleton must
stay the same and every target keep its source's inline codes. Then the largest file is
translated by a fresh `translator translate` process, whose wall time and peak memory (VmHWM)
are reported.

Run by `make conformance`; prints one line of figures, then each failure, and exits 1 on any.
Without the corpus it says so and exits 0.
"""
from __future__ import annotations

import re
import sys
import time
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from _common import (
    TARGETS,
    build_again,
    corpus_argument,
    isolated_work,
    measure_translate,
    report,
    translate_with_copy_models,
)

RUN_ATTRIBUTES = ("state", "state-qualifier", "subState", "target-language", "trgLang")
_SPACES = re.compile(r"\s+")


def _xml(data: bytes) -> Any:
    from lxml import etree

    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False,
                             huge_tree=False)
    return etree.fromstring(data, parser)


def _local(element: Any) -> str:
    return element.tag.rsplit("}", 1)[-1] if isinstance(element.tag, str) else ""


def skeleton(data: bytes) -> bytes:
    """The file without its targets, the run's attributes and whitespace-only text."""
    from lxml import etree

    root = _xml(data)
    for target in [e for e in root.iter() if _local(e) == "target"]:
        target.getparent().remove(target)
    for element in root.iter():
        if isinstance(element.tag, str):
            for name in RUN_ATTRIBUTES:
                element.attrib.pop(name, None)
        if element.text is not None and not element.text.strip():
            element.text = None
        if element.tail is not None and not element.tail.strip():
            element.tail = None
    return etree.tostring(root, method="c14n")


def codes(element: Any) -> list[tuple[str, str]]:
    """The inline codes of a source or target: each element's name and id, in order."""
    return [(_local(e), e.get("id") or e.get("mid") or e.get("startRef") or "")
            for e in element.iterdescendants() if isinstance(e.tag, str)]


def words(element: Any) -> str:
    return _SPACES.sub(" ", "".join(element.itertext())).strip()


def _no(element: Any) -> bool:
    """Inside translate="no" (the unit, a group or the file)?"""
    return any(e.get("translate") == "no" for e in (element, *element.iterancestors()))


def pairs(root: Any) -> list[tuple[str, Any, Any, Any]]:
    """(name, holder of the state, source, target) of every translatable piece."""
    found = []
    for unit in root.iter():
        name = _local(unit)
        if name == "trans-unit" and not _no(unit):
            children = {_local(c): c for c in unit}
            target = children.get("target")
            seg_source = children.get("seg-source")
            marks = [m for m in seg_source.iter() if _local(m) == "mrk" and m.get("mtype") == "seg"] \
                if seg_source is not None else []
            if not marks:
                found.append((f"trans-unit {unit.get('id')}", target, children.get("source"), target))
                continue
            by_mid = {m.get("mid"): m for m in target.iter() if _local(m) == "mrk"} \
                if target is not None else {}
            for mark in marks:
                found.append((f"trans-unit {unit.get('id')} mrk {mark.get('mid')}", target, mark,
                              by_mid.get(mark.get("mid"))))
        elif name == "segment" and not _no(unit):
            children = {_local(c): c for c in unit}
            found.append((f"segment {unit.get('id')}", unit, children.get("source"),
                          children.get("target")))
    return found


def compare(source: bytes, output: bytes, lang: str | None, same_text: bool) -> list[str]:
    """What is wrong with an XLIFF file's translation, as sentences."""
    problems = []
    try:
        root = _xml(output)
    except Exception as exc:  # any parse error is a finding
        return [f"not well-formed: {exc}"]
    if skeleton(source) != skeleton(output):
        problems.append("something other than the targets changed")
    original = _xml(source)
    version2 = "document:2." in original.tag
    for (name, _, src, _), (_, holder, _, target) in zip(pairs(original), pairs(root)):
        if src is None:
            continue
        if target is None:
            problems.append(f"{name}: no target")
            continue
        if Counter(codes(src)) != Counter(codes(target)) or (same_text and codes(src) != codes(target)):
            problems.append(f"{name}: inline codes {codes(target)} instead of {codes(src)}")
        if same_text and words(src) != words(target):
            problems.append(f"{name}: target text {words(target)!r} is not {words(src)!r}")
        if any(ch.isalpha() for ch in words(src)):
            wanted = ({"state": "initial", "subState": "translator:mt"} if version2 else
                      {"state": "needs-review-translation", "state-qualifier": "mt-suggestion"})
            if any(holder.get(k) != v for k, v in wanted.items()):
                problems.append(f"{name}: state {dict(holder.attrib)} is not {wanted}")
    kept, now = _untranslated(original), _untranslated(root)
    problems += [f"{name} (translate=\"no\") changed" for name in kept if kept[name] != now.get(name)]
    if lang is not None:
        holders = [root] if version2 else [f for f in root.iter() if _local(f) == "file"]
        attribute = "trgLang" if version2 else "target-language"
        for element, was in zip(holders, [original] if version2 else
                                [f for f in original.iter() if _local(f) == "file"]):
            declared = was.get(attribute) or ""
            expected = declared if declared.split("-")[0].lower() == lang else lang
            if element.get(attribute) != expected:
                problems.append(f"{attribute} is {element.get(attribute)!r}, not {expected!r}")
    return problems


def _untranslated(root: Any) -> dict[str, bytes]:
    """Each unit with translate="no", by name, as canonical XML."""
    return {f"{_local(u)} {u.get('id')}": _c14n(u) for u in root.iter()
            if _local(u) in ("trans-unit", "unit") and _no(u)}


def _c14n(element: Any) -> bytes:
    from lxml import etree

    return etree.tostring(element, method="c14n")


@dataclass
class Outcome:
    files: int
    units: int
    failures: list[str]
    rebuilt: int
    changed_kept: int
    seconds: float
    largest: str

    def summary(self) -> str:
        broken = {f.split(":", 1)[0] for f in self.failures}
        return (f"formats_xliff: {self.files - len(broken)}/{self.files} files have every target "
                f"filled ({self.units} units and segments), inline codes kept and nothing else "
                f"changed in es and zh ({self.seconds:.1f} s); {self.rebuilt}/{2 * self.files} "
                f"outputs rebuilt from their catalogs; {self.changed_kept}/{self.files} keep their "
                f"codes with every sentence changed; {self.largest}")

    @property
    def ok(self) -> bool:
        return not self.failures


def _reversed_words(text: str) -> str:
    return " ".join(reversed(text.split()))


def run(files: list[Path], work: Path) -> Outcome:
    from translator import formats
    from translator.pipeline import read_source

    out_dir = work / "out"
    failures: list[str] = []
    started = time.perf_counter()
    result = translate_with_copy_models([read_source(path) for path in files], out_dir)
    seconds = time.perf_counter() - started
    failures += [f"{e}: refused" for e in result.failures]

    rebuilt = units = 0
    for path in files:
        source = path.read_bytes()
        units += len(pairs(_xml(source)))
        for lang in TARGETS:
            output = out_dir / lang / path.name
            if not output.is_file():
                failures.append(f"{path.name}: no {lang} output")
                continue
            written = output.read_bytes()
            failures += [f"{path.name}: {lang}: {p}" for p in compare(source, written, lang, True)]
            problem = build_again(out_dir / lang / f"{path.stem}.po", written, work)
            if problem is None:
                rebuilt += 1
            else:
                failures.append(f"{path.name}: {lang}: {problem}")

    changed_kept = 0
    for path in files:
        adapter = formats.adapter_for(path.name)
        document = adapter.parse(path.read_bytes(), path.name)
        out = adapter.render(document, [_reversed_words(s.text) for s in document.segments()],
                             lang="es")
        problems = compare(path.read_bytes(), out, "es", same_text=False)
        failures += [f"{path.name}: changed: {p}" for p in problems]
        changed_kept += not problems

    # Time and peak memory of a fresh `translator translate` of the largest file into es.
    biggest = max(files, key=lambda p: p.stat().st_size)
    took, peak_mb, returncode, error = measure_translate(biggest, work, "--to", "es", "--from", "en")
    if returncode:
        failures.append(f"{biggest.name}: a fresh translate exited {returncode}: {error}")
    largest = f"largest ({biggest.name}, {biggest.stat().st_size / 1024:.0f} KB): {took:.2f} s, {peak_mb:.0f} MB"
    return Outcome(len(files), units, failures, rebuilt, changed_kept, seconds, largest)


def main(argv: list[str] | None = None) -> int:
    corpus = corpus_argument("Translate the reference XLIFF files with the copy model; compare units.", argv)
    folder = corpus / "formats" / "xliff"
    files = sorted(p for p in folder.glob("*") if p.suffix in (".xlf", ".xliff"))
    if not files:
        print(f"formats_xliff: skipped (no XLIFF files in {folder})")
        return 0
    with isolated_work("xliff") as work:
        outcome = run(files, work)
    return report(outcome.summary(), outcome.failures, outcome.ok)


if __name__ == "__main__":
    sys.exit(main())
