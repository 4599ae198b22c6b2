"""`translator translate` end to end with the real copy packages, and every user-facing error."""
import re
from pathlib import Path

import pytest
from click.testing import CliRunner
from helpers import SEEDS

from translator import formats, pipeline
from translator.cli import main
from translator.engine import CTranslate2Translator

SEED_FILES = sorted(SEEDS.glob("*.txt"))


def run(*args, input=None):
    return CliRunner().invoke(main, list(args), input=input, catch_exceptions=False)


def blocks(text: str) -> list[str]:
    """Paragraphs as separated by blank lines, and the blank-line runs themselves."""
    return re.split(r"(\n[ \t]*\n+)", text)


@pytest.fixture
def seeds_out(with_models, tmp_path):
    out = tmp_path / "out"
    # Without the glossary the copy model must give the articles back unchanged (see below).
    result = run("translate", *map(str, SEED_FILES), "--to", "es,zh", "--out", str(out), "--no-glossary")
    assert result.exit_code == 0, result.output
    return out, result


def test_both_seed_articles_are_written_for_each_language(seeds_out):
    out, _ = seeds_out
    for lang in ("es", "zh"):
        expected = sorted([p.name for p in SEED_FILES] + [p.stem + ".po" for p in SEED_FILES])
        assert sorted(p.name for p in (out / lang).iterdir()) == expected  # document + review catalog


@pytest.mark.parametrize("lang", ["es", "zh"])
@pytest.mark.parametrize("seed", SEED_FILES, ids=lambda p: p.stem)
def test_output_keeps_the_shape_of_the_article(seeds_out, lang, seed):
    out, _ = seeds_out
    source = seed.read_text(encoding="utf-8")
    translated = (out / lang / seed.name).read_text(encoding="utf-8")
    source_blocks, output_blocks = blocks(source), blocks(translated)
    assert len(output_blocks) == len(source_blocks)  # same paragraphs
    assert output_blocks[1::2] == source_blocks[1::2]  # the very same blank-line runs
    assert translated.count("\n") == source.count("\n")


def test_the_copy_model_reproduces_the_seed_articles_exactly(seeds_out):
    # The copy model echoes, so any difference is the pipeline's doing (segmentation, joins).
    out, _ = seeds_out
    for seed in SEED_FILES:
        assert (out / "es" / seed.name).read_text(encoding="utf-8") == seed.read_text(encoding="utf-8")


def test_summary_names_files_segments_and_the_model_with_its_description(seeds_out):
    _, result = seeds_out
    first = result.output.splitlines()[0]
    assert re.match(r"Translated 2 files into es, zh: \d+ segments \(\d+ sent to the model\) in [\d.]+ s", first)
    assert "en -> es: translate-en_es-copytest" in result.output
    assert "does not translate" in result.output  # the package README's own words


def test_chinese_output_is_normalised_and_spanish_is_not(with_models, tmp_path):
    source = tmp_path / "mixed.txt"
    source.write_text("新华社 报道 , 习近平 出席 会议 .\n", encoding="utf-8")
    assert run("translate", str(source), "--to", "es,zh", "--out", str(tmp_path / "o")).exit_code == 0
    assert (tmp_path / "o" / "zh" / "mixed.txt").read_text(encoding="utf-8") == "新华社报道，习近平出席会议。\n"
    assert (tmp_path / "o" / "es" / "mixed.txt").read_text(encoding="utf-8") == "新华社 报道 , 习近平 出席 会议 .\n"


MARKDOWN = """# Xi meets López Obrador

Xi said the two countries should deepen cooperation. Run `translator --help` first.

- Visit https://example.org/a_b for details.
- Write to press@example.org today.

```python
print("do not translate me")
```
"""


class Recorder:
    """Wraps the real model: records every batch and marks its output, so skipping it shows."""

    def __init__(self, route):
        self.inner = CTranslate2Translator(route[0])
        self.batches = []

    def translate(self, sentences, progress=None):
        self.batches.append(list(sentences))
        return [f"<{s}>" for s in self.inner.translate(sentences, progress)]


def test_text_really_goes_through_the_model_once_per_language(with_models, tmp_path):
    recorders = []

    def factory(route):
        recorders.append(Recorder(route))
        return recorders[-1]

    doc = tmp_path / "a.md"
    doc.write_text(MARKDOWN, encoding="utf-8")
    copy = tmp_path / "sub"
    copy.mkdir()
    (copy / "b.txt").write_text("Xi said the two countries should deepen cooperation.\n", encoding="utf-8")
    sources = [pipeline.read_source(doc), pipeline.read_source(copy / "b.txt")]
    result = pipeline.translate_sources(sources, ["es", "zh"], source_lang="en", out_dir=tmp_path / "o",
                                        translator_factory=factory, placeholder="[{n}]")
    assert len(recorders) == 2 and all(len(r.batches) == 1 for r in recorders)  # one call per pair
    batch = recorders[0].batches[0]
    assert len(batch) == len(set(batch))  # the sentence shared by both files is translated once
    assert "Run [0] first." in batch  # inline code went in as a placeholder
    assert not any("print(" in s for s in batch)  # code blocks never reach the model
    output = (tmp_path / "o" / "es" / "a.md").read_text(encoding="utf-8")
    assert "<Xi meets López Obrador>" in output
    assert "<Run `translator --help` first.>" in output
    assert "https://example.org/a_b" in output and "press@example.org" in output
    assert '```python\nprint("do not translate me")\n```\n' in output
    assert (tmp_path / "o" / "es" / "b.txt").read_text(encoding="utf-8") == \
        "<Xi said the two countries should deepen cooperation.>\n"
    assert result.pairs[0].segments == 6 and result.pairs[0].translated == 5


def test_stdin_is_translated_to_stdout(with_models):
    result = CliRunner().invoke(main, ["translate", "-", "--to", "es", "--quiet"],
                                input="Xi Jinping met López Obrador.\n\nBoth sides agreed.\n")
    assert result.exit_code == 0
    assert result.stdout == "Xi Jinping met López Obrador.\n\nBoth sides agreed.\n"


def test_stdin_with_two_languages_is_a_usage_error(with_models):
    result = CliRunner().invoke(main, ["translate", "-", "--to", "es,zh"], input="Hello there.\n")
    assert result.exit_code == 2
    assert result.stderr == "translator: error: standard input is translated to standard output: give one --to language\n"


def test_a_file_in_another_language_is_flagged(with_models, tmp_path):
    french = tmp_path / "fr.txt"
    french.write_text("Le président chinois a rencontré son homologue mexicain jeudi à San Francisco "
                      "pour parler de coopération économique.\n", encoding="utf-8")
    result = CliRunner().invoke(main, ["translate", str(french), "--from", "en", "--to", "es",
                                       "--out", str(tmp_path / "o")])
    assert result.exit_code == 0
    assert "looks like French (fr), not English; translating it as en (use --from fr to change)" in result.stderr


def test_one_bad_file_is_reported_and_the_others_still_run(with_models, tmp_path):
    good = tmp_path / "good.txt"
    good.write_text("Both sides agreed.\n", encoding="utf-8")
    result = CliRunner().invoke(main, ["translate", str(tmp_path / "missing.txt"), str(good), "--to", "es",
                                       "--out", str(tmp_path / "o")])
    assert result.exit_code == 1
    assert result.stderr == f"translator: error: {tmp_path / 'missing.txt'}: no such file\n"
    assert (tmp_path / "o" / "es" / "good.txt").read_text(encoding="utf-8") == "Both sides agreed.\n"


def _error_case(tmp_path: Path, kind: str):
    good = tmp_path / "good.txt"
    good.write_text("Both sides agreed.\n", encoding="utf-8")
    if kind == "missing-model":
        return ["translate", str(good), "--to", "fr", "--out", str(tmp_path / "out")], 1, \
            "translator: error: no model installed for en -> fr; install one with: translator models install en fr"
    if kind == "unknown-language":
        return ["translate", str(good), "--to", "es,xx"], 2, \
            "translator: error: unknown language code 'xx'; use an ISO 639-1 code such as es, zh, fr, de"
    if kind == "unknown-source-language":
        return ["translate", str(good), "--from", "english", "--to", "es"], 2, \
            "translator: error: unknown language code 'english'; use an ISO 639-1 code such as es, zh, fr, de"
    if kind == "missing-file":
        return ["translate", str(tmp_path / "nope.txt"), "--to", "es"], 1, \
            f"translator: error: {tmp_path / 'nope.txt'}: no such file"
    if kind == "directory":
        empty = tmp_path / "empty"
        empty.mkdir()
        return ["translate", str(empty), "--to", "es"], 1, \
            (f"translator: error: {empty} is a folder with no document or catalog in it; "
             "translator reads the files of the formats it knows inside folders")
    if kind == "not-utf8":
        bad = tmp_path / "latin.txt"
        bad.write_bytes("Canción de otoño".encode("latin-1"))
        return ["translate", str(bad), "--to", "es"], 1, \
            f"translator: error: {bad} is not UTF-8 text (bad byte at offset 5); convert it first, e.g. iconv -f latin1 -t utf-8"
    if kind == "empty":
        empty = tmp_path / "empty.txt"
        empty.write_text("")
        return ["translate", str(empty), "--to", "es"], 1, f"translator: error: {empty} is empty; there is nothing to translate"
    if kind == "unsupported-type":
        doc = tmp_path / "a.pages"
        doc.write_text("x")
        known = [suffix for info in formats.formats() for suffix in info.suffixes]
        assert known[:6] == [".txt", ".text", ".md", ".markdown", ".po", ".pot"]
        return ["translate", str(doc), "--to", "es"], 1, \
            f"translator: error: {doc}: unsupported file type '.pages'; translator reads {', '.join(known[:-1])} and {known[-1]} files"
    if kind == "unwritable-out":
        blocker = tmp_path / "blocker"
        blocker.write_text("x")
        return ["translate", str(good), "--to", "es", "--out", str(blocker)], 1, \
            f"translator: error: cannot write to {blocker}/es: Not a directory; choose another folder with --out"
    raise AssertionError(kind)


@pytest.mark.parametrize(
    "kind",
    ["missing-model", "unknown-language", "unknown-source-language", "missing-file", "directory",
     "not-utf8", "empty", "unsupported-type", "unwritable-out"],
)
def test_errors_are_one_line_on_stderr_with_a_non_zero_exit(with_models, tmp_path, kind):
    args, code, message = _error_case(tmp_path, kind)
    result = CliRunner().invoke(main, args)
    assert (result.exit_code, result.stderr) == (code, message + "\n")
    assert result.exception is None or isinstance(result.exception, SystemExit)


def test_missing_model_with_no_models_installed_names_the_install_command(no_models, tmp_path):
    good = tmp_path / "good.txt"
    good.write_text("Both sides agreed.\n", encoding="utf-8")
    result = CliRunner().invoke(main, ["translate", str(good), "--to", "zh"])
    assert result.exit_code == 1
    assert "translator models install en zh" in result.stderr


def test_debug_mode_shows_the_original_exception(with_models, tmp_path, monkeypatch):
    monkeypatch.setenv("TRANSLATOR_DEBUG", "1")
    good = tmp_path / "good.txt"
    good.write_text("Both sides agreed.\n", encoding="utf-8")
    result = CliRunner().invoke(main, ["translate", str(good), "--to", "fr"])
    assert type(result.exception).__name__ == "ModelError"


def test_quiet_prints_nothing_on_success(with_models, tmp_path):
    good = tmp_path / "good.txt"
    good.write_text("Both sides agreed.\n", encoding="utf-8")
    result = CliRunner().invoke(main, ["translate", str(good), "--to", "es", "--quiet", "--out", str(tmp_path / "o")])
    assert (result.exit_code, result.output) == (0, "")
