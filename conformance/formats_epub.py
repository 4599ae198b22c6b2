"""EPUB conformance: does a translated book keep every member of the reference corpus's books?

Every book of `../shared/corpus/formats/epub/` goes through the real pipeline in one run, with
the bundled *copy* model, into Spanish and Chinese, without a glossary. Each output must be an
EPUB with the same members in the same order, `mimetype` first and stored; every member the
adapter does not rewrite byte for byte the same; every rewritten one (spine XHTML, navigation,
OPF, NCX) the same markup and text as `formats_html` compares pages, its root's language (and
the OPF's `dc:language`) the target language. The same holds with every sentence changed
(without a model), and `translator build` on each output catalog must write the output again,
byte for byte. The largest book is also translated by a fresh process, timed, and its peak
memory (VmHWM) read.

Run by `make conformance`; one line of figures, then each failure; exits 1 when a book failed,
0 (saying so) without the corpus.
"""
from __future__ import annotations

import io
import re
import sys
import zipfile
from pathlib import Path

from _common import TARGETS, corpus_argument, isolated_work, report
from formats_html import (
    Change,
    Outcome,
    check_builds,
    compare_markup,
    decoded,
    measure,
    model_changes,
    render_changed,
    translate_all,
)

_LANGUAGE = re.compile(r"(<(?:[\w-]+:)?language\b[^>]*>)([^<]*)(</)")
_MARKUP = (".xhtml", ".html", ".htm", ".opf", ".ncx")


def compare_books(before: bytes, after: bytes, lang: str, *, changed: bool = False,
                  excused: list[Change] | None = None) -> str | None:
    """The first difference between a book and its translation (None when there is none)."""
    old, new = zipfile.ZipFile(io.BytesIO(before)), zipfile.ZipFile(io.BytesIO(after))
    first = new.infolist()[0]
    if first.filename != "mimetype" or first.compress_type != zipfile.ZIP_STORED:
        return "mimetype is not the first member, stored"
    names = sorted(i.filename for i in old.infolist())
    if sorted(i.filename for i in new.infolist()) != names:
        return "the members differ"
    for name in names:
        a, b = old.read(name), new.read(name)
        if a == b:
            if name.lower().endswith((".xhtml", ".html", ".htm")):
                return f"{name}: not rewritten (its language is not {lang})"
            continue
        if not name.lower().endswith(_MARKUP):
            return f"{name}: changed"
        text_a, text_b = decoded(a, name), decoded(b, name)
        if name.lower().endswith(".opf"):
            said = _LANGUAGE.search(text_b)
            if said is None or said.group(2).strip() != lang:
                return f"{name}: dc:language is not {lang}"
            text_a, text_b = (_LANGUAGE.sub(r"\1\3", t, count=1) for t in (text_a, text_b))
        expect = lang if name.lower().endswith((".xhtml", ".html", ".htm")) else None
        problem = compare_markup(text_a, text_b, expect, changed=changed, excused=excused)
        if problem is not None:
            return f"{name}: {problem}"
    return None


def run(corpus_dir: Path, work: Path) -> Outcome:
    paths = sorted(corpus_dir.glob("*.epub"))
    outcome = Outcome("formats_epub", len(paths))
    inputs = work / "in"
    inputs.mkdir()
    copies = []
    for path in paths:
        copy = inputs / path.name
        copy.write_bytes(path.read_bytes())
        copies.append(copy)
    out_dir = translate_all(copies, work, outcome)
    for path in copies:
        for lang in TARGETS:
            output = out_dir / lang / path.name
            excused = model_changes(output.with_suffix(".po"), lang) if output.is_file() else []
            outcome.excused += len(excused)
            problem = (compare_books(path.read_bytes(), output.read_bytes(), lang, excused=excused)
                       if output.is_file() else "not written")
            if problem is not None:
                outcome.failed[lang].add(path.name)
                outcome.failures.append(f"{lang}/{path.name}: {problem}")
        problem = compare_books(path.read_bytes(), render_changed(path, "es"), "es", changed=True)
        if problem is None:
            outcome.changed += 1
        else:
            outcome.failures.append(f"{path.name} with its sentences changed: {problem}")
    check_builds(copies, out_dir, work, outcome)
    largest = max(copies, key=lambda p: p.stat().st_size)
    outcome.largest = measure(largest, work)
    return outcome


def main(argv: list[str] | None = None) -> int:
    corpus = corpus_argument("Translate the corpus's EPUB books with the copy model; compare them.", argv)
    folder = corpus / "formats" / "epub"
    if not any(folder.glob("*.epub")):
        print(f"formats_epub: skipped ({folder} has no books)")
        return 0
    with isolated_work("epub") as work:
        outcome = run(folder, work)
    return report(outcome.summary("books", "every member"), outcome.failures, outcome.ok)


if __name__ == "__main__":
    sys.exit(main())
