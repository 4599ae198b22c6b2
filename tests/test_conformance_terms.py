"""The TBX and TICO-19 conformance suites, run on small corpora written here (never on copies of
the reference data): they import through the real command and report what happened right."""
from __future__ import annotations

from pathlib import Path
from types import ModuleType

import pytest
from helpers import load_conformance

ROOT = Path(__file__).resolve().parent.parent


def load_suite(name: str, monkeypatch: pytest.MonkeyPatch) -> ModuleType:
    return load_conformance(name, monkeypatch)


def entry(*lang_terms: tuple[str, str], status: str = "") -> str:
    note = f'<termNote type="administrativeStatus">{status}</termNote>' if status else ""
    return "<termEntry>" + "".join(
        f'<langSet xml:lang="{lang}"><tig><term>{term}</term>{note}</tig></langSet>' for lang, term in lang_terms
    ) + "</termEntry>\n"


def tbx(*entries: str) -> str:
    return f'<martif type="TBX" xml:lang="en"><text><body>\n{"".join(entries)}</body></text></martif>\n'


GOOD = entry(("en", "forum"), ("es", "foro"))


def write_tbx_corpus(folder: Path, files: dict[str, str]) -> Path:
    (folder / "tbx").mkdir(parents=True)
    for name, text in files.items():
        (folder / "tbx" / name).write_text(text, encoding="utf-8")
    return folder


def test_tbx_suite_imports_valid_files_and_sees_invalid_ones_refused(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    suite = load_suite("tbx", monkeypatch)
    corpus = write_tbx_corpus(tmp_path, {
        "plain.tbx": tbx(GOOD),
        "some_without_english.tbx": tbx(GOOD, entry(("zu", "Bally2005"))),
        "min_good.tbx": tbx(entry(("en", "forum"), ("es", "foro"), status="preferred")),
        "min_bad.tbx": tbx(entry(("en", "forum"), ("es", "foro"), status="not an allowed value")),
        "poorly_formed_xml.tbx": "<martif><text>\n</martif>\n",
    })
    assert suite.main(["--corpus", str(corpus)]) == 0
    line = capsys.readouterr().out
    assert line.startswith("tbx: 3/3 valid files imported (1 with --skip-invalid, which skipped entries for: 1 "
                           "no usable en term), 3 entries; 2/2 invalid files refused in one line (2 naming their own defect); ")
    assert line.count("\n") == 1


def test_tbx_suite_fails_when_a_valid_file_does_not_import(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    suite = load_suite("tbx", monkeypatch)
    corpus = write_tbx_corpus(tmp_path, {"odd_status.tbx": tbx(entry(("en", "forum"), status="approvedish"))})
    assert suite.main(["--corpus", str(corpus)]) == 1
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].startswith("tbx: 0/1 valid files imported")
    assert lines[1] == "  odd_status.tbx: an entry skipped because unknown administrativeStatus 'approvedish' " \
                       "(this import knows preferred, admitted, deprecated, superseded, obsolete, notRecommended, " \
                       "and the -admn-sts forms)"


def test_tbx_suite_fails_when_an_invalid_file_is_accepted(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    suite = load_suite("tbx", monkeypatch)
    corpus = write_tbx_corpus(tmp_path, {"core_bad.tbx": tbx(GOOD)})
    assert suite.main(["--corpus", str(corpus)]) == 1
    assert capsys.readouterr().out.splitlines()[1] == "  core_bad.tbx: not refused (exit 0)"


TICO = {
    "f_en-es_XX.csv": "id,sourceLang,targetLang,sourceString,targetString\n1,en,es_XX,spread,propagación\n,,es_XX,,\n",
    "f_en-zh_CN.csv": "id,sourceLang,targetLang,sourceString,targetString\n1,en,zh_CN,spread,传播\n",
    "g_en_es-419.csv": "stringID,sourceLang,targetLang,pos,description,sourceString,targetString\n"
                       "1,en,es-419,verb,To reach more people.,spread,propagar\n2,en,es-419,,,lockdown,cuarentena\n",
    "g_en_zh-CN.csv": "stringID,sourceLang,targetLang,pos,description,sourceString,targetString\n"
                      "1,en,zh-CN,verb,To reach more people.,spread,传播 : 扩散\n2,en,zh-CN,,,lockdown,封锁\n",
}


def test_tico_suite_imports_the_four_lists_with_one_option_and_lints(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    suite = load_suite("tico19_terms", monkeypatch)
    (tmp_path / "tico19").mkdir()
    for name, text in TICO.items():
        (tmp_path / "tico19" / name).write_text(text, encoding="utf-8")
    assert suite.main(["--corpus", str(tmp_path)]) == 0
    line = capsys.readouterr().out
    assert line.startswith("tico19_terms: 4 lists, 6 rows, imported with --lang es,zh: 2 terms (renderings: es 2, "
                           "zh 2), 1 repeated rows merged, 1 disagreements kept as fuzzy proposals; lint: 1 "
                           "fuzzy-rendering; import ")
    assert line.endswith(" s\n") and line.count("\n") == 1


def test_the_tico19_translation_suite_skips_without_its_corpus(monkeypatch, tmp_path, capsys) -> None:
    suite = load_suite("tico19_translate", monkeypatch)
    assert suite.main(["--corpus", str(tmp_path)]) == 0
    assert capsys.readouterr().out.startswith("tico19_translate: skipped")


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        ("Two viruses and one virus.", {"virus": 2}),
        ("Both symptoms faded.", {"symptoms": 1}),  # the term as written beats another's plural
        ("See https://www.cdc.gov/coronavirus/ for the virus.", {"virus": 1}),
        ("The WHO said who knows.", {"WHO": 1}),
    ],
    ids=["regular-plural", "exact-before-plural", "address-is-not-prose", "case-rule"],
)
def test_the_independent_matcher_counts_terms_by_its_own_rules(monkeypatch, sentence, expected) -> None:
    from glossary.model import Concept, Termbase

    suite = load_suite("tico19_translate", monkeypatch)
    termbase = Termbase([Concept("virus"), Concept("symptom"), Concept("symptoms"), Concept("coronavirus"),
                         Concept("WHO", case_sensitive=True)])
    assert dict(suite.independent_count(termbase, [sentence])) == expected
