"""PO conformance: does pre-translating a real gettext catalog keep everything it holds?

Every catalog of the reference corpus (`../shared/corpus/po`: real files from polib, the
Translate Toolkit, Babel and pretix) goes through the real pipeline in one run, into Spanish and
Chinese, with the bundled *copy* model and no glossary. Each catalog is read as strictly as
`msgfmt --check` reads it (`glossary.po`): a well-formed one must give, in each language, a
catalog that `msgfmt --check` accepts and that keeps every entry of its input (live and
obsolete, with its context), plural (msgid_plural, one msgstr per form of the target's rule),
previous msgid (`#|`), translator and extracted comment, reference and flag (only `fuzzy` added
to what the model filled, and one "machine translation:" note); a malformed one must be refused
in one line that names the file and line (the corpus keeps some on purpose).

Run by `make conformance`; prints one line of figures, then what failed, and exits 1 when
anything did. Without the corpus it says so in one line and exits 0.
"""
from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from _common import TARGETS, corpus_argument, isolated_work, report, translate_with_copy_models

if TYPE_CHECKING:
    import polib

NOTE = "machine translation:"
_REFUSAL = re.compile(r"(?P<file>[^\n]+?):(?P<line>[0-9]+): [^\n]+")


@dataclass
class Outcome:
    """What one run found."""

    catalogs: int = 0  # well-formed inputs
    refused: int = 0  # malformed inputs, refused as they should be
    entries: int = 0
    plurals: int = 0
    previous: int = 0  # entries with #| lines
    commented: int = 0  # entries with # or #. comments
    flagged: int = 0  # entries with flags of their own
    seconds: float = 0.0
    failures: list[str] = field(default_factory=list)

    def summary(self) -> str:
        outputs = self.catalogs * len(TARGETS)
        verdict = "pass msgfmt --check and keep" if not self.failures else "checked for"
        return (f"po: {self.catalogs} catalogs into {' and '.join(TARGETS)} ({outputs} outputs) "
                f"{verdict} {self.entries} entries ({self.plurals} plural, {self.previous} with #|, "
                f"{self.commented} commented, {self.flagged} flagged); {self.refused} malformed "
                f"refused with file:line; {len(self.failures)} failures in {self.seconds:.1f} s")

    @property
    def ok(self) -> bool:
        return not self.failures


def run(folder: Path, work: Path) -> Outcome:
    """Pre-translate every catalog in `folder` into every target in one run, under `work`.

    `work` comes from `_common.isolated_work` (the packages go into its ARGOS_PACKAGES_DIR).
    """
    from translator.errors import InputError
    from translator.pipeline import Source, read_source

    outcome = Outcome()
    started = time.perf_counter()
    sources: list[Source] = []
    for path in sorted([*folder.glob("*.po"), *folder.glob("*.pot")]):
        try:
            sources.append(read_source(path))
        except InputError as exc:
            message = str(exc)
            found = _REFUSAL.fullmatch(message)
            if found is None or found.group("file") != str(path):
                outcome.failures.append(f"{path.name}: refused without its file and line: {message!r}")
            else:
                outcome.refused += 1
    out = work / "out"
    result = translate_with_copy_models(sources, out)
    outcome.seconds = time.perf_counter() - started
    outcome.failures += [f"run: {failure}" for failure in result.failures]
    for source in sources:
        assert source.path is not None
        outcome.catalogs += 1
        for lang in TARGETS:
            outcome.failures += check_output(source.path, out / lang / f"{source.path.stem}.po",
                                             lang, outcome if lang == TARGETS[0] else None)
    return outcome


def check_output(source: Path, output: Path, lang: str, counts: Outcome | None = None) -> list[str]:
    """What the output of `source` in `lang` lost or broke (empty when nothing); `counts` adds
    up what the source holds."""
    from glossary import po
    from glossary.errors import PoSyntaxError

    name = f"{source.name} -> {lang}"
    if not output.is_file():
        return [f"{name}: no output written"]
    msgfmt = shutil.which("msgfmt")
    if msgfmt is not None:
        check = subprocess.run([msgfmt, "--check", "-o", os.devnull, str(output)],
                               capture_output=True, text=True, check=False)
        if check.returncode != 0:
            return [f"{name}: msgfmt --check refuses it: {check.stderr.strip().splitlines()[-1]}"]
    try:
        written = po.read(output.read_bytes(), str(output)).catalog
    except PoSyntaxError as exc:
        return [f"{name}: the output does not read back: {exc}"]
    given = po.read(source.read_bytes(), str(source)).catalog
    problems: list[str] = []
    if written.metadata.get("Language") != lang:
        problems.append(f"{name}: Language header {written.metadata.get('Language')!r}")
    forms, _ = po.parse_plural_forms(written.metadata.get("Plural-Forms", ""))
    by_key = {(e.msgctxt, e.msgid, e.obsolete): e for e in written}
    if len(by_key) != len(given):
        problems.append(f"{name}: {len(given)} entries in, {len(by_key)} out")
    for entry in given:
        if counts is not None:
            counts.entries += 1
            counts.plurals += bool(entry.msgid_plural)
            counts.previous += any(v is not None for v in (
                entry.previous_msgctxt, entry.previous_msgid, entry.previous_msgid_plural))
            counts.commented += bool(entry.comment or entry.tcomment)
            counts.flagged += bool([f for f in entry.flags if f != "fuzzy"])
        out = by_key.get((entry.msgctxt, entry.msgid, entry.obsolete))
        if out is None:
            problems.append(f"{name}:{entry.linenum}: entry {entry.msgid[:40]!r} is missing")
            continue
        problems += [f"{name}:{entry.linenum}: {what}" for what in _differences(entry, out, forms)]
    return problems


def _differences(entry: polib.POEntry, out: polib.POEntry, forms: int | None) -> list[str]:
    """How the output entry `out` differs from the input `entry` beyond what a run adds."""
    filled = not entry.obsolete and bool(entry.msgid)  # the model filled its msgstr
    found = []
    if out.msgid_plural != entry.msgid_plural:
        found.append("msgid_plural changed")
    for attribute in ("previous_msgctxt", "previous_msgid", "previous_msgid_plural",
                      "tcomment", "occurrences"):
        if getattr(out, attribute) != getattr(entry, attribute):
            found.append(f"{attribute} changed")
    expected_comment = entry.comment
    if filled:
        kept = [line for line in entry.comment.split("\n") if line and not line.startswith(NOTE)]
        expected_comment = "\n".join(kept)
        notes = [line for line in out.comment.split("\n") if line.startswith(NOTE)]
        if len(notes) != 1:
            found.append(f"{len(notes)} machine-translation notes")
        if "\n".join(line for line in out.comment.split("\n") if line and not line.startswith(NOTE)) \
                != expected_comment:
            found.append("extracted comment changed")
    elif out.comment != expected_comment:
        found.append("extracted comment changed")
    own_flags = [f for f in entry.flags if f != "fuzzy"]
    if filled and out.flags != ["fuzzy", *own_flags]:
        found.append(f"flags {entry.flags} became {out.flags}")
    if not filled and out.flags != entry.flags:
        found.append(f"flags {entry.flags} became {out.flags}")
    if filled and entry.msgid_plural:
        values = [out.msgstr_plural.get(i, "") for i in range(forms or 0)]
        if len(out.msgstr_plural) != forms or not all(values):
            found.append(f"{len(out.msgstr_plural)} plural forms, the header says {forms}")
    elif filled and not out.msgstr:
        found.append("no translation")
    if not filled and (out.msgstr, out.msgstr_plural) != (entry.msgstr, entry.msgstr_plural):
        found.append("an untouched translation changed")
    return found


def main(argv: list[str] | None = None) -> int:
    corpus = corpus_argument("Pre-translate the corpus's PO catalogs with the copy model; check what they keep.", argv)
    folder = corpus / "po"
    if not folder.is_dir():
        print(f"po: skipped ({folder} not found)")
        return 0
    with isolated_work("po") as work:
        outcome = run(folder, work)
    return report(outcome.summary(), outcome.failures, outcome.ok)


if __name__ == "__main__":
    sys.exit(main())
