"""Machine pre-translation of gettext catalogs: plurals and format strings kept, reviewed entries untouched."""
import shutil
import subprocess
from pathlib import Path

import polib
import pytest
from click.testing import CliRunner

from translator import outputs
from translator.cli import main
from translator.files import decode_po
from translator.languages import NAMES

POT = r'''# Messages of a small app.
msgid ""
msgstr ""
"Project-Id-Version: demo 1.0\n"
"POT-Creation-Date: 2026-11-01 10:00+0000\n"
"PO-Revision-Date: YEAR-MO-DA HO:MI+ZONE\n"
"Last-Translator: FULL NAME <EMAIL@ADDRESS>\n"
"Language-Team: LANGUAGE <LL@li.org>\n"
"MIME-Version: 1.0\n"
"Content-Type: text/plain; charset=CHARSET\n"
"Content-Transfer-Encoding: 8bit\n"
"Plural-Forms: nplurals=INTEGER; plural=EXPRESSION;\n"

#. Shown after a clean-up.
#: app.py:10
#, python-format
msgid "Deleted %(count)d files from %(folder)s."
msgstr ""

#: app.py:12
#, python-format
msgid "One report about CELAC was saved."
msgid_plural "%(num)d reports about CELAC were saved."
msgstr[0] ""
msgstr[1] ""

#: app.py:20
#, python-brace-format
msgid "Welcome, {name}! Xi Jinping sends greetings."
msgstr ""

#: app.c:3
#, c-format
msgid "Processing %s (%d%% done)"
msgstr ""
'''


@pytest.fixture
def pot(tmp_path):
    path = tmp_path / "messages.pot"
    path.write_text(POT, encoding="utf-8")
    return path


def translate(pot, out, *extra):
    result = CliRunner().invoke(main, ["translate", str(pot), "--to", "es,zh", "--from", "en",
                                       "--out", str(out), *extra])
    assert result.exit_code == 0, result.output
    return {lang: polib.pofile(str(out / lang / "messages.po")) for lang in ("es", "zh")}


def test_pot_is_pretranslated_with_plurals_and_format_strings_kept(with_models, pot, tmp_path):
    catalogs = translate(pot, tmp_path / "out")
    es, zh = catalogs["es"], catalogs["zh"]
    assert es.metadata["Plural-Forms"] == "nplurals=2; plural=(n != 1);"
    assert zh.metadata["Plural-Forms"] == "nplurals=1; plural=0;"
    assert es.metadata["Language"] == "es" and es.metadata["Content-Type"] == "text/plain; charset=UTF-8"
    deleted = es.find("Deleted %(count)d files from %(folder)s.")
    assert deleted.msgstr == "Deleted %(count)d files from %(folder)s."  # the copy model; formats intact
    assert deleted.flags == ["fuzzy", "python-format"]
    assert deleted.occurrences == [("app.py", "10")] and "Shown after a clean-up." in deleted.comment
    plural_es = es.find("One report about CELAC was saved.")
    assert plural_es.msgstr_plural == {0: "One report about CELAC was saved.",
                                       1: "%(num)d reports about CELAC were saved."}
    plural_zh = zh.find("One report about CELAC was saved.")
    assert plural_zh.msgstr_plural == {0: "%(num)d reports about 拉共体 were saved."}
    assert zh.find("Welcome, {name}! Xi Jinping sends greetings.").msgstr == "Welcome, {name}! 习近平 sends greetings."
    assert es.find("Processing %s (%d%% done)").msgstr == "Processing %s (%d%% done)"


def test_pretranslated_catalogs_pass_msgfmt_check(with_models, pot, tmp_path):
    translate(pot, tmp_path / "out")
    for lang in ("es", "zh"):
        check = subprocess.run(["msgfmt", "--check", "-o", "/dev/null", str(tmp_path / "out" / lang / "messages.po")],
                               capture_output=True, text=True, check=False)
        assert check.returncode == 0, check.stderr


def test_reviewed_entries_are_untouched_on_a_second_run(with_models, pot, tmp_path):
    out = tmp_path / "out"
    es = translate(pot, out)["es"]
    entry = es.find("Welcome, {name}! Xi Jinping sends greetings.")
    entry.msgstr, entry.flags = "¡Bienvenido, {name}! Xi Jinping le saluda.", ["python-brace-format"]
    es.save()
    again = translate(pot, out, "--refresh")["es"]
    kept = again.find("Welcome, {name}! Xi Jinping sends greetings.")
    assert (kept.msgstr, kept.flags) == ("¡Bienvenido, {name}! Xi Jinping le saluda.", ["python-brace-format"])
    assert "fuzzy" in again.find("Deleted %(count)d files from %(folder)s.").flags


def test_a_malformed_pot_is_one_line_error_with_its_line(with_models, tmp_path):
    bad = tmp_path / "bad.pot"
    bad.write_text('msgid "one"\nmsgstr ""\nmsgid "two\n', encoding="utf-8")
    result = CliRunner().invoke(main, ["translate", str(bad), "--to", "es"])
    assert result.exit_code == 1
    assert result.stderr == (f"translator: error: {bad}:3: malformed string (check the quotes); "
                             "fix it in a PO editor or move the file away\n")


PLURAL_POT = '''msgid ""
msgstr ""
"Content-Type: text/plain; charset=UTF-8\\n"
"Plural-Forms: nplurals=INTEGER; plural=EXPRESSION;\\n"

msgid "One report was saved."
msgid_plural "%(num)d reports were saved."
msgstr[0] ""
msgstr[1] ""
'''


@pytest.mark.parametrize(
    "lang, forms",
    [
        ("es", ["ONE REPORT WAS SAVED.", "%(NUM)D REPORTS WERE SAVED."]),
        ("ru", ["ONE REPORT WAS SAVED.", "%(NUM)D REPORTS WERE SAVED.", "%(NUM)D REPORTS WERE SAVED."]),
        # Babel's Latvian rule puts CLDR's "zero" form first: n = 1 is form 1.
        ("lv", ["%(NUM)D REPORTS WERE SAVED.", "ONE REPORT WAS SAVED.", "%(NUM)D REPORTS WERE SAVED."]),
        ("zh", ["%(NUM)D REPORTS WERE SAVED."]),  # one form: the one with the number
    ],
    ids=["es", "ru", "lv", "zh"],
)
def test_plural_forms_are_filled_for_the_target_language(lang, forms, tmp_path):
    from glossary import po
    from translator import pofiles

    catalog = decode_po(PLURAL_POT.encode("utf-8"), tmp_path / "app.pot").catalog
    done = {p.text: p.text.upper() for p in pofiles.pieces(catalog, set())}
    text = pofiles.pretranslate(catalog, lang, done, {}, "machine translation: test")
    out = po.read(text.encode("utf-8"), f"{lang}.po").catalog
    assert out.metadata["Plural-Forms"] == po.plural_forms(lang)
    entry = out[0]
    assert [entry.msgstr_plural[i] for i in sorted(entry.msgstr_plural)] == forms
    assert entry.flags == ["fuzzy"]


@pytest.mark.parametrize(
    "body, line, reason",
    [
        ('msgid "one"\nmsgid_plural "ones"\nmsgstr[0] ""\nmsgstr[2] ""\n', 4, "msgstr[2] follows msgstr[0]"),
        ('msgid "one\\q"\nmsgstr ""\n', 1, "invalid escape \\q"),
        ('msgctxt "menu"\n', 1, "syntax error: msgctxt must be followed by msgid"),
    ],
    ids=["plural-gap", "bad-escape", "only-msgctxt"],
)
def test_a_pot_that_msgfmt_refuses_is_refused_with_its_line(body, line, reason, tmp_path):
    from translator import pipeline
    from translator.errors import InputError

    bad = tmp_path / "bad.pot"
    bad.write_text(body, encoding="utf-8")
    with pytest.raises(InputError) as caught:
        pipeline.read_source(bad)
    assert str(caught.value).startswith(f"{bad}:{line}: {reason}")
    assert "\n" not in str(caught.value)


@pytest.mark.skipif(shutil.which("msgfmt") is None, reason="GNU gettext msgfmt not installed")
@pytest.mark.parametrize("lang", sorted(NAMES))
def test_pretranslated_plurals_pass_msgfmt_check_in_every_argos_language(lang, tmp_path):
    from translator import pofiles

    catalog = decode_po(PLURAL_POT.encode("utf-8"), tmp_path / "app.pot").catalog
    done = {p.text: p.text for p in pofiles.pieces(catalog, set())}
    path = tmp_path / f"{lang}.po"
    path.write_text(pofiles.pretranslate(catalog, lang, done, {}, "note"), encoding="utf-8")
    path.write_text(path.read_text(encoding="utf-8").replace("#, fuzzy\n", ""), encoding="utf-8")  # check every form
    check = subprocess.run(["msgfmt", "--check", "-o", "/dev/null", str(path)],
                           capture_output=True, text=True, check=False)
    assert check.returncode == 0, check.stderr


def _reviewed_two_forms(tmp_path):

    catalog = decode_po(PLURAL_POT.encode("utf-8"), tmp_path / "app.pot").catalog
    entry = catalog[0]
    kept = polib.POEntry(msgid=entry.msgid, msgid_plural=entry.msgid_plural,
                         msgstr_plural={0: "Išsaugota ataskaita.", 1: "Išsaugotos %(num)d ataskaitos."})
    return catalog, {(None, entry.msgid): kept}


def test_the_replaced_catalogs_plural_forms_win_so_reviewed_plurals_still_fit(tmp_path):
    from glossary import po
    from translator import pofiles

    catalog, reviewed = _reviewed_two_forms(tmp_path)
    text = pofiles.pretranslate(catalog, "lt", {}, reviewed, "note", plural_forms="nplurals=2; plural=(n != 1);")
    out = po.read(text.encode("utf-8"), "lt.po").catalog  # as strict as msgfmt --check: it fits
    assert out.metadata["Plural-Forms"] == "nplurals=2; plural=(n != 1);"
    assert (out[0].msgstr_plural, out[0].flags) == ({0: "Išsaugota ataskaita.", 1: "Išsaugotos %(num)d ataskaitos."}, [])


@pytest.mark.skipif(shutil.which("msgfmt") is None, reason="GNU gettext msgfmt not installed")
def test_a_reviewed_plural_that_no_longer_fits_the_rule_is_kept_and_marked_fuzzy(tmp_path):
    from glossary import po
    from translator import pofiles

    catalog, reviewed = _reviewed_two_forms(tmp_path)  # Lithuanian has three forms
    text = pofiles.pretranslate(catalog, "lt", {}, reviewed, "note", plural_forms="nplurals=x; plural=n;")
    out = po.read(text.encode("utf-8"), "lt.po").catalog
    assert out.metadata["Plural-Forms"] == po.plural_forms("lt") and po.nplurals("lt") == 3
    assert (out[0].msgstr_plural[1], out[0].flags) == ("Išsaugotos %(num)d ataskaitos.", ["fuzzy"])
    assert reviewed[(None, out[0].msgid)].flags == []  # the caller's entry is not changed
    path = tmp_path / "lt.po"
    path.write_text(text, encoding="utf-8")
    check = subprocess.run(["msgfmt", "--check", "-o", "/dev/null", str(path)],
                           capture_output=True, text=True, check=False)
    assert check.returncode == 0, check.stderr


# -- what an output keeps, and what it never carries over -------------------------------------------
def test_outputs_replace_the_templates_placeholder_header_values(with_models, pot, tmp_path):
    catalogs = translate(pot, tmp_path / "out")
    for lang, catalog in catalogs.items():
        assert catalog.metadata["Project-Id-Version"] == "demo 1.0"  # the template's own value
        assert catalog.metadata["POT-Creation-Date"] == "2026-11-01 10:00+0000"
        assert catalog.metadata["PO-Revision-Date"][:4].isdigit()
        assert catalog.metadata["Last-Translator"] == "translator (machine translation)"
        assert catalog.metadata["Language-Team"] == NAMES[lang]
        check = subprocess.run(["msgfmt", "--check", "-o", "/dev/null", catalog.fpath],
                               capture_output=True, text=True, check=False)
        assert (check.returncode, check.stderr) == (0, "")  # not even "still has the initial default value"


@pytest.mark.parametrize("with_entries", [False, True], ids=["header-only", "one-entry"])
def test_a_header_only_template_gets_an_output_named_after_its_file(
        with_models, tmp_path, with_entries):
    pot = tmp_path / "empty.pot"
    pot.write_text(POT.split("\n\n")[0].replace("demo 1.0", "PACKAGE VERSION") + "\n"
                   + ('\nmsgid "Hello there."\nmsgstr ""\n' if with_entries else ""), encoding="utf-8")
    result = CliRunner().invoke(main, ["translate", str(pot), "--to", "es", "--out", str(tmp_path / "out")])
    assert result.exit_code == 0, result.output
    assert result.output.startswith("Translated 1 file into es:")
    out = polib.pofile(str(tmp_path / "out" / "es" / "empty.po"))
    assert (len(out), out.metadata["Project-Id-Version"]) == (int(with_entries), "empty.pot")
    check = subprocess.run(["msgfmt", "--check", "-o", "/dev/null", out.fpath],
                           capture_output=True, text=True, check=False)
    assert (check.returncode, check.stderr) == (0, "")


def test_translating_this_tools_output_again_does_not_stack_the_machine_note(with_models, pot, tmp_path):
    first = translate(pot, tmp_path / "first")["es"]
    again = tmp_path / "messages.po"  # the output given as input again, to another --out
    again.write_bytes(Path(first.fpath).read_bytes())
    result = CliRunner().invoke(main, ["translate", str(again), "--to", "zh", "--from", "en",
                                       "--out", str(tmp_path / "second")])
    assert result.exit_code == 0, result.output
    for entry in polib.pofile(str(tmp_path / "second" / "zh" / "messages.po")):
        notes = [line for line in entry.comment.split("\n") if line.startswith("machine translation:")]
        assert notes == ["machine translation: translate-en_zh-copytest 1.0"], entry.msgid


KEPT_POT = r'''msgid ""
msgstr ""
"Content-Type: text/plain; charset=UTF-8\n"

#. l10n: the third parameter refers to the total number of messages in the file being translated now
#: ⁨src/a long folder/app.py⁩:10 src/b.py:20
#, fuzzy, python-format
#| msgctxt "old"
#| msgid "%(count)d file was removed"
#| msgid_plural "%(count)d files were removed"
msgctxt "new"
msgid "One file was removed."
msgid_plural "%(count)d files were removed."
msgstr[0] ""
msgstr[1] ""

# A translator's note on an entry that left the program.
#, fuzzy
#~| msgid "Old text"
#~ msgid "Older text."
#~ msgstr "Texto anterior."
'''


def test_comments_references_flags_and_previous_msgids_are_kept_as_written(with_models, tmp_path):
    pot = tmp_path / "kept.pot"
    pot.write_text(KEPT_POT, encoding="utf-8")
    result = CliRunner().invoke(main, ["translate", str(pot), "--to", "es", "--from", "en",
                                       "--out", str(tmp_path / "out")])
    assert result.exit_code == 0, result.output
    written = (tmp_path / "out" / "es" / "kept.po").read_text(encoding="utf-8")
    assert "\n#: \u2068src/a long folder/app.py\u2069:10 src/b.py:20\n" in written
    entries = decode_po(written.encode("utf-8"), "kept.po").catalog
    source = decode_po(KEPT_POT.encode("utf-8"), "kept.pot").catalog
    live, gone = entries[0], entries[1]
    assert live.comment == source[0].comment + "\nmachine translation: translate-en_es-copytest 1.0"
    assert live.occurrences == [("src/a long folder/app.py", "10"), ("src/b.py", "20")]
    assert live.flags == ["fuzzy", "python-format"]
    assert (live.previous_msgctxt, live.previous_msgid, live.previous_msgid_plural) == (
        "old", "%(count)d file was removed", "%(count)d files were removed")
    assert (gone.obsolete, gone.flags, gone.tcomment, gone.previous_msgid, gone.msgstr) == (
        True, ["fuzzy"], source[1].tcomment, "Old text", "Texto anterior.")


@pytest.mark.parametrize("reviewed", [True, False], ids=["reviewed", "machine"])
def test_a_message_that_leaves_the_template_and_comes_back_keeps_its_translation(
        with_models, pot, tmp_path, reviewed):
    out = tmp_path / "out"
    es = translate(pot, out)["es"]
    entry = es.find("Welcome, {name}! Xi Jinping sends greetings.")
    if reviewed:
        entry.msgstr, entry.flags = "¡Bienvenido, {name}! Xi Jinping le saluda.", ["python-brace-format"]
    else:
        entry.msgstr = "Bienvenido (sin revisar)"
    es.save()
    expected = (entry.msgstr, entry.flags)
    removed = POT.replace('#: app.py:20\n#, python-brace-format\nmsgid "Welcome, {name}! Xi Jinping sends greetings."\n'
                          'msgstr ""\n\n', "")
    pot.write_text(removed, encoding="utf-8")
    gone = translate(pot, out)["es"]
    assert [(e.msgid, e.msgstr) for e in gone.obsolete_entries()] == [
        ("Welcome, {name}! Xi Jinping sends greetings.", expected[0])]  # kept, as msgmerge keeps it

    pot.write_text(POT, encoding="utf-8")
    back = translate(pot, out)["es"]
    assert back.obsolete_entries() == []
    entry = back.find("Welcome, {name}! Xi Jinping sends greetings.")
    assert (entry.msgstr, entry.flags) == expected


def test_each_message_is_split_into_sentences_once_per_run(with_models, pot, tmp_path, monkeypatch):
    from translator import pofiles

    calls = []
    real = pofiles.split_sentences
    monkeypatch.setattr(pofiles, "split_sentences", lambda text: calls.append(text) or real(text))
    translate(pot, tmp_path / "out")  # language detection, es and zh: one split of each field
    fields = [f for e in decode_po(POT.encode("utf-8"), "m.pot").catalog for f in (e.msgid, e.msgid_plural) if f]
    assert sorted(calls) == sorted(fields)


def test_a_message_the_template_makes_obsolete_keeps_its_reviewed_translation(with_models, pot, tmp_path):
    out = tmp_path / "out"
    es = translate(pot, out)["es"]
    entry = es.find("Processing %s (%d%% done)")
    entry.msgstr, entry.flags = "Procesando %s (%d%% hecho)", ["c-format"]
    es.save()
    pot.write_text(POT.replace('#: app.c:3\n#, c-format\nmsgid "Processing %s (%d%% done)"\nmsgstr ""\n',
                               '#, c-format\n#~ msgid "Processing %s (%d%% done)"\n#~ msgstr ""\n'), encoding="utf-8")
    [gone] = translate(pot, out)["es"].obsolete_entries()
    assert (gone.msgid, gone.msgstr, gone.flags) == ("Processing %s (%d%% done)", "Procesando %s (%d%% hecho)",
                                                      ["c-format"])


@pytest.mark.parametrize(("pieces", "data", "same"), [
    (["msgid ", "\"é\"", "\n"], 'msgid "é"\n'.encode(), True),
    (["a" * (1 << 20), "b" * (1 << 20), "é"], ("a" * (1 << 20) + "b" * (1 << 20) + "é").encode(), True),
    (["a" * (1 << 20), "b" * (1 << 20)], ("a" * (1 << 20) + "b" * (1 << 20) + "c").encode(), False),
    (["a" * (1 << 20), "b" * (1 << 20), "c"], ("a" * (1 << 20) + "b" * (1 << 20)).encode(), False),
    (["a" * (1 << 20), "c" * (1 << 20)], ("a" * (1 << 20) + "b" * (1 << 20)).encode(), False),
    ([], b"", True),
], ids=["small", "several-blocks", "file-longer", "text-longer", "second-block-differs", "empty"])
def test_a_catalog_text_in_pieces_is_compared_with_the_file_block_by_block(
        pieces: list[str], data: bytes, same: bool) -> None:
    assert outputs._same(data, iter(pieces)) is same
    assert b"".join(outputs._encoded(iter(pieces))) == "".join(pieces).encode("utf-8")
