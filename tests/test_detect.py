"""Source-language detection: English news is recognised without langdetect, the rest by it."""
import sys

import pytest
from helpers import SEEDS

from translator.detect import clearly_english, could_be_english, detect_language, prose_sample

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


# --- prose only, and English when nothing else could be translated -------------------------

CITIES = [("Roma", "Lazio"), ("Milano", "Lombardia"), ("Napoli", "Campania"), ("Torino", "Piemonte"),
          ("Palermo", "Sicilia"), ("Genova", "Liguria"), ("Bologna", "Emilia-Romagna"), ("Firenze", "Toscana")]
TABLE_ARTICLE = (
    "# Results\n\nThe table below lists the cities and their totals for the year.\n\n"
    "| City | Region | Total |\n|---|---|---|\n"
    + "".join(f"| Città di {city} | Regione {region} | {i} |\n" for i, (city, region) in enumerate(CITIES))
)


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        ("See https://example.org/a?b=1 and www.example.com now.", "See and now."),
        ("Run `pip install x` then <b>stop</b>.", "Run then stop ."),
        ("It rose 4.5% to 1,200 on 2024-05-01.", "It rose to on"),
        ("The talks between Xi Jinping and Andrés Manuel López Obrador ended.", "The talks between and ended."),
    ],
    ids=["links", "code-and-tags", "numbers", "names"],
)
def test_the_language_sample_keeps_only_prose(sentence: str, expected: str) -> None:
    assert prose_sample([sentence]) == expected


def test_an_english_table_of_italian_names_is_english(with_models, tmp_path) -> None:
    from click.testing import CliRunner

    from translator.cli import main

    article = tmp_path / "cities.md"
    article.write_text(TABLE_ARTICLE, encoding="utf-8")
    assert detect_language(" ".join(s for s in TABLE_ARTICLE.split("|"))).code == "it"  # the trap
    result = CliRunner().invoke(main, ["translate", str(article), "--to", "es", "--no-glossary",
                                       "--out", str(tmp_path / "out")])
    assert result.exit_code == 0, result.stderr
    assert "looks like" not in result.stderr
    assert (tmp_path / "out" / "es" / "cities.md").is_file()


def test_a_detected_language_without_models_falls_back_to_english_when_it_could_be(
        with_models, tmp_path, monkeypatch) -> None:
    from click.testing import CliRunner

    from translator import pipeline
    from translator.cli import main
    from translator.detect import Detection

    monkeypatch.setattr(pipeline, "detect_language", lambda text: Detection("it"))
    note = tmp_path / "note.txt"
    note.write_text("The figures for the year are in the table that was sent with this note.\n",
                    encoding="utf-8")
    result = CliRunner().invoke(main, ["translate", str(note), "--to", "es", "--no-glossary",
                                       "--out", str(tmp_path / "out")])
    assert result.exit_code == 0, result.stderr
    assert (f"translator: warning: {note} looks like Italian (it), but no installed model reads it and "
            "it reads as English too; translating it as English (use --from to choose)") in result.stderr


def test_a_text_that_cannot_be_english_still_needs_its_model(with_models, tmp_path) -> None:
    from click.testing import CliRunner

    from translator.cli import main

    german = tmp_path / "de.txt"
    german.write_text(OTHERS["de"] + "\n", encoding="utf-8")
    result = CliRunner().invoke(main, ["translate", str(german), "--to", "es", "--no-glossary",
                                       "--out", str(tmp_path / "out")])
    assert result.exit_code == 1
    assert "no model installed for de -> es" in result.stderr


@pytest.mark.parametrize(
    ("text", "expected"),
    [("The list of the cities that were named", True), ("Roma Milano Napoli Torino", False),
     ("la ciudad de los que para con el and the", False)],
    ids=["english-words", "names-only", "more-spanish-than-english"],
)
def test_could_be_english_needs_english_function_words(text: str, expected: bool) -> None:
    assert could_be_english(text) is expected
