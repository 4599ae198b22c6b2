"""glossary.po: msgfmt's strictness with file and line, raw entry text, atomic writes, locks, plurals.

GNU msgfmt is the judge: where it is installed, every case here and every catalog of the shared
corpus (../shared/corpus/po, real files from polib, translate-toolkit, Babel and pretix) is also
run through `msgfmt --check`, and the verdicts must agree except where a documented reason says
why this reader decides otherwise.
"""
from __future__ import annotations

import io
import os
import shutil
import stat
import subprocess
import sys
import threading
import time
import tracemalloc
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import polib  # type: ignore[import-untyped]
import pytest
from hypothesis import given
from hypothesis import strategies as st

from glossary import po
from glossary.errors import EncodingError, LockTimeoutError, PoSyntaxError

REPO = Path(__file__).resolve().parent.parent
CORPUS = REPO.parent / "shared" / "corpus" / "po"
MSGFMT = shutil.which("msgfmt")
needs_msgfmt = pytest.mark.skipif(MSGFMT is None, reason="GNU gettext msgfmt not installed")

HEADER = (
    'msgid ""\n'
    'msgstr ""\n'
    '"Content-Type: text/plain; charset=UTF-8\\n"\n'
    '"Plural-Forms: nplurals=2; plural=(n != 1);\\n"\n'
    "\n"
)  # five lines: the first entry after it starts on line 6


def header_with(plural_forms: str) -> str:
    return HEADER.replace("nplurals=2; plural=(n != 1);", plural_forms)


def read_text(text: str, name: str = "x.po") -> po.PoFile:
    return po.read(text.encode("utf-8"), name)


@dataclass(frozen=True)
class Refused:
    data: bytes
    line: int
    reason: str  # how the reason starts
    msgfmt_accepts: str = ""  # why msgfmt --check may read it while this reader does not


def refused(body: str, line: int, reason: str, header: str = HEADER, msgfmt_accepts: str = "") -> Refused:
    return Refused((header + body).encode("utf-8"), line, reason, msgfmt_accepts)


NUL_REASON = "msgfmt cuts the string at a NUL without a word; a NUL is never text"
REFUSED = {
    # What polib lets through, and msgfmt does not.
    "invalid-escape-q": refused('msgid "a\\q"\nmsgstr "b"\n', 6, "invalid escape \\q"),
    "invalid-escape-question-mark": refused('msgid "a"\nmsgstr "\\?"\n', 7, "invalid escape \\?"),
    "invalid-escape-apostrophe": refused("msgid \"a\"\nmsgstr \"\\'\"\n", 7, "invalid escape \\'"),
    "invalid-escape-u": refused('msgid "a"\nmsgstr "\\u00e9"\n', 7, "invalid escape \\u"),
    "hex-escape-without-digits": refused('msgid "a"\nmsgstr "\\xg"\n', 7, "invalid escape \\x"),
    "plural-form-gap": refused('msgid "a"\nmsgid_plural "as"\nmsgstr[0] "x"\nmsgstr[2] "y"\n', 9,
                               "msgstr[2] follows msgstr[0]"),
    "plural-gap-in-fuzzy-entry": refused('#, fuzzy\nmsgid "a"\nmsgid_plural "as"\nmsgstr[0] "x"\n'
                                         'msgstr[2] "y"\n', 10, "msgstr[2] follows msgstr[0]"),
    "first-plural-form-not-0": refused('msgid "a"\nmsgid_plural "as"\nmsgstr[1] "x"\n', 8,
                                       "the first plural form is msgstr[1]"),
    "plural-entry-without-msgstr": refused('msgid "a"\nmsgid_plural "as"\n\nmsgid "b"\nmsgstr "c"\n', 7,
                                           "msgid_plural without msgstr[0]"),
    "plural-entry-without-msgstr-at-end": refused('msgid "a"\nmsgid_plural "as"\n', 7,
                                                  "msgid_plural without msgstr[0]"),
    "plural-entry-with-plain-msgstr": refused('msgid "a"\nmsgid_plural "as"\nmsgstr "x"\n', 8,
                                              "msgstr after msgid_plural"),
    "msgstr-0-without-msgid-plural": refused('msgid "a"\nmsgstr[0] "x"\n', 7,
                                             "msgstr[0] without msgid_plural"),
    "only-msgctxt-at-end": refused('msgid "a"\nmsgstr "b"\n\nmsgctxt "c"\n', 9,
                                   "syntax error: msgctxt must be followed by msgid"),
    "msgctxt-then-msgstr": refused('msgctxt "c"\nmsgstr "x"\n', 7, "syntax error: msgctxt must be followed by msgid"),
    "msgctxt-twice": refused('msgctxt "c"\nmsgctxt "d"\nmsgid "a"\nmsgstr "x"\n', 7,
                             "syntax error: msgctxt must be followed by msgid"),
    "msgctxt-then-comment": refused('msgctxt "c"\n# note\nmsgid "a"\nmsgstr "x"\n', 7,
                                    "syntax error: msgctxt must be followed by msgid"),
    "nplurals-not-a-number": refused("", 4, "Plural-Forms: invalid nplurals value 'abc'",
                                     header_with("nplurals=abc; plural=0;")),
    "nplurals-negative": refused("", 4, "Plural-Forms: invalid nplurals value '-1'",
                                 header_with("nplurals=-1; plural=0;")),
    "nplurals-zero": refused("", 4, "Plural-Forms: nplurals=0, but the plural expression gives form 0",
                             header_with("nplurals=0; plural=0;")),
    "nplurals-below-the-expression": refused("", 4, "Plural-Forms: nplurals=2, but the plural expression gives form 2",
                                             header_with("nplurals=2; plural=n%3;")),
    "plural-expression-syntax": refused("", 4, "Plural-Forms: invalid plural expression '(n !!= 1)'",
                                        header_with("nplurals=2; plural=(n !!= 1);")),
    "plural-expression-divides-by-zero": refused("", 4, "Plural-Forms: the plural expression divides by zero",
                                                 header_with("nplurals=2; plural=n/0;")),
    "fewer-forms-than-nplurals": refused('msgid "a"\nmsgid_plural "as"\nmsgstr[0] "x"\n', 6,
                                         "1 plural form, but the header (line 4) says nplurals=2"),
    "more-forms-than-nplurals": refused('msgid "a"\nmsgid_plural "as"\nmsgstr[0] "x"\nmsgstr[1] "y"\n'
                                        'msgstr[2] "z"\n', 6, "3 plural forms, but the header (line 4) says nplurals=2"),
    "plural-translation-without-plural-forms": refused(
        'msgid "a"\nmsgid_plural "as"\nmsgstr[0] "x"\nmsgstr[1] "y"\n', 5,
        "a translated plural entry, but the header has no Plural-Forms",
        'msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n\n'),
    "nul-byte-in-msgstr": refused('msgid "a"\nmsgstr "b\x00"\n', 7, "not a text file (a NUL byte at offset",
                                  msgfmt_accepts=NUL_REASON),
    "nul-byte-in-comment": refused('# x\x00\nmsgid "a"\nmsgstr "b"\n', 6, "not a text file (a NUL byte",
                                   msgfmt_accepts=NUL_REASON),
    "nul-escape": refused('msgid "a"\nmsgstr "x\\0y"\n', 7, "a \\0 escape", msgfmt_accepts=NUL_REASON),
    "escapes-that-are-not-utf8": refused(
        'msgid "a"\nmsgstr "\\xff"\n', 7, "escape sequences in a string make bytes that are not UTF-8",
        msgfmt_accepts="msgfmt copies the byte into the MO file; this project's text is Unicode"),
    # What both polib and msgfmt refuse: the line is this reader's own.
    "unterminated-string": refused('msgid "a"\nmsgstr "b\n', 7, "malformed string (check the quotes)"),
    "unescaped-quote": refused('msgid "say "hi""\nmsgstr "b"\n', 6, "malformed string (check the quotes)"),
    "backslash-before-closing-quote": refused('msgid "a\\"\nmsgstr "b"\n', 6, "malformed string"),
    "backslash-newline-before-a-blank-line": refused('msgid "a"\nmsgstr "b"\\\\\n\nmsgid "c"\nmsgstr "d"\n', 7,
                                                     "malformed string (check the quotes)"),
    "stray-text": refused('msgid "a"\nmsgstr "b"\nhello there\n', 8, "not PO syntax: 'hello there'"),
    "msgstr-before-msgid": refused('msgstr "b"\nmsgid "a"\n', 6, "syntax error: msgstr without msgid"),
    "msgid-without-msgstr": refused('msgid "a"\n\nmsgid "b"\nmsgstr "c"\n', 6, "msgid without msgstr"),
    "keyword-without-string": refused('msgid\nmsgstr "c"\n', 6, "syntax error: msgid needs a string"),
    "string-outside-an-entry": refused('# note\n"text"\nmsgid "a"\nmsgstr "b"\n', 7,
                                       "syntax error: a string outside an entry"),
    "comment-inside-an-entry": refused('msgid "a"\n# note\nmsgstr "b"\n', 6, "msgid without msgstr"),
    "duplicate-entry": refused('msgid "a"\nmsgstr "b"\n\nmsgid "a"\nmsgstr "c"\n', 9,
                               "duplicate entry for 'a' (first at line 6)"),
    "duplicate-in-context": refused('msgctxt "k"\nmsgid "a"\nmsgstr "b"\n\nmsgctxt "k"\nmsgid "a"\nmsgstr "c"\n',
                                    10, "duplicate entry for 'a' in context 'k' (first at line 6)"),
    "duplicate-of-an-obsolete-entry": refused('msgid "a"\nmsgstr "b"\n\n#~ msgid "a"\n#~ msgstr "c"\n', 9,
                                              "duplicate entry for 'a'"),
    "second-header": refused(HEADER, 6, "a second header entry"),
    "inconsistent-obsolete-marks": refused('#~ msgid "a"\nmsgstr "b"\n', 7, "inconsistent use of #~"),
    "previous-after-comment-order": refused('#| msgid "old"\n#, fuzzy\nmsgid "a"\nmsgstr "b"\n', 7,
                                            "syntax error: a comment after the #| lines"),
    "previous-msgstr": refused('#| msgstr "old"\nmsgid "a"\nmsgstr "b"\n', 6, "syntax error: #| lines hold"),
    "previous-msgctxt-alone": refused('#| msgctxt "old"\nmsgid "a"\nmsgstr "b"\n', 7,
                                      "syntax error: #| msgctxt must be followed by #| msgid"),
    "newline-at-end-of-msgid-only": refused('msgid "a\\n"\nmsgstr "b"\n', 6,
                                            "msgid and msgstr do not both end with \\n"),
    "newline-at-start-of-msgstr-only": refused('msgid "a"\nmsgstr "\\nb"\n', 6,
                                               "msgid and msgstr do not both begin with \\n"),
    "newline-in-one-plural-form": refused('msgid "a\\n"\nmsgid_plural "as\\n"\nmsgstr[0] "x\\n"\nmsgstr[1] "y"\n',
                                          6, "msgid and msgstr[1] do not both end with \\n"),
    "domain-line": refused('domain "other"\nmsgid "a"\nmsgstr "b"\n', 6, "a 'domain' line"),
    "not-utf8": Refused(HEADER.encode() + 'msgid "a"\nmsgstr "Caf\u00e9"\n'.encode("latin-1"), 7,
                        "not UTF-8 text (bad byte at offset 132); convert it first, e.g. iconv -f latin1 -t utf-8"),
    "byte-order-mark": Refused(po.BOM + HEADER.encode(), 1, "starts with a byte-order mark, which msgfmt refuses"),
}


@pytest.mark.parametrize("case", REFUSED.values(), ids=REFUSED.keys())
def test_what_msgfmt_refuses_is_refused_with_file_and_line(case: Refused) -> None:
    with pytest.raises(PoSyntaxError) as caught:
        po.read(case.data, "dir/x.po")
    assert (caught.value.file, caught.value.line) == ("dir/x.po", case.line), caught.value.reason
    assert caught.value.reason.startswith(case.reason)
    assert str(caught.value) == f"dir/x.po:{case.line}: {caught.value.reason}"
    assert "\n" not in str(caught.value)


@dataclass(frozen=True)
class Accepted:
    text: str
    entry: dict[str, object]  # attributes of the first entry
    msgfmt_refuses: str = ""  # why msgfmt --check may refuse it while this reader reads it


ACCEPTED = {
    "vertical-tab-in-msgstr": Accepted(HEADER + 'msgid "a"\nmsgstr "x\vy"\n', {"msgstr": "x\vy"}),
    "raw-tab-cr-bell-and-line-separator": Accepted(HEADER + 'msgid "a"\nmsgstr "\t\r\a\u2028"\n',
                                                   {"msgstr": "\t\r\a\u2028"}),
    "c-escapes": Accepted(HEADER + 'msgid "a"\nmsgstr "\\a\\b\\f\\v\\t\\r\\\\\\""\n', {"msgstr": '\a\b\f\v\t\r\\"'}),
    "octal-and-hex-escapes-are-utf8-bytes": Accepted(HEADER + 'msgid "a"\nmsgstr "\\303\\251 \\101\\x42"\n',
                                                     {"msgstr": "\u00e9 AB"}),
    "keyword-and-string-on-separate-lines": Accepted(HEADER + 'msgid\n"a"\nmsgstr\n"b"\n',
                                                     {"msgid": "a", "msgstr": "b"}),
    "no-space-after-keyword": Accepted(HEADER + 'msgid"a"\nmsgstr"b"\n', {"msgid": "a", "msgstr": "b"}),
    "two-strings-on-a-line": Accepted(HEADER + 'msgid "a" "b"\nmsgstr "c"\n', {"msgid": "ab"}),
    "blank-line-inside-an-entry": Accepted(HEADER + 'msgid "a"\n\nmsgstr "b"\n', {"msgstr": "b"}),
    "msgctxt-then-blank-line-then-msgid": Accepted(HEADER + 'msgctxt "c"\n\nmsgid "a"\nmsgstr "b"\n',
                                                   {"msgctxt": "c", "msgid": "a"}),
    "crlf-line-ends": Accepted((HEADER + '#, fuzzy\nmsgid "a"\nmsgstr "b"\n').replace("\n", "\r\n"),
                               {"msgstr": "b", "flags": ["fuzzy"]}),
    "indented-lines": Accepted(HEADER + '  # note\n  msgid "a"\n\tmsgstr "b"\n', {"tcomment": "note"}),
    "flags-without-space": Accepted(HEADER + '#,fuzzy,c-format\nmsgid "a"\nmsgstr "b"\n',
                                    {"flags": ["fuzzy", "c-format"]}),
    "translator-comment-without-space": Accepted(HEADER + '#note\nmsgid "a"\nmsgstr "b"\n', {"tcomment": "note"}),
    "msgstr-index-with-spaces": Accepted(HEADER + 'msgid "a"\nmsgid_plural "as"\nmsgstr [0] "x"\nmsgstr[ 1 ] "y"\n',
                                         {"msgstr_plural": {0: "x", 1: "y"}}),
    "backslash-newline-inside-a-string": Accepted(HEADER + 'msgid "a\\\nb"\nmsgstr "c"\n', {"msgid": "ab"}),
    "all-comment-kinds-and-previous": Accepted(
        HEADER + '# who\n#. extracted\n#: a.py:3 b.py\n#, fuzzy, python-format\n#| msgctxt "k0"\n'
                 '#| msgid "old"\nmsgctxt "k"\nmsgid "a"\nmsgstr "b"\n',
        {"tcomment": "who", "comment": "extracted", "occurrences": [("a.py", "3"), ("b.py", "")],
         "flags": ["fuzzy", "python-format"], "previous_msgctxt": "k0", "previous_msgid": "old", "linenum": 6}),
    "obsolete-entry-with-previous": Accepted(HEADER + '#~| msgid "old"\n#~ msgid "a"\n#~ msgstr "b"\n',
                                             {"obsolete": True, "previous_msgid": "old", "msgstr": "b"}),
    "newline-mismatch-in-a-fuzzy-entry": Accepted(HEADER + '#, fuzzy\nmsgid "a\\n"\nmsgstr "b"\n', {"msgstr": "b"}),
    "untranslated-plural-with-one-form": Accepted(HEADER + 'msgid "a"\nmsgid_plural "as"\nmsgstr[0] ""\n',
                                                  {"msgstr_plural": {0: ""}}),
    "keyword-right-after-a-string": Accepted(HEADER + 'msgid "a"msgstr "b"\n', {"msgid": "a", "msgstr": "b"}),
    "obsolete-mark-after-a-string": Accepted(HEADER + '#~ msgid "a"#~ msgstr "b"\n', {"obsolete": True, "msgstr": "b"}),
    "backslash-newline-in-a-comment": Accepted(HEADER + '#. a long\\\n note\nmsgid "a"\nmsgstr "b"\n',
                                               {"comment": "a long note"}),
    # msgfmt's quirk: a comment at the end of a #| line swallows its end, so the next line of
    # tokens is a previous one too.
    "previous-line-ending-in-a-comment": Accepted(HEADER + '#| # see above\nmsgid "old"\nmsgid "a"\nmsgstr "b"\n',
                                                  {"previous_msgid": "old", "msgid": "a"}),
    "entries-without-blank-lines": Accepted(HEADER + 'msgid "a"\nmsgstr "b"\nmsgid "c"\nmsgstr "d"\n', {"msgstr": "b"}),
    "header-after-the-first-entry": Accepted('msgid "a"\nmsgstr "b"\n\n' + HEADER, {"msgid": "a"}),
    "comments-after-the-last-entry": Accepted(HEADER + 'msgid "a"\nmsgstr "b"\n\n# the end\n', {"msgid": "a"}),
    "three-plural-forms": Accepted(header_with("nplurals=3; plural=(n==1 ? 0 : n%10>=2 && n%10<=4 ? 1 : 2);")
                                   + 'msgid "a"\nmsgid_plural "as"\nmsgstr[0] "x"\nmsgstr[1] "y"\nmsgstr[2] "z"\n',
                                   {"msgstr_plural": {0: "x", 1: "y", 2: "z"}}),
    "pot-template-plural-forms": Accepted(
        header_with("nplurals=INTEGER; plural=EXPRESSION;") + 'msgid "a"\nmsgid_plural "as"\nmsgstr[0] ""\nmsgstr[1] ""\n',
        {"msgid_plural": "as"},
        msgfmt_refuses="a POT's template header is not a plural rule yet, so it cannot be wrong; "
                       "msgfmt --check is for finished PO files"),
    "no-header-entry": Accepted('msgid "a"\nmsgstr "b"\n', {"msgid": "a"},
                                msgfmt_refuses="--check wants a header to learn the charset, and the "
                                               "charset is always UTF-8 here"),
    "format-string-mismatch": Accepted(HEADER + '#, python-format\nmsgid "%(n)s files"\nmsgstr "files"\n',
                                       {"msgstr": "files"},
                                       msgfmt_refuses="format strings are checked on translations (QA), not "
                                                      "when a file is read"),
}


@pytest.mark.parametrize("case", ACCEPTED.values(), ids=ACCEPTED.keys())
def test_what_msgfmt_accepts_is_read_with_its_meaning(case: Accepted) -> None:
    entry = read_text(case.text).catalog[0]
    assert {name: getattr(entry, name) for name in case.entry} == case.entry


def _msgfmt_accepts(path: Path) -> bool:
    assert MSGFMT is not None
    result = subprocess.run([MSGFMT, "--check", "-o", os.devnull, str(path)], capture_output=True, check=False)
    return result.returncode == 0


@needs_msgfmt
@pytest.mark.parametrize("name", [*REFUSED, *ACCEPTED])
def test_msgfmt_check_gives_the_same_verdict(name: str, tmp_path: Path) -> None:
    if name in REFUSED:
        data, ours, differs = REFUSED[name].data, False, REFUSED[name].msgfmt_accepts
    else:
        data, ours, differs = ACCEPTED[name].text.encode("utf-8"), True, ACCEPTED[name].msgfmt_refuses
    path = tmp_path / "case.po"
    path.write_bytes(data)
    assert _msgfmt_accepts(path) == (ours != bool(differs)), differs or "msgfmt disagrees"


# -- the shared corpus: real catalogs, some deliberately broken --------------------------------
# Each refused file, with the line and how the reason starts.
CORPUS_REFUSED = {
    "polib__test_syntax_error1.po": (5, "syntax error: msgstr without msgid"),
    "polib__test_ufeff.po": (1, "starts with a byte-order mark"),
    "polib__test_msgctxt.po": (10, "a translated plural entry, but the header has no Plural-Forms"),
    "translate__cli__data__test_pocount_po_plurals__plural.po": (1, "a translated plural entry, but the header"),
    "polib__test_iso-8859-15.po": (4, "not UTF-8 text (bad byte at offset 78)"),
    "translate__translate__tools__data__pocount_syntax_errors__f43.tgif.fr.po": (7, "not UTF-8 text"),
}
_NO_HEADER = "no header entry: msgfmt --check wants one to learn the charset, which is always UTF-8 here"
_CHARSET = "not UTF-8: msgfmt converts from the header's charset, this project reads UTF-8 only"
# Where `msgfmt --check` decides otherwise, and why.
CORPUS_MSGFMT_DIFFERS = {
    "polib__test_iso-8859-15.po": _CHARSET,
    # Declares koi8-r but holds Latin-1 French: msgfmt would turn it into Cyrillic without a word.
    "translate__translate__tools__data__pocount_syntax_errors__f43.tgif.fr.po": _CHARSET,
    "polib__test_wrap.po": _NO_HEADER,
    "translate__cli__data__test_po2json_files_removeuntranslated__translations.po": _NO_HEADER,
    "translate__cli__data__test_po2prop_mozilla_files__translations.po": _NO_HEADER,
    "translate__cli__data__test_po2txt__one.po": _NO_HEADER,
    "translate__cli__data__test_pocount_po_fuzzy__one.po": _NO_HEADER,
    "translate__cli__data__test_poswap_comments__fr.po": _NO_HEADER,
    "translate__cli__data__test_poswap_intermediate__es.po": _NO_HEADER,
    "translate__cli__data__test_junitmsgfmt_failure__one.po": "a python-format mismatch: a QA finding, "
                                                              "not a reading error",
}


def _corpus() -> list[Path]:
    return sorted(p for p in CORPUS.glob("*.po*")) if CORPUS.is_dir() else []


needs_corpus = pytest.mark.skipif(not CORPUS.is_dir(), reason=f"{CORPUS} is not here")
CORPUS_FILES = [pytest.param(p, id=p.name) for p in _corpus()] or [
    pytest.param(None, id="no-corpus", marks=needs_corpus)]


@needs_corpus
def test_the_corpus_tables_name_files_that_exist() -> None:
    names = {p.name for p in _corpus()}
    assert len(names) == 38
    assert set(CORPUS_REFUSED) | set(CORPUS_MSGFMT_DIFFERS) <= names


@pytest.mark.parametrize("path", CORPUS_FILES)
def test_corpus_catalog_is_read_or_refused_with_file_and_line(path: Path) -> None:
    data = path.read_bytes()
    if path.name in CORPUS_REFUSED:
        line, reason = CORPUS_REFUSED[path.name]
        with pytest.raises(PoSyntaxError) as caught:
            po.read(data, str(path))
        assert (caught.value.file, caught.value.line) == (str(path), line)
        assert caught.value.reason.startswith(reason)
        return
    parsed = po.read(data, str(path))
    assert len(parsed.raw) == len(parsed.catalog)
    rendered = po.render(parsed.catalog)
    assert po.render(po.read(rendered, "again").catalog) == rendered  # what polib writes reads back as it was


@needs_msgfmt
@pytest.mark.parametrize("path", CORPUS_FILES)
def test_corpus_verdicts_agree_with_msgfmt_check(path: Path) -> None:
    try:
        po.read(path.read_bytes(), str(path))
        ours = True
    except PoSyntaxError:
        ours = False
    differs = CORPUS_MSGFMT_DIFFERS.get(path.name, "")
    assert _msgfmt_accepts(path) == (ours != bool(differs)), differs or "msgfmt disagrees"


@pytest.mark.parametrize("path", CORPUS_FILES)
def test_corpus_entries_mean_what_polib_reads_where_polib_reads_them(path: Path) -> None:
    try:
        parsed = po.read(path.read_bytes(), str(path))
        theirs = polib.pofile(path.read_bytes().decode("utf-8"))
    except (PoSyntaxError, OSError):
        pytest.skip("polib or this reader refuses it (the verdict tests cover it)")
    fields = ("msgctxt", "msgid", "msgid_plural", "msgstr", "msgstr_plural", "comment", "occurrences", "flags")
    assert [[getattr(e, f) for f in fields] for e in parsed.catalog] == \
        [[getattr(e, f) for f in fields] for e in theirs]
    assert parsed.catalog.metadata == theirs.metadata


# -- raw text, the read/write pair ---------------------------------------------------------------
def test_each_entry_keeps_the_text_it_was_read_from() -> None:
    text = (HEADER + "# a person's note\n#, python-format\nmsgid \"%(n)s\"\n\"long\"\nmsgstr \"x\\ty\"\r\n"
            "\n\n#~ msgid \"gone\"\n#~ msgstr \"ido\"\n")
    parsed = read_text(text)
    assert parsed.raw == ["# a person's note\n#, python-format\nmsgid \"%(n)s\"\n\"long\"\nmsgstr \"x\\ty\"\r",
                          "#~ msgid \"gone\"\n#~ msgstr \"ido\""]
    assert [(e.linenum, e.obsolete) for e, _ in parsed.with_raw()] == [(6, False), (13, True)]


def test_a_reader_that_needs_no_text_gets_the_same_entries_without_it() -> None:
    text = (HEADER + "# note\n#: a.py:3\nmsgid \"one\"\nmsgstr \"uno\"\n\n"
            "msgid \"%d file\"\nmsgid_plural \"%d files\"\nmsgstr[0] \"\"\nmsgstr[1] \"\"\n\n"
            "#~ msgid \"gone\"\n#~ msgstr \"ido\"\n")
    lean = po.read(text.encode("utf-8"), "x.po", raw=False)
    full = read_text(text)
    assert lean.raw == [] and len(full.raw) == 3
    assert [format_entry_of(e) for e in lean.catalog] == [format_entry_of(e) for e in full.catalog]
    assert lean.catalog.metadata == full.catalog.metadata


def format_entry_of(entry: polib.POEntry) -> tuple[str, int]:
    return po.format_entry(entry), entry.linenum


def test_reading_a_large_catalog_lets_its_lines_go_as_it_reads() -> None:
    """The parse's own peak, above what it returns, stays near the file's size (it held the
    file's text and every line until the end: seven times the file)."""
    data = (HEADER + "".join(f'#. note {n}\n#: src/a.py:{n}\nmsgid "Message {n} was saved."\n'
                             f'msgstr "Mensaje {n} guardado."\n\n' for n in range(20_000))).encode()
    tracemalloc.start()
    try:
        parsed = po.read(data, "big.po")
        kept, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert len(parsed.catalog) == 20_000
    assert peak - kept < 2.5 * len(data)


def test_read_and_write_are_a_pair_over_file_objects() -> None:
    catalog = polib.POFile(wrapwidth=78)
    catalog.header = "Made by a test."
    catalog.metadata = {"Content-Type": "text/plain; charset=UTF-8", "Plural-Forms": "nplurals=1; plural=0;"}
    catalog.append(polib.POEntry(msgid="Xi Jinping", msgstr="习近平", flags=["fuzzy"], tcomment="checked"))
    catalog.append(polib.POEntry(msgid="report", msgid_plural="reports", msgstr_plural={0: "报告"}))
    catalog.append(polib.POEntry(msgid="tab\there\v", msgstr="a \"quote\"\\", occurrences=[("a.txt", "3")]))
    buffer = io.BytesIO()
    po.write(buffer, catalog)
    again = po.read_file(io.BytesIO(buffer.getvalue()), "buffer").catalog
    assert (again.header, again.metadata) == (catalog.header, catalog.metadata)
    assert [str(e) for e in again] == [str(e) for e in catalog]
    assert po.render(again) == buffer.getvalue()


@pytest.mark.parametrize("name", ["glossary.pot", "es/glossary.po", "zh/glossary.po"])
def test_project_glossary_files_render_back_byte_for_byte(name: str) -> None:
    data = (REPO / "locales" / name).read_bytes()
    assert po.render(po.read(data, name).catalog) == data


# -- decoding ----------------------------------------------------------------------------------
@pytest.mark.parametrize(
    "data, line, reason",
    [
        (b"one\ntwo \xe9\n", 2, "not UTF-8 text (bad byte at offset 8); convert it first, e.g. iconv -f latin1 -t utf-8"),
        (b"one\n\ntwo\x00", 3, "not a text file (a NUL byte at offset 8)"),
    ],
    ids=["latin-1-byte", "nul-byte"],
)
def test_decoding_refuses_what_is_not_utf8_text_with_its_line(data: bytes, line: int, reason: str) -> None:
    with pytest.raises(EncodingError) as caught:
        po.decode(data, "in.txt")
    assert (caught.value.file, caught.value.line, caught.value.reason) == ("in.txt", line, reason)


def test_decoding_drops_a_byte_order_mark() -> None:
    assert po.decode(po.BOM + "Canción".encode(), "in.txt") == "Canción"


# -- plural forms --------------------------------------------------------------------------------
# GNU gettext's documented Plural-Forms (the manual's "Plural forms" table, gettext-tools'
# plural-table.c), to compare with what Babel's CLDR data gives.
GETTEXT_PLURAL_FORMS = {
    "zh": "nplurals=1; plural=0;",
    "ja": "nplurals=1; plural=0;",
    "ru": "nplurals=3; plural=(n%10==1 && n%100!=11 ? 0 : n%10>=2 && n%10<=4 && (n%100<10 || n%100>=20) ? 1 : 2);",
    "sr": "nplurals=3; plural=(n%10==1 && n%100!=11 ? 0 : n%10>=2 && n%10<=4 && (n%100<10 || n%100>=20) ? 1 : 2);",
    "ar": "nplurals=6; plural=(n==0 ? 0 : n==1 ? 1 : n==2 ? 2 : n%100>=3 && n%100<=10 ? 3 : n%100>=11 ? 4 : 5);",
    "lt": "nplurals=3; plural=(n%10==1 && n%100!=11 ? 0 : n%10>=2 && (n%100<10 || n%100>=20) ? 1 : 2);",
    "lv": "nplurals=3; plural=(n%10==1 && n%100!=11 ? 0 : n != 0 ? 1 : 2);",
    "ro": "nplurals=3; plural=n==1 ? 0 : (n==0 || (n%100 > 0 && n%100 < 20)) ? 1 : 2;",
    "sl": "nplurals=4; plural=(n%100==1 ? 0 : n%100==2 ? 1 : n%100==3 || n%100==4 ? 2 : 3);",
    "ga": "nplurals=3; plural=n==1 ? 0 : n==2 ? 1 : 2;",
}
# Where Babel (CLDR) and gettext differ, and what that means for a catalog.
BABEL_DIFFERS = {
    "lv": "same three forms in another order: CLDR's zero (0, 10-20, 30...) comes first, one second",
    "ga": "CLDR gives Irish five forms (1, 2, 3-6, 7-10, other), gettext three (1, 2, other)",
}


def _forms(value: str) -> tuple[int, list[int]]:
    count, expression = po.parse_plural_forms(value)
    assert count is not None and expression is not None
    function = po.plural_function(expression)
    return count, [function(n) for n in range(1001)]


@pytest.mark.parametrize("lang", GETTEXT_PLURAL_FORMS)
def test_babel_plural_forms_match_gettexts_documented_rule(lang: str) -> None:
    ours, gettext = _forms(po.plural_forms(lang)), _forms(GETTEXT_PLURAL_FORMS[lang])
    if lang in BABEL_DIFFERS:
        assert ours != gettext, f"{lang} now agrees with gettext; drop it from BABEL_DIFFERS"
        if lang == "lv":
            assert ours[0] == gettext[0] == 3
            assert sorted(set(zip(ours[1], gettext[1]))) == [(0, 1), (0, 2), (1, 0), (2, 1)]
        else:
            assert (ours[0], gettext[0]) == (5, 3)
    else:
        assert ours == gettext


@pytest.mark.parametrize(
    "lang, expected",
    [
        ("es", "nplurals=2; plural=(n != 1);"), ("fr", "nplurals=2; plural=(n > 1);"),
        ("it", "nplurals=2; plural=(n != 1);"), ("pt", "nplurals=2; plural=(n != 1);"),
        ("pt_BR", "nplurals=2; plural=(n > 1);"), ("es_MX", "nplurals=2; plural=(n != 1);"),
        ("ca", "nplurals=2; plural=(n != 1);"),
        ("de", "nplurals=2; plural=(n != 1);"), ("zh", "nplurals=1; plural=0;"),
        ("zt", "nplurals=1; plural=0;"), ("xx", "nplurals=2; plural=(n != 1);"),
    ],
    ids=["es", "fr", "it", "pt", "pt_BR", "es_MX", "ca-same-cldr-quirk", "de", "zh", "zt-argos-traditional-chinese", "unknown"],
)
def test_plural_forms_keep_gettexts_two_forms_where_cldr_adds_a_third(lang: str, expected: str) -> None:
    assert po.plural_forms(lang) == expected


@pytest.mark.parametrize("lang, count", [("zh", 1), ("es", 2), ("ru", 3), ("sl", 4), ("ga", 5), ("ar", 6)])
def test_nplurals_counts_the_forms(lang: str, count: int) -> None:
    assert po.nplurals(lang) == count


@pytest.mark.parametrize("lang, index", [("es", 0), ("fr", 0), ("lv", 1), ("ru", 0), ("zh", None)])
def test_singular_form_is_where_n_equals_one_goes(lang: str, index: int | None) -> None:
    assert po.singular_form(po.plural_forms(lang)) == index


@pytest.mark.parametrize(
    "expression, values",
    [
        ("n != 1", [1, 0, 1, 1]),
        ("n==1 ? 0 : n==2 ? 1 : 2", [2, 0, 1, 2]),
        ("!(n % 2) && n > 0 || n == 3", [0, 0, 1, 1]),
        ("(n - 2) > 5", [1, 1, 0, 0]),  # unsigned, as in C: 0 - 2 wraps around
    ],
    ids=["two-forms", "nested-conditional", "not-and-or", "unsigned-subtraction"],
)
def test_plural_function_evaluates_gettexts_c_expressions(expression: str, values: list[int]) -> None:
    function = po.plural_function(expression)
    assert [function(n) for n in range(4)] == values


@pytest.mark.parametrize("expression", ["", "n n", "(n", "-n", "n = 1", "n ? 1", "m", "import os"],
                         ids=["empty", "two-operands", "open-paren", "unary-minus", "assignment",
                              "half-conditional", "unknown-name", "python"])
def test_plural_function_refuses_what_gettext_cannot_parse(expression: str) -> None:
    with pytest.raises(ValueError, match="invalid plural expression"):
        po.plural_function(expression)


def test_language_names_come_from_babel() -> None:
    assert [po.language_name(c) for c in ("es", "zh", "pt_BR", "zt", "xx")] == [
        "Spanish", "Chinese", "Portuguese (Brazil)", "Chinese (Traditional)", "xx"]


# -- atomic writes and the lock ------------------------------------------------------------------
def test_atomic_write_keeps_the_mode_of_the_file_it_replaces(tmp_path: Path) -> None:
    old = tmp_path / "kept.po"
    old.write_bytes(b"old")
    old.chmod(0o640)
    new = tmp_path / "sub" / "new.po"
    po.atomic_write({old: b"new", new: b"fresh"})
    assert (old.read_bytes(), new.read_bytes()) == (b"new", b"fresh")
    assert stat.S_IMODE(old.stat().st_mode) == 0o640
    umask = os.umask(0)
    os.umask(umask)
    assert stat.S_IMODE(new.stat().st_mode) == 0o666 & ~umask
    assert sorted(p.name for p in tmp_path.rglob("*")) == ["kept.po", "new.po", "sub"]


def test_atomic_write_that_fails_leaves_old_files_and_no_temporary(tmp_path: Path,
                                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    old = tmp_path / "a.po"
    old.write_bytes(b"old")

    def broken_replace(src: str, dst: str) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", broken_replace)
    with pytest.raises(OSError, match="No space left"):
        po.atomic_write({old: b"new", tmp_path / "b.po": b"new"})
    assert [p.name for p in tmp_path.iterdir()] == ["a.po"] and old.read_bytes() == b"old"


def test_an_exclusive_lock_keeps_others_out_until_released(tmp_path: Path) -> None:
    path = tmp_path / ".lock"
    with po.lock(path, shared=True), po.lock(path, shared=True):
        pass  # readers share
    inside, release = threading.Event(), threading.Event()

    def writer() -> None:
        with po.lock(path, shared=False):
            inside.set()
            release.wait(5)

    thread = threading.Thread(target=writer)
    thread.start()
    inside.wait(5)
    try:
        with pytest.raises(LockTimeoutError, match="stayed locked"), po.lock(path, shared=True, timeout=0.1):
            pass
    finally:
        release.set()
        thread.join(5)
    with po.lock(path, shared=False, timeout=1):
        pass


def test_a_reader_without_a_lock_file_reads_unlocked(tmp_path: Path) -> None:
    with po.lock(tmp_path / "missing" / ".lock", shared=True, required=False):
        pass
    with pytest.raises(OSError), po.lock(tmp_path / "missing" / ".lock", shared=False):
        pass


# -- temporaries a killed writer left --------------------------------------------------------------
def _dead_pid() -> int:
    """The pid of a process that has exited (and been reaped)."""
    done = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"],
                          capture_output=True, text=True, check=True)
    return int(done.stdout)


def test_temporaries_name_their_writer_so_the_next_write_removes_a_dead_ones(tmp_path: Path) -> None:
    target = tmp_path / "a.po"
    host = po._host_tag()
    dead = tmp_path / f".a.po.{_dead_pid()}-{host}-0badc0de.tmp"
    live = tmp_path / f".a.po.{os.getpid()}-{host}-0badc0de.tmp"  # a writer still at work
    other_host = tmp_path / f".a.po.{_dead_pid()}-{'0' * 8 if host != '0' * 8 else '1' * 8}-0badc0de.tmp"
    other_file = tmp_path / f".a.po.x.{_dead_pid()}-{host}-0badc0de.tmp"  # belongs to "a.po.x"
    for leftover in (dead, live, other_host, other_file):
        leftover.write_bytes(b"half a catalog")

    po.atomic_write({target: b"new"})

    assert target.read_bytes() == b"new"
    assert not dead.exists()
    assert live.exists() and other_host.exists() and other_file.exists()


@pytest.mark.parametrize("age, removed", [(po.STALE_AFTER + 60, True), (5, False)], ids=["old", "recent"])
def test_temporaries_nobody_can_tell_are_stale_when_old(tmp_path: Path, age: float, removed: bool) -> None:
    target = tmp_path / "a.po"
    leftovers = [tmp_path / ".a.po.1a2b3c4d.tmp",  # written before the pid was in the name
                 tmp_path / f".a.po.{_dead_pid()}-{'f' * 8 if po._host_tag() != 'f' * 8 else 'e' * 8}-00000000.tmp"]
    for leftover in leftovers:
        leftover.write_bytes(b"x")
        then = time.time() - age
        os.utime(leftover, (then, then))
    po.atomic_write({target: b"new"})
    assert [leftover.exists() for leftover in leftovers] == [not removed] * 2


def test_a_writer_killed_before_its_rename_leaves_a_temporary_the_next_write_removes(tmp_path: Path) -> None:
    target = tmp_path / "a.po"
    target.write_bytes(b"old")
    killed = subprocess.run(
        [sys.executable, "-c", "import os, signal, sys; from pathlib import Path; from glossary import po;"
         "po._write_temporary(Path(sys.argv[1]), b'new'); os.kill(os.getpid(), signal.SIGKILL)", str(target)],
        cwd=REPO, check=False)
    assert killed.returncode == -9
    [leftover] = [p for p in tmp_path.iterdir() if p.name.endswith(".tmp")]
    assert target.read_bytes() == b"old"

    po.atomic_write({target: b"newer"})

    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.po"]
    assert not leftover.exists() and target.read_bytes() == b"newer"


# -- replacing a file a person may be saving -------------------------------------------------------
def test_replace_if_unchanged_writes_only_over_what_was_read(tmp_path: Path) -> None:
    path = tmp_path / "a.po"
    assert po.replace_if_unchanged(path, b"first", None)
    assert not po.replace_if_unchanged(path, b"second", None)  # it exists now
    path.write_bytes(b"saved by a person")
    assert not po.replace_if_unchanged(path, b"second", b"first")
    assert path.read_bytes() == b"saved by a person"
    assert po.replace_if_unchanged(path, b"second", b"saved by a person")
    assert path.read_bytes() == b"second"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.po"]


def test_a_save_between_the_check_and_the_rename_is_seen(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The file is looked at again after it was read and compared: a person's rename-save that
    lands while the comparison runs (same bytes, another file) is not replaced."""
    path = tmp_path / "a.po"
    path.write_bytes(b"same")
    real_holds = po._holds

    def compare_then_save(where: Path, expected: bytes | None) -> bool:
        same = real_holds(where, expected)
        other = tmp_path / "editor.tmp"
        other.write_bytes(b"same")
        os.replace(other, path)  # an editor's save: a new file (inode), the same text
        return same

    monkeypatch.setattr(po, "_holds", compare_then_save)
    assert not po.replace_if_unchanged(path, b"run", b"same")
    assert path.read_bytes() == b"same"


@pytest.mark.parametrize(("on_disk", "expected", "holds"), [
    (b"same", b"same", True),
    (b"same", b"sam", False),
    (b"same", b"same and more", False),
    (None, None, True),
    (None, b"", False),
    (b"", None, False),
    (b"x" * (3 << 20), b"x" * (3 << 20), True),
    (b"x" * (3 << 20), b"x" * ((3 << 20) - 1) + b"y", False),
], ids=["same", "longer-on-disk", "shorter-on-disk", "no-file-expected", "no-file", "unexpected-file",
        "several-blocks", "last-byte-differs"])
def test_a_file_is_compared_with_what_was_read_block_by_block(
        tmp_path: Path, on_disk: bytes | None, expected: bytes | None, holds: bool) -> None:
    path = tmp_path / "a.po"
    if on_disk is not None:
        path.write_bytes(on_disk)
    assert po._holds(path, expected) is holds


def test_a_file_is_written_from_its_pieces(tmp_path: Path) -> None:
    path = tmp_path / "a.po"
    assert po.replace_if_unchanged(path, iter([b"one ", b"", b"two"]), None)
    assert path.read_bytes() == b"one two"


# -- reading again, reusing what did not change ----------------------------------------------------
REUSED = HEADER + "".join(
    f'#. note {n}\n#: src/f.py:{n}\n#, fuzzy\nmsgid "Message {n}."\nmsgstr "Mensaje {n}."\n\n'
    for n in range(1, 6)) + '#~ msgid "Gone."\n#~ msgstr "Ido."\n'


@pytest.mark.parametrize(
    "change",
    [
        lambda t: t.replace('#, fuzzy\nmsgid "Message 3."', 'msgid "Message 3."', 1),
        lambda t: t.replace('msgstr "Mensaje 2."', 'msgstr ""\n"Mensaje dos."', 1),
        lambda t: t.replace('\n\n#. note 4', '\n#. note 4', 1),  # two entries, one block
        lambda t: t.replace('#. note 2\n', '#. note 2\n\n', 1),  # a comment apart from its entry
        lambda t: t.replace('#. note 5', '#. note 1\n#: src/f.py:1\n#, fuzzy\nmsgid "Message 1."\n'
                                         'msgstr "Mensaje 1."\n\n#. note 5', 1),  # a duplicate
        lambda t: t.replace('msgstr "Mensaje 4."', 'msgstr "Mensaje 4.', 1),  # broken
        lambda t: t.replace('msgid "Message 2."\nmsgstr "Mensaje 2."',
                            'msgid "Message 2."\nmsgid_plural "Messages"\nmsgstr[0] "x"\nmsgstr[1] "y"\nmsgstr[2] "z"', 1),
        lambda t: t.replace("nplurals=2", "nplurals=3", 1),
        lambda t: t.replace('msgstr "Mensaje 1."', 'msgstr "Men\\\nsaje 1."', 1),  # backslash-newline
        lambda t: "\n\n" + t + "\n  \n",
        lambda t: t.replace('#~ msgid "Gone."\n#~ msgstr "Ido."\n', ''),
    ],
    ids=["fuzzy-cleared", "rewrapped", "blocks-joined", "comment-apart", "duplicate", "broken",
         "plural-forms-wrong", "header-changed", "backslash-newline", "blank-edges", "obsolete-dropped"],
)
def test_reading_again_with_reuse_gives_what_a_full_reading_gives(change: Callable[[str], str]) -> None:
    earlier = po.read(REUSED.encode("utf-8"), "a.po")
    data = change(REUSED).encode("utf-8")

    def outcome(reuse: po.PoFile | None) -> object:
        try:
            parsed = po.read(data, "a.po", reuse=reuse)
        except PoSyntaxError as exc:
            return str(exc)
        entries = [(po.format_entry(e), e.linenum, e.obsolete) for e in parsed.catalog]
        return (entries, parsed.raw, parsed.key_lines, bytes(parsed.whole_block),
                parsed.catalog.header, parsed.catalog.metadata)

    assert outcome(earlier) == outcome(None)


# -- writing entries that read back as they were ---------------------------------------------------
def test_a_long_comment_is_written_on_one_line_and_reads_back_unchanged() -> None:
    comment = "l10n: " + " ".join(["a very long extracted comment"] * 5)
    entry = polib.POEntry(msgid="Hi", msgstr="", comment=comment, tcomment=" ".join(["checked"] * 15))
    text = po.format_entry(entry)
    assert text.splitlines()[:2] == [f"# {entry.tcomment}", f"#. {comment}"]
    again = po.read((HEADER + text + "\n").encode("utf-8"), "x.po").catalog[0]
    assert (again.comment, again.tcomment) == (comment, entry.tcomment)


@pytest.mark.parametrize(
    "name, written",
    [
        ("my article.txt", "\u2068my article.txt\u2069:3"),
        ("dir/a\nb.txt", "dir/a\\nb.txt:3"),
        ("tab\there.txt", "tab\\there.txt:3"),
        ("plain-name.txt", "plain-name.txt:3"),
    ],
    ids=["space", "newline", "tab", "plain"],
)
def test_a_reference_stays_one_reference_on_one_line(name: str, written: str) -> None:
    entry = polib.POEntry(msgid="Hi", msgstr="", occurrences=[(name, "3"), ("other.c", "")])
    text = po.format_entry(entry)
    assert text.splitlines()[0] == f"#: {written} other.c"
    again = po.read((HEADER + text + "\n").encode("utf-8"), "x.po").catalog[0]
    assert again.occurrences == [(written.rpartition(":")[0].strip("\u2068\u2069"), "3"), ("other.c", "")]


def test_many_references_wrap_between_references_never_inside_one() -> None:
    refs = [(f"src/a long folder/file{n}.py", str(n)) for n in range(8)]
    text = po.format_entry(polib.POEntry(msgid="Hi", msgstr="", occurrences=refs))
    lines = [line for line in text.splitlines() if line.startswith("#:")]
    assert len(lines) > 1 and all(len(line) <= 78 for line in lines)
    assert po.read((HEADER + text + "\n").encode("utf-8"), "x.po").catalog[0].occurrences == refs


# -- the fast writer is polib's layout, character for character -----------------------------------
_TEXT = st.text(st.sampled_from(list("ab é术 \\\"\t\n\r\v\b\f\x1c\x85\u2028%")), max_size=120)


def _polib_strings(entry: polib.POEntry, wrapwidth: int) -> str:
    """What polib's own code writes for the strings of an entry (the layout `format_entry` keeps)."""
    return polib._BaseEntry.__unicode__(entry, wrapwidth).removesuffix("\n")


@given(msgctxt=st.none() | _TEXT, msgid=_TEXT, msgstr=_TEXT, plural=st.booleans(),
       obsolete=st.booleans(), wrapwidth=st.sampled_from([0, 20, 78]))
def test_strings_are_written_exactly_as_polib_writes_them(msgctxt, msgid, msgstr, plural, obsolete,
                                                          wrapwidth) -> None:
    entry = polib.POEntry(msgctxt=msgctxt, msgid=msgid or "x", msgstr="" if plural else msgstr,
                          msgid_plural=msgid + "s" if plural else "",
                          msgstr_plural={0: msgstr, 1: msgid} if plural else {}, obsolete=obsolete)
    assert po.format_entry(entry, wrapwidth) == _polib_strings(entry, wrapwidth)


_LONG = st.lists(st.sampled_from(["a", "word", "longerword", "x" * 30, "x" * 90, " ", "  ", "\u00a0", "é术",
                                   ".", ",", "!", "?", "'", "(", ")", "%s", "%(n)d", "-", "--", "a-b", "3"]),
                 max_size=60).map("".join)


@given(value=_LONG, name=st.sampled_from(["msgid", "msgstr", "msgctxt", "msgid_plural"]),
       index=st.sampled_from(["", "[0]", "[12]"]), delflag=st.sampled_from(["", "#~ "]),
       wrapwidth=st.sampled_from([0, 3, 5, 10, 20, 40, 78, 200]))
def test_long_strings_are_wrapped_exactly_as_polib_wraps_them(value, name, index, delflag, wrapwidth) -> None:
    expected = polib.POEntry()._str_field(name, delflag, index, value, wrapwidth)
    assert po._string_lines(name, delflag, index, value, wrapwidth) == expected


@given(msgctxt=st.none() | _TEXT, msgid=_TEXT, msgstr=_TEXT, comment=_TEXT, tcomment=_TEXT,
       flags=st.lists(st.sampled_from(["fuzzy", "c-format", "case-sensitive"]), max_size=2))
def test_format_message_writes_what_format_entry_writes_for_the_same_entry(msgctxt, msgid, msgstr, comment,
                                                                           tcomment, flags) -> None:
    entry = polib.POEntry(msgctxt=msgctxt, msgid=msgid, msgstr=msgstr, comment=comment, tcomment=tcomment,
                          flags=list(flags))
    assert po.format_message(msgctxt, msgid, msgstr, comment=comment, tcomment=tcomment, flags=flags) \
        == po.format_entry(entry)


def test_render_of_given_entry_texts_is_render_of_the_catalog() -> None:
    catalog = po.read(REUSED.encode("utf-8"), "a.po").catalog
    live = [po.format_entry(e) for e in catalog if not e.obsolete] * 700  # more than one chunk
    whole = polib.POFile(wrapwidth=78)
    whole.header, whole.metadata = catalog.header, catalog.metadata
    for entry in [e for e in catalog if not e.obsolete] * 700 + catalog.obsolete_entries():
        list.append(whole, entry)
    assert po.render(catalog, live=iter(live)) == po.render(whole)
