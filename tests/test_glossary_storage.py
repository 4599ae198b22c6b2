"""PO storage: the files PO tools accept, round trips, errors with lines, atomic and locked saves."""
from __future__ import annotations

import io
import re
import shutil
import subprocess
import threading
from pathlib import Path

import polib
import pytest
from helpers import TEST_GLOSSARY
from hypothesis import given
from hypothesis import strategies as st

from glossary import po, storage
from glossary.errors import GlossaryNotFoundError, PoSyntaxError
from glossary.model import Concept, Rendering, Termbase
from glossary.storage import (
    LOCK_NAME,
    POT_NAME,
    edit,
    load,
    read_po,
    render_catalog,
    save,
    to_catalogs,
    to_termbase,
    write_po,
)

GLOSSARY_FILES = [TEST_GLOSSARY / POT_NAME, *(TEST_GLOSSARY / lang / "glossary.po" for lang in ("es", "zh"))]
MALFORMED = sorted((TEST_GLOSSARY / "malformed").glob("*.po"))


def _files(directory: Path) -> dict[str, bytes]:
    return {
        str(p.relative_to(directory)): p.read_bytes()
        for p in sorted(directory.rglob("*")) if p.is_file() and p.name != LOCK_NAME
    }


@pytest.mark.parametrize("path", GLOSSARY_FILES, ids=lambda p: p.relative_to(TEST_GLOSSARY).as_posix())
def test_glossary_file_round_trips_through_polib_byte_for_byte(path: Path) -> None:
    assert str(polib.pofile(str(path))).encode("utf-8") == path.read_bytes()


def test_load_then_save_of_unchanged_termbase_writes_nothing(glossary_copy: Path) -> None:
    before = _files(glossary_copy)
    assert save(load(glossary_copy), glossary_copy) == []
    assert _files(glossary_copy) == before


def test_read_po_then_write_po_reproduces_the_file(tmp_path: Path) -> None:
    path = TEST_GLOSSARY / "zh" / "glossary.po"
    out = io.BytesIO()
    with open(path, "rb") as handle:
        write_po(out, read_po(handle, str(path)))
    assert out.getvalue() == path.read_bytes()


@pytest.mark.skipif(shutil.which("msgfmt") is None, reason="GNU gettext msgfmt not installed")
@pytest.mark.parametrize("path", GLOSSARY_FILES, ids=lambda p: p.relative_to(TEST_GLOSSARY).as_posix())
def test_glossary_file_passes_msgfmt_check_without_warnings(path: Path) -> None:
    result = subprocess.run(
        ["msgfmt", "--check", "-o", "/dev/null", str(path)], capture_output=True, text=True, check=False
    )
    assert (result.returncode, result.stderr) == (0, "")


def test_the_test_glossary_has_fourteen_concepts_in_both_languages() -> None:
    termbase = load(TEST_GLOSSARY)
    assert len(termbase) == 14
    assert termbase.languages == ("es", "zh")
    celac = termbase.get("CELAC")
    assert (celac.case_sensitive, celac.rendering("zh").text) == (True, "拉共体")
    assert celac.rendering("es").keep and celac.rendering("es").text == "CELAC"
    forum = termbase.get("China-CELAC Forum")
    assert forum.variants == ("China-Latin America Community Forum", "China-Latin America Forum")
    road = termbase.get("Belt and Road Initiative")
    assert road.note == 'The official English name since 2015; never "One Belt, One Road".'
    assert road.forbidden("es") == ("Un Cinturón, Una Ruta",)


def test_every_fact_survives_save_and_load(tmp_path: Path) -> None:
    concept = Concept(
        "China-CELAC Forum", context="organisation",
        variants=("China-Latin America Community Forum",), case_sensitive=True,
        note="Use the full name on first mention.\nThen the short one.",
        renderings=(
            Rendering("es", "Foro China-CELAC", fuzzy=True, forbidden=("Foro China-Celac",),
                      comment="forbidden: is a word here, not a key"),
            Rendering("zh", "中国－拉共体论坛", keep=False, flags=("no-wrap",)),
        ),
        flags=("x-reviewed",),
    )
    save(Termbase([concept]), tmp_path)
    assert list(load(tmp_path)) == [concept]


@pytest.mark.parametrize(
    "variant",
    [
        "A very long variant spelled with many words so that it is wider than polib's comment width",
        "China-Latin-America-and-the-Caribbean-Community-Forum-for-Cooperation variant",
        "note: looks like a key after wrapping" + " word" * 14 + " variant: x",
    ],
    ids=["long-words", "long-hyphenated", "key-like-text"],
)
def test_long_comment_values_survive_polib_rewriting_the_file(tmp_path: Path, variant: str) -> None:
    concept = Concept("CELAC", variants=(variant,), note=variant, renderings=(
        Rendering("es", "CELAC", forbidden=(variant,)),))
    save(Termbase([concept]), tmp_path)
    for path in (tmp_path / POT_NAME, tmp_path / "es" / "glossary.po"):
        polib.pofile(str(path)).save()  # what another polib-based tool would do
    loaded = load(tmp_path).get("CELAC")
    assert (loaded.variants, loaded.note, loaded.forbidden("es")) == ((variant,), variant, (variant,))


def test_po_entry_missing_from_the_pot_is_kept_and_healed(tmp_path: Path) -> None:
    save(Termbase([Concept("APEC", renderings=(Rendering("es", "APEC"),))]), tmp_path)
    po = tmp_path / "es" / "glossary.po"
    po.write_text(po.read_text() + '\n#. variant: Latin American Community\nmsgid "Community of '
                  'Latin American and Caribbean States"\nmsgstr "Comunidad"\n', encoding="utf-8")
    termbase = load(tmp_path)
    assert termbase.get("Community of Latin American and Caribbean States").variants == (
        "Latin American Community",)
    save(termbase, tmp_path)
    assert 'msgid "Community of Latin American and Caribbean States"' in (
        tmp_path / POT_NAME).read_text(encoding="utf-8")


def test_unknown_flags_and_translator_comments_written_by_hand_are_kept(tmp_path: Path) -> None:
    save(Termbase([Concept("Xinhua", renderings=(Rendering("zh", "新华社"),))]), tmp_path)
    po = tmp_path / "zh" / "glossary.po"
    po.write_text(po.read_text().replace('msgid "Xinhua"', '# checked by the desk\n#, no-wrap\nmsgid "Xinhua"'))
    save(load(tmp_path), tmp_path)
    assert "# checked by the desk\n#, no-wrap\nmsgid \"Xinhua\"" in po.read_text()


def test_entries_are_written_in_alphabetical_order_whatever_the_order_of_adding(tmp_path: Path) -> None:
    save(Termbase([Concept("multilateralism"), Concept("APEC"), Concept("CELAC")]), tmp_path)
    assert [e.msgid for e in polib.pofile(str(tmp_path / POT_NAME))] == ["APEC", "CELAC", "multilateralism"]


@pytest.mark.parametrize("path", MALFORMED, ids=lambda p: p.stem)
def test_malformed_po_is_reported_with_file_and_line(path: Path) -> None:
    expected_line, expected_reason = path.read_bytes().split(b"\n", 1)[0].decode()[len("# expect: "):].split(": ", 1)
    with open(path, "rb") as handle, pytest.raises(PoSyntaxError) as caught:
        read_po(handle, str(path))
    assert (caught.value.file, caught.value.line) == (str(path), int(expected_line))
    assert caught.value.reason.startswith(expected_reason)
    assert str(caught.value).startswith(f"{path}:{expected_line}: ")


def test_malformed_po_in_a_glossary_directory_names_that_file(glossary_copy: Path) -> None:
    po = glossary_copy / "zh" / "glossary.po"
    lines = po.read_text(encoding="utf-8").splitlines()
    broken = lines.index('msgid "Xinhua"') + 1
    lines[broken] = 'msgstr "新华社'
    po.write_text("\n".join(lines) + "\n", encoding="utf-8")
    with pytest.raises(PoSyntaxError) as caught:
        load(glossary_copy)
    assert (caught.value.file, caught.value.line) == (str(po), broken + 1)


def test_load_of_a_directory_without_a_glossary_says_so(tmp_path: Path) -> None:
    with pytest.raises(GlossaryNotFoundError):
        load(tmp_path / "nowhere")


def test_save_leaves_no_temporary_files(tmp_path: Path) -> None:
    save(Termbase([Concept("APEC", renderings=(Rendering("es", "APEC"),))]), tmp_path)
    assert sorted(p.name for p in tmp_path.rglob("*")) == ["es", "glossary.po", "glossary.pot"]


def test_failed_write_leaves_the_old_file_whole(glossary_copy: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    before = _files(glossary_copy)
    termbase = load(glossary_copy)
    termbase.add(Concept("G20", renderings=(Rendering("es", "G20"), Rendering("zh", "二十国集团"))))

    def broken_replace(src: str, dst: str) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr("glossary.storage.os.replace", broken_replace)
    with pytest.raises(OSError):
        save(termbase, glossary_copy)
    assert _files(glossary_copy) == before  # old files intact, temporary files removed


def test_edit_of_a_missing_glossary_creates_nothing_unless_asked(tmp_path: Path) -> None:
    with pytest.raises(GlossaryNotFoundError), edit(tmp_path / "none"):
        pass
    assert not (tmp_path / "none").exists()
    with edit(tmp_path / "new", create=True) as termbase:
        termbase.add(Concept("Xinhua", renderings=(Rendering("zh", "新华社"),)))
    assert [c.term for c in load(tmp_path / "new")] == ["Xinhua"]


def test_edit_saves_nothing_when_the_block_fails(glossary_copy: Path) -> None:
    before = _files(glossary_copy)
    with pytest.raises(RuntimeError), edit(glossary_copy) as termbase:
        termbase.remove("CELAC")
        raise RuntimeError("changed my mind")
    assert _files(glossary_copy) == before


def test_concurrent_writers_both_keep_their_entries(glossary_copy: Path) -> None:
    first_inside = threading.Event()
    release_first = threading.Event()
    second_loaded: list[int] = []

    def first() -> None:
        with edit(glossary_copy) as termbase:
            first_inside.set()
            release_first.wait(5)
            termbase.add(Concept("G20"))

    def second() -> None:
        first_inside.wait(5)
        with edit(glossary_copy) as termbase:
            second_loaded.append(len(termbase))
            termbase.add(Concept("BRICS"))

    threads = [threading.Thread(target=first), threading.Thread(target=second)]
    for thread in threads:
        thread.start()
    threads[1].join(0.3)
    assert threads[1].is_alive(), "the second writer must wait for the first one's lock"
    release_first.set()
    for thread in threads:
        thread.join(10)
    termbase = load(glossary_copy)
    assert second_loaded == [15]  # it saw the first writer's G20 (the test glossary has 14 terms)
    assert {"G20", "BRICS"} <= {c.term for c in termbase}


def test_to_catalogs_and_to_termbase_are_inverse(glossary_copy: Path) -> None:
    termbase = load(glossary_copy)
    template, translations = to_catalogs(termbase)
    assert list(to_termbase(template, translations)) == list(termbase)


_WORDS = st.text(st.sampled_from(list("ab é术 -\"\\")), min_size=1, max_size=90).filter(str.strip)


@st.composite
def _concepts(draw: st.DrawFn) -> Concept:
    renderings = tuple(
        Rendering(lang, text=draw(_WORDS | st.just("")), fuzzy=draw(st.booleans()), keep=draw(st.booleans()),
                  forbidden=tuple(draw(st.lists(_WORDS, max_size=2))), comment=draw(_WORDS | st.just("")),
                  flags=tuple(draw(st.lists(st.sampled_from(["c-format", "no-wrap"]), max_size=1))))
        for lang in draw(st.sets(st.sampled_from(["es", "zh"])))
    )
    return Concept(term=draw(_WORDS), context=draw(st.none() | _WORDS),
                   variants=tuple(draw(st.lists(_WORDS, max_size=2))), case_sensitive=draw(st.booleans()),
                   note=draw(_WORDS | st.just("")), renderings=renderings)


@given(st.lists(_concepts(), max_size=6))
def test_each_file_is_rendered_as_to_catalogs_builds_it(concepts: list[Concept]) -> None:
    termbase = Termbase(languages=["es"])
    for concept in concepts:
        if concept.key not in termbase:
            termbase.add(concept, allow_conflicts=True)
    template, translations = to_catalogs(termbase)
    strip_date = re.compile(rb'"PO-Revision-Date: [^"]*"\n')
    assert strip_date.sub(b"", render_catalog(termbase, None)) == strip_date.sub(b"", po.render(template))
    for lang, catalog in translations.items():
        assert strip_date.sub(b"", render_catalog(termbase, lang)) == strip_date.sub(b"", po.render(catalog))


def test_save_makes_and_writes_one_file_before_making_the_next(tmp_path: Path,
                                                               monkeypatch: pytest.MonkeyPatch) -> None:
    termbase = Termbase([Concept("trade", renderings=(Rendering("es", "comercio"), Rendering("zh", "贸易")))])
    events: list[str] = []
    render, write = storage.render_catalog, po._write_temporary
    monkeypatch.setattr(storage, "render_catalog", lambda tb, lang: events.append(f"make {lang}") or render(tb, lang))
    monkeypatch.setattr(po, "_write_temporary",
                        lambda path, data: events.append(f"write {path.name}") or write(path, data))
    save(termbase, tmp_path)
    assert events == ["make es", "write glossary.po", "make zh", "write glossary.po",
                      "make None", "write glossary.pot"]
    assert load(tmp_path).get("trade").rendering("zh").text == "贸易"
