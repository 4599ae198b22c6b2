"""A run over an archive a chunk of sources at a time: the same files and report as one chunk,
each repeated sentence translated once, sources read when their chunk comes, and an interrupted
or failing chunk costing only itself."""
from __future__ import annotations

import gc
from pathlib import Path

import polib
import pytest
from helpers import TEST_GLOSSARY, output_files

from glossary.storage import load
from translator import outputs, pipeline, pofiles, sources
from translator.chunks import Chunking, ChunkProgress, chunked
from translator.engine import CTranslate2Translator
from translator.report import build_report
from translator.units import Unit

REPEATED = "The two sides agreed to deepen cooperation in finance."
TEMPLATE = f"""msgid ""
msgstr ""
"Content-Type: text/plain; charset=UTF-8\\n"

#: app.py:3
msgid "{REPEATED}"
msgstr ""

#: app.py:9
msgid "One file"
msgid_plural "%d files"
msgstr[0] ""
msgstr[1] ""
"""
SMALL = Chunking(documents=2, segments=1_000)


class Recorder:
    """The copy model, recording each call's sentences."""

    def __init__(self, route, on_call=None):
        self.inner = CTranslate2Translator(route[0])
        self.calls: list[list[str]] = []
        self.on_call = on_call

    def translate(self, sentences, progress=None):
        self.calls.append(list(sentences))
        if self.on_call is not None:
            self.on_call(len(self.calls))
        return self.inner.translate(sentences, progress)


def _archive(root: Path) -> list[sources.Input]:
    """Seven articles in subfolders (one sentence in all of them) and a gettext template."""
    folder = root / "archive"
    for n in range(7):
        path = folder / f"{2020 + n % 3}" / f"art_{n}.md"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(f"# Article {n}\n\nThe forum opened in city number {n}. {REPEATED}\n\n"
                        f"Trade grew by {n} percent in Comprehensive Strategic Partnership areas.\n",
                        encoding="utf-8")
    (folder / "app.pot").write_text(TEMPLATE, encoding="utf-8")
    return sources.expand_inputs([str(folder)], root / "out")


def _run(items, out, chunking=Chunking(), factory=None, **kwargs):
    return pipeline.translate_sources(items, ["es", "zh"], source_lang="en", out_dir=out,
                                      termbase=load(TEST_GLOSSARY), placeholder="[{n}]",
                                      translator_factory=factory, chunking=chunking, **kwargs)


def _rows(result) -> list[dict]:
    return [{k: v for k, v in row.items() if k != "output"} for row in build_report(result)["files"]]


def _review_one(out: Path) -> None:
    """A person translates the last article's forum sentence: memory for a later run."""
    catalog = polib.pofile(str(out / "es" / "2020" / "art_6.po"))
    entry = catalog.find("The forum opened in city number 6.")
    entry.msgstr, entry.flags = "El foro se abrió en la ciudad número 6.", []
    catalog.save()


def test_a_chunked_run_writes_the_files_and_report_of_a_single_chunk(with_models, tmp_path):
    items = _archive(tmp_path)
    for out in (tmp_path / "one", tmp_path / "many"):
        _run(items, out)
        _review_one(out)
    (tmp_path / "archive" / "2020" / "art_0.md").write_text(
        "The forum opened in city number 6.\n\nA new closing line.\n", encoding="utf-8")
    one = _run(items, tmp_path / "one")
    many = _run(items, tmp_path / "many", SMALL)

    assert output_files(tmp_path / "many") == output_files(tmp_path / "one")
    assert len(output_files(tmp_path / "one")) == 2 * (7 * 2 + 1)
    assert build_report(many)["totals"] == build_report(one)["totals"]
    assert _rows(many) == _rows(one)
    assert [(p.segments, p.translated) for p in many.pairs] == [(p.segments, p.translated) for p in one.pairs]
    assert any(row["origins"]["memory"] for row in _rows(many))  # memory crossed the chunks


def test_a_sentence_repeated_across_chunks_goes_to_the_model_once(with_models, tmp_path):
    items = _archive(tmp_path)
    recorders: list[Recorder] = []

    def factory(route):
        recorders.append(Recorder(route))
        return recorders[-1]

    _run(items, tmp_path / "out", SMALL, factory)

    assert len(recorders) == 2  # one model per language pair, kept across its chunks
    es = [sentence for call in recorders[0].calls for sentence in call]
    assert len(recorders[0].calls) > 1  # several chunks
    assert es.count(REPEATED) == 1
    assert len(es) == len(set(es))


def test_only_the_results_of_repeated_sentences_outlive_their_chunk(with_models, tmp_path, monkeypatch):
    items = _archive(tmp_path)
    kept: list[set[str]] = []
    real_run = pipeline._Pair.run

    def run(self, *args, **kwargs):
        real_run(self, *args, **kwargs)
        kept.append(set(self.done))

    monkeypatch.setattr(pipeline._Pair, "run", run)
    _run(items, tmp_path / "out", SMALL)

    # In every article and the template; every other sentence occurs once in the run.
    assert kept and all(done == {REPEATED} for done in kept)


def test_sources_are_read_when_their_chunk_comes(with_models, tmp_path, monkeypatch):
    items = _archive(tmp_path)
    events: list[str] = []
    real_read = sources.read_source

    def read(path, rel=None):
        events.append(f"read {rel}")
        return real_read(path, rel)

    monkeypatch.setattr(sources, "read_source", read)
    out = tmp_path / "out"
    written: list[int] = []

    def on_call(_calls):
        events.append("translate")
        written.append(len(list((out / "es").rglob("*.md"))))

    pipeline.translate_sources(items, ["es"], source_lang="en", out_dir=out, placeholder="[{n}]",
                               translator_factory=lambda route: Recorder(route, on_call), chunking=SMALL)

    # A first pass reads every input once (language, what it is), then each chunk is read,
    # translated and written before the next is read.
    assert events[:8] == [f"read {item.rel}" for item in items]
    assert events[8:] == ["read " + items[0].rel, "read " + items[1].rel, "translate",
                          "read " + items[2].rel, "read " + items[3].rel, "translate",
                          "read " + items[4].rel, "read " + items[5].rel, "translate",
                          "read " + items[6].rel, "read " + items[7].rel, "translate"]
    assert written == [0, 2, 4, 6]  # the articles of the chunks before, no more


def test_a_small_run_reads_each_source_once(with_models, tmp_path, monkeypatch):
    items = _archive(tmp_path)
    reads: list[str | None] = []
    real_read = sources.read_source
    monkeypatch.setattr(sources, "read_source", lambda path, rel=None: reads.append(rel) or real_read(path, rel))

    _run(items, tmp_path / "out")  # two languages, one chunk

    assert sorted(reads, key=str) == sorted((item.rel for item in items), key=str)


def test_a_few_long_documents_are_read_again_rather_than_held(with_models, tmp_path, monkeypatch):
    items = _archive(tmp_path)
    reads: list[str | None] = []
    real_read = sources.read_source
    monkeypatch.setattr(sources, "read_source", lambda path, rel=None: reads.append(rel) or real_read(path, rel))

    # Few documents, but more sentences than a chunk holds: nothing is kept from the first pass.
    pipeline.translate_sources(items, ["es"], source_lang="en", out_dir=tmp_path / "out",
                               placeholder="[{n}]", chunking=Chunking(documents=100, segments=12))

    assert sorted(reads, key=str) == sorted([item.rel for item in items] * 2, key=str)


def _big_template(path: Path, entries: int) -> Path:
    """A template of `entries` two-sentence messages."""
    body = "".join(f'\n#: app.py:{n}\nmsgid "Message {n} was saved. Please check file {n}."\nmsgstr ""\n'
                   for n in range(entries))
    path.write_text('msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n' + body,
                    encoding="utf-8")
    return path


def _count_splits(monkeypatch) -> list[str]:
    split: list[str] = []
    real = pofiles.split_sentences
    monkeypatch.setattr(pofiles, "split_sentences", lambda text: split.append(text) or real(text))
    return split


def test_one_large_catalog_is_read_and_split_once(with_models, tmp_path, monkeypatch):
    """A catalog bigger than a chunk is not held by the first pass, but the source read last is:
    a run over one big file reads and splits it once for the language and every target."""
    items = sources.expand_inputs([str(_big_template(tmp_path / "big.pot", 300))], tmp_path / "out")
    reads: list[str] = []
    real_read = sources.read_source
    monkeypatch.setattr(sources, "read_source", lambda path, rel=None: reads.append(str(path)) or real_read(path, rel))
    split = _count_splits(monkeypatch)

    _run(items, tmp_path / "out", chunking=Chunking(documents=2, segments=100))

    assert len(reads) == 1
    assert sorted(split) == sorted(f"Message {n} was saved. Please check file {n}." for n in range(300))


def test_a_catalog_run_again_with_every_entry_kept_splits_only_the_language_sample(
        with_models, tmp_path, monkeypatch):
    """One input is one chunk, so no sentence needs counting for later chunks: a run that keeps
    every entry splits only what telling the language reads (200 sentences), not the catalog."""
    items = sources.expand_inputs([str(_big_template(tmp_path / "big.pot", 300))], tmp_path / "out")
    _run(items, tmp_path / "out")
    split = _count_splits(monkeypatch)

    again = _run(items, tmp_path / "out")

    assert sum(pair.translated for pair in again.pairs) == 0
    assert 0 < len(split) <= 100  # two sentences a message


# --- one catalog larger than a chunk: translated in parts ------------------------------------

PARTS = Chunking(documents=256, segments=70)  # the 300-message template below: 9 parts of 70


def _parted_template(tmp_path: Path) -> list[sources.Input]:
    """300 two-sentence messages, one sentence of which is in the first and the last message,
    a plural and a reviewed entry kept from an earlier output."""
    path = _big_template(tmp_path / "big.pot", 300)
    text = path.read_text(encoding="utf-8").replace("Please check file 299.", f"{REPEATED}")
    text = text.replace("Please check file 0.", f"{REPEATED}")
    text += '\n#: app.py:900\nmsgid "One file was saved."\nmsgid_plural "%d files were saved."\n' \
            'msgstr[0] ""\nmsgstr[1] ""\n'
    path.write_text(text, encoding="utf-8")
    return sources.expand_inputs([str(path)], tmp_path / "out")


def test_a_catalog_in_parts_gives_the_file_and_report_of_one_part(with_models, tmp_path):
    items = _parted_template(tmp_path)
    calls: list[int] = []
    one = _run(items, tmp_path / "one")
    many = _run(items, tmp_path / "many", PARTS,
                factory=lambda route: Recorder(route, on_call=calls.append))

    assert output_files(tmp_path / "many") == output_files(tmp_path / "one")
    assert len(calls) == 2 * 9  # each part went to the model in a chunk of its own
    assert _rows(many) == _rows(one) and len(many.files) == 2
    assert build_report(many)["totals"] == build_report(one)["totals"]
    assert [(p.segments, p.translated) for p in many.pairs] == [(p.segments, p.translated) for p in one.pairs]


def test_a_report_of_a_catalog_in_parts_is_the_same_without_its_units(with_models, tmp_path):
    items = _parted_template(tmp_path)
    with_units = _run(items, tmp_path / "one", PARTS)
    rows = _run(items, tmp_path / "two", PARTS, keep_units=False)

    assert _rows(rows) == _rows(with_units)
    assert all(not f.units for f in rows.files) and all(len(f.units) == 602 for f in with_units.files)


def test_a_sentence_in_two_parts_of_a_catalog_goes_to_the_model_once(with_models, tmp_path):
    items = _parted_template(tmp_path)
    recorders: list[Recorder] = []
    _run(items, tmp_path / "out", PARTS, lambda route: recorders.append(Recorder(route)) or recorders[-1])

    sent = [sentence for call in recorders[0].calls for sentence in call]
    assert sent.count(REPEATED) == 1 and len(sent) == len(set(sent))
    assert REPEATED in sent[:70]  # in the first part, kept for the last


def test_a_catalog_in_parts_holds_one_part_of_units_at_a_time(with_models, tmp_path, monkeypatch):
    items = _parted_template(tmp_path)
    seen: list[int] = []
    real_write = outputs.CatalogPlan.write

    def write(self, *args):
        gc.collect()
        seen.append(sum(isinstance(thing, Unit) for thing in gc.get_objects()))
        return real_write(self, *args)

    monkeypatch.setattr(outputs.CatalogPlan, "write", write)
    _run(items, tmp_path / "out", PARTS, keep_units=False)

    assert len(seen) == 2 * 9 and max(seen) <= 70


def test_a_catalog_in_parts_moves_the_bar_by_one_file(with_models, tmp_path):
    items = _parted_template(tmp_path)
    bar = Bar()

    _run(items, tmp_path / "out", PARTS, progress=bar)

    assert bar.position == 2 * ChunkProgress.SCALE
    assert bar.steps and all(step > 0 for step in bar.steps)


def test_what_a_run_holds_is_out_of_the_collectors_sight_until_it_ends(with_models, tmp_path):
    """Full collections do not walk the parsed sources and plans again and again (they are frozen
    while the model works), and everything is given back to the collector when the run ends."""
    assert gc.get_freeze_count() == 0
    frozen: list[int] = []
    _run(_archive(tmp_path), tmp_path / "out", SMALL,
         factory=lambda route: Recorder(route, on_call=lambda _n: frozen.append(gc.get_freeze_count())))

    assert frozen and all(count > 1000 for count in frozen)
    assert gc.get_freeze_count() == 0


def test_a_process_that_froze_objects_itself_keeps_them_frozen(with_models, tmp_path):
    gc.freeze()
    try:
        before = gc.get_freeze_count()
        during: list[int] = []
        _run(_archive(tmp_path), tmp_path / "out",
             factory=lambda route: Recorder(route, on_call=lambda _n: during.append(gc.get_freeze_count())))
        # Never more frozen (a few of its objects may be freed meanwhile), and not given back.
        assert during and max(during) <= before
        assert before // 2 < gc.get_freeze_count() <= before
    finally:
        gc.unfreeze()


def test_a_file_that_fails_in_its_chunk_is_reported_and_the_rest_are_written(with_models, tmp_path):
    items = _archive(tmp_path)
    doomed = Path(items[3].name)

    def on_call(calls):
        if calls == 1:
            doomed.write_bytes(b"\xff\xfe not UTF-8")  # broken after the first pass read it

    result = pipeline.translate_sources(items, ["es"], source_lang="en", out_dir=tmp_path / "out",
                                        placeholder="[{n}]", chunking=SMALL,
                                        translator_factory=lambda route: Recorder(route, on_call))

    [failure] = result.failures
    assert str(failure).startswith(str(doomed))
    assert len(result.files) == len(items) - 1
    assert not (tmp_path / "out" / "es" / items[3].rel).exists()


def test_ctrl_c_in_a_chunk_leaves_its_catalogs_and_the_later_ones_as_they_were(with_models, tmp_path):
    items = _archive(tmp_path)
    out = tmp_path / "out"
    pipeline.translate_sources(items, ["es"], source_lang="en", out_dir=out, placeholder="[{n}]")
    before = output_files(out)
    for n, item in enumerate(items[:-1]):
        Path(item.name).write_text(Path(item.name).read_text(encoding="utf-8") + f"\nOne more sentence ({n}).\n",
                                   encoding="utf-8")

    def on_call(calls):
        if calls == 2:
            raise KeyboardInterrupt  # Ctrl-C while the second chunk translates

    with pytest.raises(KeyboardInterrupt):
        pipeline.translate_sources(items, ["es"], source_lang="en", out_dir=out, placeholder="[{n}]",
                                   chunking=SMALL, translator_factory=lambda route: Recorder(route, on_call))

    after = output_files(out)
    done = {f"es/{Path(item.rel).with_suffix(suffix)}" for item in items[:2] for suffix in (".md", ".po")}
    for name, data in after.items():
        if name in done:  # the first chunk: written whole
            assert b"One more sentence (" in data
        else:
            assert data == before[name]
    assert not [p for p in out.rglob("*") if p.name.endswith(".tmp")]


def test_a_run_that_lets_units_go_reports_the_same(with_models, tmp_path):
    items = _archive(tmp_path)
    kept = _run(items, tmp_path / "kept", SMALL)
    light = _run(items, tmp_path / "light", SMALL, keep_units=False)

    assert all(not f.units for f in light.files)
    assert light.segments == kept.segments
    assert _rows(light) == _rows(kept)


class Bar:
    def __init__(self):
        self.starts: list[tuple[str, int]] = []
        self.position = 0
        self.finished = 0
        self.steps: list[int] = []

    def start(self, label, total):
        self.starts.append((label, total))

    def advance(self, n):
        self.position += n
        self.steps.append(n)

    def finish(self):
        self.finished += 1


def test_one_progress_bar_per_language_pair_over_all_its_chunks(with_models, tmp_path):
    items = _archive(tmp_path)
    bar = Bar()

    _run(items, tmp_path / "out", SMALL, progress=bar)

    assert bar.starts == [("en -> es", len(items) * ChunkProgress.SCALE),
                          ("en -> zh", len(items) * ChunkProgress.SCALE)]
    assert bar.position == 2 * len(items) * ChunkProgress.SCALE
    assert bar.finished == 2


@pytest.mark.parametrize(("sizes", "expected"), [
    ([1, 1, 1, 1, 1], [[1, 1], [1, 1], [1]]),
    ([600, 600, 1], [[600, 600], [1]]),
    ([5000, 1], [[5000], [1]]),
], ids=["by documents", "by sentences", "one long document alone"])
def test_a_chunk_closes_at_its_document_or_sentence_limit(sizes, expected):
    assert list(chunked(sizes, lambda n: n, SMALL)) == expected
