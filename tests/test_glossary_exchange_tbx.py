"""TBX import: what an entry gives, how statuses map, every problem with its line, and a parser
that reads nothing but the file (no entity expansion, no external DTD, bounded depth)."""
from __future__ import annotations

import io
from pathlib import Path

import pytest

from glossary.exchange import Languages, Parsed
from glossary.exchange_tbx import MAX_DEPTH, parse_tbx
from glossary.model import Concept

CORPUS = Path(__file__).resolve().parents[2] / "shared" / "corpus" / "tbx"


def tig(term: str, status: str | None = None, *notes: str, kind: str = "termNote") -> str:
    status_xml = f'<{kind} type="administrativeStatus">{status}</{kind}>' if status else ""
    return f"<tig><term>{term}</term>{status_xml}{''.join(f'<note>{n}</note>' for n in notes)}</tig>"


def lang_set(lang: str, *tigs: str) -> str:
    return f'<langSet xml:lang="{lang}">{"".join(tigs)}</langSet>'


def tbx(*entries: str, doctype: str = "") -> bytes:
    body = "\n".join(f"<termEntry>{entry}</termEntry>" for entry in entries)
    return (f'<?xml version="1.0" encoding="UTF-8"?>\n{doctype}<martif type="TBX-Basic" xml:lang="en">\n'
            f"<text><body>\n{body}\n</body></text></martif>\n").encode()


def parse(data: bytes, *langs: str) -> Parsed:
    return parse_tbx(io.BytesIO(data), "terms.tbx", languages=Languages(langs))


def concept(data: bytes) -> Concept:
    parsed = parse(data)
    assert parsed.problems == []
    [item] = parsed.items
    return item.concept


# -- statuses ------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    "tigs, text, fuzzy, forbidden, comment",
    [
        ([tig("foro", "preferredTerm-admn-sts")], "foro", False, (), ""),
        ([tig("foro", "preferred")], "foro", False, (), ""),
        ([tig("foro", "admittedTerm-admn-sts")], "foro", False, (), ""),
        ([tig("foro")], "foro", False, (), ""),
        ([tig("foro", "admittedTerm-admn-sts", "fuzzy")], "foro", True, (), ""),
        ([tig("encuentro", "admitted"), tig("foro", "preferredTerm-admn-sts")], "foro", False, (),
         "also admitted: encuentro"),
        ([tig("foro", "preferred"), tig("fórum", "preferred")], "foro", False, (), "also preferred: fórum"),
        ([tig("cumbre", "deprecatedTerm-admn-sts"), tig("foro")], "foro", False, ("cumbre",), ""),
        ([tig("cumbre", "supersededTerm-admn-sts")], "", False, ("cumbre",), ""),
        ([tig("cumbre", "deprecated")], "", False, ("cumbre",), ""),
        ([tig("cumbre", "obsolete")], "", False, ("cumbre",), ""),
        ([tig("cumbre", "superseded")], "", False, ("cumbre",), ""),
        ([tig("cumbre", "notRecommended")], "", False, ("cumbre",), ""),
        ([tig("cumbre", "not recommended")], "", False, ("cumbre",), ""),
    ],
    ids=["preferred-admn-sts", "preferred", "admitted-alone", "no-status", "admitted-fuzzy-note",
         "preferred-wins-admitted-listed", "second-preferred-listed", "deprecated-forbidden",
         "superseded-admn-sts-forbidden", "deprecated-forbidden-word", "obsolete-forbidden",
         "superseded-forbidden", "notRecommended-forbidden", "not-recommended-forbidden"],
)
def test_target_statuses_map_to_the_rendering_and_the_forbidden_ones(
        tigs: list[str], text: str, fuzzy: bool, forbidden: tuple[str, ...], comment: str) -> None:
    es = concept(tbx(lang_set("en", tig("forum")) + lang_set("es", *tigs))).entry("es")
    assert es is not None
    assert (es.text, es.fuzzy, es.forbidden, es.comment) == (text, fuzzy, forbidden, comment)


@pytest.mark.parametrize(
    "tigs, term, variants",
    [
        ([tig("forum", "preferredTerm-admn-sts"), tig("meeting", "admittedTerm-admn-sts")], "forum", ("meeting",)),
        ([tig("meeting", "admitted"), tig("forum", "preferred")], "forum", ("meeting",)),
        ([tig("summit", "deprecatedTerm-admn-sts"), tig("forum")], "forum", ("summit",)),
        ([tig("summit", "obsolete"), tig("forum", "admitted")], "forum", ("summit",)),
    ],
    ids=["preferred-is-the-term", "preferred-wins-over-earlier-admitted", "deprecated-never-the-term",
         "obsolete-never-the-term"],
)
def test_source_statuses_pick_the_term_and_a_deprecated_term_is_never_canonical(
        tigs: list[str], term: str, variants: tuple[str, ...]) -> None:
    found = concept(tbx(lang_set("en", *tigs)))
    assert (found.term, found.variants) == (term, variants)


def test_an_entry_whose_english_terms_are_all_deprecated_is_a_problem() -> None:
    parsed = parse(tbx(lang_set("en", tig("data bus", "obsolete")) + lang_set("fr", tig("bus", "obsolete"))))
    assert [p.reason for p in parsed.problems] == [
        "the entry has no en term that may be used (every one is deprecated, superseded or obsolete)"]


@pytest.mark.parametrize(
    "term_group",
    ['<termSec><term>cumbre</term><termNote type="usageStatus">notRecommended</termNote></termSec>',
     "<termSec><term>cumbre</term><min:administrativeStatus>deprecatedTerm-admn-sts</min:administrativeStatus>"
     "</termSec>",
     '<ntig><termGrp><term>cumbre</term><termNote type="administrativeStatus">deprecated</termNote></termGrp>'
     "</ntig>"],
    ids=["usage-status", "dct-style-element", "ntig-term-group"],
)
def test_statuses_are_read_in_every_style(term_group: str) -> None:
    data = (b'<tbx type="TBX-Min" xml:lang="en" xmlns="urn:iso:std:iso:30042:ed-2" '
            b'xmlns:min="http://www.tbxinfo.net/ns/min"><text><body><conceptEntry>'
            b'<langSec xml:lang="en"><termSec><term>summit</term></termSec></langSec>'
            + f'<langSec xml:lang="es">{term_group}</langSec>'.encode()
            + b"</conceptEntry></body></text></tbx>")
    assert concept(data).forbidden("es") == ("cumbre",)


def test_an_unknown_status_is_a_problem_at_its_line() -> None:
    parsed = parse(tbx(lang_set("en", tig("forum")) + "\n" + lang_set("es", tig("foro", "not an allowed value"))))
    assert [(p.line, p.reason) for p in parsed.problems] == [(5, (
        "unknown administrativeStatus 'not an allowed value' (this import knows preferred, admitted, deprecated, "
        "superseded, obsolete, notRecommended, and the -admn-sts forms)"))]
    assert parsed.items == []


# -- what an entry gives ------------------------------------------------------------------------------
def test_subject_field_is_the_context_and_notes_and_english_definitions_are_the_note() -> None:
    found = concept(tbx(
        '<descripGrp><descrip type="subjectField">astronomy</descrip></descripGrp><note>Checked.</note>'
        '<langSet xml:lang="en"><descrip type="definition">A group of\n        stars.</descrip>'
        + tig("open cluster") + "</langSet>"))
    assert (found.context, found.note) == ("astronomy", "Checked.\nA group of stars.")


def test_a_line_break_with_indentation_in_a_note_is_layout() -> None:
    found = concept(tbx("<note>Source:\n\t\t\thttp://example.org/a</note><note>one\ntwo</note>" + lang_set("en", tig("x"))))
    assert found.note == "Source: http://example.org/a\none\ntwo"


def test_repeated_lang_sets_of_one_language_merge() -> None:
    es = lang_set("es", tig("noviembre", "preferredTerm-admn-sts"))
    found = concept(tbx(lang_set("en", tig("November")) + es + es))
    assert found.rendering("es").text == "noviembre" and found.entry("es").comment == ""


def test_regional_tags_merge_into_the_language_lang_names() -> None:
    parsed = parse(tbx(lang_set("en", tig("forum")) + lang_set("es-ES", tig("foro")) + lang_set("es-MX", tig("foro"))),
                   "es")
    assert [r.lang for r in parsed.items[0].concept.renderings] == ["es"]


def test_an_empty_term_says_nothing() -> None:
    found = concept(tbx(lang_set("de", tig("")) + lang_set("en", tig("backslant"))))
    assert (found.term, found.renderings) == ("backslant", ())


# -- problems: every one, with its line ----------------------------------------------------------------
def test_every_entry_without_an_english_term_is_listed_with_its_line() -> None:
    parsed = parse(tbx(lang_set("zu", tig("a")), lang_set("en", tig("b")), lang_set("zu", tig("c"))))
    assert [(p.line, p.reason) for p in parsed.problems] == [
        (4, "the entry has no en term (its languages: zu)"), (6, "the entry has no en term (its languages: zu)")]
    assert [item.concept.term for item in parsed.items] == ["b"] and parsed.invalid == 2


def test_a_language_tag_that_is_not_one_is_reported_as_written_at_its_lang_set() -> None:
    parsed = parse(tbx(lang_set("en", tig("fear")) + '\n<langSet xml:lang="---">' + tig("Fear") + "</langSet>"))
    assert [(p.line, p.reason) for p in parsed.problems] == [
        (5, "'---' is not a language tag like es, es-419 or zh-CN (the xml:lang of this <langSet>)")]


def test_a_term_group_with_two_terms_is_a_problem() -> None:
    parsed = parse(tbx(lang_set("en", "<tig>\n<term>a</term>\n<term>b</term></tig>")))
    assert [(p.line, p.reason) for p in parsed.problems] == [
        (4, "a <tig> has 2 <term> elements (lines 5, 6); it must have exactly one")]


def test_a_control_character_in_a_term_is_refused_with_its_line() -> None:
    parsed = parse(tbx(lang_set("en", "<tig><term>A&#x7f;B</term></tig>")))
    assert [p.reason for p in parsed.problems] == [
        "the term 'A\\x7fB' contains a control character (U+007F); remove it"]


# -- a parser that reads only the file ----------------------------------------------------------------
def test_an_entity_an_external_dtd_would_define_is_refused_naming_it_and_its_line() -> None:
    data = tbx(lang_set("en", tig("Dtd &x; Term")), doctype='<!DOCTYPE martif SYSTEM "x.dtd">\n')
    parsed = parse(data)
    assert [(p.line, p.reason, p.fatal) for p in parsed.problems] == [(5, (
        "&x; is an entity of an external DTD, which import never reads; write the character it stands for "
        "instead"), True)]


def test_the_external_dtd_is_never_read(tmp_path: Path) -> None:
    (tmp_path / "x.dtd").write_text('<!ENTITY x "defined">', encoding="utf-8")
    path = tmp_path / "terms.tbx"
    path.write_bytes(tbx(lang_set("en", tig("&x;")), doctype=f'<!DOCTYPE martif SYSTEM "{tmp_path / "x.dtd"}">\n'))
    with open(path, "rb") as handle:
        parsed = parse_tbx(handle, str(path))
    assert parsed.fatal and "&x; is an entity of an external DTD" in parsed.problems[0].reason


@pytest.mark.parametrize(
    "doctype",
    ['<!DOCTYPE martif [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;">]>\n',
     '<!DOCTYPE martif [<!ENTITY e SYSTEM "file:///etc/passwd">]>\n',
     '<!DOCTYPE martif [<!ENTITY % p SYSTEM "http://example.invalid/p.dtd"> %p;]>\n'],
    ids=["expanding-entities", "external-entity", "external-parameter-entity"],
)
def test_entity_declarations_refuse_the_file(doctype: str) -> None:
    parsed = parse(tbx(lang_set("en", tig("x")), doctype=doctype))
    assert parsed.fatal and "entity declarations are not allowed" in parsed.problems[0].reason
    assert parsed.items == []


def test_nesting_far_deeper_than_tbx_needs_is_one_fatal_problem() -> None:
    depth = 200_000
    parsed = parse(b"<martif>" + b"<a>" * depth + b"</a>" * depth + b"</martif>")
    assert [(p.line, p.fatal) for p in parsed.problems] == [(1, True)]
    assert parsed.problems[0].reason == f"elements nested more than {MAX_DEPTH} deep; a TBX file nests about 10 deep"


@pytest.mark.parametrize(
    "data, reason",
    [(b"<martif><text>\n</martif>", "mismatched tag"), (b"<glossary/>", "<glossary> is not a TBX root"),
     (b"", "no element found")],
    ids=["not-well-formed", "not-tbx", "empty"],
)
def test_a_file_that_cannot_be_read_is_one_fatal_problem(data: bytes, reason: str) -> None:
    parsed = parse(data)
    assert len(parsed.problems) == 1 and parsed.fatal and reason in parsed.problems[0].reason


# -- the reference corpus, when it is there -------------------------------------------------------------
CORPUS_FILES = sorted(CORPUS.glob("*.tbx")) if CORPUS.is_dir() else []
WELL_FORMED = [p for p in CORPUS_FILES if "poorly_formed" not in p.name]


@pytest.mark.skipif(not CORPUS_FILES, reason="the reference corpus (../shared/corpus) is not here")
@pytest.mark.parametrize("path", WELL_FORMED, ids=[p.stem for p in WELL_FORMED])
def test_every_well_formed_corpus_file_reads_without_a_fatal_problem(path: Path) -> None:
    with open(path, "rb") as handle:
        parsed = parse_tbx(handle, path.name)
    assert not parsed.fatal
