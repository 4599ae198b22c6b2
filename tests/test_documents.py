"""Documents: which text becomes a segment, and rendering that keeps everything else."""
from __future__ import annotations

import json
import re
import textwrap
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from translator.document import Document, Segment
from translator.errors import InputError
from translator.formats import adapter_for, parse_document

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"
DATA = Path(__file__).resolve().parent / "data" / "documents"

SEED_000 = "000_07aa21c5bf2af563.txt"
SEED_002 = "002_d27aabd06bae6966.txt"


def read(path: Path) -> str:
    with open(path, encoding="utf-8", newline="") as handle:  # keep CRLF as it is
        return handle.read()


def texts(doc: Document) -> list[str]:
    return [segment.text for segment in doc.segments()]


def identity(doc: Document) -> str:
    return doc.render(texts(doc))


def shape(text: str) -> list[str]:
    """Blank lines one by one, each run of non-blank lines as one paragraph."""
    result: list[str] = []
    for line in text.split("\n"):
        kind = "blank" if not line.strip() else "paragraph"
        if not (kind == "paragraph" and result and result[-1] == "paragraph"):
            result.append(kind)
    return result


def solid(text: str) -> str:
    return "".join(text.split())


# --- adapter_for and parse_document's arguments ---------------------------------------------


@pytest.mark.parametrize(
    ("filename", "expected"),
    [("a.txt", "txt"), ("dir/a.TEXT", "txt"), ("a.md", "md"), ("notes.v2.Markdown", "md")],
    ids=["txt", "text-upper-case", "md", "markdown-with-dots"],
)
def test_adapter_for_knows_text_and_markdown_suffixes(filename: str, expected: str) -> None:
    assert adapter_for(filename).name == expected


@pytest.mark.parametrize(
    ("filename", "message"),
    [
        ("a.rst", "a.rst: unsupported file type '.rst'; "
                  "translator reads .txt, .text, .md, .markdown, .po, .pot"),
        ("README", "README: unsupported file type '(none)'; "
                   "translator reads .txt, .text, .md, .markdown, .po, .pot"),
    ],
    ids=["rst", "no-extension"],
)
def test_adapter_for_rejects_other_files_with_one_line(filename: str, message: str) -> None:
    """(The other formats' suffixes follow, the last after "and".)"""
    with pytest.raises(InputError) as error:
        adapter_for(filename)
    assert str(error.value).startswith(message) and str(error.value).endswith(" files")
    assert "\n" not in str(error.value) and " and ." in str(error.value)


def test_parse_document_rejects_an_unknown_format() -> None:
    with pytest.raises(ValueError, match=r"^a\.rst: unknown document format 'rst'"):
        parse_document("Hello.", "rst", "a.rst")


def test_render_refuses_a_wrong_number_of_translations() -> None:
    doc = parse_document("One. Two.", "txt", "a.txt")
    with pytest.raises(ValueError, match=r"^a\.txt: 1 translations for 2 segments$"):
        doc.render(["Uno."])


# --- the seed articles -----------------------------------------------------------------------

# Counted by reading: seed 000 has a headline and 17 paragraphs, one with two sentences and one
# with three (20); seed 002 has a headline, a dateline (no letters: literal) and paragraphs of
# 2, 5 and 5 sentences (13).
SEED_COUNTS = {SEED_000: 20, SEED_002: 13}


@pytest.mark.parametrize(("seed", "count"), SEED_COUNTS.items(), ids=["seed-000", "seed-002"])
def test_seed_parses_into_the_counted_sentences(seed: str, count: int) -> None:
    doc = parse_document(read(SEEDS / seed), "txt", seed)
    assert len(doc.segments()) == count


@pytest.mark.parametrize("seed", SEED_COUNTS, ids=["seed-000", "seed-002"])
def test_seed_renders_back_identically(seed: str) -> None:
    text = read(SEEDS / seed)
    assert identity(parse_document(text, "txt", seed)) == text


def test_seed_headline_and_dateline_stay_on_their_own_lines() -> None:
    doc = parse_document(read(SEEDS / SEED_002), "txt", SEED_002)
    first, second = doc.segments()[:2]
    assert first == Segment(
        "Xi Delivered a Video Speech to the Sixth Summit of Community of Latin American, "
        "Caribbean States",
        1,
        "heading",
    )
    assert doc.parts[1] == "\n2021-09-20 18:13\n\n"  # the dateline is literal
    assert (second.line, second.kind) == (4, "paragraph")
    assert second.text.startswith("On September 18th, the 6th Summit")


def test_seed_sentences_know_their_line_numbers() -> None:
    doc = parse_document(read(SEEDS / SEED_000), "txt", SEED_000)
    lines = [segment.line for segment in doc.segments()]
    assert lines == [1, 3, 5, 7, 7, 9, 11, 13, 15, 17, 19, 21, 23, 25, 27, 29, 31, 31, 31, 33]


def test_seed_dateline_sentence_is_whole() -> None:
    doc = parse_document(read(SEEDS / SEED_000), "txt", SEED_000)
    assert doc.segments()[1].text == (
        "SAN FRANCISCO, Nov. 16 (Xinhua) — Chinese President Xi Jinping on Thursday called for "
        "expanding China-Mexico cooperation in finance, electric vehicles and other emerging sectors."
    )


@pytest.mark.parametrize("seed", SEED_COUNTS, ids=["seed-000", "seed-002"])
def test_seed_keeps_its_lines_when_translations_change_length(seed: str) -> None:
    text = read(SEEDS / seed)
    doc = parse_document(text, "txt", seed)
    translations = ["Corto." if i % 2 else "Una traducción mucho más larga. " * 4 for i in range(len(doc.segments()))]
    out = doc.render(translations)
    assert len(out.split("\n")) == len(text.split("\n"))
    assert [not line.strip() for line in out.split("\n")] == [not line.strip() for line in text.split("\n")]
    assert out.endswith("\n") == text.endswith("\n")


# --- plain text: which line breaks are soft --------------------------------------------------


@pytest.mark.parametrize("width", [35, 40, 50, 60, 72, 80, 100])
@pytest.mark.parametrize("seed", SEED_COUNTS, ids=["seed-000", "seed-002"])
def test_hard_wrapped_seed_gives_the_same_sentences(seed: str, width: int) -> None:
    text = read(SEEDS / seed)
    wrapped = "\n\n".join(
        paragraph if "\n" in paragraph else textwrap.fill(paragraph, width)
        for paragraph in text.split("\n\n")
    )
    assert texts(parse_document(wrapped, "txt")) == texts(parse_document(text, "txt"))


WRAPPED = (  # wrapped at 60 columns; line 2 starts with a capital in mid-sentence
    "Xi made this statement during a meeting with his counterpart\n"
    "Andrés Manuel López Obrador on the sidelines of the APEC\n"
    "meeting. Both sides agreed to deepen cooperation in trade.\n"
)

TEXT_CASES = {
    "headline-over-dateline": (
        "Xi Delivered a Video Speech to the Summit\n2021-09-20 18:13\n\nXi spoke. He left.\n",
        ["Xi Delivered a Video Speech to the Summit", "Xi spoke.", "He left."],
    ),
    "headline-over-byline": (
        "EXTENSION: Xi calls for expanding China Mexico cooperation in finance\n"
        "By Li Hua, Xinhua\n\nXi spoke on Thursday.",
        ["EXTENSION: Xi calls for expanding China Mexico cooperation in finance",
         "By Li Hua, Xinhua", "Xi spoke on Thursday."],
    ),
    "capital-in-mid-sentence-of-wrapped-prose-is-joined": (
        WRAPPED,
        ["Xi made this statement during a meeting with his counterpart Andrés Manuel López "
         "Obrador on the sidelines of the APEC meeting.",
         "Both sides agreed to deepen cooperation in trade."],
    ),
    "lower-case-line-continues-the-sentence": (
        "China and Mexico will\ndeepen cooperation.",
        ["China and Mexico will deepen cooperation."],
    ),
    "hyphenated-compound-rejoined-without-space": (
        "They founded the China-\nLatin America Forum in 2014.",
        ["They founded the China-Latin America Forum in 2014."],
    ),
    "short-address-lines-stay-apart": (
        "Ministry of Foreign Affairs\nBeijing, China",
        ["Ministry of Foreign Affairs", "Beijing, China"],
    ),
    "long-unwrapped-lines-stay-apart": (
        "A" + " long line of an unwrapped article that goes on and on" * 3 + ".\n"
        "Another paragraph starts on the next line without a blank line.",
        ["A" + " long line of an unwrapped article that goes on and on" * 3 + ".",
         "Another paragraph starts on the next line without a blank line."],
    ),
    "list-entries-stay-apart": (
        "Cooperation areas:\n- finance and trade\n- electric vehicles\n1. railways",
        ["Cooperation areas:", "finance and trade", "electric vehicles", "railways"],
    ),
    "lines-without-letters-are-literal": (
        "***\n\n42\n\nText.\n",
        ["Text."],
    ),
}


@pytest.mark.parametrize(("text", "expected"), TEXT_CASES.values(), ids=TEXT_CASES.keys())
def test_plain_text_segments(text: str, expected: list[str]) -> None:
    assert texts(parse_document(text, "txt")) == expected


def test_list_markers_stay_literal_in_plain_text() -> None:
    doc = parse_document("- finance\n- trade\n", "txt")
    assert doc.render(["finanzas", "comercio"]) == "- finanzas\n- comercio\n"
    assert [segment.kind for segment in doc.segments()] == ["list_item", "list_item"]


def test_wrapped_sentence_is_rendered_on_the_line_where_it_started() -> None:
    doc = parse_document(WRAPPED + "\nNext paragraph.\n", "txt")
    assert [segment.line for segment in doc.segments()] == [1, 3, 5]
    assert doc.render(["UNO.", "DOS.", "TRES."]) == "UNO. DOS.\n\nTRES.\n"


# --- line endings and degenerate documents ---------------------------------------------------


@pytest.mark.parametrize("fmt", ["txt", "md"])
def test_crlf_document_renders_back_identically(fmt: str) -> None:
    text = read(SEEDS / SEED_000).replace("\n", "\r\n") + "\r\n"
    doc = parse_document(text, fmt)
    assert len(doc.segments()) == 20
    assert identity(doc) == text
    assert not any("\r" in segment.text for segment in doc.segments())


@pytest.mark.parametrize("fmt", ["txt", "md"])
def test_crlf_wrapped_sentence_collapses_and_other_line_endings_stay(fmt: str) -> None:
    text = "Title\r\n\r\nChina and Mexico will\r\ndeepen cooperation.\r\n"
    doc = parse_document(text, fmt)
    assert texts(doc) == ["Title", "China and Mexico will deepen cooperation."]
    assert doc.render(["Título", "Cooperarán."]) == "Título\r\n\r\nCooperarán.\r\n"


@pytest.mark.parametrize("fmt", ["txt", "md"])
@pytest.mark.parametrize("text", ["Hello there.", "Hello there.\n", "Hello there.\n\n\n"],
                         ids=["no-final-newline", "final-newline", "trailing-blank-lines"])
def test_end_of_file_is_kept(fmt: str, text: str) -> None:
    doc = parse_document(text, fmt)
    assert doc.render(["Hola."]) == "Hola." + text[len("Hello there."):]


@pytest.mark.parametrize("fmt", ["txt", "md"])
def test_empty_document_has_no_segments(fmt: str) -> None:
    doc = parse_document("", fmt)
    assert (doc.parts, doc.render([])) == ([], "")


@pytest.mark.parametrize("fmt", ["txt", "md"])
def test_whitespace_only_document_is_one_literal(fmt: str) -> None:
    text = "  \n\n\t\r\n \n"
    doc = parse_document(text, fmt)
    assert doc.parts == [text]


@pytest.mark.parametrize("fmt", ["txt", "md"])
def test_byte_order_mark_is_not_sent_to_the_model(fmt: str) -> None:
    doc = parse_document("\ufeffHeadline\n", fmt)
    assert texts(doc) == ["Headline"]
    assert doc.render(["Titular"]) == "\ufeffTitular\n"


def test_document_keeps_its_name_and_format() -> None:
    doc = parse_document("Hi.", "md", "news/article.md")
    assert (doc.name, doc.format) == ("news/article.md", "md")
    assert parse_document("Hi.", "txt").name == "<stdin>"


# --- Markdown --------------------------------------------------------------------------------


@pytest.mark.parametrize("newline", ["\n", "\r\n"], ids=["lf", "crlf"])
def test_markdown_fixture_renders_back_identically(newline: str) -> None:
    text = read(DATA / "everything.md").replace("\n", newline)
    doc = parse_document(text, "md", "everything.md")
    assert identity(doc) == text
    assert len(doc.segments()) == len(json.loads(read(DATA / "everything.segments.json")))


def test_markdown_fixture_segments_lines_and_kinds() -> None:
    doc = parse_document(read(DATA / "everything.md"), "md", "everything.md")
    expected = json.loads(read(DATA / "everything.segments.json"))
    assert [[s.line, s.kind, s.text] for s in doc.segments()] == expected


def shout_outside_code(text: str) -> str:
    """A stand-in translator that, like the placeholder step, leaves inline code alone."""
    pieces = re.split(r"(`[^`]*`)", text)
    return "".join(piece if piece.startswith("`") else piece.upper() for piece in pieces)


def test_markdown_code_and_markup_survive_translation() -> None:
    text = read(DATA / "everything.md")
    doc = parse_document(text, "md", "everything.md")
    out = doc.render([shout_outside_code(s.text) for s in doc.segments()])
    source_lines, out_lines = text.split("\n"), out.split("\n")
    assert len(out_lines) == len(source_lines)
    segment_lines = {segment.line for segment in doc.segments()}
    changed = [n for n, (a, b) in enumerate(zip(source_lines, out_lines), 1) if a != b]
    assert set(changed) <= segment_lines  # front matter, code, HTML, rules, link definitions...
    for verbatim in ['    return "Hello. Goodbye."  # a sentence in code', "Tilde fences keep this. Verbatim.",
                     "  code inside a list. Verbatim.", "> code inside a quote. Verbatim.",
                     "    indented code. Also verbatim.", "An HTML block. Not translated.",
                     "<!-- A comment. It stays.", 'title: "China and Mexico. A partnership"',
                     '[joint statement]: https://example.com/statement "The statement. Title"']:
        assert verbatim in out_lines
    for code in re.findall(r"`[^`\n]+`", text):
        assert out.count(code) == text.count(code), code


MARKDOWN_CASES = {
    "atx-heading": ("# Title here\n", ["Title here"]),
    "atx-heading-closing-hashes": ("### Title ###\n", ["Title"]),
    "setext-heading": ("Title line\n===\n\nBody.\n", ["Title line", "Body."]),
    "setext-heading-two-lines": ("Part one\nand two\n---\n", ["Part one and two"]),
    "soft-wrapped-paragraph-joined": ("China and Mexico will\ndeepen cooperation. Yes.\n",
                                      ["China and Mexico will deepen cooperation.", "Yes."]),
    "bullet-list": ("- One thing.\n- Another thing.\n", ["One thing.", "Another thing."]),
    "nested-list-with-wrapped-item": ("- Top item.\n  - Nested item that\n    wraps here.\n",
                                      ["Top item.", "Nested item that wraps here."]),
    "ordered-list": ("1. First.\n2. Second.\n", ["First.", "Second."]),
    "number-in-wrapped-prose-is-not-a-list": ("The forum opened in\n2014. It grew fast.\n",
                                              ["The forum opened in 2014.", "It grew fast."]),
    "block-quote": ("> Quoted text.\n> More of it.\n", ["Quoted text.", "More of it."]),
    "nested-block-quote": ("> Outer.\n> > Inner.\n", ["Outer.", "Inner."]),
    "quote-wraps-over-its-prefix": ("> A quoted sentence\n> that wraps.\n", ["A quoted sentence that wraps."]),
    "lazy-quote-continuation": ("> A quoted sentence\nthat wraps lazily.\n", ["A quoted sentence that wraps lazily."]),
    "table": ("| A b | C d |\n|---|---|\n| e f | 12 |\n", ["A b", "C d", "e f"]),
    "pipes-without-delimiter-row-are-text": ("a | b\nc | d\n", ["a | b c | d"]),
    "backtick-fence": ("```\nNot. Text.\n```\nText.\n", ["Text."]),
    "tilde-fence-longer-closer": ("~~~~\nNot. Text.\n~~~\n~~~~~\nText.\n", ["Text."]),
    "unclosed-fence-runs-to-the-end": ("```\nNot text.\n\nStill not.\n", []),
    "indented-code": ("Text.\n\n    code. here\n", ["Text."]),
    "indented-line-continues-a-paragraph": ("Text that\n    continues.\n", ["Text that continues."]),
    "html-block": ('<div class="x">\nNot text.\n</div>\n\nText.\n', ["Text."]),
    "html-comment": ("<!-- Not\ntext. -->\nText.\n", ["Text."]),
    "inline-html-stays-in-the-sentence": ("Text <b>bold</b> here.\n", ["Text <b>bold</b> here."]),
    "link-reference-definition": ('[a]: https://x.org/a "Title. Here"\nText.\n', ["Text."]),
    "front-matter": ("---\ntitle: Not text.\n---\nText.\n", ["Text."]),
    "unclosed-front-matter-is-a-rule": ("---\nText.\n", ["Text."]),
    "thematic-break": ("Text.\n\n* * *\n\nMore.\n", ["Text.", "More."]),
    "hard-break-two-spaces": ("Line one  \nline two.\n", ["Line one", "line two."]),
    "hard-break-backslash": ("Line one\\\nline two.\n", ["Line one", "line two."]),
    "inline-code-is-not-split": ("Call `a. B()` now. Then `c`.\n", ["Call `a. B()` now.", "Then `c`."]),
    "footnote-label-is-markup": ("[^1]: The note. More.\n", ["The note.", "More."]),
    "code-span-alone-is-not-prose": ("`make all`\n\nText.\n", ["Text."]),
    "autolink-alone-is-not-prose": ("<https://example.com/a.b>\n", []),
    "link-text-is-prose": ("[Read more](https://x.org/a)\n", ["[Read more](https://x.org/a)"]),
    "link-is-not-split": ("Read [the U.S. text](https://a.b/c.d). Done.\n",
                          ["Read [the U.S. text](https://a.b/c.d).", "Done."]),
    "link-definition-title-on-next-line": ('[a]: https://x.org/a\n  "Title. Here"\nText.\n',
                                           ["Text."]),
    "link-definition-label-over-lines": ("[the\nlabel]: /u\nText.\n", ["Text."]),
    "not-a-link-definition-is-prose": ("[note]: <draft>(v2) is pending.\n",
                                       ["[note]: <draft>(v2) is pending."]),
    "destination-broken-by-a-line-break-is-not-joined": (
        "See [it](<a.pdf\nb.pdf>) now.\n", ["See [it](<a.pdf", "b.pdf>) now."]),
    "tag-over-two-lines-is-joined": ('Text <abbr title="Latin\nAmerica">LA</abbr> here.\n',
                                     ['Text <abbr title="Latin America">LA</abbr> here.']),
    "lone-list-marker-line-is-not-joined-on": ("Text that wraps\n*\nand more.\n",
                                               ["Text that wraps *", "and more."]),
    "lone-carriage-returns-end-lines": ("Title\r\rText that\rwraps.\r", ["Title", "Text that wraps."]),
    "table-in-a-quote": ("> | A b |\n> |---|\n> | c d |\n", ["A b", "c d"]),
    "table-cells-past-the-header-are-not-rendered": ("| A b |\n|---|\n| c d | e f |\n",
                                                     ["A b", "c d"]),
}


@pytest.mark.parametrize(("text", "expected"), MARKDOWN_CASES.values(), ids=MARKDOWN_CASES.keys())
def test_markdown_segments(text: str, expected: list[str]) -> None:
    assert texts(parse_document(text, "md")) == expected


def test_markdown_prefixes_stay_literal() -> None:
    doc = parse_document("# Title\n\n> - Quoted item.\n\n| A |\n|---|\n| B |\n", "md")
    assert doc.render(["T", "Q", "a", "b"]) == "# T\n\n> - Q\n\n| a |\n|---|\n| b |\n"


def test_markdown_wrapped_quote_renders_on_one_prefixed_line() -> None:
    doc = parse_document("> A quoted sentence\n> that wraps. Next one.\n\nEnd.\n", "md")
    assert [s.line for s in doc.segments()] == [1, 2, 4]
    assert doc.render(["UNO.", "DOS.", "TRES."]) == "> UNO. DOS.\n\nTRES.\n"


def test_markdown_hard_break_keeps_its_marker() -> None:
    doc = parse_document("Line one\\\nline two.\n", "md")
    assert doc.render(["Uno", "dos."]) == "Uno\\\ndos.\n"


# --- properties ------------------------------------------------------------------------------

MARKDOWN_BITS = st.sampled_from(
    ["#", "# ", "> ", ">", "- ", "* ", "+ ", "1. ", "2) ", "```", "~~~", "    ", "\t", "|", " | ",
     "---", "===", "<div>", "<!--", "-->", "[a]: /u", "`", "\\", "  ", " ", "\n", "\r\n", "\n\n",
     "Word", "word", "Mr.", ". ", "! ", "x", "é", "中", "1", "-", "\u00a0", "\ufeff"]
)
ANY_TEXT = st.one_of(st.text(), st.lists(MARKDOWN_BITS, max_size=50).map("".join))
LINE = st.lists(MARKDOWN_BITS.filter(lambda bit: "\n" not in bit), min_size=1, max_size=12).map("".join)
TRANSLATION = st.text(st.characters(categories=["L", "N", "P", "Zs"]), min_size=1, max_size=40).filter(
    lambda t: t.strip()
)


@settings(max_examples=150)
@given(ANY_TEXT, st.sampled_from(["txt", "md"]))
def test_any_document_keeps_its_shape_and_its_characters(text: str, fmt: str) -> None:
    doc = parse_document(text, fmt)
    out = identity(doc)
    assert shape(out) == shape(text)
    assert out.endswith("\n") == text.endswith("\n")
    if fmt == "txt":
        assert solid(out) == solid(text)
    else:  # a sentence wrapped inside a quote also swallows the "> " of its continuation lines
        assert solid(out).replace(">", "") == solid(text).replace(">", "")


@settings(max_examples=150)
@given(ANY_TEXT, st.sampled_from(["txt", "md"]))
def test_segments_are_clean_single_lines_with_letters(text: str, fmt: str) -> None:
    doc = parse_document(text, fmt)
    line_count = text.count("\n") + 1
    for segment in doc.segments():
        assert segment.text == segment.text.strip()
        assert "\n" not in segment.text and "\r" not in segment.text
        assert any(ch.isalpha() for ch in segment.text)
        assert 1 <= segment.line <= line_count
    assert all(part != "" for part in doc.parts)


@settings(max_examples=100)
@given(st.lists(LINE, max_size=8), st.sampled_from(["\n\n", "\r\n\r\n", "\n \n"]),
       st.sampled_from(["", "\n", "\r\n"]), st.sampled_from(["txt", "md"]))
def test_one_line_paragraphs_render_back_exactly(lines: list[str], sep: str, end: str, fmt: str) -> None:
    text = sep.join(lines) + end
    assert identity(parse_document(text, fmt)) == text


@settings(max_examples=100)
@given(ANY_TEXT, st.sampled_from(["txt", "md"]), st.data())
def test_single_line_translations_keep_paragraphs_and_blank_lines(text: str, fmt: str, data) -> None:
    doc = parse_document(text, fmt)
    translations = data.draw(st.lists(TRANSLATION, min_size=len(doc.segments()), max_size=len(doc.segments())))
    out = doc.render(translations)
    assert shape(out) == shape(text)
    assert out.endswith("\n") == text.endswith("\n")
