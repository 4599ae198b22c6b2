"""Protect -> restore -> verify -> repair, one sentence at a time, with the test glossary."""
import pytest
from helpers import TEST_GLOSSARY
from hypothesis import given
from hypothesis import strategies as st

from glossary.match import Matcher
from glossary.model import Concept, Rendering, Termbase
from glossary.storage import load
from translator.enforce import (
    ENFORCED,
    FLAGGED,
    NO_PLACEHOLDERS,
    PROPOSAL,
    REPAIRED,
    Protector,
    needs_repair,
    post_edit,
    repair,
    restore,
    verify,
)


@pytest.fixture(scope="module")
def matcher():
    return Matcher(load(TEST_GLOSSARY))


def enforce_copy(protector: Protector, sentence: str, lang: str, model=lambda s: s):
    """Run one sentence through protect/restore/verify with `model` standing in for translation."""
    masked = protector.protect(sentence)
    result = restore(model(masked.text), masked, lang)
    if needs_repair(result):
        plain = protector.protect(sentence, terms=False)
        result = repair(result, masked, plain, plain.text, lang)
    return verify(result, masked)


@pytest.mark.parametrize(
    "sentence, term, es, zh",
    [
        ("The CELAC summit opened.", "CELAC", "CELAC", "拉共体"),
        ("CELAC's members met.", "CELAC", "CELAC", "拉共体"),
        ("They celebrated the Comprehensive Strategic Association.", "Comprehensive Strategic Partnership",
         "Asociación Estratégica Integral", "全面战略伙伴关系"),
        ("Both signed Comprehensive Strategic Partnerships.", "Comprehensive Strategic Partnership",
         "Asociación Estratégica Integral", "全面战略伙伴关系"),
        ('He praised "multilateralism" loudly.', "multilateralism", "multilateralismo", "多边主义"),
        ("The forum (China-Latin America Forum) grew.", "China-CELAC Forum", "Foro China-CELAC", "中国－拉共体论坛"),
        ("Leaders attended the APEC Economic Leaders' Meeting.", "APEC Economic Leaders' Meeting",
         "Reunión de Líderes Económicos de APEC", "亚太经合组织领导人非正式会议"),
        ("Leaders attended the APEC Economic Leaders’ Meeting.", "APEC Economic Leaders' Meeting",
         "Reunión de Líderes Económicos de APEC", "亚太经合组织领导人非正式会议"),
        ("They build a community of destiny together.", "community with a shared future",
         "comunidad de futuro compartido", "命运共同体"),
    ],
    ids=["acronym", "possessive", "variant", "plural", "in-quotes", "variant-in-parentheses",
         "longest-match", "curly-apostrophe", "variant-phrase"],
)
@pytest.mark.parametrize("lang", ["es", "zh"])
def test_every_occurrence_gets_the_approved_rendering(matcher, sentence, term, es, zh, lang):
    result = enforce_copy(Protector(lang, matcher), sentence, lang)
    assert [(t.term, t.state) for t in result.terms] == [(term, ENFORCED)]
    assert (es if lang == "es" else zh) in result.text


@pytest.mark.parametrize(
    "sentence",
    ["The Celaco brand sold apex shoes.", "Partnership agreements were signed.", "celac is lower case here."],
    ids=["celaco-apex", "partnership-alone", "acronym-wrong-case"],
)
def test_distractors_are_left_untouched(matcher, sentence):
    masked = Protector("es", matcher).protect(sentence)
    assert masked.text == sentence and masked.slots == ()


def test_do_not_translate_terms_come_back_as_the_source_term(matcher):
    result = enforce_copy(Protector("zh", matcher), "Xinhua reported it.", "zh", model=lambda s: s.replace("reported it.", "报道了。"))
    assert result.text == "新华社 报道了。"  # zh rendering; typography is applied later
    result = enforce_copy(Protector("es", matcher), "Xinhua reported it.", "es", model=lambda s: s.replace("reported it.", "informó."))
    assert result.text == "Xinhua informó."


def test_rendering_is_capitalised_at_the_start_of_a_spanish_sentence(matcher):
    result = enforce_copy(Protector("es", matcher), "Multilateralism matters.", "es",
                          model=lambda s: s.replace("matters.", "importa."))
    assert result.text == "Multilateralismo importa."


def test_code_urls_emails_and_amounts_are_restored_verbatim(matcher):
    sentence = "Send €5 million to press@example.org, see https://example.org/a_b or run `make demo`."
    masked = Protector("es", matcher).protect(sentence)
    assert [s.kind for s in masked.slots] == ["amount", "email", "url", "code"]
    assert "€" not in masked.text and "example" not in masked.text
    assert restore(masked.text, masked, "es").text == sentence


def test_placeholder_numbers_never_collide_with_the_source(matcher):
    masked = Protector("es", matcher).protect("As noted in [0], CELAC grew.")
    assert masked.text == "As noted in [0], [1] grew."


def test_a_fuzzy_rendering_is_reported_not_enforced():
    concept = Concept("widget", renderings=(Rendering("es", "artilugio", fuzzy=True),))
    protector = Protector("es", Matcher(Termbase([concept])))
    masked = protector.protect("The widget works.")
    assert masked.text == "The widget works."
    result = restore(masked.text, masked, "es")
    assert [(t.term, t.state) for t in result.terms] == [("widget", PROPOSAL)]


def _drop(token):
    return lambda s: s.replace(token, "")


@pytest.mark.parametrize(
    "model, plain_model, state, expected",
    [
        (_drop("[0]"), lambda s: s, REPAIRED, "Asociación Estratégica Integral"),
        (lambda s: s.replace("[0]", "[0] [0]"), lambda s: s, REPAIRED, "Asociación Estratégica Integral"),
        (lambda s: s.replace("[0]", "[ 0 ]"), lambda s: s, REPAIRED, "Asociación Estratégica Integral"),
        (_drop("[0]"), lambda s: s.replace("Comprehensive Strategic Association", "Asociación Estratégica Integral"),
         REPAIRED, "Asociación Estratégica Integral"),
        (_drop("[0]"), lambda s: s.replace("Comprehensive Strategic Association", "Socios"), FLAGGED, None),
    ],
    ids=["dropped", "duplicated", "mangled", "model-wrote-rendering", "no-safe-repair"],
)
def test_broken_placeholders_end_repaired_or_flagged_never_silently_wrong(matcher, model, plain_model, state, expected):
    protector = Protector("es", matcher)
    sentence = "They praised the Comprehensive Strategic Association today."
    masked = protector.protect(sentence)
    first = restore(model(masked.text), masked, "es")
    assert needs_repair(first)
    plain = protector.protect(sentence, terms=False)
    result = verify(repair(first, masked, plain, plain_model(plain.text), "es"), masked)
    assert [t.state for t in result.terms] == [state]
    if expected:
        assert expected in result.text and "Comprehensive" not in result.text
    else:
        assert result.terms[0].reason


def test_forbidden_rendering_in_the_unprotected_output_is_replaced():
    concept = Concept("partnership", renderings=(Rendering("es", "asociación", forbidden=("sociedad",)),))
    protector = Protector("es", Matcher(Termbase([concept])))
    masked = protector.protect("The partnership grew.")
    first = restore("La creció.", masked, "es")
    plain = protector.protect("The partnership grew.", terms=False)
    result = verify(repair(first, masked, plain, "La sociedad creció.", "es"), masked)
    assert (result.text, [t.state for t in result.terms]) == ("La asociación creció.", [REPAIRED])


def test_verify_flags_a_forbidden_rendering_next_to_an_enforced_one():
    concept = Concept("partnership", renderings=(Rendering("es", "asociación", forbidden=("sociedad",)),))
    protector = Protector("es", Matcher(Termbase([concept])))
    masked = protector.protect("The partnership grew.")
    result = verify(restore("La [0] y la sociedad crecieron.", masked, "es"), masked)
    assert result.terms[0].state == FLAGGED and "forbidden" in result.terms[0].reason


@given(st.text(alphabet=st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=160))
def test_protect_then_restore_with_a_copy_model_keeps_everything_but_terms(text):
    protector = Protector("es")  # no glossary: only verbatim spans
    masked = protector.protect(text)
    assert restore(masked.text, masked, "es").text == text


@pytest.mark.parametrize(
    "output, text, state",
    [
        ("Elogiaron la Comprehensive Strategic Association hoy.", "Elogiaron la Asociación Estratégica Integral hoy.",
         REPAIRED),
        ("Elogiaron la Asociación Estratégica Integral hoy.", "Elogiaron la Asociación Estratégica Integral hoy.",
         REPAIRED),
        ("Elogiaron a los socios hoy.", "Elogiaron a los socios hoy.", FLAGGED),
    ],
    ids=["english-term-replaced", "model-wrote-rendering", "nothing-to-repair"],
)
def test_post_edit_enforces_terms_in_a_translation_made_without_placeholders(matcher, output, text, state):
    protector = Protector("es", matcher, form=None)
    masked = protector.protect("They praised the Comprehensive Strategic Association today.")
    result = verify(post_edit(output, masked, "es"), masked)
    assert (result.text, [t.state for t in result.terms]) == (text, [state])
    if state == FLAGGED:
        assert result.terms[0].reason == NO_PLACEHOLDERS


def test_post_edit_reports_a_url_the_model_changed(matcher):
    masked = Protector("es", matcher, form=None).protect("See https://example.org/a_b for CELAC news.")
    kept = post_edit("Vea https://example.org/a_b para noticias de CELAC.", masked, "es")
    changed = post_edit("Vea https : / / example.org / a _ b para noticias de CELAC.", masked, "es")
    assert kept.problems == []
    assert changed.problems == ["the model changed the url https://example.org/a_b"]
    assert [t.state for t in changed.terms] == [REPAIRED]


def test_post_edit_reports_a_format_string_the_model_dropped(matcher):
    masked = Protector("es", matcher, form=None).protect("Deleted %(count)d files.", formats=True)
    result = post_edit("Se borraron archivos.", masked, "es")
    assert result.problems == ["the model changed the format %(count)d"]


WHO = Concept("WHO", case_sensitive=True, renderings=(Rendering("es", "OMS"),))


@pytest.mark.parametrize(
    ("output", "state"),
    [("La [0] dijo que las personas who están enfermas deben quedarse en casa.", ENFORCED),
     ("La [0] dijo que la WHO ayuda.", FLAGGED)],
    ids=["lower-case-word-is-not-the-term", "the-term-itself-left"],
)
def test_a_case_sensitive_term_is_verified_with_its_own_case_rule(output, state):
    protector = Protector("es", Matcher(Termbase([WHO])))
    masked = protector.protect("The WHO said people who are sick should stay home.")
    result = verify(restore(output, masked, "es"), masked)
    assert [t.state for t in result.terms] == [state]


def test_repair_replaces_the_case_sensitive_term_not_the_lower_case_word():
    protector = Protector("es", Matcher(Termbase([WHO])))
    sentence = "The WHO said people who are sick should stay home."
    masked = protector.protect(sentence)
    first = restore("La dijo.", masked, "es")
    plain = protector.protect(sentence, terms=False)
    result = repair(first, masked, plain, "La gente who está enferma; la WHO lo dijo.", "es")
    assert result.text == "La gente who está enferma; la OMS lo dijo."
    assert [t.state for t in result.terms] == [REPAIRED]
