"""`translator check`: each violation kind, its message and its exit code."""
from pathlib import Path

import polib
import pytest
from click.testing import CliRunner
from helpers import TEST_GLOSSARY

from translator.cli import main


def catalog(path: Path, lang: str, pairs: list[tuple[str, str]]) -> Path:
    po = polib.POFile()
    po.metadata = {"Language": lang, "Content-Type": "text/plain; charset=UTF-8",
                   "Content-Transfer-Encoding": "8bit", "MIME-Version": "1.0"}
    for msgid, msgstr in pairs:
        po.append(polib.POEntry(msgid=msgid, msgstr=msgstr))
    path.parent.mkdir(parents=True, exist_ok=True)
    po.save(str(path))
    return path


@pytest.fixture
def glossary_with_forbidden(glossary_copy):
    """The test glossary plus a forbidden Spanish rendering for the partnership."""
    target = glossary_copy
    result = CliRunner().invoke(main, ["glossary", "--glossary", str(target), "set",
                                       "Comprehensive Strategic Partnership", "--forbid", "es=Asociación Estratégica Amplia"])
    assert result.exit_code == 0, result.output
    return target


def run_check(*args):
    return CliRunner().invoke(main, ["check", *map(str, args)])


def test_clean_catalogs_pass(tmp_path):
    es = catalog(tmp_path / "es" / "a.po", "es", [("CELAC met in Mexico.", "La CELAC se reunió en México.")])
    zh = catalog(tmp_path / "zh" / "a.po", "zh", [("CELAC met in Mexico.", "拉共体在墨西哥举行会议。")])
    result = run_check("--glossary", TEST_GLOSSARY, es, zh)
    assert (result.exit_code, result.stdout) == (0, "No glossary violations.\n")


def test_missing_rendering_is_reported_with_file_and_line(tmp_path):
    zh = catalog(tmp_path / "zh" / "a.po", "zh", [("Xi Jinping met CELAC leaders.", "习近平会见了拉美领导人。")])
    result = run_check("--glossary", TEST_GLOSSARY, zh)
    assert result.exit_code == 1
    line = polib.pofile(str(zh))[0].linenum
    assert result.stdout == f"{zh}:{line}: term 'CELAC': the approved rendering '拉共体' is missing\n"
    assert result.stderr == "1 glossary violation\n"


def test_chinese_renderings_match_without_word_boundaries(tmp_path):
    zh = catalog(tmp_path / "zh" / "a.po", "zh", [("CELAC grew.", "拉共体成员增加了。")])
    assert run_check("--glossary", TEST_GLOSSARY, zh).exit_code == 0


def test_forbidden_rendering_in_a_catalog(tmp_path, glossary_with_forbidden):
    es = catalog(tmp_path / "es" / "a.po", "es", [(
        "They celebrated their Comprehensive Strategic Partnership.",
        "Celebraron su Asociación Estratégica Amplia, no su Asociación Estratégica Integral.")])
    result = run_check("--glossary", glossary_with_forbidden, es)
    assert result.exit_code == 1
    assert ("term 'Comprehensive Strategic Partnership': forbidden rendering 'Asociación Estratégica Amplia' "
            "used (approved: 'Asociación Estratégica Integral')") in result.stdout


def test_forbidden_rendering_in_a_translated_text_file(tmp_path, glossary_with_forbidden):
    doc = tmp_path / "es" / "article.txt"
    doc.parent.mkdir()
    doc.write_text("Primera línea.\nCelebraron su Asociación Estratégica Amplia.\n", encoding="utf-8")
    result = run_check("--glossary", glossary_with_forbidden, tmp_path)
    assert result.exit_code == 1
    assert result.stdout.startswith(f"{doc}:2: term 'Comprehensive Strategic Partnership': forbidden rendering")


def test_a_term_rendered_two_ways_across_files_is_inconsistent(tmp_path, glossary_with_forbidden):
    source = "They celebrated their Comprehensive Strategic Partnership."
    good = catalog(tmp_path / "es" / "a.po", "es", [(source, "Celebraron su Asociación Estratégica Integral.")])
    bad = catalog(tmp_path / "es" / "b.po", "es", [(source, "Celebraron su Asociación Estratégica Amplia.")])
    result = run_check("--glossary", glossary_with_forbidden, good, bad)
    assert result.exit_code == 1
    assert "term 'Comprehensive Strategic Partnership' is rendered 2 ways in es: " \
           f"'Asociación Estratégica Amplia' in {bad}:" in result.stdout


def test_language_comes_from_lang_option_when_the_header_has_none(tmp_path):
    po = polib.POFile()
    po.append(polib.POEntry(msgid="CELAC grew.", msgstr="La CELAC creció."))
    path = tmp_path / "x.po"
    po.save(str(path))
    assert run_check("--glossary", TEST_GLOSSARY, "--lang", "es", path).exit_code == 0
    assert run_check("--glossary", TEST_GLOSSARY, "--lang", "zh", path).exit_code == 1


def test_missing_path_is_a_one_line_error(tmp_path):
    result = run_check("--glossary", TEST_GLOSSARY, tmp_path / "nope.po")
    assert (result.exit_code, result.stderr) == (1, f"translator: error: {tmp_path / 'nope.po'}: no such file or folder\n")
