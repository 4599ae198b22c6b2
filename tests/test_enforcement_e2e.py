"""End to end with the real copy packages: every glossary term enforced, every flag honest."""
import json
import re

import pytest
from click.testing import CliRunner
from helpers import SEEDS, TEST_GLOSSARY

from translator import pipeline
from translator.cli import main
from translator.engine import CTranslate2Translator

CASES_MD = """# Terms in every position

CELAC's summit opened in Mexico City.

Leaders praised the Comprehensive Strategic Association between both countries.

- Both signed two Comprehensive Strategic Partnerships last year.
- The speech defended "multilateralism" and "community of destiny" as goals.

> The forum (China-Latin America Community Forum) met again.

The Celaco company sold apex shoes, and Partnership agreements were signed.

Run `translator --help` or visit https://example.org/a_b for details.
"""

# (phrase as written, the concept, its es rendering, its zh rendering)
EXPECTED = [
    ("CELAC's", "CELAC", "CELAC", "拉共体"),
    ("Comprehensive Strategic Association", "Comprehensive Strategic Partnership",
     "Asociación Estratégica Integral", "全面战略伙伴关系"),
    ("Comprehensive Strategic Partnerships", "Comprehensive Strategic Partnership",
     "Asociación Estratégica Integral", "全面战略伙伴关系"),
    ('"multilateralism"', "multilateralism", "multilateralismo", "多边主义"),
    ('"community of destiny"', "community with a shared future", "comunidad de futuro compartido", "命运共同体"),
    ("(China-Latin America Community Forum)", "China-CELAC Forum", "Foro China-CELAC", "中国－拉共体论坛"),
]
CASE_IDS = ["possessive", "variant", "plural", "in-quotes", "variant-in-quotes", "variant-in-parentheses"]


@pytest.fixture(scope="module")
def run(packages_dir, tmp_path_factory):
    """Both seed articles and the Markdown cases into es and zh, with a JSON report."""
    import os

    tmp = tmp_path_factory.mktemp("e2e")
    cases = tmp / "cases.md"
    cases.write_text(CASES_MD, encoding="utf-8")
    out, report = tmp / "out", tmp / "report.json"
    old = os.environ.get("ARGOS_PACKAGES_DIR")
    os.environ["ARGOS_PACKAGES_DIR"] = str(packages_dir)
    try:
        result = CliRunner().invoke(main, ["translate", *map(str, sorted(SEEDS.glob("*.txt"))), str(cases),
                                           "--to", "es,zh", "--out", str(out), "--report", str(report),
                                           "--glossary", str(TEST_GLOSSARY)])
    finally:
        if old is None:
            os.environ.pop("ARGOS_PACKAGES_DIR")
        else:
            os.environ["ARGOS_PACKAGES_DIR"] = old
    assert result.exit_code == 0, result.output
    return out, json.loads(report.read_text(encoding="utf-8")), result


@pytest.mark.parametrize("lang", ["es", "zh"])
def test_term_accuracy_is_total_in_every_file(run, lang):
    _, report, _ = run
    files = [f for f in report["files"] if f["target_lang"] == lang]
    assert len(files) == 3
    for f in files:
        assert f["terms"]["occurrences"] > 0
        assert f["terms"]["accuracy"] == 1.0, f["terms"]


@pytest.mark.parametrize("lang", ["es", "zh"])
@pytest.mark.parametrize("phrase, concept, es, zh", EXPECTED, ids=CASE_IDS)
def test_each_case_comes_out_in_its_approved_rendering(run, lang, phrase, concept, es, zh):
    out, report, _ = run
    text = (out / lang / "cases.md").read_text(encoding="utf-8")
    assert (es if lang == "es" else zh) in text
    from glossary.checks import contains

    english = phrase.strip('"()').removesuffix("'s")
    rendering = es if lang == "es" else zh
    if not contains(rendering, english):  # "CELAC" stays CELAC in Spanish
        assert not contains(text, english)
    by_term = next(f for f in report["files"] if f["file"].endswith("cases.md") and f["target_lang"] == lang)["terms"]["by_term"]
    assert set(by_term[concept]) == {"enforced"}


@pytest.mark.parametrize("lang", ["es", "zh"])
def test_distractors_and_protected_spans_are_untouched(run, lang):
    out, _, _ = run
    text = (out / lang / "cases.md").read_text(encoding="utf-8")
    assert "The Celaco company sold apex shoes, and Partnership agreements were signed." in text
    assert "Run `translator --help` or visit https://example.org/a_b for details." in text


def test_seed_terms_and_variants_are_enforced_in_chinese(run):
    out, _report, _ = run
    seed = (out / "zh" / "002_d27aabd06bae6966.txt").read_text(encoding="utf-8")
    for rendering in ("拉美和加勒比国家共同体", "拉共体", "习近平", "中国－拉共体论坛", "命运共同体"):
        assert rendering in seed
    assert "Latin American Community" not in seed and "community of destiny" not in seed
    first = (out / "zh" / "000_07aa21c5bf2af563.txt").read_text(encoding="utf-8")
    assert "30th 亚太经合组织领导人非正式会议" in first  # the seed's long spelling, via its variant


def test_every_copy_model_sentence_is_flagged_as_the_wrong_language(run):
    _, report, result = run
    for f in report["files"]:
        flagged = f["flagged_segments"]
        assert len(flagged) == f["segments"]  # English came back: the honest result
        assert all(any("the model returned" in r for r in seg["reasons"]) for seg in flagged)
    totals = report["totals"]
    assert totals["flagged_segments"] == totals["segments"] * 1  # every segment, counted once per file
    assert totals["term_accuracy"] == 1.0 and totals["flagged"] == 0
    assert f"{totals['flagged_segments']} segments flagged for review" in result.output


def test_report_counts_add_up(run):
    _, report, _ = run
    totals = report["totals"]
    files = report["files"]
    assert totals["segments"] == sum(f["segments"] for f in files)
    assert totals["term_occurrences"] == sum(f["terms"]["occurrences"] for f in files)
    assert totals["enforced"] + totals["repaired"] + totals["flagged"] == totals["term_occurrences"]
    assert set(report["timings"]) >= {"detect", "load", "protect", "translate", "verify", "write", "total"}


class Looping:
    """The real model, with a decoding loop injected into one sentence's output."""

    def __init__(self, route):
        self.inner = CTranslate2Translator(route[0])

    def translate(self, sentences, progress=None):
        out = self.inner.translate(sentences, progress)
        return ["雅典雅典雅典雅典" if s.startswith("Trade grew") else o for s, o in zip(sentences, out)]


def test_repetition_loop_is_flagged_with_its_reason(with_models, tmp_path):
    doc = tmp_path / "a.txt"
    doc.write_text("Trade grew quickly last year.\n\nBoth sides agreed.\n", encoding="utf-8")
    result = pipeline.translate_sources([pipeline.read_source(doc)], ["zh"], source_lang="en",
                                        out_dir=tmp_path / "out", translator_factory=Looping)
    trade, agreed = result.files[0].sentences
    assert [f.check for f in trade.findings] == ["repetition"]
    assert [f.check for f in agreed.findings] == ["wrong-language"]


class Breaking:
    """The real model behind a wrapper that loses, duplicates or mangles term placeholders."""

    def __init__(self, route, how):
        self.inner = CTranslate2Translator(route[0])
        self.how = how
        self.calls = 0

    def translate(self, sentences, progress=None):
        self.calls += 1
        out = self.inner.translate(sentences, progress)
        if self.calls > 1:
            return out  # the repair pass: the model as it is
        return [self.how(o) for o in out]


@pytest.mark.parametrize(
    "how, state",
    [
        (lambda s: s.replace("[0]", ""), "repaired"),
        (lambda s: s.replace("[0]", "[0] [0]"), "repaired"),
        (lambda s: s.replace("[0]", "[O]"), "repaired"),
    ],
    ids=["dropped", "duplicated", "mangled"],
)
def test_repair_path_with_the_real_model(with_models, tmp_path, how, state):
    doc = tmp_path / "a.txt"
    doc.write_text("They celebrated the Comprehensive Strategic Association today.\n", encoding="utf-8")
    result = pipeline.translate_sources(
        [pipeline.read_source(doc)], ["es"], source_lang="en", out_dir=tmp_path / "out",
        termbase=_termbase(), placeholder="[{n}]", translator_factory=lambda route: Breaking(route, how))
    [sentence] = result.files[0].sentences
    assert [t.state for t in sentence.terms] == [state]
    assert sentence.text == "They celebrated the Asociación Estratégica Integral today."


class NoPlaceholders:
    """The real model behind a wrapper that loses every placeholder form the probe tries."""

    FORMS = re.compile(r"\[\d+\]|__\d+__|<\d+>|\{\d+\}|#\d+|XZ\d+Q")

    def __init__(self, route):
        self.inner = CTranslate2Translator(route[0])
        self.calls = []

    def translate(self, sentences, progress=None):
        self.calls.append(list(sentences))
        return [self.FORMS.sub("", o) for o in self.inner.translate(sentences, progress)]


def test_a_model_that_copies_no_placeholder_translates_once_and_is_post_edited(with_models, tmp_path,
                                                                                monkeypatch):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))  # probe this model afresh
    doc = tmp_path / "a.txt"
    sentence = "They celebrated the Comprehensive Strategic Association at https://example.org/x today."
    doc.write_text(sentence + "\n", encoding="utf-8")
    model = []
    result = pipeline.translate_sources(
        [pipeline.read_source(doc)], ["es"], source_lang="en", out_dir=tmp_path / "out",
        termbase=_termbase(), translator_factory=lambda route: model.append(NoPlaceholders(route)) or model[0])
    probe, *calls = model[0].calls
    assert len(probe) == 24  # the calibration batch, then the document as written, once
    assert calls == [[sentence]]
    [translated] = result.files[0].sentences
    assert [t.state for t in translated.terms] == ["repaired"]
    assert translated.text == ("They celebrated the Asociación Estratégica Integral at https://example.org/x "
                               "today.")
    assert translated.problems == []


def _termbase():
    from glossary.storage import load

    return load(TEST_GLOSSARY)
