"""Bans at decode time: a forbidden rendering or an English term in a translation makes the model
try again with those spellings suppressed, before text is replaced; the report says which path."""
from __future__ import annotations

from pathlib import Path

import polib
import pytest

from glossary.model import Concept, Rendering, Termbase
from translator import pipeline
from translator.enforce import FLAGGED, REPAIRED, Masked, ban_spellings, offending
from translator.engine import CTranslate2Translator

PARTNERSHIP = Concept("partnership", renderings=(Rendering("es", "asociación", forbidden=("sociedad",)),))
WHO = Concept("WHO", case_sensitive=True, renderings=(Rendering("es", "OMS"),))


def _translate(tmp_path: Path, text: str, factory=None, **kwargs):
    doc = tmp_path / "a.txt"
    doc.write_text(text + "\n", encoding="utf-8")
    return pipeline.translate_sources([pipeline.read_source(doc)], ["es"], source_lang="en",
                                      out_dir=tmp_path / "out", termbase=Termbase([PARTNERSHIP, WHO]),
                                      translator_factory=factory, **kwargs)


def test_a_forbidden_rendering_the_model_copied_is_banned_and_the_sentence_redone(with_models, tmp_path):
    # The copy model writes whatever the source holds: here the forbidden rendering itself.
    result = _translate(tmp_path, "The partnership grew, unlike the sociedad of old.")
    [sentence] = result.files[0].sentences
    [term] = sentence.terms
    assert term.state == REPAIRED
    assert term.reason == "the first translation wrote 'sociedad'; translated again with it banned"
    assert "sociedad" not in sentence.text.lower() and "asociación" in sentence.text
    [entry] = polib.pofile(str(tmp_path / "out" / "es" / "a.po"))
    assert "translated again with it banned" in entry.comment
    from translator.report import build_report

    assert build_report(result)["files"][0]["terms"]["repaired_by"] == {"model": 0, "ban": 1, "replacement": 0}


class _Stubborn:
    """A model that writes the forbidden rendering whatever it is told (bans included)."""

    def __init__(self, route):
        self.inner = CTranslate2Translator(route[0])
        self.bans: list[list[str]] = []

    def translate(self, sentences, progress=None):
        return self.inner.translate(sentences, progress)

    def translate_with_bans(self, sentences, bans):
        self.bans += [list(b) for b in bans]
        return list(sentences)  # ignores the bans: still the forbidden word


def test_when_the_ban_does_not_help_the_first_translation_is_kept_and_flagged(with_models, tmp_path):
    models: list[_Stubborn] = []
    result = _translate(tmp_path, "The partnership grew, unlike the sociedad of old.",
                        factory=lambda route: models.append(_Stubborn(route)) or models[-1])
    assert models[0].bans == [["sociedad", "Sociedad"]]
    [sentence] = result.files[0].sentences
    assert [t.state for t in sentence.terms] == [FLAGGED]
    assert "forbidden rendering 'sociedad'" in sentence.terms[0].reason


def test_a_translator_without_bans_goes_straight_to_text_repair(with_models, tmp_path):
    class Plain:
        def __init__(self, route):
            self.inner = CTranslate2Translator(route[0])

        def translate(self, sentences, progress=None):
            return self.inner.translate(sentences, progress)

    result = _translate(tmp_path, "The partnership grew, unlike the sociedad of old.", factory=Plain)
    assert [t.state for t in result.files[0].sentences[0].terms] == [FLAGGED]


@pytest.mark.parametrize(
    ("concept", "output", "expected"),
    [
        (PARTNERSHIP, "La asociación y la sociedad.", ["sociedad", "Sociedad"]),
        (PARTNERSHIP, "The partnership grew.", ["partnership", "Partnership"]),
        (WHO, "La WHO dijo que who sabe.", ["WHO"]),
        (WHO, "La OMS dijo que who sabe.", []),
    ],
    ids=["forbidden-rendering", "english-term", "case-sensitive-term-only-its-capitals", "nothing-wrong"],
)
def test_the_spellings_banned_follow_the_terms_case_rule(concept, output, expected):
    from glossary.match import Matcher
    from translator.enforce import Protector

    masked: Masked = Protector("es", Matcher(Termbase([concept]))).protect(f"The {concept.term} said.")
    assert ban_spellings(offending(output, masked), masked) == expected
