"""Each QA check fires on the fault it names and stays quiet on a plausible translation."""
import pytest

from translator.enforce import Masked
from translator.enforce import Result as EnforceResult
from translator.qa import (
    ERROR,
    WARNING,
    Finding,
    Segment,
    decoding_bound,
    length,
    numbers,
    repetition,
    run_checks,
    wrong_language,
)
from translator.units import SentenceResult

SOURCE = "Xi met López Obrador on Thursday in San Francisco to discuss trade."


def seg(output, lang="es", source=SOURCE, model_text=None):
    return Segment(source, output, output if model_text is None else model_text, "en", lang)


@pytest.mark.parametrize(
    "check, segment, severity",
    [
        (wrong_language, seg(SOURCE, "es"), ERROR),
        (wrong_language, seg(SOURCE, "zh"), ERROR),
        (repetition, seg("雅典雅典雅典雅典", "zh"), ERROR),
        (repetition, seg("the talks the talks the talks went on", "es"), ERROR),
        (numbers, seg("El 30 de noviembre.", "es", source="On Nov. 16 and Nov. 30 they met."), WARNING),
        (length, seg("Xi.", "es"), ERROR),
        (length, seg(SOURCE * 4, "es"), WARNING),
        (decoding_bound, Segment(SOURCE, "Xi se reunió con", "Xi se reunió con", "en", "es", cut_short=True), ERROR),
    ],
    ids=["source-returned-es", "no-chinese-script", "cjk-loop", "word-loop", "number-lost", "too-short", "too-long",
         "stopped-at-the-length-bound"],
)
def test_check_fires_on_its_fault(check, segment, severity):
    finding = check(segment)
    assert finding is not None and finding.severity == severity


@pytest.mark.parametrize(
    "segment",
    [
        seg("Xi se reunió con López Obrador el jueves en San Francisco para hablar de comercio.", "es"),
        seg("习近平周四在旧金山会见洛佩斯·奥夫拉多尔，讨论贸易问题。", "zh"),
        seg("La cifra fue de 3,5 millones y 1.200 personas.", "es", source="The figure was 3.5 million and 1,200 people."),
    ],
    ids=["spanish", "chinese", "localised-number-formats"],
)
def test_a_plausible_translation_has_no_findings(segment):
    assert run_checks(segment) == []


def test_approved_renderings_do_not_hide_english_output():
    # The model wrote English; only the glossary put Chinese characters into the sentence.
    output = "习近平 met 安德烈斯·曼努埃尔·洛佩斯·奥夫拉多尔 on Thursday in San Francisco."
    finding = wrong_language(seg(output, "zh", model_text="met on Thursday in San Francisco."))
    assert finding is not None and "returned en" in finding.message


@pytest.mark.parametrize("make", [
    lambda: SentenceResult("a", "b"),
    lambda: Masked("a", "a"),
    lambda: EnforceResult("a"),
    lambda: Finding("c", "error", "m"),
], ids=["sentence-result", "masked", "enforce-result", "finding"])
def test_per_sentence_records_have_no_instance_dictionary(make) -> None:
    assert not hasattr(make(), "__dict__")  # one per sentence: a dictionary each would double them
