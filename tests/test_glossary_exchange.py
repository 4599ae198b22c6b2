"""CSV, TSV and TBX exchange: round trips, the CSV layouts other tools write, repeated entries,
language codes, and every problem named with its line (TBX reading: test_glossary_exchange_tbx.py)."""
from __future__ import annotations

import gc
import io
from pathlib import Path

import pytest
from helpers import TEST_GLOSSARY

from glossary.errors import ImportFormatError, ImportOptionError, ImportRefusedError
from glossary.exchange import (
    Languages,
    Parsed,
    bulk,
    combine,
    export_text,
    import_into,
    merge,
    parse_file,
    read_csv,
    read_file,
    read_tbx,
    write_csv,
    write_tbx,
)
from glossary.exchange_csv import alternatives, parse_csv
from glossary.model import Concept, Rendering, Termbase
from glossary.storage import load

RICH = Concept(
    "China-CELAC Forum", context="organisation",
    variants=("China-Latin America Community Forum", "China-Latin America Forum"),
    case_sensitive=True, note='Say "Forum", never "Summit".',
    renderings=(
        Rendering("es", "Foro China-CELAC", fuzzy=True, forbidden=("Cumbre China-CELAC",), comment="a, b"),
        Rendering("zh", "中国－拉共体论坛"),
        Rendering("pt_BR", "Fórum China-CELAC", keep=False),
    ),
)


def _termbase() -> Termbase:
    termbase = load(TEST_GLOSSARY)
    termbase.add(RICH)
    return termbase


def _import(fmt: str, text: str) -> Termbase:
    handle = io.StringIO(text, newline="") if fmt == "csv" else io.BytesIO(text.encode())
    items = (read_csv if fmt == "csv" else read_tbx)(handle, f"terms.{fmt}")  # type: ignore[arg-type]
    termbase = Termbase()
    merge(termbase, items, f"terms.{fmt}")
    return termbase


@pytest.mark.parametrize("fmt", ["csv", "tbx"])
def test_export_then_import_restores_every_fact(fmt: str) -> None:
    original = _termbase()
    assert list(_import(fmt, export_text(original, fmt))) == list(original)


def test_csv_export_has_one_row_per_concept_and_readable_columns() -> None:
    buffer = io.StringIO()
    write_csv(Termbase([Concept("APEC", case_sensitive=True, renderings=(
        Rendering("es", "APEC", keep=True), Rendering("zh", "亚太经合组织")))]), buffer)
    assert buffer.getvalue().splitlines() == [
        "term,context,variants,case_sensitive,note,es,es_flags,es_forbidden,es_comment,"
        "zh,zh_flags,zh_forbidden,zh_comment",
        "APEC,,,yes,,APEC,do-not-translate,,,亚太经合组织,,,",
    ]


def test_tbx_export_uses_tbx_basic_statuses() -> None:
    buffer = io.StringIO()
    write_tbx(Termbase([RICH]), buffer)
    tbx = buffer.getvalue()
    assert '<martif type="TBX-Basic" xml:lang="en">' in tbx
    assert "<term>China-Latin America Forum</term>\n            <termNote type=\"administrativeStatus\">admittedTerm-admn-sts" in tbx
    assert "<term>Cumbre China-CELAC</term>\n            <termNote type=\"administrativeStatus\">deprecatedTerm-admn-sts" in tbx
    assert '<langSet xml:lang="pt-BR">' in tbx


def test_minimal_csv_import_updates_only_the_columns_it_has() -> None:
    termbase = Termbase([RICH])
    items = read_csv(io.StringIO("term,context,es\nChina-CELAC Forum,organisation,Foro China–CELAC\n"), "x.csv")
    assert merge(termbase, items, "x.csv") == (0, 1)
    updated = termbase.get("China-CELAC Forum", "organisation")
    assert updated.rendering("es").text == "Foro China–CELAC"
    assert updated.rendering("es").fuzzy and updated.forbidden("es") == ("Cumbre China-CELAC",)
    assert updated.variants == RICH.variants and updated.rendering("zh") == RICH.rendering("zh")


def test_tbx_v3_concept_entries_are_read() -> None:
    tbx = """<?xml version="1.0"?>
<tbx xmlns="urn:iso:std:iso:30042:ed-2" type="TBX-Core" style="dca" xml:lang="en">
 <text><body>
  <conceptEntry id="1">
   <langSec xml:lang="en"><termSec><term>multilateralism</term></termSec></langSec>
   <langSec xml:lang="es"><termSec><term>multilateralismo</term></termSec></langSec>
  </conceptEntry>
 </body></text>
</tbx>"""
    [concept] = _import("tbx", tbx)
    assert (concept.term, concept.rendering("es").text) == ("multilateralism", "multilateralismo")


@pytest.mark.parametrize(
    "text, line, reason",
    [
        ("", 1, "empty file"),
        ("name,es\nCELAC,CELAC\n", 1, "no header row this import knows"),
        ("term,es,es\nCELAC,CELAC,CELAC\n", 1, "a column name appears twice"),
        ("term,es\nCELAC,CELAC\nAPEC\n", 3, "1 fields where the header has 2"),
        ("term,es\nCELAC,CELAC\n,Foro\n", 3, "a term cannot be empty"),
        ("term,case_sensitive\nCELAC,maybe\n", 2, "case_sensitive must be yes or no"),
        ("term,es,es_flags\nCELAC,CELAC,approved\n", 2, "unknown flag 'approved'"),
        ('term,es\nCELAC,"CELAC\n', 2, "not CSV"),
        ("term,English\nCELAC,CELAC\n", 1, "unknown column 'English'"),
    ],
    ids=["empty", "no-known-header", "repeated-column", "short-row", "empty-term",
         "bad-boolean", "unknown-flag", "unterminated-quote", "language-name-not-code"],
)
def test_bad_csv_is_reported_with_its_line(text: str, line: int, reason: str) -> None:
    with pytest.raises(ImportFormatError) as caught:
        read_csv(io.StringIO(text, newline=""), "terms.csv")
    assert (caught.value.file, caught.value.line) == ("terms.csv", line)
    assert reason in caught.value.reason


@pytest.mark.parametrize(
    "text, line, reason",
    [
        ("<martif><text><body><termEntry>\n<langSet xml:lang='en'>\n</termEntry></martif>", 3, "mismatched tag"),
        ("<glossary/>", 1, "not a TBX root"),
        ("<martif><text><body>\n<termEntry><langSet xml:lang='es'><tig><term>x</term></tig></langSet></termEntry>"
         "</body></text></martif>", 2, "the entry has no en term (its languages: es)"),
        ('<!DOCTYPE martif [<!ENTITY a "aaaa">]>\n<martif/>', 1, "entity declarations are not allowed"),
        ("<martif><text><body><termEntry><langSet><tig><term>x</term></tig></langSet></termEntry>"
         "</body></text></martif>", 1, "a langSet has no xml:lang"),
    ],
    ids=["not-well-formed", "wrong-root", "no-source-term", "entity-declaration", "langset-without-lang"],
)
def test_bad_tbx_is_reported_with_its_line(text: str, line: int, reason: str) -> None:
    with pytest.raises(ImportFormatError) as caught:
        read_tbx(io.BytesIO(text.encode()), "terms.tbx")
    assert (caught.value.file, caught.value.line) == ("terms.tbx", line)
    assert reason in caught.value.reason


def test_import_clash_with_another_concept_names_the_line_and_changes_nothing_else() -> None:
    termbase = load(TEST_GLOSSARY)
    items = read_csv(io.StringIO("term,variants\nG20,\nCELAC bloc,celac\n"), "t.csv")
    with pytest.raises(ImportFormatError) as caught:
        merge(termbase, items, "t.csv")
    assert caught.value.line == 3 and "CELAC" in caught.value.reason


def test_csv_file_with_excel_bom_is_read(tmp_path: Path) -> None:
    path = tmp_path / "terms.csv"
    path.write_bytes("term,zh\nXinhua,新华社\n".encode("utf-8-sig"))
    [item] = read_file(path)
    assert (item.concept.term, item.concept.rendering("zh").text) == ("Xinhua", "新华社")


def test_csv_file_that_is_not_utf8_is_reported(tmp_path: Path) -> None:
    path = tmp_path / "terms.csv"
    path.write_bytes("term,es\nXinhua,Agencia de Noticias Xinhua\nAPEC,Cooperación\n".encode("latin-1"))
    with pytest.raises(ImportFormatError) as caught:
        read_file(path)
    assert (caught.value.line, caught.value.reason) == (3, "not UTF-8 text (save it as CSV UTF-8)")


# -- helpers for what follows ------------------------------------------------------------------------
def _parse(text: str, *langs: str, delimiter: str = ",") -> Parsed:
    return parse_csv(io.StringIO(text, newline=""), "terms.csv", languages=Languages(langs), delimiter=delimiter)


def _into(*texts: str, langs: tuple[str, ...] = (), termbase: Termbase | None = None) -> Termbase:
    """Import CSV texts (terms1.csv, terms2.csv, ...) as one import into `termbase` (or a new one)."""
    termbase = termbase if termbase is not None else Termbase()
    files = [parse_csv(io.StringIO(text, newline=""), f"terms{n}.csv", languages=Languages(langs))
             for n, text in enumerate(texts, start=1)]
    import_into(termbase, files, languages=Languages(langs))
    return termbase


def _renderings(termbase: Termbase) -> dict[str, dict[str, str]]:
    return {c.term: {r.lang: r.text for r in c.renderings if r.text} for c in termbase}


# -- the layouts people have: TICO-19, language-code headers, DeepL ---------------------------------
TICO_F = ("id,sourceLang,targetLang,sourceString,targetString\n"
          "1,en,es_XX,acute bronchitis,bronquitis aguda\n"
          "2,en,es_XX,droplets,gotitas\n"
          ",,es_XX,,\n")
TICO_G = ("stringID,sourceLang,targetLang,pos,description,sourceString,targetString\n"
          '1,en,zh-CN,noun,"In this test: small drops.",droplets,飞沫\n'
          "2,en,zh-CN,,,acute bronchitis,急性支气管炎\n")


def test_tico_rows_give_one_rendering_each_with_their_languages_from_the_columns() -> None:
    termbase = _into(TICO_F, TICO_G, langs=("es", "zh"))
    assert _renderings(termbase) == {
        "acute bronchitis": {"es": "bronquitis aguda", "zh": "急性支气管炎"},
        "droplets": {"es": "gotitas", "zh": "飞沫"},
    }


def test_tico_pos_and_description_become_the_note() -> None:
    termbase = _into(TICO_G, langs=("zh",))
    assert termbase.get("droplets").note == "(noun) In this test: small drops."
    assert termbase.get("acute bronchitis").note == ""


def test_tico_rows_with_only_their_languages_filled_in_are_skipped() -> None:
    parsed = _parse(TICO_F, "es")
    assert (len(parsed.items), parsed.problems) == (2, [])


def test_tico_row_whose_source_is_not_english_is_a_problem_of_that_row() -> None:
    parsed = _parse("sourceLang,targetLang,sourceString,targetString\nfr,es,grippe,gripe\nen,es,flu,gripe\n")
    assert [(p.line, p.reason) for p in parsed.problems] == [
        (2, "sourceLang is 'fr', but the glossary's terms are English (en)")]
    assert [item.concept.term for item in parsed.items] == ["flu"]


@pytest.mark.parametrize(
    "target, rendering, comment",
    [
        ("可传染 : 有传染性", "可传染", "alternatives: 有传染性"),
        ("新冠肺炎 (COVID-19) : 新冠 : COVID-19", "新冠肺炎 (COVID-19)", "alternatives: 新冠; COVID-19"),
        ("冠状病毒 [when referring the virus group] : 病毒", "冠状病毒",
         "when referring the virus group\nalternatives: 病毒"),
        ("(poner/estar) en cuarentena", "(poner/estar) en cuarentena", ""),
        ("Ratio 1:2", "Ratio 1:2", ""),
    ],
    ids=["two-alternatives", "three-alternatives", "annotation-moves-to-comment", "parentheses-kept",
         "colon-without-spaces-kept"],
)
def test_tico_alternatives_keep_the_first_as_the_rendering_and_the_rest_in_the_comment(
        target: str, rendering: str, comment: str) -> None:
    assert alternatives(target) == (rendering, comment)
    [item] = _parse(f"sourceString,targetString,targetLang\nterm,{target},zh-CN\n", "zh").items
    assert (item.concept.rendering("zh").text, item.concept.entry("zh").comment) == (rendering, comment)


def test_language_code_header_takes_the_english_column_as_the_term() -> None:
    text = "en,es,zh-CN,pos,description\nlockdown,confinamiento,封锁,noun,Staying at home.\nWHO,OMS,,,\n"
    termbase = _into(text, langs=("es", "zh"))
    assert _renderings(termbase) == {"lockdown": {"es": "confinamiento", "zh": "封锁"}, "WHO": {"es": "OMS"}}
    assert termbase.get("lockdown").note == "(noun) Staying at home."


def test_language_code_header_with_two_english_columns_is_refused() -> None:
    parsed = _parse("en-US,en-GB,es\ncolor,colour,color\n")
    assert [(p.line, p.fatal) for p in parsed.problems] == [(1, True)]
    assert "two English columns ('en-US' and 'en-GB')" in parsed.problems[0].reason


@pytest.mark.parametrize("delimiter, text", [(",", "lockdown,confinamiento\nWHO,OMS\n"),
                                             ("\t", "lockdown\tconfinamiento\nWHO\tOMS\n")],
                         ids=["csv", "tsv"])
def test_headerless_two_columns_are_source_and_target_in_the_language_lang_names(delimiter: str, text: str) -> None:
    parsed = _parse(text, "es", delimiter=delimiter)
    assert [(i.line, i.concept.term, i.concept.rendering("es").text) for i in parsed.items] == [
        (1, "lockdown", "confinamiento"), (2, "WHO", "OMS")]


def test_tsv_has_no_quoting_so_a_quote_belongs_to_the_term() -> None:
    [item] = _parse('"fair" use\t"uso" justo\n', "es", delimiter="\t").items
    assert (item.concept.term, item.concept.rendering("es").text) == ('"fair" use', '"uso" justo')


def test_deepl_four_columns_name_their_own_languages() -> None:
    parsed = _parse("lockdown,confinamiento,en,es\nlockdown,封锁,EN,zh-Hans\n", "es", "zh")
    assert [(i.concept.term, i.concept.renderings[0].lang) for i in parsed.items] == [
        ("lockdown", "es"), ("lockdown", "zh")]


def test_two_columns_without_lang_are_refused_saying_what_to_give() -> None:
    parsed = _parse("lockdown,confinamiento\n")
    assert parsed.problems[0].fatal and parsed.problems[0].reason.endswith("give --lang")


def test_two_columns_with_two_langs_is_a_usage_error() -> None:
    with pytest.raises(ImportOptionError, match="give exactly one --lang"):
        _parse("lockdown,confinamiento\n", "es", "zh")


def test_a_first_row_that_names_columns_is_not_taken_for_a_term() -> None:
    parsed = _parse("English,es\nlockdown,confinamiento\n", "es")
    assert parsed.items == [] and "no header row this import knows" in parsed.problems[0].reason


# -- language codes ----------------------------------------------------------------------------
@pytest.mark.parametrize(
    "tag, chosen, code",
    [("es-419", ("es",), "es"), ("es_XX", ("es",), "es"), ("zh-CN", ("es", "zh"), "zh"), ("ZH_cn", ("zh",), "zh"),
     ("es-419", (), "es_419"), ("pt-BR", (), "pt_BR"), ("zh-hans", (), "zh_Hans"), ("pt-BR", ("pt_BR",), "pt_BR"),
     ("de", ("es",), None)],
    ids=["es-419-into-es", "es_XX-into-es", "zh-CN-into-zh", "letter-case", "es-419-as-written",
         "pt-BR-as-written", "script-as-written", "exact-choice-wins", "not-chosen-left-out"],
)
def test_language_tags_map_onto_the_glossary_codes(tag: str, chosen: tuple[str, ...], code: str | None) -> None:
    assert Languages(chosen).resolve(tag) == code


@pytest.mark.parametrize("tag, reason", [("---", "is not a language tag"), ("zh-Hans-CN", "give --lang zh")],
                         ids=["not-a-tag", "no-gettext-code"])
def test_a_tag_the_glossary_cannot_use_says_why(tag: str, reason: str) -> None:
    with pytest.raises(Exception, match=reason):
        Languages().resolve(tag)


def test_lang_leaves_out_the_other_languages_and_says_which() -> None:
    parsed = _parse("term,es,de\nWHO,OMS,WHO\n", "es")
    assert [r.lang for r in parsed.items[0].concept.renderings] == ["es"] and parsed.left_out == {"de"}


def test_a_regional_code_beside_the_glossary_language_asks_for_lang() -> None:
    termbase = Termbase([Concept("WHO", renderings=(Rendering("es", "OMS"),))])
    with pytest.raises(ImportOptionError, match="es_419 would be a new language beside es; give --lang es"):
        _into("sourceString,targetString,targetLang\nlockdown,confinamiento,es-419\n", termbase=termbase)


def test_two_regional_forms_in_one_import_ask_for_lang() -> None:
    with pytest.raises(ImportOptionError, match="would be a new language beside"):
        _into(TICO_F, "sourceString,targetString,targetLang\nlockdown,confinamiento,es-419\n")


# -- repeated entries --------------------------------------------------------------------------
def test_repeated_rows_that_agree_are_merged_into_one_term() -> None:
    combined = combine(_parse("term,es,note\nWHO,OMS,\nWHO,OMS,The agency.\n").items)
    [item] = combined.items
    assert (combined.merged, combined.conflicts) == (1, [])
    assert (item.concept.rendering("es").text, item.concept.note, item.line) == ("OMS", "The agency.", 2)


def test_repeated_rows_across_files_merge_too() -> None:
    termbase = _into("term,es\nWHO,OMS\n", "en,es,zh\nWHO,OMS,世卫组织\n")
    assert _renderings(termbase) == {"WHO": {"es": "OMS", "zh": "世卫组织"}}


def test_repeated_rows_that_disagree_are_reported_and_kept_as_a_fuzzy_proposal() -> None:
    combined = combine(_parse("term,es\nspread,propagación\nspread,expansión\n").items)
    [item] = combined.items
    rendering = item.concept.rendering("es")
    assert (rendering.text, rendering.fuzzy) == ("propagación", True)
    assert rendering.comment == "also given: expansión (terms.csv line 3)"
    assert [(p.line, p.reason) for p in combined.conflicts] == [(3, (
        "'spread' (es): this entry gives 'expansión', line 2 gives 'propagación'; kept 'propagación' as a "
        "proposal (fuzzy), the other in its comment"))]


def test_a_disagreement_across_files_names_the_other_file() -> None:
    first = parse_csv(io.StringIO("term,es\nspread,propagación\n"), "a.csv")
    second = parse_csv(io.StringIO("term,es\nspread,expansión\n"), "b.csv")
    combined = combine(first.items + second.items)
    assert "a.csv:2 gives 'propagación'" in combined.conflicts[0].reason


def test_terms_that_differ_only_in_case_are_one_term() -> None:
    combined = combine(_parse("term,es\nCOVID-19,COVID-19\ncovid-19,COVID-19\n").items)
    assert [i.concept.term for i in combined.items] == ["COVID-19"] and combined.merged == 1


def test_case_sensitive_spellings_stay_two_terms() -> None:
    combined = combine(_parse("term,case_sensitive,es\nAIDS,yes,SIDA\nAids,yes,ayudas\n").items)
    assert [i.concept.term for i in combined.items] == ["AIDS", "Aids"] and combined.conflicts == []


def test_a_rendering_that_another_row_forbids_is_a_conflict() -> None:
    combined = combine(_parse("term,es,es_forbidden\nWHO,OMS,\nWHO,,OMS\n").items)
    assert combined.items[0].concept.rendering("es").fuzzy and len(combined.conflicts) == 1


# -- problems: every one, with its line ----------------------------------------------------------------
@pytest.mark.parametrize(
    "text",
    ["term,es\nA\0B,x\n", "term,es\nAB,x\x07y\n", "en,es\nA\x1bB,x\n",
     "sourceString,targetString,targetLang\nA\x85B,x,es\n"],
    ids=["nul-in-term", "bell-in-rendering", "escape-in-language-header-layout", "c1-in-tico-layout"],
)
def test_a_control_character_is_refused_with_its_line(text: str) -> None:
    parsed = _parse(text, "es")
    [problem] = parsed.problems
    assert problem.line == 2 and "contains a control character (U+00" in problem.reason
    assert parsed.items == []


def test_the_message_names_the_term_that_holds_a_control_character() -> None:
    [problem] = _parse("term,es\nA\0B,x\n").problems
    assert problem.reason == "the term 'A\\x00B' contains a control character (U+0000); remove it"


def test_every_bad_row_is_listed_not_only_the_first() -> None:
    parsed = _parse("term,es,case_sensitive\nA,a,maybe\nB,b,no\n,c,no\nD,d\n")
    assert [p.line for p in parsed.problems] == [2, 4, 5]
    assert [i.concept.term for i in parsed.items] == ["B"] and parsed.invalid == 3


def test_import_refuses_with_every_problem_and_counts_the_valid_entries() -> None:
    with pytest.raises(ImportRefusedError) as caught:
        _into("term,es\nA\0B,x\nC,y\n,z\n")
    assert [p.line for p in caught.value.problems] == [2, 4]
    assert (caught.value.valid, caught.value.skippable) == (1, True)


def test_skip_invalid_imports_the_valid_rows_and_reports_the_rest() -> None:
    termbase = Termbase()
    report = import_into(termbase, [_parse("term,es\nA\0B,x\nC,y\n")], skip_invalid=True)
    assert [c.term for c in termbase] == ["C"]
    assert ([p.line for p in report.skipped], report.skipped_entries) == ([2], 1)


def test_a_file_that_cannot_be_read_is_refused_even_with_skip_invalid() -> None:
    with pytest.raises(ImportRefusedError) as caught:
        import_into(Termbase(), [_parse('term,es\nCELAC,"CELAC\n')], skip_invalid=True)
    assert not caught.value.skippable


def test_utf16_unicode_text_from_excel_is_read(tmp_path: Path) -> None:
    path = tmp_path / "terms.tsv"
    path.write_bytes("lockdown\t封锁\n".encode("utf-16"))
    [item] = parse_file(path, languages=Languages(["zh"])).items
    assert item.concept.rendering("zh").text == "封锁"


def test_the_import_pauses_the_garbage_collector_and_restores_it() -> None:
    assert gc.isenabled()
    with bulk():
        assert not gc.isenabled()
    assert gc.isenabled()


# -- the reference corpus, when it is there -------------------------------------------------------------
CORPUS = Path(__file__).resolve().parents[2] / "shared" / "corpus" / "tico19"
TICO_LISTS = ["f_en-es_XX.csv", "f_en-zh_CN.csv", "g_en_es-419.csv", "g_en_zh-CN.csv"]


@pytest.mark.skipif(not CORPUS.is_dir(), reason="the reference corpus (../shared/corpus) is not here")
def test_tico19_term_lists_import_as_published_with_lang_only() -> None:
    files = [parse_file(CORPUS / name, languages=Languages(["es", "zh"])) for name in TICO_LISTS]
    termbase = Termbase()
    report = import_into(termbase, files, languages=Languages(["es", "zh"]))
    assert report.added == len(termbase) > 500 and set(termbase.languages) == {"es", "zh"}
    assert report.conflicts and report.merged


def test_a_plain_code_beside_a_regional_one_in_the_glossary_asks_for_lang_too() -> None:
    termbase = Termbase([Concept("WHO", renderings=(Rendering("es_419", "OMS"),))])
    with pytest.raises(ImportOptionError, match="es would be a new language beside es_419; give --lang es"):
        _into("term,es\nlockdown,confinamiento\n", termbase=termbase)
