"""Markdown: what a reader of the rendered HTML sees survives parsing and reassembly.

The adapter finds the blocks with markdown-it-py; these tests render the input and the
reassembled output with markdown-it-py's CommonMark preset and compare. Joining a paragraph's
lines for the model turns soft line breaks into spaces, so whitespace inside text counts as one
space; inside code blocks (`<pre>`) every character counts.
"""
from __future__ import annotations

import json
import pickle
import re
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from markdown_it import MarkdownIt

from translator.formats import by_name, parse_document

ROOT = Path(__file__).resolve().parent.parent
DATA = Path(__file__).resolve().parent / "data" / "markdown"
FIXTURES = sorted(DATA.glob("*.md"))
SPEC = ROOT.parent / "shared" / "corpus" / "commonmark" / "spec_examples.json"
_PRE = re.compile(r"(<pre>.*?</pre>)", re.DOTALL)


def read(path: Path) -> str:
    with open(path, encoding="utf-8", newline="") as handle:
        return handle.read()


def html(text: str, *, spaces: str = " ") -> str:
    """CommonMark HTML with each run of whitespace outside code blocks as `spaces`.

    A final line ending is added first: it changes nothing in CommonMark, and markdown-it-py
    reads past the end of some texts that end in a bare ">" without one.
    """
    rendered = MarkdownIt("commonmark").render(text if text.endswith(("\n", "\r")) else text + "\n")
    pieces = _PRE.split(rendered)
    return "".join(p if n % 2 else re.sub(r"\s+", spaces, p) for n, p in enumerate(pieces)).strip()


def blocks(text: str) -> list[str]:
    """The block structure: every block token's type and tag, in order (no inline content)."""
    tokens = MarkdownIt("commonmark").parse(text if text.endswith(("\n", "\r")) else text + "\n")
    return [f"{token.type}:{token.tag}" for token in tokens if token.type != "inline"]


def identity(text: str) -> str:
    doc = parse_document(text, "md")
    return doc.render([segment.text for segment in doc.segments()])


# --- the committed fixtures: the cases where a line break is syntax ----------------------------

NEWLINES = {"lf": "\n", "crlf": "\r\n", "cr": "\r"}


@pytest.mark.parametrize("newline", NEWLINES.values(), ids=NEWLINES.keys())
@pytest.mark.parametrize("fixture", FIXTURES, ids=[path.stem for path in FIXTURES])
def test_fixture_keeps_its_html_when_rendered_back(fixture: Path, newline: str) -> None:
    text = read(fixture).replace("\n", newline)
    assert html(identity(text)) == html(text)


@pytest.mark.parametrize("fixture", FIXTURES, ids=[path.stem for path in FIXTURES])
def test_fixture_keeps_its_blocks_whatever_the_translation(fixture: Path) -> None:
    text = read(fixture)
    doc = parse_document(text, "md")
    out = doc.render(["Texto traducido." for _ in doc.segments()])
    assert blocks(out) == blocks(text)


def test_fixtures_cover_every_case_they_are_named_for() -> None:
    assert {path.stem for path in FIXTURES} == {
        "containers", "eof-quote", "line-breaks-in-markup", "link-definitions"}


LINE_BREAK_CASES = {
    # the line break keeps "<...>" from being a link destination: joined, it would be a link
    "pointy-destination": ("The report is at [the archive](<https://example.org/annual",
                           "report.pdf>) for now."),
    # a label of a defined link with a hyphen at the line break: "energy-policy" is no label
    "hyphen-in-link-label": ("Latin America Forum and in [energy-", "policy] talks."),
    # a lone marker would start a list once the next line joins it
    "lone-list-marker": ("A long sentence about the forum that wraps onto the next line *",
                         "and keeps going after a lone star."),
}


@pytest.mark.parametrize(("first", "second"), LINE_BREAK_CASES.values(),
                         ids=LINE_BREAK_CASES.keys())
def test_a_line_break_that_is_syntax_ends_the_segment(first: str, second: str) -> None:
    texts = [s.text for s in parse_document(read(DATA / "line-breaks-in-markup.md"), "md").segments()]
    assert texts[texts.index(first) + 1] == second


OTHER_SPACE_CASES = {  # a no-break space is text to CommonMark: none of these is a block
    "no-heading": "#\u00a0\n[a]: /u\n",
    "no-list-item": "-\u00a0\nfinance\n",
    "no-html-block": "<div\u00a0\nclass='x'>\n",
    "no-link-definition": "[a]:\u00a0\n/u\n",
}


@pytest.mark.parametrize("text", OTHER_SPACE_CASES.values(), ids=OTHER_SPACE_CASES.keys())
def test_a_line_ending_in_other_space_is_joined_as_text(text: str) -> None:
    assert html(identity(text)) == html(text)


def test_lines_inside_markup_are_joined_where_that_changes_nothing() -> None:
    texts = [s.text for s in parse_document(read(DATA / "line-breaks-in-markup.md"), "md").segments()]
    assert 'Reporters wrote <abbr title="Community of Latin American and Caribbean States">' \
           "CELAC</abbr> in full." in texts
    assert "A comment <!-- to be checked by the desk --> sits inside this sentence." in texts
    assert "The code `trade.balance( 2023)` wraps too." in texts


def test_link_reference_definitions_stay_literal_over_several_lines() -> None:
    text = read(DATA / "link-definitions.md")
    doc = parse_document(text, "md")
    assert [(s.line, s.text) for s in doc.segments()] == [
        (1, "Sources for the summit report"),
        (3, "The ministers cited [the communiqué][joint] and [the trade figures][trade]."),
        (4, "They also read [the annex] before the vote."),
        (14, "The delegates signed the annex on the second day."),
        (18, "A paragraph after a definition whose title spans two lines."),
    ]
    out = doc.render([s.text.upper() for s in doc.segments()])
    segment_lines = {segment.line for segment in doc.segments()}
    kept = [line for n, line in enumerate(text.split("\n"), 1) if n not in segment_lines]
    assert [line for n, line in enumerate(out.split("\n"), 1) if n not in segment_lines] == kept
    assert '  "Joint communiqué of the summit"' in kept and "]: /annex.html" in kept


def test_table_cells_inside_containers_are_exact_spans() -> None:
    doc = parse_document(read(DATA / "containers.md"), "md")
    cells = [s.text for s in doc.segments() if s.kind == "table_cell"]
    assert cells == ["Country", "Capital", "Mexico", "Mexico City", "Year", "Event",
                     "The forum \\| opened"]


def test_a_text_that_trips_markdown_it_py_at_its_end_is_still_read() -> None:
    doc = parse_document(read(DATA / "eof-quote.md"), "md")
    assert [s.text for s in doc.segments()] == ["Notes from the desk, quoted as sent:"]


def test_lone_carriage_returns_end_lines_as_in_commonmark() -> None:
    doc = parse_document("# Title\r\rText that\rwraps.\r", "md")
    assert [(s.kind, s.text) for s in doc.segments()] == [
        ("heading", "Title"), ("paragraph", "Text that wraps.")]
    assert doc.render(["Título", "Envuelto."]) == "# Título\r\rEnvuelto.\r"


def test_the_adapter_pickles_for_worker_processes() -> None:
    adapter = by_name("md")
    parse_document("Warm the parsers up.", "md")
    copy = pickle.loads(pickle.dumps(adapter))
    assert type(copy) is type(adapter)
    assert [s.text for s in copy.parse(b"# A title\n", "a.md").segments()] == ["A title"]


# --- the CommonMark specification's examples, when the reference corpus is here ----------------


def _spec_sample() -> list:
    """About thirty examples: the middle one of each section, and those that once failed."""
    if not SPEC.is_file():
        return [pytest.param(None, id="no-corpus",
                             marks=pytest.mark.skip(reason=f"{SPEC} is not here"))]
    examples = json.loads(SPEC.read_text("utf-8"))["examples"]
    sections: dict[str, list[dict]] = {}
    for example in examples:
        sections.setdefault(example["section"], []).append(example)
    chosen = {group[len(group) // 2]["example"] for group in sections.values()}
    chosen |= {210, 219, 493, 618} & {example["example"] for example in examples}
    return [pytest.param(example, id=f"{example['example']}-"
                         + re.sub(r"\W+", "-", example["section"].lower()).strip("-"))
            for example in examples if example["example"] in chosen]


@pytest.mark.parametrize("example", _spec_sample())
def test_spec_example_keeps_its_html_when_rendered_back(example: dict) -> None:
    assert html(identity(example["markdown"])) == html(example["markdown"])


# --- properties --------------------------------------------------------------------------------

MARKDOWN_BITS = st.sampled_from(
    ["#", "# ", "> ", ">", "- ", "* ", "+ ", "1. ", "2) ", "```", "~~~", "    ", "\t", "|", " | ",
     "|---|", "---", "===", "<div>", "<!--", "-->", "<a\nhref='x'>", "[b](<c\nd>)", "[a]: /u",
     "[a]", "[^1]: ", "`", "\\", "  ", " ", "\n", "\r\n", "\r", "\n\n", "\n  ", "\n*\n", "Word",
     "word", "Mr.", ". ", "x", "é", "中", "1", "-", "Foo-", "&amp;", "\u00a0"]
)


@settings(max_examples=300, deadline=None)
@given(st.lists(MARKDOWN_BITS, max_size=40).map("".join))
def test_any_markdown_keeps_its_html_apart_from_whitespace(text: str) -> None:
    """Apart from whitespace: a hyphenated word is joined without a space ("Foo-" + "word"), and
    a code span over two lines loses the spaces at the line break, as in prose."""
    assert html(identity(text), spaces="") == html(text, spaces="")


def _merged_the_slow_way(text: str, spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """The plain definition: merge at every boundary some markup span runs across."""
    from translator.formats.markdown import _INLINE_MARKUP

    inside = [(m.start(), m.end()) for m in _INLINE_MARKUP.finditer(text)]
    merged = [spans[0]] if spans else []
    for start, end in spans[1:]:
        if any(a < merged[-1][1] and start < b for a, b in inside):
            merged[-1] = (merged[-1][0], end)
        else:
            merged.append((start, end))
    return merged


@given(st.lists(st.sampled_from(["Trade grew.", " ", "[a link. here](https://x.org/a. b)", "`code. x`",
                                 "<b>bold. text</b>", "It fell!", "\n"]), max_size=25).map("".join))
def test_keeping_markup_together_is_the_plain_definition_in_one_sweep(text: str) -> None:
    from translator.formats.markdown import _unsplit_inline_markup
    from translator.segment import split_sentences

    spans = split_sentences(text)
    assert _unsplit_inline_markup(text, spans) == _merged_the_slow_way(text, spans)
