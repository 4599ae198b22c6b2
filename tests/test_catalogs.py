"""Review catalogs: written for every translation, kept across runs, rebuilt into documents."""
import os
import re
import shutil
import subprocess
import sys
import threading
from pathlib import Path

import polib
import pytest
from click.testing import CliRunner

from translator import pipeline
from translator.catalogs import read_catalog
from translator.cli import main
from translator.engine import CTranslate2Translator
from translator.report import build_report

ARTICLE = """# Xi meets López Obrador

Xi Jinping met Andrés Manuel López Obrador in San Francisco. Both praised their Comprehensive Strategic Association.

The two sides agreed to deepen cooperation in finance. They will meet again next year.

The two sides agreed to deepen cooperation in finance.
"""


class Recorder:
    """The real copy model, recording every sentence it is asked to translate."""

    def __init__(self, route, on_translate=None):
        self.inner = CTranslate2Translator(route[0])
        self.seen = []
        self.on_translate = on_translate

    def translate(self, sentences, progress=None):
        self.seen.extend(sentences)
        if self.on_translate:
            self.on_translate()
        return self.inner.translate(sentences, progress)


def translate(sources, out, factory=None, targets=("es",), **kwargs):
    from helpers import TEST_GLOSSARY

    from glossary.storage import load

    termbase = load(TEST_GLOSSARY)
    return pipeline.translate_sources([pipeline.read_source(p) for p in sources], list(targets),
                                      source_lang="en", out_dir=out, termbase=termbase,
                                      translator_factory=factory, placeholder="[{n}]", **kwargs)


@pytest.fixture
def article(tmp_path):
    path = tmp_path / "article.md"
    path.write_text(ARTICLE, encoding="utf-8")
    return path


def test_every_segment_has_an_entry_with_reference_comments_and_fuzzy(with_models, article, tmp_path):
    translate([article], tmp_path / "out")
    po = polib.pofile(str(tmp_path / "out" / "es" / "article.po"))
    assert len(po) == 6
    assert all("fuzzy" in e.flags for e in po)
    first = po[1]
    assert first.msgid == "Xi Jinping met Andrés Manuel López Obrador in San Francisco."
    assert first.occurrences == [(str(article), "3")]
    assert "term: Xi Jinping -> Xi Jinping (enforced)" in first.comment
    assert "machine translation: translate-en_es-copytest" in first.comment
    assert "needs review: output is in en, not es: the model returned the source" in first.comment
    repeated = [e for e in po if e.msgid == "The two sides agreed to deepen cooperation in finance."]
    assert [e.msgctxt for e in repeated] == [None, "occurrence 2"]
    assert po.metadata["Language"] == "es" and po.metadata["Plural-Forms"] == "nplurals=2; plural=(n != 1);"
    assert po.metadata["Content-Type"] == "text/plain; charset=UTF-8"


def test_catalogs_pass_msgfmt_babel_and_translate_toolkit(with_models, article, tmp_path):
    from babel.messages.pofile import read_po
    from translate.storage import factory

    translate([article], tmp_path / "out", targets=("es", "zh"))
    for lang in ("es", "zh"):
        path = tmp_path / "out" / lang / "article.po"
        assert shutil.which("msgfmt"), "GNU gettext is installed by make test"
        check = subprocess.run(["msgfmt", "--check", "-o", "/dev/null", str(path)],
                           capture_output=True, text=True, check=False)
        assert check.returncode == 0, check.stderr
        with open(path, "rb") as handle:
            assert len(list(read_po(handle, abort_invalid=True))) == 7  # header + 6 entries
        assert len([u for u in factory.getobject(str(path)).units if not u.isheader()]) == 6


def test_a_reviewers_work_survives_a_rerun_and_reaches_the_article(with_models, article, tmp_path):
    out = tmp_path / "out"
    translate([article], out)
    catalog_path = out / "es" / "article.po"

    # The reviewer corrects two entries, clears their fuzzy flags and saves.
    po = polib.pofile(str(catalog_path))
    fixes = {
        "Xi Jinping met Andrés Manuel López Obrador in San Francisco.":
            "Xi Jinping se reunió con Andrés Manuel López Obrador en San Francisco.",
        "They will meet again next year.": "Volverán a reunirse el próximo año.",
    }
    for entry in po:
        if entry.msgid in fixes:
            entry.msgstr = fixes[entry.msgid]
            entry.flags.remove("fuzzy")
    po.save()
    reviewed_blocks = {key: block for key, block in read_catalog(catalog_path).raw.items() if key[1] in fixes}

    # The author changes one sentence of the source.
    article.write_text(ARTICLE.replace("deepen cooperation in finance. They", "deepen cooperation in trade. They"),
                       encoding="utf-8")
    recorders = []
    rerun = translate([article], out, factory=lambda route: recorders.append(Recorder(route)) or recorders[-1])
    assert recorders[0].seen == ["The two sides agreed to deepen cooperation in trade."]  # only the change
    # The report says where each of the six segments' text came from.
    assert build_report(rerun)["files"][0]["origins"] == {
        "reviewed": 2, "kept": 3, "memory": 0, "machine": 1}

    after = read_catalog(catalog_path)
    for key, block in reviewed_blocks.items():
        assert after.raw[key] == block  # byte for byte
        assert "fuzzy" not in after.entries[key].flags
    changed = after.entries[(None, "The two sides agreed to deepen cooperation in trade.")]
    assert "fuzzy" in changed.flags
    # The finance sentence now occurs once, so its second-occurrence entry is the one left over.
    obsolete = polib.pofile(str(catalog_path)).obsolete_entries()
    assert [(e.msgctxt, e.msgid) for e in obsolete] == [
        ("occurrence 2", "The two sides agreed to deepen cooperation in finance.")]
    document = (out / "es" / "article.md").read_text(encoding="utf-8")
    assert all(fix in document for fix in fixes.values())

    # build renders the same article from the catalog alone, and --reviewed-only keeps English.
    (out / "es" / "article.md").unlink()
    result = CliRunner().invoke(main, ["build", str(catalog_path)])
    assert result.exit_code == 0, result.output
    assert (out / "es" / "article.md").read_text(encoding="utf-8") == document
    assert "2 reviewed, 4 machine" in result.output
    result = CliRunner().invoke(main, ["build", str(catalog_path), "--reviewed-only", "--out", str(tmp_path / "final")])
    assert "2 reviewed, 0 machine, 4 left untranslated" in result.output
    final = (tmp_path / "final" / "es" / "article.md").read_text(encoding="utf-8")
    assert all(fix in final for fix in fixes.values()) and final.count("\n") == ARTICLE.count("\n")


def test_reviewed_sentences_are_a_memory_for_other_documents(with_models, article, tmp_path):
    out = tmp_path / "out"
    translate([article], out)
    po = polib.pofile(str(out / "es" / "article.po"))
    entry = po.find("They will meet again next year.")
    entry.msgstr, entry.flags = "Volverán a reunirse el próximo año.", []
    po.save()
    other = tmp_path / "other.txt"
    other.write_text("They will meet again next year.\n\nTrade grew fast.\n", encoding="utf-8")
    recorders = []
    result = translate([other], out, factory=lambda route: recorders.append(Recorder(route)) or recorders[-1])
    assert recorders[0].seen == ["Trade grew fast."]
    assert [s.origin.value for s in result.files[0].sentences] == ["memory", "machine"]
    reused = polib.pofile(str(out / "es" / "other.po")).find("They will meet again next year.")
    assert reused.msgstr == "Volverán a reunirse el próximo año." and "fuzzy" not in reused.flags
    assert "reused from article.po" in reused.comment
    assert (out / "es" / "other.txt").read_text(encoding="utf-8").startswith("Volverán a reunirse")


def test_an_edit_saved_during_a_run_is_not_overwritten(with_models, article, tmp_path):
    out = tmp_path / "out"
    translate([article], out)
    catalog_path = out / "es" / "article.po"
    article.write_text(ARTICLE + "\nA new closing sentence.\n", encoding="utf-8")

    def reviewer_saves():
        po = polib.pofile(str(catalog_path))
        entry = po.find("They will meet again next year.")
        entry.msgstr, entry.flags = "Volverán a reunirse.", []
        po.save()

    translate([article], out, factory=lambda route: Recorder(route, on_translate=reviewer_saves))
    entry = polib.pofile(str(catalog_path)).find("They will meet again next year.")
    assert (entry.msgstr, entry.flags) == ("Volverán a reunirse.", [])
    assert "Volverán a reunirse." in (out / "es" / "article.md").read_text(encoding="utf-8")


def test_an_interrupted_run_leaves_earlier_catalogs_intact(with_models, article, tmp_path):
    out = tmp_path / "out"
    translate([article], out, targets=("es", "zh"))
    before = {lang: (out / lang / "article.po").read_bytes() for lang in ("es", "zh")}
    article.write_text(ARTICLE + "\nOne more sentence.\n", encoding="utf-8")
    calls = []

    def factory(route):
        calls.append(route)
        if len(calls) == 2:
            raise KeyboardInterrupt  # Ctrl-C while the second language starts
        return Recorder(route)

    with pytest.raises(KeyboardInterrupt):
        translate([article], out, factory=factory, targets=("es", "zh"))
    assert polib.pofile(str(out / "es" / "article.po")).find("One more sentence.") is not None
    assert (out / "zh" / "article.po").read_bytes() == before["zh"]
    assert not list((out / "zh").glob(".*.tmp"))


def test_build_refuses_a_catalog_without_a_source(tmp_path):
    bare = tmp_path / "bare.po"
    bare.write_text('msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n', encoding="utf-8")
    result = CliRunner().invoke(main, ["build", str(bare)])
    assert result.exit_code == 1
    assert result.stderr == (f"translator: error: {bare} names no source document (X-Source-File header); "
                             "build works on catalogs written by translator translate\n")


def test_a_malformed_catalog_is_reported_with_its_file(with_models, article, tmp_path):
    out = tmp_path / "out"
    (out / "es").mkdir(parents=True)
    (out / "es" / "article.po").write_text('msgid "x"\nmsgstr "y\n', encoding="utf-8")
    result = CliRunner().invoke(main, ["translate", str(article), "--to", "es", "--out", str(out)])
    assert result.exit_code == 1
    assert result.stderr == (f"translator: error: {out / 'es' / 'article.po'}:2: malformed string "
                             "(check the quotes); fix it in a PO editor or move the file away\n")


def test_a_reviewed_sentence_that_comes_back_gets_its_reviewed_translation(with_models, article, tmp_path):
    out = tmp_path / "out"
    translate([article], out)
    catalog_path = out / "es" / "article.po"
    po = polib.pofile(str(catalog_path))
    entry = po.find("They will meet again next year.")
    entry.msgstr, entry.flags = "Volverán a reunirse el próximo año.", []
    po.save()
    article.write_text(ARTICLE.replace(" They will meet again next year.", ""), encoding="utf-8")
    translate([article], out, refresh=True)  # the sentence's entry becomes obsolete
    assert [e.msgid for e in polib.pofile(str(catalog_path)).obsolete_entries()] == ["They will meet again next year."]

    article.write_text(ARTICLE, encoding="utf-8")  # and the author puts the sentence back
    recorders = []
    translate([article], out, factory=lambda route: recorders.append(Recorder(route)) or recorders[-1], refresh=True)
    assert "They will meet again next year." not in (recorders[0].seen if recorders else [])
    back = polib.pofile(str(catalog_path)).find("They will meet again next year.")
    assert (back.msgstr, back.flags) == ("Volverán a reunirse el próximo año.", [])
    assert "Volverán a reunirse el próximo año." in (out / "es" / "article.md").read_text(encoding="utf-8")


def test_a_reviewed_entry_polib_cannot_read_is_kept_byte_for_byte(with_models, article, tmp_path):
    out = tmp_path / "out"
    translate([article], out)
    catalog_path = out / "es" / "article.po"
    # A reviewer's editor wrote a vertical tab (msgfmt reads it; polib splits the line there)
    # and wrapped the string its own way.
    reviewed = ('#. checked by the desk\nmsgid "They will meet again next year."\nmsgstr ""\n'
                '"Volverán a reunirse\\t"\n"el próximo año.\v"')
    text = catalog_path.read_text(encoding="utf-8")
    start = text.index('#. machine translation', text.index('msgid "The two sides agreed to deepen cooperation in '
                                                               'finance."'))
    end = text.index("\n\n", text.index('msgid "They will meet again next year."'))
    catalog_path.write_text(text[:start] + reviewed + text[end:], encoding="utf-8")
    article.write_text(ARTICLE + "\nA new closing sentence.\n", encoding="utf-8")
    translate([article], out)
    assert reviewed in catalog_path.read_text(encoding="utf-8")
    assert "Volverán a reunirse\tel próximo año.\v" in (out / "es" / "article.md").read_text(encoding="utf-8")


# -- a reviewer saving while runs go on ------------------------------------------------------------
class Reviewer(threading.Thread):
    """A person in a PO editor: every few milliseconds they review the next machine entry
    (new text, fuzzy cleared) and save as editors do, a temporary file renamed over the catalog."""

    ENTRY = re.compile(r'#, fuzzy\nmsgid "(?P<id>Sentence number [0-9]+[^"]*)"\nmsgstr "[^"]*"')

    def __init__(self, catalog: Path, pause: float = 0.05) -> None:
        super().__init__(daemon=True)
        self.catalog, self.pause = catalog, pause
        self.stop = threading.Event()
        self.reviewed: list[str] = []

    def run(self) -> None:
        while not self.stop.is_set():
            text = self.catalog.read_text(encoding="utf-8")
            found = self.ENTRY.search(text)
            if found is not None:
                msgid = found.group("id")
                text = text[:found.start()] + f'msgid "{msgid}"\nmsgstr "Revisado: {msgid}"' + text[found.end():]
                temp = self.catalog.with_name(f".{self.catalog.name}~editor")
                temp.write_text(text, encoding="utf-8")
                os.replace(temp, self.catalog)
                self.reviewed.append(msgid)
            self.stop.wait(self.pause)


def _large_document(path: Path, count: int, extra: int = 0) -> None:
    lines = [f"Sentence number {n} talks about trade and growth." for n in range(count)]
    lines += [f"Sentence number {count + n} was added in run {n}." for n in range(extra)]
    path.write_text("\n\n".join(lines) + "\n", encoding="utf-8")


def _large_template(path: Path, count: int, extra: int = 0) -> None:
    messages = [f"Sentence number {n} talks about trade and growth." for n in range(count)]
    messages += [f"Sentence number {count + n} was added in run {n}." for n in range(extra)]
    path.write_text('msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n\n'
                    + "".join(f'#: app.py:{n}\nmsgid "{m}"\nmsgstr ""\n\n' for n, m in enumerate(messages)),
                    encoding="utf-8")


@pytest.mark.parametrize("kind", ["document", "template"])
def test_a_reviewer_saving_continuously_during_runs_loses_nothing(with_models, tmp_path, kind):
    """Every save a reviewer makes while runs replace a large catalog is in the catalog at the
    end, reviewed: a run never renames its catalog over a save it did not merge."""
    count, runs = 3000, 12
    make = _large_document if kind == "document" else _large_template
    source = tmp_path / ("article.txt" if kind == "document" else "messages.pot")
    out = tmp_path / "out"
    make(source, count)
    translate([source], out)
    catalog = out / "es" / (source.stem + ".po")
    reviewer = Reviewer(catalog)
    reviewer.start()
    try:
        for run in range(1, runs + 1):
            make(source, count, extra=run)  # each run has a new sentence, so it writes the catalog
            translate([source], out)
    finally:
        reviewer.stop.set()
        reviewer.join(10)

    assert len(reviewer.reviewed) >= runs  # the reviewer was saving while the runs went on
    entries = {e.msgid: e for e in polib.pofile(str(catalog))}
    lost = [m for m in reviewer.reviewed
            if m not in entries or entries[m].msgstr != f"Revisado: {m}" or "fuzzy" in entries[m].flags]
    assert lost == []


# -- a sentence that leaves the document and comes back --------------------------------------------
@pytest.mark.parametrize("reviewed", [True, False], ids=["reviewed", "machine"])
def test_a_sentence_that_comes_back_revives_its_obsolete_entry(with_models, article, tmp_path, reviewed):
    out = tmp_path / "out"
    translate([article], out)
    catalog_path = out / "es" / "article.po"
    po = polib.pofile(str(catalog_path))
    entry = po.find("They will meet again next year.")
    entry.tcomment = "checked with the Madrid desk"
    if reviewed:
        entry.msgstr, entry.flags = "Volverán a reunirse el próximo año.", []
    po.save()
    expected = (entry.msgstr, entry.flags, entry.tcomment)
    article.write_text(ARTICLE.replace(" They will meet again next year.", ""), encoding="utf-8")
    translate([article], out)
    assert [e.msgid for e in polib.pofile(str(catalog_path)).obsolete_entries()] == [
        "They will meet again next year."]

    article.write_text(ARTICLE, encoding="utf-8")  # the author puts the sentence back
    recorders = []
    translate([article], out, factory=lambda route: recorders.append(Recorder(route)) or recorders[-1])

    assert not recorders  # nothing for the model: the entry lives again as it was
    po = polib.pofile(str(catalog_path))
    assert po.obsolete_entries() == []
    back = po.find("They will meet again next year.")
    assert (back.msgstr, back.flags, back.tcomment) == expected
    assert back.occurrences == [(str(article), "5")]
    stats = subprocess.run(["msgfmt", "--statistics", "-o", "/dev/null", str(catalog_path)],
                           capture_output=True, text=True, check=True).stderr
    assert stats.startswith(f"{1 if reviewed else 0} translated message")  # editors count it again


# -- file names that a reference line cannot hold as they are -----------------------------------------
@pytest.mark.parametrize(
    "name",
    ["two\nlines.txt", "my article.txt", "tab\tand space .txt", "50% done.txt", " leading.txt", "ünï cödé.txt"],
    ids=["newline", "space", "tab-trailing-space", "percent", "leading-space", "non-ascii"],
)
def test_any_file_name_gives_a_valid_catalog_that_build_finds(with_models, tmp_path, name):
    folder = tmp_path / "src"
    folder.mkdir()
    source = folder / name
    source.write_text("Trade grew fast. Prices fell.\n", encoding="utf-8")
    out = tmp_path / "out"
    translate([source], out)
    catalog_path = out / "es" / (source.stem + ".po")

    check = subprocess.run(["msgfmt", "--check", "-o", "/dev/null", str(catalog_path)],
                           capture_output=True, text=True, check=False)
    assert check.returncode == 0, check.stderr
    catalog = read_catalog(catalog_path)
    shown = str(source).replace("\n", "\\n").replace("\t", "\\t")  # a reference is one line
    assert [e.occurrences for e in catalog.entries.values()] == [[(shown, "1")]] * 2
    assert len(polib.pofile(str(catalog_path))) == 2  # polib reads it too

    document = (out / "es" / name).read_text(encoding="utf-8")
    (out / "es" / name).unlink()
    result = CliRunner().invoke(main, ["build", str(catalog_path)])
    assert result.exit_code == 0, result.output
    assert (out / "es" / name).read_text(encoding="utf-8") == document


def test_a_catalog_saved_again_before_every_attempt_is_left_alone_with_one_error(
        with_models, article, tmp_path, monkeypatch):
    from translator import catalogs

    out = tmp_path / "out"
    translate([article], out)
    catalog_path = out / "es" / "article.po"
    article.write_text(ARTICLE + "\nA new closing sentence.\n", encoding="utf-8")
    monkeypatch.setattr(catalogs, "SAVE_ATTEMPTS", 3)
    real_read = catalogs.read_catalog
    saves = []

    def read_then_someone_saves(path, reuse=None):
        found = real_read(path, reuse)
        if found is not None and reuse is not None:  # the re-reading just before a replace
            saves.append(1)
            path.write_bytes(found.data + f"\n# save {len(saves)}\n".encode())
        return found

    monkeypatch.setattr(catalogs, "read_catalog", read_then_someone_saves)
    result = translate([article], out)
    assert [str(f) for f in result.failures] == [
        f"{catalog_path} was saved again during each of 3 attempts to update it; it was left as it is: "
        "run again when it is saved less often"]
    assert catalog_path.read_bytes().endswith(f"\n# save {len(saves)}\n".encode())


def test_a_later_run_removes_what_a_killed_run_left(with_models, article, tmp_path):
    from glossary import po

    out = tmp_path / "out"
    translate([article], out)
    killed = subprocess.run(
        [sys.executable, "-c", "import os, signal, sys; from pathlib import Path; from glossary import po;"
         "[po._write_temporary(Path(p), b'half') for p in sys.argv[1:]]; os.kill(os.getpid(), signal.SIGKILL)",
         str(out / "es" / "article.po"), str(out / "es" / "article.md")], check=False)
    assert killed.returncode == -9 and len(list((out / "es").glob(".*.tmp"))) == 2
    live = out / "es" / f".article.po.{os.getpid()}-{po._host_tag()}-00000000.tmp"  # a writer at work
    live.write_bytes(b"")

    article.write_text(ARTICLE + "\nA new closing sentence.\n", encoding="utf-8")
    translate([article], out)

    assert [p.name for p in (out / "es").glob(".*.tmp")] == [live.name]
