"""HTML conformance: does a translation keep every page of the reference corpus as it was?

Every page of `../shared/corpus/formats/html/` goes through the real pipeline in one run (the
HTML adapter, sentence splitting, protection, the bundled *copy* model, rendering) into Spanish
and Chinese, without a glossary. The copy model gives its input back, so each output must hold
the same elements with the same attributes in the same order, the same comments, doctype and
script/style content, and the same text, as an independent parser reads them (the standard
library's `html.parser`): text with each run of whitespace as one space (a translated sentence
is written on one line), inside `<pre>` and `<textarea>` every character. The differences
allowed: the root element's `lang`/`xml:lang`, which must be the target language; in Chinese,
the documented typography (`translator.typography`: no space between two CJK characters or
marks, full-width punctuation next to Han characters), which the copy model's English rarely
meets; and where the copy model itself did not give a sentence back, as the review catalog
shows, the output must hold what the model wrote (such pieces are counted in the line).

The same pages are rendered again with every sentence changed (case swapped, letters replaced
by characters that need escaping; no model): the markup must not move. Then `translator build`
on each output catalog must write the output again, byte for byte. The largest page is also
translated by a fresh process, timed, and its peak memory (VmHWM) read.

Run by `make conformance`; prints one line of figures, then each failure, and exits 1 when any
page failed. Without the corpus it says so and exits 0.
"""
from __future__ import annotations

import sys
import time
from collections.abc import Iterable
from dataclasses import dataclass, field
from html.parser import HTMLParser
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

_EXACT = frozenset({"pre", "textarea", "listing", "xmp", "plaintext"})
_ROOTS = frozenset({"html", "package", "ncx"})  # elements whose language is the target's
# A changed sentence: its case swapped and "a e o i A" written as "< & \" ' >", which rendering
# must escape; `_UNCHANGE` maps both sides back before they are compared.
_CHANGE = str.maketrans({"a": "<", "e": "&", "o": '"', "i": "'", "A": ">"})
_UNCHANGE = str.maketrans({"<": "a", "&": "e", '"': "o", "'": "i", ">": "a"})

Event = tuple[str, ...]


class _Events(HTMLParser):
    """A page as what a reader and a browser see: tags with attributes, text, comments."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.events: list[Event] = []
        self.text: list[str] = []
        self.exact = 0
        self.root: list[tuple[str, str | None]] | None = None

    def _flush(self) -> None:
        text = "".join(self.text)
        self.text = []
        if not self.exact:
            text = " ".join(text.split())
        if text:
            self.events.append(("text", text))

    def _tag(self, kind: str, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._flush()
        if tag in _ROOTS and self.root is None:
            self.root = [(k, v) for k, v in attrs if k in ("lang", "xml:lang")]
            attrs = [(k, v) for k, v in attrs if k not in ("lang", "xml:lang")]
        shown = tuple(f"{k}={' '.join(v.split()) if v is not None else ''}" for k, v in attrs)
        self.events.append((kind, tag) + shown)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._tag("start", tag, attrs)
        if tag in _EXACT:
            self.exact += 1

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._tag("empty", tag, attrs)

    def handle_endtag(self, tag: str) -> None:
        self._flush()
        if tag in _EXACT and self.exact:
            self.exact -= 1
        self.events.append(("end", tag))

    def handle_data(self, data: str) -> None:
        self.text.append(data)

    def handle_comment(self, data: str) -> None:
        self._flush()
        self.events.append(("comment", data))

    def handle_decl(self, decl: str) -> None:
        self._flush()
        self.events.append(("decl", decl))

    def handle_pi(self, data: str) -> None:
        self._flush()
        self.events.append(("pi", data))

    def unknown_decl(self, data: str) -> None:
        self._flush()
        self.events.append(("decl", data))


def events(text: str) -> tuple[list[Event], list[tuple[str, str | None]]]:
    """The page's events, and the root element's language attributes (taken out of them)."""
    parser = _Events()
    parser.feed(text)
    parser.close()
    parser._flush()
    return parser.events, parser.root or []


Change = tuple[str, str]  # a piece of a source sentence, and what the model made of it


def model_changes(catalog: Path, lang: str) -> list[Change]:
    """Where the copy model itself did not give its input back, read from a review catalog:
    the pieces between markers that differ (whitespace collapsed, Chinese typography applied)."""
    import polib

    from translator.inline import MARKER
    from translator.typography import fit_to_target

    found: list[Change] = []
    for entry in polib.pofile(str(catalog)):
        pieces = [MARKER.split(text)[::4] for text in (entry.msgid, entry.msgstr)]
        if len(pieces[0]) != len(pieces[1]):
            continue
        for old, new in zip(*pieces):
            old, new = (" ".join(fit_to_target(t, lang).split()) for t in (old, new))
            if old != new:
                found.append((old, new))
    return found


def compare_markup(before: str, after: str, lang: str | None, *, changed: bool = False,
                   excused: list[Change] | None = None) -> str | None:
    """The first difference a reader would see between a page and its copy-model translation
    (None when there is none); with `lang`, the root's language must say it. With `changed`,
    the translation is the one `change` made: compared case-folded and mapped back. A text
    that differs only where the model changed a sentence (`excused`, see `model_changes`) is
    counted there, not as a difference."""
    old, _ = events(before)
    new, root = events(after)
    if lang == "zh":  # the documented Chinese typography may differ (translator.typography)
        old, new = _typeset(old), _typeset(new)
    if changed:
        old, new = ([tuple(x.casefold().translate(_UNCHANGE) for x in e) for e in found]
                    for found in (old, new))
    for n, (a, b) in enumerate(zip(old, new)):
        if a != b and not (a[0] == b[0] == "text" and _explained(a[1], b[1], excused or [])):
            return f"event {n}: {_show(a)} became {_show(b)}"
    if len(old) != len(new):
        return f"{len(old)} events became {len(new)}"
    if lang is not None:
        wrong = [f"{k}={v}" for k, v in root if v != lang]
        if wrong or not root:
            return f"the root says {', '.join(wrong) or 'no language'}, not {lang}"
    return None


def _explained(before: str, after: str, changes: list[Change]) -> bool:
    for old, new in changes:
        if old and old in before:
            before = before.replace(old, new, 1)
    return before == after


def _typeset(found: list[Event]) -> list[Event]:
    """Events with Chinese typography applied to their text and attribute values."""
    from translator.typography import normalize_chinese

    return [(e[0], normalize_chinese(e[1])) if e[0] == "text" else
            e[:2] + tuple(normalize_chinese(a) for a in e[2:]) if e[0] in ("start", "empty") else e
            for e in found]


def _show(event: Event) -> str:
    text = " ".join(event)
    return repr(text if len(text) <= 120 else text[:119] + "…")


def change(text: str) -> str:
    """A sentence as a translation that changes every letter and needs escaping, its markers
    kept."""
    from translator.inline import MARKER

    pieces, last = [], 0
    for m in MARKER.finditer(text):
        pieces += [text[last:m.start()].swapcase().translate(_CHANGE), m.group()]
        last = m.end()
    return "".join(pieces) + text[last:].swapcase().translate(_CHANGE)


def render_changed(path: Path, lang: str) -> bytes:
    """The file rendered with every sentence changed (see `change`), without a model."""
    from translator import formats

    adapter = formats.adapter_for(path.name)
    assert adapter.kind == "document"
    document = adapter.parse(path.read_bytes(), path.name)
    return adapter.render(document, [change(s.text) for s in document.segments()], lang=lang)


def decoded(data: bytes, name: str) -> str:
    """A page decoded as the HTML adapter decodes it (same charset rules)."""
    from translator.formats.html import decode_markup

    return decode_markup(data, name)[0]


@dataclass
class Outcome:
    """What one suite found."""

    suite: str
    files: int
    sentences: int = 0
    seconds: float = 0.0
    failures: list[str] = field(default_factory=list)
    failed: dict[str, set[str]] = field(default_factory=lambda: {lang: set() for lang in TARGETS})
    built: int = 0
    builds: int = 0
    changed: int = 0  # files that keep their markup with every sentence changed
    excused: int = 0  # pieces of sentences the copy model itself did not give back
    largest: str = ""

    def summary(self, unit: str, what: str) -> str:
        both = self.files - len(set().union(*self.failed.values()))
        kept = ", ".join(f"{lang} {self.files - len(names)}" for lang, names in self.failed.items())
        return (f"{self.suite}: {both}/{self.files} {unit} keep {what} ({kept}), {self.sentences:,} "
                f"sentences, in {self.seconds:.1f} s ({self.excused} changed by the copy model "
                f"itself); {self.changed}/{self.files} keep their markup "
                f"with every sentence changed; build reproduces {self.built}/{self.builds} outputs; "
                f"{self.largest}")

    @property
    def ok(self) -> bool:
        return not self.failures


def translate_all(paths: list[Path], work: Path, outcome: Outcome) -> Path:
    """Every file into every target in one pipeline run; returns the output folder."""
    from translator.errors import InputError
    from translator.pipeline import Source, read_source

    out_dir = work / "out"
    started = time.perf_counter()
    sources: list[Source] = []
    for path in paths:
        try:
            sources.append(read_source(path))
        except InputError as exc:
            outcome.failures.append(f"{path.name}: refused: {exc}")
            for names in outcome.failed.values():
                names.add(path.name)
    outcome.sentences = sum(len(s.segments()) for s in sources)
    translate_with_copy_models(sources, out_dir)
    outcome.seconds = time.perf_counter() - started
    return out_dir


def check_builds(paths: Iterable[Path], out_dir: Path, work: Path, outcome: Outcome) -> None:
    """`translator build` on each output catalog writes the output again, byte for byte."""
    for path in paths:
        for lang in TARGETS:
            output = out_dir / lang / path.name
            catalog = output.with_suffix(".po")
            if not output.is_file() or not catalog.is_file():
                continue
            outcome.builds += 1
            problem = build_again(catalog, output.read_bytes(), work)
            if problem is None:
                outcome.built += 1
            else:
                outcome.failures.append(f"{lang}/{path.name}: {problem}")
                outcome.failed[lang].add(path.name)


def measure(path: Path, work: Path) -> str:
    """Translate one file into es and zh in a fresh process: its time and peak memory (the
    figures formats_html and formats_epub end their line with)."""
    seconds, peak_mb, returncode, _ = measure_translate(path, work, "--to", "es,zh", "--from", "en")
    status = "" if returncode == 0 else f" (exit {returncode})"
    return (f"largest {path.name} ({path.stat().st_size / 1024:.0f} KB) to es+zh in a fresh process: "
            f"{seconds:.1f} s, {peak_mb:.0f} MB peak{status}")


def run(corpus_dir: Path, work: Path) -> Outcome:
    paths = sorted(corpus_dir.glob("*.htm*"))
    outcome = Outcome("formats_html", len(paths))
    inputs = work / "in"
    inputs.mkdir()
    copies = []
    for path in paths:  # copied, so the pipeline's catalogs name a file in the temporary folder
        copy = inputs / path.name
        copy.write_bytes(path.read_bytes())
        copies.append(copy)
    out_dir = translate_all(copies, work, outcome)
    for path in copies:
        before = decoded(path.read_bytes(), path.name)
        for lang in TARGETS:
            output = out_dir / lang / path.name
            if not output.is_file():
                outcome.failed[lang].add(path.name)
                outcome.failures.append(f"{lang}/{path.name}: not written")
                continue
            excused = model_changes(output.with_suffix(".po"), lang)
            outcome.excused += len(excused)
            problem = compare_markup(before, decoded(output.read_bytes(), path.name), lang,
                                     excused=excused)
            if problem is not None:
                outcome.failed[lang].add(path.name)
                outcome.failures.append(f"{lang}/{path.name}: {problem}")
        problem = compare_markup(before, decoded(render_changed(path, "es"), path.name), "es",
                                 changed=True)
        if problem is None:
            outcome.changed += 1
        else:
            outcome.failures.append(f"{path.name} with its sentences changed: {problem}")
    check_builds(copies, out_dir, work, outcome)
    largest = max(copies, key=lambda p: p.stat().st_size)
    outcome.largest = measure(largest, work)
    return outcome


def main(argv: list[str] | None = None) -> int:
    corpus = corpus_argument("Translate the corpus's HTML pages with the copy model; compare them.", argv)
    folder = corpus / "formats" / "html"
    if not any(folder.glob("*.htm*")):
        print(f"formats_html: skipped ({folder} has no pages)")
        return 0
    with isolated_work("html") as work:
        outcome = run(folder, work)
    return report(outcome.summary("pages", "their markup and text"), outcome.failures, outcome.ok)


if __name__ == "__main__":
    sys.exit(main())
