"""Term matching: boundaries, case, inflection, typography, overlaps, and its invariants."""
from __future__ import annotations

import itertools

import pytest
from helpers import SEEDS, TEST_GLOSSARY
from hypothesis import given, settings
from hypothesis import strategies as st

from glossary.match import Match, Matcher
from glossary.model import Concept, Termbase
from glossary.storage import load
from glossary.text import form_key, plural


@pytest.fixture(scope="module")
def matcher() -> Matcher:
    return Matcher(load(TEST_GLOSSARY))


def spans(matcher: Matcher, text: str) -> list[tuple[str, str]]:
    return [(m.text, m.concept.term) for m in matcher.find(text)]


@pytest.mark.parametrize(
    "text, expected",
    [
        ("the APEC Economic Leaders' Meeting", [("APEC Economic Leaders' Meeting", "APEC Economic Leaders' Meeting")]),
        ("Celaco and apex are words", []),
        ("CELAC and APEC", [("CELAC", "CELAC"), ("APEC", "APEC")]),
        ("Celac, celac and Apec", []),
        ("community Of Destiny", [("community Of Destiny", "community with a shared future")]),
        ("CELAC's members", [("CELAC", "CELAC")]),
        ("the Comprehensive Strategic Partnerships", [("Comprehensive Strategic Partnerships", "Comprehensive Strategic Partnership")]),
        ("Partnership agreements", []),
        ("APEC Economic Leaders’ Meeting", [("APEC Economic Leaders’ Meeting", "APEC Economic Leaders' Meeting")]),
        ("the China–CELAC Forum", [("China–CELAC Forum", "China-CELAC Forum")]),
        ("the China-CELAC forum", [("China-CELAC forum", "China-CELAC Forum")]),
        ("China - CELAC Forum", [("CELAC", "CELAC")]),
        ("Latin America and\n  the Caribbean", [("Latin America and\n  the Caribbean", "Latin America and the Caribbean")]),
        ("Andre\u0301s Manuel Lo\u0301pez Obrador", [("Andre\u0301s Manuel Lo\u0301pez Obrador", "Andrés Manuel López Obrador")]),
        ("the Latin American Community", [("Latin American Community", "Community of Latin American and Caribbean States")]),
        ("China-Latin America and the Caribbean relations", [("Latin America and the Caribbean", "Latin America and the Caribbean")]),
        ("APEC2023 and XinhuaNet", []),
        ("", []),
    ],
    ids=[
        "longest-term-beats-its-acronym", "word-boundaries", "acronyms-exact-case",
        "acronyms-wrong-case", "phrases-any-case", "possessive-outside-span", "plural-of-last-word",
        "singular-of-other-phrase-absent", "curly-apostrophe", "en-dash-for-hyphen",
        "phrase-case-insensitive", "spaced-hyphen-is-not-the-term", "line-break-inside-term",
        "decomposed-accents", "variant-maps-to-concept", "term-after-hyphenated-prefix",
        "glued-digits-and-letters", "empty-text",
    ],
)
def test_match_case(matcher: Matcher, text: str, expected: list[tuple[str, str]]) -> None:
    assert spans(matcher, text) == expected


def test_seed_phrase_is_the_meeting_through_the_termbase_variant(matcher: Matcher) -> None:
    # The glossary spells the seed's "long name (acronym) + Economic Leaders' Meeting" as a variant.
    text = "the 30th Asia-Pacific Economic Cooperation (APEC) Economic Leaders’ Meeting, adding"
    assert spans(matcher, text) == [
        ("Asia-Pacific Economic Cooperation (APEC) Economic Leaders’ Meeting", "APEC Economic Leaders' Meeting"),
    ]


def test_parenthesised_acronym_alone_gives_long_name_and_acronym(matcher: Matcher) -> None:
    text = "the Asia-Pacific Economic Cooperation (APEC) said"
    assert spans(matcher, text) == [
        ("Asia-Pacific Economic Cooperation", "Asia-Pacific Economic Cooperation"),
        ("APEC", "APEC"),
    ]


def test_variant_with_the_parenthesis_makes_the_seed_phrase_one_match() -> None:
    meeting = Concept("APEC Economic Leaders' Meeting", variants=(
        "Asia-Pacific Economic Cooperation (APEC) Economic Leaders' Meeting",))
    matcher = Matcher([meeting, Concept("APEC", case_sensitive=True),
                       Concept("Asia-Pacific Economic Cooperation")])
    text = "the 30th Asia-Pacific Economic Cooperation (APEC) Economic Leaders’ Meeting"
    [match] = matcher.find(text)
    assert (match.concept, match.text) == (meeting, text[9:])


def test_match_reports_offsets_surface_variant_and_plural(matcher: Matcher) -> None:
    text = "Two Comprehensive Strategic Associations."
    [match] = matcher.find(text)
    assert (match.start, match.end, match.text) == (4, 40, text[4:40])
    assert (match.term, match.plural) == ("Comprehensive Strategic Association", True)
    assert match.concept.rendering("es").text == "Asociación Estratégica Integral"


def test_seed_articles_find_the_key_terms(matcher: Matcher) -> None:
    found = {m.concept.term for path in SEEDS.glob("*.txt") for m in matcher.find(path.read_text())}
    assert found >= {
        "Xinhua", "Xi Jinping", "Andrés Manuel López Obrador", "APEC Economic Leaders' Meeting",
        "Comprehensive Strategic Partnership", "multilateralism", "China-CELAC Forum",
        "Latin America and the Caribbean", "Community of Latin American and Caribbean States",
        "CELAC", "community with a shared future",
    }


def test_homographs_report_the_other_concepts_as_alternatives() -> None:
    body = Concept("Forum", context="organisation")
    event = Concept("Forum", context="event")
    [match] = Matcher(Termbase([body, event])).find("the Forum met")
    assert {match.concept, *match.alternatives} == {body, event}


def test_exact_spelling_wins_over_another_terms_plural() -> None:
    forums = Concept("Forums")
    [match] = Matcher([Concept("Forum"), forums]).find("the Forums")
    assert (match.concept, match.plural) == (forums, False)


def test_case_sensitive_and_insensitive_terms_of_one_spelling_go_by_case() -> None:
    aids = Concept("AIDS", case_sensitive=True)
    aid = Concept("aids")
    matcher = Matcher([aids, aid])
    assert [m.concept for m in matcher.find("AIDS and aids")] == [aids, aid]


@pytest.mark.parametrize(
    "word, expected",
    [("Partnership", "Partnerships"), ("Forum", "Forums"), ("Policy", "Policies"),
     ("Day", "Days"), ("key", "keys"), ("Church", "Churches"), ("Box", "Boxes"), ("wish", "wishes"),
     ("virus", "viruses"), ("coronavirus", "coronaviruses"), ("bus", "buses"), ("waltz", "waltzes"),
     ("Congress", "Congresses"), ("economy", "economies"), ("NGO", "NGOs"), ("G20", None)],
    ids=lambda v: str(v),
)
def test_plural_of_the_last_word(word: str, expected: str | None) -> None:
    assert plural(word) == expected


# -- properties --------------------------------------------------------------------------------
# A small vocabulary, so that generated terms often share words and overlap in the text.
VOCABULARY = ["China", "CELAC", "Forum", "Latin", "America", "Leaders'", "Partnership", "apex"]
SEPARATORS = [" ", "  ", "\n", "-", "–", ", ", "'s ", "’", " (", ") "]

words = st.sampled_from(VOCABULARY)
phrases = st.lists(words, min_size=1, max_size=3).map(" ".join)
concepts = st.builds(
    Concept, term=phrases, case_sensitive=st.booleans(),
    variants=st.lists(phrases, max_size=2).map(tuple),
)
spellings = st.tuples(words, st.sampled_from([str, str.lower, str.upper])).map(lambda p: p[1](p[0]))
texts = st.lists(st.tuples(spellings, st.sampled_from(SEPARATORS)), max_size=40).map(
    lambda pairs: "".join(w + s for w, s in pairs)
)


def _matcher(concept_list: list[Concept]) -> Matcher:
    unique = {c.term: c for c in concept_list}
    return Matcher(unique.values())


def _spells(match: Match) -> bool:
    """True when the matched text is one of the concept's forms, or its plural, under its case rule."""
    concept = match.concept
    written = form_key(match.text, concept.case_sensitive)
    for form in concept.forms:
        key = form_key(form, concept.case_sensitive)
        inflected = plural(form_key(form, True)[-1])
        if written == key:
            return True
        if inflected is not None:
            last = inflected if concept.case_sensitive else inflected.lower()
            if written == key[:-1] + (last,):
                return True
    return False


@settings(max_examples=150, deadline=None)
@given(st.lists(concepts, min_size=1, max_size=6), texts)
def test_matches_never_overlap_and_come_in_text_order(concept_list: list[Concept], text: str) -> None:
    found = _matcher(concept_list).find(text)
    for before, after in itertools.pairwise(found):
        assert before.end <= after.start


@settings(max_examples=150, deadline=None)
@given(st.lists(concepts, min_size=1, max_size=6), texts)
def test_every_match_points_at_text_that_spells_its_term(concept_list: list[Concept], text: str) -> None:
    for match in _matcher(concept_list).find(text):
        assert text[match.start:match.end] == match.text
        assert match.start < match.end
        assert _spells(match), (match.text, match.concept.forms)


@settings(max_examples=100, deadline=None)
@given(st.lists(concepts, min_size=1, max_size=6), texts, st.data())
def test_a_term_standing_alone_in_text_is_always_found(
    concept_list: list[Concept], filler: str, data: st.DataObject
) -> None:
    concept = data.draw(st.sampled_from(concept_list))
    text = f"{filler}. {concept.term} ."
    start = len(filler) + 2
    found = _matcher(concept_list).find(text)
    assert any(m.start <= start < m.end or start <= m.start < start + len(concept.term) for m in found)


@pytest.mark.parametrize(
    ("term", "text"),
    [("virus", "Two viruses spread."), ("coronavirus", "New coronaviruses emerge."),
     ("box", "The boxes arrived."), ("vaccine", "Vaccines work."), ("economy", "Both economies grew."),
     ("face mask", "Wear face masks.")],
    ids=["virus", "coronavirus", "box", "vaccine", "economy", "two-words"],
)
def test_a_regular_plural_in_text_is_found(term: str, text: str) -> None:
    concept = Concept(term)
    [match] = Matcher([concept]).find(text)
    assert match.concept == concept and match.plural
