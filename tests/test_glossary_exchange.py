"""CSV and TBX: export then import gives the same termbase; bad files name their line."""
from __future__ import annotations

import io
from pathlib import Path

import pytest
from helpers import TEST_GLOSSARY

from glossary.errors import ImportFormatError
from glossary.exchange import export_text, merge, read_csv, read_file, read_tbx, write_csv, write_tbx
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
        ("name,es\nCELAC,CELAC\n", 1, "no 'term' column"),
        ("term,es,es\nCELAC,CELAC,CELAC\n", 1, "a column name appears twice"),
        ("term,es\nCELAC,CELAC\nAPEC\n", 3, "1 fields where the header has 2"),
        ("term,es\nCELAC,CELAC\n,Foro\n", 3, "a term cannot be empty"),
        ("term,es\nCELAC,CELAC\nCELAC,Celac\n", 3, "'CELAC' already appears on line 2"),
        ("term,case_sensitive\nCELAC,maybe\n", 2, "case_sensitive must be yes or no"),
        ("term,es,es_flags\nCELAC,CELAC,approved\n", 2, "unknown flag 'approved'"),
        ('term,es\nCELAC,"CELAC\n', 2, "not CSV"),
        ("term,English\nCELAC,CELAC\n", 1, "unknown column 'English'"),
    ],
    ids=["empty", "no-term-column", "repeated-column", "short-row", "empty-term", "duplicate-row",
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
         "</body></text></martif>", 2, "the entry has no en term"),
        ('<!DOCTYPE m [<!ENTITY a "aaaa">]>\n<martif/>', 1, "entity declarations are not allowed"),
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
