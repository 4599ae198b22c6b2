"""Source-language detection: English news is recognised without langdetect, the rest by it."""
import sys

import pytest

from helpers import SEEDS
from translator.detect import clearly_english, detect_language

OTHERS = {
    "es": "El presidente chino se reunió con su homólogo mexicano el jueves y ambos acordaron profundizar "
          "la cooperación en comercio, energía e infraestructura durante los próximos años, según un "
          "comunicado de la Asociación Estratégica Integral (Comprehensive Strategic Partnership).",
    "fr": "Le président chinois a rencontré son homologue mexicain jeudi et les deux parties ont convenu "
          "d'approfondir la coopération dans le commerce et l'énergie pour les prochaines années, selon "
          "un communiqué publié à Pékin.",
    "de": "Der chinesische Präsident traf am Donnerstag seinen mexikanischen Amtskollegen, und beide Seiten "
          "vereinbarten, die Zusammenarbeit in Handel und Energie in den kommenden Jahren zu vertiefen, "
          "wie aus einer Erklärung hervorgeht.",
    "nl": "De Chinese president heeft donderdag zijn Mexicaanse ambtgenoot ontmoet en beide partijen kwamen "
          "overeen de samenwerking op het gebied van handel en energie de komende jaren te verdiepen, "
          "aldus een verklaring.",
    "pt": "O presidente chinês reuniu-se com o seu homólogo mexicano na quinta-feira e ambas as partes "
          "concordaram em aprofundar a cooperação no comércio e na energia nos próximos anos, segundo um "
          "comunicado divulgado em Pequim.",
    "it": "Il presidente cinese ha incontrato giovedì il suo omologo messicano e le due parti hanno "
          "concordato di approfondire la cooperazione nel commercio e nell'energia nei prossimi anni, "
          "secondo un comunicato diffuso a Pechino.",
}


@pytest.mark.parametrize("seed", sorted(p.name for p in SEEDS.glob("*.txt")))
def test_english_news_is_recognised_without_loading_langdetect(seed, monkeypatch):
    monkeypatch.setitem(sys.modules, "langdetect", None)  # importing it now would fail
    text = (SEEDS / seed).read_text(encoding="utf-8")
    assert clearly_english(text)
    assert detect_language(text).code == "en"


@pytest.mark.parametrize("lang", sorted(OTHERS))
def test_other_languages_are_not_taken_for_english_and_go_to_langdetect(lang):
    assert not clearly_english(OTHERS[lang])
    assert detect_language(OTHERS[lang]).code == lang


@pytest.mark.parametrize("text", ["The summit opened.", "Xi Jinping and Lula met in Brasília on Monday."],
                         ids=["headline", "names"])
def test_a_few_words_are_too_few_to_call_english_by_counting(text):
    assert not clearly_english(text)
