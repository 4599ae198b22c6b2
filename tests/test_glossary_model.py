"""The termbase in memory: concepts, renderings, claims on spellings, and add/set changes."""
from __future__ import annotations

import dataclasses

import pytest
from hypothesis import given
from hypothesis import strategies as st

from glossary.changes import Change, apply
from glossary.errors import (
    AmbiguousTermError,
    DuplicateTermError,
    InvalidTermError,
    TermConflictError,
    UnknownTermError,
)
from glossary.model import Concept, Rendering, Termbase, check_language

CELAC = Concept("CELAC", case_sensitive=True, renderings=(
    Rendering("es", "CELAC", keep=True), Rendering("zh", "拉共体")))
PARTNERSHIP = Concept(
    "Comprehensive Strategic Partnership", variants=("Comprehensive Strategic Association",),
    renderings=(Rendering("es", "Asociación Estratégica Integral", forbidden=("Asociación Amplia",)),
                Rendering("zh", "全面战略伙伴关系", fuzzy=True)),
)


def test_rendering_api_gives_approved_text_proposals_and_forbidden_ones() -> None:
    assert PARTNERSHIP.rendering("es").approved
    assert PARTNERSHIP.rendering("zh").text == "全面战略伙伴关系"
    assert not PARTNERSHIP.rendering("zh").approved
    assert PARTNERSHIP.forbidden("es") == ("Asociación Amplia",)
    assert PARTNERSHIP.rendering("fr") is None and PARTNERSHIP.forbidden("fr") == ()


def test_empty_rendering_record_is_not_a_rendering() -> None:
    concept = Concept("APEC", renderings=(Rendering("es", "", forbidden=("Apec",)),))
    assert concept.rendering("es") is None
    assert concept.forbidden("es") == ("Apec",)


def test_stored_text_is_cleaned_so_equal_looking_terms_are_equal() -> None:
    assert Concept("  Xi \n Jinping ") == Concept("Xi Jinping")
    assert Concept("Lo\u0301pez").term == "López"


def test_variant_equal_to_the_term_or_repeated_is_dropped() -> None:
    assert Concept("APEC", variants=("APEC", "Apec", "Apec")).variants == ("Apec",)


@pytest.mark.parametrize("value", ["", "   ", "\n"], ids=["empty", "spaces", "newline"])
def test_empty_term_is_refused(value: str) -> None:
    with pytest.raises(InvalidTermError):
        Concept(value)


@pytest.mark.parametrize("code", ["es", "zh", "pt_BR", "zh_Hans", "sr@latin"], ids=str)
def test_gettext_language_codes_are_accepted(code: str) -> None:
    assert check_language(code) == code


@pytest.mark.parametrize("code", ["en", "ES", "../etc", "e", "es-ES"], ids=str)
def test_codes_that_are_not_target_language_directories_are_refused(code: str) -> None:
    with pytest.raises(InvalidTermError):
        check_language(code)


def test_termbase_iterates_in_stable_alphabetical_order() -> None:
    termbase = Termbase([PARTNERSHIP, Concept("multilateralism"), CELAC])
    assert [c.term for c in termbase] == ["CELAC", "Comprehensive Strategic Partnership", "multilateralism"]


def test_adding_an_existing_term_is_a_duplicate() -> None:
    termbase = Termbase([CELAC])
    with pytest.raises(DuplicateTermError):
        termbase.add(Concept("CELAC"))


def test_variant_already_claimed_by_another_concept_is_refused() -> None:
    termbase = Termbase([PARTNERSHIP])
    with pytest.raises(TermConflictError) as caught:
        termbase.add(Concept("Strategic Association", variants=("comprehensive strategic association",)))
    assert caught.value.owner == "Comprehensive Strategic Partnership"


def test_homographs_split_by_context_may_share_a_spelling() -> None:
    termbase = Termbase([Concept("Forum", context="organisation"), Concept("Forum", context="event")])
    assert len(termbase) == 2
    with pytest.raises(AmbiguousTermError):
        termbase.find("forum")
    assert termbase.find("forum", context="event").context == "event"


def test_find_accepts_a_variant_in_any_case() -> None:
    termbase = Termbase([PARTNERSHIP])
    assert termbase.find("comprehensive strategic ASSOCIATION") is PARTNERSHIP


def test_find_of_an_unknown_term_raises() -> None:
    with pytest.raises(UnknownTermError):
        Termbase([CELAC]).find("APEC")


def test_replace_can_rename_and_frees_the_old_spelling() -> None:
    termbase = Termbase([CELAC])
    termbase.replace(dataclasses.replace(CELAC, term="CELAC bloc"), old_key=CELAC.key)
    termbase.add(Concept("CELAC"))
    assert [c.term for c in termbase] == ["CELAC", "CELAC bloc"]


def test_languages_include_declared_and_used_ones() -> None:
    termbase = Termbase([CELAC], languages=["fr"])
    assert termbase.languages == ("es", "fr", "zh")


# -- changes (what add and set do) ---------------------------------------------------------------
def test_keep_gives_languages_without_a_rendering_the_term_itself() -> None:
    concept = apply(Concept("Xi Jinping"), Change(renderings=(("zh", "习近平"),), keep=True,
                                                   languages=("es", "zh")))
    assert (concept.rendering("es").text, concept.rendering("es").keep) == ("Xi Jinping", True)
    assert (concept.rendering("zh").text, concept.rendering("zh").keep) == ("习近平", False)


def test_keep_with_no_language_left_is_refused() -> None:
    with pytest.raises(InvalidTermError):
        apply(Concept("Xi Jinping"), Change(renderings=(("zh", "习近平"),), keep=True, languages=("zh",)))


def test_fuzzy_marks_given_renderings_as_proposals_and_approve_clears_them() -> None:
    proposed = apply(CELAC, Change(renderings=(("zh", "拉美共同体"),), fuzzy=True))
    assert proposed.rendering("zh").fuzzy and not proposed.rendering("es").fuzzy
    assert apply(proposed, Change(approve=True)).rendering("zh").approved


def test_setting_a_rendering_keeps_its_forbidden_list_and_clears_do_not_translate() -> None:
    changed = apply(CELAC, Change(renderings=(("es", "Celac"),), forbid=(("es", "CELAc"),)))
    assert (changed.rendering("es").text, changed.rendering("es").keep) == ("Celac", False)
    assert changed.forbidden("es") == ("CELAc",)


def test_removing_a_variant_it_does_not_have_is_refused() -> None:
    with pytest.raises(InvalidTermError):
        apply(PARTNERSHIP, Change(remove_variants=("Strategic Partnership",)))


def test_unforbid_removes_a_forbidden_rendering() -> None:
    changed = apply(PARTNERSHIP, Change(unforbid=(("es", "Asociación Amplia"),)))
    assert changed.forbidden("es") == ()


# -- what a large termbase costs -------------------------------------------------------------------
_SPELLINGS = st.text(st.sampled_from(list("aB \x00-.'’é")), min_size=1, max_size=12)


@given(_SPELLINGS, _SPELLINGS)
def test_the_claims_index_tells_spellings_apart_exactly_as_form_key_does(one: str, other: str) -> None:
    from glossary.model import _claim
    from glossary.text import form_key

    assert (_claim(one) == _claim(other)) == (form_key(one, False) == form_key(other, False))


def test_a_spelling_claimed_by_two_concepts_is_found_for_both_and_released_by_each() -> None:
    termbase = Termbase([Concept("bank", context="river"), Concept("bank", context="money")])
    assert sorted(c.context for c, _form in termbase.claims("Bank")) == ["money", "river"]
    termbase.remove("bank", "river")
    assert [c.context for c, _form in termbase.claims("bank")] == ["money"]
    termbase.remove("bank", "money")
    assert termbase.claims("bank") == []


def test_a_termbase_costs_under_1200_bytes_per_term_with_two_renderings() -> None:
    """A million-term import holds the whole termbase: what one term costs, strings included
    (1,350 bytes before the index kept one string per spelling and the records their slots;
    780 after)."""
    import tracemalloc

    words = [f"w{n:05d}x" for n in range(2000)]
    tracemalloc.start()
    try:
        termbase = Termbase()
        for n in range(20_000):
            term = " ".join(words[(n * k) % 2000] for k in range(1, 2 + n % 3)) + f" {n}"
            termbase.add(Concept(term, renderings=(Rendering("es", term[::-1]), Rendering("zh", f"术语{n}"))))
        cost = tracemalloc.get_traced_memory()[0] / len(termbase)
    finally:
        tracemalloc.stop()
    assert cost < 1200
