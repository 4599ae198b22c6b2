"""Sentence splitting: the right sentences, and spans that give the text back exactly."""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from translator import segment
from translator.segment import split_sentences

SEEDS = Path(__file__).resolve().parent.parent / "seeds"


def sentences(text: str, lang: str = "en") -> list[str]:
    return [text[start:end] for start, end in split_sentences(text, lang)]


def assert_shape_kept(text: str, spans: list[tuple[int, int]]) -> None:
    """Ordered, in bounds, strip-clean spans whose gaps are whitespace that rebuilds the text."""
    rebuilt, done = [], 0
    for start, end in spans:
        assert done <= start < end <= len(text), (spans, text)
        assert not text[start].isspace() and not text[end - 1].isspace()
        gap = text[done:start]
        assert gap == "" or gap.isspace(), gap
        rebuilt += [gap, text[start:end]]
        done = end
    assert text[done:] == "" or text[done:].isspace()
    rebuilt.append(text[done:])
    assert "".join(rebuilt) == text


CASES = {
    "dateline-abbreviation-em-dash-is-one-sentence": (
        "SAN FRANCISCO, Nov. 16 (Xinhua) — Chinese President Xi Jinping on Thursday called for "
        "expanding China-Mexico cooperation in finance. Xi made this statement on Thursday.",
        [
            "SAN FRANCISCO, Nov. 16 (Xinhua) — Chinese President Xi Jinping on Thursday called "
            "for expanding China-Mexico cooperation in finance.",
            "Xi made this statement on Thursday.",
        ],
    ),
    "us-abbreviation": (
        "U.S. President Joe Biden met him. The U.S. said so.",
        ["U.S. President Joe Biden met him.", "The U.S. said so."],
    ),
    "titles-and-initials": (
        "Mr. Smith and Dr. J. K. Rowling met at noon. Then they left.",
        ["Mr. Smith and Dr. J. K. Rowling met at noon.", "Then they left."],
    ),
    "decimal-numbers-and-money": (
        "Trade grew 2.5 percent to $3.75 billion. It rose again in 2023.",
        ["Trade grew 2.5 percent to $3.75 billion.", "It rose again in 2023."],
    ),
    "closing-straight-quote-belongs-to-the-sentence": (
        'He said, "I will go." She said nothing.',
        ['He said, "I will go."', "She said nothing."],
    ),
    "closing-curly-quote-belongs-to-the-sentence": (
        "He said “stop.” Then he left.",
        ["He said “stop.”", "Then he left."],
    ),
    "sentences-inside-parentheses-stay-together": (
        "(He left. She stayed.) Then it rained.",
        ["(He left. She stayed.)", "Then it rained."],
    ),
    "parenthesis-before-the-full-stop": (
        "He wrote the book (published in 2001). It sold well.",
        ["He wrote the book (published in 2001).", "It sold well."],
    ),
    "ellipsis-then-question": (
        "Wait... what? Yes!",
        ["Wait... what?", "Yes!"],
    ),
    "headline-line-without-punctuation": (
        "Xi calls for expanding cooperation\nChinese President Xi Jinping spoke. He left.",
        ["Xi calls for expanding cooperation", "Chinese President Xi Jinping spoke.", "He left."],
    ),
    "line-without-letters": (
        "Xi Delivered a Video Speech\n2021-09-20 18:13\n",
        ["Xi Delivered a Video Speech", "2021-09-20 18:13"],
    ),
    "abbreviation-announcing-a-number": (
        "He wrote in Vol. 3, No. 5 of the journal. Then he left.",
        ["He wrote in Vol. 3, No. 5 of the journal.", "Then he left."],
    ),
    "lower-case-after-a-full-stop-continues": (
        "China and the Caribbean (LAC). in the new era. Xi said so.",
        ["China and the Caribbean (LAC). in the new era.", "Xi said so."],
    ),
    "inline-code-and-links-are-not-split": (
        "Use `x.y()` to call it. See [the docs](https://example.com/a.b?c=d). Done.",
        ["Use `x.y()` to call it.", "See [the docs](https://example.com/a.b?c=d).", "Done."],
    ),
    "no-split-without-a-space": (
        "He left.(Then) she came. Next one.",
        ["He left.(Then) she came.", "Next one."],
    ),
    "repeated-sentences-get-their-own-spans": (
        "Yes. Yes. Yes.",
        ["Yes.", "Yes.", "Yes."],
    ),
    "pysbd-placeholder-characters-survive": (
        "A tiny ∯ char and ♨ here. Next.",
        ["A tiny ∯ char and ♨ here.", "Next."],
    ),
    "surrounding-whitespace-and-crlf-left-out": (
        "  One sentence.  \r\n\r\n\tAnother one.\r\n",
        ["One sentence.", "Another one."],
    ),
    "empty-text": ("", []),
    "whitespace-only": (" \n\t\r\n  ", []),
}


@pytest.mark.parametrize(("text", "expected"), CASES.values(), ids=CASES.keys())
def test_splits_news_text_into_the_expected_sentences(text: str, expected: list[str]) -> None:
    assert sentences(text) == expected


def test_spans_are_offsets_into_the_original_text() -> None:
    text = "  First one.   Second one.\n"
    assert split_sentences(text) == [(2, 12), (15, 26)]


def test_chinese_sentences_split_without_spaces() -> None:
    assert sentences("我来了。你呢？好的", "zh") == ["我来了。", "你呢？", "好的"]


def test_unknown_language_falls_back_to_english_rules() -> None:
    assert sentences("Mr. Smith came. He left.", "xx") == ["Mr. Smith came.", "He left."]


class FakeSegmenter:
    """Stands in for pysbd's Segmenter: returns the given sentences, or raises."""

    def __init__(self, sentences: list[str] | None) -> None:
        self.sentences = sentences

    def processor(self, text: str) -> FakeSegmenter:
        return self

    def process(self) -> list[str]:
        if self.sentences is None:
            raise RuntimeError("pysbd broke")
        return self.sentences


def test_a_failing_pysbd_falls_back_to_full_stops(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(segment, "_segmenter", lambda lang: FakeSegmenter(None))
    assert sentences("He came. She left! Why?\nOK") == ["He came.", "She left!", "Why?", "OK"]


def test_sentences_pysbd_reshaped_are_aligned_by_their_characters(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(segment, "_segmenter", lambda lang: FakeSegmenter(["He  said\thi.", "Bye."]))
    assert split_sentences("He said hi.   Bye.") == [(0, 11), (14, 18)]


_PARTS = st.text(st.sampled_from(list("ab.é术 \t\n\u00a0\u2028")), max_size=12)
_SPACES = st.text(st.sampled_from(list(" \t\n\u00a0\u2028")), max_size=3)


@given(st.lists(st.tuples(_SPACES, _PARTS), max_size=8))
def test_sentences_reshaped_end_after_their_last_character_in_the_text(parts: list[tuple[str, str]]) -> None:
    """`_align` finds, word by word, the offset after each sentence's last non-whitespace
    character, whatever whitespace pysbd put in or took out."""
    text, ends, reshaped = "", [], []
    for space, sentence in parts:
        text += space + sentence
        if sentence.strip() or ends:  # an empty one ends where the one before it ended
            ends.append(len(text.rstrip()))
        reshaped.append(" ".join(sentence.split()) + " ")
    assert segment._align(text, reshaped) == ends


def test_sentences_pysbd_altered_are_found_by_search(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(segment, "_segmenter", lambda lang: FakeSegmenter(["He said hi.", "Bye!"]))
    assert sentences("He said hi. Bye.") == ["He said hi.", "Bye."]


def test_importing_the_module_does_not_import_pysbd() -> None:
    code = "import sys, translator.segment; print('pysbd' in sys.modules)"
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "False"


@pytest.mark.parametrize("seed", ["000_07aa21c5bf2af563.txt", "002_d27aabd06bae6966.txt"])
def test_seed_articles_keep_their_shape(seed: str) -> None:
    text = (SEEDS / seed).read_text(encoding="utf-8")
    assert_shape_kept(text, split_sentences(text))


# Characters that make sentence splitting interesting: terminal punctuation, quotes, brackets,
# every kind of whitespace (including CR and Unicode spaces), digits and pysbd's placeholders.
TRICKY = st.sampled_from(
    list("aZé中 .!?…,;:\"'“”‘’()[]—-–0123456789\n\r\t\u00a0\u2028\u3000∯♨`*#>")
    + ["Mr.", "U.S.", "Nov. 16", "e.g.", "3.5", "...", " ", "  ", "\n\n", "\r\n"]
)


@given(st.text())
def test_any_text_keeps_its_shape(text: str) -> None:
    assert_shape_kept(text, split_sentences(text))


@settings(max_examples=200)
@given(st.lists(TRICKY, max_size=60).map("".join))
def test_punctuation_heavy_text_keeps_its_shape(text: str) -> None:
    assert_shape_kept(text, split_sentences(text))


@given(st.lists(TRICKY, max_size=40).map("".join))
def test_no_sentence_crosses_a_line_break(text: str) -> None:
    assert all("\n" not in sentence for sentence in sentences(text))


class _AlwaysSplit:
    @staticmethod
    def search(text: str) -> bool:
        return True


_PIECES = st.sampled_from(["The", "forum", "Xi", "Aug", "No", "3", "5.2", "(Xinhua)", "said", "U.S",
                           ".", "!", "?", "…", '"', "”", ")", "—", ",", " ", " ", "\n", "\t", "a)", "\r",
                           "\u2028", "\x0c", "。"])


@settings(max_examples=300, deadline=None)
@given(st.lists(_PIECES, max_size=30).map("".join))
def test_skipping_pysbd_for_text_without_an_inner_stop_changes_no_boundary(text: str) -> None:
    # pysbd makes a parenthesis that opens a text a sentence of its own ("(Xinhua) The." is
    # "(Xinhua)" and "The."), stop or no stop; without a stop the text stays whole here.
    assume(not text.lstrip().startswith("("))
    fast = split_sentences(text)
    original = segment._INNER_STOP
    segment._INNER_STOP = _AlwaysSplit()
    try:
        assert fast == split_sentences(text)
    finally:
        segment._INNER_STOP = original


# --- plain English text: split without pysbd, at the same boundaries -----------------------


def _pysbd_only(text: str) -> list[int]:
    masked = text.translate(segment._MASK)
    return segment._align(masked, segment._segmenter("en").processor(masked).process())


# Words pysbd reads specially before a stop (abbreviations, single letters, roman numerals,
# exclamation words, capitals, digits) mixed with ordinary ones, and the separators around them.
_PLAIN_WORDS = st.sampled_from(
    "the file was saved by user users report deleted please try again it is may me did mix vivid "
    "I a A USA NATO Mr mr No no 3 2024 10th don't it's users' e-mail x-ray Yahoo Jeopardy Inc inc "
    "etc approx fig vol dept Ave St ok pm Dr Prof Hello World Nov Jan us one two café naïve Ünter "
    "Leaders’ user’s 10:30 50% 3.5 and/or".split())
_PLAIN_SEPARATORS = st.sampled_from([" ", " ", " ", ". ", "? ", "! ", "  ", ".  ", ", ", "-", "'",
                                     "!? ", ". a ", ".", "\t", ": ", "; ", "’", " – ", "%"])


@settings(max_examples=400, deadline=None)
@given(st.lists(st.tuples(_PLAIN_WORDS, st.booleans(), _PLAIN_SEPARATORS), min_size=1, max_size=16),
       st.sampled_from(["", ".", "?", "!", ". ", " "]))
def test_plain_english_splits_where_pysbd_does(words: list[tuple[str, bool, str]], end: str) -> None:
    text = "".join((w.capitalize() if cap else w) + sep for w, cap, sep in words).strip() + end
    plain = segment._plain_ends(text)
    if plain is not None:
        assert plain == _pysbd_only(text), text


@pytest.mark.parametrize("text", [
    pytest.param("The report 3 was deleted by the user. Please check the file and try again.",
                 id="two-sentences"),
    pytest.param("The file was saved! Do you want to close it? Nothing else changes.", id="question-and-exclamation"),
    pytest.param("Don't close the window. It's still saving, please wait.", id="apostrophes"),
])
def test_ordinary_messages_are_split_without_pysbd(text: str, monkeypatch: pytest.MonkeyPatch) -> None:
    with monkeypatch.context() as patch:
        patch.setattr(segment, "_plain_ends", lambda text: None)
        by_pysbd = split_sentences(text)
    asked: list[str] = []
    real = segment._segmenter
    monkeypatch.setattr(segment, "_segmenter", lambda lang: asked.append(lang) or real(lang))
    assert split_sentences(text) == by_pysbd
    assert len(by_pysbd) > 1 and asked == []


@pytest.mark.parametrize("text", [
    pytest.param("Call Mr. Smith. He knows.", id="abbreviation"),
    pytest.param("Read part iv. Then stop.", id="roman-numeral"),
    pytest.param("It was 3. Then it was 4.", id="digit-before-stop"),
    pytest.param('He said "stop. Now" and left.', id="quotes"),
    pytest.param("See (the file. Then) go.", id="brackets"),
    pytest.param("Closed at 5 p.m. Come back.", id="inner-full-stop"),
])
def test_messages_pysbd_must_read_are_not_split_here(text: str) -> None:
    assert segment._plain_ends(text) is None


# --- long paragraphs: bounded windows and a length cap --------------------------------------


def _one_paragraph(seed: str) -> str:
    return " ".join((SEEDS / seed).read_text(encoding="utf-8").split())


def test_a_long_paragraph_splits_where_each_of_its_parts_does(monkeypatch: pytest.MonkeyPatch) -> None:
    """Windowing changes no boundary: every article of a 40-article paragraph splits as alone."""
    monkeypatch.setattr(segment, "WINDOW", 1_500)  # many windows, some cut mid-article
    article = _one_paragraph("000_07aa21c5bf2af563.txt")
    alone = sentences(article)
    text = " ".join([article] * 40)
    assert len(text) > 40 * segment.WINDOW // 2
    assert sentences(text) == alone * 40


@pytest.mark.parametrize(
    "text",
    ["word " * 20_000, "x" * 50_000, ("clause, " * 3_000) + "end.", "中文" * 5_000],
    ids=["no-punctuation", "one-word", "only-commas", "unspaced-script"],
)
def test_no_sentence_is_longer_than_the_cap(text: str) -> None:
    spans = split_sentences(text)
    assert_shape_kept(text, spans)
    assert max(end - start for start, end in spans) <= segment.MAX_SENTENCE
    assert len(spans) >= len(text.strip()) // segment.MAX_SENTENCE


def test_an_over_long_sentence_is_cut_after_a_clause_mark() -> None:
    text = "The plan, " + "which covers trade and finance, " * 100 + "was agreed."
    first = sentences(text)[0]
    assert first.endswith(",") and len(first) <= segment.MAX_SENTENCE
